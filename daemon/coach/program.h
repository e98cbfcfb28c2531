/*
 * A rehab program as data: stretches, strength stages, running rules and
 * the thresholds of the pain-monitoring model.  Filled from a program file
 * (conf/programs/NAME.conf) by the runtime's program_file.c; the coach only
 * reads it.  Fixed-size arrays keep the struct a plain value that needs no
 * freeing and can be copied.
 */
#ifndef REHABD_COACH_PROGRAM_H
#define REHABD_COACH_PROGRAM_H

#include <stddef.h>

#define COACH_NAME_MAX 64
#define COACH_TEXT_MAX 200
#define COACH_MAX_STRETCHES 12
#define COACH_MAX_STAGES 8
#define COACH_MAX_EXERCISES 12 /* per stage, and in a day's plan */

struct coach_stretch {
	char name[COACH_NAME_MAX];
	int sets;                   /* 2 */
	int seconds;                /* hold per set, 30 */
	char howto[COACH_TEXT_MAX]; /* one line */
};

struct coach_exercise {
	char name[COACH_NAME_MAX];
	int sets;                   /* 3 */
	int reps;                   /* 20 */
	char howto[COACH_TEXT_MAX]; /* one line */
};

/*
 * Stages are cumulative: a stage's strength session is every exercise of
 * the stages before it plus the ones it lists.  An exercise listed again
 * under the same name replaces the earlier dose (progression); an exercise
 * with a new name is "added" by that stage, which is what a deload drops.
 */
struct coach_stage {
	char title[COACH_NAME_MAX]; /* "Stage 2: add clamshells" */
	int days;                   /* counted days to finish it; 0 = open */
	size_t n_exercises;
	struct coach_exercise exercises[COACH_MAX_EXERCISES];
};

/* Thresholds of the pain rules (design.md, "Pain rules").  Scores are on
 * the 0-10 scale; halves are allowed, so they are doubles. */
struct coach_rules {
	double green_max;      /* every score <= this: green day (2) */
	double red_min;        /* any score >= this: red day (5) */
	double stop_min;       /* any score >= this: stop, see a doctor (8) */
	double morning_rise;   /* morning up by >= this vs the previous
	                          morning: red (2) */
	int deload_sets;       /* strength dose while deloaded (2) */
	int deload_reps;       /* (12) */
	int recover_days;      /* red-free days in a row to end a deload (2) */
	int stall_window;      /* days per trend window (7) */
	int stall_windows;     /* non-improving window comparisons in a row
	                          that trigger see_clinician (2) */
	double stall_min_mean; /* only when the latest mean is >= this (2) */
	int nudge_after;       /* days without any reply before the one
	                          nudge (1) */
	int easy_after_green;  /* green days in a row before easy running (3) */
	int fast_after_easy;   /* days of easy running without a red day
	                          before faster running (21) */
};

struct coach_program {
	char name[COACH_NAME_MAX];   /* "iliopsoas" */
	char title[COACH_TEXT_MAX];  /* shown to the runner */
	char source[COACH_TEXT_MAX]; /* where it comes from (seed, paper) */

	size_t n_stretches;
	struct coach_stretch stretches[COACH_MAX_STRETCHES];
	int stretch_sessions_min; /* 2 */
	int stretch_sessions_max; /* 3 */

	size_t n_stages;
	struct coach_stage stages[COACH_MAX_STAGES];

	char cross_training[COACH_NAME_MAX]; /* "bike" */
	char avoid[COACH_TEXT_MAX]; /* "aqua-jogging (loads the hip flexors)" */

	struct coach_rules rules;
};

/* Fills p with the rule defaults of design.md and empty lists.  Program
 * files start from these and override what they set. */
void coach_program_defaults(struct coach_program *p);

/* Checks that the program is usable (at least one stretch and one stage,
 * positive doses, thresholds in order).  Returns 0, or -1 with a one-line
 * reason in err. */
int coach_program_validate(const struct coach_program *p, char *err,
			   size_t errlen);

/* The setting a failed check blames, so that a program file can point at
 * its line (program_file.c maps each field to its key). */
enum coach_program_field {
	COACH_PF_PROGRAM = 0, /* the program as a whole */
	COACH_PF_NAME,
	COACH_PF_TITLE,
	COACH_PF_SOURCE,
	COACH_PF_STRETCHES,
	COACH_PF_STRETCH_NAME,
	COACH_PF_STRETCH_SETS,
	COACH_PF_STRETCH_SECONDS,
	COACH_PF_STRETCH_HOWTO,
	COACH_PF_SESSIONS_MIN,
	COACH_PF_SESSIONS_MAX,
	COACH_PF_STAGES,
	COACH_PF_STAGE_TITLE,
	COACH_PF_STAGE_DAYS,
	COACH_PF_STAGE_EXERCISES,
	COACH_PF_EXERCISE_NAME,
	COACH_PF_EXERCISE_SETS,
	COACH_PF_EXERCISE_REPS,
	COACH_PF_EXERCISE_HOWTO,
	COACH_PF_CROSS_TRAINING,
	COACH_PF_AVOID,
	COACH_PF_EASY_AFTER_GREEN,
	COACH_PF_FAST_AFTER_EASY,
	COACH_PF_GREEN_MAX,
	COACH_PF_RED_MIN,
	COACH_PF_STOP_MIN,
	COACH_PF_MORNING_RISE,
	COACH_PF_RECOVER_DAYS,
	COACH_PF_STALL_WINDOW,
	COACH_PF_STALL_WINDOWS,
	COACH_PF_STALL_MIN_MEAN,
	COACH_PF_NUDGE_AFTER,
	COACH_PF_DELOAD_SETS,
	COACH_PF_DELOAD_REPS,
};

struct coach_program_where {
	enum coach_program_field field;
	int stage; /* 0-based stage, or -1 */
	int item;  /* 0-based stretch or exercise, or -1 */
};

/* coach_program_validate that also says which setting is to blame (where
 * may be NULL).  Messages name settings as program files spell them. */
int coach_program_check(const struct coach_program *p,
			struct coach_program_where *where, char *err,
			size_t errlen);

#endif
