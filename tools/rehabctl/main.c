/*
 * rehabctl: the admin's and physio's tool.  Offline subcommands read
 * program files and replies without a running daemon; live ones (status)
 * ask it over its control socket.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"

struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct subcommand subcommands[] = {
	{ "status", rehabctl_status_main,
	  "[--json]                  who is reached, how each runner stands" },
	{ "pause", rehabctl_admin_main,
	  "RUNNER [DAYS]             pause a runner's plan; they are told" },
	{ "resume", rehabctl_admin_main,
	  "RUNNER                    end a pause; they are told" },
	{ "clear-flag", rehabctl_admin_main,
	  "RUNNER                    a clinician lifts a red flag (logged)" },
	{ "send-test", rehabctl_admin_main,
	  "RUNNER                    a short test message now" },
	{ "reload", rehabctl_admin_main,
	  "                          re-read rehabd.conf, say whether it was taken" },
	{ "history", rehabctl_history_main,
	  "RUNNER [--days N]         a runner's days: scores, flags, reasons" },
	{ "export", rehabctl_history_main,
	  "[RUNNER] --csv            the same as CSV, for a spreadsheet" },
	{ "forget", rehabctl_history_main,
	  "RUNNER                    erase a removed runner's health data" },
	{ "backup", rehabctl_backup_main,
	  "FILE [--state-dir DIR]    a consistent copy of the database, live" },
	{ "parse", rehabctl_parse_main,
	  "[--json] TEXT             show how rehabd reads a runner's reply" },
	{ "preview", rehabctl_preview_main,
	  "--program FILE --start YYYY-MM-DD --days N [--scores FILE] [--json]\n"
	  "                                       print the plan for each day of a program" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: rehabctl COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
		fprintf(out, "  %-10s %s\n", subcommands[i].name,
			subcommands[i].summary);
	fprintf(out, "\nThe live commands (all but parse, preview and backup) talk to\n"
		"the running rehabd over its control socket (--socket PATH; default\n"
		"/run/rehabd/control.sock, else /var/lib/rehabd/control.sock); run\n"
		"them as root or as rehabd's user.  rehabctl COMMAND --help for more.\n"
		"\n  rehabctl --version, rehabctl --help\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("rehabctl %s\n", REHABD_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "rehabctl: unknown command \"%s\" — run rehabctl --help for the list\n",
		argv[1]);
	return 2;
}
