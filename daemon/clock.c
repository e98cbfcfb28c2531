/*
 * Real and simulated clocks.
 */
#include "clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static double monotonic_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void clock_init_real(struct rclock *c)
{
	memset(c, 0, sizeof *c);
	c->speed = 1.0;
}

void clock_init_sim(struct rclock *c, double start, double speed)
{
	c->simulated = 1;
	c->sim_start = start;
	c->real_start = monotonic_now();
	c->speed = speed > 0 ? speed : 1.0;
}

double clock_now(const struct rclock *c)
{
	if (c->simulated)
		return c->sim_start + (monotonic_now() - c->real_start) * c->speed;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double clock_real_delay(const struct rclock *c, double instant)
{
	double d = (instant - clock_now(c)) / c->speed;
	return d > 0 ? d : 0;
}

double clock_span(const struct rclock *c, double real_seconds)
{
	return real_seconds * c->speed;
}

int clock_parse_instant(const char *s, double *out)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	const char *p = strptime(s, "%Y-%m-%dT%H:%M", &tm);
	if (!p)
		return -1;
	if (*p == ':') {
		int sec, n = 0;
		if (sscanf(p, ":%2d%n", &sec, &n) != 1 || n != 3 || sec > 60)
			return -1;
		tm.tm_sec = sec;
		p += n;
	}
	long offset = 0;
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int hh, mm, n = 0;
		if (sscanf(p + 1, "%2d:%2d%n", &hh, &mm, &n) != 2 || n != 5 ||
		    hh > 23 || mm > 59)
			return -1;
		offset = (hh * 60L + mm) * 60L * (*p == '-' ? -1 : 1);
		p += 1 + n;
	} else {
		return -1; /* a zone-less instant would be ambiguous */
	}
	if (*p)
		return -1;
	*out = (double)(timegm(&tm) - offset);
	return 0;
}
