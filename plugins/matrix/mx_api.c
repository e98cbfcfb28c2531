/*
 * Calling the Client-Server API through the host's HTTP service: the
 * URL, the Bearer header, and one classification of every outcome
 * (Client-Server API "Standard error response", "Rate limiting").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mx.h"

#define API_PREFIX "/_matrix/client/v3"

struct mx_call {
	struct mx *mx;
	uint64_t handle;
	mx_done_fn done;
	void *arg;
	char *body;
	struct mx_call *next;
};

static void unlink_call(struct mx *mx, struct mx_call *c)
{
	for (struct mx_call **p = &mx->calls; *p; p = &(*p)->next)
		if (*p == c) {
			*p = c->next;
			return;
		}
}

/* Sorts a response into mx_result. */
static void classify(const struct rehabd_http_response *resp, struct mx_reply *r)
{
	memset(r, 0, sizeof *r);
	r->status = resp->status;
	r->body = resp->body ? resp->body : "";
	r->body_len = resp->body ? resp->body_len : 0;
	r->retry_ms = -1;
	r->transport = resp->error;
	if (resp->status >= 400)
		mx_error_parse(r->body, r->body_len, &r->err);
	if (resp->status == 0 || resp->transport_error)
		r->result = MX_R_RETRY;
	else if (resp->status >= 200 && resp->status < 300)
		r->result = MX_R_OK;
	else if (resp->status == 429 || !strcmp(r->err.errcode, "M_LIMIT_EXCEEDED")) {
		r->result = MX_R_RATE;
		/* The header first: retry_after_ms is deprecated (v1.10). */
		if (resp->retry_after_s >= 0)
			r->retry_ms = resp->retry_after_s * 1000;
		else
			r->retry_ms = r->err.retry_after_ms;
	} else if (resp->status == 401 &&
		   (!strcmp(r->err.errcode, "M_UNKNOWN_TOKEN") ||
		    !strcmp(r->err.errcode, "M_MISSING_TOKEN")))
		r->result = MX_R_TOKEN;
	else if (resp->status == 403 && !strcmp(r->err.errcode, "M_FORBIDDEN"))
		r->result = MX_R_FORBIDDEN;
	else if (resp->status >= 500 || resp->status < 200 || resp->status == 408)
		r->result = MX_R_RETRY;
	else if (resp->status >= 300 && resp->status < 400)
		r->result = MX_R_RETRY;
	else
		r->result = MX_R_REFUSED;
}

static void call_done(void *arg, const struct rehabd_http_response *resp)
{
	struct mx_call *c = arg;
	struct mx *mx = c->mx;
	struct mx_reply r;
	mx_done_fn done = c->done;
	void *darg = c->arg;

	unlink_call(mx, c);
	free(c->body);
	free(c);
	classify(resp, &r);
	done(mx, darg, &r);
}

int mx_call(struct mx *mx, const char *method, const char *path,
	    const char *query, const char *body, int auth, long timeout_ms,
	    size_t max_response, mx_done_fn done, void *arg)
{
	char *url = NULL, *log_url = NULL, *bearer = NULL;
	const char *headers[2];
	size_t n_headers = 0;
	struct mx_call *c = calloc(1, sizeof *c);
	int rc = -1;

	if (!c)
		return -1;
	if (asprintf(&url, "%s%s%s%s%s", mx->cfg.homeserver, API_PREFIX, path,
		     query ? "?" : "", query ? query : "") < 0)
		url = NULL;
	/* Paths and queries hold no secrets (the token is in a header), but
	 * the log keeps to the method and the endpoint. */
	if (asprintf(&log_url, "matrix %s %s", method, path) < 0)
		log_url = NULL;
	if (auth && mx->token && asprintf(&bearer, "Authorization: Bearer %s", mx->token) < 0)
		bearer = NULL;
	if (!url || !log_url || (auth && mx->token && !bearer))
		goto out;
	if (bearer)
		headers[n_headers++] = bearer;
	if (body)
		headers[n_headers++] = "Content-Type: application/json";
	c->mx = mx;
	c->done = done;
	c->arg = arg;
	if (body && !(c->body = strdup(body)))
		goto out;
	struct rehabd_http_request req = {
		.size = sizeof req,
		.method = method,
		.url = url,
		.log_url = log_url,
		.headers = headers,
		.n_headers = n_headers,
		.body = c->body,
		.body_len = c->body ? strlen(c->body) : 0,
		.timeout_ms = timeout_ms,
		.max_response = max_response,
	};
	c->handle = mx->api->http_submit(mx->host, &req, call_done, c);
	if (c->handle) {
		c->next = mx->calls;
		mx->calls = c;
		c = NULL;
		rc = 0;
	}
out:
	if (c) {
		free(c->body);
		free(c);
	}
	if (bearer) {
		explicit_bzero(bearer, strlen(bearer));
		free(bearer);
	}
	free(url);
	free(log_url);
	return rc;
}

uint64_t mx_call_last(const struct mx *mx)
{
	return mx->calls ? mx->calls->handle : 0;
}

void mx_call_cancel(struct mx *mx, uint64_t handle)
{
	for (struct mx_call *c = mx->calls; handle && c; c = c->next)
		if (c->handle == handle) {
			unlink_call(mx, c);
			mx->api->http_cancel(mx->host, c->handle);
			free(c->body);
			free(c);
			return;
		}
}

void mx_call_cancel_all(struct mx *mx)
{
	while (mx->calls) {
		struct mx_call *c = mx->calls;
		mx->calls = c->next;
		mx->api->http_cancel(mx->host, c->handle);
		free(c->body);
		free(c);
	}
}

char *mx_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *out = malloc(n * 3 + 1), *o = out;
	if (!out)
		return NULL;
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || *c == '-' || *c == '.' ||
		    *c == '_' || *c == '~') {
			*o++ = (char)*c;
		} else {
			*o++ = '%';
			*o++ = hex[*c >> 4];
			*o++ = hex[*c & 15];
		}
	}
	*o = '\0';
	return out;
}
