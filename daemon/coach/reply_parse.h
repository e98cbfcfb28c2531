/*
 * Reading what a runner replies: a pain score, a command, done/skipped, a
 * red-flag report, or not understood.  Pure: text in, a struct out.
 */
#ifndef REHABD_COACH_REPLY_PARSE_H
#define REHABD_COACH_REPLY_PARSE_H

#include <stdbool.h>
#include <stddef.h>

/* Longest text the parser reads; longer input is not understood. */
#define COACH_REPLY_MAX 1024

enum coach_reply_kind {
	COACH_REPLY_UNKNOWN = 0, /* not understood (may still carry red_flag) */
	COACH_REPLY_SCORE,
	COACH_REPLY_COMMAND,
	COACH_REPLY_DONE,
	COACH_REPLY_SKIPPED,
};

enum coach_command {
	COACH_CMD_NONE = 0,
	COACH_CMD_START,
	COACH_CMD_HELP,
	COACH_CMD_PLAN,
	COACH_CMD_STATUS,
	COACH_CMD_PAUSE,  /* args[0]: days, optional */
	COACH_CMD_RESUME,
	COACH_CMD_SNOOZE, /* args[0]: minutes, optional */
	COACH_CMD_CLEARED, /* a doctor or physio checked the hip: lifts a
			      red-flag stop; args: the words after /cleared */
	COACH_CMD_HOW,     /* how to do the exercises; args: the words after
			      /how, optional */
};

#define COACH_REPLY_MAX_ARGS 4
#define COACH_REPLY_ARG_MAX 32

struct coach_reply {
	enum coach_reply_kind kind;
	bool has_score;
	int score10;  /* score x 10 (0..100, halves allowed: 25 = 2.5) */
	bool range;  /* the reply gave a range: score10 is its upper end */
	int range_low10; /* its lower end, x10 */
	bool red_flag; /* "pain at rest", "hurts at night", ... */
	/* With a score: COACH_REPLY_DONE or COACH_REPLY_SKIPPED when the
	 * reply also said so ("done, pain 2"), so adherence is not lost;
	 * COACH_REPLY_UNKNOWN otherwise. */
	enum coach_reply_kind also;
	enum coach_command command;
	size_t n_args;
	char args[COACH_REPLY_MAX_ARGS][COACH_REPLY_ARG_MAX];
};

/*
 * Parses len bytes of text (need not be NUL-terminated).  Always fills
 * *out; returns out->kind.  Refuses rather than guesses: anything
 * ambiguous is COACH_REPLY_UNKNOWN.
 */
enum coach_reply_kind coach_reply_parse(const char *text, size_t len,
					struct coach_reply *out);

/* "start", "help", ... for a command, "" for COACH_CMD_NONE. */
const char *coach_command_name(enum coach_command cmd);

/* "score", "command", "done", "skipped" or "unknown". */
const char *coach_reply_kind_name(enum coach_reply_kind kind);

#endif
