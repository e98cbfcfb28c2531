/*
 * Sending: each reminder is one m.notice in the runner's DM, PUT under
 * txnId = the host's stable key of the outbox row, so that a retry after
 * a timeout or a crash is recognised by the homeserver as the same event
 * (Client-Server API "Transaction identifiers").  The quick answers are
 * then pre-seeded as the bot's own reactions on it (m.annotation), each
 * under a txnId derived from the same key; the send is reported only
 * when they are there, so a retry redoes the missing ones without a
 * second copy of anything.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mx.h"
#include "mx_text.h"

#define SEND_TIMEOUT_MS 30000
#define SMALL_ANSWER (64 * 1024)
#define MAX_KEYS 16
#define ANSWER_FRESH 120.0 /* real seconds: an answer's acknowledgement */

struct mx_out {
	struct mx_out *next;
	uint64_t token;
	char *address, *key, *text, *formatted, *event_id;
	const char *keys[MAX_KEYS]; /* reaction keys (static strings) */
	size_t n_keys, next_key;
	char *room;                 /* plain notices: their room */
	char *reply_to;             /* the event this notice answers, or NULL */
	int plain, leave_after;
};

static void out_free(struct mx_out *o)
{
	free(o->address);
	free(o->key);
	free(o->text);
	free(o->formatted);
	free(o->event_id);
	free(o->room);
	free(o->reply_to);
	free(o);
}

static void unlink_out(struct mx_out **list, struct mx_out *o)
{
	for (struct mx_out **p = list; *p; p = &(*p)->next)
		if (*p == o) {
			*p = o->next;
			return;
		}
}

/* Reports o's outcome and frees it (o is on the active list). */
static void finish(struct mx *mx, struct mx_out *o, enum rehabd_send_status st,
		   long retry_ms, const char *error)
{
	unlink_out(&mx->active, o);
	if (!o->plain) {
		struct rehabd_send_result res = {
			.size = sizeof res,
			.status = st,
			.retry_after_ms = retry_ms > 0 ? retry_ms : 0,
			.remote_id = st == REHABD_SEND_OK ? o->event_id : NULL,
			.error = error,
		};
		mx->api->send_done(mx->host, o->token, &res);
	}
	out_free(o);
}

static void start(struct mx *mx, struct mx_out *o);
static void next_reaction(struct mx *mx, struct mx_out *o);

/* A failed call of o: retry (the host waits), unreachable or failed. */
static void failed(struct mx *mx, struct mx_out *o, const struct mx_reply *r,
		   int on_message)
{
	char why[160];
	snprintf(why, sizeof why, "HTTP %ld %s%s%s", r->status, r->err.errcode,
		 r->transport ? " " : "", r->transport ? r->transport : "");
	switch (r->result) {
	case MX_R_RATE:
		finish(mx, o, REHABD_SEND_RETRY, r->retry_ms, "rate limited (429)");
		return;
	case MX_R_TOKEN:
		finish(mx, o, REHABD_SEND_RETRY, 0, "access token refused");
		mx_auth_lost(mx, r);
		return;
	case MX_R_FORBIDDEN:
		if (on_message) {
			struct mx_runner *run = mx_runner_by_address(mx, o->address);
			finish(mx, o, REHABD_SEND_UNREACHABLE, 0,
			       "the homeserver refused the send (M_FORBIDDEN): the bot is not in the runner's room");
			/* A fresh invite: when they join, they can be reached
			 * again. */
			if (run)
				mx_room_drop(mx, run, 1, 0);
			return;
		}
		break;
	case MX_R_REFUSED:
		if (on_message) {
			finish(mx, o, REHABD_SEND_FAILED, 0, why);
			return;
		}
		break;
	default:
		finish(mx, o, REHABD_SEND_RETRY, 0, why);
		return;
	}
	/* A reaction the server will not take (duplicate, forbidden): the
	 * notice itself is there, and the runner can still type. */
	if (strcmp(r->err.errcode, "M_DUPLICATE_ANNOTATION"))
		mx->api->log(mx->host, REHABD_LOG_WARN,
			     "matrix: the quick-answer reaction %s was refused (%s); the runner can still type the answer",
			     o->keys[o->next_key], why);
	o->next_key++;
	next_reaction(mx, o);
}

static void reaction_done(struct mx *mx, void *arg, const struct mx_reply *r)
{
	struct mx_out *o = arg;
	if (r->result != MX_R_OK) {
		failed(mx, o, r, 0);
		return;
	}
	o->next_key++;
	next_reaction(mx, o);
}

static int put_event(struct mx *mx, struct mx_out *o, const char *room,
		     const char *type, const char *txn, const char *body,
		     mx_done_fn done)
{
	char *rid = mx_escape(room), *t = mx_escape(type), *x = mx_escape(txn);
	char *path = NULL;
	int rc = -1;
	if (rid && t && x && asprintf(&path, "/rooms/%s/send/%s/%s", rid, t, x) >= 0) {
		rc = mx_call(mx, "PUT", path, NULL, body, 1, SEND_TIMEOUT_MS,
			     SMALL_ANSWER, done, o);
		free(path);
	}
	free(rid);
	free(t);
	free(x);
	return rc;
}

static void next_reaction(struct mx *mx, struct mx_out *o)
{
	struct mx_runner *run = mx_runner_by_address(mx, o->address);
	if (o->next_key >= o->n_keys || !run || !run->room_id) {
		finish(mx, o, REHABD_SEND_OK, 0, NULL);
		return;
	}
	char txn[128], *body = mx_body_reaction(o->event_id, o->keys[o->next_key]);
	snprintf(txn, sizeof txn, "%s-r%zu", o->key, o->next_key);
	if (!body || put_event(mx, o, run->room_id, "m.reaction", txn, body,
			       reaction_done) != 0)
		finish(mx, o, REHABD_SEND_RETRY, 0, "could not start a request");
	free(body);
}

static void message_done(struct mx *mx, void *arg, const struct mx_reply *r)
{
	struct mx_out *o = arg;
	if (r->result != MX_R_OK) {
		if (o->plain) {
			mx->api->log(mx->host, REHABD_LOG_WARN,
				     "matrix: a notice to room %s was not sent (HTTP %ld %s)",
				     o->room, r->status, r->err.errcode);
			unlink_out(&mx->active, o);
			if (o->leave_after)
				mx_room_leave(mx, o->room);
			out_free(o);
			return;
		}
		failed(mx, o, r, 1);
		return;
	}
	o->event_id = mx_json_string(r->body, r->body_len, "event_id");
	if (o->plain) {
		unlink_out(&mx->active, o);
		if (o->leave_after)
			mx_room_leave(mx, o->room);
		out_free(o);
		return;
	}
	if (!o->event_id) {
		finish(mx, o, REHABD_SEND_RETRY, 0, "no event_id in the answer");
		return;
	}
	next_reaction(mx, o);
}

/* Sends o's notice (o goes to the active list). */
static void start(struct mx *mx, struct mx_out *o)
{
	const char *room = o->room;
	if (!room) {
		struct mx_runner *run = mx_runner_by_address(mx, o->address);
		room = run ? run->room_id : NULL;
	}
	o->next = mx->active;
	mx->active = o;
	char *body = mx_body_notice(o->text, o->formatted, o->reply_to);
	if (!room || !body ||
	    put_event(mx, o, room, "m.room.message", o->key, body, message_done) != 0) {
		if (o->plain) {
			unlink_out(&mx->active, o);
			out_free(o);
		} else {
			finish(mx, o, REHABD_SEND_RETRY, 0, "could not start a request");
		}
	}
	free(body);
}

/* Hands o to its runner's room (created first when needed). */
static void route(struct mx *mx, struct mx_out *o)
{
	struct mx_runner *run = mx_runner_by_address(mx, o->address);
	if (!run) {
		o->next = mx->active;
		mx->active = o;
		finish(mx, o, REHABD_SEND_FAILED, 0, "not a runner of this channel");
		return;
	}
	if (run->room_id) {
		start(mx, o);
		return;
	}
	o->next = run->waiting;
	run->waiting = o;
	mx_room_ensure(mx, run);
}

int mx_send_queue(struct mx *mx, const struct rehabd_message *msg, uint64_t token)
{
	struct mx_out *o = calloc(1, sizeof *o);
	char fallback[96];
	const char *key = NULL;

	if (!o)
		return -1;
	/* The key exists since ABI 1.1; a host without one gets a key that
	 * is stable only within this process. */
	if (msg->size >= offsetof(struct rehabd_message, key) + sizeof msg->key)
		key = msg->key;
	if (!key || !*key) {
		snprintf(fallback, sizeof fallback, "rehabd-%s-%llu", msg->ref ? msg->ref : "x",
			 (unsigned long long)token);
		key = fallback;
	}
	o->token = token;
	o->address = strdup(msg->address ? msg->address : "");
	o->key = strdup(key);
	o->text = strdup(msg->text ? msg->text : "");
	o->formatted = mx_formatted_body(msg->text, msg->html);
	if (!o->address || !o->key || !o->text || !o->formatted) {
		out_free(o);
		return -1;
	}
	for (size_t i = 0; msg->choices && i < msg->n_choices && o->n_keys < MAX_KEYS; i++) {
		const char *k = mx_choice_key(msg->choices[i].value);
		if (k)
			o->keys[o->n_keys++] = k;
	}
	/* The host's acknowledgement of an answer goes out as a reply to
	 * the reminder answered, so the runner sees what it confirms. */
	struct mx_runner *run = mx_runner_by_address(mx, o->address);
	if (run && run->answered && msg->kind && !strncmp(msg->kind, "reply:", 6) &&
	    mx_mono() - run->answered_at < ANSWER_FRESH) {
		o->reply_to = strdup(run->answered);
		free(run->answered);
		run->answered = NULL;
	}
	if (mx->phase == MX_FAILED) {
		o->next = mx->active;
		mx->active = o;
		finish(mx, o, REHABD_SEND_RETRY, 0, "the channel stopped");
		return 0;
	}
	if (mx->phase != MX_READY) {
		o->next = mx->pending;
		mx->pending = o;
		return 0;
	}
	route(mx, o);
	return 0;
}

void mx_send_flush(struct mx *mx)
{
	struct mx_out *list = mx->pending;
	mx->pending = NULL;
	while (list) {
		struct mx_out *o = list;
		list = o->next;
		o->next = NULL;
		route(mx, o);
	}
}

void mx_send_room_ready(struct mx *mx, struct mx_runner *r, int ok, long retry_ms)
{
	struct mx_out *list = r->waiting;
	r->waiting = NULL;
	while (list) {
		struct mx_out *o = list;
		list = o->next;
		if (ok && r->room_id) {
			start(mx, o);
		} else {
			o->next = mx->active;
			mx->active = o;
			finish(mx, o, REHABD_SEND_RETRY, retry_ms, "the runner's room could not be created");
		}
	}
}

void mx_send_plain(struct mx *mx, const char *room_id, const char *txn,
		   const char *text, int leave_after)
{
	struct mx_out *o = calloc(1, sizeof *o);
	if (!o)
		return;
	o->plain = 1;
	o->leave_after = leave_after;
	o->room = strdup(room_id);
	o->key = strdup(txn);
	o->text = strdup(text);
	o->formatted = mx_formatted_body(text, NULL);
	o->address = strdup("");
	if (!o->room || !o->key || !o->text || !o->formatted || !o->address) {
		out_free(o);
		return;
	}
	start(mx, o);
}

/* Reports and frees every send of list. */
static void abort_list(struct mx *mx, struct mx_out **list, const char *reason)
{
	while (*list) {
		struct mx_out *o = *list;
		*list = o->next;
		o->next = mx->active;
		mx->active = o;
		finish(mx, o, REHABD_SEND_RETRY, 0, reason);
	}
}

void mx_send_abort(struct mx *mx, const char *reason)
{
	/* The requests of the active ones are cancelled by the caller. */
	abort_list(mx, &mx->active, reason);
	abort_list(mx, &mx->pending, reason);
	for (size_t i = 0; i < mx->n_runners; i++)
		abort_list(mx, &mx->runners[i].waiting, reason);
}

static void free_list(struct mx_out **list)
{
	while (*list) {
		struct mx_out *o = *list;
		*list = o->next;
		out_free(o);
	}
}

void mx_send_free(struct mx *mx)
{
	free_list(&mx->active);
	free_list(&mx->pending);
	for (size_t i = 0; i < mx->n_runners; i++)
		free_list(&mx->runners[i].waiting);
}
