/*
 * getUpdates long polling.  A batch is handed to the host with the offset
 * that confirms it; only when the host has stored both does the next
 * getUpdates (which confirms the batch to Telegram) go out.  A crash in
 * between means Telegram delivers the batch again and the host drops the
 * duplicates by update id.
 *
 * Poison updates.  One update that cannot be read (bytes jansson refuses,
 * or a body over the response cap) would make every batch fail at the
 * same offset, and no reply would ever be read again.  So a batch that
 * fails that way is fetched again one update at a time (limit 1, same
 * offset): the good updates go to the host as usual, and the one that
 * still fails alone is skipped by moving the offset past it, with a log
 * line that names its update_id and never its content.  Then batches
 * resume.  The offset only ever passes updates that were stored or
 * skipped on purpose; a body that is no Bot API answer at all (an HTML
 * page, a cut transfer) skips nothing and is asked for again.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg.h"
#include "tg_json.h"
#include "tg_text.h"

#define TG_POLL_SLACK_S 25        /* HTTP timeout beyond the long poll */
#define TG_POLL_MAX_RESPONSE ((size_t)8 << 20) /* 100 long updates */
#define TG_FAST_EMPTY_S 1.0       /* an empty answer sooner is no long poll */
/* Without long polling a reply waits up to this long to be read: short
 * enough to feel prompt, long enough that 12 polls a minute is no spin. */
#define TG_EMPTY_BACKOFF_MAX 5.0
#define TG_ERR_BACKOFF_FIRST 1.0
#define TG_ERR_BACKOFF_MAX 30.0
#define TG_CONFLICT_LOG_EVERY_S 3600.0
/* Good single updates fetched while looking for a bad one before batches
 * resume: a whole batch, so the one that failed has been passed. */
#define TG_PROBE_MAX 100
/* rehabd_http_response.transport_error for a body over max_response:
 * libcurl's CURLE_FILESIZE_EXCEEDED (the host reports CURLcodes). */
#define TG_CURLE_FILESIZE_EXCEEDED 63

static void poll_submit(struct tg *tg);
static void poll_done(void *arg, const struct rehabd_http_response *resp);

static void poll_timer_cb(void *arg)
{
	struct tg *tg = arg;
	tg->poll_timer = 0;
	poll_submit(tg);
}

static void poll_later(struct tg *tg, double seconds)
{
	tg->poll_timer = tg->api->timer_start(tg->host, seconds, poll_timer_cb, tg);
	if (!tg->poll_timer)
		tg->api->log(tg->host, REHABD_LOG_ERROR,
			     "telegram: cannot arm the poll timer (out of memory); replies stop until restart");
}

/* Waits after a failed poll: exponential from 1 s to 30 s with jitter,
 * or at least what the server asked for (retry_after). */
static void poll_backoff(struct tg *tg, double at_least)
{
	double d = tg->err_backoff ? tg->err_backoff * 2 : TG_ERR_BACKOFF_FIRST;
	if (d > TG_ERR_BACKOFF_MAX)
		d = TG_ERR_BACKOFF_MAX;
	tg->err_backoff = d;
	d = tg_jitter(tg, d);
	if (d < at_least)
		d = at_least;
	poll_later(tg, d);
}

static void poll_submit(struct tg *tg)
{
	char *body;

	if (tg->failed || tg->poll_req || tg->poll_timer)
		return;
	body = tg_build_get_updates(tg->offset, tg->has_offset, tg->cfg.poll_timeout,
				   tg->probing ? 1 : 0);
	if (!body) {
		poll_backoff(tg, 0);
		return;
	}
	tg->poll_started = tg_mono();
	tg->poll_req = tg_api_call(tg, "getUpdates", body,
				   (tg->cfg.poll_timeout + TG_POLL_SLACK_S) * 1000L,
				   TG_POLL_MAX_RESPONSE, poll_done, tg);
	free(body);
	if (!tg->poll_req) {
		tg->api->log(tg->host, REHABD_LOG_ERROR,
			     "telegram getUpdates: the host refused the request; trying again with backoff");
		poll_backoff(tg, 0);
	}
}

/* The text of a message as the coach should read it: "/plan@SomeBot"
 * becomes "/plan" (clients add the bot's name to commands in menus). */
static void strip_bot_name(char *text)
{
	if (text[0] != '/')
		return;
	char *at = text + strcspn(text, "@ \n");
	if (*at != '@')
		return;
	char *end = at + strcspn(at, " \n");
	memmove(at, end, strlen(end) + 1);
}

struct inbound_strings {
	char id[32];
	char address[24];
};

/*
 * Hands the delivered updates to the host with the new cursor.  Returns
 * 0 when the host stored them (then answers the taps), -1 when it did
 * not.
 */
static int deliver(struct tg *tg, struct tg_updates *u)
{
	struct rehabd_inbound *msgs = calloc(u->n + 1, sizeof *msgs);
	struct inbound_strings *str = calloc(u->n + 1, sizeof *str);
	struct rehabd_inbound_result *res = calloc(u->n + 1, sizeof *res);
	size_t *which = calloc(u->n + 1, sizeof *which);
	size_t n = 0;
	char cursor[24];
	int rc = -1;

	if (!msgs || !str || !res || !which)
		goto out;
	for (size_t i = 0; i < u->n; i++) {
		struct tg_update *up = &u->v[i];
		struct rehabd_inbound *m = &msgs[n];
		if (up->kind == TG_UPDATE_OTHER || up->kind == TG_UPDATE_STRAY_TAP)
			continue;
		snprintf(str[n].id, sizeof str[n].id, "u%" PRId64, up->update_id);
		snprintf(str[n].address, sizeof str[n].address, "%" PRId64, up->chat_id);
		m->size = sizeof *m;
		m->id = str[n].id;
		m->address = str[n].address;
		m->is_private = up->is_private;
		m->sent_at = up->date;
		if (up->kind == TG_UPDATE_MESSAGE) {
			strip_bot_name(up->text);
			m->text = up->text;
			m->ref = up->reply_to_id
				 ? tg_send_ref_of(tg, up->chat_id, up->reply_to_id)
				 : NULL;
		} else {
			m->text = up->text;
			m->ref = up->ref;
			m->is_choice = 1;
		}
		which[n++] = i;
	}
	snprintf(cursor, sizeof cursor, "%" PRId64, u->next_offset);
	if (tg->api->inbound(tg->host, n ? msgs : NULL, n, cursor, res) != 0)
		goto out;
	rc = 0;
	tg->offset = u->next_offset;
	tg->has_offset = 1;
	/* Every tap is answered, or the client shows a progress bar until
	 * it gives up; stray taps and strangers get an empty answer, which
	 * only stops it. */
	for (size_t i = 0; i < u->n; i++)
		if (u->v[i].kind == TG_UPDATE_STRAY_TAP)
			tg_send_tap_answer(tg, u->v[i].callback_id, NULL, 0, 0, 0,
					   NULL, NULL, NULL);
	for (size_t k = 0; k < n; k++) {
		struct tg_update *up = &u->v[which[k]];
		if (up->kind != TG_UPDATE_CALLBACK)
			continue;
		if (res[k].status == REHABD_INBOUND_IGNORED)
			res[k].ack[0] = '\0'; /* strangers learn nothing */
		res[k].ack[sizeof res[k].ack - 1] = '\0';
		/* A tap seen before (the server delivered it again) was
		 * shown on its message the first time: answered only. */
		tg_send_tap_answer(tg, up->callback_id, res[k].ack,
				   res[k].status == REHABD_INBOUND_ACCEPTED,
				   up->chat_id, up->message_id, up->msg_text,
				   up->msg_entities, up->label ? up->label : up->text);
	}
out:
	free(msgs);
	free(str);
	free(res);
	free(which);
	return rc;
}

/* The server answered at once without anything new: it does not hold
 * the request open (or ignores the offset).  Polls again later, waiting
 * longer each time, so it never spins. */
static void poll_fast_answer(struct tg *tg)
{
	double d = tg->empty_backoff ? tg->empty_backoff * 2 : 1.0;
	tg->empty_backoff = d > TG_EMPTY_BACKOFF_MAX ? TG_EMPTY_BACKOFF_MAX : d;
	if (!tg->said_fast_empty) {
		tg->said_fast_empty = 1;
		tg->api->log(tg->host, REHABD_LOG_WARN,
			     "telegram getUpdates: the server answers at once instead of long polling; polling less often (up to every %.0f s)",
			     TG_EMPTY_BACKOFF_MAX);
	}
	poll_later(tg, tg->empty_backoff);
}

/* 1 when the batch holds an update the last offset did not confirm.  A
 * server that ignores the offset sends the same updates again and
 * again; they are stored once, but must not make us poll at once. */
static int batch_is_new(const struct tg *tg, const struct tg_updates *u)
{
	if (!tg->has_offset)
		return 1;
	for (size_t i = 0; i < u->n; i++)
		if (u->v[i].update_id >= tg->offset)
			return 1;
	return 0;
}

/* Looks for the bad update one at a time from the current offset. */
static void probe_start(struct tg *tg)
{
	tg->probing = 1;
	tg->probe_left = TG_PROBE_MAX;
}

/*
 * The first update waiting cannot be read, its update_id is unknown and
 * nothing was ever confirmed, so no offset can pass it without guessing
 * an id (which could pass good updates).  Says what the admin can do, at
 * most once an hour, and tries again with backoff: the update may go.
 */
static void poll_stuck(struct tg *tg, const char *reason)
{
	double now = tg_mono();

	if (!tg->stuck_said_at || now - tg->stuck_said_at >= TG_CONFLICT_LOG_EVERY_S) {
		tg->stuck_said_at = now;
		tg->api->log(tg->host, REHABD_LOG_ERROR,
			     "telegram getUpdates: the first update Telegram holds could not be read (%s) and its update_id cannot be found, so rehabd cannot skip it and no reply is read until it is gone: drop the waiting updates with the Bot API method deleteWebhook and drop_pending_updates=true (this drops the waiting replies too), or wait until Telegram deletes it after 24 hours; rehabd keeps trying with backoff",
			     reason);
	}
	poll_backoff(tg, 0);
}

/*
 * Skips the one update that cannot be read: has_id says whether its
 * update_id id was found.  The new offset is committed with the host
 * like any cursor, then polling goes on in batches.
 */
static void poll_skip(struct tg *tg, int has_id, int64_t id, const char *reason)
{
	char cursor[24];
	int64_t next;

	if (has_id && tg->has_offset && id < tg->offset) {
		/* Confirmed long ago: the server ignores the offset.  There
		 * is nothing to move; do not spin on it. */
		tg->probing = 0;
		poll_backoff(tg, 0);
		return;
	}
	if (has_id) {
		next = id + 1; /* id < INT64_MAX (tg_updates_scan) */
	} else if (tg->has_offset && tg->offset < INT64_MAX) {
		/*
		 * The update_id cannot be read (beyond 64 bits, not a
		 * number, or the body was over the cap and never arrived).
		 * Telegram numbers updates one by one, so the bad update is
		 * taken to be the one after the last good one: the one at
		 * the offset, last good + 1, and the offset moves past it.
		 * If the server left a gap, the next single fetch meets the
		 * same update again and the offset moves on by one more.
		 * Each step confirms only ids below the bad one's, where
		 * nothing waits (the server sends the lowest waiting id
		 * first), so no good update is ever passed.
		 */
		id = tg->offset;
		next = tg->offset + 1;
	} else {
		poll_stuck(tg, reason);
		return;
	}
	snprintf(cursor, sizeof cursor, "%" PRId64, next);
	if (tg->api->inbound(tg->host, NULL, 0, cursor, NULL) != 0) {
		tg->api->log(tg->host, REHABD_LOG_WARN,
			     "telegram: the cursor past the unreadable update %" PRId64 " could not be stored; trying again with backoff",
			     id);
		poll_backoff(tg, 0);
		return;
	}
	tg->offset = next;
	tg->has_offset = 1;
	tg->probing = 0;
	tg->err_backoff = 0;
	tg->stuck_said_at = 0;
	tg->api->log(tg->host, REHABD_LOG_WARN,
		     "telegram: an update Telegram sent could not be read and was skipped: update_id %" PRId64 "%s (%s); a runner's message or tap may be lost — if a runner says rehabd did not answer around now, ask them to send it again",
		     id, has_id ? "" : ", taken to be the one after the last update read (its own id is unreadable)",
		     reason);
	poll_submit(tg);
}

/*
 * A 200 answer jansson cannot load.  When its bytes still have the shape
 * of an ok getUpdates answer, one of its updates is bad: alone, it is
 * skipped; among others, they are fetched one at a time.  Anything else
 * is no answer at all and only asked for again.
 */
static void poll_unreadable(struct tg *tg, const struct rehabd_http_response *resp,
			    const char *reason)
{
	struct tg_scan scan;

	if (tg_updates_scan(resp->body, resp->body_len, &scan) != 0 ||
	    scan.n_results == 0) {
		tg->api->log(tg->host, REHABD_LOG_WARN,
			     "telegram getUpdates: the answer (HTTP %ld, %zu bytes) is not valid JSON (%s) nor a whole Bot API answer — a proxy or server fault, not an update; the updates wait on the server and rehabd asks again with backoff",
			     resp->status, resp->body_len, reason);
		poll_backoff(tg, 0);
		return;
	}
	if (scan.n_results == 1) {
		poll_skip(tg, scan.has_id, scan.first_id, reason);
		return;
	}
	if (tg->probing) {
		tg->api->log(tg->host, REHABD_LOG_ERROR,
			     "telegram getUpdates: asked for one update, the server sent %zu and one cannot be read (%s), so the bad one cannot be told apart; trying again with backoff",
			     scan.n_results, reason);
		poll_backoff(tg, 0);
		return;
	}
	tg->api->log(tg->host, REHABD_LOG_WARN,
		     "telegram getUpdates: a batch of %zu updates could not be read (%s); fetching them one at a time to find and skip the bad one",
		     scan.n_results, reason);
	probe_start(tg);
	poll_submit(tg);
}

/* The answer went over the response cap (no body arrived).  A batch is
 * fetched again one update at a time; a single update that is too large
 * is skipped (its id cannot be read: the bytes never arrive). */
static void poll_too_big(struct tg *tg)
{
	char reason[64];

	snprintf(reason, sizeof reason, "larger than the %zu MiB rehabd reads",
		 TG_POLL_MAX_RESPONSE >> 20);
	if (tg->probing) {
		poll_skip(tg, 0, 0, reason);
		return;
	}
	tg->api->log(tg->host, REHABD_LOG_WARN,
		     "telegram getUpdates: the answer is %s; fetching the updates one at a time to find the one that is too large",
		     reason);
	probe_start(tg);
	poll_submit(tg);
}

/* Handles a 200 answer to getUpdates. */
static void poll_ok(struct tg *tg, const struct rehabd_http_response *resp,
		    double elapsed)
{
	struct tg_updates u;
	char err[96];
	int fresh;

	if (tg_updates_parse(resp->body, resp->body_len, &u, err, sizeof err) != 0) {
		char why[sizeof u.why];
		enum tg_refusal refused = u.refused;
		snprintf(why, sizeof why, "%s", u.why);
		tg_updates_free(&u);
		if (refused == TG_REFUSED_JSON) {
			poll_unreadable(tg, resp, why);
			return;
		}
		tg->api->log(tg->host, REHABD_LOG_WARN,
			     "telegram getUpdates: %s, so it is no getUpdates answer (a proxy or server fault, not an update); the updates wait on the server and rehabd asks again with backoff",
			     err);
		poll_backoff(tg, 0);
		return;
	}
	if (!u.has_next && u.skipped) {
		/* Every element lacks a usable update_id: nothing moves the
		 * offset past them. */
		size_t skipped = u.skipped;
		tg_updates_free(&u);
		if (skipped == 1) {
			poll_skip(tg, 0, 0, "no usable update_id");
		} else if (!tg->probing) {
			tg->api->log(tg->host, REHABD_LOG_WARN,
				     "telegram getUpdates: %zu updates without a usable update_id; fetching them one at a time to skip them",
				     skipped);
			probe_start(tg);
			poll_submit(tg);
		} else {
			poll_backoff(tg, 0);
		}
		return;
	}
	if (u.skipped)
		tg->api->log(tg->host, REHABD_LOG_WARN,
			     "telegram getUpdates: skipped %zu update(s) without a usable update_id (passed with the batch); a runner's message or tap may be lost — if a runner says rehabd did not answer, ask them to send it again",
			     u.skipped);
	if (!u.has_next) {
		tg_updates_free(&u);
		tg->probing = 0; /* nothing waits: the bad one is gone */
		tg->err_backoff = 0;
		if (elapsed < TG_FAST_EMPTY_S) {
			poll_fast_answer(tg);
			return;
		}
		tg->empty_backoff = 0;
		poll_submit(tg);
		return;
	}
	fresh = batch_is_new(tg, &u);
	if (deliver(tg, &u) != 0) {
		tg->api->log(tg->host, REHABD_LOG_WARN,
			     "telegram: %zu update(s) could not be stored; Telegram keeps them and they are fetched again",
			     u.n);
		tg_updates_free(&u);
		poll_backoff(tg, 0);
		return;
	}
	tg_updates_free(&u);
	tg->err_backoff = 0;
	if (tg->probing && --tg->probe_left <= 0)
		tg->probing = 0; /* a whole batch passed: the bad one with it */
	if (!fresh && elapsed < TG_FAST_EMPTY_S) {
		poll_fast_answer(tg);
		return;
	}
	tg->empty_backoff = 0;
	poll_submit(tg);
}

/* Logs a 409, saying what to do about it: at most once an hour for the
 * same cause, as two pollers of one bot take turns for as long as both
 * run. */
static void poll_conflict(struct tg *tg, const struct tg_reply *r)
{
	const char *what = r && *r->description ? r->description : "Conflict";
	int kind = strstr(what, "webhook") ? 2 : 1;
	double now = tg_mono();

	if (tg->said_conflict == kind &&
	    now - tg->conflict_said_at < TG_CONFLICT_LOG_EVERY_S)
		return;
	tg->said_conflict = kind;
	tg->conflict_said_at = now;
	if (kind == 2)
		tg->api->log(tg->host, REHABD_LOG_ERROR,
			     "telegram getUpdates: 409 %s — a webhook is set for this bot, and rehabd reads replies by polling: remove the webhook (Bot API method deleteWebhook); rehabd keeps trying with backoff and resumes by itself",
			     what);
	else
		tg->api->log(tg->host, REHABD_LOG_ERROR,
			     "telegram getUpdates: 409 %s — another program is reading this bot's updates: run only one rehabd per bot token (or give each its own bot from BotFather) and remove any webhook (deleteWebhook); rehabd keeps trying with backoff",
			     what);
}

static void poll_done(void *arg, const struct rehabd_http_response *resp)
{
	struct tg *tg = arg;
	double elapsed = tg_mono() - tg->poll_started;
	struct tg_reply r;
	int parsed;
	long code;

	tg->poll_req = 0;
	if (tg->failed)
		return;
	parsed = resp->status && tg_reply_parse(resp->body, resp->body_len, &r) == 0;
	code = tg_outcome(resp, parsed ? &r : NULL);
	if (code == 200) {
		poll_ok(tg, resp, elapsed);
		return;
	}
	if (code == 401) {
		tg_fail(tg);
		return;
	}
	if (code == 0 && resp->transport_error == TG_CURLE_FILESIZE_EXCEEDED) {
		poll_too_big(tg);
		return;
	}
	if (code == 0) {
		tg->api->log(tg->host, REHABD_LOG_WARN,
			     "telegram getUpdates: %s; trying again with backoff",
			     resp->error ? resp->error : "no response");
		poll_backoff(tg, 0);
		return;
	}
	if (code == 429) {
		long s = tg_retry_after(resp, parsed ? &r : NULL);
		poll_backoff(tg, s > 0 ? (double)s : 0);
		return;
	}
	if (code == 409) {
		poll_conflict(tg, parsed ? &r : NULL);
		poll_backoff(tg, 0);
		return;
	}
	if (!parsed)
		r.description[0] = '\0';
	tg->api->log(tg->host, REHABD_LOG_WARN,
		     "telegram getUpdates: error %ld%s%s%s; trying again with backoff",
		     code, *r.description ? " " : "", r.description,
		     code == 404 ? " (check the bot token and api_base)" : "");
	poll_backoff(tg, 0);
}

void tg_poll_start(struct tg *tg)
{
	const char *cursor = tg->api->cursor_load(tg->host);
	int64_t off;

	tg->has_offset = 0;
	tg->probing = 0;
	if (cursor && tg_parse_int64(cursor, &off) == 0 && off > 0) {
		tg->offset = off;
		tg->has_offset = 1;
	} else if (cursor) {
		tg->api->log(tg->host, REHABD_LOG_WARN,
			     "telegram: the stored cursor is not an update offset; starting with the oldest update Telegram still holds");
	}
	poll_submit(tg);
}

void tg_poll_stop(struct tg *tg)
{
	if (tg->poll_req)
		tg->api->http_cancel(tg->host, tg->poll_req);
	if (tg->poll_timer)
		tg->api->timer_cancel(tg->host, tg->poll_timer);
	tg->poll_req = tg->poll_timer = 0;
}
