/*
 * What a libconfig syntax error means, in words an admin can act on.
 * libconfig says "syntax error" for a byte-order mark, curly quotes
 * pasted from a word processor and a group left open alike, and
 * "duplicate setting name" without the name; this reads the text again
 * around the line libconfig names to say which.  Pure: no I/O.
 */
#ifndef REHABD_CONFIG_SYNTAX_H
#define REHABD_CONFIG_SYNTAX_H

#include <stddef.h>

/*
 * Writes into out (NUL-terminated, at most outlen bytes) what is wrong
 * and what to do, for the error libconfig reported as what (its
 * config_error_text) at *line of text (the whole file, NUL-terminated).
 * May move *line to where the cause is (a group left open: the line
 * that opened it).  Always writes a message; one without a specific
 * cause keeps libconfig's words.
 */
void cfg_syntax_explain(const char *text, const char *what, int *line,
			char *out, size_t outlen);

#endif
