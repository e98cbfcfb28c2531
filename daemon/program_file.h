/*
 * Program files (conf/programs/<name>.conf), read with libconfig into a
 * coach_program.  Errors read "file:line: what is wrong — what to do",
 * like the main config.
 */
#ifndef REHABD_PROGRAM_FILE_H
#define REHABD_PROGRAM_FILE_H

#include <stddef.h>

#include "coach/program.h"

/* Reads the program file at path into *out.  Returns 0, or -1 with one
 * message in err. */
int program_file_load(const char *path, struct coach_program *out,
		      char *err, size_t errlen);

/* The same for a program held in memory; name is used in messages in
 * place of the file name (fuzzing, tests). */
int program_file_load_string(const char *text, const char *name,
			     struct coach_program *out, char *err,
			     size_t errlen);

#endif
