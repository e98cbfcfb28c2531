/*
 * The console channel: a real channel over the terminal.  Messages are
 * printed to stdout; the runner's replies are read from stdin, one per
 * line, so anyone can try rehabd without an account anywhere.
 *
 * Output, one block per message:
 *
 *     === 2026-03-02 07:00 CET | anna | morning | ref 12 ===
 *     <the message text>
 *     [reply: 0 1 2 3 4 5 6 7 8 9 10]
 *     <blank line>
 *
 * Input: a line is a reply from the only console runner, or from the
 * runner whose address starts the line ("anna: 3").  "ref 12: 6" answers
 * message 12 specifically (like tapping a button on it).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rehabd/channel.h>

#include "console_lines.h"

struct console {
	const struct rehabd_host_api *api;
	struct rehabd_host *host;
	uint64_t watch;
	struct console_lines lines;
	unsigned long counter;
};

static const char *const console_settings[] = { NULL };

/* A channel-unique id for a line: the time it was read plus a counter,
 * so ids stay unique across restarts. */
static void line_id(struct console *c, char *buf, size_t len)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(buf, len, "c%lld.%09ld-%lu", (long long)ts.tv_sec, ts.tv_nsec,
		 ++c->counter);
}

static const char *runner_address(void *arg, size_t i)
{
	struct console *c = arg;
	return c->api->runner_address(c->host, i);
}

/* Hands one line to the host as a reply (console_line_fn). */
static void handle_line(void *arg, char *line)
{
	struct console *c = arg;
	struct console_reply r;
	char id[64];
	size_t n = c->api->runner_count(c->host);

	if (!line) {
		c->api->log(c->host, REHABD_LOG_WARN, "ignored an input line over %d bytes",
			    CONSOLE_LINE_MAX);
		return;
	}
	switch (console_line_parse(line, n, runner_address, c, &r)) {
	case CONSOLE_LINE_BLANK:
		return;
	case CONSOLE_LINE_NO_RUNNER:
		c->api->log(c->host, REHABD_LOG_WARN,
			    "start the line with the runner's address, e.g. \"%s: 3\"",
			    n ? c->api->runner_address(c->host, 0) : "anna");
		return;
	case CONSOLE_LINE_REPLY:
		break;
	}

	line_id(c, id, sizeof id);
	struct rehabd_inbound in = {
		.size = sizeof in,
		.id = id,
		.address = c->api->runner_address(c->host, r.runner),
		.text = r.text,
		.ref = r.ref,
		.is_choice = r.ref != NULL,
		.is_private = 1,
	};
	struct rehabd_inbound_result res;
	if (c->api->inbound(c->host, &in, 1, NULL, &res) != 0)
		c->api->log(c->host, REHABD_LOG_ERROR,
			    "the reply could not be stored; type it again");
}

static void on_readable(void *arg, int fd)
{
	struct console *c = arg;
	char chunk[1024];
	ssize_t r = read(fd, chunk, sizeof chunk);

	if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
		/* End of input: keep sending, stop reading. */
		c->api->io_cancel(c->host, c->watch);
		c->watch = 0;
		console_lines_end(&c->lines, handle_line, c);
		return;
	}
	if (r > 0)
		console_lines_feed(&c->lines, chunk, (size_t)r, handle_line, c);
}

static int console_open(const struct rehabd_host_api *api, struct rehabd_host *host,
			void **state, char *err, size_t errlen)
{
	struct console *c = calloc(1, sizeof *c);
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	c->api = api;
	c->host = host;
	c->watch = api->io_watch(host, STDIN_FILENO, on_readable, c);
	if (!c->watch)
		api->log(host, REHABD_LOG_WARN, "cannot read stdin; replies are off");
	*state = c;
	return 0;
}

static int console_send(void *state, const struct rehabd_message *msg, uint64_t token)
{
	struct console *c = state;
	struct rehabd_send_result res = { .size = sizeof res };

	printf("=== %s | %s | %s | ref %s ===\n%s\n", msg->local_time ? msg->local_time : "",
	       msg->runner, msg->kind ? msg->kind : "", msg->ref ? msg->ref : "", msg->text);
	if (msg->n_choices) {
		fputs("[reply:", stdout);
		for (size_t i = 0; i < msg->n_choices; i++)
			printf(" %s", msg->choices[i].value);
		fputs("]\n", stdout);
	}
	fputs("\n", stdout);
	/* A reader sees each message as it is sent, not when a buffer
	 * fills. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		clearerr(stdout);
		res.status = REHABD_SEND_RETRY;
		res.error = "stdout not writable";
	} else {
		res.status = REHABD_SEND_OK;
	}
	c->api->send_done(c->host, token, &res);
	return 0;
}

static void console_close(void *state)
{
	struct console *c = state;
	if (c->watch)
		c->api->io_cancel(c->host, c->watch);
	free(c);
}

static const struct rehabd_channel console_channel = {
	.abi_version = REHABD_CHANNEL_ABI_VERSION,
	.name = "console",
	.description = "messages on stdout, replies from stdin",
	.settings = console_settings,
	.open = console_open,
	.send = console_send,
	.close = console_close,
};

REHABD_EXPORT const struct rehabd_channel *rehabd_channel_entry(void)
{
	return &console_channel;
}
