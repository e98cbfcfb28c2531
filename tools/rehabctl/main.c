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
	{ "parse", rehabctl_parse_main,
	  "[--json] TEXT      show how rehabd reads a runner's reply" },
	{ "status", rehabctl_status_main,
	  "[--json] [--socket PATH]\n"
	  "                           ask the running rehabd who is reached and how\n"
	  "                           each runner stands" },
	{ "preview", rehabctl_preview_main,
	  "--program FILE --start YYYY-MM-DD --days N [--scores FILE] [--json]\n"
	  "                           print the plan for each day of a program" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: rehabctl COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
		fprintf(out, "  %-8s %s\n", subcommands[i].name,
			subcommands[i].summary);
	fprintf(out, "\n  rehabctl --version, rehabctl --help\n");
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
