/*
 * The plugin loader against deliberately bad plugins (tests/plugins/):
 * wrong ABI major, no entry symbol, missing callbacks, failing open, and
 * unknown settings.
 */
#include <dlfcn.h>
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
#include <ev.h>

#include "engine.h"
#include "host.h"

/* Columns: plugin file, loads?, expected message (after the path). */
/* The host's ABI version as its messages write it ("1.2"). */
#define STR_(x) #x
#define STR(x) STR_(x)
#define HOST_ABI STR(REHABD_CHANNEL_ABI_MAJOR) "." STR(REHABD_CHANNEL_ABI_MINOR)

static const struct {
	const char *plugin;
	int ok;
	const char *message;
} load_rows[] = {
	{ "abi_v2", 0, "abi_v2.so: plugin ABI version 2.3 does not match rehabd's ABI version " HOST_ABI " — rebuild the plugin against this rehabd's include/rehabd/channel.h" },
	{ "no_entry", 0, "no_entry.so: no rehabd_channel_entry() — this is not a rehabd channel plugin" },
	{ "no_send", 0, "no_send.so: the plugin descriptor lacks send() — fix the plugin" },
	{ "missing", 0, "missing.so: plugin file not found — install the plugin or set daemon.plugin_dir" },
	{ "newer_minor", 1, NULL },
	{ "exec_stack", 0, "exec_stack.so: the plugin asks for an executable stack — rebuild it linked with -Wl,-z,noexecstack (rehabd_plugin() in CMake does)" },
	{ "failing_open", 1, NULL },
};

static void test_load_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof load_rows / sizeof load_rows[0]; i++) {
		void *dl = NULL;
		const struct rehabd_channel *desc = NULL;
		char err[512] = "", want[512];
		int rc = host_plugin_load(TEST_BAD_PLUGIN_DIR, load_rows[i].plugin,
					  &dl, &desc, err, sizeof err);
		assert_int_equal(rc == 0, load_rows[i].ok);
		if (rc == 0) {
			assert_non_null(desc);
			assert_string_equal(desc->name, load_rows[i].plugin);
			continue;
		}
		snprintf(want, sizeof want, "%s/%s", TEST_BAD_PLUGIN_DIR,
			 load_rows[i].message);
		assert_string_equal(err, want);
	}
}

static int cb_inbound(void *ctx, struct host_channel *ch,
		      const struct rehabd_inbound *m, size_t n, const char *c,
		      struct rehabd_inbound_result *r)
{
	(void)ctx; (void)ch; (void)m; (void)n; (void)c; (void)r;
	return 0;
}
static char *cb_cursor(void *ctx, struct host_channel *ch) { (void)ctx; (void)ch; return NULL; }
static void cb_done(void *ctx, struct host_channel *ch, uint64_t t,
		    const struct rehabd_send_result *r)
{
	(void)ctx; (void)ch; (void)t; (void)r;
}
static double cb_now(void *ctx) { (void)ctx; return 0; }

static const struct host_callbacks callbacks = {
	.inbound = cb_inbound, .cursor_load = cb_cursor, .send_done = cb_done,
	.now = cb_now,
};

/* A fake engine for the ABI 1.2 calls: one stored key, the last
 * reachability report. */
struct fake {
	char key[200], value[200];
	int has, sets;
	char reach_addr[64];
	int reachable;
};

static char *fk_get(void *ctx, struct host_channel *ch, const char *key)
{
	struct fake *f = ctx;
	(void)ch;
	return f->has && !strcmp(key, f->key) ? strdup(f->value) : NULL;
}

static int fk_set(void *ctx, struct host_channel *ch, const char *key,
		  const char *value)
{
	struct fake *f = ctx;
	(void)ch;
	f->sets++;
	snprintf(f->key, sizeof f->key, "%s", key);
	snprintf(f->value, sizeof f->value, "%s", value ? value : "");
	f->has = value != NULL;
	return 0;
}

static void fk_reach(void *ctx, struct host_channel *ch, const char *address,
		     int reachable, const char *reason)
{
	struct fake *f = ctx;
	(void)ch;
	(void)reason;
	snprintf(f->reach_addr, sizeof f->reach_addr, "%s", address);
	f->reachable = reachable;
}

static void test_failing_open_is_undone(void **state)
{
	struct ev_loop *loop = ev_loop_new(0);
	struct cfg cfg = { .path = "test.conf", .plugin_dir = TEST_BAD_PLUGIN_DIR };
	struct cfg_channel cc = { .name = "x", .plugin = "failing_open", .line = 7 };
	char err[512];
	(void)state;

	struct host_channel *ch = host_channel_new(loop, NULL, &cfg, &cc,
						   &callbacks, err, sizeof err);
	assert_non_null(ch);
	assert_int_equal(host_channel_open(ch, err, sizeof err), -1);
	assert_string_equal(err, "failing_open: refused on purpose");
	assert_false(host_channel_usable(ch));
	host_channel_free(ch); /* dlclose */
	/* Had the plugin's timer survived, this would run unloaded code. */
	ev_run(loop, 0);
	ev_loop_destroy(loop);
}

static void test_unknown_setting(void **state)
{
	struct ev_loop *loop = ev_loop_new(0);
	struct cfg cfg = { .path = "rehabd.conf", .plugin_dir = TEST_BAD_PLUGIN_DIR };
	struct cfg_setting set[] = { { "colour", "red", 12 } };
	struct cfg_channel cc = { .name = "tty", .plugin = "newer_minor", .line = 10,
				  .n_settings = 1, .settings = set };
	char err[512];
	(void)state;

	assert_null(host_channel_new(loop, NULL, &cfg, &cc, &callbacks, err, sizeof err));
	assert_string_equal(err, "rehabd.conf:12: channel \"tty\": unknown setting \"colour\" for plugin newer_minor — check the spelling (known: color)");

	set[0].key = "color";
	struct host_channel *ch = host_channel_new(loop, NULL, &cfg, &cc, &callbacks,
						   err, sizeof err);
	assert_non_null(ch);
	assert_int_equal(host_channel_check(ch, err, sizeof err), 0);
	host_channel_free(ch);

	cc.plugin = "abi_v2";
	assert_null(host_channel_new(loop, NULL, &cfg, &cc, &callbacks, err, sizeof err));
	assert_non_null(strstr(err, "rehabd.conf:10: channel \"tty\": "));
	assert_non_null(strstr(err, "plugin ABI version 2.3 does not match rehabd's ABI version " HOST_ABI));
	ev_loop_destroy(loop);
}

/* A plugin file, or its directory, that group or others may change is
 * not loaded: it would run with the runners' data. */
static void test_plugin_permissions(void **state)
{
	char dir[] = "/tmp/rehabd-plugperm-XXXXXX", src[600], dst[600], err[1024];
	char want[2400];
	void *dl = NULL;
	const struct rehabd_channel *desc = NULL;
	(void)state;

	assert_non_null(mkdtemp(dir));
	snprintf(src, sizeof src, "%s/newer_minor.so", TEST_BAD_PLUGIN_DIR);
	snprintf(dst, sizeof dst, "%s/newer_minor.so", dir);
	FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
	assert_non_null(in);
	assert_non_null(out);
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	fclose(out);

	assert_int_equal(chmod(dst, 0755), 0);
	assert_int_equal(host_plugin_load(dir, "newer_minor", &dl, &desc, err, sizeof err), 0);
	dlclose(dl);

	assert_int_equal(chmod(dst, 0775), 0);
	assert_int_equal(host_plugin_load(dir, "newer_minor", &dl, &desc, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s: the plugin file can be changed by group or others (mode 775) — run chmod go-w %s",
		 dst, dst);
	assert_string_equal(err, want);

	assert_int_equal(chmod(dst, 0755), 0);
	assert_int_equal(chmod(dir, 0777), 0);
	assert_int_equal(host_plugin_load(dir, "newer_minor", &dl, &desc, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s: the plugin directory %s can be changed by group or others (mode 777) — run chmod go-w %s",
		 dst, dir, dir);
	assert_string_equal(err, want);
	unlink(dst);
	rmdir(dir);
}

/* The host API's url_check is the HTTP service's own policy, reached
 * through the table a plugin gets. */
static void test_url_check_in_host_api(void **state)
{
	static const struct {
		const char *url;
		const char *err; /* NULL: taken */
	} rows[] = {
		{ "https://matrix.example.org", NULL },
		{ "http://127.0.0.1:8008/", NULL },
		{ "http://[::1]:1", NULL },
		{ "http://example.org", "rehabd.conf:3: url: plain http is allowed only to a loopback host: use https" },
		{ "http://localhost:1@evil.example", "rehabd.conf:3: url: plain http is allowed only to a loopback host: use https" },
		{ "http://[::1%25lo]/", "rehabd.conf:3: url: plain http to a loopback host takes no IPv6 zone id: write http://[::1]:port/" },
		{ "ftp://127.0.0.1/", "rehabd.conf:3: url: URL scheme ftp is not allowed: use https" },
	};
	struct ev_loop *loop = ev_loop_new(0);
	struct cfg cfg = { .path = "rehabd.conf", .plugin_dir = TEST_BAD_PLUGIN_DIR };
	(void)state;

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct cfg_setting set[] = { { "url", (char *)rows[i].url, 3 } };
		struct cfg_channel cc = { .name = "probe", .plugin = "url_probe",
					  .line = 2, .n_settings = 1, .settings = set };
		char err[512] = "";
		struct host_channel *ch = host_channel_new(loop, NULL, &cfg, &cc,
							   &callbacks, err, sizeof err);
		assert_non_null(ch);
		int rc = host_channel_check(ch, err, sizeof err);
		if (!rows[i].err) {
			assert_int_equal(rc, 0);
		} else {
			assert_int_equal(rc, -1);
			assert_string_equal(err, rows[i].err);
		}
		host_channel_free(ch);
	}
	ev_loop_destroy(loop);
}

/* Writes a config with runners on a canonical_lower channel; returns
 * engine_check_config's verdict, the error in err. */
static int check_runners(const char *addr1, const char *addr2, char *err,
			 size_t errlen)
{
	char dir[] = "/tmp/rehabd-host-XXXXXX", path[256];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/rehabd.conf", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "daemon = { program_dir = \"%s/conf/programs\"; plugin_dir = \"%s\"; };\n"
		   "channels = { c = { plugin = \"canonical_lower\"; }; };\n"
		   "runners = (\n"
		   "  { name = \"anna\"; channel = \"c\"; address = \"%s\"; zone = \"UTC\";\n"
		   "    program = \"iliopsoas\"; start = \"2026-03-02\"; stretch = [\"07:30\", \"13:00\"];\n"
		   "    strength = \"18:00\"; morning = \"07:00\"; },\n"
		   "  { name = \"ben\"; channel = \"c\"; address = \"%s\"; zone = \"UTC\";\n"
		   "    program = \"iliopsoas\"; start = \"2026-03-02\"; stretch = [\"07:30\", \"13:00\"];\n"
		   "    strength = \"18:00\"; morning = \"07:00\"; }\n"
		   ");\n", TEST_SOURCE_DIR, TEST_BAD_PLUGIN_DIR, addr1, addr2);
	fclose(f);
	int rc = engine_check_config(path, NULL, err, errlen);
	unlink(path);
	rmdir(dir);
	return rc;
}

/* Addresses are compared in the plugin's canonical form: two spellings
 * of one address are refused at the second runner's line, and a bad one
 * says what is wrong. */
static void test_canonical_addresses(void **state)
{
	char err[1024];
	(void)state;

	assert_int_equal(check_runners("anna", "ben", err, sizeof err), 0);
	assert_int_equal(check_runners("Anna", "ANNA", err, sizeof err), -1);
	assert_non_null(strstr(err, "rehabd.conf:7: runner \"ben\" has the address of runner \"anna\" (line 4)"));
	assert_non_null(strstr(err, "(anna)"));
	assert_int_equal(check_runners("an na", "ben", err, sizeof err), -1);
	assert_non_null(strstr(err, "rehabd.conf:4: runner \"anna\": address \"an na\" is not an address on channel c: no spaces"));
}

/* ABI 1.2: the state and reachability calls reach the engine through
 * the table (keys checked, values owned by the host), and the address
 * is made canonical first; without an engine (check-config) state is
 * unset and cannot be set. */
static void test_state_and_reachable(void **state)
{
	struct ev_loop *loop = ev_loop_new(0);
	struct cfg cfg = { .path = "t.conf", .plugin_dir = TEST_BAD_PLUGIN_DIR };
	struct cfg_channel cc = { .name = "c", .plugin = "canonical_lower", .line = 3 };
	struct fake f = { .has = 0 };
	struct host_callbacks cb = callbacks;
	char err[512], long_key[200];
	(void)state;

	cb.ctx = &f;
	cb.state_get = fk_get;
	cb.state_set = fk_set;
	cb.runner_reachable = fk_reach;
	struct host_channel *ch = host_channel_new(loop, NULL, &cfg, &cc, &cb, err, sizeof err);
	assert_non_null(ch);
	/* The host pointer a plugin gets is the channel; its table first. */
	const struct rehabd_host_api *api = (const struct rehabd_host_api *)(void *)ch;
	struct rehabd_host *h = (struct rehabd_host *)(void *)ch;
	assert_true(api->size >= offsetof(struct rehabd_host_api, runner_reachable) +
		    sizeof api->runner_reachable);
	assert_int_equal(REHABD_ABI_MINOR_OF(api->version), 2);

	assert_null(api->state_get(h, "token"));
	assert_int_equal(api->state_set(h, "token", "syt_x"), 0);
	assert_string_equal(api->state_get(h, "token"), "syt_x");
	assert_int_equal(api->state_set(h, "token", NULL), 0);
	assert_null(api->state_get(h, "token"));
	/* Columns-free checks of what is refused before the engine. */
	memset(long_key, 'k', sizeof long_key - 1);
	long_key[sizeof long_key - 1] = 0;
	int sets = f.sets;
	assert_int_equal(api->state_set(h, long_key, "v"), -1);
	assert_int_equal(api->state_set(h, "", "v"), -1);
	assert_int_equal(api->state_set(h, NULL, "v"), -1);
	assert_null(api->state_get(h, NULL));
	assert_int_equal(f.sets, sets);

	api->runner_reachable(h, "ANNA", 0, "left the room");
	assert_string_equal(f.reach_addr, "anna");
	assert_int_equal(f.reachable, 0);
	host_channel_free(ch);

	/* No engine: nothing stored, nothing read. */
	ch = host_channel_new(loop, NULL, &cfg, &cc, &callbacks, err, sizeof err);
	assert_non_null(ch);
	api = (const struct rehabd_host_api *)(void *)ch;
	h = (struct rehabd_host *)(void *)ch;
	assert_int_equal(api->state_set(h, "token", "v"), -1);
	assert_null(api->state_get(h, "token"));
	api->runner_reachable(h, "anna", 0, "x"); /* no crash */
	host_channel_free(ch);
	ev_loop_destroy(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_table),
		cmocka_unit_test(test_failing_open_is_undone),
		cmocka_unit_test(test_unknown_setting),
		cmocka_unit_test(test_canonical_addresses),
		cmocka_unit_test(test_state_and_reachable),
		cmocka_unit_test(test_url_check_in_host_api),
		cmocka_unit_test(test_plugin_permissions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
