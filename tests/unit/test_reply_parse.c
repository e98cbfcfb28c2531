/*
 * The reply parser against what runners actually type.  One row per
 * reply; every example of issue 3 is among them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "coach/reply_parse.h"

#define SCORE COACH_REPLY_SCORE
#define CMD COACH_REPLY_COMMAND
#define DONE COACH_REPLY_DONE
#define SKIP COACH_REPLY_SKIPPED
#define UNK COACH_REPLY_UNKNOWN

/* Columns: text, expected kind, has_score, score10, red_flag, command,
 * first argument (NULL: no argument). */
struct row {
	const char *text;
	enum coach_reply_kind kind;
	bool has_score;
	int score10;
	bool red_flag;
	enum coach_command cmd;
	const char *arg0;
};

static const struct row rows[] = {
	/* plain scores */
	{ "3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "0", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "10", SCORE, true, 100, false, COACH_CMD_NONE, NULL },
	{ "3/10", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "3 / 10", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "10/10", SCORE, true, 100, false, COACH_CMD_NONE, NULL },
	{ "pain 4", SCORE, true, 40, false, COACH_CMD_NONE, NULL },
	{ "Pain: 4", SCORE, true, 40, false, COACH_CMD_NONE, NULL },
	{ "4 out of 10", SCORE, true, 40, false, COACH_CMD_NONE, NULL },
	{ "four out of ten", SCORE, true, 40, false, COACH_CMD_NONE, NULL },
	{ "4 of 10", SCORE, true, 40, false, COACH_CMD_NONE, NULL },
	{ "about 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "2.5", SCORE, true, 25, false, COACH_CMD_NONE, NULL },
	{ "2,5", SCORE, true, 25, false, COACH_CMD_NONE, NULL },
	{ "2.50", SCORE, true, 25, false, COACH_CMD_NONE, NULL },
	{ "6.0", SCORE, true, 60, false, COACH_CMD_NONE, NULL },
	{ "2.5/10", SCORE, true, 25, false, COACH_CMD_NONE, NULL },
	{ "2\xc2\xbd", SCORE, true, 25, false, COACH_CMD_NONE, NULL },
	{ "two and a half", SCORE, true, 25, false, COACH_CMD_NONE, NULL },
	{ "zero", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "none", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "no pain", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "No pain at all!", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "pain-free today", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "seven", SCORE, true, 70, false, COACH_CMD_NONE, NULL },
	{ "ten", SCORE, true, 100, false, COACH_CMD_NONE, NULL },
	{ "TEN", SCORE, true, 100, false, COACH_CMD_NONE, NULL },
	{ "6!!", SCORE, true, 60, false, COACH_CMD_NONE, NULL },
	{ "\xf0\x9f\x98\xa3 6", SCORE, true, 60, false, COACH_CMD_NONE, NULL },
	{ "6\xf0\x9f\x98\xa3", SCORE, true, 60, false, COACH_CMD_NONE, NULL },
	{ "3\xef\xb8\x8f\xe2\x83\xa3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "6 today", SCORE, true, 60, false, COACH_CMD_NONE, NULL },
	{ "3\n", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "  3  \r\n", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "3\n\nSent from my iPhone", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "4\n-- \nAnna", SCORE, true, 40, false, COACH_CMD_NONE, NULL },
	{ "4\n-- Anna, 10k club", SCORE, true, 40, false, COACH_CMD_NONE, NULL },
	{ "4\n\xe2\x80\x94" "Anna", SCORE, true, 40, false, COACH_CMD_NONE, NULL },
	{ "2\n\nOn Mon, 2 Mar 2026 at 07:30, rehabd <coach@example.org> wrote:\n> How is the hip this morning? Reply 0\xe2\x80\x93" "10.",
	  SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "3\n> Reply 0-10", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "PAIN 4", SCORE, true, 40, false, COACH_CMD_NONE, NULL },
	{ "   pain     4   ", SCORE, true, 40, false, COACH_CMD_NONE, NULL },
	{ "my hip is a 3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "I'd say 3 today", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "~3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "6ish", SCORE, true, 60, false, COACH_CMD_NONE, NULL },
	{ "3 3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "3/10, yes 3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "3/10 (3 out of 10)", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "pain - 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "Day 3: 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "day 12, pain 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "ran 5 km, pain 3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "3x20 done, pain 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "did 3 sets, no pain", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "done, 3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "skipped, pain 5", SCORE, true, 50, false, COACH_CMD_NONE, NULL },
	{ "pain 2 at 7am", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "3 weeks in and pain is 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "session 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "no pain at rest, 3 when running", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "Schmerz \xc3\xbc" "ber 3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },

	/* refused: not a score, or no way to tell which */
	{ "11", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "eleven", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "11/10", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "10.5", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "-2", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "pain -2", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "\xe2\x88\x92" "2", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "+1", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "20 reps done", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "7:30", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "10/5", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "3/4", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "5k", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "3x20", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "3 x 20", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "3\xc3\x97" "20", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "3 sets", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "2 km", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "30 s", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "10 min", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "ran 5 miles", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "ran 5", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "80%", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "3rd", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "3 March", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "2026-03-02", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "2/3/2026", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "2.3.2026", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "6 pm", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "2.3", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "3,4", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "7.30", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "2.555", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "\xc2\xbe", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "3 or 4", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "3 then 5", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "3-4", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "3/10 and 4 out of 10", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "no pain, 2", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "6today", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "   \n  ", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "\xf0\x9f\x98\xa3", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "\xff" "3", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "3\xc3", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "\xc0\xb3", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "\xed\xa0\x80 3", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "ok thanks", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "this one hurts", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "no pain at rest", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "not done yet", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "done the stretches, skipped the rest", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "ran 5k, done", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "/foo", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "/pause abc", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "/pause 0", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "/pause 1000", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "/pause3", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "help me", UNK, false, 0, false, COACH_CMD_NONE, NULL },

	/* commands */
	{ "/start", CMD, false, 0, false, COACH_CMD_START, NULL },
	{ "/start abc123", CMD, false, 0, false, COACH_CMD_START, "abc123" },
	{ "/help", CMD, false, 0, false, COACH_CMD_HELP, NULL },
	{ "/HELP", CMD, false, 0, false, COACH_CMD_HELP, NULL },
	{ "help", CMD, false, 0, false, COACH_CMD_HELP, NULL },
	{ "Help?", CMD, false, 0, false, COACH_CMD_HELP, NULL },
	{ "/plan", CMD, false, 0, false, COACH_CMD_PLAN, NULL },
	{ "plan", CMD, false, 0, false, COACH_CMD_PLAN, NULL },
	{ "/plan@rehab_coach_bot", CMD, false, 0, false, COACH_CMD_PLAN, NULL },
	{ "/status", CMD, false, 0, false, COACH_CMD_STATUS, NULL },
	{ "Status", CMD, false, 0, false, COACH_CMD_STATUS, NULL },
	{ "/pause", CMD, false, 0, false, COACH_CMD_PAUSE, NULL },
	{ "/pause 3", CMD, false, 0, false, COACH_CMD_PAUSE, "3" },
	{ "/pause@RehabBot 3", CMD, false, 0, false, COACH_CMD_PAUSE, "3" },
	{ "/pause 2 weeks", CMD, false, 0, false, COACH_CMD_PAUSE, "14" },
	{ "pause 3 days", CMD, false, 0, false, COACH_CMD_PAUSE, "3" },
	{ "Pause for three days", CMD, false, 0, false, COACH_CMD_PAUSE, "3" },
	{ "pause", CMD, false, 0, false, COACH_CMD_PAUSE, NULL },
	{ "/resume", CMD, false, 0, false, COACH_CMD_RESUME, NULL },
	{ "resume", CMD, false, 0, false, COACH_CMD_RESUME, NULL },
	{ "/snooze", CMD, false, 0, false, COACH_CMD_SNOOZE, NULL },
	{ "/snooze 30", CMD, false, 0, false, COACH_CMD_SNOOZE, "30" },
	{ "snooze 1 h", CMD, false, 0, false, COACH_CMD_SNOOZE, "60" },
	{ "/snooze 15min", CMD, false, 0, false, COACH_CMD_SNOOZE, "15" },
	{ "/status\n-- Anna", CMD, false, 0, false, COACH_CMD_STATUS, NULL },

	/* done and skipped */
	{ "done", DONE, false, 0, false, COACH_CMD_NONE, NULL },
	{ "Done!", DONE, false, 0, false, COACH_CMD_NONE, NULL },
	{ "did it", DONE, false, 0, false, COACH_CMD_NONE, NULL },
	{ "finished", DONE, false, 0, false, COACH_CMD_NONE, NULL },
	{ "\xe2\x9c\x85", DONE, false, 0, false, COACH_CMD_NONE, NULL },
	{ "all done \xf0\x9f\x91\x8d", DONE, false, 0, false, COACH_CMD_NONE, NULL },
	{ "/done", DONE, false, 0, false, COACH_CMD_NONE, NULL },
	{ "skip", SKIP, false, 0, false, COACH_CMD_NONE, NULL },
	{ "skipped", SKIP, false, 0, false, COACH_CMD_NONE, NULL },
	{ "missed it", SKIP, false, 0, false, COACH_CMD_NONE, NULL },
	{ "didn\xe2\x80\x99t do it today", SKIP, false, 0, false, COACH_CMD_NONE, NULL },
	{ "/skip", SKIP, false, 0, false, COACH_CMD_NONE, NULL },

	/* red flags, alone and with a score */
	{ "pain at rest", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "hurts at night", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "it hurts when resting", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "pain at night", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "the hip woke me up", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "even at rest", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "can't sleep", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "Can\xe2\x80\x99t sleep", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "cannot sleep because of the hip", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "At night it really aches", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "No it hurts at night", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "no pain at rest but it hurts at night", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "hurts at night, 7", SCORE, true, 70, true, COACH_CMD_NONE, NULL },
	{ "6, pain at rest too", SCORE, true, 60, true, COACH_CMD_NONE, NULL },
	{ "8/10 and it woke me up", SCORE, true, 80, true, COACH_CMD_NONE, NULL },
	{ "11, can't sleep", UNK, false, 0, true, COACH_CMD_NONE, NULL },

	{ "3 at rest", SCORE, true, 30, true, COACH_CMD_NONE, NULL },
	{ "at night 4", SCORE, true, 40, true, COACH_CMD_NONE, NULL },
	{ "sore in bed", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "done, but it hurts at night", DONE, false, 0, true, COACH_CMD_NONE, NULL },

	/* negated red flags, and a zero at rest */
	{ "pain at rest: 0", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "0 at night", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "I can sleep fine, 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "woke up at 3", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "At rest it doesn't hurt", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "no pain at rest or at night, 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "no pain at night", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "doesn't hurt at night", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "it never hurts at rest, 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "pain free at rest", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "hurts running but not at rest, 3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
};

/* Parses every row and compares all columns; on a mismatch, says which
 * row and what was read. */
static void test_table(void **state)
{
	(void)state;
	int failures = 0;

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct row *r = &rows[i];
		struct coach_reply rep;
		enum coach_reply_kind k = coach_reply_parse(r->text, strlen(r->text), &rep);
		const char *arg0 = rep.n_args ? rep.args[0] : NULL;
		bool ok = k == rep.kind && rep.kind == r->kind &&
			  rep.has_score == r->has_score &&
			  (!r->has_score || rep.score10 == r->score10) &&
			  rep.red_flag == r->red_flag && rep.command == r->cmd &&
			  ((!arg0 && !r->arg0) ||
			   (arg0 && r->arg0 && !strcmp(arg0, r->arg0)));
		if (!ok) {
			printf("row %zu \"%s\": got kind %s score %s%d red_flag %d command \"%s\" arg0 %s; want kind %s score %s%d red_flag %d command \"%s\" arg0 %s\n",
			       i, r->text, coach_reply_kind_name(rep.kind),
			       rep.has_score ? "" : "-", rep.score10, rep.red_flag,
			       coach_command_name(rep.command), arg0 ? arg0 : "(none)",
			       coach_reply_kind_name(r->kind), r->has_score ? "" : "-",
			       r->score10, r->red_flag, coach_command_name(r->cmd),
			       r->arg0 ? r->arg0 : "(none)");
			failures++;
		}
	}
	printf("%zu rows, %d failures\n", sizeof rows / sizeof rows[0], failures);
	assert_int_equal(failures, 0);
}

/* Text of exactly the limit is read; one byte more (a 10 KB paste is far
 * more) is refused, even when it starts with a valid score. */
static void test_length_limit(void **state)
{
	(void)state;
	static char buf[10 * 1024];
	struct coach_reply rep;

	memset(buf, ' ', sizeof buf);
	buf[0] = '3';
	assert_int_equal(coach_reply_parse(buf, COACH_REPLY_MAX, &rep), COACH_REPLY_SCORE);
	assert_int_equal(rep.score10, 30);
	assert_int_equal(coach_reply_parse(buf, COACH_REPLY_MAX + 1, &rep), COACH_REPLY_UNKNOWN);
	assert_false(rep.has_score);
	assert_int_equal(coach_reply_parse(buf, sizeof buf, &rep), COACH_REPLY_UNKNOWN);
	assert_int_equal(coach_reply_parse(NULL, 0, &rep), COACH_REPLY_UNKNOWN);
}

/* The length is what counts, not a NUL: text need not be terminated, and
 * an embedded NUL is refused. */
static void test_not_terminated(void **state)
{
	(void)state;
	struct coach_reply rep;
	const char text[] = { '4', '5' };
	const char nul[] = { '4', '\0', '5' };

	assert_int_equal(coach_reply_parse(text, 1, &rep), COACH_REPLY_SCORE);
	assert_int_equal(rep.score10, 40);
	assert_int_equal(coach_reply_parse(nul, sizeof nul, &rep), COACH_REPLY_UNKNOWN);
}

/* Arguments of a free-form command are the words after it, at most
 * COACH_REPLY_MAX_ARGS, each cut to fit. */
static void test_free_args(void **state)
{
	(void)state;
	struct coach_reply rep;
	const char *t = "/start a b c d e";
	const char *long_arg = "/start 0123456789012345678901234567890123456789";

	assert_int_equal(coach_reply_parse(t, strlen(t), &rep), COACH_REPLY_COMMAND);
	assert_int_equal(rep.n_args, COACH_REPLY_MAX_ARGS);
	assert_string_equal(rep.args[3], "d");
	assert_int_equal(coach_reply_parse(long_arg, strlen(long_arg), &rep),
			 COACH_REPLY_COMMAND);
	assert_int_equal(strlen(rep.args[0]), COACH_REPLY_ARG_MAX - 1);
}

/* Columns: kind or command, expected name. */
static void test_names(void **state)
{
	(void)state;
	static const struct {
		int kind;
		const char *name;
	} kinds[] = {
		{ COACH_REPLY_UNKNOWN, "unknown" }, { COACH_REPLY_SCORE, "score" },
		{ COACH_REPLY_COMMAND, "command" }, { COACH_REPLY_DONE, "done" },
		{ COACH_REPLY_SKIPPED, "skipped" },
	}, cmds[] = {
		{ COACH_CMD_NONE, "" }, { COACH_CMD_START, "start" },
		{ COACH_CMD_HELP, "help" }, { COACH_CMD_PLAN, "plan" },
		{ COACH_CMD_STATUS, "status" }, { COACH_CMD_PAUSE, "pause" },
		{ COACH_CMD_RESUME, "resume" }, { COACH_CMD_SNOOZE, "snooze" },
	};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		assert_string_equal(coach_reply_kind_name(kinds[i].kind), kinds[i].name);
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		assert_string_equal(coach_command_name(cmds[i].kind), cmds[i].name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_length_limit),
		cmocka_unit_test(test_not_terminated),
		cmocka_unit_test(test_free_args),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
