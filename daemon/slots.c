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

/* What the row of slot sd on day says, given the plan for the rest of
 * that day as it stands now: *state QUEUED with the texts in text and
 * html (COACH_MESSAGE_MAX * 3 bytes each), or a state that records why
 * nothing is sent (*why): paused, an evening check-in whose session
 * score came already, or a text that does not fit.  Returns 0, or -1 on
 * a store error. */
static int slot_content(struct eng_runner *r, const struct slot_def *sd,
			int32_t day, const struct coach_plan *plan, char *text,
			char *html, enum outbox_state *state, const char **why)
{
	size_t len = COACH_MESSAGE_MAX * 3;
	char date[11];

	*why = NULL;
	if (plan->flags & COACH_FLAG_PAUSED) {
		*state = OUTBOX_PAUSED;
		*why = "paused";
		return 0;
	}
	/* A day without strength and running (a red flag, a severe stop)
	 * that the morning message announced needs no strength reminder:
	 * it would only repeat it.  One whose plan changed since the
	 * morning (a report today) is sent, to say so. */
	if (sd->cslot == COACH_SLOT_STRENGTH && plan->n_strength == 0 &&
	    plan->running == COACH_RUN_BIKE && !plan->replanned) {
		int morning = -1;
		if (store_outbox_slot_state(r->e->store, r->cfg->name, day,
					    "morning", &morning) != 0)
			return -1;
		if (morning == OUTBOX_SENT) {
			*state = OUTBOX_SKIPPED;
			*why = "no strength or running today, as the morning said";
			return 0;
		}
	}
	/* The evening check-in asks for the session score: once it came
	 * (after "done" on the strength reminder, or with it), the
	 * question is not asked again. */
	if (sd->cslot == COACH_SLOT_EVENING) {
		int has = 0;
		if (store_pain_has_score(r->e->store, r->cfg->name, day, 0, &has) != 0)
			return -1;
		if (has) {
			*state = OUTBOX_SKIPPED;
			*why = "session score already given";
			return 0;
		}
	}
	if (coach_message_slot(r->program, plan, sd->cslot, sd->stretch_index,
			       COACH_TEXT_PLAIN, text, len) < 0 ||
	    coach_message_slot(r->program, plan, sd->cslot, sd->stretch_index,
			       COACH_TEXT_HTML, html, len) < 0) {
		coach_day_format(day, date);
		log_error("%s: could not write the %s message of %s — the program's texts may be too long",
			  r->cfg->name, sd->name, date);
		*state = OUTBOX_FAILED;
		*why = "message text too long";
		return 0;
	}
	*state = OUTBOX_QUEUED;
	return 0;
}

/* Builds the row for one due slot: its text from the plan for the rest
 * of the day as it stands at the due time (a report earlier that day
 * changes it; a slot already sent is never built again: one row per
 * slot), or a row that only records that the slot was handled (missed
 * while down, paused, an evening check-in whose session score came
 * already). */
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
	char date[11];
	struct coach_plan plan;
	enum outbox_state state;
	const char *why;
	int inserted = 0, rc = -1;
	char *text = NULL, *html = NULL;

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
	text = malloc(COACH_MESSAGE_MAX * 3);
	html = malloc(COACH_MESSAGE_MAX * 3);
	if (!text || !html) {
		log_error("%s: out of memory building the %s message of %s",
			  r->cfg->name, sd->name, date);
		goto out;
	}
	if (engine_plan(e, r, day, true, day, &plan, NULL) != 0 ||
	    slot_content(r, sd, day, &plan, text, html, &state, &why) != 0)
		goto out;
	row.state = state;
	row.error = (char *)why;
	if (state == OUTBOX_QUEUED) {
		row.text = text;
		row.html = html;
	}
	if (store_outbox_insert(e->store, &row, &inserted) != 0)
		goto out;
	rc = 0;
	if (!inserted)
		goto out;
	if (state == OUTBOX_SKIPPED)
		log_debug("%s: no %s message on %s: %s", r->cfg->name, sd->name,
			  date, why);
	if (state == OUTBOX_QUEUED && what == SLOT_SEND_LATE)
		log_info("%s: sending the %s reminder of %s late (due %.0f min ago, while rehabd was down)",
			 r->cfg->name, sd->name, date, (now - due) / 60);
	*queued = state == OUTBOX_QUEUED;
out:
	free(text);
	free(html);
	return rc;
}

/* The slot definition of a row's slot ("stretch2+snooze1" is stretch2),
 * or NULL for answers and slots no longer configured. */
static const struct slot_def *slot_of_row(const struct eng_runner *r,
					  const char *slot)
{
	size_t n = strcspn(slot, "+");
	for (size_t i = 0; i < r->n_slots; i++)
		if (strlen(r->slots[i].name) == n &&
		    !strncmp(r->slots[i].name, slot, n))
			return &r->slots[i];
	return NULL;
}

#define REFRESH_MAX 32

struct queued_rows {
	size_t n;
	struct {
		int64_t id;
		char slot[32];
		int attempts;
		double next_try;
	} v[REFRESH_MAX];
};

static void collect_queued(void *arg, const struct outbox_row *row)
{
	struct queued_rows *q = arg;
	if (q->n == REFRESH_MAX || !strcmp(row->kind, ENGINE_KIND_REPLY) ||
	    !strcmp(row->kind, ENGINE_KIND_CHECKIN))
		return;
	q->v[q->n].id = row->id;
	snprintf(q->v[q->n].slot, sizeof q->v[q->n].slot, "%s", row->slot);
	q->v[q->n].attempts = row->attempts;
	q->v[q->n].next_try = row->next_try;
	q->n++;
}

int slots_refresh(struct eng_runner *r, int32_t day)
{
	struct engine *e = r->e;
	struct queued_rows *q = calloc(1, sizeof *q);
	char *text = malloc(COACH_MESSAGE_MAX * 3);
	char *html = malloc(COACH_MESSAGE_MAX * 3);
	struct coach_plan plan;
	int rc = -1;

	if (!q || !text || !html) {
		log_error("%s: out of memory renewing queued reminders", r->cfg->name);
		goto out;
	}
	if (store_outbox_each_queued(e->store, r->cfg->name, day, collect_queued, q) != 0)
		goto out;
	if (q->n && engine_plan(e, r, day, true, day, &plan, NULL) != 0)
		goto out;
	for (size_t i = 0; i < q->n; i++) {
		const struct slot_def *sd = slot_of_row(r, q->v[i].slot);
		enum outbox_state state;
		const char *why;
		if (!sd)
			continue;
		if (slot_content(r, sd, day, &plan, text, html, &state, &why) != 0)
			goto out;
		if (state == OUTBOX_QUEUED) {
			if (store_outbox_set_text(e->store, q->v[i].id, text, html) != 0)
				goto out;
			continue;
		}
		if (store_outbox_update(e->store, q->v[i].id, state, q->v[i].attempts,
					q->v[i].next_try, 0, why) != 0)
			goto out;
		log_info("%s: the %s message, not sent yet, is dropped: %s",
			 r->cfg->name, q->v[i].slot, why);
	}
	rc = 0;
out:
	free(q);
	free(text);
	free(html);
	return rc;
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
