/*
 * Sending: one queue per chat (messages to a chat go out in order, one
 * request at a time), token buckets for the whole bot and for each chat,
 * splitting of long messages, inline keyboards, and the outcome of each
 * message reported to the host exactly once.
 *
 * Scheduling: a chat with work is either ready (may send now), waiting
 * in a min-heap keyed by the time its bucket or a 429 hold allows the
 * next request, or busy (a request in flight).  One host timer wakes the
 * pump for the earliest waiting chat or the global bucket.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg.h"
#include "tg_json.h"
#include "tg_rate.h"
#include "tg_text.h"

#define TG_SEND_TIMEOUT_MS 30000L
#define TG_SEND_MAX_RESPONSE ((size_t)1 << 20)
#define TG_MAX_INFLIGHT 32    /* sendMessage requests at once */
#define TG_REF_RING 4096      /* sent message ids remembered for replies */
#define TG_PART_RETRIES 5     /* retries of the later parts of a message */
#define TG_DEFAULT_429_S 5    /* a 429 that does not say how long */
#define TG_EDIT_MARK "\n\n→ "
#define TG_ANSWERED_RING 256  /* callback queries remembered as answered */
#define TG_ANSWERED_ID_MAX 64 /* longer query ids are not remembered */

enum chat_where { CHAT_IDLE = 0, CHAT_READY, CHAT_WAITING, CHAT_BUSY };

struct tg_job {
	struct tg_job *next;
	uint64_t token;
	char *runner;           /* for logs */
	char **parts;           /* texts, one request each */
	size_t n_parts, next_part;
	int html;               /* parts are Telegram HTML, else plain text */
	char *plain;            /* msg->text while parts come from msg->html */
	char *ref;              /* NULL: no keyboard */
	struct rehabd_choice *choices;
	size_t n_choices, per_row;
	int retries;            /* of the current later part */
};

struct tg_chat {
	struct tg_send *s;
	int64_t id;
	struct tg_job *head, *tail;
	struct tg_bucket bucket;
	double hold_until;      /* 429 or a retry pause */
	double wake;            /* when waiting: when it may send */
	enum chat_where where;
	size_t heap_i;
	struct tg_chat *ready_next;
	uint64_t req;
};

struct tg_ref {
	int64_t chat, msg;
	char ref[TG_REF_MAX + 1];
};

struct tg_send {
	struct tg *tg;
	struct tg_chat **table; /* open addressing by chat id */
	size_t cap, count;
	struct tg_chat *ready_head, *ready_tail;
	struct tg_chat **heap;
	size_t heap_n, heap_cap;
	struct tg_bucket global;
	size_t inflight;
	uint64_t timer;
	int pumping, again;
	struct tg_ref refs[TG_REF_RING];
	size_t ref_next;
	char answered[TG_ANSWERED_RING][TG_ANSWERED_ID_MAX + 1];
	size_t answered_next;
};

static void pump(struct tg_send *s);

/* ---- chats ---------------------------------------------------------------- */

static size_t chat_hash(int64_t id, size_t cap)
{
	uint64_t x = (uint64_t)id * 0x9e3779b97f4a7c15ull;
	return (size_t)(x ^ (x >> 29)) & (cap - 1);
}

static int table_grow(struct tg_send *s)
{
	size_t cap = s->cap ? s->cap * 2 : 64;
	struct tg_chat **t = calloc(cap, sizeof *t);
	if (!t)
		return -1;
	for (size_t i = 0; i < s->cap; i++) {
		struct tg_chat *c = s->table[i];
		if (!c)
			continue;
		size_t h = chat_hash(c->id, cap);
		while (t[h])
			h = (h + 1) & (cap - 1);
		t[h] = c;
	}
	free(s->table);
	s->table = t;
	s->cap = cap;
	return 0;
}

/* The chat with this id, created on first use; NULL when out of memory. */
static struct tg_chat *chat_get(struct tg_send *s, int64_t id)
{
	size_t h;
	if ((s->count + 1) * 10 > s->cap * 7 && table_grow(s) != 0)
		return NULL;
	for (h = chat_hash(id, s->cap); s->table[h]; h = (h + 1) & (s->cap - 1))
		if (s->table[h]->id == id)
			return s->table[h];
	struct tg_chat *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->s = s;
	c->id = id;
	tg_bucket_init(&c->bucket, s->tg->cfg.rate_chat, s->tg->cfg.rate_chat, tg_mono());
	s->table[h] = c;
	s->count++;
	return c;
}

/* ---- the waiting heap ------------------------------------------------------ */

static void heap_swap(struct tg_send *s, size_t a, size_t b)
{
	struct tg_chat *t = s->heap[a];
	s->heap[a] = s->heap[b];
	s->heap[b] = t;
	s->heap[a]->heap_i = a;
	s->heap[b]->heap_i = b;
}

static int heap_push(struct tg_send *s, struct tg_chat *c)
{
	if (s->heap_n == s->heap_cap) {
		size_t cap = s->heap_cap ? s->heap_cap * 2 : 64;
		struct tg_chat **h = realloc(s->heap, cap * sizeof *h);
		if (!h)
			return -1;
		s->heap = h;
		s->heap_cap = cap;
	}
	size_t i = s->heap_n++;
	s->heap[i] = c;
	c->heap_i = i;
	while (i > 0 && s->heap[(i - 1) / 2]->wake > s->heap[i]->wake) {
		heap_swap(s, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
	return 0;
}

static struct tg_chat *heap_pop(struct tg_send *s)
{
	struct tg_chat *top = s->heap[0];
	size_t i = 0;
	heap_swap(s, 0, --s->heap_n);
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < s->heap_n && s->heap[l]->wake < s->heap[m]->wake)
			m = l;
		if (r < s->heap_n && s->heap[r]->wake < s->heap[m]->wake)
			m = r;
		if (m == i)
			break;
		heap_swap(s, i, m);
		i = m;
	}
	return top;
}

static void ready_push(struct tg_send *s, struct tg_chat *c)
{
	c->where = CHAT_READY;
	c->ready_next = NULL;
	if (s->ready_tail)
		s->ready_tail->ready_next = c;
	else
		s->ready_head = c;
	s->ready_tail = c;
}

static struct tg_chat *ready_pop(struct tg_send *s)
{
	struct tg_chat *c = s->ready_head;
	s->ready_head = c->ready_next;
	if (!s->ready_head)
		s->ready_tail = NULL;
	c->where = CHAT_IDLE;
	return c;
}

/* Puts an idle chat with work where it belongs: ready, or waiting until
 * its hold and its bucket allow a request. */
static void chat_schedule(struct tg_send *s, struct tg_chat *c, double now)
{
	if (c->where != CHAT_IDLE || !c->head)
		return;
	double wake = now + tg_bucket_wait(&c->bucket, now);
	if (c->hold_until > wake)
		wake = c->hold_until;
	if (wake <= now) {
		ready_push(s, c);
		return;
	}
	c->wake = wake;
	c->where = CHAT_WAITING;
	if (heap_push(s, c) != 0) {
		/* Out of memory: try it as ready; the checks repeat there. */
		c->where = CHAT_IDLE;
		ready_push(s, c);
	}
}

/* ---- jobs ------------------------------------------------------------------ */

static void job_free(struct tg_job *j)
{
	if (!j)
		return;
	for (size_t i = 0; i < j->n_parts; i++)
		free(j->parts[i]);
	free(j->parts);
	for (size_t i = 0; i < j->n_choices; i++) {
		free((char *)j->choices[i].label);
		free((char *)j->choices[i].value);
	}
	free(j->choices);
	free(j->plain);
	free(j->ref);
	free(j->runner);
	free(j);
}

/*
 * Makes the parts of plain text, split to the limit.  They go without
 * parse_mode, so no character of theirs can make Telegram refuse them
 * as badly formatted.  Returns 0, -1 when out of memory.
 */
static int parts_from_plain(struct tg_job *j, const char *text)
{
	struct tg_parts p;
	if (tg_split(text, TG_TEXT_MAX, 0, &p) != 0)
		return -1;
	j->parts = p.v;
	j->n_parts = p.n;
	j->html = 0;
	return 0;
}

/* Makes the parts from the host's HTML when Telegram will take it.
 * Returns 0 (n_parts may be 0: use the plain text), -1 out of memory. */
static int parts_from_html(struct tg_job *j, const char *html)
{
	int unsafe = 0;
	struct tg_parts p;
	char *conv = tg_html_for_telegram(html, &unsafe);
	int rc;

	if (!conv)
		return unsafe ? 0 : -1;
	rc = tg_split(conv, TG_TEXT_MAX, 1, &p);
	free(conv);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		j->parts = p.v;
		j->n_parts = p.n;
		j->html = 1;
	}
	return 0;
}

static int ref_ok(const char *ref)
{
	size_t n = strlen(ref);
	if (n == 0 || n > TG_REF_MAX)
		return 0;
	for (const char *c = ref; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '_' || *c == '-'))
			return 0;
	return 1;
}

/* Copies what of msg the job needs.  Returns the job, or NULL with a
 * reason in why (out of memory, or a message Telegram cannot take).
 * Only fields of ABI 1.0 are read.  msg->key (1.1) is left alone on
 * purpose: sendMessage has no idempotency key, so a retry after a lost
 * answer may show the message twice, and nothing the plugin could send
 * would stop that. */
static struct tg_job *job_new(const struct rehabd_message *msg, uint64_t token,
			      const char **why)
{
	struct tg_job *j = calloc(1, sizeof *j);
	const char *text = msg->text ? msg->text : "";

	*why = "out of memory";
	if (!j)
		return NULL;
	j->token = token;
	j->runner = strdup(msg->runner ? msg->runner : "?");
	if (!j->runner)
		goto fail;
	if (!tg_utf8_valid(text, strlen(text))) {
		*why = "the text is not valid UTF-8";
		goto fail;
	}
	if (msg->html && parts_from_html(j, msg->html) != 0)
		goto fail;
	if (j->n_parts) {
		j->plain = strdup(text);
		if (!j->plain)
			goto fail;
	} else if (parts_from_plain(j, text) != 0) {
		goto fail;
	}
	if (!j->n_parts) {
		*why = "the message is empty";
		goto fail;
	}
	if (msg->choices && msg->n_choices && msg->ref && ref_ok(msg->ref)) {
		j->ref = strdup(msg->ref);
		j->choices = calloc(msg->n_choices, sizeof *j->choices);
		if (!j->ref || !j->choices)
			goto fail;
		for (size_t i = 0; i < msg->n_choices; i++) {
			const struct rehabd_choice *c = &msg->choices[i];
			j->choices[i].label = strdup(c->label ? c->label : "");
			j->choices[i].value = strdup(c->value ? c->value : "");
			j->n_choices++;
			if (!j->choices[i].label || !j->choices[i].value)
				goto fail;
		}
		j->per_row = msg->choices_per_row;
	}
	return j;
fail:
	job_free(j);
	return NULL;
}

/* Takes the chat's first job off its queue, reports the outcome to the
 * host and frees it. */
static void job_finish(struct tg_send *s, struct tg_chat *c,
		       enum rehabd_send_status status, long retry_after_ms,
		       const char *remote_id, const char *error)
{
	struct tg_job *j = c->head;
	c->head = j->next;
	if (!c->head)
		c->tail = NULL;
	struct rehabd_send_result res = {
		.size = sizeof res,
		.status = status,
		.retry_after_ms = retry_after_ms,
		.remote_id = remote_id,
		.error = error,
	};
	s->tg->api->send_done(s->tg->host, j->token, &res);
	job_free(j);
}

static void remember_ref(struct tg_send *s, int64_t chat, int64_t msg,
			 const char *ref)
{
	struct tg_ref *r = &s->refs[s->ref_next++ % TG_REF_RING];
	r->chat = chat;
	r->msg = msg;
	snprintf(r->ref, sizeof r->ref, "%s", ref);
}

const char *tg_send_ref_of(struct tg *tg, int64_t chat_id, int64_t message_id)
{
	struct tg_send *s = tg->send;
	if (!s || !message_id)
		return NULL;
	for (size_t i = 0; i < TG_REF_RING; i++)
		if (s->refs[i].msg == message_id && s->refs[i].chat == chat_id &&
		    s->refs[i].ref[0])
			return s->refs[i].ref;
	return NULL;
}

/* ---- requests -------------------------------------------------------------- */

static void send_cb(void *arg, const struct rehabd_http_response *resp);

/* Starts the request for the next part of the chat's first job. */
static void dispatch(struct tg_send *s, struct tg_chat *c, double now)
{
	struct tg_job *j = c->head;
	int last = j->next_part + 1 == j->n_parts;
	size_t dropped = 0;
	char *body;

	tg_bucket_take(&s->global, now);
	tg_bucket_take(&c->bucket, now);
	body = tg_build_send(c->id, j->parts[j->next_part], j->html, j->ref,
			     last ? j->choices : NULL, last ? j->n_choices : 0,
			     j->per_row, &dropped);
	if (!body) {
		job_finish(s, c, REHABD_SEND_FAILED, 0, NULL,
			   "the request could not be built");
		chat_schedule(s, c, now);
		return;
	}
	if (dropped)
		s->tg->api->log(s->tg->host, REHABD_LOG_WARN,
				"telegram: %zu button(s) of a message to %s left out: callback data over 64 bytes or invalid text",
				dropped, j->runner);
	c->req = tg_api_call(s->tg, "sendMessage", body, TG_SEND_TIMEOUT_MS,
			     TG_SEND_MAX_RESPONSE, send_cb, c);
	free(body);
	if (!c->req) {
		job_finish(s, c, REHABD_SEND_RETRY, 0, NULL,
			   "the HTTP service refused the request");
		chat_schedule(s, c, now);
		return;
	}
	c->where = CHAT_BUSY;
	s->inflight++;
}

/* Reports every queued job of chat c with status. */
static void chat_drain(struct tg_send *s, struct tg_chat *c,
		       enum rehabd_send_status status, const char *error)
{
	while (c->head)
		job_finish(s, c, status, 0, NULL, error);
}

/* A transient failure (network, 5xx, garbage): the host retries a whole
 * message; a later part is retried here so earlier parts are not sent
 * twice. */
static void transient(struct tg_send *s, struct tg_chat *c, double now,
		      const char *why)
{
	struct tg_job *j = c->head;
	char err[320]; /* why is at most a 240-byte reason */

	if (j->next_part == 0) {
		job_finish(s, c, REHABD_SEND_RETRY, 0, NULL, why);
		return;
	}
	if (++j->retries > TG_PART_RETRIES) {
		snprintf(err, sizeof err, "only %zu of %zu parts sent: %s",
			 j->next_part, j->n_parts, why);
		job_finish(s, c, REHABD_SEND_FAILED, 0, NULL, err);
		return;
	}
	c->hold_until = now + tg_jitter(s->tg, pow(2.0, j->retries));
}

/* Replaces the job's HTML parts by its plain text (Telegram refused
 * the formatting).  Returns 0, -1 when out of memory. */
static int job_to_plain(struct tg_job *j)
{
	for (size_t i = 0; i < j->n_parts; i++)
		free(j->parts[i]);
	free(j->parts);
	j->parts = NULL;
	j->n_parts = 0;
	if (parts_from_plain(j, j->plain) != 0 || !j->n_parts)
		return -1;
	free(j->plain);
	j->plain = NULL;
	return 0;
}

/* Writes why a 4xx is final into why, with what the admin can do. */
static void permanent_why(char *why, size_t len, long code,
			  const struct rehabd_http_response *resp,
			  const struct tg_reply *r)
{
	const char *d = r ? r->description : "";
	const char *hint = "";

	if (strstr(d, "chat not found"))
		hint = " — check the runner's chat id, and that they opened the bot and pressed Start";
	else if (code == 404)
		hint = " — check the bot token and api_base";
	/* A reason cut short still reads; only a failed format leaves
	 * nothing. */
	if (snprintf(why, len, "%s %ld%s%s%s",
		     code == resp->status ? "HTTP" : "error", code,
		     *d ? " " : "", d, hint) < 0 && len)
		why[0] = '\0';
}

static void send_cb(void *arg, const struct rehabd_http_response *resp)
{
	struct tg_chat *c = arg;
	struct tg_send *s = c->s;
	struct tg *tg = s->tg;
	struct tg_job *j = c->head;
	double now = tg_mono();
	struct tg_reply r;
	char why[240];
	int parsed;
	long code;

	c->req = 0;
	c->where = CHAT_IDLE;
	s->inflight--;
	parsed = resp->status && tg_reply_parse(resp->body, resp->body_len, &r) == 0;
	code = tg_outcome(resp, parsed ? &r : NULL);

	if (code == 200 && parsed) {
		if (j->ref)
			remember_ref(s, c->id, r.message_id, j->ref);
		j->retries = 0;
		if (++j->next_part == j->n_parts) {
			char id[24];
			snprintf(id, sizeof id, "%" PRId64, r.message_id);
			job_finish(s, c, REHABD_SEND_OK, 0, r.message_id ? id : NULL, NULL);
		}
	} else if (code == 401) {
		tg_fail(tg); /* reports this job and all others */
		return;
	} else if (code == 429) {
		long secs = tg_retry_after(resp, parsed ? &r : NULL);
		if (secs < 0)
			secs = TG_DEFAULT_429_S;
		c->hold_until = now + (double)secs;
		snprintf(why, sizeof why, "Too Many Requests: retry after %ld", secs);
		if (j->next_part == 0)
			job_finish(s, c, REHABD_SEND_RETRY, secs * 1000L, NULL, why);
	} else if (code == 403) {
		tg->api->log(tg->host, REHABD_LOG_WARN,
			     "telegram: runner %s at chat %" PRId64 " blocked the bot (403 %s); not sending to them until they write again",
			     j->runner, c->id, parsed ? r.description : "Forbidden");
		snprintf(why, sizeof why, "blocked the bot: %s",
			 parsed ? r.description : "Forbidden");
		chat_drain(s, c, REHABD_SEND_UNREACHABLE, why);
	} else if (code == 400 && parsed && r.migrate_to_chat_id) {
		/* The group became a supergroup: every message to the old id
		 * fails the same way, and only the admin can fix the address. */
		snprintf(why, sizeof why,
			 "chat %" PRId64 " was upgraded to a supergroup with id %" PRId64 " — rehabd reads replies only from private chats: use the runner's own chat id",
			 c->id, r.migrate_to_chat_id);
		chat_drain(s, c, REHABD_SEND_UNREACHABLE, why);
	} else if (code == 400 && parsed && j->html && j->plain && j->next_part == 0 &&
		   strstr(r.description, "can't parse entities")) {
		/* Should not happen (the HTML was checked); send the plain
		 * text rather than lose the reminder. */
		tg->api->log(tg->host, REHABD_LOG_WARN,
			     "telegram: Telegram refused the formatting of a message to %s (%s); sending it as plain text",
			     j->runner, r.description);
		if (job_to_plain(j) != 0)
			job_finish(s, c, REHABD_SEND_FAILED, 0, NULL, "out of memory");
	} else if (code >= 400 && code < 500 && code != 408) {
		permanent_why(why, sizeof why, code, resp, parsed ? &r : NULL);
		if (j->next_part > 0) {
			char part[320];
			snprintf(part, sizeof part, "only %zu of %zu parts sent: %s",
				 j->next_part, j->n_parts, why);
			job_finish(s, c, REHABD_SEND_FAILED, 0, NULL, part);
		} else {
			job_finish(s, c, REHABD_SEND_FAILED, 0, NULL, why);
		}
	} else {
		if (code == 0)
			snprintf(why, sizeof why, "network: %s",
				 resp->error ? resp->error : "no response");
		else if (!parsed)
			snprintf(why, sizeof why, "HTTP %ld without a Bot API answer",
				 resp->status);
		else
			snprintf(why, sizeof why, "%s %ld%s%s",
				 code == resp->status ? "HTTP" : "error", code,
				 *r.description ? " " : "", r.description);
		transient(s, c, now, why);
	}
	chat_schedule(s, c, now);
	pump(s);
}

/* ---- the pump -------------------------------------------------------------- */

static void timer_cb(void *arg)
{
	struct tg_send *s = arg;
	s->timer = 0;
	pump(s);
}

/* Starts what the buckets and holds allow, then arms the timer for the
 * earliest moment more can start. */
static void pump(struct tg_send *s)
{
	struct tg *tg = s->tg;
	double now, next = INFINITY;

	if (s->pumping) {
		s->again = 1;
		return;
	}
	s->pumping = 1;
	do {
		s->again = 0;
		now = tg_mono();
		while (s->heap_n && s->heap[0]->wake <= now) {
			struct tg_chat *c = heap_pop(s);
			c->where = CHAT_IDLE;
			ready_push(s, c);
		}
		while (s->ready_head && s->inflight < TG_MAX_INFLIGHT && !tg->failed) {
			if (tg_bucket_wait(&s->global, now) > 0)
				break;
			struct tg_chat *c = ready_pop(s);
			if (!c->head)
				continue;
			if (c->hold_until > now || tg_bucket_wait(&c->bucket, now) > 0) {
				chat_schedule(s, c, now);
				continue;
			}
			dispatch(s, c, now);
		}
	} while (s->again);
	s->pumping = 0;

	if (tg->failed)
		return;
	if (s->heap_n)
		next = s->heap[0]->wake;
	if (s->ready_head && s->inflight < TG_MAX_INFLIGHT) {
		double g = now + tg_bucket_wait(&s->global, now);
		if (g < next)
			next = g;
	}
	if (s->timer) {
		tg->api->timer_cancel(tg->host, s->timer);
		s->timer = 0;
	}
	if (next < INFINITY)
		s->timer = tg->api->timer_start(tg->host,
						next - now > 0.001 ? next - now : 0.001,
						timer_cb, s);
}

/* ---- the interface --------------------------------------------------------- */

struct tg_send *tg_send_new(struct tg *tg)
{
	struct tg_send *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->tg = tg;
	tg_bucket_init(&s->global, tg->cfg.rate_global, tg->cfg.rate_global, tg_mono());
	if (table_grow(s) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

int tg_send_queue(struct tg *tg, const struct rehabd_message *msg,
		  uint64_t token)
{
	struct tg_send *s = tg->send;
	struct tg_chat *c;
	struct tg_job *j;
	const char *why;
	int64_t chat_id;

	if (tg->failed)
		return -1;
	if (tg_parse_int64(msg->address, &chat_id) != 0) {
		tg->api->log(tg->host, REHABD_LOG_ERROR,
			     "telegram: cannot send to %s: address \"%s\" is not a chat id",
			     msg->runner ? msg->runner : "?", msg->address ? msg->address : "");
		return -1;
	}
	j = job_new(msg, token, &why);
	if (!j) {
		tg->api->log(tg->host, REHABD_LOG_ERROR,
			     "telegram: cannot send the %s message to %s: %s",
			     msg->kind ? msg->kind : "", msg->runner ? msg->runner : "?", why);
		return -1;
	}
	c = chat_get(s, chat_id);
	if (!c) {
		job_free(j);
		return -1;
	}
	if (c->tail)
		c->tail->next = j;
	else
		c->head = j;
	c->tail = j;
	chat_schedule(s, c, tg_mono());
	pump(s);
	return 0;
}

/* Cancels the timer and the requests in flight. */
static void send_stop(struct tg_send *s)
{
	struct tg *tg = s->tg;
	if (s->timer)
		tg->api->timer_cancel(tg->host, s->timer);
	s->timer = 0;
	for (size_t i = 0; i < s->cap; i++) {
		struct tg_chat *c = s->table[i];
		if (c && c->req) {
			tg->api->http_cancel(tg->host, c->req);
			c->req = 0;
		}
		if (c)
			c->where = CHAT_IDLE;
	}
	s->inflight = 0;
	s->heap_n = 0;
	s->ready_head = s->ready_tail = NULL;
}

void tg_send_abort(struct tg *tg, const char *reason)
{
	struct tg_send *s = tg->send;
	if (!s)
		return;
	send_stop(s);
	for (size_t i = 0; i < s->cap; i++)
		if (s->table[i])
			chat_drain(s, s->table[i], REHABD_SEND_RETRY, reason);
}

void tg_send_free(struct tg *tg)
{
	struct tg_send *s = tg->send;
	if (!s)
		return;
	send_stop(s);
	for (size_t i = 0; i < s->cap; i++) {
		struct tg_chat *c = s->table[i];
		if (!c)
			continue;
		while (c->head) {
			struct tg_job *j = c->head;
			c->head = j->next;
			job_free(j);
		}
		free(c);
	}
	free(s->table);
	free(s->heap);
	free(s);
	tg->send = NULL;
}

/* 1 when this process answered the callback query id before; else
 * remembers it and returns 0. */
static int answered_before(struct tg_send *s, const char *id)
{
	if (strlen(id) > TG_ANSWERED_ID_MAX)
		return 0;
	for (size_t i = 0; i < TG_ANSWERED_RING; i++)
		if (!strcmp(s->answered[i], id))
			return 1;
	snprintf(s->answered[s->answered_next++ % TG_ANSWERED_RING],
		 sizeof s->answered[0], "%s", id);
	return 0;
}

void tg_send_tap_answer(struct tg *tg, const char *callback_id,
			const char *ack, int took, int64_t chat_id,
			int64_t message_id, const char *msg_text,
			const char *entities, const char *label)
{
	char *text = NULL;

	if (!tg->send || !answered_before(tg->send, callback_id))
		tg_api_aux(tg, "answerCallbackQuery",
			   tg_build_answer(callback_id, ack));
	if (!took || !message_id)
		return;
	/* Show what was chosen under the message, keeping its formatting;
	 * without the text (an old message) just drop the keyboard. */
	if (msg_text && label &&
	    asprintf(&text, "%s" TG_EDIT_MARK "%s", msg_text, label) < 0)
		text = NULL;
	if (text && tg_utf16_len(text, strlen(text)) <= TG_TEXT_MAX) {
		tg_api_aux(tg, "editMessageText",
			   tg_build_edit_text(chat_id, message_id, text, entities));
		free(text);
		return;
	}
	free(text);
	tg_api_aux(tg, "editMessageReplyMarkup",
		   tg_build_remove_keyboard(chat_id, message_id));
}
