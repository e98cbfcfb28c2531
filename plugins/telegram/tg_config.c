/*
 * The telegram channel's settings.
 */
#include "tg_config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tg_address.h"
#include "tg_text.h"

#define TG_TOKEN_MAX 256
#define TG_RATE_MAX 100000.0

const char *const tg_config_keys[] = {
	"token", "token_file", "api_base", "poll_timeout", "rate_global",
	"rate_chat", NULL,
};

/* 1 when t can be a bot token: anything else could bend the request
 * URL. */
static int token_shape_ok(const char *t)
{
	/* BotFather's tokens are "<digits>:<letters, digits, _ and ->", but
	 * local Bot API servers and test servers may issue others: what
	 * matters is that the token is one word that is safe inside the
	 * request path (no '/', '?', '%' or blanks). */
	if (!*t)
		return 0;
	for (const char *c = t; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '_' || *c == '-' ||
		      *c == ':' || *c == '.'))
			return 0;
	return strlen(t) <= TG_TOKEN_MAX;
}

/* Reads a number setting in [lo, hi]; def when unset.  Returns 0 or -1
 * with err. */
static int number_setting(const struct rehabd_host_api *api,
			  struct rehabd_host *host, const char *key, double def,
			  double lo, double hi, int integer, double *out,
			  char *err, size_t errlen)
{
	const char *v = api->setting(host, key);
	char *end;
	double d;

	*out = def;
	if (!v)
		return 0;
	errno = 0;
	d = strtod(v, &end);
	if (end == v || *end || errno || !isfinite(d) || d < lo || d > hi ||
	    (integer && d != floor(d))) {
		/* The value is echoed only when it is short and plain (a
		 * number, a word): a token pasted into the wrong key must not
		 * reach the log. */
		bool plain = strlen(v) <= 16 &&
			     strspn(v, "0123456789.+-abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == strlen(v);
		snprintf(err, errlen, "%s: %s%s%s: give %s between %g and %g",
			 api->setting_where(host, key), key, plain ? " = " : "",
			 plain ? v : " is not a number",
			 integer ? "a whole number" : "a number", lo, hi);
		return -1;
	}
	*out = d;
	return 0;
}

int tg_config_load(const struct rehabd_host_api *api, struct rehabd_host *host,
		   struct tg_config *cfg, char *err, size_t errlen)
{
	const char *token = api->setting(host, "token");
	const char *file = api->setting(host, "token_file");
	const char *base = api->setting(host, "api_base");
	char why[160] = "";
	int bad = 0;
	double d;

	memset(cfg, 0, sizeof *cfg);
	if (token && file) {
		snprintf(err, errlen, "%s: both token and token_file are set — keep token_file (recommended) and remove token",
			 api->setting_where(host, "token"));
		return -1;
	}
	if (!token && !file) {
		snprintf(err, errlen, "%s: channel \"%s\" has no bot token — set token_file = \"/path/to/token\" (a file with mode 600 holding the token from BotFather)",
			 api->setting_where(host, NULL), api->channel_name(host));
		return -1;
	}
	if (token) {
		if (!token_shape_ok(token)) {
			snprintf(err, errlen, "%s: token is not a bot token (one word of letters, digits, ':', '_', '-' — as BotFather gives it)",
				 api->setting_where(host, "token"));
			return -1;
		}
		cfg->token = strdup(token);
	} else {
		char buf[TG_TOKEN_MAX + 2], path[4096];
		if (!REHABD_API_HAS(api, secret_file)) {
			snprintf(err, errlen, "%s: token_file needs a rehabd host with secret files (plugin ABI 1.2) — install the telegram plugin of this rehabd",
				 api->setting_where(host, "token_file"));
			goto fail;
		}
		if (api->secret_file(host, "token_file", buf, sizeof buf, path,
				     sizeof path, err, errlen) != 0)
			goto fail;
		if (!token_shape_ok(buf)) {
			explicit_bzero(buf, sizeof buf);
			snprintf(err, errlen, "%s: token_file %s does not hold a bot token (one word of letters, digits, ':', '_', '-' — as BotFather gives it) — put only the token in the file",
				 api->setting_where(host, "token_file"), path);
			goto fail;
		}
		cfg->token = strdup(buf);
		cfg->token_file = strdup(path);
		explicit_bzero(buf, sizeof buf);
		if (!cfg->token || !cfg->token_file) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
	}
	if (!cfg->token) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	/* Masked from here on, and the host refuses it inline in a config
	 * that others can read. */
	if (cfg->token)
		api->secret(host, cfg->token);

	if (!base)
		base = TG_DEFAULT_API_BASE;
	/* The host's own URL policy (the one every request meets), on the
	 * base every request URL extends; a host before 1.2 has no
	 * url_check and applies the policy per request. */
	if (strncmp(base, "https://", 8) && strncmp(base, "http://", 7)) {
		snprintf(why, sizeof why, "not an http(s):// URL");
		bad = 1;
	} else if (REHABD_API_HAS(api, url_check)) {
		bad = api->url_check(host, base, why, sizeof why) != 0;
	}
	if (bad) {
		/* Not echoed: a URL may carry a token. */
		snprintf(err, errlen, "%s: api_base: %s (api_base takes https://, or http:// only to this machine: 127.0.0.1, [::1], localhost)",
			 api->setting_where(host, "api_base"),
			 why[0] ? why : "refused");
		goto fail;
	}
	cfg->api_base = strdup(base);
	if (!cfg->api_base) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	for (size_t l = strlen(cfg->api_base); l > 8 && cfg->api_base[l - 1] == '/'; l--)
		cfg->api_base[l - 1] = '\0';

	if (number_setting(api, host, "poll_timeout", TG_DEFAULT_POLL_TIMEOUT, 1,
			   50, 1, &d, err, errlen) != 0)
		goto fail;
	cfg->poll_timeout = (int)d;
	if (number_setting(api, host, "rate_global", TG_DEFAULT_RATE_GLOBAL, 0.01,
			   TG_RATE_MAX, 0, &cfg->rate_global, err, errlen) != 0 ||
	    number_setting(api, host, "rate_chat", TG_DEFAULT_RATE_CHAT, 0.01,
			   TG_RATE_MAX, 0, &cfg->rate_chat, err, errlen) != 0)
		goto fail;

	/* The host has passed each address through tg_canonical_address;
	 * read again with the same rule for a host that does not. */
	for (size_t i = 0, n = api->runner_count(host); i < n; i++) {
		const char *a = api->runner_address(host, i);
		char canon[32];
		if (tg_canonical_address(a ? a : "", canon, sizeof canon, why,
					 sizeof why) != 0) {
			snprintf(err, errlen, "%s: channel \"%s\": runner address \"%.40s\" is not a Telegram chat id: %s",
				 api->setting_where(host, NULL), api->channel_name(host),
				 a ? a : "", why);
			goto fail;
		}
	}
	return 0;
fail:
	tg_config_free(cfg);
	return -1;
}

void tg_config_free(struct tg_config *cfg)
{
	if (cfg->token) {
		explicit_bzero(cfg->token, strlen(cfg->token));
		free(cfg->token);
	}
	free(cfg->token_file);
	free(cfg->api_base);
	memset(cfg, 0, sizeof *cfg);
}
