/* The effective configuration; see config_print.h. */
#include "config_print.h"

#include <stdarg.h>
#include <string.h>

#include "coach/coach_date.h"

static const char *const level_names[] = { "error", "warn", "info", "debug" };

struct printer {
	char *(*mask)(char *line);
	FILE *out;
	int failed;
};

/* One line, masked, then written. */
static void emit(struct printer *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void emit(struct printer *p, const char *fmt, ...)
{
	char line[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (p->mask)
		p->mask(line);
	if (fputs(line, p->out) == EOF || fputc('\n', p->out) == EOF)
		p->failed = 1;
}

/* s as a libconfig string literal body: quotes, backslashes and control
 * characters escaped (a value may hold a newline). */
static const char *quoted(const char *s, char *buf, size_t len)
{
	size_t o = 0;

	for (; s && *s && o + 5 < len; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			buf[o++] = '\\';
			buf[o++] = (char)c;
		} else if (c == '\n') {
			buf[o++] = '\\';
			buf[o++] = 'n';
		} else if (c < 0x20 || c == 0x7f) {
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x", c);
		} else {
			buf[o++] = (char)c;
		}
	}
	buf[o] = '\0';
	return buf;
}

/* Minutes after midnight (0..1439, as the loader keeps them) as HH:MM. */
static const char *hhmm(int minutes, char buf[8])
{
	unsigned m = (unsigned)minutes % 1440u;
	snprintf(buf, 8, "%02u:%02u", m / 60u, m % 60u);
	return buf;
}

int cfg_print(const struct cfg *cfg, char *(*mask)(char *line), FILE *out)
{
	struct printer p = { mask, out, 0 };
	char q[4096], q2[4096];

	emit(&p, "# The effective configuration of %s: every default filled in.",
	     quoted(cfg->path, q, sizeof q));
	emit(&p, "daemon = {");
	emit(&p, "  state_dir = \"%s\";", quoted(cfg->state_dir, q, sizeof q));
	emit(&p, "  plugin_dir = \"%s\";", quoted(cfg->plugin_dir, q, sizeof q));
	emit(&p, "  program_dir = \"%s\";", quoted(cfg->program_dir, q, sizeof q));
	emit(&p, "  log_level = \"%s\";",
	     cfg->log_level >= 0 && cfg->log_level <= CFG_LOG_DEBUG
		     ? level_names[cfg->log_level] : "info");
	emit(&p, "  grace_minutes = %d;", cfg->grace_minutes);
	emit(&p, "  send_expiry_minutes = %d;", cfg->send_expiry_minutes);
	emit(&p, "};");
	emit(&p, "channels = {");
	for (size_t i = 0; i < cfg->n_channels; i++) {
		const struct cfg_channel *c = &cfg->channels[i];
		emit(&p, "  %s = {", c->name);
		emit(&p, "    plugin = \"%s\";", quoted(c->plugin, q, sizeof q));
		for (size_t k = 0; k < c->n_settings; k++)
			emit(&p, "    %s = \"%s\";", c->settings[k].key,
			     quoted(c->settings[k].value, q, sizeof q));
		emit(&p, "  };");
	}
	emit(&p, "};");
	emit(&p, "runners = (");
	for (size_t i = 0; i < cfg->n_runners; i++) {
		const struct cfg_runner *r = &cfg->runners[i];
		char day[11], t[3][8], list[64] = "";

		coach_day_format(r->start_day, day);
		for (int s = 0; s < r->n_stretch && s < CFG_MAX_STRETCH; s++) {
			char one[8];
			size_t used = strlen(list);
			snprintf(list + used, sizeof list - used, "%s\"%s\"",
				 s ? ", " : "", hhmm(r->stretch_min[s], one));
		}
		emit(&p, "  {");
		emit(&p, "    name = \"%s\"; channel = \"%s\";",
		     quoted(r->name, q, sizeof q), quoted(r->channel, q2, sizeof q2));
		emit(&p, "    address = \"%s\";", quoted(r->address, q, sizeof q));
		emit(&p, "    zone = \"%s\"; program = \"%s\"; start = \"%s\";",
		     quoted(r->zone, q, sizeof q), quoted(r->program, q2, sizeof q2),
		     day);
		emit(&p, "    stretch = [ %s ];", list);
		emit(&p, "    morning = \"%s\"; strength = \"%s\"; evening = \"%s\";",
		     hhmm(r->morning_min, t[0]), hhmm(r->strength_min, t[1]),
		     hhmm(r->evening_min, t[2]));
		emit(&p, "  }%s", i + 1 < cfg->n_runners ? "," : "");
	}
	emit(&p, ");");
	if (fflush(out) == EOF)
		p.failed = 1;
	return p.failed ? -1 : 0;
}
