/*
 * rehabd.conf parsing and validation: a good file read field by field,
 * a table of bad files each with its exact "file:line: message", the
 * small parsers, the zone check, the command-line overrides, and the
 * shipped conf/rehabd.conf.
 *
 * Every case runs in a temporary directory holding the config file, a
 * plugin dir with empty console.so and telegram.so (the config only checks
 * that plugin files exist) and a program dir with iliopsoas.conf.
 */
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "coach/coach_date.h"
#include "config.h"

static char dir[PATH_MAX];     /* the temporary directory (canonical) */
static char conf[PATH_MAX + 32]; /* dir/rehabd.conf */
static char plugins[PATH_MAX + 32];

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) < 0, 0);
	assert_int_equal(fclose(f), 0);
}

static void in_dir(char *out, size_t len, const char *name)
{
	assert_true(snprintf(out, len, "%s/%s", dir, name) < (int)len);
}

static int setup(void **state)
{
	char tmpl[] = "/tmp/rehabd-test-config-XXXXXX", path[PATH_MAX + 64];
	(void)state;
	if (!mkdtemp(tmpl) || !realpath(tmpl, dir))
		return -1;
	in_dir(conf, sizeof conf, "rehabd.conf");
	in_dir(plugins, sizeof plugins, "plugins");
	const char *dirs[] = { "plugins", "plugins/dir.so", "programs", "zi",
			       "zi/Fake" };
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		in_dir(path, sizeof path, dirs[i]);
		if (mkdir(path, 0700) != 0)
			return -1;
	}
	const struct { const char *name, *text; } files[] = {
		{ "plugins/console.so", "" },
		{ "plugins/telegram.so", "" },
		{ "programs/iliopsoas.conf", "" },
		{ "zi/Fake/Zone", "TZif2 and the rest of a zone file" },
		{ "zi/Fake/Text", "not a zone file" },
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		in_dir(path, sizeof path, files[i].name);
		write_file(path, files[i].text);
	}
	return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	(void)state;
	return nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Copies tmpl into out, replacing {CONF}, {DIR}, {TZDIR},
 * {PLUGIN_DEFAULT} and {PROGRAM_DEFAULT}. */
static void expand(const char *tmpl, char *out, size_t len)
{
	const char *tz = getenv("TZDIR");
	const struct { const char *key, *value; } subst[] = {
		{ "{CONF}", conf },
		{ "{DIR}", dir },
		{ "{TZDIR}", tz && *tz ? tz : "/usr/share/zoneinfo" },
		{ "{PLUGIN_DEFAULT}", REHABD_PLUGIN_DIR },
		{ "{PROGRAM_DEFAULT}", REHABD_PROGRAM_DIR },
	};
	size_t used = 0;

	while (*tmpl) {
		size_t i, n = sizeof subst / sizeof subst[0];
		for (i = 0; i < n; i++)
			if (!strncmp(tmpl, subst[i].key, strlen(subst[i].key)))
				break;
		const char *piece = i < n ? subst[i].value : tmpl;
		size_t plen = i < n ? strlen(piece) : 1;
		assert_true(used + plen < len);
		memcpy(out + used, piece, plen);
		used += plen;
		tmpl += i < n ? strlen(subst[i].key) : 1;
	}
	out[used] = '\0';
}

/* Writes tmpl (expanded) as the config and loads it without overrides. */
static int load_text(const char *tmpl, struct cfg **out, char *err,
		     size_t errlen)
{
	char text[8192];
	expand(tmpl, text, sizeof text);
	write_file(conf, text);
	return cfg_load(conf, NULL, NULL, out, err, errlen);
}

/* ---- the good file -------------------------------------------------------- */

static const char good_conf[] =
	"# a good config; the line numbers matter\n"               /* 1 */
	"daemon = {\n"                                              /* 2 */
	"  state_dir = \"state\";\n"                                /* 3 */
	"  plugin_dir = \"plugins/\";\n"                            /* 4 */
	"  program_dir = \"{DIR}/programs\";\n"                     /* 5 */
	"  log_level = \"debug\";\n"                                /* 6 */
	"  grace_minutes = 90;\n"                                   /* 7 */
	"  send_expiry_minutes = 720;\n"                            /* 8 */
	"};\n"                                                      /* 9 */
	"channels = {\n"                                            /* 10 */
	"  con = { plugin = \"console\"; };\n"                      /* 11 */
	"  tg = {\n"                                                /* 12 */
	"    plugin = \"telegram\";\n"                              /* 13 */
	"    token_file = \"/etc/rehabd/telegram.token\";\n"        /* 14 */
	"    timeout = 50;\n"                                       /* 15 */
	"    big = 5000000001L;\n"                                  /* 16 */
	"    ratio = 0.25;\n"                                       /* 17 */
	"    verbose = true;\n"                                     /* 18 */
	"  };\n"                                                    /* 19 */
	"};\n"                                                      /* 20 */
	"runners = (\n"                                             /* 21 */
	"  { name = \"anna\"; channel = \"tg\"; address = -1001234567890L;\n" /* 22 */
	"    zone = \"Europe/Berlin\"; program = \"iliopsoas\"; start = \"2026-03-02\";\n"
	"    stretch = [ \"07:30\", \"13:00\", \"21:00\" ];\n"
	"    strength = \"18:00\"; morning = \"07:00\"; evening = \"20:30\"; },\n"
	"  {\n"                                                     /* 26 */
	"    name = \"Ben.K-2\"; channel = \"tg\"; address = 5000000001L;\n"
	"    zone = \"America/New_York\"; program = \"iliopsoas\"; start = \"2024-02-29\";\n"
	"    stretch = ( \"06:00\", \"23:59\" ); strength = \"17:15\"; morning = \"06:30\"; },\n"
	"  { name = \"cleo\"; channel = \"con\"; address = \"cleo at home\";\n" /* 30 */
	"    zone = \"UTC\"; program = \"iliopsoas\"; start = \"2026-12-31\";\n"
	"    stretch = [ \"00:00\", \"12:00\" ]; strength = \"22:59\"; morning = \"00:00\"; }\n"
	");\n";

static void assert_setting(const struct cfg_channel *c, size_t i,
			   const char *key, const char *value, int line)
{
	assert_true(i < c->n_settings);
	assert_string_equal(c->settings[i].key, key);
	assert_string_equal(c->settings[i].value, value);
	assert_int_equal(c->settings[i].line, line);
}

static void assert_path(const char *got, const char *name)
{
	char want[PATH_MAX + 64];
	in_dir(want, sizeof want, name);
	assert_string_equal(got, want);
}

static void test_good(void **state)
{
	struct cfg *cfg = NULL;
	char err[CFG_ERR_MAX] = "";
	(void)state;

	if (load_text(good_conf, &cfg, err, sizeof err) != 0)
		fail_msg("good config refused: %s", err);
	assert_string_equal(cfg->path, conf);
	assert_path(cfg->state_dir, "state");     /* relative to the file */
	assert_path(cfg->plugin_dir, "plugins");  /* trailing / dropped */
	assert_path(cfg->program_dir, "programs");
	assert_int_equal(cfg->log_level, CFG_LOG_DEBUG);
	assert_int_equal(cfg->grace_minutes, 90);
	assert_int_equal(cfg->send_expiry_minutes, 720);

	assert_int_equal(cfg->n_channels, 2);
	const struct cfg_channel *con = cfg_channel_find(cfg, "con");
	const struct cfg_channel *tg = cfg_channel_find(cfg, "tg");
	assert_ptr_equal(con, &cfg->channels[0]);
	assert_ptr_equal(tg, &cfg->channels[1]);
	assert_null(cfg_channel_find(cfg, "sms"));
	assert_null(cfg_channel_find(cfg, NULL));
	assert_string_equal(con->plugin, "console");
	assert_int_equal(con->line, 11);
	assert_int_equal(con->n_settings, 0);
	assert_string_equal(tg->plugin, "telegram");
	assert_int_equal(tg->line, 12);
	assert_int_equal(tg->n_settings, 5);
	assert_setting(tg, 0, "token_file", "/etc/rehabd/telegram.token", 14);
	assert_setting(tg, 1, "timeout", "50", 15);
	assert_setting(tg, 2, "big", "5000000001", 16);
	assert_setting(tg, 3, "ratio", "0.25", 17);
	assert_setting(tg, 4, "verbose", "true", 18);

	assert_int_equal(cfg->n_runners, 3);
	const struct cfg_runner *a = cfg_runner_find(cfg, "anna");
	const struct cfg_runner *b = cfg_runner_find(cfg, "Ben.K-2");
	const struct cfg_runner *c = cfg_runner_find(cfg, "cleo");
	assert_ptr_equal(a, &cfg->runners[0]);
	assert_ptr_equal(b, &cfg->runners[1]);
	assert_ptr_equal(c, &cfg->runners[2]);
	assert_null(cfg_runner_find(cfg, "ben"));

	assert_string_equal(a->channel, "tg");
	assert_string_equal(a->address, "-1001234567890");
	assert_string_equal(a->zone, "Europe/Berlin");
	assert_string_equal(a->program, "iliopsoas");
	assert_int_equal(a->start_day, coach_day_from_ymd(2026, 3, 2));
	assert_int_equal(a->n_stretch, 3);
	assert_int_equal(a->stretch_min[0], 7 * 60 + 30);
	assert_int_equal(a->stretch_min[1], 13 * 60);
	assert_int_equal(a->stretch_min[2], 21 * 60);
	assert_int_equal(a->strength_min, 18 * 60);
	assert_int_equal(a->morning_min, 7 * 60);
	assert_int_equal(a->evening_min, 20 * 60 + 30);
	assert_int_equal(a->line, 22);

	assert_string_equal(b->channel, "tg");
	assert_string_equal(b->address, "5000000001");
	assert_string_equal(b->zone, "America/New_York");
	assert_int_equal(b->start_day, coach_day_from_ymd(2024, 2, 29));
	assert_int_equal(b->n_stretch, 2);
	assert_int_equal(b->stretch_min[0], 6 * 60);
	assert_int_equal(b->stretch_min[1], 23 * 60 + 59);
	assert_int_equal(b->strength_min, 17 * 60 + 15);
	assert_int_equal(b->morning_min, 6 * 60 + 30);
	assert_int_equal(b->evening_min, 18 * 60 + 15); /* strength + 60 */
	assert_int_equal(b->line, 26);

	assert_string_equal(c->address, "cleo at home");
	assert_string_equal(c->zone, "UTC");
	assert_int_equal(c->start_day, coach_day_from_ymd(2026, 12, 31));
	assert_int_equal(c->stretch_min[0], 0);
	assert_int_equal(c->evening_min, 23 * 60 + 59); /* 22:59 + 60, just fits */
	assert_int_equal(c->line, 30);
	cfg_free(cfg);
}

/* Defaults, and the overrides that replace plugin_dir and state_dir
 * (used as given, not resolved against the file). */
static void test_defaults_and_overrides(void **state)
{
	struct cfg *cfg = NULL;
	char err[CFG_ERR_MAX] = "";
	(void)state;

	write_file(conf,
		   "daemon = { plugin_dir = \"nowhere\"; state_dir = \"/x\"; program_dir = \"programs\"; };\n"
		   "channels = { con = { plugin = \"console\"; }; };\n"
		   "runners = ( { name = \"anna\"; channel = \"con\"; address = 7;\n"
		   "  zone = \"Europe/Berlin\"; program = \"iliopsoas\"; start = \"2026-03-02\";\n"
		   "  stretch = [ \"07:30\", \"13:00\" ]; strength = \"18:00\"; morning = \"07:00\"; } );\n");
	if (cfg_load(conf, plugins, "relative/state", &cfg, err, sizeof err) != 0)
		fail_msg("refused: %s", err);
	assert_string_equal(cfg->plugin_dir, plugins);
	assert_string_equal(cfg->state_dir, "relative/state");
	assert_int_equal(cfg->log_level, CFG_LOG_INFO);
	assert_int_equal(cfg->grace_minutes, 120);
	assert_int_equal(cfg->send_expiry_minutes, 360);
	assert_string_equal(cfg->runners[0].address, "7");
	assert_int_equal(cfg->runners[0].evening_min, 19 * 60);
	cfg_free(cfg);

	/* Without the override the file's plugin_dir is used... */
	cfg = NULL;
	assert_int_equal(cfg_load(conf, NULL, NULL, &cfg, err, sizeof err), -1);
	assert_null(cfg);
	char want[4 * PATH_MAX];
	expand("{CONF}:2: channel \"con\": plugin file {DIR}/nowhere/console.so not found — install the plugin or set daemon.plugin_dir",
	       want, sizeof want);
	assert_string_equal(err, want);

	/* ...and a wrong override is named as such. */
	assert_int_equal(cfg_load(conf, "/nonexistent-dir", NULL, &cfg, err,
				  sizeof err), -1);
	expand("{CONF}:2: channel \"con\": plugin file /nonexistent-dir/console.so not found — install the plugin or fix --plugin-dir",
	       want, sizeof want);
	assert_string_equal(err, want);

	/* Without daemon settings, the state dir is /var/lib/rehabd. */
	write_file(conf,
		   "channels = { con = { plugin = \"console\"; }; };\n"
		   "daemon = { program_dir = \"programs\"; };\n"
		   "runners = ( { name = \"anna\"; channel = \"con\"; address = \"a\";\n"
		   "  zone = \"Europe/Berlin\"; program = \"iliopsoas\"; start = \"2026-03-02\";\n"
		   "  stretch = [ \"07:30\", \"13:00\" ]; strength = \"18:00\"; morning = \"07:00\"; } );\n");
	if (cfg_load(conf, plugins, NULL, &cfg, err, sizeof err) != 0)
		fail_msg("refused: %s", err);
	assert_string_equal(cfg->state_dir, "/var/lib/rehabd");
	cfg_free(cfg);
}

/* ---- the bad files ---------------------------------------------------------- */

/* The usual first two lines, then runners from line 3 with one runner
 * group on line 4. */
#define DAEMON "daemon = { plugin_dir = \"plugins\"; program_dir = \"programs\"; };\n"
#define CHANNELS "channels = { con = { plugin = \"console\"; }; };\n"
#define HEAD DAEMON CHANNELS
#define RUNNERS1(body) "runners = (\n  { " body " }\n);\n"
#define ID(n, a) "name = \"" n "\"; channel = \"con\"; address = \"" a "\"; "
#define WHERE "zone = \"Europe/Berlin\"; program = \"iliopsoas\"; start = \"2026-03-02\"; "
#define TIMES "stretch = [ \"07:30\", \"13:00\" ]; strength = \"18:00\"; morning = \"07:00\"; "
#define ANNA ID("anna", "a") WHERE TIMES
#define ANNA_NO(before, after) ID("anna", "a") before after
#define TIMES_WITH(stretch, strength, morning) \
	"stretch = " stretch "; strength = " strength "; morning = " morning "; "
#define ANNA_T(stretch, strength, morning) \
	ID("anna", "a") WHERE TIMES_WITH(stretch, strength, morning)
#define MSG_TIME "is not a valid time — use HH:MM between 00:00 and 23:59"
#define RUNNER_KEYS "name, channel, address, zone, program, start, stretch, strength, morning, evening"
#define HINT_2_3 "give 2 or 3 times, e.g. [ \"07:30\", \"13:00\", \"21:00\" ]"

/* Columns: what the row shows, the config text, the exact message
 * ({CONF} the file, {DIR} its directory; see expand()). */
static const struct {
	const char *what, *text, *msg;
} bad_rows[] = {
	/* syntax and the file as a whole */
	{ "syntax error, with its line",
	  HEAD "runners = (\n  { name = \"anna\";\n    channel = \"con\" = ; }\n);\n",
	  "{CONF}:5: syntax error — fix the syntax on or just before this line (settings read name = value;)" },
	{ "duplicate channel (libconfig)",
	  DAEMON "channels = {\n  con = { plugin = \"console\"; };\n  con = { plugin = \"console\"; };\n};\n" RUNNERS1(ANNA),
	  "{CONF}:4: \"con\" is set twice in the same group — keep one of them" },
	{ "integer too large for libconfig's int",
	  HEAD "runners = (\n  { " ID("anna", "a") WHERE TIMES "},\n  { name = \"ben\"; channel = \"con\";\n    address = 5000000001; " WHERE TIMES "}\n);\n",
	  "{CONF}:6: number 5000000001 does not fit in a plain integer — write it as a string (\"5000000001\") or with an L suffix (5000000001L)" },
	{ "negative integer too large",
	  HEAD RUNNERS1("name = \"anna\"; channel = \"con\"; address = -1001234567890; " WHERE TIMES),
	  "{CONF}:4: number -1001234567890 does not fit in a plain integer — write it as a string (\"-1001234567890\") or with an L suffix (-1001234567890L)" },
	{ "integer beyond 64 bits",
	  "channels = { con = { plugin = \"console\"; n = 99999999999999999999L; }; };\n",
	  "{CONF}:1: number 99999999999999999999L does not fit in 64 bits — write it as a string (\"99999999999999999999L\")" },
	{ "@include",
	  HEAD "@include \"{DIR}/programs/iliopsoas.conf\"\n" RUNNERS1(ANNA),
	  "{CONF}:3: @include is not supported — put all settings in this one file" },

	/* top level */
	{ "unknown top-level setting",
	  HEAD "verbose = true;\n" RUNNERS1(ANNA),
	  "{CONF}:3: unknown top-level setting \"verbose\" — check the spelling (known: daemon, channels, runners)" },
	{ "daemon not a group",
	  "daemon = \"fast\";\n" CHANNELS RUNNERS1(ANNA),
	  "{CONF}:1: daemon must be a group, not a string — write daemon = { state_dir = \"...\"; ... };" },
	{ "channels not a group",
	  DAEMON "channels = ( 1 );\n" RUNNERS1(ANNA),
	  "{CONF}:2: channels must be a group, not a list — write channels = { <name> = { plugin = \"...\"; }; };" },
	{ "runners not a list",
	  HEAD "runners = { anna = { name = \"anna\"; }; };\n",
	  "{CONF}:3: runners must be a list, not a group — write runners = ( { name = \"...\"; ... }, { ... } );" },
	{ "no channels",
	  DAEMON "runners = ( );\n",
	  "{CONF}:1: no channels defined — add channels = { <name> = { plugin = \"...\"; }; };" },
	{ "no runners",
	  HEAD,
	  "{CONF}:1: no runners defined — add runners = ( { name = \"...\"; ... } );" },
	{ "empty channels",
	  DAEMON "channels = { };\n" RUNNERS1(ANNA),
	  "{CONF}:2: channels is empty — define at least one channel, e.g. console = { plugin = \"console\"; };" },
	{ "empty runners",
	  HEAD "runners = ( );\n",
	  "{CONF}:3: runners is empty — add at least one runner: runners = ( { name = \"...\"; ... } );" },

	/* daemon */
	{ "unknown daemon setting",
	  "daemon = {\n  plugin_dir = \"plugins\";\n  stat_dir = \"/x\";\n};\n" CHANNELS RUNNERS1(ANNA),
	  "{CONF}:3: unknown setting \"stat_dir\" in daemon — check the spelling (known: state_dir, plugin_dir, program_dir, log_level, grace_minutes, send_expiry_minutes)" },
	{ "bad log level",
	  "daemon = { log_level = \"verbose\"; };\n" CHANNELS RUNNERS1(ANNA),
	  "{CONF}:1: daemon.log_level \"verbose\" is not a log level — use error, warn, info or debug" },
	{ "grace too long",
	  "daemon = { grace_minutes = 1441; };\n" CHANNELS RUNNERS1(ANNA),
	  "{CONF}:1: daemon.grace_minutes 1441 is out of range — use 0 to 1440 minutes" },
	{ "grace negative",
	  "daemon = { grace_minutes = -1; };\n" CHANNELS RUNNERS1(ANNA),
	  "{CONF}:1: daemon.grace_minutes -1 is out of range — use 0 to 1440 minutes" },
	{ "send expiry zero",
	  "daemon = { send_expiry_minutes = 0; };\n" CHANNELS RUNNERS1(ANNA),
	  "{CONF}:1: daemon.send_expiry_minutes 0 is out of range — use 1 to 10080 minutes" },
	{ "grace as a string",
	  "daemon = { grace_minutes = \"120\"; };\n" CHANNELS RUNNERS1(ANNA),
	  "{CONF}:1: daemon.grace_minutes must be an integer, not a string — write a whole number without quotes" },
	{ "state_dir as a number",
	  "daemon = { state_dir = 5; };\n" CHANNELS RUNNERS1(ANNA),
	  "{CONF}:1: daemon.state_dir must be a string, not an integer — put the value in double quotes" },
	{ "empty program_dir",
	  "daemon = { program_dir = \"\"; };\n" CHANNELS RUNNERS1(ANNA),
	  "{CONF}:1: daemon.program_dir is empty — give a value or leave the setting out" },

	/* channels */
	{ "bad channel name",
	  DAEMON "channels = { Con = { plugin = \"console\"; }; };\n" RUNNERS1(ANNA),
	  "{CONF}:2: channel name \"Con\" is not valid — use up to 32 characters from a-z, 0-9, _ and -" },
	{ "channel not a group",
	  DAEMON "channels = { con = \"console\"; };\n" RUNNERS1(ANNA),
	  "{CONF}:2: channel \"con\" must be a group, not a string — write con = { plugin = \"...\"; };" },
	{ "channel without plugin",
	  DAEMON "channels = {\n  con = {\n    token = \"x\"; };\n};\n" RUNNERS1(ANNA),
	  "{CONF}:3: channel \"con\" has no plugin — add plugin = \"<name>\"; (the file <plugin_dir>/<name>.so)" },
	{ "plugin not a string",
	  DAEMON "channels = { con = { plugin = true; }; };\n" RUNNERS1(ANNA),
	  "{CONF}:2: channel \"con\": plugin must be a string, not true/false — put the plugin's name in double quotes" },
	{ "plugin name like a path",
	  DAEMON "channels = { con = { plugin = \"../console\"; }; };\n" RUNNERS1(ANNA),
	  "{CONF}:2: channel \"con\": plugin name \"../console\" is not valid — use a-z, 0-9 and _ (the file name without .so)" },
	{ "missing plugin file",
	  DAEMON "channels = {\n  con = { plugin = \"console\"; };\n  text = { plugin = \"sms\"; };\n};\n" RUNNERS1(ANNA),
	  "{CONF}:4: channel \"text\": plugin file {DIR}/plugins/sms.so not found — install the plugin or set daemon.plugin_dir" },
	{ "plugin file is a directory",
	  DAEMON "channels = { con = { plugin = \"dir\"; }; };\n" RUNNERS1(ANNA),
	  "{CONF}:2: channel \"con\": plugin file {DIR}/plugins/dir.so is not a regular file — install the plugin or set daemon.plugin_dir" },
	{ "missing plugin file in the default plugin dir",
	  "daemon = { program_dir = \"programs\"; };\n"
	  "channels = { con = { plugin = \"zz_no_such_plugin\"; }; };\n" RUNNERS1(ANNA),
	  "{CONF}:2: channel \"con\": plugin file {PLUGIN_DEFAULT}/zz_no_such_plugin.so not found — install the plugin or set daemon.plugin_dir" },
	{ "plugin setting that is an array",
	  DAEMON "channels = { con = { plugin = \"console\"; rooms = [ \"a\" ]; }; };\n" RUNNERS1(ANNA),
	  "{CONF}:2: channel \"con\": setting \"rooms\" must be a single value, not an array — use a string, a number or true/false" },
	{ "plugin setting that is a group",
	  DAEMON "channels = { con = { plugin = \"console\";\n  tls = { verify = true; }; }; };\n" RUNNERS1(ANNA),
	  "{CONF}:3: channel \"con\": setting \"tls\" must be a single value, not a group — use a string, a number or true/false" },

	/* runners: shape and keys */
	{ "runner not a group",
	  HEAD "runners = ( \"anna\" );\n",
	  "{CONF}:3: runner #1 must be a group, not a string — write { name = \"...\"; channel = \"...\"; ... }" },
	{ "runner without a name",
	  HEAD "runners = (\n  { " ANNA "},\n  {\n    channel = \"con\"; }\n);\n",
	  "{CONF}:5: runner #2 has no name — add name = \"...\";" },
	{ "bad runner name",
	  HEAD RUNNERS1("name = \"an na\"; channel = \"con\"; address = \"a\"; " WHERE TIMES),
	  "{CONF}:4: runner name \"an na\" is not valid — use up to 32 characters from A-Z, a-z, 0-9, _, . and -" },
	{ "runner name too long",
	  HEAD RUNNERS1("name = \"abcdefghijklmnopqrstuvwxyz0123456\"; channel = \"con\"; address = \"a\"; " WHERE TIMES),
	  "{CONF}:4: runner name \"abcdefghijklmnopqrstuvwxyz0123456\" is not valid — use up to 32 characters from A-Z, a-z, 0-9, _, . and -" },
	{ "unknown runner setting",
	  HEAD "runners = (\n  { " ANNA "\n    colour = \"red\"; }\n);\n",
	  "{CONF}:5: runner \"anna\": unknown setting \"colour\" — check the spelling (known: " RUNNER_KEYS ")" },
	{ "runner without a zone",
	  HEAD RUNNERS1(ID("anna", "a") "program = \"iliopsoas\"; start = \"2026-03-02\"; " TIMES),
	  "{CONF}:4: runner \"anna\" has no zone — add zone = \"Europe/Berlin\";" },
	{ "runner without a morning",
	  HEAD RUNNERS1(ID("anna", "a") WHERE "stretch = [ \"07:30\", \"13:00\" ]; strength = \"18:00\";"),
	  "{CONF}:4: runner \"anna\" has no morning — add morning = \"HH:MM\";" },
	{ "zone as a number",
	  HEAD RUNNERS1(ID("anna", "a") "zone = 1; program = \"iliopsoas\"; start = \"2026-03-02\"; " TIMES),
	  "{CONF}:4: runner \"anna\": zone must be a string, not an integer — write zone = \"Europe/Berlin\";" },
	{ "strength as a number",
	  HEAD RUNNERS1(ANNA_T("[ \"07:30\", \"13:00\" ]", "1800", "\"07:00\"")),
	  "{CONF}:4: runner \"anna\": strength must be a string, not an integer — write strength = \"HH:MM\";" },

	/* runners: channel and address */
	{ "runner on an undefined channel",
	  HEAD "runners = (\n  { " ANNA "},\n  { name = \"ben\"; channel = \"sms\"; address = \"b\"; " WHERE TIMES "}\n);\n",
	  "{CONF}:5: runner \"ben\" uses channel \"sms\", which is not defined — add it under channels or fix the name" },
	{ "duplicate runner",
	  HEAD "runners = (\n  {\n    " ANNA "},\n  { " ID("anna", "b") WHERE TIMES "}\n);\n",
	  "{CONF}:6: runner \"anna\" is defined twice (first at line 4) — give each runner a unique name" },
	{ "duplicate (channel, address)",
	  HEAD "runners = (\n  { " ANNA "},\n  { " ID("ben", "a") WHERE TIMES "}\n);\n",
	  "{CONF}:5: runner \"ben\" has the same address \"a\" on channel \"con\" as runner \"anna\" (line 4) — give each runner their own address" },
	{ "duplicate address, number and string",
	  HEAD "runners = (\n  { name = \"anna\"; channel = \"con\"; address = 5000000001L; " WHERE TIMES "},\n"
	  "  { name = \"ben\"; channel = \"con\"; address = \"5000000001\"; " WHERE TIMES "}\n);\n",
	  "{CONF}:5: runner \"ben\" has the same address \"5000000001\" on channel \"con\" as runner \"anna\" (line 4) — give each runner their own address" },
	{ "empty address",
	  HEAD RUNNERS1(ID("anna", "") WHERE TIMES),
	  "{CONF}:4: runner \"anna\": address is empty — give the runner's address on channel \"con\"" },
	{ "address as a float",
	  HEAD RUNNERS1("name = \"anna\"; channel = \"con\"; address = 1.5; " WHERE TIMES),
	  "{CONF}:4: runner \"anna\": address must be a string or an integer, not a number with a fraction — write address = \"...\";" },

	/* runners: zone, program, start */
	{ "unknown zone",
	  HEAD RUNNERS1(ANNA_NO("zone = \"Europe/Berln\"; ", "program = \"iliopsoas\"; start = \"2026-03-02\"; " TIMES)),
	  "{CONF}:4: runner \"anna\": unknown time zone \"Europe/Berln\" — use an IANA name such as Europe/Berlin (see {TZDIR})" },
	{ "zone as an absolute path",
	  HEAD RUNNERS1(ANNA_NO("zone = \"/etc/localtime\"; ", "program = \"iliopsoas\"; start = \"2026-03-02\"; " TIMES)),
	  "{CONF}:4: runner \"anna\": time zone \"/etc/localtime\" is not a zone name — use an IANA name such as Europe/Berlin" },
	{ "zone climbing out with ..",
	  HEAD RUNNERS1(ANNA_NO("zone = \"../zoneinfo/UTC\"; ", "program = \"iliopsoas\"; start = \"2026-03-02\"; " TIMES)),
	  "{CONF}:4: runner \"anna\": time zone \"../zoneinfo/UTC\" is not a zone name — use an IANA name such as Europe/Berlin" },
	{ "empty zone",
	  HEAD RUNNERS1(ANNA_NO("zone = \"\"; ", "program = \"iliopsoas\"; start = \"2026-03-02\"; " TIMES)),
	  "{CONF}:4: runner \"anna\": time zone \"\" is not a zone name — use an IANA name such as Europe/Berlin" },
	{ "zone file that is not TZif",
	  HEAD RUNNERS1(ANNA_NO("zone = \"zone1970.tab\"; ", "program = \"iliopsoas\"; start = \"2026-03-02\"; " TIMES)),
	  "{CONF}:4: runner \"anna\": unknown time zone \"zone1970.tab\" — use an IANA name such as Europe/Berlin (see {TZDIR})" },
	{ "missing program file",
	  HEAD RUNNERS1(ANNA_NO("zone = \"Europe/Berlin\"; program = \"achilles\"; ", "start = \"2026-03-02\"; " TIMES)),
	  "{CONF}:4: runner \"anna\": program file {DIR}/programs/achilles.conf not found — install it or set daemon.program_dir" },
	{ "missing program file in the default program dir",
	  "daemon = { plugin_dir = \"plugins\"; };\n" CHANNELS RUNNERS1(ANNA),
	  "{CONF}:4: runner \"anna\": program file {PROGRAM_DEFAULT}/iliopsoas.conf not found — install it or set daemon.program_dir" },
	{ "program name like a path",
	  HEAD RUNNERS1(ANNA_NO("zone = \"Europe/Berlin\"; program = \"../programs/iliopsoas\"; ", "start = \"2026-03-02\"; " TIMES)),
	  "{CONF}:4: runner \"anna\": program name \"../programs/iliopsoas\" is not valid — use a-z, 0-9, _ and - (the file name without .conf)" },
	{ "start date that does not exist",
	  HEAD RUNNERS1(ANNA_NO("zone = \"Europe/Berlin\"; program = \"iliopsoas\"; start = \"2026-02-30\"; ", TIMES)),
	  "{CONF}:4: runner \"anna\": start date \"2026-02-30\" is not a valid date — use YYYY-MM-DD, e.g. 2026-03-02" },
	{ "start date in another format",
	  HEAD RUNNERS1(ANNA_NO("zone = \"Europe/Berlin\"; program = \"iliopsoas\"; start = \"02.03.2026\"; ", TIMES)),
	  "{CONF}:4: runner \"anna\": start date \"02.03.2026\" is not a valid date — use YYYY-MM-DD, e.g. 2026-03-02" },

	/* runners: times */
	{ "strength 25:00",
	  HEAD RUNNERS1(ANNA_T("[ \"07:30\", \"13:00\" ]", "\"25:00\"", "\"07:00\"")),
	  "{CONF}:4: runner \"anna\": strength time \"25:00\" " MSG_TIME },
	{ "morning 7:60",
	  HEAD RUNNERS1(ANNA_T("[ \"07:30\", \"13:00\" ]", "\"18:00\"", "\"7:60\"")),
	  "{CONF}:4: runner \"anna\": morning time \"7:60\" " MSG_TIME },
	{ "stretch 7.30",
	  HEAD RUNNERS1(ANNA_T("[ \"7.30\", \"13:00\" ]", "\"18:00\"", "\"07:00\"")),
	  "{CONF}:4: runner \"anna\": stretch time \"7.30\" " MSG_TIME },
	{ "evening empty",
	  HEAD RUNNERS1(ANNA "evening = \"\";"),
	  "{CONF}:4: runner \"anna\": evening time \"\" " MSG_TIME },
	{ "one stretch time",
	  HEAD RUNNERS1(ANNA_T("[ \"07:30\" ]", "\"18:00\"", "\"07:00\"")),
	  "{CONF}:4: runner \"anna\": stretch has 1 time — " HINT_2_3 },
	{ "four stretch times",
	  HEAD RUNNERS1(ANNA_T("[ \"07:30\", \"10:00\", \"13:00\", \"21:00\" ]", "\"18:00\"", "\"07:00\"")),
	  "{CONF}:4: runner \"anna\": stretch has 4 times — " HINT_2_3 },
	{ "stretch times out of order",
	  HEAD "runners = (\n  { " ANNA_NO(WHERE, "\n    stretch = [ \"13:00\",\n      \"07:30\" ]; strength = \"18:00\"; morning = \"07:00\";") " }\n);\n",
	  "{CONF}:6: runner \"anna\": stretch time \"07:30\" is not later than \"13:00\" — list different times from morning to night" },
	{ "stretch time twice",
	  HEAD RUNNERS1(ANNA_T("[ \"07:30\", \"13:00\", \"13:00\" ]", "\"18:00\"", "\"07:00\"")),
	  "{CONF}:4: runner \"anna\": stretch time \"13:00\" is not later than \"13:00\" — list different times from morning to night" },
	{ "stretch as one string",
	  HEAD RUNNERS1(ANNA_T("\"07:30\"", "\"18:00\"", "\"07:00\"")),
	  "{CONF}:4: runner \"anna\": stretch must be a list of 2 or 3 times, not a string — write stretch = [ \"07:30\", \"13:00\", \"21:00\" ];" },
	{ "stretch time as a number",
	  HEAD RUNNERS1(ANNA_T("( \"07:30\", 1300 )", "\"18:00\"", "\"07:00\"")),
	  "{CONF}:4: runner \"anna\": stretch time 2 must be a string, not an integer — write it as \"HH:MM\" in double quotes" },
	{ "default evening past midnight",
	  HEAD "runners = (\n  { " ID("anna", "a") WHERE "stretch = [ \"07:30\", \"13:00\" ];\n    strength = \"23:30\"; morning = \"07:00\"; }\n);\n",
	  "{CONF}:5: runner \"anna\": the evening check-in defaults to an hour after strength (23:30), which passes midnight — set evening = \"HH:MM\"; explicitly" },
};

static void test_bad(void **state)
{
	int failures = 0;
	(void)state;

	for (size_t i = 0; i < sizeof bad_rows / sizeof bad_rows[0]; i++) {
		struct cfg *cfg = NULL;
		char err[CFG_ERR_MAX] = "", want[2 * CFG_ERR_MAX];
		int rc = load_text(bad_rows[i].text, &cfg, err, sizeof err);
		expand(bad_rows[i].msg, want, sizeof want);
		if (rc != -1 || cfg != NULL || strcmp(err, want) != 0) {
			print_error("row %zu (%s):\n  rc %d\n  got  \"%s\"\n  want \"%s\"\n",
				    i, bad_rows[i].what, rc, err, want);
			failures++;
		}
		cfg_free(cfg);
	}
	assert_int_equal(failures, 0);
}

/* Writes a config with n runners, one per line from line 4 (runner i on
 * line 4 + i); runner `last_as` (if >= 0) lends the last runner its name
 * (dup_name) or its address. */
static void write_many(int n, int last_as, int dup_name)
{
	size_t cap = (size_t)n * 256 + 1024, used = 0;
	char *text = malloc(cap);
	assert_non_null(text);
	used += (size_t)snprintf(text, cap, "%s", HEAD "runners = (\n");
	for (int i = 0; i < n; i++) {
		int name = i, addr = i;
		if (i == n - 1 && last_as >= 0) {
			name = dup_name ? last_as : i;
			addr = dup_name ? i : last_as;
		}
		used += (size_t)snprintf(text + used, cap - used,
			"  { name = \"r%d\"; channel = \"con\"; address = %dL; " WHERE TIMES "}%s\n",
			name, 2000000000 + addr * 7919, i + 1 < n ? "," : "");
		assert_true(used < cap);
	}
	snprintf(text + used, cap - used, ");\n");
	write_file(conf, text);
	free(text);
}

/* Duplicates among many runners, found wherever they are. */
static void test_many_runners(void **state)
{
	struct cfg *cfg = NULL;
	char err[CFG_ERR_MAX], want[4 * PATH_MAX];
	(void)state;

	write_many(300, -1, 0);
	if (cfg_load(conf, NULL, NULL, &cfg, err, sizeof err) != 0)
		fail_msg("refused: %s", err);
	assert_int_equal(cfg->n_runners, 300);
	assert_string_equal(cfg_runner_find(cfg, "r299")->address,
			    "2002367781"); /* 2000000000 + 299 * 7919 */
	cfg_free(cfg);
	cfg = NULL;

	write_many(300, 17, 1);
	assert_int_equal(cfg_load(conf, NULL, NULL, &cfg, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s:303: runner \"r17\" is defined twice (first at line 21) — give each runner a unique name",
		 conf);
	assert_string_equal(err, want);

	write_many(300, 250, 0);
	assert_int_equal(cfg_load(conf, NULL, NULL, &cfg, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s:303: runner \"r299\" has the same address \"2001979750\" on channel \"con\" as runner \"r250\" (line 254) — give each runner their own address",
		 conf);
	assert_string_equal(err, want);
	assert_null(cfg);
}

/* Files that cannot be read at all have no line to point at. */
static void test_unreadable(void **state)
{
	struct cfg *cfg = NULL;
	char err[CFG_ERR_MAX], path[PATH_MAX + 64], want[4 * PATH_MAX];
	(void)state;

	in_dir(path, sizeof path, "missing.conf");
	assert_int_equal(cfg_load(path, NULL, NULL, &cfg, err, sizeof err), -1);
	assert_null(cfg);
	snprintf(want, sizeof want, "%s: cannot open: No such file or directory — check the path and its permissions",
		 path);
	assert_string_equal(err, want);

	in_dir(path, sizeof path, "programs");
	assert_int_equal(cfg_load(path, NULL, NULL, &cfg, err, sizeof err), -1);
	assert_null(cfg);
	snprintf(want, sizeof want, "%s: is not a regular file — give the path of rehabd.conf",
		 path);
	assert_string_equal(err, want);

	/* A 10 MB string: refused at its line at once (libconfig's lexer
	 * would take minutes), naming the line the string starts on. */
	in_dir(path, sizeof path, "long.conf");
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("daemon = {\n  state_dir = \"", f);
	for (int i = 0; i < 10 * 1024; i++)
		for (int k = 0; k < 1024; k++)
			fputc('x', f);
	fputs("\";\n};\n", f);
	fclose(f);
	assert_int_equal(cfg_load(path, NULL, NULL, &cfg, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s:2: a string of more than 65536 bytes", path);
	assert_non_null(strstr(err, want));
	unlink(path);

	/* Group or others may change it: refused, with the command. */
	in_dir(path, sizeof path, "shared.conf");
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("daemon = { };\n", f);
	fclose(f);
	for (int m = 0; m < 2; m++) {
		assert_int_equal(chmod(path, m ? 0646 : 0664), 0);
		assert_int_equal(cfg_load(path, NULL, NULL, &cfg, err, sizeof err), -1);
		assert_null(cfg);
		snprintf(want, sizeof want, "%s: can be changed by group or others (mode %s), and it says whom rehabd writes to — run chmod go-w %s",
			 path, m ? "646" : "664", path);
		assert_string_equal(err, want);
	}
	unlink(path);

	/* A FIFO (no writer): refused at once, not waited on. */
	in_dir(path, sizeof path, "fifo.conf");
	unlink(path);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(cfg_load(path, NULL, NULL, &cfg, err, sizeof err), -1);
	assert_null(cfg);
	snprintf(want, sizeof want, "%s: is not a regular file — give the path of rehabd.conf",
		 path);
	assert_string_equal(err, want);
	unlink(path);

	/* A NUL byte in a comment would hide from the literal scan an
	 * integer libconfig then truncates (found by fuzz_config). */
	in_dir(path, sizeof path, "nul.conf");
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("# x", f);
	fputc(0, f);
	fputs("\nrunners = ( { address = 5000000001; } );\n", f);
	fclose(f);
	assert_int_equal(cfg_load(path, NULL, NULL, &cfg, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s:1: a NUL byte", path);
	assert_non_null(strstr(err, want));
	/* A name that ends the file is read up to its end, not past it. */
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("da", f);
	fclose(f);
	assert_int_equal(cfg_load(path, NULL, NULL, &cfg, err, sizeof err), -1);
	unlink(path);
}

/* ---- the small parsers ----------------------------------------------------- */

/* Columns: text, minutes after midnight or -1. */
static const struct {
	const char *text;
	int minutes;
} hhmm_rows[] = {
	{ "00:00", 0 }, { "07:30", 450 }, { "12:05", 725 }, { "23:59", 1439 },
	{ "24:00", -1 }, { "25:00", -1 }, { "07:60", -1 }, { "7:60", -1 },
	{ "7:30", 450 }, { "0:05", 5 }, { "9:59", 599 }, { "7:5", -1 },
	{ ":30", -1 }, { "123:00", -1 }, { "7.30", -1 }, { "07.30", -1 }, { "0730", -1 },
	{ "", -1 }, { " 07:30", -1 }, { "07:30 ", -1 }, { "07:3a", -1 },
	{ "-1:00", -1 }, { "07:30:00", -1 }, { "ab:cd", -1 }, { NULL, -1 },
};

static void test_hhmm(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof hhmm_rows / sizeof hhmm_rows[0]; i++)
		if (cfg_parse_hhmm(hhmm_rows[i].text) != hhmm_rows[i].minutes)
			fail_msg("row %zu \"%s\": got %d, want %d", i,
				 hhmm_rows[i].text ? hhmm_rows[i].text : "(null)",
				 cfg_parse_hhmm(hhmm_rows[i].text),
				 hhmm_rows[i].minutes);
}

/* Columns: text, level or -1. */
static const struct {
	const char *text;
	int level;
} level_rows[] = {
	{ "error", CFG_LOG_ERROR }, { "warn", CFG_LOG_WARN },
	{ "info", CFG_LOG_INFO }, { "debug", CFG_LOG_DEBUG },
	{ "warning", -1 }, { "INFO", -1 }, { "", -1 }, { "trace", -1 },
	{ NULL, -1 },
};

static void test_log_level(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof level_rows / sizeof level_rows[0]; i++)
		assert_int_equal(cfg_parse_log_level(level_rows[i].text),
				 level_rows[i].level);
}

/* Columns: zone name, 1 when it names a zone, why. */
static const struct {
	const char *zone;
	int exists;
	const char *why;
} zone_rows[] = {
	{ "Europe/Berlin", 1, "a zone" },
	{ "America/New_York", 1, "a zone" },
	{ "UTC", 1, "a zone at the top" },
	{ "Europe/Berln", 0, "misspelt" },
	{ "Europe", 0, "a directory" },
	{ "zone1970.tab", 0, "a file that is not TZif" },
	{ "/usr/share/zoneinfo/UTC", 0, "absolute path" },
	{ "../zoneinfo/UTC", 0, "climbs out" },
	{ "Europe/../UTC", 0, ".. inside" },
	{ "./UTC", 0, ". component" },
	{ "Europe//Berlin", 0, "empty component" },
	{ "Europe/Berlin/", 0, "trailing slash" },
	{ "Europe/Berlin\n", 0, "control character" },
	{ "", 0, "empty" },
	{ NULL, 0, "NULL" },
};

static void test_zone_exists(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof zone_rows / sizeof zone_rows[0]; i++)
		if (cfg_zone_exists(zone_rows[i].zone) != zone_rows[i].exists)
			fail_msg("row %zu (%s): want %d", i, zone_rows[i].why,
				 zone_rows[i].exists);
}

/* TZDIR replaces the system's zone directory, as it does for the C
 * library, and only files starting with "TZif" count. */
static void test_tzdir(void **state)
{
	char zi[PATH_MAX + 64], want[4 * PATH_MAX], err[CFG_ERR_MAX];
	struct cfg *cfg = NULL;
	const char *old = getenv("TZDIR");
	char *saved = old ? strdup(old) : NULL;
	(void)state;

	in_dir(zi, sizeof zi, "zi");
	assert_int_equal(setenv("TZDIR", zi, 1), 0);
	assert_int_equal(cfg_zone_exists("Fake/Zone"), 1);
	assert_int_equal(cfg_zone_exists("Fake/Text"), 0);
	assert_int_equal(cfg_zone_exists("Europe/Berlin"), 0);

	int rc = load_text(HEAD RUNNERS1(ANNA_NO("zone = \"Fake/Zone\"; ", "program = \"iliopsoas\"; start = \"2026-03-02\"; " TIMES)),
			   &cfg, err, sizeof err);
	if (rc != 0)
		fail_msg("refused: %s", err);
	assert_string_equal(cfg->runners[0].zone, "Fake/Zone");
	cfg_free(cfg);
	cfg = NULL;
	assert_int_equal(load_text(HEAD RUNNERS1(ANNA), &cfg, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s:4: runner \"anna\": unknown time zone \"Europe/Berlin\" — use an IANA name such as Europe/Berlin (see %s)",
		 conf, zi);
	assert_string_equal(err, want);

	if (saved)
		assert_int_equal(setenv("TZDIR", saved, 1), 0);
	else
		assert_int_equal(unsetenv("TZDIR"), 0);
	free(saved);
}

/* ---- the shipped example ---------------------------------------------------- */

/* conf/rehabd.conf names its program dir relative to itself, so it loads
 * in place from the source tree with the overrides for the plugin and
 * state dirs, as `rehabd --plugin-dir --state-dir` would. */
static void test_shipped_example(void **state)
{
	char err[CFG_ERR_MAX], state_dir[PATH_MAX + 64];
	struct cfg *cfg = NULL;
	(void)state;

	in_dir(state_dir, sizeof state_dir, "state");
	if (cfg_load(TEST_SOURCE_DIR "/conf/rehabd.conf", plugins, state_dir, &cfg,
		     err, sizeof err) != 0)
		fail_msg("conf/rehabd.conf refused: %s", err);
	assert_string_equal(cfg->state_dir, state_dir);
	assert_string_equal(cfg->program_dir, TEST_SOURCE_DIR "/conf/programs");
	assert_int_equal(cfg->log_level, CFG_LOG_INFO);
	assert_int_equal(cfg->grace_minutes, 120);
	assert_int_equal(cfg->send_expiry_minutes, 360);

	assert_int_equal(cfg->n_channels, 1);
	const struct cfg_channel *tg = cfg_channel_find(cfg, "telegram");
	assert_non_null(tg);
	assert_string_equal(tg->plugin, "telegram");
	assert_int_equal(tg->n_settings, 1);
	assert_string_equal(tg->settings[0].key, "token_file");

	assert_int_equal(cfg->n_runners, 2);
	const struct cfg_runner *a = &cfg->runners[0], *b = &cfg->runners[1];
	assert_string_equal(a->zone, "Europe/Berlin");
	assert_int_equal(a->n_stretch, 3);
	assert_string_equal(a->program, "iliopsoas");
	assert_string_equal(b->zone, "America/New_York");
	assert_int_equal(b->n_stretch, 2);
	assert_string_equal(b->address, "5000000001");
	assert_int_equal(b->evening_min, 18 * 60 + 30);
	cfg_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_defaults_and_overrides),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_many_runners),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_hhmm),
		cmocka_unit_test(test_log_level),
		cmocka_unit_test(test_zone_exists),
		cmocka_unit_test(test_tzdir),
		cmocka_unit_test(test_shipped_example),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
