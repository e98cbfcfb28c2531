/*
 * Local wall-clock time <-> instants, through the C library's zone data.
 */
#include "schedule.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "coach/coach_date.h"

/* Switches the process zone only when it changes: tzset() re-reads the
 * zone file, which is the expensive part. */
static int use_zone(const char *zone)
{
	static char current[256];

	if (!zone || !*zone || strlen(zone) >= sizeof current)
		return -1;
	if (!strcmp(current, zone))
		return 0;
	/* A leading ':' makes glibc read the name as a file below TZDIR and
	 * never as a POSIX TZ rule string. */
	char tz[sizeof current + 1];
	tz[0] = ':';
	strcpy(tz + 1, zone);
	if (setenv("TZ", tz, 1) != 0)
		return -1;
	tzset();
	strcpy(current, zone);
	return 0;
}

/* mktime with a given tm_isdst guess; true when the result really shows
 * the wanted wall time (it is not a normalised gap time). */
static int try_mktime(const struct tm *want, int isdst, time_t *out)
{
	struct tm tm = *want, back;
	tm.tm_isdst = isdst;
	time_t t = mktime(&tm);
	if (t == (time_t)-1 && !(want->tm_year == 69 && want->tm_mon == 11))
		return -1;
	*out = t;
	if (!localtime_r(&t, &back))
		return -1;
	return back.tm_year == want->tm_year && back.tm_mon == want->tm_mon &&
	       back.tm_mday == want->tm_mday && back.tm_hour == want->tm_hour &&
	       back.tm_min == want->tm_min;
}

int sched_local_to_utc(const char *zone, int32_t day, int minute, int64_t *out)
{
	struct tm want;
	int y, m, d;
	static const int guesses[] = { -1, 0, 1 };
	int have_exact = 0;
	time_t best = 0, latest = 0;

	if (use_zone(zone) != 0 || minute < 0 || minute >= 24 * 60)
		return -1;
	coach_day_to_ymd(day, &y, &m, &d);
	memset(&want, 0, sizeof want);
	want.tm_year = y - 1900;
	want.tm_mon = m - 1;
	want.tm_mday = d;
	want.tm_hour = minute / 60;
	want.tm_min = minute % 60;

	for (size_t i = 0; i < sizeof guesses / sizeof guesses[0]; i++) {
		time_t t;
		int r = try_mktime(&want, guesses[i], &t);
		if (r < 0)
			continue;
		if (r == 1 && (!have_exact || t < best)) {
			best = t; /* earliest of two real occurrences */
			have_exact = 1;
		}
		if (r == 0 && t > latest)
			latest = t; /* gap: read with the offset before it */
	}
	if (!have_exact) {
		if (latest == 0)
			return -1;
		best = latest;
	}
	*out = (int64_t)best;
	return 0;
}

int sched_local_day(const char *zone, int64_t t, int32_t *day, int *minute)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (use_zone(zone) != 0 || !localtime_r(&tt, &tm))
		return -1;
	if (day)
		*day = coach_day_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1,
					  tm.tm_mday);
	if (minute)
		*minute = tm.tm_hour * 60 + tm.tm_min;
	return 0;
}

int sched_next(const char *zone, int minute, int64_t after, int64_t *out,
	       int32_t *day)
{
	int32_t today;

	if (sched_local_day(zone, after, &today, NULL) != 0)
		return -1;
	/* The wanted wall time is at most a day and a bit away, even when a
	 * DST change makes a local day 23 or 25 hours long. */
	for (int32_t d = today - 1; d <= today + 2; d++) {
		int64_t t;
		if (sched_local_to_utc(zone, d, minute, &t) != 0)
			return -1;
		if (t > after) {
			*out = t;
			if (day)
				*day = d;
			return 0;
		}
	}
	return -1;
}

int sched_format_local(const char *zone, int64_t t, char *buf, size_t len)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (use_zone(zone) != 0 || !localtime_r(&tt, &tm))
		return -1;
	return strftime(buf, len, "%Y-%m-%d %H:%M %Z", &tm) ? 0 : -1;
}
