/*
 * The state store: outbox uniqueness (a slot is never queued twice),
 * recovery of rows cut off mid-send, reply de-duplication, history for
 * the coach, pauses, cursors, migrations; and the missed-slot grace rule.
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

	/* A later score of the same kind corrects the earlier one. */
	assert_int_equal(store_pain_insert(st, "anna", D("2026-03-03"), 0, 60, 0, id1, 1), 0);
	assert_int_equal(store_pain_insert(st, "anna", D("2026-03-02"), 1, 20, 0, 0, 1), 0);
	assert_int_equal(store_pain_insert(st, "anna", D("2026-03-02"), 1, 30, 0, 0, 2), 0);
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
	assert_int_equal(days[1].skipped, 1);
	assert_int_equal(days[2].day, D("2026-03-03"));
	assert_int_equal(days[2].session10, 60);
	assert_int_equal(np, 1);
	assert_int_equal(pauses[0].from, D("2026-03-10"));
	assert_int_equal(pauses[0].until, D("2026-03-12"));
	free(days);
	free(pauses);
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
	assert_non_null(strstr(err, "schema version 99 is newer than this rehabd (1)"));
	*state = NULL;
}

/* Columns: due, process start, now, grace (s), decision. */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_outbox_unique, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outbox_states, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replies_and_history, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cursor_and_runner_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_keeps_data_and_version, setup,
						teardown_maybe_closed),
		cmocka_unit_test(test_grace),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
