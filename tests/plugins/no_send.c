/* A descriptor without the required send(). */
#include <rehabd/channel.h>

static int p_open(const struct rehabd_host_api *api, struct rehabd_host *host,
		  void **state, char *err, size_t errlen)
{
	(void)api; (void)host; (void)err; (void)errlen;
	*state = 0;
	return 0;
}
static void p_close(void *s) { (void)s; }

static const struct rehabd_channel desc = {
	.abi_version = REHABD_CHANNEL_ABI_VERSION,
	.name = "no_send",
	.open = p_open,
	.close = p_close,
};

const struct rehabd_channel *rehabd_channel_entry(void) { return &desc; }
