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

/* Thresholds and counters of the pain rules (design.md, "Pain rules");
 * the defaults of coach_program_defaults() are design.md's.  Scores are
 * on the 0-10 scale; halves are allowed, so they are doubles.  Counters
 * are days. */
struct coach_rules {
	/* Day colours. */
	double green_max;      /* every score <= this: green day (2) */
	double red_min;        /* any score >= this: red day (5); between
	                          green_max and red_min: amber */
	double stop_min;       /* any score >= this: severe day (8) */
	double creep_min;      /* a morning score >= this ... (3) */
	double morning_rise;   /* ... and >= this above the lowest morning of
	                          the creep_days before: red (2) */
	int creep_days;        /* mornings looked back for that lowest (5) */
	int severe_days;       /* no strength, no running for this many days
	                          from a severe day on (2: today, tomorrow) */
	int severe_repeat_days;/* a second severe day within this many days (inclusive)
	                          raises the red flag (7) */
	/* Deload. */
	int deload_sets;       /* strength dose while deloaded (2) */
	int deload_reps;       /* (12) */
	int recover_days;      /* red-free deload days in a row that end a
	                          deload (2) */
	int cleared_deload_days; /* deload days after /cleared before the
	                          full plan (2) */
	int deload_advice_days;/* a deload not ended after this many days
	                          advises a physio or doctor (7) */
	int long_pause_days;   /* a pause this long or longer: the first
	                          day back is a deload day (7) */
	/* Not improving. */
	int stall_window;      /* days per trend window (7) */
	int stall_windows;     /* non-improving windows in a row that advise
	                          a physio or doctor (2) */
	double stall_min_mean; /* only while the window's mean morning score
	                          is >= this (2) */
	int stall_min_scored;  /* each window needs this many scored
	                          mornings (4) */
	/* No reply. */
	int nudge_after;       /* silent days before the one nudge (1) */
	int ask_pause_after;   /* silent days before asking whether to
	                          pause (3) */
	/* Running. */
	int easy_after_green;  /* counted green days in a row before easy
	                          running (3) */
	int easy_start_minutes;/* first easy runs (10) */
	int easy_step_minutes; /* added per step (5) */
	int easy_step_days;    /* counted days without a red day per step (3) */
	int easy_max_minutes;  /* cap of easy running (40) */
	int fast_after_easy;   /* counted days of easy running without a red
	                          day before faster running (21) */
	int fast_step_days;    /* counted days without a red day per step of
	                          faster running: strides, intervals, tempo
	                          (7) */
	/* Messages. */
	int howto_days;        /* an exercise's how-to comes with it on its
	                          first this many days (3) */
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
	COACH_PF_CREEP_MIN,
	COACH_PF_CREEP_DAYS,
	COACH_PF_SEVERE_DAYS,
	COACH_PF_SEVERE_REPEAT_DAYS,
	COACH_PF_CLEARED_DELOAD_DAYS,
	COACH_PF_DELOAD_ADVICE_DAYS,
	COACH_PF_LONG_PAUSE_DAYS,
	COACH_PF_STALL_MIN_SCORED,
	COACH_PF_ASK_PAUSE_AFTER,
	COACH_PF_EASY_START_MINUTES,
	COACH_PF_EASY_STEP_MINUTES,
	COACH_PF_EASY_STEP_DAYS,
	COACH_PF_EASY_MAX_MINUTES,
	COACH_PF_FAST_STEP_DAYS,
	COACH_PF_HOWTO_DAYS,
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
