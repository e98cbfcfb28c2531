/*
 * The next-day plan: from a program, a runner's start and history of
 * replies, to what that runner does on one local date and why.  Pure.
 *
 * Rules (design.md "Pain rules"; every threshold is in coach_rules).  A
 * day's plan depends only on earlier days; the day's own replies shape the
 * days after it.  For one day, with its latest morning and session score:
 *
 *   no reply   neither score, no red flag, no done/skip: plan unchanged
 *              (the last verdict stands; the day counts toward the stage
 *              and as an easy-running day); after nudge_after silent
 *              days one nudge (once per silent spell), never an invented
 *              score.
 *   green      every score <= green_max.
 *   amber      highest score above green_max and below red_min: next day
 *              full plan but no new progression (flag hold: running at
 *              easy at most); the day counts, so a stage that has
 *              counted its days still ends on time.
 *   red        any score >= red_min, or the morning score >= morning_rise
 *              above the previous morning score: next day deload (strength
 *              at deload_sets x deload_reps, the exercises the current
 *              stage added dropped, running -> bike); the red day does not
 *              count toward the stage.
 *   stop       any score >= stop_min or a red-flag report: next day no
 *              strength, no running (bike at most), stretches kept, flag
 *              red_flag, a reason saying to see a doctor; then deloaded.
 *   recovery   recover_days red-free days in a row while deloaded: full
 *              plan from the next day.  Days with no score (silent or
 *              done/skip only) neither count nor break the run: "no
 *              reply, plan unchanged" (the same for the green streak).
 *   stalled    the stall_window-day mean not lower than the window before,
 *              stall_windows times in a row, latest mean >= stall_min_mean:
 *              plan kept, flag see_clinician.
 *   running    bike until easy_after_green green days in a row; then easy;
 *              faster (full) after fast_after_easy days of easy running
 *              without a red day; a red day sends it back to the bike.
 *   paused     days inside a pause: flag paused, nothing counts.
 *
 * A stage ends when it has counted its days; counted days are days from
 * the start that are not red, not stop days and not paused.
 */
#ifndef REHABD_COACH_PLAN_H
#define REHABD_COACH_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "program.h"

#define COACH_NO_SCORE (-1)

/* What a runner reported on one local date.  Scores are x10 (0..100). */
struct coach_day_log {
	int32_t day;      /* coach_date day number */
	int morning10;    /* latest morning score, or COACH_NO_SCORE */
	int session10;    /* latest after-session score, or COACH_NO_SCORE */
	bool red_flag;    /* pain at rest / at night reported that day */
	int done;         /* reminders answered "done" */
	int skipped;      /* reminders answered "skipped" */
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

enum coach_running {
	COACH_RUN_BIKE = 0, /* no running: cross-train (or rest) */
	COACH_RUN_EASY,
	COACH_RUN_FULL,     /* faster running allowed */
};

enum coach_flag {
	COACH_FLAG_DELOAD = 1u << 0,
	COACH_FLAG_HOLD = 1u << 1,
	COACH_FLAG_RED_FLAG = 1u << 2,
	COACH_FLAG_SEE_CLINICIAN = 1u << 3,
	COACH_FLAG_NUDGE = 1u << 4,
	COACH_FLAG_PAUSED = 1u << 5,
};

#define COACH_MAX_REASONS 8
#define COACH_REASON_MAX 160

struct coach_plan {
	int32_t day;
	bool before_start;   /* day < start: no plan */
	int program_day;     /* 1 on the start day */
	int stage;           /* 1-based */
	int day_in_stage;    /* 1-based */
	int stretch_sessions;
	size_t n_strength;   /* 0 when strength is stopped or paused */
	struct coach_exercise strength[COACH_MAX_EXERCISES];
	enum coach_running running;
	unsigned flags;      /* enum coach_flag bits */
	size_t n_reasons;    /* one line for every change from the full plan */
	char reasons[COACH_MAX_REASONS][COACH_REASON_MAX];
};

/*
 * Computes the plan of `day` for a runner.  Reads program, runner and
 * history only; writes *out.  Returns 0, or -1 when the program is
 * unusable (no stage).
 */
int coach_plan_day(const struct coach_program *program,
		   const struct coach_runner *runner,
		   const struct coach_history *history, int32_t day,
		   struct coach_plan *out);

/* A summary for /status, as of the start of `day`. */
struct coach_status {
	struct coach_plan today;
	int last_scores10[5];      /* most recent scores, newest first */
	size_t n_last_scores;
	int adherence_pct;         /* done / (done + skipped) over 7 days,
	                              -1 when nothing answered */
	double mean7;              /* mean score of the last 7 days, -1 */
	double mean7_before;       /* of the 7 days before, -1 */
	int green_streak;          /* green days in a row up to yesterday */
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

/* "bike", "easy", "full". */
const char *coach_running_name(enum coach_running r);

/* The name of one flag bit: "deload", "hold", "red_flag", "see_clinician",
 * "nudge", "paused"; NULL for anything else. */
const char *coach_flag_name(unsigned flag);

#endif
