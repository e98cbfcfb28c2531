/*
 * The outbox: hands due rows to their channel, records the outcome and
 * retries with backoff.  A row is unique per runner + day + slot, so a
 * slot is sent at most once unless a crash cuts a send off between the
 * server's acceptance and our record of it (then at least once).
 *
 * Durable before handed over: a row's `sending` state is committed
 * before its plugin sees it, so a commit that fails (disk full) can never
 * make a message go out twice; while commits fail nothing new is handed
 * over, and outcomes reported meanwhile are kept and recorded again once
 * the store takes them.
 *
 * It needs only the store, the clock, the lazy transaction, the loop for
 * its timer, and a way to find a runner's channel (route): it knows
 * nothing of the engine.
 */
#ifndef REHABD_OUTBOX_H
#define REHABD_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include <rehabd/channel.h>

#include "clock.h"
#include "lazy_tx.h"
#include "store.h"

struct ev_loop;
struct host_channel;

/* Outbox kinds of answers: a plain answer, and one that asks for a 0-10
 * score (it carries the score buttons; a score answering it is that
 * day's session score). */
#define OUTBOX_KIND_REPLY "reply"
#define OUTBOX_KIND_CHECKIN "checkin"

/* Where a runner's messages go.  The strings are the caller's and stay
 * valid until the next loop iteration. */
struct outbox_route {
	struct host_channel *ch;
	const char *address;
	const char *zone;
};

struct outbox_deps {
	struct ev_loop *loop;
	struct store *store;
	struct lazy_tx *tx;
	const struct rclock *clock;
	/* Fills *out for runner and returns 0, or returns -1 when the runner
	 * is no longer configured. */
	int (*route)(void *arg, const char *runner, struct outbox_route *out);
	void *arg;
};

struct outbox;

/* Returns a new outbox (free with outbox_free) or NULL (out of memory). */
struct outbox *outbox_new(const struct outbox_deps *deps);
void outbox_free(struct outbox *ob);

/* From the config: give up on a row send_expiry minutes after it was due
 * (never sooner than the catch-up grace, which may just have decided to
 * send it late). */
void outbox_set_limits(struct outbox *ob, int send_expiry_minutes,
		       int grace_minutes);

/* Sends what is due now and re-arms the outbox timer. */
void outbox_pump(struct outbox *ob);

/* Queues a message to runner now (an answer to a reply); slot must be
 * unique for the runner and day.  Inside the caller's transaction. */
int outbox_queue_now(struct outbox *ob, const char *runner, int32_t day,
		     const char *slot, const char *kind, const char *text,
		     const char *html);

/* A channel's report on the send of row `token`. */
void outbox_send_done(struct outbox *ob, struct host_channel *ch,
		      uint64_t token, const struct rehabd_send_result *res);

/* While held (a reload waiting for the sends in flight to report),
 * nothing new is handed to a channel. */
void outbox_hold(struct outbox *ob, int hold);

/* Rows handed to a channel whose outcome has not come yet. */
size_t outbox_in_flight(const struct outbox *ob);

/* Forgets the sends in flight (their channels were closed and the rows
 * requeued). */
void outbox_reset_in_flight(struct outbox *ob);

/* The key of row id in this database, for rehabd_message.key: stable
 * across retries and restarts, never reused for another row. */
void outbox_row_key(const struct store *st, int64_t id, char *buf, size_t len);

#endif
