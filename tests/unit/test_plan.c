/*
 * The next-day plan rules (daemon/coach/plan.h) as tables of scenario
 * histories.  The program is the default iliopsoas program built by hand
 * from coach_program_defaults, so these tests do not depend on the
 * program file parser.
 *
 * A history is written one token per program day, from day 1:
 *   .       no reply            g   morning and session score 1 (green)
 *   a       session 3 (amber)   r   session 6 (red)     x   session 8 (severe)
 *   F       red-flag report     D   "done" only         K   "skipped" only
 *   S       the strength session answered "skipped"
 *   C       /cleared            P   a paused day (alone, or first in a
 *                                   token: "Ps7", "PF" report in a pause)
 *   m<n>, s<n>  morning / session score n (halves: s4.5); combine freely
 *           in one token with F, D, K, S and C: "m1s2", "s2F", "s1C"
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
#include "coach/coach_words.h"
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

/* Fills log (for day d) from one token; returns true for a paused day
 * (whose log may still carry reports). */
static bool parse_token(const char *tok, size_t len, struct coach_day_log *log)
{
	char buf[32];
	const char *s = buf;
	bool paused = false;

	if (len >= sizeof buf)
		fail_msg("history token too long");
	memcpy(buf, tok, len);
	buf[len] = '\0';
	log->morning10 = COACH_NO_SCORE;
	log->session10 = COACH_NO_SCORE;
	if (!strcmp(buf, "."))
		return false;
	if (buf[0] == 'P') {
		paused = true;
		s++;
	}
	static const struct { char c; int s10; } shorthand[] = {
		{ 'g', 10 }, { 'a', 30 }, { 'r', 60 }, { 'x', 80 },
	};
	for (size_t i = 0; i < 4; i++)
		if (s[0] == shorthand[i].c && !s[1]) {
			log->session10 = shorthand[i].s10;
			if (s[0] == 'g')
				log->morning10 = 10;
			return paused;
		}
	while (*s) {
		char c = *s++;
		if (c == 'm')
			log->morning10 = parse_score(&s);
		else if (c == 's')
			log->session10 = parse_score(&s);
		else if (c == 'F')
			log->red_flag = true;
		else if (c == 'C')
			log->cleared = true;
		else if (c == 'D')
			log->done++;
		else if (c == 'K')
			log->skipped++;
		else if (c == 'S') {
			log->skipped++;
			log->strength_skipped = true;
		} else
			fail_msg("bad history token \"%s\"", buf);
	}
	return paused;
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
			}
			log.day = d;
			/* Keep the history sparse like the store: silent days
			 * have no entry. */
			if (log.morning10 != COACH_NO_SCORE ||
			    log.session10 != COACH_NO_SCORE || log.red_flag ||
			    log.cleared || log.done || log.skipped)
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

#define DL COACH_FLAG_DELOAD
#define HO COACH_FLAG_HOLD
#define RF COACH_FLAG_RED_FLAG
#define SC COACH_FLAG_SEE_CLINICIAN
#define NU COACH_FLAG_NUDGE
#define PA COACH_FLAG_PAUSED
#define SV COACH_FLAG_SEVERE
#define AP COACH_FLAG_ASK_PAUSE
#define BIKE COACH_RUN_BIKE
#define EASY COACH_RUN_EASY
#define STRIDES COACH_RUN_STRIDES
#define INTERVALS COACH_RUN_INTERVALS
#define TEMPO COACH_RUN_TEMPO
#define NONE COACH_CHANGE_NONE
#define STAGE COACH_CHANGE_NEW_STAGE
#define STEP COACH_CHANGE_RUN_STEP
#define END COACH_CHANGE_DELOAD_END
#define BACK COACH_CHANGE_EXERCISE_BACK
#define M false /* the morning plan (coach_plan_day) */
#define R true  /* the rest of the day (coach_plan_rest) */

#define S1 "IR 3x20, ER 3x20"
#define S2 "IR 3x20, ER 3x20, CS 3x20"
#define S3 "IR 3x20, ER 3x20, CS 3x20, MS 3x20"
#define D1 "IR 2x12, ER 2x12"

/*
 * One row per rule of design.md's "Pain rules", and every example of
 * issue 8 as a history.  Columns: description, history, program day,
 * which plan (M morning, R rest of the day after its reports), expected
 * stage, day in stage, strength ("" for none), running, running minutes,
 * flags (exactly), change, a substring of one reason (NULL: not checked;
 * "": no reasons at all).
 */
static const struct scenario {
	const char *desc, *history;
	int day;
	bool rest;
	int stage, day_in_stage;
	const char *strength;
	enum coach_running running;
	int minutes;
	unsigned flags;
	enum coach_change change;
	const char *reason;
} scenarios[] = {
	/* Running: easy after 3 green days, built up in minutes, then
	 * faster running in steps. */
	{ "day 1: stage 1, bike, nothing to say", "", 1, M, 1, 1, S1, BIKE, 0, 0, NONE, "" },
	{ "3 green days: easy running, 10 min, on day 4", "g*3", 4, M, 1, 4, S1, EASY, 10, 0, STEP, "Easy running from today: 10 min" },
	{ "easy running +5 min after 3 counted days", "g*6", 7, M, 1, 7, S1, EASY, 15, 0, STEP, "up to 15 min" },
	{ "easy running reaches its cap of 40 min", "g*21", 22, M, 2, 8, S2, EASY, 40, 0, STEP, "up to 40 min" },
	{ "the cap holds", "g*23", 24, M, 2, 10, S2, EASY, 40, 0, NONE, NULL },
	{ "faster running comes back as strides first", "g*24", 25, M, 2, 11, S2, STRIDES, 40, 0, STEP, "Strides from today" },
	{ "then short intervals, a week later", "g*31", 32, M, 3, 4, S3, INTERVALS, 40, 0, STEP, "Short intervals from today" },
	{ "then tempo, a week after that", "g*38", 39, M, 3, 11, S3, TEMPO, 40, 0, STEP, "Tempo runs from today" },
	{ "amber breaks the green run before easy running", "g g a g g", 6, M, 1, 6, S1, BIKE, 0, 0, NONE, NULL },
	{ "a red day sends running back to the bike", "g*10 r", 12, M, 1, 11, D1, BIKE, 0, DL, NONE, NULL },
	{ "after a deload, the full strength first", "g*10 r g g", 14, M, 1, 11, S1, BIKE, 0, 0, END, "Running comes back a day after" },
	{ "then running, one level lower", "g*10 r g g g", 15, M, 1, 12, S1, EASY, 15, 0, STEP, "Running again from today: easy, up to 15 min" },
	{ "after a red day at strides: the full dose first", "g*25 r g g", 29, M, 2, 12, "IR 3x20, ER 3x20", BIKE, 0, 0, END, NULL },
	{ "then the clamshell", "g*25 r g g g", 30, M, 2, 13, S2, BIKE, 0, 0, BACK, NULL },
	{ "then running, easy at the cap", "g*25 r g g g g", 31, M, 2, 14, S2, EASY, 40, 0, STEP, "Running again" },
	/* Stages: counted days only. */
	{ "14 green days: the clamshell comes on day 15", "g*14", 15, M, 2, 1, S2, EASY, 25, 0, STAGE, "New stage today: Stage 2: add clamshells." },
	{ "the mini-squat on day 29", "g*28", 29, M, 3, 1, S3, STRIDES, 40, 0, STAGE, "New stage today: Stage 3" },
	{ "a silent runner never moves forward (issue 8)", "g*3 .*30", 34, M, 1, 4, S1, EASY, 10, 0, NONE, "" },
	{ "silence: no clamshell on day 15 (issue 8)", "g*3 .*11", 15, M, 1, 4, S1, EASY, 10, 0, NONE, NULL },
	{ "done-only days count for nothing", "D*14", 15, M, 1, 1, S1, BIKE, 0, 0, NONE, NULL },
	{ "a skipped strength session does not count (issue 8)", "s1S*14", 15, M, 1, 1, S1, BIKE, 0, 0, NONE, NULL },
	{ "an unanswered morning question holds every change", "s1*14", 15, M, 1, 14, S1, BIKE, 0, HO, NONE, "morning question is answered" },
	{ "session scores count toward the stage", "s1*13 g", 15, M, 2, 1, S2, BIKE, 0, 0, STAGE, NULL },
	{ "paused days do not count", "g*3 P*3 g*11", 18, M, 2, 1, S2, EASY, 20, 0, STAGE, NULL },
	{ "an amber day counts toward the stage", "g*13 a g", 16, M, 2, 1, S2, EASY, 25, 0, STAGE, NULL },
	/* Amber: full plan, nothing new the next day. */
	{ "after an amber day the next stage waits (issue 8)", "g*13 a", 15, M, 1, 14, S1, EASY, 25, HO, NONE, "the next stage waits" },
	{ "amber every day: the stage waits, running stays on the bike", "s3*14", 15, M, 1, 14, S1, BIKE, 0, HO, NONE, NULL },
	{ "after an amber day the next running step waits", "g*5 a", 7, M, 1, 7, S1, EASY, 10, HO, NONE, "the next running step waits" },
	/* Red. */
	{ "session 6: deload the next day", "g*5 s6", 7, M, 1, 6, D1, BIKE, 0, DL, NONE, "Yesterday's 6/10: strength eased to 2×12 today, no running" },
	{ "session 6: deload for the rest of that day", "g*5 s6", 6, R, 1, 6, D1, BIKE, 0, DL, NONE, "Today's 6/10: strength eased to 2×12 today" },
	{ "a morning 6 deloads that day's session", "g*5 m6", 6, R, 1, 6, D1, BIKE, 0, DL, NONE, "This morning's 6/10" },
	{ "5 is red", "g*5 s5", 7, M, 1, 6, D1, BIKE, 0, DL, NONE, NULL },
	{ "4.5 is amber", "g*5 s4.5", 7, M, 1, 7, S1, EASY, 10, HO, NONE, NULL },
	{ "the deload goes on", "g*5 s6 g", 8, M, 1, 6, D1, BIKE, 0, DL, NONE, "(1 so far)" },
	{ "the day scores count by their highest, not the latest", "g*5 m6s1", 7, M, 1, 6, D1, BIKE, 0, DL, NONE, NULL },
	/* Red by a morning creeping up. */
	{ "morning 3 two above the lowest of 5 days: red that day", "m1 m2 m3", 3, R, 1, 3, D1, BIKE, 0, DL, NONE, "is 2 above your lowest morning" },
	{ "mornings 1,2,3,4,4,4 keep easing (issue 8)", "m1 m2 m3 m4 m4 m4", 7, M, 1, 3, D1, BIKE, 0, DL, NONE, NULL },
	{ "a creep against a morning 4 days back", "m1 g*3 m3", 5, R, 1, 5, D1, BIKE, 0, DL, NONE, NULL },
	{ "no creep against a morning 6 days back", "m1 m2*5 m3", 7, R, 1, 7, S1, EASY, 15, 0, STEP, NULL },
	{ "a morning under 3 is never creep", "m0 m2", 2, R, 1, 2, S1, BIKE, 0, 0, NONE, NULL },
	/* Severe. */
	{ "a morning 8: no strength that same day (issue 8)", "g*3 m8", 4, R, 1, 4, "", BIKE, 0, SV, NONE, "This morning's 8/10: no strength and no running today or tomorrow" },
	{ "severe: no strength the next day either", "g*3 x", 5, M, 1, 4, "", BIKE, 0, SV, NONE, "Yesterday's 8/10: no strength and no running today" },
	{ "after the stop days: a deload", "g*3 x g", 6, M, 1, 4, D1, BIKE, 0, DL, NONE, "strength eased to 2×12 today" },
	{ "a second severe day within 7 days raises the red flag", "g*3 x g g x", 7, R, 1, 4, "", BIKE, 0, RF, NONE, "A second score of 8/10" },
	{ "and it holds", "g*3 x g g x g*6", 14, M, 1, 4, "", BIKE, 0, RF, NONE, "/cleared" },
	{ "severe days a week apart raise the flag too", "g*3 x g*6 x", 12, M, 1, 7, "", BIKE, 0, RF, NONE, NULL },
	{ "severe days 8 days apart: no flag", "g*3 x g*7 x", 13, M, 1, 8, "", BIKE, 0, SV, NONE, NULL },
	/* The red flag. */
	{ "pain at night stops that day's strength at once", "g*4 F", 5, R, 1, 5, "", BIKE, 0, RF, NONE, "You reported pain at rest or at night" },
	{ "the flag holds through good scores (issue 8)", "g*4 F g*7", 13, M, 1, 5, "", BIKE, 0, RF, NONE, "/cleared" },
	{ "the flag holds through silence", "g*4 F .*7", 13, M, 1, 5, "", BIKE, 0, RF, NONE, NULL },
	{ "the flag holds through a pause (issue 8)", "g*4 F P*3 g", 10, M, 1, 5, "", BIKE, 0, RF, NONE, NULL },
	{ "a flag reported during a pause holds after it", "g*3 P PF P g", 8, M, 1, 4, "", BIKE, 0, RF, NONE, NULL },
	{ "a flag-only day is not silence", "g*3 F", 5, M, 1, 4, "", BIKE, 0, RF, NONE, NULL },
	{ "/cleared: no strength for the rest of that day", "g*4 F s1 s1C", 7, R, 1, 5, "", BIKE, 0, 0, NONE, "Cleared by a doctor or physio" },
	{ "/cleared: two easier days", "g*4 F s1 s1C", 8, M, 1, 5, D1, BIKE, 0, DL, NONE, "two easier days" },
	{ "the second easier day", "g*4 F s1 s1C s1", 9, M, 1, 5, D1, BIKE, 0, DL, NONE, NULL },
	{ "then the full plan, running from the bike", "g*4 F g m1s1C g g", 10, M, 1, 5, S1, BIKE, 0, 0, END, NULL },
	{ "a day flagged and cleared does not count", "g g m1FC m1", 4, M, 1, 3, D1, BIKE, 0, DL, NONE, NULL },
	{ "/cleared in a pause lifts the flag that day", "g g PF PC P", 4, R, 1, 3, "", BIKE, 0, PA, NONE, "Cleared by a doctor or physio" },
	{ "/cleared without a flag changes nothing", "g*3 s1C", 5, M, 1, 5, S1, EASY, 10, 0, NONE, NULL },
	/* Pauses. */
	{ "a paused day: no plan", "g*3 P", 4, M, 1, 4, "", BIKE, 0, PA, NONE, "Paused" },
	{ "a 7/10 in a pause deloads after it (issue 8)", "g*3 P Ps7 P", 7, M, 1, 4, D1, BIKE, 0, DL, NONE, NULL },
	{ "a pause of 7 days ends with a deload day", "g*5 P*7", 13, M, 1, 6, D1, BIKE, 0, DL, NONE, "Back after 7 days' pause" },
	{ "then the full plan", "g*5 P*7 g g", 15, M, 1, 6, S1, BIKE, 0, 0, END, NULL },
	{ "after a long pause running restarts from its first step", "g*25 P*10 g g g g", 40, M, 2, 14, S2, EASY, 10, 0, STEP, "Running again from today: easy, up to 10 min" },
	{ "a pause of 6 days: no deload", "g*5 P*6", 12, M, 1, 6, S1, EASY, 10, 0, NONE, NULL },
	/* Leaving a deload: one change at a time. */
	{ "leaving a deload in stage 2: full dose first", "g*15 s6 g g", 19, M, 2, 2, "IR 3x20, ER 3x20", BIKE, 0, 0, END, "Clamshell (band) comes back tomorrow" },
	{ "the clamshell a day later", "g*15 s6 g g g", 20, M, 2, 3, S2, BIKE, 0, 0, BACK, "Clamshell (band) joins the session today" },
	{ "running the day after", "g*15 s6 g g g g", 21, M, 2, 4, S2, EASY, 25, 0, STEP, "Running again from today" },
	{ "an amber deload day: the full plan waits", "g*15 s6 g a", 19, M, 2, 2, "IR 2x12, ER 2x12", BIKE, 0, DL | HO, NONE, "waits" },
	{ "a silent deload day breaks the run", "g*15 s6 g . g", 20, M, 2, 2, "IR 2x12, ER 2x12", BIKE, 0, DL, NONE, "(1 so far)" },
	{ "no new stage while deloaded (issue 8)", "g*12 s6 g g", 16, M, 1, 13, S1, BIKE, 0, 0, END, NULL },
	{ "the stage ends on counted full-plan days", "g*12 s6 g g g g", 18, M, 2, 1, S2, EASY, 20, 0, STAGE, NULL },
	{ "a deload over 7 days: see a physio", "g*5 s6*8", 14, M, 1, 6, D1, BIKE, 0, DL | SC, NONE, "Still easing off after 7 easier days" },
	{ "not yet after 6", "g*5 s6*8", 13, M, 1, 6, D1, BIKE, 0, DL, NONE, NULL },
	{ "flagged days do not count toward that advice", "g*5 s6 F .*7 s1C s1", 16, M, 1, 6, D1, BIKE, 0, DL, NONE, NULL },
	{ "a skipped session says why the day did not count", "g*3 s1S", 5, M, 1, 4, S1, EASY, 10, 0, NONE, "was skipped" },
	/* Not improving. */
	{ "mornings at 3 for 3 weeks: see a physio", "m3s1*21", 22, M, 1, 14, S1, BIKE, 0, HO | SC, NONE, "has not improved" },
	{ "not yet after 2 weeks", "m3s1*21", 21, M, 1, 14, S1, BIKE, 0, HO, NONE, NULL },
	{ "the advice holds the next stage", "m2s1*28", 29, M, 2, 14, S2, EASY, 35, HO | SC, NONE, "waits until your pain improves" },
	{ "improving weeks: no advice", "m4s1*7 m3s1*7 m2.5s1*7", 22, M, 1, 14, S1, BIKE, 0, HO, NONE, NULL },
	{ "a mean under 2: no advice", "m1.5s1*21", 22, M, 2, 8, S2, EASY, 40, 0, STEP, NULL },
	{ "a week with 3 mornings decides nothing", "m3s1 . m3s1 . m3s1 . . m3s1*14", 22, M, 1, 14, S1, BIKE, 0, HO, NONE, NULL },
	/* No reply. */
	{ "one nudge after the first silent day", "g*3 .", 5, M, 1, 4, S1, EASY, 10, NU, NONE, "No score yesterday" },
	{ "no second nudge", "g*3 . .", 6, M, 1, 4, S1, EASY, 10, 0, NONE, NULL },
	{ "after 3 silent days: ask whether to pause", "g*3 . . .", 7, M, 1, 4, S1, EASY, 10, AP, NONE, "/pause" },
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
	int32_t day = start_day() + sc->day - 1;

	hist_build(sc->history, start_day(), &hs);
	assert_int_equal(sc->rest ? coach_plan_rest(prog, &runner, &hs.h, day,
						    &plan) :
			 coach_plan_day(prog, &runner, &hs.h, day, &plan), 0);
	strength_text(&plan, got, sizeof got);
	bool ok = !plan.before_start && plan.program_day == sc->day &&
		  plan.stage == sc->stage &&
		  plan.day_in_stage == sc->day_in_stage &&
		  !strcmp(got, sc->strength) && plan.running == sc->running &&
		  plan.running_minutes == sc->minutes &&
		  plan.flags == sc->flags && plan.change == sc->change &&
		  plan.rest_of_day == sc->rest;
	if (sc->reason && !sc->reason[0])
		ok = ok && plan.n_reasons == 0;
	else if (sc->reason)
		ok = ok && has_reason(&plan, sc->reason);
	if (!ok) {
		print_message("scenario \"%s\" (history \"%s\", day %d%s):\n"
			      "  got stage %d day %d, strength \"%s\", running %s %d, flags 0x%x, change %s\n"
			      "  want stage %d day %d, strength \"%s\", running %s %d, flags 0x%x, change %s, reason \"%s\"\n",
			      sc->desc, sc->history, sc->day,
			      sc->rest ? ", rest of day" : "", plan.stage,
			      plan.day_in_stage, got,
			      coach_running_name(plan.running),
			      plan.running_minutes, plan.flags,
			      coach_change_name(plan.change), sc->stage,
			      sc->day_in_stage, sc->strength,
			      coach_running_name(sc->running), sc->minutes,
			      sc->flags, coach_change_name(sc->change),
			      sc->reason ? sc->reason : "(any)");
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
 * Day-by-day sequences of the integration test's histories.  Columns:
 * description, history, the expected morning mode per day from day 1
 * (P paused, R red flag, S severe stop, D deload, H hold, - full plan),
 * the same for the rest of each day.
 */
static const struct sequence {
	const char *desc, *history, *morning, *rest;
} sequences[] = {
	{ "night pain on day 5, no /cleared: stopped from then on",
	  "g*4 F g*7", "-----RRRRRRR", "----RRRRRRRR" },
	{ "/cleared on day 8: two easier days, then the full plan",
	  "g*4 F g g s1C g g g", "-----RRRDD--", "----RRR-DD--" },
	{ "a morning 8 on day 3",
	  "g g m8 g g g g", "---SDD-", "--SSDD-" },
	{ "a pause with a red flag inside it",
	  "g*3 P PF P g g", "---PPRRR", "---PRRRR" },
};

static char mode_code(const struct coach_plan *plan)
{
	if (plan->flags & COACH_FLAG_PAUSED)
		return (plan->flags & COACH_FLAG_RED_FLAG) ? 'R' : 'P';
	if (plan->flags & COACH_FLAG_RED_FLAG)
		return 'R';
	if (plan->flags & COACH_FLAG_SEVERE)
		return 'S';
	if (plan->flags & COACH_FLAG_DELOAD)
		return 'D';
	if (plan->flags & COACH_FLAG_HOLD)
		return 'H';
	return '-';
}

static void test_sequences(void **state)
{
	static struct hist hs;
	struct coach_program prog;
	struct coach_runner runner = { start_day(), 0 };
	int failed = 0;

	(void)state;
	iliopsoas(&prog);
	for (size_t i = 0; i < sizeof sequences / sizeof sequences[0]; i++) {
		const struct sequence *sq = &sequences[i];
		char m[MAX_DAYS + 1], r[MAX_DAYS + 1];
		size_t n = strlen(sq->morning);

		hist_build(sq->history, start_day(), &hs);
		for (size_t d = 0; d < n; d++) {
			struct coach_plan a, b;
			assert_int_equal(coach_plan_day(&prog, &runner, &hs.h,
							start_day() + (int32_t)d,
							&a), 0);
			assert_int_equal(coach_plan_rest(&prog, &runner, &hs.h,
							 start_day() + (int32_t)d,
							 &b), 0);
			m[d] = mode_code(&a);
			r[d] = mode_code(&b);
			/* Stopped days never carry strength or running. */
			if (strchr("RSP", m[d]) && (a.n_strength || a.running))
				fail_msg("%s: day %zu has training", sq->desc, d + 1);
			if (strchr("RSP", r[d]) && (b.n_strength || b.running))
				fail_msg("%s: day %zu (rest) has training",
					 sq->desc, d + 1);
		}
		m[n] = r[n] = '\0';
		if (strcmp(m, sq->morning) || strcmp(r, sq->rest)) {
			print_message("sequence \"%s\":\n  morning got %s want %s\n"
				      "  rest    got %s want %s\n", sq->desc,
				      m, sq->morning, r, sq->rest);
			failed++;
		}
	}
	if (failed)
		fail_msg("%d sequence(s) failed", failed);
}

/* ---------------------------------------------------------- settings */

/* Every threshold and counter of design.md's rules is a program setting:
 * changing it changes a plan.  Columns: the setting (as program files
 * spell it), how to change it, a history and a program day whose plan
 * (the rest of that day) differs once it is changed. */
static void set_green_max(struct coach_rules *r) { r->green_max = 1.0; }
static void set_red_min(struct coach_rules *r) { r->red_min = 7.0; }
static void set_stop_min(struct coach_rules *r) { r->stop_min = 9.0; }
static void set_creep_min(struct coach_rules *r) { r->creep_min = 4.0; }
static void set_morning_rise(struct coach_rules *r) { r->morning_rise = 3.0; }
static void set_creep_days(struct coach_rules *r) { r->creep_days = 6; }
static void set_severe_days(struct coach_rules *r) { r->severe_days = 1; }
static void set_severe_repeat(struct coach_rules *r) { r->severe_repeat_days = 2; }
static void set_deload_sets(struct coach_rules *r) { r->deload_sets = 1; }
static void set_deload_reps(struct coach_rules *r) { r->deload_reps = 10; }
static void set_recover(struct coach_rules *r) { r->recover_days = 1; }
static void set_cleared(struct coach_rules *r) { r->cleared_deload_days = 1; }
static void set_deload_advice(struct coach_rules *r) { r->deload_advice_days = 14; }
static void set_long_pause(struct coach_rules *r) { r->long_pause_days = 3; }
static void set_stall_window(struct coach_rules *r) { r->stall_window = 5; }
static void set_stall_windows(struct coach_rules *r) { r->stall_windows = 1; }
static void set_stall_mean(struct coach_rules *r) { r->stall_min_mean = 3.5; }
static void set_stall_scored(struct coach_rules *r) { r->stall_min_scored = 3; }
static void set_nudge(struct coach_rules *r) { r->nudge_after = 2; }
static void set_ask_pause(struct coach_rules *r) { r->ask_pause_after = 4; }
static void set_easy_after(struct coach_rules *r) { r->easy_after_green = 5; }
static void set_easy_start(struct coach_rules *r) { r->easy_start_minutes = 15; }
static void set_easy_step(struct coach_rules *r) { r->easy_step_minutes = 10; }
static void set_easy_step_days(struct coach_rules *r) { r->easy_step_days = 4; }
static void set_easy_max(struct coach_rules *r) { r->easy_max_minutes = 30; }
static void set_fast_after(struct coach_rules *r) { r->fast_after_easy = 28; }
static void set_fast_step(struct coach_rules *r) { r->fast_step_days = 10; }
static void set_stage_days(struct coach_rules *r) { (void)r; }

static const struct setting_row {
	const char *key;
	void (*set)(struct coach_rules *r);
	const char *history;
	int day;
} setting_rows[] = {
	{ "pain: green_max", set_green_max, "s1.5*3", 4 },
	{ "pain: red_min", set_red_min, "g*3 s6", 5 },
	{ "pain: stop_min", set_stop_min, "g*3 s8", 5 },
	{ "pain: creep_min", set_creep_min, "m1 m3", 2 },
	{ "pain: morning_rise", set_morning_rise, "m1 m3", 2 },
	{ "pain: creep_days", set_creep_days, "m1 m2*5 m3", 7 },
	{ "pain: severe_days", set_severe_days, "g*3 x", 5 },
	{ "pain: severe_repeat_days", set_severe_repeat, "g*3 x g g x", 8 },
	{ "deload: sets", set_deload_sets, "g*3 s6", 5 },
	{ "deload: reps", set_deload_reps, "g*3 s6", 5 },
	{ "pain: recover_days", set_recover, "g*3 s6 g", 6 },
	{ "pain: cleared_deload_days", set_cleared, "g*3 F s1C s1", 7 },
	{ "pain: deload_advice_days", set_deload_advice, "g*5 s6*8", 14 },
	{ "pain: long_pause_days", set_long_pause, "g*5 P*3", 9 },
	{ "pain: stall_window_days", set_stall_window, "m2s1*15", 16 },
	{ "pain: stall_windows", set_stall_windows, "m3s1*14", 15 },
	{ "pain: stall_min_mean", set_stall_mean, "m3s1*21", 22 },
	{ "pain: stall_min_scored", set_stall_scored, "m3s1 . m3s1 . m3s1 . . m3s1*14", 22 },
	{ "pain: nudge_after_days", set_nudge, "g*3 .", 5 },
	{ "pain: ask_pause_after_days", set_ask_pause, "g*3 . . .", 7 },
	{ "running: easy_after_green_days", set_easy_after, "g*3", 4 },
	{ "running: easy_start_minutes", set_easy_start, "g*3", 4 },
	{ "running: easy_step_minutes", set_easy_step, "g*6", 7 },
	{ "running: easy_step_days", set_easy_step_days, "g*6", 7 },
	{ "running: easy_max_minutes", set_easy_max, "g*21", 22 },
	{ "running: fast_after_easy_days", set_fast_after, "g*24", 25 },
	{ "running: fast_step_days", set_fast_step, "g*31", 32 },
	{ "stages: days", set_stage_days, "g*14", 15 },
};

/* The parts of a plan a runner would see. */
static bool same_plan(const struct coach_plan *a, const struct coach_plan *b)
{
	if (a->n_strength != b->n_strength || a->running != b->running ||
	    a->running_minutes != b->running_minutes || a->stage != b->stage ||
	    a->flags != b->flags || a->change != b->change ||
	    a->n_reasons != b->n_reasons)
		return false;
	for (size_t i = 0; i < a->n_strength; i++)
		if (strcmp(a->strength[i].name, b->strength[i].name) ||
		    a->strength[i].sets != b->strength[i].sets ||
		    a->strength[i].reps != b->strength[i].reps)
			return false;
	for (size_t i = 0; i < a->n_reasons; i++)
		if (strcmp(a->reasons[i], b->reasons[i]))
			return false;
	return true;
}

static void test_settings(void **state)
{
	static struct hist hs;
	struct coach_program base, changed;
	struct coach_runner runner = { start_day(), 0 };
	int failed = 0;

	(void)state;
	iliopsoas(&base);
	for (size_t i = 0; i < sizeof setting_rows / sizeof setting_rows[0]; i++) {
		const struct setting_row *s = &setting_rows[i];
		struct coach_plan a, b;
		char err[256];
		int32_t day = start_day() + s->day - 1;

		changed = base;
		s->set(&changed.rules);
		if (s->set == set_stage_days)
			changed.stages[0].days = 15;
		if (coach_program_validate(&changed, err, sizeof err) != 0)
			fail_msg("%s: the changed program is invalid: %s",
				 s->key, err);
		hist_build(s->history, start_day(), &hs);
		assert_int_equal(coach_plan_rest(&base, &runner, &hs.h, day, &a), 0);
		assert_int_equal(coach_plan_rest(&changed, &runner, &hs.h, day, &b), 0);
		if (same_plan(&a, &b)) {
			print_message("setting %s: no effect on \"%s\" day %d\n",
				      s->key, s->history, s->day);
			failed++;
		}
	}
	if (failed)
		fail_msg("%d setting(s) had no effect", failed);
}

/* The defaults are design.md's. */
static void test_defaults(void **state)
{
	struct coach_program p;
	const struct coach_rules *r = &p.rules;

	(void)state;
	coach_program_defaults(&p);
	assert_true(r->green_max == 2.0 && r->red_min == 5.0 &&
		    r->stop_min == 8.0 && r->creep_min == 3.0 &&
		    r->morning_rise == 2.0);
	assert_int_equal(r->creep_days, 5);
	assert_int_equal(r->severe_days, 2);
	assert_int_equal(r->severe_repeat_days, 7);
	assert_int_equal(r->deload_sets, 2);
	assert_int_equal(r->deload_reps, 12);
	assert_int_equal(r->recover_days, 2);
	assert_int_equal(r->cleared_deload_days, 2);
	assert_int_equal(r->deload_advice_days, 7);
	assert_int_equal(r->long_pause_days, 7);
	assert_int_equal(r->stall_window, 7);
	assert_int_equal(r->stall_windows, 2);
	assert_true(r->stall_min_mean == 2.0);
	assert_int_equal(r->stall_min_scored, 4);
	assert_int_equal(r->nudge_after, 1);
	assert_int_equal(r->ask_pause_after, 3);
	assert_int_equal(r->easy_after_green, 3);
	assert_int_equal(r->easy_start_minutes, 10);
	assert_int_equal(r->easy_step_minutes, 5);
	assert_int_equal(r->easy_step_days, 3);
	assert_int_equal(r->easy_max_minutes, 40);
	assert_int_equal(r->fast_after_easy, 21);
	assert_int_equal(r->fast_step_days, 7);
	assert_int_equal(r->howto_days, 3);
}

/* ----------------------------------------------------------- status */

static void test_status(void **state)
{
	static struct hist hs;
	struct coach_program prog;
	struct coach_runner runner = { start_day(), 0 };
	struct coach_status st;

	(void)state;
	iliopsoas(&prog);

	hist_build("m2 m2s1D m1K m1S m1D s1 F", start_day(), &hs);
	assert_int_equal(coach_status_day(&prog, &runner, &hs.h,
					  start_day() + 6, &st), 0);
	assert_int_equal(st.done7, 2);
	assert_int_equal(st.skipped7, 2);
	assert_int_equal(st.sent7, 0);
	assert_true(st.today.flags & COACH_FLAG_RED_FLAG);
	assert_int_equal(st.today.flag_since, start_day() + 6);
	assert_int_equal(st.week[6].day, start_day() + 6);
	assert_true(st.week[6].red_flag);
	assert_int_equal(st.week[0].morning10, 20);
	assert_int_equal(st.week[1].session10, 10);
	assert_int_equal(st.week[5].morning10, COACH_NO_SCORE);
	/* The mornings of the days before: 2, 2, 1, 1, 1. */
	assert_true(st.mean7 > 1.39 && st.mean7 < 1.41);

	/* The next stage on day 15 when every day from day 6 counts. */
	hist_build("g*5", start_day(), &hs);
	assert_int_equal(coach_status_day(&prog, &runner, &hs.h,
					  start_day() + 5, &st), 0);
	assert_int_equal(st.next_stage_day, start_day() + 14);
	assert_int_equal(st.green_streak, 5);

	/* Days before the start are empty; the last stage has no next. */
	hist_build("g*30", start_day(), &hs);
	assert_int_equal(coach_status_day(&prog, &runner, &hs.h,
					  start_day() + 30, &st), 0);
	assert_int_equal(st.next_stage_day, COACH_NO_DAY);
	assert_int_equal(coach_status_day(&prog, &runner, &hs.h,
					  start_day() + 2, &st), 0);
	assert_int_equal(st.week[0].morning10, COACH_NO_SCORE);
}

/* ------------------------------------------------------- properties */

/* A small deterministic generator (xorshift), so a failure repeats. */
static uint32_t rng(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/*
 * Random histories of 60 days, checked day by day against the rules that
 * must hold whatever happens: a change only after a green day and one at
 * a time; stage and running move only by their change; silent, flagged,
 * paused days never count; a flag stands until /cleared; no training on
 * flagged, severe or paused days; a deload never carries running; a
 * report of the day stops that day's training; every reason is one valid
 * line.
 */
static void test_invariants(void **state)
{
	static struct hist hs;
	static const char *const tokens[] = {
		"g", "g", "g", "m1s1", "m2", "a", "r", "x", ".", ".", "D", "S",
		"F", "C", "P", "m3", "s1C", "m6", "PF",
	};
	struct coach_program prog;
	struct coach_runner runner = { start_day(), 0 };
	uint32_t seed = 12345;

	(void)state;
	iliopsoas(&prog);
	for (int run = 0; run < 300; run++) {
		char spec[60 * 6] = "";
		for (int d = 0; d < 60; d++) {
			size_t n = sizeof tokens / sizeof tokens[0];
			/* Mostly green, so that plans do progress. */
			const char *t = rng(&seed) % 3 ? tokens[rng(&seed) % 4] :
					tokens[rng(&seed) % n];
			strcat(spec, t);
			strcat(spec, " ");
		}
		hist_build(spec, start_day(), &hs);
		struct coach_plan prev = { 0 };
		bool flag_standing = false;
		for (int d = 0; d < 60; d++) {
			struct coach_plan p, rest;
			int32_t day = start_day() + d;
			const struct coach_day_log *log = NULL;
			for (size_t i = 0; i < hs.h.n_days; i++)
				if (hs.days[i].day == day)
					log = &hs.days[i];
			assert_int_equal(coach_plan_day(&prog, &runner, &hs.h, day, &p), 0);
			assert_int_equal(coach_plan_rest(&prog, &runner, &hs.h, day, &rest), 0);
			bool paused = p.flags & COACH_FLAG_PAUSED;
			if (flag_standing && !(p.flags & COACH_FLAG_RED_FLAG))
				fail_msg("run %d day %d: the flag lapsed (%s)", run, d + 1, spec);
			if ((p.flags & (COACH_FLAG_RED_FLAG | COACH_FLAG_SEVERE |
					COACH_FLAG_PAUSED)) &&
			    (p.n_strength || p.running != COACH_RUN_BIKE))
				fail_msg("run %d day %d: training on a stopped day", run, d + 1);
			if ((p.flags & COACH_FLAG_DELOAD) && p.running != COACH_RUN_BIKE)
				fail_msg("run %d day %d: running while deloaded", run, d + 1);
			if (p.change != COACH_CHANGE_NONE) {
				const struct coach_day_log *y = NULL;
				for (size_t i = 0; i < hs.h.n_days; i++)
					if (hs.days[i].day == day - 1)
						y = &hs.days[i];
				int hi = y ? (y->morning10 > y->session10 ?
					      y->morning10 : y->session10) : -1;
				if (d == 0 || !y || hi < 0 || hi > 20 ||
				    y->morning10 < 0 ||
				    (prev.flags & COACH_FLAG_PAUSED))
					fail_msg("run %d day %d: a change after a day that was not green (%s)",
						 run, d + 1, spec);
				if (p.flags & (COACH_FLAG_DELOAD | COACH_FLAG_RED_FLAG))
					fail_msg("run %d day %d: a change while deloaded or flagged", run, d + 1);
			}
			if (d > 0 && !paused && !(prev.flags & COACH_FLAG_PAUSED)) {
				if (p.stage != prev.stage &&
				    p.change != COACH_CHANGE_NEW_STAGE)
					fail_msg("run %d day %d: stage moved without its change", run, d + 1);
				if (p.change != COACH_CHANGE_RUN_STEP &&
				    p.running > prev.running &&
				    prev.running != COACH_RUN_BIKE)
					fail_msg("run %d day %d: running stepped up without its change", run, d + 1);
			}
			/* A report of the day acts on that day. */
			bool severe = log && (log->morning10 >= 80 || log->session10 >= 80);
			if (log && !paused && (log->red_flag || severe) &&
			    !log->cleared && (rest.n_strength ||
					     rest.running != COACH_RUN_BIKE))
				fail_msg("run %d day %d: a red flag or severe score left training in the day", run, d + 1);
			for (size_t i = 0; i < p.n_reasons; i++)
				if (!utf8_ok(p.reasons[i]) || strchr(p.reasons[i], '\n') ||
				    !p.reasons[i][0])
					fail_msg("run %d day %d: bad reason line", run, d + 1);
			if (log && log->red_flag)
				flag_standing = true;
			if (log && log->cleared)
				flag_standing = false;
			prev = p;
		}
	}
}

/* --------------------------------------------------------------- edges */

static void test_edges(void **state)
{
	struct coach_program prog;
	struct coach_runner r = { start_day(), 0 };
	struct coach_history h = { 0 };
	struct coach_plan plan;

	(void)state;
	iliopsoas(&prog);
	assert_int_equal(coach_plan_day(&prog, &r, &h, start_day() - 1, &plan), 0);
	assert_true(plan.before_start);
	assert_int_equal(coach_plan_rest(&prog, &r, &h, start_day() - 1, &plan), 0);
	assert_true(plan.before_start);
	prog.n_stages = 0;
	assert_int_equal(coach_plan_day(&prog, &r, &h, start_day(), &plan), -1);
	assert_int_equal(coach_plan_day(NULL, &r, &h, start_day(), &plan), -1);
	iliopsoas(&prog);
	/* A year of green days: still a valid plan, last stage open. */
	assert_int_equal(coach_plan_day(&prog, &r, &h, start_day() + 365, &plan), 0);
	assert_int_equal(plan.stage, 1); /* nothing scored: nothing moved */
	/* Stretch sessions follow the runner within the program's range. */
	static const struct { int runner, expect; } rows[] = {
		{ 0, 3 }, { 2, 2 }, { 3, 3 }, { 5, 3 }, { 1, 2 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct coach_runner rr = { start_day(), rows[i].runner };
		assert_int_equal(coach_plan_day(&prog, &rr, &h, start_day(), &plan), 0);
		assert_int_equal(plan.stretch_sessions, rows[i].expect);
	}
	assert_string_equal(coach_running_name(COACH_RUN_TEMPO), "tempo");
	assert_string_equal(coach_flag_name(COACH_FLAG_SEVERE), "severe");
	assert_string_equal(coach_change_name(COACH_CHANGE_RUN_STEP), "run_step");
}

/* How-to days: an exercise is new on its first day and again when it
 * comes back after being left out. */
static void test_exercise_days(void **state)
{
	static struct hist hs;
	struct coach_program prog;
	struct coach_runner runner = { start_day(), 0 };
	struct coach_plan p;

	(void)state;
	iliopsoas(&prog);
	hist_build("g*15 s6 g g g", start_day(), &hs);
	assert_int_equal(coach_plan_day(&prog, &runner, &hs.h, start_day() + 14, &p), 0);
	assert_int_equal(p.strength_day[0], 15);
	assert_int_equal(p.strength_day[2], 1); /* the clamshell, new */
	assert_int_equal(p.stretch_day, 15);
	assert_int_equal(coach_plan_day(&prog, &runner, &hs.h, start_day() + 19, &p), 0);
	assert_int_equal(p.n_strength, 3);
	assert_int_equal(p.strength_day[2], 1); /* back after the deload */
	assert_int_equal(p.strength_day[0], 20);
}

/* Reasons are worded from the day the runner reads them: tomorrow's
 * plan, seen today, says "tomorrow" and "today".  Columns: history,
 * program day planned, program day of the view, a substring of one
 * reason. */
static const struct {
	const char *history;
	int day, view;
	const char *reason;
} view_rows[] = {
	{ "g*3", 4, 3, "Easy running from tomorrow: 10 min" },
	{ "g*3", 4, 4, "Easy running from today: 10 min" },
	{ "g*5 s6", 7, 6, "Today's 6/10: strength eased to 2×12 tomorrow" },
	{ "g*5 a", 7, 6, "The pain today was above 2/10" },
	{ "g*3 x", 5, 4, "Today's 8/10: no strength and no running tomorrow" },
	{ "g*4 F", 6, 5, "Pain at rest or at night reported today" },
	{ "g*14", 15, 14, "New stage tomorrow" },
};

static void test_view(void **state)
{
	static struct hist hs;
	struct coach_program prog;
	struct coach_runner runner = { start_day(), 0 };
	int failed = 0;

	(void)state;
	iliopsoas(&prog);
	for (size_t i = 0; i < sizeof view_rows / sizeof view_rows[0]; i++) {
		struct coach_plan p;
		hist_build(view_rows[i].history, start_day(), &hs);
		assert_int_equal(coach_plan_view(&prog, &runner, &hs.h,
						 start_day() + view_rows[i].day - 1,
						 false,
						 start_day() + view_rows[i].view - 1,
						 &p), 0);
		if (!has_reason(&p, view_rows[i].reason)) {
			print_message("view row %zu: no reason \"%s\"\n", i,
				      view_rows[i].reason);
			print_reasons(&p);
			failed++;
		}
	}
	/* A severe score in a pause is marked on that day's rest plan. */
	hist_build("g*3 P Pm8", start_day(), &hs);
	struct coach_plan p;
	assert_int_equal(coach_plan_rest(&prog, &runner, &hs.h, start_day() + 4, &p), 0);
	assert_true(p.flags & COACH_FLAG_SEVERE);
	assert_true(p.flags & COACH_FLAG_PAUSED);
	if (failed)
		fail_msg("%d view row(s) failed", failed);
}

/* Cutting a byte-capped text keeps whole characters.  Columns: input,
 * what is left. */
static void test_utf8_cut(void **state)
{
	static const struct { const char *in, *out; } rows[] = {
		{ "abc", "abc" },
		{ "ab\xc3\xa9", "ab\xc3\xa9" },             /* é whole */
		{ "ab\xc3", "ab" },                         /* é cut */
		{ "a\xf0\x9f\x98", "a" },                   /* 😣 cut after 3 */
		{ "a\xf0\x9f\x98\xa3", "a\xf0\x9f\x98\xa3" }, /* 😣 whole */
		{ "a\xe2\x80", "a" },                       /* – cut */
		{ "", "" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char buf[16];
		snprintf(buf, sizeof buf, "%s", rows[i].in);
		coach_utf8_cut_tail(buf);
		assert_string_equal(buf, rows[i].out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scenarios),
		cmocka_unit_test(test_sequences),
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_invariants),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_exercise_days),
		cmocka_unit_test(test_view),
		cmocka_unit_test(test_utf8_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
