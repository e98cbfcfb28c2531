/*
 * Daily slots: see slots.h.
 */
#include "slots.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coach/coach_date.h"
#include "log.h"
#include "planner.h"
#include "schedule.h"

/* Longest we let a runner timer sleep, in real seconds: a wall-clock jump
 * (NTP step, suspend) is noticed within this time. */
#define SLOTS_MAX_SLEEP 60.0
/* A timer that fires later than this after the instant it was set for
 * means the clock jumped or the process was stopped: clock seconds, and
 * never less than half a real second (a simulated clock runs thousands
 * of times faster than the machine's scheduling jitter). */
#define STEP_SLACK 120.0
#define STEP_SLACK_REAL 0.5

enum slot_catch_up slot_catch_up(double due, double active_since, double now,
				 double grace)
{
	if (due >= active_since)
		return SLOT_SEND;
	return now - due <= grace ? SLOT_SEND_LATE : SLOT_SKIP;
}

static void timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	slots_tick(w->data);
}

static void add_slot(struct slot_runner *r, const char *name, const char *kind,
		     enum coach_slot cslot, int index, int minute)
{
	struct slot_def *s = &r->slots[r->n_slots++];
	snprintf(s->name, sizeof s->name, "%s", name);
	s->kind = kind;
	s->cslot = cslot;
	s->stretch_index = index;
	s->minute = minute;
}

int slots_setup(struct slot_runner *r, struct slots_deps *d,
		const struct cfg_runner *c, const struct coach_program *program,
		double active_since, enum slots_cause cause)
{
	char name[16];
	int32_t last = 0, today;

	memset(r, 0, sizeof *r);
	r->d = d;
	r->cfg = c;
	r->program = program;
	r->active_since = active_since;
	r->cause = cause;
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
	/* After a downtime of days, the days in between get their rows too
	 * (skipped, one line each), from the day of the last row on. */
	if (cause == SLOTS_SINCE_START &&
	    sched_local_day(c->zone, (int64_t)clock_now(d->clock), &today, NULL) == 0) {
		if (store_outbox_last_day(d->store, c->name, &last) != 0)
			return -1;
		if (last && last < today - 1)
			r->look_back = last;
	}
	return 0;
}

void slots_stop(struct slot_runner *r)
{
	ev_timer_stop(r->d->loop, &r->timer);
}

const struct slot_def *slots_find(const struct slot_runner *r, const char *slot)
{
	size_t n = strcspn(slot, "+");
	for (size_t i = 0; i < r->n_slots; i++)
		if (strlen(r->slots[i].name) == n &&
		    !strncmp(r->slots[i].name, slot, n))
			return &r->slots[i];
	return NULL;
}

/* What the row of slot sd on day says, given the plan for the rest of
 * that day as it stands now: *state QUEUED with the texts in text and
 * html (COACH_MESSAGE_MAX * 3 bytes each), or a state that records why
 * nothing is sent (*why): paused, an evening check-in whose session
 * score came already, or a text that does not fit.  Returns 0, or -1 on
 * a store error. */
static int slot_content(struct slot_runner *r, const struct slot_def *sd,
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
		if (store_outbox_slot_state(r->d->store, r->cfg->name, day,
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
		if (store_pain_has_score(r->d->store, r->cfg->name, day, 0, &has) != 0)
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

static const char *cause_text(enum slots_cause c)
{
	switch (c) {
	case SLOTS_SINCE_RELOAD:
		return "before the reload that added or changed this runner";
	case SLOTS_SINCE_STEP:
		return "while the clock jumped forward or the machine was suspended";
	case SLOTS_SINCE_START:
	default:
		return "while rehabd was not running";
	}
}

/* The slots of one day that the grace rule skipped, for one log line. */
struct skipped_day {
	int n;
	char names[128];
	double oldest;
};

/* Builds the row for one due slot: its text from the plan for the rest
 * of the day as it stands at the due time (a report earlier that day
 * changes it; a slot already sent is never built again: one row per
 * slot), or a row that only records that the slot was handled (missed,
 * paused, an evening check-in whose session score came already). */
static int make_row(struct slot_runner *r, const struct slot_def *sd, int32_t day,
		    double due, double now, int *queued, struct skipped_day *sk)
{
	struct slots_deps *d = r->d;
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

	enum slot_catch_up what = slot_catch_up(due, r->active_since, now, d->grace);

	coach_day_format(day, date);
	*queued = 0;
	if (what == SLOT_SKIP) {
		row.state = OUTBOX_SKIPPED;
		row.error = r->cause == SLOTS_SINCE_RELOAD ? "due before the runner was added or changed"
			    : r->cause == SLOTS_SINCE_STEP ? "missed by a clock jump"
							  : "missed while rehabd was down";
		if (store_outbox_insert(d->store, &row, &inserted) != 0)
			return -1;
		if (inserted) {
			size_t len = strlen(sk->names);
			snprintf(sk->names + len, sizeof sk->names - len, "%s%s",
				 sk->n ? ", " : "", sd->name);
			if (!sk->n || due < sk->oldest)
				sk->oldest = due;
			sk->n++;
		}
		return 0;
	}
	text = malloc(COACH_MESSAGE_MAX * 3);
	html = malloc(COACH_MESSAGE_MAX * 3);
	if (!text || !html) {
		log_error("%s: out of memory building the %s message of %s",
			  r->cfg->name, sd->name, date);
		goto out;
	}
	if (planner_plan(d->store, r->cfg, r->program, day, true, day, &plan, NULL) != 0 ||
	    slot_content(r, sd, day, &plan, text, html, &state, &why) != 0)
		goto out;
	row.state = state;
	row.error = (char *)why;
	if (state == OUTBOX_QUEUED) {
		row.text = text;
		row.html = html;
	}
	if (store_outbox_insert(d->store, &row, &inserted) != 0)
		goto out;
	rc = 0;
	if (!inserted)
		goto out;
	if (state == OUTBOX_SKIPPED)
		log_debug("%s: no %s message on %s: %s", r->cfg->name, sd->name,
			  date, why);
	if (state == OUTBOX_QUEUED && what == SLOT_SEND_LATE)
		log_info("%s: sending the %s reminder of %s late (due %.0f min ago, %s)",
			 r->cfg->name, sd->name, date, (now - due) / 60,
			 cause_text(r->cause));
	*queued = state == OUTBOX_QUEUED;
out:
	free(text);
	free(html);
	return rc;
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
	if (q->n == REFRESH_MAX || !strcmp(row->kind, OUTBOX_KIND_REPLY) ||
	    !strcmp(row->kind, OUTBOX_KIND_CHECKIN))
		return;
	q->v[q->n].id = row->id;
	snprintf(q->v[q->n].slot, sizeof q->v[q->n].slot, "%s", row->slot);
	q->v[q->n].attempts = row->attempts;
	q->v[q->n].next_try = row->next_try;
	q->n++;
}

int slots_refresh(struct slot_runner *r, int32_t day)
{
		struct queued_rows *q = calloc(1, sizeof *q);
	char *text = malloc(COACH_MESSAGE_MAX * 3);
	char *html = malloc(COACH_MESSAGE_MAX * 3);
	struct coach_plan plan;
	int rc = -1;

	if (!q || !text || !html) {
		log_error("%s: out of memory renewing queued reminders", r->cfg->name);
		goto out;
	}
	if (store_outbox_each_queued(r->d->store, r->cfg->name, day, collect_queued, q) != 0)
		goto out;
	if (q->n && planner_plan(r->d->store, r->cfg, r->program, day, true, day, &plan, NULL) != 0)
		goto out;
	for (size_t i = 0; i < q->n; i++) {
		const struct slot_def *sd = slots_find(r, q->v[i].slot);
		enum outbox_state state;
		const char *why;
		if (!sd)
			continue;
		if (slot_content(r, sd, day, &plan, text, html, &state, &why) != 0)
			goto out;
		if (state == OUTBOX_QUEUED) {
			if (store_outbox_set_text(r->d->store, q->v[i].id, text, html) != 0)
				goto out;
			continue;
		}
		if (store_outbox_update(r->d->store, q->v[i].id, state, q->v[i].attempts,
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
static void arm(struct slot_runner *r, double now)
{
	int64_t next = 0;

	for (size_t i = 0; i < r->n_slots; i++) {
		int64_t t;
		if (sched_next(r->cfg->zone, r->slots[i].minute, (int64_t)now, &t,
			       NULL) == 0 &&
		    (!next || t < next))
			next = t;
	}
	double delay = next ? clock_real_delay(r->d->clock, (double)next) : SLOTS_MAX_SLEEP;
	if (delay > SLOTS_MAX_SLEEP)
		delay = SLOTS_MAX_SLEEP;
	r->armed_for = now + clock_span(r->d->clock, delay);
	ev_timer_stop(r->d->loop, &r->timer);
	ev_timer_set(&r->timer, delay + 0.0005, 0);
	ev_timer_start(r->d->loop, &r->timer);
}

/* A wake-up long after the instant the timer was set for: whatever fell
 * due in between was not watched and gets the grace rule, and the days
 * it spans are looked at too. */
static void notice_step(struct slot_runner *r, double now)
{
	struct slots_deps *d = r->d;
	double slack = clock_span(d->clock, STEP_SLACK_REAL);
	int32_t from;

	if (slack < STEP_SLACK)
		slack = STEP_SLACK;
	if (!r->armed_for || now - r->armed_for <= slack)
		return;
	if (now - d->step_logged > 60.0 || now < d->step_logged) {
		log_warn("woke %.0f min later than planned: the clock jumped forward or the machine was suspended; reminders missed by more than the grace are skipped",
			 (now - r->armed_for) / 60);
		d->step_logged = now;
	}
	if (sched_local_day(r->cfg->zone, (int64_t)r->armed_for, &from, NULL) == 0 &&
	    (!r->look_back || from < r->look_back))
		r->look_back = from;
	r->active_since = now;
	r->cause = SLOTS_SINCE_STEP;
}

void slots_tick(struct slot_runner *r)
{
	struct slots_deps *d = r->d;
	double now = clock_now(d->clock);
	int32_t today, from;
	int any = 0;

	if (sched_local_day(r->cfg->zone, (int64_t)now, &today, NULL) != 0) {
		log_error("%s: cannot read time zone %s", r->cfg->name, r->cfg->zone);
		return;
	}
	notice_step(r, now);
	/* Yesterday too: a slot late in the evening may be due "yesterday"
	 * when we look just after midnight. */
	from = today - 1;
	if (r->look_back && r->look_back < from) {
		from = r->look_back;
		if (from < today - SLOTS_LOOK_BACK_DAYS) {
			char date[11];
			coach_day_format(today - SLOTS_LOOK_BACK_DAYS, date);
			log_warn("%s: no reminders are recorded for the days before %s (more than %d days back): they were missed",
				 r->cfg->name, date, SLOTS_LOOK_BACK_DAYS);
			from = today - SLOTS_LOOK_BACK_DAYS;
		}
	}
	if (from < r->cfg->start_day)
		from = r->cfg->start_day;
	if (lazy_tx_begin(d->tx) != 0)
		goto rearm;
	for (int32_t day = from; day <= today; day++) {
		struct skipped_day sk = { 0 };
		for (size_t i = 0; i < r->n_slots; i++) {
			const struct slot_def *sd = &r->slots[i];
			int64_t due;
			int exists = 0, queued = 0;
			if (sched_local_to_utc(r->cfg->zone, day, sd->minute, &due) != 0 ||
			    (double)due > now)
				continue;
			if (store_outbox_exists(d->store, r->cfg->name, day, sd->name,
						&exists) != 0)
				goto rearm;
			if (exists)
				continue;
			if (make_row(r, sd, day, (double)due, now, &queued, &sk) != 0)
				goto rearm;
			any |= queued;
		}
		if (sk.n) {
			char date[11];
			coach_day_format(day, date);
			log_warn("%s: %d reminder(s) of %s skipped (%s): due %s, %.0f min ago, more than the grace of %.0f min",
				 r->cfg->name, sk.n, date, sk.names, cause_text(r->cause),
				 (now - sk.oldest) / 60, d->grace / 60);
		}
	}
	r->look_back = 0;
rearm:
	arm(r, now);
	if (any)
		outbox_pump(d->outbox);
}
