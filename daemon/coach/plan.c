/*
 * The plan rules of plan.h.  coach_plan_day() replays the runner's history
 * day by day from the start day to the asked day, keeping a small state
 * (stage clock, deload, streaks, running level, silence), and builds each
 * day's plan from the state as it stood that morning.  A day's replies are
 * applied only after its plan is built, so a plan depends on earlier days
 * only.  Pure: no I/O, no clock, no allocation.
 */
#include "plan.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "coach_date.h"

/* Days looked back for the "previous morning" of the morning-rise rule. */
#define PLAN_MORNING_LOOKBACK 7
/* Scores a trend window needs before its mean is trusted. */
#define PLAN_WINDOW_MIN_SCORES 3
/* Windows the stall check can compare (stall_windows + 1 at most). */
#define PLAN_MAX_WINDOWS 8

/* What one day's log says, from the worst down. */
enum plan_day_kind {
	DAY_SILENT = 0, /* no score, no red flag, no done/skip */
	DAY_ANSWERED,   /* done/skip only: not silent, no pain information */
	DAY_GREEN,
	DAY_AMBER,
	DAY_RED,
	DAY_STOP,       /* also red */
};

/* The thresholds of coach_rules on the x10 integer scale of the logs. */
struct plan_limits {
	int green_max10;
	int red_min10;
	int stop_min10;
	int rise10;
};

/* The last day that carried pain information (a score or a red flag):
 * it shapes every plan after it until the next such day, so a day
 * without a reply leaves the plan unchanged. */
struct plan_verdict {
	enum plan_day_kind kind; /* DAY_SILENT while there was none */
	int32_t day;
	int max10;               /* highest score, or COACH_NO_SCORE */
	int morning10;           /* for the morning-rise reason */
	int prev_morning10;
	bool rise;               /* red because of the morning rise */
	bool red_flag;
};

struct plan_state {
	size_t stage;            /* 0-based */
	int in_stage;            /* counted days in the current stage */
	bool deloaded;
	int red_free;            /* red-free days in a row while deloaded */
	bool recovered;          /* the deload ended on the last scored day */
	struct plan_verdict last;
	int green_streak;
	enum coach_running level;
	int easy_days;           /* counted days at easy without a red day */
	int silent_streak;
	bool nudged;             /* the nudge of this silent spell was given */
};

struct plan_ctx {
	const struct coach_program *p;
	const struct coach_runner *r;
	const struct coach_history *h;
	struct plan_limits lim;
	size_t n_stages;
};

/* Rounds a 0-10 threshold to the x10 scale (thresholds are never
 * negative in a valid program; negatives round toward zero). */
static int to10(double v)
{
	return (int)(v * 10.0 + (v >= 0 ? 0.5 : -0.5));
}

/* Writes a x10 score as "6" or "5.5" into buf (16 bytes fit any). */
static const char *score_text(int score10, char *buf, size_t len)
{
	if (score10 % 10 == 0)
		snprintf(buf, len, "%d", score10 / 10);
	else
		snprintf(buf, len, "%d.%d", score10 / 10, score10 % 10);
	return buf;
}

/* "Two" for 2 and so on, for the reasons a runner reads; digits above
 * ten.  Returns a static string or buf. */
static const char *count_word(int n, char *buf, size_t len)
{
	static const char *const words[] = {
		"Zero", "One", "Two", "Three", "Four", "Five",
		"Six", "Seven", "Eight", "Nine", "Ten",
	};
	if (n >= 0 && n <= 10)
		return words[n];
	snprintf(buf, len, "%d", n);
	return buf;
}

/* The words after a count: one for 1, many otherwise, so a program with
 * a counter of 1 reads right ("until 1 day with pain 0-2", not "1 days
 * in a row"). */
static const char *plural(int n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* Cuts an incomplete UTF-8 sequence off the end of s, as left by a
 * truncating snprintf, so every text stays valid UTF-8 for the chat apps
 * (the program's own texts are checked to be valid). */
static void utf8_cut_tail(char *s)
{
	size_t n = strlen(s), i = n;

	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0 || (unsigned char)s[i - 1] < 0xC0)
		return; /* ASCII last, or only stray continuation bytes */
	unsigned char lead = (unsigned char)s[i - 1];
	size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
	if (n - (i - 1) < need)
		s[i - 1] = '\0';
}

/* Appends one reason line to the plan, cut to COACH_REASON_MAX - 1 bytes
 * on a character boundary; lines beyond COACH_MAX_REASONS are dropped
 * (the first ones matter most, so they are added first). */
__attribute__((format(printf, 2, 3)))
static void reason_add(struct coach_plan *out, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (out->n_reasons >= COACH_MAX_REASONS)
		return;
	va_start(ap, fmt);
	n = vsnprintf(out->reasons[out->n_reasons], COACH_REASON_MAX, fmt, ap);
	va_end(ap);
	if (n >= COACH_REASON_MAX)
		utf8_cut_tail(out->reasons[out->n_reasons]);
	out->n_reasons++;
}

/* Index of the first history entry after day d (the history is
 * ascending: binary search). */
static size_t history_upper(const struct coach_history *h, int32_t d)
{
	size_t lo = 0, hi = h->days ? h->n_days : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (h->days[mid].day <= d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Returns the log of day d (the last entry for it when the history holds
 * more than one), or NULL. */
static const struct coach_day_log *history_find(const struct coach_history *h,
						int32_t d)
{
	size_t i = history_upper(h, d);

	if (i > 0 && h->days[i - 1].day == d)
		return &h->days[i - 1];
	return NULL;
}

/* Index of the first history entry on or after day d. */
static size_t history_lower(const struct coach_history *h, int32_t d)
{
	size_t lo = 0, hi = h->days ? h->n_days : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (h->days[mid].day < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool in_pause(const struct coach_history *h, int32_t d)
{
	for (size_t i = 0; h->pauses && i < h->n_pauses; i++)
		if (d >= h->pauses[i].from && d < h->pauses[i].until)
			return true;
	return false;
}

/* The first day after the pauses that cover d, following pauses that
 * touch or overlap (COACH_DAY_OPEN for an open one). */
static int32_t pause_until(const struct coach_history *h, int32_t d)
{
	int32_t until = d;
	bool moved = true;

	while (moved) {
		moved = false;
		for (size_t i = 0; h->pauses && i < h->n_pauses; i++)
			if (h->pauses[i].from <= until &&
			    h->pauses[i].until > until) {
				until = h->pauses[i].until;
				moved = true;
			}
	}
	return until;
}

static int score_of(int score10)
{
	return score10 >= 0 ? score10 : COACH_NO_SCORE;
}

/* The latest morning score on one of the PLAN_MORNING_LOOKBACK days
 * before d, not before the start day; COACH_NO_SCORE when none. */
static int previous_morning(const struct plan_ctx *c, int32_t d)
{
	for (int k = 1; k <= PLAN_MORNING_LOOKBACK; k++) {
		if ((int64_t)d - k < c->r->start_day)
			break;
		const struct coach_day_log *log = history_find(c->h, d - k);
		if (log && score_of(log->morning10) != COACH_NO_SCORE)
			return log->morning10;
	}
	return COACH_NO_SCORE;
}

/* Classifies the log of day d (NULL: nothing logged) and fills *v with
 * what the reasons need. */
static enum plan_day_kind day_classify(const struct plan_ctx *c, int32_t d,
				       const struct coach_day_log *log,
				       struct plan_verdict *v)
{
	int m = log ? score_of(log->morning10) : COACH_NO_SCORE;
	int s = log ? score_of(log->session10) : COACH_NO_SCORE;
	bool flag = log && log->red_flag;

	memset(v, 0, sizeof *v);
	v->day = d;
	v->max10 = m > s ? m : s;
	v->morning10 = m;
	v->prev_morning10 = COACH_NO_SCORE;
	v->red_flag = flag;
	if (m == COACH_NO_SCORE && s == COACH_NO_SCORE && !flag) {
		v->kind = log && (log->done > 0 || log->skipped > 0) ?
			DAY_ANSWERED : DAY_SILENT;
		return v->kind;
	}
	if (m != COACH_NO_SCORE && c->lim.rise10 > 0) {
		v->prev_morning10 = previous_morning(c, d);
		v->rise = v->prev_morning10 != COACH_NO_SCORE &&
			  m >= v->prev_morning10 + c->lim.rise10;
	}
	if (flag || v->max10 >= c->lim.stop_min10)
		v->kind = DAY_STOP;
	else if (v->max10 >= c->lim.red_min10 || v->rise)
		v->kind = DAY_RED;
	else if (v->max10 <= c->lim.green_max10)
		v->kind = DAY_GREEN;
	else
		v->kind = DAY_AMBER;
	return v->kind;
}

static bool exercise_listed(const struct coach_stage *st, const char *name)
{
	for (size_t i = 0; i < st->n_exercises && i < COACH_MAX_EXERCISES; i++)
		if (!strcmp(st->exercises[i].name, name))
			return true;
	return false;
}

/* True when stage `stage` added the exercise (its name appears in no
 * earlier stage).  Stage 1 adds everything, but a deload keeps it. */
static bool exercise_added_by(const struct plan_ctx *c, size_t stage,
			      const char *name)
{
	for (size_t k = 0; k < stage; k++)
		if (exercise_listed(&c->p->stages[k], name))
			return false;
	return true;
}

/*
 * Fills out->strength with the session of `stage`: every exercise of the
 * stages up to it, a later dose replacing an earlier one of the same
 * name.  When deload is set, the exercises this stage added are left out
 * (from stage 2 on; their names are listed in dropped, ", "-separated)
 * and every dose is deload_sets x deload_reps.
 */
static void strength_fill(const struct plan_ctx *c, size_t stage, bool deload,
			  struct coach_plan *out, char *dropped, size_t dlen)
{
	out->n_strength = 0;
	if (dlen)
		dropped[0] = '\0';
	for (size_t k = 0; k <= stage; k++) {
		const struct coach_stage *st = &c->p->stages[k];
		for (size_t i = 0; i < st->n_exercises &&
				   i < COACH_MAX_EXERCISES; i++) {
			const struct coach_exercise *e = &st->exercises[i];
			size_t j;
			for (j = 0; j < out->n_strength; j++)
				if (!strcmp(out->strength[j].name, e->name))
					break;
			if (j == out->n_strength) {
				if (j == COACH_MAX_EXERCISES)
					continue; /* validation bounds this */
				out->n_strength++;
			}
			out->strength[j] = *e;
		}
	}
	if (!deload)
		return;
	size_t kept = 0;
	for (size_t j = 0; j < out->n_strength; j++) {
		struct coach_exercise e = out->strength[j];
		if (stage > 0 && exercise_added_by(c, stage, e.name)) {
			size_t used = strlen(dropped);
			if (used + 1 < dlen &&
			    snprintf(dropped + used, dlen - used, "%s%s",
				     used ? ", " : "", e.name) >=
			    (int)(dlen - used))
				utf8_cut_tail(dropped);
			continue;
		}
		e.sets = c->p->rules.deload_sets;
		e.reps = c->p->rules.deload_reps;
		out->strength[kept++] = e;
	}
	out->n_strength = kept;
}

/* "Yesterday's pain" when the day that caused a change was yesterday,
 * "Your last score" after days without a reply, so the reason reads
 * right either way; the morning variant for the morning-rise rule. */
static const char *pain_subject(const struct plan_verdict *v, int32_t day,
				bool morning)
{
	bool yesterday = (int64_t)v->day == (int64_t)day - 1;

	if (morning)
		return yesterday ? "Yesterday's morning pain" :
				   "Your last morning score";
	return yesterday ? "Yesterday's pain" : "Your last score";
}

/* The reasons of the day after a stop day: strength and running stopped,
 * see a doctor. */
static void reasons_stop(const struct plan_verdict *v, int32_t day,
			 struct coach_plan *out)
{
	char sc[16];

	if (v->red_flag)
		reason_add(out, "%s pain at rest or at night: no strength "
			   "and no running today, gentle stretches only.",
			   (int64_t)v->day == (int64_t)day - 1 ?
			   "You reported" : "You last reported");
	else
		reason_add(out, "%s reached %s/10: no strength and no "
			   "running today, gentle stretches only.",
			   pain_subject(v, day, false),
			   score_text(v->max10, sc, sizeof sc));
	reason_add(out, "Please see a doctor soon: pain %s needs checking "
		   "before you train on.",
		   v->red_flag ? "at rest or at night" : "this high");
}

/* The reasons of a deloaded day: why, and what is left out. */
static void reasons_deload(const struct plan_ctx *c,
			   const struct plan_state *st, int32_t day,
			   const char *dropped, struct coach_plan *out)
{
	const struct coach_rules *ru = &c->p->rules;
	const struct plan_verdict *v = &st->last;
	char a[16], b[16];

	if (v->kind == DAY_RED && v->max10 < c->lim.red_min10 && v->rise)
		reason_add(out, "%s rose from %s/10 to %s/10: strength "
			   "eased to %d×%d, no running — bike instead.",
			   pain_subject(v, day, true),
			   score_text(v->prev_morning10, a, sizeof a),
			   score_text(v->morning10, b, sizeof b),
			   ru->deload_sets, ru->deload_reps);
	else if (v->kind == DAY_RED)
		reason_add(out, "%s reached %s/10: strength eased to "
			   "%d×%d, no running — bike instead.",
			   pain_subject(v, day, false),
			   score_text(v->max10, a, sizeof a),
			   ru->deload_sets, ru->deload_reps);
	else
		reason_add(out, "Still easing off: strength at %d×%d, bike "
			   "instead of running, until %d %s with pain "
			   "under %s/10 (%d so far).",
			   ru->deload_sets, ru->deload_reps, ru->recover_days,
			   plural(ru->recover_days, "day", "days in a row"),
			   score_text(c->lim.red_min10, a, sizeof a),
			   st->red_free);
	if (dropped[0])
		reason_add(out, "Left out while easing off: %s.", dropped);
}

/* The running line of a full-plan day below full running. */
static void reasons_running(const struct plan_ctx *c,
			    const struct plan_state *st, bool hold,
			    struct coach_plan *out)
{
	const struct coach_rules *ru = &c->p->rules;
	char g[16];

	if (st->level == COACH_RUN_BIKE)
		reason_add(out, "No running yet: %s instead until %d %s "
			   "with pain 0–%s (%d so far).",
			   c->p->cross_training[0] ? c->p->cross_training :
			   "bike",
			   ru->easy_after_green,
			   plural(ru->easy_after_green, "day",
				  "days in a row"),
			   score_text(c->lim.green_max10, g, sizeof g),
			   st->green_streak);
	else if (st->level == COACH_RUN_EASY)
		reason_add(out, "Easy running only: no faster running until "
			   "%d %s of easy running with pain under %s/10 "
			   "(%d so far).",
			   ru->fast_after_easy,
			   plural(ru->fast_after_easy, "day", "days"),
			   score_text(c->lim.red_min10, g, sizeof g),
			   st->easy_days);
	else if (hold)
		reason_add(out, "Easy running only today: no strides, "
			   "intervals or tempo.");
}

/* True when the current stage has counted its days and a next stage
 * exists (the last stage, or one of 0 days, never ends). */
static bool stage_due(const struct plan_ctx *c, const struct plan_state *st)
{
	const struct coach_stage *cur = &c->p->stages[st->stage];

	return st->stage + 1 < c->n_stages && cur->days > 0 &&
	       st->in_stage >= cur->days;
}

/*
 * Builds the plan of day d from the state as it stood that morning, and
 * moves the parts of the state that change at the start of a day (stage
 * change, the nudge of a silent spell, the one-day recovery note).
 */
static void day_plan(const struct plan_ctx *c, struct plan_state *st,
		     int32_t d, struct coach_plan *out)
{
	const struct coach_program *p = c->p;
	char dropped[COACH_REASON_MAX];
	char nb[16];

	memset(out, 0, sizeof *out);
	out->day = d;
	out->program_day = (int)((int64_t)d - c->r->start_day + 1);
	out->running = COACH_RUN_BIKE;

	if (in_pause(c->h, d)) {
		int32_t until = pause_until(c->h, d);
		/* Show where the runner stands: a stage that has counted its
		 * days is over even while paused (no "day 15" of a 14-day
		 * stage); the state moves, with its "New stage" line, on the
		 * first active day. */
		bool due = stage_due(c, st);
		out->stage = (int)st->stage + 1 + due;
		out->day_in_stage = due ? 1 : st->in_stage + 1;
		out->flags = COACH_FLAG_PAUSED;
		if (until == COACH_DAY_OPEN) {
			reason_add(out, "Paused: no exercises until you send "
				   "/resume.");
		} else {
			char date[11];
			coach_day_format(until, date);
			reason_add(out, "Paused: no exercises today; the plan "
				   "starts again on %s (or send /resume).",
				   date);
		}
		return;
	}

	bool hold = st->last.kind == DAY_AMBER && !st->deloaded;
	bool new_stage = false;
	/* design.md: a stage ends when it has counted its days, and an
	 * amber day counts; its hold stops only the step to faster
	 * running, so it never delays the next stage. */
	if (stage_due(c, st)) {
		st->stage++;
		st->in_stage = 0;
		new_stage = true;
	}
	out->stage = (int)st->stage + 1;
	out->day_in_stage = st->in_stage + 1;

	int sessions = c->r->stretch_sessions > 0 ? c->r->stretch_sessions :
			p->stretch_sessions_max;
	if (p->stretch_sessions_max > 0 && sessions > p->stretch_sessions_max)
		sessions = p->stretch_sessions_max;
	if (sessions < p->stretch_sessions_min)
		sessions = p->stretch_sessions_min;
	out->stretch_sessions = sessions;

	bool stop = st->deloaded && st->last.kind == DAY_STOP;
	if (stop) {
		out->n_strength = 0;
		out->flags |= COACH_FLAG_RED_FLAG;
		reasons_stop(&st->last, d, out);
	} else if (st->deloaded) {
		strength_fill(c, st->stage, true, out, dropped,
			      sizeof dropped);
		out->flags |= COACH_FLAG_DELOAD;
		reasons_deload(c, st, d, dropped, out);
	} else {
		strength_fill(c, st->stage, false, out, dropped,
			      sizeof dropped);
		out->running = st->level;
		if (hold && out->running == COACH_RUN_FULL)
			out->running = COACH_RUN_EASY;
		char sc[16];
		/* Red-free days need not be pain-free (an amber day
		 * counts), so the line names the limit, not "pain-free". */
		if (st->recovered)
			reason_add(out, "%s %s with pain under %s/10: "
				   "back to the full plan.",
				   count_word(p->rules.recover_days, nb,
					      sizeof nb),
				   plural(p->rules.recover_days, "day",
					  "days in a row"),
				   score_text(c->lim.red_min10, sc,
					      sizeof sc));
		if (hold) {
			out->flags |= COACH_FLAG_HOLD;
			reason_add(out, "%s was %s/10, which is "
				   "acceptable: the plan goes on, but no "
				   "faster running today.",
				   pain_subject(&st->last, d, false),
				   score_text(st->last.max10, sc, sizeof sc));
		}
		reasons_running(c, st, hold, out);
	}
	st->recovered = false;

	if (new_stage)
		reason_add(out, "New stage today: %s.",
			   p->stages[st->stage].title[0] ?
			   p->stages[st->stage].title : "next strength stage");

	int after = p->rules.nudge_after;
	if (after > 0 && st->silent_streak >= after && !st->nudged) {
		st->nudged = true;
		out->flags |= COACH_FLAG_NUDGE;
		if (after == 1)
			reason_add(out, "No reply yesterday: plan unchanged. "
				   "Send your pain score (0–10) when you "
				   "can.");
		else
			reason_add(out, "No reply for %d days: plan unchanged. "
				   "Send your pain score (0–10) when you "
				   "can.", st->silent_streak);
	}
}

/* Moves the running level up as far as the counters allow (a counter of
 * 0 in the program means no wait). */
static void level_settle(const struct coach_rules *ru, struct plan_state *st)
{
	if (st->level == COACH_RUN_BIKE &&
	    st->green_streak >= ru->easy_after_green) {
		st->level = COACH_RUN_EASY;
		st->easy_days = 0;
	}
	if (st->level == COACH_RUN_EASY && st->easy_days >= ru->fast_after_easy)
		st->level = COACH_RUN_FULL;
}

/* Applies the replies of day d, whose plan was `plan`, to the state. */
static void day_apply(const struct plan_ctx *c, struct plan_state *st,
		      int32_t d, const struct coach_plan *plan)
{
	const struct coach_rules *ru = &c->p->rules;
	struct plan_verdict v;

	if (plan->flags & COACH_FLAG_PAUSED) {
		/* Nothing counts, but a pause is not silence: a new silent
		 * spell starts after it. */
		st->silent_streak = 0;
		st->nudged = false;
		return;
	}
	enum plan_day_kind kind = day_classify(c, d, history_find(c->h, d),
					       &v);
	if (kind == DAY_SILENT) {
		st->silent_streak++;
	} else {
		st->silent_streak = 0;
		st->nudged = false;
	}

	if (kind == DAY_RED || kind == DAY_STOP) {
		st->last = v;
		st->deloaded = true;
		st->red_free = 0;
		st->recovered = false;
		st->green_streak = 0;
		st->level = COACH_RUN_BIKE;
		st->easy_days = 0;
		level_settle(ru, st); /* only moves when a counter is 0 */
		return;               /* a red day does not count */
	}

	st->in_stage++;
	if (plan->running == COACH_RUN_EASY && st->level == COACH_RUN_EASY)
		st->easy_days++;
	if (kind != DAY_SILENT && kind != DAY_ANSWERED) {
		/* A day without pain information leaves the plan and the
		 * streaks as they were. */
		st->last = v;
		if (kind == DAY_GREEN)
			st->green_streak++;
		else
			st->green_streak = 0; /* amber breaks a green streak */
		if (st->deloaded && ++st->red_free >= ru->recover_days) {
			st->deloaded = false;
			st->red_free = 0;
			st->recovered = true;
		}
	}
	level_settle(ru, st);
}

/* Sum and count of the scores of the days in [from, to] that are on or
 * after the start day. */
static void window_scores(const struct plan_ctx *c, int64_t from, int64_t to,
			  int64_t *sum, int *n)
{
	*sum = 0;
	*n = 0;
	if (from < c->r->start_day)
		from = c->r->start_day;
	if (!c->h->days || from > to || from > INT32_MAX || to < INT32_MIN)
		return;
	for (size_t i = history_lower(c->h, (int32_t)from);
	     i < c->h->n_days && c->h->days[i].day <= to; i++) {
		const struct coach_day_log *log = &c->h->days[i];
		if (score_of(log->morning10) != COACH_NO_SCORE) {
			*sum += log->morning10;
			(*n)++;
		}
		if (score_of(log->session10) != COACH_NO_SCORE) {
			*sum += log->session10;
			(*n)++;
		}
	}
}

/*
 * The stalled-trend rule for day d: windows of stall_window days ending
 * yesterday, each mean not lower than the one before it, stall_windows
 * times in a row, the latest mean >= stall_min_mean.  Every window needs
 * PLAN_WINDOW_MIN_SCORES scores and must lie on or after the start day.
 * Returns true and the latest mean (x10) when stalled.
 */
static bool stalled(const struct plan_ctx *c, int32_t d, double *mean10)
{
	const struct coach_rules *ru = &c->p->rules;
	double means[PLAN_MAX_WINDOWS];
	int w = ru->stall_window, n = ru->stall_windows;

	if (w <= 0 || n <= 0 || n + 1 > PLAN_MAX_WINDOWS)
		return false;
	for (int j = 0; j <= n; j++) {
		int64_t to = (int64_t)d - (int64_t)j * w - 1;
		int64_t from = to - w + 1;
		int64_t sum;
		int cnt;
		if (from < c->r->start_day)
			return false;
		window_scores(c, from, to, &sum, &cnt);
		if (cnt < PLAN_WINDOW_MIN_SCORES)
			return false;
		means[j] = (double)sum / cnt;
	}
	for (int j = 0; j < n; j++)
		if (means[j] < means[j + 1])
			return false;
	if (means[0] < ru->stall_min_mean * 10.0 - 1e-9)
		return false;
	*mean10 = means[0];
	return true;
}

/* Replays the history up to day and builds its plan; leaves the state as
 * it stood that morning (after the day's start) in *st. */
static int plan_run(const struct coach_program *program,
		    const struct coach_runner *runner,
		    const struct coach_history *history, int32_t day,
		    struct coach_plan *out, struct plan_state *st)
{
	struct plan_ctx c;
	struct coach_plan scratch;

	memset(st, 0, sizeof *st);
	st->level = COACH_RUN_BIKE;
	st->last.kind = DAY_SILENT;
	if (!program || !runner || !history || !out || program->n_stages == 0)
		return -1;
	level_settle(&program->rules, st);
	c.p = program;
	c.r = runner;
	c.h = history;
	c.n_stages = program->n_stages < COACH_MAX_STAGES ?
		     program->n_stages : COACH_MAX_STAGES;
	c.lim.green_max10 = to10(program->rules.green_max);
	c.lim.red_min10 = to10(program->rules.red_min);
	c.lim.stop_min10 = to10(program->rules.stop_min);
	c.lim.rise10 = to10(program->rules.morning_rise);

	if (day < runner->start_day) {
		memset(out, 0, sizeof *out);
		out->day = day;
		out->before_start = true;
		out->running = COACH_RUN_BIKE;
		return 0;
	}
	for (int32_t d = runner->start_day; d < day; d++) {
		day_plan(&c, st, d, &scratch);
		day_apply(&c, st, d, &scratch);
	}
	day_plan(&c, st, day, out);

	double mean10;
	if (!(out->flags & COACH_FLAG_PAUSED) && stalled(&c, day, &mean10)) {
		char m[16];
		bool weeks = program->rules.stall_window == 7;
		int n = weeks ? program->rules.stall_windows :
			program->rules.stall_windows *
			program->rules.stall_window;
		snprintf(m, sizeof m, "%.1f", mean10 / 10.0);
		out->flags |= COACH_FLAG_SEE_CLINICIAN;
		reason_add(out, "Your pain has not improved for %d %s "
			   "(average %s/10): please see a physio or "
			   "doctor. Plan kept.", n,
			   weeks ? plural(n, "week", "weeks in a row") :
			   plural(n, "day", "days in a row"), m);
	}
	return 0;
}

int coach_plan_day(const struct coach_program *program,
		   const struct coach_runner *runner,
		   const struct coach_history *history, int32_t day,
		   struct coach_plan *out)
{
	struct plan_state st;

	return plan_run(program, runner, history, day, out, &st);
}

/* Mean of the scores in [from, to] on the 0-10 scale, -1 when none. */
static double status_mean(const struct plan_ctx *c, int64_t from, int64_t to)
{
	int64_t sum;
	int n;

	window_scores(c, from, to, &sum, &n);
	return n > 0 ? (double)sum / n / 10.0 : -1.0;
}

/*
 * Fills the /status summary.  The plan and the streak are as of the start
 * of day; the last scores and adherence include what the runner already
 * answered on day itself; the two means are the trend windows of the
 * stall rule (the 7 days up to yesterday and the 7 before).  Only days
 * on or after the start day are looked at.
 */
int coach_status_day(const struct coach_program *program,
		     const struct coach_runner *runner,
		     const struct coach_history *history, int32_t day,
		     struct coach_status *out)
{
	struct plan_state st;
	struct plan_ctx c;

	if (!out)
		return -1;
	memset(out, 0, sizeof *out);
	if (plan_run(program, runner, history, day, &out->today, &st) < 0)
		return -1;
	memset(&c, 0, sizeof c);
	c.p = program;
	c.r = runner;
	c.h = history;

	for (size_t i = history_upper(history, day);
	     i-- > 0 && out->n_last_scores < 5;) {
		const struct coach_day_log *log = &history->days[i];
		if (log->day < runner->start_day || log->day > day)
			break;
		/* Newest first: the session check-in comes after the
		 * morning one. */
		int both[2] = { score_of(log->session10),
				score_of(log->morning10) };
		for (int k = 0; k < 2 && out->n_last_scores < 5; k++)
			if (both[k] != COACH_NO_SCORE)
				out->last_scores10[out->n_last_scores++] =
					both[k];
	}

	int done = 0, skipped = 0;
	for (int k = 0; k < 7; k++) {
		int64_t d = (int64_t)day - k;
		if (d < runner->start_day)
			break;
		const struct coach_day_log *log =
			history_find(history, (int32_t)d);
		if (log) {
			done += log->done > 0 ? log->done : 0;
			skipped += log->skipped > 0 ? log->skipped : 0;
		}
	}
	out->adherence_pct = done + skipped > 0 ?
		(done * 100 + (done + skipped) / 2) / (done + skipped) : -1;
	out->mean7 = status_mean(&c, (int64_t)day - 7, (int64_t)day - 1);
	out->mean7_before = status_mean(&c, (int64_t)day - 14,
					(int64_t)day - 8);
	out->green_streak = st.green_streak;
	out->paused = (out->today.flags & COACH_FLAG_PAUSED) != 0;
	return 0;
}

const char *coach_running_name(enum coach_running r)
{
	switch (r) {
	case COACH_RUN_BIKE: return "bike";
	case COACH_RUN_EASY: return "easy";
	case COACH_RUN_FULL: return "full";
	}
	return "bike";
}

const char *coach_flag_name(unsigned flag)
{
	switch (flag) {
	case COACH_FLAG_DELOAD: return "deload";
	case COACH_FLAG_HOLD: return "hold";
	case COACH_FLAG_RED_FLAG: return "red_flag";
	case COACH_FLAG_SEE_CLINICIAN: return "see_clinician";
	case COACH_FLAG_NUDGE: return "nudge";
	case COACH_FLAG_PAUSED: return "paused";
	}
	return NULL;
}
