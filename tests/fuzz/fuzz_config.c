/*
 * libFuzzer target for the rehabd.conf loader (cfg_load in
 * daemon/config.c): arbitrary bytes as the file.  cfg_load reads a path,
 * so each input is written to rehabd.conf in a scratch directory made at
 * the first run and removed at exit:
 *
 *   <scratch>/rehabd.conf         the input
 *   <scratch>/plugins/console.so  empty placeholders: cfg_load only
 *   <scratch>/plugins/telegram.so checks that the plugin file exists,
 *                                 nothing here is ever loaded
 *   <scratch>/programs/NAME.conf  empty, present for the same check
 *
 * plugin_dir and state_dir are always the fixed overrides (so an input
 * cannot name another plugin directory); the seeds set
 * program_dir = "programs", which resolves next to the file.
 *
 * Besides crashes, leaks and undefined behaviour (ASan+UBSan), it aborts
 * when
 *   - an error does not start with the path and ':';
 *   - a loaded config breaks the promises of config.h: the overrides not
 *     kept, no channel or runner, a runner on an undefined channel,
 *     2-3 stretch times not ascending, a time outside 00:00-23:59, an
 *     unknown zone, two runners with one name or one (channel, address),
 *     a setting left empty, log level or minutes out of range;
 *   - an integer kept as decimal text (an address, a plugin setting) is
 *     not in the file as written: libconfig 1.5 reads a plain integer
 *     with atoi, and the literal scan must refuse what it would cut;
 *   - a second load of the same file reads differently.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);

/*
 * libconfig before 1.7.3 (Debian ships 1.5) leaks the text of a string
 * token that the parser throws away on a syntax error (see
 * fuzz_program_file.c): suppress exactly those allocation sites.
 */
const char *__lsan_default_suppressions(void)
{
	return "leak:strbuf_append\nleak:libconfig_yylex\n";
}

/* Aborts naming the promise that broke, for the crash log. */
#define check(ok) ((ok) ? (void)0 : fuzz_fail(#ok, __LINE__))
static void fuzz_fail(const char *what, int line)
{
	fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, line, what);
	abort();
}

static char scratch[64];
static char conf_path[128], plugin_dir[128], state_dir[128];

static const char *const placeholders[] = {
	"plugins/console.so", "plugins/telegram.so",
	"programs/iliopsoas.conf", "programs/iliopsoas-eccentric.conf", NULL,
};

static void scratch_remove(void)
{
	char path[192];

	for (const char *const *p = placeholders; *p; p++) {
		snprintf(path, sizeof path, "%s/%s", scratch, *p);
		unlink(path);
	}
	unlink(conf_path);
	snprintf(path, sizeof path, "%s/plugins", scratch);
	rmdir(path);
	snprintf(path, sizeof path, "%s/programs", scratch);
	rmdir(path);
	rmdir(scratch);
}

static void scratch_make(void)
{
	char path[192];

	snprintf(scratch, sizeof scratch, "/tmp/rehabd-fuzz-config.XXXXXX");
	check(mkdtemp(scratch) != NULL);
	atexit(scratch_remove);
	snprintf(conf_path, sizeof conf_path, "%s/rehabd.conf", scratch);
	snprintf(plugin_dir, sizeof plugin_dir, "%s/plugins", scratch);
	/* Never created: cfg_load does not look at it. */
	snprintf(state_dir, sizeof state_dir, "%s/state", scratch);
	check(mkdir(plugin_dir, 0700) == 0);
	snprintf(path, sizeof path, "%s/programs", scratch);
	check(mkdir(path, 0700) == 0);
	for (const char *const *p = placeholders; *p; p++) {
		snprintf(path, sizeof path, "%s/%s", scratch, *p);
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		check(fd >= 0);
		close(fd);
	}
}

static void write_input(const uint8_t *data, size_t size)
{
	int fd = open(conf_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	size_t done = 0;

	check(fd >= 0);
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);
		check(n > 0);
		done += (size_t)n;
	}
	close(fd);
}

static int is_decimal(const char *s)
{
	if (*s == '-')
		s++;
	return *s && strspn(s, "0123456789") == strlen(s);
}

/* 1 unless s is decimal text absent from the input (which holds no hex
 * literal, whose value is written in decimal). */
static int as_written(const char *s, const uint8_t *data, size_t size,
		      int hex)
{
	return hex || !is_decimal(s) || memmem(data, size, s, strlen(s));
}

/* 1 when the input may hold a number with a fraction or an exponent,
 * which a plugin setting keeps as its shortest text (1e5: "100000"). */
static int has_float(const uint8_t *data, size_t size)
{
	for (size_t i = 0; i + 1 < size; i++)
		if ((data[i] >= '0' && data[i] <= '9' &&
		     strchr(".eE", data[i + 1]) && data[i + 1]) ||
		    (data[i] == '.' && data[i + 1] >= '0' && data[i + 1] <= '9'))
			return 1;
	return 0;
}

static int time_ok(int m)
{
	return m >= 0 && m < 24 * 60;
}

static void check_cfg(const struct cfg *c, const uint8_t *data, size_t size)
{
	int hex = memmem(data, size, "0x", 2) || memmem(data, size, "0X", 2);
	int fl = hex || has_float(data, size);

	check(!strcmp(c->path, conf_path));
	check(!strcmp(c->plugin_dir, plugin_dir) &&
	      !strcmp(c->state_dir, state_dir));
	check(c->program_dir && c->program_dir[0] == '/');
	check(c->log_level >= CFG_LOG_ERROR && c->log_level <= CFG_LOG_DEBUG);
	check(c->grace_minutes >= 0 && c->grace_minutes <= 1440);
	check(c->send_expiry_minutes >= 1 && c->send_expiry_minutes <= 10080);
	check(c->n_channels >= 1 && c->n_runners >= 1);
	for (size_t i = 0; i < c->n_channels; i++) {
		const struct cfg_channel *ch = &c->channels[i];
		check(ch->name && ch->name[0] && ch->plugin && ch->plugin[0]);
		check(cfg_channel_find(c, ch->name) == ch);
		for (size_t j = 0; j < ch->n_settings; j++) {
			const struct cfg_setting *s = &ch->settings[j];
			check(s->key && s->value && strcmp(s->key, "plugin"));
			check(as_written(s->value, data, size, fl));
		}
	}
	for (size_t i = 0; i < c->n_runners; i++) {
		const struct cfg_runner *r = &c->runners[i];
		check(r->name && r->channel && r->address && r->zone &&
		      r->program);
		check(r->name[0] && r->address[0] && r->program[0]);
		check(cfg_runner_find(c, r->name) == r);
		check(cfg_channel_find(c, r->channel) != NULL);
		check(cfg_zone_exists(r->zone));
		check(r->n_stretch >= 2 && r->n_stretch <= CFG_MAX_STRETCH);
		for (int k = 0; k < r->n_stretch; k++)
			check(time_ok(r->stretch_min[k]) &&
			      (k == 0 || r->stretch_min[k] > r->stretch_min[k - 1]));
		check(time_ok(r->strength_min) && time_ok(r->morning_min) &&
		      time_ok(r->evening_min));
		check(as_written(r->address, data, size, hex));
		for (size_t j = 0; j < i; j++)
			check(strcmp(c->runners[j].channel, r->channel) ||
			      strcmp(c->runners[j].address, r->address));
	}
}

/* Two loads of one file: the same settings in the same order. */
static void check_same(const struct cfg *a, const struct cfg *b)
{
	check(a->n_channels == b->n_channels && a->n_runners == b->n_runners &&
	      !strcmp(a->program_dir, b->program_dir) &&
	      a->log_level == b->log_level &&
	      a->grace_minutes == b->grace_minutes &&
	      a->send_expiry_minutes == b->send_expiry_minutes);
	for (size_t i = 0; i < a->n_channels; i++) {
		const struct cfg_channel *x = &a->channels[i], *y = &b->channels[i];
		check(!strcmp(x->name, y->name) && !strcmp(x->plugin, y->plugin) &&
		      x->n_settings == y->n_settings);
		for (size_t j = 0; j < x->n_settings; j++)
			check(!strcmp(x->settings[j].key, y->settings[j].key) &&
			      !strcmp(x->settings[j].value, y->settings[j].value) &&
			      x->settings[j].line == y->settings[j].line);
	}
	for (size_t i = 0; i < a->n_runners; i++) {
		const struct cfg_runner *x = &a->runners[i], *y = &b->runners[i];
		check(!strcmp(x->name, y->name) && !strcmp(x->address, y->address) &&
		      !strcmp(x->channel, y->channel) && !strcmp(x->zone, y->zone) &&
		      !strcmp(x->program, y->program) &&
		      x->start_day == y->start_day && x->n_stretch == y->n_stretch &&
		      !memcmp(x->stretch_min, y->stretch_min, sizeof x->stretch_min) &&
		      x->strength_min == y->strength_min &&
		      x->morning_min == y->morning_min &&
		      x->evening_min == y->evening_min && x->line == y->line);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg *a = NULL, *b = NULL;
	char err[CFG_ERR_MAX], err2[CFG_ERR_MAX];
	size_t pl;
	int rc, rc2;

	if (!scratch[0])
		scratch_make();
	write_input(data, size);
	memset(err, 0, sizeof err);
	rc = cfg_load(conf_path, plugin_dir, state_dir, &a, err, sizeof err);
	check(rc == 0 || rc == -1);
	if (rc == 0) {
		check(a != NULL);
		check_cfg(a, data, size);
	} else {
		pl = strlen(conf_path);
		/* One message about this file.  It may quote a value with a
		 * line break in it: the edge makes every message one line
		 * (log_one_line), so cfg_load need not. */
		check(!strncmp(err, conf_path, pl) && err[pl] == ':' &&
		      err[pl + 1]);
	}

	rc2 = cfg_load(conf_path, plugin_dir, state_dir, &b, err2, sizeof err2);
	check(rc2 == rc);
	if (rc == 0)
		check_same(a, b);
	else
		check(!strcmp(err, err2));
	cfg_free(a);
	cfg_free(b);
	return 0;
}
