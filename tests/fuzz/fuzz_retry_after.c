/*
 * libFuzzer target for the host's reading of a Retry-After header
 * (http_parse_retry_after in daemon/http.c).  The input is the header's
 * value.
 * Besides crashes and undefined behaviour (ASan+UBSan), it aborts when
 * the result is neither -1 nor 0..HTTP_RETRY_AFTER_MAX_S; when a value of
 * delta-seconds ("120", blanks around it) does not give its number,
 * capped at a day; when anything else after a digit is not refused; when
 * an HTTP-date does not give the time from now to it (0 in the past, a
 * day at most), or a wait that shrinks by more than the clock moves.
 */
#include "http.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts naming the promise that broke, for the crash log. */
#define check(ok) ((ok) ? (void)0 : fuzz_fail(#ok, __LINE__))
static void fuzz_fail(const char *what, int line)
{
	fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, line, what);
	abort();
}

/* Clocks to read the value at: 2026, the 32-bit time_t edge, 2100. */
static const time_t clocks[] = { 1772409600, 2147483647, 4102444800 };

/* The independent reading of delta-seconds: -2 when v is not one (not
 * only digits between blanks), else the number capped at a day. */
static long delta_seconds(const char *v)
{
	const char *p = v + strspn(v, " \t");
	size_t digits = strspn(p, "0123456789");
	long s = 0;

	if (!digits || p[digits + strspn(p + digits, " \t")])
		return -2;
	for (size_t i = 0; i < digits; i++) {
		s = s * 10 + (p[i] - '0');
		if (s > HTTP_RETRY_AFTER_MAX_S)
			return HTTP_RETRY_AFTER_MAX_S;
	}
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A header value is a C string from libcurl: no NUL inside. */
	char *v = malloc(size + 1);
	const char *p;
	long delta;

	if (!v)
		return 0;
	memcpy(v, data, size);
	v[size] = '\0';
	p = v + strspn(v, " \t");
	delta = delta_seconds(v);
	for (size_t i = 0; i < sizeof clocks / sizeof clocks[0]; i++) {
		time_t now = clocks[i];
		long r = http_parse_retry_after(v, now);
		long later = http_parse_retry_after(v, now + 1);

		check(r == -1 || (r >= 0 && r <= HTTP_RETRY_AFTER_MAX_S));
		if (delta != -2) {
			check(r == delta && later == delta);
		} else if (*p >= '0' && *p <= '9') {
			check(r == -1);
		} else {
			time_t when = curl_getdate(p, NULL);
			if (when == (time_t)-1) {
				check(r == -1 && later == -1);
				continue;
			}
			check(r == (when <= now ? 0 :
				    when - now > HTTP_RETRY_AFTER_MAX_S ?
				    HTTP_RETRY_AFTER_MAX_S : (long)(when - now)));
			/* A second later the wait is a second shorter, or 0,
			 * or still capped. */
			check(later >= 0 && later <= r && r - later <= 1);
		}
	}
	free(v);
	return 0;
}
