/* Explaining libconfig syntax errors; see config_syntax.h. */
#include "config_syntax.h"

#include <stdio.h>
#include <string.h>

#define GENERIC_HINT "fix the syntax on or just before this line (settings read name = value;)"

/* The start of line n (1-based) of text, or NULL past its end. */
static const char *line_start(const char *text, int n)
{
	const char *c = text;

	for (int l = 1; l < n; l++) {
		c = strchr(c, '\n');
		if (!c)
			return NULL;
		c++;
	}
	return c;
}

/* 1 when the line at s holds a curly quote (U+2018, U+2019, U+201C,
 * U+201D) or a guillemet (U+00AB, U+00BB). */
static int has_curly_quote(const char *s)
{
	for (; *s && *s != '\n'; s++) {
		const unsigned char *u = (const unsigned char *)s;
		if (u[0] == 0xE2 && u[1] == 0x80 &&
		    (u[2] == 0x98 || u[2] == 0x99 || u[2] == 0x9C || u[2] == 0x9D))
			return 1;
		if (u[0] == 0xC2 && (u[1] == 0xAB || u[1] == 0xBB))
			return 1;
	}
	return 0;
}

/*
 * Reads text as libconfig's lexer would for brackets: strings (with
 * backslash escapes) and comments (#, //, block comments) hold none.
 * Returns the line of the innermost bracket still open at the end, or
 * 0 when all are closed; its closing character in *closer.
 */
static int open_at_end(const char *text, char *closer)
{
	enum { MAX_DEPTH = 256 };
	int lines[MAX_DEPTH];
	char want[MAX_DEPTH];
	int depth = 0, line = 1;

	for (const char *c = text; *c; c++) {
		if (*c == '\n') {
			line++;
		} else if (*c == '"') {
			for (c++; *c && *c != '"'; c++) {
				if (*c == '\\' && c[1])
					c++;
				else if (*c == '\n')
					line++;
			}
			if (!*c)
				break;
		} else if (*c == '#' || (*c == '/' && c[1] == '/')) {
			while (c[1] && c[1] != '\n')
				c++;
		} else if (*c == '/' && c[1] == '*') {
			for (c += 2; *c && !(*c == '*' && c[1] == '/'); c++)
				line += *c == '\n';
			if (!*c)
				break;
			c++;
		} else if (*c == '{' || *c == '(' || *c == '[') {
			if (depth < MAX_DEPTH) {
				lines[depth] = line;
				want[depth] = *c == '{' ? '}' : *c == '(' ? ')' : ']';
			}
			depth++;
		} else if (*c == '}' || *c == ')' || *c == ']') {
			if (depth > 0)
				depth--;
		}
	}
	if (depth == 0)
		return 0;
	if (depth > MAX_DEPTH)
		depth = MAX_DEPTH;
	*closer = want[depth - 1];
	return lines[depth - 1];
}

void cfg_syntax_explain(const char *text, const char *what, int *line,
			char *out, size_t outlen)
{
	const char *at = line_start(text, *line);
	char closer = '}';
	int opened;

	if (!what)
		what = "syntax error";
	if (!strncmp(text, "\xEF\xBB\xBF", 3) && *line <= 1) {
		*line = 1;
		snprintf(out, outlen, "the file starts with a byte-order mark (BOM) — save it as UTF-8 without a BOM (\"UTF-8\", not \"UTF-8 with BOM\", in the editor's encoding menu)");
		return;
	}
	if (at && has_curly_quote(at)) {
		snprintf(out, outlen, "curly quotes (“…” or ‘…’) — write values in straight double quotes, \"like this\" (a word processor changes them; use a plain text editor)");
		return;
	}
	if (at && !strcmp(what, "duplicate setting name")) {
		size_t skip = strspn(at, " \t");
		size_t n = strspn(at + skip, "abcdefghijklmnopqrstuvwxyz"
				  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-*");
		if (n && n <= 64) {
			snprintf(out, outlen, "\"%.*s\" is set twice in the same group — keep one of them",
				 (int)n, at + skip);
			return;
		}
	}
	opened = open_at_end(text, &closer);
	if (opened && !strcmp(what, "syntax error") && opened <= *line) {
		int last = *line;
		*line = opened;
		snprintf(out, outlen, "this '%c' is never closed (the file ends at line %d) — add the missing '%c'",
			 closer == '}' ? '{' : closer == ')' ? '(' : '[', last,
			 closer);
		return;
	}
	snprintf(out, outlen, "%s — " GENERIC_HINT, what);
}
