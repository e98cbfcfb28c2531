/*
 * libFuzzer target for the URL policy: https:// to anywhere, http:// only
 * to this machine (http_url_check in daemon/http.c, which the plugins
 * reach through rehabd_host_api.url_check).  Besides crashes, leaks and
 * undefined behaviour, it aborts when
 *   - the host accepts a URL whose scheme, read again with a fresh CURLU
 *     handle, is not http or https, or whose http host is not loopback
 *     or carries an IPv6 zone id, by an independent test (getaddrinfo
 *     with AI_NUMERICHOST, or the name localhost); the same for the
 *     normalised URL the transfer uses, read by hand (it is in curl's
 *     canonical form);
 *   - the normalised URL is refused when read again, or changes scheme
 *     or leaves loopback;
 *   - http_url_allowed and http_url_check disagree;
 *   - for a plain URL (characters no parser reads two ways), a hand
 *     reading of the authority finds a host that is not loopback where
 *     the host accepted http://;
 *   - a Bot API request URL built on an accepted http:// base (as the
 *     Telegram plugin builds them) is accepted but not to loopback.
 */
#include "http.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <curl/curl.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts naming the promise that broke, for the crash log. */
#define check(ok) ((ok) ? (void)0 : fuzz_fail(#ok, __LINE__))
static void fuzz_fail(const char *what, int line)
{
	fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, line, what);
	abort();
}

/* 1 when host (IPv6 in brackets, as URLs write it) is this machine,
 * tested without inet_pton: the name localhost, or a numeric address
 * that getaddrinfo reads as 127.0.0.0/8 or ::1.  Never asks DNS. */
static int ref_loopback(const char *host, size_t n)
{
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST }, *res = NULL;
	char *buf;
	int yes = 0, rc;

	if (n == 9 && !strncasecmp(host, "localhost", 9))
		return 1;
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
		/* A zone id ("[::1%25eth0]") names an interface; ::1 on any
		 * interface never leaves the machine (RFC 4291, 2.5.3). */
		const char *zone = memchr(host, '%', n);
		const char *end = zone ? zone : host + n - 1;
		host++;
		n = (size_t)(end - host);
	}
	/* No length limit: libcurl reads "127.000…0001" of any length as
	 * 127.0.0.1, and so does getaddrinfo. */
	if (n == 0 || memchr(host, '\0', n) || !(buf = strndup(host, n)))
		return 0;
	rc = getaddrinfo(buf, NULL, &hints, &res);
	free(buf);
	if (rc != 0)
		return 0;
	if (res->ai_family == AF_INET) {
		const struct sockaddr_in *a = (const void *)res->ai_addr;
		yes = (ntohl(a->sin_addr.s_addr) >> 24) == 127;
	} else if (res->ai_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const void *)res->ai_addr;
		yes = IN6_IS_ADDR_LOOPBACK(&a->sin6_addr);
	}
	freeaddrinfo(res);
	return yes;
}

/* The host of an authority ("user@host:port"), by hand: after the last
 * '@', up to the port's ':' (after ']' for IPv6).  Sets *n. */
static const char *authority_host(const char *auth, size_t len, size_t *n)
{
	const char *at = NULL, *end = auth + len, *h, *e;

	for (const char *c = auth; c < end; c++)
		if (*c == '@')
			at = c;
	h = at ? at + 1 : auth;
	if (h < end && *h == '[') {
		e = memchr(h, ']', (size_t)(end - h));
		e = e ? e + 1 : end;
	} else {
		e = memchr(h, ':', (size_t)(end - h));
		e = e ? e : end;
	}
	*n = (size_t)(e - h);
	return h;
}

/* Reads url by hand as scheme://authority...: returns the scheme's
 * length (0 when there is no "://") and the authority in *auth, *alen. */
static size_t split_url(const char *url, const char **auth, size_t *alen)
{
	const char *sep = strstr(url, "://");

	if (!sep)
		return 0;
	*auth = sep + 3;
	*alen = strcspn(*auth, "/?#");
	return (size_t)(sep - url);
}

/* The host's policy against independent readings of url. */
static void check_host_policy(const char *url)
{
	char err[256], *norm = NULL, *norm2 = NULL, *scheme = NULL,
	     *host = NULL;
	int rc = http_url_check(url, &norm, err, sizeof err);
	const char *auth;
	size_t alen, sl, hn;
	CURLU *u;

	check(rc == 0 || rc == -1);
	check(http_url_allowed(url) == (rc == 0));
	if (rc != 0) {
		check(norm == NULL && memchr(err, '\0', sizeof err) && err[0]);
		return;
	}
	check(norm != NULL);

	/* A second reading of the URL as given. */
	u = curl_url();
	check(u != NULL);
	check(curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK);
	check(curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK);
	check(curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK);
	check(!strcmp(scheme, "https") || !strcmp(scheme, "http"));
	if (!strcmp(scheme, "http")) {
		char *zone = NULL;
		check(ref_loopback(host, strlen(host)));
		/* A zone id is refused on http: libcurl writes it back raw. */
		check(curl_url_get(u, CURLUPART_ZONEID, &zone, 0) != CURLUE_OK);
		curl_free(zone);
	}
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);

	/* The normalised URL is what the transfer fetches: by hand. */
	sl = split_url(norm, &auth, &alen);
	check(sl == 4 || sl == 5);
	check(!strncmp(norm, "https", sl) && (sl == 5 || norm[4] == ':'));
	if (sl == 4) {
		const char *h = authority_host(auth, alen, &hn);
		check(ref_loopback(h, hn));
	}
	/* Read again, as a redirect or a retry would: still allowed, the
	 * same scheme, still loopback for http.  (Not always the same text:
	 * curl 7.88 may write "127.0.0" out in full only the second time.) */
	check(http_url_check(norm, &norm2, err, sizeof err) == 0);
	check(split_url(norm2, &auth, &alen) == sl && !strncmp(norm, norm2, sl));
	if (sl == 4) {
		const char *h = authority_host(auth, alen, &hn);
		check(ref_loopback(h, hn));
	}
	curl_free(norm2);
	curl_free(norm);

	/* A URL of plain characters, read by hand as given. */
	if (strspn(url, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			"0123456789-._~:/?#[]@!$&'()*+,;=") == strlen(url) &&
	    (sl = split_url(url, &auth, &alen)) == 4 &&
	    !strncasecmp(url, "http", 4)) {
		const char *h = authority_host(auth, alen, &hn);
		/* An empty authority ("http:///127.0.0.1", which curl
		 * takes) is beyond the hand reading. */
		check(hn == 0 || ref_loopback(h, hn));
	}
}

/* A base the policy takes, as the Telegram plugin uses it (api_base):
 * the request URLs built on it must stay on loopback when taken. */
static void check_base(const char *base)
{
	char *b, *url, *norm = NULL, err[256];
	size_t l;

	if (!http_url_allowed(base) || strncmp(base, "http://", 7))
		return;
	/* As tg_config_load keeps it, and as tg_api.c builds on it. */
	b = strdup(base);
	check(b != NULL);
	for (l = strlen(b); l > 8 && b[l - 1] == '/'; l--)
		b[l - 1] = '\0';
	check(asprintf(&url, "%s/bot123:ABC/getUpdates", b) > 0);
	/* The path appended may make a base refused (nothing is sent
	 * then); what must never happen is a request sent elsewhere. */
	if (http_url_check(url, &norm, err, sizeof err) == 0) {
		const char *auth, *h;
		size_t alen, hn;
		check(!strncmp(norm, "http://", 7));
		check(split_url(norm, &auth, &alen) == 4);
		h = authority_host(auth, alen, &hn);
		check(ref_loopback(h, hn));
	}
	curl_free(norm);
	free(url);
	free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* URLs are C strings: an embedded NUL ends one. */
	char *url = malloc(size + 1);

	if (!url)
		return 0;
	memcpy(url, data, size);
	url[size] = '\0';
	check_host_policy(url);
	check_base(url);
	free(url);
	return 0;
}
