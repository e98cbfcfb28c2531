/*
 * Replies: from a channel's batch to stored pain scores, adherence,
 * pauses and answers, all in one transaction with the channel's cursor.
 */
#include "engine_int.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coach/coach_date.h"
#include "coach/coach_words.h"
#include "coach/reply_parse.h"
#include "fault.h"
#include "log.h"
#include "schedule.h"

#define RAW_MAX 1024              /* bytes of a reply kept for the record */
#define TARGET_WINDOW (30 * 3600.0) /* a reply answers a message this recent */
#define STRANGER_LOG_EVERY 3600.0
#define MAX_PAUSE_DAYS 90

char *inbound_cursor_load(void *ctx, struct host_channel *ch)
{
	struct engine *e = ctx;
	char *cursor = NULL;
	if (engine_tx_flush(e) != 0)
		return NULL;
	store_cursor_get(e->store, host_channel_name(ch), &cursor);
	return cursor;
}

/* Logs a message from someone who is not a runner, at most once an hour
 * per sender, never with its content. */
static void log_stranger(struct engine *e, struct host_channel *ch,
			 const char *address, int is_private)
{
	char key[384];
	double now = engine_now(e);
	struct stranger *slot = &e->strangers[0];

	snprintf(key, sizeof key, "%s/%s", host_channel_name(ch), address);
	for (size_t i = 0; i < ENGINE_STRANGERS; i++) {
		if (!strcmp(e->strangers[i].key, key)) {
			slot = &e->strangers[i];
			break;
		}
		if (e->strangers[i].last < slot->last)
			slot = &e->strangers[i];
	}
	if (!strcmp(slot->key, key) && now - slot->last < STRANGER_LOG_EVERY)
		return;
	snprintf(slot->key, sizeof slot->key, "%s", key);
	slot->last = now;
	log_warn("channel %s: ignored a message from %s (%s) — only configured runners are answered; add them to runners in the config if they should be",
		 host_channel_name(ch), address,
		 is_private ? "not a runner" : "not a private chat");
}

/* Finds the message a reply answers: the one named by ref (when its kind
 * is one of ref_kinds, or any kind when ref_kinds is NULL), or else the
 * runner's latest sent message of one of `slots` of the last hours.  A
 * ref may name an answer ("reply:17"), e.g. the session question of a
 * "done".  Returns 1 with *row filled (the caller clears it), 0 when
 * none. */
static int find_target(struct engine *e, struct eng_runner *r, const char *ref,
		       const char *const *ref_kinds, const char *const *slots,
		       struct outbox_row *row)
{
	double now = engine_now(e);
	if (ref && *ref) {
		char *end;
		long long id = strtoll(ref, &end, 10);
		if (*end == '\0' && id > 0 &&
		    store_outbox_get(e->store, id, row) == 1) {
			int kind_ok = !ref_kinds;
			for (size_t i = 0; ref_kinds && ref_kinds[i]; i++)
				if (!strcmp(row->kind, ref_kinds[i]))
					kind_ok = 1;
			if (!strcmp(row->runner, r->cfg->name) && kind_ok)
				return 1;
			outbox_row_clear(row);
		}
	}
	if (store_outbox_latest(e->store, r->cfg->name, slots, now, row) != 1)
		return 0;
	if (now - row->due > TARGET_WINDOW) {
		outbox_row_clear(row);
		return 0;
	}
	return 1;
}

static int32_t local_today(struct engine *e, struct eng_runner *r, int *minute)
{
	int32_t day = 0;
	sched_local_day(r->cfg->zone, (int64_t)engine_now(e), &day, minute);
	return day;
}

/* The base slot of a snooze row ("stretch2+snooze1" -> "stretch2"). */
static void base_slot(const char *slot, char *buf, size_t len)
{
	snprintf(buf, len, "%s", slot);
	char *plus = strchr(buf, '+');
	if (plus)
		*plus = '\0';
}

static const char *const checkin_slots[] = { "morning", "strength", "evening", NULL };
/* Rows a score may answer by ref: the check-ins, the strength reminder
 * (the session), and the session question asked after its "done". */
static const char *const checkin_kinds[] = {
	"morning", "strength", "evening", OUTBOX_KIND_CHECKIN, NULL
};
static const char *const reminder_slots[] = {
	"stretch1", "stretch2", "stretch3", "strength", NULL
};

/* True when base names one of reminder_slots. */
static int is_reminder_slot(const char *base)
{
	for (size_t i = 0; reminder_slots[i]; i++)
		if (!strcmp(base, reminder_slots[i]))
			return 1;
	return 0;
}

/* Logs "done" or "skipped" for the reminder the reply answers (by its
 * ref, else the latest reminder of the last hours); for a reply to
 * something else (a check-in) only the day is logged.  The reminder's
 * base slot ("" when none) goes to slot_out (16 bytes) and its day to
 * *day_out.  Returns 0, or -1 on a store error. */
static int log_adherence(struct engine *e, struct eng_runner *r,
			 const struct rehabd_inbound *m, int done,
			 int64_t reply_id, int32_t today, char *slot_out,
			 int32_t *day_out)
{
	struct outbox_row target;
	char slot[16] = "";
	int32_t day = today;

	if (find_target(e, r, m->ref, NULL, reminder_slots, &target)) {
		base_slot(target.slot, slot, sizeof slot);
		day = target.day;
		outbox_row_clear(&target);
		if (!is_reminder_slot(slot))
			slot[0] = '\0';
	}
	if (slot_out)
		snprintf(slot_out, 16, "%s", slot);
	if (day_out)
		*day_out = day;
	return store_adherence_insert(e->store, r->cfg->name, day,
				      *slot ? slot : NULL, done, reply_id,
				      engine_now(e));
}

/* What handle_reply answers: text and html (len bytes each, "" for no
 * answer), and the day and outbox kind of the answer's row. */
struct answer {
	char *text, *html;
	size_t len;
	int32_t day;
	const char *kind;
};

/* Checks the two renderings of an answer: when either did not fit, logs
 * it and answers the short fallback line instead (never silence, never a
 * cut message). */
static void answer_check(struct eng_runner *r, struct answer *a, int plain_rc,
			 int html_rc, const char *what, const char *fallback)
{
	if (plain_rc >= 0 && html_rc >= 0)
		return;
	log_error("%s: could not write the %s answer (too long for %zu bytes); sent a short one",
		  r->cfg->name, what, a->len);
	snprintf(a->text, a->len, "%s", fallback);
	snprintf(a->html, a->len, "%s", fallback);
}

/* True when the strength reminder of day has gone out (or is going out
 * now).  Returns 0 or -1. */
static int strength_sent(struct engine *e, struct eng_runner *r, int32_t day,
			 bool *sent)
{
	int state = -1;
	if (store_outbox_slot_state(e->store, r->cfg->name, day, "strength",
				    &state) != 0)
		return -1;
	*sent = state == OUTBOX_SENT || state == OUTBOX_SENDING;
	return 0;
}

/* A score or a red-flag report: stored for the check-in it answers, and
 * acknowledged with what changed for the rest of today (the plan before
 * and after storing it) and tomorrow's outlook.  Returns 0 or -1. */
static int handle_score(struct engine *e, struct eng_runner *r,
			const struct rehabd_inbound *m, int64_t reply_id,
			const struct coach_reply *rep, int32_t today, int minute,
			struct rehabd_inbound_result *res, struct answer *a)
{
	const struct coach_program *prog = r->program;
	struct coach_plan before, after, tomorrow;
	struct outbox_row target;
	int morning;
	int32_t day;
	bool session_sent = false;
	char when[11];

	if (engine_plan(e, r, today, true, today, &before, NULL) != 0)
		return -1;
	if (find_target(e, r, m->ref, checkin_kinds, checkin_slots, &target)) {
		char base[16];
		base_slot(target.slot, base, sizeof base);
		/* Everything but the morning check-in asks about the
		 * session: the strength reminder, the evening check-in and
		 * the question after a "done". */
		morning = !strcmp(base, "morning");
		day = target.day;
		outbox_row_clear(&target);
	} else {
		day = today;
		morning = minute < r->cfg->strength_min;
	}
	if (store_pain_insert(e->store, r->cfg->name, day, morning,
			      rep->has_score ? rep->score10 : COACH_NO_SCORE,
			      rep->red_flag, reply_id, engine_now(e)) != 0)
		return -1;
	/* "done, pain 2": the session was done as well. */
	if (rep->also == COACH_REPLY_DONE || rep->also == COACH_REPLY_SKIPPED)
		if (log_adherence(e, r, m, rep->also == COACH_REPLY_DONE,
				  reply_id, today, NULL, NULL) != 0)
			return -1;
	/* What waits to go out today says what this report changed. */
	if (slots_refresh(&r->sr, today) != 0 ||
	    (day != today && slots_refresh(&r->sr, day) != 0))
		return -1;
	if (engine_plan(e, r, today, true, today, &after, NULL) != 0 ||
	    engine_plan(e, r, today + 1, false, today, &tomorrow, NULL) != 0 ||
	    strength_sent(e, r, today, &session_sent) != 0)
		return -1;
	struct coach_ack ack = {
		.reply = rep, .morning = morning, .for_day = day,
		.today = today, .before = &before, .after = &after,
		.tomorrow = &tomorrow, .session_sent = session_sent,
	};
	coach_day_format(day, when);
	if (rep->has_score)
		snprintf(res->ack, sizeof res->ack, "Saved: pain %d%s/10 (%s %s)",
			 rep->score10 / 10, rep->score10 % 10 ? ".5" : "",
			 morning ? "morning" : "session", when);
	else
		snprintf(res->ack, sizeof res->ack,
			 "Noted. Please see a doctor soon.");
	answer_check(r, a,
		     coach_message_ack_score(prog, &ack, COACH_TEXT_PLAIN, a->text, a->len),
		     coach_message_ack_score(prog, &ack, COACH_TEXT_HTML, a->html, a->len),
		     "score", res->ack);
	log_info("%s: %s %s for %s%s%s", r->cfg->name,
		 morning ? "morning" : "session",
		 rep->has_score ? "score" : "report", when,
		 rep->red_flag ? " (red flag: pain at rest or at night)" : "",
		 after.replanned ? "; the rest of today is planned anew" : "");
	return 0;
}

/* "done" or "skipped".  A "done" on the strength reminder of a day with
 * no session score yet is answered with the session question (0-10
 * buttons), tapped or typed; otherwise a tap gets no text (the channel
 * shows it on the tapped message) and typed text a line back.  Returns 0
 * or -1. */
static int handle_adherence(struct engine *e, struct eng_runner *r,
			    const struct rehabd_inbound *m, int64_t reply_id,
			    const struct coach_reply *rep, int32_t today,
			    struct rehabd_inbound_result *res, struct answer *a)
{
	int done = rep->kind == COACH_REPLY_DONE;
	char slot[16];
	int32_t day = today;
	int has = 0;

	if (log_adherence(e, r, m, done, reply_id, today, slot, &day) != 0)
		return -1;
	snprintf(res->ack, sizeof res->ack, "%s", done ? "Done ✓" : "Skipped");
	bool ask = false;
	if (done && !strcmp(slot, "strength")) {
		struct coach_plan plan;
		if (store_pain_has_score(e->store, r->cfg->name, day, 0, &has) != 0 ||
		    engine_plan(e, r, day, true, day, &plan, NULL) != 0)
			return -1;
		/* A day without strength or running has no session to ask
		 * about (the evening asks how the hip is). */
		ask = !has && (plan.n_strength > 0 ||
			       plan.running != COACH_RUN_BIKE);
	}
	if (!ask && m->is_choice)
		return 0;
	answer_check(r, a,
		     coach_message_ack_adherence(rep, ask, COACH_TEXT_PLAIN, a->text, a->len),
		     coach_message_ack_adherence(rep, ask, COACH_TEXT_HTML, a->html, a->len),
		     "done/skipped", ask ? "Logged as done. How much did it hurt, 0-10?" :
		     done ? "Logged as done." : "Logged as skipped.");
	if (ask) {
		/* The score that answers it is that day's session score. */
		a->kind = OUTBOX_KIND_CHECKIN;
		a->day = day;
	}
	return 0;
}

/* /cleared: a doctor or physio has checked the red flag.  Stored only
 * while a flag stands (in a pause too); otherwise refused with an
 * answer that says why.  Returns 0 or -1. */
static int handle_cleared(struct engine *e, struct eng_runner *r,
			  int64_t reply_id, int32_t today,
			  struct rehabd_inbound_result *res, struct answer *a)
{
	struct coach_plan rest, tomorrow;
	char since[16];

	if (engine_plan(e, r, today, true, today, &rest, NULL) != 0)
		return -1;
	if (!(rest.flags & COACH_FLAG_RED_FLAG)) {
		log_info("%s sent /cleared with no red flag standing: nothing stored",
			 r->cfg->name);
		snprintf(res->ack, sizeof res->ack, "No red flag to clear");
		answer_check(r, a, coach_message_not_flagged(COACH_TEXT_PLAIN, a->text, a->len),
			     coach_message_not_flagged(COACH_TEXT_HTML, a->html, a->len),
			     "/cleared", "There is no red flag to clear.");
		return 0;
	}
	if (store_clearance_insert(e->store, r->cfg->name, today, reply_id,
				   engine_now(e)) != 0 ||
	    slots_refresh(&r->sr, today) != 0 ||
	    engine_plan(e, r, today + 1, false, today, &tomorrow, NULL) != 0)
		return -1;
	coach_day_format(rest.flag_since, since);
	log_info("%s: the red flag of %s is cleared (/cleared)", r->cfg->name, since);
	snprintf(res->ack, sizeof res->ack, "Cleared");
	answer_check(r, a,
		     coach_message_cleared(r->program, rest.flag_since, &tomorrow,
					   COACH_TEXT_PLAIN, a->text, a->len),
		     coach_message_cleared(r->program, rest.flag_since, &tomorrow,
					   COACH_TEXT_HTML, a->html, a->len),
		     "/cleared", "Cleared: the red flag is lifted. Two easier days come first.");
	return 0;
}

/* Handles one reply from runner r, also during a pause (a red flag or a
 * score is read as on any other day); writes the answer to send (if
 * any) into *a and a short confirmation into res.  Returns 0, or -1 on a
 * store error. */
static int handle_reply(struct engine *e, struct eng_runner *r,
			const struct rehabd_inbound *m, int64_t reply_id,
			const struct coach_reply *rep,
			struct rehabd_inbound_result *res, struct answer *a)
{
	const struct coach_program *prog = r->program;
	double now = engine_now(e);
	struct outbox_row target;
	int minute = 0;
	int32_t today = local_today(e, r, &minute);
	char *text = a->text, *html = a->html;
	size_t len = a->len;

	text[0] = html[0] = '\0';
	a->day = today;
	a->kind = OUTBOX_KIND_REPLY;
	res->status = REHABD_INBOUND_ACCEPTED;

	if (rep->kind == COACH_REPLY_SCORE || rep->red_flag)
		return handle_score(e, r, m, reply_id, rep, today, minute, res, a);

	switch (rep->kind) {
	case COACH_REPLY_DONE:
	case COACH_REPLY_SKIPPED:
		return handle_adherence(e, r, m, reply_id, rep, today, res, a);
	case COACH_REPLY_COMMAND:
		break;
	default:
		res->status = REHABD_INBOUND_INVALID;
		snprintf(res->ack, sizeof res->ack, "Not understood");
		coach_message_not_understood(COACH_TEXT_PLAIN, text, len);
		coach_message_not_understood(COACH_TEXT_HTML, html, len);
		return 0;
	}

	struct coach_plan p_today, p_tomorrow;
	struct coach_status status;
	switch (rep->command) {
	case COACH_CMD_START:
	case COACH_CMD_HELP:
		coach_message_help(prog, rep->command == COACH_CMD_START,
				   COACH_TEXT_PLAIN, text, len);
		coach_message_help(prog, rep->command == COACH_CMD_START,
				   COACH_TEXT_HTML, html, len);
		snprintf(res->ack, sizeof res->ack, "Help sent");
		break;
	case COACH_CMD_PLAN:
		if (engine_plan(e, r, today, true, today, &p_today, NULL) != 0 ||
		    engine_plan(e, r, today + 1, false, today, &p_tomorrow,
				NULL) != 0)
			return -1;
		coach_message_plan(prog, &p_today, &p_tomorrow, COACH_TEXT_PLAIN, text, len);
		coach_message_plan(prog, &p_today, &p_tomorrow, COACH_TEXT_HTML, html, len);
		snprintf(res->ack, sizeof res->ack, "Plan sent");
		break;
	case COACH_CMD_STATUS:
		/* Done out of sent: the coach counts the answers, the outbox
		 * what went out in the same 7 days. */
		if (engine_plan(e, r, today, true, today, &p_today, &status) != 0 ||
		    store_outbox_sent_reminders(e->store, r->cfg->name, today - 6,
						today, &status.sent7) != 0 ||
		    store_outbox_undelivered(e->store, r->cfg->name, today - 6,
					     &status.undelivered) != 0)
			return -1;
		coach_message_status(prog, &status, COACH_TEXT_PLAIN, text, len);
		coach_message_status(prog, &status, COACH_TEXT_HTML, html, len);
		snprintf(res->ack, sizeof res->ack, "Status sent");
		break;
	case COACH_CMD_PAUSE: {
		int days = rep->n_args ? atoi(rep->args[0]) : 0;
		if (days < 0 || days > MAX_PAUSE_DAYS)
			days = MAX_PAUSE_DAYS;
		if (store_pause_insert(e->store, r->cfg->name, today,
				       days ? today + days : COACH_DAY_OPEN) != 0 ||
		    slots_refresh(&r->sr, today) != 0)
			return -1;
		coach_message_paused(today, days, COACH_TEXT_PLAIN, text, len);
		coach_message_paused(today, days, COACH_TEXT_HTML, html, len);
		snprintf(res->ack, sizeof res->ack, "Paused");
		log_info("%s paused %s", r->cfg->name, days ? "for some days" : "until /resume");
		break;
	}
	case COACH_CMD_RESUME: {
		int ended = 0;
		if (store_pause_end(e->store, r->cfg->name, today, &ended) != 0)
			return -1;
		coach_message_resumed(COACH_TEXT_PLAIN, text, len);
		coach_message_resumed(COACH_TEXT_HTML, html, len);
		snprintf(res->ack, sizeof res->ack, "Resumed");
		break;
	}
	case COACH_CMD_CLEARED:
		return handle_cleared(e, r, reply_id, today, res, a);
	case COACH_CMD_HOW:
		if (engine_plan(e, r, today, true, today, &p_today, NULL) != 0)
			return -1;
		/* "/how clamshell": the first word that names something. */
		const char *topic = rep->n_args ? rep->args[0] : NULL;
		answer_check(r, a,
			     coach_message_howto(prog, &p_today, topic, COACH_TEXT_PLAIN, text, len),
			     coach_message_howto(prog, &p_today, topic, COACH_TEXT_HTML, html, len),
			     "how-to", "The how-tos did not fit in one message, sorry.");
		snprintf(res->ack, sizeof res->ack, "How-tos sent");
		break;
	case COACH_CMD_SNOOZE: {
		int n = 0, minutes = ENGINE_SNOOZE_MINUTES;
		char base[16], slot[48];
		/* The parser has already range-checked "/snooze 45". */
		if (rep->n_args && atoi(rep->args[0]) > 0)
			minutes = atoi(rep->args[0]);
		if (!find_target(e, r, m->ref, NULL, reminder_slots, &target)) {
			snprintf(text, len, "Nothing to snooze right now.");
			snprintf(html, len, "Nothing to snooze right now.");
			snprintf(res->ack, sizeof res->ack, "Nothing to snooze");
			break;
		}
		base_slot(target.slot, base, sizeof base);
		snprintf(slot, sizeof slot, "%s+snooze", base);
		if (store_outbox_count_prefix(e->store, r->cfg->name, target.day,
					      slot, &n) != 0) {
			outbox_row_clear(&target);
			return -1;
		}
		if (n >= ENGINE_MAX_SNOOZES) {
			snprintf(res->ack, sizeof res->ack, "Snoozed enough for today");
			snprintf(text, len, "That reminder was snoozed %d times already — reply done or skip.",
				 n);
			snprintf(html, len, "%s", text);
			outbox_row_clear(&target);
			break;
		}
		snprintf(slot, sizeof slot, "%s+snooze%d", base, n + 1);
		/* A copy of that one reminder, later; the daily series keeps
		 * its times. */
		struct outbox_row again = {
			.runner = r->cfg->name,
			.day = target.day,
			.slot = slot,
			.kind = target.kind,
			.due = now + minutes * 60.0,
			.next_try = now + minutes * 60.0,
			.state = OUTBOX_QUEUED,
			.text = target.text,
			.html = target.html,
		};
		int inserted = 0;
		int rc = store_outbox_insert(e->store, &again, &inserted);
		outbox_row_clear(&target);
		if (rc != 0)
			return -1;
		char at[64] = "";
		sched_format_local(r->cfg->zone, (int64_t)(now + minutes * 60.0), at, sizeof at);
		snprintf(res->ack, sizeof res->ack, "Snoozed %d min", minutes);
		if (!m->is_choice) {
			snprintf(text, len, "OK, I'll remind you again in %d minutes (%s).",
				 minutes, at + (strlen(at) > 11 ? 11 : 0));
			snprintf(html, len, "%s", text);
		}
		break;
	}
	default:
		res->status = REHABD_INBOUND_INVALID;
		coach_message_not_understood(COACH_TEXT_PLAIN, text, len);
		coach_message_not_understood(COACH_TEXT_HTML, html, len);
		break;
	}
	return 0;
}

static const char *reply_kind(const struct coach_reply *rep)
{
	if (rep->red_flag && rep->kind == COACH_REPLY_UNKNOWN)
		return "red_flag";
	if (rep->kind == COACH_REPLY_COMMAND)
		return coach_command_name(rep->command);
	return coach_reply_kind_name(rep->kind);
}

/* The 1.0 fields of m, and the ref it names: its own, or (ABI 1.2, when
 * the plugin's struct has the field) the outbox row whose server id is
 * ref_remote_id among runner r's messages, written to buf.  The host
 * reads no byte past m->size.  Returns 0 or -1 on a store error. */
static int inbound_resolve_ref(struct engine *e, struct eng_runner *r,
			       const struct rehabd_inbound *m,
			       struct rehabd_inbound *out, char *buf,
			       size_t len)
{
	const size_t has_remote = offsetof(struct rehabd_inbound, ref_remote_id) +
				  sizeof m->ref_remote_id;
	memset(out, 0, sizeof *out);
	memcpy(out, m, offsetof(struct rehabd_inbound, ref_remote_id));
	out->size = sizeof *out;
	if (out->ref && *out->ref)
		return 0;
	if (m->size < has_remote || !m->ref_remote_id || !*m->ref_remote_id)
		return 0;
	int64_t id = 0;
	if (store_outbox_by_remote_id(e->store, r->cfg->name, m->ref_remote_id,
				      &id) != 0)
		return -1;
	if (id > 0) {
		snprintf(buf, len, "%lld", (long long)id);
		out->ref = buf;
	}
	return 0;
}

int inbound_batch(void *ctx, struct host_channel *ch,
		  const struct rehabd_inbound *msgs, size_t n,
		  const char *cursor, struct rehabd_inbound_result *results)
{
	struct engine *e = ctx;
	size_t len = COACH_MESSAGE_MAX * 3;
	char *text = malloc(len), *html = malloc(len);
	double now = engine_now(e);
	int queued = 0;

	if (!text || !html)
		goto fail_nomem;
	/* Commit what earlier callbacks left open: this transaction must be
	 * durable on its own before we return. */
	if (engine_tx_flush(e) != 0 || store_begin(e->store) != 0)
		goto fail_nomem;

	for (size_t i = 0; i < n; i++) {
		const struct rehabd_inbound *given = &msgs[i];
		struct rehabd_inbound resolved, *m = &resolved;
		char ref_buf[24];
		struct rehabd_inbound_result scratch, *res = results ? &results[i] : &scratch;
		struct eng_runner *r;
		struct coach_reply rep;
		int64_t reply_id = 0;
		int duplicate = 0;
		char raw[RAW_MAX + 1];

		memset(res, 0, sizeof *res);
		res->status = REHABD_INBOUND_IGNORED;
		memset(&resolved, 0, sizeof resolved);
		memcpy(&resolved, given, offsetof(struct rehabd_inbound, ref_remote_id));
		if (!m->id || !m->address || !m->text)
			continue;
		/* Compared in the form the runners' addresses were made
		 * canonical in: two spellings of one address are one runner. */
		char address[256], why[256];
		if (host_channel_canonical(ch, m->address, address, sizeof address,
					   why, sizeof why) != 0)
			snprintf(address, sizeof address, "%s", m->address);
		r = engine_runner_by_address(e, ch, address);
		if (!r && m->is_private) {
			const struct removed_runner *gone = engine_removed_runner(e, ch, address);
			if (gone) {
				if (store_reply_insert(e->store, host_channel_name(ch), m->id,
						       gone->name, now, "", "after_removal",
						       &reply_id, &duplicate) != 0)
					goto fail;
				if (!duplicate)
					log_warn("channel %s: %s wrote after the last reload removed them from the config; the message is recorded (without its content) but not acted on — add them back to runners if they should be coached",
						 host_channel_name(ch), gone->name);
				continue;
			}
		}
		if (!r || !m->is_private) {
			log_stranger(e, ch, address, m->is_private);
			continue;
		}
		if (inbound_resolve_ref(e, r, given, &resolved, ref_buf,
					sizeof ref_buf) != 0)
			goto fail;
		coach_reply_parse(m->text, strlen(m->text), &rep);
		snprintf(raw, sizeof raw, "%s", m->text);
		/* The record keeps whole characters: a cut one would be
		 * invalid UTF-8 in a TEXT column. */
		coach_utf8_cut_tail(raw);
		if (store_reply_insert(e->store, host_channel_name(ch), m->id,
				       r->cfg->name, now, raw, reply_kind(&rep),
				       &reply_id, &duplicate) != 0)
			goto fail;
		if (duplicate) {
			res->status = REHABD_INBOUND_DUPLICATE;
			snprintf(res->ack, sizeof res->ack, "Already saved");
			continue;
		}
		/* Writing to us again means they can be reached again. */
		if (store_runner_set_unreachable(e->store, r->cfg->name, 0, NULL, now) != 0)
			goto fail;
		struct answer a = { .text = text, .html = html, .len = len };
		if (handle_reply(e, r, m, reply_id, &rep, res, &a) != 0)
			goto fail;
		if (*text) {
			char slot[32];
			snprintf(slot, sizeof slot, "reply:%lld", (long long)reply_id);
			if (outbox_queue_now(e->outbox, r->cfg->name, a.day, slot, a.kind, text,
					     *html ? html : NULL) != 0)
				goto fail;
			queued = 1;
		}
	}
	if (cursor && store_cursor_set(e->store, host_channel_name(ch), cursor, now) != 0)
		goto fail;
	fault_point("before_commit");
	if (store_commit(e->store) != 0)
		goto fail;
	fault_point("after_commit");
	free(text);
	free(html);
	if (queued)
		outbox_pump(e->outbox);
	return 0;
fail:
	store_rollback(e->store);
	log_error("channel %s: %zu message(s) not stored; the channel will deliver them again",
		  host_channel_name(ch), n);
	free(text);
	free(html);
	return -1;
fail_nomem:
	free(text);
	free(html);
	return -1;
}
