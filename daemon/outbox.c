/*
 * The outbox: see outbox.h.  A pump runs in two steps: every due row is
 * marked `sending` and that is committed; only then are the rows handed
 * to their channels.
 */
#include "outbox.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ev.h>

#include "coach/coach_date.h"
#include "fault.h"
#include "host.h"
#include "log.h"
#include "schedule.h"

#define OUTBOX_BATCH 256
#define BACKOFF_FIRST 5.0      /* clock seconds */
#define BACKOFF_MAX (15 * 60.0)
#define CHANNEL_WAIT 30.0      /* real seconds: a closed channel is looked at again */
#define STORE_RETRY 5.0        /* real seconds: a failing store is tried again */
#define MAX_SLEEP 60.0         /* real seconds: wall-clock jumps are noticed */

/* 0-10; the morning adds the red-flag question as a choice of its own
 * (the parser reads its value as pain at rest or at night), so a red
 * flag is asked for, not only volunteered. */
static const struct rehabd_choice pain_choices[] = {
	{ "0", "0" }, { "1", "1" }, { "2", "2" }, { "3", "3" },
	{ "4", "4" }, { "5", "5" }, { "6", "6" }, { "7", "7" },
	{ "8", "8" }, { "9", "9" }, { "10", "10" },
	{ "Pain at rest or at night", "pain at rest or at night" },
};
#define PAIN_SCORES 11 /* the first 11 choices: 0-10 only */

static const struct rehabd_choice reminder_choices[] = {
	{ "Done ✓", "done" },
	{ "Skip", "skip" },
	{ "Snooze 30 min", "snooze" },
};

/* An outcome recorded in the lazy transaction but not committed yet: if
 * the commit fails it is recorded again (the row would otherwise stay
 * `sending` until a restart sends it twice). */
struct outcome {
	int64_t id;
	enum outbox_state state;
	int attempts;
	double next_try, sent_at;
	char error[160];
	int unreachable;      /* also mark the runner unreachable */
	char runner[64];
	char remote_id[256];  /* the server's id of the sent message, or "" */
};

struct outbox {
	struct outbox_deps d;
	double expiry;        /* clock seconds */
	int held;
	size_t in_flight;
	struct outcome *pending;
	size_t n_pending, cap_pending;
	int redo;             /* pending outcomes were rolled back */
	ev_timer timer;
};

/* A row on its way to a channel between the two steps of a pump. */
struct handover {
	struct outbox_row row;
	struct outbox_route route;
};

static void timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	outbox_pump(w->data);
}

/* Outcomes are forgotten once a commit that holds them succeeded; a
 * commit that succeeds while they wait to be redone does not hold them. */
static void committed_cb(void *arg, int ok)
{
	struct outbox *ob = arg;
	if (ok && !ob->redo)
		ob->n_pending = 0;
	else if (!ok && ob->n_pending)
		ob->redo = 1;
}

struct outbox *outbox_new(const struct outbox_deps *deps)
{
	struct outbox *ob = calloc(1, sizeof *ob);
	if (!ob)
		return NULL;
	ob->d = *deps;
	ob->expiry = 360 * 60.0;
	ev_init(&ob->timer, timer_cb);
	ob->timer.data = ob;
	deps->tx->committed = committed_cb;
	deps->tx->arg = ob;
	return ob;
}

void outbox_free(struct outbox *ob)
{
	if (!ob)
		return;
	ev_timer_stop(ob->d.loop, &ob->timer);
	if (ob->d.tx->arg == ob)
		ob->d.tx->committed = NULL;
	free(ob->pending);
	free(ob);
}

void outbox_set_limits(struct outbox *ob, int send_expiry_minutes,
		       int grace_minutes)
{
	int m = send_expiry_minutes > grace_minutes ? send_expiry_minutes
						    : grace_minutes;
	ob->expiry = m * 60.0;
}

void outbox_hold(struct outbox *ob, int hold)
{
	ob->held = hold;
	if (!hold)
		outbox_pump(ob);
}

size_t outbox_in_flight(const struct outbox *ob)
{
	return ob->in_flight;
}

void outbox_reset_in_flight(struct outbox *ob)
{
	ob->in_flight = 0;
}

void outbox_row_key(const struct store *st, int64_t id, char *buf, size_t len)
{
	snprintf(buf, len, "rehabd-%s-%lld", store_instance(st), (long long)id);
}

/* Backoff for the n-th failed attempt, in clock seconds: exponential with
 * +-20 % jitter so many runners do not retry in lockstep. */
static double backoff(int attempts)
{
	double d = BACKOFF_FIRST * pow(2.0, attempts > 1 ? attempts - 1 : 0);
	if (d > BACKOFF_MAX)
		d = BACKOFF_MAX;
	return d * (0.8 + 0.4 * ((double)rand() / RAND_MAX));
}

/* Sleeps `real` seconds at most, less when a row falls due sooner. */
static void arm(struct outbox *ob, double real)
{
	double next = 0;
	ev_timer_stop(ob->d.loop, &ob->timer);
	if (lazy_tx_healthy(ob->d.tx) && !ob->redo &&
	    store_outbox_next_try(ob->d.store, &next) == 0 && next != 0) {
		double delay = clock_real_delay(ob->d.clock, next);
		if (delay < real)
			real = delay;
	}
	ev_timer_set(&ob->timer, real + 0.0005, 0);
	ev_timer_start(ob->d.loop, &ob->timer);
}

/* Keeps an outcome until a commit that holds it succeeds.  Returns 0 or
 * -1 (out of memory). */
static int keep(struct outbox *ob, const struct outcome *o)
{
	if (ob->n_pending == ob->cap_pending) {
		size_t cap = ob->cap_pending ? ob->cap_pending * 2 : 16;
		struct outcome *p = realloc(ob->pending, cap * sizeof *p);
		if (!p)
			return -1;
		ob->pending = p;
		ob->cap_pending = cap;
	}
	ob->pending[ob->n_pending++] = *o;
	return 0;
}

/* Writes an outcome into the open transaction. */
static int apply(struct outbox *ob, const struct outcome *o)
{
	if (store_outbox_update(ob->d.store, o->id, o->state, o->attempts,
				o->next_try, o->sent_at,
				o->error[0] ? o->error : NULL) != 0)
		return -1;
	if (o->remote_id[0] &&
	    store_outbox_set_remote_id(ob->d.store, o->id, o->remote_id) != 0)
		return -1;
	if (o->unreachable &&
	    store_runner_set_unreachable(ob->d.store, o->runner, 1, o->error,
					 clock_now(ob->d.clock)) != 0)
		return -1;
	return 0;
}

/* Records an outcome in the lazy transaction; if that fails or its
 * commit does, the next pump records it again. */
static void record(struct outbox *ob, const struct outcome *o)
{
	if (keep(ob, o) != 0) {
		log_error("out of memory keeping the outcome of row %lld",
			  (long long)o->id);
		return;
	}
	if (lazy_tx_begin(ob->d.tx) != 0 || apply(ob, o) != 0) {
		lazy_tx_abort(ob->d.tx);
		ob->redo = 1;
	}
}

/* After a rolled-back commit: the outcomes again, in a transaction of
 * their own.  Returns 0 once they are durable. */
static int redo_outcomes(struct outbox *ob)
{
	if (!ob->redo)
		return 0;
	if (lazy_tx_begin(ob->d.tx) != 0)
		return -1;
	for (size_t i = 0; i < ob->n_pending; i++)
		if (apply(ob, &ob->pending[i]) != 0) {
			lazy_tx_abort(ob->d.tx);
			return -1;
		}
	ob->redo = 0; /* a successful commit now clears them */
	return lazy_tx_flush(ob->d.tx);
}

static void subject_for(const struct outbox_row *row, char *buf, size_t len)
{
	char date[11];
	coach_day_format(row->day, date);
	if (!strcmp(row->kind, OUTBOX_KIND_REPLY) ||
	    !strcmp(row->kind, OUTBOX_KIND_CHECKIN))
		snprintf(buf, len, "rehabd");
	else
		snprintf(buf, len, "rehabd: %s %s", row->kind, date);
}

/* Step 1 for one queued row: settles it when it cannot be sent (runner
 * gone, expired, unreachable, channel down) or marks it `sending`.
 * Returns 1 when it is to be handed over, 0 when settled, -1 on a store
 * error. */
static int prepare_row(struct outbox *ob, const struct outbox_row *row,
		       double now, struct outbox_route *route)
{
	int unreachable = 0;

	if (ob->d.route(ob->d.arg, row->runner, route) != 0)
		return store_outbox_update(ob->d.store, row->id, OUTBOX_FAILED,
					   row->attempts, row->next_try, 0,
					   "runner no longer configured");
	/* From when it was queued: a row made late on purpose (within the
	 * grace after a restart or a clock step) is not given up at once. */
	double since = row->queued_at > row->due ? row->queued_at : row->due;
	if (now - since > ob->expiry) {
		if (row->attempts)
			log_warn("%s: giving up on the %s message of row %lld after %d attempt(s): %s",
				 row->runner, row->slot, (long long)row->id,
				 row->attempts, row->error ? row->error : "not sent in time");
		else
			log_warn("%s: the %s message of row %lld was never sent (%s) and is now %.0f min past its time; dropped",
				 row->runner, row->slot, (long long)row->id,
				 row->error ? row->error : "no chance to send it",
				 (now - row->due) / 60);
		return store_outbox_update(ob->d.store, row->id, OUTBOX_EXPIRED,
					   row->attempts, row->next_try, 0,
					   row->error ? row->error : "expired");
	}
	if (store_runner_unreachable(ob->d.store, row->runner, &unreachable) != 0)
		return -1;
	if (unreachable)
		return store_outbox_update(ob->d.store, row->id, OUTBOX_FAILED,
					   row->attempts, row->next_try, 0,
					   "runner unreachable");
	if (!route->ch || !host_channel_usable(route->ch))
		return store_outbox_update(ob->d.store, row->id, OUTBOX_QUEUED,
					   row->attempts,
					   now + clock_span(ob->d.clock, CHANNEL_WAIT), 0,
					   "channel not running");
	if (store_outbox_update(ob->d.store, row->id, OUTBOX_SENDING,
				row->attempts + 1, row->next_try, 0, row->error) != 0)
		return -1;
	return 1;
}

/* Step 2: hands one row, durably `sending`, to its channel. */
static void hand_over(struct outbox *ob, const struct handover *h)
{
	const struct outbox_row *row = &h->row;
	char ref[24], local[64], subject[96], key[64];

	snprintf(ref, sizeof ref, "%lld", (long long)row->id);
	outbox_row_key(ob->d.store, row->id, key, sizeof key);
	if (sched_format_local(h->route.zone, (int64_t)row->due, local, sizeof local) != 0)
		snprintf(local, sizeof local, "?");
	subject_for(row, subject, sizeof subject);
	struct rehabd_message msg = {
		.size = sizeof msg,
		.ref = ref,
		.runner = row->runner,
		.address = h->route.address,
		.kind = row->slot,
		.local_time = local,
		.subject = subject,
		.text = row->text ? row->text : "",
		.html = row->html,
		.key = key,
	};
	if (!strcmp(row->kind, "morning")) {
		msg.choices = pain_choices;
		msg.n_choices = sizeof pain_choices / sizeof pain_choices[0];
		msg.choices_per_row = 6;
	} else if (!strcmp(row->kind, "evening") ||
		   !strcmp(row->kind, OUTBOX_KIND_CHECKIN)) {
		msg.choices = pain_choices;
		msg.n_choices = PAIN_SCORES;
		msg.choices_per_row = 6;
	} else if (!strcmp(row->kind, "stretch") || !strcmp(row->kind, "strength")) {
		msg.choices = reminder_choices;
		msg.n_choices = sizeof reminder_choices / sizeof reminder_choices[0];
		msg.choices_per_row = 3;
	}
	ob->in_flight++;
	if (host_channel_send(h->route.ch, &msg, (uint64_t)row->id) != 0) {
		struct outcome o = { .id = row->id, .state = OUTBOX_FAILED,
				     .attempts = row->attempts + 1,
				     .next_try = row->next_try };
		ob->in_flight--;
		snprintf(o.error, sizeof o.error, "refused by the channel");
		log_error("%s: channel %s refused the %s message outright; not retrying",
			  row->runner, host_channel_name(h->route.ch), row->slot);
		record(ob, &o);
		return;
	}
	fault_point("after_handover");
}

struct id_list {
	int64_t ids[OUTBOX_BATCH];
	size_t n;
};

static void collect(void *arg, const struct outbox_row *row)
{
	struct id_list *l = arg;
	if (l->n < OUTBOX_BATCH)
		l->ids[l->n++] = row->id;
}

/* One round: up to OUTBOX_BATCH due rows.  Returns the number of rows
 * looked at, or -1 when the store failed (nothing was handed over). */
static int pump_round(struct outbox *ob, struct id_list *l, struct handover *hv,
		      double now)
{
	size_t n_hv = 0;
	int rc = -1;

	l->n = 0;
	if (lazy_tx_begin(ob->d.tx) != 0 ||
	    store_outbox_each_due(ob->d.store, now, OUTBOX_BATCH, collect, l) != 0)
		goto fail;
	for (size_t i = 0; i < l->n; i++) {
		struct handover *h = &hv[n_hv];
		int got = store_outbox_get(ob->d.store, l->ids[i], &h->row);
		if (got < 0)
			goto fail;
		if (got == 0)
			continue;
		int ready = h->row.state == OUTBOX_QUEUED
				    ? prepare_row(ob, &h->row, now, &h->route) : 0;
		if (ready < 0) {
			outbox_row_clear(&h->row);
			goto fail;
		}
		if (ready == 1)
			n_hv++;
		else
			outbox_row_clear(&h->row);
	}
	/* Durable first: a plugin never sees a row whose `sending` state a
	 * failed commit could still undo. */
	if (lazy_tx_flush(ob->d.tx) != 0)
		goto fail;
	for (size_t i = 0; i < n_hv; i++)
		hand_over(ob, &hv[i]);
	rc = (int)l->n;
fail:
	if (rc < 0)
		lazy_tx_abort(ob->d.tx); /* nothing of the round stays */
	for (size_t i = 0; i < n_hv; i++)
		outbox_row_clear(&hv[i].row);
	return rc;
}

void outbox_pump(struct outbox *ob)
{
	struct id_list *l = malloc(sizeof *l);
	struct handover *hv = calloc(OUTBOX_BATCH, sizeof *hv);
	double now = clock_now(ob->d.clock);
	double wait = MAX_SLEEP;

	if (!l || !hv) {
		log_error("out of memory sending the outbox; trying again in %.0f s",
			  STORE_RETRY);
		wait = STORE_RETRY;
		goto out;
	}
	if (ob->held)
		goto out;
	if (redo_outcomes(ob) != 0) {
		wait = STORE_RETRY;
		goto out;
	}
	/* Bounded: a row that fails to change state must not spin us. */
	for (int round = 0; round < 100; round++) {
		int n = pump_round(ob, l, hv, now);
		if (n < 0) {
			wait = STORE_RETRY;
			break;
		}
		if (n < OUTBOX_BATCH)
			break;
	}
out:
	free(l);
	free(hv);
	arm(ob, wait);
}

int outbox_queue_now(struct outbox *ob, const char *runner, int32_t day,
		     const char *slot, const char *kind, const char *text,
		     const char *html)
{
	double now = clock_now(ob->d.clock);
	struct outbox_row row = {
		.runner = (char *)runner,
		.day = day,
		.slot = (char *)slot,
		.kind = (char *)kind,
		.due = now,
		.next_try = now,
		.state = OUTBOX_QUEUED,
		.text = (char *)text,
		.html = (char *)html,
	};
	int inserted;
	return store_outbox_insert(ob->d.store, &row, &inserted);
}

void outbox_send_done(struct outbox *ob, struct host_channel *ch,
		      uint64_t token, const struct rehabd_send_result *res)
{
	struct outbox_row row;
	double now = clock_now(ob->d.clock);
	const char *error = res->error;
	struct outcome o = { .id = (int64_t)token };

	if (store_outbox_get(ob->d.store, (int64_t)token, &row) != 1)
		return;
	if (row.state != OUTBOX_SENDING)
		goto out; /* a report for a send from before a reload */
	if (ob->in_flight)
		ob->in_flight--;
	o.attempts = row.attempts;
	o.next_try = row.next_try;
	snprintf(o.runner, sizeof o.runner, "%s", row.runner);

	switch (res->status) {
	case REHABD_SEND_OK:
		o.state = OUTBOX_SENT;
		o.sent_at = now;
		/* Kept so that an answer naming the server's id (a Matrix
		 * reaction, a reply) finds this row; one that would not fit
		 * is not kept rather than kept cut. */
		if (res->remote_id && strlen(res->remote_id) < sizeof o.remote_id)
			snprintf(o.remote_id, sizeof o.remote_id, "%s", res->remote_id);
		log_debug("%s: %s sent", row.runner, row.slot);
		break;
	case REHABD_SEND_RETRY: {
		double wait = backoff(row.attempts);
		double server = clock_span(ob->d.clock, res->retry_after_ms / 1000.0);
		if (server > wait)
			wait = server;
		o.state = OUTBOX_QUEUED;
		o.next_try = now + wait;
		error = error ? error : "retry";
		log_info("%s: %s not sent (%s); retrying in %.0f s", row.runner,
			 row.slot, res->error ? res->error : "temporary failure",
			 wait);
		break;
	}
	case REHABD_SEND_UNREACHABLE:
		o.state = OUTBOX_FAILED;
		o.unreachable = 1;
		error = error ? error : "unreachable";
		log_warn("%s cannot be reached on channel %s (%s): no more reminders until they write again",
			 row.runner, host_channel_name(ch),
			 res->error ? res->error : "blocked");
		break;
	case REHABD_SEND_FAILED:
	default:
		o.state = OUTBOX_FAILED;
		error = error ? error : "failed";
		log_error("%s: the %s message could not be sent: %s", row.runner,
			  row.slot, res->error ? res->error : "permanent failure");
		break;
	}
	if (error)
		snprintf(o.error, sizeof o.error, "%s", error);
	record(ob, &o);
	arm(ob, ob->redo ? STORE_RETRY : MAX_SLEEP);
out:
	outbox_row_clear(&row);
}
