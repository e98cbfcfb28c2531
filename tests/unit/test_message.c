/*
 * Message text (daemon/coach/message.h): tables of hand-built plans and
 * programs x slots x formats, checking the key content of each message,
 * the length limit, and that the HTML form shows exactly the plain text
 * (tags only where we put them, everything else escaped).
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
#include "coach/message.h"
#include "coach/plan.h"
#include "coach/program.h"

#define BUF 4096

/* ------------------------------------------------------------ programs */

static struct coach_program prog_default, prog_worst;

static void set_rules(struct coach_program *p)
{
	p->rules = (struct coach_rules){
		.green_max = 2, .red_min = 5, .stop_min = 8, .morning_rise = 2,
		.deload_sets = 2, .deload_reps = 12, .recover_days = 2,
		.stall_window = 7, .stall_windows = 2, .stall_min_mean = 2,
		.nudge_after = 1, .easy_after_green = 3, .fast_after_easy = 21,
	};
	p->stretch_sessions_min = 2;
	p->stretch_sessions_max = 3;
}

/* The default program of design.md, by hand. */
static void build_default(struct coach_program *p)
{
	static const char *const stretches[] = {
		"Hip flexor stretch", "Quadriceps stretch", "Hamstring stretch",
		"Piriformis stretch",
	};
	memset(p, 0, sizeof *p);
	snprintf(p->name, sizeof p->name, "iliopsoas");
	snprintf(p->title, sizeof p->title, "Hip flexor (iliopsoas) rehab");
	snprintf(p->cross_training, sizeof p->cross_training, "bike");
	snprintf(p->avoid, sizeof p->avoid, "aqua-jogging");
	for (size_t i = 0; i < 4; i++) {
		struct coach_stretch *s = &p->stretches[p->n_stretches++];
		snprintf(s->name, sizeof s->name, "%s", stretches[i]);
		s->sets = 2;
		s->seconds = 30;
		snprintf(s->howto, sizeof s->howto, "How-to of %s.", stretches[i]);
	}
	p->n_stages = 1;
	set_rules(p);
}

/* Every field at its longest, with characters HTML must escape. */
static void build_worst(struct coach_program *p)
{
	memset(p, 0, sizeof *p);
	snprintf(p->name, sizeof p->name, "worst");
	memset(p->title, 'T', sizeof p->title - 1);
	memset(p->cross_training, 'B', sizeof p->cross_training - 1);
	memset(p->avoid, '&', sizeof p->avoid - 1);
	for (size_t i = 0; i < COACH_MAX_STRETCHES; i++) {
		struct coach_stretch *s = &p->stretches[p->n_stretches++];
		memset(s->name, 'S', sizeof s->name - 1);
		s->name[0] = '<';
		s->name[1] = (char)('a' + i);
		s->sets = 2;
		s->seconds = 30;
		memset(s->howto, 'h', sizeof s->howto - 1);
		s->howto[5] = '>';
	}
	p->n_stages = 1;
	set_rules(p);
}

/* --------------------------------------------------------------- plans */

enum plan_id { P_GREEN, P_DELOAD, P_RED_FLAG, P_NUDGE, P_CLINICIAN,
	       P_HOLD, P_ESCAPE, P_WORST, P_PAUSED, P_COUNT };

static struct coach_plan plans[P_COUNT];

static void add_ex(struct coach_plan *pl, const char *name, int sets, int reps,
		   const char *howto)
{
	struct coach_exercise *e = &pl->strength[pl->n_strength++];
	snprintf(e->name, sizeof e->name, "%s", name);
	e->sets = sets;
	e->reps = reps;
	snprintf(e->howto, sizeof e->howto, "%s", howto);
}

static void add_reason(struct coach_plan *pl, const char *text)
{
	snprintf(pl->reasons[pl->n_reasons++], COACH_REASON_MAX, "%s", text);
}

static void base_plan(struct coach_plan *pl, int program_day, int stage,
		      int in_stage)
{
	memset(pl, 0, sizeof *pl);
	pl->day = coach_day_from_ymd(2026, 3, 1) + program_day; /* Mon 2 Mar = day 1 */
	pl->program_day = program_day;
	pl->stage = stage;
	pl->day_in_stage = in_stage;
	pl->stretch_sessions = 3;
}

static void build_plans(void)
{
	struct coach_plan *p;

	p = &plans[P_GREEN];
	base_plan(p, 5, 1, 5);
	add_ex(p, "Seated internal hip rotation", 3, 20, "Sit tall, band round the ankles.");
	add_ex(p, "Seated external hip rotation", 3, 20, "Turn the foot inward against the band.");
	p->running = COACH_RUN_EASY;

	p = &plans[P_DELOAD];
	base_plan(p, 17, 2, 3);
	add_ex(p, "Seated internal hip rotation", 2, 12, "Sit tall.");
	add_ex(p, "Seated external hip rotation", 2, 12, "Sit tall.");
	p->running = COACH_RUN_BIKE;
	p->flags = COACH_FLAG_DELOAD;
	add_reason(p, "Yesterday's pain reached 6/10: strength eased to 2\xc3\x97" "12, no running \xe2\x80\x94 bike instead.");
	add_reason(p, "Left out while easing off: Clamshell.");

	p = &plans[P_RED_FLAG];
	base_plan(p, 9, 1, 8);
	p->running = COACH_RUN_BIKE;
	p->flags = COACH_FLAG_RED_FLAG;
	add_reason(p, "You reported pain at rest or at night: no strength and no running today, gentle stretches only.");

	p = &plans[P_NUDGE];
	base_plan(p, 4, 1, 4);
	add_ex(p, "Seated internal hip rotation", 3, 20, "Sit tall.");
	p->flags = COACH_FLAG_NUDGE;
	add_reason(p, "No reply yesterday: plan unchanged.");

	p = &plans[P_CLINICIAN];
	base_plan(p, 30, 3, 2);
	add_ex(p, "Mini-squat with isometric wall press", 3, 20, "Back to the wall.");
	p->running = COACH_RUN_FULL;
	p->flags = COACH_FLAG_SEE_CLINICIAN;

	p = &plans[P_HOLD];
	base_plan(p, 12, 1, 12);
	add_ex(p, "Clamshell", 3, 20, "Knees bent, band above the knees.");
	p->running = COACH_RUN_EASY;
	p->flags = COACH_FLAG_HOLD;
	add_reason(p, "Yesterday's pain was 3/10, which is acceptable: same plan, no step up today.");

	p = &plans[P_ESCAPE];
	base_plan(p, 2, 1, 2);
	add_ex(p, "Bridge <single leg> & hold", 3, 10, "Press <hard> & hold 5 s.");
	add_reason(p, "Pain <3 & rising>");

	p = &plans[P_WORST];
	base_plan(p, 99, 8, 99);
	for (int i = 0; i < COACH_MAX_EXERCISES; i++) {
		char name[COACH_NAME_MAX], howto[COACH_TEXT_MAX];
		memset(name, 'E', sizeof name - 1);
		name[sizeof name - 1] = '\0';
		name[0] = (char)('A' + i);
		name[1] = '<';
		memset(howto, '&', sizeof howto - 1);
		howto[sizeof howto - 1] = '\0';
		memcpy(howto, "HOWTO", 5);
		add_ex(p, name, 3, 20, howto);
	}
	p->flags = COACH_FLAG_DELOAD | COACH_FLAG_HOLD | COACH_FLAG_NUDGE |
		   COACH_FLAG_SEE_CLINICIAN;
	for (int i = 0; i < COACH_MAX_REASONS; i++) {
		char r[COACH_REASON_MAX];
		memset(r, 'r', sizeof r - 1);
		r[sizeof r - 1] = '\0';
		r[0] = (char)('0' + i);
		add_reason(p, r);
	}

	p = &plans[P_PAUSED];
	base_plan(p, 6, 1, 6);
	p->flags = COACH_FLAG_PAUSED;
	add_reason(p, "Paused: no exercises until you send /resume.");
}

/* ------------------------------------------------------------- helpers */

/* Turns Telegram HTML back into the text a reader sees: drops <b></b>
 * and <i></i>, decodes &lt; &gt; &amp;.  Fails the test on any other
 * tag or entity, or on a raw '>'. */
static void html_visible(const char *html, char *out, size_t len)
{
	size_t n = 0;

	for (const char *s = html; *s;) {
		if (*s == '<') {
			static const char *const tags[] = { "<b>", "</b>", "<i>", "</i>" };
			size_t k;
			for (k = 0; k < 4; k++)
				if (!strncmp(s, tags[k], strlen(tags[k])))
					break;
			if (k == 4)
				fail_msg("raw '<' in HTML: %.40s", s);
			s += strlen(tags[k]);
			continue;
		}
		assert_true(*s != '>');
		char c = *s;
		if (*s == '&') {
			if (!strncmp(s, "&lt;", 4)) {
				c = '<';
				s += 4;
			} else if (!strncmp(s, "&gt;", 4)) {
				c = '>';
				s += 4;
			} else if (!strncmp(s, "&amp;", 5)) {
				c = '&';
				s += 5;
			} else {
				fail_msg("raw '&' in HTML: %.40s", s);
			}
		} else {
			s++;
		}
		assert_true(n + 1 < len);
		out[n++] = c;
	}
	out[n] = '\0';
}

/* Counts UTF-8 characters. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Checks what every message must satisfy: written, within the limit in
 * both formats, the HTML showing exactly the plain text. */
static void check_pair(const char *plain, int rp, const char *html, int rh)
{
	static char vis[BUF];

	assert_true(rp > 0);
	assert_true(rh > 0);
	assert_int_equal((size_t)rp, strlen(plain));
	assert_int_equal((size_t)rh, strlen(html));
	if (strlen(plain) > COACH_MESSAGE_MAX)
		fail_msg("plain message of %zu bytes:\n%s", strlen(plain), plain);
	html_visible(html, vis, sizeof vis);
	assert_string_equal(vis, plain);
	assert_true(utf8_chars(vis) <= COACH_MESSAGE_MAX);
}

/* ------------------------------------------------------- slot messages */

/* Columns: plan, program (0 default, 1 worst), slot, stretch index,
 * format, strings the message must contain, strings it must not. */
struct slot_row {
	enum plan_id plan;
	int worst;
	enum coach_slot slot;
	int stretch_index;
	enum coach_format fmt;
	const char *has[5];
	const char *lacks[3];
};

#define TIMES "\xc3\x97"
#define DASH "\xe2\x80\x93"
#define EMDASH "\xe2\x80\x94"
#define DOCTOR "Please see a doctor soon: pain at rest or pain this high needs a check " EMDASH " a stress fracture can look like a hip flexor strain."
#define NUDGE "No reply lately " EMDASH " a quick number helps me adjust your plan."
#define CLINICIAN "Your pain has not improved week to week: please see a physio or doctor."

static const struct slot_row slot_rows[] = {
	{ P_GREEN, 0, COACH_SLOT_MORNING, 0, COACH_TEXT_PLAIN,
	  { "Good morning!", "Day 5 \xc2\xb7 stage 1, day 5", "Seated internal hip rotation 3" TIMES "20",
	    "easy running allowed", "How is the hip this morning? Reply 0" DASH "10." },
	  { "Why:", DOCTOR, NULL } },
	{ P_GREEN, 0, COACH_SLOT_MORNING, 0, COACH_TEXT_HTML,
	  { "<b>Good morning! Day 5 \xc2\xb7 stage 1, day 5</b>", "<b>Running:</b>", "3" TIMES " today", NULL, NULL },
	  { NULL, NULL, NULL } },
	{ P_GREEN, 0, COACH_SLOT_STRETCH, 2, COACH_TEXT_PLAIN,
	  { "Stretch session 2 of 3", "Hip flexor stretch 2" TIMES "30 s", "How-to of Piriformis stretch.",
	    "Reply done or skip", NULL },
	  { "Gentle", NULL, NULL } },
	{ P_GREEN, 0, COACH_SLOT_STRETCH, 1, COACH_TEXT_HTML,
	  { "<b>Stretch session 1 of 3</b>", "\xe2\x80\xa2 <b>Quadriceps stretch</b> 2" TIMES "30 s", NULL, NULL, NULL },
	  { NULL, NULL, NULL } },
	{ P_GREEN, 0, COACH_SLOT_STRENGTH, 0, COACH_TEXT_PLAIN,
	  { "Strength session", "Seated external hip rotation 3" TIMES "20", "Turn the foot inward against the band.",
	    "both sides", "Reply done or skip." },
	  { "2" TIMES "12", NULL, NULL } },
	{ P_GREEN, 0, COACH_SLOT_EVENING, 0, COACH_TEXT_PLAIN,
	  { "Evening check-in", "How much did today's session or run hurt, 0" DASH "10?", NULL, NULL, NULL },
	  { DOCTOR, NULL, NULL } },
	{ P_DELOAD, 0, COACH_SLOT_MORNING, 0, COACH_TEXT_PLAIN,
	  { "Easier day", "2" TIMES "12", "no running today " EMDASH " bike instead", "avoid aqua-jogging.",
	    "Left out while easing off: Clamshell." },
	  { "3" TIMES "20", NULL, NULL } },
	{ P_DELOAD, 0, COACH_SLOT_STRENGTH, 0, COACH_TEXT_PLAIN,
	  { "Seated internal hip rotation 2" TIMES "12", "Why:", "Yesterday's pain reached 6/10", NULL, NULL },
	  { "3" TIMES "20", DOCTOR, NULL } },
	{ P_DELOAD, 0, COACH_SLOT_STRETCH, 1, COACH_TEXT_PLAIN,
	  { "Gentle today", NULL, NULL, NULL, NULL }, { NULL, NULL, NULL } },
	{ P_RED_FLAG, 0, COACH_SLOT_MORNING, 0, COACH_TEXT_PLAIN,
	  { DOCTOR, "Strength: none today", "No strength and no running today",
	    "How is the hip this morning?", NULL },
	  { "Seated", NULL, NULL } },
	{ P_RED_FLAG, 0, COACH_SLOT_STRENGTH, 0, COACH_TEXT_PLAIN,
	  { DOCTOR, "No strength and no running today", "no running today", "Reply done or skip for today's stretches.", NULL },
	  { "Each exercise", NULL, NULL } },
	{ P_RED_FLAG, 0, COACH_SLOT_STRENGTH, 0, COACH_TEXT_HTML,
	  { "a check " EMDASH " a stress fracture", NULL, NULL, NULL, NULL }, { NULL, NULL, NULL } },
	{ P_RED_FLAG, 0, COACH_SLOT_EVENING, 0, COACH_TEXT_PLAIN,
	  { DOCTOR, "How much did today's session or run hurt", NULL, NULL, NULL }, { NULL, NULL, NULL } },
	{ P_RED_FLAG, 0, COACH_SLOT_STRETCH, 3, COACH_TEXT_PLAIN,
	  { "Stretch session 3 of 3", "Gentle today", NULL, NULL, NULL }, { NULL, NULL, NULL } },
	{ P_NUDGE, 0, COACH_SLOT_MORNING, 0, COACH_TEXT_PLAIN,
	  { NUDGE, "No reply yesterday: plan unchanged.", NULL, NULL, NULL }, { DOCTOR, NULL, NULL } },
	{ P_NUDGE, 0, COACH_SLOT_STRENGTH, 0, COACH_TEXT_PLAIN,
	  { "Seated internal hip rotation 3" TIMES "20", NULL, NULL, NULL, NULL }, { NUDGE, NULL, NULL } },
	{ P_CLINICIAN, 0, COACH_SLOT_MORNING, 0, COACH_TEXT_PLAIN,
	  { CLINICIAN, "faster running allowed (keep pain under 5/10)", "Mini-squat with isometric wall press 3" TIMES "20", NULL, NULL },
	  { DOCTOR, NULL, NULL } },
	{ P_HOLD, 0, COACH_SLOT_MORNING, 0, COACH_TEXT_PLAIN,
	  { "Steady day: the plan goes on, no faster running.", "which is acceptable", NULL, NULL, NULL }, { NULL, NULL, NULL } },
	{ P_ESCAPE, 0, COACH_SLOT_STRENGTH, 0, COACH_TEXT_HTML,
	  { "<b>Bridge &lt;single leg&gt; &amp; hold</b> 3" TIMES "10", "Press &lt;hard&gt; &amp; hold 5 s.", "Pain &lt;3 &amp; rising&gt;", NULL, NULL },
	  { "<single", "<hard>", NULL } },
	{ P_ESCAPE, 0, COACH_SLOT_STRENGTH, 0, COACH_TEXT_PLAIN,
	  { "Bridge <single leg> & hold 3" TIMES "10", NULL, NULL, NULL, NULL }, { "&lt;", "&amp;", NULL } },
	{ P_ESCAPE, 0, COACH_SLOT_MORNING, 0, COACH_TEXT_HTML,
	  { "Bridge &lt;single leg&gt; &amp; hold 3" TIMES "10", NULL, NULL, NULL, NULL }, { "<single", NULL, NULL } },
	{ P_WORST, 1, COACH_SLOT_STRENGTH, 0, COACH_TEXT_PLAIN,
	  { "Strength session", "A<EEE", CLINICIAN, "Reply done or skip.", NULL }, { NULL, NULL, NULL } },
	{ P_WORST, 1, COACH_SLOT_STRENGTH, 0, COACH_TEXT_HTML,
	  { "A&lt;EEE", "Reply done or skip.", NULL, NULL, NULL }, { "A<E", NULL, NULL } },
	{ P_WORST, 1, COACH_SLOT_MORNING, 0, COACH_TEXT_PLAIN,
	  { CLINICIAN, "How is the hip this morning? Reply 0" DASH "10.", "(Shortened", NULL, NULL }, { NULL, NULL, NULL } },
	{ P_WORST, 1, COACH_SLOT_STRETCH, 1, COACH_TEXT_PLAIN,
	  { "Stretch session 1 of 3", "<aSSS", "Reply done or skip.", NULL, NULL }, { NULL, NULL, NULL } },
	{ P_WORST, 1, COACH_SLOT_STRETCH, 1, COACH_TEXT_HTML,
	  { "&lt;aSSS", NULL, NULL, NULL, NULL }, { "<aS", NULL, NULL } },
	{ P_PAUSED, 0, COACH_SLOT_STRENGTH, 0, COACH_TEXT_PLAIN,
	  { "Paused", "/resume", NULL, NULL, NULL }, { "Seated", NULL, NULL } },
	{ P_PAUSED, 0, COACH_SLOT_MORNING, 0, COACH_TEXT_PLAIN,
	  { "Paused", "until you send /resume", NULL, NULL, NULL }, { "Stretches:", "Today:", NULL } },
};

static const struct coach_program *prog(int worst)
{
	return worst ? &prog_worst : &prog_default;
}

static void check_content(const char *text, const char *const *has, size_t nh,
			  const char *const *lacks, size_t nl, const char *what)
{
	for (size_t k = 0; k < nh; k++)
		if (has[k] && !strstr(text, has[k]))
			fail_msg("%s: missing \"%s\" in:\n%s", what, has[k], text);
	for (size_t k = 0; k < nl; k++)
		if (lacks[k] && strstr(text, lacks[k]))
			fail_msg("%s: unexpected \"%s\" in:\n%s", what, lacks[k], text);
}

static void test_slot_rows(void **state)
{
	(void)state;
	static char buf[BUF];

	for (size_t i = 0; i < sizeof slot_rows / sizeof slot_rows[0]; i++) {
		const struct slot_row *r = &slot_rows[i];
		char what[32];
		int n = coach_message_slot(prog(r->worst), &plans[r->plan], r->slot,
					   r->stretch_index, r->fmt, buf, sizeof buf);
		snprintf(what, sizeof what, "slot row %zu", i);
		assert_true(n > 0);
		check_content(buf, r->has, 5, r->lacks, 3, what);
	}
}

/* Every plan x slot x program, in both formats: within the limit, the
 * HTML equal to the plain text once tags and escapes are undone, the
 * last line always the action the runner is asked for. */
static void test_slot_invariants(void **state)
{
	(void)state;
	static char plain[BUF], html[BUF];
	static const char *const last_lines[] = {
		[COACH_SLOT_MORNING] = "How is the hip this morning? Reply 0" DASH "10.",
		[COACH_SLOT_STRETCH] = "Reply done or skip.",
		[COACH_SLOT_STRENGTH] = "Reply done or skip",
		[COACH_SLOT_EVENING] = "0 is no pain; if you did not train, reply skip.",
	};

	for (int w = 0; w < 2; w++)
		for (int p = 0; p < P_COUNT; p++)
			for (int s = COACH_SLOT_MORNING; s <= COACH_SLOT_EVENING; s++) {
				int rp = coach_message_slot(prog(w), &plans[p], (enum coach_slot)s,
							    1, COACH_TEXT_PLAIN, plain, sizeof plain);
				int rh = coach_message_slot(prog(w), &plans[p], (enum coach_slot)s,
							    1, COACH_TEXT_HTML, html, sizeof html);
				check_pair(plain, rp, html, rh);
				if (p == P_PAUSED)
					continue;
				const char *nl = strrchr(plain, '\n');
				const char *last = nl ? nl + 1 : plain;
				if (strncmp(last, last_lines[s], strlen(last_lines[s])))
					fail_msg("program %d plan %d slot %d ends with \"%s\"",
						 w, p, s, last);
			}
}

/* The worst case is shortened, not refused; how-tos go before exercises,
 * and the warnings stay. */
static void test_worst_case(void **state)
{
	(void)state;
	static char buf[BUF];

	int n = coach_message_slot(&prog_worst, &plans[P_WORST], COACH_SLOT_STRENGTH,
				   0, COACH_TEXT_PLAIN, buf, sizeof buf);
	assert_true(n > 0 && n <= COACH_MESSAGE_MAX);
	assert_non_null(strstr(buf, CLINICIAN));
	/* Exercises were kept in preference to how-tos. */
	assert_non_null(strstr(buf, "B<EEE"));
	assert_null(strstr(buf, "HOWTO"));
	/* The default program's full messages are not shortened. */
	n = coach_message_slot(&prog_default, &plans[P_DELOAD], COACH_SLOT_STRENGTH,
			       0, COACH_TEXT_PLAIN, buf, sizeof buf);
	assert_true(n > 0);
	assert_null(strstr(buf, "Shortened"));
	assert_non_null(strstr(buf, "Sit tall."));
}

/* Too small a buffer is an error, with an empty string left behind. */
static void test_small_buffer(void **state)
{
	(void)state;
	char small[16];

	assert_int_equal(coach_message_slot(&prog_default, &plans[P_GREEN],
					    COACH_SLOT_MORNING, 0, COACH_TEXT_PLAIN,
					    small, sizeof small), -1);
	assert_string_equal(small, "");
	assert_int_equal(coach_message_not_understood(COACH_TEXT_HTML, small, 0), -1);
}

/* -------------------------------------------------------------- others */

/* Columns: which message, reply text (for acks), morning, tomorrow's
 * plan, strings the message must contain, strings it must not. */
enum other_msg { M_ACK, M_ADH, M_HELP, M_START, M_NOT_UNDERSTOOD, M_PLAN,
		 M_STATUS, M_STATUS_UNDELIVERED, M_PAUSED, M_PAUSED_OPEN,
		 M_RESUMED };

struct other_row {
	enum other_msg msg;
	const char *reply;
	int morning;
	enum plan_id tomorrow;
	const char *has[4];
	const char *lacks[2];
};

static const struct other_row other_rows[] = {
	{ M_ACK, "3", 1, P_GREEN,
	  { "Saved: pain 3/10 this morning (Mon 2 Mar).", "Tomorrow (Fri 6 Mar): stretches 3" TIMES ", strength 3" TIMES "20 (2 exercises), easy running.", NULL, NULL },
	  { DOCTOR, NULL } },
	{ M_ACK, "2.5", 0, P_GREEN,
	  { "Saved: pain 2.5/10 after the session (Mon 2 Mar).", NULL, NULL, NULL }, { NULL, NULL } },
	{ M_ACK, "6", 0, P_DELOAD,
	  { "Saved: pain 6/10", "strength 2" TIMES "12", "Why, for tomorrow:", "Yesterday's pain reached 6/10" },
	  { DOCTOR, "\nWhy:" } },
	{ M_ACK, "8", 0, P_RED_FLAG,
	  { "Saved: pain 8/10", DOCTOR, "no strength, no running", NULL }, { NULL, NULL } },
	{ M_ACK, "hurts at night", 1, P_RED_FLAG,
	  { "Saved: pain at rest or at night", DOCTOR, NULL, NULL }, { NULL, NULL } },
	{ M_ACK, "4, can't sleep", 1, P_RED_FLAG,
	  { "Saved: pain 4/10 this morning", DOCTOR, NULL, NULL }, { NULL, NULL } },
	{ M_ACK, "2", 1, P_CLINICIAN,
	  { CLINICIAN, "faster running allowed", NULL, NULL }, { DOCTOR, NULL } },
	{ M_ADH, "done", 0, P_GREEN, { "logged as done", NULL, NULL, NULL }, { "skipped", NULL } },
	{ M_ADH, "skip", 0, P_GREEN, { "skipped", NULL, NULL, NULL }, { "as done", NULL } },
	{ M_HELP, NULL, 0, P_GREEN,
	  { "What you can reply:", "done", "/pause [days]", "/snooze [minutes]" }, { "Hi!", NULL } },
	{ M_START, NULL, 0, P_GREEN,
	  { "Hi! I'm your rehab coach.", "Program: Hip flexor (iliopsoas) rehab", "/plan", NULL }, { NULL, NULL } },
	{ M_NOT_UNDERSTOOD, NULL, 0, P_GREEN, { "Reply a number 0" DASH "10, done or skip", "/help", NULL, NULL }, { "\n", NULL } },
	{ M_PLAN, NULL, 0, P_DELOAD,
	  { "Today, Fri 6 Mar", "Tomorrow, Wed 18 Mar", "Seated internal hip rotation 2" TIMES "12", "Tomorrow can still change" },
	  { NULL, NULL } },
	{ M_STATUS, NULL, 0, P_GREEN,
	  { "Status \xc2\xb7 Day 5", "Last scores: 2, 2.5, 1 (newest first)", "7-day mean 1.8 (week before: 2.5) " EMDASH " improving", "80%" },
	  { "Not delivered", NULL } },
	{ M_STATUS_UNDELIVERED, NULL, 0, P_GREEN,
	  { "Not delivered: 4 reminders of the last 7 days could not reach you", "/plan", "Last scores:", NULL },
	  { NULL, NULL } },
	{ M_PAUSED, NULL, 0, P_GREEN,
	  { "Paused for 3 days from Mon 2 Mar; reminders start again on Thu 5 Mar.", "/resume", NULL, NULL }, { NULL, NULL } },
	{ M_PAUSED_OPEN, NULL, 0, P_GREEN,
	  { "Paused from Mon 2 Mar until you send /resume.", NULL, NULL, NULL }, { NULL, NULL } },
	{ M_RESUMED, NULL, 0, P_GREEN, { "Welcome back!", NULL, NULL, NULL }, { NULL, NULL } },
};

/* Writes one message of the row in the given format. */
static int other_message(const struct other_row *r, enum coach_format fmt,
			 char *buf, size_t len)
{
	struct coach_reply rep;
	int32_t mon = coach_day_from_ymd(2026, 3, 2);
	struct coach_status st;

	if (r->reply)
		coach_reply_parse(r->reply, strlen(r->reply), &rep);
	switch (r->msg) {
	case M_ACK:
		return coach_message_ack_score(&prog_default, &rep, r->morning, mon,
					       &plans[r->tomorrow], fmt, buf, len);
	case M_ADH:
		return coach_message_ack_adherence(&rep, fmt, buf, len);
	case M_HELP:
	case M_START:
		return coach_message_help(&prog_default, r->msg == M_START, fmt, buf, len);
	case M_NOT_UNDERSTOOD:
		return coach_message_not_understood(fmt, buf, len);
	case M_PLAN:
		return coach_message_plan(&prog_default, &plans[P_GREEN],
					  &plans[r->tomorrow], fmt, buf, len);
	case M_STATUS:
	case M_STATUS_UNDELIVERED:
		memset(&st, 0, sizeof st);
		st.undelivered = r->msg == M_STATUS_UNDELIVERED ? 4 : 0;
		st.today = plans[r->tomorrow];
		st.last_scores10[0] = 20;
		st.last_scores10[1] = 25;
		st.last_scores10[2] = 10;
		st.n_last_scores = 3;
		st.adherence_pct = 80;
		st.mean7 = 1.8;
		st.mean7_before = 2.5;
		st.green_streak = 4;
		return coach_message_status(&prog_default, &st, fmt, buf, len);
	case M_PAUSED:
		return coach_message_paused(mon, 3, fmt, buf, len);
	case M_PAUSED_OPEN:
		return coach_message_paused(mon, 0, fmt, buf, len);
	case M_RESUMED:
		return coach_message_resumed(fmt, buf, len);
	}
	return -1;
}

static void test_other_rows(void **state)
{
	(void)state;
	static char plain[BUF], html[BUF];

	for (size_t i = 0; i < sizeof other_rows / sizeof other_rows[0]; i++) {
		const struct other_row *r = &other_rows[i];
		char what[32];
		int rp = other_message(r, COACH_TEXT_PLAIN, plain, sizeof plain);
		int rh = other_message(r, COACH_TEXT_HTML, html, sizeof html);
		snprintf(what, sizeof what, "other row %zu", i);
		check_pair(plain, rp, html, rh);
		check_content(plain, r->has, 4, r->lacks, 2, what);
	}
}

/* A reply that is neither done nor skipped is not acknowledged as one. */
static void test_adherence_other(void **state)
{
	(void)state;
	char buf[256];
	struct coach_reply rep;

	coach_reply_parse("3", 1, &rep);
	assert_int_equal(coach_message_ack_adherence(&rep, COACH_TEXT_PLAIN, buf,
						     sizeof buf), -1);
}

static int setup(void **state)
{
	(void)state;
	build_default(&prog_default);
	build_worst(&prog_worst);
	build_plans();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slot_rows),
		cmocka_unit_test(test_slot_invariants),
		cmocka_unit_test(test_worst_case),
		cmocka_unit_test(test_small_buffer),
		cmocka_unit_test(test_other_rows),
		cmocka_unit_test(test_adherence_other),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
