/*
 * The words rehabd sends.  Every message is first built as a list of
 * lines, each marked with how readily it may be left out (how-tos first,
 * then exercise lines, then reasons; headings, warnings and the question
 * never).  The list is shortened until its plain text fits
 * COACH_MESSAGE_MAX bytes (so also that many characters), then written as
 * plain text or as Telegram-style HTML with the same visible text: <b> for
 * headings, everything else escaped.
 *
 * A runner reads these for weeks on a phone (design.md, "Messages on a
 * phone"), so each message says only what its moment needs: the morning
 * leads with the question, a stretch reminder is a few lines, a how-to
 * comes with an exercise on its first days and on request, and a reason
 * is said where it applies.  The doctor's warning about a stress fracture
 * comes with the report that raised it, not with every message after.
 */
#include "message.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "coach_date.h"
#include "coach_words.h"

/* ------------------------------------------------------------ the texts */

#define EN_DASH "\xe2\x80\x93"
#define EM_DASH "\xe2\x80\x94"
#define TIMES "\xc3\x97"
#define MIDDOT "\xc2\xb7"

#define TEXT_ASK_MORNING "Good morning! How is the hip, 0" EN_DASH "10? " \
	"Any pain at rest or at night?"
/* Under a red flag the question is whether it is still there. */
#define TEXT_ASK_MORNING_FLAG "Good morning! How is the hip, 0" EN_DASH \
	"10? Is the pain at rest or at night still there?"
#define TEXT_ASK_SESSION "Evening check-in: how much did today's session " \
	"or run hurt, 0" EN_DASH "10?"
#define TEXT_ASK_SESSION_HINT "0 is no pain; if you did not train, reply skip."
/* A day without strength and running has no session to ask about. */
#define TEXT_ASK_HIP "Evening check-in: how is the hip this evening, " \
	"0" EN_DASH "10?"
#define TEXT_ASK_HIP_HINT "0 is no pain. Tell me if it hurts at rest or " \
	"at night."
#define TEXT_ASK_AFTER "How much did the session hurt, 0" EN_DASH "10?"
#define TEXT_FRACTURE "a stress fracture can look like a hip flexor strain"
#define TEXT_FLAG_UNTIL "no strength or running until a doctor or physio " \
	"has checked it; send /cleared once they have."
#define TEXT_STRETCH_GENTLE "Stretches only if they do not hurt."
#define TEXT_HOW_HINT "(or \"how\" for the how-tos)"
#define TEXT_NOT_UNDERSTOOD "Sorry, I didn't get that. Reply a number " \
	"0" EN_DASH "10, done or skip " EM_DASH " or /help."
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

/* Appends "<lead><bold><rest>" with its first strlen(lead) +
 * strlen(bold) bytes marked bold (render() keeps a leading "• " outside
 * the bold part); rest is printf-formatted. */
__attribute__((format(printf, 5, 0)))
static void bold_lead(struct msg *m, enum line_drop drop, const char *lead,
		      const char *bold, const char *fmt, va_list ap)
{
	char rest[MSG_LINE_MAX];

	if (vsnprintf(rest, sizeof rest, fmt, ap) < 0)
		rest[0] = '\0';
	struct mline *l = add(m, drop, "%s%s%s", lead, bold, rest);
	if (l) {
		size_t bl = strlen(lead) + strlen(bold);
		size_t tl = strlen(l->text);
		l->bold_len = bl < tl ? bl : tl;
	}
}

/* A line whose first part (name) is bold: "• <b>Clamshell</b> 3×20". */
__attribute__((format(printf, 4, 5)))
static void item(struct msg *m, enum line_drop drop, const char *name,
		 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	bold_lead(m, drop, "\xe2\x80\xa2 ", name, fmt, ap);
	va_end(ap);
}

/* A line whose first part (label) is bold, without a bullet:
 * "<b>Running:</b> easy run up to 15 min". */
__attribute__((format(printf, 4, 5)))
static void labelled(struct msg *m, enum line_drop drop, const char *label,
		     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	bold_lead(m, drop, "", label, fmt, ap);
	va_end(ap);
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
			/* keep the first line (the question or heading) and
			 * the last (what to reply) as long as possible */
			remove_line(m, m->n > 2 ? m->n - 2 : m->n - 1);
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

static void msg_init(struct msg *m)
{
	m->n = 0;
	m->shortened = false;
}

/* A threshold of the rules as text ("5", "4.5"). */
static void threshold_label(double v, char *buf, size_t len)
{
	coach_score_text(coach_to10(v), buf, len);
}

/* True when strength and running are stopped for the day: a severe
 * score or a standing red flag. */
static bool stopped(const struct coach_plan *t)
{
	return (t->flags & (COACH_FLAG_RED_FLAG | COACH_FLAG_SEVERE)) != 0;
}

/* True for a day with neither strength nor running, whose evening
 * question is about the hip rather than a session. */
static bool rest_day(const struct coach_plan *t)
{
	return t->n_strength == 0 && t->running == COACH_RUN_BIKE;
}

/* The first reason of t that is not about the red flag, or NULL. */
static const char *first_reason(const struct coach_plan *t)
{
	for (size_t i = 0; i < t->n_reasons && i < COACH_MAX_REASONS; i++)
		if (t->reason_kind[i] != COACH_REASON_FLAG)
			return t->reasons[i];
	return NULL;
}

/* True when the how-to of an exercise is due on the n-th day it has been
 * in the plan: its first howto_days days, and always the day it is new or
 * back (n == 1).  0 means a plan that does not count, which shows it:
 * too much help is safer than too little. */
static bool howto_due(const struct coach_program *p, int n)
{
	return n <= 1 || n <= p->rules.howto_days;
}

/* "stage 2, day 5 of 14"; "stage 3, day 12" in an open stage; "stage 1,
 * all 14 days done" once a stage has counted its days but the next one
 * waits. */
static void stage_text(const struct coach_plan *t, char *buf, size_t len)
{
	if (t->stage_days <= 0)
		snprintf(buf, len, "stage %d, day %d", t->stage, t->day_in_stage);
	else if (t->day_in_stage > t->stage_days)
		snprintf(buf, len, "stage %d, all %d days done", t->stage,
			 t->stage_days);
	else
		snprintf(buf, len, "stage %d, day %d of %d", t->stage,
			 t->day_in_stage, t->stage_days);
}

/* True when every exercise of the plan has the same dose. */
static bool same_dose(const struct coach_plan *t)
{
	for (size_t i = 1; i < t->n_strength && i < COACH_MAX_EXERCISES; i++)
		if (t->strength[i].sets != t->strength[0].sets ||
		    t->strength[i].reps != t->strength[0].reps)
			return false;
	return true;
}

/* How many exercises are in the plan for the first day (new, or back
 * after being left out). */
static size_t fresh_count(const struct coach_plan *t)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n_strength && i < COACH_MAX_EXERCISES; i++)
		n += t->strength_day[i] == 1;
	return n;
}

/* "strength 3×20 (3 exercises, 1 new)", "easier strength 2×12 (2
 * exercises)", "no strength". */
static void strength_brief(const struct coach_plan *t, char *buf, size_t len)
{
	size_t n = t->n_strength < COACH_MAX_EXERCISES ? t->n_strength :
		   COACH_MAX_EXERCISES;
	size_t fresh = fresh_count(t);
	const char *easier = (t->flags & COACH_FLAG_DELOAD) ? "easier " : "";
	char extra[32] = "";

	if (n == 0) {
		snprintf(buf, len, "no strength");
		return;
	}
	/* All new says nothing (the first day); some new is news. */
	if (fresh > 0 && fresh < n)
		snprintf(extra, sizeof extra, ", %zu %s", fresh,
			 t->change == COACH_CHANGE_EXERCISE_BACK ? "back" : "new");
	if (same_dose(t))
		snprintf(buf, len, "%sstrength %d" TIMES "%d (%zu exercise%s%s)",
			 easier, t->strength[0].sets, t->strength[0].reps, n,
			 n == 1 ? "" : "s", extra);
	else
		snprintf(buf, len, "%sstrength (%zu exercise%s%s)", easier, n,
			 n == 1 ? "" : "s", extra);
}

/* The program's cross-training, "bike" when it names none. */
static const char *cross(const struct coach_program *p)
{
	return p->cross_training[0] ? p->cross_training : "bike";
}

/* Running in a few words, with the amount: "easy run up to 15 min". */
static void running_brief(const struct coach_program *p,
			  const struct coach_plan *t, char *buf, size_t len)
{
	int min = t->running_minutes;

	if (stopped(t)) {
		snprintf(buf, len, "no running");
		return;
	}
	switch (t->running) {
	case COACH_RUN_BIKE:
		snprintf(buf, len, "no running (%s if you like)", cross(p));
		return;
	case COACH_RUN_EASY:
		if (min > 0)
			snprintf(buf, len, "easy run up to %d min", min);
		else
			snprintf(buf, len, "easy running");
		return;
	case COACH_RUN_STRIDES:
		if (min > 0)
			snprintf(buf, len, "easy run up to %d min with a few "
				 "strides", min);
		else
			snprintf(buf, len, "easy running with a few strides");
		return;
	case COACH_RUN_INTERVALS:
		if (min > 0)
			snprintf(buf, len, "short intervals in a run of up to "
				 "%d min", min);
		else
			snprintf(buf, len, "short intervals");
		return;
	case COACH_RUN_TEMPO:
		if (min > 0)
			snprintf(buf, len, "tempo running, up to %d min", min);
		else
			snprintf(buf, len, "tempo running");
		return;
	}
	snprintf(buf, len, "no running");
}

/* The running line of a session: the amount and the pain limit, or the
 * cross-training and what to avoid. */
static void running_line(struct msg *m, const struct coach_program *p,
			 const struct coach_plan *t, enum line_drop drop)
{
	char thr[16], what[160];

	if (t->running == COACH_RUN_BIKE || stopped(t)) {
		if (p->avoid[0])
			labelled(m, drop, "Running:", " none today " EM_DASH
				 " %s instead if you like; avoid %s.", cross(p),
				 p->avoid);
		else
			labelled(m, drop, "Running:", " none today " EM_DASH
				 " %s instead if you like.", cross(p));
		return;
	}
	threshold_label(p->rules.red_min, thr, sizeof thr);
	running_brief(p, t, what, sizeof what);
	labelled(m, drop, "Running:", " %s, keep pain under %s/10.", what, thr);
}

/* The lines of a standing red flag: since when, what it stops, what
 * /cleared is for.  Every morning, strength message and acknowledgement
 * says them while the flag stands (design.md: each morning "asks again
 * and reminds them"). */
static void flag_block(struct msg *m, const struct coach_plan *t)
{
	char d[16];

	if (t->flag_since != COACH_NO_DAY) {
		coach_day_label(t->flag_since, d);
		add(m, DROP_NEVER, "Red flag since %s: please have the hip "
		    "checked by a doctor or physio; no strength or running "
		    "until then. Send /cleared once they have.", d);
	} else {
		add(m, DROP_NEVER, "Red flag: please have the hip checked by "
		    "a doctor or physio; no strength or running until then. "
		    "Send /cleared once they have.");
	}
}

/* The reasons of t, one line each after prefix ("", "– "), at most max
 * of them; skip_flag leaves out the red-flag reasons a flag_block
 * already says. */
static void reason_lines(struct msg *m, const struct coach_plan *t,
			 bool skip_flag, size_t max, const char *prefix,
			 enum line_drop drop)
{
	size_t shown = 0;

	for (size_t i = 0; i < t->n_reasons && i < COACH_MAX_REASONS &&
			   shown < max; i++) {
		if (skip_flag && t->reason_kind[i] == COACH_REASON_FLAG)
			continue;
		add(m, drop, "%s%s", prefix, t->reasons[i]);
		shown++;
	}
}

/* A day's plan in one line after lead: "Wed 11 Mar · stage 1, day 10 of
 * 14: stretches 3×, strength 3×20 (2 exercises), easy run up to 15
 * min."  Without a lead (NULL) the line starts with a capital. */
static void day_brief(struct msg *m, const struct coach_program *p,
		      const struct coach_plan *t, const char *lead,
		      enum line_drop drop)
{
	char s[160], r[160], what[MSG_LINE_MAX];

	if (t->before_start) {
		snprintf(what, sizeof what, "not started yet.");
	} else if (t->flags & COACH_FLAG_PAUSED) {
		snprintf(what, sizeof what, "paused, no exercises.");
	} else if (t->flags & COACH_FLAG_RED_FLAG) {
		snprintf(what, sizeof what, "no strength, no running; "
			 "stretches only if they do not hurt.");
	} else if (t->flags & COACH_FLAG_SEVERE) {
		snprintf(what, sizeof what, "rest day, no strength and no "
			 "running; gentle stretches only if they do not hurt.");
	} else {
		strength_brief(t, s, sizeof s);
		running_brief(p, t, r, sizeof r);
		snprintf(what, sizeof what, "stretches %d" TIMES ", %s, %s.",
			 t->stretch_sessions, s, r);
	}
	if (lead) {
		add(m, drop, "%s: %s", lead, what);
		return;
	}
	what[0] = (char)(what[0] - 'a' + 'A'); /* every text above starts
						  with a lower-case letter */
	add(m, drop, "%s", what);
}

/* "Wed 11 Mar · stage 1, day 10 of 14" */
static void day_lead(const struct coach_plan *t, char *buf, size_t len)
{
	char d[16], st[64];

	coach_day_label(t->day, d);
	stage_text(t, st, sizeof st);
	snprintf(buf, len, "%s " MIDDOT " %s", d, st);
}

/* Names joined by ", " into buf (cut with an ellipsis when too long). */
static void join_names(const char (*names)[COACH_NAME_MAX], size_t n,
		       char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int r = snprintf(buf + at, len - at, "%s%s", i ? ", " : "",
				 names[i]);
		if (r < 0 || (size_t)r >= len - at) {
			cut_utf8(buf, len - 1);
			return;
		}
		at += (size_t)r;
	}
}

/* True when every stretch of the program has the same dose. */
static bool stretch_same_dose(const struct coach_program *p)
{
	for (size_t i = 1; i < p->n_stretches && i < COACH_MAX_STRETCHES; i++)
		if (p->stretches[i].sets != p->stretches[0].sets ||
		    p->stretches[i].seconds != p->stretches[0].seconds)
			return false;
	return true;
}

/* -------------------------------------------------------------- slots */

static void slot_morning(struct msg *m, const struct coach_program *p,
			 const struct coach_plan *t)
{
	bool flag = (t->flags & COACH_FLAG_RED_FLAG) != 0;
	char lead[96];

	heading(m, flag ? TEXT_ASK_MORNING_FLAG : TEXT_ASK_MORNING);
	if (flag) {
		flag_block(m, t);
		add(m, DROP_NEVER, "%s", TEXT_STRETCH_GENTLE);
	} else {
		day_lead(t, lead, sizeof lead);
		day_brief(m, p, t, lead, DROP_NEVER);
	}
	reason_lines(m, t, flag, COACH_MAX_REASONS, "", DROP_CONTENT);
}

/* The stretch reminder.  with_howto: each stretch on its own line with
 * its how-to; otherwise the names in one line. */
static void stretch_build(struct msg *m, const struct coach_program *p,
			  const struct coach_plan *t, int index,
			  bool with_howto)
{
	char line[MSG_LINE_MAX], names[COACH_MAX_STRETCHES][COACH_NAME_MAX];
	int of = t->stretch_sessions > index ? t->stretch_sessions : index;
	size_t n = p->n_stretches < COACH_MAX_STRETCHES ? p->n_stretches :
		   COACH_MAX_STRETCHES;
	bool same = stretch_same_dose(p);

	if (same && n > 0)
		snprintf(line, sizeof line, "Stretches %d of %d " MIDDOT " %d"
			 TIMES "%d s each, both sides", index, of,
			 p->stretches[0].sets, p->stretches[0].seconds);
	else
		snprintf(line, sizeof line, "Stretches %d of %d " MIDDOT
			 " both sides", index, of);
	heading(m, line);
	if (stopped(t))
		add(m, DROP_NEVER, "%s", TEXT_STRETCH_GENTLE);
	else if (t->flags & COACH_FLAG_DELOAD)
		add(m, DROP_NEVER, "Gentle today: stop any stretch that hurts.");
	for (size_t i = 0; i < n; i++) {
		const struct coach_stretch *s = &p->stretches[i];
		char dose[32] = "";
		if (!same)
			snprintf(dose, sizeof dose, " %d" TIMES "%d s", s->sets,
				 s->seconds);
		if (with_howto)
			item(m, DROP_CONTENT, s->name, "%s%s%s", dose,
			     s->howto[0] ? ": " : "", s->howto);
		else
			snprintf(names[i], sizeof names[i], "%s", s->name);
	}
	if (!with_howto && same) {
		join_names((const char (*)[COACH_NAME_MAX])names, n, line,
			   sizeof line);
		add(m, DROP_NEVER, "%s.", line);
	} else if (!with_howto) {
		for (size_t i = 0; i < n; i++)
			item(m, DROP_CONTENT, p->stretches[i].name, " %d" TIMES
			     "%d s", p->stretches[i].sets,
			     p->stretches[i].seconds);
	}
	/* The hint once a day, where the how-tos would have been. */
	if (index == 1 && !with_howto)
		add(m, DROP_NEVER, "Reply done or skip %s.", TEXT_HOW_HINT);
	else
		add(m, DROP_NEVER, "Reply done or skip.");
}

/* How-tos only in the first session of a day, and only on the first
 * howto_days days of stretching; when they would not fit, the short
 * reminder with the hint instead. */
static void slot_stretch(struct msg *m, const struct coach_program *p,
			 const struct coach_plan *t, int index)
{
	bool howto = index == 1 && howto_due(p, t->stretch_day);

	stretch_build(m, p, t, index, howto);
	if (howto && plain_len(m) > COACH_MESSAGE_MAX) {
		msg_init(m);
		stretch_build(m, p, t, index, false);
	}
}

/* "New today: Clamshell (band)." (or "Back today: ...") for the
 * exercises on their first day, unless every exercise is (the first
 * session: nothing is new against anything). */
static void fresh_line(struct msg *m, const struct coach_plan *t)
{
	char names[COACH_MAX_EXERCISES][COACH_NAME_MAX], list[MSG_LINE_MAX];
	size_t n = 0, total = t->n_strength < COACH_MAX_EXERCISES ?
			      t->n_strength : COACH_MAX_EXERCISES;

	for (size_t i = 0; i < total; i++)
		if (t->strength_day[i] == 1)
			snprintf(names[n++], COACH_NAME_MAX, "%s",
				 t->strength[i].name);
	if (n == 0 || n == total)
		return;
	join_names((const char (*)[COACH_NAME_MAX])names, n, list, sizeof list);
	struct mline *l = add(m, DROP_NEVER, "%s today: %s.",
			      t->change == COACH_CHANGE_EXERCISE_BACK ? "Back" :
			      "New", list);
	if (l)
		l->bold = true;
}

/* A severe score or a red flag: no session, and what to do instead. */
static void strength_stopped(struct msg *m, const struct coach_plan *t)
{
	heading(m, "No strength today: rest the hip.");
	add(m, DROP_NEVER, "No running either; gentle stretches only if they "
	    "do not hurt.");
	if (!(t->flags & COACH_FLAG_RED_FLAG)) {
		add(m, DROP_NEVER, "Please see a doctor soon about this pain.");
		return;
	}
	/* The morning gave the whole reminder; this is the short one. */
	if (t->flag_since != COACH_NO_DAY) {
		char d[16];
		coach_day_label(t->flag_since, d);
		add(m, DROP_NEVER, "Red flag since %s: please see a doctor or "
		    "physio; send /cleared once they have checked the hip.", d);
	} else {
		add(m, DROP_NEVER, "Red flag: please see a doctor or physio; "
		    "send /cleared once they have checked the hip.");
	}
}

static void slot_strength(struct msg *m, const struct coach_program *p,
			  const struct coach_plan *t)
{
	char line[MSG_LINE_MAX], st[64], lo[MSG_LINE_MAX];
	bool any_howto = false;

	if (stopped(t)) {
		strength_stopped(m, t);
		return;
	}
	if (t->n_strength == 0) {
		heading(m, "No strength session today.");
		running_line(m, p, t, DROP_NEVER);
		return;
	}
	fresh_line(m, t);
	/* A reply earlier today changed the session: say how, once more,
	 * where the session is. */
	const char *why = t->replanned ? first_reason(t) : NULL;
	if (why)
		add(m, DROP_CONTENT, "%s", why);
	stage_text(t, st, sizeof st);
	snprintf(line, sizeof line, "Strength " MIDDOT " %s " MIDDOT
		 " both sides", st);
	heading(m, line);
	if ((t->flags & COACH_FLAG_DELOAD) && !why)
		add(m, DROP_NEVER, "Easier today while the hip settles.");
	for (size_t i = 0; i < t->n_strength && i < COACH_MAX_EXERCISES; i++) {
		const struct coach_exercise *e = &t->strength[i];
		item(m, DROP_CONTENT, e->name, " %d" TIMES "%d", e->sets,
		     e->reps);
		if (e->howto[0] && howto_due(p, t->strength_day[i])) {
			add(m, DROP_HOWTO, "   %s", e->howto);
			any_howto = true;
		}
	}
	if (t->n_left_out) {
		join_names((const char (*)[COACH_NAME_MAX])t->left_out,
			   t->n_left_out < COACH_MAX_EXERCISES ? t->n_left_out :
			   COACH_MAX_EXERCISES, lo, sizeof lo);
		add(m, DROP_DETAIL, "Left out for now: %s.", lo);
	}
	running_line(m, p, t, DROP_NEVER);
	if (any_howto)
		add(m, DROP_NEVER, "Reply done or skip.");
	else
		add(m, DROP_NEVER, "Reply done or skip %s.", TEXT_HOW_HINT);
}

static void slot_evening(struct msg *m, const struct coach_plan *t)
{
	if (!rest_day(t)) {
		heading(m, TEXT_ASK_SESSION);
		add(m, DROP_NEVER, "%s", TEXT_ASK_SESSION_HINT);
	} else if (t->flags & COACH_FLAG_RED_FLAG) {
		/* The morning asks about rest and night pain again. */
		heading(m, TEXT_ASK_HIP);
		add(m, DROP_NEVER, "0 is no pain.");
	} else {
		heading(m, TEXT_ASK_HIP);
		add(m, DROP_NEVER, "%s", TEXT_ASK_HIP_HINT);
	}
}

int coach_message_slot(const struct coach_program *program,
		       const struct coach_plan *today, enum coach_slot slot,
		       int stretch_index, enum coach_format fmt, char *buf,
		       size_t len)
{
	struct msg m;

	msg_init(&m);
	if (!program || !today)
		return -1;
	if (today->before_start) {
		char d[16];
		coach_day_label(today->day, d);
		add(&m, DROP_NEVER, "Your program has not started yet (%s).", d);
		return render(&m, fmt, buf, len);
	}
	if ((today->flags & COACH_FLAG_PAUSED) && slot != COACH_SLOT_MORNING) {
		heading(&m, "Paused " EM_DASH " no exercises today.");
		add(&m, DROP_NEVER, "Send /resume to start again.");
		return render(&m, fmt, buf, len);
	}
	switch (slot) {
	case COACH_SLOT_MORNING:
		slot_morning(&m, program, today);
		break;
	case COACH_SLOT_STRETCH:
		slot_stretch(&m, program, today,
			     stretch_index > 0 ? stretch_index : 1);
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

/* True when two plans for the same day differ in what the runner does
 * (the reminders' flags aside). */
static bool plans_differ(const struct coach_plan *a, const struct coach_plan *b)
{
	const unsigned what = COACH_FLAG_RED_FLAG | COACH_FLAG_SEVERE |
			      COACH_FLAG_DELOAD | COACH_FLAG_PAUSED;

	if ((a->flags & what) != (b->flags & what) ||
	    a->n_strength != b->n_strength || a->running != b->running ||
	    a->running_minutes != b->running_minutes)
		return true;
	for (size_t i = 0; i < a->n_strength && i < COACH_MAX_EXERCISES; i++)
		if (a->strength[i].sets != b->strength[i].sets ||
		    a->strength[i].reps != b->strength[i].reps ||
		    strcmp(a->strength[i].name, b->strength[i].name))
			return true;
	return false;
}

/* True when the reply changed the rest of today: against the plan just
 * before it when the caller has one, else against the morning plan. */
static bool today_changed(const struct coach_ack *a)
{
	if (!a->after)
		return false;
	if (a->before)
		return plans_differ(a->before, a->after);
	return a->after->replanned;
}

/* True when today had training before the reply (so that there is a
 * session to stop). */
static bool had_training(const struct coach_ack *a, bool changed)
{
	if (a->before)
		return a->before->n_strength > 0 ||
		       (a->before->running != COACH_RUN_BIKE && !stopped(a->before));
	return changed;
}

/* True when a red flag raised before today still stands. */
static bool flag_before_today(const struct coach_ack *a)
{
	const struct coach_plan *p = a->before ? a->before : a->after;

	return p && (p->flags & COACH_FLAG_RED_FLAG) &&
	       p->flag_since != COACH_NO_DAY && p->flag_since < a->today;
}

/* "Saved: 4/10 this morning (Tue 3 Mar)." and its variants: a session
 * score, a report without a score, a late reply for an earlier day. */
static void saved_line(struct msg *m, const struct coach_ack *a)
{
	const struct coach_reply *r = a->reply;
	char d[16], sc[16], what[48], when[80];
	bool late = a->for_day < a->today;
	bool yesterday = (int64_t)a->for_day == (int64_t)a->today - 1;

	coach_day_label(a->for_day, d);
	if (r->has_score) {
		coach_score_text(r->score10, sc, sizeof sc);
		snprintf(what, sizeof what, "%s/10", sc);
	} else {
		snprintf(what, sizeof what, "pain at rest or at night");
	}
	if (!late && a->morning)
		snprintf(when, sizeof when, "this morning (%s)", d);
	else if (!late)
		snprintf(when, sizeof when, "%s (%s)",
			 a->before && rest_day(a->before) ? "this evening" :
			 "after today's session", d);
	else if (yesterday)
		snprintf(when, sizeof when, "for yesterday%s (%s), a late "
			 "reply", a->morning ? " morning" : "'s session", d);
	else
		snprintf(when, sizeof when, "for the %s of %s, a late reply",
			 a->morning ? "morning" : "session", d);
	if (!r->has_score)
		add(m, DROP_NEVER, "Saved: %s (%s).", what, d);
	else if (r->red_flag)
		add(m, DROP_NEVER, "Saved: %s %s, with pain at rest or at "
		    "night.", what, when);
	else
		add(m, DROP_NEVER, "Saved: %s %s.", what, when);
}

/* "You wrote 3–4: I saved the higher, 4." when the reply was a range
 * (the parser reads a range as its upper value, the safer one). */
static void range_line(struct msg *m, const struct coach_reply *r)
{
	char lo[16], hi[16];

	if (!r->has_score || !r->range || r->range_low10 >= r->score10 ||
	    r->range_low10 < 0)
		return;
	coach_score_text(r->range_low10, lo, sizeof lo);
	coach_score_text(r->score10, hi, sizeof hi);
	add(m, DROP_NEVER, "You wrote %s" EN_DASH "%s: I saved the higher, %s.",
	    lo, hi, hi);
}

/*
 * True when tomorrow's first reason is a running step, a hold or a
 * nudge: the outlook line already names tomorrow's running, and a hold
 * or a nudge is said on its own morning, where it applies.  plan.c adds
 * a day's reasons in a fixed order (deload, the change, a hold, the
 * advice, the nudge), which tells which one comes first.
 */
static bool first_reason_own_day(const struct coach_plan *tm)
{
	if (tm->flags & COACH_FLAG_DELOAD)
		return false;
	if (tm->change == COACH_CHANGE_RUN_STEP)
		return true;
	if (tm->change != COACH_CHANGE_NONE)
		return false;
	if (tm->flags & COACH_FLAG_HOLD)
		return true;
	if (tm->flags & COACH_FLAG_SEE_CLINICIAN)
		return false;
	return (tm->flags & COACH_FLAG_NUDGE) != 0;
}

/* Tomorrow in one line, and its first reason when that is news (a new
 * stage, the end of a deload, why it is easier) rather than a repeat of
 * what was just said. */
static void outlook(struct msg *m, const struct coach_program *p,
		    const struct coach_plan *tm, bool with_reason)
{
	char d[16], lead[48];

	coach_day_label(tm->day, d);
	snprintf(lead, sizeof lead, "Tomorrow (%s)", d);
	day_brief(m, p, tm, lead, DROP_NEVER);
	/* A stopped day's outlook says it all. */
	if (!with_reason || stopped(tm) || first_reason_own_day(tm))
		return;
	const char *r = first_reason(tm);
	if (r)
		add(m, DROP_CONTENT, "%s", r);
}

int coach_message_ack_score(const struct coach_program *program,
			    const struct coach_ack *ack,
			    enum coach_format fmt, char *buf, size_t len)
{
	struct msg m;

	msg_init(&m);
	if (!program || !ack || !ack->reply)
		return -1;
	const struct coach_reply *rep = ack->reply;
	const struct coach_plan *after = ack->after;
	bool late = ack->for_day < ack->today;
	bool high = rep->has_score &&
		    rep->score10 >= coach_to10(program->rules.stop_min);
	bool changed = today_changed(ack);
	bool flag = after && (after->flags & COACH_FLAG_RED_FLAG);
	/* A score after the session does not change a session that is
	 * over; a morning, a late reply, a red flag or a stop does. */
	bool session_done = rep->has_score && !ack->morning && !late &&
			    !rep->red_flag;
	const char *why = NULL;

	saved_line(&m, ack);
	range_line(&m, rep);
	if (after && changed && (!session_done || stopped(after)))
		why = first_reason(after);
	if (why)
		add(&m, DROP_CONTENT, "%s", why);
	/* Said once, with the report that raised it: a runner answering
	 * the morning question again under a standing flag hears the
	 * short form. */
	if (rep->red_flag && flag_before_today(ack))
		add(&m, DROP_NEVER, "Still pain at rest or at night: please have "
		    "the hip checked soon.");
	else if (rep->red_flag)
		add(&m, DROP_NEVER, "Pain at rest or at night needs a doctor's "
		    "check soon: %s.", TEXT_FRACTURE);
	else if (high && flag_before_today(ack))
		add(&m, DROP_NEVER, "Pain this high: please have the hip checked "
		    "soon.");
	else if (high)
		add(&m, DROP_NEVER, "A doctor should check pain this high "
		    "soon: %s.", TEXT_FRACTURE);
	if (flag)
		flag_block(&m, after);
	if (ack->session_sent && after && stopped(after) && !session_done &&
	    had_training(ack, changed))
		add(&m, DROP_NEVER, "Stop today's session if you have started "
		    "it.");
	if (after && late && !stopped(after))
		day_brief(&m, program, after, "Today now", DROP_CONTENT);
	else if (after && ack->morning && !late && !changed && !stopped(after))
		add(&m, DROP_CONTENT, "Today's plan stays as it is.");
	if (ack->tomorrow && !ack->tomorrow->before_start)
		outlook(&m, program, ack->tomorrow,
			!why || ack->tomorrow->change != COACH_CHANGE_NONE);
	return render(&m, fmt, buf, len);
}

int coach_message_ack_adherence(const struct coach_reply *reply,
				bool ask_session, enum coach_format fmt,
				char *buf, size_t len)
{
	struct msg m;

	msg_init(&m);
	if (!reply)
		return -1;
	if (reply->kind == COACH_REPLY_DONE && ask_session)
		add(&m, DROP_NEVER, "Logged as done. %s", TEXT_ASK_AFTER);
	else if (reply->kind == COACH_REPLY_DONE)
		add(&m, DROP_NEVER, "Well done " EM_DASH " logged as done.");
	else if (reply->kind == COACH_REPLY_SKIPPED)
		add(&m, DROP_NEVER, "Logged as skipped. No problem " EM_DASH
		    " the next reminder comes as planned.");
	else
		return -1;
	return render(&m, fmt, buf, len);
}

int coach_message_cleared(const struct coach_program *program,
			  int32_t flag_since,
			  const struct coach_plan *tomorrow,
			  enum coach_format fmt, char *buf, size_t len)
{
	struct msg m;
	char d[16], nb[16];
	const struct coach_rules *ru;
	int days;

	msg_init(&m);
	if (!program)
		return -1;
	ru = &program->rules;
	days = ru->cleared_deload_days;
	if (flag_since != COACH_NO_DAY) {
		coach_day_label(flag_since, d);
		add(&m, DROP_NEVER, "Cleared: the red flag of %s is lifted. "
		    "Good that the hip has been checked.", d);
	} else {
		add(&m, DROP_NEVER, "Cleared: the red flag is lifted. Good that "
		    "the hip has been checked.");
	}
	add(&m, DROP_NEVER, "Rest of today: stretches only. Then %s easier %s "
	    "(%d" TIMES "%d, no running) before the full plan; running starts "
	    "again from the %s.", coach_count_word(days, nb, sizeof nb),
	    days == 1 ? "day" : "days", ru->deload_sets, ru->deload_reps,
	    cross(program));
	if (tomorrow && !tomorrow->before_start)
		outlook(&m, program, tomorrow, false);
	add(&m, DROP_CONTENT, "If pain at rest or at night comes back, tell me "
	    "at once.");
	return render(&m, fmt, buf, len);
}

int coach_message_not_flagged(enum coach_format fmt, char *buf, size_t len)
{
	struct msg m;

	msg_init(&m);
	add(&m, DROP_NEVER, "There is no red flag to clear: none stands in your "
	    "plan, so nothing changes.");
	add(&m, DROP_NEVER, "/cleared is only for after a doctor or physio has "
	    "checked pain at rest or at night that you reported.");
	return render(&m, fmt, buf, len);
}

/* The how-tos of a "how" message, in the order they are wanted. */
struct howto_list {
	size_t n;
	const char *name[COACH_MAX_EXERCISES + COACH_MAX_STRETCHES];
	const char *howto[COACH_MAX_EXERCISES + COACH_MAX_STRETCHES];
};

static void howto_push(struct howto_list *h, const char *name,
		       const char *howto)
{
	if (!howto[0] || h->n >= sizeof h->name / sizeof h->name[0])
		return;
	h->name[h->n] = name;
	h->howto[h->n] = howto;
	h->n++;
}

/*
 * Writes the how-tos of h into m, each "• Name: how-to", as many as fit
 * within the message limit with `reserve` bytes kept free; the names of
 * the others go to left (joined).  Returns how many were left out.
 */
static size_t howto_fill(struct msg *m, const struct howto_list *h,
			 size_t reserve, char *left, size_t left_len)
{
	size_t n_left = 0, at = 0;

	left[0] = '\0';
	for (size_t i = 0; i < h->n; i++) {
		/* the newline, "• ", the name, ": ", the how-to */
		size_t need = 1 + 4 + strlen(h->name[i]) + 2 +
			      strlen(h->howto[i]);
		if (plain_len(m) + need + reserve <= COACH_MESSAGE_MAX) {
			item(m, DROP_NEVER, h->name[i], ": %s", h->howto[i]);
			continue;
		}
		int r = snprintf(left + at, left_len - at, "%s%s",
				 n_left ? ", " : "", h->name[i]);
		if (r > 0 && (size_t)r < left_len - at)
			at += (size_t)r;
		n_left++;
	}
	return n_left;
}

/* True when the word topic (ASCII, any case) appears in name. */
static bool topic_in(const char *name, const char *topic)
{
	size_t n = strlen(topic);

	for (const char *p = name; n && *p; p++) {
		size_t i = 0;
		while (i < n && p[i]) {
			char a = p[i], b = topic[i];
			if (a >= 'A' && a <= 'Z')
				a = (char)(a - 'A' + 'a');
			if (b >= 'A' && b <= 'Z')
				b = (char)(b - 'A' + 'a');
			if (a != b)
				break;
			i++;
		}
		if (i == n)
			return true;
	}
	return false;
}

/* Keeps the items of h whose names contain topic; all of them when none
 * does (a topic that names nothing is no reason to send nothing). */
static void howto_pick(struct howto_list *h, const char *topic)
{
	struct howto_list k = { 0 };

	char t[COACH_NAME_MAX];

	if (!topic || !topic[0])
		return;
	snprintf(t, sizeof t, "%s", topic);
	/* "stretches", "clamshells": the names are singular. */
	for (int pass = 0; pass < 3 && t[0]; pass++) {
		for (size_t i = 0; i < h->n; i++)
			if (topic_in(h->name[i], t))
				howto_push(&k, h->name[i], h->howto[i]);
		if (k.n) {
			*h = k;
			return;
		}
		size_t n = strlen(t);
		if (n < 4 || (t[n - 1] != 's' && t[n - 1] != 'e'))
			return;
		t[n - 1] = '\0';
	}
}

/*
 * "how": today's strength exercises first (those newest to the runner
 * first: their technique is the least known), then the stretches; with
 * a topic ("stretch", "clamshell") the ones it names.  What does not fit
 * is named at the end with the command that brings it, instead of being
 * cut off mid-way.
 */
int coach_message_howto(const struct coach_program *program,
			const struct coach_plan *today, const char *topic,
			enum coach_format fmt, char *buf, size_t len)
{
	struct msg m;
	struct howto_list h = { 0 };
	size_t order[COACH_MAX_EXERCISES], n = 0;
	char left[MSG_LINE_MAX];
	const size_t reserve = 200; /* for "Left out to fit: ..." */

	msg_init(&m);
	if (!program || !today)
		return -1;
	if (!stopped(today)) {
		n = today->n_strength < COACH_MAX_EXERCISES ?
		    today->n_strength : COACH_MAX_EXERCISES;
		for (size_t i = 0; i < n; i++)
			order[i] = i;
		/* insertion sort by the exercise's day in the plan */
		for (size_t i = 1; i < n; i++)
			for (size_t j = i; j > 0 &&
			     today->strength_day[order[j]] <
			     today->strength_day[order[j - 1]]; j--) {
				size_t t = order[j];
				order[j] = order[j - 1];
				order[j - 1] = t;
			}
	}
	for (size_t i = 0; i < n; i++)
		howto_push(&h, today->strength[order[i]].name,
			   today->strength[order[i]].howto);
	for (size_t i = 0; i < program->n_stretches && i < COACH_MAX_STRETCHES; i++)
		howto_push(&h, program->stretches[i].name,
			   program->stretches[i].howto);
	howto_pick(&h, topic);

	heading(&m, "How to do them");
	if (h.n == 0)
		add(&m, DROP_NEVER, "No how-tos in this program.");
	/* All of them if they fit; else room for the note of what is
	 * missing. */
	if (howto_fill(&m, &h, 0, left, sizeof left) > 0) {
		msg_init(&m);
		heading(&m, "How to do them");
		howto_fill(&m, &h, reserve, left, sizeof left);
		cut_utf8(left, reserve - 70);
		add(&m, DROP_NEVER, "More: send /how with a name, e.g. "
		    "\"/how stretch\" (%s).", left);
	}
	return render(&m, fmt, buf, len);
}

/* ---------------------------------------------------------- commands */

int coach_message_help(const struct coach_program *program, int is_start,
		       enum coach_format fmt, char *buf, size_t len)
{
	struct msg m;

	msg_init(&m);
	if (is_start) {
		heading(&m, "Hi! I'm your rehab coach.");
		if (program && program->title[0])
			add(&m, DROP_CONTENT, "Program: %s", program->title);
		add(&m, DROP_NEVER, "Every day I send your stretches and strength "
		    "session, and ask how the hip feels.");
	}
	heading(&m, "What you can reply:");
	item(&m, DROP_NEVER, "0" EN_DASH "10", " " EM_DASH " how much it hurts "
	     "(0 = no pain); halves like 2.5 are fine");
	item(&m, DROP_NEVER, "done", " or skip " EM_DASH " after a reminder");
	item(&m, DROP_NEVER, "how", " " EM_DASH " how to do today's stretches "
	     "and exercises");
	item(&m, DROP_NEVER, "pain at rest", " or hurts at night " EM_DASH
	     " tell me, that needs a doctor");
	heading(&m, "Commands:");
	add(&m, DROP_DETAIL, "/plan " EM_DASH " today and tomorrow");
	add(&m, DROP_DETAIL, "/status " EM_DASH " stage, last 7 days, what is done");
	add(&m, DROP_DETAIL, "/pause [days] " EM_DASH " take a break; /resume to go on");
	add(&m, DROP_DETAIL, "/snooze [minutes] " EM_DASH " remind me later");
	add(&m, DROP_NEVER, "/cleared " EM_DASH " only after a doctor or physio "
	    "has checked pain at rest or at night");
	add(&m, DROP_DETAIL, "/help " EM_DASH " this message");
	return render(&m, fmt, buf, len);
}

int coach_message_not_understood(enum coach_format fmt, char *buf,
				 size_t len)
{
	struct msg m;

	msg_init(&m);
	add(&m, DROP_NEVER, "%s", TEXT_NOT_UNDERSTOOD);
	return render(&m, fmt, buf, len);
}

/* One day of /plan: a heading with the date and stage, the flag, the day
 * in brief, the exercises, where running stands, the reasons. */
static void plan_day(struct msg *m, const struct coach_program *p,
		     const struct coach_plan *t, const char *which,
		     bool running_next)
{
	char d[16], st[64], line[160];

	coach_day_label(t->day, d);
	if (t->before_start || (t->flags & COACH_FLAG_PAUSED)) {
		snprintf(line, sizeof line, "%s, %s", which, d);
		heading(m, line);
		day_brief(m, p, t, NULL, DROP_NEVER);
		reason_lines(m, t, false, COACH_MAX_REASONS, EN_DASH " ",
			     DROP_CONTENT);
		return;
	}
	stage_text(t, st, sizeof st);
	snprintf(line, sizeof line, "%s, %s " MIDDOT " %s", which, d, st);
	heading(m, line);
	if (t->flags & COACH_FLAG_RED_FLAG)
		flag_block(m, t);
	day_brief(m, p, t, NULL, DROP_NEVER);
	for (size_t i = 0; i < t->n_strength && i < COACH_MAX_EXERCISES; i++)
		item(m, DROP_DETAIL, t->strength[i].name, " %d" TIMES "%d",
		     t->strength[i].sets, t->strength[i].reps);
	if (running_next && t->running_note[0])
		add(m, DROP_DETAIL, "Running next: %s.", t->running_note);
	reason_lines(m, t, (t->flags & COACH_FLAG_RED_FLAG) != 0,
		     COACH_MAX_REASONS, EN_DASH " ", DROP_CONTENT);
}

int coach_message_plan(const struct coach_program *program,
		       const struct coach_plan *today,
		       const struct coach_plan *tomorrow,
		       enum coach_format fmt, char *buf, size_t len)
{
	struct msg m;

	msg_init(&m);
	if (!program || !today)
		return -1;
	plan_day(&m, program, today, "Today", true);
	if (tomorrow) {
		plan_day(&m, program, tomorrow, "Tomorrow", false);
		add(&m, DROP_CONTENT, "Tomorrow can still change with today's "
		    "replies.");
	}
	return render(&m, fmt, buf, len);
}

/* A mean as "2.1", or "–" when there is none (< 0). */
static void mean_label(double v, char *buf, size_t len)
{
	if (v < 0) {
		snprintf(buf, len, EN_DASH);
		return;
	}
	int v10 = coach_to10(v);
	snprintf(buf, len, "%d.%d", v10 / 10, v10 % 10);
}

/* A score of the week line, "–" for none. */
static void week_score(int score10, char *buf, size_t len)
{
	if (score10 < 0 || score10 > 100)
		snprintf(buf, len, EN_DASH);
	else
		coach_score_text(score10, buf, len);
}

/*
 * The last 7 days in one line, oldest first, days before the start left
 * out: "Wed 1/2 · Thu – · Fri 2/– …" (morning/session; "–" alone for a
 * day without any score; "!" marks pain at rest or at night).  Returns
 * whether any day had a red flag, for the legend.
 */
static bool week_line(const struct coach_status *s, int32_t start,
		      char *buf, size_t len)
{
	static const char *const wd[] = { "Mon", "Tue", "Wed", "Thu", "Fri",
					  "Sat", "Sun" };
	size_t at = 0;
	bool flag = false;

	buf[0] = '\0';
	for (int k = 0; k < 7; k++) {
		char a[16], b[16], cell[48];
		if (s->week[k].day < start)
			continue;
		week_score(s->week[k].morning10, a, sizeof a);
		week_score(s->week[k].session10, b, sizeof b);
		bool none = s->week[k].morning10 == COACH_NO_SCORE &&
			    s->week[k].session10 == COACH_NO_SCORE;
		snprintf(cell, sizeof cell, "%s%s %s%s%s%s",
			 at ? " " MIDDOT " " : "",
			 wd[coach_day_weekday(s->week[k].day)], a,
			 none ? "" : "/", none ? "" : b,
			 s->week[k].red_flag ? "!" : "");
		flag = flag || s->week[k].red_flag;
		int r = snprintf(buf + at, len - at, "%s", cell);
		if (r < 0 || (size_t)r >= len - at)
			break;
		at += (size_t)r;
	}
	return flag;
}

/* "Done: 9 of 14 reminders sent (3 skipped, 2 unanswered)." — counted
 * out of what was sent (design.md), never as a share of the answers. */
static void done_line(struct msg *m, const struct coach_status *s)
{
	int done = s->done7 > 0 ? s->done7 : 0;
	int skipped = s->skipped7 > 0 ? s->skipped7 : 0;

	if (s->sent7 > 0) {
		int unanswered = s->sent7 - done - skipped;
		if (unanswered < 0)
			unanswered = 0;
		labelled(m, DROP_NEVER, "Done:", " %d of %d reminder%s sent (%d "
		     "skipped, %d unanswered).", done, s->sent7,
		     s->sent7 == 1 ? "" : "s", skipped, unanswered);
	} else {
		labelled(m, DROP_NEVER, "Done:", " %d reminder%s, %d skipped.", done,
		     done == 1 ? "" : "s", skipped);
	}
}

/* Where running stands: the level with its amount, and what comes next. */
static void status_running(struct msg *m, const struct coach_program *p,
			   const struct coach_plan *t)
{
	char what[160];

	if (t->flags & COACH_FLAG_RED_FLAG)
		snprintf(what, sizeof what, "none while the red flag stands");
	else if (t->flags & COACH_FLAG_SEVERE)
		snprintf(what, sizeof what, "none today (rest)");
	else if (t->flags & COACH_FLAG_DELOAD)
		snprintf(what, sizeof what, "none while easing off (%s "
			 "instead)", cross(p));
	else
		running_brief(p, t, what, sizeof what);
	if (t->running_note[0])
		labelled(m, DROP_CONTENT, "Running:", " %s; next: %s.", what,
			 t->running_note);
	else
		labelled(m, DROP_CONTENT, "Running:", " %s.", what);
}

int coach_message_status(const struct coach_program *program,
			 const struct coach_status *status,
			 enum coach_format fmt, char *buf, size_t len)
{
	struct msg m;
	char line[MSG_LINE_MAX], d[16], st[64], a[16], b[16];

	msg_init(&m);
	if (!program || !status)
		return -1;
	const struct coach_plan *t = &status->today;
	coach_day_label(t->day, d);
	snprintf(line, sizeof line, "Status " MIDDOT " %s", d);
	heading(&m, line);
	if (t->before_start) {
		add(&m, DROP_NEVER, "Your program has not started yet.");
		return render(&m, fmt, buf, len);
	}
	/* Warnings first. */
	if (t->flags & COACH_FLAG_RED_FLAG)
		flag_block(&m, t);
	if (t->flags & COACH_FLAG_SEE_CLINICIAN)
		add(&m, DROP_NEVER, "Please see a physio or doctor about the hip: "
		    "the plan stays as it is, nothing new until it improves.");
	if (status->paused)
		add(&m, DROP_NEVER, "Paused: send /resume to start again.");

	stage_text(t, st, sizeof st);
	st[0] = (char)(st[0] - 'a' + 'A');
	/* The next stage's date assumes every day from today counts, which
	 * flagged, stopped and eased days do not. */
	if (status->next_stage_day != COACH_NO_DAY &&
	    (t->flags & COACH_FLAG_RED_FLAG)) {
		add(&m, DROP_NEVER, "%s; the next stage waits until the red flag "
		    "is cleared.", st);
	} else if (status->next_stage_day != COACH_NO_DAY &&
		   (t->flags & (COACH_FLAG_SEVERE | COACH_FLAG_DELOAD))) {
		add(&m, DROP_NEVER, "%s; the next stage waits until the full plan "
		    "is back.", st);
	} else if (status->next_stage_day != COACH_NO_DAY) {
		char nd[16];
		coach_day_label(status->next_stage_day, nd);
		add(&m, DROP_NEVER, "%s; next stage from %s at the earliest.",
		    st, nd);
	} else {
		add(&m, DROP_NEVER, "%s.", st);
	}
	if (t->flags & COACH_FLAG_DELOAD)
		add(&m, DROP_CONTENT, "Easing off: strength at %d" TIMES "%d.",
		    program->rules.deload_sets, program->rules.deload_reps);
	status_running(&m, program, t);

	int32_t start = (int32_t)((int64_t)t->day - t->program_day + 1);
	bool flagged = week_line(status, start, line, sizeof line);
	if (line[0])
		labelled(&m, DROP_NEVER, "Last 7 days", " (morning/session%s): %s",
		     flagged ? "; ! pain at rest or at night" : "", line);
	done_line(&m, status);
	mean_label(status->mean7, a, sizeof a);
	mean_label(status->mean7_before, b, sizeof b);
	const char *trend = "";
	if (status->mean7 >= 0 && status->mean7_before >= 0)
		trend = status->mean7 < status->mean7_before ? " " EM_DASH " improving" :
			status->mean7 > status->mean7_before ? " " EM_DASH " higher" :
			" " EM_DASH " no change";
	labelled(&m, DROP_CONTENT, "Trend:", " morning mean %s over 7 days (%s the "
	     "week before)%s.", a, b, trend);
	/* Issue 4: a runner who blocked the bot (or whose reminders could
	 * not be sent) sees what they missed once they write again. */
	if (status->undelivered > 0)
		labelled(&m, DROP_NEVER, "Not delivered:", " %d reminder%s of the "
		     "last 7 days could not reach you (was the bot blocked?); "
		     "/plan shows today's.", status->undelivered,
		     status->undelivered == 1 ? "" : "s");
	return render(&m, fmt, buf, len);
}

int coach_message_paused(int32_t from, int days, enum coach_format fmt,
			 char *buf, size_t len)
{
	struct msg m;
	char d[16], e[16];

	msg_init(&m);
	coach_day_label(from, d);
	if (days <= 0) {
		add(&m, DROP_NEVER, "Paused from %s until you send /resume. "
		    "No reminders meanwhile.", d);
	} else {
		coach_day_label(from + days, e);
		add(&m, DROP_NEVER, "Paused for %d day%s from %s; reminders "
		    "start again on %s.", days, days == 1 ? "" : "s", d, e);
		add(&m, DROP_NEVER, "Send /resume to start earlier.");
	}
	add(&m, DROP_NEVER, "Paused days do not count toward your stage. Pain "
	    "at rest or at night still matters: tell me if it comes.");
	return render(&m, fmt, buf, len);
}

int coach_message_resumed(enum coach_format fmt, char *buf, size_t len)
{
	struct msg m;

	msg_init(&m);
	add(&m, DROP_NEVER, "Welcome back! Reminders start again as planned.");
	return render(&m, fmt, buf, len);
}
