/*
 * The matrix channel's settings.
 */
#include "mx_config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mx_address.h"

#define SECRET_MAX 4096

const char *const mx_config_keys[] = {
	"homeserver", "user_id", "access_token_file", "password_file",
	"sync_timeout", NULL,
};

/* Reads the secret of setting key (what: "access token" or "password")
 * through the host's secret_file service (the same rules for every
 * plugin: relative to the config, $CREDENTIALS_DIRECTORY, mode 600), into
 * *out and the path it read into *path.  Returns 0 (nothing read when the
 * key is unset) or -1 with err. */
static int secret_setting(const struct rehabd_host_api *api,
			  struct rehabd_host *host, const char *key,
			  const char *what, char **path, char **out, char *err,
			  size_t errlen)
{
	char buf[SECRET_MAX + 1], p[4096];
	int rc = -1;

	if (!api->setting(host, key))
		return 0;
	if (!REHABD_API_HAS(api, secret_file)) {
		snprintf(err, errlen, "%s: the matrix plugin needs rehabd's channel ABI 1.2 — install the rehabd this plugin was built with",
			 api->setting_where(host, key));
		return -1;
	}
	p[0] = '\0';
	if (api->secret_file(host, key, buf, sizeof buf, p, sizeof p, err, errlen) != 0)
		goto out;
	if (strchr(buf, '\n')) {
		snprintf(err, errlen, "%s: %s %s holds more than one line — put only the %s in the file",
			 api->setting_where(host, key), key, p, what);
		goto out;
	}
	/* An access token goes into an HTTP header: one word of ASCII. */
	if (!strcmp(what, "access token"))
		for (const char *c = buf; *c; c++)
			if ((unsigned char)*c <= 0x20 || (unsigned char)*c >= 0x7f) {
				snprintf(err, errlen, "%s: %s %s holds blanks or non-ASCII bytes, which no access token has — put only the token in the file",
					 api->setting_where(host, key), key, p);
				goto out;
			}
	*out = strdup(buf);
	*path = strdup(p);
	if (!*out || !*path) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	rc = 0;
out:
	explicit_bzero(buf, sizeof buf);
	return rc;
}

int mx_config_load(const struct rehabd_host_api *api, struct rehabd_host *host,
		   int checking, struct mx_config *cfg, char *err, size_t errlen)
{
	const char *hs = api->setting(host, "homeserver");
	const char *user = api->setting(host, "user_id");
	char canon[MX_USER_ID_MAX + 1], why[256];

	memset(cfg, 0, sizeof *cfg);
	if (!hs) {
		snprintf(err, errlen, "%s: channel \"%s\" has no homeserver — set homeserver = \"https://matrix.example.org\" (the bot account's server)",
			 api->setting_where(host, NULL), api->channel_name(host));
		return -1;
	}
	/* The host's URL policy, the one every request meets. */
	if (!REHABD_API_HAS(api, url_check)) {
		snprintf(err, errlen, "%s: the matrix plugin needs rehabd's channel ABI 1.2 — install the rehabd this plugin was built with",
			 api->setting_where(host, NULL));
		return -1;
	}
	if (api->url_check(host, hs, why, sizeof why) != 0) {
		snprintf(err, errlen, "%s: homeserver: %s (http:// only to this machine: 127.0.0.1, localhost, [::1])",
			 api->setting_where(host, "homeserver"), why);
		return -1;
	}
	if (!user) {
		snprintf(err, errlen, "%s: channel \"%s\" has no user_id — set user_id = \"@rehabbot:example.org\" (the bot account)",
			 api->setting_where(host, NULL), api->channel_name(host));
		return -1;
	}
	if (mx_canonical_address(user, canon, sizeof canon, why, sizeof why) != 0) {
		snprintf(err, errlen, "%s: user_id: %s", api->setting_where(host, "user_id"), why);
		return -1;
	}
	cfg->homeserver = strdup(hs);
	cfg->user_id = strdup(canon);
	if (!cfg->homeserver || !cfg->user_id) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	for (size_t l = strlen(cfg->homeserver); l > 8 && cfg->homeserver[l - 1] == '/'; l--)
		cfg->homeserver[l - 1] = '\0';

	if (!api->setting(host, "access_token_file") && !api->setting(host, "password_file")) {
		snprintf(err, errlen, "%s: channel \"%s\" has no credentials — set access_token_file = \"/etc/rehabd/matrix.token\" (recommended, chmod 600) or password_file for a one-time login",
			 api->setting_where(host, NULL), api->channel_name(host));
		goto fail;
	}
	/* --check-config reads them as the start does. */
	(void)checking;
	if (secret_setting(api, host, "access_token_file", "access token",
			   &cfg->token_file, &cfg->token, err, errlen) != 0 ||
	    secret_setting(api, host, "password_file", "password",
			   &cfg->password_file, &cfg->password, err, errlen) != 0)
		goto fail;

	cfg->sync_timeout = MX_DEFAULT_SYNC_TIMEOUT;
	const char *t = api->setting(host, "sync_timeout");
	if (t) {
		char *end;
		errno = 0;
		long v = strtol(t, &end, 10);
		if (end == t || *end || errno || v < 1 || v > 300) {
			snprintf(err, errlen, "%s: sync_timeout: give a whole number of seconds between 1 and 300 (30 is usual)",
				 api->setting_where(host, "sync_timeout"));
			goto fail;
		}
		cfg->sync_timeout = (int)v;
	}

	for (size_t i = 0, n = api->runner_count(host); i < n; i++) {
		const char *a = api->runner_address(host, i);
		if (mx_canonical_address(a, canon, sizeof canon, why, sizeof why) != 0) {
			snprintf(err, errlen, "%s: channel \"%s\": runner address \"%.64s\": %s",
				 api->setting_where(host, NULL), api->channel_name(host),
				 a ? a : "", why);
			goto fail;
		}
		if (!strcmp(canon, cfg->user_id)) {
			snprintf(err, errlen, "%s: channel \"%s\": a runner has the bot's own user id %s — give the runner's Matrix user id",
				 api->setting_where(host, NULL), api->channel_name(host), canon);
			goto fail;
		}
	}
	return 0;
fail:
	mx_config_free(cfg);
	return -1;
}

static void wipe(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

void mx_config_free(struct mx_config *cfg)
{
	wipe(cfg->token);
	wipe(cfg->password);
	free(cfg->homeserver);
	free(cfg->user_id);
	free(cfg->token_file);
	free(cfg->password_file);
	memset(cfg, 0, sizeof *cfg);
}
