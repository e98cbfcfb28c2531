/*
 * libFuzzer target for the Telegram plugin's text rules (tg_text.h): the
 * HTML converter, the escaper and the splitter.  The first byte picks the
 * split limit, the rest is the text.  Besides crashes, leaks and
 * undefined behaviour (ASan+UBSan), it aborts when
 *   - tg_html_for_telegram refuses without *unsafe, or returns text that
 *     is not valid UTF-8, has a tag outside the allowed list, a tag with
 *     attributes, tags that do not nest, a '&' that starts no entity or
 *     a bare '>'; that it would change when converted again; or whose
 *     text (tags taken out) differs from the input's, <br> read as a
 *     line break;
 *   - the converter changes escaped text (tg_html_escape) or text with
 *     nothing to escape;
 *   - a part of tg_split is empty, blank, starts or ends with a line
 *     break, is longer than the limit (UTF-16 units, counted as the
 *     splitter does), or the parts are not the text in order with only
 *     white space between them; for valid UTF-8, a part is not valid
 *     UTF-8 or tg_utf16_len says it is over the limit;
 *   - split as HTML, a part of the converter's output is not itself
 *     converter output unchanged (balanced, safe to send alone).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts naming the promise that broke, for the crash log. */
#define check(ok) ((ok) ? (void)0 : fuzz_fail(#ok, __LINE__))
static void fuzz_fail(const char *what, int line)
{
	fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, line, what);
	abort();
}

static const char *const allowed_tags[] = {
	"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code",
	"pre", NULL,
};

static int is_ws(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* The length of the entity at s (at its '&', ';' included) as Telegram
 * takes it, or 0: an independent reading of what the converter lets by. */
static size_t entity_len(const char *s)
{
	static const char *const named[] = { "&lt;", "&gt;", "&amp;",
					     "&quot;", NULL };
	size_t i = 2, digits = 0;
	int hex;

	for (const char *const *n = named; *n; n++)
		if (!strncmp(s, *n, strlen(*n)))
			return strlen(*n);
	if (s[1] != '#')
		return 0;
	hex = s[2] == 'x' || s[2] == 'X';
	i += (size_t)hex;
	while (digits < 7 && (hex ? strchr("0123456789abcdefABCDEF", s[i]) != NULL
				  : (s[i] >= '0' && s[i] <= '9')) && s[i]) {
		i++;
		digits++;
	}
	return digits && s[i] == ';' ? i + 1 : 0;
}

/* 1 when s is what the converter may return: allowed lower-case tags
 * without attributes, properly nested, entities only at '&', no bare
 * '>'.  Writes s with its tags taken out into text (room for strlen(s)
 * + 1). */
static int well_formed(const char *s, char *text)
{
	const char *stack[64];
	size_t depth = 0, t = 0;

	while (*s) {
		if (*s == '<') {
			int closing = s[1] == '/';
			const char *name = s + 1 + closing;
			const char *end = strchr(name, '>');
			const char *tag = NULL;
			if (!end)
				return 0;
			for (const char *const *a = allowed_tags; *a; a++)
				if ((size_t)(end - name) == strlen(*a) &&
				    !strncmp(name, *a, strlen(*a)))
					tag = *a;
			if (!tag)
				return 0;
			if (closing) {
				if (!depth || stack[--depth] != tag)
					return 0;
			} else {
				if (depth == sizeof stack / sizeof stack[0])
					return 0;
				stack[depth++] = tag;
			}
			s = end + 1;
		} else if (*s == '&') {
			size_t n = entity_len(s);
			if (!n)
				return 0;
			memcpy(text + t, s, n);
			t += n;
			s += n;
		} else if (*s == '>') {
			return 0;
		} else {
			text[t++] = *s++;
		}
	}
	text[t] = '\0';
	return depth == 0;
}

/* The text of the converter's input with the tags taken out and each
 * <br> as '\n'; only called on input the converter took, where every
 * '<' opens a tag that ends at the next '>'. */
static void input_text(const char *s, char *text)
{
	size_t t = 0;

	while (*s) {
		if (*s == '<') {
			const char *end = strchr(s, '>');
			if ((s[1] == 'b' || s[1] == 'B') &&
			    (s[2] == 'r' || s[2] == 'R') &&
			    (s[3] == '>' || s[3] == ' ' || s[3] == '/'))
				text[t++] = '\n';
			s = end + 1;
		} else {
			text[t++] = *s++;
		}
	}
	text[t] = '\0';
}

/* UTF-16 units of s as the splitter counts them: a byte that starts no
 * valid sequence counts one. */
static size_t split_units(const char *s)
{
	size_t units = 0, len = strlen(s);

	for (size_t i = 0; i < len;) {
		size_t n = 1;
		unsigned char c = (unsigned char)s[i];
		if (c >= 0xc0) {
			n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
			if (i + n > len || !tg_utf8_valid(s + i, n))
				n = 1;
		}
		units += n == 4 ? 2 : 1;
		i += n;
	}
	return units;
}

/* Checks a split of text against the promises of tg_split. */
static void check_parts(const char *text, const struct tg_parts *p,
			size_t max, int html)
{
	size_t pos = 0, len = strlen(text);
	int valid = tg_utf8_valid(text, len);

	if (max < 2)
		max = 2;
	for (size_t i = 0; i < p->n; i++) {
		const char *part = p->v[i];
		size_t pl = strlen(part), q = pos, k;
		check(pl > 0);
		for (k = 0; k < pl && is_ws(part[k]); k++)
			;
		check(k < pl); /* not blank */
		check(part[0] != '\n' && part[0] != '\r' &&
		      part[pl - 1] != '\n' && part[pl - 1] != '\r');
		check(split_units(part) <= max);
		if (valid) {
			check(tg_utf8_valid(part, pl));
			check(tg_utf16_len(part, pl) <= max);
		}
		/* The part is next in the text after white space only (its
		 * first match there is the only one: a part is not blank). */
		while (q < len && strncmp(text + q, part, pl)) {
			check(is_ws(text[q]));
			q++;
		}
		check(q < len);
		pos = q + pl;
	}
	for (; pos < len; pos++)
		check(is_ws(text[pos]));
	if (html) {
		for (size_t i = 0; i < p->n; i++) {
			int unsafe = 1;
			char *again = tg_html_for_telegram(p->v[i], &unsafe);
			check(again && !unsafe && !strcmp(again, p->v[i]));
			free(again);
		}
	}
}

static void check_split(const char *text, size_t max, int html,
			int html_safe)
{
	struct tg_parts p = { NULL, 0 };
	int rc = tg_split(text, max, html, &p);

	check(rc == 0 || (rc == 1 && html));
	if (rc == 0)
		check_parts(text, &p, max, html_safe);
	else
		check(p.v == NULL && p.n == 0);
	tg_parts_free(&p);
	check(p.v == NULL && p.n == 0);
}

static void check_html(const char *in, size_t max)
{
	size_t len = strlen(in);
	int unsafe = 0;
	char *out = tg_html_for_telegram(in, &unsafe);

	if (!out) {
		check(unsafe == 1);
		check(!tg_utf8_valid(in, len) || strpbrk(in, "<>&") != NULL);
		return;
	}
	check(unsafe == 0);
	check(tg_utf8_valid(out, strlen(out)));
	if (!strpbrk(in, "<>&"))
		check(!strcmp(out, in));

	char *a = malloc(strlen(out) + 1), *b = malloc(len + 1);
	check(a && b);
	check(well_formed(out, a));
	input_text(in, b);
	check(!strcmp(a, b));
	free(a);
	free(b);

	char *again = tg_html_for_telegram(out, &unsafe);
	check(again && !unsafe && !strcmp(again, out));
	free(again);

	check_split(out, max, 1, 1);
	free(out);
}

static void check_escape(const char *in)
{
	char *esc = tg_html_escape(in), *out;
	int unsafe = 0;

	check(esc != NULL);
	check(!strpbrk(esc, "<>"));
	if (tg_utf8_valid(in, strlen(in))) {
		out = tg_html_for_telegram(esc, &unsafe);
		check(out && !unsafe && !strcmp(out, esc));
		free(out);
	}
	free(esc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t max;
	char *text;

	if (size < 1)
		return 0;
	/* Small limits so that short inputs split; 255 is the real one. */
	max = data[0] == 255 ? TG_TEXT_MAX : data[0] % 64;
	text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';

	check_split(text, max, 0, 0);
	check_split(text, max, 1, 0);
	check_html(text, max);
	check_escape(text);
	free(text);
	return 0;
}
