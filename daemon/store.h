/*
 * The state database: SQLite in the state directory (WAL,
 * synchronous=FULL), with a schema version and forward migrations.
 *
 * What it keeps: replies (every inbound message once, keyed by channel and
 * the channel's message id), the pain log, adherence and clearances
 * (/cleared) derived from them, pauses, the outbox (one row per runner +
 * local date + slot, so a slot is never sent twice), channel cursors, and
 * per-runner state.  The config file says who the runners are; this says
 * what happened.
 *
 * Functions return 0 on success and -1 on a database error, which they
 * log once with its SQLite message.
 */
#ifndef REHABD_STORE_H
#define REHABD_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "coach/plan.h"

#define STORE_FILE "rehabd.db"
#define STORE_SCHEMA_VERSION 4

struct store;

enum outbox_state {
	OUTBOX_QUEUED = 0, /* waiting for next_try */
	OUTBOX_SENDING,    /* handed to the channel */
	OUTBOX_SENT,
	OUTBOX_SKIPPED,    /* missed while down for longer than the grace */
	OUTBOX_PAUSED,     /* the runner paused on that day */
	OUTBOX_FAILED,     /* permanent failure or runner unreachable */
	OUTBOX_EXPIRED,    /* retried until send_expiry without success */
};

struct outbox_row {
	int64_t id;
	char *runner;
	int32_t day;      /* local date (day number) of the slot */
	char *slot;       /* "morning", "stretch2", "reply:17", ... */
	char *kind;       /* "morning", "stretch", "strength", "evening",
	                     "reply", "checkin" (an answer that asks for a
	                     0-10 score and carries its buttons) */
	double due;       /* instant the slot was due */
	enum outbox_state state;
	int attempts;
	double next_try;
	double sent_at;
	char *text;       /* plain text, may be NULL for skipped rows */
	char *html;
	char *error;
	double queued_at; /* when the row was made (its due time for rows
	                     older than schema 3) */
};

/* Opens (creating) <dir>/rehabd.db, creating dir (0700) when missing, and
 * migrates it.  Returns NULL with a message in err. */
struct store *store_open(const char *dir, char *err, size_t errlen);
void store_close(struct store *st);

/* This database's random id (hex, owned by the store): outbox row keys
 * built from it are never reused by a database started afresh. */
const char *store_instance(const struct store *st);

/* Rows changed since the store was opened (a transaction that changed
 * none proves nothing about the disk). */
long long store_total_changes(const struct store *st);

/* The path of the database file (owned by the store). */
const char *store_path(const struct store *st);

int store_begin(struct store *st);
int store_commit(struct store *st);
void store_rollback(struct store *st);

/* Frees the strings of a row filled by the store (not the row). */
void outbox_row_clear(struct outbox_row *row);

const char *outbox_state_name(enum outbox_state s);

/* Inserts row unless (runner, day, slot) exists.  *inserted is 1 when
 * a row was added (row->id is then set), 0 when it already existed. */
int store_outbox_insert(struct store *st, struct outbox_row *row,
			int *inserted);

/* The latest local day with a slot row of runner (answers do not count)
 * in *day, or 0 when there is none. */
int store_outbox_last_day(struct store *st, const char *runner, int32_t *day);

/* Whether (runner, day, slot) has a row. */
int store_outbox_exists(struct store *st, const char *runner, int32_t day,
			const char *slot, int *exists);

/* Loads one row by id into *row (caller clears it).  Returns 1 found,
 * 0 not found, -1 error. */
int store_outbox_get(struct store *st, int64_t id, struct outbox_row *row);

/* Calls fn for every queued row with next_try <= now, oldest first, at
 * most `limit`.  fn must not modify the outbox (collect ids instead). */
int store_outbox_each_due(struct store *st, double now, size_t limit,
			  void (*fn)(void *arg, const struct outbox_row *row),
			  void *arg);

/* Earliest next_try of queued rows, or 0 when none. */
int store_outbox_next_try(struct store *st, double *out);

/* Sets state, attempts, next_try, sent_at and error of row id. */
int store_outbox_update(struct store *st, int64_t id, enum outbox_state state,
			int attempts, double next_try, double sent_at,
			const char *error);

/* Calls fn for every queued row of runner on local day `day` (waiting
 * for its first try or a retry), oldest first.  fn must not modify the
 * outbox (collect ids instead). */
int store_outbox_each_queued(struct store *st, const char *runner, int32_t day,
			     void (*fn)(void *arg, const struct outbox_row *row),
			     void *arg);

/* Replaces the text of row id while it is still queued (not handed to a
 * channel yet); a row in any other state is left alone. */
int store_outbox_set_text(struct store *st, int64_t id, const char *text,
			  const char *html);

/* After a restart: rows left in SENDING go back to QUEUED (the channel
 * may or may not have delivered them: at least once).  Returns count. */
int store_outbox_requeue_sending(struct store *st, int *count);

/* Queued rows due before `before` become EXPIRED; fn is called for each
 * (for the log) before the change. */
int store_outbox_expire(struct store *st, double before,
			void (*fn)(void *arg, const struct outbox_row *row),
			void *arg);

/* The most recent row of runner whose slot is one of `slots` (NULL
 * terminated) and whose state is SENT, due at or before `now`.  Returns 1
 * found, 0 none, -1 error. */
int store_outbox_latest(struct store *st, const char *runner,
			const char *const *slots, double now,
			struct outbox_row *row);

/* Counts rows of runner with slot prefix (e.g. "stretch1+snooze"). */
int store_outbox_count_prefix(struct store *st, const char *runner,
			      int32_t day, const char *prefix, int *count);

/* Counts rows of runner from local day from_day on that never reached
 * them (failed or expired), for /status. */
int store_outbox_undelivered(struct store *st, const char *runner,
			     int32_t from_day, int *count);

/* Counts the reminders (stretch and strength, not check-ins or answers)
 * that were sent to runner for local days from_day..to_day; a snoozed
 * copy is not counted again.  For /status: "done out of sent". */
int store_outbox_sent_reminders(struct store *st, const char *runner,
				int32_t from_day, int32_t to_day, int *count);

/* The state (enum outbox_state) of the row (runner, day, slot) in
 * *state, or -1 when there is none. */
int store_outbox_slot_state(struct store *st, const char *runner, int32_t day,
			    const char *slot, int *state);

/* Records an inbound message.  *reply_id gets its id; *duplicate is 1
 * when (channel, msg_id) was stored before (nothing inserted). */
int store_reply_insert(struct store *st, const char *channel,
		       const char *msg_id, const char *runner, double at,
		       const char *raw, const char *kind, int64_t *reply_id,
		       int *duplicate);

/* morning: 1 morning check-in, 0 after the session.  score10 may be
 * COACH_NO_SCORE for a red-flag report without a score. */
int store_pain_insert(struct store *st, const char *runner, int32_t day,
		      int morning, int score10, int red_flag,
		      int64_t reply_id, double at);

int store_adherence_insert(struct store *st, const char *runner, int32_t day,
			   const char *slot, int done, int64_t reply_id,
			   double at);

/* /cleared: a doctor or physio checked the red flag, said on `day`. */
int store_clearance_insert(struct store *st, const char *runner, int32_t day,
			   int64_t reply_id, double at);

/* *has = 1 when runner gave a score of that kind (morning: 1 morning
 * check-in, 0 after the session) for day. */
int store_pain_has_score(struct store *st, const char *runner, int32_t day,
			 int morning, int *has);

/* Pauses [from, until); until = COACH_DAY_OPEN for "until /resume". */
int store_pause_insert(struct store *st, const char *runner, int32_t from,
		       int32_t until);
/* Ends every pause of runner that covers `day` or starts after it:
 * they end at `day`.  *ended counts them. */
int store_pause_end(struct store *st, const char *runner, int32_t day,
		    int *ended);

/* Loads runner's history for the coach: one coach_day_log per day that
 * has a pain or adherence entry or a clearance that counts (ascending),
 * and its pauses.
 * A day's morning10 / session10 are the highest score of that kind;
 * red_flag is any red-flag report for that day; cleared is a clearance
 * on that day given after every red-flag report (by arrival time) for
 * that day and the days before it; strength_skipped is any "skipped"
 * on that day's strength reminder.  The arrays are malloc'd; the caller
 * frees both (they may be NULL when empty). */
int store_history_load(struct store *st, const char *runner,
		       struct coach_day_log **days, size_t *n_days,
		       struct coach_pause **pauses, size_t *n_pauses);

/* The cursor of a channel (malloc'd, caller frees) or NULL in *out. */
int store_cursor_get(struct store *st, const char *channel, char **out);
int store_cursor_set(struct store *st, const char *channel,
		     const char *cursor, double at);

/* Unreachable runners (blocked the bot). */
int store_runner_set_unreachable(struct store *st, const char *runner,
				 int unreachable, const char *reason,
				 double at);
int store_runner_unreachable(struct store *st, const char *runner,
			     int *unreachable);
/* Erases everything stored of runner (scores, replies, adherence,
 * clearances, pauses, messages, state) inside the caller's transaction;
 * *rows counts the rows removed. */
int store_runner_forget(struct store *st, const char *runner, long *rows);

/* How many runners (of any config) are marked unreachable. */
int store_runners_unreachable_count(struct store *st, long *n);

/* Integrity check ("ok" or the first problem) into buf. */
int store_quick_check(struct store *st, char *buf, size_t len);

/* ---- store_channel.c: what channels keep ---------------------------- */

/* The value of (channel, key) in *out (malloc'd, caller frees), or NULL
 * when unset. */
int store_state_get(struct store *st, const char *channel, const char *key,
		    char **out);
/* Sets (channel, key) to value; value NULL deletes it. */
int store_state_set(struct store *st, const char *channel, const char *key,
		    const char *value, double at);

/* Records the server's id of the message of outbox row id. */
int store_outbox_set_remote_id(struct store *st, int64_t id,
			       const char *remote_id);
/* The id of runner's outbox row whose server id is remote_id in *id, or
 * 0 when there is none. */
int store_outbox_by_remote_id(struct store *st, const char *runner,
			      const char *remote_id, int64_t *id);

/* For store_channel.c: the open database, and the one way to report
 * its errors (paced, with the path). */
struct sqlite3;
struct sqlite3 *store_db(struct store *st);
int store_db_fail(struct store *st, const char *what);

#endif
