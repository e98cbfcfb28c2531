/*
 * Program files and program checks: the two shipped programs load with the
 * values of their seeds; every kind of bad file is refused with one exact
 * "file:line: what — what to do" message; coach_program_check blames the
 * right setting.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "coach/program.h"
#include "program_file.h"

#define ERR_MAX 1024

/* ---------------------------------------------------------------- shipped */

/* The default program: seed 000 and design.md, value by value. */
static void test_shipped_iliopsoas(void **state)
{
	static const char *const stretches[] = {
		"Hip flexor stretch", "Quadriceps stretch",
		"Hamstring stretch", "Piriformis stretch",
	};
	/* stage (0-based), exercise name: stage 1 lists two, 2 and 3 add one */
	static const struct {
		size_t stage;
		const char *name;
	} exercises[] = {
		{ 0, "Seated internal hip rotation (band)" },
		{ 0, "Seated external hip rotation (band)" },
		{ 1, "Clamshell (band)" },
		{ 2, "Mini-squat with isometric wall press" },
	};
	struct coach_program p, d;
	char err[ERR_MAX] = "";
	size_t seen[3] = { 0 };

	(void)state;
	if (program_file_load(TEST_SOURCE_DIR "/conf/programs/iliopsoas.conf",
			      &p, err, sizeof err))
		fail_msg("%s", err);
	assert_string_equal(p.name, "iliopsoas");
	assert_true(strstr(p.source, "Johnston") != NULL);
	assert_int_equal(p.stretch_sessions_min, 2);
	assert_int_equal(p.stretch_sessions_max, 3);
	assert_int_equal(p.n_stretches, 4);
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(p.stretches[i].name, stretches[i]);
		assert_int_equal(p.stretches[i].sets, 2);
		assert_int_equal(p.stretches[i].seconds, 30);
		assert_true(p.stretches[i].howto[0] != '\0');
	}
	assert_int_equal(p.n_stages, 3);
	assert_int_equal(p.stages[0].days, 14);
	assert_int_equal(p.stages[1].days, 14);
	assert_int_equal(p.stages[2].days, 0);
	for (size_t i = 0; i < sizeof exercises / sizeof exercises[0]; i++) {
		const struct coach_stage *st = &p.stages[exercises[i].stage];
		const struct coach_exercise *e = &st->exercises[seen[exercises[i].stage]++];

		assert_string_equal(e->name, exercises[i].name);
		assert_int_equal(e->sets, 3);
		assert_int_equal(e->reps, 20);
		assert_true(e->howto[0] != '\0');
	}
	for (size_t s = 0; s < 3; s++)
		assert_int_equal(p.stages[s].n_exercises, seen[s]);
	assert_string_equal(p.cross_training, "bike");
	assert_true(strstr(p.avoid, "aqua-jogging") != NULL);
	/* Every threshold is written out and equals design.md's defaults. */
	coach_program_defaults(&d);
	assert_true(p.rules.green_max == d.rules.green_max);
	assert_true(p.rules.red_min == d.rules.red_min);
	assert_true(p.rules.stop_min == d.rules.stop_min);
	assert_true(p.rules.morning_rise == d.rules.morning_rise);
	assert_true(p.rules.stall_min_mean == d.rules.stall_min_mean);
	assert_int_equal(p.rules.deload_sets, 2);
	assert_int_equal(p.rules.deload_reps, 12);
	assert_int_equal(p.rules.recover_days, 2);
	assert_int_equal(p.rules.stall_window, 7);
	assert_int_equal(p.rules.stall_windows, 2);
	assert_int_equal(p.rules.nudge_after, 1);
	assert_int_equal(p.rules.easy_after_green, 3);
	assert_int_equal(p.rules.fast_after_easy, 21);
}

/* The eccentric variant of seed 004: different stages and doses, the same
 * file format. */
static void test_shipped_eccentric(void **state)
{
	struct coach_program p;
	char err[ERR_MAX] = "";

	(void)state;
	if (program_file_load(TEST_SOURCE_DIR
			      "/conf/programs/iliopsoas-eccentric.conf",
			      &p, err, sizeof err))
		fail_msg("%s", err);
	assert_string_equal(p.name, "iliopsoas-eccentric");
	assert_true(strstr(p.source, "004") != NULL);
	assert_int_equal(p.n_stretches, 3);
	assert_int_equal(p.n_stages, 3);
	assert_int_equal(p.stages[0].days, 21);
	assert_int_equal(p.stages[1].days, 21);
	assert_int_equal(p.stages[2].days, 0);
	assert_string_equal(p.stages[0].exercises[0].name,
			    "Supine slow leg lowering (bent knee)");
	/* Stage 3 names stage 2's band exercise again: a progression. */
	assert_string_equal(p.stages[1].exercises[0].name,
			    "Standing eccentric hip flexion (band)");
	assert_int_equal(p.stages[1].exercises[0].reps, 10);
	assert_string_equal(p.stages[2].exercises[0].name,
			    "Standing eccentric hip flexion (band)");
	assert_int_equal(p.stages[2].exercises[0].reps, 15);
	assert_int_equal(p.rules.fast_after_easy, 28);
	assert_int_equal(p.rules.stall_windows, 3);
	assert_int_equal(p.rules.deload_sets, 2);
	assert_int_equal(p.rules.deload_reps, 8);
	assert_true(p.rules.red_min == 5.0);
}

/* ------------------------------------------------------------- good texts */

/* A small valid program, one setting per line so that rows below can name
 * lines: 1 program, 2 name, 3 title, 4 stretches, 5-6 stages, 7 free. */
#define P_OPEN "program = {\n"
#define P_NAME "  name = \"t\";\n"
#define P_TITLE "  title = \"T\";\n"
#define P_STRETCH(n) "{ name = \"" n "\"; sets = 2; seconds = 30; howto = \"h\"; }"
#define P_STRETCHES "  stretches = ( " P_STRETCH("S") " );\n"
#define P_EXERCISE(n) "{ name = \"" n "\"; sets = 3; reps = 20; howto = \"h\"; }"
#define P_STAGE_A "{ title = \"A\"; days = 14; exercises = ( " P_EXERCISE("E") " ); }"
#define P_STAGE_B "{ title = \"B\"; days = 0; exercises = ( ); }"
#define P_STAGES "  stages = ( " P_STAGE_A ",\n    " P_STAGE_B " );\n"
#define P_HEAD P_OPEN P_NAME P_TITLE P_STRETCHES P_STAGES
#define P_CLOSE "};\n"

/* Strings exactly one byte too long for their arrays (64 and 200). */
#define S16 "abcdefghijklmnop"
#define S64 S16 S16 S16 S16
#define S200 S64 S64 S64 "abcdefgh"
#define X4(s) s ", " s ", " s ", " s
#define X12(s) X4(s) ", " X4(s) ", " X4(s)

/* Every setting of the pain rules is read from its key (design.md: every
 * threshold is a program setting).  Each value differs from its default,
 * so a key that is not read fails here. */
static void test_every_setting(void **state)
{
	static const char text[] = P_HEAD
		"  howto_days = 5;\n"
		"  running = { easy_after_green_days = 4; easy_start_minutes = 15;"
		" easy_step_minutes = 10; easy_step_days = 4; easy_max_minutes = 50;"
		" fast_after_easy_days = 28; fast_step_days = 10; };\n"
		"  pain = { green_max = 1.5; red_min = 6; stop_min = 9;"
		" creep_min = 4; morning_rise = 3; creep_days = 6; severe_days = 3;"
		" severe_repeat_days = 10; recover_days = 3;"
		" cleared_deload_days = 4; deload_advice_days = 9;"
		" long_pause_days = 5; stall_window_days = 6; stall_windows = 3;"
		" stall_min_mean = 2.5; stall_min_scored = 5;"
		" nudge_after_days = 2; ask_pause_after_days = 4; };\n"
		"  deload = { sets = 1; reps = 10; };\n" P_CLOSE;
	struct coach_program p;
	char err[ERR_MAX] = "";
	const struct coach_rules *r = &p.rules;

	(void)state;
	if (program_file_load_string(text, "all.conf", &p, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(r->howto_days, 5);
	assert_int_equal(r->easy_after_green, 4);
	assert_int_equal(r->easy_start_minutes, 15);
	assert_int_equal(r->easy_step_minutes, 10);
	assert_int_equal(r->easy_step_days, 4);
	assert_int_equal(r->easy_max_minutes, 50);
	assert_int_equal(r->fast_after_easy, 28);
	assert_int_equal(r->fast_step_days, 10);
	assert_true(r->green_max == 1.5 && r->red_min == 6.0 &&
		    r->stop_min == 9.0 && r->creep_min == 4.0 &&
		    r->morning_rise == 3.0 && r->stall_min_mean == 2.5);
	assert_int_equal(r->creep_days, 6);
	assert_int_equal(r->severe_days, 3);
	assert_int_equal(r->severe_repeat_days, 10);
	assert_int_equal(r->recover_days, 3);
	assert_int_equal(r->cleared_deload_days, 4);
	assert_int_equal(r->deload_advice_days, 9);
	assert_int_equal(r->long_pause_days, 5);
	assert_int_equal(r->stall_window, 6);
	assert_int_equal(r->stall_windows, 3);
	assert_int_equal(r->stall_min_scored, 5);
	assert_int_equal(r->nudge_after, 2);
	assert_int_equal(r->ask_pause_after, 4);
	assert_int_equal(r->deload_sets, 1);
	assert_int_equal(r->deload_reps, 10);
}

/* The minimal program loads; unset groups keep the defaults; integers are
 * accepted where scores are floats. */
static void test_good_text(void **state)
{
	static const char text[] = P_HEAD
		"  pain = { green_max = 1; red_min = 4.5; };\n" P_CLOSE;
	struct coach_program p, d;
	char err[ERR_MAX] = "";

	(void)state;
	if (program_file_load_string(text, "good.conf", &p, err, sizeof err))
		fail_msg("%s", err);
	coach_program_defaults(&d);
	assert_string_equal(p.name, "t");
	assert_string_equal(p.source, "");
	assert_int_equal(p.n_stretches, 1);
	assert_int_equal(p.n_stages, 2);
	assert_int_equal(p.stages[1].n_exercises, 0);
	assert_true(p.rules.green_max == 1.0);
	assert_true(p.rules.red_min == 4.5);
	assert_true(p.rules.stop_min == d.rules.stop_min);
	assert_int_equal(p.rules.deload_reps, d.rules.deload_reps);
	assert_string_equal(p.cross_training, "bike");
	assert_int_equal(p.stretch_sessions_max, 3);
}

/* -------------------------------------------------------------- bad texts */

/* Columns: program text; the exact message (file name "bad.conf"). */
static const struct {
	const char *text;
	const char *want;
} bad_texts[] = {
	/* libconfig syntax errors */
	{ P_HEAD "  pain = { red_min 5.0; };\n" P_CLOSE,
	  "bad.conf:7: syntax error — check this line and the one before it for a missing ';', '=', '\"' or brace" },
	{ P_OPEN P_NAME P_TITLE,
	  "bad.conf:4: syntax error — check this line and the one before it for a missing ';', '=', '\"' or brace" },
	{ P_OPEN P_NAME "  name = \"u\";\n" P_CLOSE,
	  "bad.conf:3: duplicate setting name — each setting may appear once in its group; remove one" },
	{ "\n  @include \"/etc/passwd\"\n",
	  "bad.conf:2: @include is not allowed in a program file — copy the settings into this file" },
	/* missing or misplaced groups */
	{ "",
	  "bad.conf:1: `program` is missing — the file must hold program = { name = \"...\"; title = \"...\"; stretches = ( ... ); stages = ( ... ); };" },
	{ "program = ( 1 );\n",
	  "bad.conf:1: `program` must be a group in braces — write e.g. program = { name = \"iliopsoas\"; ... };" },
	{ P_HEAD P_CLOSE "extra = 1;\n",
	  "bad.conf:8: unknown setting `extra` — the only setting allowed here is program" },
	/* unknown keys, at every level */
	{ P_HEAD "  colour = \"red\";\n" P_CLOSE,
	  "bad.conf:7: unknown setting `colour` — the settings of `program` are name, title, source, stretch_sessions, stretches, stages, running, pain, deload, howto_days" },
	{ P_HEAD "  pain = { red_max = 5; };\n" P_CLOSE,
	  "bad.conf:7: pain: unknown setting `red_max` — the settings of `pain` are green_max, red_min, stop_min, creep_min, morning_rise, creep_days, severe_days, severe_repeat_days, recover_days, cleared_deload_days, deload_advice_days, long_pause_days, stall_window_days, stall_windows, stall_min_mean, stall_min_scored, nudge_after_days, ask_pause_after_days" },
	{ P_HEAD "  running = { bike = true; };\n" P_CLOSE,
	  "bad.conf:7: running: unknown setting `bike` — the settings of `running` are cross_training, avoid, easy_after_green_days, easy_start_minutes, easy_step_minutes, easy_step_days, easy_max_minutes, fast_after_easy_days, fast_step_days" },
	{ P_HEAD "  stretch_sessions = { min = 2; most = 3; };\n" P_CLOSE,
	  "bad.conf:7: stretch_sessions: unknown setting `most` — the settings of `stretch_sessions` are min, max" },
	{ P_OPEN P_NAME P_TITLE
	  "  stretches = ( { name = \"S\"; sets = 2; reps = 30; howto = \"h\"; } );\n"
	  P_STAGES P_CLOSE,
	  "bad.conf:4: stretch 1: unknown setting `reps` — the settings of stretch 1 are name, sets, seconds, howto" },
	{ P_OPEN P_NAME P_TITLE P_STRETCHES
	  "  stages = ( " P_STAGE_A ",\n    { title = \"B\"; weeks = 2; exercises = ( ); } );\n"
	  P_CLOSE,
	  "bad.conf:6: stage 2: unknown setting `weeks` — the settings of stage 2 are title, days, exercises" },
	{ P_OPEN P_NAME P_TITLE P_STRETCHES
	  "  stages = ( { title = \"A\"; days = 14; exercises = (\n"
	  "    { name = \"E\"; sets = 3; reps = 20; howto = \"h\"; rpe = 6; } ); } );\n"
	  P_CLOSE,
	  "bad.conf:6: stage 1, exercise 1: unknown setting `rpe` — the settings of stage 1, exercise 1 are name, sets, reps, howto" },
	/* missing required keys: reported at the enclosing group */
	{ P_OPEN P_TITLE P_STRETCHES P_STAGES P_CLOSE,
	  "bad.conf:1: `name` is missing — write e.g. name = \"iliopsoas\";" },
	{ P_OPEN P_NAME P_STRETCHES P_STAGES P_CLOSE,
	  "bad.conf:1: `title` is missing — write e.g. title = \"Hip flexor rehab\";" },
	{ P_OPEN P_NAME P_TITLE P_STAGES P_CLOSE,
	  "bad.conf:1: `stretches` is missing — write e.g. stretches = ( { name = \"Hip flexor stretch\"; sets = 2; seconds = 30; howto = \"...\"; } );" },
	{ P_OPEN P_NAME P_TITLE P_STRETCHES P_CLOSE,
	  "bad.conf:1: `stages` is missing — write e.g. stages = ( { title = \"Stage 1\"; days = 14; exercises = ( ... ); } );" },
	{ P_OPEN P_NAME P_TITLE
	  "  stretches = ( { name = \"S\"; sets = 2; howto = \"h\"; } );\n"
	  P_STAGES P_CLOSE,
	  "bad.conf:4: stretch 1: `seconds` is missing — write e.g. seconds = 30;" },
	{ P_OPEN P_NAME P_TITLE P_STRETCHES
	  "  stages = ( { title = \"A\"; exercises = ( " P_EXERCISE("E") " ); } );\n"
	  P_CLOSE,
	  "bad.conf:5: stage 1: `days` is missing — write e.g. days = 14;" },
	{ P_OPEN P_NAME P_TITLE P_STRETCHES
	  "  stages = ( { title = \"A\"; days = 14; exercises = (\n"
	  "    { name = \"E\"; sets = 3; howto = \"h\"; } ); } );\n" P_CLOSE,
	  "bad.conf:6: stage 1, exercise 1: `reps` is missing — write e.g. reps = 20;" },
	/* wrong types */
	{ P_OPEN "  name = 5;\n" P_TITLE P_STRETCHES P_STAGES P_CLOSE,
	  "bad.conf:2: `name` must be a text in double quotes — write e.g. name = \"iliopsoas\";" },
	{ P_OPEN P_NAME P_TITLE
	  "  stretches = ( { name = \"S\"; sets = \"2\"; seconds = 30; howto = \"h\"; } );\n"
	  P_STAGES P_CLOSE,
	  "bad.conf:4: stretch 1: `sets` must be a whole number — write e.g. sets = 2;" },
	{ P_OPEN P_NAME P_TITLE P_STRETCHES
	  "  stages = ( { title = \"A\"; days = 14.5; exercises = ( " P_EXERCISE("E") " ); } );\n"
	  P_CLOSE,
	  "bad.conf:5: stage 1: `days` must be a whole number — write e.g. days = 14;" },
	{ P_HEAD "  pain = { red_min = \"five\"; };\n" P_CLOSE,
	  "bad.conf:7: pain: `red_min` must be a number from 0 to 10 — write e.g. red_min = 5.0;" },
	{ P_HEAD "  deload = { sets = true; };\n" P_CLOSE,
	  "bad.conf:7: deload: `sets` must be a whole number — write e.g. sets = 2;" },
	{ P_HEAD "  pain = ( );\n" P_CLOSE,
	  "bad.conf:7: `pain` must be a group in braces — write e.g. pain = { red_min = 5.0; };" },
	{ P_OPEN P_NAME P_TITLE "  stretches = { };\n" P_STAGES P_CLOSE,
	  "bad.conf:4: `stretches` must be a list in parentheses — write e.g. stretches = ( { name = \"Hip flexor stretch\"; sets = 2; seconds = 30; howto = \"...\"; } );" },
	{ P_OPEN P_NAME P_TITLE "  stretches = ( \"Hip flexor\" );\n" P_STAGES
	  P_CLOSE,
	  "bad.conf:4: stretch 1 must be a group in braces — write e.g. { name = \"Hip flexor stretch\"; sets = 2; seconds = 30; howto = \"...\"; }" },
	/* too long, too many: refused, never truncated */
	{ P_OPEN P_NAME P_TITLE P_STRETCHES
	  "  stages = ( { title = \"A\"; days = 14; exercises = (\n"
	  "    " P_EXERCISE(S64) " ); } );\n" P_CLOSE,
	  "bad.conf:6: stage 1, exercise 1: `name` is 64 bytes long; at most 63 fit — shorten it" },
	{ P_OPEN P_NAME P_TITLE
	  "  stretches = ( { name = \"S\"; sets = 2; seconds = 30;\n"
	  "    howto = \"" S200 "\"; } );\n" P_STAGES P_CLOSE,
	  "bad.conf:5: stretch 1: `howto` is 200 bytes long; at most 199 fit — shorten it" },
	{ P_OPEN P_NAME P_TITLE "  stretches = ( " X12(P_STRETCH("S")) ",\n"
	  "    " P_STRETCH("T") " );\n" P_STAGES P_CLOSE,
	  "bad.conf:5: `stretches` lists 13 stretches; at most 12 fit — drop some" },
	{ P_OPEN P_NAME P_TITLE P_STRETCHES
	  "  stages = ( " X4(P_STAGE_A) ", " X4(P_STAGE_A) ",\n"
	  "    " P_STAGE_B " );\n" P_CLOSE,
	  "bad.conf:6: `stages` lists 9 stages; at most 8 fit — merge some" },
	{ P_OPEN P_NAME P_TITLE P_STRETCHES
	  "  stages = ( { title = \"A\"; days = 0; exercises = ( "
	  X12(P_EXERCISE("E")) ",\n    " P_EXERCISE("F") " ); } );\n"
	  P_CLOSE,
	  "bad.conf:6: stage 1: `exercises` lists 13 exercises; at most 12 fit — drop some" },
	/* values refused by coach_program_check, at the line of the setting */
	{ P_OPEN "  name = \"my program\";\n" P_TITLE P_STRETCHES P_STAGES
	  P_CLOSE,
	  "bad.conf:2: `name` must be 1 to 63 letters, digits, '-' or '_' (it names the file) — write e.g. name = \"iliopsoas\";" },
	{ P_OPEN P_NAME "  title = \"two\\nlines\";\n" P_STRETCHES P_STAGES
	  P_CLOSE,
	  "bad.conf:3: `title` must be one line without tabs or control characters — join it into one line" },
	{ P_OPEN P_NAME "  title = \"caf\xe9\";\n" P_STRETCHES P_STAGES
	  P_CLOSE,
	  "bad.conf:3: `title` is not valid UTF-8 — save the file as UTF-8" },
	{ P_OPEN P_NAME P_TITLE P_STRETCHES
	  "  stages = ( { title = \"A\";\n    days = 0; exercises = ( "
	  P_EXERCISE("E") " ); },\n    " P_STAGE_B " );\n" P_CLOSE,
	  "bad.conf:6: stage 1: `days` must be a whole number of days > 0 — write e.g. days = 14;" },
	{ P_OPEN P_NAME P_TITLE P_STRETCHES
	  "  stages = ( { title = \"A\"; days = -1; exercises = ( "
	  P_EXERCISE("E") " ); } );\n" P_CLOSE,
	  "bad.conf:5: stage 1: `days` must be 0 (open: the last stage goes on) or a whole number of days > 0 — write e.g. days = 0;" },
	{ P_OPEN P_NAME P_TITLE P_STRETCHES
	  "  stages = ( { title = \"A\"; days = 14; exercises = ( ); } );\n"
	  P_CLOSE,
	  "bad.conf:5: stage 1: `exercises` lists no exercise — the first stage needs at least one, e.g. { name = \"...\"; sets = 3; reps = 20; howto = \"...\"; }" },
	{ P_OPEN P_NAME P_TITLE P_STRETCHES
	  "  stages = ( { title = \"A\"; days = 14; exercises = (\n"
	  "    { name = \"E\"; sets = 3; reps = 0; howto = \"h\"; } ); } );\n"
	  P_CLOSE,
	  "bad.conf:6: stage 1, exercise 1: `reps` must be a whole number from 1 to 100 — write e.g. reps = 20;" },
	{ P_OPEN P_NAME P_TITLE P_STRETCHES
	  "  stages = ( { title = \"A\"; days = 14; exercises = (\n"
	  "    { name = \"E\"; sets = 3; reps = 99999999999; howto = \"h\"; } ); } );\n"
	  P_CLOSE,
	  "bad.conf:6: stage 1, exercise 1: `reps` must be a whole number from 1 to 100 — write e.g. reps = 20;" },
	{ P_OPEN P_NAME P_TITLE
	  "  stretches = ( " P_STRETCH("S") ",\n    " P_STRETCH("S") " );\n"
	  P_STAGES P_CLOSE,
	  "bad.conf:5: stretch 2: `name` \"S\" is already used by stretch 1 — give each stretch its own name" },
	{ P_OPEN P_NAME P_TITLE P_STRETCHES
	  "  stages = ( { title = \"A\"; days = 14; exercises = ( "
	  P_EXERCISE("E") ",\n    " P_EXERCISE("E") " ); } );\n" P_CLOSE,
	  "bad.conf:6: stage 1, exercise 2: `name` \"E\" is already listed as exercise 1 of this stage — give each exercise of a stage its own name" },
	{ P_OPEN P_NAME P_TITLE P_STRETCHES
	  "  stages = ( { title = \"A\"; days = 14; exercises = ( "
	  P_EXERCISE("E1") ", " P_EXERCISE("E2") ", " P_EXERCISE("E3") ", "
	  P_EXERCISE("E4") ", " P_EXERCISE("E5") ", " P_EXERCISE("E6") ", "
	  P_EXERCISE("E7") " ); },\n"
	  "    { title = \"B\"; days = 0; exercises = ( "
	  P_EXERCISE("F1") ", " P_EXERCISE("F2") ", " P_EXERCISE("F3") ", "
	  P_EXERCISE("F4") ", " P_EXERCISE("F5") ", " P_EXERCISE("F6")
	  " ); } );\n" P_CLOSE,
	  "bad.conf:6: stage 2: `exercises` makes a session of 13 exercises with the earlier stages; at most 12 fit — drop some or reuse an earlier name to change its dose" },
	{ P_HEAD "  stretch_sessions = { min = 3; max = 2; };\n" P_CLOSE,
	  "bad.conf:7: stretch_sessions: `max` must be from `min` (3) to 3 — write e.g. max = 3;" },
	{ P_HEAD "  stretch_sessions = { min = 0; };\n" P_CLOSE,
	  "bad.conf:7: stretch_sessions: `min` must be a whole number from 1 to 3 — write e.g. min = 2;" },
	{ P_HEAD "  pain = {\n    red_min = 1;\n  };\n" P_CLOSE,
	  "bad.conf:8: pain: `red_min` must be above `green_max` (2) and at most 10 — write e.g. red_min = 5.0;" },
	/* red_min is not in the file: the pain group's line is blamed */
	{ P_HEAD "  pain = {\n    green_max = 6;\n  };\n" P_CLOSE,
	  "bad.conf:7: pain: `red_min` must be above `green_max` (6) and at most 10 — write e.g. red_min = 5.0;" },
	{ P_HEAD "  pain = { stop_min = 4.5; };\n" P_CLOSE,
	  "bad.conf:7: pain: `stop_min` must be at least `red_min` (5) and at most 10 — write e.g. stop_min = 8.0;" },
	{ P_HEAD "  pain = { morning_rise = 0; };\n" P_CLOSE,
	  "bad.conf:7: pain: `morning_rise` must be a score above 0 and at most 10 — write e.g. morning_rise = 2.0;" },
	{ P_HEAD "  pain = { stall_window_days = 0; };\n" P_CLOSE,
	  "bad.conf:7: pain: `stall_window_days` must be a whole number from 1 to 28 — write e.g. stall_window_days = 7;" },
	{ P_HEAD "  running = { cross_training = \"\"; };\n" P_CLOSE,
	  "bad.conf:7: running: `cross_training` is empty — write e.g. cross_training = \"bike\";" },
	{ P_HEAD "  deload = {\n    reps = 0;\n  };\n" P_CLOSE,
	  "bad.conf:8: deload: `reps` must be a whole number from 1 to 100 — write e.g. reps = 12;" },
};

/* Every bad text is refused with its exact message, and leaves *out as it
 * was. */
static void test_bad_texts(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad_texts / sizeof bad_texts[0]; i++) {
		struct coach_program p, before;
		char err[ERR_MAX] = "";

		memset(&p, 0x5A, sizeof p);
		before = p;
		if (program_file_load_string(bad_texts[i].text, "bad.conf",
					     &p, err, sizeof err) != -1)
			fail_msg("row %zu: loaded", i);
		if (strcmp(err, bad_texts[i].want))
			fail_msg("row %zu:\n got: %s\nwant: %s", i, err,
				 bad_texts[i].want);
		if (memcmp(&p, &before, sizeof p))
			fail_msg("row %zu: *out was written", i);
	}
}

/* Writes len bytes to a new temporary file; returns its path (static). */
static const char *temp_file(const char *bytes, size_t len)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof path, "/tmp/test_program_file.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, bytes, len), (ssize_t)len);
	close(fd);
	return path;
}

/* Errors that only a file can have: missing, and a NUL byte inside.  The
 * file's path is the name in the message. */
static void test_bad_files(void **state)
{
	static const char nul[] = "program = {\n  name = \"t\0\";\n};\n";
	struct coach_program p;
	char err[ERR_MAX], want[ERR_MAX];
	const char *path;

	(void)state;
	assert_int_equal(program_file_load(TEST_BUILD_DIR "/no/such.conf", &p,
					   err, sizeof err), -1);
	assert_string_equal(err, TEST_BUILD_DIR "/no/such.conf: cannot open: No such file or directory — check the path and that rehabd may read it");

	path = temp_file(nul, sizeof nul - 1);
	assert_int_equal(program_file_load(path, &p, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s:2: contains a NUL byte — a program file is plain text; save it as UTF-8 text",
		 path);
	assert_string_equal(err, want);
	unlink(path);

	path = temp_file(P_HEAD "  pain = { red_min = 1; };\n" P_CLOSE,
			 strlen(P_HEAD "  pain = { red_min = 1; };\n" P_CLOSE));
	assert_int_equal(program_file_load(path, &p, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s:7: pain: `red_min` must be above `green_max` (2) and at most 10 — write e.g. red_min = 5.0;",
		 path);
	assert_string_equal(err, want);
	unlink(path);

	/* Group may change it: it would set a runner's plan. */
	path = temp_file(P_HEAD P_CLOSE, strlen(P_HEAD P_CLOSE));
	assert_int_equal(chmod(path, 0664), 0);
	assert_int_equal(program_file_load(path, &p, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s: can be changed by group or others (mode 664), and it sets a runner's plan — run chmod go-w %s",
		 path, path);
	assert_string_equal(err, want);
	unlink(path);
}

/* A short error buffer gets a terminated prefix, never an overflow. */
static void test_short_err(void **state)
{
	struct coach_program p;
	char err[16];

	(void)state;
	memset(err, 'x', sizeof err);
	assert_int_equal(program_file_load_string("", "bad.conf", &p, err,
						  sizeof err), -1);
	assert_string_equal(err, "bad.conf:1: `pr");
}

/* ---------------------------------------------------------- program check */

/* The base program for the check rows: the defaults, one stretch, a stage
 * of 14 days with one exercise and an open last stage adding one. */
static void base_program(struct coach_program *p)
{
	coach_program_defaults(p);
	snprintf(p->name, sizeof p->name, "base");
	snprintf(p->title, sizeof p->title, "Base");
	p->n_stretches = 1;
	p->stretches[0] = (struct coach_stretch){ "S", 2, 30, "h" };
	p->n_stages = 2;
	snprintf(p->stages[0].title, sizeof p->stages[0].title, "A");
	p->stages[0].days = 14;
	p->stages[0].n_exercises = 1;
	p->stages[0].exercises[0] = (struct coach_exercise){ "E", 3, 20, "h" };
	snprintf(p->stages[1].title, sizeof p->stages[1].title, "B");
	p->stages[1].days = 0;
	p->stages[1].n_exercises = 1;
	p->stages[1].exercises[0] = (struct coach_exercise){ "F", 3, 20, "h" };
}

static void m_none(struct coach_program *p) { (void)p; }
static void m_name_empty(struct coach_program *p) { p->name[0] = '\0'; }
static void m_name_slash(struct coach_program *p) { snprintf(p->name, sizeof p->name, "../x"); }
static void m_name_unterminated(struct coach_program *p) { memset(p->name, 'a', sizeof p->name); }
static void m_title_empty(struct coach_program *p) { p->title[0] = '\0'; }
static void m_title_tab(struct coach_program *p) { snprintf(p->title, sizeof p->title, "a\tb"); }
static void m_title_overlong(struct coach_program *p) { snprintf(p->title, sizeof p->title, "\xc0\xaf"); }
static void m_title_surrogate(struct coach_program *p) { snprintf(p->title, sizeof p->title, "\xed\xa0\x80"); }
static void m_title_utf8(struct coach_program *p) { snprintf(p->title, sizeof p->title, "Hüfte – Dehnung 😣"); }
static void m_source_unterminated(struct coach_program *p) { memset(p->source, 'a', sizeof p->source); }
static void m_no_stretches(struct coach_program *p) { p->n_stretches = 0; }
static void m_13_stretches(struct coach_program *p) { p->n_stretches = 13; }
static void m_stretch_sets0(struct coach_program *p) { p->stretches[0].sets = 0; }
static void m_stretch_secs601(struct coach_program *p) { p->stretches[0].seconds = 601; }
static void m_stretch_howto_empty(struct coach_program *p) { p->stretches[0].howto[0] = '\0'; }
static void m_stretch_dup(struct coach_program *p) { p->n_stretches = 2; p->stretches[1] = p->stretches[0]; }
static void m_sessions_min0(struct coach_program *p) { p->stretch_sessions_min = 0; }
static void m_sessions_max4(struct coach_program *p) { p->stretch_sessions_max = 4; }
static void m_sessions_1_1(struct coach_program *p) { p->stretch_sessions_min = 1; p->stretch_sessions_max = 1; }
static void m_no_stages(struct coach_program *p) { p->n_stages = 0; }
static void m_9_stages(struct coach_program *p) { p->n_stages = 9; }
static void m_stage_title_empty(struct coach_program *p) { p->stages[1].title[0] = '\0'; }
static void m_stage1_days0(struct coach_program *p) { p->stages[0].days = 0; }
static void m_last_days_neg(struct coach_program *p) { p->stages[1].days = -3; }
static void m_last_days_30(struct coach_program *p) { p->stages[1].days = 30; }
static void m_days_366(struct coach_program *p) { p->stages[0].days = 366; }
static void m_stage1_empty(struct coach_program *p) { p->stages[0].n_exercises = 0; }
static void m_stage2_empty(struct coach_program *p) { p->stages[1].n_exercises = 0; }
static void m_stage_13_ex(struct coach_program *p) { p->stages[1].n_exercises = 13; }
static void m_ex_sets11(struct coach_program *p) { p->stages[1].exercises[0].sets = 11; }
static void m_ex_reps101(struct coach_program *p) { p->stages[0].exercises[0].reps = 101; }
static void m_ex_name_empty(struct coach_program *p) { p->stages[1].exercises[0].name[0] = '\0'; }
static void m_ex_dup(struct coach_program *p) { p->stages[1].n_exercises = 2; p->stages[1].exercises[1] = p->stages[1].exercises[0]; }
static void m_ex_progression(struct coach_program *p) { snprintf(p->stages[1].exercises[0].name, COACH_NAME_MAX, "E"); p->stages[1].exercises[0].reps = 25; }

/* Stage 1 holds 7 exercises, stage 2 adds 6 more: 13 in one session. */
static void m_session_13(struct coach_program *p)
{
	p->stages[0].n_exercises = 7;
	p->stages[1].n_exercises = 6;
	for (int s = 0; s < 2; s++)
		for (int e = 0; e < 7; e++)
			p->stages[s].exercises[e] = (struct coach_exercise){
				"", 3, 20, "h" };
	for (int s = 0; s < 2; s++)
		for (int e = 0; e < 7; e++)
			snprintf(p->stages[s].exercises[e].name, COACH_NAME_MAX,
				 "X%d", s * 7 + e);
}

/* The same 13 names, but stage 2 repeats 6 of stage 1's: 7 in a session. */
static void m_session_repeat(struct coach_program *p)
{
	m_session_13(p);
	for (int e = 0; e < 6; e++)
		snprintf(p->stages[1].exercises[e].name, COACH_NAME_MAX, "X%d", e);
}

static void m_green_neg(struct coach_program *p) { p->rules.green_max = -0.5; }
static void m_green_nan(struct coach_program *p) { p->rules.green_max = NAN; }
static void m_red_eq_green(struct coach_program *p) { p->rules.red_min = 2.0; }
static void m_stop_lt_red(struct coach_program *p) { p->rules.stop_min = 4.5; }
static void m_stop_eq_red(struct coach_program *p) { p->rules.stop_min = 5.0; }
static void m_stop_10_5(struct coach_program *p) { p->rules.stop_min = 10.5; }
static void m_stop_inf(struct coach_program *p) { p->rules.stop_min = INFINITY; }
static void m_rise0(struct coach_program *p) { p->rules.morning_rise = 0; }
static void m_recover0(struct coach_program *p) { p->rules.recover_days = 0; }
static void m_window29(struct coach_program *p) { p->rules.stall_window = 29; }
static void m_windows0(struct coach_program *p) { p->rules.stall_windows = 0; }
static void m_stall_mean11(struct coach_program *p) { p->rules.stall_min_mean = 11; }
static void m_nudge0(struct coach_program *p) { p->rules.nudge_after = 0; }
static void m_easy_neg(struct coach_program *p) { p->rules.easy_after_green = -1; }
static void m_fast366(struct coach_program *p) { p->rules.fast_after_easy = 366; }
static void m_deload_sets0(struct coach_program *p) { p->rules.deload_sets = 0; }
static void m_deload_reps101(struct coach_program *p) { p->rules.deload_reps = 101; }
static void m_cross_empty(struct coach_program *p) { p->cross_training[0] = '\0'; }
static void m_avoid_empty(struct coach_program *p) { p->avoid[0] = '\0'; }

/* Columns: change to the base program; expected result (0 or -1); blamed
 * field, stage, item (when -1); exact message (when -1). */
static const struct {
	void (*mutate)(struct coach_program *p);
	int rc;
	enum coach_program_field field;
	int stage, item;
	const char *want;
} check_rows[] = {
	{ m_none, 0, 0, 0, 0, NULL },
	{ m_title_utf8, 0, 0, 0, 0, NULL },
	{ m_sessions_1_1, 0, 0, 0, 0, NULL },
	{ m_last_days_30, 0, 0, 0, 0, NULL },
	{ m_stage2_empty, 0, 0, 0, 0, NULL },
	{ m_ex_progression, 0, 0, 0, 0, NULL },
	{ m_session_repeat, 0, 0, 0, 0, NULL },
	{ m_stop_eq_red, 0, 0, 0, 0, NULL },
	{ m_avoid_empty, 0, 0, 0, 0, NULL },
	{ m_name_empty, -1, COACH_PF_NAME, -1, -1,
	  "`name` must be 1 to 63 letters, digits, '-' or '_' (it names the file) — write e.g. name = \"iliopsoas\";" },
	{ m_name_slash, -1, COACH_PF_NAME, -1, -1,
	  "`name` must be 1 to 63 letters, digits, '-' or '_' (it names the file) — write e.g. name = \"iliopsoas\";" },
	{ m_name_unterminated, -1, COACH_PF_NAME, -1, -1,
	  "`name` must be 1 to 63 letters, digits, '-' or '_' (it names the file) — write e.g. name = \"iliopsoas\";" },
	{ m_title_empty, -1, COACH_PF_TITLE, -1, -1,
	  "`title` is empty — write e.g. title = \"Hip flexor rehab\";" },
	{ m_title_tab, -1, COACH_PF_TITLE, -1, -1,
	  "`title` must be one line without tabs or control characters — join it into one line" },
	{ m_title_overlong, -1, COACH_PF_TITLE, -1, -1,
	  "`title` is not valid UTF-8 — save the file as UTF-8" },
	{ m_title_surrogate, -1, COACH_PF_TITLE, -1, -1,
	  "`title` is not valid UTF-8 — save the file as UTF-8" },
	{ m_source_unterminated, -1, COACH_PF_SOURCE, -1, -1,
	  "`source` is longer than 199 bytes — shorten it" },
	{ m_sessions_min0, -1, COACH_PF_SESSIONS_MIN, -1, -1,
	  "stretch_sessions: `min` must be a whole number from 1 to 3 — write e.g. min = 2;" },
	{ m_sessions_max4, -1, COACH_PF_SESSIONS_MAX, -1, -1,
	  "stretch_sessions: `max` must be from `min` (2) to 3 — write e.g. max = 3;" },
	{ m_no_stretches, -1, COACH_PF_STRETCHES, -1, -1,
	  "`stretches` lists no stretch — add at least one, e.g. { name = \"Hip flexor stretch\"; sets = 2; seconds = 30; howto = \"...\"; }" },
	{ m_13_stretches, -1, COACH_PF_STRETCHES, -1, -1,
	  "`stretches` lists 13 stretches; at most 12 fit — drop some" },
	{ m_stretch_sets0, -1, COACH_PF_STRETCH_SETS, -1, 0,
	  "stretch 1: `sets` must be a whole number from 1 to 10 — write e.g. sets = 2;" },
	{ m_stretch_secs601, -1, COACH_PF_STRETCH_SECONDS, -1, 0,
	  "stretch 1: `seconds` must be a whole number from 1 to 600 — write e.g. seconds = 30;" },
	{ m_stretch_howto_empty, -1, COACH_PF_STRETCH_HOWTO, -1, 0,
	  "stretch 1: `howto` is empty — write e.g. howto = \"one line on how to do it\";" },
	{ m_stretch_dup, -1, COACH_PF_STRETCH_NAME, -1, 1,
	  "stretch 2: `name` \"S\" is already used by stretch 1 — give each stretch its own name" },
	{ m_no_stages, -1, COACH_PF_STAGES, -1, -1,
	  "`stages` lists no stage — add at least one, e.g. { title = \"Stage 1\"; days = 14; exercises = ( ... ); }" },
	{ m_9_stages, -1, COACH_PF_STAGES, -1, -1,
	  "`stages` lists 9 stages; at most 8 fit — merge some" },
	{ m_stage_title_empty, -1, COACH_PF_STAGE_TITLE, 1, -1,
	  "stage 2: `title` is empty — write e.g. title = \"Stage 1: hip rotation\";" },
	{ m_stage1_days0, -1, COACH_PF_STAGE_DAYS, 0, -1,
	  "stage 1: `days` must be a whole number of days > 0 — write e.g. days = 14;" },
	{ m_last_days_neg, -1, COACH_PF_STAGE_DAYS, 1, -1,
	  "stage 2: `days` must be 0 (open: the last stage goes on) or a whole number of days > 0 — write e.g. days = 0;" },
	{ m_days_366, -1, COACH_PF_STAGE_DAYS, 0, -1,
	  "stage 1: `days` must be at most 365 — split the stage or write e.g. days = 14;" },
	{ m_stage1_empty, -1, COACH_PF_STAGE_EXERCISES, 0, -1,
	  "stage 1: `exercises` lists no exercise — the first stage needs at least one, e.g. { name = \"...\"; sets = 3; reps = 20; howto = \"...\"; }" },
	{ m_stage_13_ex, -1, COACH_PF_STAGE_EXERCISES, 1, -1,
	  "stage 2: `exercises` lists 13 exercises; at most 12 fit — drop some" },
	{ m_ex_sets11, -1, COACH_PF_EXERCISE_SETS, 1, 0,
	  "stage 2, exercise 1: `sets` must be a whole number from 1 to 10 — write e.g. sets = 3;" },
	{ m_ex_reps101, -1, COACH_PF_EXERCISE_REPS, 0, 0,
	  "stage 1, exercise 1: `reps` must be a whole number from 1 to 100 — write e.g. reps = 20;" },
	{ m_ex_name_empty, -1, COACH_PF_EXERCISE_NAME, 1, 0,
	  "stage 2, exercise 1: `name` is empty — write e.g. name = \"Clamshell (band)\";" },
	{ m_ex_dup, -1, COACH_PF_EXERCISE_NAME, 1, 1,
	  "stage 2, exercise 2: `name` \"F\" is already listed as exercise 1 of this stage — give each exercise of a stage its own name" },
	{ m_session_13, -1, COACH_PF_STAGE_EXERCISES, 1, -1,
	  "stage 2: `exercises` makes a session of 13 exercises with the earlier stages; at most 12 fit — drop some or reuse an earlier name to change its dose" },
	{ m_cross_empty, -1, COACH_PF_CROSS_TRAINING, -1, -1,
	  "running: `cross_training` is empty — write e.g. cross_training = \"bike\";" },
	{ m_easy_neg, -1, COACH_PF_EASY_AFTER_GREEN, -1, -1,
	  "running: `easy_after_green_days` must be a whole number from 0 to 60 — write e.g. easy_after_green_days = 3;" },
	{ m_fast366, -1, COACH_PF_FAST_AFTER_EASY, -1, -1,
	  "running: `fast_after_easy_days` must be a whole number from 0 to 365 — write e.g. fast_after_easy_days = 21;" },
	{ m_green_neg, -1, COACH_PF_GREEN_MAX, -1, -1,
	  "pain: `green_max` must be a score from 0 to 10 — write e.g. green_max = 2.0;" },
	{ m_green_nan, -1, COACH_PF_GREEN_MAX, -1, -1,
	  "pain: `green_max` must be a score from 0 to 10 — write e.g. green_max = 2.0;" },
	{ m_red_eq_green, -1, COACH_PF_RED_MIN, -1, -1,
	  "pain: `red_min` must be above `green_max` (2) and at most 10 — write e.g. red_min = 5.0;" },
	{ m_stop_lt_red, -1, COACH_PF_STOP_MIN, -1, -1,
	  "pain: `stop_min` must be at least `red_min` (5) and at most 10 — write e.g. stop_min = 8.0;" },
	{ m_stop_10_5, -1, COACH_PF_STOP_MIN, -1, -1,
	  "pain: `stop_min` must be at least `red_min` (5) and at most 10 — write e.g. stop_min = 8.0;" },
	{ m_stop_inf, -1, COACH_PF_STOP_MIN, -1, -1,
	  "pain: `stop_min` must be at least `red_min` (5) and at most 10 — write e.g. stop_min = 8.0;" },
	{ m_rise0, -1, COACH_PF_MORNING_RISE, -1, -1,
	  "pain: `morning_rise` must be a score above 0 and at most 10 — write e.g. morning_rise = 2.0;" },
	{ m_recover0, -1, COACH_PF_RECOVER_DAYS, -1, -1,
	  "pain: `recover_days` must be a whole number from 1 to 28 — write e.g. recover_days = 2;" },
	{ m_window29, -1, COACH_PF_STALL_WINDOW, -1, -1,
	  "pain: `stall_window_days` must be a whole number from 1 to 28 — write e.g. stall_window_days = 7;" },
	{ m_windows0, -1, COACH_PF_STALL_WINDOWS, -1, -1,
	  "pain: `stall_windows` must be a whole number from 1 to 12 — write e.g. stall_windows = 2;" },
	{ m_stall_mean11, -1, COACH_PF_STALL_MIN_MEAN, -1, -1,
	  "pain: `stall_min_mean` must be a score from 0 to 10 — write e.g. stall_min_mean = 2.0;" },
	{ m_nudge0, -1, COACH_PF_NUDGE_AFTER, -1, -1,
	  "pain: `nudge_after_days` must be a whole number from 1 to 14 — write e.g. nudge_after_days = 1;" },
	{ m_deload_sets0, -1, COACH_PF_DELOAD_SETS, -1, -1,
	  "deload: `sets` must be a whole number from 1 to 10 — write e.g. sets = 2;" },
	{ m_deload_reps101, -1, COACH_PF_DELOAD_REPS, -1, -1,
	  "deload: `reps` must be a whole number from 1 to 100 — write e.g. reps = 12;" },
};

/* Each row: check and validate agree, the blamed setting and the message
 * are exact. */
static void test_program_check(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof check_rows / sizeof check_rows[0]; i++) {
		struct coach_program p;
		struct coach_program_where w;
		char err[ERR_MAX], err2[ERR_MAX];
		int rc;

		base_program(&p);
		check_rows[i].mutate(&p);
		rc = coach_program_check(&p, &w, err, sizeof err);
		if (rc != check_rows[i].rc)
			fail_msg("row %zu: rc %d (%s)", i, rc, err);
		if (coach_program_validate(&p, err2, sizeof err2) != rc ||
		    strcmp(err, err2))
			fail_msg("row %zu: validate differs: %s", i, err2);
		if (rc == 0) {
			if (err[0] || w.field != COACH_PF_PROGRAM)
				fail_msg("row %zu: ok but err \"%s\"", i, err);
			continue;
		}
		if (w.field != check_rows[i].field ||
		    w.stage != check_rows[i].stage ||
		    w.item != check_rows[i].item)
			fail_msg("row %zu: blamed %d/%d/%d, want %d/%d/%d", i,
				 w.field, w.stage, w.item, check_rows[i].field,
				 check_rows[i].stage, check_rows[i].item);
		if (strcmp(err, check_rows[i].want))
			fail_msg("row %zu:\n got: %s\nwant: %s", i, err,
				 check_rows[i].want);
	}
}

/* The defaults alone are not a program (no stretch, no stage), and NULL
 * or empty error buffers are allowed. */
static void test_defaults(void **state)
{
	struct coach_program p;
	char err[ERR_MAX];

	(void)state;
	coach_program_defaults(&p);
	assert_int_equal(p.n_stretches, 0);
	assert_int_equal(p.n_stages, 0);
	assert_int_equal(p.stretch_sessions_min, 2);
	assert_int_equal(p.stretch_sessions_max, 3);
	assert_string_equal(p.cross_training, "bike");
	assert_string_equal(p.avoid, "aqua-jogging (it loads the hip flexors)");
	assert_true(p.rules.green_max == 2.0 && p.rules.red_min == 5.0 &&
		    p.rules.stop_min == 8.0 && p.rules.morning_rise == 2.0 &&
		    p.rules.stall_min_mean == 2.0);
	assert_int_equal(p.rules.deload_sets, 2);
	assert_int_equal(p.rules.deload_reps, 12);
	assert_int_equal(p.rules.recover_days, 2);
	assert_int_equal(p.rules.stall_window, 7);
	assert_int_equal(p.rules.stall_windows, 2);
	assert_int_equal(p.rules.nudge_after, 1);
	assert_int_equal(p.rules.easy_after_green, 3);
	assert_int_equal(p.rules.fast_after_easy, 21);
	snprintf(p.name, sizeof p.name, "x");
	snprintf(p.title, sizeof p.title, "X");
	assert_int_equal(coach_program_validate(&p, err, sizeof err), -1);
	assert_string_equal(err, "`stretches` lists no stretch — add at least one, e.g. { name = \"Hip flexor stretch\"; sets = 2; seconds = 30; howto = \"...\"; }");
	assert_int_equal(coach_program_validate(&p, NULL, 0), -1);
	assert_int_equal(coach_program_check(&p, NULL, err, 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_iliopsoas),
		cmocka_unit_test(test_shipped_eccentric),
		cmocka_unit_test(test_good_text),
		cmocka_unit_test(test_every_setting),
		cmocka_unit_test(test_bad_texts),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_short_err),
		cmocka_unit_test(test_program_check),
		cmocka_unit_test(test_defaults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
