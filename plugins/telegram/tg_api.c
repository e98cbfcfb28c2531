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

struct tg_aux {
	struct tg_aux *next;
	struct tg *tg;
	uint64_t handle;
	char method[32];
};

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

/* Errors that mean the wanted state is there already. */
static int harmless(const struct tg_reply *r)
{
	return r->error_code == 400 &&
	       (strstr(r->description, "message is not modified") ||
		strstr(r->description, "query is too old") ||
		strstr(r->description, "query ID is invalid"));
}

static void aux_done(void *arg, const struct rehabd_http_response *resp)
{
	struct tg_aux *a = arg;
	struct tg *tg = a->tg;
	struct tg_reply r;
	char method[32];

	snprintf(method, sizeof method, "%s", a->method);
	aux_unlink(tg, a);
	free(a);
	if (resp->status == 401) {
		tg_fail(tg);
		return;
	}
	if (resp->status == 0) {
		tg->api->log(tg->host, REHABD_LOG_DEBUG, "telegram %s: %s", method,
			     resp->error ? resp->error : "no response");
		return;
	}
	if (tg_reply_parse(resp->body, resp->body_len, &r) != 0) {
		tg->api->log(tg->host, REHABD_LOG_DEBUG,
			     "telegram %s: HTTP %ld with a body that is not a Bot API answer",
			     method, resp->status);
		return;
	}
	if (r.ok || harmless(&r))
		return;
	/* Answers and edits are cosmetic: the reply is stored already. */
	tg->api->log(tg->host,
		     strcmp(method, "setMyCommands") ? REHABD_LOG_DEBUG : REHABD_LOG_WARN,
		     "telegram %s failed: HTTP %ld%s%s", method, resp->status,
		     *r.description ? " " : "", r.description);
}

void tg_api_aux(struct tg *tg, const char *method, char *body)
{
	struct tg_aux *a;

	if (!body || tg->failed)
		goto out;
	a = calloc(1, sizeof *a);
	if (!a)
		goto out;
	a->tg = tg;
	snprintf(a->method, sizeof a->method, "%s", method);
	a->handle = tg_api_call(tg, method, body, TG_AUX_TIMEOUT_MS,
				TG_AUX_MAX_RESPONSE, aux_done, a);
	if (!a->handle) {
		free(a);
		goto out;
	}
	a->next = tg->aux;
	tg->aux = a;
out:
	free(body);
}

void tg_api_aux_cancel(struct tg *tg)
{
	while (tg->aux) {
		struct tg_aux *a = tg->aux;
		tg->aux = a->next;
		tg->api->http_cancel(tg->host, a->handle);
		free(a);
	}
}
