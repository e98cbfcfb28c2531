/*
 * The lazy transaction and what a failing commit says: see lazy_tx.h.
 */
#include "lazy_tx.h"

#include "fault.h"
#include "log.h"

void lazy_tx_init(struct lazy_tx *t, struct store *store,
		  const struct rclock *clock)
{
	*t = (struct lazy_tx){ .store = store, .clock = clock };
}

int lazy_tx_begin(struct lazy_tx *t)
{
	if (t->open)
		return 0;
	if (store_begin(t->store) != 0)
		return -1;
	t->open = 1;
	t->changes_at_begin = store_total_changes(t->store);
	return 0;
}

/* Logs a failed commit once, then every LAZY_TX_LOG_EVERY while the
 * failures last. */
static void note_failure(struct lazy_tx *t)
{
	double now = clock_now(t->clock);
	t->failures++;
	if (!t->failing) {
		t->failing = 1;
		t->failing_since = now;
	} else if (now - t->last_log < LAZY_TX_LOG_EVERY) {
		return;
	}
	t->last_log = now;
	log_error("the state database %s cannot record changes (%ld failed commit(s) in %.0f min): nothing new is sent until it can — free disk space or fix the file's permissions; rehabd resumes by itself",
		  store_path(t->store), t->failures,
		  (now - t->failing_since) / 60);
	t->failures = 0;
}

int lazy_tx_flush(struct lazy_tx *t)
{
	int ok;
	if (!t->open)
		return 0;
	t->open = 0;
	fault_point("before_commit");
	ok = store_commit(t->store) == 0;
	if (!ok) {
		store_rollback(t->store);
		note_failure(t);
	} else {
		fault_point("after_commit");
		/* Only a commit that wrote something shows the store
		 * records changes again. */
		if (t->failing && store_total_changes(t->store) != t->changes_at_begin) {
			log_info("the state database records changes again after %.0f min; sending resumes",
				 (clock_now(t->clock) - t->failing_since) / 60);
			t->failing = 0;
			t->failures = 0;
		}
	}
	if (t->committed)
		t->committed(t->arg, ok);
	return ok ? 0 : -1;
}

void lazy_tx_abort(struct lazy_tx *t)
{
	if (!t->open)
		return;
	t->open = 0;
	store_rollback(t->store);
	note_failure(t);
	if (t->committed)
		t->committed(t->arg, 0);
}

int lazy_tx_healthy(const struct lazy_tx *t)
{
	return !t->failing;
}
