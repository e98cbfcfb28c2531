/* The subcommands of rehabctl, one file each.  Each takes the arguments
 * after the subcommand name (argv[0] is the subcommand) and returns the
 * process exit status. */
#ifndef REHABCTL_COMMANDS_H
#define REHABCTL_COMMANDS_H

int rehabctl_parse_main(int argc, char **argv);
int rehabctl_preview_main(int argc, char **argv);

#endif
