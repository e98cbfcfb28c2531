/*
 * rehabctl status [--json] [--socket PATH]: asks the running daemon, over
 * its control socket (daemon/control.h), who is reached and how each
 * runner stands.  A table by default, the daemon's JSON with --json.
 * Exit 0 when the daemon answered, 1 when it could not be reached or
 * refused, 2 for a usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "commands.h"
#include "control.h"

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
	ans = rehabctl_ask(rehabctl_socket_path(given), "{\"cmd\":\"status\"}");
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
