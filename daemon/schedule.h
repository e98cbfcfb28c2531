/*
 * Wall-clock times in a runner's IANA zone, computed with the C library's
 * zone data (TZ + tzset + mktime/localtime_r), so a 07:30 reminder stays
 * 07:30 local across DST changes.
 *
 * Two edge cases have a defined answer:
 *  - a local time that does not exist (skipped by a spring-forward change,
 *    e.g. 02:30 on the last Sunday of March in Europe/Berlin) fires the
 *    same length of time after the change as it is after the hour that was
 *    skipped: 02:30 becomes 03:30 local;
 *  - a local time that happens twice (autumn fall-back) fires once, at the
 *    first occurrence.
 *
 * Not thread-safe (TZ is process state); the daemon is single-threaded.
 */
#ifndef REHABD_SCHEDULE_H
#define REHABD_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

/* The instant of local date `day` (coach_date day number) at `minute`
 * after local midnight in zone.  Returns 0, or -1 on a bad zone. */
int sched_local_to_utc(const char *zone, int32_t day, int minute,
		       int64_t *out);

/* Local date and minute of the day of instant t in zone. */
int sched_local_day(const char *zone, int64_t t, int32_t *day, int *minute);

/* The first instant strictly after `after` at which the local clock in
 * zone shows `minute`; stores that local date in *day (may be NULL). */
int sched_next(const char *zone, int minute, int64_t after, int64_t *out,
	       int32_t *day);

/* Formats instant t in zone as "YYYY-MM-DD HH:MM ABBR" into buf. */
int sched_format_local(const char *zone, int64_t t, char *buf, size_t len);

#endif
