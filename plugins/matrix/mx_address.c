/*
 * Matrix user ids: "@" localpart ":" server_name, at most 255 bytes.
 * The localpart is checked against the historical grammar (printable
 * ASCII but ':'), which every current id also satisfies; the server name
 * is a host name, an IPv4 address or a bracketed IPv6 literal with an
 * optional port (appendix "Server Name").
 */
#include "mx_address.h"

#include <stdio.h>
#include <string.h>

/* 1 when s[0..n) is a server name: host chars, or [v6], then :port. */
static int server_ok(const char *s, size_t n)
{
	size_t i = 0;
	if (!n)
		return 0;
	if (s[0] == '[') {
		while (i < n && s[i] != ']') {
			char c = s[i];
			if (i && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
				   (c >= 'A' && c <= 'F') || c == ':' || c == '.'))
				return 0;
			i++;
		}
		if (i == n || i < 3)
			return 0;
		i++;
	} else {
		size_t start = i;
		while (i < n && s[i] != ':') {
			char c = s[i];
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
			      (c >= 'A' && c <= 'Z') || c == '-' || c == '.'))
				return 0;
			i++;
		}
		if (i == start)
			return 0;
	}
	if (i == n)
		return 1;
	if (s[i] != ':' || i + 1 == n || n - i - 1 > 5)
		return 0;
	for (i++; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int mx_canonical_address(const char *address, char *out, size_t outlen,
			 char *why, size_t whylen)
{
	const char *a = address, *end, *colon;
	size_t n;

	if (!a) {
		snprintf(why, whylen, "no address — write the runner's Matrix user id, e.g. @anna:example.org");
		return -1;
	}
	while (*a == ' ' || *a == '\t')
		a++;
	end = a + strlen(a);
	while (end > a && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	n = (size_t)(end - a);
	if (n < 4 || a[0] != '@') {
		snprintf(why, whylen, "a Matrix user id starts with '@' and names a server, e.g. @anna:example.org");
		return -1;
	}
	if (n > MX_USER_ID_MAX) {
		snprintf(why, whylen, "longer than the 255 bytes a Matrix user id may have");
		return -1;
	}
	colon = memchr(a, ':', n);
	if (!colon || colon == a + 1) {
		snprintf(why, whylen, "no localpart or no ':server' — write it as @anna:example.org");
		return -1;
	}
	for (const char *c = a + 1; c < colon; c++)
		if ((unsigned char)*c < 0x21 || (unsigned char)*c > 0x7e) {
			snprintf(why, whylen, "the localpart holds a character a Matrix user id cannot have (only printable ASCII, no blanks)");
			return -1;
		}
	if (!server_ok(colon + 1, (size_t)(end - colon - 1))) {
		snprintf(why, whylen, "\"%.*s\" is not a server name (a host name, IP address or [IPv6], optionally :port)",
			 (int)(end - colon - 1 > 64 ? 64 : end - colon - 1), colon + 1);
		return -1;
	}
	if (n + 1 > outlen) {
		snprintf(why, whylen, "too long");
		return -1;
	}
	memcpy(out, a, n);
	out[n] = '\0';
	for (size_t i = (size_t)(colon - a) + 1; i < n; i++)
		if (out[i] >= 'A' && out[i] <= 'Z')
			out[i] = (char)(out[i] - 'A' + 'a');
	return 0;
}
