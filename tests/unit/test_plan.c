/*
 * The next-day plan rules (daemon/coach/plan.h) as tables of scenario
 * histories.  The program is the default iliopsoas program built by hand
 * from coach_program_defaults, so these tests do not depend on the
 * program file parser.
 *
 * A history is written one token per program day, from day 1:
 *   .       no reply            g   session score 1 (green)
 *   a       session 3 (amber)   r   session 6 (red)     x   session 8 (stop)
 *   F       red-flag report     D   "done" only         K   "skipped" only
 *   P       a paused day
 *   m<n>, s<n>  morning / session score n (halves: s4.5); combine freely
 *           in one token with F, D and K: "m1s2", "s2F"
 *   TOKEN*n repeats a token n times: "g*14"
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "coach/coach_date.h"
#include "coach/plan.h"
#include "coach/program.h"

#define MAX_DAYS 128

/* Strength exercises with the short names the tables use. */
static const struct {
	const char *abbrev, *name;
} exercise_names[] = {
	{ "IR", "Seated internal hip rotation (band)" },
	{ "ER", "Seated external hip rotation (band)" },
	{ "CS", "Clamshell (band)" },
	{ "MS", "Mini-squat with isometric wall press" },
};

static void add_exercise(struct coach_stage *st, int which)
{
	struct coach_exercise *e = &st->exercises[st->n_exercises++];
	snprintf(e->name, sizeof e->name, "%s", exercise_names[which].name);
	e->sets = 3;
	e->reps = 20;
	snprintf(e->howto, sizeof e->howto, "%s", "Slowly, both sides.");
}

/* The default iliopsoas program of design.md (seed 000). */
static void iliopsoas(struct coach_program *p)
{
	static const char *const stretches[] = {
		"Hip flexor stretch", "Quadriceps stretch",
		"Hamstring stretch", "Piriformis stretch",
	};
	char err[256];

	coach_program_defaults(p);
	snprintf(p->name, sizeof p->name, "iliopsoas");
	snprintf(p->title, sizeof p->title, "Hip flexor rehab");
	for (size_t i = 0; i < 4; i++) {
		struct coach_stretch *s = &p->stretches[p->n_stretches++];
		snprintf(s->name, sizeof s->name, "%s", stretches[i]);
		s->sets = 2;
		s->seconds = 30;
		snprintf(s->howto, sizeof s->howto, "Hold, breathe.");
	}
	p->n_stages = 3;
	snprintf(p->stages[0].title, COACH_NAME_MAX, "Stage 1: hip rotation");
	p->stages[0].days = 14;
	add_exercise(&p->stages[0], 0);
	add_exercise(&p->stages[0], 1);
	snprintf(p->stages[1].title, COACH_NAME_MAX, "Stage 2: add clamshells");
	p->stages[1].days = 14;
	add_exercise(&p->stages[1], 2);
	snprintf(p->stages[2].title, COACH_NAME_MAX, "Stage 3: add mini-squats");
	p->stages[2].days = 0;
	add_exercise(&p->stages[2], 3);
	if (coach_program_validate(p, err, sizeof err) != 0)
		fail_msg("hand-built program is invalid: %s", err);
}

static int32_t start_day(void)
{
	return coach_day_from_ymd(2026, 3, 2);
}

/* A parsed history, owned by the test. */
struct hist {
	struct coach_day_log days[MAX_DAYS];
	struct coach_pause pauses[MAX_DAYS];
	struct coach_history h;
};

/* Parses a score after m/s at *s ("4", "4.5"); returns it x10. */
static int parse_score(const char **s)
{
	char *end;
	double v = strtod(*s, &end);
	if (end == *s)
		fail_msg("bad score in history at \"%s\"", *s);
	*s = end;
	return (int)(v * 10 + 0.5);
}

/* Fills log (for day d) from one token; returns true for a paused day. */
static bool parse_token(const char *tok, size_t len, struct coach_day_log *log)
{
	char buf[32];
	const char *s = buf;

	if (len >= sizeof buf)
		fail_msg("history token too long");
	memcpy(buf, tok, len);
	buf[len] = '\0';
	log->morning10 = COACH_NO_SCORE;
	log->session10 = COACH_NO_SCORE;
	if (!strcmp(buf, "."))
		return false;
	if (!strcmp(buf, "P"))
		return true;
	static const struct { char c; int s10; } shorthand[] = {
		{ 'g', 10 }, { 'a', 30 }, { 'r', 60 }, { 'x', 80 },
	};
	for (size_t i = 0; i < 4; i++)
		if (buf[0] == shorthand[i].c && !buf[1]) {
			log->session10 = shorthand[i].s10;
			return false;
		}
	while (*s) {
		char c = *s++;
		if (c == 'm')
			log->morning10 = parse_score(&s);
		else if (c == 's')
			log->session10 = parse_score(&s);
		else if (c == 'F')
			log->red_flag = true;
		else if (c == 'D')
			log->done++;
		else if (c == 'K')
			log->skipped++;
		else
			fail_msg("bad history token \"%s\"", buf);
	}
	return false;
}

/* Builds the history of spec, day 1 being start. */
static void hist_build(const char *spec, int32_t start, struct hist *out)
{
	size_t n = 0, np = 0, idx = 0;
	const char *s = spec;

	memset(out, 0, sizeof *out);
	while (*s) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		const char *tok = s;
		while (*s && *s != ' ' && *s != '*')
			s++;
		size_t len = (size_t)(s - tok);
		long times = 1;
		if (*s == '*') {
			char *end;
			times = strtol(s + 1, &end, 10);
			s = end;
			if (times < 1)
				fail_msg("bad repeat in \"%s\"", spec);
		}
		for (long k = 0; k < times; k++, idx++) {
			struct coach_day_log log = { 0 };
			int32_t d = start + (int32_t)idx;
			if (idx >= MAX_DAYS)
				fail_msg("history too long");
			if (parse_token(tok, len, &log)) {
				out->pauses[np].from = d;
				out->pauses[np].until = d + 1;
				np++;
				continue;
			}
			log.day = d;
			/* Keep the history sparse like the store: silent days
			 * have no entry. */
			if (log.morning10 != COACH_NO_SCORE ||
			    log.session10 != COACH_NO_SCORE || log.red_flag ||
			    log.done || log.skipped)
				out->days[n++] = log;
		}
	}
	out->h.days = out->days;
	out->h.n_days = n;
	out->h.pauses = out->pauses;
	out->h.n_pauses = np;
}

/* "IR 3x20, ER 3x20" for the plan's strength exercises. */
static void strength_text(const struct coach_plan *plan, char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < plan->n_strength; i++) {
		const char *ab = "??";
		for (size_t k = 0; k < 4; k++)
			if (!strcmp(plan->strength[i].name,
				    exercise_names[k].name))
				ab = exercise_names[k].abbrev;
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s %dx%d", i ? ", " : "",
			 ab, plan->strength[i].sets, plan->strength[i].reps);
	}
}

static bool has_reason(const struct coach_plan *plan, const char *needle)
{
	for (size_t i = 0; i < plan->n_reasons; i++)
		if (strstr(plan->reasons[i], needle))
			return true;
	return false;
}

static void print_reasons(const struct coach_plan *plan)
{
	for (size_t i = 0; i < plan->n_reasons; i++)
		print_message("    reason: %s\n", plan->reasons[i]);
}

#define DL COACH_FLAG_DELOAD
#define HO COACH_FLAG_HOLD
#define RF COACH_FLAG_RED_FLAG
#define SC COACH_FLAG_SEE_CLINICIAN
#define NU COACH_FLAG_NUDGE
#define PA COACH_FLAG_PAUSED
#define BIKE COACH_RUN_BIKE
#define EASY COACH_RUN_EASY
#define FULL COACH_RUN_FULL

#define S1 "IR 3x20, ER 3x20"
#define S2 "IR 3x20, ER 3x20, CS 3x20"
#define S3 "IR 3x20, ER 3x20, CS 3x20, MS 3x20"
#define D1 "IR 2x12, ER 2x12"

/*
 * Columns: description, history, program day asked, expected stage,
 * day in stage, stretch sessions, strength ("" for none), running, flags,
 * a substring of one reason (NULL: not checked; "" : no reasons at all).
 */
static const struct scenario {
	const char *desc, *history;
	int day, stage, day_in_stage, stretch;
	const char *strength;
	enum coach_running running;
	unsigned flags;
	const char *reason;
} scenarios[] = {
	{ "first day: stage 1, bike, no nudge", "", 1, 1, 1, 3, S1, BIKE, 0, "No running yet: bike instead until 3 days" },
	{ "14 green days: day 14 is still stage 1", "g*13", 14, 1, 14, 3, S1, EASY, 0, NULL },
	{ "14 green days: clamshell first appears on day 15", "g*14", 15, 2, 1, 3, S2, EASY, 0, "New stage today: Stage 2: add clamshells." },
	{ "one red day in stage 1: day 15 is still stage 1", "g*4 r g*10", 15, 1, 14, 3, S1, EASY, 0, NULL },
	{ "one red day in stage 1: stage 2 starts on day 16", "g*4 r g*11", 16, 2, 1, 3, S2, EASY, 0, "New stage today" },
	{ "session score 6: next day 2x12, bike, deload", "g*5 s6", 7, 1, 6, 3, D1, BIKE, DL, "Yesterday's pain reached 6/10: strength eased to 2×12, no running — bike instead." },
	{ "session score 5 (the red threshold) deloads", "g*5 s5", 7, 1, 6, 3, D1, BIKE, DL, "reached 5/10" },
	{ "session score 4.5 is amber: hold", "g*5 s4.5", 7, 1, 7, 3, S1, EASY, HO, "4.5/10, which is acceptable" },
	{ "morning score up by 2: bike next day", "g*3 m1 m3", 6, 1, 5, 3, D1, BIKE, DL, "Yesterday's morning pain rose from 1/10 to 3/10" },
	{ "morning up by 1.5 is not red (2.5 is amber)", "g*3 m1 m2.5", 6, 1, 6, 3, S1, EASY, HO, NULL },
	{ "morning rise against a morning 7 days back", "m1 g*6 m3", 9, 1, 8, 3, D1, BIKE, DL, "rose from 1/10 to 3/10" },
	{ "no morning rise against one 8 days back", "m1 g*7 m3", 10, 1, 10, 3, S1, EASY, HO, NULL },
	{ "score 8: strength stopped, bike, see a doctor", "g*3 s8", 5, 1, 4, 3, "", BIKE, RF, "Please see a doctor soon" },
	{ "score 8: the reason names the score", "g*3 s8", 5, 1, 4, 3, "", BIKE, RF, "Yesterday's pain reached 8/10: no strength and no running today" },
	{ "red-flag report without a score", "g*3 F", 5, 1, 4, 3, "", BIKE, RF, "You reported pain at rest or at night" },
	{ "red flag with a low score is still a stop", "g s2F", 3, 1, 2, 3, "", BIKE, RF, "see a doctor" },
	{ "after a stop day: deloaded", "g*3 s8 g", 6, 1, 5, 3, D1, BIKE, DL, "Still easing off: strength at 2×12" },
	{ "a silent day after a stop keeps the stop plan", "g*3 s8 .", 6, 1, 5, 3, "", BIKE, RF | NU, "Your last score reached 8/10" },
	{ "one red-free day after a deload: still deloaded", "g*5 s6 g", 8, 1, 7, 3, D1, BIKE, DL, "(1 so far)" },
	{ "recovery two days after a deload", "g*5 s6 g g", 9, 1, 8, 3, S1, BIKE, 0, "Two days in a row with pain under 5/10: back to the full plan." },
	{ "an amber day counts toward recovery", "g*5 s6 g a", 9, 1, 8, 3, S1, BIKE, HO, "back to the full plan" },
	{ "a done-only day does not advance recovery", "g*5 s6 g D", 9, 1, 8, 3, D1, BIKE, DL, "(1 so far)" },
	{ "a silent day after a red keeps the deload", "g*5 s6 . .", 9, 1, 8, 3, D1, BIKE, DL, "Your last score reached 6/10" },
	{ "deload in stage 2 drops the clamshell", "g*15 s6", 17, 2, 2, 3, D1, BIKE, DL, "Left out while easing off: Clamshell (band)." },
	{ "deload in stage 3 drops the mini-squat only", "g*29 s6", 31, 3, 2, 3, "IR 2x12, ER 2x12, CS 2x12", BIKE, DL, "Left out while easing off: Mini-squat" },
	{ "stage 3 on day 29 with all four exercises", "g*28", 29, 3, 1, 3, S3, FULL, 0, "New stage today: Stage 3" },
	{ "the last stage never ends", "g*60", 61, 3, 33, 3, S3, FULL, 0, "" },
	{ "amber: hold, full plan, no step up", "g*5 a", 7, 1, 7, 3, S1, EASY, HO, "Yesterday's pain was 3/10, which is acceptable" },
	{ "amber caps faster running at easy", "g*24 a", 26, 2, 12, 3, S2, EASY, HO, "Easy running only today" },
	{ "amber on day 14 counts: stage 2 on day 15, with a hold", "g*13 a", 15, 2, 1, 3, S2, EASY, HO, "New stage today" },
	{ "the hold ends the day after; stage 2 goes on", "g*13 a g", 16, 2, 2, 3, S2, EASY, 0, NULL },
	{ "14 amber days: the clamshell still comes on day 15", "s3*14", 15, 2, 1, 3, S2, BIKE, HO, "New stage today" },
	{ "no running before 3 green days", "g g", 3, 1, 3, 3, S1, BIKE, 0, "(2 so far)" },
	{ "3 green days: easy running on day 4", "g*3", 4, 1, 4, 3, S1, EASY, 0, "Easy running only: no faster running until 21 days" },
	{ "amber breaks the green streak", "g g a g g", 6, 1, 6, 3, S1, BIKE, 0, "(2 so far)" },
	{ "no faster running in the first 3 weeks", "g*23", 24, 2, 10, 3, S2, EASY, 0, "(20 so far)" },
	{ "faster running on day 25", "g*24", 25, 2, 11, 3, S2, FULL, 0, "" },
	{ "silent days count as easy days", "g*3 .*21", 25, 2, 11, 3, S2, FULL, 0, "" },
	{ "a red day resets running to the bike", "g*10 r g g", 14, 1, 13, 3, S1, BIKE, 0, "(2 so far)" },
	{ "after a red day easy running needs 3 new green days", "g*10 r g g g", 15, 1, 14, 3, S1, EASY, 0, "(0 so far)" },
	{ "stalled two weeks: see a clinician", "s2*21", 22, 2, 8, 3, S2, EASY, SC, "please see a physio or doctor" },
	{ "stalled at an amber level", "s3*21", 22, 2, 8, 3, S2, BIKE, HO | SC, "not improved for 2 weeks in a row (average 3.0/10)" },
	{ "improving weeks are not stalled", "s3*7 s2.5*7 s2*7", 22, 2, 8, 3, S2, EASY, 0, NULL },
	{ "worse weeks are not lower: stalled", "s2*7 s3*7 s3*7", 22, 2, 8, 3, S2, EASY, HO | SC, "see a physio or doctor" },
	{ "one week not improving is not enough", "s3*7 s2*7 s2.5*7", 22, 2, 8, 3, S2, EASY, HO, NULL },
	{ "a stalled mean under 2 is fine", "s1*21", 22, 2, 8, 3, S2, EASY, 0, NULL },
	{ "too few scores in a window: no trend", "s2 .*6 s2*14", 22, 2, 8, 3, S2, EASY, 0, NULL },
	{ "no reply: nudge the day after", "g*3 .", 5, 1, 5, 3, S1, EASY, NU, "No reply yesterday: plan unchanged." },
	{ "first day silent: nudge on day 2", ".", 2, 1, 2, 3, S1, BIKE, NU, "No reply yesterday" },
	{ "three silent days: no second nudge", "g*3 . . .", 7, 1, 7, 3, S1, EASY, 0, NULL },
	{ "a new silence after a reply nudges again", "g*3 . . g .", 8, 1, 8, 3, S1, EASY, NU, NULL },
	{ "a done-only day is not silent", "g*3 D", 5, 1, 5, 3, S1, EASY, 0, NULL },
	{ "paused day: no strength, no stretches", "g*3 P P P", 5, 1, 4, 0, "", BIKE, PA, "the plan starts again on 2026-03-08" },
	{ "resume: the clock continues after a pause", "g*3 P*3 g", 8, 1, 5, 3, S1, EASY, 0, NULL },
	{ "a pause delays the clamshell by its length", "g*3 P*3 g*11", 18, 2, 1, 3, S2, EASY, 0, "New stage today" },
	{ "a pause is not silence: no nudge after it", "g*3 . P", 6, 1, 5, 3, S1, EASY, 0, NULL },
	{ "scores inside a pause do not count", "g*3 P", 4, 1, 4, 0, "", BIKE, PA, "Paused" },
	{ "a pause over a stage's end shows the next stage", "g*14 P P", 15, 2, 1, 0, "", BIKE, PA, "Paused" },
	{ "after that pause the new stage starts at day 1", "g*14 P P", 17, 2, 1, 3, S2, EASY, 0, "New stage today" },
	/* Audit rows: thresholds exactly on their limits. */
	{ "every score exactly 2 is green: easy on day 4", "s2*3", 4, 1, 4, 3, S1, EASY, 0, "Easy running only" },
	{ "2.5 is amber: hold, the green run starts again", "g g s2.5", 4, 1, 4, 3, S1, BIKE, HO, "2.5/10, which is acceptable" },
	{ "7.5 is red, not a stop", "g*3 s7.5", 5, 1, 4, 3, D1, BIKE, DL, "Yesterday's pain reached 7.5/10" },
	{ "10 is a stop", "g*3 s10", 5, 1, 4, 3, "", BIKE, RF, "reached 10/10" },
	{ "only a morning score of 3 is amber", "g*3 m3", 5, 1, 5, 3, S1, EASY, HO, "3/10, which is acceptable" },
	{ "only morning scores count as green days", "m1 m1 m1", 4, 1, 4, 3, S1, EASY, 0, NULL },
	/* The morning rise. */
	{ "morning 0 then 2: a rise of exactly 2 is red", "m0 m2", 3, 1, 2, 3, D1, BIKE, DL, "Yesterday's morning pain rose from 0/10 to 2/10" },
	{ "morning 0 then 1.5: no rise, green", "m0 m1.5", 3, 1, 3, 3, S1, BIKE, 0, "(2 so far)" },
	{ "rise against the morning before a silent day", "m1 . m3", 4, 1, 3, 3, D1, BIKE, DL, "rose from 1/10 to 3/10" },
	{ "rise against the last morning, not a session-only day", "m1 s1 m3", 4, 1, 3, 3, D1, BIKE, DL, "rose from 1/10 to 3/10" },
	{ "a fall, then a rise of 2 from the lower morning", "m4 m2 m4", 4, 1, 3, 3, D1, BIKE, DL, "rose from 2/10 to 4/10" },
	/* Red days and the stage clock. */
	{ "amber then red: deload, the amber day counted", "g*3 a r", 6, 1, 5, 3, D1, BIKE, DL, "reached 6/10" },
	{ "red on day 14: day 15 is stage 1's 14th day", "g*13 r", 15, 1, 14, 3, D1, BIKE, DL, NULL },
	{ "red on day 14: stage 2 on day 16, still deloaded", "g*13 r g", 16, 2, 1, 3, D1, BIKE, DL, "New stage today" },
	{ "red on days 14 and 15: day 16 still stage 1", "g*13 r r", 16, 1, 14, 3, D1, BIKE, DL, NULL },
	{ "red on days 14 and 15: stage 2 on day 17", "g*13 r r g", 17, 2, 1, 3, D1, BIKE, DL, "Left out while easing off: Clamshell" },
	{ "a stop in stage 2: stretches only", "g*15 x", 17, 2, 2, 3, "", BIKE, RF, "Please see a doctor soon" },
	/* Recovery from a deload. */
	{ "recovery: a silent day neither counts nor breaks", "g*5 s6 g . g", 10, 1, 9, 3, S1, BIKE, 0, "Two days in a row with pain under 5/10" },
	{ "one red-free day and a silent day: still deloaded", "g*5 s6 g .", 9, 1, 8, 3, D1, BIKE, DL | NU, "(1 so far)" },
	{ "a red day inside a deload starts the count again", "g*5 s6 g r g", 10, 1, 8, 3, D1, BIKE, DL, "(1 so far)" },
	{ "stop then 1: deload (2x12) the day after", "g*3 s8 s1", 6, 1, 5, 3, D1, BIKE, DL, "Still easing off" },
	{ "stop then 1, 1: the full plan back on the next day", "g*3 s8 s1 s1", 7, 1, 6, 3, S1, BIKE, 0, "back to the full plan" },
	/* Running. */
	{ "amber keeps easy running (no step back)", "g*3 a g", 6, 1, 6, 3, S1, EASY, 0, NULL },
	{ "amber on day 24 holds faster running one day", "g*23 a", 25, 2, 11, 3, S2, EASY, HO, "Easy running only today" },
	{ "faster running the day after the hold", "g*23 a g", 26, 2, 12, 3, S2, FULL, 0, "" },
	{ "a red day on day 21 resets the easy count", "g*20 r g*3", 25, 2, 10, 3, S2, EASY, 0, "(0 so far)" },
	{ "a red day on day 24: no faster running on day 25", "g*23 r", 25, 2, 10, 3, "IR 2x12, ER 2x12", BIKE, DL, NULL },
	{ "a hold continues through a silent day", "g*3 a .", 6, 1, 6, 3, S1, EASY, HO | NU, "Your last score was 3/10" },
	/* The stall rule. */
	{ "the stall rule waits for three full weeks", "s2*21", 21, 2, 7, 3, S2, EASY, 0, NULL },
	{ "a stall with a mean of 1.9 gives no flag", "s2*6 s1.5 s2*6 s1.5 s2*6 s1.5", 22, 2, 8, 3, S2, EASY, 0, NULL },
	{ "a better latest week is no stall", "s3*7 s3*7 s2*7", 22, 2, 8, 3, S2, EASY, 0, NULL },
	{ "silent days in a window: 3 scores are enough", "s2 . s2 . s2 . . s2*14", 22, 2, 8, 3, S2, EASY, SC, "average 2.0/10" },
};

/* Checks one scenario; prints what differs and returns false on a
 * mismatch, so one run lists every failing row. */
static bool run_scenario(const struct coach_program *prog,
			 const struct scenario *sc)
{
	static struct hist hs;
	struct coach_runner runner = { start_day(), 0 };
	struct coach_plan plan;
	char got[256];

	hist_build(sc->history, start_day(), &hs);
	assert_int_equal(coach_plan_day(prog, &runner, &hs.h,
					start_day() + sc->day - 1, &plan), 0);
	strength_text(&plan, got, sizeof got);
	bool ok = !plan.before_start && plan.program_day == sc->day &&
		  plan.stage == sc->stage &&
		  plan.day_in_stage == sc->day_in_stage &&
		  plan.stretch_sessions == sc->stretch &&
		  !strcmp(got, sc->strength) && plan.running == sc->running &&
		  plan.flags == sc->flags;
	if (sc->reason && !sc->reason[0])
		ok = ok && plan.n_reasons == 0;
	else if (sc->reason)
		ok = ok && has_reason(&plan, sc->reason);
	if (!ok) {
		print_message("scenario \"%s\" (history \"%s\", day %d):\n"
			      "  got stage %d day %d, stretch %d, strength \"%s\", running %s, flags 0x%x\n"
			      "  want stage %d day %d, stretch %d, strength \"%s\", running %s, flags 0x%x, reason \"%s\"\n",
			      sc->desc, sc->history, sc->day, plan.stage,
			      plan.day_in_stage, plan.stretch_sessions, got,
			      coach_running_name(plan.running), plan.flags,
			      sc->stage, sc->day_in_stage, sc->stretch,
			      sc->strength, coach_running_name(sc->running),
			      sc->flags, sc->reason ? sc->reason : "(any)");
		print_reasons(&plan);
	}
	return ok;
}

static void test_scenarios(void **state)
{
	struct coach_program prog;
	int failed = 0;

	(void)state;
	iliopsoas(&prog);
	for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++)
		failed += !run_scenario(&prog, &scenarios[i]);
	if (failed)
		fail_msg("%d scenario(s) failed", failed);
}

/*
 * Day-by-day checks.  Columns: description, history, the field checked
 * on every day from day 1 ("run": b/e/f; "stage": the stage number;
 * "mode": P paused, R red_flag, D deload, H hold, - full plan; "nudge":
 * N or -), the expected character per day, and days first..last whose
 * plans must equal day first's except for the nudge (0: no check).
 */
static const struct sequence {
	const char *desc, *history, *field, *expect;
	int same_first, same_last;
} sequences[] = {
	{ "all green: bike 3 days, easy 21 days, then full", "g*26", "run",
	  "bbbeeeeeeeeeeeeeeeeeeeeeff", 0, 0 },
	{ "all green: 14 days per stage, then stage 3", "g*30", "stage",
	  "111111111111112222222222222233", 0, 0 },
	{ "a red day lengthens stage 1 by one day", "g*4 r g*11", "stage",
	  "1111111111111112", 0, 0 },
	{ "three days without replies: one nudge, plan unchanged",
	  "g*3 . . . g", "nudge", "----N---", 4, 7 },
	{ "a red day: deload for two days, then the full plan",
	  "g*5 s6 g g g", "mode", "------DD--", 0, 0 },
	{ "a stop day: red flag, then deload until recovery",
	  "g*3 s8 g g g", "mode", "----RD--", 0, 0 },
	{ "a red day sends running back to the bike", "g*4 r g*4", "run",
	  "bbbeebbbee", 0, 0 },
	{ "amber: one hold day each", "g a g a a g", "mode", "--H-HH-", 0, 0 },
	{ "pause and resume", "g*3 P*3 g g", "mode", "---PPP--", 0, 0 },
	{ "nudges once per silent spell", ". . . . g . .", "nudge",
	  "-N----N-", 0, 0 },
};

static char day_code(const struct coach_plan *plan, const char *field)
{
	if (!strcmp(field, "run"))
		return "bef"[plan->running];
	if (!strcmp(field, "stage"))
		return (char)('0' + plan->stage);
	if (!strcmp(field, "nudge"))
		return plan->flags & COACH_FLAG_NUDGE ? 'N' : '-';
	if (plan->flags & COACH_FLAG_PAUSED)
		return 'P';
	if (plan->flags & COACH_FLAG_RED_FLAG)
		return 'R';
	if (plan->flags & COACH_FLAG_DELOAD)
		return 'D';
	if (plan->flags & COACH_FLAG_HOLD)
		return 'H';
	return '-';
}

static bool same_plan(const struct coach_plan *a, const struct coach_plan *b)
{
	if (a->n_strength != b->n_strength || a->running != b->running ||
	    a->stretch_sessions != b->stretch_sessions || a->stage != b->stage ||
	    (a->flags & ~(unsigned)COACH_FLAG_NUDGE) !=
	    (b->flags & ~(unsigned)COACH_FLAG_NUDGE))
		return false;
	for (size_t i = 0; i < a->n_strength; i++)
		if (strcmp(a->strength[i].name, b->strength[i].name) ||
		    a->strength[i].sets != b->strength[i].sets ||
		    a->strength[i].reps != b->strength[i].reps)
			return false;
	return true;
}

static void test_sequences(void **state)
{
	static struct hist hs;
	struct coach_program prog;
	struct coach_runner runner = { start_day(), 0 };

	(void)state;
	iliopsoas(&prog);
	for (size_t i = 0; i < sizeof sequences / sizeof sequences[0]; i++) {
		const struct sequence *sq = &sequences[i];
		size_t n = strlen(sq->expect);
		char got[MAX_DAYS + 1];
		struct coach_plan first, plan;

		hist_build(sq->history, start_day(), &hs);
		for (size_t k = 0; k < n; k++) {
			int day = (int)k + 1;
			assert_int_equal(coach_plan_day(&prog, &runner, &hs.h,
							start_day() + day - 1,
							&plan), 0);
			got[k] = day_code(&plan, sq->field);
			if (day == sq->same_first)
				first = plan;
			if (sq->same_first && day > sq->same_first &&
			    day <= sq->same_last && !same_plan(&first, &plan))
				fail_msg("sequence \"%s\": day %d's plan differs from day %d's",
					 sq->desc, day, sq->same_first);
		}
		got[n] = '\0';
		if (strcmp(got, sq->expect))
			fail_msg("sequence \"%s\" (%s): got %s, want %s",
				 sq->desc, sq->field, got, sq->expect);
	}
}

/*
 * /status summaries.  Columns: description, history, day asked, last
 * scores (x10, newest first, -1 ends), adherence %, mean7, mean7_before,
 * green streak, paused.
 */
static const struct status_row {
	const char *desc, *history;
	int day;
	int last[6];
	int adherence;
	double mean7, mean7_before;
	int green_streak;
	bool paused;
} status_rows[] = {
	{ "nothing yet", "", 1, { -1 }, -1, -1, -1, 0, false },
	{ "scores newest first, session before morning",
	  "m1s2 m3s4 m0.5s1", 4, { 10, 5, 40, 30, 20, -1 }, -1, 1.9166, -1,
	  1, false },
	{ "today's answers are included, means end yesterday",
	  "g*7 s3D s4K D", 10, { 40, 30, 10, 10, 10, -1 }, 67, 1.7142, 1.0,
	  0, false },
	{ "paused today", "g g P", 3, { 10, 10, -1 }, -1, 1.0, -1, 2, true },
};

static void test_status(void **state)
{
	static struct hist hs;
	struct coach_program prog;
	struct coach_runner runner = { start_day(), 0 };

	(void)state;
	iliopsoas(&prog);
	for (size_t i = 0; i < sizeof status_rows / sizeof status_rows[0]; i++) {
		const struct status_row *r = &status_rows[i];
		struct coach_status st;
		size_t n = 0;

		hist_build(r->history, start_day(), &hs);
		assert_int_equal(coach_status_day(&prog, &runner, &hs.h,
						  start_day() + r->day - 1,
						  &st), 0);
		while (n < 6 && r->last[n] >= 0)
			n++;
		bool ok = st.n_last_scores == n &&
			  st.adherence_pct == r->adherence &&
			  st.green_streak == r->green_streak &&
			  st.paused == r->paused &&
			  (r->mean7 < 0 ? st.mean7 < 0 :
			   st.mean7 > r->mean7 - 1e-3 &&
			   st.mean7 < r->mean7 + 1e-3) &&
			  (r->mean7_before < 0 ? st.mean7_before < 0 :
			   st.mean7_before > r->mean7_before - 1e-3 &&
			   st.mean7_before < r->mean7_before + 1e-3);
		for (size_t k = 0; ok && k < n; k++)
			ok = st.last_scores10[k] == r->last[k];
		if (!ok)
			fail_msg("status \"%s\": got %zu scores (first %d), adherence %d, mean7 %.4f, before %.4f, streak %d, paused %d",
				 r->desc, st.n_last_scores,
				 st.n_last_scores ? st.last_scores10[0] : -1,
				 st.adherence_pct, st.mean7, st.mean7_before,
				 st.green_streak, st.paused);
	}
}

/* Stretch sessions: columns runner setting, expected sessions. */
static const struct {
	int runner, expect;
} stretch_rows[] = {
	{ 0, 3 }, { 2, 2 }, { 3, 3 }, { 5, 3 }, { 1, 2 },
};

static void test_stretch_sessions(void **state)
{
	struct coach_program prog;
	struct coach_history h = { 0 };
	struct coach_plan plan;

	(void)state;
	iliopsoas(&prog);
	for (size_t i = 0; i < sizeof stretch_rows / sizeof stretch_rows[0]; i++) {
		struct coach_runner r = { start_day(), stretch_rows[i].runner };
		assert_int_equal(coach_plan_day(&prog, &r, &h, start_day(),
						&plan), 0);
		if (plan.stretch_sessions != stretch_rows[i].expect)
			fail_msg("runner stretch_sessions %d: got %d, want %d",
				 stretch_rows[i].runner, plan.stretch_sessions,
				 stretch_rows[i].expect);
	}
}

/* True when s is well-formed UTF-8 (structure only: lead and
 * continuation bytes). */
static bool utf8_ok(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	while (*u) {
		size_t n = *u < 0x80 ? 0 : *u >= 0xF0 ? 3 : *u >= 0xE0 ? 2 :
			   *u >= 0xC0 ? 1 : 9;
		if (n == 9)
			return false;
		for (size_t i = 1; i <= n; i++)
			if ((u[i] & 0xC0) != 0x80)
				return false;
		u += n + 1;
	}
	return true;
}

static void test_edges(void **state)
{
	struct coach_program prog;
	struct coach_history h = { 0 };
	struct coach_runner r = { start_day(), 0 };
	struct coach_plan plan;
	struct coach_pause open = { start_day() + 2, COACH_DAY_OPEN };

	(void)state;
	iliopsoas(&prog);
	/* Before the start there is no plan. */
	assert_int_equal(coach_plan_day(&prog, &r, &h, start_day() - 1, &plan), 0);
	assert_true(plan.before_start);
	assert_int_equal(plan.n_strength, 0);
	/* A program without stages is unusable. */
	prog.n_stages = 0;
	assert_int_equal(coach_plan_day(&prog, &r, &h, start_day(), &plan), -1);
	iliopsoas(&prog);
	/* An open pause lasts until /resume. */
	h.pauses = &open;
	h.n_pauses = 1;
	assert_int_equal(coach_plan_day(&prog, &r, &h, start_day() + 40, &plan), 0);
	assert_true(plan.flags & COACH_FLAG_PAUSED);
	assert_true(has_reason(&plan, "until you send /resume"));
	assert_int_equal(plan.day_in_stage, 3);
	/* Reasons that outgrow their buffer are cut on a character
	 * boundary: stage 2 adds four exercises with long names in
	 * two-byte letters, so the deload's "left out" line is cut. */
	for (int k = 0; k < 4; k++) {
		struct coach_exercise *e = &prog.stages[1].exercises[k];
		char name[COACH_NAME_MAX] = "x"; /* odd offsets for é */
		for (int i = 0; i < 30; i++)
			strcat(name, "é");
		name[61] = (char)('a' + k);
		snprintf(e->name, sizeof e->name, "%s", name);
		e->sets = 3;
		e->reps = 20;
		snprintf(e->howto, sizeof e->howto, "x");
	}
	prog.stages[1].n_exercises = 4;
	struct coach_day_log logs[16];
	for (int i = 0; i < 16; i++)
		logs[i] = (struct coach_day_log){ start_day() + i, 10,
						   i == 15 ? 60 : 10, false,
						   0, 0 };
	struct coach_history h2 = { logs, 16, NULL, 0 };
	assert_int_equal(coach_plan_day(&prog, &r, &h2, start_day() + 16, &plan), 0);
	assert_true(plan.flags & COACH_FLAG_DELOAD);
	assert_int_equal(plan.n_strength, 2);
	assert_true(has_reason(&plan, "Left out while easing off: xéé"));
	for (size_t i = 0; i < plan.n_reasons; i++) {
		assert_true(strlen(plan.reasons[i]) < COACH_REASON_MAX);
		assert_true(utf8_ok(plan.reasons[i]));
	}
	/* Replies before the start day change nothing (a stop the day
	 * before, a morning 0 that day 1's morning 2 would rise from), and
	 * replies after the asked day do not either. */
	iliopsoas(&prog);
	struct coach_day_log around[] = {
		{ start_day() - 1, 0, 80, true, 0, 0 },
		{ start_day(), 20, COACH_NO_SCORE, false, 0, 0 },
		{ start_day() + 2, 90, 90, true, 0, 0 },
	};
	struct coach_history h3 = { around, 3, NULL, 0 };
	assert_int_equal(coach_plan_day(&prog, &r, &h3, start_day(), &plan), 0);
	assert_int_equal(plan.flags, 0);
	assert_int_equal(plan.n_strength, 2);
	assert_int_equal(coach_plan_day(&prog, &r, &h3, start_day() + 2, &plan), 0);
	assert_int_equal(plan.flags, COACH_FLAG_NUDGE);
	assert_int_equal(plan.strength[0].sets, 3);
	assert_int_equal(plan.day_in_stage, 3);
	/* Counters of 1 read as one day, not "1 days in a row". */
	iliopsoas(&prog);
	prog.rules.easy_after_green = 1;
	prog.rules.fast_after_easy = 1;
	prog.rules.recover_days = 1;
	prog.rules.stall_windows = 1;
	static const struct {
		const char *history;
		int day;
		const char *reason;
	} ones[] = {
		{ "r g", 3, "One day with pain under 5/10: back to the full plan." },
		{ "", 1, "bike instead until 1 day with pain 0–2 (0 so far)." },
		{ "g", 2, "until 1 day of easy running with pain under 5/10 (0 so far)." },
		{ "s2*14", 15, "has not improved for 1 week (average 2.0/10)" },
	};
	for (size_t i = 0; i < sizeof ones / sizeof ones[0]; i++) {
		static struct hist hs;
		hist_build(ones[i].history, start_day(), &hs);
		assert_int_equal(coach_plan_day(&prog, &r, &hs.h,
						start_day() + ones[i].day - 1,
						&plan), 0);
		if (!has_reason(&plan, ones[i].reason)) {
			print_reasons(&plan);
			fail_msg("counters of 1, \"%s\" day %d: no reason \"%s\"",
				 ones[i].history, ones[i].day, ones[i].reason);
		}
	}
	/* Names of flags and running levels. */
	assert_string_equal(coach_flag_name(COACH_FLAG_SEE_CLINICIAN),
			    "see_clinician");
	assert_null(coach_flag_name(1u << 9));
	assert_string_equal(coach_running_name(COACH_RUN_FULL), "full");
}

/* A small fixed-seed generator, so a failing history can be replayed. */
static uint32_t lcg_next(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

/*
 * Random histories (fixed seed) against rules that hold on every day:
 * the stage never goes back, a deload or red flag means the bike, a red
 * flag means no strength, a pause means nothing to do, faster running
 * never comes before day 25, every flag has a reason, and the reasons
 * fit.
 */
static void test_invariants(void **state)
{
	static struct hist hs;
	struct coach_program prog;
	struct coach_runner runner = { start_day(), 0 };
	uint32_t seed = 12345;
	int seen_stage3 = 0, seen_full = 0, seen_flag[6] = { 0 };
	static const char *const tokens[] = {
		"g", "g", "g", "g", ".", "a", "r", "x", "F", "D", "P",
		"m1", "m3", "m0s2", "s4.5", "m2s1", "m5",
	};

	(void)state;
	iliopsoas(&prog);
	for (int run = 0; run < 200; run++) {
		char spec[MAX_DAYS * 6] = "";
		int n = 20 + (int)(lcg_next(&seed) % 60);
		for (int k = 0; k < n; k++) {
			size_t used = strlen(spec);
			/* Mostly green, so the later stages are reached too. */
			uint32_t r = lcg_next(&seed) % 40;
			const char *t = r < 23 ? "g" :
				tokens[r % (sizeof tokens / sizeof tokens[0])];
			snprintf(spec + used, sizeof spec - used, "%s ", t);
		}
		hist_build(spec, start_day(), &hs);
		int last_stage = 1;
		for (int day = 1; day <= n + 3; day++) {
			struct coach_plan p;
			assert_int_equal(coach_plan_day(&prog, &runner, &hs.h,
							start_day() + day - 1,
							&p), 0);
			const char *bad = NULL;
			if (p.stage < last_stage || p.stage > 3 ||
			    p.day_in_stage < 1)
				bad = "stage went back or out of range";
			else if ((p.flags & (COACH_FLAG_DELOAD |
					     COACH_FLAG_RED_FLAG |
					     COACH_FLAG_PAUSED)) &&
				 p.running != COACH_RUN_BIKE)
				bad = "running while deloaded, stopped or paused";
			else if ((p.flags & (COACH_FLAG_RED_FLAG |
					     COACH_FLAG_PAUSED)) &&
				 p.n_strength)
				bad = "strength on a red-flag or paused day";
			else if ((p.flags & COACH_FLAG_PAUSED) &&
				 p.stretch_sessions)
				bad = "stretches on a paused day";
			else if (p.running == COACH_RUN_FULL && day < 25)
				bad = "faster running before day 25";
			else if (p.flags && !p.n_reasons)
				bad = "a flag without a reason";
			else if ((p.flags & COACH_FLAG_DELOAD) &&
				 (p.flags & COACH_FLAG_HOLD))
				bad = "deload and hold together";
			for (size_t i = 0; !bad && i < p.n_reasons; i++)
				if (!p.reasons[i][0] ||
				    strlen(p.reasons[i]) >= COACH_REASON_MAX)
					bad = "an empty or overlong reason";
			if (bad)
				fail_msg("history \"%s\" day %d: %s", spec, day,
					 bad);
			last_stage = p.stage;
			seen_stage3 += p.stage == 3;
			seen_full += p.running == COACH_RUN_FULL;
			for (int b = 0; b < 6; b++)
				seen_flag[b] += (p.flags >> b) & 1;
		}
	}
	/* The histories must reach what the rules above talk about. */
	assert_true(seen_stage3 > 0 && seen_full > 0);
	for (int b = 0; b < 6; b++)
		if (!seen_flag[b])
			fail_msg("no random day had flag %s",
				 coach_flag_name(1u << b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scenarios),
		cmocka_unit_test(test_sequences),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_stretch_sessions),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_invariants),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
