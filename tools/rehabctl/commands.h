/* The subcommands of rehabctl, one file each.  Each takes the arguments
 * after the subcommand name (argv[0] is the subcommand) and returns the
 * process exit status. */
#ifndef REHABCTL_COMMANDS_H
#define REHABCTL_COMMANDS_H

int rehabctl_parse_main(int argc, char **argv);
int rehabctl_preview_main(int argc, char **argv);
int rehabctl_status_main(int argc, char **argv);

#include <jansson.h>

/* Sends request (a JSON object, one line) to the daemon's control socket
 * at path and returns its answer when "ok" is true; otherwise prints
 * what went wrong and what to do, and returns NULL. */
json_t *rehabctl_ask(const char *path, const char *request);

#endif
