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
 * The scores file is CSV, one reply per line (README.md, "Previewing a program"):
 *   YYYY-MM-DD,morning,SCORE     morning check-in, 0-10, halves allowed
 *   YYYY-MM-DD,session,SCORE     after the session or run ("evening"
 *                                too: the daemon's evening check-in)
 *   YYYY-MM-DD,red_flag          pain at rest or at night reported
 *   YYYY-MM-DD,cleared           /cleared: a doctor or physio checked it
 *                                (lifts a red flag reported before it)
 *   YYYY-MM-DD,done[,strength]   a reminder answered "done"
 *   YYYY-MM-DD,skipped[,strength] a reminder answered "skipped"; with
 *                                "strength", the strength session (the
 *                                day then does not count)
 *   YYYY-MM-DD,pause[,DAYS]      /pause from that day (DAYS, or open)
 *   YYYY-MM-DD,resume            /resume: the open pause ends that day
 * Blank lines and lines starting with # are skipped, and so is a header
 * line ("date,kind,score": a first data line without a digit);
 * a UTF-8 byte order mark, CRLF line ends, blanks around fields, fields
 * in double quotes and an empty last field ("2026-03-02,done,", as
 * spreadsheets write) are accepted.  A later score for the same day and
 * check-in replaces the earlier (as in the daemon: a second reply
 * corrects the first); a day with no line is a day without a reply.
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
#include "program_file.h"

#define PREVIEW_DAYS_MAX 3660        /* ten years */
#define PREVIEW_LINE_MAX 1024        /* longer scores lines are errors */
#define PREVIEW_RECORDS_MAX 100000   /* lines with data in a scores file */
#define PREVIEW_PAUSE_DAYS_MAX 365
#define PREVIEW_ERR_MAX 512

struct preview_opts {
	const char *program;
	const char *scores;
	int32_t start;
	int days;
	int stretch_sessions; /* 0: the program's maximum */
	bool json;
};

enum rec_kind {
	REC_MORNING,
	REC_SESSION,
	REC_RED_FLAG,
	REC_CLEARED,
	REC_DONE,
	REC_SKIPPED,
	REC_PAUSE,  /* value: days, 0 = until resume */
	REC_RESUME,
};

/* One line of the scores file. */
struct rec {
	int32_t day;
	enum rec_kind kind;
	int value;   /* score x10, pause days, or 1 for done/skipped of the
			strength reminder */
	size_t line; /* for messages and "later line wins" */
};

/* The history built from a scores file; owns its arrays. */
struct preview_hist {
	struct coach_day_log *days;
	struct coach_pause *pauses;
	struct coach_history h;
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

/* Parses a whole decimal number in [lo, hi]; returns false otherwise. */
static bool parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v;

	if (!s || !*s || *s == '+' || *s == '-')
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return false;
	*out = (int)v;
	return true;
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
	if (!parse_int(days, 1, PREVIEW_DAYS_MAX, &o->days)) {
		fprintf(stderr, "rehabctl preview: --days %s: give a number of days from 1 to %d\n",
			days, PREVIEW_DAYS_MAX);
		return 2;
	}
	if (sessions && !parse_int(sessions, 1, 10, &o->stretch_sessions)) {
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

/* Strips leading and trailing blanks in place; returns the new start. */
static char *trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
			 s[n - 1] == '\r' || s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

/* Strips blanks and then one pair of double quotes around a field, as a
 * spreadsheet may write it; returns the new start. */
static char *field_clean(char *f)
{
	size_t n;

	f = trim(f);
	n = strlen(f);
	if (n >= 2 && f[0] == '"' && f[n - 1] == '"') {
		f[n - 1] = '\0';
		f = trim(f + 1);
	}
	return f;
}

/* True for a header line ("date,kind,score"): names separated by
 * commas, without a single digit, so it can hold neither a date nor a
 * score.  Only the first data line may be one; a misordered line
 * ("session,2026-03-02,3") or a stray character is not. */
static bool header_line(const char *line)
{
	bool letter = false;

	for (const char *c = line; *c; c++)
		letter = letter || (*c >= 'a' && *c <= 'z') ||
			 (*c >= 'A' && *c <= 'Z');
	return letter && strchr(line, ',') &&
	       !strpbrk(line, "0123456789");
}

/* Parses a pain score "0".."10" in steps of 0.5 ("3", "3.5", "3.0",
 * "3.50");
 * returns it x10 or -1. */
static int parse_score(const char *s)
{
	int whole = 0, n = 0;

	while (s[n] >= '0' && s[n] <= '9' && n < 3)
		whole = whole * 10 + (s[n++] - '0');
	if (n == 0 || n > 2)
		return -1;
	int v = whole * 10;
	if (s[n] == '.') {
		/* "2.5", and "2.50" or "3.000" as a spreadsheet writes them */
		const char *z = s + n + 2;
		if (s[n + 1] != '0' && s[n + 1] != '5')
			return -1;
		while (*z == '0')
			z++;
		if (*z)
			return -1;
		v += s[n + 1] - '0';
	} else if (s[n]) {
		return -1;
	}
	return v <= 100 ? v : -1;
}

/*
 * Parses one data line (already trimmed, not blank, not a comment) into
 * *r.  Returns 0, or -1 with "what is wrong — what to do" in err.
 */
static int parse_line(char *line, struct rec *r, char *err, size_t errlen)
{
	char *fields[6];
	size_t n = 0;
	bool more = true;

	for (char *f = line; more && n < 6; ) {
		char *comma = strchr(f, ',');
		if (comma)
			*comma = '\0';
		fields[n++] = field_clean(f);
		more = comma != NULL;
		if (more)
			f = comma + 1;
	}
	if (more)
		n = 6 + 1; /* too many fields: refused below */
	/* "2026-03-02,done," from a spreadsheet: empty fields at the end
	 * are no fields. */
	while (n > 2 && n <= 6 && !fields[n - 1][0])
		n--;
	if (n < 2 || n > 3) {
		snprintf(err, errlen, "expected DATE,KIND[,VALUE] — write e.g. 2026-03-02,session,3");
		return -1;
	}
	if (!coach_day_parse(fields[0], &r->day)) {
		snprintf(err, errlen, "\"%.40s\" is not a date — write YYYY-MM-DD, e.g. 2026-03-02",
			 fields[0]);
		return -1;
	}
	static const struct {
		const char *name;
		enum rec_kind kind;
		int value; /* 0 none, 1 required, 2 optional, 3 "strength"
			      or none */
	} kinds[] = {
		{ "morning", REC_MORNING, 1 }, { "session", REC_SESSION, 1 },
		/* the daemon asks for the session score at the evening
		 * check-in, so a physio's export may call it that */
		{ "evening", REC_SESSION, 1 },
		{ "red_flag", REC_RED_FLAG, 0 }, { "cleared", REC_CLEARED, 0 },
		{ "done", REC_DONE, 3 }, { "skipped", REC_SKIPPED, 3 },
		{ "pause", REC_PAUSE, 2 }, { "resume", REC_RESUME, 0 },
	};
	size_t k;
	for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		if (!strcasecmp(fields[1], kinds[k].name))
			break;
	if (k == sizeof kinds / sizeof kinds[0]) {
		snprintf(err, errlen, "\"%.40s\" is not a kind of reply — use morning, session, red_flag, cleared, done, skipped, pause or resume",
			 fields[1]);
		return -1;
	}
	r->kind = kinds[k].kind;
	r->value = 0;
	if (kinds[k].value == 0 && n == 3) {
		snprintf(err, errlen, "%s takes no value — write e.g. 2026-03-02,%s",
			 kinds[k].name, kinds[k].name);
		return -1;
	}
	if (kinds[k].value == 1 && n != 3) {
		snprintf(err, errlen, "%s needs a score — write e.g. 2026-03-02,%s,3",
			 kinds[k].name, kinds[k].name);
		return -1;
	}
	if (kinds[k].value == 3 && n == 3) {
		/* Only the strength reminder's answer changes the plan. */
		if (strcasecmp(fields[2], "strength")) {
			snprintf(err, errlen, "%s takes no value or `strength` (the strength reminder) — write e.g. 2026-03-02,%s,strength",
				 kinds[k].name, kinds[k].name);
			return -1;
		}
		r->value = 1;
	} else if (n == 3 && r->kind == REC_PAUSE) {
		if (!parse_int(fields[2], 1, PREVIEW_PAUSE_DAYS_MAX, &r->value)) {
			snprintf(err, errlen, "pause days \"%.40s\" must be a number from 1 to %d (or leave it out to pause until resume)",
				 fields[2], PREVIEW_PAUSE_DAYS_MAX);
			return -1;
		}
	} else if (n == 3) {
		r->value = parse_score(fields[2]);
		if (r->value < 0) {
			snprintf(err, errlen, "score \"%.40s\" must be 0 to 10 in steps of 0.5 — e.g. 3 or 4.5",
				 fields[2]);
			return -1;
		}
	}
	return 0;
}

/* Orders records by day, then by line, so later lines win. */
static int rec_cmp(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/*
 * Reads the scores file into an array of records.  Returns 0 with
 * *out (caller frees) and *n, or -1 with "FILE:LINE: ..." in err.
 */
static int read_records(const char *path, struct rec **out, size_t *n_out,
			char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, n = 0, bufcap = 0, lineno = 0;
	struct rec *recs = NULL;
	char why[PREVIEW_ERR_MAX / 2];
	ssize_t len;
	bool seen_data = false; /* a data (or header) line was read */

	if (!f) {
		snprintf(err, errlen, "%s: %s — check the --scores path",
			 path, strerror(errno));
		return -1;
	}
	while ((len = getline(&buf, &bufcap, f)) >= 0) {
		lineno++;
		if (len > PREVIEW_LINE_MAX || memchr(buf, '\0', (size_t)len)) {
			snprintf(err, errlen, "%s:%zu: line too long or not text — one reply per line",
				 path, lineno);
			goto fail;
		}
		char *line = buf;
		/* A byte order mark, as some editors write at the start. */
		if (lineno == 1 && !strncmp(line, "\xef\xbb\xbf", 3))
			line += 3;
		line = trim(line);
		if (!*line || *line == '#')
			continue;
		if (!seen_data && header_line(line)) {
			seen_data = true;
			continue;
		}
		seen_data = true;
		if (n == PREVIEW_RECORDS_MAX) {
			snprintf(err, errlen, "%s:%zu: more than %d replies — shorten the file",
				 path, lineno, PREVIEW_RECORDS_MAX);
			goto fail;
		}
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			struct rec *grown = realloc(recs, ncap * sizeof *recs);
			if (!grown) {
				snprintf(err, errlen, "%s: out of memory", path);
				goto fail;
			}
			recs = grown;
			cap = ncap;
		}
		if (parse_line(line, &recs[n], why, sizeof why) < 0) {
			snprintf(err, errlen, "%s:%zu: %s", path, lineno, why);
			goto fail;
		}
		recs[n++].line = lineno;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error: %s", path,
			 strerror(errno));
		goto fail;
	}
	free(buf);
	fclose(f);
	if (n)
		qsort(recs, n, sizeof *recs, rec_cmp);
	*out = recs;
	*n_out = n;
	return 0;
fail:
	free(buf);
	free(recs);
	fclose(f);
	return -1;
}

static void hist_free(struct preview_hist *ph)
{
	free(ph->days);
	free(ph->pauses);
	memset(ph, 0, sizeof *ph);
}

/*
 * Builds the coach history from sorted records: one log per day (later
 * scores replace earlier ones), pauses from pause/resume lines.  Returns
 * 0, or -1 with "FILE:LINE: ..." in err.  Frees nothing of recs.
 */
static int hist_build(const char *path, const struct rec *recs, size_t n,
		      struct preview_hist *ph, char *err, size_t errlen)
{
	size_t nd = 0, np = 0;

	memset(ph, 0, sizeof *ph);
	if (n == 0)
		return 0;
	ph->days = calloc(n, sizeof *ph->days);
	ph->pauses = calloc(n, sizeof *ph->pauses);
	if (!ph->days || !ph->pauses) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		const struct rec *r = &recs[i];
		if (r->kind == REC_PAUSE) {
			ph->pauses[np].from = r->day;
			ph->pauses[np].until = r->value ? r->day + r->value :
					       COACH_DAY_OPEN;
			np++;
			continue;
		}
		if (r->kind == REC_RESUME) {
			size_t k = np;
			while (k > 0 && ph->pauses[k - 1].until != COACH_DAY_OPEN)
				k--;
			if (k == 0) {
				snprintf(err, errlen, "%s:%zu: resume without an open pause before it — add e.g. 2026-03-10,pause",
					 path, r->line);
				goto fail;
			}
			ph->pauses[k - 1].until = r->day;
			continue;
		}
		if (nd == 0 || ph->days[nd - 1].day != r->day) {
			ph->days[nd] = (struct coach_day_log){
				.day = r->day, .morning10 = COACH_NO_SCORE,
				.session10 = COACH_NO_SCORE,
			};
			nd++;
		}
		struct coach_day_log *log = &ph->days[nd - 1];
		switch (r->kind) {
		/* The highest score of a check-in counts, as in the
		 * daemon (a later, lower one does not lift it). */
		case REC_MORNING:
			if (r->value > log->morning10)
				log->morning10 = r->value;
			break;
		case REC_SESSION:
			if (r->value > log->session10)
				log->session10 = r->value;
			break;
		case REC_RED_FLAG:
			/* A report after a /cleared stands again. */
			log->red_flag = true;
			log->cleared = false;
			break;
		case REC_CLEARED: log->cleared = true; break;
		case REC_DONE:
			log->done++;
			if (r->value)
				log->strength_skipped = false;
			break;
		case REC_SKIPPED:
			log->skipped++;
			if (r->value)
				log->strength_skipped = true;
			break;
		case REC_PAUSE:
		case REC_RESUME: break;
		}
	}
	ph->h.days = ph->days;
	ph->h.n_days = nd;
	ph->h.pauses = ph->pauses;
	ph->h.n_pauses = np;
	return 0;
fail:
	hist_free(ph);
	return -1;
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
	struct rec *recs = NULL;
	size_t n_recs = 0;
	char err[PREVIEW_ERR_MAX];
	int rc = 1;

	int a = parse_args(argc, argv, &o);
	if (a)
		return a == 1 ? 0 : 2;
	if (program_file_load(o.program, &prog, err, sizeof err) != 0) {
		fprintf(stderr, "rehabctl preview: %s\n", err);
		return 1;
	}
	if (o.scores &&
	    (read_records(o.scores, &recs, &n_recs, err, sizeof err) != 0 ||
	     hist_build(o.scores, recs, n_recs, &ph, err, sizeof err) != 0)) {
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
	hist_free(&ph);
	free(recs);
	return rc;
}
