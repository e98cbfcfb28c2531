/*
 * The console channel's reading of its input, as pure functions: bytes
 * are gathered into lines (console_lines_feed, console_lines_end), and a
 * line is split into the runner it comes from, the message it answers
 * and the reply (console_line_parse).  No I/O, no host: console.c does
 * the reading and the host calls, tests/fuzz/fuzz_console_lines.c drives
 * these directly.
 *
 * A line is a reply from the only runner, or from the runner whose
 * address starts it ("anna: 3"); "ref 12: 6" answers message 12 (like
 * tapping a button on it).
 */
#ifndef CONSOLE_LINES_H
#define CONSOLE_LINES_H

#include <stddef.h>

/* The buffer for one line, its NUL included: longer lines are dropped
 * (a paste too long to be a reply). */
#define CONSOLE_LINE_MAX 4096
/* The longest ref a "ref N:" prefix may give, in bytes. */
#define CONSOLE_REF_MAX 23

struct console_lines {
	char buf[CONSOLE_LINE_MAX];
	size_t len;
	int discarding; /* inside a line that was too long */
};

/*
 * Called for each complete line, without its '\n' and NUL-terminated
 * (an embedded NUL ends it early); the line is the callee's to change
 * until it returns.  Called with NULL instead when a line reaches
 * CONSOLE_LINE_MAX bytes: that line is dropped, up to its '\n'.
 */
typedef void (*console_line_fn)(void *arg, char *line);

/* Adds n bytes of input to l, calling fn(arg, ...) for every line they
 * complete, in order.  l starts zeroed. */
void console_lines_feed(struct console_lines *l, const char *data, size_t n,
			console_line_fn fn, void *arg);

/* The end of the input: a last line without '\n' (unless it was being
 * dropped) goes to fn, and l is empty again. */
void console_lines_end(struct console_lines *l, console_line_fn fn,
		       void *arg);

enum console_line_kind {
	CONSOLE_LINE_BLANK,     /* nothing but white space */
	CONSOLE_LINE_NO_RUNNER, /* no runner's address starts it, and there
	                           is not exactly one runner to take it */
	CONSOLE_LINE_REPLY,
};

/* A line read as a reply.  ref points into refbuf, text into the line:
 * the struct is not to be copied, the line must outlive it. */
struct console_reply {
	size_t runner;    /* index of the runner it comes from */
	const char *ref;  /* the message it answers, or NULL */
	const char *text; /* the reply, without leading white space */
	char refbuf[CONSOLE_REF_MAX + 1];
};

/* Returns the address of runner i (0 <= i < the count given). */
typedef const char *(*console_address_fn)(void *arg, size_t i);

/*
 * Reads line: white space first is skipped; "ref <up to 23 bytes>:" in
 * front gives the ref; then the address of one of the n_runners runners
 * followed by ':' names the runner (the first in order that matches),
 * else the only runner when there is one.  Fills *out when it returns
 * CONSOLE_LINE_REPLY.
 */
enum console_line_kind console_line_parse(const char *line, size_t n_runners,
					  console_address_fn address,
					  void *arg, struct console_reply *out);

#endif
