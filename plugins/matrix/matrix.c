/*
 * The matrix channel: reminders in a Matrix DM per runner (Client-Server
 * API v3 on any homeserver), replies by /sync long poll, pain scores by
 * tapping a reaction, replying or typing.  This file is the plugin's face
 * to the host: the descriptor, check, open, send, close, and stopping for
 * good.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mx.h"
#include "mx_address.h"

double mx_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

double mx_jitter(struct mx *mx, double d)
{
	/* xorshift64: jitter needs no quality, only no lockstep. */
	mx->rng ^= mx->rng << 13;
	mx->rng ^= mx->rng >> 7;
	mx->rng ^= mx->rng << 17;
	return d * (0.8 + 0.4 * (double)(mx->rng >> 11) / (double)(1ull << 53));
}

void mx_fail(struct mx *mx, const char *reason)
{
	if (mx->phase == MX_FAILED)
		return;
	mx->phase = MX_FAILED;
	mx_sync_stop(mx);
	mx_call_cancel_all(mx);
	mx->api->channel_failed(mx->host, reason);
	mx_send_abort(mx, "the channel stopped");
}

void mx_ready(struct mx *mx)
{
	mx->phase = MX_READY;
	mx->err_backoff = 0;
	mx_send_flush(mx);
	mx_sync_start(mx);
}

/* 1 when the host's table has the ABI 1.2 calls this plugin needs. */
static int host_ok(const struct rehabd_host_api *api)
{
	return REHABD_API_HAS(api, url_check) && REHABD_API_HAS(api, secret_file) &&
	       REHABD_API_HAS(api, state_get) &&
	       REHABD_API_HAS(api, state_set) && REHABD_API_HAS(api, runner_reachable);
}

static int mx_check(const struct rehabd_host_api *api, struct rehabd_host *host,
		    char *err, size_t errlen)
{
	struct mx_config cfg;
	if (mx_config_load(api, host, 1, &cfg, err, errlen) != 0)
		return -1;
	mx_config_free(&cfg);
	return 0;
}

static void mx_close(void *state)
{
	struct mx *mx = state;
	if (!mx)
		return;
	mx_sync_stop(mx);
	mx_call_cancel_all(mx);
	mx_send_free(mx);
	mx_rooms_free(mx);
	if (mx->token) {
		explicit_bzero(mx->token, strlen(mx->token));
		free(mx->token);
	}
	free(mx->device_id);
	free(mx->filter_id);
	free(mx->since);
	mx_config_free(&mx->cfg);
	free(mx);
}

static int mx_open(const struct rehabd_host_api *api, struct rehabd_host *host,
		   void **state, char *err, size_t errlen)
{
	struct mx *mx;

	if (!host_ok(api)) {
		snprintf(err, errlen, "the matrix plugin needs rehabd's channel ABI 1.2 (channel state) — install the rehabd this plugin was built with");
		return -1;
	}
	mx = calloc(1, sizeof *mx);
	if (!mx) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	mx->api = api;
	mx->host = host;
	if (mx_config_load(api, host, 0, &mx->cfg, err, errlen) != 0) {
		free(mx);
		return -1;
	}
	if (mx->cfg.token)
		api->secret(host, mx->cfg.token);
	if (mx->cfg.password)
		api->secret(host, mx->cfg.password);
	if (!mx->cfg.token && !mx->cfg.password) {
		snprintf(err, errlen, "%s: no access token or password could be read — create the file named by access_token_file or password_file",
			 api->setting_where(host, NULL));
		mx_close(mx);
		return -1;
	}
	mx->rng = (uint64_t)(mx_mono() * 1e9) ^ ((uint64_t)getpid() << 32) ^
		  0x9e3779b97f4a7c15ull;
	if (mx_rooms_load(mx) != 0) {
		snprintf(err, errlen, "out of memory");
		mx_close(mx);
		return -1;
	}
	*state = mx;
	/* Asynchronous from here: a refused token stops the channel with a
	 * clear error through channel_failed. */
	mx_auth_start(mx);
	return 0;
}

static int mx_send(void *state, const struct rehabd_message *msg, uint64_t token)
{
	return mx_send_queue(state, msg, token);
}

static const struct rehabd_channel mx_descriptor = {
	.abi_version = REHABD_CHANNEL_ABI_VERSION,
	.name = "matrix",
	.description = "Matrix Client-Server API: reminders as notices in a DM, answers by reaction, reply or text",
	.settings = mx_config_keys,
	.check = mx_check,
	.open = mx_open,
	.send = mx_send,
	.close = mx_close,
	.canonical_address = mx_canonical_address,
};

REHABD_EXPORT const struct rehabd_channel *rehabd_channel_entry(void)
{
	return &mx_descriptor;
}
