/*
 * Civil-date arithmetic (days from/to year-month-day).  This is calendar
 * arithmetic only; time zones are the runtime's business.
 */
#include "coach_date.h"

#include <stdio.h>
#include <string.h>

/* Days from civil, after the well-known era-based method: shift the year
 * to start in March so the leap day is the last day of the year. */
int32_t coach_day_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

void coach_day_to_ymd(int32_t day, int *y, int *m, int *d)
{
	int32_t z = day + 719468;
	int32_t era = (z >= 0 ? z : z - 146096) / 146097;
	int32_t doe = z - era * 146097;
	int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int32_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

bool coach_day_parse(const char *s, int32_t *out)
{
	int y, m, d, n = 0;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10)
		return false;
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	int32_t day = coach_day_from_ymd(y, m, d);
	int yy, mm, dd;
	coach_day_to_ymd(day, &yy, &mm, &dd);
	if (yy != y || mm != m || dd != d) /* 2026-02-30 and the like */
		return false;
	*out = day;
	return true;
}

void coach_day_format(int32_t day, char buf[11])
{
	int y, m, d;
	coach_day_to_ymd(day, &y, &m, &d);
	/* Clamp so the compiler can see the text fits 10 characters. */
	unsigned uy = (unsigned)(y < 0 ? 0 : y % 10000);
	unsigned um = (unsigned)m % 100u, ud = (unsigned)d % 100u;
	snprintf(buf, 11, "%04u-%02u-%02u", uy, um, ud);
}

int coach_day_weekday(int32_t day)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	int32_t w = (day + 3) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

void coach_day_label(int32_t day, char buf[16])
{
	static const char *const wd[] = { "Mon", "Tue", "Wed", "Thu", "Fri",
					  "Sat", "Sun" };
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May",
					   "Jun", "Jul", "Aug", "Sep", "Oct",
					   "Nov", "Dec" };
	int y, m, d;

	coach_day_to_ymd(day, &y, &m, &d);
	snprintf(buf, 16, "%s %d %s", wd[coach_day_weekday(day)], d,
		 mon[(m - 1) % 12]);
}
