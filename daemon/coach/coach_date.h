/*
 * Calendar days as plain integers, for the pure coach code.
 *
 * A day number counts days since 1970-01-01 (day 0) in the proleptic
 * Gregorian calendar.  It names a local calendar date; which instant it
 * starts at depends on the runner's zone, which the coach never needs.
 */
#ifndef REHABD_COACH_DATE_H
#define REHABD_COACH_DATE_H

#include <stdbool.h>
#include <stdint.h>

/* A day after any real date, used for open-ended ranges. */
#define COACH_DAY_OPEN INT32_MAX

/* Returns the day number of y-m-d (month 1-12, day 1-31). */
int32_t coach_day_from_ymd(int y, int m, int d);

/* Splits a day number into year, month (1-12) and day (1-31). */
void coach_day_to_ymd(int32_t day, int *y, int *m, int *d);

/* Parses exactly "YYYY-MM-DD" (a real date, years 1900-9999).  Returns
 * true and stores the day number, or false. */
bool coach_day_parse(const char *s, int32_t *out);

/* Writes "YYYY-MM-DD" and a NUL into buf (at least 11 bytes). */
void coach_day_format(int32_t day, char buf[11]);

/* Writes the date as people write it, "Tue 3 Mar", and a NUL into buf
 * (at least 16 bytes). */
void coach_day_label(int32_t day, char buf[16]);

/* Day of the week, 0 = Monday ... 6 = Sunday. */
int coach_day_weekday(int32_t day);

#endif
