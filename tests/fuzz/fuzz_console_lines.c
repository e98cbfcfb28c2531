/*
 * libFuzzer target for the console channel's input (console_lines.h):
 * arbitrary bytes as what stdin gives, read as lines and then as replies.
 * The first byte picks how many runners there are (0-3) and how the
 * input arrives in pieces; the rest is the input.  Besides crashes and
 * undefined behaviour (ASan+UBSan), it aborts when
 *   - the lines differ from an independent reading (the input cut at
 *     each '\n', a last line without one, each line up to its first NUL;
 *     a line of CONSOLE_LINE_MAX bytes or more dropped with one notice);
 *   - the lines depend on how the input is cut into pieces (the 1024
 *     bytes of a read, single bytes, random sizes);
 *   - a reply is read from a blank line, or a blank line is not blank;
 *     the reply names no runner or one past the count, its text is not
 *     the end of the line or starts with white space; its ref is longer
 *     than CONSOLE_REF_MAX or not what follows "ref " before the first
 *     ':'; with other than one runner, the line does not give the
 *     runner's address and ':' before the text.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console_lines.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts naming the promise that broke, for the crash log. */
#define check(ok) ((ok) ? (void)0 : fuzz_fail(#ok, __LINE__))
static void fuzz_fail(const char *what, int line)
{
	fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, line, what);
	abort();
}

/* "an" is a prefix of "anna": the first runner that matches in full
 * must win, not the first prefix. */
static const char *const addresses[] = { "anna", "an", "123456789" };

static const char *address_at(void *arg, size_t i)
{
	(void)arg;
	check(i < sizeof addresses / sizeof addresses[0]);
	return addresses[i];
}

/* The lines one reading gave: copies, NULL for a dropped one. */
struct seen {
	char **v;
	size_t n, cap;
};

static void on_line(void *arg, char *line)
{
	struct seen *s = arg;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = realloc(s->v, s->cap * sizeof *s->v);
		check(s->v != NULL);
	}
	s->v[s->n] = line ? strdup(line) : NULL;
	check(!line || s->v[s->n]);
	if (line)
		check(strlen(line) < CONSOLE_LINE_MAX);
	s->n++;
}

static void seen_free(struct seen *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

/* Reads text[0..len) in pieces: 0 as one read of 1024 bytes each, 1
 * byte by byte, else random sizes from that seed. */
static void read_all(const char *text, size_t len, unsigned seed,
		     struct seen *out)
{
	struct console_lines *l = calloc(1, sizeof *l);
	size_t pos = 0;

	check(l != NULL);
	memset(out, 0, sizeof *out);
	while (pos < len) {
		size_t n = seed == 0 ? 1024 : seed == 1 ? 1 : 0;
		if (!n) {
			seed = seed * 1103515245u + 12345u;
			n = 1 + (seed >> 16) % 700;
		}
		if (n > len - pos)
			n = len - pos;
		console_lines_feed(l, text + pos, n, on_line, out);
		pos += n;
	}
	console_lines_end(l, on_line, out);
	check(l->len == 0 && l->discarding == 0);
	free(l);
}

/* The independent reading, compared with one that console_lines gave. */
static void check_lines(const char *text, size_t len, const struct seen *s)
{
	size_t k = 0, start = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i < len && text[i] != '\n')
			continue;
		size_t n = i - start;
		if (i == len && n == 0)
			break; /* no last line after a final '\n' */
		check(k < s->n);
		if (n >= CONSOLE_LINE_MAX) {
			check(s->v[k] == NULL);
		} else {
			size_t want = strnlen(text + start, n);
			check(s->v[k] && strlen(s->v[k]) == want &&
			      !memcmp(s->v[k], text + start, want));
		}
		k++;
		start = i + 1;
	}
	check(k == s->n);
}

static int blank(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

/* One line read as a reply, against what console_line_parse promises. */
static void check_reply(const char *line, size_t n_runners)
{
	struct console_reply r;
	enum console_line_kind k;
	const char *start = line, *before;
	size_t ll = strlen(line);

	memset(&r, 0xA5, sizeof r);
	k = console_line_parse(line, n_runners, address_at, NULL, &r);
	check(k == CONSOLE_LINE_BLANK || k == CONSOLE_LINE_NO_RUNNER ||
	      k == CONSOLE_LINE_REPLY);
	check((k == CONSOLE_LINE_BLANK) == blank(line));
	if (k == CONSOLE_LINE_NO_RUNNER)
		check(n_runners != 1);
	if (k != CONSOLE_LINE_REPLY)
		return;
	check(r.runner < n_runners);
	check(r.text >= line && r.text <= line + ll);
	check(!isspace((unsigned char)*r.text));
	while (isspace((unsigned char)*start))
		start++;
	before = start; /* where the ref or address part begins */
	if (r.ref) {
		size_t rl = strlen(r.ref);
		check(r.ref == r.refbuf && rl <= CONSOLE_REF_MAX);
		check(!strncmp(start, "ref ", 4) &&
		      !strncmp(start + 4, r.ref, rl) && start[4 + rl] == ':' &&
		      !memchr(r.ref, ':', rl));
		before = start + 4 + rl + 1;
	} else {
		/* No ref taken: none there, or too long for one. */
		const char *colon = strchr(start, ':');
		check(strncmp(start, "ref ", 4) || !colon ||
		      colon - start - 4 > CONSOLE_REF_MAX);
	}
	check(r.text >= before);
	/* Either the runner's address and ':' come next, or nobody's
	 * does and the only runner is taken. */
	const char *a = addresses[r.runner];
	size_t al = strlen(a);
	int named = !strncmp(before, a, al) && before[al] == ':';
	if (named) {
		for (size_t i = 0; i < r.runner; i++) {
			size_t il = strlen(addresses[i]);
			check(strncmp(before, addresses[i], il) ||
			      before[il] != ':');
		}
		before += al + 1;
	} else {
		check(n_runners == 1);
	}
	while (isspace((unsigned char)*before))
		before++;
	check(r.text == before);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen a, b, c;
	const char *text = (const char *)data + 1;
	size_t len, n_runners;

	if (size < 1)
		return 0;
	n_runners = data[0] % 4;
	len = size - 1;

	read_all(text, len, 0, &a);
	check_lines(text, len, &a);
	read_all(text, len, 1, &b);
	read_all(text, len, 2u + data[0], &c);
	check(a.n == b.n && a.n == c.n);
	for (size_t i = 0; i < a.n; i++) {
		check((!a.v[i] && !b.v[i] && !c.v[i]) ||
		      (a.v[i] && b.v[i] && c.v[i] && !strcmp(a.v[i], b.v[i]) &&
		       !strcmp(a.v[i], c.v[i])));
		if (a.v[i])
			check_reply(a.v[i], n_runners);
	}
	seen_free(&a);
	seen_free(&b);
	seen_free(&c);
	return 0;
}
