/*
 * libFuzzer target for program files: arbitrary bytes go through the
 * libconfig parser, the loader's shape checks and coach_program_check.
 * Looks for crashes, leaks and undefined behaviour, and for a loader that
 * accepts what the check refuses or writes a message that is not one line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "coach/program.h"
#include "program_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);

/*
 * libconfig before 1.7.3 (Debian ships 1.5) leaks the text of a string
 * token that the parser throws away on a syntax error (libconfig issue
 * #142, fixed by pull request #155: a bison %destructor).  The text is
 * allocated in one of two places: strbuf_append for a non-empty string,
 * calloc straight in the lexer for "" (plain libconfig leaks on
 * `a "" b = 1;`).  It is a few bytes per refused file, outside our code;
 * suppress exactly those allocation sites so that every other leak still
 * fails the run.
 */
const char *__lsan_default_suppressions(void)
{
	return "leak:strbuf_append\nleak:libconfig_yylex\n";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct coach_program p;
	char err[512];
	char *text;

	/* The loader takes a C string: NUL-terminate a copy (an embedded NUL
	 * simply ends the text early, as it would for a string caller). */
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (program_file_load_string(text, "fuzz.conf", &p, err,
				     sizeof err) == 0) {
		/* A loaded program has passed the check already. */
		if (coach_program_validate(&p, err, sizeof err) != 0)
			abort();
	} else if (strncmp(err, "fuzz.conf:", 10) != 0 ||
		   strchr(err, '\n') != NULL) {
		abort();
	}
	free(text);
	return 0;
}
