/*
 * The engine's side of the ABI 1.2 host calls that are about storage:
 * a channel's key-value state and a runner the channel says it cannot
 * reach.  Kept out of inbound.c and engine.c so that each stays about one
 * thing.
 */
#include "engine_int.h"

#include "log.h"

char *channel_state_get(void *ctx, struct host_channel *ch, const char *key)
{
	struct engine *e = ctx;
	char *value = NULL;
	/* A value set in this loop iteration may sit in the lazy
	 * transaction; reading through the same connection sees it. */
	if (store_state_get(e->store, host_channel_name(ch), key, &value) != 0)
		return NULL;
	return value;
}

int channel_state_set(void *ctx, struct host_channel *ch, const char *key,
		      const char *value)
{
	struct engine *e = ctx;
	/* Durable before the plugin acts on it (a token it will use, a
	 * room it will send to): commit what is open, then write in a
	 * transaction of its own. */
	if (engine_tx_flush(e) != 0 || store_begin(e->store) != 0)
		return -1;
	if (store_state_set(e->store, host_channel_name(ch), key, value,
			    engine_now(e)) != 0) {
		store_rollback(e->store);
		return -1;
	}
	return store_commit(e->store) == 0 ? 0 : -1;
}

void channel_runner_reachable(void *ctx, struct host_channel *ch,
			      const char *address, int reachable,
			      const char *reason)
{
	struct engine *e = ctx;
	struct eng_runner *r = engine_runner_by_address(e, ch, address);
	if (!r)
		return;
	if (engine_tx_lazy(e) != 0 ||
	    store_runner_set_unreachable(e->store, r->cfg->name, !reachable,
					 reachable ? NULL : reason,
					 engine_now(e)) != 0) {
		log_error("%s: could not record that they are %s on channel %s; it is shown again when the channel next says so",
			  r->cfg->name, reachable ? "reachable" : "unreachable",
			  host_channel_name(ch));
		return;
	}
	if (reachable)
		log_info("%s can be reached again on channel %s", r->cfg->name,
			 host_channel_name(ch));
	else
		log_warn("%s cannot be reached on channel %s (%s): reminders wait until they can",
			 r->cfg->name, host_channel_name(ch),
			 reason ? reason : "no reason given");
}
