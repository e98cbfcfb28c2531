/*
 * Whole-file reads with a cap.
 */
#include "file_text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

enum file_text_error file_text_read(const char *path, size_t max, char **text,
				    size_t *len, unsigned *mode)
{
	/* O_NONBLOCK: opening a FIFO must not wait for a writer (a start
	 * or --check-config would hang); fstat then refuses it. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	FILE *f = NULL;
	struct stat st;
	char *buf = NULL;
	size_t used = 0, cap = 0;
	enum file_text_error rc;
	int saved;

	*text = NULL;
	*len = 0;
	if (fd < 0)
		return FILE_TEXT_OPEN;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		saved = errno;
		close(fd);
		errno = saved;
		return FILE_TEXT_NOT_REGULAR;
	}
	if (mode)
		*mode = (unsigned)(st.st_mode & 07777);
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		close(fd);
		return FILE_TEXT_WRITABLE;
	}
	f = fdopen(fd, "r");
	if (!f) {
		saved = errno;
		close(fd);
		errno = saved;
		return FILE_TEXT_OPEN;
	}
	for (;;) {
		if (cap - used < 4096) {
			if (cap > max) {
				rc = FILE_TEXT_TOO_LARGE;
				goto fail;
			}
			size_t ncap = cap ? cap * 2 : 16384;
			char *nbuf = realloc(buf, ncap + 1);
			if (!nbuf) {
				rc = FILE_TEXT_NOMEM;
				goto fail;
			}
			buf = nbuf;
			cap = ncap;
		}
		size_t n = fread(buf + used, 1, cap - used, f);
		used += n;
		if (n == 0) {
			if (ferror(f)) {
				rc = FILE_TEXT_READ;
				goto fail;
			}
			break;
		}
	}
	if (used > max) {
		rc = FILE_TEXT_TOO_LARGE;
		goto fail;
	}
	buf[used] = '\0';
	fclose(f);
	*text = buf;
	*len = used;
	return FILE_TEXT_OK;
fail:
	saved = errno;
	free(buf);
	fclose(f);
	errno = saved;
	return rc;
}
