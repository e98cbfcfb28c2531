/*
 * The lazy transaction: many small store updates of one loop iteration
 * share one commit (one fsync), made before the loop next blocks or
 * earlier when a step must be durable before the next one (a message's
 * `sending` state before the plugin sees the message).
 *
 * A commit can fail (disk full, I/O error): everything since the last
 * commit is then rolled back.  lazy_tx says so in the log once, then at
 * most every LAZY_TX_LOG_EVERY seconds while it lasts, and once more when
 * commits succeed again; callers ask lazy_tx_healthy() before they start
 * something that needs a durable record first.
 */
#ifndef REHABD_LAZY_TX_H
#define REHABD_LAZY_TX_H

#include "clock.h"
#include "store.h"

#define LAZY_TX_LOG_EVERY (10 * 60.0) /* clock seconds */

struct lazy_tx {
	struct store *store;
	const struct rclock *clock;
	int open;            /* a transaction is open */
	int failing;         /* the last commit failed */
	double failing_since;
	double last_log;
	long failures;       /* commits failed since the last log line */
	long long changes_at_begin;
	/* Called after each commit attempt with ok = 1 or 0 (the outbox
	 * keeps what it must redo after a rollback). */
	void (*committed)(void *arg, int ok);
	void *arg;
};

void lazy_tx_init(struct lazy_tx *t, struct store *store,
		  const struct rclock *clock);

/* Opens the transaction unless it is open.  Returns 0 or -1. */
int lazy_tx_begin(struct lazy_tx *t);

/* Commits the open transaction (if any) now.  Returns 0, or -1 when it
 * failed and was rolled back. */
int lazy_tx_flush(struct lazy_tx *t);

/* After a statement failed inside the transaction: rolls it back (if
 * open) so that none of it half-stays. */
void lazy_tx_abort(struct lazy_tx *t);

/* 1 unless the last commit failed. */
int lazy_tx_healthy(const struct lazy_tx *t);

#endif
