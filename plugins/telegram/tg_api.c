/*
 * Calling Bot API methods through the host's HTTP service.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg.h"
#include "tg_json.h"

#define TG_AUX_TIMEOUT_MS 30000L
#define TG_AUX_MAX_RESPONSE ((size_t)1 << 20)
#define TG_AUX_TRIES 5            /* attempts of a retried aux call */
#define TG_AUX_RETRY_AFTER_MAX 600 /* longer 429 waits are not awaited */

struct tg_aux {
	struct tg_aux *next;
	struct tg *tg;
	uint64_t handle;       /* request in flight, or 0 */
	uint64_t timer;        /* waiting to try again, or 0 */
	char method[32];
	char *body;            /* kept for another attempt */
	int tries;
};

long tg_outcome(const struct rehabd_http_response *resp,
		const struct tg_reply *r)
{
	if (resp->status == 0)
		return 0;
	if (!r)
		return resp->status;
	if (r->ok)
		return 200;
	if (r->error_code)
		return r->error_code;
	/* "ok":false without a code: an error of unknown kind. */
	return resp->status >= 400 ? resp->status : 500;
}

long tg_retry_after(const struct rehabd_http_response *resp,
		    const struct tg_reply *r)
{
	if (r && r->retry_after >= 0)
		return r->retry_after;
	return resp->retry_after_s >= 0 ? resp->retry_after_s : -1;
}

uint64_t tg_api_call(struct tg *tg, const char *method, const char *body,
		     long timeout_ms, size_t max_response,
		     rehabd_http_done_fn done, void *arg)
{
	static const char *const headers[] = {
		"Content-Type: application/json",
	};
	char log_url[64];
	char *url = NULL;
	uint64_t handle;
	int n;

	n = asprintf(&url, "%s/bot%s/%s", tg->cfg.api_base, tg->cfg.token, method);
	if (n < 0)
		return 0;
	snprintf(log_url, sizeof log_url, "telegram %s", method);
	struct rehabd_http_request req = {
		.size = sizeof req,
		.method = "POST",
		.url = url,
		.log_url = log_url,
		.headers = headers,
		.n_headers = 1,
		.body = body,
		.body_len = strlen(body),
		.timeout_ms = timeout_ms,
		.max_response = max_response,
	};
	handle = tg->api->http_submit(tg->host, &req, done, arg);
	/* The URL holds the token: do not leave copies in freed memory. */
	explicit_bzero(url, (size_t)n);
	free(url);
	return handle;
}

static void aux_unlink(struct tg *tg, struct tg_aux *a)
{
	for (struct tg_aux **p = &tg->aux; *p; p = &(*p)->next)
		if (*p == a) {
			*p = a->next;
			return;
		}
}

static void aux_free(struct tg_aux *a)
{
	free(a->body);
	free(a);
}

/* Errors that mean the wanted state is there already. */
static int harmless(const struct tg_reply *r)
{
	return r->error_code == 400 &&
	       (strstr(r->description, "message is not modified") ||
		strstr(r->description, "query is too old") ||
		strstr(r->description, "query ID is invalid"));
}

/* Methods whose effect still matters when it comes late. */
static int worth_retrying(const char *method)
{
	return !strcmp(method, "setMyCommands") ||
	       !strcmp(method, "editMessageText") ||
	       !strcmp(method, "editMessageReplyMarkup");
}

static void aux_done(void *arg, const struct rehabd_http_response *resp);

/* Starts a's request and links it.  Frees a and returns -1 when the
 * host refused it. */
static int aux_submit(struct tg *tg, struct tg_aux *a)
{
	a->tries++;
	a->handle = tg_api_call(tg, a->method, a->body, TG_AUX_TIMEOUT_MS,
				TG_AUX_MAX_RESPONSE, aux_done, a);
	if (!a->handle) {
		aux_free(a);
		return -1;
	}
	a->next = tg->aux;
	tg->aux = a;
	return 0;
}

static void aux_timer_cb(void *arg)
{
	struct tg_aux *a = arg;
	struct tg *tg = a->tg;
	a->timer = 0;
	aux_unlink(tg, a);
	aux_submit(tg, a);
}

/*
 * Waits and tries a's call again when it failed for a passing reason
 * (code 0, 429, 5xx, garbage) and is worth it.  Returns 1 when a was
 * kept for that (linked, timer armed), 0 when the caller frees it.
 */
static int aux_retry(struct tg *tg, struct tg_aux *a, long code,
		     long retry_after)
{
	double wait;

	if (!worth_retrying(a->method) || a->tries >= TG_AUX_TRIES ||
	    !(code == 0 || code == 200 || code == 429 || code >= 500) ||
	    retry_after > TG_AUX_RETRY_AFTER_MAX)
		return 0;
	wait = tg_jitter(tg, (double)(1 << a->tries));
	if (retry_after > wait)
		wait = (double)retry_after;
	a->timer = tg->api->timer_start(tg->host, wait, aux_timer_cb, a);
	if (!a->timer)
		return 0;
	a->next = tg->aux;
	tg->aux = a;
	return 1;
}

static void aux_done(void *arg, const struct rehabd_http_response *resp)
{
	struct tg_aux *a = arg;
	struct tg *tg = a->tg;
	struct tg_reply r;
	int parsed;
	long code;

	a->handle = 0;
	aux_unlink(tg, a);
	parsed = resp->status && tg_reply_parse(resp->body, resp->body_len, &r) == 0;
	code = tg_outcome(resp, parsed ? &r : NULL);
	if (code == 401) {
		aux_free(a);
		tg_fail(tg);
		return;
	}
	if ((code == 200 && parsed) || (parsed && harmless(&r))) {
		aux_free(a);
		return;
	}
	if (aux_retry(tg, a, code, tg_retry_after(resp, parsed ? &r : NULL))) {
		tg->api->log(tg->host, REHABD_LOG_DEBUG,
			     "telegram %s: %s; trying again", a->method,
			     code ? "failed for now" : (resp->error ? resp->error : "no response"));
		return;
	}
	/* Answers and edits are cosmetic: the reply is stored already. */
	if (code == 0)
		tg->api->log(tg->host, REHABD_LOG_DEBUG, "telegram %s: %s", a->method,
			     resp->error ? resp->error : "no response");
	else if (!parsed)
		tg->api->log(tg->host, REHABD_LOG_DEBUG,
			     "telegram %s: HTTP %ld with a body that is not a Bot API answer",
			     a->method, resp->status);
	else
		tg->api->log(tg->host,
			     strcmp(a->method, "setMyCommands") ? REHABD_LOG_DEBUG : REHABD_LOG_WARN,
			     "telegram %s failed: error %ld%s%s", a->method, code,
			     *r.description ? " " : "", r.description);
	aux_free(a);
}

void tg_api_aux(struct tg *tg, const char *method, char *body)
{
	struct tg_aux *a;

	if (!body || tg->failed) {
		free(body);
		return;
	}
	a = calloc(1, sizeof *a);
	if (!a) {
		free(body);
		return;
	}
	a->tg = tg;
	a->body = body;
	snprintf(a->method, sizeof a->method, "%s", method);
	aux_submit(tg, a);
}

void tg_api_aux_cancel(struct tg *tg)
{
	while (tg->aux) {
		struct tg_aux *a = tg->aux;
		tg->aux = a->next;
		if (a->handle)
			tg->api->http_cancel(tg->host, a->handle);
		if (a->timer)
			tg->api->timer_cancel(tg->host, a->timer);
		aux_free(a);
	}
}
