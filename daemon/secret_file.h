/*
 * Secret files (bot tokens, access tokens, passwords): the one reading
 * every plugin gets through rehabd_host_api.secret_file.  A secret lives
 * in a file of its own that only rehabd's user can read, or comes from
 * systemd's credentials (LoadCredential=, $CREDENTIALS_DIRECTORY), found
 * there by the file's name so that the same config works under systemd
 * and for an admin running rehabd --check-config by hand.
 */
#ifndef REHABD_SECRET_FILE_H
#define REHABD_SECRET_FILE_H

#include <stddef.h>

/* The most a secret file may hold, in bytes. */
#define SECRET_FILE_MAX 4096

/*
 * Reads the secret in file (the value of setting key; a relative name is
 * taken from the directory of config_path).  When $CREDENTIALS_DIRECTORY
 * holds a file of the same name (basename), that one is read instead.
 * Otherwise the file must be a regular file that group and others can
 * neither read nor write (checked on the opened file).  A FIFO is refused
 * at once, never waited on.  Trailing blanks and line ends are dropped;
 * an empty secret is refused.  Returns 0 with the secret in out
 * (NUL-terminated) and the path read in path (when not NULL); or -1 with
 * "<where>: <key> <path> ... — what to do" in err, never quoting the
 * secret.  out is wiped on failure.
 */
int secret_file_read(const char *config_path, const char *where,
		     const char *key, const char *file, char *out,
		     size_t outlen, char *path, size_t pathlen, char *err,
		     size_t errlen);

#endif
