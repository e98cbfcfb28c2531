/*
 * Daily slots: when a runner's reminders are due, turn each due slot into
 * exactly one outbox row with the coach's text for that day.
 */
#include "engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coach/coach_date.h"
#include "log.h"
#include "schedule.h"

/* Longest we let a runner timer sleep, in real seconds: a wall-clock jump
 * (NTP step, suspend) is noticed within this time. */
#define SLOTS_MAX_SLEEP 60.0

static void add_slot(struct eng_runner *r, const char *name, const char *kind,
		     enum coach_slot cslot, int index, int minute)
{
	struct slot_def *s = &r->slots[r->n_slots++];
	snprintf(s->name, sizeof s->name, "%s", name);
	s->kind = kind;
	s->cslot = cslot;
	s->stretch_index = index;
	s->minute = minute;
}

enum slot_catch_up slot_catch_up(double due, double started_at, double now,
				 double grace)
{
	if (due >= started_at)
		return SLOT_SEND;
	return now - due <= grace ? SLOT_SEND_LATE : SLOT_SKIP;
}

static void timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	slots_tick(w->data);
}

void slots_setup(struct eng_runner *r)
{
	const struct cfg_runner *c = r->cfg;
	char name[16];

	r->n_slots = 0;
	add_slot(r, "morning", "morning", COACH_SLOT_MORNING, 0, c->morning_min);
	for (int i = 0; i < c->n_stretch && i < CFG_MAX_STRETCH; i++) {
		snprintf(name, sizeof name, "stretch%d", i + 1);
		add_slot(r, name, "stretch", COACH_SLOT_STRETCH, i + 1,
			 c->stretch_min[i]);
	}
	add_slot(r, "strength", "strength", COACH_SLOT_STRENGTH, 0, c->strength_min);
	add_slot(r, "evening", "evening", COACH_SLOT_EVENING, 0, c->evening_min);
	ev_init(&r->timer, timer_cb);
	r->timer.data = r;
}

/* Builds the row for one due slot: its text from the day's plan, or a
 * SKIPPED / PAUSED row that only records that the slot was handled. */
static int make_row(struct eng_runner *r, const struct slot_def *sd, int32_t day,
		    double due, double now, int *queued)
{
	struct engine *e = r->e;
	struct outbox_row row = {
		.runner = (char *)r->cfg->name,
		.day = day,
		.slot = (char *)sd->name,
		.kind = (char *)sd->kind,
		.due = due,
		.next_try = now,
	};
	char date[11], text[COACH_MESSAGE_MAX * 2], html[COACH_MESSAGE_MAX * 3];
	struct coach_plan plan;
	int inserted = 0;

	enum slot_catch_up what = slot_catch_up(due, e->started_at, now,
						e->s.cfg->grace_minutes * 60.0);

	coach_day_format(day, date);
	*queued = 0;
	if (what == SLOT_SKIP) {
		/* Missed while rehabd was down, for longer than the grace. */
		row.state = OUTBOX_SKIPPED;
		row.error = "missed while rehabd was down";
		if (store_outbox_insert(e->store, &row, &inserted) != 0)
			return -1;
		if (inserted)
			log_warn("%s: the %s reminder of %s was due %.0f min ago while rehabd was down; skipped (grace is %d min)",
				 r->cfg->name, sd->name, date, (now - due) / 60,
				 e->s.cfg->grace_minutes);
		return 0;
	}
	if (engine_plan(e, r, day, &plan, NULL) != 0)
		return -1;
	if (plan.flags & COACH_FLAG_PAUSED) {
		row.state = OUTBOX_PAUSED;
		row.error = "paused";
		return store_outbox_insert(e->store, &row, &inserted);
	}
	if (coach_message_slot(r->program, &plan, sd->cslot, sd->stretch_index,
			       COACH_TEXT_PLAIN, text, sizeof text) < 0 ||
	    coach_message_slot(r->program, &plan, sd->cslot, sd->stretch_index,
			       COACH_TEXT_HTML, html, sizeof html) < 0) {
		log_error("%s: could not write the %s message of %s — the program's texts may be too long",
			  r->cfg->name, sd->name, date);
		row.state = OUTBOX_FAILED;
		row.error = "message text too long";
		return store_outbox_insert(e->store, &row, &inserted);
	}
	row.state = OUTBOX_QUEUED;
	row.text = text;
	row.html = html;
	if (store_outbox_insert(e->store, &row, &inserted) != 0)
		return -1;
	if (inserted && what == SLOT_SEND_LATE)
		log_info("%s: sending the %s reminder of %s late (due %.0f min ago, while rehabd was down)",
			 r->cfg->name, sd->name, date, (now - due) / 60);
	*queued = inserted;
	return 0;
}

/* Re-arms the runner's timer for its next slot. */
static void arm(struct eng_runner *r, double now)
{
	struct engine *e = r->e;
	int64_t next = 0;

	for (size_t i = 0; i < r->n_slots; i++) {
		int64_t t;
		if (sched_next(r->cfg->zone, r->slots[i].minute, (int64_t)now, &t,
			       NULL) == 0 &&
		    (!next || t < next))
			next = t;
	}
	double delay = next ? clock_real_delay(&e->clock, (double)next) : SLOTS_MAX_SLEEP;
	if (delay > SLOTS_MAX_SLEEP)
		delay = SLOTS_MAX_SLEEP;
	ev_timer_stop(e->loop, &r->timer);
	ev_timer_set(&r->timer, delay + 0.0005, 0);
	ev_timer_start(e->loop, &r->timer);
}

void slots_tick(struct eng_runner *r)
{
	struct engine *e = r->e;
	double now = engine_now(e);
	int32_t today;
	int any = 0;

	if (sched_local_day(r->cfg->zone, (int64_t)now, &today, NULL) != 0) {
		log_error("%s: cannot read time zone %s", r->cfg->name, r->cfg->zone);
		return;
	}
	if (engine_tx_lazy(e) != 0)
		goto rearm;
	/* Yesterday too: a slot late in the evening may be due "yesterday"
	 * when we look just after midnight. */
	for (int32_t day = today - 1; day <= today; day++) {
		if (day < r->cfg->start_day)
			continue;
		for (size_t i = 0; i < r->n_slots; i++) {
			const struct slot_def *sd = &r->slots[i];
			int64_t due;
			int exists = 0, queued = 0;
			if (sched_local_to_utc(r->cfg->zone, day, sd->minute, &due) != 0 ||
			    (double)due > now)
				continue;
			if (store_outbox_exists(e->store, r->cfg->name, day, sd->name,
						&exists) != 0)
				goto rearm;
			if (exists)
				continue;
			if (make_row(r, sd, day, (double)due, now, &queued) != 0)
				goto rearm;
			any |= queued;
		}
	}
rearm:
	arm(r, now);
	if (any)
		outbox_pump(e);
}
