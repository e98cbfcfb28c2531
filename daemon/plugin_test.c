/* rehabd --plugin-test; see plugin_test.h. */
#include "plugin_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ev.h>

#include "config.h"
#include "host.h"
#include "http.h"

struct pt {
	struct ev_loop *loop;
	int reported;
	int sent_ok;
	ev_timer deadline;
	ev_timer after;
};

static const char *const status_names[] = { "sent", "retry", "unreachable",
					    "failed" };

static int pt_inbound(void *ctx, struct host_channel *ch,
		      const struct rehabd_inbound *msgs, size_t n,
		      const char *cursor, struct rehabd_inbound_result *results)
{
	(void)ctx;
	(void)ch;
	for (size_t i = 0; i < n; i++) {
		printf("inbound: id %s from %s%s%s%s: \"%s\"\n",
		       msgs[i].id ? msgs[i].id : "(none)",
		       msgs[i].address ? msgs[i].address : "(none)",
		       msgs[i].ref ? ", answering " : "", msgs[i].ref ? msgs[i].ref : "",
		       msgs[i].is_choice ? ", a tap" : "",
		       msgs[i].text ? msgs[i].text : "");
		if (results) {
			memset(&results[i], 0, sizeof results[i]);
			results[i].status = REHABD_INBOUND_ACCEPTED;
			snprintf(results[i].ack, sizeof results[i].ack, "Received (plugin test)");
		}
	}
	printf("inbound: %zu message(s), cursor %s\n", n, cursor ? cursor : "(unchanged)");
	fflush(stdout);
	return 0;
}

static char *pt_cursor_load(void *ctx, struct host_channel *ch)
{
	(void)ctx;
	(void)ch;
	return NULL;
}

static void pt_after(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)w;
	(void)revents;
	ev_break(loop, EVBREAK_ALL);
}

static void pt_send_done(void *ctx, struct host_channel *ch, uint64_t token,
			 const struct rehabd_send_result *r)
{
	struct pt *pt = ctx;
	(void)ch;
	printf("send_done: token %llu: %s%s%s%s%s\n", (unsigned long long)token,
	       r->status <= REHABD_SEND_FAILED ? status_names[r->status] : "unknown status",
	       r->remote_id ? ", server id " : "", r->remote_id ? r->remote_id : "",
	       r->error ? ": " : "", r->error ? r->error : "");
	if (r->status == REHABD_SEND_RETRY && r->retry_after_ms)
		printf("send_done: the server asks to wait %ld ms\n", r->retry_after_ms);
	fflush(stdout);
	pt->reported = 1;
	pt->sent_ok = r->status == REHABD_SEND_OK;
	ev_timer_stop(pt->loop, &pt->deadline);
	/* Replies to the test message are read (and printed) for as long
	 * again as the outcome took at most. */
	ev_timer_start(pt->loop, &pt->after);
}

static double pt_now(void *ctx)
{
	(void)ctx;
	return ev_time();
}

static void pt_deadline(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)w;
	(void)revents;
	printf("no send_done within the time given — the plugin must report every send exactly once\n");
	ev_break(loop, EVBREAK_ALL);
}

int plugin_test_run(const struct plugin_test_options *opt)
{
	static const struct rehabd_choice choices[] = {
		{ "Done ✓", "done" }, { "Skip", "skip" }, { "0", "0" }, { "5", "5" },
	};
	char dir[4096], name[256], err[CFG_ERR_MAX], canon[256], why[256];
	const char *slash = strrchr(opt->file, '/'), *base = slash ? slash + 1 : opt->file;
	size_t blen = strlen(base);
	struct cfg_setting *set = calloc(opt->n_settings ? opt->n_settings : 1, sizeof *set);
	struct cfg cfg = { .path = "plugin-test", .plugin_dir = dir };
	struct cfg_channel cc = { .name = "test", .plugin = name, .line = 1,
				  .n_settings = opt->n_settings, .settings = set };
	struct pt pt = { 0 };
	struct host_callbacks cb = { .ctx = &pt, .inbound = pt_inbound,
				     .cursor_load = pt_cursor_load,
				     .send_done = pt_send_done, .now = pt_now };
	struct http *http = NULL;
	struct host_channel *ch = NULL;
	int rc = 1;

	if (!set)
		return 1;
	if (blen < 4 || strcmp(base + blen - 3, ".so") || blen - 3 >= sizeof name) {
		printf("%s: give the plugin's .so file\n", opt->file);
		goto out;
	}
	snprintf(name, sizeof name, "%.*s", (int)(blen - 3), base);
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - opt->file) : 1,
		 slash ? opt->file : ".");
	for (size_t i = 0; i < opt->n_settings; i++) {
		const char *eq = strchr(opt->settings[i], '=');
		if (!eq || eq == opt->settings[i]) {
			printf("--set %s: write KEY=VALUE\n", opt->settings[i]);
			goto out;
		}
		set[i].key = strndup(opt->settings[i], (size_t)(eq - opt->settings[i]));
		set[i].value = strdup(eq + 1);
		set[i].line = 1;
	}
	pt.loop = ev_loop_new(EVFLAG_AUTO);
	http = pt.loop ? http_new(pt.loop, err, sizeof err) : NULL;
	if (!http) {
		printf("cannot start: %s\n", pt.loop ? err : "no event loop");
		goto out;
	}
	ch = host_channel_new(pt.loop, http, &cfg, &cc, &cb, err, sizeof err);
	if (!ch) {
		printf("load: %s\n", err);
		goto out;
	}
	printf("load: %s: plugin \"%s\" loaded\n", opt->file, host_channel_plugin(ch));
	if (host_channel_canonical(ch, opt->address, canon, sizeof canon, why, sizeof why) != 0) {
		printf("address: \"%s\" refused by the plugin: %s\n", opt->address, why);
		goto out;
	}
	if (strcmp(canon, opt->address))
		printf("address: \"%s\" is \"%s\" in canonical form\n", opt->address, canon);
	const char *addr = canon;
	if (host_channel_set_runners(ch, &addr, 1) != 0 ||
	    host_channel_check(ch, err, sizeof err) != 0) {
		printf("check: %s\n", err);
		goto out;
	}
	printf("check: ok\n");
	if (host_channel_open(ch, err, sizeof err) != 0) {
		printf("open: %s\n", err);
		goto out;
	}
	printf("open: ok\n");
	struct rehabd_message m = {
		.size = sizeof m, .ref = "1", .runner = "test", .address = canon,
		.kind = "test", .local_time = "now", .subject = "rehabd plugin test",
		.text = "rehabd --plugin-test: a test message with quick answers.",
		.html = "<b>rehabd --plugin-test</b>: a test message with quick answers.",
		.choices = choices, .n_choices = sizeof choices / sizeof choices[0],
		.choices_per_row = 2, .key = "rehabd-plugin-test-1",
	};
	ev_timer_init(&pt.deadline, pt_deadline, opt->wait, 0);
	ev_timer_init(&pt.after, pt_after, opt->wait, 0);
	printf("send: a message to %s with 4 quick answers, as token 1; waiting up to %.0f s\n",
	       canon, opt->wait);
	fflush(stdout);
	if (host_channel_send(ch, &m, 1) != 0) {
		printf("send: the plugin refused the message outright\n");
		goto out;
	}
	if (!pt.reported)
		ev_timer_start(pt.loop, &pt.deadline);
	ev_run(pt.loop, 0);
	rc = pt.sent_ok ? 0 : 1;
	printf("result: %s\n", rc == 0 ? "the message was sent" : "the message was not sent");
out:
	if (ch)
		host_channel_free(ch);
	if (http)
		http_free(http);
	if (pt.loop)
		ev_loop_destroy(pt.loop);
	for (size_t i = 0; i < opt->n_settings; i++) {
		free(set[i].key);
		free(set[i].value);
	}
	free(set);
	return rc;
}
