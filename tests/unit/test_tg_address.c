/*
 * Telegram runner addresses (plugins/telegram/tg_address.c): the one
 * spelling of a chat id the host compares, and a refusal that says what
 * to write instead for everything else.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tg_address.h"

/* Columns: the address as configured (or sent), the canonical form, or
 * NULL when refused with a reason that holds the last column. */
static const struct {
	const char *in;
	const char *out;
	const char *why;
} rows[] = {
	{ "408258968", "408258968", NULL },
	{ "5000000001", "5000000001", NULL },
	{ "9007199254740993", "9007199254740993", NULL },
	{ "9223372036854775807", "9223372036854775807", NULL },
	/* Groups are negative; the host refuses them, the syntax is fine. */
	{ "-1001234567890", "-1001234567890", NULL },
	{ "-9223372036854775808", "-9223372036854775808", NULL },
	/* Spellings of the same id. */
	{ "0408258968", "408258968", NULL },
	{ "000000000000000000000000408258968", "408258968", NULL },
	{ "-001001234567890", "-1001234567890", NULL },
	{ " 408258968 ", "408258968", NULL },
	{ "\t408258968\n", "408258968", NULL },
	{ "07", "7", NULL },
	/* Refused, each saying what to write. */
	{ "@anna", NULL, "a @username cannot be messaged by a bot — a Telegram address is the numeric chat id, like 123456789: ask the runner to press Start in the bot and read the id from rehabd's log" },
	{ "https://t.me/anna", NULL, "a @username cannot be messaged" },
	{ "t.me/anna", NULL, "a @username cannot be messaged" },
	{ "+491701234567", NULL, "this looks like a phone number, which a bot cannot message — a Telegram address is the numeric chat id" },
	{ "+408258968", NULL, "phone number" },
	{ "408 258 968", NULL, "write the id without spaces — " },
	{ "408258968x", NULL, "not a number — a Telegram address is the numeric chat id, like 123456789" },
	{ "40825896８", NULL, "not a number" }, /* a full-width digit */
	{ "4.08e8", NULL, "not a number" },
	{ "0x18552d98", NULL, "not a number" },
	{ "--408258968", NULL, "not a number" },
	{ "-", NULL, "not a number" },
	{ "- 5", NULL, "not a number" },
	{ "anna", NULL, "not a number" },
	{ "", NULL, "the address is empty — " },
	{ "   ", NULL, "the address is empty" },
	{ "0", NULL, "0 is no chat id — " },
	{ "-0", NULL, "0 is no chat id" },
	{ "0000", NULL, "0 is no chat id" },
	{ "9223372036854775808", NULL, "too large for a chat id (more than 64 bits) — " },
	{ "-9223372036854775809", NULL, "too large" },
	{ "18446744073709551616", NULL, "too large" },
	{ "40825896840825896840825896", NULL, "too large" },
};

static void test_canonical(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char out[32], why[256] = "", again[32], why2[256];
		int rc = tg_canonical_address(rows[i].in, out, sizeof out, why, sizeof why);
		print_message("row %zu: %s -> %s\n", i, rows[i].in, rc ? why : out);
		if (rows[i].out) {
			assert_int_equal(rc, 0);
			assert_string_equal(out, rows[i].out);
			/* The canonical form is its own canonical form. */
			assert_int_equal(tg_canonical_address(out, again, sizeof again,
							      why2, sizeof why2), 0);
			assert_string_equal(again, out);
		} else {
			assert_int_equal(rc, -1);
			assert_non_null(strstr(why, rows[i].why));
			assert_true(strlen(why) < 250); /* fits the host's line */
		}
	}
}

/* NULL, and an out buffer too small for the form: refused, and out is
 * never left unterminated. */
static void test_edges(void **state)
{
	char out[4] = "xyz", why[64];
	(void)state;
	assert_int_equal(tg_canonical_address(NULL, out, sizeof out, why, sizeof why), -1);
	assert_string_equal(out, "");
	assert_int_equal(tg_canonical_address("12345", out, sizeof out, why, sizeof why), -1);
	assert_string_equal(out, "");
	assert_int_equal(tg_canonical_address("0123", out, sizeof out, why, sizeof why), 0);
	assert_string_equal(out, "123");
	/* A short why buffer is cut, not overrun. */
	assert_int_equal(tg_canonical_address("@a", out, sizeof out, why, 8), -1);
	assert_int_equal(strlen(why), 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
