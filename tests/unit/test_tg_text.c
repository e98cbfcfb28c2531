/*
 * The telegram plugin's text rules (plugins/telegram/tg_text.c): UTF-8
 * checks, UTF-16 lengths, chat ids, HTML escaping and checking, and
 * splitting at Telegram's 4096-unit limit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tg_text.h"

/* Columns: bytes, length (0 = strlen), valid UTF-8?, UTF-16 units. */
static const struct {
	const char *s;
	size_t len;
	int valid;
	size_t units;
} utf8_rows[] = {
	{ "", 0, 1, 0 },
	{ "pain 3/10", 0, 1, 9 },
	{ "Schmerz \xc3\xa4", 0, 1, 9 },            /* ä: 2 bytes, 1 unit */
	{ "\xe2\x86\x92", 0, 1, 1 },                /* →: 3 bytes */
	{ "\xf0\x9f\x98\x80", 0, 1, 2 },            /* 😀: surrogate pair */
	{ "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd", 0, 1, 4 }, /* 👍🏽 */
	{ "\xc0\xaf", 0, 0, 1 },                    /* overlong '/' */
	{ "\xe0\x80\xaf", 0, 0, 1 },                /* overlong, 3 bytes */
	{ "\xed\xa0\x80", 0, 0, 1 },                /* U+D800 surrogate */
	{ "\xf4\x90\x80\x80", 0, 0, 2 },            /* above U+10FFFF */
	{ "\xc3", 0, 0, 1 },                        /* truncated */
	{ "a\x80z", 0, 0, 2 },                      /* stray continuation */
	{ "\xff", 0, 0, 2 },
	{ "a\0b", 3, 0, 3 },                        /* NUL inside */
};

static void test_utf8(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof utf8_rows / sizeof utf8_rows[0]; i++) {
		const char *s = utf8_rows[i].s;
		size_t len = utf8_rows[i].len ? utf8_rows[i].len : strlen(s);
		assert_int_equal(tg_utf8_valid(s, len), utf8_rows[i].valid);
		if (utf8_rows[i].valid)
			assert_int_equal(tg_utf16_len(s, len), utf8_rows[i].units);
	}
}

/* Columns: text, parses?, value. */
static const struct {
	const char *s;
	int ok;
	int64_t v;
} int_rows[] = {
	{ "123456789", 1, 123456789 },
	{ "5000000001", 1, 5000000001LL },           /* over 32 bits */
	{ "-1001234567890", 1, -1001234567890LL },  /* supergroup */
	{ "9223372036854775807", 1, INT64_MAX },
	{ "-9223372036854775808", 1, INT64_MIN },
	{ "9223372036854775808", 0, 0 },            /* 2^63 */
	{ "18446744073709551616", 0, 0 },
	{ "", 0, 0 },
	{ "-", 0, 0 },
	{ "+5", 0, 0 },
	{ " 5", 0, 0 },
	{ "5 ", 0, 0 },
	{ "12a", 0, 0 },
	{ "1e5", 0, 0 },
	{ "0x10", 0, 0 },
	{ "@runner", 0, 0 },
};

static void test_parse_int64(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof int_rows / sizeof int_rows[0]; i++) {
		int64_t v = 0;
		int rc = tg_parse_int64(int_rows[i].s, &v);
		assert_int_equal(rc == 0, int_rows[i].ok);
		if (rc == 0)
			assert_true(v == int_rows[i].v);
	}
	assert_int_equal(tg_parse_int64(NULL, &(int64_t){ 0 }), -1);
}

/* Columns: plain text, escaped for parse_mode HTML. */
static const struct {
	const char *in, *out;
} escape_rows[] = {
	{ "", "" },
	{ "Pain 3/10", "Pain 3/10" },
	{ "a < b && c > d", "a &lt; b &amp;&amp; c &gt; d" },
	{ "<b>not bold</b>", "&lt;b&gt;not bold&lt;/b&gt;" },
	{ "&amp;", "&amp;amp;" },
	{ "\"quotes\" stay", "\"quotes\" stay" },
};

static void test_escape(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof escape_rows / sizeof escape_rows[0]; i++) {
		char *e = tg_html_escape(escape_rows[i].in);
		assert_non_null(e);
		assert_string_equal(e, escape_rows[i].out);
		free(e);
	}
}

/* Columns: host HTML, what Telegram gets (NULL: refused, send plain). */
static const struct {
	const char *in, *out;
} html_rows[] = {
	{ "<b>Stretch</b> 2 x 30 s", "<b>Stretch</b> 2 x 30 s" },
	{ "line<br>next<br/>last<br />", "line\nnext\nlast\n" },
	{ "<B>Loud</B>", "<b>Loud</b>" },
	{ "<b><i>both</i></b>", "<b><i>both</i></b>" },
	{ "a &lt; b &amp; c &gt; d &quot;", "a &lt; b &amp; c &gt; d &quot;" },
	{ "&#8594; &#x2192;", "&#8594; &#x2192;" },
	{ "<strong>x</strong><em>y</em><u>z</u><s>w</s><code>c</code><pre>p</pre>",
	  "<strong>x</strong><em>y</em><u>z</u><s>w</s><code>c</code><pre>p</pre>" },
	{ "<b>unclosed", NULL },
	{ "closed</b>", NULL },
	{ "<b><i>crossed</b></i>", NULL },
	{ "<p>paragraph</p>", NULL },
	{ "<a href=\"x\">link</a>", NULL },
	{ "<b class=x>attr</b>", NULL },
	{ "a < b", NULL },
	{ "a > b", NULL },
	{ "fish & chips", NULL },
	{ "&nbsp;", NULL },
	{ "&#0;", NULL },
	{ "&#xD800;", NULL },
	{ "&#1114112;", NULL },
	{ "<", NULL },
	{ "<>", NULL },
	{ "</>", NULL },
	{ "bad \xff utf8", NULL },
	{ "<b><b><b><b><b><b><b><b><b><b><b><b><b><b><b><b><b>deep</b></b></b></b></b></b></b></b></b></b></b></b></b></b></b></b></b>", NULL },
};

static void test_html(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof html_rows / sizeof html_rows[0]; i++) {
		int unsafe = -1;
		char *out = tg_html_for_telegram(html_rows[i].in, &unsafe);
		if (!html_rows[i].out) {
			assert_null(out);
			assert_int_equal(unsafe, 1);
			continue;
		}
		assert_non_null(out);
		assert_int_equal(unsafe, 0);
		assert_string_equal(out, html_rows[i].out);
		free(out);
	}
}

/* Columns: text, limit in UTF-16 units, html?, return code, the parts
 * joined by '|'. */
static const struct {
	const char *text;
	size_t max;
	int html;
	int rc;
	const char *parts;
} split_small_rows[] = {
	{ "short", 4096, 0, 0, "short" },
	{ "", 4096, 0, 0, "" },
	{ "  \n\n ", 4096, 0, 0, "" },
	{ "hello world foo", 10, 0, 0, "hello|world foo" },
	{ "one\ntwo\nthree", 8, 0, 0, "one\ntwo|three" },
	{ "one\n\n\ntwo", 4, 0, 0, "one|two" },
	{ "abcdefghijkl", 5, 0, 0, "abcde|fghij|kl" },
	{ "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80", 4, 0, 0,
	  "\xf0\x9f\x98\x80\xf0\x9f\x98\x80|\xf0\x9f\x98\x80" },
	{ "\xf0\x9f\x98\x80\xf0\x9f\x98\x80", 3, 0, 0,
	  "\xf0\x9f\x98\x80|\xf0\x9f\x98\x80" },
	{ "<b>a</b>\n<i>b</i>", 10, 1, 0, "<b>a</b>|<i>b</i>" },
	{ "<b>a\nb</b>\nc", 10, 1, 0, "<b>a\nb</b>|c" },
	{ "<b>a\nb</b>\nc", 9, 1, 1, "" },
	{ "hello world", 5, 0, 0, "hello|world" },
	{ "<b>aaaa\nbbbb</b>", 10, 1, 1, "" },
	{ "aaaaaaaaaaaa", 10, 1, 1, "" },
};

static void join(const struct tg_parts *p, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < p->n; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? "|" : "", p->v[i]);
}

static void test_split_small(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof split_small_rows / sizeof split_small_rows[0]; i++) {
		struct tg_parts p;
		char joined[256];
		int rc = tg_split(split_small_rows[i].text, split_small_rows[i].max,
				  split_small_rows[i].html, &p);
		assert_int_equal(rc, split_small_rows[i].rc);
		join(&p, joined, sizeof joined);
		assert_string_equal(joined, split_small_rows[i].parts);
		tg_parts_free(&p);
	}
}

/* Columns: piece, count, joiner (text = count pieces joined), html?,
 * number of parts, UTF-16 units of the first and of the last part. */
static const struct {
	const char *piece;
	size_t count;
	const char *joiner;
	int html;
	size_t n;
	size_t first, last;
} split_big_rows[] = {
	{ "a", 4096, "", 0, 1, 4096, 4096 },
	{ "a", 4097, "", 0, 2, 4096, 1 },
	{ "a", 5000, "", 0, 2, 4096, 904 },
	{ "abcdefghij", 500, "\n", 0, 2, 4091, 1407 },  /* lines of 10 */
	{ "word", 2000, " ", 0, 3, 4094, 1809 },        /* no line breaks */
	{ "\xf0\x9f\x98\x80", 2100, "", 0, 2, 4096, 104 }, /* 2 units each */
	{ "\xc3\xa4", 4096, "", 0, 1, 4096, 4096 },    /* 2 bytes, 1 unit */
	{ "<b>bold line</b>", 400, "\n", 1, 2, 4096, 2702 },
	{ "x", 9000, "", 1, 0, 0, 0 },                  /* html, no break */
};

static void test_split_big(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof split_big_rows / sizeof split_big_rows[0]; i++) {
		size_t pl = strlen(split_big_rows[i].piece);
		size_t jl = strlen(split_big_rows[i].joiner);
		char *text = malloc(split_big_rows[i].count * (pl + jl) + 1);
		struct tg_parts p;
		size_t at = 0;

		assert_non_null(text);
		for (size_t k = 0; k < split_big_rows[i].count; k++) {
			if (k) {
				memcpy(text + at, split_big_rows[i].joiner, jl);
				at += jl;
			}
			memcpy(text + at, split_big_rows[i].piece, pl);
			at += pl;
		}
		text[at] = '\0';
		int rc = tg_split(text, TG_TEXT_MAX, split_big_rows[i].html, &p);
		if (split_big_rows[i].n == 0) {
			assert_int_equal(rc, 1);
			free(text);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(p.n, split_big_rows[i].n);
		for (size_t k = 0; k < p.n; k++) {
			size_t u = tg_utf16_len(p.v[k], strlen(p.v[k]));
			assert_true(u <= TG_TEXT_MAX);
			assert_true(tg_utf8_valid(p.v[k], strlen(p.v[k])));
		}
		assert_int_equal(tg_utf16_len(p.v[0], strlen(p.v[0])),
				 split_big_rows[i].first);
		assert_int_equal(tg_utf16_len(p.v[p.n - 1], strlen(p.v[p.n - 1])),
				 split_big_rows[i].last);
		tg_parts_free(&p);
		free(text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_parse_int64),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_split_small),
		cmocka_unit_test(test_split_big),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
