/*
 * getUpdates long polling.  A batch is handed to the host with the offset
 * that confirms it; only when the host has stored both does the next
 * getUpdates (which confirms the batch to Telegram) go out.  A crash in
 * between means Telegram delivers the batch again and the host drops the
 * duplicates by update id.
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
	body = tg_build_get_updates(tg->offset, tg->has_offset, tg->cfg.poll_timeout);
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
			tg_api_aux(tg, "answerCallbackQuery",
				   tg_build_answer(u->v[i].callback_id, NULL));
	for (size_t k = 0; k < n; k++) {
		struct tg_update *up = &u->v[which[k]];
		if (up->kind != TG_UPDATE_CALLBACK)
			continue;
		if (res[k].status == REHABD_INBOUND_IGNORED)
			res[k].ack[0] = '\0'; /* strangers learn nothing */
		res[k].ack[sizeof res[k].ack - 1] = '\0';
		tg_send_tap_answer(tg, up->callback_id, res[k].ack,
				   res[k].status == REHABD_INBOUND_ACCEPTED ||
					   res[k].status == REHABD_INBOUND_DUPLICATE,
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

/* Handles a 200 answer to getUpdates. */
static void poll_ok(struct tg *tg, const struct rehabd_http_response *resp,
		    double elapsed)
{
	struct tg_updates u;
	char err[64];
	int fresh;

	if (tg_updates_parse(resp->body, resp->body_len, &u, err, sizeof err) != 0) {
		tg->api->log(tg->host, REHABD_LOG_WARN,
			     "telegram getUpdates: %s; trying again with backoff", err);
		tg_updates_free(&u);
		poll_backoff(tg, 0);
		return;
	}
	if (u.skipped)
		tg->api->log(tg->host, REHABD_LOG_WARN,
			     "telegram getUpdates: skipped %zu update(s) without a usable update_id",
			     u.skipped);
	if (!u.has_next) {
		size_t skipped = u.skipped;
		tg_updates_free(&u);
		if (skipped) {
			poll_backoff(tg, 0);
			return;
		}
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
