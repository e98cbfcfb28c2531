/*
 * The words rehabd sends: one function per kind of message.  Pure: a plan
 * and a program in, text out.  Every function writes a NUL-terminated
 * message into buf and returns its length, or -1 when it does not fit.
 * Reminders stay under COACH_MESSAGE_MAX characters.
 */
#ifndef REHABD_COACH_MESSAGE_H
#define REHABD_COACH_MESSAGE_H

#include <stddef.h>

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
	COACH_SLOT_EVENING,     /* asks how much the session/run hurt 0-10 */
};

/* A reminder for one slot of today's plan.  stretch_index is 1-based and
 * used only for COACH_SLOT_STRETCH. */
int coach_message_slot(const struct coach_program *program,
		       const struct coach_plan *today, enum coach_slot slot,
		       int stretch_index, enum coach_format fmt, char *buf,
		       size_t len);

/* The acknowledgement of a stored score: what was saved (for which day
 * and check-in, morning = 1 or session = 0) and tomorrow's outlook with
 * the reasons for any change.  A red-flag report or a score >= stop_min
 * says plainly to see a doctor. */
int coach_message_ack_score(const struct coach_program *program,
			    const struct coach_reply *reply, int morning,
			    int32_t for_day,
			    const struct coach_plan *tomorrow,
			    enum coach_format fmt, char *buf, size_t len);

/* Acknowledgement of done / skipped. */
int coach_message_ack_adherence(const struct coach_reply *reply,
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

/* /status: stage, day, last scores, adherence, trend. */
int coach_message_status(const struct coach_program *program,
			 const struct coach_status *status,
			 enum coach_format fmt, char *buf, size_t len);

/* /pause and /resume confirmations; days = 0 means until /resume. */
int coach_message_paused(int32_t from, int days, enum coach_format fmt,
			 char *buf, size_t len);
int coach_message_resumed(enum coach_format fmt, char *buf, size_t len);

#endif
