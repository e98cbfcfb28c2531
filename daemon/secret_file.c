/* Secret files; see secret_file.h. */
#include "secret_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The path to read for file: the credential of that name when systemd
 * passed one, else file itself (relative to the config's directory).
 * Sets *credential.  Returns 0, or -1 when it does not fit. */
static int choose_path(const char *config_path, const char *file, char *out,
		       size_t outlen, int *credential)
{
	const char *dir = getenv("CREDENTIALS_DIRECTORY");
	const char *base = strrchr(file, '/');
	const char *slash = config_path ? strrchr(config_path, '/') : NULL;
	struct stat sb;
	int n;

	base = base ? base + 1 : file;
	*credential = 0;
	if (dir && *dir && *base) {
		n = snprintf(out, outlen, "%s/%s", dir, base);
		if (n > 0 && (size_t)n < outlen && lstat(out, &sb) == 0) {
			*credential = 1;
			return 0;
		}
	}
	if (file[0] == '/' || !slash)
		n = snprintf(out, outlen, "%s", file);
	else
		n = snprintf(out, outlen, "%.*s/%s", (int)(slash - config_path),
			     config_path, file);
	return n > 0 && (size_t)n < outlen ? 0 : -1;
}

int secret_file_read(const char *config_path, const char *where,
		     const char *key, const char *file, char *out,
		     size_t outlen, char *path, size_t pathlen, char *err,
		     size_t errlen)
{
	char p[4096];
	struct stat sb;
	ssize_t n;
	size_t len;
	int credential, fd;

	if (outlen)
		out[0] = '\0';
	if (!file || !*file || outlen < 2) {
		snprintf(err, errlen, "%s: %s is empty — give the path of a file holding the secret (mode 600)",
			 where, key);
		return -1;
	}
	if (choose_path(config_path, file, p, sizeof p, &credential) != 0) {
		snprintf(err, errlen, "%s: %s is too long a path — use a shorter one",
			 where, key);
		return -1;
	}
	if (path)
		snprintf(path, pathlen, "%s", p);
	/* O_NONBLOCK: a FIFO must not hang a start or a check. */
	fd = open(p, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s %s cannot be opened: %s — create it with the secret (mode 600), or pass it with systemd's LoadCredential=",
			 where, key, p, strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "%s: %s %s is not a regular file — point %s at a file holding only the secret",
			 where, key, p, key);
		goto fail;
	}
	/* systemd gives the service user read access to its credentials
	 * through an ACL, which shows as group bits: those are private. */
	if (!credential && (sb.st_mode & (S_IRWXG | S_IRWXO))) {
		snprintf(err, errlen, "%s: %s %s can be read or changed by group or others (mode %03o) — run chmod 600 %s",
			 where, key, p, (unsigned)(sb.st_mode & 0777), p);
		goto fail;
	}
	n = read(fd, out, outlen);
	if (n < 0) {
		snprintf(err, errlen, "%s: %s %s cannot be read: %s — check the file",
			 where, key, p, strerror(errno));
		goto fail;
	}
	if ((size_t)n >= outlen) {
		snprintf(err, errlen, "%s: %s %s holds more than %zu bytes — put only the secret in the file",
			 where, key, p, outlen - 1);
		goto fail;
	}
	len = (size_t)n;
	out[len] = '\0';
	while (len && strchr(" \t\r\n", out[len - 1]))
		out[--len] = '\0';
	if (!len || memchr(out, '\0', len)) {
		snprintf(err, errlen, "%s: %s %s %s — put only the secret in the file",
			 where, key, p, len ? "holds a NUL byte" : "is empty");
		goto fail;
	}
	close(fd);
	return 0;
fail:
	explicit_bzero(out, outlen);
	close(fd);
	return -1;
}
