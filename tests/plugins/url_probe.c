/* Checks its "url" setting with the host's URL policy (api->url_check,
 * ABI 1.2), the way a plugin's settings check names a bad server URL. */
#include <stdio.h>

#include <rehabd/channel.h>

static int p_check(const struct rehabd_host_api *api, struct rehabd_host *host,
		   char *err, size_t errlen)
{
	char why[160] = "";
	const char *url = api->setting(host, "url");

	if (!REHABD_API_HAS(api, url_check)) {
		snprintf(err, errlen, "no url_check in the host API");
		return -1;
	}
	if (api->url_check(host, url ? url : "", why, sizeof why) != 0) {
		snprintf(err, errlen, "%s: url: %s",
			 api->setting_where(host, "url"), why);
		return -1;
	}
	return 0;
}

static int p_open(const struct rehabd_host_api *api, struct rehabd_host *host,
		  void **state, char *err, size_t errlen)
{
	(void)api; (void)host; (void)err; (void)errlen;
	*state = 0;
	return 0;
}
static int p_send(void *s, const struct rehabd_message *m, uint64_t t) { (void)s; (void)m; (void)t; return 0; }
static void p_close(void *s) { (void)s; }

static const char *const keys[] = { "url", NULL };

static const struct rehabd_channel desc = {
	.abi_version = REHABD_CHANNEL_ABI_VERSION,
	.name = "url_probe",
	.settings = keys,
	.check = p_check,
	.open = p_open,
	.send = p_send,
	.close = p_close,
};

const struct rehabd_channel *rehabd_channel_entry(void) { return &desc; }
