/*
 * The console channel's input: lines out of a byte stream, replies out of
 * lines.
 */
#include "console_lines.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

void console_lines_feed(struct console_lines *l, const char *data, size_t n,
			console_line_fn fn, void *arg)
{
	for (size_t i = 0; i < n; i++) {
		if (data[i] == '\n') {
			if (!l->discarding) {
				l->buf[l->len] = '\0';
				fn(arg, l->buf);
			}
			l->len = 0;
			l->discarding = 0;
		} else if (l->len + 1 < sizeof l->buf) {
			l->buf[l->len++] = data[i];
		} else if (!l->discarding) {
			/* Dropped from here to its '\n'; the buffer keeps
			 * filling, unused, so the end of the line is still
			 * found. */
			l->discarding = 1;
			l->len = 0;
			fn(arg, NULL);
		}
	}
}

void console_lines_end(struct console_lines *l, console_line_fn fn,
		       void *arg)
{
	if (l->len && !l->discarding) {
		l->buf[l->len] = '\0';
		fn(arg, l->buf);
	}
	l->len = 0;
	l->discarding = 0;
}

enum console_line_kind console_line_parse(const char *line, size_t n_runners,
					  console_address_fn address,
					  void *arg, struct console_reply *out)
{
	const char *text = line;
	int found = 0;

	out->runner = 0;
	out->ref = NULL;
	out->refbuf[0] = '\0';
	while (isspace((unsigned char)*text))
		text++;
	if (!*text)
		return CONSOLE_LINE_BLANK;
	if (!strncmp(text, "ref ", 4)) {
		const char *colon = strchr(text, ':');
		if (colon && colon - text - 4 < (long)sizeof out->refbuf) {
			snprintf(out->refbuf, sizeof out->refbuf, "%.*s",
				 (int)(colon - text - 4), text + 4);
			out->ref = out->refbuf;
			text = colon + 1;
		}
	}
	for (size_t i = 0; i < n_runners; i++) {
		const char *a = address(arg, i);
		size_t al = strlen(a);
		if (!strncmp(text, a, al) && text[al] == ':') {
			out->runner = i;
			text += al + 1;
			found = 1;
			break;
		}
	}
	if (!found && n_runners != 1)
		return CONSOLE_LINE_NO_RUNNER;
	while (isspace((unsigned char)*text))
		text++;
	out->text = text;
	return CONSOLE_LINE_REPLY;
}
