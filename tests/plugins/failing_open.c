/* Starts a timer, then fails to open: the host must undo the timer
 * before unloading the plugin, or the loop would call unloaded code. */
#include <stdio.h>

#include <rehabd/channel.h>

static void fired(void *arg) { (void)arg; }

static int p_open(const struct rehabd_host_api *api, struct rehabd_host *host,
		  void **state, char *err, size_t errlen)
{
	(void)state;
	api->timer_start(host, 0.01, fired, NULL);
	snprintf(err, errlen, "failing_open: refused on purpose");
	return -1;
}
static int p_send(void *s, const struct rehabd_message *m, uint64_t t) { (void)s; (void)m; (void)t; return 0; }
static void p_close(void *s) { (void)s; }

static const struct rehabd_channel desc = {
	.abi_version = REHABD_CHANNEL_ABI_VERSION,
	.name = "failing_open",
	.open = p_open,
	.send = p_send,
	.close = p_close,
};

const struct rehabd_channel *rehabd_channel_entry(void) { return &desc; }
