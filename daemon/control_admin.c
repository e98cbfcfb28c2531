/*
 * The control socket's commands that change something (control.h): a
 * clinician's or admin's pause, resume and clearing of a red flag, a test
 * message, and a reload that says whether the new configuration was
 * taken.  Each change
 * is committed before the answer goes back, logged, and told to the
 * runner in the same words the runner's own command would get.
 */
#include "engine_int.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "coach/coach_date.h"
#include "log.h"
#include "schedule.h"

#define ADMIN_MAX_PAUSE_DAYS 365
#define ADMIN_TEXT_MAX 4096

static struct eng_runner *named_runner(struct engine *e, const json_t *req,
				       char *err, size_t errlen)
{
	const char *name = json_string_value(json_object_get(req, "runner"));
	struct eng_runner *r = name ? engine_runner_by_name(e, name) : NULL;

	if (!name)
		snprintf(err, errlen, "no runner named — give the runner's name from rehabd.conf");
	else if (!r)
		snprintf(err, errlen, "no runner \"%.64s\" in the running configuration — check the name (rehabctl status lists them)",
			 name);
	return r;
}

static int32_t today_of(struct engine *e, struct eng_runner *r)
{
	int32_t day = 0;
	int minute = 0;
	sched_local_day(r->cfg->zone, (int64_t)engine_now(e), &day, &minute);
	return day;
}

/* Queues text/html to r today under slot base ("admin-pause"), or
 * base-2, base-3 ... when that one was used today already. */
static int tell_runner(struct engine *e, struct eng_runner *r, int32_t day,
		       const char *base, const char *text, const char *html)
{
	char slot[48];
	int n = 0;

	if (store_outbox_count_prefix(e->store, r->cfg->name, day, base, &n) != 0)
		return -1;
	if (n)
		snprintf(slot, sizeof slot, "%s-%d", base, n + 1);
	else
		snprintf(slot, sizeof slot, "%s", base);
	return outbox_queue_now(e->outbox, r->cfg->name, day, slot, "reply",
				text, html);
}

/* Commits what the command wrote; -1 with err when it could not be. */
static int commit(struct engine *e, char *err, size_t errlen)
{
	if (engine_tx_flush(e) == 0) {
		outbox_pump(e->outbox);
		return 0;
	}
	snprintf(err, errlen, "the change could not be stored (the daemon's log says why) — nothing was changed; try again");
	return -1;
}

static json_t *failed(struct engine *e, char *err, size_t errlen)
{
	lazy_tx_abort(&e->tx);
	if (!err[0])
		snprintf(err, errlen, "the database could not be read or written (the daemon's log says why) — nothing was changed");
	return NULL;
}

static json_t *cmd_pause(struct engine *e, const json_t *req, char *err,
			 size_t errlen)
{
	struct eng_runner *r = named_runner(e, req, err, errlen);
	const json_t *d = json_object_get(req, "days");
	char text[ADMIN_TEXT_MAX], html[ADMIN_TEXT_MAX];
	json_int_t days = d ? json_integer_value(d) : 0;
	int32_t today;

	if (!r)
		return NULL;
	if ((d && !json_is_integer(d)) || days < 0 || days > ADMIN_MAX_PAUSE_DAYS) {
		snprintf(err, errlen, "days must be a whole number from 1 to %d (none: until resume)",
			 ADMIN_MAX_PAUSE_DAYS);
		return NULL;
	}
	today = today_of(e, r);
	coach_message_paused(today, (int)days, COACH_TEXT_PLAIN, text, sizeof text);
	coach_message_paused(today, (int)days, COACH_TEXT_HTML, html, sizeof html);
	if (engine_tx_lazy(e) != 0 ||
	    store_pause_insert(e->store, r->cfg->name, today,
			       days ? today + (int32_t)days : COACH_DAY_OPEN) != 0 ||
	    slots_refresh(&r->sr, today) != 0 ||
	    tell_runner(e, r, today, "admin-pause", text, html) != 0)
		return failed(e, err, errlen);
	if (commit(e, err, errlen) != 0)
		return NULL;
	log_info("%s paused by rehabctl %s", r->cfg->name,
		 days ? "for some days" : "until resumed");
	return json_pack("{s:s, s:I}", "runner", r->cfg->name, "days", days);
}

static json_t *cmd_resume(struct engine *e, const json_t *req, char *err,
			  size_t errlen)
{
	struct eng_runner *r = named_runner(e, req, err, errlen);
	char text[ADMIN_TEXT_MAX], html[ADMIN_TEXT_MAX];
	int ended = 0;
	int32_t today;

	if (!r)
		return NULL;
	today = today_of(e, r);
	if (engine_tx_lazy(e) != 0 ||
	    store_pause_end(e->store, r->cfg->name, today, &ended) != 0)
		return failed(e, err, errlen);
	if (!ended) {
		lazy_tx_abort(&e->tx);
		snprintf(err, errlen, "%s is not paused — nothing to resume", r->cfg->name);
		return NULL;
	}
	coach_message_resumed(COACH_TEXT_PLAIN, text, sizeof text);
	coach_message_resumed(COACH_TEXT_HTML, html, sizeof html);
	if (slots_refresh(&r->sr, today) != 0 ||
	    tell_runner(e, r, today, "admin-resume", text, html) != 0)
		return failed(e, err, errlen);
	if (commit(e, err, errlen) != 0)
		return NULL;
	log_info("%s resumed by rehabctl", r->cfg->name);
	return json_pack("{s:s}", "runner", r->cfg->name);
}

/* A clinician lifts a red flag: as the runner's /cleared, recorded with
 * no reply behind it and logged as the clinician's. */
static json_t *cmd_clear_flag(struct engine *e, const json_t *req, char *err,
			      size_t errlen)
{
	struct eng_runner *r = named_runner(e, req, err, errlen);
	char text[ADMIN_TEXT_MAX], html[ADMIN_TEXT_MAX], since[11];
	struct coach_plan rest, tomorrow;
	int32_t today;

	if (!r)
		return NULL;
	today = today_of(e, r);
	if (engine_plan(e, r, today, true, today, &rest, NULL) != 0)
		return failed(e, err, errlen);
	if (!(rest.flags & COACH_FLAG_RED_FLAG)) {
		snprintf(err, errlen, "%s has no red flag standing — nothing to clear",
			 r->cfg->name);
		return NULL;
	}
	if (engine_tx_lazy(e) != 0 ||
	    store_clearance_insert(e->store, r->cfg->name, today, 0,
				   engine_now(e)) != 0 ||
	    slots_refresh(&r->sr, today) != 0 ||
	    engine_plan(e, r, today + 1, false, today, &tomorrow, NULL) != 0)
		return failed(e, err, errlen);
	if (coach_message_cleared(r->program, rest.flag_since, &tomorrow,
				  COACH_TEXT_PLAIN, text, sizeof text) != 0 ||
	    coach_message_cleared(r->program, rest.flag_since, &tomorrow,
				  COACH_TEXT_HTML, html, sizeof html) != 0) {
		snprintf(text, sizeof text, "Cleared: the red flag is lifted. Two easier days come first.");
		snprintf(html, sizeof html, "%s", text);
	}
	if (tell_runner(e, r, today, "admin-cleared", text, html) != 0)
		return failed(e, err, errlen);
	if (commit(e, err, errlen) != 0)
		return NULL;
	coach_day_format(rest.flag_since, since);
	log_info("%s: the red flag of %s is cleared by a clinician (rehabctl clear-flag)",
		 r->cfg->name, since);
	return json_pack("{s:s, s:s}", "runner", r->cfg->name, "flag_since", since);
}

/* A short message now, to see that the runner is reached: it goes
 * through the outbox like any other, so status shows what became of it. */
static json_t *cmd_send_test(struct engine *e, const json_t *req, char *err,
			     size_t errlen)
{
	static const char text[] =
		"A test message from rehabd: your coach is checking that messages reach you. No need to answer.";
	struct eng_runner *r = named_runner(e, req, err, errlen);
	int32_t today;

	if (!r)
		return NULL;
	today = today_of(e, r);
	if (engine_tx_lazy(e) != 0 ||
	    tell_runner(e, r, today, "admin-test", text, text) != 0)
		return failed(e, err, errlen);
	if (commit(e, err, errlen) != 0)
		return NULL;
	log_info("%s: a test message is queued (rehabctl send-test)", r->cfg->name);
	return json_pack("{s:s, s:s}", "runner", r->cfg->name, "channel", r->cfg->channel);
}

static json_t *cmd_reload(struct engine *e, char *err, size_t errlen)
{
	if (engine_reload(e, "rehabctl reload", err, errlen) != 0)
		return NULL;
	return json_pack("{s:b, s:I, s:I}", "waiting", e->reload_pending != NULL,
			 "channels", (json_int_t)(e->reload_pending
						  ? e->reload_pending->n_channels
						  : e->s.n_channels),
			 "runners", (json_int_t)(e->reload_pending
						 ? e->reload_pending->n_runners
						 : e->s.n_runners));
}

json_t *control_admin(struct engine *e, const char *cmd, const json_t *req,
		      char *err, size_t errlen)
{
	if (!strcmp(cmd, "pause"))
		return cmd_pause(e, req, err, errlen);
	if (!strcmp(cmd, "resume"))
		return cmd_resume(e, req, err, errlen);
	if (!strcmp(cmd, "clear-flag"))
		return cmd_clear_flag(e, req, err, errlen);
	if (!strcmp(cmd, "reload"))
		return cmd_reload(e, err, errlen);
	if (!strcmp(cmd, "send-test"))
		return cmd_send_test(e, req, err, errlen);
	snprintf(err, errlen, "unknown command \"%.40s\" — run rehabctl --help for the commands",
		 cmd);
	return NULL;
}
