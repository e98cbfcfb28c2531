/*
 * libFuzzer target for tg_updates_scan, the Telegram plugin's reading of
 * a getUpdates body that jansson refused (plugins/telegram/tg_json.h):
 * it must find the one bad update of a batch without loading it, so it
 * reads bytes no JSON parser accepted.  The input is the body, in a
 * buffer of exactly its length (ASan sees any read past it).  Besides
 * crashes, leaks and undefined behaviour, it aborts when
 *   - the result is not 0 or -1, or a -1 leaves *out set;
 *   - the same body scanned twice reads differently;
 *   - jansson loads the body (as tg_updates_parse does; one without
 *     raw NUL bytes or a key twice) into an object
 *     whose "ok" is true and whose "result" is an array, and the scan
 *     refuses it or counts another number of elements;
 *   - the scan reads a first update_id that jansson, loading the same
 *     body, reads as another value (or not as an integer below
 *     INT64_MAX).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tg_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define check(ok) ((ok) ? (void)0 : fuzz_fail(#ok, __LINE__))
static void fuzz_fail(const char *what, int line)
{
	fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, line, what);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tg_scan a, b;
	char *body = malloc(size ? size : 1);
	json_t *root, *result;
	int ra, rb;

	if (!body)
		return 0;
	memcpy(body, data, size);
	memset(&a, 0xA5, sizeof a);
	memset(&b, 0x5A, sizeof b);
	ra = tg_updates_scan(body, size, &a);
	rb = tg_updates_scan(body, size, &b);
	check(ra == 0 || ra == -1);
	check(ra == rb);
	if (ra == 0) {
		check(a.n_results == b.n_results && a.has_id == b.has_id);
		check(a.has_id == 0 || a.has_id == 1);
		check(!a.has_id || (a.first_id == b.first_id && a.first_id >= 0 &&
				    a.first_id < INT64_MAX));
	}

	/* jansson takes a raw NUL byte after a number ("5\0}"), which is no
	 * JSON, and a key twice (the last wins); the scan refuses the first
	 * and reads nothing it would have to choose in the second.  Such a
	 * body never reaches the scan (tg_updates_parse loads it), so the
	 * oracle leaves both out. */
	root = memchr(body, '\0', size) ? NULL
		: json_loadb(body, size, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES,
			     NULL);
	result = root ? json_object_get(root, "result") : NULL;
	if (json_is_object(root) && json_is_true(json_object_get(root, "ok")) &&
	    json_is_array(result)) {
		check(ra == 0);
		check(a.n_results == json_array_size(result));
		if (a.has_id) {
			json_t *id = json_object_get(json_array_get(result, 0),
						     "update_id");
			check(json_is_integer(id));
			check(json_integer_value(id) == a.first_id);
		}
	}
	json_decref(root);
	free(body);
	return 0;
}
