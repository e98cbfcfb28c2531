/*
 * Engine internals shared by engine.c (life cycle), slots.c (due slots
 * to outbox rows), outbox.c (sending and retries) and inbound.c
 * (replies).  Not for plugins or other subsystems.
 */
#ifndef REHABD_ENGINE_INT_H
#define REHABD_ENGINE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ev.h>
#include <jansson.h>

#include "clock.h"
#include "coach/message.h"
#include "coach/plan.h"
#include "coach/program.h"
#include "config.h"
#include "engine.h"
#include "host.h"
#include "lazy_tx.h"
#include "outbox.h"
#include "slots.h"
#include "store.h"

#define ENGINE_SNOOZE_MINUTES 30
#define ENGINE_MAX_SNOOZES 3
#define ENGINE_STRANGERS 64
#define ENGINE_REMOVED 256

struct engine;

struct eng_runner {
	struct engine *e;
	const struct cfg_runner *cfg; /* address in its canonical form */
	const struct coach_program *program;
	struct host_channel *ch;
	struct slot_runner sr;
};

struct eng_program {
	char name[64];
	struct coach_program program;
};

/* Everything that a config reload replaces. */
struct eng_setup {
	struct cfg *cfg;
	struct eng_program *programs;
	size_t n_programs;
	struct host_channel **channels;
	size_t n_channels;
	struct eng_runner *runners;
	size_t n_runners;
	/* The runners sorted by name, and by (channel, address), so that
	 * every outbox row and inbound message finds its runner in log n:
	 * a daemon with thousands of runners looks them up constantly. */
	struct eng_runner **by_name;
	struct eng_runner **by_address;
};

struct stranger {
	char key[384];
	double last;
};

/* A runner the last reload removed (or moved to another address): a
 * reply from the old address is stored, not confirmed and lost. */
struct removed_runner {
	char channel[64];
	char address[256];
	char name[64];
};

struct engine {
	struct ev_loop *loop;
	struct rclock clock;
	struct engine_options opt;
	struct store *store;
	struct http *http;
	struct eng_setup s;
	double started_at;    /* clock time the process started */
	struct lazy_tx tx;
	struct outbox *outbox;
	struct slots_deps slots;
	ev_prepare flush;     /* commits the lazy transaction */
	/* A reload waits for the sends in flight to report before it
	 * replaces the channels (a send abandoned by a closed plugin would
	 * have to be sent again). */
	struct eng_setup *reload_pending;
	double reload_since;  /* real seconds (ev_now) */
	ev_timer reload_timer;
	ev_timer stop_timer;  /* a stop waits for the sends in flight */
	double stop_since;
	ev_timer until_timer;
	ev_timer watchdog;
	ev_signal sig_term, sig_int, sig_hup;
	struct control *control; /* rehabctl's socket, or NULL */
	struct stranger strangers[ENGINE_STRANGERS];
	struct removed_runner removed[ENGINE_REMOVED];
	size_t n_removed;
};

double engine_now(const struct engine *e);

/* Opens a transaction that is committed before the loop next blocks, so
 * many small updates of one loop iteration share one fsync. */
int engine_tx_lazy(struct engine *e);
/* Commits the lazy transaction now (before work that must be durable). */
int engine_tx_flush(struct engine *e);

struct eng_runner *engine_runner_by_name(struct engine *e, const char *name);
struct eng_runner *engine_runner_by_address(struct engine *e,
					    struct host_channel *ch,
					    const char *address);

/* The runner's plan for day from the stored history, as the morning gave
 * it (rest = false) or for the rest of that day after its replies (rest =
 * true), worded as seen from view (and the /status summary of day when
 * status is not NULL).  Returns 0 or -1. */
int engine_plan(struct engine *e, struct eng_runner *r, int32_t day,
		bool rest, int32_t view, struct coach_plan *plan,
		struct coach_status *status);

/* The removed runner whose old address on channel ch this is, or NULL. */
const struct removed_runner *engine_removed_runner(struct engine *e,
						   struct host_channel *ch,
						   const char *address);

/* Reads the config again and switches to it (after the sends in flight
 * report, at most 30 s): 0 when it was taken (the switch may still be
 * waiting), -1 with why it was refused in err (the running configuration
 * stays).  why names the cause in the log ("SIGHUP", "rehabctl"). */
int engine_reload(struct engine *e, const char *why, char *err, size_t errlen);

/* The coach's flags as the control socket names them ("red flag",
 * "deload" ...), a new JSON array. */
json_t *control_flags_json(unsigned flags);

/* control_status.c: the answers on the control socket (control.h's
 * control_handler_fn; arg is the engine). */
json_t *engine_control(void *arg, const char *cmd, const json_t *request,
		       char *err, size_t errlen);

/* control_admin.c: the control commands that change something (pause,
 * resume, clear-flag, reload); an unknown cmd is refused in err. */
json_t *control_admin(struct engine *e, const char *cmd, const json_t *request,
		      char *err, size_t errlen);

/* control_history.c: history and forget; other commands go on to
 * control_admin. */
json_t *control_history(struct engine *e, const char *cmd, const json_t *request,
			char *err, size_t errlen);

/* inbound.c */
int inbound_batch(void *ctx, struct host_channel *ch,
		  const struct rehabd_inbound *msgs, size_t n,
		  const char *cursor, struct rehabd_inbound_result *results);
char *inbound_cursor_load(void *ctx, struct host_channel *ch);

/* channel_state.c: host_callbacks of ABI 1.2 */
char *channel_state_get(void *ctx, struct host_channel *ch, const char *key);
int channel_state_set(void *ctx, struct host_channel *ch, const char *key,
		      const char *value);
void channel_runner_reachable(void *ctx, struct host_channel *ch,
			      const char *address, int reachable,
			      const char *reason);

#endif
