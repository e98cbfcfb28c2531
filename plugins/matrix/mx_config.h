/*
 * The matrix channel's settings, read through the host API and checked
 * completely without contacting the server: the homeserver URL, the bot's
 * user id, its access token (from access_token_file) or its password
 * (from password_file, for a one-time login), the long-poll timeout, and
 * the runners' user ids.
 */
#ifndef MX_CONFIG_H
#define MX_CONFIG_H

#include <rehabd/channel.h>

#define MX_DEFAULT_SYNC_TIMEOUT 30

struct mx_config {
	char *homeserver;  /* base URL, no trailing '/' */
	char *user_id;     /* canonical */
	char *token;       /* from access_token_file, or NULL; wiped when freed */
	char *token_file;  /* resolved path, or NULL */
	char *password;    /* from password_file, or NULL; wiped when freed */
	char *password_file;
	int sync_timeout;  /* seconds */
};

extern const char *const mx_config_keys[];

/*
 * Reads and checks the settings.  Returns 0 with cfg filled (free with
 * mx_config_free) or -1 with "file:line: what is wrong — what to do" in
 * err (never a secret).  checking (--check-config) is as strict as a
 * start.
 */
int mx_config_load(const struct rehabd_host_api *api, struct rehabd_host *host,
		   int checking, struct mx_config *cfg, char *err,
		   size_t errlen);

void mx_config_free(struct mx_config *cfg);

#endif
