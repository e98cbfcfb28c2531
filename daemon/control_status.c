/*
 * The engine's answers on the control socket (control.h): `status`, the
 * admin's view of who is reached and how each runner stands.  Read-only:
 * it looks at the setup, the store and the coach as /status does for a
 * runner.
 */
#include "engine_int.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "coach/coach_date.h"
#include "schedule.h"

static const struct {
	unsigned bit;
	const char *name;
} flag_names[] = {
	{ COACH_FLAG_RED_FLAG, "red flag" },
	{ COACH_FLAG_SEVERE, "severe" },
	{ COACH_FLAG_SEE_CLINICIAN, "see a clinician" },
	{ COACH_FLAG_DELOAD, "deload" },
	{ COACH_FLAG_HOLD, "hold" },
	{ COACH_FLAG_PAUSED, "paused" },
	{ COACH_FLAG_ASK_PAUSE, "silent" },
	{ COACH_FLAG_NUDGE, "no score yesterday" },
};

/* A score in tenths as JSON (null when there is none). */
static json_t *score(int tenths)
{
	return tenths == COACH_NO_SCORE ? json_null() : json_real(tenths / 10.0);
}

/* The last morning and session scores of the week, newest first. */
static void last_scores(const struct coach_status *st, json_t *o)
{
	int m = COACH_NO_SCORE, s = COACH_NO_SCORE;

	for (int i = 6; i >= 0 && (m == COACH_NO_SCORE || s == COACH_NO_SCORE); i--) {
		if (m == COACH_NO_SCORE)
			m = st->week[i].morning10;
		if (s == COACH_NO_SCORE)
			s = st->week[i].session10;
	}
	json_object_set_new(o, "last_morning", score(m));
	json_object_set_new(o, "last_session", score(s));
}

static json_t *runner_status(struct engine *e, struct eng_runner *r, char *err,
			     size_t errlen)
{
	struct coach_plan plan;
	struct coach_status st;
	int32_t today = 0;
	int minute = 0, unreachable = 0;
	char day[11];
	json_t *o = json_object(), *flags = json_array();

	sched_local_day(r->cfg->zone, (int64_t)engine_now(e), &today, &minute);
	if (!o || !flags ||
	    engine_plan(e, r, today, true, today, &plan, &st) != 0 ||
	    store_outbox_sent_reminders(e->store, r->cfg->name, today - 6, today,
					&st.sent7) != 0 ||
	    store_outbox_undelivered(e->store, r->cfg->name, today - 6,
				     &st.undelivered) != 0 ||
	    store_runner_unreachable(e->store, r->cfg->name, &unreachable) != 0) {
		snprintf(err, errlen, "cannot read %s's state from the database — see the daemon's log",
			 r->cfg->name);
		json_decref(o);
		json_decref(flags);
		return NULL;
	}
	coach_day_format(today, day);
	json_object_set_new(o, "name", json_string(r->cfg->name));
	json_object_set_new(o, "channel", json_string(r->cfg->channel));
	json_object_set_new(o, "address", json_string(r->cfg->address));
	json_object_set_new(o, "reachable", json_boolean(!unreachable));
	json_object_set_new(o, "today", json_string(day));
	json_object_set_new(o, "started", json_boolean(!plan.before_start));
	json_object_set_new(o, "stage", json_integer(plan.stage));
	json_object_set_new(o, "day_in_stage", json_integer(plan.day_in_stage));
	json_object_set_new(o, "stage_days", json_integer(plan.stage_days));
	json_object_set_new(o, "program_day", json_integer(plan.program_day));
	for (size_t i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++)
		if (plan.flags & flag_names[i].bit)
			json_array_append_new(flags, json_string(flag_names[i].name));
	json_object_set_new(o, "flags", flags);
	last_scores(&st, o);
	json_object_set_new(o, "sent_7d", json_integer(st.sent7));
	json_object_set_new(o, "done_7d", json_integer(st.done7));
	json_object_set_new(o, "undelivered_7d", json_integer(st.undelivered));
	return o;
}

static json_t *status(struct engine *e, char *err, size_t errlen)
{
	json_t *ans = json_object(), *runners = json_array(), *chans = json_array();

	if (!ans || !runners || !chans)
		goto fail;
	json_object_set_new(ans, "version", json_string(REHABD_VERSION));
	json_object_set_new(ans, "runners", runners);
	json_object_set_new(ans, "channels", chans);
	for (size_t i = 0; i < e->s.n_channels; i++) {
		struct host_channel *ch = e->s.channels[i];
		json_array_append_new(chans, json_pack("{s:s, s:s, s:b}",
			"name", host_channel_name(ch),
			"plugin", host_channel_plugin(ch),
			"up", host_channel_usable(ch)));
	}
	for (size_t i = 0; i < e->s.n_runners; i++) {
		json_t *r = runner_status(e, &e->s.runners[i], err, errlen);
		if (!r) {
			json_decref(ans);
			return NULL;
		}
		json_array_append_new(runners, r);
	}
	return ans;
fail:
	json_decref(ans);
	json_decref(runners);
	json_decref(chans);
	snprintf(err, errlen, "out of memory");
	return NULL;
}

json_t *engine_control(void *arg, const char *cmd, const json_t *request,
		       char *err, size_t errlen)
{
	struct engine *e = arg;
	(void)request;

	if (!strcmp(cmd, "status"))
		return status(e, err, errlen);
	snprintf(err, errlen, "unknown command \"%.40s\" — run rehabctl --help for the commands",
		 cmd);
	return NULL;
}
