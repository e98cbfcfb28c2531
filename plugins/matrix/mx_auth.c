/*
 * Getting the channel ready: the access token (from access_token_file,
 * or from an earlier one-time login kept in the channel state, or from a
 * login now with password_file), GET /account/whoami to check that it is
 * the configured bot, and the stored /sync filter.  A login reuses the
 * stored device_id: transaction ids are scoped to a device (Client-Server
 * API "Transaction identifiers"), so a new device would send a retried
 * reminder twice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mx.h"

#define AUTH_TIMEOUT_MS 30000
#define SMALL_ANSWER (64 * 1024)
#define BACKOFF_MAX 60.0

static void whoami(struct mx *mx);
static void login(struct mx *mx);

static void set_token(struct mx *mx, const char *token)
{
	if (mx->token) {
		explicit_bzero(mx->token, strlen(mx->token));
		free(mx->token);
	}
	mx->token = token ? strdup(token) : NULL;
	if (mx->token)
		mx->api->secret(mx->host, mx->token);
}

static void retry_cb(void *arg)
{
	struct mx *mx = arg;
	mx->sync_timer = 0;
	if (mx->phase == MX_STARTING)
		whoami(mx);
	else if (mx->phase == MX_RELOGIN)
		login(mx);
}

/* A start-up step failed for a reason that passes: tries again later
 * (the Retry-After of a 429, else a growing wait with jitter). */
static void retry_later(struct mx *mx, const struct mx_reply *r, const char *what)
{
	double wait = mx->err_backoff ? mx->err_backoff * 2 : 1.0;
	if (wait > BACKOFF_MAX)
		wait = BACKOFF_MAX;
	mx->err_backoff = wait;
	wait = mx_jitter(mx, wait);
	if (r->result == MX_R_RATE && r->retry_ms >= 0)
		wait = r->retry_ms / 1000.0 + 0.05;
	mx->api->log(mx->host, REHABD_LOG_WARN,
		     "matrix: %s failed (%s%ld %s); trying again in %.1f s",
		     what, r->transport ? r->transport : "HTTP ", r->status,
		     r->err.errcode, wait);
	mx->sync_timer = mx->api->timer_start(mx->host, wait, retry_cb, mx);
}

static void filter_done(struct mx *mx, void *arg, const struct mx_reply *r)
{
	(void)arg;
	char *id = r->result == MX_R_OK ? mx_json_string(r->body, r->body_len, "filter_id") : NULL;
	if (!id) {
		/* Not fatal: /sync works without a stored filter, it only
		 * carries more. */
		mx->api->log(mx->host, REHABD_LOG_WARN,
			     "matrix: the homeserver did not store the sync filter (HTTP %ld %s); syncing without it",
			     r->status, r->err.errcode);
	} else {
		free(mx->filter_id);
		mx->filter_id = id;
		if (mx->api->state_set(mx->host, "filter_id", id) != 0)
			mx->api->log(mx->host, REHABD_LOG_WARN,
				     "matrix: could not keep the filter id; a new one is made at the next start");
	}
	mx_ready(mx);
}

static void make_filter(struct mx *mx)
{
	const char *stored = mx->api->state_get(mx->host, "filter_id");
	char *body, *user, path[512];

	if (stored && *stored) {
		mx->filter_id = strdup(stored);
		if (mx->filter_id) {
			mx_ready(mx);
			return;
		}
	}
	body = mx_body_filter();
	user = mx_escape(mx->cfg.user_id);
	snprintf(path, sizeof path, "/user/%s/filter", user ? user : "");
	if (!body || !user ||
	    mx_call(mx, "POST", path, NULL, body, 1, AUTH_TIMEOUT_MS, SMALL_ANSWER,
		    filter_done, NULL) != 0)
		mx_ready(mx);
	free(body);
	free(user);
}

static void whoami_done(struct mx *mx, void *arg, const struct mx_reply *r)
{
	char reason[512];
	(void)arg;
	if (r->result == MX_R_TOKEN) {
		mx_auth_lost(mx, r);
		return;
	}
	if (r->result != MX_R_OK) {
		if (r->result == MX_R_REFUSED || r->result == MX_R_FORBIDDEN) {
			snprintf(reason, sizeof reason,
				 "matrix: GET /account/whoami was refused (HTTP %ld %s) — check homeserver (%s) and the bot's credentials",
				 r->status, r->err.errcode, mx->cfg.homeserver);
			mx_fail(mx, reason);
			return;
		}
		retry_later(mx, r, "GET /account/whoami");
		return;
	}
	mx->err_backoff = 0;
	char *user = mx_json_string(r->body, r->body_len, "user_id");
	if (!user || strcmp(user, mx->cfg.user_id)) {
		snprintf(reason, sizeof reason,
			 "matrix: the access token belongs to %.100s, not to user_id %s — give the bot's own token, or fix user_id",
			 user ? user : "(no user id in the answer)", mx->cfg.user_id);
		free(user);
		mx_fail(mx, reason);
		return;
	}
	free(user);
	make_filter(mx);
}

static void whoami(struct mx *mx)
{
	if (mx_call(mx, "GET", "/account/whoami", NULL, NULL, 1, AUTH_TIMEOUT_MS,
		    SMALL_ANSWER, whoami_done, NULL) != 0)
		mx_fail(mx, "matrix: the host refused the request to the homeserver — check homeserver");
}

static void login_done(struct mx *mx, void *arg, const struct mx_reply *r)
{
	char reason[512];
	(void)arg;
	if (r->result == MX_R_RETRY || r->result == MX_R_RATE) {
		retry_later(mx, r, "POST /login");
		return;
	}
	char *token = r->result == MX_R_OK ? mx_json_string(r->body, r->body_len, "access_token") : NULL;
	char *device = r->result == MX_R_OK ? mx_json_string(r->body, r->body_len, "device_id") : NULL;
	if (!token || !device) {
		snprintf(reason, sizeof reason,
			 "matrix: the homeserver refused the login of %s (HTTP %ld %s) — check password_file %s, or use access_token_file",
			 mx->cfg.user_id, r->status, r->err.errcode,
			 mx->cfg.password_file ? mx->cfg.password_file : "");
		if (token) {
			explicit_bzero(token, strlen(token));
			free(token);
		}
		free(device);
		mx_fail(mx, reason);
		return;
	}
	mx->err_backoff = 0;
	set_token(mx, token);
	explicit_bzero(token, strlen(token));
	free(token);
	free(mx->device_id);
	mx->device_id = device;
	/* Kept, so that the next start reuses this device and token. */
	if (mx->api->state_set(mx->host, "device_id", device) != 0 ||
	    mx->api->state_set(mx->host, "access_token", mx->token) != 0)
		mx->api->log(mx->host, REHABD_LOG_WARN,
			     "matrix: could not keep the login in the state database; the next start logs in again");
	mx->api->log(mx->host, REHABD_LOG_INFO, "matrix: logged in as %s (device %s)",
		     mx->cfg.user_id, mx->device_id);
	if (mx->phase == MX_RELOGIN) {
		mx_ready(mx);
		return;
	}
	whoami(mx);
}

static void login(struct mx *mx)
{
	char *body = mx_body_login(mx->cfg.user_id, mx->cfg.password, mx->device_id);
	int rc = body ? mx_call(mx, "POST", "/login", NULL, body, 0, AUTH_TIMEOUT_MS,
				SMALL_ANSWER, login_done, NULL) : -1;
	if (body) {
		explicit_bzero(body, strlen(body));
		free(body);
	}
	if (rc != 0)
		mx_fail(mx, "matrix: the host refused the login request — check homeserver");
}

void mx_auth_start(struct mx *mx)
{
	const char *dev = mx->api->state_get(mx->host, "device_id");
	mx->device_id = dev ? strdup(dev) : NULL;
	mx->phase = MX_STARTING;
	if (mx->cfg.token) {
		set_token(mx, mx->cfg.token);
		whoami(mx);
		return;
	}
	const char *stored = mx->api->state_get(mx->host, "access_token");
	if (stored && *stored) {
		set_token(mx, stored);
		whoami(mx);
		return;
	}
	login(mx);
}

void mx_auth_lost(struct mx *mx, const struct mx_reply *r)
{
	char reason[512];
	if (mx->phase == MX_FAILED || mx->phase == MX_RELOGIN)
		return;
	/* A token from our own login that the server let go (soft logout,
	 * or refused at start after a long pause) is renewed on the same
	 * device; a token from access_token_file is the admin's to renew. */
	int ours = !mx->cfg.token && mx->cfg.password;
	if (ours && (r->err.soft_logout || mx->phase == MX_STARTING)) {
		mx->api->log(mx->host, REHABD_LOG_WARN,
			     "matrix: the homeserver refused the access token (%s%s); logging in again as device %s",
			     r->err.errcode, r->err.soft_logout ? ", soft logout" : "",
			     mx->device_id ? mx->device_id : "(new)");
		int starting = mx->phase == MX_STARTING;
		mx_sync_stop(mx);
		mx->phase = starting ? MX_STARTING : MX_RELOGIN;
		set_token(mx, NULL);
		/* At start, login_done goes on with whoami. */
		login(mx);
		return;
	}
	if (mx->cfg.token_file)
		snprintf(reason, sizeof reason,
			 "matrix: the homeserver refused the access token (%s%s) — put a fresh access token for %s in %s (README, \"Matrix\") and restart rehabd",
			 r->err.errcode[0] ? r->err.errcode : "HTTP 401",
			 r->err.soft_logout ? ", soft logout" : "", mx->cfg.user_id,
			 mx->cfg.token_file);
	else
		snprintf(reason, sizeof reason,
			 "matrix: the homeserver logged the bot's device out (%s) — restart rehabd to log in again with password_file, or use access_token_file",
			 r->err.errcode[0] ? r->err.errcode : "HTTP 401");
	if (!mx->cfg.token && mx->api->state_set(mx->host, "access_token", NULL) != 0)
		mx->api->log(mx->host, REHABD_LOG_WARN, "matrix: could not forget the refused token");
	mx_fail(mx, reason);
}
