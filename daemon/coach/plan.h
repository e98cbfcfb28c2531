/*
 * The plan: from a program, a runner's start and history of replies, to
 * what that runner does on one local date and why.  Pure.
 *
 * The rules are design.md's "Pain rules"; every threshold and counter is
 * in coach_rules.  docs/programs.md explains them for a physio; plan.c
 * says, rule by rule, how they are read where design.md leaves room
 * (always the safer reading).  In brief:
 *
 *   colours     green (every score <= green_max), amber (highest score
 *               between), red (any score >= red_min, or a morning >=
 *               creep_min that is morning_rise above the lowest morning
 *               of the creep_days before), severe (any score >=
 *               stop_min), no reply (no score that day).
 *   red         deload for the rest of that day and until recover_days
 *               red-free deload days in a row: strength at deload_sets x
 *               deload_reps without the exercises the stage added, no
 *               running (bike); running comes back one level lower.
 *   severe      no strength and no running for severe_days from that
 *               day, see a doctor; a second one within severe_repeat_days
 *               raises the red flag; then a deload as for red.
 *   red flag    pain at rest or at night: no strength, no running until
 *               /cleared (never lifted by silence, a pause or good
 *               scores); each morning asks again; after /cleared,
 *               cleared_deload_days deload days before the full plan, and
 *               running starts again from the bike.
 *   same day    a report acts at once: the plan for the rest of its day
 *               (coach_plan_rest) is built from it.
 *   counted     a day counts toward the stage and the running counters
 *               when it is green or amber, not paused, not deloaded, not
 *               under a red flag or a severe stop, and its strength
 *               session was not answered "skipped".
 *   one change  a new stage, a step up in running, the end of a deload or
 *               the return of the exercise a deload left out begins only
 *               on a day after a green day with a morning answer, never during a deload, a red
 *               flag or a stop, at most one a day (in that order of
 *               precedence: the end of a deload first).
 *   stall       once a week (program days 1 + k*stall_window): the mean
 *               morning score of the last window not lower than the one
 *               before, mean >= stall_min_mean, both windows with
 *               stall_min_scored mornings, stall_windows weeks in a row:
 *               plan kept, nothing new, see a physio or doctor, until a
 *               later week decides otherwise.  A deload older than
 *               deload_advice_days gives the same advice.
 *   no reply    nothing moves forward; one nudge after nudge_after silent
 *               days, one question whether to pause after
 *               ask_pause_after.
 *   pauses      no plan, nothing counts, but red flags and red or severe
 *               scores reported during a pause act as on any other day; a
 *               pause of long_pause_days or more ends with a deload.
 *   running     bike; easy from easy_start_minutes after easy_after_green
 *               counted green days in a row, +easy_step_minutes every
 *               easy_step_days counted days without a red day up to
 *               easy_max_minutes; after fast_after_easy such days of easy
 *               running at the cap: strides, then intervals, then tempo,
 *               each after fast_step_days more.
 */
#ifndef REHABD_COACH_PLAN_H
#define REHABD_COACH_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "program.h"

#define COACH_NO_SCORE (-1)
/* A day number that names no day (no flag standing, no next stage). */
#define COACH_NO_DAY INT32_MIN

/* What a runner reported on one local date.  Scores are x10 (0..100). */
struct coach_day_log {
	int32_t day;           /* coach_date day number */
	int morning10;         /* highest morning score, or COACH_NO_SCORE */
	int session10;         /* highest after-session score, or
	                          COACH_NO_SCORE */
	bool red_flag;         /* pain at rest / at night reported that day */
	bool cleared;          /* a /cleared that day, after its last
	                          red-flag report */
	int done;              /* reminders answered "done" */
	int skipped;           /* reminders answered "skipped" */
	bool strength_skipped; /* the strength reminder answered "skipped" */
};

/* [from, until) in day numbers; until = COACH_DAY_OPEN while open. */
struct coach_pause {
	int32_t from;
	int32_t until;
};

struct coach_history {
	const struct coach_day_log *days; /* ascending, one entry per day */
	size_t n_days;
	const struct coach_pause *pauses; /* any order, may overlap */
	size_t n_pauses;
};

struct coach_runner {
	int32_t start_day;    /* program day 1 */
	int stretch_sessions; /* the runner's stretch times (2 or 3); 0 means
	                         the program's maximum */
};

/* Running levels, in the order they come back. */
enum coach_running {
	COACH_RUN_BIKE = 0,  /* no running: cross-train (or rest) */
	COACH_RUN_EASY,      /* easy running, running_minutes long */
	COACH_RUN_STRIDES,   /* easy running with a few strides */
	COACH_RUN_INTERVALS, /* short intervals */
	COACH_RUN_TEMPO,     /* tempo runs: faster running back in full */
};

enum coach_flag {
	COACH_FLAG_DELOAD = 1u << 0,        /* eased strength, no running */
	COACH_FLAG_HOLD = 1u << 1,          /* a due change waits today */
	COACH_FLAG_RED_FLAG = 1u << 2,      /* pain at rest / at night: no
	                                       training until /cleared */
	COACH_FLAG_SEE_CLINICIAN = 1u << 3, /* not improving, or a long
	                                       deload: see a physio */
	COACH_FLAG_NUDGE = 1u << 4,         /* no score yesterday */
	COACH_FLAG_PAUSED = 1u << 5,
	COACH_FLAG_SEVERE = 1u << 6,        /* a score >= stop_min: no
	                                       strength, no running, see a
	                                       doctor */
	COACH_FLAG_ASK_PAUSE = 1u << 7,     /* silent for days: pause? */
};

/* What begins on the plan's day (at most one, design.md "one change at
 * a time"). */
enum coach_change {
	COACH_CHANGE_NONE = 0,
	COACH_CHANGE_NEW_STAGE,
	COACH_CHANGE_RUN_STEP,
	COACH_CHANGE_DELOAD_END,
	COACH_CHANGE_EXERCISE_BACK,
};

/* What a reason line is about, for messages that show some elsewhere. */
enum coach_reason_kind {
	COACH_REASON_PLAIN = 0,
	COACH_REASON_FLAG,  /* the red flag and /cleared */
};

#define COACH_MAX_REASONS 8
#define COACH_REASON_MAX 200

struct coach_plan {
	int32_t day;
	bool before_start;   /* day < start: no plan */
	bool rest_of_day;    /* built by coach_plan_rest */
	bool replanned;      /* rest_of_day and different from the morning
	                        plan (strength, running or flags) */
	int program_day;     /* 1 on the start day */
	int stage;           /* 1-based */
	int day_in_stage;    /* 1-based: counted days of the stage + 1 */
	int stage_days;      /* days the stage counts (0: open) */
	int stretch_sessions;
	int stretch_day;     /* n-th active (unpaused) day of stretching */
	size_t n_strength;   /* 0 when strength is stopped or paused */
	struct coach_exercise strength[COACH_MAX_EXERCISES];
	/* Per exercise of strength[]: on how many days (this one included)
	 * it has been in the plan since it last came in; 1 = new today. */
	int strength_day[COACH_MAX_EXERCISES];
	/* Exercises of the stage left out today (deload, or not back yet). */
	size_t n_left_out;
	char left_out[COACH_MAX_EXERCISES][COACH_NAME_MAX];
	enum coach_running running;
	int running_minutes; /* easy and above: minutes of the run */
	unsigned flags;      /* enum coach_flag bits */
	enum coach_change change;
	int32_t flag_since;  /* COACH_FLAG_RED_FLAG: day it was reported */
	/* Where the running stands, for the runner ("easy running after 3
	 * green days in a row (2 so far)"); "" when nothing waits. */
	char running_note[COACH_REASON_MAX];
	size_t n_reasons;    /* one line for every change from the full plan,
	                        said on the day it applies */
	char reasons[COACH_MAX_REASONS][COACH_REASON_MAX];
	unsigned char reason_kind[COACH_MAX_REASONS]; /* coach_reason_kind */
};

/*
 * The plan of `day` as its morning message gives it: built from the days
 * before it only.  Reads program, runner and history; writes *out.
 * Returns 0, or -1 when the program is unusable (no stage).
 */
int coach_plan_day(const struct coach_program *program,
		   const struct coach_runner *runner,
		   const struct coach_history *history, int32_t day,
		   struct coach_plan *out);

/*
 * The plan for the rest of `day` after what the history holds for that
 * day (a morning 8 stops that day's strength, a red flag stops it at
 * once).  Equal to coach_plan_day's but for rest_of_day, replanned and
 * the reasons of the change, which come first.  Returns 0 or -1.
 */
int coach_plan_rest(const struct coach_program *program,
		    const struct coach_runner *runner,
		    const struct coach_history *history, int32_t day,
		    struct coach_plan *out);

/*
 * coach_plan_day (rest = false) or coach_plan_rest (rest = true) with the
 * reasons worded as seen from `view` (the day the runner reads them):
 * the plan of view + 1 speaks of view as "today" and of itself as
 * "tomorrow", so an acknowledgement can give tomorrow's outlook.
 */
int coach_plan_view(const struct coach_program *program,
		    const struct coach_runner *runner,
		    const struct coach_history *history, int32_t day,
		    bool rest, int32_t view, struct coach_plan *out);

/* A summary for /status, as of now on `day` (its replies included). */
struct coach_status {
	struct coach_plan today;   /* coach_plan_rest of day */
	/* The last 7 days, day - 6 .. day, oldest first. */
	struct {
		int32_t day;
		int morning10, session10; /* or COACH_NO_SCORE */
		bool red_flag;
	} week[7];
	int done7;                 /* reminders answered done, 7 days */
	int skipped7;              /* answered skipped */
	int sent7;                 /* reminders sent in those days: the
	                              caller's to fill in (0 from the coach) */
	double mean7;              /* mean morning score, last 7 days before
	                              day, -1 when none */
	double mean7_before;       /* of the 7 days before those, -1 */
	int green_streak;          /* counted green days in a row */
	int32_t next_stage_day;    /* earliest day the next stage can start,
	                              when every day from today counts;
	                              COACH_NO_DAY in the last stage */
	bool paused;
	int undelivered;           /* reminders of the last 7 days that never
	                              reached the runner (blocked bot, expired);
	                              0 from coach_status_day: delivery is
	                              the caller's to fill in */
};

int coach_status_day(const struct coach_program *program,
		     const struct coach_runner *runner,
		     const struct coach_history *history, int32_t day,
		     struct coach_status *out);

/* "bike", "easy", "strides", "intervals", "tempo". */
const char *coach_running_name(enum coach_running r);

/* The name of one flag bit: "deload", "hold", "red_flag", "see_clinician",
 * "nudge", "paused", "severe", "ask_pause"; NULL for anything else. */
const char *coach_flag_name(unsigned flag);

/* "", "new_stage", "run_step", "deload_end", "exercise_back". */
const char *coach_change_name(enum coach_change c);

#endif
