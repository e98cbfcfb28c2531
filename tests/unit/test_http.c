/*
 * The HTTP service against a real loopback server (tests/http_server.py,
 * started and stopped here) on a real libev loop: bodies, statuses and
 * Retry-After, connection reuse, the body cap, timeouts, broken
 * connections, cancellation from anywhere, the URL policy, and errors that
 * never show the secret part of a URL.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <ev.h>
#include <jansson.h>

#include "http.h"

#ifndef TEST_PYTHON3
#define TEST_PYTHON3 "python3"
#endif

#define SECRET_SEGMENT "bot123:SECRET"

static struct {
	struct ev_loop *loop;
	struct http *http;
	pid_t server;
	char dir[64];
	char portfile[128];
	int port;
	int tls_port;
	int done_total; /* callbacks seen, across all requests */
} F;

/* What one request's callback saw, and what it should do when called. */
struct result {
	int calls;
	long status;
	int terr;
	long retry_after;
	size_t body_len;
	char body[1024]; /* first bytes of the body */
	char error[512];
	int has_error;
	double at;            /* monotonic time of the callback */
	uint64_t handle;
	uint64_t *cancel;     /* cancel this handle from the callback */
	int resubmit;         /* submit /fast again this many times */
};

static double now_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t submit_req(struct http *h, const char *method,
			   const char *path, long timeout_ms,
			   size_t max_response, struct result *res);

static void on_done(void *arg, const struct rehabd_http_response *resp)
{
	struct result *res = arg;

	F.done_total++;
	res->calls++;
	res->at = now_mono();
	assert_int_equal(resp->size, sizeof *resp);
	assert_non_null(resp->body);
	assert_int_equal(resp->body[resp->body_len], '\0');
	res->status = resp->status;
	res->terr = resp->transport_error;
	res->retry_after = resp->retry_after_s;
	res->body_len = resp->body_len;
	snprintf(res->body, sizeof res->body, "%s", resp->body);
	res->has_error = resp->error != NULL;
	snprintf(res->error, sizeof res->error, "%s",
		 resp->error ? resp->error : "");
	if (res->cancel)
		http_cancel(F.http, *res->cancel);
	if (res->resubmit > 0) {
		res->resubmit--;
		submit_req(F.http, "GET", "/fast", 0, 0, res);
	}
}

static void url_for(char *buf, size_t n, const char *path)
{
	snprintf(buf, n, "http://127.0.0.1:%d%s", F.port, path);
}

/* Submits method path on h; fails the test if refused. */
static uint64_t submit_req(struct http *h, const char *method,
			   const char *path, long timeout_ms,
			   size_t max_response, struct result *res)
{
	char u[256], err[256] = "";
	struct rehabd_http_request req = {
		.size = sizeof req, .method = method, .url = u,
		.timeout_ms = timeout_ms, .max_response = max_response,
	};

	url_for(u, sizeof u, path);
	res->handle = http_submit(h, &req, on_done, res, err, sizeof err);
	if (!res->handle)
		fail_msg("submit %s refused: %s", path, err);
	return res->handle;
}

static int timed_out;

static void deadline_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
	timed_out = 1;
}

/* Runs the loop until *counter reaches target or seconds pass.  Returns 1
 * when reached. */
static int run_until(const int *counter, int target, double seconds)
{
	ev_timer deadline;

	timed_out = 0;
	ev_timer_init(&deadline, deadline_cb, seconds, 0.);
	ev_timer_start(F.loop, &deadline);
	while (*counter < target && !timed_out)
		ev_run(F.loop, EVRUN_ONCE);
	ev_timer_stop(F.loop, &deadline);
	return *counter >= target;
}

/* Runs the loop for seconds, whatever happens. */
static void run_for(double seconds)
{
	static const int never = 0;
	run_until(&never, 1, seconds);
}

/* Server counters from /stats, fetched through the service itself. */
static void server_stats(long *connections, long *requests)
{
	struct result r = { 0 };
	json_t *j;

	submit_req(F.http, "GET", "/stats", 0, 0, &r);
	assert_true(run_until(&r.calls, 1, 10));
	assert_int_equal(r.status, 200);
	j = json_loads(r.body, 0, NULL);
	assert_non_null(j);
	*connections = (long)json_integer_value(json_object_get(j, "connections"));
	*requests = (long)json_integer_value(json_object_get(j, "requests"));
	json_decref(j);
}

/* ---- server process ----------------------------------------------------- */

static int server_start(void)
{
	double deadline;
	int status;

	snprintf(F.dir, sizeof F.dir, "/tmp/test_http.XXXXXX");
	if (!mkdtemp(F.dir))
		return -1;
	snprintf(F.portfile, sizeof F.portfile, "%s/port", F.dir);
	F.server = fork();
	if (F.server < 0)
		return -1;
	if (F.server == 0) {
		execlp(TEST_PYTHON3, "python3",
		       TEST_SOURCE_DIR "/tests/http_server.py", F.portfile,
		       (char *)NULL);
		_exit(127);
	}
	/* Wait for the port file (written atomically), with a deadline,
	 * and give up at once if the server died. */
	deadline = now_mono() + 20;
	while (now_mono() < deadline) {
		FILE *f = fopen(F.portfile, "r");
		struct timespec tick = { 0, 10 * 1000 * 1000 };

		if (f) {
			int ok = fscanf(f, "%d %d", &F.port, &F.tls_port) == 2;
			fclose(f);
			return ok && F.port > 0 && F.tls_port > 0 ? 0 : -1;
		}
		if (waitpid(F.server, &status, WNOHANG) == F.server) {
			F.server = 0;
			return -1;
		}
		nanosleep(&tick, NULL);
	}
	return -1;
}

static void server_stop(void)
{
	if (F.server > 0) {
		kill(F.server, SIGTERM);
		waitpid(F.server, NULL, 0);
		F.server = 0;
	}
	static const char *const files[] = { "port", "cert.pem", "key.pem" };
	char path[160];

	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", F.dir, files[i]);
		unlink(path);
	}
	rmdir(F.dir);
}

static int group_setup(void **state)
{
	char err[256];

	(void)state;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return -1;
	if (server_start() < 0) {
		fprintf(stderr, "cannot start tests/http_server.py\n");
		server_stop();
		return -1;
	}
	F.loop = ev_loop_new(EVFLAG_AUTO);
	if (!F.loop)
		return -1;
	F.http = http_new(F.loop, err, sizeof err);
	if (!F.http) {
		fprintf(stderr, "http_new: %s\n", err);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	http_free(F.http);
	if (F.loop)
		ev_loop_destroy(F.loop);
	server_stop();
	curl_global_cleanup();
	return 0;
}

/* ---- tests -------------------------------------------------------------- */

static size_t discard(char *data, size_t size, size_t nmemb, void *userp)
{
	(void)data;
	(void)userp;
	return size * nmemb;
}

/* Columns: URL, allowed?, why. */
static const struct {
	const char *url;
	int allowed;
	const char *why;
} url_rows[] = {
	{ "https://api.telegram.org", 1, "https anywhere" },
	{ "https://api.telegram.org/bot1:X/getMe?a=b", 1, "https with path" },
	{ "HTTPS://API.TELEGRAM.ORG/x", 1, "scheme case" },
	{ "http://127.0.0.1:8081", 1, "loopback v4" },
	{ "http://127.1.2.3/x", 1, "anywhere in 127/8" },
	{ "http://[::1]:1", 1, "loopback v6" },
	{ "http://localhost", 1, "localhost" },
	{ "http://LocalHost:9/x", 1, "localhost, any case" },
	{ "http://example.com", 0, "plain http to a remote host" },
	{ "http://128.0.0.1/", 0, "just outside 127/8" },
	{ "http://[::2]/", 0, "not ::1" },
	{ "http://localhost.example.com/", 0, "not localhost" },
	{ "http://127.0.0.1.example.com/", 0, "name made to look local" },
	{ "http://user@example.com/", 0, "userinfo does not help" },
	{ "http://[::1%25lo]/", 0, "zone id on plain http" },
	{ "http://@[::1%@[::[:\xff]", 0, "zone id read two ways (fuzz find)" },
	{ "http://127.000000000000000000000000000000001/", 1,
	  "long spelling of 127.0.0.1" },
	{ "https://[fe80::1%25eth0]/", 1, "zone id on https" },
	{ "ftp://127.0.0.1/", 0, "ftp" },
	{ "file:///etc/passwd", 0, "file" },
	{ "gopher://127.0.0.1/", 0, "gopher" },
	{ "garbage", 0, "no scheme" },
	{ "https://", 0, "no host" },
	{ "https://exa mple.com/", 0, "space in host" },
	{ "", 0, "empty" },
	{ NULL, 0, "NULL" },
};

static void test_url_allowed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof url_rows / sizeof url_rows[0]; i++)
		if (http_url_allowed(url_rows[i].url) != url_rows[i].allowed)
			fail_msg("%s: %s: expected %d", url_rows[i].why,
				 url_rows[i].url ? url_rows[i].url : "(null)",
				 url_rows[i].allowed);
}

static const char *const crlf_headers[] = { "X-A: 1\r\nX-Injected: 1" };
static const char *const nocolon_headers[] = { "X-A 1" };

/* Columns: URL (NULL = loopback /fast), method, body length, headers,
 * struct size (0 = current), timeout, why.  Every row must be refused with
 * a message that holds no secret. */
static const struct {
	const char *url;
	const char *method;
	size_t body_len;
	const char *const *headers;
	size_t size;
	long timeout_ms;
	const char *why;
} refuse_rows[] = {
	{ "http://example.com/" SECRET_SEGMENT "/x", "GET", 0, NULL, 0, 0, "remote http" },
	{ "ftp://127.0.0.1/" SECRET_SEGMENT, "GET", 0, NULL, 0, 0, "ftp" },
	{ "not a url/" SECRET_SEGMENT, "GET", 0, NULL, 0, 0, "garbage" },
	{ NULL, "GET", 3, NULL, 0, 0, "GET with a body" },
	{ NULL, "BREW", 0, NULL, 0, 0, "unknown method" },
	{ NULL, "GET", 0, crlf_headers, 0, 0, "header injection" },
	{ NULL, "GET", 0, nocolon_headers, 0, 0, "header without colon" },
	{ NULL, "GET", 0, NULL, 8, 0, "struct too small" },
	{ NULL, "GET", 0, NULL, 0, -5, "negative timeout" },
};

static void test_submit_refused(void **state)
{
	struct result res[sizeof refuse_rows / sizeof refuse_rows[0]];
	struct result ok = { 0 };

	(void)state;
	memset(res, 0, sizeof res);
	for (size_t i = 0; i < sizeof refuse_rows / sizeof refuse_rows[0]; i++) {
		char u[256], err[256] = "";
		struct rehabd_http_request req = {
			.size = refuse_rows[i].size ? refuse_rows[i].size
						    : sizeof req,
			.method = refuse_rows[i].method,
			.url = u,
			.headers = refuse_rows[i].headers,
			.n_headers = refuse_rows[i].headers ? 1 : 0,
			.body = "abc",
			.body_len = refuse_rows[i].body_len,
			.timeout_ms = refuse_rows[i].timeout_ms,
		};
		if (refuse_rows[i].url)
			snprintf(u, sizeof u, "%s", refuse_rows[i].url);
		else
			url_for(u, sizeof u, "/fast");
		if (http_submit(F.http, &req, on_done, &res[i], err,
				sizeof err) != 0)
			fail_msg("%s: accepted", refuse_rows[i].why);
		if (!err[0] || strstr(err, "SECRET") || strstr(err, "bot123"))
			fail_msg("%s: bad message \"%s\"", refuse_rows[i].why,
				 err);
	}
	assert_int_equal(http_pending(F.http), 0);
	/* A later request completes; none of the refused ones calls back. */
	submit_req(F.http, "GET", "/fast", 0, 0, &ok);
	assert_true(run_until(&ok.calls, 1, 10));
	for (size_t i = 0; i < sizeof res / sizeof res[0]; i++)
		assert_int_equal(res[i].calls, 0);
}

static void test_get_ok(void **state)
{
	/* Columns: URL path (through 127.0.0.1 or localhost). */
	static const char *const hosts[] = { "127.0.0.1", "localhost" };
	const curl_version_info_data *vi = curl_version_info(CURLVERSION_NOW);

	(void)state;
	/* A libcurl resolving names synchronously would block the loop. */
	assert_true(vi->features & CURL_VERSION_ASYNCHDNS);
	for (size_t i = 0; i < 2; i++) {
		struct result r = { 0 };
		char u[256], err[256];
		struct rehabd_http_request req = {
			.size = sizeof req, .method = "GET", .url = u,
		};
		snprintf(u, sizeof u, "http://%s:%d/fast", hosts[i], F.port);
		r.handle = http_submit(F.http, &req, on_done, &r, err,
				       sizeof err);
		assert_true(r.handle != 0);
		assert_int_equal(http_pending(F.http), 1);
		assert_true(run_until(&r.calls, 1, 10));
		run_for(0.05); /* and never a second time */
		assert_int_equal(r.calls, 1);
		assert_int_equal(r.status, 200);
		assert_int_equal(r.terr, 0);
		assert_false(r.has_error);
		assert_int_equal(r.retry_after, -1);
		assert_non_null(strstr(r.body, "\"ok\": true"));
		assert_int_equal(r.body_len, strlen(r.body));
		assert_int_equal(http_pending(F.http), 0);
	}
}

static const char *const echo_headers[] = {
	"Content-Type: application/json", "X-Test: abc",
};

/* Columns: method, body, method the server must see. */
static const struct {
	const char *method, *body, *seen;
} echo_rows[] = {
	{ "POST", "{\"chat_id\":123,\"text\":\"h\\u00e9\"}", "POST" },
	{ "POST", "", "POST" },
	{ "PUT", "{\"a\":1}", "PUT" },
	{ NULL, "{\"implied\":\"post\"}", "POST" },
	{ "GET", NULL, "GET" },
};

static void test_methods_body_headers(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof echo_rows / sizeof echo_rows[0]; i++) {
		struct result r = { 0 };
		char u[256], err[256], body[256];
		json_t *j;
		struct rehabd_http_request req = {
			.size = sizeof req, .method = echo_rows[i].method,
			.url = u, .headers = echo_headers, .n_headers = 2,
		};
		url_for(u, sizeof u, "/echo");
		/* The service copies the body: ours is gone after submit. */
		if (echo_rows[i].body) {
			snprintf(body, sizeof body, "%s", echo_rows[i].body);
			req.body = body;
			req.body_len = strlen(body);
		}
		assert_true(http_submit(F.http, &req, on_done, &r, err,
					sizeof err) != 0);
		memset(body, 'Z', sizeof body);
		u[0] = '\0';
		assert_true(run_until(&r.calls, 1, 10));
		assert_int_equal(r.status, 200);
		j = json_loads(r.body, 0, NULL);
		assert_non_null(j);
		assert_string_equal(json_string_value(json_object_get(j, "method")),
				    echo_rows[i].seen);
		assert_string_equal(json_string_value(json_object_get(j, "body")),
				    echo_rows[i].body ? echo_rows[i].body : "");
		assert_string_equal(json_string_value(json_object_get(
					    json_object_get(j, "headers"), "x-test")),
				    "abc");
		/* No "Expect: 100-continue" round trip. */
		assert_null(json_object_get(json_object_get(j, "headers"), "expect"));
		json_decref(j);
	}
}

/* Columns: path, status, Retry-After seconds (low, high: a date is not
 * exact), why. */
static const struct {
	const char *path;
	long status, retry_lo, retry_hi;
	const char *why;
} status_rows[] = {
	{ "/status/500", 500, -1, -1, "server error, no Retry-After" },
	{ "/status/429?retry=7", 429, 7, 7, "seconds" },
	{ "/status/429?retry=0", 429, 0, 0, "zero" },
	{ "/status/503?retry=99999999999999999999", 503, 86400, 86400, "huge: capped" },
	{ "/status/429?retry=soon", 429, -1, -1, "unparseable" },
	{ "/status/429?retry=-3", 429, -1, -1, "negative" },
	{ "/status/429?retry=7x", 429, -1, -1, "trailing junk" },
	{ "/status/429?retry_in=30", 429, 28, 31, "HTTP-date" },
	{ "/status/403", 403, -1, -1, "forbidden" },
	{ "/status/404", 404, -1, -1, "not found" },
};

static void test_status_and_retry_after(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof status_rows / sizeof status_rows[0]; i++) {
		struct result r = { 0 };
		submit_req(F.http, "GET", status_rows[i].path, 0, 0, &r);
		assert_true(run_until(&r.calls, 1, 10));
		if (r.status != status_rows[i].status || r.terr ||
		    r.retry_after < status_rows[i].retry_lo ||
		    r.retry_after > status_rows[i].retry_hi)
			fail_msg("%s: status %ld terr %d retry_after %ld",
				 status_rows[i].why, r.status, r.terr,
				 r.retry_after);
		/* The error body is delivered: Telegram explains itself there. */
		assert_non_null(strstr(r.body, "error_code"));
	}
}

static void test_concurrent_reuse(void **state)
{
	enum { N = 10 };
	struct result r[N];
	long c0, q0, c1, q1, c2, q2;

	(void)state;
	server_stats(&c0, &q0);
	for (int wave = 0; wave < 2; wave++) {
		int start = F.done_total;
		memset(r, 0, sizeof r);
		for (int i = 0; i < N; i++)
			submit_req(F.http, "GET", "/slow?ms=100", 0, 0, &r[i]);
		assert_int_equal(http_pending(F.http), N);
		assert_true(run_until(&F.done_total, start + N, 10));
		for (int i = 0; i < N; i++) {
			assert_int_equal(r[i].calls, 1);
			assert_int_equal(r[i].status, 200);
		}
		if (wave == 0)
			server_stats(&c1, &q1);
	}
	server_stats(&c2, &q2);
	print_message("concurrent: wave 1 opened %ld connections, wave 2 %ld\n",
		      c1 - c0, c2 - c1);
	assert_int_equal(q1 - q0, N + 1);
	assert_int_equal(q2 - q1, N + 1);
	/* Overlapping requests over HTTP/1.1 need one connection each... */
	assert_true(c1 - c0 <= N);
	/* ...and the second wave finds them all in the pool. */
	assert_int_equal(c2 - c1, 0);
}

/* Columns: path, max_response (0 = default), succeeds?, why. */
static const struct {
	const char *path;
	size_t max;
	int ok;
	const char *why;
} cap_rows[] = {
	{ "/huge?bytes=1000", 1000, 1, "exactly the cap, with length" },
	{ "/stream?bytes=1000", 1000, 1, "exactly the cap, chunked" },
	{ "/huge?bytes=1001", 1000, 0, "one over, with length" },
	{ "/stream?bytes=1001", 1000, 0, "one over, chunked" },
	{ "/stream?bytes=300000", 100000, 0, "far over, chunked" },
	{ "/huge?bytes=3000000", 0, 1, "under the 4 MiB default" },
	{ "/stream?bytes=5000000", 0, 0, "over the 4 MiB default" },
};

static void test_body_cap(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cap_rows / sizeof cap_rows[0]; i++) {
		struct result r = { 0 };
		size_t want = (size_t)strtoul(strchr(cap_rows[i].path, '=') + 1,
					      NULL, 10);
		submit_req(F.http, "GET", cap_rows[i].path, 0, cap_rows[i].max,
			   &r);
		assert_true(run_until(&r.calls, 1, 20));
		if (cap_rows[i].ok) {
			if (r.terr || r.status != 200 || r.body_len != want)
				fail_msg("%s: terr %d status %ld len %zu",
					 cap_rows[i].why, r.terr, r.status,
					 r.body_len);
		} else {
			if (r.terr != CURLE_FILESIZE_EXCEEDED || r.status != 0 ||
			    r.body_len != 0 || !strstr(r.error, "larger than"))
				fail_msg("%s: terr %d status %ld len %zu \"%s\"",
					 cap_rows[i].why, r.terr, r.status,
					 r.body_len, r.error);
		}
	}
	assert_int_equal(http_pending(F.http), 0);
}

static void test_timeout(void **state)
{
	/* Columns: timeout ms, lowest and highest acceptable elapsed s. */
	static const struct {
		long timeout_ms;
		double lo, hi;
	} rows[] = {
		{ 300, 0.28, 2.3 },
		{ 1200, 1.15, 3.2 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct result r = { 0 };
		double t0 = now_mono(), dt;
		unsigned int it0 = ev_iteration(F.loop), loops;

		submit_req(F.http, "GET", "/" SECRET_SEGMENT "/slow?ms=3000",
			   rows[i].timeout_ms, 0, &r);
		assert_true(run_until(&r.calls, 1, 10));
		dt = r.at - t0;
		loops = ev_iteration(F.loop) - it0;
		print_message("timeout %ld ms: failed after %.3f s, %u loop "
			      "iterations: %s\n", rows[i].timeout_ms, dt, loops,
			      r.error);
		/* Waiting is idle: a timer rounded down to 0 s (milliseconds
		 * divided as integers) would spin the loop thousands of
		 * times before libcurl's own clock ran out. */
		assert_true(loops < 50);
		assert_int_equal(r.terr, CURLE_OPERATION_TIMEDOUT);
		assert_int_equal(r.status, 0);
		assert_true(r.has_error);
		assert_true(dt >= rows[i].lo && dt <= rows[i].hi);
		assert_null(strstr(r.error, "SECRET"));
		assert_null(strstr(r.error, "bot123"));
	}
}

static void test_transport_errors(void **state)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t salen = sizeof sa;
	int fd;
	/* Columns: userinfo, port (0 = a port that refuses), path,
	 * expected CURLcode, a word the error must not hold, why. */
	struct {
		const char *userinfo;
		int port;
		const char *path;
		int code;
		const char *banned;
		const char *why;
	} rows[] = {
		{ "", F.port, "/" SECRET_SEGMENT "/hangup?t=" SECRET_SEGMENT,
		  CURLE_PARTIAL_FILE, "SECRET", "closed mid-body" },
		{ "", 0, "/" SECRET_SEGMENT "/fast", CURLE_COULDNT_CONNECT,
		  "SECRET", "nobody listening" },
		{ "user:" SECRET_SEGMENT "@", 0, "/" SECRET_SEGMENT,
		  CURLE_COULDNT_CONNECT, "SECRET", "secret in userinfo" },
		/* libcurl's own text ("Failed to connect to ...") would
		 * repeat this path segment: the plain CURLcode text is
		 * reported instead. */
		{ "", 0, "/Failed/x", CURLE_COULDNT_CONNECT, "Failed",
		  "path piece in libcurl's message" },
	};

	(void)state;
	/* A bound socket that does not listen refuses connections, and
	 * nobody else can take its port while we hold it. */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &salen), 0);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct result r = { 0 };
		char u[256], err[256];
		struct rehabd_http_request req = {
			.size = sizeof req, .method = "GET", .url = u,
		};
		snprintf(u, sizeof u, "http://%s127.0.0.1:%d%s",
			 rows[i].userinfo,
			 rows[i].port ? rows[i].port : ntohs(sa.sin_port),
			 rows[i].path);
		assert_true(http_submit(F.http, &req, on_done, &r, err,
					sizeof err) != 0);
		assert_true(run_until(&r.calls, 1, 10));
		print_message("%s: %d %s\n", rows[i].why, r.terr, r.error);
		if (r.terr != rows[i].code || r.status != 0 || !r.has_error ||
		    !r.error[0])
			fail_msg("%s: terr %d status %ld", rows[i].why, r.terr,
				 r.status);
		if (strstr(r.error, rows[i].banned) || strstr(r.error, "bot123"))
			fail_msg("%s: secret in \"%s\"", rows[i].why, r.error);
	}
	close(fd);
}

/* The loopback TLS server's certificate is self-signed: the service must
 * refuse it, while the same request trusting that certificate succeeds
 * (so the refusal is the verification, not a broken server). */
static void test_tls_verified(void **state)
{
	static const char *const hosts[] = { "127.0.0.1", "localhost" };
	char u[256], err[256], ca[160];
	CURL *e;
	long status = 0;

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct result r = { 0 };
		struct rehabd_http_request req = {
			.size = sizeof req, .method = "GET", .url = u,
		};
		snprintf(u, sizeof u, "https://%s:%d/" SECRET_SEGMENT "/fast",
			 hosts[i], F.tls_port);
		assert_true(http_submit(F.http, &req, on_done, &r, err,
					sizeof err) != 0);
		assert_true(run_until(&r.calls, 1, 10));
		print_message("https://%s self-signed: %d %s\n", hosts[i],
			      r.terr, r.error);
		assert_int_equal(r.terr, CURLE_PEER_FAILED_VERIFICATION);
		assert_int_equal(r.status, 0);
		assert_null(strstr(r.error, "SECRET"));
	}
	/* Control: a client trusting cert.pem gets through. */
	snprintf(ca, sizeof ca, "%s/cert.pem", F.dir);
	snprintf(u, sizeof u, "https://127.0.0.1:%d/stats", F.tls_port);
	e = curl_easy_init();
	assert_non_null(e);
	curl_easy_setopt(e, CURLOPT_URL, u);
	curl_easy_setopt(e, CURLOPT_CAINFO, ca);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 10000L);
	assert_int_equal(curl_easy_perform(e), CURLE_OK);
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	assert_int_equal(status, 200);
	curl_easy_cleanup(e);
}

static void test_cancel(void **state)
{
	struct result a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 }, x = { 0 },
		      y = { 0 }, self = { 0 }, chain = { 0 };
	int start;

	(void)state;
	/* Cancelled before it finishes: never called back. */
	submit_req(F.http, "GET", "/slow?ms=200", 0, 0, &a);
	submit_req(F.http, "GET", "/slow?ms=400", 0, 0, &b);
	http_cancel(F.http, a.handle);
	assert_int_equal(http_pending(F.http), 1);
	assert_true(run_until(&b.calls, 1, 10));
	assert_int_equal(a.calls, 0);

	/* Cancelled from another request's callback. */
	submit_req(F.http, "GET", "/slow?ms=300", 0, 0, &d);
	c.cancel = &d.handle;
	submit_req(F.http, "GET", "/fast", 0, 0, &c);
	assert_true(run_until(&c.calls, 1, 10));
	assert_int_equal(http_pending(F.http), 0);
	run_for(0.5);
	assert_int_equal(d.calls, 0);

	/* Two that finish together and each cancel the other: whichever
	 * is reported first wins, the other is never reported.  Two equal
	 * timeouts expire in the same libcurl call, so the second is already
	 * finished and queued when the first one's callback cancels it. */
	for (int round = 0; round < 6; round++) {
		const char *path = round % 2 ? "/fast" : "/slow?ms=2000";
		long timeout_ms = round % 2 ? 0 : 100;

		memset(&x, 0, sizeof x);
		memset(&y, 0, sizeof y);
		x.cancel = &y.handle;
		y.cancel = &x.handle;
		start = F.done_total;
		submit_req(F.http, "GET", path, timeout_ms, 0, &x);
		submit_req(F.http, "GET", path, timeout_ms, 0, &y);
		assert_true(run_until(&F.done_total, start + 1, 10));
		run_for(0.1);
		assert_int_equal(x.calls + y.calls, 1);
		assert_int_equal(http_pending(F.http), 0);
	}

	/* Cancelling oneself from one's own callback, an unknown handle, a
	 * finished one, or 0 is ignored. */
	self.cancel = &self.handle;
	submit_req(F.http, "GET", "/fast", 0, 0, &self);
	assert_true(run_until(&self.calls, 1, 10));
	http_cancel(F.http, self.handle);
	http_cancel(F.http, 0);
	http_cancel(F.http, UINT64_MAX);
	assert_int_equal(self.calls, 1);

	/* Submitting from a callback works. */
	chain.resubmit = 3;
	submit_req(F.http, "GET", "/fast", 0, 0, &chain);
	assert_true(run_until(&chain.calls, 4, 10));
	assert_int_equal(chain.status, 200);
	assert_int_equal(http_pending(F.http), 0);
}

static void test_free_with_pending(void **state)
{
	struct result r[3], later = { 0 };
	char err[256];
	struct http *h = http_new(F.loop, err, sizeof err);

	(void)state;
	assert_non_null(h);
	memset(r, 0, sizeof r);
	for (int i = 0; i < 3; i++)
		submit_req(h, "GET", "/slow?ms=200", 0, 0, &r[i]);
	run_for(0.05); /* let the transfers get under way */
	assert_int_equal(http_pending(h), 3);
	http_free(h);
	/* The loop keeps running other work; nothing of h fires. */
	submit_req(F.http, "GET", "/slow?ms=400", 0, 0, &later);
	assert_true(run_until(&later.calls, 1, 10));
	for (int i = 0; i < 3; i++)
		assert_int_equal(r[i].calls, 0);
}

static void test_hundred_requests(void **state)
{
	enum { N = 100 };
	static struct result r[N];
	long c0, q0, c1, q1;
	double t0, seq, par;
	int start;

	(void)state;
	/* One after another: one connection serves them all. */
	server_stats(&c0, &q0);
	memset(r, 0, sizeof r);
	r[0].resubmit = N - 1;
	t0 = now_mono();
	submit_req(F.http, "GET", "/fast", 0, 0, &r[0]);
	assert_true(run_until(&r[0].calls, N, 30));
	seq = now_mono() - t0;
	server_stats(&c1, &q1);
	assert_int_equal(q1 - q0, N + 1);
	assert_true(c1 - c0 <= 1);

	/* All at once. */
	memset(r, 0, sizeof r);
	start = F.done_total;
	t0 = now_mono();
	for (int i = 0; i < N; i++)
		submit_req(F.http, "GET", "/fast", 0, 0, &r[i]);
	assert_true(run_until(&F.done_total, start + N, 30));
	par = now_mono() - t0;
	for (int i = 0; i < N; i++) {
		assert_int_equal(r[i].calls, 1);
		assert_int_equal(r[i].status, 200);
	}
	print_message("100 loopback GETs: sequential %.3f s (%.2f ms each, "
		      "%ld new connections), concurrent %.3f s\n",
		      seq, seq * 1000 / N, c1 - c0, par);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_allowed),
		cmocka_unit_test(test_submit_refused),
		cmocka_unit_test(test_get_ok),
		cmocka_unit_test(test_methods_body_headers),
		cmocka_unit_test(test_status_and_retry_after),
		cmocka_unit_test(test_concurrent_reuse),
		cmocka_unit_test(test_body_cap),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_transport_errors),
		cmocka_unit_test(test_tls_verified),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_free_with_pending),
		cmocka_unit_test(test_hundred_requests),
	};
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
