/*
 * The host's HTTP service: one libcurl multi handle driven by libev.
 *
 * libcurl says which sockets to watch (http_sock_cb) and when it wants to
 * be called back (http_timer_cb); libev says when a socket is ready or that
 * time has come, and we pass it on with curl_multi_socket_action.  After
 * every action the finished transfers are drained from curl_multi_info_read
 * and reported to their owners.  The contract is in docs/internals/http.md.
 */
#include "http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <ev.h>

/* CURLOPT_PROTOCOLS_STR, CIDR in CURLOPT_NOPROXY. */
#define HTTP_CURL_MIN_VERSION 0x075600 /* 7.86.0 */
#if LIBCURL_VERSION_NUM < HTTP_CURL_MIN_VERSION
#error "rehabd needs libcurl 7.86 or later"
#endif

#define HTTP_CONNECT_TIMEOUT_MS 10000L
/* Idle connections the multi keeps for reuse.  libcurl's default (4 per
 * easy handle currently added) shrinks to almost nothing between bursts,
 * because our easy handles only live as long as their request. */
#define HTTP_MAX_IDLE_CONNECTIONS 32L
#define HTTP_KEEPALIVE_IDLE_S 30L
#define HTTP_KEEPALIVE_INTERVAL_S 15L
/* Loopback never goes through a proxy from the environment: plain http to
 * an emulator would otherwise hand the (token-bearing) URL to the proxy. */
#define HTTP_NOPROXY "localhost,127.0.0.0/8,::1"
/* Bodies are capped well below SIZE_MAX so cap + 1 never wraps. */
#define HTTP_MAX_RESPONSE_LIMIT (SIZE_MAX / 4)

/* The smallest request struct we accept: ABI 1.0's. */
#define HTTP_REQUEST_V1_SIZE                                   \
	(offsetof(struct rehabd_http_request, max_response) + \
	 sizeof(size_t))

struct http_req {
	struct http *http;
	struct http_req *prev, *next;
	uint64_t handle;
	CURL *easy;             /* NULL once released */
	int in_multi;           /* added to http->multi */
	int failed;             /* queued for http_fail_cb */
	CURLcode fail_code;
	struct curl_slist *headers;
	char *url;              /* normalised URL (curl_free) */
	char *body;             /* copy of the request body */
	char *buf;              /* response body, NUL-terminated */
	size_t len, cap, max_response;
	int overflow;           /* body went over max_response */
	int nomem;              /* could not grow buf */
	rehabd_http_done_fn done;
	void *arg;
	char errbuf[CURL_ERROR_SIZE];
};

/* One watched socket.  Kept (and reused) until http_free, after
 * curl_multi_cleanup, because libcurl may call http_sock_cb with a
 * socket's pointer at any time, including during the cleanup. */
struct http_sock {
	ev_io w;
	struct http *http;
	int in_use;
	struct http_sock *next;
};

struct http {
	struct ev_loop *loop;
	CURLM *multi;
	ev_timer timer;      /* the single timer libcurl asks for */
	ev_timer fail_timer; /* reports failures found outside a transfer */
	struct http_req *head, *tail;
	size_t n_reqs;
	struct http_sock *socks;
	uint64_t next_handle;
	int global_init;
};

static void http_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Writes a message into err (if any room was given). */
static void http_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* ---- URL policy ---------------------------------------------------------- */

/* Returns 1 if host (as libcurl's URL parser returns it: IPv6 literals in
 * brackets) names this machine: localhost, 127.0.0.0/8 or ::1. */
static int http_host_is_loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;
	char buf[INET6_ADDRSTRLEN];
	size_t n = strlen(host);

	if (!strcasecmp(host, "localhost"))
		return 1;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (n > 2 && host[0] == '[' && host[n - 1] == ']' &&
	    n - 2 < sizeof buf) {
		memcpy(buf, host + 1, n - 2);
		buf[n - 2] = '\0';
		if (inet_pton(AF_INET6, buf, &a6) == 1)
			return IN6_IS_ADDR_LOOPBACK(&a6);
	}
	return 0;
}

int http_url_check(const char *url, char **out, char *err, size_t errlen)
{
	CURLU *u = NULL;
	CURLUcode uc;
	char *scheme = NULL, *host = NULL, *zone = NULL;
	int ret = -1;

	if (!url || !*url) {
		http_err(err, errlen, "no URL");
		return -1;
	}
	u = curl_url();
	if (!u) {
		http_err(err, errlen, "out of memory");
		return -1;
	}
	uc = curl_url_set(u, CURLUPART_URL, url, 0);
	if (uc != CURLUE_OK) {
		http_err(err, errlen, "invalid URL: %s", curl_url_strerror(uc));
		goto done;
	}
	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !*host) {
		http_err(err, errlen, "invalid URL: no scheme or host");
		goto done;
	}
	if (strcmp(scheme, "https") != 0) {
		if (strcmp(scheme, "http") != 0) {
			http_err(err, errlen,
				 "URL scheme %.16s is not allowed: use https",
				 scheme);
			goto done;
		}
		if (!http_host_is_loopback(host)) {
			http_err(err, errlen,
				 "plain http is allowed only to a loopback "
				 "host: use https");
			goto done;
		}
		/* libcurl takes a zone id of any characters ("[::1%@x]") and
		 * writes it back raw, so the URL it normalises can read as
		 * another host to the next parser.  ::1 needs no zone. */
		if (curl_url_get(u, CURLUPART_ZONEID, &zone, 0) == CURLUE_OK) {
			http_err(err, errlen,
				 "plain http to a loopback host takes no IPv6 "
				 "zone id: write http://[::1]:port/");
			goto done;
		}
	}
	if (out && curl_url_get(u, CURLUPART_URL, out, 0) != CURLUE_OK) {
		http_err(err, errlen, "invalid URL: cannot normalise it");
		goto done;
	}
	ret = 0;
done:
	curl_free(scheme);
	curl_free(host);
	curl_free(zone);
	curl_url_cleanup(u);
	return ret;
}

int http_url_allowed(const char *url)
{
	char err[128];
	return http_url_check(url, NULL, err, sizeof err) == 0;
}

/* Returns 1 if text contains a piece (of three or more characters) of the
 * user, password, path, query or fragment of url, raw or decoded; 1 as
 * well when url cannot be parsed.  Used to keep tokens out of errors. */
static int http_text_leaks_url(const char *url, const char *text)
{
	static const CURLUPart parts[] = {
		CURLUPART_USER, CURLUPART_PASSWORD, CURLUPART_PATH,
		CURLUPART_QUERY, CURLUPART_FRAGMENT,
	};
	static const unsigned int flags[] = { 0, CURLU_URLDECODE };
	CURLU *u = curl_url();
	int leaks = 0;

	if (!u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
		curl_url_cleanup(u);
		return 1;
	}
	for (size_t i = 0; i < sizeof parts / sizeof parts[0] && !leaks; i++)
		for (size_t f = 0; f < 2 && !leaks; f++) {
			char *v = NULL, *save = NULL, *tok;
			if (curl_url_get(u, parts[i], &v, flags[f]) != CURLUE_OK)
				continue;
			for (tok = strtok_r(v, "/?&=;", &save); tok && !leaks;
			     tok = strtok_r(NULL, "/?&=;", &save))
				leaks = strlen(tok) >= 3 && strstr(text, tok);
			curl_free(v);
		}
	curl_url_cleanup(u);
	return leaks;
}

/* ---- requests --------------------------------------------------------- */

static void http_link(struct http *h, struct http_req *r)
{
	r->prev = h->tail;
	r->next = NULL;
	if (h->tail)
		h->tail->next = r;
	else
		h->head = r;
	h->tail = r;
	h->n_reqs++;
}

static void http_unlink(struct http *h, struct http_req *r)
{
	if (r->prev)
		r->prev->next = r->next;
	else
		h->head = r->next;
	if (r->next)
		r->next->prev = r->prev;
	else
		h->tail = r->prev;
	r->prev = r->next = NULL;
	h->n_reqs--;
}

/* Takes r's easy handle out of the multi and frees it.  Its connection
 * stays in the multi's pool for the next request to the same server. */
static void http_release_easy(struct http *h, struct http_req *r)
{
	if (!r->easy)
		return;
	if (r->in_multi)
		curl_multi_remove_handle(h->multi, r->easy);
	r->in_multi = 0;
	curl_easy_cleanup(r->easy);
	r->easy = NULL;
	curl_slist_free_all(r->headers);
	r->headers = NULL;
}

/* Frees a request that is already unlinked and released (or never was
 * linked). */
static void http_req_free(struct http *h, struct http_req *r)
{
	if (!r)
		return;
	http_release_easy(h, r);
	curl_free(r->url);
	free(r->body);
	free(r->buf);
	free(r);
}

/* CURLOPT_WRITEFUNCTION: appends to r->buf, which grows by doubling up to
 * max_response + 1 (the NUL).  Returning less than given makes libcurl
 * abort the transfer. */
static size_t http_write_cb(char *data, size_t size, size_t nmemb,
			    void *userp)
{
	struct http_req *r = userp;
	size_t n = size * nmemb;
	size_t need, cap, limit;
	char *nb;

	if (n > r->max_response - r->len) {
		r->overflow = 1;
		return 0;
	}
	need = r->len + n + 1;
	if (need > r->cap) {
		limit = r->max_response + 1;
		cap = r->cap ? r->cap : 1024;
		while (cap < need)
			cap = cap > limit / 2 ? limit : cap * 2;
		if (cap > limit)
			cap = limit;
		nb = realloc(r->buf, cap);
		if (!nb) {
			r->nomem = 1;
			return 0;
		}
		r->buf = nb;
		r->cap = cap;
	}
	memcpy(r->buf + r->len, data, n);
	r->len += n;
	r->buf[r->len] = '\0';
	return n;
}

long http_parse_retry_after(const char *v, time_t now)
{
	long s = 0;
	const char *p = v;
	time_t when;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p >= '0' && *p <= '9') {
		for (; *p >= '0' && *p <= '9'; p++)
			if (s <= HTTP_RETRY_AFTER_MAX_S)
				s = s * 10 + (*p - '0');
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p)
			return -1;
		return s > HTTP_RETRY_AFTER_MAX_S ? HTTP_RETRY_AFTER_MAX_S : s;
	}
	when = curl_getdate(p, NULL);
	if (when == (time_t)-1)
		return -1;
	if (when <= now)
		return 0;
	if (when - now > HTTP_RETRY_AFTER_MAX_S)
		return HTTP_RETRY_AFTER_MAX_S;
	return (long)(when - now);
}

/* Retry-After of the last response on e, in seconds, or -1. */
static long http_retry_after(CURL *e)
{
	struct curl_header *hd;

	if (curl_easy_header(e, "Retry-After", 0, CURLH_HEADER, -1, &hd) !=
	    CURLHE_OK)
		return -1;
	return http_parse_retry_after(hd->value, time(NULL));
}

/* Fills msg with a description of a failed transfer that holds nothing of
 * the URL but (possibly) its host, and returns the CURLcode to report. */
static CURLcode http_describe_failure(const struct http_req *r, CURLcode rc,
				      char *msg, size_t msglen)
{
	size_t n;

	if (r->overflow || rc == CURLE_FILESIZE_EXCEEDED) {
		snprintf(msg, msglen, "response body larger than %zu bytes",
			 r->max_response);
		return CURLE_FILESIZE_EXCEEDED;
	}
	if (r->nomem) {
		snprintf(msg, msglen, "out of memory for the response body");
		return CURLE_OUT_OF_MEMORY;
	}
	if (r->errbuf[0] && !http_text_leaks_url(r->url, r->errbuf)) {
		snprintf(msg, msglen, "%s", r->errbuf);
		n = strlen(msg);
		while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
			msg[--n] = '\0';
	} else {
		snprintf(msg, msglen, "%s", curl_easy_strerror(rc));
	}
	return rc;
}

/*
 * Reports r's outcome to its owner and frees it.  rc is the transfer's
 * result.  r is unlinked first, so that the owner's callback may cancel or
 * submit other requests (even cancel r: it is no longer found).
 */
static void http_finish(struct http *h, struct http_req *r, CURLcode rc)
{
	struct rehabd_http_response resp = {
		.size = sizeof resp, .body = "", .retry_after_s = -1,
	};
	char msg[CURL_ERROR_SIZE + 64];
	long status = 0;

	if (rc == CURLE_OK && (r->overflow || r->nomem))
		rc = CURLE_WRITE_ERROR; /* cannot happen; be safe anyway */
	if (rc == CURLE_OK && r->easy) {
		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
		resp.retry_after_s = http_retry_after(r->easy);
	}
	http_unlink(h, r);
	http_release_easy(h, r);
	if (rc == CURLE_OK) {
		resp.status = status;
		if (r->buf)
			resp.body = r->buf;
		resp.body_len = r->len;
	} else {
		resp.transport_error =
			(int)http_describe_failure(r, rc, msg, sizeof msg);
		resp.error = msg;
	}
	r->done(r->arg, &resp);
	http_req_free(h, r);
}

/* Reads every finished transfer from the multi and reports it. */
static void http_drain(struct http *h)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(h->multi, &left))) {
		char *priv = NULL;
		CURLcode rc = m->data.result;

		if (m->msg != CURLMSG_DONE)
			continue;
		if (curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE,
				      &priv) != CURLE_OK || !priv)
			continue;
		http_finish(h, (struct http_req *)(void *)priv, rc);
	}
}

/* ev_timer callback of fail_timer: reports requests queued by
 * http_fail_all, one at a time, oldest first. */
static void http_fail_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct http *h = w->data;
	struct http_req *r;

	(void)loop;
	(void)revents;
	for (;;) {
		for (r = h->head; r && !r->failed; r = r->next)
			;
		if (!r)
			break;
		http_finish(h, r, r->fail_code);
	}
}

/* After a multi error the state of its transfers is unknown: take them all
 * out and report each as failed from fail_timer, so that no owner is
 * called back from inside the code that found the error. */
static void http_fail_all(struct http *h, CURLMcode mc)
{
	CURLcode rc = mc == CURLM_OUT_OF_MEMORY ? CURLE_OUT_OF_MEMORY
						 : CURLE_FAILED_INIT;

	for (struct http_req *r = h->head; r; r = r->next) {
		if (r->failed)
			continue;
		http_release_easy(h, r);
		r->failed = 1;
		r->fail_code = rc;
		snprintf(r->errbuf, sizeof r->errbuf, "%s",
			 curl_multi_strerror(mc));
	}
	ev_timer_stop(h->loop, &h->fail_timer);
	ev_timer_set(&h->fail_timer, 0., 0.);
	ev_timer_start(h->loop, &h->fail_timer);
}

/* Passes one event to libcurl, then reports what finished. */
static void http_action(struct http *h, curl_socket_t fd, int mask)
{
	int running;
	CURLMcode mc = curl_multi_socket_action(h->multi, fd, mask, &running);

	/* BAD_SOCKET: an event for a socket libcurl already let go of. */
	if (mc != CURLM_OK && mc != CURLM_BAD_SOCKET)
		http_fail_all(h, mc);
	http_drain(h);
}

/* ---- libev side --------------------------------------------------------- */

/* ev_io callback: a socket libcurl waits on is ready (or broken). */
static void http_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct http_sock *s = w->data;
	int mask = 0;

	(void)loop;
	if (revents & EV_READ)
		mask |= CURL_CSELECT_IN;
	if (revents & EV_WRITE)
		mask |= CURL_CSELECT_OUT;
	if (revents & EV_ERROR)
		mask |= CURL_CSELECT_ERR;
	/* s may be reused by libcurl during the action; read it first. */
	http_action(s->http, w->fd, mask);
}

/* ev_timer callback: the time libcurl asked for has come. */
static void http_ev_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	http_action(w->data, CURL_SOCKET_TIMEOUT, 0);
}

/* ---- libcurl side -------------------------------------------------------- */

/* CURLMOPT_TIMERFUNCTION: re-arms the one ev_timer (-1 stops it).  Never
 * calls libcurl from here: with 0 that would recurse. */
static int http_timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	struct http *h = userp;

	(void)multi;
	ev_timer_stop(h->loop, &h->timer);
	if (timeout_ms >= 0) {
		ev_timer_set(&h->timer, (double)timeout_ms / 1000.0, 0.);
		ev_timer_start(h->loop, &h->timer);
	}
	return 0;
}

/* Returns an unused socket watcher, allocating one if none is free, or
 * NULL when out of memory. */
static struct http_sock *http_sock_get(struct http *h)
{
	struct http_sock *s;

	for (s = h->socks; s; s = s->next)
		if (!s->in_use)
			break;
	if (!s) {
		s = calloc(1, sizeof *s);
		if (!s)
			return NULL;
		s->http = h;
		ev_io_init(&s->w, http_io_cb, -1, 0);
		s->w.data = s;
		s->next = h->socks;
		h->socks = s;
	}
	s->in_use = 1;
	return s;
}

/* CURLMOPT_SOCKETFUNCTION: keeps one ev_io per socket in step with what
 * libcurl wants to wait for.  Returns -1 (libcurl then fails every
 * transfer) only when out of memory. */
static int http_sock_cb(CURL *easy, curl_socket_t fd, int what, void *userp,
			void *socketp)
{
	struct http *h = userp;
	struct http_sock *s = socketp;
	int events = 0;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (s) {
			ev_io_stop(h->loop, &s->w);
			s->in_use = 0;
		}
		return 0;
	}
	if (!s) {
		s = http_sock_get(h);
		if (!s)
			return -1;
		if (curl_multi_assign(h->multi, fd, s) != CURLM_OK) {
			s->in_use = 0;
			return -1;
		}
	}
	if (what & CURL_POLL_IN)
		events |= EV_READ;
	if (what & CURL_POLL_OUT)
		events |= EV_WRITE;
	/* libev forbids changing an active watcher: stop, set, start. */
	ev_io_stop(h->loop, &s->w);
	ev_io_set(&s->w, fd, events);
	if (events)
		ev_io_start(h->loop, &s->w);
	return 0;
}

/* ---- public ------------------------------------------------------------- */

struct http *http_new(struct ev_loop *loop, char *err, size_t errlen)
{
	const curl_version_info_data *vi = curl_version_info(CURLVERSION_NOW);
	struct http *h = NULL;
	CURLMcode mc = CURLM_OK;

	if (!loop) {
		http_err(err, errlen, "http: no event loop");
		return NULL;
	}
	if (vi->version_num < HTTP_CURL_MIN_VERSION) {
		http_err(err, errlen,
			 "http: libcurl %s is too old, rehabd needs 7.86 or "
			 "later", vi->version);
		return NULL;
	}
	h = calloc(1, sizeof *h);
	if (!h) {
		http_err(err, errlen, "http: out of memory");
		return NULL;
	}
	h->loop = loop;
	ev_timer_init(&h->timer, http_ev_timer_cb, 0., 0.);
	h->timer.data = h;
	ev_timer_init(&h->fail_timer, http_fail_cb, 0., 0.);
	h->fail_timer.data = h;
	/* Reference-counted by libcurl: balanced in http_free. */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		http_err(err, errlen, "http: curl_global_init failed");
		goto fail;
	}
	h->global_init = 1;
	h->multi = curl_multi_init();
	if (!h->multi) {
		http_err(err, errlen, "http: curl_multi_init failed");
		goto fail;
	}
	if ((mc = curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION,
				    http_sock_cb)) != CURLM_OK ||
	    (mc = curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h)) !=
		    CURLM_OK ||
	    (mc = curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION,
				    http_timer_cb)) != CURLM_OK ||
	    (mc = curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h)) !=
		    CURLM_OK ||
	    (mc = curl_multi_setopt(h->multi, CURLMOPT_MAXCONNECTS,
				    HTTP_MAX_IDLE_CONNECTIONS)) != CURLM_OK) {
		http_err(err, errlen, "http: %s", curl_multi_strerror(mc));
		goto fail;
	}
	return h;
fail:
	http_free(h);
	return NULL;
}

void http_free(struct http *h)
{
	struct http_req *r;
	struct http_sock *s;

	if (!h)
		return;
	while ((r = h->head)) {
		http_unlink(h, r);
		http_req_free(h, r);
	}
	/* May call http_sock_cb and http_timer_cb: h and the socks must stay
	 * valid until it returns. */
	if (h->multi)
		curl_multi_cleanup(h->multi);
	ev_timer_stop(h->loop, &h->timer);
	ev_timer_stop(h->loop, &h->fail_timer);
	while ((s = h->socks)) {
		h->socks = s->next;
		ev_io_stop(h->loop, &s->w);
		free(s);
	}
	if (h->global_init)
		curl_global_cleanup();
	free(h);
}

/* Checks one "Name: value" header line: a token, a colon, and no CR or LF
 * anywhere (which would let a caller inject headers). */
static int http_header_ok(const char *line)
{
	const char *colon;

	if (!line || strpbrk(line, "\r\n"))
		return 0;
	colon = strchr(line, ':');
	return colon && colon != line && !memchr(line, ' ', colon - line);
}

#define HTTP_SETOPT(e, opt, val)                                           \
	do {                                                               \
		CURLcode rc_ = curl_easy_setopt((e), (opt), (val));        \
		if (rc_ != CURLE_OK) {                                     \
			http_err(err, errlen, "http: cannot set %s: %s", #opt, \
				 curl_easy_strerror(rc_));                 \
			goto fail;                                         \
		}                                                          \
	} while (0)

/* Sets the method and body on r->easy.  GET takes no body; POST, PUT,
 * PATCH and DELETE send r->body (possibly empty).  NULL or "" means GET,
 * or POST when there is a body.  Returns 0, or -1 with err set. */
static int http_set_method(struct http_req *r, const char *method,
			   size_t body_len, char *err, size_t errlen)
{
	if (!method || !*method)
		method = body_len ? "POST" : "GET";
	if (!strcmp(method, "GET")) {
		if (body_len) {
			http_err(err, errlen, "http: GET with a body");
			return -1;
		}
		HTTP_SETOPT(r->easy, CURLOPT_HTTPGET, 1L);
		return 0;
	}
	if (strcmp(method, "POST") && strcmp(method, "PUT") &&
	    strcmp(method, "PATCH") && strcmp(method, "DELETE")) {
		http_err(err, errlen, "http: unsupported method %.16s", method);
		return -1;
	}
	HTTP_SETOPT(r->easy, CURLOPT_POSTFIELDS, r->body);
	HTTP_SETOPT(r->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
	if (strcmp(method, "POST"))
		HTTP_SETOPT(r->easy, CURLOPT_CUSTOMREQUEST, method);
	return 0;
fail:
	return -1;
}

/* Builds r->headers from the caller's lines, plus an empty "Expect:" so a
 * large POST does not wait for "100 Continue".  Returns 0 or -1. */
static int http_set_headers(struct http_req *r,
			    const struct rehabd_http_request *req, char *err,
			    size_t errlen)
{
	int has_expect = 0;
	struct curl_slist *l;

	for (size_t i = 0; i < req->n_headers; i++) {
		if (!http_header_ok(req->headers[i])) {
			http_err(err, errlen, "http: malformed header line %zu",
				 i);
			return -1;
		}
		if (!strncasecmp(req->headers[i], "Expect:", 7))
			has_expect = 1;
		l = curl_slist_append(r->headers, req->headers[i]);
		if (!l)
			goto nomem;
		r->headers = l;
	}
	if (!has_expect) {
		l = curl_slist_append(r->headers, "Expect:");
		if (!l)
			goto nomem;
		r->headers = l;
	}
	HTTP_SETOPT(r->easy, CURLOPT_HTTPHEADER, r->headers);
	return 0;
nomem:
	http_err(err, errlen, "http: out of memory");
fail:
	return -1;
}

uint64_t http_submit(struct http *http, const struct rehabd_http_request *req,
		     rehabd_http_done_fn done, void *arg, char *err,
		     size_t errlen)
{
	struct http_req *r = NULL;
	CURLMcode mc;
	long timeout_ms;

	if (!http || !req || !done) {
		http_err(err, errlen, "http: missing request or callback");
		return 0;
	}
	if (req->size < HTTP_REQUEST_V1_SIZE) {
		http_err(err, errlen, "http: request size %zu is too small",
			 req->size);
		return 0;
	}
	if (req->timeout_ms < 0 || (req->body_len && !req->body) ||
	    (req->n_headers && !req->headers)) {
		http_err(err, errlen, "http: invalid request fields");
		return 0;
	}
	r = calloc(1, sizeof *r);
	if (!r) {
		http_err(err, errlen, "http: out of memory");
		return 0;
	}
	r->http = http;
	r->done = done;
	r->arg = arg;
	r->max_response = req->max_response ? req->max_response
					    : HTTP_DEFAULT_MAX_RESPONSE;
	if (r->max_response > HTTP_MAX_RESPONSE_LIMIT)
		r->max_response = HTTP_MAX_RESPONSE_LIMIT;
	timeout_ms = req->timeout_ms ? req->timeout_ms
				     : HTTP_DEFAULT_TIMEOUT_MS;
	if (http_url_check(req->url, &r->url, err, errlen) < 0)
		goto fail;
	r->body = malloc(req->body_len + 1);
	r->easy = curl_easy_init();
	if (!r->body || !r->easy) {
		http_err(err, errlen, "http: out of memory");
		goto fail;
	}
	if (req->body_len)
		memcpy(r->body, req->body, req->body_len);
	r->body[req->body_len] = '\0';

	HTTP_SETOPT(r->easy, CURLOPT_URL, r->url);
	HTTP_SETOPT(r->easy, CURLOPT_PRIVATE, (void *)r);
	HTTP_SETOPT(r->easy, CURLOPT_ERRORBUFFER, r->errbuf);
	HTTP_SETOPT(r->easy, CURLOPT_NOSIGNAL, 1L);
	HTTP_SETOPT(r->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	HTTP_SETOPT(r->easy, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	HTTP_SETOPT(r->easy, CURLOPT_FOLLOWLOCATION, 0L);
	HTTP_SETOPT(r->easy, CURLOPT_SSL_VERIFYPEER, 1L);
	HTTP_SETOPT(r->easy, CURLOPT_SSL_VERIFYHOST, 2L);
	HTTP_SETOPT(r->easy, CURLOPT_TIMEOUT_MS, timeout_ms);
	HTTP_SETOPT(r->easy, CURLOPT_CONNECTTIMEOUT_MS, HTTP_CONNECT_TIMEOUT_MS);
	HTTP_SETOPT(r->easy, CURLOPT_TCP_KEEPALIVE, 1L);
	HTTP_SETOPT(r->easy, CURLOPT_TCP_KEEPIDLE, HTTP_KEEPALIVE_IDLE_S);
	HTTP_SETOPT(r->easy, CURLOPT_TCP_KEEPINTVL, HTTP_KEEPALIVE_INTERVAL_S);
	HTTP_SETOPT(r->easy, CURLOPT_NOPROXY, HTTP_NOPROXY);
	HTTP_SETOPT(r->easy, CURLOPT_USERAGENT, "rehabd/" REHABD_VERSION);
	HTTP_SETOPT(r->easy, CURLOPT_ACCEPT_ENCODING, "");
	HTTP_SETOPT(r->easy, CURLOPT_WRITEFUNCTION, http_write_cb);
	HTTP_SETOPT(r->easy, CURLOPT_WRITEDATA, (void *)r);
	/* Refuses early when Content-Length is known; http_write_cb
	 * enforces the cap on chunked and decoded bodies. */
	HTTP_SETOPT(r->easy, CURLOPT_MAXFILESIZE_LARGE,
		    (curl_off_t)r->max_response);
	if (http_set_method(r, req->method, req->body_len, err, errlen) < 0 ||
	    http_set_headers(r, req, err, errlen) < 0)
		goto fail;

	mc = curl_multi_add_handle(http->multi, r->easy);
	if (mc != CURLM_OK) {
		http_err(err, errlen, "http: %s", curl_multi_strerror(mc));
		goto fail;
	}
	r->in_multi = 1;
	r->handle = ++http->next_handle;
	http_link(http, r);
	return r->handle;
fail:
	http_req_free(http, r);
	return 0;
}

void http_cancel(struct http *http, uint64_t handle)
{
	if (!http || !handle)
		return;
	for (struct http_req *r = http->head; r; r = r->next)
		if (r->handle == handle) {
			http_unlink(http, r);
			http_req_free(http, r);
			return;
		}
}

size_t http_pending(const struct http *http)
{
	return http ? http->n_reqs : 0;
}
