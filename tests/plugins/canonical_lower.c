/* ABI 1.1: addresses are case-insensitive (canonical form: lower case);
 * one with a space is refused, saying what to write instead. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

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

static int p_canonical(const char *address, char *out, size_t outlen,
		       char *why, size_t whylen)
{
	size_t n = strlen(address);
	if (strchr(address, ' ')) {
		snprintf(why, whylen, "no spaces: write it as one word, like \"anna\"");
		return -1;
	}
	if (n >= outlen) {
		snprintf(why, whylen, "too long");
		return -1;
	}
	for (size_t i = 0; i <= n; i++)
		out[i] = (char)tolower((unsigned char)address[i]);
	return 0;
}

static const struct rehabd_channel desc = {
	.abi_version = REHABD_CHANNEL_ABI_VERSION,
	.name = "canonical_lower",
	.open = p_open,
	.send = p_send,
	.close = p_close,
	.canonical_address = p_canonical,
};

const struct rehabd_channel *rehabd_channel_entry(void) { return &desc; }
