/*
 * Matrix text helpers.
 */
#include "mx_text.h"

#include <stdlib.h>
#include <string.h>

char *mx_strip_reply_fallback(const char *body)
{
	const char *p = body;
	int stripped = 0;
	/* Quoted lines are "> ..." (or a bare ">" for an empty one). */
	while (p[0] == '>' && (p[1] == ' ' || p[1] == '\n' || p[1] == '\0')) {
		const char *nl = strchr(p, '\n');
		stripped = 1;
		if (!nl) {
			p += strlen(p);
			break;
		}
		p = nl + 1;
	}
	if (stripped && *p == '\n')
		p++;
	return strdup(p);
}

/* Appends n bytes of s to the buffer (*buf, *len, *cap).  Returns 0 or
 * -1 when out of memory (the buffer is then freed). */
static int put(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t c = (*cap ? *cap : 64);
		while (c < *len + n + 1)
			c *= 2;
		char *b = realloc(*buf, c);
		if (!b) {
			free(*buf);
			*buf = NULL;
			return -1;
		}
		*buf = b;
		*cap = c;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
	return 0;
}

char *mx_formatted_body(const char *text, const char *html)
{
	const char *src = html ? html : (text ? text : "");
	char *buf = NULL;
	size_t len = 0, cap = 0;

	if (put(&buf, &len, &cap, "", 0) != 0)
		return NULL;
	for (const char *c = src; *c; c++) {
		const char *rep = NULL;
		if (*c == '\n')
			rep = "<br>";
		else if (!html && *c == '&')
			rep = "&amp;";
		else if (!html && *c == '<')
			rep = "&lt;";
		else if (!html && *c == '>')
			rep = "&gt;";
		else if (!html && *c == '"')
			rep = "&quot;";
		if (put(&buf, &len, &cap, rep ? rep : c, rep ? strlen(rep) : 1) != 0)
			return NULL;
	}
	return buf;
}

/* Columns: choice value, reaction key (with U+FE0F where the emoji
 * takes it, as the spec's annotations module asks). */
static const struct {
	const char *value, *key;
} choice_keys[] = {
	{ "0", "0\xef\xb8\x8f\xe2\x83\xa3" },
	{ "1", "1\xef\xb8\x8f\xe2\x83\xa3" },
	{ "2", "2\xef\xb8\x8f\xe2\x83\xa3" },
	{ "3", "3\xef\xb8\x8f\xe2\x83\xa3" },
	{ "4", "4\xef\xb8\x8f\xe2\x83\xa3" },
	{ "5", "5\xef\xb8\x8f\xe2\x83\xa3" },
	{ "6", "6\xef\xb8\x8f\xe2\x83\xa3" },
	{ "7", "7\xef\xb8\x8f\xe2\x83\xa3" },
	{ "8", "8\xef\xb8\x8f\xe2\x83\xa3" },
	{ "9", "9\xef\xb8\x8f\xe2\x83\xa3" },
	{ "10", "\xf0\x9f\x94\x9f" },                    /* 🔟 */
	{ "done", "\xe2\x9c\x85" },                      /* ✅ */
	{ "skip", "\xe2\x8f\xad\xef\xb8\x8f" },          /* ⏭️ */
	{ "snooze", "\xf0\x9f\x92\xa4" },                /* 💤 */
	{ "pain at rest or at night", "\xf0\x9f\x9a\xa9" }, /* 🚩 */
};

#define N_KEYS (sizeof choice_keys / sizeof choice_keys[0])

const char *mx_choice_key(const char *value)
{
	for (size_t i = 0; value && i < N_KEYS; i++)
		if (!strcmp(choice_keys[i].value, value))
			return choice_keys[i].key;
	return NULL;
}

/* a and b equal once every U+FE0F (EF B8 8F) is skipped. */
static int same_without_vs16(const char *a, const char *b)
{
	for (;;) {
		while (!strncmp(a, "\xef\xb8\x8f", 3))
			a += 3;
		while (!strncmp(b, "\xef\xb8\x8f", 3))
			b += 3;
		if (*a != *b)
			return 0;
		if (!*a)
			return 1;
		a++;
		b++;
	}
}

const char *mx_choice_value(const char *key)
{
	for (size_t i = 0; key && i < N_KEYS; i++)
		if (same_without_vs16(choice_keys[i].key, key))
			return choice_keys[i].value;
	return NULL;
}
