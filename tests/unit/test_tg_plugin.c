/*
 * The telegram plugin as a whole against a fake host API table: the test
 * plays the host (settings, timers, HTTP, inbound, send results) and the
 * Bot API server (it answers each request by hand).  Covers the settings
 * checks, the 401 at start, long polling with confirmation only after a
 * stored batch, backoffs, taps, the send outcomes, rate limits, splitting
 * and that the token never reaches a log line.  The plugin's clock
 * (tg_mono) is the test's: it moves only when a timer is fired.
 */
#include <fcntl.h>
#include <inttypes.h>
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

#include <rehabd/channel.h>

#include "http.h"
#include "secret_file.h"

#define TOKEN "123456:TESTtoken_abc-XYZ"
#define DATA_DIR TEST_SOURCE_DIR "/tests/data/telegram/"
#define MAXN 256

struct fake_req {
	char method[32];
	char url[256];
	char log_url[64];
	char *body;
	long timeout_ms;
	rehabd_http_done_fn done;
	void *arg;
	uint64_t id;
	int active;
};

struct fake_timer {
	uint64_t id;
	double seconds;
	double due;
	rehabd_timer_fn fn;
	void *arg;
	int active;
};

struct fake_done {
	uint64_t token;
	enum rehabd_send_status status;
	long retry_ms;
	char remote[32];
	char error[256];
};

struct fake_in {
	char id[32], address[32], text[256], ref[40];
	int has_ref, is_choice, is_private;
};

static struct {
	const char *keys[16], *values[16];
	size_t n_settings;
	const char *addresses[4];
	size_t n_addresses;
	char where[600];
	struct fake_req reqs[MAXN];
	size_t n_reqs;
	struct fake_timer timers[MAXN];
	size_t n_timers;
	struct fake_done dones[MAXN];
	size_t n_dones;
	struct fake_in ins[MAXN];
	size_t n_ins;
	size_t n_inbound_calls;
	char cursor[32];
	const char *stored_cursor;
	int inbound_rc;
	enum rehabd_inbound_status inbound_status;
	char failed[512];
	int n_failed;
	char logs[65536];
	char secret[128];
	uint64_t next_id;
	double now; /* the plugin's monotonic clock */
	const struct rehabd_channel *desc;
	void *state;
} F;

static struct rehabd_host *HOST = (struct rehabd_host *)(void *)&F;

/* Replaces plugins/telegram/tg_clock.c. */
double tg_mono(void);
double tg_mono(void)
{
	return F.now;
}

/* ---- the fake host ------------------------------------------------------ */

static void h_log(struct rehabd_host *h, enum rehabd_log_level level,
		  const char *fmt, ...)
{
	va_list ap;
	size_t used = strlen(F.logs);
	(void)h;
	(void)level;
	va_start(ap, fmt);
	if (used + 2 < sizeof F.logs) {
		vsnprintf(F.logs + used, sizeof F.logs - used - 1, fmt, ap);
		strcat(F.logs, "\n");
	}
	va_end(ap);
}

static const char *h_channel_name(struct rehabd_host *h)
{
	(void)h;
	return "tg";
}

static const char *h_setting(struct rehabd_host *h, const char *key)
{
	(void)h;
	for (size_t i = 0; i < F.n_settings; i++)
		if (!strcmp(F.keys[i], key))
			return F.values[i];
	return NULL;
}

static const char *h_setting_where(struct rehabd_host *h, const char *key)
{
	(void)h;
	(void)key;
	return F.where;
}

static void h_secret(struct rehabd_host *h, const char *s)
{
	(void)h;
	snprintf(F.secret, sizeof F.secret, "%s", s);
}

static size_t h_runner_count(struct rehabd_host *h)
{
	(void)h;
	return F.n_addresses;
}

static const char *h_runner_address(struct rehabd_host *h, size_t i)
{
	(void)h;
	return i < F.n_addresses ? F.addresses[i] : NULL;
}

static double h_now(struct rehabd_host *h)
{
	(void)h;
	return 1772434800.0;
}

static uint64_t h_timer_start(struct rehabd_host *h, double s, rehabd_timer_fn fn,
			      void *arg)
{
	(void)h;
	assert_true(F.n_timers < MAXN);
	struct fake_timer *t = &F.timers[F.n_timers++];
	t->id = ++F.next_id;
	t->seconds = s;
	t->due = F.now + s;
	t->fn = fn;
	t->arg = arg;
	t->active = 1;
	return t->id;
}

static void h_timer_cancel(struct rehabd_host *h, uint64_t id)
{
	(void)h;
	for (size_t i = 0; i < F.n_timers; i++)
		if (F.timers[i].id == id)
			F.timers[i].active = 0;
}

static uint64_t h_io_watch(struct rehabd_host *h, int fd, rehabd_io_fn fn, void *arg)
{
	(void)h; (void)fd; (void)fn; (void)arg;
	return 0;
}

static void h_io_cancel(struct rehabd_host *h, uint64_t id)
{
	(void)h; (void)id;
}

static uint64_t h_http_submit(struct rehabd_host *h,
			      const struct rehabd_http_request *req,
			      rehabd_http_done_fn done, void *arg)
{
	(void)h;
	assert_true(F.n_reqs < MAXN);
	struct fake_req *r = &F.reqs[F.n_reqs++];
	const char *slash = strrchr(req->url, '/');
	assert_non_null(slash);
	snprintf(r->method, sizeof r->method, "%s", slash + 1);
	snprintf(r->url, sizeof r->url, "%s", req->url);
	snprintf(r->log_url, sizeof r->log_url, "%s", req->log_url ? req->log_url : "");
	r->body = strndup(req->body, req->body_len);
	r->timeout_ms = req->timeout_ms;
	r->done = done;
	r->arg = arg;
	r->id = ++F.next_id;
	r->active = 1;
	assert_string_equal(req->method, "POST");
	assert_non_null(strstr(req->headers[0], "application/json"));
	return r->id;
}

static void h_http_cancel(struct rehabd_host *h, uint64_t id)
{
	(void)h;
	for (size_t i = 0; i < F.n_reqs; i++)
		if (F.reqs[i].id == id)
			F.reqs[i].active = 0;
}

static int h_inbound(struct rehabd_host *h, const struct rehabd_inbound *m,
		     size_t n, const char *cursor,
		     struct rehabd_inbound_result *res)
{
	(void)h;
	F.n_inbound_calls++;
	if (F.inbound_rc != 0)
		return F.inbound_rc;
	for (size_t i = 0; i < n; i++) {
		struct fake_in *x = &F.ins[F.n_ins++];
		snprintf(x->id, sizeof x->id, "%s", m[i].id);
		snprintf(x->address, sizeof x->address, "%s", m[i].address);
		snprintf(x->text, sizeof x->text, "%s", m[i].text);
		x->has_ref = m[i].ref != NULL;
		snprintf(x->ref, sizeof x->ref, "%s", m[i].ref ? m[i].ref : "");
		x->is_choice = m[i].is_choice;
		x->is_private = m[i].is_private;
		res[i].status = F.inbound_status;
		snprintf(res[i].ack, sizeof res[i].ack, "Saved: pain 6/10");
	}
	snprintf(F.cursor, sizeof F.cursor, "%s", cursor ? cursor : "");
	return 0;
}

static const char *h_cursor_load(struct rehabd_host *h)
{
	(void)h;
	return F.stored_cursor;
}

static void h_send_done(struct rehabd_host *h, uint64_t token,
			const struct rehabd_send_result *r)
{
	(void)h;
	struct fake_done *d = &F.dones[F.n_dones++];
	d->token = token;
	d->status = r->status;
	d->retry_ms = r->retry_after_ms;
	snprintf(d->remote, sizeof d->remote, "%s", r->remote_id ? r->remote_id : "");
	snprintf(d->error, sizeof d->error, "%s", r->error ? r->error : "");
}

static void h_channel_failed(struct rehabd_host *h, const char *reason)
{
	(void)h;
	F.n_failed++;
	snprintf(F.failed, sizeof F.failed, "%s", reason);
}

/* The host's own policy: the plugin must take what it takes. */
static int h_url_check(struct rehabd_host *h, const char *url, char *why,
		       size_t whylen)
{
	(void)h;
	return http_url_check(url, NULL, why, whylen);
}

/* The host's own secret files, with the config file F.where names. */
static int h_secret_file(struct rehabd_host *h, const char *key, char *out,
			 size_t outlen, char *path, size_t pathlen, char *err,
			 size_t errlen)
{
	char conf[sizeof F.where];
	char *colon;

	snprintf(conf, sizeof conf, "%s", F.where);
	colon = strrchr(conf, ':');
	if (colon)
		*colon = '\0';
	return secret_file_read(conf, F.where, key, h_setting(h, key), out,
				outlen, path, pathlen, err, errlen);
}

static const struct rehabd_host_api API = {
	.size = sizeof API,
	.version = REHABD_CHANNEL_ABI_VERSION,
	.log = h_log,
	.channel_name = h_channel_name,
	.setting = h_setting,
	.setting_where = h_setting_where,
	.secret = h_secret,
	.runner_count = h_runner_count,
	.runner_address = h_runner_address,
	.now = h_now,
	.timer_start = h_timer_start,
	.timer_cancel = h_timer_cancel,
	.io_watch = h_io_watch,
	.io_cancel = h_io_cancel,
	.http_submit = h_http_submit,
	.http_cancel = h_http_cancel,
	.inbound = h_inbound,
	.cursor_load = h_cursor_load,
	.send_done = h_send_done,
	.channel_failed = h_channel_failed,
	.url_check = h_url_check,
	.secret_file = h_secret_file,
};

/* ---- helpers ------------------------------------------------------------- */

static void set(const char *key, const char *value)
{
	for (size_t i = 0; i < F.n_settings; i++)
		if (!strcmp(F.keys[i], key)) {
			if (value) {
				F.values[i] = value;
			} else {
				F.keys[i] = F.keys[F.n_settings - 1];
				F.values[i] = F.values[--F.n_settings];
			}
			return;
		}
	if (value) {
		F.keys[F.n_settings] = key;
		F.values[F.n_settings++] = value;
	}
}

/* Fresh fake host with working settings; rates high enough not to get
 * in the way unless a test lowers them. */
static void reset(void)
{
	for (size_t i = 0; i < F.n_reqs; i++)
		free(F.reqs[i].body);
	memset(&F, 0, sizeof F);
	F.desc = rehabd_channel_entry();
	F.now = 1000;
	snprintf(F.where, sizeof F.where, "/nonexistent/rehabd.conf:7");
	set("token", TOKEN);
	set("api_base", "http://127.0.0.1:9/");
	set("rate_global", "1000");
	set("rate_chat", "1000");
	F.addresses[0] = "408258968";
	F.n_addresses = 1;
	F.inbound_status = REHABD_INBOUND_ACCEPTED;
}

static void open_plugin(void)
{
	char err[512] = "";
	assert_int_equal(F.desc->open(&API, HOST, &F.state, err, sizeof err), 0);
}

/* Closes the plugin and checks that it left nothing running and never
 * logged the token. */
static void close_plugin(void)
{
	size_t dones = F.n_dones;
	F.desc->close(F.state);
	F.state = NULL;
	for (size_t i = 0; i < F.n_reqs; i++)
		assert_int_equal(F.reqs[i].active, 0);
	for (size_t i = 0; i < F.n_timers; i++)
		assert_int_equal(F.timers[i].active, 0);
	assert_int_equal(F.n_dones, dones);
	assert_null(strstr(F.logs, TOKEN));
	assert_null(strstr(F.failed, TOKEN));
	for (size_t i = 0; i < F.n_reqs; i++)
		assert_null(strstr(F.reqs[i].log_url, TOKEN));
}

/* The nth (0-based) request for method, active or not. */
static struct fake_req *req(const char *method, size_t nth)
{
	for (size_t i = 0; i < F.n_reqs; i++)
		if (!strcmp(F.reqs[i].method, method) && nth-- == 0)
			return &F.reqs[i];
	return NULL;
}

static size_t count(const char *method)
{
	size_t n = 0;
	for (size_t i = 0; i < F.n_reqs; i++)
		n += !strcmp(F.reqs[i].method, method);
	return n;
}

static struct fake_req *active(const char *method)
{
	for (size_t i = F.n_reqs; i-- > 0;)
		if (F.reqs[i].active && !strcmp(F.reqs[i].method, method))
			return &F.reqs[i];
	return NULL;
}

static char *slurp(const char *name)
{
	char path[512];
	snprintf(path, sizeof path, DATA_DIR "%s", name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = calloc(1, 1 << 16);
	assert_non_null(buf);
	size_t n = fread(buf, 1, (1 << 16) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Answers request r as the server would. */
static void respond(struct fake_req *r, long status, const char *body,
		    long retry_after_s)
{
	assert_non_null(r);
	assert_int_equal(r->active, 1);
	r->active = 0;
	struct rehabd_http_response resp = {
		.size = sizeof resp,
		.status = status,
		.body = body ? body : "",
		.body_len = body ? strlen(body) : 0,
		.transport_error = status ? 0 : 7,
		.error = status ? NULL : "Failed to connect to 127.0.0.1 port 9",
		.retry_after_s = retry_after_s,
	};
	r->done(r->arg, &resp);
}

/* Answers r as the host does when the body went over max_response:
 * no body, libcurl's CURLE_FILESIZE_EXCEEDED. */
static void respond_too_big(struct fake_req *r)
{
	assert_non_null(r);
	assert_int_equal(r->active, 1);
	r->active = 0;
	struct rehabd_http_response resp = {
		.size = sizeof resp,
		.status = 0,
		.body = "",
		.transport_error = 63,
		.error = "response body larger than 8388608 bytes",
		.retry_after_s = -1,
	};
	r->done(r->arg, &resp);
}

static void respond_file(struct fake_req *r, long status, const char *file)
{
	char *body = slurp(file);
	respond(r, status, body, -1);
	free(body);
}

/* The latest active timer (the plugin keeps at most one per purpose). */
static struct fake_timer *timer_last(void)
{
	for (size_t i = F.n_timers; i-- > 0;)
		if (F.timers[i].active)
			return &F.timers[i];
	return NULL;
}

/* Runs a timer at its due time (the clock moves there). */
static void fire(struct fake_timer *t)
{
	assert_non_null(t);
	assert_int_equal(t->active, 1);
	t->active = 0;
	if (t->due > F.now)
		F.now = t->due;
	t->fn(t->arg);
}

/* Runs a timer before its time, as a loop might after a clock step. */
static void fire_early(struct fake_timer *t)
{
	assert_non_null(t);
	t->active = 0;
	t->fn(t->arg);
}

static int send_msg(const char *text, const char *html, const char *ref,
		    const struct rehabd_choice *choices, size_t n,
		    const char *address, uint64_t token)
{
	struct rehabd_message m = {
		.size = sizeof m,
		.ref = ref,
		.runner = "anna",
		.address = address,
		.kind = "morning",
		.text = text,
		.html = html,
		.choices = choices,
		.n_choices = n,
		.choices_per_row = 6,
	};
	return F.desc->send(F.state, &m, token);
}

static const struct rehabd_choice pain[] = {
	{ "0", "0" }, { "1", "1" }, { "2", "2" }, { "3", "3" },
	{ "4", "4" }, { "5", "5" }, { "6", "6" }, { "7", "7" },
	{ "8", "8" }, { "9", "9" }, { "10", "10" },
};

/* ---- settings ------------------------------------------------------------ */

enum tokfile {
	TF_NONE, TF_0600, TF_0644, TF_0640, TF_MISSING, TF_GARBAGE, TF_DIR,
	TF_FIFO,
	TF_CRED_0440, /* 0440 in $CREDENTIALS_DIRECTORY, as systemd makes it */
};

/* Columns: setting key, value (NULL: unset), token file to create and
 * point token_file at (relative name), runner address, ok?, expected
 * part of the error. */
static const struct {
	const char *key, *value;
	enum tokfile tf;
	const char *address;
	int ok;
	const char *err;
} config_rows[] = {
	{ NULL, NULL, TF_NONE, "408258968", 1, NULL },
	{ NULL, NULL, TF_0600, "408258968", 1, NULL },
	{ NULL, NULL, TF_0644, "408258968", 0, "(mode 644) — run chmod 600 " },
	{ NULL, NULL, TF_0640, "408258968", 0, "can be read or changed by group or others" },
	/* Missing: --check-config refuses it as open does (a pre-start
	 * check must not pass a channel that cannot start). */
	{ NULL, NULL, TF_MISSING, "408258968", 0, "cannot be opened: No such file or directory — create it" },
	{ NULL, NULL, TF_GARBAGE, "408258968", 0, "does not hold a bot token" },
	{ NULL, NULL, TF_DIR, "408258968", 0, "is not a regular file" },
	/* A FIFO without a writer: refused at once, never waited on. */
	{ NULL, NULL, TF_FIFO, "408258968", 0, "is not a regular file" },
	{ NULL, NULL, TF_CRED_0440, "408258968", 1, NULL },
	{ "token", "123:abc/../x", TF_NONE, "408258968", 0, "token is not a bot token" },
	{ "token", "123:abc?x=1", TF_NONE, "408258968", 0, "token is not a bot token" },
	{ "token", "", TF_NONE, "408258968", 0, "token is not a bot token" },
	{ "token", "TEST-token_1", TF_NONE, "408258968", 1, NULL },
	{ "token", NULL, TF_NONE, "408258968", 0, "has no bot token — set token_file" },
	{ "api_base", "http://example.com", TF_NONE, "408258968", 0, "(api_base takes https://" },
	{ "api_base", "https://tg.example.org/", TF_NONE, "408258968", 1, NULL },
	{ "api_base", "http://localhost:8081", TF_NONE, "408258968", 1, NULL },
	/* User info, then another host: not loopback. */
	{ "api_base", "http://localhost:1@evil.example", TF_NONE, "408258968", 0, "(api_base takes https://" },
	{ "api_base", "http://127.evil.example", TF_NONE, "408258968", 0, "(api_base takes https://" },
	{ "api_base", "http://localhost.evil.example/", TF_NONE, "408258968", 0, "(api_base takes https://" },
	{ "api_base", "http://127.0.0.1:8081/bot", TF_NONE, "408258968", 1, NULL },
	{ "api_base", "http://[::1]:8081", TF_NONE, "408258968", 1, NULL },
	{ "api_base", "http://localhost", TF_NONE, "408258968", 1, NULL },
	{ "api_base", "http://[::1%25lo]:8081", TF_NONE, "408258968", 0, "takes no IPv6 zone id" },
	{ "api_base", "http://127.0.0.1:8081", TF_NONE, "0408258968", 1, NULL },
	{ "poll_timeout", "0", TF_NONE, "408258968", 0, "poll_timeout = 0: give a whole number between 1 and 50" },
	{ "poll_timeout", "51", TF_NONE, "408258968", 0, "between 1 and 50" },
	{ "poll_timeout", "2.5", TF_NONE, "408258968", 0, "whole number" },
	{ "poll_timeout", "soon", TF_NONE, "408258968", 0, "whole number" },
	/* A token pasted into the wrong key is not echoed. */
	{ "poll_timeout", "123456789:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-wX", TF_NONE, "408258968", 0, "poll_timeout is not a number: give a whole number" },
	{ "api_base", "https:/api.telegram.org/bot123456789:AAEhBOweik6ad9r", TF_NONE, "408258968", 0, "api_base: not an http(s):// URL" },
	{ "poll_timeout", "30", TF_NONE, "408258968", 1, NULL },
	{ "rate_global", "0", TF_NONE, "408258968", 0, "rate_global = 0" },
	{ "rate_global", "25.5", TF_NONE, "408258968", 1, NULL },
	{ "rate_chat", "-1", TF_NONE, "408258968", 0, "rate_chat = -1" },
	{ NULL, NULL, TF_NONE, "@anna", 0, "runner address \"@anna\" is not a Telegram chat id" },
	{ NULL, NULL, TF_NONE, "0", 0, "is not a Telegram chat id" },
	{ NULL, NULL, TF_NONE, "9223372036854775808", 0, "is not a Telegram chat id" },
	{ NULL, NULL, TF_NONE, "-1001234567890", 1, NULL },
	{ NULL, NULL, TF_NONE, "5000000001", 1, NULL },
};

static void test_config(void **state)
{
	char dir[] = "/tmp/tg-config-XXXXXX";
	char path[600];
	(void)state;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/token", dir);
	for (size_t i = 0; i < sizeof config_rows / sizeof config_rows[0]; i++) {
		char err[700] = "";
		reset();
		snprintf(F.where, sizeof F.where, "%s/rehabd.conf:12", dir);
		F.addresses[0] = config_rows[i].address;
		if (config_rows[i].key)
			set(config_rows[i].key, config_rows[i].value);
		unlink(path);
		rmdir(path);
		if (config_rows[i].tf != TF_NONE) {
			set("token", NULL);
			set("token_file", "token"); /* relative to the config */
		}
		if (config_rows[i].tf == TF_DIR) {
			assert_int_equal(mkdir(path, 0700), 0);
		} else if (config_rows[i].tf == TF_FIFO) {
			assert_int_equal(mkfifo(path, 0600), 0);
		} else if (config_rows[i].tf != TF_NONE && config_rows[i].tf != TF_MISSING) {
			mode_t mode = config_rows[i].tf == TF_0644 ? 0644
				      : config_rows[i].tf == TF_0640 ? 0640
				      : config_rows[i].tf == TF_CRED_0440 ? 0440 : 0600;
			int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
			assert_true(fd >= 0);
			const char *content = config_rows[i].tf == TF_GARBAGE
					      ? "secret words that are no token\n" : TOKEN "\n";
			assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
			assert_int_equal(fchmod(fd, mode), 0);
			close(fd);
		}
		if (config_rows[i].tf == TF_CRED_0440)
			setenv("CREDENTIALS_DIRECTORY", dir, 1);
		else
			unsetenv("CREDENTIALS_DIRECTORY");
		print_message("row %zu\n", i);
		int rc = F.desc->check(&API, HOST, err, sizeof err);
		assert_int_equal(rc == 0, config_rows[i].ok);
		if (config_rows[i].tf == TF_MISSING) {
			void *st = NULL;
			assert_int_equal(F.desc->open(&API, HOST, &st, err, sizeof err), -1);
			assert_non_null(strstr(err, "cannot be opened"));
			assert_int_equal(F.n_reqs, 0);
		}
		if (!config_rows[i].ok) {
			assert_non_null(strstr(err, config_rows[i].err));
			assert_non_null(strstr(err, ":12: ")); /* file:line first */
			assert_null(strstr(err, TOKEN));
			assert_null(strstr(err, "secret words"));
			assert_null(strstr(err, "AAEhBOweik6ad9r"));
			/* open refuses the same settings and starts nothing */
			void *st = NULL;
			assert_int_equal(F.desc->open(&API, HOST, &st, err, sizeof err), -1);
			assert_int_equal(F.n_reqs, 0);
		}
		if (config_rows[i].tf == TF_0644)
			assert_non_null(strstr(err, path));
	}
	unsetenv("CREDENTIALS_DIRECTORY");
	unlink(path);
	rmdir(path);
	rmdir(dir);
}

/* ---- the start ----------------------------------------------------------- */

static void test_open_401(void **state)
{
	(void)state;
	reset();
	open_plugin();
	assert_string_equal(F.secret, TOKEN);
	struct fake_req *cmds = req("setMyCommands", 0);
	struct fake_req *poll = req("getUpdates", 0);
	assert_non_null(cmds);
	assert_non_null(poll);
	assert_string_equal(cmds->url, "http://127.0.0.1:9/bot" TOKEN "/setMyCommands");
	assert_string_equal(cmds->log_url, "telegram setMyCommands");
	assert_non_null(strstr(cmds->body, "\"command\":\"pause\""));
	respond(cmds, 401, "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}", -1);
	assert_int_equal(F.n_failed, 1);
	assert_string_equal(F.failed,
			    "telegram: the bot token was refused (401) — check token (get it from BotFather)");
	assert_int_equal(poll->active, 0); /* polling stopped */
	assert_null(timer_last());
	/* Nothing is sent any more. */
	assert_int_equal(send_msg("x", NULL, "1", NULL, 0, "408258968", 1), -1);
	close_plugin();
}

/* ---- polling --------------------------------------------------------------- */

static void test_poll_confirms_after_store(void **state)
{
	(void)state;
	reset();
	F.stored_cursor = "306197398";
	open_plugin();
	struct fake_req *p = active("getUpdates");
	assert_non_null(p);
	assert_string_equal(p->body, "{\"offset\":306197398,\"timeout\":50,\"allowed_updates\":[\"message\",\"callback_query\"]}");
	assert_int_equal(p->timeout_ms, 75000);
	assert_string_equal(p->log_url, "telegram getUpdates");

	/* The host cannot store the batch: no new poll until a backoff,
	 * then the same offset again, so Telegram re-delivers it. */
	F.inbound_rc = -1;
	respond_file(p, 200, "private_text.json");
	assert_int_equal(F.n_inbound_calls, 1);
	assert_null(active("getUpdates"));
	struct fake_timer *t = timer_last();
	assert_non_null(t);
	assert_true(t->seconds >= 0.8 && t->seconds <= 1.2);
	fire(t);
	p = active("getUpdates");
	assert_non_null(p);
	assert_non_null(strstr(p->body, "\"offset\":306197398,"));

	/* Stored: the reply goes up with the cursor that confirms it, and
	 * only then does the next poll (with that offset) go out. */
	F.inbound_rc = 0;
	respond_file(p, 200, "private_text.json");
	assert_int_equal(F.n_ins, 1);
	assert_string_equal(F.ins[0].id, "u306197398");
	assert_string_equal(F.ins[0].address, "408258968");
	assert_string_equal(F.ins[0].text, "pain 3/10");
	assert_int_equal(F.ins[0].is_private, 1);
	assert_int_equal(F.ins[0].is_choice, 0);
	assert_int_equal(F.ins[0].has_ref, 0);
	assert_string_equal(F.cursor, "306197399");
	p = active("getUpdates");
	assert_non_null(p);
	assert_non_null(strstr(p->body, "\"offset\":306197399,"));

	/* Updates that carry nothing for the host still move the cursor;
	 * a sticker reaches the coach as empty text (so the runner hears
	 * what can be read); a tap with foreign data is answered only. */
	respond_file(p, 200, "mixed_batch.json");
	assert_string_equal(F.cursor, "30");
	assert_int_equal(F.n_ins, 4); /* /plan, the sticker and done */
	assert_string_equal(F.ins[1].text, "/plan");
	assert_string_equal(F.ins[2].text, "");
	assert_string_equal(F.ins[2].id, "u22");
	assert_string_equal(F.ins[3].text, "done");
	assert_string_equal(active("answerCallbackQuery")->body, "{\"callback_query_id\":\"q\"}");
	assert_int_equal(count("answerCallbackQuery"), 1);
	/* Every id lay below the offset (ids chosen anew, or a server that
	 * ignores the offset) and the answer came at once: a pause first. */
	assert_null(active("getUpdates"));
	fire(timer_last());
	assert_non_null(strstr(active("getUpdates")->body, "\"offset\":30,"));
	close_plugin();
}

static void test_poll_group_and_big_ids(void **state)
{
	(void)state;
	reset();
	open_plugin();
	respond_file(active("getUpdates"), 200, "big_ids.json");
	assert_int_equal(F.n_ins, 3);
	assert_string_equal(F.ins[0].address, "5000000001");
	assert_string_equal(F.ins[1].address, "7000000002");
	assert_string_equal(F.ins[2].address, "-1001234567890");
	assert_int_equal(F.ins[2].is_private, 0);
	assert_string_equal(F.cursor, "4000000003");
	respond_file(active("getUpdates"), 200, "group_message.json");
	assert_int_equal(F.ins[3].is_private, 0);
	close_plugin();
}

/* Columns: HTTP status (0: no response), body, Retry-After header,
 * shortest and longest wait before the next poll. */
static const struct {
	long status;
	const char *body;
	long retry_after;
	double min, max;
} poll_error_rows[] = {
	{ 500, "{\"ok\":false,\"error_code\":500,\"description\":\"Internal Server Error\"}", -1, 0.8, 1.2 },
	{ 502, "<html>Bad Gateway</html>", -1, 0.8, 1.2 },
	{ 0, "", -1, 0.8, 1.2 },
	{ 200, "{\"ok\":tru", -1, 0.8, 1.2 },
	{ 200, "{\"ok\":true,\"result\":[{\"no_id\":1}]}", -1, 0.8, 1.2 },
	{ 429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 7\",\"parameters\":{\"retry_after\":7}}", -1, 7, 7 },
	{ 429, "", 3, 3, 3 },
	{ 409, "{\"ok\":false,\"error_code\":409,\"description\":\"Conflict: terminated by other getUpdates request\"}", -1, 0.8, 1.2 },
	{ 404, "{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}", -1, 0.8, 1.2 },
	/* Errors in the body of an HTTP 200, as the documentation allows. */
	{ 200, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 7\",\"parameters\":{\"retry_after\":7}}", -1, 7, 7 },
	{ 200, "{\"ok\":false,\"error_code\":409,\"description\":\"Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first\"}", -1, 0.8, 1.2 },
	{ 503, "<html><body>Service Unavailable</body></html>", -1, 0.8, 1.2 },
	{ 200, "<html>not json</html>", -1, 0.8, 1.2 },
};

static void test_poll_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof poll_error_rows / sizeof poll_error_rows[0]; i++) {
		reset();
		open_plugin();
		respond(active("getUpdates"), poll_error_rows[i].status,
			poll_error_rows[i].body, poll_error_rows[i].retry_after);
		assert_null(active("getUpdates"));
		struct fake_timer *t = timer_last();
		assert_non_null(t);
		print_message("row %zu: %.2f\n", i, t->seconds);
		assert_true(t->seconds >= poll_error_rows[i].min &&
			    t->seconds <= poll_error_rows[i].max);
		assert_int_equal(F.n_inbound_calls, 0);
		assert_int_equal(F.n_failed, 0);
		if (poll_error_rows[i].status == 409)
			assert_non_null(strstr(F.logs, "run only one rehabd per bot token"));
		if (strstr(poll_error_rows[i].body, "webhook is active"))
			assert_non_null(strstr(F.logs, "a webhook is set for this bot, and rehabd reads replies by polling: remove the webhook (Bot API method deleteWebhook)"));
		close_plugin();
	}
}

/* Errors in a row back off exponentially up to 30 s; success resets. */
static void test_poll_backoff_grows(void **state)
{
	const double expect[] = { 1, 2, 4, 8, 16, 30, 30, 30 };
	(void)state;
	reset();
	open_plugin();
	for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
		respond(active("getUpdates"), 503, "", -1);
		struct fake_timer *t = timer_last();
		assert_true(t->seconds >= expect[i] * 0.8 && t->seconds <= expect[i] * 1.2);
		fire(t);
	}
	respond_file(active("getUpdates"), 200, "private_text.json");
	respond(active("getUpdates"), 503, "", -1);
	assert_true(timer_last()->seconds <= 1.2);
	close_plugin();
}

/* A server that answers at once with nothing must not make us spin. */
static void test_poll_fast_empty(void **state)
{
	const double expect[] = { 1, 2, 4, 5, 5, 5, 5 };
	(void)state;
	reset();
	open_plugin();
	for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
		respond(active("getUpdates"), 200, "{\"ok\":true,\"result\":[]}", -1);
		assert_null(active("getUpdates"));
		struct fake_timer *t = timer_last();
		assert_true(t->seconds == expect[i]);
		fire(t);
	}
	assert_non_null(strstr(F.logs, "answers at once instead of long polling"));
	/* Updates reset the wait. */
	respond_file(active("getUpdates"), 200, "private_text.json");
	respond(active("getUpdates"), 200, "{\"ok\":true,\"result\":[]}", -1);
	assert_true(timer_last()->seconds == 1);
	fire(timer_last());
	/* A real long poll (50 s without news) polls again at once. */
	F.now += 50;
	respond(active("getUpdates"), 200, "{\"ok\":true,\"result\":[]}", -1);
	assert_non_null(active("getUpdates"));
	assert_null(timer_last());
	close_plugin();
}

/* A 401 while polling stops the channel; queued sends go back. */
static void test_poll_401(void **state)
{
	(void)state;
	reset();
	set("token", NULL);
	char dir[] = "/tmp/tg-401-XXXXXX", path[600];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/tok", dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_int_equal(write(fd, TOKEN, strlen(TOKEN)), (ssize_t)strlen(TOKEN));
	close(fd);
	set("token_file", path);
	set("rate_chat", "0.5");
	open_plugin();
	assert_int_equal(send_msg("a", NULL, "1", NULL, 0, "408258968", 11), 0);
	assert_int_equal(send_msg("b", NULL, "2", NULL, 0, "408258968", 12), 0);
	respond(active("getUpdates"), 401, "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}", -1);
	assert_int_equal(F.n_failed, 1);
	assert_non_null(strstr(F.failed, "check token_file "));
	assert_non_null(strstr(F.failed, path));
	assert_int_equal(F.n_dones, 2);
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(F.dones[i].status, REHABD_SEND_RETRY);
		assert_non_null(strstr(F.dones[i].error, "401"));
	}
	assert_null(active("sendMessage"));
	close_plugin();
	unlink(path);
	rmdir(dir);
}

/* ---- taps ------------------------------------------------------------------ */

/* Columns: what the host made of the tap, answer body, edit sent?.
 * Every tap is answered (the client waits for it); a stranger's answer
 * says nothing. */
#define ANSWER_SAVED "{\"callback_query_id\":\"4382bfdwdsb323b2d9\",\"text\":\"Saved: pain 6/10\"}"
static const struct {
	enum rehabd_inbound_status status;
	const char *answer;
	int edit;
} tap_rows[] = {
	{ REHABD_INBOUND_ACCEPTED, ANSWER_SAVED, 1 },
	/* Seen before: shown on its message the first time. */
	{ REHABD_INBOUND_DUPLICATE, ANSWER_SAVED, 0 },
	{ REHABD_INBOUND_INVALID, ANSWER_SAVED, 0 },
	{ REHABD_INBOUND_IGNORED, "{\"callback_query_id\":\"4382bfdwdsb323b2d9\"}", 0 },
};

static void test_tap(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof tap_rows / sizeof tap_rows[0]; i++) {
		reset();
		F.inbound_status = tap_rows[i].status;
		open_plugin();
		respond_file(active("getUpdates"), 200, "callback_tap.json");
		assert_int_equal(F.n_ins, 1);
		assert_string_equal(F.ins[0].id, "u306197399");
		assert_string_equal(F.ins[0].text, "6");
		assert_string_equal(F.ins[0].ref, "42");
		assert_int_equal(F.ins[0].is_choice, 1);
		assert_int_equal(F.ins[0].is_private, 1);
		struct fake_req *a = active("answerCallbackQuery");
		struct fake_req *e = active("editMessageText");
		assert_non_null(a);
		assert_int_equal(e != NULL, tap_rows[i].edit);
		assert_string_equal(a->body, tap_rows[i].answer);
		if (e) {
			assert_string_equal(e->body,
				"{\"chat_id\":408258968,\"message_id\":155,"
				"\"text\":\"Good morning! How is the hip this morning, 0-10?\\n\\n\xe2\x86\x92 6\","
				"\"entities\":[{\"offset\":0,\"length\":13,\"type\":\"bold\"}],"
				"\"reply_markup\":{\"inline_keyboard\":[]}}");
			/* "query is too old" and "not modified" are fine. */
			respond(a, 400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: query is too old and response timeout expired or query ID is invalid\"}", -1);
			respond(e, 400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: message is not modified: specified new message content\"}", -1);
			assert_null(strstr(F.logs, "failed"));
		}
		close_plugin();
	}
}

/* The same tap delivered again (a server that forgets a confirmation,
 * or Telegram after a crash before the offset went out): stored once by
 * the host, shown on its message once, answered once per process. */
static void test_tap_redelivered(void **state)
{
	(void)state;
	reset();
	open_plugin();
	respond_file(active("getUpdates"), 200, "callback_tap.json");
	assert_int_equal(count("answerCallbackQuery"), 1);
	assert_int_equal(count("editMessageText"), 1);
	F.inbound_status = REHABD_INBOUND_DUPLICATE;
	for (int i = 0; i < 3; i++) {
		struct fake_req *p = active("getUpdates");
		if (!p) {
			fire(timer_last());
			p = active("getUpdates");
		}
		respond_file(p, 200, "callback_tap.json");
	}
	assert_int_equal(F.n_ins, 4);
	assert_int_equal(count("answerCallbackQuery"), 1);
	assert_int_equal(count("editMessageText") + count("editMessageReplyMarkup"), 1);
	close_plugin();

	/* After a restart the query is answered (the client may still
	 * wait), with what the host said, and still not edited. */
	open_plugin();
	respond_file(active("getUpdates"), 200, "callback_tap.json");
	assert_int_equal(count("answerCallbackQuery"), 2);
	assert_string_equal(active("answerCallbackQuery")->body, ANSWER_SAVED);
	assert_int_equal(count("editMessageText") + count("editMessageReplyMarkup"), 1);
	close_plugin();
}

/* A tap on a message the client can no longer show: keyboard removed. */
static void test_tap_old_message(void **state)
{
	(void)state;
	reset();
	open_plugin();
	respond(active("getUpdates"), 200,
		"{\"ok\":true,\"result\":[{\"update_id\":5,\"callback_query\":{\"id\":\"q\",\"from\":{\"id\":408258968},"
		"\"message\":{\"message_id\":77,\"chat\":{\"id\":408258968,\"type\":\"private\"},\"date\":0},\"data\":\"9:4\"}}]}", -1);
	assert_string_equal(F.ins[0].text, "4");
	struct fake_req *e = active("editMessageReplyMarkup");
	assert_non_null(e);
	assert_string_equal(e->body, "{\"chat_id\":408258968,\"message_id\":77,\"reply_markup\":{\"inline_keyboard\":[]}}");
	close_plugin();
}

/* ---- sending ----------------------------------------------------------------- */

/* Columns: HTTP status, body, Retry-After header, reported status,
 * retry_after_ms, remote id, part of the error, channel failed?. */
static const struct {
	long status;
	const char *body;
	long retry_after;
	enum rehabd_send_status want;
	long retry_ms;
	const char *remote, *err;
	int failed;
} send_rows[] = {
	{ 200, "{\"ok\":true,\"result\":{\"message_id\":5000000001,\"chat\":{\"id\":1,\"type\":\"private\"},\"date\":1,\"text\":\"x\"}}",
	  -1, REHABD_SEND_OK, 0, "5000000001", "", 0 },
	{ 429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 34\",\"parameters\":{\"retry_after\":34}}",
	  34, REHABD_SEND_RETRY, 34000, "", "retry after 34", 0 },
	{ 429, "", 9, REHABD_SEND_RETRY, 9000, "", "retry after 9", 0 },
	{ 403, "{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden: bot was blocked by the user\"}",
	  -1, REHABD_SEND_UNREACHABLE, 0, "", "Forbidden: bot was blocked by the user", 0 },
	{ 400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat not found\"}",
	  -1, REHABD_SEND_FAILED, 0, "", "HTTP 400 Bad Request: chat not found", 0 },
	{ 500, "{\"ok\":false,\"error_code\":500,\"description\":\"Internal Server Error\"}",
	  -1, REHABD_SEND_RETRY, 0, "", "HTTP 500 Internal Server Error", 0 },
	{ 502, "<html>", -1, REHABD_SEND_RETRY, 0, "", "without a Bot API answer", 0 },
	{ 0, "", -1, REHABD_SEND_RETRY, 0, "", "network: Failed to connect", 0 },
	{ 200, "{\"ok\":tr", -1, REHABD_SEND_RETRY, 0, "", "without a Bot API answer", 0 },
	{ 401, "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}",
	  -1, REHABD_SEND_RETRY, 0, "", "(401)", 1 },
	/* The documentation defines errors by the body: a server may send
	 * them with HTTP 200. */
	{ 200, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 12\",\"parameters\":{\"retry_after\":12}}",
	  -1, REHABD_SEND_RETRY, 12000, "", "retry after 12", 0 },
	{ 200, "{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden: bot was blocked by the user\"}",
	  -1, REHABD_SEND_UNREACHABLE, 0, "", "Forbidden: bot was blocked", 0 },
	{ 200, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat not found\"}",
	  -1, REHABD_SEND_FAILED, 0, "", "error 400 Bad Request: chat not found — check the runner's chat id", 0 },
	{ 200, "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}",
	  -1, REHABD_SEND_RETRY, 0, "", "(401)", 1 },
	{ 200, "{\"ok\":false,\"description\":\"who knows\"}",
	  -1, REHABD_SEND_RETRY, 0, "", "error 500 who knows", 0 },
	/* A 429 that only says so in the HTTP header. */
	{ 429, "<html>Too Many Requests</html>", 21, REHABD_SEND_RETRY, 21000, "", "retry after 21", 0 },
	{ 400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: message is too long\"}",
	  -1, REHABD_SEND_FAILED, 0, "", "message is too long", 0 },
	{ 400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: group chat was upgraded to a supergroup chat\","
	  "\"parameters\":{\"migrate_to_chat_id\":-1009007199254740991}}",
	  -1, REHABD_SEND_UNREACHABLE, 0, "", "upgraded to a supergroup with id -1009007199254740991", 0 },
	/* Unknown fields around a success are ignored. */
	{ 200, "{\"ok\":true,\"result\":{\"message_id\":9007199254740993,\"brand_new\":[1]},\"extra\":{}}",
	  -1, REHABD_SEND_OK, 0, "9007199254740993", "", 0 },
};

static void test_send_outcomes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof send_rows / sizeof send_rows[0]; i++) {
		reset();
		open_plugin();
		print_message("row %zu\n", i);
		assert_int_equal(send_msg("How is the hip? <0-10>", NULL, "42", pain, 11,
					  "408258968", 77), 0);
		struct fake_req *r = active("sendMessage");
		assert_non_null(r);
		assert_string_equal(r->log_url, "telegram sendMessage");
		assert_non_null(strstr(r->body, "\"chat_id\":408258968,"));
		/* Plain text goes without parse_mode: nothing to refuse. */
		assert_non_null(strstr(r->body, "\"text\":\"How is the hip? <0-10>\""));
		assert_null(strstr(r->body, "parse_mode"));
		assert_non_null(strstr(r->body, "{\"text\":\"10\",\"callback_data\":\"42:10\"}"));
		respond(r, send_rows[i].status, send_rows[i].body, send_rows[i].retry_after);
		assert_int_equal(F.n_dones, 1);
		assert_int_equal(F.dones[0].token, 77);
		assert_int_equal(F.dones[0].status, send_rows[i].want);
		assert_int_equal(F.dones[0].retry_ms, send_rows[i].retry_ms);
		assert_string_equal(F.dones[0].remote, send_rows[i].remote);
		assert_non_null(strstr(F.dones[0].error, send_rows[i].err));
		assert_int_equal(F.n_failed, send_rows[i].failed);
		close_plugin();
	}
}

/* A 429 holds that chat's queue for retry_after; others go on. */
static void test_send_429_holds_chat(void **state)
{
	(void)state;
	reset();
	open_plugin();
	assert_int_equal(send_msg("a", NULL, "1", NULL, 0, "408258968", 1), 0);
	assert_int_equal(send_msg("b", NULL, "2", NULL, 0, "408258968", 2), 0);
	assert_int_equal(send_msg("c", NULL, "3", NULL, 0, "5000000001", 3), 0);
	assert_int_equal(count("sendMessage"), 2); /* one per chat at a time */
	respond(req("sendMessage", 0), 429,
		"{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 5\",\"parameters\":{\"retry_after\":5}}", 5);
	assert_int_equal(F.dones[0].status, REHABD_SEND_RETRY);
	assert_int_equal(F.dones[0].retry_ms, 5000);
	assert_int_equal(count("sendMessage"), 2); /* "b" waits */
	struct fake_timer *t = timer_last();
	assert_true(t->seconds > 4.9 && t->seconds <= 5.0);
	respond(req("sendMessage", 1), 200, "{\"ok\":true,\"result\":{\"message_id\":1}}", -1);
	assert_int_equal(F.dones[1].token, 3);
	assert_int_equal(count("sendMessage"), 2);
	close_plugin();
}

/* A 403 ends every queued message of that runner as unreachable. */
static void test_send_403_drains(void **state)
{
	(void)state;
	reset();
	open_plugin();
	for (uint64_t t = 1; t <= 3; t++)
		assert_int_equal(send_msg("x", NULL, "1", NULL, 0, "408258968", t), 0);
	respond(active("sendMessage"), 403,
		"{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden: bot was blocked by the user\"}", -1);
	assert_int_equal(F.n_dones, 3);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(F.dones[i].status, REHABD_SEND_UNREACHABLE);
	assert_int_equal(count("sendMessage"), 1);
	assert_non_null(strstr(F.logs, "runner anna at chat 408258968 blocked the bot"));
	close_plugin();
}

/* Long text goes in parts, in order, the keyboard on the last. */
static void test_send_split(void **state)
{
	char *text = malloc(8001);
	(void)state;
	assert_non_null(text);
	memset(text, 'a', 8000);
	text[4000] = '\n';
	text[8000] = '\0';
	reset();
	open_plugin();
	assert_int_equal(send_msg(text, NULL, "42", pain, 11, "408258968", 9), 0);
	struct fake_req *r = active("sendMessage");
	assert_null(strstr(r->body, "reply_markup"));
	respond(r, 200, "{\"ok\":true,\"result\":{\"message_id\":100}}", -1);
	assert_int_equal(F.n_dones, 0);
	r = active("sendMessage");
	assert_non_null(strstr(r->body, "reply_markup"));
	/* A later part failing is retried here, not by the host, so the
	 * first part is not sent twice. */
	respond(r, 500, "", -1);
	assert_int_equal(F.n_dones, 0);
	fire(timer_last());
	r = active("sendMessage");
	assert_non_null(strstr(r->body, "reply_markup"));
	respond(r, 200, "{\"ok\":true,\"result\":{\"message_id\":101}}", -1);
	assert_int_equal(F.n_dones, 1);
	assert_int_equal(F.dones[0].status, REHABD_SEND_OK);
	assert_string_equal(F.dones[0].remote, "101");
	assert_int_equal(count("sendMessage"), 3);
	close_plugin();
	free(text);
}

/* Columns: text, html, what Telegram gets as text, with parse_mode
 * HTML?. */
static const struct {
	const char *text, *html, *sent;
	int parse_mode;
} format_rows[] = {
	{ "Stretch now", "<b>Stretch</b> now", "<b>Stretch</b> now", 1 },
	{ "a\nb", "a<br>b", "a\\nb", 1 },
	{ "5 < 6 & 7", NULL, "5 < 6 & 7", 0 },
	{ "5 < 6", "<p>5 &lt; 6</p>", "5 < 6", 0 },  /* unsafe HTML: plain */
	{ "tag", "<b>tag", "tag", 0 },
};

static void test_send_format(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof format_rows / sizeof format_rows[0]; i++) {
		char want[256];
		reset();
		open_plugin();
		assert_int_equal(send_msg(format_rows[i].text, format_rows[i].html, "1",
					  NULL, 0, "408258968", 1), 0);
		snprintf(want, sizeof want, "\"text\":\"%s\"", format_rows[i].sent);
		assert_non_null(strstr(active("sendMessage")->body, want));
		assert_int_equal(strstr(active("sendMessage")->body,
					"\"parse_mode\":\"HTML\"") != NULL,
				 format_rows[i].parse_mode);
		close_plugin();
	}
}

/* Telegram refusing the HTML falls back to the plain text once. */
static void test_send_entity_fallback(void **state)
{
	(void)state;
	reset();
	open_plugin();
	assert_int_equal(send_msg("plain <x>", "<b>bold</b>", "1", NULL, 0, "408258968", 5), 0);
	respond(active("sendMessage"), 400,
		"{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: can't parse entities: Can't find end tag\"}", -1);
	assert_int_equal(F.n_dones, 0);
	struct fake_req *r = active("sendMessage");
	assert_non_null(r);
	assert_non_null(strstr(r->body, "\"text\":\"plain <x>\""));
	assert_null(strstr(r->body, "parse_mode"));
	/* Plain text refused all the same: final, not retried forever. */
	respond(r, 400,
		"{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: can't parse entities: odd server\"}", -1);
	assert_int_equal(F.dones[0].status, REHABD_SEND_FAILED);
	assert_null(active("sendMessage"));
	assert_null(timer_last());
	close_plugin();
}

/* Columns: address, text, accepted by send()?. */
static const struct {
	const char *address, *text;
	int ok;
} refuse_rows[] = {
	{ "408258968", "fine", 1 },
	{ "-1001234567890", "fine", 1 },
	{ "anna", "fine", 0 },
	{ "", "fine", 0 },
	{ "408258968", "", 0 },
	{ "408258968", " \n ", 0 },
	{ "408258968", "bad \xff", 0 },
};

static void test_send_refused(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof refuse_rows / sizeof refuse_rows[0]; i++) {
		reset();
		open_plugin();
		int rc = send_msg(refuse_rows[i].text, NULL, "1", NULL, 0,
				  refuse_rows[i].address, 1);
		assert_int_equal(rc == 0, refuse_rows[i].ok);
		assert_int_equal(count("sendMessage"), (size_t)refuse_rows[i].ok);
		assert_int_equal(F.n_dones, 0);
		close_plugin();
	}
}

/* Per chat one message a second; the whole bot rate_global a second. */
static void test_send_rates(void **state)
{
	(void)state;
	reset();
	set("rate_chat", "1");
	open_plugin();
	assert_int_equal(send_msg("a", NULL, "1", NULL, 0, "408258968", 1), 0);
	assert_int_equal(send_msg("b", NULL, "1", NULL, 0, "408258968", 2), 0);
	respond(active("sendMessage"), 200, "{\"ok\":true,\"result\":{\"message_id\":1}}", -1);
	assert_null(active("sendMessage"));
	struct fake_timer *t = timer_last();
	assert_true(t->seconds > 0.9 && t->seconds <= 1.0);
	fire_early(t); /* the bucket is still empty, so it waits again */
	assert_null(active("sendMessage"));
	assert_non_null(timer_last());
	close_plugin();

	reset();
	set("rate_global", "2");
	open_plugin();
	for (uint64_t i = 0; i < 5; i++) {
		char addr[16];
		snprintf(addr, sizeof addr, "%llu", (unsigned long long)(1000 + i));
		assert_int_equal(send_msg("x", NULL, "1", NULL, 0, addr, i), 0);
	}
	assert_int_equal(count("sendMessage"), 2); /* the burst */
	t = timer_last();
	assert_true(t->seconds > 0.4 && t->seconds <= 0.5);
	close_plugin();
}

/* A typed reply to a bot message carries that message's ref. */
static void test_reply_ref(void **state)
{
	(void)state;
	reset();
	open_plugin();
	assert_int_equal(send_msg("How much did it hurt?", NULL, "77", pain, 11, "5000000001", 1), 0);
	respond(active("sendMessage"), 200, "{\"ok\":true,\"result\":{\"message_id\":158}}", -1);
	respond_file(active("getUpdates"), 200, "reply_to_bot.json");
	assert_int_equal(F.ins[0].has_ref, 1);
	assert_string_equal(F.ins[0].ref, "77");
	assert_string_equal(F.ins[0].text, "2");
	close_plugin();
}

/* "/plan@rehab_bot" reaches the coach as "/plan". */
static void test_command_suffix(void **state)
{
	(void)state;
	reset();
	open_plugin();
	respond(active("getUpdates"), 200,
		"{\"ok\":true,\"result\":[{\"update_id\":1,\"message\":{\"message_id\":1,\"chat\":{\"id\":408258968,\"type\":\"private\"},\"date\":1,\"text\":\"/pause@rehab_bot 3\"}}]}", -1);
	assert_string_equal(F.ins[0].text, "/pause 3");
	close_plugin();
}

/* A 409 is logged with what to do, again only after an hour, and
 * polling backs off; an "ok":false 401 in an HTTP 200 stops it. */
static void test_poll_conflict(void **state)
{
	const char *conflict = "{\"ok\":false,\"error_code\":409,\"description\":\"Conflict: terminated by other getUpdates request; make sure that only one bot instance is running\"}";
	(void)state;
	reset();
	open_plugin();
	for (int i = 0; i < 3; i++) {
		respond(active("getUpdates"), 409, conflict, -1);
		fire(timer_last());
	}
	assert_non_null(strstr(F.logs, "another program is reading this bot's updates"));
	assert_null(strstr(strstr(F.logs, "409") + 1, "409")); /* once */
	respond_file(active("getUpdates"), 200, "private_text.json");
	F.now += 3600;
	respond(active("getUpdates"), 409, conflict, -1);
	assert_non_null(strstr(strstr(F.logs, "409") + 1, "409"));
	fire(timer_last());
	/* Another cause is said at once. */
	respond(active("getUpdates"), 409, "{\"ok\":false,\"error_code\":409,\"description\":\"Conflict: can't use getUpdates method while webhook is active\"}", -1);
	assert_non_null(strstr(F.logs, "a webhook is set for this bot"));
	fire(timer_last());
	respond(active("getUpdates"), 200, "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}", -1);
	assert_int_equal(F.n_failed, 1);
	assert_null(active("getUpdates"));
	close_plugin();
}

/* A server that ignores the offset and sends the same batch at once,
 * again and again: stored (the host drops the repeats), never a spin. */
static void test_poll_same_batch_again(void **state)
{
	const double expect[] = { 1, 2, 4 };
	(void)state;
	reset();
	open_plugin();
	respond_file(active("getUpdates"), 200, "private_text.json");
	for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
		respond_file(active("getUpdates"), 200, "private_text.json");
		assert_null(active("getUpdates"));
		assert_true(timer_last()->seconds == expect[i]);
		fire(timer_last());
	}
	assert_int_equal(F.n_ins, 4);
	assert_string_equal(F.cursor, "306197399");
	close_plugin();
}

/* setMyCommands and edits are tried again after a 429 (as long as it
 * asks), a 5xx or garbage, up to 5 times; a late answerCallbackQuery
 * would be refused, so it is not. */
static void test_aux_retry(void **state)
{
	(void)state;
	reset();
	open_plugin();
	respond(req("setMyCommands", 0), 200,
		"{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 9\",\"parameters\":{\"retry_after\":9}}", -1);
	assert_null(active("setMyCommands"));
	struct fake_timer *t = timer_last();
	assert_non_null(t);
	assert_true(t->seconds == 9);
	fire(t);
	for (int i = 0; i < 3; i++) {
		respond(active("setMyCommands"), 502, "<html>Bad Gateway</html>", -1);
		fire(timer_last());
	}
	respond(active("setMyCommands"), 500, "", -1);
	assert_int_equal(count("setMyCommands"), 5);
	assert_null(active("setMyCommands"));
	assert_non_null(strstr(F.logs, "setMyCommands"));

	respond_file(active("getUpdates"), 200, "callback_tap.json");
	respond(active("answerCallbackQuery"), 500, "", -1);
	respond(active("editMessageText"), 0, "", -1);
	fire(timer_last());
	assert_int_equal(count("answerCallbackQuery"), 1);
	assert_int_equal(count("editMessageText"), 2);
	respond(active("editMessageText"), 200, "{\"ok\":true,\"result\":true}", -1);
	close_plugin();
}

/* A tap on a button of an inline message (no "message", only
 * inline_message_id) counts for the tapper's own chat and is answered;
 * there is no chat message to edit. */
static void test_tap_inline(void **state)
{
	(void)state;
	reset();
	open_plugin();
	respond(active("getUpdates"), 200,
		"{\"ok\":true,\"result\":[{\"update_id\":5,\"callback_query\":{\"id\":\"q5\",\"from\":{\"id\":408258968,\"is_bot\":false,\"first_name\":\"A\"},"
		"\"inline_message_id\":\"AAAB\",\"chat_instance\":\"1\",\"data\":\"42:7\"}}]}", -1);
	assert_int_equal(F.n_ins, 1);
	assert_string_equal(F.ins[0].address, "408258968");
	assert_int_equal(F.ins[0].is_private, 1);
	assert_string_equal(F.ins[0].ref, "42");
	assert_string_equal(F.ins[0].text, "7");
	assert_string_equal(active("answerCallbackQuery")->body,
			    "{\"callback_query_id\":\"q5\",\"text\":\"Saved: pain 6/10\"}");
	assert_int_equal(count("editMessageText") + count("editMessageReplyMarkup"), 0);
	close_plugin();
}

/* ---- the descriptor ----------------------------------------------------------- */

/* ABI 1.1: the host canonicalises addresses through the plugin. */
static void test_descriptor(void **state)
{
	const struct rehabd_channel *d = rehabd_channel_entry();
	char out[32], why[256];
	(void)state;
	assert_int_equal(d->abi_version, REHABD_CHANNEL_ABI_VERSION);
	assert_true(REHABD_ABI_MINOR_OF(d->abi_version) >= 1);
	assert_non_null(d->canonical_address);
	assert_int_equal(d->canonical_address("0408258968", out, sizeof out, why, sizeof why), 0);
	assert_string_equal(out, "408258968");
	assert_int_equal(d->canonical_address("@anna", out, sizeof out, why, sizeof why), -1);
	assert_non_null(strstr(why, "numeric chat id"));
}

/* ---- poison updates ---------------------------------------------------------- */

/* A good update: a message from the runner. */
static char *good_update(int64_t id)
{
	char *s;
	assert_true(asprintf(&s, "{\"update_id\":%" PRId64 ",\"message\":{\"message_id\":%" PRId64
			     ",\"chat\":{\"id\":408258968,\"type\":\"private\"},\"date\":1,"
			     "\"text\":\"pain 2/10\"}}", id, id) > 0);
	return s;
}

/* {"ok":true,"result":[a, b, c]} of the non-NULL elements. */
static char *answer_of(const char *a, const char *b, const char *c)
{
	char *s;
	assert_true(asprintf(&s, "{\"ok\":true,\"result\":[%s%s%s%s%s]}", a ? a : "",
			     a && b ? "," : "", b ? b : "", (a || b) && c ? "," : "",
			     c ? c : "") > 0);
	return s;
}

/* The poison update nested depth levels deep. */
static char *deep_update(int64_t id, size_t depth)
{
	char *s = malloc(2 * depth + 128);
	assert_non_null(s);
	int n = sprintf(s, "{\"update_id\":%" PRId64 ",\"message\":{\"chat\":{\"id\":408258968},\"zebra\":", id);
	memset(s + n, '[', depth);
	memset(s + n + depth, ']', depth);
	strcpy(s + n + 2 * depth, "}}");
	return s;
}

enum poison { P_BYTES, P_DEEP, P_TOO_BIG };

/* Columns: how the update after 10 is bad (its bytes, nested too deep,
 * or too large to arrive), its bytes, what the log line must name, the
 * cursor after the skip, the id of the good update after it. */
static const struct {
	enum poison kind;
	const char *bad;
	const char *log;
	const char *cursor;
	int64_t after;
} poison_rows[] = {
	{ P_BYTES, "{\"update_id\":11,\"message\":{\"message_id\":11,\"chat\":{\"id\":408258968,\"type\":\"private\"},\"date\":1,\"text\":\"zebra \xff\xfe\"}}",
	  "update_id 11 (invalid UTF-8)", "12", 12 },
	{ P_BYTES, "{\"update_id\":11,\"message\":{\"message_id\":11,\"chat\":{\"id\":408258968,\"type\":\"private\"},\"date\":1,\"text\":\"zebra \\ud800\"}}",
	  "update_id 11 (an invalid \\u escape)", "12", 12 },
	{ P_BYTES, "{\"update_id\":11,\"message\":{\"message_id\":11,\"chat\":{\"id\":18446744073709551616,\"type\":\"private\"},\"date\":1,\"text\":\"zebra\"}}",
	  "update_id 11 (a number out of range)", "12", 12 },
	{ P_BYTES, "{\"update_id\":11,\"message\":{\"message_id\":11,\"chat\":{\"id\":1e400,\"type\":\"private\"},\"date\":1,\"text\":\"zebra\"}}",
	  "update_id 11 (a number out of range)", "12", 12 },
	/* The update_id itself cannot be read: the one after 10. */
	{ P_BYTES, "{\"update_id\":18446744073709551616,\"message\":{\"message_id\":11,\"chat\":{\"id\":408258968,\"type\":\"private\"},\"date\":1,\"text\":\"zebra\"}}",
	  "update_id 11, taken to be the one after the last update read (its own id is unreadable) (a number out of range)", "12", 12 },
	/* An id in the bytes beyond a gap is used as it is. */
	{ P_BYTES, "{\"update_id\":15,\"message\":{\"message_id\":11,\"chat\":{\"id\":408258968,\"type\":\"private\"},\"date\":1,\"text\":\"zebra \xc0\"}}",
	  "update_id 15 (invalid UTF-8)", "16", 17 },
	{ P_DEEP, NULL, "update_id 11 (nesting too deep)", "12", 12 },
	{ P_TOO_BIG, NULL, "update_id 11, taken to be the one after the last update read (its own id is unreadable) (larger than the 8 MiB rehabd reads)", "12", 12 },
};

/*
 * A batch with a bad update between two good ones: fetched again one at
 * a time, the good one before it is stored, the bad one is skipped with
 * a log line naming its id (never its content), and batches resume with
 * the good one after it.  On the old code the same offset was asked for
 * forever.
 */
static void test_poll_poison(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof poison_rows / sizeof poison_rows[0]; i++) {
		char *g10 = good_update(10), *gafter = good_update(poison_rows[i].after);
		char *bad = poison_rows[i].kind == P_DEEP ? deep_update(11, 5000)
			    : poison_rows[i].kind == P_BYTES ? strdup(poison_rows[i].bad) : NULL;
		char *batch = answer_of(g10, bad, gafter), *alone = answer_of(bad, NULL, NULL);
		char *before = answer_of(g10, NULL, NULL), *after = answer_of(gafter, NULL, NULL);
		char want[32];
		struct fake_req *p;

		print_message("row %zu\n", i);
		reset();
		F.stored_cursor = "10";
		open_plugin();
		p = active("getUpdates");
		assert_null(strstr(p->body, "limit"));
		if (poison_rows[i].kind == P_TOO_BIG)
			respond_too_big(p);
		else
			respond(p, 200, batch, -1);
		assert_int_equal(F.n_inbound_calls, 0);

		/* At once, one at a time from the same offset. */
		p = active("getUpdates");
		assert_non_null(p);
		assert_non_null(strstr(p->body, "{\"offset\":10,\"limit\":1,"));
		respond(p, 200, before, -1);
		assert_int_equal(F.n_ins, 1);
		assert_string_equal(F.ins[0].id, "u10");
		assert_string_equal(F.cursor, "11");

		p = active("getUpdates");
		assert_non_null(strstr(p->body, "{\"offset\":11,\"limit\":1,"));
		if (poison_rows[i].kind == P_TOO_BIG)
			respond_too_big(p);
		else
			respond(p, 200, alone, -1);
		/* Skipped: the cursor is committed past it, alone. */
		assert_int_equal(F.n_inbound_calls, 2);
		assert_int_equal(F.n_ins, 1);
		assert_string_equal(F.cursor, poison_rows[i].cursor);
		assert_non_null(strstr(F.logs, "an update Telegram sent could not be read and was skipped: "));
		assert_non_null(strstr(F.logs, poison_rows[i].log));
		assert_null(strstr(F.logs, "zebra"));

		/* Batches again. */
		p = active("getUpdates");
		assert_non_null(p);
		snprintf(want, sizeof want, "{\"offset\":%s,\"timeout\"", poison_rows[i].cursor);
		assert_non_null(strstr(p->body, want));
		respond(p, 200, after, -1);
		assert_int_equal(F.n_ins, 2);
		snprintf(want, sizeof want, "u%" PRId64, poison_rows[i].after);
		assert_string_equal(F.ins[1].id, want);
		assert_null(timer_last());
		assert_null(strstr(active("getUpdates")->body, "limit"));
		close_plugin();
		free(g10);
		free(gafter);
		free(bad);
		free(batch);
		free(alone);
		free(before);
		free(after);
	}
}

/* A batch that is only the bad update needs no second look; several
 * without a usable id are skipped one by one; an update_id already
 * confirmed (a server that ignores the offset) moves nothing. */
static void test_poll_poison_alone(void **state)
{
	(void)state;
	reset();
	F.stored_cursor = "10";
	open_plugin();
	respond(active("getUpdates"), 200,
		"{\"ok\":true,\"result\":[{\"update_id\":10,\"message\":{\"text\":\"\xff\"}}]}", -1);
	assert_string_equal(F.cursor, "11");
	assert_non_null(strstr(F.logs, "update_id 10 (invalid UTF-8)"));
	assert_null(strstr(active("getUpdates")->body, "limit"));

	/* Loaded, but no element has a usable update_id. */
	respond(active("getUpdates"), 200,
		"{\"ok\":true,\"result\":[{\"update_id\":-4},{\"update_id\":\"x\"}]}", -1);
	assert_non_null(strstr(active("getUpdates")->body, "{\"offset\":11,\"limit\":1,"));
	respond(active("getUpdates"), 200, "{\"ok\":true,\"result\":[{\"update_id\":-4}]}", -1);
	assert_string_equal(F.cursor, "12");
	assert_non_null(strstr(F.logs, "update_id 11, taken to be"));
	respond(active("getUpdates"), 200, "{\"ok\":true,\"result\":[{\"update_id\":\"x\"}]}", -1);
	assert_string_equal(F.cursor, "13");

	/* Below the offset: confirmed long ago; no cursor moves back. */
	size_t calls = F.n_inbound_calls;
	respond(active("getUpdates"), 200,
		"{\"ok\":true,\"result\":[{\"update_id\":5,\"message\":{\"text\":\"\xff\"}}]}", -1);
	assert_int_equal(F.n_inbound_calls, calls);
	assert_string_equal(F.cursor, "13");
	assert_null(active("getUpdates"));
	fire(timer_last());
	assert_non_null(strstr(active("getUpdates")->body, "{\"offset\":13,\"timeout\""));
	close_plugin();
}

/* Bodies that are no answer skip nothing, also while looking for a bad
 * update; the host failing to store the skip skips nothing either. */
static void test_poll_poison_no_answer(void **state)
{
	(void)state;
	reset();
	F.stored_cursor = "10";
	open_plugin();
	char *g10 = good_update(10), *g12 = good_update(12);
	char *batch = answer_of(g10, "{\"update_id\":11,\"x\":\"\\udc00\"}", g12);
	respond(active("getUpdates"), 200, batch, -1);
	assert_non_null(strstr(F.logs, "a batch of 3 updates could not be read (an invalid \\u escape); fetching them one at a time"));
	/* A proxy's page, then a cut body: backoff, the same probe again. */
	respond(active("getUpdates"), 502, "<html>Bad Gateway</html>", -1);
	fire(timer_last());
	respond(active("getUpdates"), 200, "{\"ok\":true,\"result\":[{\"update_id\":11,\"x\":\"\\udc00", -1);
	assert_non_null(strstr(F.logs, "is not valid JSON (invalid JSON) nor a whole Bot API answer — a proxy or server fault, not an update; the updates wait on the server"));
	fire(timer_last());
	struct fake_req *p = active("getUpdates");
	assert_non_null(strstr(p->body, "{\"offset\":10,\"limit\":1,"));
	assert_int_equal(F.n_inbound_calls, 0);
	/* The server ignores limit: the bad one cannot be told apart. */
	respond(p, 200, batch, -1);
	assert_int_equal(F.n_inbound_calls, 0);
	assert_non_null(strstr(F.logs, "asked for one update, the server sent 3"));
	fire(timer_last());
	/* The host cannot store the skip: asked again later. */
	F.inbound_rc = -1;
	respond(active("getUpdates"), 200, "{\"ok\":true,\"result\":[{\"update_id\":10,\"x\":\"\\udc00\"}]}", -1);
	assert_non_null(strstr(F.logs, "could not be stored"));
	assert_null(strstr(F.logs, "was skipped"));
	fire(timer_last());
	F.inbound_rc = 0;
	respond(active("getUpdates"), 200, "{\"ok\":true,\"result\":[{\"update_id\":10,\"x\":\"\\udc00\"}]}", -1);
	assert_string_equal(F.cursor, "11");
	/* Batches again. */
	assert_null(strstr(active("getUpdates")->body, "limit"));
	close_plugin();
	free(g10);
	free(g12);
	free(batch);
}

/* Over the cap as a batch, each update fitting alone: all stored one
 * at a time; after a whole batch of them, batches again. */
static void test_poll_too_big_batch(void **state)
{
	(void)state;
	reset();
	F.stored_cursor = "10";
	open_plugin();
	respond_too_big(active("getUpdates"));
	assert_non_null(strstr(F.logs, "the answer is larger than the 8 MiB rehabd reads; fetching the updates one at a time"));
	for (int64_t id = 10; id < 110; id++) {
		char *g = good_update(id), *a = answer_of(g, NULL, NULL), want[40];
		struct fake_req *p = active("getUpdates");
		snprintf(want, sizeof want, "{\"offset\":%" PRId64 ",\"limit\":1,", id);
		assert_non_null(p);
		assert_non_null(strstr(p->body, want));
		respond(p, 200, a, -1);
		free(g);
		free(a);
	}
	assert_int_equal(F.n_ins, 100);
	assert_string_equal(F.cursor, "110");
	assert_null(strstr(active("getUpdates")->body, "limit"));
	assert_null(strstr(F.logs, "was skipped"));
	close_plugin();
}

/* Nothing confirmed yet and the first update's id unreadable: nothing
 * can be skipped safely; the admin is told what to do, once an hour. */
static void test_poll_poison_stuck(void **state)
{
	const char *bad = "{\"ok\":true,\"result\":[{\"update_id\":18446744073709551616,\"message\":{\"text\":\"zebra\"}}]}";
	(void)state;
	reset();
	open_plugin();
	for (int i = 0; i < 3; i++) {
		respond(active("getUpdates"), 200, bad, -1);
		assert_null(active("getUpdates"));
		fire(timer_last());
	}
	assert_int_equal(F.n_inbound_calls, 0);
	const char *first = strstr(F.logs, "drop_pending_updates=true");
	assert_non_null(first);
	assert_null(strstr(first + 1, "drop_pending_updates=true"));
	assert_null(strstr(F.logs, "zebra"));
	F.now += 3600;
	respond(active("getUpdates"), 200, bad, -1);
	assert_non_null(strstr(first + 1, "drop_pending_updates=true"));
	/* With an id in its bytes, the first update is skipped. */
	fire(timer_last());
	respond(active("getUpdates"), 200,
		"{\"ok\":true,\"result\":[{\"update_id\":77,\"message\":{\"text\":\"\xff\"}}]}", -1);
	assert_string_equal(F.cursor, "78");
	close_plugin();
}

static int teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < F.n_reqs; i++)
		free(F.reqs[i].body);
	F.n_reqs = 0;
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_config, teardown),
		cmocka_unit_test_teardown(test_open_401, teardown),
		cmocka_unit_test_teardown(test_poll_confirms_after_store, teardown),
		cmocka_unit_test_teardown(test_poll_group_and_big_ids, teardown),
		cmocka_unit_test_teardown(test_poll_errors, teardown),
		cmocka_unit_test_teardown(test_poll_backoff_grows, teardown),
		cmocka_unit_test_teardown(test_poll_fast_empty, teardown),
		cmocka_unit_test_teardown(test_poll_401, teardown),
		cmocka_unit_test_teardown(test_tap, teardown),
		cmocka_unit_test_teardown(test_tap_old_message, teardown),
		cmocka_unit_test_teardown(test_send_outcomes, teardown),
		cmocka_unit_test_teardown(test_send_429_holds_chat, teardown),
		cmocka_unit_test_teardown(test_send_403_drains, teardown),
		cmocka_unit_test_teardown(test_send_split, teardown),
		cmocka_unit_test_teardown(test_send_format, teardown),
		cmocka_unit_test_teardown(test_send_entity_fallback, teardown),
		cmocka_unit_test_teardown(test_send_refused, teardown),
		cmocka_unit_test_teardown(test_send_rates, teardown),
		cmocka_unit_test_teardown(test_reply_ref, teardown),
		cmocka_unit_test_teardown(test_command_suffix, teardown),
		cmocka_unit_test_teardown(test_poll_conflict, teardown),
		cmocka_unit_test_teardown(test_poll_same_batch_again, teardown),
		cmocka_unit_test_teardown(test_aux_retry, teardown),
		cmocka_unit_test_teardown(test_tap_inline, teardown),
		cmocka_unit_test_teardown(test_tap_redelivered, teardown),
		cmocka_unit_test_teardown(test_descriptor, teardown),
		cmocka_unit_test_teardown(test_poll_poison, teardown),
		cmocka_unit_test_teardown(test_poll_poison_alone, teardown),
		cmocka_unit_test_teardown(test_poll_poison_no_answer, teardown),
		cmocka_unit_test_teardown(test_poll_too_big_batch, teardown),
		cmocka_unit_test_teardown(test_poll_poison_stuck, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
