/*
 * The control socket's record commands (control.h): `history` (a runner's
 * days: scores, red flags, done and skipped, stage and day, flags and the
 * plan's reasons) for rehabctl history and export, and `forget` (erase a
 * runner's health data once they are out of the configuration).
 */
#include "engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "coach/coach_date.h"
#include "log.h"
#include "schedule.h"

#define HISTORY_MAX_DAYS 3660

static json_t *tenths(int v)
{
	return v == COACH_NO_SCORE ? json_null() : json_real(v / 10.0);
}

/* One day of r's record: its log (or none) and its plan after the day's
 * replies. */
static json_t *day_json(const struct coach_day_log *log,
			const struct coach_plan *p, int32_t day)
{
	char d[11];
	json_t *o = json_object(), *reasons = json_array();

	coach_day_format(day, d);
	json_object_set_new(o, "day", json_string(d));
	json_object_set_new(o, "program_day", json_integer(p->program_day));
	json_object_set_new(o, "stage", json_integer(p->stage));
	json_object_set_new(o, "day_in_stage", json_integer(p->day_in_stage));
	json_object_set_new(o, "morning", tenths(log ? log->morning10 : COACH_NO_SCORE));
	json_object_set_new(o, "session", tenths(log ? log->session10 : COACH_NO_SCORE));
	json_object_set_new(o, "red_flag", json_boolean(log && log->red_flag));
	json_object_set_new(o, "cleared", json_boolean(log && log->cleared));
	json_object_set_new(o, "done", json_integer(log ? log->done : 0));
	json_object_set_new(o, "skipped", json_integer(log ? log->skipped : 0));
	for (size_t i = 0; i < p->n_reasons && i < COACH_MAX_REASONS; i++)
		json_array_append_new(reasons, json_string(p->reasons[i]));
	json_object_set_new(o, "flags", control_flags_json(p->flags));
	json_object_set_new(o, "reasons", reasons);
	return o;
}

static json_t *cmd_history(struct engine *e, const json_t *req, char *err,
			   size_t errlen)
{
	const char *name = json_string_value(json_object_get(req, "runner"));
	const json_t *nd = json_object_get(req, "days");
	struct eng_runner *r = name ? engine_runner_by_name(e, name) : NULL;
	struct coach_day_log *days = NULL;
	struct coach_pause *pauses = NULL;
	size_t n_days = 0, n_pauses = 0, k = 0;
	int32_t today = 0, from;
	int minute = 0;
	json_t *ans = NULL, *list;

	if (!r) {
		snprintf(err, errlen, "no runner \"%.64s\" in the running configuration — check the name (rehabctl status lists them)",
			 name ? name : "");
		return NULL;
	}
	if (nd && (!json_is_integer(nd) || json_integer_value(nd) < 0 ||
		   json_integer_value(nd) > HISTORY_MAX_DAYS)) {
		snprintf(err, errlen, "days must be a whole number from 1 to %d (0: since the start)",
			 HISTORY_MAX_DAYS);
		return NULL;
	}
	sched_local_day(r->cfg->zone, (int64_t)engine_now(e), &today, &minute);
	from = r->cfg->start_day;
	if (nd && json_integer_value(nd) > 0 &&
	    today - (int32_t)json_integer_value(nd) + 1 > from)
		from = today - (int32_t)json_integer_value(nd) + 1;
	if (today - from + 1 > HISTORY_MAX_DAYS)
		from = today - HISTORY_MAX_DAYS + 1;
	if (store_history_load(e->store, r->cfg->name, &days, &n_days, &pauses,
			       &n_pauses) != 0) {
		snprintf(err, errlen, "the database could not be read (the daemon's log says why)");
		return NULL;
	}
	struct coach_history h = { days, n_days, pauses, n_pauses };
	struct coach_runner cr = { r->cfg->start_day, r->cfg->n_stretch };
	ans = json_pack("{s:s, s:s}", "runner", r->cfg->name, "program", r->cfg->program);
	list = json_array();
	json_object_set_new(ans, "days", list);
	for (int32_t d = from; d <= today; d++) {
		struct coach_plan p;
		while (k < n_days && days[k].day < d)
			k++;
		if (coach_plan_view(r->program, &cr, &h, d, true, d, &p) != 0) {
			snprintf(err, errlen, "the plan of %s could not be worked out (the daemon's log says why)",
				 r->cfg->name);
			json_decref(ans);
			ans = NULL;
			break;
		}
		json_array_append_new(list, day_json(k < n_days && days[k].day == d
						     ? &days[k] : NULL, &p, d));
	}
	free(days);
	free(pauses);
	return ans;
}

/* Erases a runner who is no longer configured: rehabctl asks for the
 * name twice (the request's "confirm" must repeat it). */
static json_t *cmd_forget(struct engine *e, const json_t *req, char *err,
			  size_t errlen)
{
	const char *name = json_string_value(json_object_get(req, "runner"));
	const char *confirm = json_string_value(json_object_get(req, "confirm"));
	long rows = 0;

	if (!name || !*name || !confirm || strcmp(name, confirm) != 0) {
		snprintf(err, errlen, "not confirmed: give the runner's name again to erase their data");
		return NULL;
	}
	if (engine_runner_by_name(e, name)) {
		snprintf(err, errlen, "%s is still in rehabd.conf — remove the runner and reload first (rehabctl reload), so that nothing more is sent or stored for them",
			 name);
		return NULL;
	}
	if (engine_tx_lazy(e) != 0 || store_runner_forget(e->store, name, &rows) != 0) {
		lazy_tx_abort(&e->tx);
		snprintf(err, errlen, "the data could not be erased (the daemon's log says why) — nothing was erased; try again");
		return NULL;
	}
	if (engine_tx_flush(e) != 0) {
		snprintf(err, errlen, "the erasure could not be stored (the daemon's log says why) — nothing was erased; try again");
		return NULL;
	}
	log_info("rehabctl forget: everything stored of %s is erased (%ld rows)", name, rows);
	return json_pack("{s:s, s:I}", "runner", name, "rows", (json_int_t)rows);
}

json_t *control_history(struct engine *e, const char *cmd, const json_t *req,
			char *err, size_t errlen)
{
	if (!strcmp(cmd, "history"))
		return cmd_history(e, req, err, errlen);
	if (!strcmp(cmd, "forget"))
		return cmd_forget(e, req, err, errlen);
	return control_admin(e, cmd, req, err, errlen);
}
