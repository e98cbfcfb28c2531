/*
 * Local wall-clock times across DST changes, in two zones that change on
 * different dates (Europe/Berlin: last Sundays of March and October;
 * America/New_York: second Sunday of March, first Sunday of November).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "clock.h"
#include "coach/coach_date.h"
#include "schedule.h"

static int64_t instant(const char *iso)
{
	double t;
	assert_int_equal(clock_parse_instant(iso, &t), 0);
	return (int64_t)t;
}

/* Columns: zone, local date, local time, expected instant (UTC), why. */
static const struct {
	const char *zone, *date;
	int minute;
	const char *utc, *why;
} local_rows[] = {
	{ "Europe/Berlin", "2026-03-28", 7 * 60 + 30, "2026-03-28T06:30:00Z", "CET, day before change" },
	{ "Europe/Berlin", "2026-03-29", 7 * 60 + 30, "2026-03-29T05:30:00Z", "CEST from the change day" },
	{ "Europe/Berlin", "2026-03-29", 1 * 60 + 30, "2026-03-29T00:30:00Z", "before the gap" },
	{ "Europe/Berlin", "2026-03-29", 2 * 60 + 30, "2026-03-29T01:30:00Z", "in the gap: 03:30 CEST" },
	{ "Europe/Berlin", "2026-03-29", 3 * 60, "2026-03-29T01:00:00Z", "first minute after the gap" },
	{ "Europe/Berlin", "2026-10-25", 2 * 60 + 30, "2026-10-25T00:30:00Z", "twice: first occurrence" },
	{ "Europe/Berlin", "2026-10-25", 7 * 60 + 30, "2026-10-25T06:30:00Z", "CET again" },
	{ "Europe/Berlin", "2026-10-24", 21 * 60, "2026-10-24T19:00:00Z", "CEST evening before" },
	{ "America/New_York", "2026-03-07", 7 * 60 + 30, "2026-03-07T12:30:00Z", "EST" },
	{ "America/New_York", "2026-03-08", 7 * 60 + 30, "2026-03-08T11:30:00Z", "EDT" },
	{ "America/New_York", "2026-03-08", 2 * 60 + 30, "2026-03-08T07:30:00Z", "in the gap: 03:30 EDT" },
	{ "America/New_York", "2026-11-01", 1 * 60 + 30, "2026-11-01T05:30:00Z", "twice: first (EDT)" },
	{ "America/New_York", "2026-11-01", 7 * 60 + 30, "2026-11-01T12:30:00Z", "EST again" },
	{ "America/New_York", "2026-03-29", 7 * 60 + 30, "2026-03-29T11:30:00Z", "Berlin's change day" },
	{ "UTC", "2026-03-29", 0, "2026-03-29T00:00:00Z", "no DST" },
	{ "Asia/Kolkata", "2026-06-01", 6 * 60, "2026-06-01T00:30:00Z", "half-hour offset" },
	{ "Australia/Lord_Howe", "2026-10-04", 2 * 60 + 15, "2026-10-03T15:45:00Z", "30 min gap: 02:15 -> 02:45 +11" },
};

static void test_local_to_utc(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof local_rows / sizeof local_rows[0]; i++) {
		int32_t day;
		int64_t got;
		assert_true(coach_day_parse(local_rows[i].date, &day));
		assert_int_equal(sched_local_to_utc(local_rows[i].zone, day,
						    local_rows[i].minute, &got), 0);
		if (got != instant(local_rows[i].utc))
			fail_msg("%s %s %02d:%02d (%s): got %lld, want %s",
				 local_rows[i].zone, local_rows[i].date,
				 local_rows[i].minute / 60,
				 local_rows[i].minute % 60, local_rows[i].why,
				 (long long)got, local_rows[i].utc);
	}
}

/* Columns: zone, local time, after (UTC), expected next (UTC). */
static const struct {
	const char *zone;
	int minute;
	const char *after, *next;
} next_rows[] = {
	{ "Europe/Berlin", 450, "2026-03-28T06:30:00Z", "2026-03-29T05:30:00Z" }, /* 23 h day */
	{ "Europe/Berlin", 450, "2026-03-28T06:29:59Z", "2026-03-28T06:30:00Z" },
	{ "Europe/Berlin", 450, "2026-10-24T05:30:00Z", "2026-10-25T06:30:00Z" }, /* 25 h day */
	{ "Europe/Berlin", 150, "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z" }, /* not twice */
	{ "Europe/Berlin", 150, "2026-03-28T23:00:00Z", "2026-03-29T01:30:00Z" }, /* gap */
	{ "America/New_York", 450, "2026-03-07T12:30:00Z", "2026-03-08T11:30:00Z" },
	{ "America/New_York", 90, "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z" },
	{ "America/New_York", 1439, "2026-12-31T12:00:00Z", "2027-01-01T04:59:00Z" },
};

static void test_next(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof next_rows / sizeof next_rows[0]; i++) {
		int64_t got;
		assert_int_equal(sched_next(next_rows[i].zone, next_rows[i].minute,
					    instant(next_rows[i].after), &got, NULL), 0);
		if (got != instant(next_rows[i].next))
			fail_msg("row %zu (%s): got %lld want %s", i,
				 next_rows[i].zone, (long long)got,
				 next_rows[i].next);
	}
}

/* A daily 07:30 series across both changes shows 07:30 local every day,
 * once per day. */
static void test_series_stays_local(void **state)
{
	static const char *zones[] = { "Europe/Berlin", "America/New_York" };
	static const char *starts[] = { "2026-03-20T00:00:00Z", "2026-10-20T00:00:00Z",
					"2026-03-01T00:00:00Z", "2026-10-28T00:00:00Z" };
	(void)state;
	for (size_t z = 0; z < 2; z++) {
		for (size_t s = 0; s < 4; s++) {
			int64_t t = instant(starts[s]);
			int32_t prev_day = 0;
			for (int i = 0; i < 20; i++) {
				int32_t day, lday;
				int minute;
				assert_int_equal(sched_next(zones[z], 450, t, &t, &day), 0);
				assert_int_equal(sched_local_day(zones[z], t, &lday, &minute), 0);
				assert_int_equal(minute, 450);
				assert_int_equal(lday, day);
				if (i > 0)
					assert_int_equal(day, prev_day + 1);
				prev_day = day;
			}
		}
	}
}

static void test_format_and_bad_zone(void **state)
{
	char buf[64];
	int64_t t;
	(void)state;
	assert_int_equal(sched_format_local("Europe/Berlin",
					    instant("2026-03-29T05:30:00Z"), buf, sizeof buf), 0);
	assert_string_equal(buf, "2026-03-29 07:30 CEST");
	assert_int_equal(sched_format_local("Europe/Berlin",
					    instant("2026-03-28T06:30:00Z"), buf, sizeof buf), 0);
	assert_string_equal(buf, "2026-03-28 07:30 CET");
	assert_int_equal(sched_local_to_utc("", 20000, 0, &t), -1);
	assert_int_equal(sched_local_to_utc("Europe/Berlin", 20000, 24 * 60, &t), -1);
}

/* Columns: text, accepted, instant. */
static void test_parse_instant(void **state)
{
	static const struct { const char *s; int ok; double t; } rows[] = {
		{ "2026-03-02T05:00:00Z", 1, 1772427600 },
		{ "2026-03-02T05:00Z", 1, 1772427600 },
		{ "2026-03-02T06:00:00+01:00", 1, 1772427600 },
		{ "2026-03-02T00:00-05:00", 1, 1772427600 },
		{ "2026-03-02T05:00:00", 0, 0 },
		{ "2026-03-02", 0, 0 },
		{ "yesterday", 0, 0 },
		{ "2026-03-02T05:00:00Zjunk", 0, 0 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		double t = 0;
		int r = clock_parse_instant(rows[i].s, &t);
		assert_int_equal(r == 0, rows[i].ok);
		if (rows[i].ok)
			assert_true(t == rows[i].t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_local_to_utc),
		cmocka_unit_test(test_next),
		cmocka_unit_test(test_series_stays_local),
		cmocka_unit_test(test_format_and_bad_zone),
		cmocka_unit_test(test_parse_instant),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
