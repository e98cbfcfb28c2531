/* Linked with -z execstack (tests/CMakeLists.txt): refused before dlopen. */
#include <rehabd/channel.h>

static int p_open(const struct rehabd_host_api *api, struct rehabd_host *host,
		  void **state, char *err, size_t errlen)
{
	(void)api; (void)host; (void)err; (void)errlen;
	*state = 0;
	return 0;
}
static int p_send(void *s, const struct rehabd_message *m, uint64_t t) { (void)s; (void)m; (void)t; return 0; }
static void p_close(void *s) { (void)s; }

static const char *const keys[] = { "color", NULL };

static const struct rehabd_channel desc = {
	.abi_version = REHABD_CHANNEL_ABI_VERSION,
	.name = "exec_stack",
	.settings = keys,
	.open = p_open,
	.send = p_send,
	.close = p_close,
};

const struct rehabd_channel *rehabd_channel_entry(void) { return &desc; }
