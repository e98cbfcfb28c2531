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

#include "clock.h"
#include "coach/message.h"
#include "coach/plan.h"
#include "coach/program.h"
#include "config.h"
#include "engine.h"
#include "host.h"
#include "store.h"

#define ENGINE_MAX_SLOTS 8
#define ENGINE_SNOOZE_MINUTES 30
#define ENGINE_MAX_SNOOZES 3
#define ENGINE_STRANGERS 64

/* Outbox kinds of answers: a plain answer, and one that asks for a 0-10
 * score (it carries the score buttons; a score answering it is that
 * day's session score). */
#define ENGINE_KIND_REPLY "reply"
#define ENGINE_KIND_CHECKIN "checkin"

struct engine;

/* One daily slot of a runner: "morning", "stretch1".., "strength",
 * "evening". */
struct slot_def {
	char name[16];
	const char *kind;
	enum coach_slot cslot;
	int stretch_index;
	int minute;
};

struct eng_runner {
	struct engine *e;
	const struct cfg_runner *cfg;
	const struct coach_program *program;
	struct host_channel *ch;
	ev_timer timer;
	size_t n_slots;
	struct slot_def slots[ENGINE_MAX_SLOTS];
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
	char key[128];
	double last;
};

struct engine {
	struct ev_loop *loop;
	struct rclock clock;
	struct engine_options opt;
	struct store *store;
	struct http *http;
	struct eng_setup s;
	double started_at;    /* clock time the process started */
	int in_tx;            /* a lazy transaction is open */
	ev_prepare flush;     /* commits the lazy transaction */
	ev_timer outbox_timer;
	ev_timer until_timer;
	ev_timer watchdog;
	ev_signal sig_term, sig_int, sig_hup;
	struct stranger strangers[ENGINE_STRANGERS];
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

/* What to do with a slot that is due now and has no outbox row. */
enum slot_catch_up {
	SLOT_SEND = 0,  /* due while running: send now */
	SLOT_SEND_LATE, /* missed while down, within the grace: send late */
	SLOT_SKIP,      /* missed while down, past the grace: skip, log */
};

/* Decides for a slot due at `due` (clock seconds) when the process
 * started at `started_at` and it is `now`; grace in seconds.  Slots that
 * fell due while rehabd was running are always sent, however late the
 * timer fired. */
enum slot_catch_up slot_catch_up(double due, double started_at, double now,
				 double grace);

/* slots.c: builds r->slots from the config; creates outbox rows for every
 * slot that is due and has none; re-arms the runner's timer. */
void slots_setup(struct eng_runner *r);
void slots_tick(struct eng_runner *r);
/* Renews the rows of day's slots that are queued but not handed to the
 * channel yet (a retry, a snooze copy) from the plan as it stands now,
 * after a report changed it: a reminder never goes out with a plan older
 * than the last report.  Paused and answered evening rows are dropped.
 * Inside the caller's transaction.  Returns 0 or -1. */
int slots_refresh(struct eng_runner *r, int32_t day);

/* outbox.c */
void outbox_init(struct engine *e);
/* Sends what is due now and re-arms the outbox timer. */
void outbox_pump(struct engine *e);
/* Queues a message to a runner now (an answer to a reply); slot must be
 * unique for the runner and day.  Inside the caller's transaction. */
int outbox_queue_now(struct engine *e, struct eng_runner *r, int32_t day,
		     const char *slot, const char *kind, const char *text,
		     const char *html);
void outbox_send_done(void *ctx, struct host_channel *ch, uint64_t token,
		      const struct rehabd_send_result *res);

/* inbound.c */
int inbound_batch(void *ctx, struct host_channel *ch,
		  const struct rehabd_inbound *msgs, size_t n,
		  const char *cursor, struct rehabd_inbound_result *results);
char *inbound_cursor_load(void *ctx, struct host_channel *ch);

#endif
