/*
 * libFuzzer target for the reply parser: arbitrary bytes as a runner's
 * reply.  Besides crashes and undefined behaviour (ASan+UBSan), it aborts
 * when a reading breaks the contract of reply_parse.h: a score outside
 * 0..10 or not a whole or half number, a kind that disagrees with the
 * other fields, arguments that are not NUL-terminated strings, or a
 * different reading of the same text on a second parse.  The reading
 * then goes through the acknowledgement texts, which must stay within
 * COACH_MESSAGE_MAX.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "coach/message.h"
#include "coach/reply_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts with the reason visible in the debugger / crash log. */
static void check(int ok)
{
	if (!ok)
		abort();
}

static void check_reply(const struct coach_reply *r, enum coach_reply_kind k)
{
	check(k == r->kind);
	check(r->kind >= COACH_REPLY_UNKNOWN && r->kind <= COACH_REPLY_SKIPPED);
	check(r->has_score == (r->kind == COACH_REPLY_SCORE));
	if (r->has_score)
		check(r->score10 >= 0 && r->score10 <= 100 && r->score10 % 5 == 0);
	/* A range is a score with a lower end below it, at most two
	 * points apart; no range, no lower end. */
	if (r->range)
		check(r->has_score && r->range_low10 >= 0 && r->range_low10 % 5 == 0 &&
		      r->range_low10 < r->score10 && r->score10 - r->range_low10 <= 20);
	else
		check(r->range_low10 == 0);
	check((r->command != COACH_CMD_NONE) == (r->kind == COACH_REPLY_COMMAND));
	check(r->command >= COACH_CMD_NONE && r->command <= COACH_CMD_HOW);
	check(r->n_args <= COACH_REPLY_MAX_ARGS);
	if (r->kind != COACH_REPLY_COMMAND)
		check(r->n_args == 0);
	else
		check(!r->red_flag);
	for (size_t i = 0; i < r->n_args; i++)
		check(memchr(r->args[i], '\0', COACH_REPLY_ARG_MAX) != NULL);
	check(coach_reply_kind_name(r->kind) != NULL);
	check(coach_command_name(r->command) != NULL);
}

/* Acknowledgements of the reading, in both formats. */
static void check_messages(const struct coach_reply *r)
{
	static struct coach_program prog;
	static struct coach_plan today, tomorrow;
	static char buf[COACH_MESSAGE_MAX * 3];

	if (!prog.n_stretches) {
		prog.rules.stop_min = 8;
		prog.rules.red_min = 5;
		prog.n_stretches = 1;
		strcpy(prog.stretches[0].name, "Hip flexor stretch");
		tomorrow.day = 20001;
		tomorrow.stretch_sessions = 2;
		tomorrow.program_day = 3;
		tomorrow.stage = 1;
		tomorrow.day_in_stage = 3;
		tomorrow.flag_since = COACH_NO_DAY;
		today = tomorrow;
		today.day = 20000;
		today.program_day = 2;
		today.rest_of_day = true;
	}
	for (int fmt = COACH_TEXT_PLAIN; fmt <= COACH_TEXT_HTML; fmt++) {
		int n;
		if (r->kind == COACH_REPLY_SCORE || r->red_flag) {
			struct coach_ack ack = {
				.reply = r, .morning = 1, .for_day = 20000,
				.today = 20000, .before = &today,
				.after = &today, .tomorrow = &tomorrow,
				.session_sent = true,
			};
			n = coach_message_ack_score(&prog, &ack,
						    (enum coach_format)fmt, buf, sizeof buf);
			check(n > 0 && (size_t)n == strlen(buf));
			if (fmt == COACH_TEXT_PLAIN)
				check(n <= COACH_MESSAGE_MAX);
		}
		if (r->kind == COACH_REPLY_DONE || r->kind == COACH_REPLY_SKIPPED) {
			n = coach_message_ack_adherence(r, r->kind == COACH_REPLY_DONE,
							(enum coach_format)fmt,
							buf, sizeof buf);
			check(n > 0 && (size_t)n == strlen(buf));
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct coach_reply a, b;
	enum coach_reply_kind k;

	/* An exact-size heap copy, so that ASan sees any read past the end
	 * (the parser must not need a NUL). */
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);

	k = coach_reply_parse(text, size, &a);
	check_reply(&a, k);
	if (size > COACH_REPLY_MAX)
		check(k == COACH_REPLY_UNKNOWN && !a.red_flag);

	/* Same text, same reading (no state kept between calls). */
	memset(&b, 0xA5, sizeof b);
	k = coach_reply_parse(text, size, &b);
	check(k == a.kind && b.has_score == a.has_score &&
	      b.score10 == a.score10 && b.red_flag == a.red_flag &&
	      b.range == a.range && b.range_low10 == a.range_low10 &&
	      b.command == a.command && b.n_args == a.n_args);
	for (size_t i = 0; i < a.n_args; i++)
		check(!strcmp(a.args[i], b.args[i]));

	check_messages(&a);
	free(text);
	return 0;
}
