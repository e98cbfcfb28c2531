/*
 * The host's HTTP service: libcurl multi driven by libev
 * (curl_multi_socket_action with one ev_io per socket and one ev_timer),
 * shared by every plugin through rehabd_host_api.http_submit.
 *
 * Connections are reused; TLS peer and host verification are always on;
 * plain http:// is refused unless the host is a loopback address
 * (127.0.0.0/8, ::1, localhost), which is how tests reach their emulators.
 * Redirects are not followed.  Response bodies are capped.  URLs are never
 * logged (they may hold tokens); requests carry log_url for that.
 */
#ifndef REHABD_HTTP_H
#define REHABD_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <rehabd/channel.h>

struct ev_loop;
struct http;

/* Default whole-transfer timeout and body cap when a request gives 0. */
#define HTTP_DEFAULT_TIMEOUT_MS 30000L
#define HTTP_DEFAULT_MAX_RESPONSE ((size_t)4 << 20)

/* Creates the service on loop.  Returns NULL with a message in err. */
struct http *http_new(struct ev_loop *loop, char *err, size_t errlen);

/* Cancels every pending request (their callbacks are not called) and
 * frees the service. */
void http_free(struct http *http);

/*
 * Starts req (copied; the caller's strings need not outlive the call).
 * done(arg, resp) is called once on the loop when it finishes or fails.
 * Returns a non-zero handle, or 0 with a message in err when the request
 * is refused before starting (bad URL, plain http to a remote host).
 */
uint64_t http_submit(struct http *http, const struct rehabd_http_request *req,
		     rehabd_http_done_fn done, void *arg, char *err,
		     size_t errlen);

/* Cancels a pending request; its callback is not called.  Unknown or
 * finished handles are ignored. */
void http_cancel(struct http *http, uint64_t handle);

/* Number of requests in flight (for status and tests). */
size_t http_pending(const struct http *http);

/*
 * The URL policy, the one every request meets: parses url with libcurl's
 * own URL parser (the one the transfer uses) and takes https:// to
 * anywhere, http:// only to loopback and without an IPv6 zone id.
 * Returns 0 and, when out is not NULL, the normalised URL in *out (the
 * caller frees it with curl_free); or -1 with a reason in err that never
 * quotes the URL (it may carry a token).  Pure: no I/O.
 */
int http_url_check(const char *url, char **out, char *err, size_t errlen);

/* Returns 1 if url may be fetched (http_url_check without the details). */
int http_url_allowed(const char *url);

/* A Retry-After further out than this is reported as this. */
#define HTTP_RETRY_AFTER_MAX_S 86400L

/* Parses a Retry-After value: delta-seconds or an HTTP-date (RFC 9110,
 * 10.2.3), relative to now.  Returns seconds (a date in the past gives 0,
 * more than a day gives a day), or -1 when v is neither. */
long http_parse_retry_after(const char *v, time_t now);

#endif
