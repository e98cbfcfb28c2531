/*
 * Telegram runner addresses: numeric chat ids in one spelling.
 */
#include "tg_address.h"

#include <stdio.h>
#include <string.h>

/* Digits of the largest int64_t magnitudes. */
#define TG_INT64_MAX_DIGITS "9223372036854775807"
#define TG_INT64_MIN_DIGITS "9223372036854775808"

/* Where the id comes from, for every refusal. */
#define TG_ID_HINT \
	"a Telegram address is the numeric chat id, like 123456789: ask the runner to press Start in the bot and read the id from rehabd's log"

static int space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static int digit(char c)
{
	return c >= '0' && c <= '9';
}

int tg_canonical_address(const char *address, char *out, size_t outlen,
			 char *why, size_t whylen)
{
	const char *s = address, *e, *d;
	size_t n;
	int neg;

	if (outlen)
		out[0] = '\0';
	if (!s) {
		snprintf(why, whylen, "no address — " TG_ID_HINT);
		return -1;
	}
	e = s + strlen(s);
	while (s < e && space(*s))
		s++;
	while (e > s && space(e[-1]))
		e--;
	if (s == e) {
		snprintf(why, whylen, "the address is empty — " TG_ID_HINT);
		return -1;
	}
	if (*s == '@' || strstr(s, "t.me/") || strstr(s, "telegram.me/")) {
		snprintf(why, whylen,
			 "a @username cannot be messaged by a bot — %s", TG_ID_HINT);
		return -1;
	}
	if (*s == '+') {
		snprintf(why, whylen,
			 "this looks like a phone number, which a bot cannot message — %s",
			 TG_ID_HINT);
		return -1;
	}
	neg = *s == '-';
	d = s + neg;
	if (d == e || !digit(*d)) {
		snprintf(why, whylen, "not a number — %s", TG_ID_HINT);
		return -1;
	}
	for (const char *c = d; c < e; c++) {
		if (digit(*c))
			continue;
		snprintf(why, whylen, "%s — %s",
			 space(*c) ? "write the id without spaces"
				   : "not a number",
			 TG_ID_HINT);
		return -1;
	}
	while (d + 1 < e && *d == '0')
		d++;
	n = (size_t)(e - d);
	if (n == 1 && *d == '0') {
		snprintf(why, whylen, "0 is no chat id — %s", TG_ID_HINT);
		return -1;
	}
	if (n > 19 || (n == 19 && memcmp(d, neg ? TG_INT64_MIN_DIGITS
					      : TG_INT64_MAX_DIGITS, 19) > 0)) {
		snprintf(why, whylen,
			 "too large for a chat id (more than 64 bits) — %s", TG_ID_HINT);
		return -1;
	}
	if (n + (size_t)neg + 1 > outlen) {
		snprintf(why, whylen, "no room for the address");
		return -1;
	}
	if (neg)
		out[0] = '-';
	memcpy(out + neg, d, n);
	out[n + (size_t)neg] = '\0';
	return 0;
}
