/*
 * The telegram channel: reminders to a runner's phone through a Telegram
 * bot, replies back by long polling (getUpdates), pain scores by tapping
 * an inline keyboard or typing.  This file is the plugin's face to the
 * host: the descriptor, check, open, send, close, and stopping for good
 * when Telegram refuses the token.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tg.h"
#include "tg_address.h"
#include "tg_json.h"

double tg_jitter(struct tg *tg, double d)
{
	/* xorshift64: jitter needs no quality, only no lockstep. */
	tg->rng ^= tg->rng << 13;
	tg->rng ^= tg->rng >> 7;
	tg->rng ^= tg->rng << 17;
	return d * (0.8 + 0.4 * (double)(tg->rng >> 11) / (double)(1ull << 53));
}

void tg_fail(struct tg *tg)
{
	char reason[256];

	if (tg->failed)
		return;
	tg->failed = 1;
	if (tg->cfg.token_file)
		snprintf(reason, sizeof reason,
			 "telegram: the bot token was refused (401) — check token_file %s (get the token from BotFather)",
			 tg->cfg.token_file);
	else
		snprintf(reason, sizeof reason,
			 "telegram: the bot token was refused (401) — check token (get it from BotFather)");
	tg_poll_stop(tg);
	tg_api_aux_cancel(tg);
	tg->api->channel_failed(tg->host, reason);
	tg_send_abort(tg, "the bot token was refused (401)");
}

static int tg_check(const struct rehabd_host_api *api, struct rehabd_host *host,
		    char *err, size_t errlen)
{
	struct tg_config cfg;
	if (tg_config_load(api, host, &cfg, err, errlen) != 0)
		return -1;
	tg_config_free(&cfg);
	return 0;
}

static void tg_close(void *state)
{
	struct tg *tg = state;
	if (!tg)
		return;
	tg_poll_stop(tg);
	tg_api_aux_cancel(tg);
	tg_send_free(tg);
	tg_config_free(&tg->cfg);
	free(tg);
}

static int tg_open(const struct rehabd_host_api *api, struct rehabd_host *host,
		   void **state, char *err, size_t errlen)
{
	struct tg *tg = calloc(1, sizeof *tg);

	if (!tg) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	tg->api = api;
	tg->host = host;
	if (tg_config_load(api, host, &tg->cfg, err, errlen) != 0) {
		free(tg);
		return -1;
	}
	api->secret(host, tg->cfg.token);
	tg->rng = (uint64_t)(tg_mono() * 1e9) ^ ((uint64_t)getpid() << 32) ^
		  0x2545f4914f6cdd1dull;
	tg->send = tg_send_new(tg);
	if (!tg->send) {
		snprintf(err, errlen, "out of memory");
		tg_close(tg);
		return -1;
	}
	/* The first call: a 401 here stops the channel with a clear error. */
	tg_api_aux(tg, "setMyCommands", tg_build_commands());
	tg_poll_start(tg);
	*state = tg;
	return 0;
}

static int tg_send_msg(void *state, const struct rehabd_message *msg,
		       uint64_t token)
{
	return tg_send_queue(state, msg, token);
}

static const struct rehabd_channel tg_descriptor = {
	.abi_version = REHABD_CHANNEL_ABI_VERSION,
	.name = "telegram",
	.description = "Telegram Bot API: reminders with inline keyboards, replies by long polling",
	.settings = tg_config_keys,
	.check = tg_check,
	.open = tg_open,
	.send = tg_send_msg,
	.close = tg_close,
	.canonical_address = tg_canonical_address,
};

REHABD_EXPORT const struct rehabd_channel *rehabd_channel_entry(void)
{
	return &tg_descriptor;
}
