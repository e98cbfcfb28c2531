/*
 * The scores file of rehabctl preview: CSV, one reply per line, read into
 * the coach's history (README.md, "Previewing a program"):
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
 * spreadsheets write) are accepted.  When the same day and check-in has
 * two scores, the higher counts (as in the daemon: a later, lower reply
 * does not lift a high one); a day with no line is a day without a
 * reply.
 */
#include "preview_scores.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#include "coach/coach_date.h"

#define PREVIEW_LINE_MAX 1024        /* longer scores lines are errors */
#define PREVIEW_RECORDS_MAX 100000   /* lines with data in a scores file */
#define PREVIEW_PAUSE_DAYS_MAX 365
#define PREVIEW_ERR_MAX 512

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

bool preview_parse_int(const char *s, int lo, int hi, int *out)
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
		if (!preview_parse_int(fields[2], 1, PREVIEW_PAUSE_DAYS_MAX, &r->value)) {
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
 * Reads the scores text from f (named name in messages) into an array of
 * records, sorted by day and then line.  Returns 0 with *out (caller
 * frees) and *n, or -1 with "NAME:LINE: ..." in err.  Does not close f.
 */
static int read_records(FILE *f, const char *name, struct rec **out,
			size_t *n_out, char *err, size_t errlen)
{
	char *buf = NULL;
	size_t cap = 0, n = 0, bufcap = 0, lineno = 0;
	struct rec *recs = NULL;
	char why[PREVIEW_ERR_MAX / 2];
	ssize_t len;
	bool seen_data = false; /* a data (or header) line was read */

	while ((len = getline(&buf, &bufcap, f)) >= 0) {
		lineno++;
		if (len > PREVIEW_LINE_MAX || memchr(buf, '\0', (size_t)len)) {
			snprintf(err, errlen, "%s:%zu: line too long or not text — one reply per line",
				 name, lineno);
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
				 name, lineno, PREVIEW_RECORDS_MAX);
			goto fail;
		}
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			struct rec *grown = realloc(recs, ncap * sizeof *recs);
			if (!grown) {
				snprintf(err, errlen, "%s: out of memory", name);
				goto fail;
			}
			recs = grown;
			cap = ncap;
		}
		if (parse_line(line, &recs[n], why, sizeof why) < 0) {
			snprintf(err, errlen, "%s:%zu: %s", name, lineno, why);
			goto fail;
		}
		recs[n++].line = lineno;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error: %s", name,
			 strerror(errno));
		goto fail;
	}
	free(buf);
	if (n)
		qsort(recs, n, sizeof *recs, rec_cmp);
	*out = recs;
	*n_out = n;
	return 0;
fail:
	free(buf);
	free(recs);
	return -1;
}

void preview_hist_free(struct preview_hist *ph)
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
	preview_hist_free(ph);
	return -1;
}

int preview_scores_read(FILE *f, const char *name, struct preview_hist *ph,
			char *err, size_t errlen)
{
	struct rec *recs = NULL;
	size_t n = 0;
	int rc;

	memset(ph, 0, sizeof *ph);
	if (read_records(f, name, &recs, &n, err, errlen) != 0)
		return -1;
	rc = hist_build(name, recs, n, ph, err, errlen);
	free(recs);
	return rc;
}

int preview_scores_load(const char *path, struct preview_hist *ph, char *err,
			size_t errlen)
{
	FILE *f = fopen(path, "r");
	int rc;

	memset(ph, 0, sizeof *ph);
	if (!f) {
		snprintf(err, errlen, "%s: %s — check the --scores path",
			 path, strerror(errno));
		return -1;
	}
	rc = preview_scores_read(f, path, ph, err, errlen);
	fclose(f);
	return rc;
}
