/*
 * rehabctl parse [--json] TEXT...: shows how rehabd reads a runner's
 * reply, with the same parser the daemon uses.  Several words are joined
 * with single spaces, as if typed in one message; "-" reads the reply
 * from standard input (several lines, as a runner may send them).
 * Exit 0 when a reading was printed (whatever it is: "unknown" is a
 * reading too), 2 for a usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "coach/reply_parse.h"
#include "commands.h"

static void parse_usage(FILE *out)
{
	fprintf(out,
		"usage: rehabctl parse [--json] TEXT...\n"
		"       rehabctl parse [--json] -     (the reply from standard input)\n"
		"  shows how rehabd reads a reply (a pain score 0-10, a command,\n"
		"  done/skip, a red-flag report, or not understood)\n");
}

/*
 * Joins argv[from..argc) with single spaces.  Returns a string the caller
 * frees, its length in *len, or NULL when out of memory.  Long text is
 * kept whole: the parser itself refuses what is too long.
 */
static char *join_args(int argc, char **argv, int from, size_t *len)
{
	size_t total = 1, n = 0;
	char *buf;

	for (int i = from; i < argc; i++)
		total += strlen(argv[i]) + 1;
	buf = malloc(total);
	if (!buf)
		return NULL;
	for (int i = from; i < argc; i++) {
		size_t l = strlen(argv[i]);
		if (i > from)
			buf[n++] = ' ';
		memcpy(buf + n, argv[i], l);
		n += l;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Largest reply read from standard input; the parser itself refuses
 * anything over COACH_REPLY_MAX, so this only bounds memory. */
#define PARSE_STDIN_MAX ((size_t)1 << 20)

/*
 * Reads all of standard input (at most PARSE_STDIN_MAX + 1 bytes, so
 * the parser sees that it is too long).  Returns a string the caller
 * frees and its length in *len, or NULL on a read error or no memory.
 */
static char *read_stdin(size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);

	while (buf) {
		if (n == cap) {
			char *bigger = cap > PARSE_STDIN_MAX ? NULL : realloc(buf, cap * 2);
			if (!bigger)
				break; /* long enough to be refused */
			buf = bigger;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n, stdin);
		n += got;
		if (got == 0) {
			if (ferror(stdin)) {
				free(buf);
				return NULL;
			}
			break;
		}
	}
	*len = n;
	return buf;
}

/* A score x10 as JSON: an integer when whole, 2.5 for a half. */
static json_t *score_json(int score10)
{
	if (score10 % 10 == 0)
		return json_integer(score10 / 10);
	return json_real(score10 / 10.0);
}

/*
 * Builds the JSON object for a reading; the caller owns the reference.
 * Returns NULL when jansson runs out of memory.
 */
static json_t *reply_json(const struct coach_reply *rep)
{
	json_t *o = json_object();
	json_t *args = NULL;

	if (!o)
		return NULL;
	if (json_object_set_new(o, "kind", json_string(coach_reply_kind_name(rep->kind))))
		goto fail;
	if (rep->has_score &&
	    json_object_set_new(o, "score", score_json(rep->score10)))
		goto fail;
	/* A range ("3-4"): its two ends; "score" is the upper one, saved. */
	if (rep->has_score && rep->range &&
	    json_object_set_new(o, "range", json_pack("[oo]",
						      score_json(rep->range_low10),
						      score_json(rep->score10))))
		goto fail;
	if (json_object_set_new(o, "red_flag", json_boolean(rep->red_flag)))
		goto fail;
	if (rep->kind == COACH_REPLY_COMMAND) {
		if (json_object_set_new(o, "command",
					json_string(coach_command_name(rep->command))))
			goto fail;
		args = json_array();
		if (!args)
			goto fail;
		for (size_t i = 0; i < rep->n_args; i++)
			/* Arguments come from valid UTF-8 cut at character
			 * boundaries; json_string checks again. */
			if (json_array_append_new(args, json_string(rep->args[i])))
				goto fail;
		if (json_object_set_new(o, "args", args)) {
			args = NULL; /* set_new released it */
			goto fail;
		}
	}
	return o;
fail:
	json_decref(args);
	json_decref(o);
	return NULL;
}

/* A score x10 as text: "4", "2.5". */
static const char *score_text(int score10, char *buf, size_t len)
{
	snprintf(buf, len, "%d%s", score10 / 10, score10 % 10 ? ".5" : "");
	return buf;
}

/* Writes the one human line for a reading into buf. */
static void reply_line(const struct coach_reply *rep, char *buf, size_t len)
{
	size_t n = 0;
	char lo[16], hi[16];

	switch (rep->kind) {
	case COACH_REPLY_SCORE:
		score_text(rep->score10, hi, sizeof hi);
		if (rep->range)
			n = (size_t)snprintf(buf, len,
					     "score %s/10 (range %s\342\200\223%s, saved %s)", hi,
					     score_text(rep->range_low10, lo, sizeof lo), hi, hi);
		else
			n = (size_t)snprintf(buf, len, "score %s/10", hi);
		break;
	case COACH_REPLY_COMMAND:
		n = (size_t)snprintf(buf, len, "command %s",
				     coach_command_name(rep->command));
		for (size_t i = 0; i < rep->n_args && n < len; i++)
			n += (size_t)snprintf(buf + n, len - n, " %s", rep->args[i]);
		break;
	case COACH_REPLY_DONE:
		n = (size_t)snprintf(buf, len, "done");
		break;
	case COACH_REPLY_SKIPPED:
		n = (size_t)snprintf(buf, len, "skipped");
		break;
	case COACH_REPLY_UNKNOWN:
		n = (size_t)snprintf(buf, len, "%s", rep->red_flag ?
				     "red flag: pain at rest or at night (no score)" :
				     "not understood");
		return;
	}
	if (rep->red_flag && n < len)
		snprintf(buf + n, len - n, ", red flag: pain at rest or at night");
}

int rehabctl_parse_main(int argc, char **argv)
{
	char line[256];
	char *text;
	size_t len;
	struct coach_reply rep;
	int json = 0, first = 1;

	for (; first < argc; first++) {
		if (!strcmp(argv[first], "--json")) {
			json = 1;
		} else if (!strcmp(argv[first], "--help") || !strcmp(argv[first], "-h")) {
			parse_usage(stdout);
			return 0;
		} else if (!strcmp(argv[first], "--")) {
			first++;
			break;
		} else if (argv[first][0] == '-' && argv[first][1] == '-') {
			fprintf(stderr, "rehabctl parse: unknown option \"%s\"\n",
				argv[first]);
			parse_usage(stderr);
			return 2;
		} else {
			break; /* "-2" is text: the parser refuses it */
		}
	}
	if (first >= argc) {
		parse_usage(stderr);
		return 2;
	}
	if (first == argc - 1 && !strcmp(argv[first], "-"))
		text = read_stdin(&len);
	else
		text = join_args(argc, argv, first, &len);
	if (!text) {
		fprintf(stderr, "rehabctl parse: cannot read the reply (%s)\n",
			first == argc - 1 && !strcmp(argv[first], "-") ?
			"standard input" : "out of memory");
		return 2;
	}
	coach_reply_parse(text, len, &rep);
	free(text);

	if (json) {
		json_t *o = reply_json(&rep);
		if (!o) {
			fprintf(stderr, "rehabctl parse: out of memory\n");
			return 2;
		}
		char *s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(3));
		json_decref(o);
		if (!s) {
			fprintf(stderr, "rehabctl parse: out of memory\n");
			return 2;
		}
		puts(s);
		free(s);
	} else {
		reply_line(&rep, line, sizeof line);
		puts(line);
	}
	return 0;
}
