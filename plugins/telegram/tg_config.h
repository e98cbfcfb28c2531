/*
 * The telegram channel's settings, read through the host API and checked
 * completely: the bot token (inline, or from token_file, which must not
 * be readable by group or others), the API base URL, the long-poll
 * timeout, the rate limits, and the runners' chat ids.
 */
#ifndef TG_CONFIG_H
#define TG_CONFIG_H

#include <rehabd/channel.h>

#define TG_DEFAULT_API_BASE "https://api.telegram.org"
#define TG_DEFAULT_POLL_TIMEOUT 50 /* the server's maximum */
#define TG_DEFAULT_RATE_GLOBAL 25.0
#define TG_DEFAULT_RATE_CHAT 1.0

struct tg_config {
	char *token;       /* the bot token; wiped when freed */
	char *token_file;  /* resolved path, NULL when the token is inline */
	char *api_base;    /* no trailing '/' */
	int poll_timeout;  /* seconds, 1..50 */
	double rate_global; /* messages a second for the whole bot */
	double rate_chat;  /* messages a second to one chat */
};

/* The keys the plugin accepts, NULL-terminated (the descriptor's list). */
extern const char *const tg_config_keys[];

/*
 * Reads and checks the settings of this channel.  Returns 0 with cfg
 * filled (free with tg_config_free), or -1 with "file:line: what is
 * wrong — what to do" in err and nothing to free.  Never puts the token
 * in err.  The same for --check-config and for open(): a token_file
 * that cannot be read is an error in both.  Registers the token with
 * api->secret().
 */
int tg_config_load(const struct rehabd_host_api *api, struct rehabd_host *host,
		   struct tg_config *cfg, char *err, size_t errlen);

/* Wipes the token and frees everything; cfg may be half filled. */
void tg_config_free(struct tg_config *cfg);

#endif
