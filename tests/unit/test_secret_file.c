/* secret_file_read: the one reading of secret files every plugin gets
 * (daemon/secret_file.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "secret_file.h"

static char dir[64];

static void put(const char *name, const char *text, mode_t mode)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(p, mode), 0);
}

/* Reads file for a config in dir; returns the result, the secret or
 * the error in out. */
static int rd(const char *file, char *out, size_t len, char *path)
{
	char conf[256], err[1024];
	snprintf(conf, sizeof conf, "%s/rehabd.conf", dir);
	int rc = secret_file_read(conf, "rehabd.conf:7", "token_file", file, out,
				  len, path, 512, err, sizeof err);
	if (rc != 0)
		snprintf(out, len, "%s", err);
	return rc;
}

static void test_rows(void **state)
{
	char out[1024], path[512], want[1024], cred[128];
	(void)state;

	snprintf(dir, sizeof dir, "/tmp/rehabd-secret-XXXXXX");
	assert_non_null(mkdtemp(dir));
	unsetenv("CREDENTIALS_DIRECTORY");

	/* Relative to the config's directory; line ends dropped. */
	put("tok", "s3cret-value\r\n  \n", 0600);
	assert_int_equal(rd("tok", out, sizeof out, path), 0);
	assert_string_equal(out, "s3cret-value");
	snprintf(want, sizeof want, "%s/tok", dir);
	assert_string_equal(path, want);

	/* Others may read it. */
	put("open", "x-secret", 0644);
	assert_int_equal(rd("open", out, sizeof out, path), -1);
	snprintf(want, sizeof want, "rehabd.conf:7: token_file %s/open can be read or changed by group or others (mode 644) — run chmod 600 %s/open",
		 dir, dir);
	assert_string_equal(out, want);
	assert_null(strstr(out, "x-secret"));

	/* Missing, empty, too big, a directory, a FIFO. */
	assert_int_equal(rd("none", out, sizeof out, path), -1);
	assert_non_null(strstr(out, "cannot be opened: No such file or directory — create it with the secret (mode 600)"));
	put("empty", "\n\n", 0600);
	assert_int_equal(rd("empty", out, sizeof out, path), -1);
	assert_non_null(strstr(out, "is empty — put only the secret in the file"));
	put("big", "0123456789abcdef", 0600);
	assert_int_equal(rd("big", out, 8, path), -1);
	assert_int_equal(rd("big", out, 17, path), 0);
	snprintf(want, sizeof want, "%s/sub", dir);
	assert_int_equal(mkdir(want, 0700), 0);
	assert_int_equal(rd("sub", out, sizeof out, path), -1);
	assert_non_null(strstr(out, "is not a regular file"));
	snprintf(want, sizeof want, "%s/fifo", dir);
	assert_int_equal(mkfifo(want, 0600), 0);
	assert_int_equal(rd("fifo", out, sizeof out, path), -1);
	assert_non_null(strstr(out, "is not a regular file"));

	/* systemd's credential of the same name wins, group bits and all
	 * (the ACL it sets shows there). */
	snprintf(cred, sizeof cred, "%s/cred", dir);
	assert_int_equal(mkdir(cred, 0700), 0);
	snprintf(want, sizeof want, "cred/open");
	put(want, "from-systemd\n", 0440);
	setenv("CREDENTIALS_DIRECTORY", cred, 1);
	assert_int_equal(rd("/etc/rehabd/open", out, sizeof out, path), 0);
	assert_string_equal(out, "from-systemd");
	snprintf(want, sizeof want, "%s/open", cred);
	assert_string_equal(path, want);
	/* Not there by that name: the file itself. */
	assert_int_equal(rd("tok", out, sizeof out, path), 0);
	assert_string_equal(out, "s3cret-value");
	unsetenv("CREDENTIALS_DIRECTORY");

	/* No file named. */
	assert_int_equal(rd("", out, sizeof out, path), -1);
	assert_non_null(strstr(out, "token_file is empty"));

	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
