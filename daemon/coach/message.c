/*
 * The words rehabd sends.  Every message is first built as a list of
 * lines, each marked with how readily it may be left out (how-tos first,
 * then exercise lines, then reasons; headings, warnings and the question
 * never).  The list is shortened until its plain text fits
 * COACH_MESSAGE_MAX bytes (so also that many characters), then written as
 * plain text or as Telegram-style HTML with the same visible text: <b> for
 * headings, everything else escaped.
 */
#include "message.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "coach_date.h"

/* ------------------------------------------------------------ the texts */

/* The flags of a day, each with its one-line headline.  The plan's
 * reasons say the details below it. */
static const struct {
	const char *flag; /* coach_flag_name() */
	const char *text;
} flag_texts[] = {
	{ "red_flag", "Please see a doctor soon: pain at rest or pain this "
		      "high needs a check \xe2\x80\x94 a stress fracture can "
		      "look like a hip flexor strain." },
	/* Week to week, not "two weeks": the program sets how many. */
	{ "see_clinician", "Your pain has not improved week to week: please "
			   "see a physio or doctor." },
	{ "deload", "Easier day: lighter strength, no running." },
	/* A hold stops only faster running; the stage still moves on. */
	{ "hold", "Steady day: the plan goes on, no faster running." },
	/* The program sets after how many silent days; the plan's reason
	 * gives the number. */
	{ "nudge", "No reply lately \xe2\x80\x94 a quick number helps me "
		   "adjust your plan." },
	{ "paused", "Paused \xe2\x80\x94 no exercises today." },
};

/* Running levels (coach_running_name()), as the runner reads them:
 * before, then the cross-training (bike) or the pain limit (others), then
 * after. */
static const struct {
	const char *level;
	const char *before, *after;
} running_texts[] = {
	{ "bike", "no running today \xe2\x80\x94 ", " instead if you like" },
	{ "easy", "easy running allowed (keep pain under ", "/10)" },
	{ "full", "faster running allowed (keep pain under ", "/10)" },
};

#define TEXT_DOCTOR_STOP "No strength and no running today: rest the hip; " \
	"gentle stretches are fine."
#define TEXT_ASK_MORNING "How is the hip this morning? Reply 0\xe2\x80\x93" "10."
#define TEXT_ASK_EVENING "How much did today's session or run hurt, " \
	"0\xe2\x80\x93" "10?"
#define TEXT_NOT_UNDERSTOOD "Sorry, I didn't get that. Reply a number " \
	"0\xe2\x80\x93" "10, done or skip \xe2\x80\x94 or /help."
#define TEXT_SHORTENED "(Shortened to fit: some details left out.)"

/* --------------------------------------------------------- line builder */

#define MSG_LINES 72
#define MSG_LINE_MAX 400

/* How readily a line is left out of a message that is too long: higher
 * goes first.  What is content and what is detail depends on the message:
 * the exercises are the content of the strength session, the reasons the
 * content of an acknowledgement. */
enum line_drop {
	DROP_NEVER = 0,
	DROP_CONTENT = 1,
	DROP_DETAIL = 2,
	DROP_HOWTO = 3,
};

struct mline {
	unsigned char drop;
	bool bold;        /* the whole line is a heading */
	size_t bold_len;  /* or: its first bold_len bytes are */
	char text[MSG_LINE_MAX];
};

struct msg {
	struct mline l[MSG_LINES];
	size_t n;
	bool shortened;
};

/* Cuts s (NUL-terminated) to at most max bytes at a UTF-8 character
 * boundary, ending it with an ellipsis when anything was cut. */
static void cut_utf8(char *s, size_t max)
{
	size_t len = strlen(s);

	if (len <= max)
		return;
	if (max < 3) {
		s[max] = '\0';
		return;
	}
	size_t at = max - 3; /* room for "…" (3 bytes) */
	while (at > 0 && ((unsigned char)s[at] & 0xC0) == 0x80)
		at--;
	memcpy(s + at, "\xe2\x80\xa6", 4);
}

/* Appends a line; a line that does not fit MSG_LINE_MAX is cut with an
 * ellipsis, and lines beyond MSG_LINES are dropped (never the case for
 * the messages below, which are bounded by the program's sizes). */
__attribute__((format(printf, 3, 4)))
static struct mline *add(struct msg *m, enum line_drop drop,
			 const char *fmt, ...)
{
	va_list ap;

	if (m->n >= MSG_LINES) {
		m->shortened = true;
		return NULL;
	}
	struct mline *l = &m->l[m->n++];
	l->drop = (unsigned char)drop;
	l->bold = false;
	l->bold_len = 0;
	va_start(ap, fmt);
	int r = vsnprintf(l->text, sizeof l->text, fmt, ap);
	va_end(ap);
	if (r < 0)
		l->text[0] = '\0';
	else if ((size_t)r >= sizeof l->text)
		cut_utf8(l->text, sizeof l->text - 1);
	return l;
}

/* A heading line (bold in HTML). */
static void heading(struct msg *m, const char *text)
{
	struct mline *l = add(m, DROP_NEVER, "%s", text);
	if (l)
		l->bold = true;
}

/* A line whose first part (name) is bold: "• <b>Clamshell</b> 3×20". */
__attribute__((format(printf, 4, 5)))
static void item(struct msg *m, enum line_drop drop, const char *name,
		 const char *fmt, ...)
{
	va_list ap;
	char rest[MSG_LINE_MAX];

	va_start(ap, fmt);
	int r = vsnprintf(rest, sizeof rest, fmt, ap);
	va_end(ap);
	if (r < 0)
		rest[0] = '\0';
	struct mline *l = add(m, drop, "\xe2\x80\xa2 %s%s", name, rest);
	if (l) {
		size_t bl = 4 + strlen(name); /* "• " is 4 bytes */
		size_t tl = strlen(l->text);
		l->bold_len = bl < tl ? bl : tl;
	}
}

static size_t plain_len(const struct msg *m)
{
	size_t n = 0;
	for (size_t i = 0; i < m->n; i++)
		n += strlen(m->l[i].text) + (i + 1 < m->n);
	if (m->shortened)
		n += strlen(TEXT_SHORTENED) + 1;
	return n;
}

static void remove_line(struct msg *m, size_t i)
{
	memmove(&m->l[i], &m->l[i + 1], (m->n - i - 1) * sizeof m->l[0]);
	m->n--;
}

/*
 * Shortens m until its plain text is at most max bytes: first leaves out
 * lines by their drop rank (the last of a rank first), then cuts the
 * longest lines.  The note that something was left out is counted in.
 */
static void fit(struct msg *m, size_t max)
{
	while (plain_len(m) > max) {
		size_t victim = m->n;
		unsigned rank = DROP_NEVER;
		for (size_t i = 0; i < m->n; i++)
			if (m->l[i].drop > DROP_NEVER && m->l[i].drop >= rank) {
				rank = m->l[i].drop;
				victim = i;
			}
		if (victim < m->n) {
			/* A how-to is detail; an exercise or a reason is
			 * content, so say that something is missing. */
			if (m->l[victim].drop != DROP_HOWTO)
				m->shortened = true;
			remove_line(m, victim);
			continue;
		}
		/* Only lines that must stay: cut the longest. */
		size_t longest = 0;
		for (size_t i = 1; i < m->n; i++)
			if (strlen(m->l[i].text) > strlen(m->l[longest].text))
				longest = i;
		size_t ll = m->n ? strlen(m->l[longest].text) : 0;
		size_t excess = plain_len(m) - max;
		if (ll > 40) {
			size_t keep = ll - excess > 40 ? ll - excess : 40;
			cut_utf8(m->l[longest].text, keep);
			if (m->l[longest].bold_len > strlen(m->l[longest].text))
				m->l[longest].bold_len = strlen(m->l[longest].text);
		} else if (m->n > 1) {
			remove_line(m, m->n - 2); /* keep the question */
			m->shortened = true;
		} else {
			m->shortened = false;
			if (m->n)
				cut_utf8(m->l[0].text, max);
			break;
		}
	}
}

/* Output with a hard end: put() fails once len would be exceeded. */
struct out {
	char *buf;
	size_t len, n;
	bool overflow;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->overflow || o->n + n + 1 > o->len) {
		o->overflow = true;
		return;
	}
	memcpy(o->buf + o->n, s, n);
	o->n += n;
	o->buf[o->n] = '\0';
}

static void put_s(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

/* Writes n bytes of text, escaped for HTML when html is set. */
static void put_text(struct out *o, const char *s, size_t n, bool html)
{
	size_t run = 0;

	if (!html) {
		put(o, s, n);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const char *esc = s[i] == '<' ? "&lt;" : s[i] == '>' ? "&gt;" :
				  s[i] == '&' ? "&amp;" : NULL;
		if (!esc)
			continue;
		put(o, s + run, i - run);
		put_s(o, esc);
		run = i + 1;
	}
	put(o, s + run, n - run);
}

/*
 * Fits m to COACH_MESSAGE_MAX and writes it to buf in the given format.
 * Returns the length written, or -1 when buf is too small (buf then holds
 * an empty string when len > 0).
 */
static int render(struct msg *m, enum coach_format fmt, char *buf, size_t len)
{
	struct out o = { buf, len, 0, false };
	bool html = fmt == COACH_TEXT_HTML;

	if (!buf || len == 0)
		return -1;
	buf[0] = '\0';
	fit(m, COACH_MESSAGE_MAX);
	for (size_t i = 0; i < m->n; i++) {
		const struct mline *l = &m->l[i];
		size_t tl = strlen(l->text);
		if (m->shortened && i + 1 == m->n && i > 0) {
			put_text(&o, TEXT_SHORTENED, strlen(TEXT_SHORTENED), html);
			put_s(&o, "\n");
		}
		if (html && (l->bold || l->bold_len)) {
			size_t bl = l->bold ? tl : l->bold_len;
			/* "• " stays outside the bold part */
			size_t lead = !l->bold && bl >= 4 &&
				      !memcmp(l->text, "\xe2\x80\xa2 ", 4) ? 4 : 0;
			put_text(&o, l->text, lead, true);
			put_s(&o, "<b>");
			put_text(&o, l->text + lead, bl - lead, true);
			put_s(&o, "</b>");
			put_text(&o, l->text + bl, tl - bl, true);
		} else {
			put_text(&o, l->text, tl, html);
		}
		if (i + 1 < m->n)
			put_s(&o, "\n");
	}
	if (o.overflow) {
		buf[0] = '\0';
		return -1;
	}
	return (int)o.n;
}

/* -------------------------------------------------------------- pieces */

/* "Mon 2 Mar" */
static void day_label(int32_t day, char *buf, size_t len)
{
	static const char *const wd[] = { "Mon", "Tue", "Wed", "Thu", "Fri",
					  "Sat", "Sun" };
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May",
					   "Jun", "Jul", "Aug", "Sep", "Oct",
					   "Nov", "Dec" };
	int y, mo, d;

	coach_day_to_ymd(day, &y, &mo, &d);
	snprintf(buf, len, "%s %d %s", wd[coach_day_weekday(day)], d,
		 mon[(mo - 1) % 12]);
}

/* A score x10 as "3" or "2.5", without the locale's decimal point. */
static void score_label(int score10, char *buf, size_t len)
{
	if (score10 % 10)
		snprintf(buf, len, "%d.%d", score10 / 10, score10 % 10);
	else
		snprintf(buf, len, "%d", score10 / 10);
}

/* A threshold of the rules (a double, halves allowed) as text. */
static void threshold_label(double v, char *buf, size_t len)
{
	int v10 = (int)(v * 10.0 + (v >= 0 ? 0.5 : -0.5));
	score_label(v10, buf, len);
}

static const char *flag_text(unsigned flag)
{
	const char *name = coach_flag_name(flag);
	for (size_t i = 0; name && i < sizeof flag_texts / sizeof flag_texts[0]; i++)
		if (!strcmp(flag_texts[i].flag, name))
			return flag_texts[i].text;
	return NULL;
}

/* The running line: "Running: easy running allowed (...)". */
static void running_line(struct msg *m, const struct coach_program *p,
			 const struct coach_plan *plan, enum line_drop drop)
{
	const char *name = coach_running_name(plan->running);
	char thr[16];

	threshold_label(p->rules.red_min, thr, sizeof thr);
	for (size_t i = 0; i < sizeof running_texts / sizeof running_texts[0]; i++) {
		if (strcmp(running_texts[i].level, name))
			continue;
		bool bike = plan->running == COACH_RUN_BIKE;
		const char *var = !bike ? thr : p->cross_training[0] ?
				  p->cross_training : "bike";
		if (bike && p->avoid[0])
			item(m, drop, "Running:", " %s%s%s; avoid %s.",
			     running_texts[i].before, var,
			     running_texts[i].after, p->avoid);
		else
			item(m, drop, "Running:", " %s%s%s.",
			     running_texts[i].before, var,
			     running_texts[i].after);
		return;
	}
}

/* The flags of a plan, one headline each; which are shown depends on
 * the message (mask). */
static void flag_lines(struct msg *m, const struct coach_plan *plan,
		       unsigned mask)
{
	static const unsigned order[] = {
		COACH_FLAG_RED_FLAG, COACH_FLAG_SEE_CLINICIAN,
		COACH_FLAG_PAUSED, COACH_FLAG_DELOAD, COACH_FLAG_HOLD,
		COACH_FLAG_NUDGE,
	};
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		unsigned f = order[i];
		const char *t = (plan->flags & mask & f) ? flag_text(f) : NULL;
		if (!t)
			continue;
		/* Warnings stay; the rest is context the reasons repeat. */
		bool must = f == COACH_FLAG_RED_FLAG ||
			    f == COACH_FLAG_SEE_CLINICIAN;
		add(m, must ? DROP_NEVER : DROP_DETAIL, "%s", t);
	}
}

/* A heading ("Why:") and one line per reason of the plan.  The reasons
 * speak of the plan's own day as "today", so a message sent the day
 * before says whose day they are in the heading. */
static void reason_lines(struct msg *m, const struct coach_plan *plan,
			 const char *heading, enum line_drop drop)
{
	if (!plan->n_reasons)
		return;
	struct mline *l = add(m, drop, "%s", heading);
	if (l)
		l->bold = true;
	for (size_t i = 0; i < plan->n_reasons && i < COACH_MAX_REASONS; i++)
		add(m, drop, "\xe2\x80\x93 %s", plan->reasons[i]);
}

/* "Day 5 · stage 1, day 5" */
static void day_title(const struct coach_plan *plan, char *buf, size_t len)
{
	snprintf(buf, len, "Day %d \xc2\xb7 stage %d, day %d", plan->program_day,
		 plan->stage, plan->day_in_stage);
}

/* The names of the stretches, comma-separated, into buf. */
static void stretch_names(const struct coach_program *p, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < p->n_stretches && i < COACH_MAX_STRETCHES; i++) {
		int r = snprintf(buf + n, len - n, "%s%s", i ? ", " : "",
				 p->stretches[i].name);
		if (r < 0 || (size_t)r >= len - n) {
			cut_utf8(buf, len - 1);
			return;
		}
		n += (size_t)r;
	}
}

/* Today's plan in brief: stretches, strength (one line per exercise),
 * running. */
static void plan_brief(struct msg *m, const struct coach_program *p,
		       const struct coach_plan *plan)
{
	char names[MSG_LINE_MAX];

	if (plan->flags & COACH_FLAG_PAUSED)
		return;
	stretch_names(p, names, sizeof names);
	item(m, DROP_DETAIL, "Stretches:", " %d\xc3\x97 today (%s)",
	     plan->stretch_sessions, names);
	if (plan->n_strength == 0) {
		item(m, DROP_NEVER, "Strength:", " none today");
	} else {
		item(m, DROP_NEVER, "Strength:", " %zu exercise%s, both sides",
		     plan->n_strength, plan->n_strength == 1 ? "" : "s");
		for (size_t i = 0; i < plan->n_strength && i < COACH_MAX_EXERCISES; i++) {
			const struct coach_exercise *e = &plan->strength[i];
			add(m, DROP_DETAIL, "   %s %d\xc3\x97%d", e->name,
			    e->sets, e->reps);
		}
	}
	running_line(m, p, plan, DROP_NEVER);
}

/* -------------------------------------------------------------- slots */

static void slot_morning(struct msg *m, const struct coach_program *p,
			 const struct coach_plan *t)
{
	char title[96], line[128];

	day_title(t, title, sizeof title);
	snprintf(line, sizeof line, "Good morning! %s", title);
	heading(m, line);
	flag_lines(m, t, ~0u);
	if (t->flags & COACH_FLAG_RED_FLAG)
		add(m, DROP_NEVER, "%s", TEXT_DOCTOR_STOP);
	if (!(t->flags & COACH_FLAG_PAUSED)) {
		heading(m, "Today:");
		plan_brief(m, p, t);
	}
	reason_lines(m, t, "Why:", DROP_CONTENT);
	add(m, DROP_NEVER, "%s", TEXT_ASK_MORNING);
}

static void slot_stretch(struct msg *m, const struct coach_program *p,
			 const struct coach_plan *t, int index)
{
	char line[96];
	int of = t->stretch_sessions > index ? t->stretch_sessions : index;

	snprintf(line, sizeof line, "Stretch session %d of %d", index, of);
	heading(m, line);
	if (t->flags & (COACH_FLAG_RED_FLAG | COACH_FLAG_DELOAD))
		add(m, DROP_NEVER, "Gentle today: ease in and stop if a stretch "
		    "hurts.");
	for (size_t i = 0; i < p->n_stretches && i < COACH_MAX_STRETCHES; i++) {
		const struct coach_stretch *s = &p->stretches[i];
		item(m, DROP_DETAIL, s->name, " %d\xc3\x97%d s, both sides",
		     s->sets, s->seconds);
		if (s->howto[0])
			add(m, DROP_HOWTO, "   %s", s->howto);
	}
	add(m, DROP_NEVER, "Reply done or skip.");
}

static void slot_strength(struct msg *m, const struct coach_program *p,
			  const struct coach_plan *t)
{
	char title[96], line[128];

	day_title(t, title, sizeof title);
	snprintf(line, sizeof line, "Strength session \xc2\xb7 %s", title);
	heading(m, line);
	if (t->flags & COACH_FLAG_RED_FLAG) {
		add(m, DROP_NEVER, "%s", flag_text(COACH_FLAG_RED_FLAG));
		add(m, DROP_NEVER, "%s", TEXT_DOCTOR_STOP);
	} else if (t->n_strength == 0) {
		add(m, DROP_NEVER, "No strength exercises today.");
	} else {
		flag_lines(m, t, COACH_FLAG_DELOAD | COACH_FLAG_HOLD |
			   COACH_FLAG_SEE_CLINICIAN);
		add(m, DROP_NEVER, "Each exercise on both sides:");
		for (size_t i = 0; i < t->n_strength && i < COACH_MAX_EXERCISES; i++) {
			const struct coach_exercise *e = &t->strength[i];
			item(m, DROP_CONTENT, e->name, " %d\xc3\x97%d", e->sets,
			     e->reps);
			if (e->howto[0])
				add(m, DROP_HOWTO, "   %s", e->howto);
		}
	}
	running_line(m, p, t, DROP_NEVER);
	reason_lines(m, t, "Why:", DROP_DETAIL);
	add(m, DROP_NEVER, t->n_strength ? "Reply done or skip." :
	    "Reply done or skip for today's stretches.");
}

static void slot_evening(struct msg *m, const struct coach_plan *t)
{
	heading(m, "Evening check-in");
	if (t->flags & COACH_FLAG_RED_FLAG)
		add(m, DROP_NEVER, "%s", flag_text(COACH_FLAG_RED_FLAG));
	add(m, DROP_NEVER, "%s", TEXT_ASK_EVENING);
	add(m, DROP_NEVER, "0 is no pain; if you did not train, reply skip.");
}

int coach_message_slot(const struct coach_program *program,
		       const struct coach_plan *today, enum coach_slot slot,
		       int stretch_index, enum coach_format fmt, char *buf,
		       size_t len)
{
	struct msg m;

	m.n = 0;
	m.shortened = false;
	if (!program || !today)
		return -1;
	if (today->before_start) {
		char d[24];
		day_label(today->day, d, sizeof d);
		add(&m, DROP_NEVER, "Your program has not started yet (%s).", d);
		return render(&m, fmt, buf, len);
	}
	if ((today->flags & COACH_FLAG_PAUSED) && slot != COACH_SLOT_MORNING) {
		heading(&m, flag_text(COACH_FLAG_PAUSED));
		add(&m, DROP_NEVER, "Send /resume to start again.");
		return render(&m, fmt, buf, len);
	}
	switch (slot) {
	case COACH_SLOT_MORNING:
		slot_morning(&m, program, today);
		break;
	case COACH_SLOT_STRETCH:
		slot_stretch(&m, program, today, stretch_index > 0 ? stretch_index : 1);
		break;
	case COACH_SLOT_STRENGTH:
		slot_strength(&m, program, today);
		break;
	case COACH_SLOT_EVENING:
		slot_evening(&m, today);
		break;
	default:
		return -1;
	}
	return render(&m, fmt, buf, len);
}

/* --------------------------------------------------------------- acks */

/* Tomorrow in one line: "stretches 3×, strength 3×20 (2 exercises),
 * easy running". */
static void outlook_line(struct msg *m, const struct coach_plan *t)
{
	char strength[96], d[24];
	const char *run = t->running == COACH_RUN_BIKE ? "no running" :
			  t->running == COACH_RUN_EASY ? "easy running" :
			  "faster running allowed";
	bool same = t->n_strength > 0;

	for (size_t i = 1; i < t->n_strength && i < COACH_MAX_EXERCISES; i++)
		if (t->strength[i].sets != t->strength[0].sets ||
		    t->strength[i].reps != t->strength[0].reps)
			same = false;
	if (t->n_strength == 0)
		snprintf(strength, sizeof strength, "no strength");
	else if (same)
		snprintf(strength, sizeof strength, "strength %d\xc3\x97%d (%zu exercise%s)",
			 t->strength[0].sets, t->strength[0].reps, t->n_strength,
			 t->n_strength == 1 ? "" : "s");
	else
		snprintf(strength, sizeof strength, "strength (%zu exercises)",
			 t->n_strength);
	day_label(t->day, d, sizeof d);
	if (t->flags & COACH_FLAG_PAUSED)
		add(m, DROP_NEVER, "Tomorrow (%s): paused.", d);
	else
		add(m, DROP_NEVER, "Tomorrow (%s): stretches %d\xc3\x97, %s, %s.",
		    d, t->stretch_sessions, strength, run);
}

int coach_message_ack_score(const struct coach_program *program,
			    const struct coach_reply *reply, int morning,
			    int32_t for_day,
			    const struct coach_plan *tomorrow,
			    enum coach_format fmt, char *buf, size_t len)
{
	struct msg m;
	char d[24], sc[16];

	m.n = 0;
	m.shortened = false;
	if (!program || !reply)
		return -1;
	day_label(for_day, d, sizeof d);
	if (reply->has_score) {
		score_label(reply->score10, sc, sizeof sc);
		add(&m, DROP_NEVER, "Saved: pain %s/10 %s (%s).", sc,
		    morning ? "this morning" : "after the session", d);
	} else {
		add(&m, DROP_NEVER, "Saved: pain at rest or at night (%s).", d);
	}
	int stop10 = (int)(program->rules.stop_min * 10.0 + 0.5);
	if (reply->red_flag || (reply->has_score && reply->score10 >= stop10))
		add(&m, DROP_NEVER, "%s", flag_text(COACH_FLAG_RED_FLAG));
	if (tomorrow && !tomorrow->before_start) {
		outlook_line(&m, tomorrow);
		flag_lines(&m, tomorrow, COACH_FLAG_SEE_CLINICIAN |
			   COACH_FLAG_DELOAD | COACH_FLAG_HOLD |
			   (reply->red_flag ? 0u : COACH_FLAG_RED_FLAG));
		reason_lines(&m, tomorrow, "Why, for tomorrow:", DROP_CONTENT);
	}
	return render(&m, fmt, buf, len);
}

int coach_message_ack_adherence(const struct coach_reply *reply,
				enum coach_format fmt, char *buf, size_t len)
{
	struct msg m;

	m.n = 0;
	m.shortened = false;
	if (!reply)
		return -1;
	if (reply->kind == COACH_REPLY_DONE)
		add(&m, DROP_NEVER, "Well done \xe2\x80\x94 logged as done.");
	else if (reply->kind == COACH_REPLY_SKIPPED)
		add(&m, DROP_NEVER, "Logged as skipped. No problem \xe2\x80\x94 "
		    "the next reminder comes as planned.");
	else
		return -1;
	return render(&m, fmt, buf, len);
}

/* ---------------------------------------------------------- commands */

int coach_message_help(const struct coach_program *program, int is_start,
		       enum coach_format fmt, char *buf, size_t len)
{
	struct msg m;

	m.n = 0;
	m.shortened = false;
	if (is_start) {
		heading(&m, "Hi! I'm your rehab coach.");
		if (program && program->title[0])
			add(&m, DROP_CONTENT, "Program: %s", program->title);
		add(&m, DROP_NEVER, "Every day I send your stretches and strength "
		    "session, and ask how the hip feels.");
	}
	heading(&m, "What you can reply:");
	item(&m, DROP_NEVER, "0\xe2\x80\x93" "10", " \xe2\x80\x94 how much it hurts "
	     "(0 = no pain); halves like 2.5 are fine");
	item(&m, DROP_NEVER, "done", " or skip \xe2\x80\x94 after a reminder");
	item(&m, DROP_NEVER, "pain at rest", " or hurts at night \xe2\x80\x94 "
	     "tell me, that needs a doctor");
	heading(&m, "Commands:");
	add(&m, DROP_DETAIL, "/plan \xe2\x80\x94 today and tomorrow");
	add(&m, DROP_DETAIL, "/status \xe2\x80\x94 stage, last scores, trend");
	add(&m, DROP_DETAIL, "/pause [days] \xe2\x80\x94 take a break; /resume to go on");
	add(&m, DROP_DETAIL, "/snooze [minutes] \xe2\x80\x94 remind me later");
	add(&m, DROP_DETAIL, "/help \xe2\x80\x94 this message");
	return render(&m, fmt, buf, len);
}

int coach_message_not_understood(enum coach_format fmt, char *buf,
				 size_t len)
{
	struct msg m;

	m.n = 0;
	m.shortened = false;
	add(&m, DROP_NEVER, "%s", TEXT_NOT_UNDERSTOOD);
	return render(&m, fmt, buf, len);
}

/* One day of /plan: a heading with the date, flags, the brief, reasons. */
static void plan_day(struct msg *m, const struct coach_program *p,
		     const struct coach_plan *t, const char *which)
{
	char d[24], title[96], line[160];

	day_label(t->day, d, sizeof d);
	if (t->before_start) {
		snprintf(line, sizeof line, "%s, %s", which, d);
		heading(m, line);
		add(m, DROP_NEVER, "Not started yet.");
		return;
	}
	day_title(t, title, sizeof title);
	snprintf(line, sizeof line, "%s, %s \xc2\xb7 %s", which, d, title);
	heading(m, line);
	flag_lines(m, t, ~0u & ~(unsigned)COACH_FLAG_NUDGE);
	plan_brief(m, p, t);
	reason_lines(m, t, "Why:", DROP_CONTENT);
}

int coach_message_plan(const struct coach_program *program,
		       const struct coach_plan *today,
		       const struct coach_plan *tomorrow,
		       enum coach_format fmt, char *buf, size_t len)
{
	struct msg m;

	m.n = 0;
	m.shortened = false;
	if (!program || !today)
		return -1;
	plan_day(&m, program, today, "Today");
	if (tomorrow) {
		plan_day(&m, program, tomorrow, "Tomorrow");
		add(&m, DROP_CONTENT, "Tomorrow can still change with today's "
		    "replies.");
	}
	return render(&m, fmt, buf, len);
}

/* A mean x10 ("2.1") from a double mean, or "none" when < 0. */
static void mean_label(double v, char *buf, size_t len)
{
	if (v < 0) {
		snprintf(buf, len, "\xe2\x80\x94");
		return;
	}
	int v10 = (int)(v * 10.0 + 0.5);
	snprintf(buf, len, "%d.%d", v10 / 10, v10 % 10);
}

int coach_message_status(const struct coach_program *program,
			 const struct coach_status *status,
			 enum coach_format fmt, char *buf, size_t len)
{
	struct msg m;
	char title[96], line[160], a[16], b[16];

	m.n = 0;
	m.shortened = false;
	if (!program || !status)
		return -1;
	const struct coach_plan *t = &status->today;
	if (t->before_start) {
		heading(&m, "Status");
		add(&m, DROP_NEVER, "Your program has not started yet.");
		return render(&m, fmt, buf, len);
	}
	day_title(t, title, sizeof title);
	snprintf(line, sizeof line, "Status \xc2\xb7 %s", title);
	heading(&m, line);
	if (status->paused)
		add(&m, DROP_NEVER, "Paused: send /resume to start again.");
	flag_lines(&m, t, COACH_FLAG_RED_FLAG | COACH_FLAG_SEE_CLINICIAN |
		   COACH_FLAG_DELOAD);

	if (status->n_last_scores) {
		char list[96];
		size_t n = 0;
		list[0] = '\0';
		for (size_t i = 0; i < status->n_last_scores && i < 5; i++) {
			char s[16];
			score_label(status->last_scores10[i], s, sizeof s);
			int r = snprintf(list + n, sizeof list - n, "%s%s",
					 i ? ", " : "", s);
			if (r < 0 || (size_t)r >= sizeof list - n)
				break;
			n += (size_t)r;
		}
		item(&m, DROP_NEVER, "Last scores:", " %s (newest first)", list);
	} else {
		item(&m, DROP_NEVER, "Last scores:", " none yet");
	}
	if (status->adherence_pct >= 0)
		item(&m, DROP_NEVER, "Done in the last 7 days:", " %d%%",
		     status->adherence_pct);
	mean_label(status->mean7, a, sizeof a);
	mean_label(status->mean7_before, b, sizeof b);
	const char *trend = "";
	if (status->mean7 >= 0 && status->mean7_before >= 0)
		trend = status->mean7 < status->mean7_before ? " \xe2\x80\x94 improving" :
			status->mean7 > status->mean7_before ? " \xe2\x80\x94 worse" :
			" \xe2\x80\x94 no change";
	item(&m, DROP_NEVER, "Trend:", " 7-day mean %s (week before: %s)%s", a, b,
	     trend);
	item(&m, DROP_CONTENT, "Green days in a row:", " %d", status->green_streak);
	running_line(&m, program, t, DROP_CONTENT);
	/* Issue 4: a runner who blocked the bot (or whose reminders could
	 * not be sent) sees what they missed once they write again. */
	if (status->undelivered > 0)
		item(&m, DROP_NEVER, "Not delivered:", " %d reminder%s of the "
		     "last 7 days could not reach you (was the bot blocked?); "
		     "/plan shows today's.", status->undelivered,
		     status->undelivered == 1 ? "" : "s");
	return render(&m, fmt, buf, len);
}

int coach_message_paused(int32_t from, int days, enum coach_format fmt,
			 char *buf, size_t len)
{
	struct msg m;
	char d[24], e[24];

	m.n = 0;
	m.shortened = false;
	day_label(from, d, sizeof d);
	if (days <= 0) {
		add(&m, DROP_NEVER, "Paused from %s until you send /resume. "
		    "No reminders meanwhile.", d);
	} else {
		day_label(from + days, e, sizeof e);
		add(&m, DROP_NEVER, "Paused for %d day%s from %s; reminders "
		    "start again on %s.", days, days == 1 ? "" : "s", d, e);
		add(&m, DROP_NEVER, "Send /resume to start earlier.");
	}
	add(&m, DROP_NEVER, "Paused days do not count toward your stage.");
	return render(&m, fmt, buf, len);
}

int coach_message_resumed(enum coach_format fmt, char *buf, size_t len)
{
	struct msg m;

	m.n = 0;
	m.shortened = false;
	add(&m, DROP_NEVER, "Welcome back! Reminders start again as planned.");
	return render(&m, fmt, buf, len);
}
