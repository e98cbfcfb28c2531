/*
 * The state store: outbox uniqueness (a slot is never queued twice),
 * recovery of rows cut off mid-send, reply de-duplication, history for
 * the coach (highest scores, red flags and clearances, strength skipped),
 * reminders sent for /status, pauses, cursors, migrations; and the
 * missed-slot grace rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "coach/coach_date.h"
#include "engine_int.h"
#include "store.h"

static char dir[64];

static int setup(void **state)
{
	char err[256];
	snprintf(dir, sizeof dir, "/tmp/rehabd-store-XXXXXX");
	assert_non_null(mkdtemp(dir));
	struct store *st = store_open(dir, err, sizeof err);
	assert_non_null(st);
	*state = st;
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	store_close(*state);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static int32_t D(const char *s)
{
	int32_t d;
	assert_true(coach_day_parse(s, &d));
	return d;
}

static int insert(struct store *st, const char *runner, const char *day,
		  const char *slot, int *inserted)
{
	struct outbox_row row = {
		.runner = (char *)runner, .day = D(day), .slot = (char *)slot,
		.kind = "morning", .due = 1000, .next_try = 1000,
		.state = OUTBOX_QUEUED, .text = "hello",
	};
	return store_outbox_insert(st, &row, inserted);
}

static void test_outbox_unique(void **state)
{
	struct store *st = *state;
	int inserted, exists, count;
	/* Columns: runner, day, slot, inserted. */
	static const struct { const char *runner, *day, *slot; int inserted; } rows[] = {
		{ "anna", "2026-03-02", "morning", 1 },
		{ "anna", "2026-03-02", "morning", 0 },  /* same slot again */
		{ "anna", "2026-03-02", "stretch1", 1 },
		{ "anna", "2026-03-03", "morning", 1 },  /* next day */
		{ "ben", "2026-03-02", "morning", 1 },   /* other runner */
		{ "ben", "2026-03-02", "morning", 0 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		assert_int_equal(insert(st, rows[i].runner, rows[i].day, rows[i].slot,
					&inserted), 0);
		assert_int_equal(inserted, rows[i].inserted);
	}
	assert_int_equal(store_outbox_exists(st, "anna", D("2026-03-02"), "stretch1", &exists), 0);
	assert_true(exists);
	assert_int_equal(store_outbox_exists(st, "anna", D("2026-03-02"), "evening", &exists), 0);
	assert_false(exists);
	assert_int_equal(store_outbox_count_prefix(st, "anna", D("2026-03-02"), "stretch", &count), 0);
	assert_int_equal(count, 1);
}

static void count_cb(void *arg, const struct outbox_row *row)
{
	(void)row;
	(*(int *)arg)++;
}

static void test_outbox_states(void **state)
{
	struct store *st = *state;
	int inserted, due = 0, requeued = 0;
	struct outbox_row row;
	double next;

	assert_int_equal(insert(st, "anna", "2026-03-02", "morning", &inserted), 0);
	assert_int_equal(store_outbox_each_due(st, 999, 10, count_cb, &due), 0);
	assert_int_equal(due, 0); /* not yet */
	assert_int_equal(store_outbox_each_due(st, 1000, 10, count_cb, &due), 0);
	assert_int_equal(due, 1);
	assert_int_equal(store_outbox_next_try(st, &next), 0);
	assert_true(next == 1000);

	/* Cut off mid-send: after a restart it is queued again. */
	assert_int_equal(store_outbox_update(st, 1, OUTBOX_SENDING, 1, 1000, 0, NULL), 0);
	due = 0;
	assert_int_equal(store_outbox_each_due(st, 2000, 10, count_cb, &due), 0);
	assert_int_equal(due, 0);
	assert_int_equal(store_outbox_requeue_sending(st, &requeued), 0);
	assert_int_equal(requeued, 1);
	assert_int_equal(store_outbox_get(st, 1, &row), 1);
	assert_int_equal(row.state, OUTBOX_QUEUED);
	assert_int_equal(row.attempts, 1);
	assert_string_equal(row.text, "hello");
	assert_int_equal(row.day, D("2026-03-02"));
	outbox_row_clear(&row);

	/* Sent rows are the latest of their slot for replies to refer to. */
	assert_int_equal(store_outbox_update(st, 1, OUTBOX_SENT, 1, 1000, 1001, NULL), 0);
	static const char *const slots[] = { "morning", "evening", NULL };
	assert_int_equal(store_outbox_latest(st, "anna", slots, 5000, &row), 1);
	assert_int_equal(row.id, 1);
	outbox_row_clear(&row);
	assert_int_equal(store_outbox_latest(st, "anna", slots, 500, &row), 0);
	assert_int_equal(store_outbox_next_try(st, &next), 0);
	assert_true(next == 0);

	/* Expiry of rows that could not be sent in time. */
	assert_int_equal(insert(st, "anna", "2026-03-03", "morning", &inserted), 0);
	due = 0;
	assert_int_equal(store_outbox_expire(st, 1001, count_cb, &due), 0);
	assert_int_equal(due, 1);
	assert_int_equal(store_outbox_get(st, 2, &row), 1);
	assert_int_equal(row.state, OUTBOX_EXPIRED);
	outbox_row_clear(&row);

	/* /status counts what never arrived (failed or expired) from a day
	 * on: row 1 was sent, row 2 expired, row 3 fails, row 4 is bob's. */
	int undelivered = -1;
	assert_int_equal(insert(st, "anna", "2026-03-04", "stretch1", &inserted), 0);
	assert_int_equal(store_outbox_update(st, 3, OUTBOX_FAILED, 1, 1000, 0, "blocked"), 0);
	assert_int_equal(insert(st, "bob", "2026-03-04", "stretch1", &inserted), 0);
	assert_int_equal(store_outbox_update(st, 4, OUTBOX_FAILED, 1, 1000, 0, "blocked"), 0);
	assert_int_equal(store_outbox_undelivered(st, "anna", D("2026-03-01"), &undelivered), 0);
	assert_int_equal(undelivered, 2);
	assert_int_equal(store_outbox_undelivered(st, "anna", D("2026-03-04"), &undelivered), 0);
	assert_int_equal(undelivered, 1);
	assert_int_equal(store_outbox_undelivered(st, "anna", D("2026-03-05"), &undelivered), 0);
	assert_int_equal(undelivered, 0);
}

static void test_replies_and_history(void **state)
{
	struct store *st = *state;
	int64_t id1, id2;
	int dup;
	struct coach_day_log *days;
	struct coach_pause *pauses;
	size_t n, np;
	int ended;

	assert_int_equal(store_reply_insert(st, "tg", "u1", "anna", 1, "6", "score", &id1, &dup), 0);
	assert_false(dup);
	assert_int_equal(store_reply_insert(st, "tg", "u1", "anna", 2, "6", "score", &id2, &dup), 0);
	assert_true(dup);
	assert_int_equal(id1, id2);
	assert_int_equal(store_reply_insert(st, "mx", "u1", "anna", 2, "6", "score", &id2, &dup), 0);
	assert_false(dup); /* ids are per channel */

	/* The highest score of a kind is the day's, not the latest: a
	 * lower second reply does not talk the day down. */
	assert_int_equal(store_pain_insert(st, "anna", D("2026-03-03"), 0, 60, 0, id1, 1), 0);
	assert_int_equal(store_pain_insert(st, "anna", D("2026-03-02"), 1, 20, 0, 0, 1), 0);
	assert_int_equal(store_pain_insert(st, "anna", D("2026-03-02"), 1, 30, 0, 0, 2), 0);
	assert_int_equal(store_pain_insert(st, "anna", D("2026-03-02"), 1, 10, 0, 0, 2), 0);
	assert_int_equal(store_pain_insert(st, "anna", D("2026-03-02"), 0, COACH_NO_SCORE, 1, 0, 3), 0);
	assert_int_equal(store_adherence_insert(st, "anna", D("2026-03-01"), "stretch1", 1, 0, 1), 0);
	assert_int_equal(store_adherence_insert(st, "anna", D("2026-03-02"), "strength", 0, 0, 1), 0);
	assert_int_equal(store_pain_insert(st, "ben", D("2026-03-02"), 1, 90, 0, 0, 1), 0);

	assert_int_equal(store_pause_insert(st, "anna", D("2026-03-10"), COACH_DAY_OPEN), 0);
	assert_int_equal(store_pause_end(st, "anna", D("2026-03-12"), &ended), 0);
	assert_int_equal(ended, 1);
	assert_int_equal(store_pause_insert(st, "anna", D("2026-03-20"), D("2026-03-25")), 0);
	assert_int_equal(store_pause_end(st, "anna", D("2026-03-18"), &ended), 0);
	assert_int_equal(ended, 1); /* a future pause is dropped */

	assert_int_equal(store_history_load(st, "anna", &days, &n, &pauses, &np), 0);
	assert_int_equal(n, 3);
	assert_int_equal(days[0].day, D("2026-03-01"));
	assert_int_equal(days[0].done, 1);
	assert_int_equal(days[0].morning10, COACH_NO_SCORE);
	assert_int_equal(days[1].day, D("2026-03-02"));
	assert_int_equal(days[1].morning10, 30);
	assert_int_equal(days[1].session10, COACH_NO_SCORE);
	assert_true(days[1].red_flag);
	assert_false(days[1].cleared);
	assert_int_equal(days[1].skipped, 1);
	assert_true(days[1].strength_skipped);
	assert_int_equal(days[2].day, D("2026-03-03"));
	assert_int_equal(days[2].session10, 60);
	assert_false(days[2].red_flag);
	assert_false(days[0].strength_skipped); /* a stretch done */
	assert_int_equal(np, 1);
	assert_int_equal(pauses[0].from, D("2026-03-10"));
	assert_int_equal(pauses[0].until, D("2026-03-12"));
	free(days);
	free(pauses);
}

/* One history day's fields, by rows of (kind, day, value) given in
 * order of arrival.  Columns: what arrives (P = pain row: morning flag,
 * score10, red flag; A = adherence: slot, done; C = a clearance), the day
 * it is for, and then what the day's log must say. */
struct hist_event {
	char what;          /* 'P', 'A', 'C', 0 ends */
	int day;            /* 1 = 2026-03-02 */
	int morning;        /* P: 1 morning, 0 session */
	int score10;        /* P */
	int flag;           /* P: red flag */
	const char *slot;   /* A */
	int done;           /* A */
};

struct hist_want {
	int day;
	int morning10, session10;
	bool red_flag, cleared, strength_skipped;
	int done, skipped;
};

static void test_history_day_fields(void **state)
{
	static const struct {
		const char *name;
		struct hist_event ev[8];
		struct hist_want want[3];
	} rows[] = {
		{ "highest morning and session scores of the day",
		  { { 'P', 1, 1, 30, 0, 0, 0 }, { 'P', 1, 1, 10, 0, 0, 0 },
		    { 'P', 1, 0, 40, 0, 0, 0 }, { 'P', 1, 0, 55, 0, 0, 0 },
		    { 'P', 1, 0, 20, 0, 0, 0 } },
		  { { 1, 30, 55, false, false, false, 0, 0 } } },
		{ "a red flag alone leaves the scores empty",
		  { { 'P', 1, 1, COACH_NO_SCORE, 1, 0, 0 } },
		  { { 1, COACH_NO_SCORE, COACH_NO_SCORE, true, false, false, 0, 0 } } },
		{ "cleared after the flag, the same day",
		  { { 'P', 1, 1, 20, 1, 0, 0 }, { 'C', 1, 0, 0, 0, 0, 0 } },
		  { { 1, 20, COACH_NO_SCORE, true, true, false, 0, 0 } } },
		{ "a flag after the /cleared of its day stands",
		  { { 'P', 1, 1, 20, 1, 0, 0 }, { 'C', 1, 0, 0, 0, 0, 0 },
		    { 'P', 1, 0, COACH_NO_SCORE, 1, 0, 0 } },
		  { { 1, 20, COACH_NO_SCORE, true, false, false, 0, 0 } } },
		{ "cleared on a later day: a day of its own",
		  { { 'P', 1, 1, COACH_NO_SCORE, 1, 0, 0 }, { 'C', 3, 0, 0, 0, 0, 0 } },
		  { { 1, COACH_NO_SCORE, COACH_NO_SCORE, true, false, false, 0, 0 },
		    { 3, COACH_NO_SCORE, COACH_NO_SCORE, false, true, false, 0, 0 } } },
		{ "a late flag about yesterday, sent after today's /cleared, stands",
		  { { 'P', 1, 1, COACH_NO_SCORE, 1, 0, 0 }, { 'C', 2, 0, 0, 0, 0, 0 },
		    { 'P', 1, 0, 30, 1, 0, 0 } },
		  { { 1, COACH_NO_SCORE, 30, true, false, false, 0, 0 } } },
		{ "/cleared with no flag is a cleared day (the plan ignores it)",
		  { { 'C', 1, 0, 0, 0, 0, 0 } },
		  { { 1, COACH_NO_SCORE, COACH_NO_SCORE, false, true, false, 0, 0 } } },
		{ "strength skipped; a skipped stretch is not",
		  { { 'A', 1, 0, 0, 0, "stretch1", 0 }, { 'A', 2, 0, 0, 0, "strength", 0 },
		    { 'A', 2, 0, 0, 0, "stretch2", 1 } },
		  { { 1, COACH_NO_SCORE, COACH_NO_SCORE, false, false, false, 0, 1 },
		    { 2, COACH_NO_SCORE, COACH_NO_SCORE, false, false, true, 1, 1 } } },
		{ "skipped then done on strength: still skipped (the safer reading)",
		  { { 'A', 1, 0, 0, 0, "strength", 0 }, { 'A', 1, 0, 0, 0, "strength", 1 } },
		  { { 1, COACH_NO_SCORE, COACH_NO_SCORE, false, false, true, 1, 1 } } },
		{ "done on strength, a check-in answered done (no slot)",
		  { { 'A', 1, 0, 0, 0, "strength", 1 }, { 'A', 1, 0, 0, 0, NULL, 0 } },
		  { { 1, COACH_NO_SCORE, COACH_NO_SCORE, false, false, false, 1, 1 } } },
	};
	struct store *st = *state;
	int32_t d0 = D("2026-03-02");

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char runner[16];
		double at = 1000;
		struct coach_day_log *days;
		struct coach_pause *pauses;
		size_t n, np, nwant = 0;

		snprintf(runner, sizeof runner, "r%zu", i);
		for (const struct hist_event *ev = rows[i].ev; ev->what; ev++) {
			int32_t day = d0 + ev->day - 1;
			at += 60;
			if (ev->what == 'P')
				assert_int_equal(store_pain_insert(st, runner, day, ev->morning,
								   ev->score10, ev->flag, 0, at), 0);
			else if (ev->what == 'A')
				assert_int_equal(store_adherence_insert(st, runner, day, ev->slot,
									ev->done, 0, at), 0);
			else
				assert_int_equal(store_clearance_insert(st, runner, day, 0, at), 0);
		}
		assert_int_equal(store_history_load(st, runner, &days, &n, &pauses, &np), 0);
		while (nwant < 3 && rows[i].want[nwant].day)
			nwant++;
		if (n != nwant)
			fail_msg("%s: %zu days, want %zu", rows[i].name, n, nwant);
		for (size_t k = 0; k < n; k++) {
			const struct hist_want *w = &rows[i].want[k];
			const struct coach_day_log *g = &days[k];
			if (g->day != d0 + w->day - 1 || g->morning10 != w->morning10 ||
			    g->session10 != w->session10 || g->red_flag != w->red_flag ||
			    g->cleared != w->cleared ||
			    g->strength_skipped != w->strength_skipped ||
			    g->done != w->done || g->skipped != w->skipped)
				fail_msg("%s: day %zu is {day %d, %d, %d, flag %d, cleared %d, "
					 "strength skipped %d, done %d, skipped %d}", rows[i].name, k,
					 g->day - d0 + 1, g->morning10, g->session10, g->red_flag,
					 g->cleared, g->strength_skipped, g->done, g->skipped);
		}
		free(days);
		free(pauses);
	}
}

/* Outbox rows for the reminder count and slot lookups. */
static void put_row(struct store *st, const char *runner, const char *day,
		    const char *slot, const char *kind, enum outbox_state state)
{
	int inserted;
	struct outbox_row row = {
		.runner = (char *)runner, .day = D(day), .slot = (char *)slot,
		.kind = (char *)kind, .due = 1000, .next_try = 1000,
		.state = state, .text = "x",
	};
	assert_int_equal(store_outbox_insert(st, &row, &inserted), 0);
	assert_true(inserted);
}

static void test_sent_reminders_and_slots(void **state)
{
	struct store *st = *state;
	int count = -1, stv = 0, has = -1;

	/* Columns: runner, day, slot, kind, state. */
	static const struct {
		const char *runner, *day, *slot, *kind;
		enum outbox_state state;
	} rows[] = {
		{ "anna", "2026-03-01", "stretch1", "stretch", OUTBOX_SENT },     /* before the window */
		{ "anna", "2026-03-02", "morning", "morning", OUTBOX_SENT },      /* a check-in */
		{ "anna", "2026-03-02", "stretch1", "stretch", OUTBOX_SENT },     /* counts */
		{ "anna", "2026-03-02", "stretch1+snooze1", "stretch", OUTBOX_SENT }, /* a copy */
		{ "anna", "2026-03-02", "stretch2", "stretch", OUTBOX_PAUSED },   /* never sent */
		{ "anna", "2026-03-02", "strength", "strength", OUTBOX_SENT },    /* counts */
		{ "anna", "2026-03-02", "evening", "evening", OUTBOX_SKIPPED },
		{ "anna", "2026-03-02", "reply:7", "checkin", OUTBOX_SENT },      /* an answer */
		{ "anna", "2026-03-03", "stretch1", "stretch", OUTBOX_FAILED },   /* undelivered */
		{ "anna", "2026-03-03", "stretch2", "stretch", OUTBOX_QUEUED },   /* not yet */
		{ "anna", "2026-03-03", "stretch3", "stretch", OUTBOX_SENT },     /* counts */
		{ "anna", "2026-03-09", "stretch1", "stretch", OUTBOX_SENT },     /* after the window */
		{ "ben", "2026-03-02", "stretch1", "stretch", OUTBOX_SENT },      /* another runner */
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		put_row(st, rows[i].runner, rows[i].day, rows[i].slot, rows[i].kind,
			rows[i].state);
	assert_int_equal(store_outbox_sent_reminders(st, "anna", D("2026-03-02"),
						     D("2026-03-08"), &count), 0);
	assert_int_equal(count, 3);
	assert_int_equal(store_outbox_sent_reminders(st, "anna", D("2026-03-01"),
						     D("2026-03-09"), &count), 0);
	assert_int_equal(count, 5);
	assert_int_equal(store_outbox_sent_reminders(st, "carl", D("2026-03-01"),
						     D("2026-03-09"), &count), 0);
	assert_int_equal(count, 0);

	/* Columns: day, slot, state (-1: no row). */
	static const struct { const char *day, *slot; int state; } slots[] = {
		{ "2026-03-02", "strength", OUTBOX_SENT },
		{ "2026-03-02", "evening", OUTBOX_SKIPPED },
		{ "2026-03-03", "stretch2", OUTBOX_QUEUED },
		{ "2026-03-03", "strength", -1 },
	};
	for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++) {
		assert_int_equal(store_outbox_slot_state(st, "anna", D(slots[i].day),
							 slots[i].slot, &stv), 0);
		assert_int_equal(stv, slots[i].state);
	}

	/* Whether a day has a score of a kind (a bare red flag is none). */
	assert_int_equal(store_pain_insert(st, "anna", D("2026-03-02"), 0, COACH_NO_SCORE, 1, 0, 1), 0);
	assert_int_equal(store_pain_has_score(st, "anna", D("2026-03-02"), 0, &has), 0);
	assert_false(has);
	assert_int_equal(store_pain_insert(st, "anna", D("2026-03-02"), 0, 0, 0, 0, 2), 0);
	assert_int_equal(store_pain_has_score(st, "anna", D("2026-03-02"), 0, &has), 0);
	assert_true(has); /* a 0 is a score */
	assert_int_equal(store_pain_has_score(st, "anna", D("2026-03-02"), 1, &has), 0);
	assert_false(has);
	assert_int_equal(store_pain_has_score(st, "ben", D("2026-03-02"), 0, &has), 0);
	assert_false(has);
}

static void test_cursor_and_runner_state(void **state)
{
	struct store *st = *state;
	char *c;
	int un;

	assert_int_equal(store_cursor_get(st, "tg", &c), 0);
	assert_null(c);
	assert_int_equal(store_cursor_set(st, "tg", "101", 1), 0);
	assert_int_equal(store_cursor_set(st, "tg", "205", 2), 0);
	assert_int_equal(store_cursor_get(st, "tg", &c), 0);
	assert_string_equal(c, "205");
	free(c);

	/* A transaction that is rolled back leaves the cursor alone. */
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_cursor_set(st, "tg", "999", 3), 0);
	store_rollback(st);
	assert_int_equal(store_cursor_get(st, "tg", &c), 0);
	assert_string_equal(c, "205");
	free(c);

	assert_int_equal(store_runner_unreachable(st, "anna", &un), 0);
	assert_false(un);
	assert_int_equal(store_runner_set_unreachable(st, "anna", 1, "blocked", 1), 0);
	assert_int_equal(store_runner_unreachable(st, "anna", &un), 0);
	assert_true(un);
}

/* ABI 1.2 channel state: per channel, overwritten, deleted, and left
 * alone by a rolled-back transaction. */
static void test_channel_state(void **state)
{
	struct store *st = *state;
	char *v;
	/* Columns: channel, key, value to set (NULL deletes), then what
	 * (mx, token) reads. */
	static const struct { const char *channel, *key, *value, *mx_token; } rows[] = {
		{ "mx", "token", "syt_one", "syt_one" },
		{ "mx", "token", "syt_two", "syt_two" },      /* overwritten */
		{ "other", "token", "else", "syt_two" },      /* other channel */
		{ "mx", "device", "DEV1", "syt_two" },        /* other key */
		{ "mx", "token", NULL, NULL },                /* deleted */
		{ "mx", "missing", NULL, NULL },              /* delete of nothing */
		{ "mx", "token", "", "" },                    /* empty is a value */
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		assert_int_equal(store_state_set(st, rows[i].channel, rows[i].key,
						 rows[i].value, (double)i), 0);
		assert_int_equal(store_state_get(st, "mx", "token", &v), 0);
		if (rows[i].mx_token)
			assert_string_equal(v, rows[i].mx_token);
		else
			assert_null(v);
		free(v);
	}
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_state_set(st, "mx", "device", "DEV2", 9), 0);
	store_rollback(st);
	assert_int_equal(store_state_get(st, "mx", "device", &v), 0);
	assert_string_equal(v, "DEV1");
	free(v);
}

/* A sent message's server id finds its row, only among that runner's
 * rows; the latest row wins when a server reused an id. */
static void test_outbox_remote_id(void **state)
{
	struct store *st = *state;
	int inserted;
	int64_t id;
	struct outbox_row a = { .runner = "anna", .day = D("2026-03-02"), .slot = "evening",
				.kind = "evening", .due = 1, .next_try = 1,
				.state = OUTBOX_QUEUED, .text = "x" };
	struct outbox_row b = a;
	b.slot = "morning";
	assert_int_equal(store_outbox_insert(st, &a, &inserted), 0);
	assert_int_equal(store_outbox_insert(st, &b, &inserted), 0);
	assert_int_equal(store_outbox_by_remote_id(st, "anna", "$ev1", &id), 0);
	assert_int_equal(id, 0);
	assert_int_equal(store_outbox_set_remote_id(st, a.id, "$ev1"), 0);
	assert_int_equal(store_outbox_by_remote_id(st, "anna", "$ev1", &id), 0);
	assert_int_equal(id, a.id);
	assert_int_equal(store_outbox_by_remote_id(st, "ben", "$ev1", &id), 0);
	assert_int_equal(id, 0);
	assert_int_equal(store_outbox_set_remote_id(st, b.id, "$ev1"), 0);
	assert_int_equal(store_outbox_by_remote_id(st, "anna", "$ev1", &id), 0);
	assert_int_equal(id, b.id);
}

static void test_reopen_keeps_data_and_version(void **state)
{
	struct store *st = *state;
	char err[256], path[128], check[64];
	int inserted;
	sqlite3 *db;

	assert_int_equal(insert(st, "anna", "2026-03-02", "morning", &inserted), 0);
	store_close(st);
	st = store_open(dir, err, sizeof err);
	assert_non_null(st);
	*state = st;
	assert_int_equal(insert(st, "anna", "2026-03-02", "morning", &inserted), 0);
	assert_false(inserted);
	assert_int_equal(store_quick_check(st, check, sizeof check), 0);
	assert_string_equal(check, "ok");

	/* A database from a newer rehabd is refused, not damaged. */
	snprintf(path, sizeof path, "%s/%s", dir, STORE_FILE);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version=99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	store_close(st);
	*state = NULL;
	assert_null(store_open(dir, err, sizeof err));
	char want[96];
	snprintf(want, sizeof want, "schema version 99 is newer than this rehabd (%d)",
		 STORE_SCHEMA_VERSION);
	assert_non_null(strstr(err, want));
	*state = NULL;
}

/* The schema of version 1 as shipped (store.c's migrations[0]): a
 * database of that version, with rows, is migrated and keeps them. */
static const char v1_schema[] =
	"CREATE TABLE replies(id INTEGER PRIMARY KEY, channel TEXT NOT NULL,"
	" msg_id TEXT NOT NULL, runner TEXT, received_at REAL NOT NULL, raw TEXT,"
	" kind TEXT, UNIQUE(channel, msg_id));"
	"CREATE TABLE pain(id INTEGER PRIMARY KEY, runner TEXT NOT NULL,"
	" day TEXT NOT NULL, kind TEXT NOT NULL CHECK(kind IN ('morning','session')),"
	" score10 INTEGER CHECK(score10 IS NULL OR score10 BETWEEN 0 AND 100),"
	" red_flag INTEGER NOT NULL DEFAULT 0, reply_id INTEGER REFERENCES replies(id),"
	" at REAL NOT NULL);"
	"CREATE INDEX pain_runner_day ON pain(runner, day);"
	"CREATE TABLE adherence(id INTEGER PRIMARY KEY, runner TEXT NOT NULL,"
	" day TEXT NOT NULL, slot TEXT,"
	" status TEXT NOT NULL CHECK(status IN ('done','skipped')),"
	" reply_id INTEGER REFERENCES replies(id), at REAL NOT NULL);"
	"CREATE INDEX adherence_runner_day ON adherence(runner, day);"
	"CREATE TABLE pauses(id INTEGER PRIMARY KEY, runner TEXT NOT NULL,"
	" from_day TEXT NOT NULL, until_day TEXT);"
	"CREATE TABLE outbox(id INTEGER PRIMARY KEY, runner TEXT NOT NULL,"
	" day TEXT NOT NULL, slot TEXT NOT NULL, kind TEXT NOT NULL, due REAL NOT NULL,"
	" state INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
	" next_try REAL NOT NULL, sent_at REAL, text TEXT, html TEXT, error TEXT,"
	" UNIQUE(runner, day, slot));"
	"CREATE INDEX outbox_queue ON outbox(state, next_try);"
	"CREATE TABLE cursors(channel TEXT PRIMARY KEY, cursor TEXT NOT NULL,"
	" updated_at REAL);"
	"CREATE TABLE runner_state(runner TEXT PRIMARY KEY,"
	" unreachable INTEGER NOT NULL DEFAULT 0, reason TEXT, updated_at REAL);"
	"INSERT INTO pain(runner, day, kind, score10, red_flag, at)"
	" VALUES('anna', '2026-03-02', 'morning', NULL, 1, 10);"
	"PRAGMA user_version=1;";

static void test_migrate_from_v1(void **state)
{
	char err[256], path[128];
	sqlite3 *db;
	struct store *st;
	struct coach_day_log *days;
	struct coach_pause *pauses;
	size_t n, np;
	(void)state;

	snprintf(dir, sizeof dir, "/tmp/rehabd-store-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/%s", dir, STORE_FILE);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, v1_schema, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	st = store_open(dir, err, sizeof err);
	assert_non_null(st);
	/* The flag of version 1 is kept, and can be cleared now. */
	assert_int_equal(store_clearance_insert(st, "anna", D("2026-03-04"), 0, 20), 0);
	assert_int_equal(store_history_load(st, "anna", &days, &n, &pauses, &np), 0);
	assert_int_equal(n, 2);
	assert_true(days[0].red_flag);
	assert_true(days[1].cleared);
	free(days);
	free(pauses);
	store_close(st);

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), STORE_SCHEMA_VERSION);
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static int teardown_dir(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

/* Columns: due, watched since (process start, reload, clock step), now,
 * grace (s), decision. */
static void test_grace(void **state)
{
	static const struct {
		double due, started, now, grace;
		enum slot_catch_up want;
	} rows[] = {
		{ 1000, 900, 1000, 7200, SLOT_SEND },        /* due while running */
		{ 1000, 900, 99999, 7200, SLOT_SEND },       /* late timer, still running */
		{ 1000, 2000, 2000, 7200, SLOT_SEND_LATE },  /* down, 1000 s late */
		{ 1000, 8200, 8200, 7200, SLOT_SEND_LATE },  /* exactly the grace */
		{ 1000, 8201, 8201, 7200, SLOT_SKIP },       /* one second over */
		{ 1000, 1001, 90000, 7200, SLOT_SKIP },      /* a day late */
		{ 1000, 1001, 1001, 0, SLOT_SKIP },          /* grace 0: never late */
	};
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		assert_int_equal(slot_catch_up(rows[i].due, rows[i].started,
					       rows[i].now, rows[i].grace),
				 rows[i].want);
}

static int teardown_maybe_closed(void **state)
{
	char cmd[128];
	if (*state)
		store_close(*state);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

/* A row's key is the same after a reopen (a retry after a restart is
 * the same message) and differs in a database started afresh (a server
 * that remembers old keys must not drop new messages as repeats). */
static void test_row_key_stable_and_unique(void **state)
{
	struct store *st = *state;
	char k1[64], k2[64], k3[64], err[256], other[64], cmd[128];

	outbox_row_key(st, 42, k1, sizeof k1);
	assert_int_equal(strlen(k1), strlen("rehabd-") + 16 + strlen("-42"));
	assert_int_equal(strncmp(k1, "rehabd-", 7), 0);
	store_close(st);
	st = store_open(dir, err, sizeof err);
	assert_non_null(st);
	*state = st;
	outbox_row_key(st, 42, k2, sizeof k2);
	assert_string_equal(k1, k2);

	snprintf(other, sizeof other, "/tmp/rehabd-store-XXXXXX");
	assert_non_null(mkdtemp(other));
	struct store *fresh = store_open(other, err, sizeof err);
	assert_non_null(fresh);
	outbox_row_key(fresh, 42, k3, sizeof k3);
	assert_string_not_equal(k1, k3);
	store_close(fresh);
	snprintf(cmd, sizeof cmd, "rm -rf %s", other);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_outbox_unique, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outbox_states, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replies_and_history, setup, teardown),
		cmocka_unit_test_setup_teardown(test_history_day_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sent_reminders_and_slots, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cursor_and_runner_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_channel_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outbox_remote_id, setup, teardown),
		cmocka_unit_test_teardown(test_migrate_from_v1, teardown_dir),
		cmocka_unit_test_setup_teardown(test_reopen_keeps_data_and_version, setup,
						teardown_maybe_closed),
		cmocka_unit_test(test_grace),
		cmocka_unit_test_setup_teardown(test_row_key_stable_and_unique, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
