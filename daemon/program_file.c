/*
 * Program files: conf/programs/<name>.conf, read with libconfig into a
 * struct coach_program.  The format is documented in docs/programs.md.
 *
 * The loader checks the shape of the file (syntax, unknown keys, types,
 * required keys, lengths, list sizes) while it copies values; everything
 * about the values themselves (ranges, order of thresholds, unique names)
 * is coach_program_check's job, whose verdict is mapped back to the line
 * of the setting it blames.  Every error is one line:
 * "FILE:LINE: what is wrong — what to do".
 */
#include "program_file.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "file_text.h"
#include "name_list.h"

/* A program file is a page of text; anything bigger is a mistake. */
#define PF_FILE_MAX (1024 * 1024)

/* The state of one load: the name used in messages and the error buffer. */
struct pf {
	const char *name;
	char *err;
	size_t errlen;
};

/* Writes "NAME:LINE: message" into the error buffer; returns -1. */
__attribute__((format(printf, 3, 4)))
static int pf_fail(struct pf *x, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!x->err || !x->errlen)
		return -1;
	n = snprintf(x->err, x->errlen, "%s:%d: ", x->name, line);
	if (n >= 0 && (size_t)n < x->errlen) {
		va_start(ap, fmt);
		vsnprintf(x->err + n, x->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Writes "NAME: message" (no line: the file itself is at fault). */
__attribute__((format(printf, 2, 3)))
static int pf_fail_file(struct pf *x, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!x->err || !x->errlen)
		return -1;
	n = snprintf(x->err, x->errlen, "%s: ", x->name);
	if (n >= 0 && (size_t)n < x->errlen) {
		va_start(ap, fmt);
		vsnprintf(x->err + n, x->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* The line a setting starts on; list elements and the root may have none
 * of their own, so fall back to the nearest ancestor that has one. */
static int pf_line(const config_setting_t *s)
{
	for (; s; s = config_setting_parent(s))
		if (config_setting_source_line(s) > 0)
			return (int)config_setting_source_line(s);
	return 1;
}

/*
 * Checks that group is a group and holds only the given keys.  what names
 * the group in messages ("stage 2", "`pain`"), ctx prefixes messages about
 * its keys ("stage 2: "), example shows its form.
 */
static int pf_check_group(struct pf *x, const config_setting_t *group,
			  const char *what, const char *ctx,
			  const char *const *keys, const char *example)
{
	char list[512]; /* every key of the largest group (pain) */

	name_list_join(keys, list, sizeof list);
	if (!config_setting_is_group(group))
		return pf_fail(x, pf_line(group),
			       "%s must be a group in braces — write e.g. %s",
			       what, example);
	for (int i = 0; i < config_setting_length(group); i++) {
		const config_setting_t *s = config_setting_get_elem(group,
								    (unsigned)i);
		const char *name = config_setting_name(s);
		bool known = name_list_has(keys, name);

		if (!known && !keys[1])
			return pf_fail(x, pf_line(s),
				       "%sunknown setting `%s` — the only setting allowed here is %s",
				       ctx, name ? name : "?", list);
		if (!known)
			return pf_fail(x, pf_line(s),
				       "%sunknown setting `%s` — the settings of %s are %s",
				       ctx, name ? name : "?", what, list);
	}
	return 0;
}

/* Looks up key in group.  A missing required key is an error at the
 * group's line; a missing optional one leaves *out NULL and returns 0. */
static int pf_member(struct pf *x, const config_setting_t *group,
		     const char *ctx, const char *key, bool required,
		     const char *example, config_setting_t **out)
{
	*out = config_setting_get_member(group, key);
	if (!*out && required)
		return pf_fail(x, pf_line(group),
			       "%s`%s` is missing — write e.g. %s = %s;", ctx,
			       key, key, example);
	return 0;
}

/* Copies a string setting into dst[size], refusing (never truncating) a
 * text that does not fit.  Absent and optional: dst keeps its default. */
static int pf_string(struct pf *x, const config_setting_t *group,
		     const char *ctx, const char *key, bool required,
		     const char *example, char *dst, size_t size)
{
	config_setting_t *s;
	const char *v;
	size_t len;

	if (pf_member(x, group, ctx, key, required, example, &s))
		return -1;
	if (!s)
		return 0;
	v = config_setting_get_string(s);
	if (config_setting_type(s) != CONFIG_TYPE_STRING || !v)
		return pf_fail(x, pf_line(s),
			       "%s`%s` must be a text in double quotes — write e.g. %s = %s;",
			       ctx, key, key, example);
	len = strlen(v);
	if (len >= size)
		return pf_fail(x, pf_line(s),
			       "%s`%s` is %zu bytes long; at most %zu fit — shorten it",
			       ctx, key, len, size - 1);
	memcpy(dst, v, len + 1);
	return 0;
}

/* Reads a whole-number setting.  64-bit values saturate to the int range,
 * where coach_program_check's range check refuses them with its usual
 * message.  Absent and optional: *dst keeps its default. */
static int pf_int(struct pf *x, const config_setting_t *group,
		  const char *ctx, const char *key, bool required,
		  const char *example, int *dst)
{
	config_setting_t *s;
	long long v;

	if (pf_member(x, group, ctx, key, required, example, &s))
		return -1;
	if (!s)
		return 0;
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		v = config_setting_get_int64(s);
		*dst = v > INT_MAX ? INT_MAX : v < INT_MIN ? INT_MIN : (int)v;
		return 0;
	default:
		return pf_fail(x, pf_line(s),
			       "%s`%s` must be a whole number — write e.g. %s = %s;",
			       ctx, key, key, example);
	}
}

/* Reads a score setting; integers are accepted where a float is expected
 * (libconfig types 2 and 2.0 differently). */
static int pf_double(struct pf *x, const config_setting_t *group,
		     const char *ctx, const char *key, const char *example,
		     double *dst)
{
	config_setting_t *s;

	if (pf_member(x, group, ctx, key, false, example, &s))
		return -1;
	if (!s)
		return 0;
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		*dst = (double)config_setting_get_int64(s);
		return 0;
	case CONFIG_TYPE_FLOAT:
		*dst = config_setting_get_float(s);
		return 0;
	default:
		return pf_fail(x, pf_line(s),
			       "%s`%s` must be a number from 0 to 10 — write e.g. %s = %s;",
			       ctx, key, key, example);
	}
}

/* Looks up an optional group and checks its keys; *out is NULL when the
 * group is absent (every key keeps its default). */
static int pf_subgroup(struct pf *x, const config_setting_t *parent,
		       const char *key, const char *const *keys,
		       const char *example, config_setting_t **out)
{
	char what[40], ctx[40];

	*out = config_setting_get_member(parent, key);
	if (!*out)
		return 0;
	snprintf(what, sizeof what, "`%s`", key);
	snprintf(ctx, sizeof ctx, "%s: ", key);
	return pf_check_group(x, *out, what, ctx, keys, example);
}

/*
 * Looks up a required list of groups with at most max elements.  An empty
 * array `[]` counts as an empty list.  what names the elements for the
 * messages ("stretches"), ctx prefixes them, hint says what to do with a
 * list that is too long.
 */
static int pf_list(struct pf *x, const config_setting_t *parent,
		   const char *ctx, const char *key, const char *what,
		   int max, const char *hint, const char *example,
		   config_setting_t **out)
{
	int n;

	if (pf_member(x, parent, ctx, key, true, example, out))
		return -1;
	n = config_setting_length(*out);
	if (!config_setting_is_list(*out) &&
	    !(config_setting_is_array(*out) && n == 0))
		return pf_fail(x, pf_line(*out),
			       "%s`%s` must be a list in parentheses — write e.g. %s = %s;",
			       ctx, key, key, example);
	if (n > max)
		return pf_fail(x, pf_line(config_setting_get_elem(*out,
								  (unsigned)max)),
			       "%s`%s` lists %d %s; at most %d fit — %s",
			       ctx, key, n, what, max, hint);
	return 0;
}

static const char *const pf_stretch_keys[] = { "name", "sets", "seconds",
					       "howto", NULL };
static const char *const pf_exercise_keys[] = { "name", "sets", "reps",
						"howto", NULL };
static const char *const pf_stage_keys[] = { "title", "days", "exercises",
					     NULL };
static const char *const pf_sessions_keys[] = { "min", "max", NULL };
static const char *const pf_running_keys[] = {
	"cross_training", "avoid", "easy_after_green_days",
	"easy_start_minutes", "easy_step_minutes", "easy_step_days",
	"easy_max_minutes", "fast_after_easy_days", "fast_step_days", NULL
};
static const char *const pf_pain_keys[] = {
	"green_max", "red_min", "stop_min", "creep_min", "morning_rise",
	"creep_days", "severe_days", "severe_repeat_days", "recover_days",
	"cleared_deload_days", "deload_advice_days", "long_pause_days",
	"stall_window_days", "stall_windows", "stall_min_mean",
	"stall_min_scored", "nudge_after_days", "ask_pause_after_days", NULL
};
static const char *const pf_deload_keys[] = { "sets", "reps", NULL };
static const char *const pf_program_keys[] = {
	"name", "title", "source", "stretch_sessions", "stretches", "stages",
	"running", "pain", "deload", "howto_days", NULL
};
static const char *const pf_root_keys[] = { "program", NULL };

#define PF_EX_STRETCH "{ name = \"Hip flexor stretch\"; sets = 2; seconds = 30; howto = \"...\"; }"
#define PF_EX_EXERCISE "{ name = \"Clamshell (band)\"; sets = 3; reps = 20; howto = \"...\"; }"
#define PF_EX_STAGE "{ title = \"Stage 1\"; days = 14; exercises = ( ... ); }"

/* Reads the stretch list and the stretch sessions per day into p. */
static int pf_stretches(struct pf *x, const config_setting_t *prog,
			struct coach_program *p)
{
	config_setting_t *list, *g;
	char what[32], ctx[40];

	if (pf_subgroup(x, prog, "stretch_sessions", pf_sessions_keys,
			"stretch_sessions = { min = 2; max = 3; };", &g))
		return -1;
	if (g && (pf_int(x, g, "stretch_sessions: ", "min", false, "2",
			 &p->stretch_sessions_min) ||
		  pf_int(x, g, "stretch_sessions: ", "max", false, "3",
			 &p->stretch_sessions_max)))
		return -1;
	if (pf_list(x, prog, "", "stretches", "stretches", COACH_MAX_STRETCHES,
		    "drop some",
		    "( " PF_EX_STRETCH " )", &list))
		return -1;
	p->n_stretches = (size_t)config_setting_length(list);
	for (size_t i = 0; i < p->n_stretches; i++) {
		struct coach_stretch *s = &p->stretches[i];
		const config_setting_t *e =
			config_setting_get_elem(list, (unsigned)i);

		snprintf(what, sizeof what, "stretch %zu", i + 1);
		snprintf(ctx, sizeof ctx, "stretch %zu: ", i + 1);
		if (pf_check_group(x, e, what, ctx, pf_stretch_keys,
				   PF_EX_STRETCH) ||
		    pf_string(x, e, ctx, "name", true, "\"Hip flexor stretch\"",
			      s->name, sizeof s->name) ||
		    pf_int(x, e, ctx, "sets", true, "2", &s->sets) ||
		    pf_int(x, e, ctx, "seconds", true, "30", &s->seconds) ||
		    pf_string(x, e, ctx, "howto", true, "\"one line\"",
			      s->howto, sizeof s->howto))
			return -1;
	}
	return 0;
}

/* Reads one stage (title, days, exercises) into st. */
static int pf_stage(struct pf *x, const config_setting_t *e, size_t si,
		    struct coach_stage *st)
{
	config_setting_t *list;
	char what[64], ctx[72];

	snprintf(what, sizeof what, "stage %zu", si + 1);
	snprintf(ctx, sizeof ctx, "stage %zu: ", si + 1);
	if (pf_check_group(x, e, what, ctx, pf_stage_keys, PF_EX_STAGE) ||
	    pf_string(x, e, ctx, "title", true, "\"Stage 1: hip rotation\"",
		      st->title, sizeof st->title) ||
	    pf_int(x, e, ctx, "days", true, "14", &st->days) ||
	    pf_list(x, e, ctx, "exercises", "exercises", COACH_MAX_EXERCISES,
		    "drop some",
		    "( " PF_EX_EXERCISE " )", &list))
		return -1;
	st->n_exercises = (size_t)config_setting_length(list);
	for (size_t i = 0; i < st->n_exercises; i++) {
		struct coach_exercise *ex = &st->exercises[i];
		const config_setting_t *g =
			config_setting_get_elem(list, (unsigned)i);

		snprintf(what, sizeof what, "stage %zu, exercise %zu", si + 1,
			 i + 1);
		snprintf(ctx, sizeof ctx, "stage %zu, exercise %zu: ", si + 1,
			 i + 1);
		if (pf_check_group(x, g, what, ctx, pf_exercise_keys,
				   PF_EX_EXERCISE) ||
		    pf_string(x, g, ctx, "name", true, "\"Clamshell (band)\"",
			      ex->name, sizeof ex->name) ||
		    pf_int(x, g, ctx, "sets", true, "3", &ex->sets) ||
		    pf_int(x, g, ctx, "reps", true, "20", &ex->reps) ||
		    pf_string(x, g, ctx, "howto", true, "\"one line\"",
			      ex->howto, sizeof ex->howto))
			return -1;
	}
	return 0;
}

/* Reads the optional running, pain and deload groups into p. */
static int pf_rules(struct pf *x, const config_setting_t *prog,
		    struct coach_program *p)
{
	struct coach_rules *r = &p->rules;
	config_setting_t *g;

	if (pf_subgroup(x, prog, "running", pf_running_keys,
			"running = { cross_training = \"bike\"; };", &g))
		return -1;
	if (g && (pf_string(x, g, "running: ", "cross_training", false,
			    "\"bike\"", p->cross_training,
			    sizeof p->cross_training) ||
		  pf_string(x, g, "running: ", "avoid", false,
			    "\"aqua-jogging\"", p->avoid, sizeof p->avoid) ||
		  pf_int(x, g, "running: ", "easy_after_green_days", false,
			 "3", &r->easy_after_green) ||
		  pf_int(x, g, "running: ", "easy_start_minutes", false,
			 "10", &r->easy_start_minutes) ||
		  pf_int(x, g, "running: ", "easy_step_minutes", false,
			 "5", &r->easy_step_minutes) ||
		  pf_int(x, g, "running: ", "easy_step_days", false,
			 "3", &r->easy_step_days) ||
		  pf_int(x, g, "running: ", "easy_max_minutes", false,
			 "40", &r->easy_max_minutes) ||
		  pf_int(x, g, "running: ", "fast_after_easy_days", false,
			 "21", &r->fast_after_easy) ||
		  pf_int(x, g, "running: ", "fast_step_days", false,
			 "7", &r->fast_step_days)))
		return -1;
	if (pf_subgroup(x, prog, "pain", pf_pain_keys,
			"pain = { red_min = 5.0; };", &g))
		return -1;
	if (g && (pf_double(x, g, "pain: ", "green_max", "2.0",
			    &r->green_max) ||
		  pf_double(x, g, "pain: ", "red_min", "5.0", &r->red_min) ||
		  pf_double(x, g, "pain: ", "stop_min", "8.0", &r->stop_min) ||
		  pf_double(x, g, "pain: ", "creep_min", "3.0",
			    &r->creep_min) ||
		  pf_double(x, g, "pain: ", "morning_rise", "2.0",
			    &r->morning_rise) ||
		  pf_int(x, g, "pain: ", "creep_days", false, "5",
			 &r->creep_days) ||
		  pf_int(x, g, "pain: ", "severe_days", false, "2",
			 &r->severe_days) ||
		  pf_int(x, g, "pain: ", "severe_repeat_days", false, "7",
			 &r->severe_repeat_days) ||
		  pf_int(x, g, "pain: ", "recover_days", false, "2",
			 &r->recover_days) ||
		  pf_int(x, g, "pain: ", "cleared_deload_days", false, "2",
			 &r->cleared_deload_days) ||
		  pf_int(x, g, "pain: ", "deload_advice_days", false, "7",
			 &r->deload_advice_days) ||
		  pf_int(x, g, "pain: ", "long_pause_days", false, "7",
			 &r->long_pause_days) ||
		  pf_int(x, g, "pain: ", "stall_window_days", false, "7",
			 &r->stall_window) ||
		  pf_int(x, g, "pain: ", "stall_windows", false, "2",
			 &r->stall_windows) ||
		  pf_double(x, g, "pain: ", "stall_min_mean", "2.0",
			    &r->stall_min_mean) ||
		  pf_int(x, g, "pain: ", "stall_min_scored", false, "4",
			 &r->stall_min_scored) ||
		  pf_int(x, g, "pain: ", "nudge_after_days", false, "1",
			 &r->nudge_after) ||
		  pf_int(x, g, "pain: ", "ask_pause_after_days", false, "3",
			 &r->ask_pause_after)))
		return -1;
	if (pf_subgroup(x, prog, "deload", pf_deload_keys,
			"deload = { sets = 2; reps = 12; };", &g))
		return -1;
	if (g && (pf_int(x, g, "deload: ", "sets", false, "2",
			 &r->deload_sets) ||
		  pf_int(x, g, "deload: ", "reps", false, "12",
			 &r->deload_reps)))
		return -1;
	return 0;
}

/* Reads the `program` group into p (which holds the defaults). */
static int pf_program(struct pf *x, const config_setting_t *prog,
		      struct coach_program *p)
{
	config_setting_t *list;

	if (pf_check_group(x, prog, "`program`", "", pf_program_keys,
			   "program = { name = \"iliopsoas\"; ... };") ||
	    pf_string(x, prog, "", "name", true, "\"iliopsoas\"", p->name,
		      sizeof p->name) ||
	    pf_string(x, prog, "", "title", true, "\"Hip flexor rehab\"",
		      p->title, sizeof p->title) ||
	    pf_string(x, prog, "", "source", false, "\"Johnston et al. 1999\"",
		      p->source, sizeof p->source) ||
	    pf_stretches(x, prog, p) ||
	    pf_list(x, prog, "", "stages", "stages", COACH_MAX_STAGES,
		    "merge some",
		    "( " PF_EX_STAGE " )", &list))
		return -1;
	p->n_stages = (size_t)config_setting_length(list);
	for (size_t i = 0; i < p->n_stages; i++)
		if (pf_stage(x, config_setting_get_elem(list, (unsigned)i), i,
			     &p->stages[i]))
			return -1;
	if (pf_int(x, prog, "", "howto_days", false, "3",
		   &p->rules.howto_days))
		return -1;
	return pf_rules(x, prog, p);
}

/* Where each field of coach_program_check lives: its group (relative to
 * `program`; "" for program itself, or a list element), and its key. */
enum pf_section { PF_SEC_PROGRAM, PF_SEC_SESSIONS, PF_SEC_STRETCH,
		  PF_SEC_STAGE, PF_SEC_EXERCISE, PF_SEC_RUNNING, PF_SEC_PAIN,
		  PF_SEC_DELOAD };

static const struct {
	enum pf_section section;
	const char *key; /* NULL: the section itself */
} pf_fields[] = {
	[COACH_PF_PROGRAM] = { PF_SEC_PROGRAM, NULL },
	[COACH_PF_NAME] = { PF_SEC_PROGRAM, "name" },
	[COACH_PF_TITLE] = { PF_SEC_PROGRAM, "title" },
	[COACH_PF_SOURCE] = { PF_SEC_PROGRAM, "source" },
	[COACH_PF_STRETCHES] = { PF_SEC_PROGRAM, "stretches" },
	[COACH_PF_STRETCH_NAME] = { PF_SEC_STRETCH, "name" },
	[COACH_PF_STRETCH_SETS] = { PF_SEC_STRETCH, "sets" },
	[COACH_PF_STRETCH_SECONDS] = { PF_SEC_STRETCH, "seconds" },
	[COACH_PF_STRETCH_HOWTO] = { PF_SEC_STRETCH, "howto" },
	[COACH_PF_SESSIONS_MIN] = { PF_SEC_SESSIONS, "min" },
	[COACH_PF_SESSIONS_MAX] = { PF_SEC_SESSIONS, "max" },
	[COACH_PF_STAGES] = { PF_SEC_PROGRAM, "stages" },
	[COACH_PF_STAGE_TITLE] = { PF_SEC_STAGE, "title" },
	[COACH_PF_STAGE_DAYS] = { PF_SEC_STAGE, "days" },
	[COACH_PF_STAGE_EXERCISES] = { PF_SEC_STAGE, "exercises" },
	[COACH_PF_EXERCISE_NAME] = { PF_SEC_EXERCISE, "name" },
	[COACH_PF_EXERCISE_SETS] = { PF_SEC_EXERCISE, "sets" },
	[COACH_PF_EXERCISE_REPS] = { PF_SEC_EXERCISE, "reps" },
	[COACH_PF_EXERCISE_HOWTO] = { PF_SEC_EXERCISE, "howto" },
	[COACH_PF_CROSS_TRAINING] = { PF_SEC_RUNNING, "cross_training" },
	[COACH_PF_AVOID] = { PF_SEC_RUNNING, "avoid" },
	[COACH_PF_EASY_AFTER_GREEN] = { PF_SEC_RUNNING, "easy_after_green_days" },
	[COACH_PF_FAST_AFTER_EASY] = { PF_SEC_RUNNING, "fast_after_easy_days" },
	[COACH_PF_GREEN_MAX] = { PF_SEC_PAIN, "green_max" },
	[COACH_PF_RED_MIN] = { PF_SEC_PAIN, "red_min" },
	[COACH_PF_STOP_MIN] = { PF_SEC_PAIN, "stop_min" },
	[COACH_PF_MORNING_RISE] = { PF_SEC_PAIN, "morning_rise" },
	[COACH_PF_RECOVER_DAYS] = { PF_SEC_PAIN, "recover_days" },
	[COACH_PF_STALL_WINDOW] = { PF_SEC_PAIN, "stall_window_days" },
	[COACH_PF_STALL_WINDOWS] = { PF_SEC_PAIN, "stall_windows" },
	[COACH_PF_STALL_MIN_MEAN] = { PF_SEC_PAIN, "stall_min_mean" },
	[COACH_PF_NUDGE_AFTER] = { PF_SEC_PAIN, "nudge_after_days" },
	[COACH_PF_DELOAD_SETS] = { PF_SEC_DELOAD, "sets" },
	[COACH_PF_DELOAD_REPS] = { PF_SEC_DELOAD, "reps" },
	[COACH_PF_CREEP_MIN] = { PF_SEC_PAIN, "creep_min" },
	[COACH_PF_CREEP_DAYS] = { PF_SEC_PAIN, "creep_days" },
	[COACH_PF_SEVERE_DAYS] = { PF_SEC_PAIN, "severe_days" },
	[COACH_PF_SEVERE_REPEAT_DAYS] = { PF_SEC_PAIN, "severe_repeat_days" },
	[COACH_PF_CLEARED_DELOAD_DAYS] = { PF_SEC_PAIN, "cleared_deload_days" },
	[COACH_PF_DELOAD_ADVICE_DAYS] = { PF_SEC_PAIN, "deload_advice_days" },
	[COACH_PF_LONG_PAUSE_DAYS] = { PF_SEC_PAIN, "long_pause_days" },
	[COACH_PF_STALL_MIN_SCORED] = { PF_SEC_PAIN, "stall_min_scored" },
	[COACH_PF_ASK_PAUSE_AFTER] = { PF_SEC_PAIN, "ask_pause_after_days" },
	[COACH_PF_EASY_START_MINUTES] = { PF_SEC_RUNNING, "easy_start_minutes" },
	[COACH_PF_EASY_STEP_MINUTES] = { PF_SEC_RUNNING, "easy_step_minutes" },
	[COACH_PF_EASY_STEP_DAYS] = { PF_SEC_RUNNING, "easy_step_days" },
	[COACH_PF_EASY_MAX_MINUTES] = { PF_SEC_RUNNING, "easy_max_minutes" },
	[COACH_PF_FAST_STEP_DAYS] = { PF_SEC_RUNNING, "fast_step_days" },
	[COACH_PF_HOWTO_DAYS] = { PF_SEC_PROGRAM, "howto_days" },
};

/* Returns the element idx of prog.list, or NULL. */
static config_setting_t *pf_elem(const config_setting_t *prog,
				 const char *list, int idx)
{
	config_setting_t *l = config_setting_get_member(prog, list);

	if (!l || idx < 0)
		return NULL;
	return config_setting_get_elem(l, (unsigned)idx);
}

/*
 * The line of the setting a failed check blames.  When that setting is not
 * in the file (its default is at fault), the line of the closest enclosing
 * group that is, ending at `program`.
 */
static int pf_where_line(const config_setting_t *prog,
			 const struct coach_program_where *w)
{
	const config_setting_t *sec = NULL, *s = NULL;
	size_t f = (size_t)w->field;

	if (f >= sizeof pf_fields / sizeof pf_fields[0])
		return pf_line(prog);
	switch (pf_fields[f].section) {
	case PF_SEC_PROGRAM:
		sec = prog;
		break;
	case PF_SEC_SESSIONS:
		sec = config_setting_get_member(prog, "stretch_sessions");
		break;
	case PF_SEC_STRETCH:
		sec = pf_elem(prog, "stretches", w->item);
		break;
	case PF_SEC_STAGE:
		sec = pf_elem(prog, "stages", w->stage);
		break;
	case PF_SEC_EXERCISE:
		sec = pf_elem(prog, "stages", w->stage);
		if (sec && config_setting_get_member(sec, "exercises"))
			sec = pf_elem(sec, "exercises", w->item);
		break;
	case PF_SEC_RUNNING:
		sec = config_setting_get_member(prog, "running");
		break;
	case PF_SEC_PAIN:
		sec = config_setting_get_member(prog, "pain");
		break;
	case PF_SEC_DELOAD:
		sec = config_setting_get_member(prog, "deload");
		break;
	}
	if (!sec)
		return pf_line(prog);
	if (pf_fields[f].key)
		s = config_setting_get_member(sec, pf_fields[f].key);
	return pf_line(s ? s : sec);
}

/*
 * Refuses @include: a program must be one self-contained file that a
 * physio can read and preview, and a program text must never make the
 * daemon open other files.  libconfig only honours the directive at the
 * start of a line, which is what this looks for (it may also refuse one
 * inside a multi-line comment, which is harmless).
 */
static int pf_refuse_include(struct pf *x, const char *text)
{
	int line = 1;

	for (const char *p = text; *p;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!strncmp(p, "@include", 8))
			return pf_fail(x, line,
				       "@include is not allowed in a program file — copy the settings into this file");
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
		line++;
	}
	return 0;
}

/* Formats a libconfig parse error with a hint for the common cases. */
static int pf_syntax(struct pf *x, const config_t *cfg)
{
	const char *text = config_error_text(cfg);
	const char *hint =
		"check this line and the one before it for a missing ';', '=', '\"' or brace";

	if (!text)
		text = "cannot be parsed";
	if (strstr(text, "duplicate"))
		hint = "each setting may appear once in its group; remove one";
	return pf_fail(x, config_error_line(cfg) > 0 ? config_error_line(cfg) : 1,
		       "%s — %s", text, hint);
}

int program_file_load_string(const char *text, const char *name,
			     struct coach_program *out, char *err,
			     size_t errlen)
{
	struct pf x = { name ? name : "<program>", err, errlen };
	struct coach_program p;
	struct coach_program_where where;
	config_t cfg;
	config_setting_t *root, *prog;
	char why[400];
	int rc = -1;

	if (err && errlen)
		err[0] = '\0';
	if (pf_refuse_include(&x, text))
		return -1;
	coach_program_defaults(&p);
	config_init(&cfg);
	if (config_read_string(&cfg, text) != CONFIG_TRUE) {
		pf_syntax(&x, &cfg);
		goto fail;
	}
	root = config_root_setting(&cfg);
	if (pf_check_group(&x, root, "the file", "", pf_root_keys,
			   "program = { ... };"))
		goto fail;
	prog = config_setting_get_member(root, "program");
	if (!prog) {
		pf_fail(&x, 1,
			"`program` is missing — the file must hold program = { name = \"...\"; title = \"...\"; stretches = ( ... ); stages = ( ... ); };");
		goto fail;
	}
	if (pf_program(&x, prog, &p))
		goto fail;
	if (coach_program_check(&p, &where, why, sizeof why)) {
		pf_fail(&x, pf_where_line(prog, &where), "%s", why);
		goto fail;
	}
	*out = p;
	rc = 0;
fail:
	config_destroy(&cfg);
	return rc;
}

int program_file_load(const char *path, struct coach_program *out, char *err,
		      size_t errlen)
{
	struct pf x = { path, err, errlen };
	char *text = NULL;
	size_t n;
	int rc = -1;

	unsigned mode = 0;

	switch (file_text_read(path, PF_FILE_MAX, &text, &n, &mode)) {
	case FILE_TEXT_OK:
		break;
	case FILE_TEXT_WRITABLE:
		return pf_fail_file(&x, "can be changed by group or others (mode %03o), and it sets a runner's plan — run chmod go-w %s",
				    mode, path);
	case FILE_TEXT_OPEN:
		return pf_fail_file(&x, "cannot open: %s — check the path and that rehabd may read it",
				    strerror(errno));
	case FILE_TEXT_NOT_REGULAR:
		return pf_fail_file(&x, "cannot read: not a regular file — check the path");
	case FILE_TEXT_TOO_LARGE:
		return pf_fail_file(&x, "larger than %d bytes — a program file is a page of text; check the path",
				    PF_FILE_MAX);
	case FILE_TEXT_READ:
		return pf_fail_file(&x, "cannot read: %s — check the file",
				    strerror(errno));
	case FILE_TEXT_NOMEM:
	default:
		return pf_fail_file(&x, "out of memory reading the program — free some memory");
	}
	if (strlen(text) != n) {
		int line = 1;

		for (const char *p = text; *p; p++)
			line += *p == '\n';
		pf_fail(&x, line,
			"contains a NUL byte — a program file is plain text; save it as UTF-8 text");
		goto fail;
	}
	rc = program_file_load_string(text, path, out, err, errlen);
fail:
	free(text);
	return rc;
}
