/*
 * The plan rules of plan.h.  The history is replayed day by day from the
 * start day, keeping a small state (stage clock, deload, stop, red flag,
 * running ladder, streaks, silence, the weekly trend).  Each day has two
 * steps:
 *
 *   day_begin()  the morning: pauses, the weekly trend decision, the one
 *                change the day may bring, and the plan built from the
 *                state as it stood that morning (the morning plan);
 *   day_end()    the day's reports applied to the state, so the days
 *                after it (and, through rest_build(), the rest of that
 *                same day) follow them.
 *
 * Where design.md leaves room, the safer reading is taken (the reasons are
 * in docs/programs.md, "How the rules are read"):
 *   - a day's colour comes from its highest scores, not its latest;
 *   - a silent day breaks every "in a row" run (green days, red-free
 *     deload days) as well as counting for nothing;
 *   - only deload days with strength count toward leaving a deload (a stop
 *     or a flagged day proves nothing about the load);
 *   - deloaded days do not count toward the stage;
 *   - /cleared keeps the rest of its day without strength; the deload days
 *     it asks for are the days after it, and running starts again from the
 *     bike;
 *   - a red day lowers running one level on the ladder each time;
 *   - after a long pause the deload ends by the usual rule, and running
 *     restarts at its first step;
 *   - running comes back after a deload as a change of its own (the full
 *     strength session first, then the stage's exercise, then running);
 *   - "a second severe day within 7 days" includes one a week later;
 *   - a change needs the day before to be green with its morning
 *     question answered (the red-flag screen): session scores alone
 *     count toward the stage but start nothing;
 *   - a trend week with too few mornings decides nothing: an advice that
 *     stands is not lifted by silence.
 * Pure: no I/O, no clock, no allocation.
 */
#include "plan.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "coach_date.h"
#include "coach_words.h"

/* What one day's reports say, from the worst down. */
enum day_kind {
	DAY_SILENT = 0, /* no score and no red flag */
	DAY_GREEN,
	DAY_AMBER,
	DAY_RED,
	DAY_SEVERE,     /* also red */
};

/* Why a deload began, for its reasons. */
enum deload_cause {
	CAUSE_RED = 0,  /* a score >= red_min */
	CAUSE_CREEP,    /* a morning creeping up */
	CAUSE_CLEARED,  /* after /cleared */
	CAUSE_PAUSE,    /* back from a long pause */
};

/* One day's reports, classified. */
struct day_verdict {
	enum day_kind kind;
	int max10;        /* highest score, or COACH_NO_SCORE */
	bool max_morning; /* the highest score was the morning's */
	int morning10;
	int low10;        /* lowest morning of the creep window, or none */
	bool creep;       /* red because the morning crept up */
	bool flag;        /* pain at rest / at night reported */
};

/* The thresholds of coach_rules on the x10 integer scale of the logs. */
struct plan_limits {
	int green_max10;
	int red_min10;
	int stop_min10;
	int creep_min10;
	int rise10;
};

struct plan_state {
	/* stage clock */
	size_t stage;           /* 0-based */
	int in_stage;           /* counted days of the stage */
	int ex_days[COACH_MAX_STAGES][COACH_MAX_EXERCISES];
	int stretch_days;
	/* deload */
	bool deloaded;
	int deload_need;        /* red-free deload days that end it */
	int red_free;
	int deload_shown;       /* deload days planned since its last cause */
	int deload_days;        /* deload days planned since it began */
	enum deload_cause cause;
	int32_t cause_day;
	int cause10;            /* the score behind it */
	bool cause_morning;
	int cause_low10;        /* creep: the lowest morning */
	int cause_pause_days;
	bool readd;             /* the stage's own exercises wait to return */
	bool run_back;          /* running waits to come back after a deload */
	/* stop after a severe day */
	int32_t stop_until;     /* last day without strength, or COACH_NO_DAY */
	int32_t stop_day;
	int stop10;
	bool stop_morning;
	int32_t last_severe;
	/* red flag */
	bool flag;
	int32_t flag_since;
	bool flag_severe;       /* raised by a second severe day */
	/* running */
	enum coach_running level;
	int minutes;
	int run_days;           /* counted days at this step, no red day */
	int easy_total;         /* counted easy days, no red day */
	int green_streak;       /* counted green days in a row */
	/* yesterday */
	bool prev_green;        /* green, not paused, no flag standing */
	bool prev_silent;
	bool prev_no_morning;   /* scored, but the morning question (pain at
	                           rest or at night?) was not answered */
	bool prev_paused;
	bool prev_skipped;      /* its strength session was skipped */
	/* silence */
	int silent;
	bool nudged, asked_pause;
	/* weekly trend */
	int stall_run;
	bool advice;
	int advice_mean10;
	/* pauses */
	int paused_run;
};

struct plan_ctx {
	const struct coach_program *p;
	const struct coach_runner *r;
	const struct coach_history *h;
	const struct coach_rules *ru;
	struct plan_limits lim;
	size_t n_stages;
};

/* ----------------------------------------------------------- helpers */

static const char *plural(int n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* Appends one reason line, its first letter capitalised, cut on a
 * character boundary; lines beyond COACH_MAX_REASONS are dropped (the
 * first ones matter most, so they are added first).  front puts it
 * first. */
__attribute__((format(printf, 4, 5)))
static void reason_put(struct coach_plan *out, bool front,
		       enum coach_reason_kind kind, const char *fmt, ...)
{
	char line[COACH_REASON_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n >= (int)sizeof line)
		coach_utf8_cut_tail(line);
	if (line[0] >= 'a' && line[0] <= 'z')
		line[0] = (char)(line[0] - 'a' + 'A');
	if (out->n_reasons >= COACH_MAX_REASONS) {
		if (!front)
			return;
		out->n_reasons--; /* the last line makes room */
	}
	if (front) {
		memmove(out->reasons[1], out->reasons[0],
			out->n_reasons * sizeof out->reasons[0]);
		memmove(&out->reason_kind[1], &out->reason_kind[0],
			out->n_reasons);
		memcpy(out->reasons[0], line, sizeof line);
		out->reason_kind[0] = (unsigned char)kind;
	} else {
		memcpy(out->reasons[out->n_reasons], line, sizeof line);
		out->reason_kind[out->n_reasons] = (unsigned char)kind;
	}
	out->n_reasons++;
}

#define reason_add(out, ...) \
	reason_put(out, false, COACH_REASON_PLAIN, __VA_ARGS__)
#define reason_flag(out, ...) \
	reason_put(out, false, COACH_REASON_FLAG, __VA_ARGS__)

/* A day seen from view: "today", "yesterday", "tomorrow" or "on Tue 3
 * Mar". */
static const char *day_word(int32_t day, int32_t view, char *buf, size_t len)
{
	char d[16];

	if (day == view)
		return "today";
	if ((int64_t)day == (int64_t)view - 1)
		return "yesterday";
	if ((int64_t)day == (int64_t)view + 1)
		return "tomorrow";
	coach_day_label(day, d);
	snprintf(buf, len, "on %s", d);
	return buf;
}

/* "from today", "from tomorrow" or "from Tue 3 Mar": when something
 * begins, as seen from view. */
static const char *from_word(int32_t day, int32_t view, char *buf, size_t len)
{
	char d[16];

	if (day == view)
		return "from today";
	if ((int64_t)day == (int64_t)view + 1)
		return "from tomorrow";
	coach_day_label(day, d);
	snprintf(buf, len, "from %s", d);
	return buf;
}

/* "this morning's 8/10", "yesterday's 6/10", "your 6/10 of Tue 3 Mar":
 * a score and when it was given, as seen from view. */
static const char *score_when(int score10, bool morning, int32_t day,
			      int32_t view, char *buf, size_t len)
{
	char s[16], d[16];

	coach_score_text(score10, s, sizeof s);
	if (day == view)
		snprintf(buf, len, "%s %s/10", morning ? "this morning's" :
			 "today's", s);
	else if ((int64_t)day == (int64_t)view - 1)
		snprintf(buf, len, "%s %s/10", morning ?
			 "yesterday morning's" : "yesterday's", s);
	else {
		coach_day_label(day, d);
		snprintf(buf, len, "your %s/10 of %s", s, d);
	}
	return buf;
}

/* Index of the first history entry after day d (binary search). */
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

/* The log of day d (the last entry for it), or NULL. */
static const struct coach_day_log *history_find(const struct coach_history *h,
						int32_t d)
{
	size_t i = history_upper(h, d);

	if (i > 0 && h->days[i - 1].day == d)
		return &h->days[i - 1];
	return NULL;
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
	return score10 >= 0 && score10 <= 100 ? score10 : COACH_NO_SCORE;
}

/* The lowest morning score of the creep_days before d (not before the
 * start day), or COACH_NO_SCORE. */
static int lowest_morning(const struct plan_ctx *c, int32_t d)
{
	int low = COACH_NO_SCORE;

	for (int k = 1; k <= c->ru->creep_days; k++) {
		if ((int64_t)d - k < c->r->start_day)
			break;
		const struct coach_day_log *log = history_find(c->h, d - k);
		int m = log ? score_of(log->morning10) : COACH_NO_SCORE;
		if (m != COACH_NO_SCORE && (low == COACH_NO_SCORE || m < low))
			low = m;
	}
	return low;
}

/* Classifies the log of day d (NULL: nothing logged). */
static void day_classify(const struct plan_ctx *c, int32_t d,
			 const struct coach_day_log *log,
			 struct day_verdict *v)
{
	int m = log ? score_of(log->morning10) : COACH_NO_SCORE;
	int s = log ? score_of(log->session10) : COACH_NO_SCORE;

	memset(v, 0, sizeof *v);
	v->flag = log && log->red_flag;
	v->morning10 = m;
	v->max10 = m > s ? m : s;
	v->max_morning = m != COACH_NO_SCORE && m >= s;
	v->low10 = COACH_NO_SCORE;
	if (v->max10 == COACH_NO_SCORE) {
		v->kind = DAY_SILENT;
		return;
	}
	if (m != COACH_NO_SCORE && m >= c->lim.creep_min10) {
		v->low10 = lowest_morning(c, d);
		v->creep = v->low10 != COACH_NO_SCORE &&
			   m >= v->low10 + c->lim.rise10;
	}
	if (v->max10 >= c->lim.stop_min10)
		v->kind = DAY_SEVERE;
	else if (v->max10 >= c->lim.red_min10 || v->creep)
		v->kind = DAY_RED;
	else if (v->max10 <= c->lim.green_max10)
		v->kind = DAY_GREEN;
	else
		v->kind = DAY_AMBER;
}

/* ------------------------------------------------------- exercises */

static bool exercise_listed(const struct coach_stage *st, const char *name,
			    size_t *at)
{
	for (size_t i = 0; i < st->n_exercises && i < COACH_MAX_EXERCISES; i++)
		if (!strcmp(st->exercises[i].name, name)) {
			if (at)
				*at = i;
			return true;
		}
	return false;
}

/* The stage that first lists an exercise and its place there: the key
 * of its day counter. */
static void exercise_key(const struct plan_ctx *c, const char *name,
			 size_t *stage, size_t *item)
{
	for (size_t k = 0; k < c->n_stages; k++)
		if (exercise_listed(&c->p->stages[k], name, item)) {
			*stage = k;
			return;
		}
	*stage = 0;
	*item = 0;
}

/* True when stage `stage` added the exercise (its name appears in no
 * earlier stage).  Stage 1 adds everything, but a deload keeps it. */
static bool exercise_added_by(const struct plan_ctx *c, size_t stage,
			      const char *name)
{
	for (size_t k = 0; k < stage; k++)
		if (exercise_listed(&c->p->stages[k], name, NULL))
			return false;
	return true;
}

/* True when the current stage added anything a deload would drop. */
static bool stage_adds(const struct plan_ctx *c, size_t stage)
{
	const struct coach_stage *st = &c->p->stages[stage];

	if (stage == 0)
		return false;
	for (size_t i = 0; i < st->n_exercises && i < COACH_MAX_EXERCISES; i++)
		if (exercise_added_by(c, stage, st->exercises[i].name))
			return true;
	return false;
}

/*
 * Fills out->strength with the session of `stage`: every exercise of the
 * stages up to it, a later dose replacing an earlier one of the same
 * name.  leave_out drops the exercises this stage added (from stage 2 on;
 * their names go to out->left_out); deload sets every dose to
 * deload_sets x deload_reps.
 */
static void strength_fill(const struct plan_ctx *c, size_t stage,
			  bool leave_out, bool deload, struct coach_plan *out)
{
	out->n_strength = 0;
	out->n_left_out = 0;
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
	size_t kept = 0;
	for (size_t j = 0; j < out->n_strength; j++) {
		struct coach_exercise e = out->strength[j];
		if (leave_out && stage > 0 &&
		    exercise_added_by(c, stage, e.name)) {
			snprintf(out->left_out[out->n_left_out++],
				 COACH_NAME_MAX, "%s", e.name);
			continue;
		}
		if (deload) {
			e.sets = c->ru->deload_sets;
			e.reps = c->ru->deload_reps;
		}
		out->strength[kept++] = e;
	}
	out->n_strength = kept;
}

/* "Clamshell (band)" or "Clamshell (band) and Mini-squat" for the
 * left-out exercises of a plan. */
static const char *left_out_text(const struct coach_plan *p, char *buf,
				 size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < p->n_left_out; i++) {
		int r = snprintf(buf + n, len - n, "%s%s",
				 i == 0 ? "" : i + 1 == p->n_left_out ?
				 " and " : ", ", p->left_out[i]);
		if (r < 0 || (size_t)r >= len - n) {
			coach_utf8_cut_tail(buf);
			break;
		}
		n += (size_t)r;
	}
	return buf;
}

/* ------------------------------------------------------- running */

/* One level down the running ladder (bike, easy by its minutes, strides,
 * intervals, tempo). */
static void running_lower(const struct coach_rules *ru, struct plan_state *st)
{
	switch (st->level) {
	case COACH_RUN_BIKE:
		break;
	case COACH_RUN_EASY:
		if (st->minutes - ru->easy_step_minutes >= ru->easy_start_minutes &&
		    ru->easy_step_minutes > 0) {
			st->minutes -= ru->easy_step_minutes;
		} else {
			st->level = COACH_RUN_BIKE;
			st->minutes = 0;
		}
		break;
	case COACH_RUN_STRIDES:
		st->level = COACH_RUN_EASY;
		st->minutes = ru->easy_max_minutes;
		break;
	case COACH_RUN_INTERVALS:
	case COACH_RUN_TEMPO:
		st->level--;
		break;
	}
	st->run_days = 0;
	st->easy_total = 0;
}

/* True when the next step up the ladder is due (its counters are
 * full). */
static bool running_due(const struct coach_rules *ru,
			const struct plan_state *st)
{
	switch (st->level) {
	case COACH_RUN_BIKE:
		return st->green_streak >= ru->easy_after_green;
	case COACH_RUN_EASY:
		if (st->minutes < ru->easy_max_minutes)
			return st->run_days >= ru->easy_step_days;
		return st->easy_total >= ru->fast_after_easy;
	case COACH_RUN_STRIDES:
	case COACH_RUN_INTERVALS:
		return st->run_days >= ru->fast_step_days;
	case COACH_RUN_TEMPO:
		break;
	}
	return false;
}

static void running_step(const struct coach_rules *ru, struct plan_state *st)
{
	switch (st->level) {
	case COACH_RUN_BIKE:
		st->level = COACH_RUN_EASY;
		st->minutes = ru->easy_start_minutes;
		st->easy_total = 0;
		break;
	case COACH_RUN_EASY:
		if (st->minutes < ru->easy_max_minutes) {
			st->minutes += ru->easy_step_minutes;
			if (st->minutes > ru->easy_max_minutes)
				st->minutes = ru->easy_max_minutes;
		} else {
			st->level = COACH_RUN_STRIDES;
		}
		break;
	case COACH_RUN_STRIDES:
	case COACH_RUN_INTERVALS:
		st->level++;
		break;
	case COACH_RUN_TEMPO:
		break;
	}
	st->run_days = 0;
}

/* The reason of a step up that begins on day, as seen from view. */
static void reason_run_step(const struct plan_ctx *c,
			    const struct plan_state *st, int32_t day,
			    int32_t view, struct coach_plan *out)
{
	const struct coach_rules *ru = c->ru;
	char g[16], nb[16], fw[24];
	const char *from = from_word(day, view, fw, sizeof fw);

	coach_score_text(c->lim.green_max10, g, sizeof g);
	switch (st->level) {
	case COACH_RUN_EASY:
		if (st->minutes == ru->easy_start_minutes)
			reason_add(out, "easy running %s: %d min, after "
				   "%s %s with pain 0–%s.", from, st->minutes,
				   coach_count_word(ru->easy_after_green, nb,
					      sizeof nb),
				   plural(ru->easy_after_green, "day",
					  "days in a row"), g);
		else
			reason_add(out, "easy runs up to %d min %s: "
				   "%s %s without a red day.", st->minutes, from,
				   coach_count_word(ru->easy_step_days, nb,
					      sizeof nb),
				   plural(ru->easy_step_days, "day",
					  "days"));
		break;
	case COACH_RUN_STRIDES:
		reason_add(out, "strides %s: %d days of easy running "
			   "without a red day. Faster running comes back in "
			   "steps.", from, ru->fast_after_easy);
		break;
	case COACH_RUN_INTERVALS:
		reason_add(out, "short intervals %s: %d days of "
			   "strides without a red day.", from, ru->fast_step_days);
		break;
	case COACH_RUN_TEMPO:
		reason_add(out, "tempo runs %s: %d days of intervals "
			   "without a red day.", from, ru->fast_step_days);
		break;
	case COACH_RUN_BIKE:
		break;
	}
}

/* Where running stands, for the plan's running_note. */
static void running_note(const struct plan_ctx *c, const struct plan_state *st,
			 struct coach_plan *out)
{
	const struct coach_rules *ru = c->ru;
	char g[16], r[16];
	size_t len = sizeof out->running_note;

	out->running_note[0] = '\0';
	coach_score_text(c->lim.green_max10, g, sizeof g);
	coach_score_text(c->lim.red_min10, r, sizeof r);
	if (out->flags & (COACH_FLAG_RED_FLAG | COACH_FLAG_SEVERE |
			  COACH_FLAG_DELOAD | COACH_FLAG_PAUSED))
		return;
	switch (st->level) {
	case COACH_RUN_BIKE:
		snprintf(out->running_note, len, "easy running after %d %s "
			 "with pain 0–%s (%d so far)", ru->easy_after_green,
			 plural(ru->easy_after_green, "day", "days in a row"),
			 g, st->green_streak);
		break;
	case COACH_RUN_EASY:
		if (st->minutes < ru->easy_max_minutes)
			snprintf(out->running_note, len, "%d min after %d %s "
				 "without a red day (%d so far)",
				 st->minutes + ru->easy_step_minutes >
				 ru->easy_max_minutes ? ru->easy_max_minutes :
				 st->minutes + ru->easy_step_minutes,
				 ru->easy_step_days,
				 plural(ru->easy_step_days, "day", "days"),
				 st->run_days);
		else
			snprintf(out->running_note, len, "strides after %d "
				 "days of easy running with pain under %s/10 "
				 "(%d so far)", ru->fast_after_easy, r,
				 st->easy_total);
		break;
	case COACH_RUN_STRIDES:
	case COACH_RUN_INTERVALS:
		snprintf(out->running_note, len, "%s after %d days without a "
			 "red day (%d so far)", st->level == COACH_RUN_STRIDES ?
			 "short intervals" : "tempo runs", ru->fast_step_days,
			 st->run_days);
		break;
	case COACH_RUN_TEMPO:
		break;
	}
}

/* ------------------------------------------------------- state moves */

/* Starts a deload (or restarts its red-free count when one is already
 * running, naming the newer cause; /cleared always starts afresh). */
static void deload_begin(const struct plan_ctx *c, struct plan_state *st,
			 enum deload_cause cause, int need)
{
	if (!st->deloaded || cause == CAUSE_CLEARED) {
		st->deloaded = true;
		st->deload_days = 0;
	}
	st->deload_need = need;
	st->red_free = 0;
	st->deload_shown = 0;
	st->cause = cause;
	st->readd = stage_adds(c, st->stage);
}

static bool stop_on(const struct plan_state *st, int32_t d)
{
	return st->stop_until != COACH_NO_DAY && d <= st->stop_until;
}

/* True when the current stage has counted its days and a next stage
 * exists (the last stage, or one of 0 days, never ends). */
static bool stage_due(const struct plan_ctx *c, const struct plan_state *st)
{
	const struct coach_stage *cur = &c->p->stages[st->stage];

	return st->stage + 1 < c->n_stages && cur->days > 0 &&
	       st->in_stage >= cur->days;
}

/* Mean (x10) and count of the morning scores in [from, to] on or after
 * the start day. */
static void window_mornings(const struct plan_ctx *c, int64_t from, int64_t to,
			    int *mean10, int *n)
{
	int64_t sum = 0;

	*n = 0;
	*mean10 = 0;
	if (from < c->r->start_day)
		from = c->r->start_day;
	for (int64_t d = from; d <= to; d++) {
		const struct coach_day_log *log =
			history_find(c->h, (int32_t)d);
		int m = log ? score_of(log->morning10) : COACH_NO_SCORE;
		if (m != COACH_NO_SCORE) {
			sum += m;
			(*n)++;
		}
	}
	if (*n)
		*mean10 = (int)((sum + *n / 2) / *n);
}

/* The weekly trend decision, on the morning of day d when d begins a
 * trend window (program day 1 + k * stall_window, k >= 2). */
static void stall_decide(const struct plan_ctx *c, struct plan_state *st,
			 int32_t d)
{
	const struct coach_rules *ru = c->ru;
	int64_t pd = (int64_t)d - c->r->start_day; /* 0-based */
	int w = ru->stall_window;
	int m0, n0, m1, n1;

	if (w <= 0 || ru->stall_windows <= 0 || pd < 2 * (int64_t)w ||
	    pd % w != 0)
		return;
	window_mornings(c, (int64_t)d - w, (int64_t)d - 1, &m0, &n0);
	window_mornings(c, (int64_t)d - 2 * w, (int64_t)d - w - 1, &m1, &n1);
	if (n0 < ru->stall_min_scored || n1 < ru->stall_min_scored)
		return; /* too few mornings: this week decides nothing */
	if (m0 >= m1 && m0 >= coach_to10(ru->stall_min_mean)) {
		st->stall_run++;
		st->advice_mean10 = m0;
	} else {
		st->stall_run = 0;
	}
	st->advice = st->stall_run >= ru->stall_windows;
}

/* ------------------------------------------------------- the morning */

/* The reasons of a day under the red flag. */
static void reasons_flag(const struct plan_state *st, int32_t view,
			 struct coach_plan *out)
{
	char w[24], d[16];

	coach_day_label(st->flag_since, d);
	if (st->flag_severe)
		reason_flag(out, "two scores of %s or more within a week "
			   "(the second %s): no strength and no running "
			   "until a doctor or physio has checked the hip — "
			   "then send /cleared.", "8/10",
			   day_word(st->flag_since, view, w, sizeof w));
	else if (st->flag_since >= view - 1 && st->flag_since <= view)
		reason_flag(out, "pain at rest or at night reported %s (%s): "
			   "no strength and no running until a doctor or "
			   "physio has checked it — then send /cleared.",
			   day_word(st->flag_since, view, w, sizeof w), d);
	else
		reason_flag(out, "pain at rest or at night reported on %s: "
			   "no strength and no running until a doctor or "
			   "physio has checked it — then send /cleared.", d);
}

/* The reasons of a stop day after a severe score. */
static void reasons_stop(const struct plan_state *st, int32_t day,
			 int32_t view, struct coach_plan *out)
{
	char sw[48], w[24];

	reason_add(out, "%s: no strength and no running %s, gentle "
		   "stretches only. Please see a doctor soon.",
		   score_when(st->stop10, st->stop_morning, st->stop_day, view,
			      sw, sizeof sw),
		   day_word(day, view, w, sizeof w));
}

/* The reasons of a deloaded day: why, and what is left out. */
static void reasons_deload(const struct plan_ctx *c,
			   const struct plan_state *st, int32_t day,
			   int32_t view, struct coach_plan *out)
{
	const struct coach_rules *ru = c->ru;
	char sw[48], w[24], a[16], r[16], lo[COACH_REASON_MAX], nb[16];
	bool first = st->deload_shown == 1;
	const char *when = day_word(day, view, w, sizeof w);

	coach_score_text(c->lim.red_min10, r, sizeof r);
	if (first && st->cause == CAUSE_RED) {
		reason_add(out, "%s: strength eased to %d×%d %s, no running "
			   "(bike instead).",
			   score_when(st->cause10, st->cause_morning,
				      st->cause_day, view, sw, sizeof sw),
			   ru->deload_sets, ru->deload_reps, when);
	} else if (first && st->cause == CAUSE_CREEP) {
		reason_add(out, "%s is %s above your lowest morning of the "
			   "days before (%s/10): the pain is creeping up — "
			   "strength eased to %d×%d %s, no running.",
			   score_when(st->cause10, true, st->cause_day, view,
				      sw, sizeof sw),
			   coach_score_text(st->cause10 - st->cause_low10, a,
				      sizeof a),
			   coach_score_text(st->cause_low10, lo, sizeof lo),
			   ru->deload_sets, ru->deload_reps, when);
	} else if (first && st->cause == CAUSE_CLEARED) {
		reason_add(out, "cleared by a doctor or physio: %s easier "
			   "%s (%d×%d, no running) before the full plan.",
			   coach_count_word(st->deload_need, nb, sizeof nb),
			   plural(st->deload_need, "day", "days"),
			   ru->deload_sets, ru->deload_reps);
	} else if (first && st->cause == CAUSE_PAUSE) {
		reason_add(out, "back after %d days' pause: an easier start "
			   "(%d×%d, no running).", st->cause_pause_days,
			   ru->deload_sets, ru->deload_reps);
	} else if (st->red_free < st->deload_need) {
		/* (Once the count is full, the hold's reason says what the
		 * full plan waits for.) */
		reason_add(out, "still easing off: %d×%d and no running "
			   "until %d %s with pain under %s/10 (%d so far).",
			   ru->deload_sets, ru->deload_reps, st->deload_need,
			   plural(st->deload_need, "easier day",
				  "easier days in a row"), r, st->red_free);
	}
	if (first && out->n_left_out)
		reason_add(out, "left out while easing off: %s.",
			   left_out_text(out, lo, sizeof lo));
}

/* Why a due change waits on day, in one line, as seen from view. */
static void reason_hold(const struct plan_ctx *c, const struct plan_state *st,
			int32_t day, int32_t view, const char *what,
			struct coach_plan *out)
{
	char g[16], w[24];

	coach_score_text(c->lim.green_max10, g, sizeof g);
	if (st->advice)
		reason_add(out, "%s waits until your pain improves.", what);
	else if (st->prev_paused)
		reason_add(out, "%s waits for a day with pain 0–%s after the "
			   "pause.", what, g);
	else if (st->prev_no_morning)
		reason_add(out, "%s waits for a day whose morning question is "
			   "answered too (how the hip is, and any pain at rest "
			   "or at night).", what);
	else if (st->prev_silent)
		reason_add(out, "%s waits for a day with a score of 0–%s: "
			   "nothing moves forward without one.", what, g);
	else if (!st->prev_green)
		reason_add(out, "the pain %s was above %s/10: %s waits "
			   "for a day with pain 0–%s.",
			   day_word(day - 1, view, w, sizeof w), g, what, g);
	else
		reason_add(out, "one change a day: %s comes %s at the "
			   "earliest.", what,
			   day_word(day + 1, view, w, sizeof w));
}

/* The names of changes, for reason_hold(). */
static const char *change_what(enum coach_change ch)
{
	switch (ch) {
	case COACH_CHANGE_NEW_STAGE: return "the next stage";
	case COACH_CHANGE_RUN_STEP: return "the next running step";
	case COACH_CHANGE_DELOAD_END: return "the full plan";
	case COACH_CHANGE_EXERCISE_BACK: return "the left-out exercise";
	case COACH_CHANGE_NONE: break;
	}
	return "the next step";
}

/* Counts the day of every exercise in today's plan (a left-out exercise
 * starts again at day 1 when it comes back). */
static void exercise_days(const struct plan_ctx *c, struct plan_state *st,
			  struct coach_plan *out)
{
	for (size_t i = 0; i < out->n_left_out; i++) {
		size_t k, j;
		exercise_key(c, out->left_out[i], &k, &j);
		st->ex_days[k][j] = 0;
	}
	for (size_t i = 0; i < out->n_strength; i++) {
		size_t k, j;
		exercise_key(c, out->strength[i].name, &k, &j);
		out->strength_day[i] = ++st->ex_days[k][j];
	}
}

/*
 * The morning of day d: moves the state as the day begins and builds the
 * day's morning plan into *out, reasons worded as seen from view.
 */
static void day_begin(const struct plan_ctx *c, struct plan_state *st,
		      int32_t d, int32_t view, struct coach_plan *out)
{
	const struct coach_program *p = c->p;
	const struct coach_rules *ru = c->ru;
	char w[24];

	memset(out, 0, sizeof *out);
	out->day = d;
	out->program_day = (int)((int64_t)d - c->r->start_day + 1);
	out->running = COACH_RUN_BIKE;
	out->flag_since = COACH_NO_DAY;
	if (st->flag) {
		out->flags |= COACH_FLAG_RED_FLAG;
		out->flag_since = st->flag_since;
	}

	if (in_pause(c->h, d)) {
		int32_t until = pause_until(c->h, d);
		/* Show where the runner stands: a stage that has counted its
		 * days is over even while paused. */
		bool due = stage_due(c, st);
		out->stage = (int)st->stage + 1 + due;
		out->day_in_stage = due ? 1 : st->in_stage + 1;
		out->stage_days = p->stages[st->stage + due].days;
		out->flags |= COACH_FLAG_PAUSED;
		if (until == COACH_DAY_OPEN) {
			reason_add(out, "paused: no exercises until you send "
				   "/resume.");
		} else {
			char date[16];
			coach_day_label(until, date);
			if (st->flag)
				reason_add(out, "paused: no exercises %s; "
					   "reminders start again on %s (or "
					   "send /resume), still without "
					   "strength or running until /cleared.",
					   day_word(d, view, w, sizeof w), date);
			else
				reason_add(out, "paused: no exercises %s; the "
					   "plan starts again on %s (or send "
					   "/resume).",
					   day_word(d, view, w, sizeof w), date);
		}
		if (st->flag)
			reasons_flag(st, view, out);
		return;
	}

	/* Back from a long pause: an easier day first. */
	if (ru->long_pause_days > 0 && st->paused_run >= ru->long_pause_days) {
		int days = st->paused_run;
		bool was = st->deloaded;
		deload_begin(c, st, CAUSE_PAUSE, ru->recover_days);
		if (was)
			st->cause = CAUSE_RED; /* an older deload goes on */
		st->cause_pause_days = days;
		/* After weeks off, running restarts from its first step. */
		if (st->level > COACH_RUN_EASY ||
		    (st->level == COACH_RUN_EASY &&
		     st->minutes > ru->easy_start_minutes)) {
			st->level = COACH_RUN_EASY;
			st->minutes = ru->easy_start_minutes;
		}
		st->run_days = st->easy_total = 0;
		st->green_streak = 0;
	}

	stall_decide(c, st, d);

	/* One change at a time, after a green day, never during a deload,
	 * a red flag or a stop; the end of a deload first. */
	bool blocked = st->flag || stop_on(st, d);
	bool gate = st->prev_green && !blocked;
	enum coach_change due = COACH_CHANGE_NONE;
	if (!blocked) {
		if (st->deloaded) {
			if (st->red_free >= st->deload_need)
				due = COACH_CHANGE_DELOAD_END;
		} else if (st->readd) {
			due = COACH_CHANGE_EXERCISE_BACK;
		} else if (st->run_back) {
			due = COACH_CHANGE_RUN_STEP; /* running comes back */
		} else if (stage_due(c, st) && !st->advice) {
			due = COACH_CHANGE_NEW_STAGE;
		} else if (running_due(ru, st) && !st->advice) {
			due = COACH_CHANGE_RUN_STEP;
		} else if (stage_due(c, st) || running_due(ru, st)) {
			due = stage_due(c, st) ? COACH_CHANGE_NEW_STAGE :
			      COACH_CHANGE_RUN_STEP;
			gate = false; /* the advice holds it */
		}
	}
	bool running_back = due == COACH_CHANGE_RUN_STEP && st->run_back;
	if (due != COACH_CHANGE_NONE && gate) {
		out->change = due;
		switch (due) {
		case COACH_CHANGE_DELOAD_END:
			st->deloaded = false;
			/* Strength first; running comes back as a change of
			 * its own. */
			st->run_back = st->level > COACH_RUN_BIKE;
			break;
		case COACH_CHANGE_EXERCISE_BACK:
			st->readd = false;
			break;
		case COACH_CHANGE_NEW_STAGE:
			st->stage++;
			st->in_stage = 0;
			break;
		case COACH_CHANGE_RUN_STEP:
			if (st->run_back)
				st->run_back = false;
			else
				running_step(ru, st);
			break;
		case COACH_CHANGE_NONE:
			break;
		}
	} else if (due != COACH_CHANGE_NONE) {
		out->flags |= COACH_FLAG_HOLD;
	}

	out->stage = (int)st->stage + 1;
	out->stage_days = p->stages[st->stage].days;
	/* A stage whose next one waits stays on its last day. */
	out->day_in_stage = st->in_stage + 1;
	if (out->stage_days > 0 && out->day_in_stage > out->stage_days)
		out->day_in_stage = out->stage_days;
	int sessions = c->r->stretch_sessions > 0 ? c->r->stretch_sessions :
		       p->stretch_sessions_max;
	if (p->stretch_sessions_max > 0 && sessions > p->stretch_sessions_max)
		sessions = p->stretch_sessions_max;
	if (sessions < p->stretch_sessions_min)
		sessions = p->stretch_sessions_min;
	out->stretch_sessions = sessions;
	out->stretch_day = ++st->stretch_days;

	if (st->flag) {
		reasons_flag(st, view, out);
	} else if (stop_on(st, d)) {
		out->flags |= COACH_FLAG_SEVERE;
		reasons_stop(st, d, view, out);
	} else if (st->deloaded) {
		strength_fill(c, st->stage, true, true, out);
		out->flags |= COACH_FLAG_DELOAD;
		st->deload_shown++;
		st->deload_days++;
		reasons_deload(c, st, d, view, out);
		exercise_days(c, st, out);
	} else {
		strength_fill(c, st->stage, st->readd, false, out);
		if (!st->run_back) {
			out->running = st->level;
			out->running_minutes = st->level >= COACH_RUN_EASY ?
					       st->minutes : 0;
		}
		exercise_days(c, st, out);
	}

	char nb[16], r[16], lo[COACH_REASON_MAX];
	switch (out->change) {
	case COACH_CHANGE_DELOAD_END:
		coach_score_text(c->lim.red_min10, r, sizeof r);
		if (out->n_left_out)
			reason_add(out, "%s easier %s with pain under %s/10: "
				   "back to the full dose %s; %s comes back "
				   "tomorrow.",
				   coach_count_word(st->deload_need, nb, sizeof nb),
				   plural(st->deload_need, "day", "days"), r,
				   day_word(d, view, w, sizeof w),
				   left_out_text(out, lo, sizeof lo));
		else
			reason_add(out, "%s easier %s with pain under %s/10: "
				   "back to the full %s %s.",
				   coach_count_word(st->deload_need, nb, sizeof nb),
				   plural(st->deload_need, "day", "days"), r,
				   st->run_back ? "strength session" : "plan",
				   day_word(d, view, w, sizeof w));
		if (st->run_back)
			reason_add(out, "running comes back a day after the "
				   "full strength session, one change at a "
				   "time.");
		break;
	case COACH_CHANGE_EXERCISE_BACK:
		for (size_t i = 0; i < out->n_strength; i++)
			if (out->strength_day[i] == 1)
				reason_add(out, "%s joins the session %s.",
					   out->strength[i].name,
					   day_word(d, view, w, sizeof w));
		break;
	case COACH_CHANGE_NEW_STAGE:
		reason_add(out, "new stage %s: %s.",
			   day_word(d, view, w, sizeof w),
			   p->stages[st->stage].title[0] ?
			   p->stages[st->stage].title :
			   "the next strength stage");
		break;
	case COACH_CHANGE_RUN_STEP:
		if (running_back) {
			char fw[24];
			if (st->level == COACH_RUN_EASY)
				reason_add(out, "running again %s: easy, up to "
					   "%d min.", from_word(d, view, fw,
								sizeof fw),
					   st->minutes);
			else
				reason_add(out, "running again %s, one level "
					   "below where it was: %s.",
					   from_word(d, view, fw, sizeof fw),
					   st->level == COACH_RUN_STRIDES ?
					   "easy runs with strides" :
					   st->level == COACH_RUN_INTERVALS ?
					   "short intervals" : "tempo runs");
		} else {
			reason_run_step(c, st, d, view, out);
		}
		break;
	case COACH_CHANGE_NONE:
		break;
	}
	if (out->flags & COACH_FLAG_HOLD)
		reason_hold(c, st, d, view, change_what(due), out);

	if (st->advice) {
		char m[16];
		out->flags |= COACH_FLAG_SEE_CLINICIAN;
		reason_add(out, "your morning pain has not improved for %d "
			   "%s (average %s/10): please see a physio or "
			   "doctor. Plan kept, nothing new until it improves.",
			   ru->stall_windows * ru->stall_window,
			   plural(ru->stall_windows * ru->stall_window, "day",
				  "days"),
			   coach_score_text(st->advice_mean10, m, sizeof m));
	} else if (st->deloaded && !st->flag && ru->deload_advice_days > 0 &&
		   st->deload_days > ru->deload_advice_days) {
		/* Counted in deload days planned (not paused, flagged or
		 * stopped days): the eased plan has not settled the hip. */
		out->flags |= COACH_FLAG_SEE_CLINICIAN;
		reason_add(out, "still easing off after %d easier days: please "
			   "see a physio or doctor.", st->deload_days - 1);
	}

	if (st->prev_skipped)
		reason_add(out, "the strength session %s was skipped, so that "
			   "day did not count toward the stage or the running "
			   "steps.",
			   day_word(d - 1, view, w, sizeof w));

	if (ru->nudge_after > 0 && st->silent >= ru->nudge_after &&
	    !st->nudged) {
		st->nudged = true;
		out->flags |= COACH_FLAG_NUDGE;
		if (st->silent == 1)
			reason_add(out, "no score %s: plan unchanged, and "
				   "nothing moves forward until you send one "
				   "(0–10).", day_word(d - 1, view, w, sizeof w));
		else
			reason_add(out, "no score for %d days: plan unchanged, "
				   "and nothing moves forward until you send "
				   "one (0–10).", st->silent);
	}
	if (ru->ask_pause_after > 0 && st->silent >= ru->ask_pause_after &&
	    !st->asked_pause) {
		st->asked_pause = true;
		out->flags |= COACH_FLAG_ASK_PAUSE;
		reason_add(out, "no score for %d days. Need a break? Reply "
			   "/pause, and /resume when you are back.",
			   st->silent);
	}
	running_note(c, st, out);
}

/* --------------------------------------------------------- the day */

/* Applies the reports of day d, whose morning plan was `plan`, to the
 * state. */
static void day_end(const struct plan_ctx *c, struct plan_state *st,
		    int32_t d, const struct coach_plan *plan)
{
	const struct coach_rules *ru = c->ru;
	const struct coach_day_log *log = history_find(c->h, d);
	bool paused = plan->flags & COACH_FLAG_PAUSED;
	bool flagged_morning = st->flag;
	struct day_verdict v;

	day_classify(c, d, log, &v);

	/* Red flag and severe days act on paused days too. */
	if (v.flag && !st->flag) {
		st->flag = true;
		st->flag_since = d;
		st->flag_severe = false;
	}
	if (v.kind == DAY_SEVERE) {
		if (st->last_severe != COACH_NO_DAY &&
		    (int64_t)d - st->last_severe <= ru->severe_repeat_days &&
		    !st->flag) {
			st->flag = true;
			st->flag_since = d;
			st->flag_severe = true;
		}
		st->last_severe = d;
		st->stop_until = ru->severe_days > 0 ?
				 d + ru->severe_days - 1 : COACH_NO_DAY;
		st->stop_day = d;
		st->stop10 = v.max10;
		st->stop_morning = v.max_morning;
	}
	bool cleared = log && log->cleared && st->flag;
	if (cleared) {
		st->flag = false;
		st->flag_severe = false;
		deload_begin(c, st, CAUSE_CLEARED, ru->cleared_deload_days);
		st->cause_day = d;
		/* After a possible fracture, running starts from scratch. */
		st->level = COACH_RUN_BIKE;
		st->minutes = 0;
		st->run_days = st->easy_total = st->green_streak = 0;
	}

	if (v.kind >= DAY_RED) {
		/* A severe day deloads too, after its stop days. */
		deload_begin(c, st, v.creep && v.max10 < c->lim.red_min10 ?
			     CAUSE_CREEP : CAUSE_RED, ru->recover_days);
		st->cause_day = d;
		st->cause10 = v.creep && v.max10 < c->lim.red_min10 ?
			      v.morning10 : v.max10;
		st->cause_morning = v.creep && v.max10 < c->lim.red_min10 ?
				    true : v.max_morning;
		st->cause_low10 = v.low10;
		running_lower(ru, st);
		st->green_streak = 0;
	} else if (st->deloaded && !paused &&
		   (plan->flags & COACH_FLAG_DELOAD) && !cleared) {
		/* A red-free deload day counts toward the full plan; a
		 * silent one breaks the run. */
		if (v.kind == DAY_GREEN || v.kind == DAY_AMBER)
			st->red_free++;
		else
			st->red_free = 0;
	}

	bool counted = !paused && (v.kind == DAY_GREEN || v.kind == DAY_AMBER) &&
		       !flagged_morning && !st->flag && !v.flag &&
		       !(plan->flags & (COACH_FLAG_DELOAD | COACH_FLAG_SEVERE |
					COACH_FLAG_RED_FLAG)) &&
		       !(log && log->strength_skipped);
	if (counted) {
		st->in_stage++;
		if (plan->running >= COACH_RUN_EASY)
			st->run_days++;
		if (plan->running == COACH_RUN_EASY &&
		    st->level == COACH_RUN_EASY)
			st->easy_total++;
	}
	/* Green days in a row: anything else (amber, silent, paused,
	 * deloaded, skipped) starts the run again. */
	if (counted && v.kind == DAY_GREEN)
		st->green_streak++;
	else
		st->green_streak = 0;

	/* A change waits for a green day whose morning question was
	 * answered: the morning is where pain at rest or at night, and pain
	 * that persists into the next day, are screened for. */
	st->prev_no_morning = v.kind == DAY_GREEN && v.morning10 == COACH_NO_SCORE;
	st->prev_green = v.kind == DAY_GREEN && !paused && !st->flag &&
			 !st->prev_no_morning;
	st->prev_silent = v.kind == DAY_SILENT && !paused;
	st->prev_paused = paused;
	st->prev_skipped = !paused && log && log->strength_skipped &&
			   (v.kind == DAY_GREEN || v.kind == DAY_AMBER) &&
			   !(plan->flags & (COACH_FLAG_DELOAD | COACH_FLAG_SEVERE |
					    COACH_FLAG_RED_FLAG));

	if (paused) {
		/* A pause is not silence: a new silent spell starts after
		 * it. */
		st->silent = 0;
		st->nudged = st->asked_pause = false;
		st->paused_run++;
	} else {
		st->paused_run = 0;
		/* A red-flag report or /cleared is a reply, not silence. */
		if (v.kind == DAY_SILENT && !v.flag && !(log && log->cleared)) {
			st->silent++;
		} else {
			st->silent = 0;
			st->nudged = st->asked_pause = false;
		}
	}
}

/*
 * The plan for the rest of day d: its morning plan `morning` changed by
 * what the day's log says, given the state as it stood that morning
 * (st, not moved).  Writes *out.
 */
static void rest_build(const struct plan_ctx *c, const struct plan_state *st,
		       int32_t d, int32_t view, const struct coach_plan *morning,
		       struct coach_plan *out)
{
	const struct coach_rules *ru = c->ru;
	const struct coach_day_log *log = history_find(c->h, d);
	struct day_verdict v;
	char sw[48], w[24], lo[COACH_REASON_MAX];
	const char *when = day_word(d, view, w, sizeof w);

	*out = *morning;
	out->rest_of_day = true;
	day_classify(c, d, log, &v);
	if (morning->flags & COACH_FLAG_PAUSED) {
		/* Paused: still no plan, but a flag or a severe score
		 * reported now stands. */
		if (v.kind == DAY_SEVERE && !st->flag && !v.flag) {
			out->flags |= COACH_FLAG_SEVERE;
			reason_put(out, true, COACH_REASON_PLAIN, "%s: please see a doctor soon; no "
				   "strength and no running %s or tomorrow.",
				   score_when(v.max10, v.max_morning, d, view,
					      sw, sizeof sw), when);
		}
		if (log && log->cleared && (st->flag || v.flag)) {
			/* Cleared in the pause: the flag is lifted now. */
			out->flags &= ~(unsigned)COACH_FLAG_RED_FLAG;
			out->flag_since = COACH_NO_DAY;
			out->n_reasons = 0;
			reason_put(out, true, COACH_REASON_FLAG, "cleared by a "
				   "doctor or physio: %s easier %s come first "
				   "when the pause ends.",
				   coach_count_word(ru->cleared_deload_days, sw,
					      sizeof sw),
				   plural(ru->cleared_deload_days, "day",
					  "days"));
		} else if (v.flag && !st->flag) {
			out->flags |= COACH_FLAG_RED_FLAG;
			out->flag_since = d;
			reason_put(out, true, COACH_REASON_FLAG, "you reported pain at rest or at "
				   "night: no strength and no running until a "
				   "doctor or physio has checked it — then "
				   "send /cleared.");
		}
		out->replanned = out->flags != morning->flags;
		return;
	}

	bool severe_flag = v.kind == DAY_SEVERE && st->last_severe != COACH_NO_DAY &&
			   (int64_t)d - st->last_severe <= ru->severe_repeat_days;
	bool cleared = log && log->cleared && (st->flag || v.flag);
	bool new_flag = !st->flag && !cleared && (v.flag || severe_flag);

	if (cleared) {
		/* The flag is lifted; the easier days start tomorrow. */
		out->n_reasons = 0;
		out->flags &= ~(unsigned)COACH_FLAG_RED_FLAG;
		out->flag_since = COACH_NO_DAY;
		out->n_strength = 0;
		out->running = COACH_RUN_BIKE;
		out->running_minutes = 0;
		reason_put(out, true, COACH_REASON_FLAG, "cleared by a doctor or physio: no "
			   "strength or running for the rest of %s; %s easier "
			   "%s come first.", when,
			   coach_count_word(ru->cleared_deload_days, lo, sizeof lo),
			   plural(ru->cleared_deload_days, "day", "days"));
	} else if (new_flag) {
		out->n_reasons = 0; /* the morning's reasons no longer apply */
		out->flags |= COACH_FLAG_RED_FLAG;
		out->flags &= ~(unsigned)(COACH_FLAG_DELOAD | COACH_FLAG_HOLD);
		out->flag_since = d;
		out->n_strength = 0;
		out->n_left_out = 0;
		out->running = COACH_RUN_BIKE;
		out->running_minutes = 0;
		if (v.flag)
			reason_put(out, true, COACH_REASON_FLAG, "you reported pain at rest or at "
				   "night: no strength and no running from "
				   "now until a doctor or physio has checked "
				   "it — then send /cleared.");
		else
			reason_put(out, true, COACH_REASON_FLAG, "a second score of %s/10 or more "
				   "within a week: no strength and no running "
				   "from now until a doctor or physio has "
				   "checked the hip — then send /cleared.",
				   coach_score_text(c->lim.stop_min10, lo, sizeof lo));
	} else if (st->flag) {
		/* Nothing changes while the flag stands. */
	} else if (v.kind == DAY_SEVERE) {
		out->n_reasons = 0;
		out->flags |= COACH_FLAG_SEVERE;
		out->flags &= ~(unsigned)(COACH_FLAG_DELOAD | COACH_FLAG_HOLD);
		out->n_strength = 0;
		out->n_left_out = 0;
		out->running = COACH_RUN_BIKE;
		out->running_minutes = 0;
		reason_put(out, true, COACH_REASON_PLAIN, "%s: no strength and no running %s%s, "
			   "gentle stretches only. Please see a doctor soon.",
			   score_when(v.max10, v.max_morning, d, view, sw,
				      sizeof sw), when,
			   ru->severe_days >= 2 ? " or tomorrow" : "");
	} else if (v.kind == DAY_RED && !(morning->flags & COACH_FLAG_SEVERE)) {
		bool creep = v.creep && v.max10 < c->lim.red_min10;
		char a[16], b[16];
		if (!(morning->flags & COACH_FLAG_DELOAD)) {
			out->n_reasons = 0;
			strength_fill(c, st->stage, true, true, out);
			/* The plan's day counters stay the morning's. */
			for (size_t i = 0; i < out->n_strength; i++)
				for (size_t j = 0; j < morning->n_strength; j++)
					if (!strcmp(out->strength[i].name,
						    morning->strength[j].name))
						out->strength_day[i] =
							morning->strength_day[j];
			out->flags |= COACH_FLAG_DELOAD;
			out->flags &= ~(unsigned)COACH_FLAG_HOLD;
			out->running = COACH_RUN_BIKE;
			out->running_minutes = 0;
		}
		if (creep)
			reason_put(out, true, COACH_REASON_PLAIN, "%s is %s above your lowest "
				   "morning of the days before (%s/10): the "
				   "pain is creeping up — strength eased to "
				   "%d×%d %s, no running.",
				   score_when(v.morning10, true, d, view, sw,
					      sizeof sw),
				   coach_score_text(v.morning10 - v.low10, a,
					      sizeof a),
				   coach_score_text(v.low10, b, sizeof b),
				   ru->deload_sets, ru->deload_reps, when);
		else
			reason_put(out, true, COACH_REASON_PLAIN, "%s: strength eased to %d×%d %s, "
				   "no running (bike instead).",
				   score_when(v.max10, v.max_morning, d, view,
					      sw, sizeof sw),
				   ru->deload_sets, ru->deload_reps, when);
	}
	if (out->flags != morning->flags || out->n_strength != morning->n_strength ||
	    out->running != morning->running ||
	    (out->n_strength && morning->n_strength &&
	     (out->strength[0].sets != morning->strength[0].sets ||
	      out->strength[0].reps != morning->strength[0].reps)))
		out->replanned = true;
	if (out->replanned) {
		out->running_note[0] = '\0';
		/* What began this morning is not what the rest of the day
		 * brings. */
		out->change = COACH_CHANGE_NONE;
		out->flags &= ~(unsigned)COACH_FLAG_HOLD;
	}
}

/* ------------------------------------------------------------ replay */

static void state_init(struct plan_state *st)
{
	memset(st, 0, sizeof *st);
	st->level = COACH_RUN_BIKE;
	st->stop_until = COACH_NO_DAY;
	st->last_severe = COACH_NO_DAY;
	st->flag_since = COACH_NO_DAY;
}

static int ctx_init(struct plan_ctx *c, const struct coach_program *program,
		    const struct coach_runner *runner,
		    const struct coach_history *history)
{
	if (!program || !runner || !history || program->n_stages == 0)
		return -1;
	c->p = program;
	c->r = runner;
	c->h = history;
	c->ru = &program->rules;
	c->n_stages = program->n_stages < COACH_MAX_STAGES ?
		      program->n_stages : COACH_MAX_STAGES;
	c->lim.green_max10 = coach_to10(program->rules.green_max);
	c->lim.red_min10 = coach_to10(program->rules.red_min);
	c->lim.stop_min10 = coach_to10(program->rules.stop_min);
	c->lim.creep_min10 = coach_to10(program->rules.creep_min);
	c->lim.rise10 = coach_to10(program->rules.morning_rise);
	return 0;
}

/*
 * Replays the history up to day and builds its plan (the morning's, or
 * the rest of the day's when rest is set) as seen from view.  Leaves the
 * state as it stood on the morning of day in *st.
 */
static int plan_run(const struct plan_ctx *c, int32_t day, bool rest,
		    int32_t view, struct coach_plan *out,
		    struct plan_state *st)
{
	struct coach_plan scratch;

	state_init(st);
	if (day < c->r->start_day) {
		memset(out, 0, sizeof *out);
		out->day = day;
		out->before_start = true;
		out->rest_of_day = rest;
		out->running = COACH_RUN_BIKE;
		out->flag_since = COACH_NO_DAY;
		return 0;
	}
	for (int32_t d = c->r->start_day; d < day; d++) {
		day_begin(c, st, d, d, &scratch);
		day_end(c, st, d, &scratch);
	}
	if (!rest) {
		day_begin(c, st, day, view, out);
		return 0;
	}
	day_begin(c, st, day, view, &scratch);
	rest_build(c, st, day, view, &scratch, out);
	return 0;
}

int coach_plan_view(const struct coach_program *program,
		    const struct coach_runner *runner,
		    const struct coach_history *history, int32_t day,
		    bool rest, int32_t view, struct coach_plan *out)
{
	struct plan_ctx c;
	struct plan_state st;

	if (!out || ctx_init(&c, program, runner, history) != 0)
		return -1;
	return plan_run(&c, day, rest, view, out, &st);
}

int coach_plan_day(const struct coach_program *program,
		   const struct coach_runner *runner,
		   const struct coach_history *history, int32_t day,
		   struct coach_plan *out)
{
	return coach_plan_view(program, runner, history, day, false, day, out);
}

int coach_plan_rest(const struct coach_program *program,
		    const struct coach_runner *runner,
		    const struct coach_history *history, int32_t day,
		    struct coach_plan *out)
{
	return coach_plan_view(program, runner, history, day, true, day, out);
}

/* Mean of the morning scores in [from, to] on the 0-10 scale, -1 when
 * none. */
static double status_mean(const struct plan_ctx *c, int64_t from, int64_t to)
{
	int mean10, n;

	window_mornings(c, from, to, &mean10, &n);
	return n > 0 ? mean10 / 10.0 : -1.0;
}

/*
 * Fills the /status summary as of now on day: today's plan with the
 * day's replies, the last 7 days' scores, what was answered done or
 * skipped, the trend (morning means of the 7 days before day and the 7
 * before those) and when the next stage can start at the earliest.
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
	out->next_stage_day = COACH_NO_DAY;
	if (ctx_init(&c, program, runner, history) != 0 ||
	    plan_run(&c, day, true, day, &out->today, &st) != 0)
		return -1;

	for (int k = 0; k < 7; k++) {
		int32_t d = (int32_t)((int64_t)day - 6 + k);
		const struct coach_day_log *log =
			d >= runner->start_day ? history_find(history, d) : NULL;
		out->week[k].day = d;
		out->week[k].morning10 = log ? score_of(log->morning10) :
					 COACH_NO_SCORE;
		out->week[k].session10 = log ? score_of(log->session10) :
					 COACH_NO_SCORE;
		out->week[k].red_flag = log && log->red_flag;
		if (log) {
			out->done7 += log->done > 0 ? log->done : 0;
			out->skipped7 += log->skipped > 0 ? log->skipped : 0;
		}
	}
	out->mean7 = status_mean(&c, (int64_t)day - 7, (int64_t)day - 1);
	out->mean7_before = status_mean(&c, (int64_t)day - 14,
					(int64_t)day - 8);
	out->green_streak = st.green_streak;
	out->paused = (out->today.flags & COACH_FLAG_PAUSED) != 0;
	const struct coach_stage *cur = &program->stages[st.stage];
	/* No date while a flag, a stop or a deload stands: those days do
	 * not count, and how many there will be is not known. */
	bool waits = out->today.flags & (COACH_FLAG_RED_FLAG |
					 COACH_FLAG_SEVERE | COACH_FLAG_DELOAD |
					 COACH_FLAG_PAUSED);
	if (!out->today.before_start && !waits && st.stage + 1 < c.n_stages &&
	    cur->days > 0) {
		/* Today counts if it goes well; the stage starts the day
		 * after its last counted day. */
		int left = cur->days - st.in_stage;
		if (left < 1)
			left = 1;
		out->next_stage_day = day + left;
	}
	return 0;
}

const char *coach_running_name(enum coach_running r)
{
	switch (r) {
	case COACH_RUN_BIKE: return "bike";
	case COACH_RUN_EASY: return "easy";
	case COACH_RUN_STRIDES: return "strides";
	case COACH_RUN_INTERVALS: return "intervals";
	case COACH_RUN_TEMPO: return "tempo";
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
	case COACH_FLAG_SEVERE: return "severe";
	case COACH_FLAG_ASK_PAUSE: return "ask_pause";
	}
	return NULL;
}

const char *coach_change_name(enum coach_change ch)
{
	switch (ch) {
	case COACH_CHANGE_NONE: return "";
	case COACH_CHANGE_NEW_STAGE: return "new_stage";
	case COACH_CHANGE_RUN_STEP: return "run_step";
	case COACH_CHANGE_DELOAD_END: return "deload_end";
	case COACH_CHANGE_EXERCISE_BACK: return "exercise_back";
	}
	return "";
}
