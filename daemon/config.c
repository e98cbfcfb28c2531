/*
 * rehabd.conf: reading it with libconfig and validating all of it before
 * anything starts.  Every message reads "file:line: what is wrong — what
 * to do", with the file as the caller gave it.
 *
 * Everything kept is copied out of libconfig, which frees its strings
 * with the config, so a struct cfg lives on after the parse.  The parse
 * fills the struct cfg in place; on any error cfg_load frees it whole
 * (cfg_free copes with a half-filled one), so the helpers below only
 * return -1 and never clean up on their own.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libconfig.h>

#include "coach/coach_date.h"
#include "config_syntax.h"
#include "file_text.h"
#include "name_list.h"

#define CFG_NAME_MAX 32     /* channel and runner names */
#define CFG_FILE_NAME_MAX 64 /* plugin and program names */
#define CFG_ZONE_MAX 128
/* A config this big is a mistake (10,000 runners take about 3 MiB). */
#define CFG_FILE_MAX (64u * 1024u * 1024u)
#define CFG_DEFAULT_STATE_DIR "/var/lib/rehabd"
#define CFG_DEFAULT_TZDIR "/usr/share/zoneinfo"

/* The state of one cfg_load: where messages go and what is built. */
struct cfg_parse {
	const char *path; /* as given, for messages */
	char *dir;        /* absolute directory of the file */
	char *err;
	size_t errlen;
	struct cfg *cfg;
	int plugin_dir_given; /* plugin_dir came from the command line */
	/* Open-addressing tables of runner index + 1 (0: empty slot), by name
	 * and by (channel, address), so that duplicate checks stay linear
	 * for configs with thousands of runners. */
	size_t *by_name, *by_address;
	size_t tab_mask;
};

static const char *const daemon_keys[] = {
	"state_dir", "plugin_dir", "program_dir", "log_level",
	"grace_minutes", "send_expiry_minutes", NULL
};

static const char *const runner_keys[] = {
	"name", "channel", "address", "zone", "program", "start", "stretch",
	"strength", "morning", "evening", NULL
};

static const char *const log_level_names[] = { "error", "warn", "info",
					       "debug", NULL };

/* Writes "path:line: message" into p->err; always returns -1, so that
 * callers can `return perr(...)`.  line <= 0 leaves the line out (for
 * errors about the file as a whole). */
__attribute__((format(printf, 3, 4)))
static int perr(struct cfg_parse *p, int line, const char *fmt, ...)
{
	char msg[CFG_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (line > 0)
		snprintf(p->err, p->errlen, "%s:%d: %s", p->path, line, msg);
	else
		snprintf(p->err, p->errlen, "%s: %s", p->path, msg);
	return -1;
}

static int line_of(const config_setting_t *s)
{
	return (int)config_setting_source_line(s);
}

/* Copies s; on failure sets the error and returns NULL. */
static char *dup_or_fail(struct cfg_parse *p, const char *s)
{
	char *c = strdup(s);
	if (!c)
		perr(p, 0, "out of memory");
	return c;
}

/* Returns dir/name, or name itself when it is absolute, as a new string
 * (NULL and the error set when out of memory).  Trailing slashes of the
 * result are dropped so that file names built from it read cleanly. */
static char *resolve_path(struct cfg_parse *p, const char *name)
{
	char *out;

	if (name[0] == '/')
		out = strdup(name);
	else if (asprintf(&out, "%s/%s", p->dir, name) < 0)
		out = NULL;
	if (!out) {
		perr(p, 0, "out of memory");
		return NULL;
	}
	for (size_t n = strlen(out); n > 1 && out[n - 1] == '/'; n--)
		out[n - 1] = '\0';
	return out;
}

/* A word for a setting's type, for messages. */
static const char *type_name(const config_setting_t *s)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_GROUP: return "a group";
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64: return "an integer";
	case CONFIG_TYPE_FLOAT: return "a number with a fraction";
	case CONFIG_TYPE_STRING: return "a string";
	case CONFIG_TYPE_BOOL: return "true/false";
	case CONFIG_TYPE_ARRAY: return "an array";
	case CONFIG_TYPE_LIST: return "a list";
	default: return "of no known type";
	}
}

static int is_int(const config_setting_t *s)
{
	int t = config_setting_type(s);
	return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64;
}

/* Returns 1 when s is 1..max characters, all from `extra` or (as the
 * flags say) lower-case letters, upper-case letters and digits. */
static int name_ok(const char *s, size_t max, int upper, const char *extra)
{
	size_t n = strlen(s);

	if (n == 0 || n > max)
		return 0;
	for (const char *c = s; *c; c++) {
		int ok = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
			 (upper && *c >= 'A' && *c <= 'Z') ||
			 strchr(extra, *c) != NULL;
		if (!ok)
			return 0;
	}
	return 1;
}

int cfg_parse_hhmm(const char *s)
{
	/* "7:30" is as clear as "07:30" (systemd's OnCalendar= reads it
	 * too); minutes always take two digits so "7:5" stays an error. */
	size_t hl = s ? strcspn(s, ":") : 0;
	if (!s || hl < 1 || hl > 2 || strlen(s) != hl + 3)
		return -1;
	for (size_t i = 0; s[i]; i++)
		if (i != hl && (s[i] < '0' || s[i] > '9'))
			return -1;
	int h = hl == 1 ? s[0] - '0' : (s[0] - '0') * 10 + (s[1] - '0');
	int m = (s[hl + 1] - '0') * 10 + (s[hl + 2] - '0');
	if (h > 23 || m > 59)
		return -1;
	return h * 60 + m;
}

int cfg_parse_log_level(const char *s)
{
	for (int i = 0; s && log_level_names[i]; i++)
		if (!strcmp(s, log_level_names[i]))
			return i; /* the order of enum log_level_cfg */
	return -1;
}

/* Returns 1 when zone looks like an IANA name: relative, no "." or ".."
 * component, no empty component, only the characters zone names use.
 * This keeps a config from naming an arbitrary file as its zone. */
static int zone_name_ok(const char *zone)
{
	size_t n = strlen(zone);

	if (n == 0 || n > CFG_ZONE_MAX || zone[0] == '/' || zone[n - 1] == '/')
		return 0;
	for (const char *c = zone; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr("/_+-.", *c))
			return 0;
	for (const char *c = zone; *c;) {
		size_t len = strcspn(c, "/");
		if (len == 0 || (len == 1 && c[0] == '.') ||
		    (len == 2 && c[0] == '.' && c[1] == '.'))
			return 0;
		c += len;
		if (*c == '/')
			c++;
	}
	return 1;
}

/* The zone database the C library reads: $TZDIR, else the system's. */
static const char *zone_dir(void)
{
	const char *d = getenv("TZDIR");
	return d && *d ? d : CFG_DEFAULT_TZDIR;
}

int cfg_zone_exists(const char *zone)
{
	char path[PATH_MAX], magic[4];
	struct stat st;
	int fd, ok = 0;

	if (!zone || !zone_name_ok(zone))
		return 0;
	if (snprintf(path, sizeof path, "%s/%s", zone_dir(), zone) >=
	    (int)sizeof path)
		return 0;
	/* O_NONBLOCK: a FIFO in the way must not hang the check. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    read(fd, magic, sizeof magic) == (ssize_t)sizeof magic &&
	    !memcmp(magic, "TZif", 4))
		ok = 1;
	close(fd);
	return ok;
}

const struct cfg_channel *cfg_channel_find(const struct cfg *cfg,
					   const char *name)
{
	for (size_t i = 0; cfg && name && i < cfg->n_channels; i++)
		if (cfg->channels[i].name && !strcmp(cfg->channels[i].name, name))
			return &cfg->channels[i];
	return NULL;
}

const struct cfg_runner *cfg_runner_find(const struct cfg *cfg,
					 const char *name)
{
	for (size_t i = 0; cfg && name && i < cfg->n_runners; i++)
		if (cfg->runners[i].name && !strcmp(cfg->runners[i].name, name))
			return &cfg->runners[i];
	return NULL;
}

void cfg_free(struct cfg *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->n_channels; i++) {
		struct cfg_channel *c = &cfg->channels[i];
		for (size_t j = 0; j < c->n_settings; j++) {
			free(c->settings[j].key);
			free(c->settings[j].value);
		}
		free(c->settings);
		free(c->name);
		free(c->plugin);
	}
	free(cfg->channels);
	for (size_t i = 0; i < cfg->n_runners; i++) {
		struct cfg_runner *r = &cfg->runners[i];
		free(r->name);
		free(r->channel);
		free(r->address);
		free(r->zone);
		free(r->program);
	}
	free(cfg->runners);
	free(cfg->path);
	free(cfg->state_dir);
	free(cfg->plugin_dir);
	free(cfg->program_dir);
	free(cfg);
}

/* ---- the file as text --------------------------------------------------- */

/* Reads the whole file into a new NUL-terminated buffer (*out, caller
 * frees).  Returns 0, or -1 with the error set. */
static int read_text(struct cfg_parse *p, char **out)
{
	size_t len;
	unsigned mode = 0;

	switch (file_text_read(p->path, CFG_FILE_MAX, out, &len, &mode)) {
	case FILE_TEXT_OK:
		/* The checks below read up to a NUL, libconfig reads past it:
		 * a NUL would hide from them what libconfig then takes. */
		if (memchr(*out, 0, len)) {
			int line = 1;
			for (const char *c = *out; *c; c++)
				line += *c == '\n';
			return perr(p, line, "a NUL byte — this is not a text file; save it as plain UTF-8 text");
		}
		return 0;
	case FILE_TEXT_OPEN:
		return perr(p, 0, "cannot open: %s — check the path and its permissions",
			    strerror(errno));
	case FILE_TEXT_NOT_REGULAR:
		return perr(p, 0, "is not a regular file — give the path of rehabd.conf");
	case FILE_TEXT_WRITABLE:
		return perr(p, 0, "can be changed by group or others (mode %03o), and it says whom rehabd writes to — run chmod go-w %s",
			    mode, p->path);
	case FILE_TEXT_TOO_LARGE:
		return perr(p, 0, "is larger than %u MiB — this cannot be a rehabd.conf",
			    CFG_FILE_MAX >> 20);
	case FILE_TEXT_READ:
		return perr(p, 0, "cannot read: %s — check the file", strerror(errno));
	case FILE_TEXT_NOMEM:
	default:
		return perr(p, 0, "out of memory");
	}
}

/* The longest string literal a config may hold, in bytes. */
#define CFG_STRING_MAX 65536

/*
 * libconfig before 1.7 reads an integer literal without an L suffix with
 * atoi(), so 5000000001 silently becomes 705032705 — fatal for Telegram
 * chat ids, which are 64-bit.  This scan finds such literals, @include
 * (which would take settings from a file our messages cannot name) and
 * overlong strings, before libconfig reads the text.  It knows the
 * lexical rules just enough: comments, strings, names, numbers.  Returns
 * 0 or -1 with the error set.
 */

static int scan_literals(struct cfg_parse *p, const char *text)
{
	int line = 1;
	const char *c = text;

	while (*c) {
		if (*c == '\n') {
			line++;
			c++;
		} else if (*c == '#' || (c[0] == '/' && c[1] == '/')) {
			while (*c && *c != '\n')
				c++;
		} else if (c[0] == '/' && c[1] == '*') {
			for (c += 2; *c && !(c[0] == '*' && c[1] == '/'); c++)
				if (*c == '\n')
					line++;
			if (*c)
				c += 2;
		} else if (*c == '"') {
			int at = line;
			const char *open = c;
			for (c++; *c && *c != '"'; c++) {
				if (*c == '\n')
					line++;
				if (*c == '\\' && c[1])
					c++;
			}
			/* No setting needs a long string, and libconfig's
			 * lexer takes quadratic time on one (10 MB: > 30 s). */
			if (c - open > CFG_STRING_MAX)
				return perr(p, at, "a string of more than %d bytes — no setting needs one; check for a missing closing quote",
					    CFG_STRING_MAX);
			if (*c)
				c++;
		} else if (*c == '@') {
			return perr(p, line, "@include is not supported — put all settings in this one file");
		} else if (isalpha((unsigned char)*c) || *c == '*') {
			while (isalnum((unsigned char)*c) || (*c && strchr("-_*", *c)))
				c++;
		} else if (isdigit((unsigned char)*c) ||
			   ((*c == '-' || *c == '+') &&
			    isdigit((unsigned char)c[1]))) {
			const char *start = c;
			int hex = 0, frac = 0, big = 0;
			if (*c == '-' || *c == '+')
				c++;
			if (c[0] == '0' && (c[1] == 'x' || c[1] == 'X')) {
				hex = 1;
				c += 2;
			}
			while (isxdigit((unsigned char)*c) || *c == '.' ||
			       ((*c == '-' || *c == '+') &&
				(c[-1] == 'e' || c[-1] == 'E') && !hex)) {
				if (!hex && (*c == '.' || *c == 'e' || *c == 'E'))
					frac = 1;
				c++;
			}
			if (frac)
				continue;
			if (*c == 'L')
				big = 1;
			while (*c == 'L')
				c++;
			errno = 0;
			int len = (int)(c - start);
			if (hex) {
				unsigned long long v = strtoull(start, NULL, 16);
				if (errno == ERANGE || (!big && v > INT_MAX))
					goto too_big;
			} else {
				long long v = strtoll(start, NULL, 10);
				if (errno == ERANGE ||
				    (!big && (v > INT_MAX || v < INT_MIN)))
					goto too_big;
			}
			continue;
too_big:
			if (big || errno == ERANGE)
				return perr(p, line, "number %.*s does not fit in 64 bits — write it as a string (\"%.*s\")",
					    len, start, len, start);
			return perr(p, line, "number %.*s does not fit in a plain integer — write it as a string (\"%.*s\") or with an L suffix (%.*sL)",
				    len, start, len, start, len, start);
		} else {
			c++;
		}
	}
	return 0;
}

/* ---- daemon ----------------------------------------------------------- */

/* Reads an optional string setting of the daemon group.  Returns 1 and
 * the value in *out (libconfig's memory), 0 when absent, -1 on error. */
static int daemon_string(struct cfg_parse *p, const config_setting_t *d,
			 const char *key, const char **out)
{
	config_setting_t *s = d ? config_setting_get_member(d, key) : NULL;

	if (!s)
		return 0;
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return perr(p, line_of(s), "daemon.%s must be a string, not %s — put the value in double quotes",
			    key, type_name(s));
	*out = config_setting_get_string(s);
	if (!**out)
		return perr(p, line_of(s), "daemon.%s is empty — give a value or leave the setting out",
			    key);
	return 1;
}

/* Reads an optional integer of the daemon group into *out (left alone
 * when absent), checking min..max.  Returns 0 or -1. */
static int daemon_int(struct cfg_parse *p, const config_setting_t *d,
		      const char *key, int min, int max, int *out)
{
	config_setting_t *s = d ? config_setting_get_member(d, key) : NULL;

	if (!s)
		return 0;
	if (!is_int(s))
		return perr(p, line_of(s), "daemon.%s must be an integer, not %s — write a whole number without quotes",
			    key, type_name(s));
	long long v = config_setting_get_int64(s);
	if (v < min || v > max)
		return perr(p, line_of(s), "daemon.%s %lld is out of range — use %d to %d minutes",
			    key, v, min, max);
	*out = (int)v;
	return 0;
}

/* Sets one directory of the daemon: the override, else the file's value
 * resolved against the file's directory, else the default. */
static int daemon_dir(struct cfg_parse *p, const config_setting_t *d,
		      const char *key, const char *override, const char *def,
		      char **out)
{
	const char *v = NULL;
	int rc = daemon_string(p, d, key, &v);

	if (rc < 0)
		return -1;
	if (override)
		*out = dup_or_fail(p, override);
	else if (rc == 1)
		*out = resolve_path(p, v);
	else
		*out = dup_or_fail(p, def);
	return *out ? 0 : -1;
}

static int parse_daemon(struct cfg_parse *p, const config_setting_t *d,
			const char *plugin_override, const char *state_override)
{
	struct cfg *cfg = p->cfg;
	char known[256];
	const char *level = NULL;

	for (int i = 0; d && i < config_setting_length(d); i++) {
		const config_setting_t *s = config_setting_get_elem(d, (unsigned)i);
		if (!name_list_has(daemon_keys, config_setting_name(s))) {
			name_list_join(daemon_keys, known, sizeof known);
			return perr(p, line_of(s), "unknown setting \"%s\" in daemon — check the spelling (known: %s)",
				    config_setting_name(s), known);
		}
	}
	if (daemon_dir(p, d, "state_dir", state_override, CFG_DEFAULT_STATE_DIR,
		       &cfg->state_dir) < 0 ||
	    daemon_dir(p, d, "plugin_dir", plugin_override, REHABD_PLUGIN_DIR,
		       &cfg->plugin_dir) < 0 ||
	    daemon_dir(p, d, "program_dir", NULL, REHABD_PROGRAM_DIR,
		       &cfg->program_dir) < 0)
		return -1;

	cfg->log_level = CFG_LOG_INFO;
	int rc = daemon_string(p, d, "log_level", &level);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		cfg->log_level = cfg_parse_log_level(level);
		if (cfg->log_level < 0)
			return perr(p, line_of(config_setting_get_member(d, "log_level")),
				    "daemon.log_level \"%s\" is not a log level — use error, warn, info or debug",
				    level);
	}
	cfg->grace_minutes = 120;
	cfg->send_expiry_minutes = 360;
	if (daemon_int(p, d, "grace_minutes", 0, 1440, &cfg->grace_minutes) < 0 ||
	    daemon_int(p, d, "send_expiry_minutes", 1, 10080,
		       &cfg->send_expiry_minutes) < 0)
		return -1;
	return 0;
}

/* ---- channels ----------------------------------------------------------- */

/* Checks that path is an existing regular file.  Returns 0, or -1 with
 * a short reason in why ("not found", "is not a regular file", or what
 * the system said). */
static int file_present(const char *path, char *why, size_t len)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			snprintf(why, len, "not found");
		else
			snprintf(why, len, "cannot be checked (%s)",
				 strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, len, "is not a regular file");
		return -1;
	}
	return 0;
}

/* Keeps one plugin setting as text: strings as they are, numbers
 * formatted, booleans as "true"/"false".  Returns 0 or -1. */
static int keep_setting(struct cfg_parse *p, const char *chan,
			const config_setting_t *s, struct cfg_setting *out)
{
	char buf[64];
	const char *text = buf;

	switch (config_setting_type(s)) {
	case CONFIG_TYPE_STRING:
		text = config_setting_get_string(s);
		break;
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		snprintf(buf, sizeof buf, "%" PRId64,
			 (int64_t)config_setting_get_int64(s));
		break;
	case CONFIG_TYPE_FLOAT: {
		/* The shortest text that reads back as the same double. */
		double v = config_setting_get_float(s);
		for (int prec = 15; prec <= 17; prec++) {
			snprintf(buf, sizeof buf, "%.*g", prec, v);
			if (strtod(buf, NULL) == v)
				break;
		}
		break;
	}
	case CONFIG_TYPE_BOOL:
		text = config_setting_get_bool(s) ? "true" : "false";
		break;
	default:
		return perr(p, line_of(s), "channel \"%s\": setting \"%s\" must be a single value, not %s — use a string, a number or true/false",
			    chan, config_setting_name(s), type_name(s));
	}
	out->line = line_of(s);
	out->key = dup_or_fail(p, config_setting_name(s));
	out->value = out->key ? dup_or_fail(p, text) : NULL;
	return out->value ? 0 : -1;
}

static int parse_channel(struct cfg_parse *p, const config_setting_t *g,
			 struct cfg_channel *c)
{
	const char *name = config_setting_name(g);

	c->line = line_of(g);
	if (!name_ok(name, CFG_NAME_MAX, 0, "_-"))
		return perr(p, c->line, "channel name \"%s\" is not valid — use up to %d characters from a-z, 0-9, _ and -",
			    name, CFG_NAME_MAX);
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return perr(p, c->line, "channel \"%s\" must be a group, not %s — write %s = { plugin = \"...\"; };",
			    name, type_name(g), name);
	if (!(c->name = dup_or_fail(p, name)))
		return -1;

	const config_setting_t *pl = config_setting_get_member(g, "plugin");
	if (!pl)
		return perr(p, c->line, "channel \"%s\" has no plugin — add plugin = \"<name>\"; (the file <plugin_dir>/<name>.so)",
			    name);
	if (config_setting_type(pl) != CONFIG_TYPE_STRING)
		return perr(p, line_of(pl), "channel \"%s\": plugin must be a string, not %s — put the plugin's name in double quotes",
			    name, type_name(pl));
	const char *plugin = config_setting_get_string(pl);
	if (!name_ok(plugin, CFG_FILE_NAME_MAX, 0, "_"))
		return perr(p, line_of(pl), "channel \"%s\": plugin name \"%s\" is not valid — use a-z, 0-9 and _ (the file name without .so)",
			    name, plugin);
	if (!(c->plugin = dup_or_fail(p, plugin)))
		return -1;

	int n = config_setting_length(g);
	c->settings = calloc((size_t)n, sizeof *c->settings);
	if (!c->settings)
		return perr(p, 0, "out of memory");
	for (int i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		if (s == pl)
			continue;
		if (keep_setting(p, name, s, &c->settings[c->n_settings]) < 0) {
			/* Count a half-kept setting so cfg_free frees it. */
			c->n_settings++;
			return -1;
		}
		c->n_settings++;
	}

	/* The file system last, once the text itself is right. */
	char *file = NULL, why[128];
	if (asprintf(&file, "%s/%s.so", p->cfg->plugin_dir, plugin) < 0)
		return perr(p, 0, "out of memory");
	if (file_present(file, why, sizeof why) != 0) {
		perr(p, line_of(pl), "channel \"%s\": plugin file %s %s — install the plugin or %s",
		     name, file, why,
		     p->plugin_dir_given ? "fix --plugin-dir" : "set daemon.plugin_dir");
		free(file);
		return -1;
	}
	free(file);
	return 0;
}

static int parse_channels(struct cfg_parse *p, const config_setting_t *chs)
{
	struct cfg *cfg = p->cfg;
	int n = config_setting_length(chs);

	if (n == 0)
		return perr(p, line_of(chs), "channels is empty — define at least one channel, e.g. console = { plugin = \"console\"; };");
	cfg->channels = calloc((size_t)n, sizeof *cfg->channels);
	if (!cfg->channels)
		return perr(p, 0, "out of memory");
	cfg->n_channels = (size_t)n; /* zeroed entries free cleanly */
	for (int i = 0; i < n; i++)
		if (parse_channel(p, config_setting_get_elem(chs, (unsigned)i),
				  &cfg->channels[i]) < 0)
			return -1;
	return 0;
}

/* ---- runners ------------------------------------------------------------ */

/* Fetches a runner's setting, or returns NULL when it is absent: with
 * *rc -1 and the error set when it is required, else with *rc 0. */
static const config_setting_t *runner_get(struct cfg_parse *p,
					  const config_setting_t *g,
					  const char *who, const char *key,
					  const char *example, int required,
					  int *rc)
{
	const config_setting_t *s = config_setting_get_member(g, key);

	*rc = 0;
	if (!s && required)
		*rc = perr(p, line_of(g), "%s has no %s — add %s = %s;", who,
			   key, key, example);
	return s;
}

/* Fetches a required (or present optional) string setting of a runner.
 * Returns it (libconfig's memory), or NULL: with *rc -1 on error, 0 when
 * an optional setting is absent. */
static const char *runner_string(struct cfg_parse *p,
				 const config_setting_t *g, const char *who,
				 const char *key, const char *example,
				 int required, int *rc, int *line)
{
	const config_setting_t *s = runner_get(p, g, who, key, example,
					       required, rc);
	if (!s)
		return NULL;
	*line = line_of(s);
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		*rc = perr(p, *line, "%s: %s must be a string, not %s — write %s = %s;",
			   who, key, type_name(s), key, example);
		return NULL;
	}
	return config_setting_get_string(s);
}

/* Reads one "HH:MM" setting of a runner into *out (minutes).  Returns 1
 * when read, 0 when an optional one is absent, -1 on error. */
static int runner_time(struct cfg_parse *p, const config_setting_t *g,
		       const char *who, const char *key, int required,
		       int *out)
{
	int rc, line = 0;
	const char *v = runner_string(p, g, who, key, "\"HH:MM\"", required,
				      &rc, &line);
	if (!v)
		return rc;
	*out = cfg_parse_hhmm(v);
	if (*out < 0)
		return perr(p, line, "%s: %s time \"%s\" is not a valid time — use HH:MM between 00:00 and 23:59",
			    who, key, v);
	return 1;
}

static int runner_stretch(struct cfg_parse *p, const config_setting_t *g,
			  const char *who, struct cfg_runner *r)
{
	static const char example[] = "[ \"07:30\", \"13:00\", \"21:00\" ]";
	int rc;
	const config_setting_t *s = runner_get(p, g, who, "stretch", example,
					       1, &rc);
	if (!s)
		return -1;
	int t = config_setting_type(s);
	if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST)
		return perr(p, line_of(s), "%s: stretch must be a list of 2 or 3 times, not %s — write stretch = %s;",
			    who, type_name(s), example);
	int n = config_setting_length(s);
	if (n < 2 || n > CFG_MAX_STRETCH)
		return perr(p, line_of(s), "%s: stretch has %d time%s — give 2 or 3 times, e.g. %s",
			    who, n, n == 1 ? "" : "s", example);
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		int line = line_of(e) ? line_of(e) : line_of(s);
		if (config_setting_type(e) != CONFIG_TYPE_STRING)
			return perr(p, line, "%s: stretch time %d must be a string, not %s — write it as \"HH:MM\" in double quotes",
				    who, i + 1, type_name(e));
		const char *v = config_setting_get_string(e);
		r->stretch_min[i] = cfg_parse_hhmm(v);
		if (r->stretch_min[i] < 0)
			return perr(p, line, "%s: stretch time \"%s\" is not a valid time — use HH:MM between 00:00 and 23:59",
				    who, v);
		if (i > 0 && r->stretch_min[i] <= r->stretch_min[i - 1])
			return perr(p, line, "%s: stretch time \"%s\" is not later than \"%s\" — list different times from morning to night",
				    who, v,
				    config_setting_get_string_elem(s, i - 1));
	}
	r->n_stretch = n;
	return 0;
}

/* Reads the runner's address: a non-empty string, or an integer kept as
 * its decimal text (Telegram chat ids are 64-bit, so int64 throughout).
 * Returns 0 or -1. */
static int runner_address(struct cfg_parse *p, const config_setting_t *g,
			  const char *who, struct cfg_runner *r, int *line)
{
	char buf[32];
	int rc;
	const config_setting_t *s = runner_get(p, g, who, "address",
					       "\"<the runner's address on the channel>\"",
					       1, &rc);
	if (!s)
		return -1;
	*line = line_of(s);
	if (is_int(s)) {
		snprintf(buf, sizeof buf, "%" PRId64,
			 (int64_t)config_setting_get_int64(s));
		r->address = dup_or_fail(p, buf);
	} else if (config_setting_type(s) == CONFIG_TYPE_STRING) {
		if (!*config_setting_get_string(s))
			return perr(p, *line, "%s: address is empty — give the runner's address on channel \"%s\"",
				    who, r->channel);
		r->address = dup_or_fail(p, config_setting_get_string(s));
	} else {
		return perr(p, *line, "%s: address must be a string or an integer, not %s — write address = \"...\";",
			    who, type_name(s));
	}
	return r->address ? 0 : -1;
}

/* FNV-1a over a, a NUL, and b (may be NULL). */
static size_t hash_pair(const char *a, const char *b)
{
	uint64_t h = 14695981039346656037u;

	for (const char *c = a; *c; c++)
		h = (h ^ (unsigned char)*c) * 1099511628211u;
	h *= 1099511628211u;
	for (const char *c = b; c && *c; c++)
		h = (h ^ (unsigned char)*c) * 1099511628211u;
	return (size_t)h;
}

/* Looks runner idx up in a duplicate table: returns the index of an
 * earlier runner with the same key (name, or channel and address), or
 * inserts idx and returns -1. */
static long find_or_add(struct cfg_parse *p, size_t *tab, size_t idx,
			int by_address)
{
	const struct cfg_runner *rs = p->cfg->runners, *r = &rs[idx];
	size_t i = (by_address ? hash_pair(r->channel, r->address) :
				 hash_pair(r->name, NULL)) & p->tab_mask;

	for (; tab[i]; i = (i + 1) & p->tab_mask) {
		const struct cfg_runner *o = &rs[tab[i] - 1];
		if (by_address ? !strcmp(o->channel, r->channel) &&
				 !strcmp(o->address, r->address) :
				 !strcmp(o->name, r->name))
			return (long)(tab[i] - 1);
	}
	tab[i] = idx + 1;
	return -1;
}

/* Parses runner number idx (0-based) into p->cfg->runners[idx]; the
 * runners before it are complete and in the duplicate tables. */
static int parse_runner(struct cfg_parse *p, const config_setting_t *g,
			size_t idx)
{
	struct cfg *cfg = p->cfg;
	struct cfg_runner *r = &cfg->runners[idx];
	char who[64], known[256], why[128];
	const char *v;
	int rc, line = 0;

	r->line = line_of(g);
	snprintf(who, sizeof who, "runner #%zu", idx + 1);
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return perr(p, r->line, "%s must be a group, not %s — write { name = \"...\"; channel = \"...\"; ... }",
			    who, type_name(g));

	if (!(v = runner_string(p, g, who, "name", "\"...\"", 1, &rc, &line)))
		return -1;
	if (!name_ok(v, CFG_NAME_MAX, 1, "_.-"))
		return perr(p, line, "runner name \"%s\" is not valid — use up to %d characters from A-Z, a-z, 0-9, _, . and -",
			    v, CFG_NAME_MAX);
	snprintf(who, sizeof who, "runner \"%s\"", v);
	if (!(r->name = dup_or_fail(p, v)))
		return -1;
	long first = find_or_add(p, p->by_name, idx, 0);
	if (first >= 0)
		return perr(p, line, "%s is defined twice (first at line %d) — give each runner a unique name",
			    who, cfg->runners[first].line);

	for (int i = 0; i < config_setting_length(g); i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		if (!name_list_has(runner_keys, config_setting_name(s))) {
			name_list_join(runner_keys, known, sizeof known);
			return perr(p, line_of(s), "%s: unknown setting \"%s\" — check the spelling (known: %s)",
				    who, config_setting_name(s), known);
		}
	}

	if (!(v = runner_string(p, g, who, "channel", "\"<a channel's name>\"",
				1, &rc, &line)))
		return -1;
	if (!cfg_channel_find(cfg, v))
		return perr(p, line, "%s uses channel \"%s\", which is not defined — add it under channels or fix the name",
			    who, v);
	if (!(r->channel = dup_or_fail(p, v)))
		return -1;

	if (runner_address(p, g, who, r, &line) < 0)
		return -1;
	first = find_or_add(p, p->by_address, idx, 1);
	if (first >= 0)
		return perr(p, line, "%s has the same address \"%s\" on channel \"%s\" as runner \"%s\" (line %d) — give each runner their own address",
			    who, r->address, r->channel,
			    cfg->runners[first].name, cfg->runners[first].line);

	if (!(v = runner_string(p, g, who, "zone", "\"Europe/Berlin\"", 1, &rc,
				&line)))
		return -1;
	if (!zone_name_ok(v))
		return perr(p, line, "%s: time zone \"%s\" is not a zone name — use an IANA name such as Europe/Berlin",
			    who, v);
	if (!cfg_zone_exists(v))
		return perr(p, line, "%s: unknown time zone \"%s\" — use an IANA name such as Europe/Berlin (see %s)",
			    who, v, zone_dir());
	if (!(r->zone = dup_or_fail(p, v)))
		return -1;

	if (!(v = runner_string(p, g, who, "program", "\"iliopsoas\"", 1, &rc,
				&line)))
		return -1;
	if (!name_ok(v, CFG_FILE_NAME_MAX, 0, "_-"))
		return perr(p, line, "%s: program name \"%s\" is not valid — use a-z, 0-9, _ and - (the file name without .conf)",
			    who, v);
	char *file = NULL;
	if (asprintf(&file, "%s/%s.conf", cfg->program_dir, v) < 0)
		return perr(p, 0, "out of memory");
	if (file_present(file, why, sizeof why) != 0) {
		perr(p, line, "%s: program file %s %s — install it or set daemon.program_dir",
		     who, file, why);
		free(file);
		return -1;
	}
	free(file);
	if (!(r->program = dup_or_fail(p, v)))
		return -1;

	if (!(v = runner_string(p, g, who, "start", "\"YYYY-MM-DD\"", 1, &rc,
				&line)))
		return -1;
	if (!coach_day_parse(v, &r->start_day))
		return perr(p, line, "%s: start date \"%s\" is not a valid date — use YYYY-MM-DD, e.g. 2026-03-02",
			    who, v);

	if (runner_stretch(p, g, who, r) < 0 ||
	    runner_time(p, g, who, "strength", 1, &r->strength_min) < 0 ||
	    runner_time(p, g, who, "morning", 1, &r->morning_min) < 0)
		return -1;
	rc = runner_time(p, g, who, "evening", 0, &r->evening_min);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		r->evening_min = r->strength_min + 60;
		if (r->evening_min >= 24 * 60)
			return perr(p, line_of(config_setting_get_member(g, "strength")),
				    "%s: the evening check-in defaults to an hour after strength (%02d:%02d), which passes midnight — set evening = \"HH:MM\"; explicitly",
				    who, r->strength_min / 60, r->strength_min % 60);
	}
	return 0;
}

static int parse_runners(struct cfg_parse *p, const config_setting_t *rs)
{
	struct cfg *cfg = p->cfg;
	int n = config_setting_length(rs);

	if (n == 0)
		return perr(p, line_of(rs), "runners is empty — add at least one runner: runners = ( { name = \"...\"; ... } );");
	cfg->runners = calloc((size_t)n, sizeof *cfg->runners);
	if (!cfg->runners)
		return perr(p, 0, "out of memory");
	cfg->n_runners = (size_t)n; /* zeroed entries free cleanly */
	size_t cap = 16;
	while (cap < 2 * (size_t)n)
		cap *= 2;
	p->tab_mask = cap - 1;
	p->by_name = calloc(cap, sizeof *p->by_name);
	p->by_address = calloc(cap, sizeof *p->by_address);
	if (!p->by_name || !p->by_address)
		return perr(p, 0, "out of memory");
	for (int i = 0; i < n; i++)
		if (parse_runner(p, config_setting_get_elem(rs, (unsigned)i),
				 (size_t)i) < 0)
			return -1;
	return 0;
}

/* ---- the whole file ----------------------------------------------------- */

/* Checks the top level: only daemon (a group), channels (a group) and
 * runners (a list), and the last two present.  Stores them in d/chs/rs. */
static int parse_top(struct cfg_parse *p, const config_setting_t *root,
		     const config_setting_t **d, const config_setting_t **chs,
		     const config_setting_t **rs)
{
	for (int i = 0; i < config_setting_length(root); i++) {
		const config_setting_t *s = config_setting_get_elem(root, (unsigned)i);
		const char *name = config_setting_name(s);
		int t = config_setting_type(s);
		if (!strcmp(name, "daemon")) {
			if (t != CONFIG_TYPE_GROUP)
				return perr(p, line_of(s), "daemon must be a group, not %s — write daemon = { state_dir = \"...\"; ... };",
					    type_name(s));
			*d = s;
		} else if (!strcmp(name, "channels")) {
			if (t != CONFIG_TYPE_GROUP)
				return perr(p, line_of(s), "channels must be a group, not %s — write channels = { <name> = { plugin = \"...\"; }; };",
					    type_name(s));
			*chs = s;
		} else if (!strcmp(name, "runners")) {
			if (t != CONFIG_TYPE_LIST)
				return perr(p, line_of(s), "runners must be a list, not %s — write runners = ( { name = \"...\"; ... }, { ... } );",
					    type_name(s));
			*rs = s;
		} else {
			return perr(p, line_of(s), "unknown top-level setting \"%s\" — check the spelling (known: daemon, channels, runners)",
				    name);
		}
	}
	if (!*chs)
		return perr(p, 1, "no channels defined — add channels = { <name> = { plugin = \"...\"; }; };");
	if (!*rs)
		return perr(p, 1, "no runners defined — add runners = ( { name = \"...\"; ... } );");
	return 0;
}

/* The absolute directory of the config file, for relative paths: the
 * daemon may change its working directory later. */
static int find_dir(struct cfg_parse *p)
{
	char *copy = strdup(p->path);
	if (!copy)
		return perr(p, 0, "out of memory");
	char *slash = strrchr(copy, '/');
	const char *dir = ".";
	if (slash == copy)
		dir = "/";
	else if (slash) {
		*slash = '\0';
		dir = copy;
	}
	p->dir = realpath(dir, NULL);
	int saved = errno;
	free(copy);
	if (!p->dir)
		return perr(p, 0, "cannot resolve the file's directory: %s — check the path",
			    strerror(saved));
	return 0;
}

int cfg_load(const char *path, const char *plugin_dir_override,
	     const char *state_dir_override, struct cfg **out, char *err,
	     size_t errlen)
{
	struct cfg_parse p = {
		.path = path, .err = err, .errlen = errlen,
		.plugin_dir_given = plugin_dir_override != NULL,
	};
	config_t lc;
	char *text = NULL;
	const config_setting_t *d = NULL, *chs = NULL, *rs = NULL;
	int rc = -1;

	config_init(&lc);
	if (read_text(&p, &text) < 0 || find_dir(&p) < 0)
		goto fail;
	/* Before libconfig reads it: an @include is refused before
	 * libconfig opens the file it names, and an overlong string before
	 * libconfig spends minutes on it. */
	if (scan_literals(&p, text) < 0)
		goto fail;
	if (!config_read_file(&lc, path)) {
		const char *file = config_error_file(&lc);
		if (config_error_type(&lc) == CONFIG_ERR_FILE_IO)
			perr(&p, 0, "cannot read: %s — check the path and its permissions",
			     config_error_text(&lc));
		else {
			char why[CFG_ERR_MAX / 2];
			int line = config_error_line(&lc);
			cfg_syntax_explain(text, config_error_text(&lc), &line,
					   why, sizeof why);
			snprintf(err, errlen, "%s:%d: %s", file ? file : path,
				 line, why);
		}
		goto fail;
	}
	p.cfg = calloc(1, sizeof *p.cfg);
	if (!p.cfg) {
		perr(&p, 0, "out of memory");
		goto fail;
	}
	if (!(p.cfg->path = dup_or_fail(&p, path)))
		goto fail;
	if (parse_top(&p, config_root_setting(&lc), &d, &chs, &rs) < 0 ||
	    parse_daemon(&p, d, plugin_dir_override, state_dir_override) < 0 ||
	    parse_channels(&p, chs) < 0 || parse_runners(&p, rs) < 0)
		goto fail;

	*out = p.cfg;
	p.cfg = NULL;
	rc = 0;
fail:
	cfg_free(p.cfg);
	config_destroy(&lc);
	free(text);
	free(p.dir);
	free(p.by_name);
	free(p.by_address);
	return rc;
}
