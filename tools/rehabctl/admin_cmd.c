/*
 * rehabctl pause RUNNER [DAYS] | resume RUNNER | clear-flag RUNNER |
 * send-test RUNNER | reload [--socket PATH]: the live commands that change something, sent
 * to the running daemon (daemon/control_admin.c), which commits the
 * change, tells the runner and logs it before it answers.  Exit 0 when
 * done, 1 when the daemon could not be reached or refused (the message
 * says why), 2 for a usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "commands.h"

static int usage(FILE *out, const char *cmd)
{
	(void)cmd;
	fprintf(out,
		"usage: rehabctl pause RUNNER [DAYS] [--socket PATH]\n"
		"         pause the plan (DAYS days, or until resume); the runner is told\n"
		"       rehabctl resume RUNNER [--socket PATH]\n"
		"       rehabctl clear-flag RUNNER [--socket PATH]\n"
		"         a clinician lifts a standing red flag (logged; the runner is told)\n"
		"       rehabctl send-test RUNNER [--socket PATH]\n"
		"         a short test message now, to see that the runner is reached\n"
		"       rehabctl reload [--socket PATH]\n"
		"         re-read rehabd.conf; a refused one is reported and the running\n"
		"         configuration stays\n");
	return out == stderr ? 2 : 0;
}

int rehabctl_admin_main(int argc, char **argv)
{
	const char *cmd = argv[0], *given = NULL, *args[2] = { NULL, NULL };
	int n_args = 0, want = !strcmp(cmd, "reload") ? 0 : 1,
	    may = !strcmp(cmd, "pause") ? 2 : want;
	json_t *req, *ans;
	char *text;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--socket") && i + 1 < argc)
			given = argv[++i];
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return usage(stdout, cmd);
		else if (argv[i][0] == '-' && argv[i][1])
			return fprintf(stderr, "rehabctl %s: unknown option \"%s\"\n", cmd, argv[i]), usage(stderr, cmd);
		else if (n_args < may)
			args[n_args++] = argv[i];
		else
			return fprintf(stderr, "rehabctl %s: unexpected \"%s\"\n", cmd, argv[i]), usage(stderr, cmd);
	}
	if (n_args < want)
		return fprintf(stderr, "rehabctl %s: name the runner\n", cmd), usage(stderr, cmd);
	req = json_pack("{s:s}", "cmd", cmd);
	if (want)
		json_object_set_new(req, "runner", json_string(args[0]));
	if (args[1]) {
		char *end;
		long days = strtol(args[1], &end, 10);
		if (*end || days < 1 || days > 365) {
			json_decref(req);
			fprintf(stderr, "rehabctl pause: DAYS is a whole number from 1 to 365 (leave it out to pause until resume)\n");
			return 2;
		}
		json_object_set_new(req, "days", json_integer(days));
	}
	text = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	ans = text ? rehabctl_ask(rehabctl_socket_path(given), text) : NULL;
	free(text);
	if (!ans)
		return 1;
	if (!strcmp(cmd, "reload"))
		printf("rehabd reloaded: %lld channel(s), %lld runner(s)%s\n",
		       (long long)json_integer_value(json_object_get(ans, "channels")),
		       (long long)json_integer_value(json_object_get(ans, "runners")),
		       json_is_true(json_object_get(ans, "waiting"))
			       ? " (switching once the messages being sent have reported)" : "");
	else if (!strcmp(cmd, "pause"))
		printf("%s is paused %s; they were told\n", args[0],
		       args[1] ? "for those days" : "until rehabctl resume");
	else if (!strcmp(cmd, "resume"))
		printf("%s's plan goes on; they were told\n", args[0]);
	else if (!strcmp(cmd, "send-test"))
		printf("a test message to %s is on its way over channel %s; rehabctl status shows whether it arrived\n",
		       args[0], json_string_value(json_object_get(ans, "channel"))
				? json_string_value(json_object_get(ans, "channel")) : "?");
	else
		printf("%s's red flag (reported %s) is cleared; they were told, and two easier days come first\n",
		       args[0], json_string_value(json_object_get(ans, "flag_since"))
				? json_string_value(json_object_get(ans, "flag_since")) : "?");
	json_decref(ans);
	return 0;
}
