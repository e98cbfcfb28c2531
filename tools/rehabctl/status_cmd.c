/*
 * rehabctl status [--json] [--socket PATH]: asks the running daemon, over
 * its control socket (daemon/control.h), who is reached and how each
 * runner stands.  A table by default, the daemon's JSON with --json.
 * Exit 0 when the daemon answered, 1 when it could not be reached or
 * refused, 2 for a usage error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <jansson.h>

#include "commands.h"
#include "control.h"

/* Where the daemon listens: systemd's RuntimeDirectory first, then the
 * default state directory. */
static const char *const default_sockets[] = {
	"/run/rehabd/" CONTROL_SOCKET,
	"/var/lib/rehabd/" CONTROL_SOCKET,
};

static void status_usage(FILE *out)
{
	fprintf(out,
		"usage: rehabctl status [--json] [--socket PATH]\n"
		"  asks the running rehabd who is reached: every runner's channel,\n"
		"  whether they can be reached, stage and day, flags, last scores and\n"
		"  reminders not delivered in 7 days; every channel up or stopped.\n"
		"  PATH defaults to $REHABD_SOCKET, else /run/rehabd/%s, else\n"
		"  /var/lib/rehabd/%s (daemon.state_dir).\n",
		CONTROL_SOCKET, CONTROL_SOCKET);
}

static const char *socket_path(const char *given)
{
	const char *env = getenv("REHABD_SOCKET");
	struct stat sb;

	if (given)
		return given;
	if (env && *env)
		return env;
	for (size_t i = 0; i < sizeof default_sockets / sizeof default_sockets[0]; i++)
		if (stat(default_sockets[i], &sb) == 0)
			return default_sockets[i];
	return default_sockets[0];
}

/* Sends request and reads the answer line.  Returns the parsed answer
 * or NULL with what went wrong printed. */
json_t *rehabctl_ask(const char *path, const char *request)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char *buf = NULL;
	size_t len = 0, cap = 0;
	json_error_t jerr;
	json_t *ans;
	int fd;

	if (strlen(path) >= sizeof sa.sun_path) {
		fprintf(stderr, "rehabctl: %s: the path is too long\n", path);
		return NULL;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		if (errno == EACCES || errno == EPERM)
			fprintf(stderr, "rehabctl: not allowed to reach rehabd at %s — run rehabctl as root (sudo) or as rehabd's user\n",
				path);
		else
			fprintf(stderr, "rehabctl: cannot reach rehabd at %s: %s — is it running (systemctl status rehabd)? Give the socket with --socket PATH (it is <state_dir>/%s when not under systemd)\n",
				path, strerror(errno), CONTROL_SOCKET);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (send(fd, request, strlen(request), MSG_NOSIGNAL) < 0 ||
	    send(fd, "\n", 1, MSG_NOSIGNAL) < 0) {
		fprintf(stderr, "rehabctl: %s: %s\n", path, strerror(errno));
		close(fd);
		return NULL;
	}
	for (;;) {
		if (cap - len < 4096) {
			char *nb = realloc(buf, cap = cap ? cap * 2 : 65536);
			if (!nb) {
				free(buf);
				close(fd);
				fprintf(stderr, "rehabctl: out of memory\n");
				return NULL;
			}
			buf = nb;
		}
		ssize_t n = recv(fd, buf + len, cap - len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	ans = buf ? json_loadb(buf, len, 0, &jerr) : NULL;
	free(buf);
	if (!json_is_object(ans)) {
		fprintf(stderr, "rehabctl: rehabd's answer could not be read — is the daemon the same version as rehabctl?\n");
		json_decref(ans);
		return NULL;
	}
	if (!json_is_true(json_object_get(ans, "ok"))) {
		const char *why = json_string_value(json_object_get(ans, "error"));
		fprintf(stderr, "rehabctl: rehabd refused: %s\n", why ? why : "no reason given");
		json_decref(ans);
		return NULL;
	}
	return ans;
}

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static void score_text(const json_t *v, char *buf, size_t len)
{
	if (json_is_number(v))
		snprintf(buf, len, "%g", json_number_value(v));
	else
		snprintf(buf, len, "-");
}

static void print_table(const json_t *ans)
{
	const json_t *runners = json_object_get(ans, "runners");
	const json_t *chans = json_object_get(ans, "channels");
	size_t i;
	json_t *r, *c;

	printf("%-16s %-10s %-9s %-16s %-7s %-7s %-11s %s\n", "RUNNER", "CHANNEL",
	       "REACHED", "STAGE", "MORNING", "SESSION", "UNDELIVERED", "FLAGS");
	json_array_foreach(runners, i, r) {
		char stage[40], m[16], s[16], flags[256] = "";
		size_t k;
		json_t *f;

		if (json_is_true(json_object_get(r, "started")))
			snprintf(stage, sizeof stage, "%lld, day %lld/%lld",
				 (long long)json_integer_value(json_object_get(r, "stage")),
				 (long long)json_integer_value(json_object_get(r, "day_in_stage")),
				 (long long)json_integer_value(json_object_get(r, "stage_days")));
		else
			snprintf(stage, sizeof stage, "not started");
		score_text(json_object_get(r, "last_morning"), m, sizeof m);
		score_text(json_object_get(r, "last_session"), s, sizeof s);
		json_array_foreach(json_object_get(r, "flags"), k, f) {
			size_t used = strlen(flags);
			snprintf(flags + used, sizeof flags - used, "%s%s", k ? ", " : "",
				 json_string_value(f) ? json_string_value(f) : "");
		}
		printf("%-16s %-10s %-9s %-16s %-7s %-7s %-11lld %s\n", str(r, "name"),
		       str(r, "channel"),
		       json_is_true(json_object_get(r, "reachable")) ? "yes" : "NO",
		       stage, m, s,
		       (long long)json_integer_value(json_object_get(r, "undelivered_7d")),
		       flags[0] ? flags : "-");
	}
	json_array_foreach(chans, i, c)
		printf("channel %s (%s): %s\n", str(c, "name"), str(c, "plugin"),
		       json_is_true(json_object_get(c, "up")) ? "up" : "STOPPED — see the log (journalctl -u rehabd)");
}

int rehabctl_status_main(int argc, char **argv)
{
	const char *given = NULL;
	int as_json = 0;
	json_t *ans;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			as_json = 1;
		} else if (!strcmp(argv[i], "--socket") && i + 1 < argc) {
			given = argv[++i];
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			status_usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "rehabctl status: unexpected \"%s\"\n", argv[i]);
			status_usage(stderr);
			return 2;
		}
	}
	ans = rehabctl_ask(socket_path(given), "{\"cmd\":\"status\"}");
	if (!ans)
		return 1;
	if (as_json) {
		char *text = json_dumps(ans, JSON_INDENT(2) | JSON_SORT_KEYS);
		if (text)
			puts(text);
		free(text);
	} else {
		print_table(ans);
	}
	json_decref(ans);
	return 0;
}
