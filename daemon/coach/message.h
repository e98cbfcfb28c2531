/*
 * The words rehabd sends: one function per kind of message.  Pure: a plan
 * and a program in, text out.  Every function writes a NUL-terminated
 * message into buf and returns its length, or -1 when it does not fit.
 * Reminders stay under COACH_MESSAGE_MAX characters.
 */
#ifndef REHABD_COACH_MESSAGE_H
#define REHABD_COACH_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plan.h"
#include "program.h"
#include "reply_parse.h"

#define COACH_MESSAGE_MAX 1000

enum coach_format {
	COACH_TEXT_PLAIN = 0,
	COACH_TEXT_HTML,  /* simple HTML: <b>, <i>, newlines kept; text
	                     escaped (&lt; &gt; &amp;) */
};

enum coach_slot {
	COACH_SLOT_MORNING = 0, /* check-in with today's plan, asks 0-10 */
	COACH_SLOT_STRETCH,     /* stretch reminder (session i of n) */
	COACH_SLOT_STRENGTH,    /* strength session and today's running */
	COACH_SLOT_EVENING,     /* asks how much the session/run hurt 0-10
	                           (on a day without strength or running:
	                           how the hip is) */
};

/* A reminder for one slot of today's plan.  stretch_index is 1-based and
 * used only for COACH_SLOT_STRETCH. */
int coach_message_slot(const struct coach_program *program,
		       const struct coach_plan *today, enum coach_slot slot,
		       int stretch_index, enum coach_format fmt, char *buf,
		       size_t len);

/* What an acknowledgement of a score or red-flag report needs to know.
 * before and after are the plan for the rest of `today` (the runner's
 * local date now, coach_plan_rest) computed just before and just after
 * the reply was stored, so the answer can say what changed today;
 * tomorrow is the plan of today + 1 seen from today (coach_plan_view). */
struct coach_ack {
	const struct coach_reply *reply;
	int morning;                   /* 1 morning check-in, 0 session */
	int32_t for_day;               /* the day the score was saved for */
	int32_t today;
	const struct coach_plan *before;
	const struct coach_plan *after;
	const struct coach_plan *tomorrow;
	bool session_sent;             /* today's strength reminder has gone
	                                  out already */
};

/* The acknowledgement of a stored score or report: what was saved (the
 * value of a range, which day and check-in), what changed for the rest
 * of today and tomorrow's outlook.  A red flag or a severe score says
 * plainly to see a doctor, and to stop today's session when its reminder
 * has already gone out. */
int coach_message_ack_score(const struct coach_program *program,
			    const struct coach_ack *ack,
			    enum coach_format fmt, char *buf, size_t len);

/* Acknowledgement of done / skipped.  ask_session: the reply said done
 * to the strength reminder and no session score came yet, so the answer
 * asks how much it hurt (0-10). */
int coach_message_ack_adherence(const struct coach_reply *reply,
				bool ask_session, enum coach_format fmt,
				char *buf, size_t len);

/* /cleared accepted: the red flag of flag_since is lifted; what the next
 * days look like (two easier days first). */
int coach_message_cleared(const struct coach_program *program,
			  int32_t flag_since,
			  const struct coach_plan *tomorrow,
			  enum coach_format fmt, char *buf, size_t len);

/* /cleared refused: no red flag stands. */
int coach_message_not_flagged(enum coach_format fmt, char *buf, size_t len);

/* "how", /how: the how-to of today's exercises and of every stretch;
 * with a topic (the words after /how, may be NULL or ""), those whose
 * names contain it ("stretch", "clamshell"), or all when none does. */
int coach_message_howto(const struct coach_program *program,
			const struct coach_plan *today, const char *topic,
			enum coach_format fmt, char *buf, size_t len);

/* /help, /start: what the runner may reply. */
int coach_message_help(const struct coach_program *program, int is_start,
		       enum coach_format fmt, char *buf, size_t len);

/* The one-line help for a reply that was not understood. */
int coach_message_not_understood(enum coach_format fmt, char *buf,
				 size_t len);

/* /plan: today's and tomorrow's plan. */
int coach_message_plan(const struct coach_program *program,
		       const struct coach_plan *today,
		       const struct coach_plan *tomorrow,
		       enum coach_format fmt, char *buf, size_t len);

/* /status: stage and day with the date of the next stage, running level,
 * the last 7 days' scores, done out of sent (skipped, unanswered), any
 * standing red flag with its date, the trend. */
int coach_message_status(const struct coach_program *program,
			 const struct coach_status *status,
			 enum coach_format fmt, char *buf, size_t len);

/* /pause and /resume confirmations; days = 0 means until /resume. */
int coach_message_paused(int32_t from, int days, enum coach_format fmt,
			 char *buf, size_t len);
int coach_message_resumed(enum coach_format fmt, char *buf, size_t len);

#endif
