/*
 * Text rules of the Bot API: UTF-8, UTF-16 lengths, HTML, splitting.
 */
#include "tg_text.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TG_HTML_DEPTH 16

/* Length of the UTF-8 sequence that starts at s[0] if it is well formed
 * and fits in n bytes, else 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	if (c >= 0x01 && c <= 0x7f)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return n >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		unsigned char lo = c == 0xe0 ? 0xa0 : 0x80;
		unsigned char hi = c == 0xed ? 0x9f : 0xbf; /* no surrogates */
		return n >= 3 && s[1] >= lo && s[1] <= hi &&
		       (s[2] & 0xc0) == 0x80 ? 3 : 0;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		unsigned char lo = c == 0xf0 ? 0x90 : 0x80;
		unsigned char hi = c == 0xf4 ? 0x8f : 0xbf; /* <= U+10FFFF */
		return n >= 4 && s[1] >= lo && s[1] <= hi &&
		       (s[2] & 0xc0) == 0x80 && (s[3] & 0xc0) == 0x80 ? 4 : 0;
	}
	return 0;
}

int tg_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		size_t n = utf8_seq(p + i, len - i);
		if (!n)
			return 0;
		i += n;
	}
	return 1;
}

size_t tg_utf16_len(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t units = 0;
	for (size_t i = 0; i < len; i++) {
		if ((p[i] & 0xc0) == 0x80)
			continue;
		units += p[i] >= 0xf0 ? 2 : 1;
	}
	return units;
}

int tg_parse_int64(const char *s, int64_t *out)
{
	const char *d = s;
	char *end;
	long long v;

	if (!s)
		return -1;
	if (*d == '-')
		d++;
	if (*d < '0' || *d > '9' || strlen(d) > 19)
		return -1;
	for (const char *c = d; *c; c++)
		if (*c < '0' || *c > '9')
			return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = (int64_t)v;
	return 0;
}

/* A growing output buffer for the functions below. */
struct tbuf {
	char *p;
	size_t len, cap;
	int oom;
};

static void tbuf_add(struct tbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (!b->p || b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* Returns the buffer's string (owned by the caller), or NULL after an
 * allocation failure. */
static char *tbuf_take(struct tbuf *b)
{
	if (b->oom) {
		free(b->p);
		return NULL;
	}
	if (!b->p)
		tbuf_add(b, "", 0);
	return b->oom ? NULL : b->p;
}

char *tg_html_escape(const char *s)
{
	struct tbuf b = { 0 };
	for (const char *c = s; *c; c++) {
		switch (*c) {
		case '&': tbuf_add(&b, "&amp;", 5); break;
		case '<': tbuf_add(&b, "&lt;", 4); break;
		case '>': tbuf_add(&b, "&gt;", 4); break;
		default: tbuf_add(&b, c, 1); break;
		}
	}
	return tbuf_take(&b);
}

static const char *const html_tags[] = {
	"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code",
	"pre", NULL,
};

/* Checks the entity at s (just after '&').  Returns its length including
 * the ';', or 0 when Telegram would refuse it. */
static size_t html_entity(const char *s)
{
	static const char *const named[] = { "lt;", "gt;", "amp;", "quot;", NULL };
	for (const char *const *n = named; *n; n++)
		if (!strncmp(s, *n, strlen(*n)))
			return strlen(*n);
	if (s[0] != '#')
		return 0;
	int hex = s[1] == 'x' || s[1] == 'X';
	const char *d = s + 1 + hex;
	unsigned long v = 0;
	size_t n = 0;
	for (; n < 7; n++) {
		char c = d[n];
		int digit;
		if (c >= '0' && c <= '9')
			digit = c - '0';
		else if (hex && c >= 'a' && c <= 'f')
			digit = c - 'a' + 10;
		else if (hex && c >= 'A' && c <= 'F')
			digit = c - 'A' + 10;
		else
			break;
		v = v * (hex ? 16 : 10) + (unsigned long)digit;
	}
	if (n == 0 || d[n] != ';' || v == 0 || v > 0x10ffff ||
	    (v >= 0xd800 && v <= 0xdfff))
		return 0;
	return (size_t)(d + n + 1 - s);
}

char *tg_html_for_telegram(const char *html, int *unsafe)
{
	struct tbuf b = { 0 };
	const char *stack[TG_HTML_DEPTH];
	size_t depth = 0;
	const char *c = html;

	*unsafe = 1;
	if (!tg_utf8_valid(html, strlen(html)))
		return NULL;
	while (*c) {
		if (*c == '&') {
			size_t n = html_entity(c + 1);
			if (!n)
				goto refuse;
			tbuf_add(&b, c, n + 1);
			c += n + 1;
		} else if (*c == '<') {
			const char *close = strchr(c, '>');
			int closing = c[1] == '/';
			const char *name = c + 1 + closing;
			size_t nl = 0;
			if (!close)
				goto refuse;
			while ((name[nl] >= 'a' && name[nl] <= 'z') ||
			       (name[nl] >= 'A' && name[nl] <= 'Z'))
				nl++;
			const char *rest = name + nl;
			if (nl == 2 && !strncasecmp(name, "br", 2) && !closing) {
				/* <br>, <br/>, <br /> */
				while (*rest == ' ')
					rest++;
				if (*rest == '/')
					rest++;
				if (rest != close)
					goto refuse;
				tbuf_add(&b, "\n", 1);
				c = close + 1;
				continue;
			}
			if (rest != close || nl == 0)
				goto refuse; /* attributes or no name */
			const char *tag = NULL;
			for (const char *const *t = html_tags; *t; t++)
				if (strlen(*t) == nl && !strncasecmp(*t, name, nl))
					tag = *t;
			if (!tag)
				goto refuse;
			if (closing) {
				if (!depth || stack[depth - 1] != tag)
					goto refuse;
				depth--;
				tbuf_add(&b, "</", 2);
			} else {
				if (depth == TG_HTML_DEPTH)
					goto refuse;
				stack[depth++] = tag;
				tbuf_add(&b, "<", 1);
			}
			tbuf_add(&b, tag, strlen(tag));
			tbuf_add(&b, ">", 1);
			c = close + 1;
		} else if (*c == '>') {
			goto refuse;
		} else {
			tbuf_add(&b, c, 1);
			c++;
		}
	}
	if (depth)
		goto refuse;
	*unsafe = 0;
	return tbuf_take(&b);
refuse:
	free(b.p);
	return NULL;
}

static int blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\n' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/* Adds s[0..n) without the line breaks at either end (Telegram trims
 * them anyway); blank parts are left out. */
static int parts_add(struct tg_parts *p, const char *s, size_t n)
{
	while (n && (*s == '\n' || *s == '\r')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	if (blank(s, n))
		return 0;
	char **v = realloc(p->v, (p->n + 1) * sizeof *v);
	if (!v)
		return -1;
	p->v = v;
	v[p->n] = malloc(n + 1);
	if (!v[p->n])
		return -1;
	memcpy(v[p->n], s, n);
	v[p->n][n] = '\0';
	p->n++;
	return 0;
}

void tg_parts_free(struct tg_parts *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

int tg_split(const char *text, size_t max_units, int html,
	     struct tg_parts *out)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t len = strlen(text), pos = 0;

	out->v = NULL;
	out->n = 0;
	if (max_units < 2)
		max_units = 2; /* room for one surrogate pair */
	while (pos < len) {
		size_t j = pos, units = 0;
		size_t cut_nl = 0, cut_sp = 0; /* 0: none (a cut is > pos) */
		int depth = 0;
		while (j < len) {
			size_t n = utf8_seq(s + j, len - j);
			if (!n)
				n = 1;
			size_t u = n == 4 ? 2 : 1;
			if (units + u > max_units)
				break;
			if (html && s[j] == '<')
				depth += s[j + 1] == '/' ? -1 : 1;
			if (s[j] == '\n' && depth == 0 && j > pos)
				cut_nl = j;
			if (s[j] == ' ' && !html && j > pos)
				cut_sp = j;
			units += u;
			j += n;
		}
		/* A break just past the limit is as good as one inside. */
		if (j < len && s[j] == '\n' && depth == 0)
			cut_nl = j;
		if (j < len && s[j] == ' ' && !html)
			cut_sp = j;
		size_t end, next;
		if (j >= len) {
			end = next = len;
		} else if (cut_nl) {
			end = cut_nl;
			next = cut_nl + 1;
		} else if (html) {
			tg_parts_free(out);
			return 1;
		} else if (cut_sp) {
			end = cut_sp;
			next = cut_sp + 1;
		} else {
			end = next = j;
		}
		if (parts_add(out, text + pos, end - pos) != 0) {
			tg_parts_free(out);
			return -1;
		}
		pos = next;
	}
	return 0;
}
