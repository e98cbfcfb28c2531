/*
 * rehabctl preview: the plan of every day of a program for a given
 * history of replies, offline (no daemon).  A physio checks a program
 * file with it before a runner gets it, and the tests run the plan rules
 * through it.
 *
 *   rehabctl preview --program FILE --start YYYY-MM-DD --days N
 *                    [--scores FILE] [--stretch-sessions N] [--json]
 *
 * Each day shows the plan its morning message gives, and, when that
 * day's morning reply changes the rest of the day (a morning 8 stops the
 * session, pain at night stops it at once), the plan after it: the
 * day as the runner lives it.
 *
 * The scores file (--scores) is read by preview_scores.c.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "coach/coach_date.h"
#include "coach/plan.h"
#include "commands.h"
#include "preview_scores.h"
#include "program_file.h"

#define PREVIEW_DAYS_MAX 3660        /* ten years */
#define PREVIEW_ERR_MAX 512

struct preview_opts {
	const char *program;
	const char *scores;
	int32_t start;
	int days;
	int stretch_sessions; /* 0: the program's maximum */
	bool json;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: rehabctl preview --program FILE --start YYYY-MM-DD --days N\n"
		"                        [--scores FILE] [--stretch-sessions N] [--json]\n"
		"\n"
		"Prints the plan of each day from the start date for a history of\n"
		"replies.  The scores file has one CSV line per reply:\n"
		"  YYYY-MM-DD,morning,SCORE   YYYY-MM-DD,session,SCORE  (0-10, halves ok)\n"
		"  YYYY-MM-DD,red_flag        YYYY-MM-DD,cleared\n"
		"  YYYY-MM-DD,done[,strength] YYYY-MM-DD,skipped[,strength]\n"
		"  YYYY-MM-DD,pause[,DAYS]    YYYY-MM-DD,resume\n"
		"A day without a line is a day without a reply.  A day whose morning\n"
		"reply changes the rest of it also shows the plan after that reply.\n"
		"--json prints one JSON object per day.\n");
}

/*
 * Reads the command line into *o.  Returns 0, 1 after --help (printed),
 * or 2 after printing a usage error.
 */
static int parse_args(int argc, char **argv, struct preview_opts *o)
{
	const char *start = NULL, *days = NULL, *sessions = NULL;

	memset(o, 0, sizeof *o);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;
		static const char *const valued[] = {
			"--program", "--start", "--days", "--scores",
			"--stretch-sessions",
		};

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 1;
		}
		if (!strcmp(a, "--json")) {
			o->json = true;
			continue;
		}
		for (size_t k = 0; k < sizeof valued / sizeof valued[0]; k++) {
			size_t n = strlen(valued[k]);
			const char *v;
			if (strncmp(a, valued[k], n) || (a[n] && a[n] != '='))
				continue;
			if (a[n] == '=') {
				v = a + n + 1;
			} else if (i + 1 < argc) {
				v = argv[++i];
			} else {
				fprintf(stderr, "rehabctl preview: %s needs a value\n",
					valued[k]);
				usage(stderr);
				return 2;
			}
			const char **slots[] = { &o->program, &start, &days,
						 &o->scores, &sessions };
			slot = slots[k];
			*slot = v;
			break;
		}
		if (!slot) {
			fprintf(stderr, "rehabctl preview: unknown argument \"%s\"\n",
				a);
			usage(stderr);
			return 2;
		}
	}
	if (!o->program || !start || !days) {
		fprintf(stderr, "rehabctl preview: --program, --start and --days are required\n");
		usage(stderr);
		return 2;
	}
	if (!coach_day_parse(start, &o->start)) {
		fprintf(stderr, "rehabctl preview: --start %s: not a date — write e.g. --start 2026-03-02\n",
			start);
		return 2;
	}
	if (!preview_parse_int(days, 1, PREVIEW_DAYS_MAX, &o->days)) {
		fprintf(stderr, "rehabctl preview: --days %s: give a number of days from 1 to %d\n",
			days, PREVIEW_DAYS_MAX);
		return 2;
	}
	if (sessions && !preview_parse_int(sessions, 1, 10, &o->stretch_sessions)) {
		fprintf(stderr, "rehabctl preview: --stretch-sessions %s: give the runner's stretch times per day, e.g. 2 or 3\n",
			sessions);
		return 2;
	}
	if ((int64_t)o->start + o->days > INT32_MAX) {
		fprintf(stderr, "rehabctl preview: --days %d runs past the calendar\n",
			o->days);
		return 2;
	}
	return 0;
}

/*
 * The fields of one plan into object o: stage, exercises, running with
 * its minutes, flags, reasons and the change the day begins (the same
 * for a day's morning plan and for its "after_morning" object).
 * Returns 0, or -1 when out of memory.
 */
static int plan_fields(json_t *o, const struct coach_plan *p)
{
	json_t *strength = json_array(), *flags = json_array(),
	       *reasons = json_array();
	int rc = -1;

	if (!strength || !flags || !reasons)
		goto done;
	for (size_t i = 0; i < p->n_strength; i++)
		if (json_array_append_new(strength,
					  json_pack("{s:s, s:i, s:i}", "name",
						    p->strength[i].name, "sets",
						    p->strength[i].sets, "reps",
						    p->strength[i].reps)))
			goto done;
	for (unsigned bit = 1; bit; bit <<= 1)
		if ((p->flags & bit) && coach_flag_name(bit) &&
		    json_array_append_new(flags,
					  json_string(coach_flag_name(bit))))
			goto done;
	for (size_t i = 0; i < p->n_reasons; i++)
		if (json_array_append_new(reasons, json_string(p->reasons[i])))
			goto done;
	if (json_object_set_new(o, "stage", json_integer(p->stage)) ||
	    json_object_set_new(o, "day_in_stage",
				json_integer(p->day_in_stage)) ||
	    json_object_set_new(o, "stretch_sessions",
				json_integer(p->stretch_sessions)) ||
	    json_object_set(o, "strength", strength) ||
	    json_object_set_new(o, "running",
				json_string(coach_running_name(p->running))) ||
	    json_object_set_new(o, "running_minutes",
				json_integer(p->running_minutes)) ||
	    json_object_set(o, "flags", flags) ||
	    json_object_set(o, "reasons", reasons) ||
	    json_object_set_new(o, "change",
				json_string(coach_change_name(p->change))))
		goto done;
	rc = 0;
done:
	json_decref(strength);
	json_decref(flags);
	json_decref(reasons);
	return rc;
}

/* One day as a JSON object (the caller owns it), or NULL: the morning
 * plan's fields at the top, and "after_morning" when the morning reply
 * changed the rest of the day (after may be NULL: it did not). */
static json_t *day_json(const struct coach_plan *morning,
			const struct coach_plan *after)
{
	char date[11];
	json_t *o = json_object(), *a = NULL;

	if (!o)
		return NULL;
	coach_day_format(morning->day, date);
	if (json_object_set_new(o, "date", json_string(date)) ||
	    plan_fields(o, morning) != 0)
		goto fail;
	if (after) {
		a = json_object();
		if (!a || plan_fields(a, after) != 0)
			goto fail;
		int r = json_object_set_new(o, "after_morning", a);
		a = NULL; /* taken, even when that failed */
		if (r)
			goto fail;
	}
	return o;
fail:
	json_decref(a);
	json_decref(o);
	return NULL;
}

/* The body of a plan on a readable line: strength, running, flags,
 * reasons. */
static void plan_body(const struct coach_plan *p, FILE *out)
{
	fputs("strength: ", out);
	if (p->n_strength == 0)
		fputs("none", out);
	for (size_t i = 0; i < p->n_strength; i++)
		fprintf(out, "%s%s %dx%d", i ? ", " : "", p->strength[i].name,
			p->strength[i].sets, p->strength[i].reps);
	fprintf(out, "  running: %s", coach_running_name(p->running));
	if (p->running_minutes > 0)
		fprintf(out, " %d min", p->running_minutes);
	bool first = true;
	for (unsigned bit = 1; bit; bit <<= 1)
		if ((p->flags & bit) && coach_flag_name(bit)) {
			fprintf(out, "%s%s", first ? "  flags: " : ",",
				coach_flag_name(bit));
			first = false;
		}
	for (size_t i = 0; i < p->n_reasons; i++)
		fprintf(out, "%s%s", i ? " | " : "  — ", p->reasons[i]);
	fputc('\n', out);
}

/* Prints one day's plan as one readable line, and a second, indented,
 * when the morning reply changed the rest of the day. */
static void day_print(const struct coach_plan *p, const struct coach_plan *after,
		      FILE *out)
{
	char date[11];

	coach_day_format(p->day, date);
	fprintf(out, "%s  day %-3d stage %d day %-3d stretches %d/day  ",
		date, p->program_day, p->stage, p->day_in_stage,
		p->stretch_sessions);
	plan_body(p, out);
	if (after) {
		fputs("            after the morning reply: ", out);
		plan_body(after, out);
	}
}

/*
 * The plan for the rest of `day` once its morning reply is in (NULL in
 * *has when that reply changes nothing): the day's session score is
 * left out for this, so that only what the runner said in the morning
 * (a score, pain at rest or at night, /cleared) counts.  The history's
 * entry for the day is changed and put back.  Returns 0 or -1.
 */
static int after_morning(const struct coach_program *prog,
			 const struct coach_runner *runner,
			 struct preview_hist *ph, int32_t day,
			 struct coach_plan *out, bool *has)
{
	struct coach_day_log *log = NULL;
	int saved = COACH_NO_SCORE;

	*has = false;
	for (size_t i = 0; i < ph->h.n_days; i++)
		if (ph->days[i].day == day)
			log = &ph->days[i];
	if (!log)
		return 0; /* no reply that day: nothing changes */
	saved = log->session10;
	log->session10 = COACH_NO_SCORE;
	int rc = coach_plan_rest(prog, runner, &ph->h, day, out);
	log->session10 = saved;
	*has = rc == 0 && out->replanned;
	return rc;
}

int rehabctl_preview_main(int argc, char **argv)
{
	struct preview_opts o;
	struct coach_program prog;
	struct preview_hist ph = { 0 };
	char err[PREVIEW_ERR_MAX];
	int rc = 1;

	int a = parse_args(argc, argv, &o);
	if (a)
		return a == 1 ? 0 : 2;
	if (program_file_load(o.program, &prog, err, sizeof err) != 0) {
		fprintf(stderr, "rehabctl preview: %s\n", err);
		return 1;
	}
	if (o.scores && preview_scores_load(o.scores, &ph, err, sizeof err) != 0) {
		fprintf(stderr, "rehabctl preview: %s\n", err);
		goto done;
	}

	struct coach_runner runner = { o.start, o.stretch_sessions };
	for (int i = 0; i < o.days; i++) {
		struct coach_plan plan, after;
		bool changed;
		if (coach_plan_day(&prog, &runner, &ph.h, o.start + i,
				   &plan) != 0 ||
		    after_morning(&prog, &runner, &ph, o.start + i, &after,
				  &changed) != 0) {
			fprintf(stderr, "rehabctl preview: %s: the program has no usable stage\n",
				o.program);
			goto done;
		}
		if (!o.json) {
			day_print(&plan, changed ? &after : NULL, stdout);
			continue;
		}
		json_t *obj = day_json(&plan, changed ? &after : NULL);
		if (!obj || json_dumpf(obj, stdout, JSON_COMPACT) != 0) {
			json_decref(obj);
			fprintf(stderr, "rehabctl preview: cannot write JSON\n");
			goto done;
		}
		json_decref(obj);
		putchar('\n');
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "rehabctl preview: writing the output: %s\n",
			strerror(errno));
		goto done;
	}
	rc = 0;
done:
	preview_hist_free(&ph);
	return rc;
}
