/*
 * Receiving: GET /sync as a long poll with the stored filter (Client-
 * Server API "Syncing").  next_batch is the channel cursor, handed to
 * api->inbound() with the replies it confirms; only then does the next
 * /sync start from it, so a crash in between delivers the batch again
 * (the host drops what it stored before by event id).  A limited
 * timeline is filled in with /rooms/{roomId}/messages from prev_batch
 * back to the last cursor before the batch is handed over.  The first
 * start after install takes the server's "now" (a sync without since,
 * whose timeline is not read) instead of replaying the history.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mx.h"
#include "mx_address.h"
#include "mx_text.h"

#define SYNC_MAX_ANSWER (64u * 1024 * 1024)
#define PAGE_MAX_ANSWER (16u * 1024 * 1024)
#define PAGE_LIMIT 100
#define GAP_PAGES_MAX 50     /* pages read to fill one gap */
#define BACKOFF_MAX 60.0
#define EMPTY_BACKOFF_MAX 30.0
#define FAST_EMPTY 1.0       /* seconds: a held /sync takes longer */

struct mx_batch {
	struct mx_sync sync;
	struct mx_sync *pages;   /* backfill pages, newest first per gap */
	size_t n_pages;
	size_t gap;              /* the gap being filled */
	int gap_pages;
	char *gap_from;
	int first;               /* a sync without since */
	double started;
};

static void request(struct mx *mx);

static void batch_free(struct mx_batch *b)
{
	if (!b)
		return;
	mx_sync_free(&b->sync);
	for (size_t i = 0; i < b->n_pages; i++)
		mx_sync_free(&b->pages[i]);
	free(b->pages);
	free(b->gap_from);
	free(b);
}

static void timer_cb(void *arg)
{
	struct mx *mx = arg;
	mx->sync_timer = 0;
	request(mx);
}

static void again_in(struct mx *mx, double seconds)
{
	if (mx->sync_timer)
		mx->api->timer_cancel(mx->host, mx->sync_timer);
	mx->sync_timer = mx->api->timer_start(mx->host, seconds, timer_cb, mx);
}

/* After a failure: the server's wait for a 429, else a growing one with
 * jitter.  The cursor stays where it is. */
static void backoff(struct mx *mx, const struct mx_reply *r, const char *what)
{
	double wait = mx->err_backoff ? mx->err_backoff * 2 : 1.0;
	if (wait > BACKOFF_MAX)
		wait = BACKOFF_MAX;
	mx->err_backoff = wait;
	wait = mx_jitter(mx, wait);
	if (r && r->result == MX_R_RATE && r->retry_ms >= 0)
		wait = r->retry_ms / 1000.0 + 0.05;
	if (r)
		mx->api->log(mx->host, REHABD_LOG_WARN,
			     "matrix: %s failed (%s%s%ld %s); trying again in %.1f s",
			     what, r->transport ? r->transport : "", r->transport ? ", " : "HTTP ",
			     r->status, r->err.errcode, wait);
	again_in(mx, wait);
}

static int is_bot(struct mx *mx, const char *user)
{
	return user && !strcmp(user, mx->cfg.user_id);
}

/* ---- invites ------------------------------------------------------- */

struct invite_job {
	char *room;
	size_t runner;
};

static void invite_free(struct invite_job *j)
{
	free(j->room);
	free(j);
}

static void members_done(struct mx *mx, void *arg, const struct mx_reply *r)
{
	struct invite_job *j = arg;
	struct mx_runner *run = &mx->runners[j->runner];
	int has = 0;
	int n = r->result == MX_R_OK ? mx_joined_count(r->body, r->body_len, run->address, &has) : -1;
	if (n == 2 && has) {
		mx->api->log(mx->host, REHABD_LOG_INFO,
			     "matrix: accepted the DM %s from %s", j->room, run->address);
		mx_room_adopt(mx, run, j->room);
	} else if (n >= 0) {
		mx->api->log(mx->host, REHABD_LOG_WARN,
			     "matrix: left room %s: %s invited the bot, but the room has %d members (only a DM of the bot and the runner is read) — the runner can use the DM the bot opens",
			     j->room, run->address, n);
		mx_room_leave(mx, j->room);
	}
	invite_free(j);
}

static void join_done(struct mx *mx, void *arg, const struct mx_reply *r)
{
	struct invite_job *j = arg;
	char path[600], *rid;
	if (r->result != MX_R_OK) {
		mx->api->log(mx->host, REHABD_LOG_WARN,
			     "matrix: could not join room %s (HTTP %ld %s); the runner can invite the bot again",
			     j->room, r->status, r->err.errcode);
		invite_free(j);
		return;
	}
	rid = mx_escape(j->room);
	snprintf(path, sizeof path, "/rooms/%s/joined_members", rid ? rid : "");
	free(rid);
	if (mx_call(mx, "GET", path, NULL, NULL, 1, 30000, 1024 * 1024, members_done, j) != 0)
		invite_free(j);
}

/* An invite of the bot: joined only from a configured runner to a room
 * that is not encrypted and holds nobody else; anything else is
 * rejected (left) and logged once (an invite is delivered once). */
static void handle_invite(struct mx *mx, const struct mx_invite *inv)
{
	char canon[MX_USER_ID_MAX + 1], why[128];
	struct mx_runner *run = NULL;

	if (inv->inviter && mx_canonical_address(inv->inviter, canon, sizeof canon,
						 why, sizeof why) == 0)
		run = mx_runner_by_address(mx, canon);
	if (!run) {
		mx->api->log(mx->host, REHABD_LOG_WARN,
			     "matrix: refused an invite to room %s from %s (not a runner of this channel) — add them to runners if they should be coached",
			     inv->room_id, inv->inviter ? inv->inviter : "(unknown)");
		mx_room_leave(mx, inv->room_id);
		return;
	}
	if (inv->encrypted || inv->members > 1) {
		mx->api->log(mx->host, REHABD_LOG_WARN,
			     "matrix: refused an invite to room %s from %s: %s — the bot opens an unencrypted DM of its own",
			     inv->room_id, run->address,
			     inv->encrypted ? "the room is encrypted, which the bot cannot read"
					    : "the room has other members");
		mx_room_leave(mx, inv->room_id);
		if (!run->room_id)
			mx_room_ensure(mx, run);
		return;
	}
	struct invite_job *j = calloc(1, sizeof *j);
	char path[600], *rid = mx_escape(inv->room_id);
	if (!j || !rid || !(j->room = strdup(inv->room_id))) {
		free(rid);
		if (j)
			invite_free(j);
		return;
	}
	j->runner = (size_t)(run - mx->runners);
	snprintf(path, sizeof path, "/rooms/%s/join", rid);
	free(rid);
	if (mx_call(mx, "POST", path, NULL, "{}", 1, 30000, 64 * 1024, join_done, j) != 0)
		invite_free(j);
}

/* ---- events -------------------------------------------------------- */

static void reachable(struct mx *mx, const char *address, int yes, const char *why)
{
	/* runner_reachable is ABI 1.2; open() checked the table's size. */
	mx->api->runner_reachable(mx->host, address, yes, why);
}

/* Membership and encryption of the runners' rooms. */
static void room_event(struct mx *mx, const struct mx_event *e)
{
	struct mx_runner *run = mx_runner_by_room(mx, e->room_id);
	if (!run)
		return;
	if (e->kind == MX_EV_ENCRYPTION || e->kind == MX_EV_ENCRYPTED) {
		char txn[160], *room;
		if (run->encrypted)
			return;
		run->encrypted = 1;
		mx->api->log(mx->host, REHABD_LOG_ERROR,
			     "matrix: the DM %s of %s is encrypted, which the bot cannot read; it leaves it and invites %s to a new unencrypted DM",
			     e->room_id, run->address, run->address);
		room = strdup(e->room_id);
		snprintf(txn, sizeof txn, "rehabd-encrypted-%.120s", e->event_id);
		if (room)
			mx_send_plain(mx, room, txn,
				      "This chat is encrypted, and your rehab coach cannot read encrypted messages. "
				      "Please accept the new invite: a chat without encryption, where your answers reach the coach.",
				      1);
		mx_room_drop(mx, run, 1, 0);
		free(room);
		return;
	}
	if (e->kind != MX_EV_MEMBER)
		return;
	int gone = !strcmp(e->membership, "leave") || !strcmp(e->membership, "ban");
	if (!strcmp(e->state_key, run->address)) {
		if (gone) {
			reachable(mx, run->address, 0, "left the Matrix room; invited to a new one");
			mx_room_drop(mx, run, 1, 1);
		} else if (!strcmp(e->membership, "join")) {
			reachable(mx, run->address, 1, NULL);
		}
	} else if (is_bot(mx, e->state_key)) {
		if (gone)
			mx_room_drop(mx, run, 1, 0);
	} else if (!strcmp(e->membership, "join")) {
		if (!run->others++)
			mx->api->log(mx->host, REHABD_LOG_WARN,
				     "matrix: %s joined the DM %s of %s; messages in it are no longer read as the runner's (only a DM of two is)",
				     e->state_key, e->room_id, run->address);
	} else if (gone && run->others > 0) {
		run->others--;
	}
}

/* Adds the inbound message of e (a runner's text or reaction) to msgs.
 * texts keeps what must be freed. */
static void add_inbound(struct mx *mx, const struct mx_event *e,
			struct rehabd_inbound *msgs, char **texts, size_t *n)
{
	struct mx_runner *run = mx_runner_by_room(mx, e->room_id);
	struct rehabd_inbound *m = &msgs[*n];
	const char *text = NULL;
	char *own = NULL;

	if (is_bot(mx, e->sender))
		return;
	if (run && run->encrypted)
		return;
	if (e->kind == MX_EV_MESSAGE) {
		/* Notices are never answered (m.notice), edits not re-read. */
		if ((e->msgtype && !strcmp(e->msgtype, "m.notice")) || e->is_edit)
			return;
		own = mx_strip_reply_fallback(e->body);
		if (!own)
			return;
		text = own;
	} else if (e->kind == MX_EV_REACTION) {
		text = mx_choice_value(e->key);
		if (!text)
			return; /* a reaction that answers nothing (👍) */
	} else {
		return;
	}
	memset(m, 0, sizeof *m);
	m->size = sizeof *m;
	m->id = e->event_id;
	m->address = e->sender;
	m->text = text;
	m->is_choice = e->kind == MX_EV_REACTION;
	m->ref_remote_id = e->kind == MX_EV_REACTION ? e->target : e->reply_to;
	/* Private: the runner's own DM, the two of them alone. */
	m->is_private = run && !strcmp(e->sender, run->address) && !run->others;
	m->sent_at = e->ts;
	if (m->is_private && m->ref_remote_id) {
		char *a = strdup(m->ref_remote_id);
		if (a) {
			free(run->answered);
			run->answered = a;
			run->answered_at = mx_mono();
		}
	}
	texts[*n] = own;
	(*n)++;
}

static void walk(struct mx *mx, const struct mx_event *e, struct rehabd_inbound *msgs,
		 char **texts, size_t *n)
{
	room_event(mx, e);
	add_inbound(mx, e, msgs, texts, n);
}

/* Hands the batch to the host; on success the cursor moves on. */
static void deliver(struct mx *mx, struct mx_batch *b)
{
	size_t total = b->sync.n_events, n = 0;
	for (size_t i = 0; i < b->n_pages; i++)
		total += b->pages[i].n_events;
	struct rehabd_inbound *msgs = calloc(total ? total : 1, sizeof *msgs);
	char **texts = calloc(total ? total : 1, sizeof *texts);
	int rc = -1;

	if (!msgs || !texts) {
		free(msgs);
		free(texts);
		mx->batch = NULL;
		batch_free(b);
		backoff(mx, NULL, "reading a sync batch");
		return;
	}
	if (!b->first) {
		/* Backfilled events first, oldest first: /messages with dir=b
		 * gives each page newest first, the pages newest first. */
		for (size_t p = b->n_pages; p-- > 0;)
			for (size_t i = b->pages[p].n_events; i-- > 0;)
				walk(mx, &b->pages[p].events[i], msgs, texts, &n);
		for (size_t i = 0; i < b->sync.n_events; i++)
			walk(mx, &b->sync.events[i], msgs, texts, &n);
	}
	if (b->sync.truncated)
		mx->api->log(mx->host, REHABD_LOG_WARN,
			     "matrix: a sync answer held more than %d events; the rest were not read",
			     MX_MAX_EVENTS);
	rc = mx->api->inbound(mx->host, msgs, n, b->sync.next_batch, NULL);
	for (size_t i = 0; i < n; i++)
		free(texts[i]);
	free(texts);
	free(msgs);
	if (rc != 0) {
		/* Nothing stored: the same batch comes again from the old
		 * cursor. */
		mx->batch = NULL;
		batch_free(b);
		backoff(mx, NULL, "storing a sync batch");
		mx->api->log(mx->host, REHABD_LOG_WARN,
			     "matrix: the host could not store a sync batch; it is fetched again");
		return;
	}
	for (size_t i = 0; i < b->sync.n_invites; i++)
		handle_invite(mx, &b->sync.invites[i]);
	/* A runner's DM the bot is no longer in (kicked, banned): a new
	 * one.  Rooms the bot left itself are no runner's DM any more. */
	for (size_t i = 0; !b->first && i < b->sync.n_left; i++) {
		struct mx_runner *run = mx_runner_by_room(mx, b->sync.left[i]);
		if (run) {
			mx->api->log(mx->host, REHABD_LOG_WARN,
				     "matrix: the bot is no longer in the DM %s of %s; it invites them to a new one",
				     b->sync.left[i], run->address);
			mx_room_drop(mx, run, 1, 0);
		}
	}
	char *since = strdup(b->sync.next_batch);
	if (since) {
		free(mx->since);
		mx->since = since;
	}
	mx->err_backoff = 0;
	/* A server that answers at once without holding the request must
	 * not make the plugin spin. */
	double took = mx_mono() - b->started;
	/* Any event counts, also the bot's own: the server had news. */
	int empty = !b->sync.n_events && !b->sync.n_invites && !b->sync.n_left &&
		    !b->n_pages;
	mx->batch = NULL;
	if (!b->first && empty && took < FAST_EMPTY) {
		double w = mx->empty_backoff ? mx->empty_backoff * 2 : 0.5;
		mx->empty_backoff = w > EMPTY_BACKOFF_MAX ? EMPTY_BACKOFF_MAX : w;
		if (!mx->said_fast_empty) {
			mx->said_fast_empty = 1;
			mx->api->log(mx->host, REHABD_LOG_WARN,
				     "matrix: the homeserver answers /sync at once instead of holding it; waiting between syncs (check a proxy's timeout in front of %s)",
				     mx->cfg.homeserver);
		}
		batch_free(b);
		again_in(mx, mx_jitter(mx, mx->empty_backoff));
		return;
	}
	mx->empty_backoff = 0;
	batch_free(b);
	again_in(mx, 0);
}

/* ---- backfill ------------------------------------------------------ */

static void fill_next(struct mx *mx, struct mx_batch *b);

static void page_done(struct mx *mx, void *arg, const struct mx_reply *r)
{
	struct mx_batch *b = arg;
	mx->sync_call = 0;
	const struct mx_gap *g = &b->sync.gaps[b->gap];
	char why[160];

	if (r->result == MX_R_TOKEN) {
		mx->batch = NULL;
		batch_free(b);
		mx_auth_lost(mx, r);
		return;
	}
	if (r->result != MX_R_OK) {
		mx->batch = NULL;
		batch_free(b);
		backoff(mx, r, "filling a gap with /messages");
		return;
	}
	struct mx_sync *pages = realloc(b->pages, (b->n_pages + 1) * sizeof *pages);
	if (!pages) {
		mx->batch = NULL;
		batch_free(b);
		backoff(mx, NULL, "filling a gap");
		return;
	}
	b->pages = pages;
	struct mx_sync *p = &b->pages[b->n_pages++];
	if (mx_messages_parse(r->body, r->body_len, g->room_id, p, why, sizeof why) != 0) {
		mx->api->log(mx->host, REHABD_LOG_WARN,
			     "matrix: an unreadable /messages answer (%s); the gap is fetched again", why);
		mx->batch = NULL;
		batch_free(b);
		backoff(mx, NULL, NULL);
		return;
	}
	b->gap_pages++;
	free(b->gap_from);
	b->gap_from = NULL;
	if (p->end && p->n_events && b->gap_pages < GAP_PAGES_MAX) {
		b->gap_from = strdup(p->end);
	} else if (p->end && p->n_events) {
		mx->api->log(mx->host, REHABD_LOG_WARN,
			     "matrix: the gap in room %s is longer than %d pages; older messages in it are not read",
			     g->room_id, GAP_PAGES_MAX);
	}
	if (!b->gap_from) {
		b->gap++;
		b->gap_pages = 0;
	}
	fill_next(mx, b);
}

/* Fetches the next page of the gap being filled, or delivers. */
static void fill_next(struct mx *mx, struct mx_batch *b)
{
	if (b->gap >= b->sync.n_gaps || !mx->since) {
		deliver(mx, b);
		return;
	}
	const struct mx_gap *g = &b->sync.gaps[b->gap];
	char *rid = mx_escape(g->room_id);
	char *from = mx_escape(b->gap_from ? b->gap_from : g->prev_batch);
	char *to = mx_escape(mx->since);
	char *path = NULL, *query = NULL;
	int ok = rid && from && to &&
		 asprintf(&path, "/rooms/%s/messages", rid) >= 0 &&
		 asprintf(&query, "dir=b&limit=%d&from=%s&to=%s", PAGE_LIMIT, from, to) >= 0;
	if (ok && mx_call(mx, "GET", path, query, NULL, 1, 60000, PAGE_MAX_ANSWER,
			  page_done, b) == 0) {
		mx->sync_call = mx_call_last(mx);
	} else {
		mx->batch = NULL;
		batch_free(b);
		backoff(mx, NULL, "filling a gap");
	}
	free(rid);
	free(from);
	free(to);
	free(path);
	free(query);
}

/* ---- /sync --------------------------------------------------------- */

/* The same answer from one cursor that cannot be read, this many times
 * in a row, is skipped: one bad event must not block the channel. */
#define MX_UNREADABLE_SKIP 3

/*
 * After a /sync answer jansson refused: the third time in a row from the
 * same cursor, moves the cursor past it (its next_batch read by
 * mx_sync_scan_next_batch), committed through the host like any batch,
 * and says in the log that messages in it may be lost.  Returns 1 when
 * it did (the next sync is on its way).
 */
static int skip_unreadable(struct mx *mx, const struct mx_reply *r,
			   const char *why)
{
	char next[1024];

	if (++mx->unreadable < MX_UNREADABLE_SKIP)
		return 0;
	if (mx_sync_scan_next_batch(r->body, r->body_len, next, sizeof next) != 0 ||
	    (mx->since && !strcmp(next, mx->since)))
		return 0;
	if (mx->api->inbound(mx->host, NULL, 0, next, NULL) != 0)
		return 0;
	mx->api->log(mx->host, REHABD_LOG_WARN,
		     "matrix: a /sync answer could not be read %d times (%s) and was skipped; a runner's message or reaction in it may be lost — if a runner says rehabd did not answer around now, ask them to send it again",
		     mx->unreadable, why);
	char *since = strdup(next);
	if (since) {
		free(mx->since);
		mx->since = since;
	}
	mx->unreadable = 0;
	again_in(mx, 0);
	return 1;
}

static void sync_done(struct mx *mx, void *arg, const struct mx_reply *r)
{
	struct mx_batch *b = arg;
	char why[160];

	mx->sync_call = 0;
	if (r->result != MX_R_OK) {
		mx->batch = NULL;
		batch_free(b);
		if (r->result == MX_R_TOKEN) {
			mx_auth_lost(mx, r);
			return;
		}
		if (r->result == MX_R_REFUSED && mx->filter_id && r->status == 400) {
			/* The server forgot the stored filter: without it. */
			mx->api->log(mx->host, REHABD_LOG_WARN,
				     "matrix: the homeserver refused the stored sync filter (%s); syncing without it",
				     r->err.errcode);
			free(mx->filter_id);
			mx->filter_id = NULL;
			mx->api->state_set(mx->host, "filter_id", NULL);
			again_in(mx, 0);
			return;
		}
		backoff(mx, r, "GET /sync");
		return;
	}
	if (mx_sync_parse(r->body, r->body_len, mx->cfg.user_id, &b->sync, why,
			  sizeof why) != 0) {
		mx->batch = NULL;
		batch_free(b);
		if (skip_unreadable(mx, r, why))
			return;
		mx->api->log(mx->host, REHABD_LOG_WARN,
			     "matrix: an unreadable /sync answer (%s); the cursor stays, trying again", why);
		backoff(mx, NULL, NULL);
		return;
	}
	mx->unreadable = 0;
	fill_next(mx, b);
}

static void request(struct mx *mx)
{
	char *query = NULL, *since = NULL, *filter = NULL;
	struct mx_batch *b;

	if (mx->phase != MX_READY || mx->batch)
		return;
	b = calloc(1, sizeof *b);
	if (!b) {
		backoff(mx, NULL, NULL);
		return;
	}
	b->first = !mx->since;
	b->started = mx_mono();
	since = mx->since ? mx_escape(mx->since) : NULL;
	filter = mx->filter_id ? mx_escape(mx->filter_id) : NULL;
	/* timeout is in milliseconds (sync.yaml); the first sync only
	 * learns where "now" is. */
	if (asprintf(&query, "timeout=%d%s%s%s%s", b->first ? 0 : mx->cfg.sync_timeout * 1000,
		     since ? "&since=" : "", since ? since : "",
		     filter ? "&filter=" : "", filter ? filter : "") < 0)
		query = NULL;
	free(since);
	free(filter);
	mx->batch = b;
	if (query && mx_call(mx, "GET", "/sync", query, NULL, 1,
			     (long)mx->cfg.sync_timeout * 1000 + 30000, SYNC_MAX_ANSWER,
			     sync_done, b) == 0) {
		mx->sync_call = mx_call_last(mx);
	} else {
		mx->batch = NULL;
		batch_free(b);
		backoff(mx, NULL, NULL);
	}
	free(query);
}

void mx_sync_start(struct mx *mx)
{
	const char *c = mx->api->cursor_load(mx->host);
	free(mx->since);
	mx->since = c && *c ? strdup(c) : NULL;
	request(mx);
}

void mx_sync_stop(struct mx *mx)
{
	if (mx->sync_timer)
		mx->api->timer_cancel(mx->host, mx->sync_timer);
	mx->sync_timer = 0;
	mx_call_cancel(mx, mx->sync_call);
	mx->sync_call = 0;
	if (mx->batch) {
		batch_free(mx->batch);
		mx->batch = NULL;
	}
}
