/*
 * SQLite state store.
 */
#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "coach/coach_date.h"
#include "log.h"

/* Prepared statements, prepared on first use and kept. */
enum stmt_id {
	S_OUTBOX_INSERT,
	S_OUTBOX_LAST_DAY,
	S_OUTBOX_GET,
	S_OUTBOX_DUE,
	S_OUTBOX_NEXT,
	S_OUTBOX_UPDATE,
	S_OUTBOX_REQUEUE,
	S_OUTBOX_EXPIRING,
	S_OUTBOX_EXPIRE,
	S_OUTBOX_COUNT_PREFIX,
	S_OUTBOX_UNDELIVERED,
	S_REPLY_FIND,
	S_REPLY_INSERT,
	S_PAIN_INSERT,
	S_ADHERENCE_INSERT,
	S_PAUSE_INSERT,
	S_PAUSE_END,
	S_PAUSE_DROP,
	S_HISTORY_PAIN,
	S_HISTORY_ADH,
	S_HISTORY_PAUSE,
	S_CURSOR_GET,
	S_CURSOR_SET,
	S_RUNNER_SET,
	S_RUNNER_GET,
	S_CLEARANCE_INSERT,
	S_HISTORY_CLEARED,
	S_OUTBOX_SENT_REMINDERS,
	S_OUTBOX_SLOT_STATE,
	S_PAIN_HAS_SCORE,
	S_OUTBOX_QUEUED_DAY,
	S_OUTBOX_SET_TEXT,
	S_RUNNER_UNREACHABLE_COUNT,
	S_COUNT
};

struct store {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *stmts[S_COUNT];
	char instance[40];   /* this database's random id (meta table) */
	/* Error lines are paced: a full disk fails every statement, and one
	 * line per failure would flood the journal. */
	char last_error[256];
	double last_error_at; /* CLOCK_MONOTONIC seconds */
	long suppressed;
};

#define STORE_LOG_EVERY 600.0 /* seconds between two equal error lines */

#define ROW_COLUMNS \
	"id, runner, day, slot, kind, due, state, attempts, next_try, " \
	"sent_at, text, html, error, coalesce(queued_at, due)"

static const char *const stmt_sql[S_COUNT] = {
	[S_OUTBOX_INSERT] =
		"INSERT OR IGNORE INTO outbox(runner, day, slot, kind, due, state,"
		" attempts, next_try, text, html, error, queued_at)"
		" VALUES(?,?,?,?,?,?,0,?,?,?,?,?7)",
	[S_OUTBOX_LAST_DAY] = "SELECT max(day) FROM outbox WHERE runner=?"
			      " AND kind NOT IN ('reply', 'checkin')",
	[S_OUTBOX_GET] = "SELECT " ROW_COLUMNS " FROM outbox WHERE id=?",
	[S_OUTBOX_DUE] = "SELECT " ROW_COLUMNS " FROM outbox"
			 " WHERE state=0 AND next_try<=? ORDER BY next_try, id LIMIT ?",
	[S_OUTBOX_NEXT] = "SELECT min(next_try) FROM outbox WHERE state=0",
	[S_OUTBOX_UPDATE] = "UPDATE outbox SET state=?, attempts=?, next_try=?,"
			    " sent_at=?, error=? WHERE id=?",
	[S_OUTBOX_REQUEUE] = "UPDATE outbox SET state=0 WHERE state=1",
	[S_OUTBOX_EXPIRING] = "SELECT " ROW_COLUMNS " FROM outbox"
			      " WHERE state=0 AND due<? ORDER BY id",
	[S_OUTBOX_EXPIRE] = "UPDATE outbox SET state=6, error='expired'"
			    " WHERE state=0 AND due<?",
	[S_OUTBOX_COUNT_PREFIX] =
		"SELECT count(*) FROM outbox WHERE runner=? AND day=?"
		" AND substr(slot, 1, ?)=?",
	[S_OUTBOX_UNDELIVERED] =
		"SELECT count(*) FROM outbox WHERE runner=? AND day>=?"
		" AND state IN (5, 6)", /* OUTBOX_FAILED, OUTBOX_EXPIRED */
	[S_REPLY_FIND] = "SELECT id FROM replies WHERE channel=? AND msg_id=?",
	[S_REPLY_INSERT] = "INSERT INTO replies(channel, msg_id, runner,"
			   " received_at, raw, kind) VALUES(?,?,?,?,?,?)",
	[S_PAIN_INSERT] = "INSERT INTO pain(runner, day, kind, score10,"
			  " red_flag, reply_id, at) VALUES(?,?,?,?,?,?,?)",
	[S_ADHERENCE_INSERT] = "INSERT INTO adherence(runner, day, slot,"
			       " status, reply_id, at) VALUES(?,?,?,?,?,?)",
	[S_PAUSE_INSERT] = "INSERT INTO pauses(runner, from_day, until_day)"
			   " VALUES(?,?,?)",
	[S_PAUSE_END] = "UPDATE pauses SET until_day=? WHERE runner=?"
			" AND (until_day IS NULL OR until_day>?) AND from_day<?",
	[S_PAUSE_DROP] = "DELETE FROM pauses WHERE runner=? AND from_day>=?",
	[S_HISTORY_PAIN] = "SELECT day, kind, score10, red_flag FROM pain"
			   " WHERE runner=? ORDER BY day, id",
	[S_HISTORY_ADH] = "SELECT day, slot, status FROM adherence"
			  " WHERE runner=? ORDER BY day, id",
	[S_HISTORY_PAUSE] = "SELECT from_day, until_day FROM pauses"
			    " WHERE runner=? ORDER BY from_day",
	[S_CURSOR_GET] = "SELECT cursor FROM cursors WHERE channel=?",
	[S_CURSOR_SET] = "INSERT INTO cursors(channel, cursor, updated_at)"
			 " VALUES(?,?,?) ON CONFLICT(channel) DO UPDATE SET"
			 " cursor=excluded.cursor, updated_at=excluded.updated_at",
	[S_RUNNER_SET] = "INSERT INTO runner_state(runner, unreachable, reason,"
			 " updated_at) VALUES(?,?,?,?) ON CONFLICT(runner) DO"
			 " UPDATE SET unreachable=excluded.unreachable,"
			 " reason=excluded.reason, updated_at=excluded.updated_at",
	[S_RUNNER_GET] = "SELECT unreachable FROM runner_state WHERE runner=?",
	[S_RUNNER_UNREACHABLE_COUNT] = "SELECT count(*) FROM runner_state WHERE unreachable != 0",
	[S_CLEARANCE_INSERT] = "INSERT INTO clearances(runner, day, reply_id, at)"
			       " VALUES(?,?,?,?)",
	/* The days with a clearance given after every red-flag report of
	 * that day and the days before it (by the time they arrived): a late
	 * report about an earlier day, sent after the /cleared, keeps the
	 * flag standing. */
	[S_HISTORY_CLEARED] =
		"SELECT DISTINCT c.day FROM clearances c WHERE c.runner=?1"
		" AND c.at > coalesce((SELECT max(p.at) FROM pain p"
		" WHERE p.runner=?1 AND p.red_flag=1 AND p.day<=c.day), -1)"
		" ORDER BY c.day",
	/* Reminders (not check-ins, not answers) that went out, base slots
	 * only: a snooze copy ("stretch1+snooze1") is the same reminder. */
	[S_OUTBOX_SENT_REMINDERS] =
		"SELECT count(*) FROM outbox WHERE runner=? AND day>=? AND day<=?"
		" AND kind IN ('stretch','strength') AND instr(slot, '+')=0"
		" AND state=2", /* OUTBOX_SENT */
	[S_OUTBOX_SLOT_STATE] =
		"SELECT state FROM outbox WHERE runner=? AND day=? AND slot=?",
	[S_OUTBOX_QUEUED_DAY] = "SELECT " ROW_COLUMNS " FROM outbox"
				" WHERE runner=? AND day=? AND state=0 ORDER BY id",
	[S_OUTBOX_SET_TEXT] = "UPDATE outbox SET text=?, html=? WHERE id=? AND state=0",
	[S_PAIN_HAS_SCORE] =
		"SELECT count(*) FROM pain WHERE runner=? AND day=? AND kind=?"
		" AND score10 IS NOT NULL",
};

/* Schema migrations: migrations[i] takes the schema from version i to
 * i + 1.  Append only; never edit a shipped step. */
static const char *const migrations[] = {
	"CREATE TABLE replies("
	"  id INTEGER PRIMARY KEY,"
	"  channel TEXT NOT NULL,"
	"  msg_id TEXT NOT NULL,"
	"  runner TEXT,"
	"  received_at REAL NOT NULL,"
	"  raw TEXT,"
	"  kind TEXT,"
	"  UNIQUE(channel, msg_id));"
	"CREATE TABLE pain("
	"  id INTEGER PRIMARY KEY,"
	"  runner TEXT NOT NULL,"
	"  day TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK(kind IN ('morning','session')),"
	"  score10 INTEGER CHECK(score10 IS NULL OR score10 BETWEEN 0 AND 100),"
	"  red_flag INTEGER NOT NULL DEFAULT 0,"
	"  reply_id INTEGER REFERENCES replies(id),"
	"  at REAL NOT NULL);"
	"CREATE INDEX pain_runner_day ON pain(runner, day);"
	"CREATE TABLE adherence("
	"  id INTEGER PRIMARY KEY,"
	"  runner TEXT NOT NULL,"
	"  day TEXT NOT NULL,"
	"  slot TEXT,"
	"  status TEXT NOT NULL CHECK(status IN ('done','skipped')),"
	"  reply_id INTEGER REFERENCES replies(id),"
	"  at REAL NOT NULL);"
	"CREATE INDEX adherence_runner_day ON adherence(runner, day);"
	"CREATE TABLE pauses("
	"  id INTEGER PRIMARY KEY,"
	"  runner TEXT NOT NULL,"
	"  from_day TEXT NOT NULL,"
	"  until_day TEXT);"
	"CREATE TABLE outbox("
	"  id INTEGER PRIMARY KEY,"
	"  runner TEXT NOT NULL,"
	"  day TEXT NOT NULL,"
	"  slot TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  due REAL NOT NULL,"
	"  state INTEGER NOT NULL,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_try REAL NOT NULL,"
	"  sent_at REAL,"
	"  text TEXT,"
	"  html TEXT,"
	"  error TEXT,"
	"  UNIQUE(runner, day, slot));"
	"CREATE INDEX outbox_queue ON outbox(state, next_try);"
	"CREATE TABLE cursors("
	"  channel TEXT PRIMARY KEY,"
	"  cursor TEXT NOT NULL,"
	"  updated_at REAL);"
	"CREATE TABLE runner_state("
	"  runner TEXT PRIMARY KEY,"
	"  unreachable INTEGER NOT NULL DEFAULT 0,"
	"  reason TEXT,"
	"  updated_at REAL);",
	/* 2: /cleared, a doctor or physio checked the red flag. */
	"CREATE TABLE clearances("
	"  id INTEGER PRIMARY KEY,"
	"  runner TEXT NOT NULL,"
	"  day TEXT NOT NULL,"
	"  reply_id INTEGER REFERENCES replies(id),"
	"  at REAL NOT NULL);"
	"CREATE INDEX clearances_runner_day ON clearances(runner, day);"
	"CREATE INDEX pain_runner_flag ON pain(runner, red_flag, day);",
	/* 3: a random id of this database, for message keys that are never
	 * reused (Matrix txnIds outlive a database that is started
	 * afresh), and when each outbox row was queued, so that a row
	 * created late (after a restart or a clock step) is not given up
	 * as soon as it is made. */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"INSERT INTO meta VALUES('instance', lower(hex(randomblob(8))));"
	"ALTER TABLE outbox ADD COLUMN queued_at REAL;",
	/* 4: what a channel plugin keeps (a token from a one-time login, a
	 * filter id, a room map), and the server's id of each sent message,
	 * so that a reaction or a reply naming it finds its row. */
	"CREATE TABLE channel_state("
	"  channel TEXT NOT NULL,"
	"  key TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  updated_at REAL,"
	"  PRIMARY KEY(channel, key));"
	"ALTER TABLE outbox ADD COLUMN remote_id TEXT;"
	"CREATE INDEX outbox_remote ON outbox(runner, remote_id)"
	"  WHERE remote_id IS NOT NULL;",
};

_Static_assert(sizeof migrations / sizeof migrations[0] == STORE_SCHEMA_VERSION,
	       "one migration per schema version");

static const char *const state_names[] = {
	"queued", "sending", "sent", "skipped", "paused", "failed", "expired",
};

const char *outbox_state_name(enum outbox_state s)
{
	return (unsigned)s < sizeof state_names / sizeof state_names[0]
		       ? state_names[s] : "?";
}

static double mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Logs an error line unless the same line was logged less than
 * STORE_LOG_EVERY ago; the next one says how many were left out. */
static void paced_error(struct store *st, const char *line)
{
	double now = mono_now();
	if (!strcmp(line, st->last_error) &&
	    now - st->last_error_at < STORE_LOG_EVERY) {
		st->suppressed++;
		return;
	}
	if (st->suppressed)
		log_error("%s (and %ld more store errors like the last one)", line,
			  st->suppressed);
	else
		log_error("%s", line);
	snprintf(st->last_error, sizeof st->last_error, "%s", line);
	st->last_error_at = now;
	st->suppressed = 0;
}

static int db_fail(struct store *st, const char *what)
{
	char line[512];
	snprintf(line, sizeof line,
		 "store: %s failed: %s — check that %s is writable and the disk is not full",
		 what, sqlite3_errmsg(st->db), st->path);
	paced_error(st, line);
	return -1;
}

/* Returns the reset statement id, or NULL after logging the error. */
static sqlite3_stmt *stmt(struct store *st, enum stmt_id id)
{
	if (!st->stmts[id]) {
		if (sqlite3_prepare_v3(st->db, stmt_sql[id], -1,
				       SQLITE_PREPARE_PERSISTENT,
				       &st->stmts[id], NULL) != SQLITE_OK) {
			db_fail(st, "preparing a statement");
			return NULL;
		}
	} else {
		sqlite3_reset(st->stmts[id]);
		sqlite3_clear_bindings(st->stmts[id]);
	}
	return st->stmts[id];
}

static int bind_day(sqlite3_stmt *s, int i, int32_t day)
{
	char buf[11];
	coach_day_format(day, buf);
	return sqlite3_bind_text(s, i, buf, -1, SQLITE_TRANSIENT);
}

static int32_t column_day(sqlite3_stmt *s, int i)
{
	int32_t day = 0;
	const char *t = (const char *)sqlite3_column_text(s, i);
	if (!t || !coach_day_parse(t, &day))
		return 0;
	return day;
}

static char *column_strdup(sqlite3_stmt *s, int i)
{
	const char *t = (const char *)sqlite3_column_text(s, i);
	return t ? strdup(t) : NULL;
}

/* Runs a statement to completion; returns 0 or -1. */
static int step_done(struct store *st, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_fail(st, what);
	sqlite3_reset(s);
	return 0;
}

/* Steps a "SELECT count(*)" statement into *count. */
static int step_count(struct store *st, sqlite3_stmt *s, const char *what,
		      int *count)
{
	if (sqlite3_step(s) != SQLITE_ROW)
		return db_fail(st, what);
	*count = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return 0;
}

static int exec(struct store *st, const char *sql, const char *what)
{
	char *msg = NULL;
	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		char line[512];
		snprintf(line, sizeof line,
			 "store: %s failed: %s — check that %s is writable and the disk is not full",
			 what, msg ? msg : "?", st->path);
		paced_error(st, line);
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int user_version(struct store *st, int *out)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, "reading the schema version");
	int rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
	sqlite3_finalize(s);
	return *out < 0 ? -1 : 0;
}

/* Brings the schema up to STORE_SCHEMA_VERSION, one transaction per
 * step, so a crash mid-migration leaves a consistent older version. */
static int migrate(struct store *st, char *err, size_t errlen)
{
	int v;
	if (user_version(st, &v) != 0) {
		snprintf(err, errlen, "%s: cannot read the schema version: %s",
			 st->path, sqlite3_errmsg(st->db));
		return -1;
	}
	if (v > STORE_SCHEMA_VERSION) {
		snprintf(err, errlen,
			 "%s: schema version %d is newer than this rehabd (%d) — run the newer rehabd or restore a backup",
			 st->path, v, STORE_SCHEMA_VERSION);
		return -1;
	}
	for (; v < STORE_SCHEMA_VERSION; v++) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA user_version=%d", v + 1);
		if (exec(st, "BEGIN IMMEDIATE", "begin migration") != 0 ||
		    exec(st, migrations[v], "migration") != 0 ||
		    exec(st, sql, "schema version") != 0 ||
		    exec(st, "COMMIT", "commit migration") != 0) {
			exec(st, "ROLLBACK", "rollback");
			snprintf(err, errlen,
				 "%s: migrating the schema to version %d failed: %s — check the file and disk space",
				 st->path, v + 1, sqlite3_errmsg(st->db));
			return -1;
		}
	}
	return 0;
}

static int load_instance(struct store *st, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int ok = 0;
	if (sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key='instance'",
			       -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0)) {
			snprintf(st->instance, sizeof st->instance, "%s",
				 (const char *)sqlite3_column_text(s, 0));
			ok = 1;
		}
		sqlite3_finalize(s);
	}
	if (!ok)
		snprintf(err, errlen, "%s: the database has no instance id (%s) — restore it from a backup or move it away to start afresh",
			 st->path, sqlite3_errmsg(st->db));
	return ok ? 0 : -1;
}

long long store_total_changes(const struct store *st)
{
	return (long long)sqlite3_total_changes64(st->db);
}

const char *store_instance(const struct store *st)
{
	return st->instance;
}

struct store *store_open(const char *dir, char *err, size_t errlen)
{
	struct store *st = calloc(1, sizeof *st);
	size_t n;

	if (!st) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create state directory %s: %s — create it or set daemon.state_dir",
			 dir, strerror(errno));
		goto fail;
	}
	n = strlen(dir) + sizeof STORE_FILE + 2;
	st->path = malloc(n);
	if (!st->path) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	snprintf(st->path, n, "%s/%s", dir, STORE_FILE);
	if (sqlite3_open_v2(st->path, &st->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				    SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s: %s — check the state directory's permissions",
			 st->path, st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(st->db, 5000);
	/* WAL for concurrent readers (rehabctl), FULL so a committed reply
	 * survives power loss, not only a crash. */
	if (exec(st, "PRAGMA journal_mode=WAL", "journal mode") != 0 ||
	    exec(st, "PRAGMA synchronous=FULL", "synchronous") != 0 ||
	    exec(st, "PRAGMA foreign_keys=ON", "foreign keys") != 0) {
		snprintf(err, errlen, "cannot configure %s: %s", st->path,
			 sqlite3_errmsg(st->db));
		goto fail;
	}
	if (migrate(st, err, errlen) != 0 || load_instance(st, err, errlen) != 0)
		goto fail;
	return st;
fail:
	store_close(st);
	return NULL;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	for (int i = 0; i < S_COUNT; i++)
		sqlite3_finalize(st->stmts[i]);
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

const char *store_path(const struct store *st)
{
	return st->path;
}

sqlite3 *store_db(struct store *st)
{
	return st->db;
}

int store_db_fail(struct store *st, const char *what)
{
	return db_fail(st, what);
}

int store_begin(struct store *st)
{
	return exec(st, "BEGIN IMMEDIATE", "begin");
}

int store_commit(struct store *st)
{
	return exec(st, "COMMIT", "commit");
}

void store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		exec(st, "ROLLBACK", "rollback");
}

void outbox_row_clear(struct outbox_row *row)
{
	free(row->runner);
	free(row->slot);
	free(row->kind);
	free(row->text);
	free(row->html);
	free(row->error);
	memset(row, 0, sizeof *row);
}

/* Fills row from a statement positioned on a ROW_COLUMNS row. */
static int row_read(sqlite3_stmt *s, struct outbox_row *row)
{
	memset(row, 0, sizeof *row);
	row->id = sqlite3_column_int64(s, 0);
	row->runner = column_strdup(s, 1);
	row->day = column_day(s, 2);
	row->slot = column_strdup(s, 3);
	row->kind = column_strdup(s, 4);
	row->due = sqlite3_column_double(s, 5);
	row->state = (enum outbox_state)sqlite3_column_int(s, 6);
	row->attempts = sqlite3_column_int(s, 7);
	row->next_try = sqlite3_column_double(s, 8);
	row->sent_at = sqlite3_column_double(s, 9);
	row->text = column_strdup(s, 10);
	row->html = column_strdup(s, 11);
	row->error = column_strdup(s, 12);
	row->queued_at = sqlite3_column_double(s, 13);
	if (!row->runner || !row->slot || !row->kind) {
		outbox_row_clear(row);
		return -1;
	}
	return 0;
}

int store_outbox_insert(struct store *st, struct outbox_row *row, int *inserted)
{
	sqlite3_stmt *s = stmt(st, S_OUTBOX_INSERT);
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, row->runner, -1, SQLITE_STATIC);
	bind_day(s, 2, row->day);
	sqlite3_bind_text(s, 3, row->slot, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, row->kind, -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 5, row->due);
	sqlite3_bind_int(s, 6, (int)row->state);
	sqlite3_bind_double(s, 7, row->next_try);
	sqlite3_bind_text(s, 8, row->text, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 9, row->html, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 10, row->error, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		return db_fail(st, "adding to the outbox");
	*inserted = sqlite3_changes(st->db) > 0;
	if (*inserted)
		row->id = sqlite3_last_insert_rowid(st->db);
	sqlite3_reset(s);
	return 0;
}

int store_outbox_last_day(struct store *st, const char *runner, int32_t *day)
{
	sqlite3_stmt *s = stmt(st, S_OUTBOX_LAST_DAY);
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, runner, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_ROW)
		return db_fail(st, "reading the outbox");
	*day = sqlite3_column_type(s, 0) == SQLITE_NULL ? 0 : column_day(s, 0);
	sqlite3_reset(s);
	return 0;
}

int store_outbox_exists(struct store *st, const char *runner, int32_t day,
			const char *slot, int *exists)
{
	int state;

	if (store_outbox_slot_state(st, runner, day, slot, &state) != 0)
		return -1;
	*exists = state != -1;
	return 0;
}

int store_outbox_get(struct store *st, int64_t id, struct outbox_row *row)
{
	sqlite3_stmt *s = stmt(st, S_OUTBOX_GET);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return 0;
	}
	if (rc != SQLITE_ROW)
		return db_fail(st, "reading the outbox");
	rc = row_read(s, row) == 0 ? 1 : -1;
	sqlite3_reset(s);
	return rc;
}

/* Calls fn for each row of a prepared ROW_COLUMNS query. */
static int each_row(struct store *st, sqlite3_stmt *s,
		    void (*fn)(void *, const struct outbox_row *), void *arg)
{
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct outbox_row row;
		if (row_read(s, &row) != 0)
			continue;
		fn(arg, &row);
		outbox_row_clear(&row);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : db_fail(st, "reading the outbox");
}

int store_outbox_each_due(struct store *st, double now, size_t limit,
			  void (*fn)(void *, const struct outbox_row *),
			  void *arg)
{
	sqlite3_stmt *s = stmt(st, S_OUTBOX_DUE);
	if (!s)
		return -1;
	sqlite3_bind_double(s, 1, now);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)limit);
	return each_row(st, s, fn, arg);
}

int store_outbox_next_try(struct store *st, double *out)
{
	sqlite3_stmt *s = stmt(st, S_OUTBOX_NEXT);
	if (!s)
		return -1;
	int rc = sqlite3_step(s);
	if (rc != SQLITE_ROW)
		return db_fail(st, "reading the outbox");
	*out = sqlite3_column_type(s, 0) == SQLITE_NULL ? 0 : sqlite3_column_double(s, 0);
	sqlite3_reset(s);
	return 0;
}

int store_outbox_update(struct store *st, int64_t id, enum outbox_state state,
			int attempts, double next_try, double sent_at,
			const char *error)
{
	sqlite3_stmt *s = stmt(st, S_OUTBOX_UPDATE);
	if (!s)
		return -1;
	sqlite3_bind_int(s, 1, (int)state);
	sqlite3_bind_int(s, 2, attempts);
	sqlite3_bind_double(s, 3, next_try);
	if (sent_at > 0)
		sqlite3_bind_double(s, 4, sent_at);
	sqlite3_bind_text(s, 5, error, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, id);
	return step_done(st, s, "updating the outbox");
}

int store_outbox_each_queued(struct store *st, const char *runner, int32_t day,
			     void (*fn)(void *, const struct outbox_row *),
			     void *arg)
{
	sqlite3_stmt *s = stmt(st, S_OUTBOX_QUEUED_DAY);
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, runner, -1, SQLITE_STATIC);
	bind_day(s, 2, day);
	return each_row(st, s, fn, arg);
}

int store_outbox_set_text(struct store *st, int64_t id, const char *text,
			  const char *html)
{
	sqlite3_stmt *s = stmt(st, S_OUTBOX_SET_TEXT);
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, text, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, html, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, id);
	return step_done(st, s, "updating the outbox");
}

int store_outbox_requeue_sending(struct store *st, int *count)
{
	sqlite3_stmt *s = stmt(st, S_OUTBOX_REQUEUE);
	if (!s || step_done(st, s, "requeueing the outbox") != 0)
		return -1;
	*count = sqlite3_changes(st->db);
	return 0;
}

int store_outbox_expire(struct store *st, double before,
			void (*fn)(void *, const struct outbox_row *), void *arg)
{
	sqlite3_stmt *s = stmt(st, S_OUTBOX_EXPIRING);
	if (!s)
		return -1;
	sqlite3_bind_double(s, 1, before);
	if (fn && each_row(st, s, fn, arg) != 0)
		return -1;
	s = stmt(st, S_OUTBOX_EXPIRE);
	if (!s)
		return -1;
	sqlite3_bind_double(s, 1, before);
	return step_done(st, s, "expiring the outbox");
}

int store_outbox_latest(struct store *st, const char *runner,
			const char *const *slots, double now,
			struct outbox_row *row)
{
	/* The slot list varies, so this one is prepared per call. */
	char sql[512];
	size_t n = 0;
	int len = snprintf(sql, sizeof sql, "SELECT " ROW_COLUMNS
			   " FROM outbox WHERE runner=? AND state=2 AND due<=? AND slot IN (");
	for (; slots[n]; n++)
		len += snprintf(sql + len, sizeof sql - (size_t)len, "%s?", n ? "," : "");
	snprintf(sql + len, sizeof sql - (size_t)len, ") ORDER BY due DESC, id DESC LIMIT 1");

	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, "reading the outbox");
	sqlite3_bind_text(s, 1, runner, -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 2, now);
	for (size_t i = 0; i < n; i++)
		sqlite3_bind_text(s, (int)i + 3, slots[i], -1, SQLITE_STATIC);
	int rc = sqlite3_step(s), ret;
	if (rc == SQLITE_ROW)
		ret = row_read(s, row) == 0 ? 1 : -1;
	else if (rc == SQLITE_DONE)
		ret = 0;
	else
		ret = db_fail(st, "reading the outbox");
	sqlite3_finalize(s);
	return ret;
}

int store_outbox_count_prefix(struct store *st, const char *runner, int32_t day,
			      const char *prefix, int *count)
{
	sqlite3_stmt *s = stmt(st, S_OUTBOX_COUNT_PREFIX);
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, runner, -1, SQLITE_STATIC);
	bind_day(s, 2, day);
	sqlite3_bind_int(s, 3, (int)strlen(prefix));
	sqlite3_bind_text(s, 4, prefix, -1, SQLITE_STATIC);
	return step_count(st, s, "reading the outbox", count);
}

int store_outbox_undelivered(struct store *st, const char *runner,
			     int32_t from_day, int *count)
{
	_Static_assert(OUTBOX_FAILED == 5 && OUTBOX_EXPIRED == 6,
		       "S_OUTBOX_UNDELIVERED names these states by number");
	sqlite3_stmt *s = stmt(st, S_OUTBOX_UNDELIVERED);
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, runner, -1, SQLITE_STATIC);
	bind_day(s, 2, from_day);
	return step_count(st, s, "reading the outbox", count);
}

int store_outbox_sent_reminders(struct store *st, const char *runner,
				int32_t from_day, int32_t to_day, int *count)
{
	_Static_assert(OUTBOX_SENT == 2,
		       "S_OUTBOX_SENT_REMINDERS names the state by number");
	sqlite3_stmt *s = stmt(st, S_OUTBOX_SENT_REMINDERS);
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, runner, -1, SQLITE_STATIC);
	bind_day(s, 2, from_day);
	bind_day(s, 3, to_day);
	return step_count(st, s, "reading the outbox", count);
}

int store_outbox_slot_state(struct store *st, const char *runner, int32_t day,
			    const char *slot, int *state)
{
	sqlite3_stmt *s = stmt(st, S_OUTBOX_SLOT_STATE);
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, runner, -1, SQLITE_STATIC);
	bind_day(s, 2, day);
	sqlite3_bind_text(s, 3, slot, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(st, "reading the outbox");
	*state = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
	sqlite3_reset(s);
	return 0;
}

int store_reply_insert(struct store *st, const char *channel, const char *msg_id,
		       const char *runner, double at, const char *raw,
		       const char *kind, int64_t *reply_id, int *duplicate)
{
	sqlite3_stmt *s = stmt(st, S_REPLY_FIND);
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, channel, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, msg_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*reply_id = sqlite3_column_int64(s, 0);
		*duplicate = 1;
		sqlite3_reset(s);
		return 0;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_fail(st, "reading replies");
	s = stmt(st, S_REPLY_INSERT);
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, channel, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, msg_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, runner, -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 4, at);
	sqlite3_bind_text(s, 5, raw, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, kind, -1, SQLITE_STATIC);
	if (step_done(st, s, "storing a reply") != 0)
		return -1;
	*reply_id = sqlite3_last_insert_rowid(st->db);
	*duplicate = 0;
	return 0;
}

int store_pain_insert(struct store *st, const char *runner, int32_t day,
		      int morning, int score10, int red_flag, int64_t reply_id,
		      double at)
{
	sqlite3_stmt *s = stmt(st, S_PAIN_INSERT);
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, runner, -1, SQLITE_STATIC);
	bind_day(s, 2, day);
	sqlite3_bind_text(s, 3, morning ? "morning" : "session", -1, SQLITE_STATIC);
	if (score10 != COACH_NO_SCORE)
		sqlite3_bind_int(s, 4, score10);
	sqlite3_bind_int(s, 5, red_flag ? 1 : 0);
	if (reply_id > 0)
		sqlite3_bind_int64(s, 6, reply_id);
	sqlite3_bind_double(s, 7, at);
	return step_done(st, s, "storing a pain score");
}

int store_adherence_insert(struct store *st, const char *runner, int32_t day,
			   const char *slot, int done, int64_t reply_id, double at)
{
	sqlite3_stmt *s = stmt(st, S_ADHERENCE_INSERT);
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, runner, -1, SQLITE_STATIC);
	bind_day(s, 2, day);
	sqlite3_bind_text(s, 3, slot, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, done ? "done" : "skipped", -1, SQLITE_STATIC);
	if (reply_id > 0)
		sqlite3_bind_int64(s, 5, reply_id);
	sqlite3_bind_double(s, 6, at);
	return step_done(st, s, "storing adherence");
}

int store_clearance_insert(struct store *st, const char *runner, int32_t day,
			   int64_t reply_id, double at)
{
	sqlite3_stmt *s = stmt(st, S_CLEARANCE_INSERT);
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, runner, -1, SQLITE_STATIC);
	bind_day(s, 2, day);
	if (reply_id > 0)
		sqlite3_bind_int64(s, 3, reply_id);
	sqlite3_bind_double(s, 4, at);
	return step_done(st, s, "storing a clearance");
}

int store_pain_has_score(struct store *st, const char *runner, int32_t day,
			 int morning, int *has)
{
	sqlite3_stmt *s = stmt(st, S_PAIN_HAS_SCORE);
	int n = 0;
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, runner, -1, SQLITE_STATIC);
	bind_day(s, 2, day);
	sqlite3_bind_text(s, 3, morning ? "morning" : "session", -1, SQLITE_STATIC);
	if (step_count(st, s, "reading pain scores", &n) != 0)
		return -1;
	*has = n > 0;
	return 0;
}

int store_pause_insert(struct store *st, const char *runner, int32_t from,
		       int32_t until)
{
	sqlite3_stmt *s = stmt(st, S_PAUSE_INSERT);
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, runner, -1, SQLITE_STATIC);
	bind_day(s, 2, from);
	if (until != COACH_DAY_OPEN)
		bind_day(s, 3, until);
	return step_done(st, s, "storing a pause");
}

int store_pause_end(struct store *st, const char *runner, int32_t day, int *ended)
{
	sqlite3_stmt *s = stmt(st, S_PAUSE_END);
	if (!s)
		return -1;
	bind_day(s, 1, day);
	sqlite3_bind_text(s, 2, runner, -1, SQLITE_STATIC);
	bind_day(s, 3, day);
	bind_day(s, 4, day);
	if (step_done(st, s, "ending a pause") != 0)
		return -1;
	*ended = sqlite3_changes(st->db);
	/* Pauses that would only start later are dropped altogether. */
	s = stmt(st, S_PAUSE_DROP);
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, runner, -1, SQLITE_STATIC);
	bind_day(s, 2, day);
	if (step_done(st, s, "ending a pause") != 0)
		return -1;
	*ended += sqlite3_changes(st->db);
	return 0;
}

/* Returns the log entry for day, appending one to the sorted array when
 * the day is new.  The queries return days in ascending order. */
static struct coach_day_log *day_entry(struct coach_day_log **days, size_t *n,
				       size_t *cap, int32_t day)
{
	for (size_t i = *n; i > 0; i--) {
		if ((*days)[i - 1].day == day)
			return &(*days)[i - 1];
		if ((*days)[i - 1].day < day)
			break;
	}
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 32;
		struct coach_day_log *p = realloc(*days, ncap * sizeof *p);
		if (!p)
			return NULL;
		*days = p;
		*cap = ncap;
	}
	/* Keep ascending order even when adherence adds an earlier day. */
	size_t at = *n;
	while (at > 0 && (*days)[at - 1].day > day)
		at--;
	memmove(*days + at + 1, *days + at, (*n - at) * sizeof **days);
	(*n)++;
	struct coach_day_log *e = &(*days)[at];
	memset(e, 0, sizeof *e);
	e->day = day;
	e->morning10 = COACH_NO_SCORE;
	e->session10 = COACH_NO_SCORE;
	return e;
}

int store_history_load(struct store *st, const char *runner,
		       struct coach_day_log **days_out, size_t *n_days,
		       struct coach_pause **pauses_out, size_t *n_pauses)
{
	struct coach_day_log *days = NULL;
	struct coach_pause *pauses = NULL;
	size_t n = 0, cap = 0, np = 0, pcap = 0;
	sqlite3_stmt *s;
	int rc;

	if (!(s = stmt(st, S_HISTORY_PAIN)))
		goto fail;
	sqlite3_bind_text(s, 1, runner, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct coach_day_log *e = day_entry(&days, &n, &cap, column_day(s, 0));
		if (!e)
			goto fail_reset;
		const char *kind = (const char *)sqlite3_column_text(s, 1);
		int morning = kind && !strcmp(kind, "morning");
		if (sqlite3_column_type(s, 2) != SQLITE_NULL) {
			/* The highest score of its kind that day, not the
			 * latest: a "correction" downwards is the less safe
			 * reading (design.md, "when in doubt"). */
			int v = sqlite3_column_int(s, 2);
			int *slot = morning ? &e->morning10 : &e->session10;
			if (*slot == COACH_NO_SCORE || v > *slot)
				*slot = v;
		}
		if (sqlite3_column_int(s, 3))
			e->red_flag = true;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		goto fail_db;

	if (!(s = stmt(st, S_HISTORY_ADH)))
		goto fail;
	sqlite3_bind_text(s, 1, runner, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct coach_day_log *e = day_entry(&days, &n, &cap, column_day(s, 0));
		if (!e)
			goto fail_reset;
		const char *slot = (const char *)sqlite3_column_text(s, 1);
		const char *status = (const char *)sqlite3_column_text(s, 2);
		if (status && !strcmp(status, "done")) {
			e->done++;
		} else {
			e->skipped++;
			/* Any "skipped" on the strength reminder: the day does
			 * not count, even if a "done" follows (the safer
			 * reading of a contradiction). */
			if (slot && !strcmp(slot, "strength"))
				e->strength_skipped = true;
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		goto fail_db;

	if (!(s = stmt(st, S_HISTORY_CLEARED)))
		goto fail;
	sqlite3_bind_text(s, 1, runner, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct coach_day_log *e = day_entry(&days, &n, &cap, column_day(s, 0));
		if (!e)
			goto fail_reset;
		e->cleared = true;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		goto fail_db;

	if (!(s = stmt(st, S_HISTORY_PAUSE)))
		goto fail;
	sqlite3_bind_text(s, 1, runner, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (np == pcap) {
			size_t ncap = pcap ? pcap * 2 : 4;
			struct coach_pause *p = realloc(pauses, ncap * sizeof *p);
			if (!p)
				goto fail_reset;
			pauses = p;
			pcap = ncap;
		}
		pauses[np].from = column_day(s, 0);
		pauses[np].until = sqlite3_column_type(s, 1) == SQLITE_NULL
					   ? COACH_DAY_OPEN : column_day(s, 1);
		np++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		goto fail_db;

	*days_out = days;
	*n_days = n;
	*pauses_out = pauses;
	*n_pauses = np;
	return 0;
fail_db:
	db_fail(st, "loading history");
	goto fail;
fail_reset:
	sqlite3_reset(s);
	log_error("store: out of memory loading the history of %s", runner);
fail:
	free(days);
	free(pauses);
	return -1;
}

int store_cursor_get(struct store *st, const char *channel, char **out)
{
	sqlite3_stmt *s = stmt(st, S_CURSOR_GET);
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, channel, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	*out = NULL;
	if (rc == SQLITE_ROW)
		*out = column_strdup(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(st, "reading a cursor");
	return 0;
}

int store_cursor_set(struct store *st, const char *channel, const char *cursor,
		     double at)
{
	sqlite3_stmt *s = stmt(st, S_CURSOR_SET);
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, channel, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, cursor, -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 3, at);
	return step_done(st, s, "storing a cursor");
}

int store_runner_set_unreachable(struct store *st, const char *runner,
				 int unreachable, const char *reason, double at)
{
	sqlite3_stmt *s = stmt(st, S_RUNNER_SET);
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, runner, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, unreachable ? 1 : 0);
	sqlite3_bind_text(s, 3, reason, -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 4, at);
	return step_done(st, s, "storing runner state");
}

int store_runner_unreachable(struct store *st, const char *runner, int *unreachable)
{
	sqlite3_stmt *s = stmt(st, S_RUNNER_GET);
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, runner, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	*unreachable = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(st, "reading runner state");
	return 0;
}

int store_runners_unreachable_count(struct store *st, long *n)
{
	sqlite3_stmt *s = stmt(st, S_RUNNER_UNREACHABLE_COUNT);
	if (!s)
		return -1;
	int rc = sqlite3_step(s);
	*n = rc == SQLITE_ROW ? (long)sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return db_fail(st, "counting unreachable runners");
	return 0;
}

int store_runner_forget(struct store *st, const char *runner, long *rows)
{
	/* Every table that holds something of the runner's, by name; the
	 * replies last, as pain, adherence and clearances point at them. */
	static const char *const tables[] = {
		"pain", "adherence", "clearances", "pauses", "outbox",
		"runner_state", "replies",
	};
	char sql[128];

	*rows = 0;
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		sqlite3_stmt *s;
		snprintf(sql, sizeof sql, "DELETE FROM %s WHERE runner = ?", tables[i]);
		if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
			return db_fail(st, "erasing a runner's data");
		sqlite3_bind_text(s, 1, runner, -1, SQLITE_STATIC);
		int rc = sqlite3_step(s);
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE)
			return db_fail(st, "erasing a runner's data");
		*rows += sqlite3_changes(st->db);
	}
	return 0;
}

int store_quick_check(struct store *st, char *buf, size_t len)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, "PRAGMA quick_check", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, "checking the database");
	int rc = sqlite3_step(s);
	const char *t = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : NULL;
	snprintf(buf, len, "%s", t ? t : sqlite3_errmsg(st->db));
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : -1;
}
