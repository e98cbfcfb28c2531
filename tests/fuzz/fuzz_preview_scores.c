/*
 * libFuzzer target for the scores file of `rehabctl preview`
 * (tools/rehabctl/preview_scores.h): arbitrary bytes as the CSV file,
 * then the history it gives through the coach with the real iliopsoas
 * program.  Besides crashes, leaks and undefined behaviour (ASan+UBSan),
 * it aborts when
 *   - an error is not one line "fuzz.csv:LINE: ..." (or "fuzz.csv: ...")
 *     with LINE within the file, or the history is not empty after one;
 *   - the history breaks the coach's contract (coach_history in
 *     coach/plan.h): days not strictly ascending, a score that is not
 *     COACH_NO_SCORE or 0..100 in halves, negative counts, a skipped
 *     strength session that was never skipped, a pause that ends
 *     before it starts;
 *   - the same file with CRLF line ends, or with a UTF-8 byte order mark
 *     in front, reads differently (both are promised to be accepted);
 *   - the coach refuses a day of the history, or gives a plan outside
 *     its own limits.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coach/coach_date.h"
#include "coach/plan.h"
#include "preview_scores.h"
#include "program_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NAME "fuzz.csv"

/* Aborts naming the promise that broke, for the crash log. */
#define check(ok) ((ok) ? (void)0 : fuzz_fail(#ok, __LINE__))
static void fuzz_fail(const char *what, int line)
{
	fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, line, what);
	abort();
}

/* Reads text[0..len) as a scores file.  Returns what
 * preview_scores_read returned; err gets its message. */
static int read_text(const char *text, size_t len, struct preview_hist *ph,
		     char *err, size_t errlen)
{
	/* fmemopen refuses a buffer of size 0 on older C libraries. */
	FILE *f = len ? fmemopen((void *)text, len, "r") :
			fopen("/dev/null", "r");
	int rc;

	check(f != NULL);
	memset(ph, 0xA5, sizeof *ph);
	rc = preview_scores_read(f, NAME, ph, err, errlen);
	fclose(f);
	return rc;
}

static int score_ok(int v)
{
	return v == COACH_NO_SCORE || (v >= 0 && v <= 100 && v % 5 == 0);
}

static void check_history(const struct preview_hist *ph)
{
	const struct coach_history *h = &ph->h;

	check(h->days == ph->days && h->pauses == ph->pauses);
	check((h->n_days == 0 || h->days) && (h->n_pauses == 0 || h->pauses));
	for (size_t i = 0; i < h->n_days; i++) {
		const struct coach_day_log *d = &h->days[i];
		check(i == 0 || d->day > h->days[i - 1].day);
		check(score_ok(d->morning10) && score_ok(d->session10));
		check(d->done >= 0 && d->skipped >= 0);
		check(!d->strength_skipped || d->skipped > 0);
	}
	for (size_t i = 0; i < h->n_pauses; i++) {
		const struct coach_pause *p = &h->pauses[i];
		check(p->until >= p->from);
	}
}

/* Line numbers and one line: "fuzz.csv:N: ..." or "fuzz.csv: ...". */
static void check_error(const char *err, size_t lines)
{
	const char *c = err + strlen(NAME);

	check(!strncmp(err, NAME ":", strlen(NAME) + 1));
	check(!strchr(err, '\n'));
	if (c[1] >= '0' && c[1] <= '9') {
		char *end;
		unsigned long n = strtoul(c + 1, &end, 10);
		check(n >= 1 && n <= lines && *end == ':');
	}
}

static int same_history(const struct preview_hist *a,
			const struct preview_hist *b)
{
	return a->h.n_days == b->h.n_days && a->h.n_pauses == b->h.n_pauses &&
	       (!a->h.n_days || !memcmp(a->h.days, b->h.days,
					a->h.n_days * sizeof *a->h.days)) &&
	       (!a->h.n_pauses || !memcmp(a->h.pauses, b->h.pauses,
					  a->h.n_pauses * sizeof *a->h.pauses));
}

/* The same file another way it may be written: read the same. */
static void check_variant(const char *text, size_t len, int rc,
			  const struct preview_hist *ph, const char *err)
{
	struct preview_hist v;
	char verr[512];
	int vrc = read_text(text, len, &v, verr, sizeof verr);

	check(vrc == rc);
	if (rc == 0)
		check(same_history(ph, &v));
	else
		check(!strcmp(err, verr));
	preview_hist_free(&v);
}

static const struct coach_program *program(void)
{
	static struct coach_program prog;
	static int loaded;
	char err[512];

	if (!loaded) {
		if (program_file_load(REHABD_FUZZ_PROGRAM, &prog, err,
				      sizeof err) != 0) {
			fprintf(stderr, "fuzz_preview_scores: %s\n", err);
			abort();
		}
		loaded = 1;
	}
	return &prog;
}

static void check_plan(const struct coach_plan *p, int32_t day)
{
	check(p->day == day);
	check(p->stage >= 1 && p->day_in_stage >= 1);
	check(p->n_strength <= COACH_MAX_EXERCISES &&
	      p->n_left_out <= COACH_MAX_EXERCISES &&
	      p->n_reasons <= COACH_MAX_REASONS);
	check(p->running >= COACH_RUN_BIKE && p->running <= COACH_RUN_TEMPO);
	check(p->running_minutes >= 0);
	check(memchr(p->running_note, '\0', sizeof p->running_note) != NULL);
	for (size_t i = 0; i < p->n_reasons; i++)
		check(memchr(p->reasons[i], '\0', sizeof p->reasons[i]) != NULL);
}

/* The days around the history through the coach, as preview does. */
static void check_coach(const struct preview_hist *ph)
{
	const struct coach_program *prog = program();
	int32_t first, last;

	if (!ph->h.n_days)
		return;
	first = ph->h.days[0].day;
	last = ph->h.days[ph->h.n_days - 1].day;
	/* The coach walks from the start day: keep far-off days out. */
	if (last - first > 120)
		last = first + 120;
	struct coach_runner runner = { first, 0 };
	for (int32_t day = first; day <= last + 2; day++) {
		struct coach_plan plan;
		check(coach_plan_day(prog, &runner, &ph->h, day, &plan) == 0);
		check_plan(&plan, day);
		check(coach_plan_rest(prog, &runner, &ph->h, day, &plan) == 0);
		check_plan(&plan, day);
		check(plan.rest_of_day);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct preview_hist ph;
	char err[512];
	size_t lines = 1, longest = 0, run = 0, k = 0;
	int rc;

	for (size_t i = 0; i < size; i++) {
		if (data[i] == '\n') {
			lines++;
			run = 0;
		} else if (++run > longest) {
			longest = run;
		}
	}
	memset(err, 0, sizeof err);
	rc = read_text(text, size, &ph, err, sizeof err);
	check(rc == 0 || rc == -1);
	if (rc == 0) {
		check_history(&ph);
	} else {
		check(ph.h.n_days == 0 && ph.h.n_pauses == 0 && !ph.days &&
		      !ph.pauses);
		check_error(err, lines);
	}

	/* Each line one byte longer stays within the line limit. */
	if (longest < 1000) {
		char *crlf = malloc(2 * size + 4);
		check(crlf != NULL);
		for (size_t i = 0; i < size; i++) {
			if (data[i] == '\n')
				crlf[k++] = '\r';
			crlf[k++] = (char)data[i];
		}
		check_variant(crlf, k, rc, &ph, err);
		if (size < 3 || memcmp(data, "\xef\xbb\xbf", 3)) {
			memcpy(crlf, "\xef\xbb\xbf", 3);
			memcpy(crlf + 3, data, size);
			check_variant(crlf, size + 3, rc, &ph, err);
		}
		free(crlf);
	}
	if (rc == 0)
		check_coach(&ph);
	preview_hist_free(&ph);
	return 0;
}
