/*
 * rehabctl backup FILE [--state-dir DIR] [--force]: a consistent copy of
 * the state database while rehabd runs, with SQLite's online backup API
 * (https://www.sqlite.org/backup.html) — `cp rehabd.db` copies nothing of
 * what still sits in the WAL.  The copy is written next to FILE, checked
 * with PRAGMA integrity_check, made mode 600 (it holds health data) and
 * renamed into place, so FILE is either the whole copy or untouched.
 * Exit 0 when written, 1 on an error (the message says what to do), 2 for
 * a usage error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "commands.h"
#include "store.h"

#define DEFAULT_STATE_DIR "/var/lib/rehabd"
#define BACKUP_BUSY_MS 10000 /* how long the daemon's writes may hold us */

static int backup_usage(FILE *out)
{
	fprintf(out,
		"usage: rehabctl backup FILE [--state-dir DIR] [--force]\n"
		"  copies the state database (DIR/%s, default %s) to FILE while\n"
		"  rehabd runs; --force replaces an existing FILE.  To restore: stop\n"
		"  rehabd, put FILE in place of DIR/%s (and remove its -wal and -shm\n"
		"  files), start rehabd.\n",
		STORE_FILE, DEFAULT_STATE_DIR, STORE_FILE);
	return out == stderr ? 2 : 0;
}

/* Copies src to the new database at tmp and checks it.  Returns 0, or -1
 * with the reason printed. */
static int copy_db(const char *src, const char *tmp)
{
	sqlite3 *from = NULL, *to = NULL;
	sqlite3_backup *b;
	sqlite3_stmt *st = NULL;
	int rc = -1, step;

	if (sqlite3_open_v2(src, &from, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		fprintf(stderr, "rehabctl backup: cannot open %s: %s — give the state directory with --state-dir, and run as root or rehabd's user\n",
			src, from ? sqlite3_errmsg(from) : "out of memory");
		goto out;
	}
	sqlite3_busy_timeout(from, BACKUP_BUSY_MS);
	if (sqlite3_open_v2(tmp, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			    NULL) != SQLITE_OK) {
		fprintf(stderr, "rehabctl backup: cannot create %s: %s\n", tmp,
			to ? sqlite3_errmsg(to) : "out of memory");
		goto out;
	}
	b = sqlite3_backup_init(to, "main", from, "main");
	if (!b) {
		fprintf(stderr, "rehabctl backup: %s\n", sqlite3_errmsg(to));
		goto out;
	}
	/* In steps, so that the daemon's writes are not held up for long;
	 * a write between steps restarts the copy, which SQLite does. */
	do {
		step = sqlite3_backup_step(b, 256);
		if (step == SQLITE_BUSY || step == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (step == SQLITE_OK || step == SQLITE_BUSY || step == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (step != SQLITE_DONE) {
		fprintf(stderr, "rehabctl backup: copying %s failed: %s — try again\n",
			src, sqlite3_errstr(step));
		goto out;
	}
	if (sqlite3_prepare_v2(to, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW ||
	    strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0) {
		fprintf(stderr, "rehabctl backup: the copy does not pass integrity_check — the source may be damaged; run sqlite3 %s 'PRAGMA integrity_check'\n",
			src);
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	sqlite3_close(to);
	sqlite3_close(from);
	return rc;
}

int rehabctl_backup_main(int argc, char **argv)
{
	const char *file = NULL, *dir = DEFAULT_STATE_DIR;
	char src[4096], tmp[4096];
	int force = 0;
	struct stat sb;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--state-dir") && i + 1 < argc)
			dir = argv[++i];
		else if (!strcmp(argv[i], "--force"))
			force = 1;
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return backup_usage(stdout);
		else if (argv[i][0] == '-' || file)
			return fprintf(stderr, "rehabctl backup: unexpected \"%s\"\n", argv[i]),
			       backup_usage(stderr);
		else
			file = argv[i];
	}
	if (!file)
		return fprintf(stderr, "rehabctl backup: name the FILE to write\n"),
		       backup_usage(stderr);
	if (!force && lstat(file, &sb) == 0) {
		fprintf(stderr, "rehabctl backup: %s exists — give another name, or --force to replace it\n",
			file);
		return 1;
	}
	snprintf(src, sizeof src, "%s/%s", dir, STORE_FILE);
	if (stat(src, &sb) != 0) {
		fprintf(stderr, "rehabctl backup: %s: %s — give the state directory with --state-dir (daemon.state_dir in rehabd.conf)\n",
			src, strerror(errno));
		return 1;
	}
	if (snprintf(tmp, sizeof tmp, "%s.tmp-%ld", file, (long)getpid()) >= (int)sizeof tmp) {
		fprintf(stderr, "rehabctl backup: the path is too long\n");
		return 1;
	}
	mode_t old = umask(0077); /* the copy holds health data */
	int rc = copy_db(src, tmp);
	umask(old);
	if (rc == 0 && (chmod(tmp, 0600) != 0 || rename(tmp, file) != 0)) {
		fprintf(stderr, "rehabctl backup: cannot write %s: %s\n", file, strerror(errno));
		rc = -1;
	}
	if (rc != 0) {
		unlink(tmp);
		return 1;
	}
	if (stat(file, &sb) == 0)
		printf("rehabctl backup: %s written (%lld bytes, integrity ok)\n", file,
		       (long long)sb.st_size);
	return 0;
}
