/*
 * Text rules of the Bot API, as pure functions: UTF-8 checks, lengths in
 * UTF-16 code units (how Telegram counts the 4096-character limit),
 * escaping and checking text for parse_mode HTML, splitting long
 * messages at line boundaries, and strict parsing of 64-bit chat ids.
 * No I/O, no host: unit-tested on their own (tests/unit/test_tg_text.c).
 */
#ifndef TG_TEXT_H
#define TG_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Telegram's limit on sendMessage text, in UTF-16 units after entity
 * parsing. */
#define TG_TEXT_MAX 4096

/* Returns 1 when s[0..len) is well-formed UTF-8 (no overlong forms, no
 * surrogates, nothing above U+10FFFF, no NUL), else 0. */
int tg_utf8_valid(const char *s, size_t len);

/* Length of s[0..len) in UTF-16 code units: one per code point below
 * U+10000, two above.  Meant for valid UTF-8; a stray continuation byte
 * counts nothing. */
size_t tg_utf16_len(const char *s, size_t len);

/* Parses a chat id: optional '-', 1-19 decimal digits, nothing else, and
 * within int64_t.  Returns 0 with *out set, or -1. */
int tg_parse_int64(const char *s, int64_t *out);

/* Escapes &, < and > for parse_mode HTML.  Returns a malloc'd string the
 * caller frees, or NULL when out of memory. */
char *tg_html_escape(const char *s);

/*
 * Turns the host's simple HTML into text Telegram accepts with
 * parse_mode HTML: <br> and <br/> become newlines; the tags b, strong, i,
 * em, u, ins, s, strike, del, code and pre pass when balanced; the
 * entities &lt; &gt; &amp; &quot; and &#N; / &#xN; pass.  Anything else
 * (another tag, attributes, a bare < > or &, bad nesting, invalid UTF-8)
 * makes it return NULL with *unsafe = 1, so the caller sends the plain
 * text instead of risking a 400.  Out of memory: NULL with *unsafe = 0.
 * The result is malloc'd; the caller frees it.
 */
char *tg_html_for_telegram(const char *html, int *unsafe);

/* Parts of a message split to fit the limit. */
struct tg_parts {
	char **v;
	size_t n;
};

/*
 * Splits text into parts of at most max_units UTF-16 units each.  Parts
 * end at a line break when there is one (the break itself is dropped);
 * a single line longer than the limit is cut at a space, else between
 * two code points.  Parts that would be blank are left out.
 *
 * With html = 1 the text is Telegram HTML: it is cut only at line breaks
 * outside every tag pair, and the raw length (tags included) is what is
 * measured, which over-counts and so stays under the limit.  If no such
 * cut exists the function returns 1 and the caller splits the plain text
 * instead.  Returns 0 on success (out->n may be 0 for blank text), 1 as
 * said, -1 when out of memory.  Free with tg_parts_free.
 */
int tg_split(const char *text, size_t max_units, int html,
	     struct tg_parts *out);
void tg_parts_free(struct tg_parts *p);

#endif
