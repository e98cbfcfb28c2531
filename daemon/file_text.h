/*
 * Reading a whole small text file (a config or a program file) into
 * memory, with a size cap, so that the callers can word their own
 * messages.
 */
#ifndef REHABD_FILE_TEXT_H
#define REHABD_FILE_TEXT_H

#include <stddef.h>

enum file_text_error {
	FILE_TEXT_OK = 0,
	FILE_TEXT_OPEN,        /* cannot open (errno set) */
	FILE_TEXT_NOT_REGULAR, /* a directory, a device, ... */
	FILE_TEXT_WRITABLE,    /* group or others may change it */
	FILE_TEXT_TOO_LARGE,   /* more than max bytes */
	FILE_TEXT_READ,        /* read error (errno set) */
	FILE_TEXT_NOMEM,
};

/* Reads path into a new NUL-terminated buffer (*text, caller frees) of
 * *len bytes (the file may itself contain NUL bytes).  A file that group
 * or others may change is refused (FILE_TEXT_WRITABLE, its permission
 * bits in *mode when mode is not NULL): rehabd acts on what it says.
 * Returns FILE_TEXT_OK, or an error with *text NULL and errno kept. */
enum file_text_error file_text_read(const char *path, size_t max, char **text,
				    size_t *len, unsigned *mode);

#endif
