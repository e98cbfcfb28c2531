/*
 * The channel host: loads channel plugins (dlopen), checks their ABI and
 * settings, and implements the host API table they call (log, settings,
 * timers, io, HTTP, inbound, send results).  What inbound messages and
 * send results mean is the engine's business: the host forwards them
 * through host_callbacks.
 */
#ifndef REHABD_HOST_H
#define REHABD_HOST_H

#include <stddef.h>
#include <stdint.h>

#include <rehabd/channel.h>

#include "config.h"

struct ev_loop;
struct http;
struct host_channel;

struct host_callbacks {
	void *ctx;
	int (*inbound)(void *ctx, struct host_channel *ch,
		       const struct rehabd_inbound *msgs, size_t n,
		       const char *cursor,
		       struct rehabd_inbound_result *results);
	/* Returns the channel's stored cursor (malloc'd) or NULL. */
	char *(*cursor_load)(void *ctx, struct host_channel *ch);
	void (*send_done)(void *ctx, struct host_channel *ch, uint64_t token,
			  const struct rehabd_send_result *result);
	double (*now)(void *ctx);
	/* ABI 1.2, optional (NULL: no channel state, e.g. a test).  The
	 * channel's stored value of key (malloc'd) or NULL; storing it
	 * durably (value NULL deletes) returns 0 or -1. */
	char *(*state_get)(void *ctx, struct host_channel *ch, const char *key);
	int (*state_set)(void *ctx, struct host_channel *ch, const char *key,
			 const char *value);
	/* The runner at (canonical) address can or cannot be reached. */
	void (*runner_reachable)(void *ctx, struct host_channel *ch,
				 const char *address, int reachable,
				 const char *reason);
};

/*
 * Loads <dir>/<plugin>.so with RTLD_NOW | RTLD_LOCAL and checks it: the
 * entry symbol, the ABI major version, the required callbacks.  On
 * success returns 0 with the dlopen handle and descriptor; on failure -1,
 * nothing left loaded, and a message naming the file in err.
 */
int host_plugin_load(const char *dir, const char *plugin, void **dl,
		     const struct rehabd_channel **desc, char *err,
		     size_t errlen);

/*
 * Loads the plugin of channel cc and checks its settings: unknown keys
 * (file:line) and the plugin's own check().  The channel is not open yet.
 * cfg and cc must outlive the channel.  http may be NULL (no HTTP, e.g.
 * --check-config).  Returns NULL with err set.
 */
struct host_channel *host_channel_new(struct ev_loop *loop, struct http *http,
				      const struct cfg *cfg,
				      const struct cfg_channel *cc,
				      const struct host_callbacks *cb,
				      char *err, size_t errlen);

/* Addresses of the runners on this channel (copied). */
int host_channel_set_runners(struct host_channel *ch,
			     const char *const *addresses, size_t n);

/* The canonical form of a runner address on ch (the plugin's
 * canonical_address, or the bytes as given for plugins without one) in
 * out; returns 0, or -1 with what is wrong in why. */
int host_channel_canonical(const struct host_channel *ch, const char *address,
			   char *out, size_t outlen, char *why, size_t whylen);

/* Runs the plugin's check() (if any).  Returns 0 or -1 with err. */
int host_channel_check(struct host_channel *ch, char *err, size_t errlen);

/* Opens the channel.  On failure everything the plugin started is undone
 * and -1 returned with err. */
int host_channel_open(struct host_channel *ch, char *err, size_t errlen);

/* 1 when open and not failed. */
int host_channel_usable(const struct host_channel *ch);

/* Hands a message to the plugin; see rehabd_channel.send. */
int host_channel_send(struct host_channel *ch, const struct rehabd_message *msg,
		      uint64_t token);

const char *host_channel_name(const struct host_channel *ch);
const char *host_channel_plugin(const struct host_channel *ch);

/* Closes the plugin, cancels whatever it left behind, unloads it. */
void host_channel_free(struct host_channel *ch);

#endif
