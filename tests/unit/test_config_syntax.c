/* cfg_syntax_explain: libconfig's syntax errors in words an admin can act
 * on (daemon/config_syntax.h), and the same through cfg_load. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "config_syntax.h"

/* Columns: file text, libconfig's words, its line; the line and the
 * message (a prefix) we give. */
static const struct {
	const char *text;
	const char *what;
	int line;
	int want_line;
	const char *want;
} rows[] = {
	{ "\xEF\xBB\xBF" "daemon = { };\n", "syntax error", 1, 1,
	  "the file starts with a byte-order mark (BOM) — save it as UTF-8 without a BOM" },
	{ "daemon = {\n  log_level = \xE2\x80\x9C" "info\xE2\x80\x9D;\n};\n", "syntax error", 2, 2,
	  "curly quotes (“…” or ‘…’) — write values in straight double quotes" },
	{ "daemon = {\n  log_level = \xE2\x80\x98" "info\xE2\x80\x99;\n};\n", "syntax error", 2, 2,
	  "curly quotes" },
	{ "daemon = {\n  log_level = \"info\";\n  log_level = \"debug\";\n};\n",
	  "duplicate setting name", 3, 3,
	  "\"log_level\" is set twice in the same group — keep one of them" },
	{ "daemon = {\n  log_level = \"info\";\n\nchannels = {};\n", "syntax error", 5, 1,
	  "this '{' is never closed (the file ends at line 5) — add the missing '}'" },
	{ "runners = (\n  { name = \"a\"; }\n", "syntax error", 3, 1,
	  "this '(' is never closed (the file ends at line 3) — add the missing ')'" },
	/* Brackets in strings and comments do not count. */
	{ "daemon = { # {\n  s = \"{ ( [\"; /* { */\n  x = = 1;\n};\n", "syntax error", 3, 3,
	  "syntax error — fix the syntax on or just before this line" },
	/* A curly quote elsewhere is not the cause on this line. */
	{ "# \xE2\x80\x9Cquoted\xE2\x80\x9D\ndaemon = { x = = 1; };\n", "syntax error", 2, 2,
	  "syntax error — fix the syntax on or just before this line" },
	/* A line past the end, and no words from libconfig. */
	{ "daemon = { };\n", NULL, 9, 9, "syntax error — fix the syntax" },
};

static void test_explain_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char out[512];
		int line = rows[i].line;
		cfg_syntax_explain(rows[i].text, rows[i].what, &line, out, sizeof out);
		if (line != rows[i].want_line || strncmp(out, rows[i].want, strlen(rows[i].want)))
			fail_msg("row %zu: line %d, \"%s\"; want line %d, \"%s…\"", i, line,
				 out, rows[i].want_line, rows[i].want);
	}
}

/* Through cfg_load: file:line and the message, for a real file. */
static void test_through_cfg_load(void **state)
{
	char path[] = "/tmp/rehabd-syntax-XXXXXX";
	char err[1024], want[1200];
	struct cfg *cfg = NULL;
	int fd = mkstemp(path);
	static const char text[] = "daemon = {\n  log_level = \"info\";\n  log_level = \"debug\";\n};\n";
	(void)state;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
	close(fd);
	assert_int_equal(cfg_load(path, NULL, NULL, &cfg, err, sizeof err), -1);
	assert_null(cfg);
	snprintf(want, sizeof want, "%s:3: \"log_level\" is set twice in the same group — keep one of them",
		 path);
	assert_string_equal(err, want);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_explain_rows),
		cmocka_unit_test(test_through_cfg_load),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
