/*
 * The telegram plugin's shared state and the functions its files offer
 * one another.  telegram.c: entry, open/close, failure; tg_api.c: calling
 * Bot API methods through the host; tg_poll.c: getUpdates and replies;
 * tg_send.c: the send queues and their outcomes.  Everything runs on the
 * host's loop thread.
 */
#ifndef TG_H
#define TG_H

#include <stddef.h>
#include <stdint.h>

#include <rehabd/channel.h>

#include "tg_config.h"

struct tg_send;
struct tg_aux;
struct tg_reply;

struct tg {
	const struct rehabd_host_api *api;
	struct rehabd_host *host;
	struct tg_config cfg;
	int failed;            /* the token was refused: all stopped */
	uint64_t rng;          /* jitter */

	/* tg_poll.c */
	uint64_t poll_req;     /* getUpdates in flight, or 0 */
	uint64_t poll_timer;   /* next getUpdates waiting, or 0 */
	int64_t offset;        /* next getUpdates offset ... */
	int has_offset;        /* ... when set */
	double poll_started;   /* monotonic time of the request */
	double err_backoff;    /* last wait after an error, 0 after success */
	double empty_backoff;  /* last wait after an instant empty answer */
	int said_fast_empty;   /* logged that the server does not long-poll */
	int said_conflict;     /* logged a 409: 1 another poller, 2 a webhook ... */
	double conflict_said_at; /* ... at this monotonic time */
	int probing;           /* a batch could not be read: fetching one
	                          update at a time (limit 1) to find the bad
	                          one ... */
	int probe_left;        /* ... for at most this many good ones more */
	double stuck_said_at;  /* logged that an unreadable first update
	                          cannot be skipped, or 0 */

	/* tg_send.c */
	struct tg_send *send;

	/* tg_api.c: answers, edits, setMyCommands in flight */
	struct tg_aux *aux;
};

/* telegram.c */

/* tg_clock.c: seconds on the monotonic clock.  Rate limits and backoffs
 * are about real time, also when the host runs a simulated clock. */
double tg_mono(void);

/* d scaled by a random factor in [0.8, 1.2]. */
double tg_jitter(struct tg *tg, double d);

/* The token was refused: tells the host (once), stops polling and every
 * request, and hands queued messages back for a retry. */
void tg_fail(struct tg *tg);

/* tg_api.c */

/*
 * Calls a Bot API method with a JSON body (copied).  The URL holds the
 * token and is never logged; requests log as "telegram <method>".
 * Returns the host's request handle, or 0 when the host refused it
 * (done is then not called).
 */
uint64_t tg_api_call(struct tg *tg, const char *method, const char *body,
		     long timeout_ms, size_t max_response,
		     rehabd_http_done_fn done, void *arg);

/*
 * The outcome of a Bot API call as one code: 0 when no response arrived,
 * 200 for "ok":true, the body's error_code for "ok":false, else the
 * HTTP status (200 then means a body that is no Bot API answer).  The
 * documentation defines errors by the body, not by the HTTP status, so
 * a server that answers an error with HTTP 200 is understood too.  r is
 * the parsed body, or NULL when it is not a Bot API answer.
 */
long tg_outcome(const struct rehabd_http_response *resp,
		const struct tg_reply *r);

/* Seconds a 429 asks to wait: parameters.retry_after, else the
 * Retry-After header, else -1.  r as for tg_outcome. */
long tg_retry_after(const struct rehabd_http_response *resp,
		    const struct tg_reply *r);

/* Calls a method whose answer only matters for logging (answers, edits,
 * setMyCommands).  Takes ownership of body (may be NULL: nothing sent).
 * A 401 fails the channel; "message is not modified" and "query is too
 * old" count as success.  setMyCommands and the edits are tried again a
 * few times after a 429 (as long as it asks), a 5xx or a network error;
 * a late answerCallbackQuery would be refused, so it is not. */
void tg_api_aux(struct tg *tg, const char *method, char *body);

/* Cancels every aux request. */
void tg_api_aux_cancel(struct tg *tg);

/* tg_poll.c */

/* Starts polling at the host's stored cursor. */
void tg_poll_start(struct tg *tg);
/* Stops polling (request and timer). */
void tg_poll_stop(struct tg *tg);

/* tg_send.c */

/* Creates the send queues; NULL when out of memory. */
struct tg_send *tg_send_new(struct tg *tg);

/* Queues msg (copied).  Returns 0 (send_done follows) or -1 when the
 * message cannot be sent at all. */
int tg_send_queue(struct tg *tg, const struct rehabd_message *msg,
		  uint64_t token);

/* Cancels requests in flight and reports every queued message as
 * REHABD_SEND_RETRY with reason (the channel stopped). */
void tg_send_abort(struct tg *tg, const char *reason);

/* Frees the queues without reporting (close). */
void tg_send_free(struct tg *tg);

/* The ref of the message the bot sent as message_id in chat_id, if it is
 * still remembered (the last few thousand sends), else NULL. */
const char *tg_send_ref_of(struct tg *tg, int64_t chat_id, int64_t message_id);

/* Sends a callback's acknowledgement: the answer (toast, none when ack
 * is NULL or "") and, when the choice took, the edit that shows it and
 * removes the keyboard.  A query this process answered already (the
 * last TG_ANSWERED_RING) is not answered again: Telegram would refuse
 * it. */
void tg_send_tap_answer(struct tg *tg, const char *callback_id,
			const char *ack, int took, int64_t chat_id,
			int64_t message_id, const char *msg_text,
			const char *entities, const char *label);

#endif
