/*
 * The outbox: hands due rows to their channel, records the outcome and
 * retries with backoff.  A row is unique per runner + day + slot, so
 * whatever happens a slot is sent at most once unless a send was cut off
 * mid-way by a crash (then at least once).
 */
#include "engine_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coach/coach_date.h"
#include "log.h"
#include "schedule.h"

#define OUTBOX_BATCH 256
#define BACKOFF_FIRST 5.0      /* seconds */
#define BACKOFF_MAX (15 * 60.0)
#define CHANNEL_WAIT 30.0      /* a closed channel is looked at again */

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

static void timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	outbox_pump(w->data);
}

void outbox_init(struct engine *e)
{
	ev_init(&e->outbox_timer, timer_cb);
	e->outbox_timer.data = e;
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

static void arm(struct engine *e)
{
	double next = 0;
	ev_timer_stop(e->loop, &e->outbox_timer);
	if (store_outbox_next_try(e->store, &next) != 0 || next == 0)
		return;
	double delay = clock_real_delay(&e->clock, next);
	if (delay > 60)
		delay = 60; /* wall-clock jumps */
	ev_timer_set(&e->outbox_timer, delay + 0.0005, 0);
	ev_timer_start(e->loop, &e->outbox_timer);
}

static void subject_for(const struct outbox_row *row, char *buf, size_t len)
{
	char date[11];
	coach_day_format(row->day, date);
	if (!strcmp(row->kind, ENGINE_KIND_REPLY) ||
	    !strcmp(row->kind, ENGINE_KIND_CHECKIN))
		snprintf(buf, len, "rehabd");
	else
		snprintf(buf, len, "rehabd: %s %s", row->kind, date);
}

/* Sends one queued row.  Returns 0, or -1 on a store error. */
static int send_row(struct engine *e, const struct outbox_row *row, double now)
{
	struct eng_runner *r = engine_runner_by_name(e, row->runner);
	char ref[24], local[64], subject[96];
	int unreachable = 0;

	if (!r) {
		/* Removed from the config: nobody to send it to. */
		return store_outbox_update(e->store, row->id, OUTBOX_FAILED,
					   row->attempts, row->next_try, 0,
					   "runner no longer configured");
	}
	if (now - row->due > e->s.cfg->send_expiry_minutes * 60.0) {
		log_warn("%s: giving up on the %s message of row %lld after %d attempt(s): %s",
			 r->cfg->name, row->slot, (long long)row->id, row->attempts,
			 row->error ? row->error : "not sent in time");
		return store_outbox_update(e->store, row->id, OUTBOX_EXPIRED,
					   row->attempts, row->next_try, 0,
					   row->error ? row->error : "expired");
	}
	if (store_runner_unreachable(e->store, r->cfg->name, &unreachable) != 0)
		return -1;
	if (unreachable)
		return store_outbox_update(e->store, row->id, OUTBOX_FAILED,
					   row->attempts, row->next_try, 0,
					   "runner unreachable");
	if (!r->ch || !host_channel_usable(r->ch))
		return store_outbox_update(e->store, row->id, OUTBOX_QUEUED,
					   row->attempts,
					   now + clock_span(&e->clock, CHANNEL_WAIT), 0,
					   "channel not running");
	if (store_outbox_update(e->store, row->id, OUTBOX_SENDING,
				row->attempts + 1, row->next_try, 0, row->error) != 0)
		return -1;

	snprintf(ref, sizeof ref, "%lld", (long long)row->id);
	if (sched_format_local(r->cfg->zone, (int64_t)row->due, local, sizeof local) != 0)
		snprintf(local, sizeof local, "?");
	subject_for(row, subject, sizeof subject);
	struct rehabd_message msg = {
		.size = sizeof msg,
		.ref = ref,
		.runner = r->cfg->name,
		.address = r->cfg->address,
		.kind = row->slot,
		.local_time = local,
		.subject = subject,
		.text = row->text ? row->text : "",
		.html = row->html,
	};
	if (!strcmp(row->kind, "morning")) {
		msg.choices = pain_choices;
		msg.n_choices = sizeof pain_choices / sizeof pain_choices[0];
		msg.choices_per_row = 6;
	} else if (!strcmp(row->kind, "evening") ||
		   !strcmp(row->kind, ENGINE_KIND_CHECKIN)) {
		msg.choices = pain_choices;
		msg.n_choices = PAIN_SCORES;
		msg.choices_per_row = 6;
	} else if (!strcmp(row->kind, "stretch") || !strcmp(row->kind, "strength")) {
		msg.choices = reminder_choices;
		msg.n_choices = sizeof reminder_choices / sizeof reminder_choices[0];
		msg.choices_per_row = 3;
	}
	if (host_channel_send(r->ch, &msg, (uint64_t)row->id) != 0) {
		log_error("%s: channel %s refused the %s message outright; not retrying",
			  r->cfg->name, host_channel_name(r->ch), row->slot);
		return store_outbox_update(e->store, row->id, OUTBOX_FAILED,
					   row->attempts + 1, row->next_try, 0,
					   "refused by the channel");
	}
	return 0;
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

void outbox_pump(struct engine *e)
{
	struct id_list *l = malloc(sizeof *l);
	double now = engine_now(e);

	if (!l)
		return;
	/* Bounded: a row that fails to change state must not spin us. */
	for (int round = 0; round < 100; round++) {
		l->n = 0;
		if (engine_tx_lazy(e) != 0 ||
		    store_outbox_each_due(e->store, now, OUTBOX_BATCH, collect, l) != 0)
			break;
		for (size_t i = 0; i < l->n; i++) {
			struct outbox_row row;
			if (store_outbox_get(e->store, l->ids[i], &row) != 1)
				continue;
			/* A synchronous channel may have finished it already. */
			if (row.state == OUTBOX_QUEUED)
				send_row(e, &row, now);
			outbox_row_clear(&row);
		}
		if (l->n < OUTBOX_BATCH)
			break;
	}
	free(l);
	arm(e);
}

int outbox_queue_now(struct engine *e, struct eng_runner *r, int32_t day,
		     const char *slot, const char *kind, const char *text,
		     const char *html)
{
	double now = engine_now(e);
	struct outbox_row row = {
		.runner = (char *)r->cfg->name,
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
	return store_outbox_insert(e->store, &row, &inserted);
}

void outbox_send_done(void *ctx, struct host_channel *ch, uint64_t token,
		      const struct rehabd_send_result *res)
{
	struct engine *e = ctx;
	struct outbox_row row;
	double now = engine_now(e);
	(void)ch;

	if (engine_tx_lazy(e) != 0)
		return;
	if (store_outbox_get(e->store, (int64_t)token, &row) != 1)
		return;
	if (row.state != OUTBOX_SENDING)
		goto out; /* a report for a send from before a reload */

	switch (res->status) {
	case REHABD_SEND_OK:
		store_outbox_update(e->store, row.id, OUTBOX_SENT, row.attempts,
				    row.next_try, now, NULL);
		log_debug("%s: %s sent", row.runner, row.slot);
		break;
	case REHABD_SEND_RETRY: {
		double wait = backoff(row.attempts);
		double server = clock_span(&e->clock, res->retry_after_ms / 1000.0);
		if (server > wait)
			wait = server;
		store_outbox_update(e->store, row.id, OUTBOX_QUEUED, row.attempts,
				    now + wait, 0, res->error ? res->error : "retry");
		log_info("%s: %s not sent (%s); retrying in %.0f s", row.runner,
			 row.slot, res->error ? res->error : "temporary failure",
			 wait);
		break;
	}
	case REHABD_SEND_UNREACHABLE:
		store_outbox_update(e->store, row.id, OUTBOX_FAILED, row.attempts,
				    row.next_try, 0, res->error ? res->error : "unreachable");
		store_runner_set_unreachable(e->store, row.runner, 1, res->error, now);
		log_warn("%s cannot be reached on channel %s (%s): no more reminders until they write again",
			 row.runner, host_channel_name(ch),
			 res->error ? res->error : "blocked");
		break;
	case REHABD_SEND_FAILED:
	default:
		store_outbox_update(e->store, row.id, OUTBOX_FAILED, row.attempts,
				    row.next_try, 0, res->error ? res->error : "failed");
		log_error("%s: the %s message could not be sent: %s", row.runner,
			  row.slot, res->error ? res->error : "permanent failure");
		break;
	}
	arm(e);
out:
	outbox_row_clear(&row);
}
