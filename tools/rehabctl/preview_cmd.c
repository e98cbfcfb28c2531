#include "commands.h"
int rehabctl_preview_main(int argc, char **argv) { (void)argc; (void)argv; return 1; }
