/*
 * Daily slots: when a runner's reminders are due, turn each due slot into
 * exactly one outbox row with the coach's text for that day.
 *
 * Catch-up: a slot that falls due while the runner's schedule is being
 * watched is sent however late its timer fires within the step slack; a
 * slot that fell due before that (rehabd was down, the runner was added
 * or changed by a reload, the clock jumped forward or the machine slept)
 * gets the grace rule: sent late once within the grace, recorded
 * `skipped` with one log line per day beyond it.
 *
 * It needs the store, the clock, the lazy transaction, the loop for the
 * runners' timers and the outbox to pump: it knows nothing of the
 * engine.
 */
#ifndef REHABD_SLOTS_H
#define REHABD_SLOTS_H

#include <stddef.h>
#include <stdint.h>

#include <ev.h>

#include "clock.h"
#include "coach/message.h"
#include "coach/program.h"
#include "config.h"
#include "lazy_tx.h"
#include "outbox.h"
#include "store.h"

#define SLOTS_MAX 8
/* Look back at most this many days for slots that have no row (a long
 * downtime): older ones are summed up in one line. */
#define SLOTS_LOOK_BACK_DAYS 31

struct slots_deps {
	struct ev_loop *loop;
	struct store *store;
	struct lazy_tx *tx;
	const struct rclock *clock;
	struct outbox *outbox;
	double grace;         /* seconds, daemon.grace_minutes */
	double step_logged;   /* when a late wake-up was last logged */
};

/* One daily slot of a runner: "morning", "stretch1".., "strength",
 * "evening". */
struct slot_def {
	char name[16];
	const char *kind;
	enum coach_slot cslot;
	int stretch_index;
	int minute;
};

/* Why slots due before active_since were not watched. */
enum slots_cause {
	SLOTS_SINCE_START = 0, /* rehabd was not running */
	SLOTS_SINCE_RELOAD,    /* the runner was added or changed by a reload */
	SLOTS_SINCE_STEP,      /* the clock jumped forward or the machine slept */
};

/* What to do with a slot that is due now and has no outbox row. */
enum slot_catch_up {
	SLOT_SEND = 0,  /* due while watched: send now */
	SLOT_SEND_LATE, /* due before that, within the grace: send late */
	SLOT_SKIP,      /* due before that, past the grace: skip, log */
};

/* Decides for a slot due at `due` (clock seconds) when the runner's
 * schedule has been watched since `active_since` and it is `now`; grace
 * in seconds. */
enum slot_catch_up slot_catch_up(double due, double active_since, double now,
				 double grace);

struct slot_runner {
	struct slots_deps *d;
	const struct cfg_runner *cfg;
	const struct coach_program *program;
	ev_timer timer;
	size_t n_slots;
	struct slot_def slots[SLOTS_MAX];
	double active_since;  /* slots due before it get the grace rule */
	enum slots_cause cause;
	double armed_for;     /* the instant the timer is set to wake at */
	int32_t look_back;    /* first day the next tick looks at; 0: yesterday */
};

/* Sets r up for cfg (which must outlive it) and arms nothing yet; slots
 * due before active_since get the grace rule, for `cause`.  Returns 0,
 * or -1 on a store error. */
int slots_setup(struct slot_runner *r, struct slots_deps *d,
		const struct cfg_runner *cfg,
		const struct coach_program *program, double active_since,
		enum slots_cause cause);

/* Creates outbox rows for every slot that is due and has none, then
 * re-arms the runner's timer. */
void slots_tick(struct slot_runner *r);

/* Stops the runner's timer. */
void slots_stop(struct slot_runner *r);

/* Renews the rows of day's slots that are queued but not handed to the
 * channel yet (a retry, a snooze copy) from the plan as it stands now,
 * after a report changed it: a reminder never goes out with a plan older
 * than the last report.  Paused and answered evening rows are dropped.
 * Inside the caller's transaction.  Returns 0 or -1. */
int slots_refresh(struct slot_runner *r, int32_t day);

/* The slot definition of a row's slot ("stretch2+snooze1" is stretch2),
 * or NULL for answers and slots no longer configured. */
const struct slot_def *slots_find(const struct slot_runner *r,
				  const char *slot);

#endif
