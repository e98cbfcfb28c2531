/*
 * The store's tables for channel plugins: a small key-value state per
 * channel (ABI 1.2 state_get/state_set) and the server ids of sent
 * messages (so a Matrix reaction naming an event id finds its outbox
 * row).  Kept apart from store.c: they are rarely used, so each call
 * prepares its statement.
 */
#include "store.h"

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

/* Prepares sql, or logs and returns NULL. */
static sqlite3_stmt *prepare(struct store *st, const char *sql, const char *what)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK) {
		store_db_fail(st, what);
		sqlite3_finalize(s);
		return NULL;
	}
	return s;
}

/* Steps s to its end and finalizes it.  Returns 0 or -1. */
static int finish(struct store *st, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);
	int ok = rc == SQLITE_DONE || rc == SQLITE_ROW;
	if (!ok)
		store_db_fail(st, what);
	sqlite3_finalize(s);
	return ok ? 0 : -1;
}

int store_state_get(struct store *st, const char *channel, const char *key,
		    char **out)
{
	sqlite3_stmt *s = prepare(st, "SELECT value FROM channel_state"
				  " WHERE channel=? AND key=?", "reading channel state");
	*out = NULL;
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, channel, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(s, 0);
		*out = strdup(v ? v : "");
		if (!*out)
			rc = SQLITE_NOMEM;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_db_fail(st, "reading channel state");
		sqlite3_finalize(s);
		return -1;
	}
	sqlite3_finalize(s);
	return 0;
}

int store_state_set(struct store *st, const char *channel, const char *key,
		    const char *value, double at)
{
	sqlite3_stmt *s;
	if (!value) {
		s = prepare(st, "DELETE FROM channel_state WHERE channel=? AND key=?",
			    "deleting channel state");
		if (!s)
			return -1;
	} else {
		s = prepare(st, "INSERT INTO channel_state(channel, key, value,"
			    " updated_at) VALUES(?,?,?,?) ON CONFLICT(channel, key)"
			    " DO UPDATE SET value=excluded.value,"
			    " updated_at=excluded.updated_at",
			    "storing channel state");
		if (!s)
			return -1;
		sqlite3_bind_text(s, 3, value, -1, SQLITE_STATIC);
		sqlite3_bind_double(s, 4, at);
	}
	sqlite3_bind_text(s, 1, channel, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
	return finish(st, s, "storing channel state");
}

int store_outbox_set_remote_id(struct store *st, int64_t id,
			       const char *remote_id)
{
	sqlite3_stmt *s = prepare(st, "UPDATE outbox SET remote_id=? WHERE id=?",
				  "storing a message's server id");
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, remote_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, id);
	return finish(st, s, "storing a message's server id");
}

int store_outbox_by_remote_id(struct store *st, const char *runner,
			      const char *remote_id, int64_t *id)
{
	/* The latest row wins should a server ever reuse an id. */
	sqlite3_stmt *s = prepare(st, "SELECT max(id) FROM outbox"
				  " WHERE runner=? AND remote_id=?",
				  "finding a message by its server id");
	*id = 0;
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, runner, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, remote_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	else if (rc != SQLITE_DONE) {
		store_db_fail(st, "finding a message by its server id");
		sqlite3_finalize(s);
		return -1;
	}
	sqlite3_finalize(s);
	return 0;
}
