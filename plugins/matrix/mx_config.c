/*
 * The matrix channel's settings.
 */
#include "mx_config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mx_address.h"

#define SECRET_MAX 4096

const char *const mx_config_keys[] = {
	"homeserver", "user_id", "access_token_file", "password_file",
	"sync_timeout", NULL,
};

/* The path of a file setting, relative names taken from the directory
 * of the config file (setting_where gives "file:line").  malloc'd or
 * NULL. */
static char *resolve_path(const struct rehabd_host_api *api,
			  struct rehabd_host *host, const char *key,
			  const char *file)
{
	char *out = NULL;
	if (file[0] == '/')
		return strdup(file);
	const char *where = api->setting_where(host, key);
	const char *colon = where ? strrchr(where, ':') : NULL;
	const char *slash = NULL;
	for (const char *c = where; c && c < colon; c++)
		if (*c == '/')
			slash = c;
	if (!slash)
		return strdup(file);
	if (asprintf(&out, "%.*s/%s", (int)(slash - where), where, file) < 0)
		return NULL;
	return out;
}

/* 1 when path lies in systemd's $CREDENTIALS_DIRECTORY (LoadCredential=),
 * whose files systemd makes readable to the service through an ACL
 * (group bits in st_mode): safe as they are. */
static int in_credentials_dir(const char *path)
{
	const char *dir = getenv("CREDENTIALS_DIRECTORY");
	char *rd, *rp;
	int in = 0;

	if (!dir || !*dir)
		return 0;
	rd = realpath(dir, NULL);
	rp = realpath(path, NULL);
	if (rd && rp) {
		size_t n = strlen(rd);
		in = !strncmp(rp, rd, n) && rp[n] == '/';
	}
	free(rd);
	free(rp);
	return in;
}

/* Reads a one-line secret from path (what: "access token" or
 * "password"): a regular file that group and others cannot read, unless
 * systemd passed it as a credential.  A trailing newline is dropped.
 * Returns 0 with a malloc'd secret, or -1 with err. */
static int read_secret(const char *where, const char *key, const char *path,
		       const char *what, char **out, char *err, size_t errlen)
{
	char buf[SECRET_MAX + 2];
	struct stat sb;
	ssize_t n;
	size_t len;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0) {
		snprintf(err, errlen, "%s: %s %s cannot be opened: %s — create it holding the bot's %s (chmod 600)",
			 where, key, path, strerror(errno), what);
		return -1;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "%s: %s %s is not a regular file — point %s at a file holding the %s",
			 where, key, path, key, what);
		goto fail;
	}
	if ((sb.st_mode & (S_IRWXG | S_IRWXO)) && !in_credentials_dir(path)) {
		snprintf(err, errlen, "%s: %s %s can be read or changed by group or others (mode %03o) — run chmod 600 %s",
			 where, key, path, (unsigned)(sb.st_mode & 0777), path);
		goto fail;
	}
	n = read(fd, buf, sizeof buf - 1);
	if (n < 0) {
		snprintf(err, errlen, "%s: %s %s cannot be read: %s", where, key,
			 path, strerror(errno));
		goto fail;
	}
	buf[n] = '\0';
	len = (size_t)n;
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	if (!len || len > SECRET_MAX || strlen(buf) != len || strchr(buf, '\n')) {
		snprintf(err, errlen, "%s: %s %s does not hold one %s on one line — put only the %s in the file",
			 where, key, path, what, what);
		goto fail;
	}
	if (!strcmp(what, "access token"))
		for (size_t i = 0; i < len; i++)
			if ((unsigned char)buf[i] <= 0x20 || (unsigned char)buf[i] >= 0x7f) {
				snprintf(err, errlen, "%s: %s %s holds blanks or non-ASCII bytes, which no access token has — put only the token in the file",
					 where, key, path);
				goto fail;
			}
	*out = strdup(buf);
	explicit_bzero(buf, sizeof buf);
	close(fd);
	if (!*out) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
fail:
	explicit_bzero(buf, sizeof buf);
	close(fd);
	return -1;
}

/* Reads the secret of setting key into *out (resolving the path into
 * *path).  Returns 0 or -1 with err. */
static int secret_setting(const struct rehabd_host_api *api,
			  struct rehabd_host *host, int checking,
			  const char *key, const char *what, char **path,
			  char **out, char *err, size_t errlen)
{
	const char *file = api->setting(host, key);
	char where[600];
	if (!file)
		return 0;
	snprintf(where, sizeof where, "%s", api->setting_where(host, key));
	*path = resolve_path(api, host, key, file);
	if (!*path) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* --check-config is as strict as the start: a missing file is an
	 * error there too. */
	(void)checking;
	return read_secret(where, key, *path, what, out, err, errlen);
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
	if (secret_setting(api, host, checking, "access_token_file", "access token",
			   &cfg->token_file, &cfg->token, err, errlen) != 0 ||
	    secret_setting(api, host, checking, "password_file", "password",
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
