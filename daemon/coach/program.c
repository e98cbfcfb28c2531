/*
 * Program defaults and the checks that make a program usable by the plan
 * rules.  Pure: no I/O.  Messages name settings the way program files
 * spell them (docs/programs.md), because that is where programs come from.
 */
#include "program.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Dose and counter ranges.  Wide enough for any sensible program, narrow
 * enough to catch a typo such as reps = 200 or days = 1400. */
#define PROG_SETS_MAX 10
#define PROG_REPS_MAX 100
#define PROG_SECONDS_MAX 600
#define PROG_DAYS_MAX 365
#define PROG_SCORE_MAX 10.0

void coach_program_defaults(struct coach_program *p)
{
	memset(p, 0, sizeof *p);
	p->stretch_sessions_min = 2; /* seed 000: "two to three times per day" */
	p->stretch_sessions_max = 3;
	snprintf(p->cross_training, sizeof p->cross_training, "%s", "bike");
	snprintf(p->avoid, sizeof p->avoid, "%s",
		 "aqua-jogging (it loads the hip flexors)");
	p->rules = (struct coach_rules){
		.green_max = 2.0,
		.red_min = 5.0,   /* seed 000 (Silbernagel 2007): < 5/10 is ok */
		.stop_min = 8.0,
		.creep_min = 3.0,   /* seed 000 l.138: pain must not persist */
		.morning_rise = 2.0,
		.creep_days = 5,
		.severe_days = 2,   /* today and tomorrow */
		.severe_repeat_days = 7,
		.deload_sets = 2,
		.deload_reps = 12,
		.recover_days = 2,
		.cleared_deload_days = 2,
		.deload_advice_days = 7,
		.long_pause_days = 7,
		.stall_window = 7,
		.stall_windows = 2,
		.stall_min_mean = 2.0,
		.stall_min_scored = 4,
		.nudge_after = 1,
		.ask_pause_after = 3,
		.easy_after_green = 3,
		.easy_start_minutes = 10, /* seed 000 l.136: build up gradually */
		.easy_step_minutes = 5,
		.easy_step_days = 3,
		.easy_max_minutes = 40,
		.fast_after_easy = 21,    /* seed 000 l.140 */
		.fast_step_days = 7,
		.howto_days = 3,
	};
}

/* The state of one check run: where to blame and the message buffer. */
struct prog_check {
	struct coach_program_where *where;
	char *err;
	size_t errlen;
};

/* Records a failure on (field, stage, item) with a printf-style message;
 * always returns -1 so callers can `return fail(...)`. */
__attribute__((format(printf, 5, 6)))
static int fail(struct prog_check *c, enum coach_program_field field,
		int stage, int item, const char *fmt, ...)
{
	va_list ap;

	if (c->where) {
		c->where->field = field;
		c->where->stage = stage;
		c->where->item = item;
	}
	if (c->err && c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err, c->errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Returns true when s is well-formed UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF); messages go to chat apps that insist on it. */
static bool utf8_valid(const unsigned char *s)
{
	while (*s) {
		unsigned c = *s;
		size_t n;
		unsigned cp;

		if (c < 0x80) {
			s++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		for (size_t i = 1; i <= n; i++) {
			if ((s[i] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i] & 0x3F);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		s += n + 1;
	}
	return true;
}

/*
 * Checks one text field of `size` bytes: terminated inside its array, one
 * line (no control characters), valid UTF-8 and, when `required`, not
 * empty.  ctx is the message prefix ("stage 2: "), key the setting name.
 */
static int check_text(struct prog_check *c, const char *s, size_t size,
		      bool required, enum coach_program_field field,
		      int stage, int item, const char *ctx, const char *key,
		      const char *example)
{
	const char *end = memchr(s, '\0', size);

	if (!end)
		return fail(c, field, stage, item,
			    "%s`%s` is longer than %zu bytes — shorten it",
			    ctx, key, size - 1);
	if (required && end == s)
		return fail(c, field, stage, item,
			    "%s`%s` is empty — write e.g. %s = %s;", ctx, key,
			    key, example);
	for (const unsigned char *u = (const unsigned char *)s; *u; u++)
		if (*u < 0x20 || *u == 0x7F)
			return fail(c, field, stage, item,
				    "%s`%s` must be one line without tabs or control characters — join it into one line",
				    ctx, key);
	if (!utf8_valid((const unsigned char *)s))
		return fail(c, field, stage, item,
			    "%s`%s` is not valid UTF-8 — save the file as UTF-8",
			    ctx, key);
	return 0;
}

/* Checks lo <= v <= hi for a whole-number setting. */
static int check_int(struct prog_check *c, int v, int lo, int hi,
		     enum coach_program_field field, int stage, int item,
		     const char *ctx, const char *key, int example)
{
	if (v >= lo && v <= hi)
		return 0;
	return fail(c, field, stage, item,
		    "%s`%s` must be a whole number from %d to %d — write e.g. %s = %d;",
		    ctx, key, lo, hi, key, example);
}

/* Checks that the program's name can serve as a file name and identifier. */
static int check_name(struct prog_check *c, const struct coach_program *p)
{
	size_t n = strnlen(p->name, sizeof p->name);
	bool ok = n > 0 && n < sizeof p->name;

	for (size_t i = 0; ok && i < n; i++) {
		char ch = p->name[i];
		ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		     (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
	}
	if (!ok)
		return fail(c, COACH_PF_NAME, -1, -1,
			    "`name` must be 1 to %zu letters, digits, '-' or '_' (it names the file) — write e.g. name = \"iliopsoas\";",
			    sizeof p->name - 1);
	return 0;
}

/* Checks the stretch list and the stretch sessions per day. */
static int check_stretches(struct prog_check *c, const struct coach_program *p)
{
	char ctx[48];

	if (check_int(c, p->stretch_sessions_min, 1, 3, COACH_PF_SESSIONS_MIN,
		      -1, -1, "stretch_sessions: ", "min", 2))
		return -1;
	if (p->stretch_sessions_max < p->stretch_sessions_min ||
	    p->stretch_sessions_max > 3)
		return fail(c, COACH_PF_SESSIONS_MAX, -1, -1,
			    "stretch_sessions: `max` must be from `min` (%d) to 3 — write e.g. max = 3;",
			    p->stretch_sessions_min);
	if (p->n_stretches == 0)
		return fail(c, COACH_PF_STRETCHES, -1, -1,
			    "`stretches` lists no stretch — add at least one, e.g. { name = \"Hip flexor stretch\"; sets = 2; seconds = 30; howto = \"...\"; }");
	if (p->n_stretches > COACH_MAX_STRETCHES)
		return fail(c, COACH_PF_STRETCHES, -1, -1,
			    "`stretches` lists %zu stretches; at most %d fit — drop some",
			    p->n_stretches, COACH_MAX_STRETCHES);
	for (size_t i = 0; i < p->n_stretches; i++) {
		const struct coach_stretch *s = &p->stretches[i];
		int ii = (int)i;

		snprintf(ctx, sizeof ctx, "stretch %d: ", ii + 1);
		if (check_text(c, s->name, sizeof s->name, true,
			       COACH_PF_STRETCH_NAME, -1, ii, ctx, "name",
			       "\"Hip flexor stretch\"") ||
		    check_int(c, s->sets, 1, PROG_SETS_MAX,
			      COACH_PF_STRETCH_SETS, -1, ii, ctx, "sets", 2) ||
		    check_int(c, s->seconds, 1, PROG_SECONDS_MAX,
			      COACH_PF_STRETCH_SECONDS, -1, ii, ctx, "seconds",
			      30) ||
		    check_text(c, s->howto, sizeof s->howto, true,
			       COACH_PF_STRETCH_HOWTO, -1, ii, ctx, "howto",
			       "\"one line on how to do it\""))
			return -1;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(p->stretches[j].name, s->name))
				return fail(c, COACH_PF_STRETCH_NAME, -1, ii,
					    "%s`name` \"%s\" is already used by stretch %zu — give each stretch its own name",
					    ctx, s->name, j + 1);
	}
	return 0;
}

/* Counts the distinct exercise names of stages 0..upto, the size of that
 * stage's cumulative session (a repeated name replaces, not adds). */
static size_t session_size(const struct coach_program *p, size_t upto)
{
	size_t n = 0;

	for (size_t s = 0; s <= upto; s++)
		for (size_t e = 0; e < p->stages[s].n_exercises; e++) {
			const char *name = p->stages[s].exercises[e].name;
			bool seen = false;

			for (size_t s2 = 0; s2 <= s && !seen; s2++) {
				size_t lim = s2 == s ? e : p->stages[s2].n_exercises;
				for (size_t e2 = 0; e2 < lim && !seen; e2++)
					seen = !strcmp(p->stages[s2].exercises[e2].name,
						       name);
			}
			n += !seen;
		}
	return n;
}

/* Checks one exercise of a stage (its text, dose and unique name). */
static int check_exercise(struct prog_check *c, const struct coach_stage *st,
			  int si, int ei)
{
	const struct coach_exercise *e = &st->exercises[ei];
	char ctx[64];

	snprintf(ctx, sizeof ctx, "stage %d, exercise %d: ", si + 1, ei + 1);
	if (check_text(c, e->name, sizeof e->name, true,
		       COACH_PF_EXERCISE_NAME, si, ei, ctx, "name",
		       "\"Clamshell (band)\"") ||
	    check_int(c, e->sets, 1, PROG_SETS_MAX, COACH_PF_EXERCISE_SETS,
		      si, ei, ctx, "sets", 3) ||
	    check_int(c, e->reps, 1, PROG_REPS_MAX, COACH_PF_EXERCISE_REPS,
		      si, ei, ctx, "reps", 20) ||
	    check_text(c, e->howto, sizeof e->howto, true,
		       COACH_PF_EXERCISE_HOWTO, si, ei, ctx, "howto",
		       "\"one line on how to do it\""))
		return -1;
	for (int j = 0; j < ei; j++)
		if (!strcmp(st->exercises[j].name, e->name))
			return fail(c, COACH_PF_EXERCISE_NAME, si, ei,
				    "%s`name` \"%s\" is already listed as exercise %d of this stage — give each exercise of a stage its own name",
				    ctx, e->name, j + 1);
	return 0;
}

/* Checks the stages: titles, days (only the last may be open), exercises,
 * and that no cumulative session outgrows a day's plan. */
static int check_stages(struct prog_check *c, const struct coach_program *p)
{
	char ctx[32];

	if (p->n_stages == 0)
		return fail(c, COACH_PF_STAGES, -1, -1,
			    "`stages` lists no stage — add at least one, e.g. { title = \"Stage 1\"; days = 14; exercises = ( ... ); }");
	if (p->n_stages > COACH_MAX_STAGES)
		return fail(c, COACH_PF_STAGES, -1, -1,
			    "`stages` lists %zu stages; at most %d fit — merge some",
			    p->n_stages, COACH_MAX_STAGES);
	for (size_t i = 0; i < p->n_stages; i++) {
		const struct coach_stage *st = &p->stages[i];
		bool last = i + 1 == p->n_stages;
		int si = (int)i;

		snprintf(ctx, sizeof ctx, "stage %d: ", si + 1);
		if (check_text(c, st->title, sizeof st->title, true,
			       COACH_PF_STAGE_TITLE, si, -1, ctx, "title",
			       "\"Stage 1: hip rotation\""))
			return -1;
		if (!last && st->days < 1)
			return fail(c, COACH_PF_STAGE_DAYS, si, -1,
				    "%s`days` must be a whole number of days > 0 — write e.g. days = 14;",
				    ctx);
		if (last && st->days < 0)
			return fail(c, COACH_PF_STAGE_DAYS, si, -1,
				    "%s`days` must be 0 (open: the last stage goes on) or a whole number of days > 0 — write e.g. days = 0;",
				    ctx);
		if (st->days > PROG_DAYS_MAX)
			return fail(c, COACH_PF_STAGE_DAYS, si, -1,
				    "%s`days` must be at most %d — split the stage or write e.g. days = 14;",
				    ctx, PROG_DAYS_MAX);
		if (st->n_exercises > COACH_MAX_EXERCISES)
			return fail(c, COACH_PF_STAGE_EXERCISES, si, -1,
				    "%s`exercises` lists %zu exercises; at most %d fit — drop some",
				    ctx, st->n_exercises, COACH_MAX_EXERCISES);
		if (i == 0 && st->n_exercises == 0)
			return fail(c, COACH_PF_STAGE_EXERCISES, si, -1,
				    "%s`exercises` lists no exercise — the first stage needs at least one, e.g. { name = \"...\"; sets = 3; reps = 20; howto = \"...\"; }",
				    ctx);
		for (size_t e = 0; e < st->n_exercises; e++)
			if (check_exercise(c, st, si, (int)e))
				return -1;
		if (session_size(p, i) > COACH_MAX_EXERCISES)
			return fail(c, COACH_PF_STAGE_EXERCISES, si, -1,
				    "%s`exercises` makes a session of %zu exercises with the earlier stages; at most %d fit — drop some or reuse an earlier name to change its dose",
				    ctx, session_size(p, i), COACH_MAX_EXERCISES);
	}
	return 0;
}

/* Checks lo <= v <= hi (and finite) for a score setting; lo_open makes the
 * lower bound exclusive.  lo_name names the setting lo comes from, if any. */
static int check_score(struct prog_check *c, double v, double lo,
		       bool lo_open, const char *lo_name,
		       enum coach_program_field field, const char *key,
		       const char *example)
{
	bool ok = isfinite(v) && (lo_open ? v > lo : v >= lo) &&
		  v <= PROG_SCORE_MAX;

	if (ok)
		return 0;
	if (lo_name)
		return fail(c, field, -1, -1,
			    "pain: `%s` must be %s `%s` (%g) and at most 10 — write e.g. %s = %s;",
			    key, lo_open ? "above" : "at least", lo_name, lo,
			    key, example);
	return fail(c, field, -1, -1,
		    "pain: `%s` must be a score %s %g %s 10 — write e.g. %s = %s;",
		    key, lo_open ? "above" : "from", lo,
		    lo_open ? "and at most" : "to", key, example);
}

/* Checks the pain thresholds, counters, running rules and deload dose. */
static int check_rules(struct prog_check *c, const struct coach_program *p)
{
	const struct coach_rules *r = &p->rules;

	if (check_text(c, p->cross_training, sizeof p->cross_training, true,
		       COACH_PF_CROSS_TRAINING, -1, -1, "running: ",
		       "cross_training", "\"bike\"") ||
	    check_text(c, p->avoid, sizeof p->avoid, false, COACH_PF_AVOID,
		       -1, -1, "running: ", "avoid", "\"aqua-jogging\"") ||
	    check_int(c, r->easy_after_green, 0, 60, COACH_PF_EASY_AFTER_GREEN,
		      -1, -1, "running: ", "easy_after_green_days", 3) ||
	    check_int(c, r->easy_start_minutes, 1, 180,
		      COACH_PF_EASY_START_MINUTES, -1, -1, "running: ",
		      "easy_start_minutes", 10) ||
	    check_int(c, r->easy_max_minutes, r->easy_start_minutes, 300,
		      COACH_PF_EASY_MAX_MINUTES, -1, -1, "running: ",
		      "easy_max_minutes", 40) ||
	    check_int(c, r->easy_step_minutes, 0, 60,
		      COACH_PF_EASY_STEP_MINUTES, -1, -1, "running: ",
		      "easy_step_minutes", 5) ||
	    check_int(c, r->easy_step_days, 1, 60, COACH_PF_EASY_STEP_DAYS,
		      -1, -1, "running: ", "easy_step_days", 3) ||
	    check_int(c, r->fast_after_easy, 0, PROG_DAYS_MAX,
		      COACH_PF_FAST_AFTER_EASY, -1, -1, "running: ",
		      "fast_after_easy_days", 21) ||
	    check_int(c, r->fast_step_days, 1, 60, COACH_PF_FAST_STEP_DAYS,
		      -1, -1, "running: ", "fast_step_days", 7))
		return -1;
	if (check_score(c, r->green_max, 0, false, NULL, COACH_PF_GREEN_MAX,
			"green_max", "2.0") ||
	    check_score(c, r->red_min, r->green_max, true, "green_max",
			COACH_PF_RED_MIN, "red_min", "5.0") ||
	    check_score(c, r->stop_min, r->red_min, false, "red_min",
			COACH_PF_STOP_MIN, "stop_min", "8.0") ||
	    check_score(c, r->creep_min, 0, false, NULL, COACH_PF_CREEP_MIN,
			"creep_min", "3.0") ||
	    check_score(c, r->morning_rise, 0, true, NULL,
			COACH_PF_MORNING_RISE, "morning_rise", "2.0") ||
	    check_int(c, r->creep_days, 1, 28, COACH_PF_CREEP_DAYS, -1, -1,
		      "pain: ", "creep_days", 5) ||
	    check_int(c, r->severe_days, 1, 14, COACH_PF_SEVERE_DAYS, -1, -1,
		      "pain: ", "severe_days", 2) ||
	    check_int(c, r->severe_repeat_days, 1, 60,
		      COACH_PF_SEVERE_REPEAT_DAYS, -1, -1, "pain: ",
		      "severe_repeat_days", 7) ||
	    check_int(c, r->recover_days, 1, 28, COACH_PF_RECOVER_DAYS, -1,
		      -1, "pain: ", "recover_days", 2) ||
	    check_int(c, r->cleared_deload_days, 1, 28,
		      COACH_PF_CLEARED_DELOAD_DAYS, -1, -1, "pain: ",
		      "cleared_deload_days", 2) ||
	    check_int(c, r->deload_advice_days, 1, 60,
		      COACH_PF_DELOAD_ADVICE_DAYS, -1, -1, "pain: ",
		      "deload_advice_days", 7) ||
	    check_int(c, r->long_pause_days, 1, 90, COACH_PF_LONG_PAUSE_DAYS,
		      -1, -1, "pain: ", "long_pause_days", 7) ||
	    check_int(c, r->stall_window, 1, 28, COACH_PF_STALL_WINDOW, -1,
		      -1, "pain: ", "stall_window_days", 7) ||
	    check_int(c, r->stall_windows, 1, 12, COACH_PF_STALL_WINDOWS, -1,
		      -1, "pain: ", "stall_windows", 2) ||
	    check_score(c, r->stall_min_mean, 0, false, NULL,
			COACH_PF_STALL_MIN_MEAN, "stall_min_mean", "2.0") ||
	    check_int(c, r->stall_min_scored, 1, 28, COACH_PF_STALL_MIN_SCORED,
		      -1, -1, "pain: ", "stall_min_scored", 4) ||
	    check_int(c, r->nudge_after, 1, 14, COACH_PF_NUDGE_AFTER, -1, -1,
		      "pain: ", "nudge_after_days", 1) ||
	    check_int(c, r->ask_pause_after, r->nudge_after, 30,
		      COACH_PF_ASK_PAUSE_AFTER, -1, -1, "pain: ",
		      "ask_pause_after_days", 3) ||
	    check_int(c, r->howto_days, 0, 28, COACH_PF_HOWTO_DAYS, -1, -1, "",
		      "howto_days", 3))
		return -1;
	if (check_int(c, r->deload_sets, 1, PROG_SETS_MAX, COACH_PF_DELOAD_SETS,
		      -1, -1, "deload: ", "sets", 2) ||
	    check_int(c, r->deload_reps, 1, PROG_REPS_MAX, COACH_PF_DELOAD_REPS,
		      -1, -1, "deload: ", "reps", 12))
		return -1;
	return 0;
}

int coach_program_check(const struct coach_program *p,
			struct coach_program_where *where, char *err,
			size_t errlen)
{
	struct prog_check c = { where, err, errlen };

	if (where)
		*where = (struct coach_program_where){ COACH_PF_PROGRAM, -1, -1 };
	if (err && errlen)
		err[0] = '\0';
	if (check_name(&c, p) ||
	    check_text(&c, p->title, sizeof p->title, true, COACH_PF_TITLE,
		       -1, -1, "", "title", "\"Hip flexor rehab\"") ||
	    check_text(&c, p->source, sizeof p->source, false,
		       COACH_PF_SOURCE, -1, -1, "", "source",
		       "\"Johnston et al. 1999\"") ||
	    check_stretches(&c, p) || check_stages(&c, p) ||
	    check_rules(&c, p))
		return -1;
	return 0;
}

int coach_program_validate(const struct coach_program *p, char *err,
			   size_t errlen)
{
	return coach_program_check(p, NULL, err, errlen);
}
