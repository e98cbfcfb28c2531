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
	/* was UNK: asking for help with a polite word is asking for help */
	{ "help me", CMD, false, 0, false, COACH_CMD_HELP, NULL },

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

	/* audit: the brief's list and phone variants */
	{ "pain 3 after 5 km", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "3x10 done", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "did 2 sets of 15", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "run 30 min pain 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "2 maybe 3", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "2 or 3", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "3 - 4", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "3\xe2\x80\x93" "4", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "about 3, 4 on stairs", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "0.5", SCORE, true, 5, false, COACH_CMD_NONE, NULL },
	{ ".5", SCORE, true, 5, false, COACH_CMD_NONE, NULL },
	{ "0,5", SCORE, true, 5, false, COACH_CMD_NONE, NULL },
	{ "3.25", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "1e1", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "03", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "3/10 yesterday 2/10 today", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "yesterday 4, today 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "2 today, yesterday was 4", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "4 yesterday", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "pain 3 since yesterday", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "3 (was 5 yesterday)", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "10/10 would recommend", SCORE, true, 100, false, COACH_CMD_NONE, NULL },
	{ "5 km", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "7:30am", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "7.30am", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "at 7", SCORE, true, 70, false, COACH_CMD_NONE, NULL },
	{ "2 h", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "two", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "TWO", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "Zero!", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "nope, no pain", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "none at all", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "pain free", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "Pain free!", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "painfree", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "hurts when resting", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "woke up with pain at night", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "not at night anymore", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "it hurts less, not at night anymore", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "no longer hurts at night", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "no longer hurts at night, 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "done, pain 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "skipped, pain too high (6)", SCORE, true, 60, false, COACH_CMD_NONE, NULL },
	{ "/pause 3 days", CMD, false, 0, false, COACH_CMD_PAUSE, "3" },
	{ "/pause@BotName 5", CMD, false, 0, false, COACH_CMD_PAUSE, "5" },
	{ "/PLAN", CMD, false, 0, false, COACH_CMD_PLAN, NULL },
	{ "status?", CMD, false, 0, false, COACH_CMD_STATUS, NULL },
	{ "snooze", CMD, false, 0, false, COACH_CMD_SNOOZE, NULL },
	{ "later", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "not now", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "\xef\xbc\x93", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "\xef\xbc\x93/\xef\xbc\x91\xef\xbc\x90", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "\xd9\xa3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "\xdb\xb4", SCORE, true, 40, false, COACH_CMD_NONE, NULL },
	{ "3\xc2\xa0/\xc2\xa0" "10", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "pain\xc2\xa0" "4", SCORE, true, 40, false, COACH_CMD_NONE, NULL },
	{ "\xe2\x80\x8b" "3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "3\xe2\x80\x8b", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "1\xe2\x80\x8b" "0", SCORE, true, 100, false, COACH_CMD_NONE, NULL },
	{ "\xef\xbb\xbf" "2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "2\r\n", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "pain\t3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "3\r\n-- \r\nAnna", SCORE, true, 30, false, COACH_CMD_NONE, NULL },

	/* audit: quoted previous messages */
	{ "> How is the hip this morning?\n2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "2\n\n> How is the hip this morning? Reply 0-10", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "> How is the hip this morning? (0-10)\n> Today: 3x20 clamshell\n\n3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "3\n\nAm 02.03.2026 um 07:30 schrieb rehabd <coach@example.org>:\n> How is the hip?", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "3\n\nLe lun. 2 mars 2026 \xc3\xa0 07:30, rehabd a \xc3\xa9" "crit :\n> Comment va la hanche ?", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "2\n\n-----Original Message-----\nFrom: rehabd\nSent: 2 March 2026 07:30\nHow is the hip? 0-10", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "3\n\nOn Mon, 2 Mar 2026 at 07:30,\nrehabd <coach@example.org> wrote:\n> 0-10?", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "> <@rehabd:example.org> How is the hip this morning? Reply 0-10\n\n4", SCORE, true, 40, false, COACH_CMD_NONE, NULL },

	/* audit: signatures */
	{ "3\nAnna", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "3\nThanks, Anna", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "3\nBest,\nAnna \xf0\x9f\x98\x8a", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "3\nAnna M\xc3\xbcller\nPhone: +49 170 1234567", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "3\n\nSent from Yahoo Mail on Android", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "3\n\nGet Outlook for iOS", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "2\n--\nAnna\nMarathon PB 2:59", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "2\nAnna\nRunning club since 2015", SCORE, true, 20, false, COACH_CMD_NONE, NULL },

	/* audit: scores with words around */
	{ "It's a 2 today", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "I'm at a 3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "hip is 4/10 this morning", SCORE, true, 40, false, COACH_CMD_NONE, NULL },
	{ "pretty good, 1", SCORE, true, 10, false, COACH_CMD_NONE, NULL },
	{ "1 \xf0\x9f\x91\x8d", SCORE, true, 10, false, COACH_CMD_NONE, NULL },
	{ "2/10 \xf0\x9f\x98\x8a thanks coach!", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "Morning! 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "good morning, 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "3 out of ten", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "three/10", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "around 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "approx. 3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "maybe 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "2?", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "2.", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "a 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "solid 3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "like a 4", SCORE, true, 40, false, COACH_CMD_NONE, NULL },
	{ "4 outta 10", SCORE, true, 40, false, COACH_CMD_NONE, NULL },
	{ "2/10.", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "2 / 10 today", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "pain=3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "pain: 3/10", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "Pain level 3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "pain score 3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "score: 3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "3 pain", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "3, yes 3/10", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "2 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "2\n2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "Two (2)", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "2 (two)", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "0/10", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "0 pain", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "zero pain", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "No pain whatsoever", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "no pain today", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "no pain :)", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "none today", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "nothing", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "no", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "fine", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "good", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "2.0", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "2,0", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "5.5", SCORE, true, 55, false, COACH_CMD_NONE, NULL },
	{ "9.5", SCORE, true, 95, false, COACH_CMD_NONE, NULL },
	{ "10.0", SCORE, true, 100, false, COACH_CMD_NONE, NULL },
	{ "1/2", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "2 \xc2\xbd", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "3 and a half", SCORE, true, 35, false, COACH_CMD_NONE, NULL },
	{ "10 out of 10", SCORE, true, 100, false, COACH_CMD_NONE, NULL },
	{ "12", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "15/10", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "100", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "-1", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "- 1", SCORE, true, 10, false, COACH_CMD_NONE, NULL },
	{ "3!!!", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "3???", SCORE, true, 30, false, COACH_CMD_NONE, NULL },

	/* audit: distances, durations, sets, times, dates */
	{ "ran 10k, pain 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "5 km easy, 1", SCORE, true, 10, false, COACH_CMD_NONE, NULL },
	{ "30 min bike, pain 1", SCORE, true, 10, false, COACH_CMD_NONE, NULL },
	{ "walked 45 minutes, 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "20 min, no pain", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "2 hours", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "slept 8 hours, pain 1", SCORE, true, 10, false, COACH_CMD_NONE, NULL },
	{ "3 sets of 20, pain 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "3x20 each side, 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "did 15 each side, pain 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "did 2 sets of 15, pain 1", SCORE, true, 10, false, COACH_CMD_NONE, NULL },
	{ "2nd set hurt a bit, 3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "3rd day in a row, 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "3rd day", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "day 3", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "week 2, pain 1", SCORE, true, 10, false, COACH_CMD_NONE, NULL },
	{ "50% better, 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "50 percent better", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "2 at 7:30", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "7:30, 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "2 at 7pm", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "at 6am it was 3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "on 3/3 it was 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "3 March: 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "2 on the 3rd", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "3 of the 4 stretches, pain 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "1 min plank, pain 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "ran 5, pain 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "3 laps, 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "2/3 sets done", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "5 reps", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "2 sets", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "pain 2, 15 reps", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "pain 2 after 15", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "24/7", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "2x a day", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "2 x 30 s", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "twice, pain 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },

	/* audit: done / skip */
	{ "done \xe2\x9c\x85", DONE, false, 0, false, COACH_CMD_NONE, NULL },
	{ "Done.", DONE, false, 0, false, COACH_CMD_NONE, NULL },
	{ "DONE", DONE, false, 0, false, COACH_CMD_NONE, NULL },
	{ "all done!", DONE, false, 0, false, COACH_CMD_NONE, NULL },
	{ "done!!", DONE, false, 0, false, COACH_CMD_NONE, NULL },
	{ "completed", DONE, false, 0, false, COACH_CMD_NONE, NULL },
	{ "finished them", DONE, false, 0, false, COACH_CMD_NONE, NULL },
	{ "/done@RehabBot", DONE, false, 0, false, COACH_CMD_NONE, NULL },
	{ "/done 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "done 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "done - 3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "stretches done", DONE, false, 0, false, COACH_CMD_NONE, NULL },
	{ "skipped today", SKIP, false, 0, false, COACH_CMD_NONE, NULL },
	{ "skip today", SKIP, false, 0, false, COACH_CMD_NONE, NULL },
	{ "\xe2\x9d\x8c", SKIP, false, 0, false, COACH_CMD_NONE, NULL },
	{ "didn't do it", SKIP, false, 0, false, COACH_CMD_NONE, NULL },
	{ "couldn't do it", SKIP, false, 0, false, COACH_CMD_NONE, NULL },
	{ "not done", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "haven't done it yet", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "I'll do it later", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "skipped, pain 3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "/skip@RehabBot", SKIP, false, 0, false, COACH_CMD_NONE, NULL },
	{ "done, skipped running", UNK, false, 0, false, COACH_CMD_NONE, NULL },

	/* audit: red flags */
	{ "aches at night", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "sore at night, 4", SCORE, true, 40, true, COACH_CMD_NONE, NULL },
	{ "pain wakes me up", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "keeps waking me up", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "woke me at 3am", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "it's throbbing in bed", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "hurts even sitting on the sofa", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "night pain 5", SCORE, true, 50, true, COACH_CMD_NONE, NULL },
	{ "I have pain at rest", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "Resting pain 4", SCORE, true, 40, true, COACH_CMD_NONE, NULL },
	{ "can't sleep because of my hip", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "hurts when I lie down", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "pain at rest, 3", SCORE, true, 30, true, COACH_CMD_NONE, NULL },
	{ "PAIN AT NIGHT", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "pain at rest: no", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "Pain at rest? No.", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "pain at rest - none", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "pain at night: nope, 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "at rest: 0, running: 3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "zero pain at night", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "no night pain, 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "no rest pain", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "not in pain at night", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "I don't have pain at rest", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "never at night", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "not hurting at night anymore, 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "no pain at rest, 2 when running", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "pain at rest no, running 3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "hurts at rest", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "it hurts at rest, 6", SCORE, true, 60, true, COACH_CMD_NONE, NULL },
	{ "No pain at night \xf0\x9f\x91\x8d", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "used to hurt at night", UNK, false, 0, false, COACH_CMD_NONE, NULL },

	/* audit: commands */
	{ "/pause@BotName", CMD, false, 0, false, COACH_CMD_PAUSE, NULL },
	{ "/Pause 3", CMD, false, 0, false, COACH_CMD_PAUSE, "3" },
	{ "/pause 3d", CMD, false, 0, false, COACH_CMD_PAUSE, "3" },
	{ "/pause for a week", CMD, false, 0, false, COACH_CMD_PAUSE, "7" },
	{ "pause 1 week", CMD, false, 0, false, COACH_CMD_PAUSE, "7" },
	{ "pause please", CMD, false, 0, false, COACH_CMD_PAUSE, NULL },
	{ "Plan?", CMD, false, 0, false, COACH_CMD_PLAN, NULL },
	{ "plan please", CMD, false, 0, false, COACH_CMD_PLAN, NULL },
	{ "/plan tomorrow", CMD, false, 0, false, COACH_CMD_PLAN, "tomorrow" },
	{ "/status@rehab_bot", CMD, false, 0, false, COACH_CMD_STATUS, NULL },
	{ "STATUS", CMD, false, 0, false, COACH_CMD_STATUS, NULL },
	{ "/help@bot", CMD, false, 0, false, COACH_CMD_HELP, NULL },
	{ "help!", CMD, false, 0, false, COACH_CMD_HELP, NULL },
	{ "help please", CMD, false, 0, false, COACH_CMD_HELP, NULL },
	{ "resume please", CMD, false, 0, false, COACH_CMD_RESUME, NULL },
	{ "/start@RehabBot", CMD, false, 0, false, COACH_CMD_START, NULL },
	{ "start", CMD, false, 0, false, COACH_CMD_START, NULL },
	{ "/snooze 1h", CMD, false, 0, false, COACH_CMD_SNOOZE, "60" },
	{ "/snooze 2 hours", CMD, false, 0, false, COACH_CMD_SNOOZE, "120" },
	{ "snooze 10", CMD, false, 0, false, COACH_CMD_SNOOZE, "10" },
	{ "/stop", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "stop", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "/pause -3", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "/pause 2.5", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "/pause 3 days please", CMD, false, 0, false, COACH_CMD_PAUSE, "3" },
	{ "plan was too hard, 4", SCORE, true, 40, false, COACH_CMD_NONE, NULL },
	{ "status update: 3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "help, it hurts at night", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "\xf0\x9f\x91\x8d", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "ok", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "thanks!", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "?", UNK, false, 0, false, COACH_CMD_NONE, NULL },

	/* audit: day labels, zeros at rest, answers to red-flag
	 * questions, activities at night, polite commands */
	{ "yesterday was 4", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "Yesterday I ran 5k. Today 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "yesterday's session: 3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "2 since yesterday", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "better than yesterday: 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "better than yesterday, 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "same as yesterday, 3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "pain 2 today, 3 yesterday", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "today 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "now 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "last night 5, now 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "yesterday 5 but today 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "yesterday morning 4, this morning 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "2 this morning, 4 last night", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "yesterday: 4\ntoday: 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "4 yesterday 2 today", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "yesterday 4 today 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "2 today", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "3 today, same yesterday", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "0 at rest, 3 running", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "at rest 0", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "0 at rest", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "pain at rest 0", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "pain 12", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "12/10", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "15 out of 10", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "eleven out of ten", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "it's 11", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "11!!", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "Pain: 15", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "3 out of 100", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "-20", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "+2", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "+49 170", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "please help", CMD, false, 0, false, COACH_CMD_HELP, NULL },
	{ "thanks", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "please", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "Help me please", CMD, false, 0, false, COACH_CMD_HELP, NULL },
	{ "plan now", CMD, false, 0, false, COACH_CMD_PLAN, NULL },
	{ "pause now", CMD, false, 0, false, COACH_CMD_PAUSE, NULL },
	{ "help me with the clamshell", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "pause until Monday", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "pause a week", CMD, false, 0, false, COACH_CMD_PAUSE, "7" },
	{ "snooze an hour", CMD, false, 0, false, COACH_CMD_SNOOZE, "60" },
	{ "snooze a bit", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "pause a", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "On Mon, 2 Mar 2026, rehabd wrote:\n> How is the hip this morning?\n\n3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "On Mon, 2 Mar 2026, rehabd wrote:\nHow is the hip? 0-10", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "3\n\nOn Mon, 2 Mar 2026, rehabd wrote:\nHow is the hip? 0-10", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "no longer wakes me up", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "I wake up in pain every night", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "hurts every night", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "rest pain? none", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "pain at rest: not really", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "pain at rest: not really, 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "hurt at night a bit, 3", SCORE, true, 30, true, COACH_CMD_NONE, NULL },
	{ "feels OK at rest, 2 when running", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "constant pain", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "hurts all the time", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "it hurts constantly, 6", SCORE, true, 60, true, COACH_CMD_NONE, NULL },
	{ "doesn't hurt all the time", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "I ran at night, pain 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "ran at night pain 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "pain running at night 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "rest day, 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "rested, no pain", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "2/10 and 2/10", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "1.5", SCORE, true, 15, false, COACH_CMD_NONE, NULL },
	{ "one and a half", SCORE, true, 15, false, COACH_CMD_NONE, NULL },
	{ "0.0", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "5/5", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "2 /10", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "2/ 10", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "between 2 and 3", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "Score 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "10!", SCORE, true, 100, false, COACH_CMD_NONE, NULL },
	{ "#3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "3 \xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "100% no pain", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "feeling 100%", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "I'd give it a 3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "at 6:30 it was 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "2 @ 7am", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "woke at 6, pain 1", SCORE, true, 10, false, COACH_CMD_NONE, NULL },
	{ "got up at 6, 1", SCORE, true, 10, false, COACH_CMD_NONE, NULL },
	{ "7 o'clock", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "in 2 days", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "March 2nd, pain 3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "done \xe2\x9c\x85 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "done and no pain", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "skipped (travel)", SKIP, false, 0, false, COACH_CMD_NONE, NULL },
	{ "did the stretches", DONE, false, 0, false, COACH_CMD_NONE, NULL },
	{ "did my exercises", DONE, false, 0, false, COACH_CMD_NONE, NULL },
	{ "did everything", DONE, false, 0, false, COACH_CMD_NONE, NULL },
	{ "\xe2\x9c\x94\xef\xb8\x8f", DONE, false, 0, false, COACH_CMD_NONE, NULL },
	{ "didn't skip", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "2 after the 10k", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "2 after 10k", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "10k done, pain 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "1 hr bike, 0", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "my hip is at 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "2 at most", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "at least 3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "under 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "2 (maybe 2.5)", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "2.5, maybe 3", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "3, maybe", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "3 I think", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "not 3, more like 2", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "\xd9\xa2\xd9\xab\xd9\xa5", SCORE, true, 25, false, COACH_CMD_NONE, NULL },
	{ "\xef\xbc\x92\xef\xbc\x8e\xef\xbc\x95", SCORE, true, 25, false, COACH_CMD_NONE, NULL },
	{ "pain\xe2\x80\x8b 3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "3\xe2\x80\xa8-- \xe2\x80\xa8" "Anna", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "\xc2\xa0\xc2\xa0" "3\xc2\xa0", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "/pause\xc2\xa0" "3", CMD, false, 0, false, COACH_CMD_PAUSE, "3" },
	{ "\xef\xbc\x8fplan", CMD, false, 0, false, COACH_CMD_PLAN, NULL },
	{ "/pause +3", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "/snooze -10", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "/pause 3 weeks", CMD, false, 0, false, COACH_CMD_PAUSE, "21" },
	{ "/pause 100 weeks", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "/snooze 25 h", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "/done \xe2\x9c\x85", DONE, false, 0, false, COACH_CMD_NONE, NULL },
	{ "/done, skipped the run", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "/skip 2", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "/done it hurts at night", DONE, false, 0, true, COACH_CMD_NONE, NULL },
	{ "/skip@bot pain 6", SCORE, true, 60, false, COACH_CMD_NONE, NULL },
	{ "/done@rehab2bot", DONE, false, 0, false, COACH_CMD_NONE, NULL },
	{ "/done@rehab2bot 3", SCORE, true, 30, false, COACH_CMD_NONE, NULL },
	{ "pain at night? no idea", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "It hurts at night. Not sure why.", UNK, false, 0, true, COACH_CMD_NONE, NULL },
	{ "zero pain at rest", SCORE, true, 0, false, COACH_CMD_NONE, NULL },
	{ "0 pain at night, 2 running", SCORE, true, 20, false, COACH_CMD_NONE, NULL },
	{ "used to wake me up, now fine, 1", SCORE, true, 10, false, COACH_CMD_NONE, NULL },
	{ "no more night pain", UNK, false, 0, false, COACH_CMD_NONE, NULL },
	{ "no more pain at night, 1", SCORE, true, 10, false, COACH_CMD_NONE, NULL },
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
/* A score that also says done or skipped keeps that for adherence.
 * Columns: text, kind, score x10, also. */
static const struct {
	const char *text;
	enum coach_reply_kind kind;
	int score10;
	enum coach_reply_kind also;
} also_rows[] = {
	{ "done, pain 2", COACH_REPLY_SCORE, 20, COACH_REPLY_DONE },
	{ "/done 3", COACH_REPLY_SCORE, 30, COACH_REPLY_DONE },
	{ "all done ✅ 1/10", COACH_REPLY_SCORE, 10, COACH_REPLY_DONE },
	{ "skipped, pain too high (6)", COACH_REPLY_SCORE, 60, COACH_REPLY_SKIPPED },
	{ "3", COACH_REPLY_SCORE, 30, COACH_REPLY_UNKNOWN },
	{ "not done yet, pain 4", COACH_REPLY_SCORE, 40, COACH_REPLY_UNKNOWN },
	{ "stretches done, strength skipped, 2", COACH_REPLY_SCORE, 20, COACH_REPLY_UNKNOWN },
	{ "done", COACH_REPLY_DONE, 0, COACH_REPLY_UNKNOWN },
	{ "20 reps done", COACH_REPLY_UNKNOWN, 0, COACH_REPLY_UNKNOWN },
};

static void test_also(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof also_rows / sizeof also_rows[0]; i++) {
		struct coach_reply r;
		coach_reply_parse(also_rows[i].text, strlen(also_rows[i].text), &r);
		if (r.kind != also_rows[i].kind || r.score10 != also_rows[i].score10 ||
		    r.also != also_rows[i].also)
			fail_msg("\"%s\": kind %d score10 %d also %d, want %d %d %d",
				 also_rows[i].text, r.kind, r.score10, r.also,
				 also_rows[i].kind, also_rows[i].score10,
				 also_rows[i].also);
	}
}

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
		cmocka_unit_test(test_also),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
