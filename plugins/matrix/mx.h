/*
 * The matrix plugin's shared state and the functions its files offer one
 * another.  matrix.c: entry, check, open/close, failure; mx_api.c:
 * calling the Client-Server API through the host; mx_auth.c: login,
 * whoami, filter; mx_rooms.c: one DM per runner; mx_sync.c: /sync and
 * replies; mx_send.c: notices and their reactions.  Everything runs on
 * the host's loop thread.
 */
#ifndef MX_H
#define MX_H

#include <stddef.h>
#include <stdint.h>

#include <rehabd/channel.h>

#include "mx_config.h"
#include "mx_json.h"

struct mx_call;
struct mx_out;
struct direct_job;

/* A runner on this channel and their DM. */
struct mx_runner {
	char *address;          /* canonical user id */
	char *room_id;          /* their DM, or NULL until created */
	int creating;           /* createRoom in flight */
	int others;             /* members other than the bot and the runner */
	int encrypted;          /* the room was found encrypted */
	struct mx_out *waiting; /* sends waiting for the room */
	/* The reminder the runner last answered (event id) and when (real
	 * seconds, mx_mono): the host's acknowledgement that follows goes
	 * out as a reply to it. */
	char *answered;
	double answered_at;
};

enum mx_phase {
	MX_STARTING = 0, /* login / whoami / filter in progress */
	MX_READY,
	MX_RELOGIN,      /* the token was lost softly: logging in again */
	MX_FAILED,
};

struct mx {
	const struct rehabd_host_api *api;
	struct rehabd_host *host;
	struct mx_config cfg;
	enum mx_phase phase;
	char *token;            /* access token (secret) */
	char *device_id;
	char *filter_id;
	uint64_t rng;
	struct mx_call *calls;  /* requests in flight */

	struct mx_runner *runners;
	size_t n_runners;
	/* mx_rooms.c: m.direct additions waiting, and being written */
	struct direct_job *direct_pending, *direct_inflight;
	int direct_busy;

	/* mx_send.c: sends waiting for MX_READY */
	struct mx_out *pending;
	struct mx_out *active;  /* sends with a request in flight */

	/* mx_sync.c */
	uint64_t sync_timer;
	uint64_t sync_call;     /* the /sync or /messages call in flight */
	double sync_started;
	double err_backoff;
	double empty_backoff;
	int said_fast_empty;
	char *since;            /* the committed cursor, NULL before the first */
	int unreadable;         /* /sync answers from since that jansson
	                           refused, in a row */
	struct mx_batch *batch; /* a sync answer being completed */
};

/* matrix.c */
double mx_mono(void);
double mx_jitter(struct mx *mx, double d);
/* Stops the channel for good with reason (logged by the host). */
void mx_fail(struct mx *mx, const char *reason);

/* mx_api.c */

/* How a call ended. */
enum mx_result {
	MX_R_OK = 0,     /* 2xx */
	MX_R_RETRY,      /* network error, 5xx, garbage: try again later */
	MX_R_RATE,       /* 429: wait retry_ms */
	MX_R_TOKEN,      /* 401 M_UNKNOWN_TOKEN / M_MISSING_TOKEN */
	MX_R_FORBIDDEN,  /* 403 M_FORBIDDEN */
	MX_R_REFUSED,    /* another 4xx */
};

struct mx_reply {
	enum mx_result result;
	long status;
	long retry_ms;          /* MX_R_RATE: Retry-After, else retry_after_ms, else -1 */
	struct mx_error err;
	const char *body;
	size_t body_len;
	const char *transport;  /* transport error text, or NULL */
};

typedef void (*mx_done_fn)(struct mx *mx, void *arg, const struct mx_reply *r);

/*
 * Calls method path (below /_matrix/client/v3, already escaped) with
 * query (may be NULL) and a JSON body (may be NULL; copied).  With auth
 * the access token goes in an Authorization: Bearer header (never in
 * the URL, never logged).  Returns 0, or -1 when the host refused the
 * request (done is then never called).
 */
int mx_call(struct mx *mx, const char *method, const char *path,
	    const char *query, const char *body, int auth, long timeout_ms,
	    size_t max_response, mx_done_fn done, void *arg);

/* Cancels every call in flight without calling done (close). */
void mx_call_cancel_all(struct mx *mx);

/* The handle of the last call mx_call started (for mx_call_cancel). */
uint64_t mx_call_last(const struct mx *mx);
/* Cancels one call without calling done; unknown handles are ignored. */
void mx_call_cancel(struct mx *mx, uint64_t handle);

/* Percent-encodes s for a path segment or query value (RFC 3986
 * unreserved kept).  Returns malloc'd text or NULL. */
char *mx_escape(const char *s);

/* mx_auth.c */

/* Starts: login when needed, whoami, the filter, then mx_ready(). */
void mx_auth_start(struct mx *mx);
/* The token was refused (r from the failing call): logs in again when
 * that can work, else fails the channel. */
void mx_auth_lost(struct mx *mx, const struct mx_reply *r);
/* Called by mx_auth when the channel can work. */
void mx_ready(struct mx *mx);

/* mx_rooms.c */
int mx_rooms_load(struct mx *mx);
void mx_rooms_free(struct mx *mx);
/* The runner with canonical address, or NULL. */
struct mx_runner *mx_runner_by_address(struct mx *mx, const char *address);
/* The runner whose DM is room_id, or NULL. */
struct mx_runner *mx_runner_by_room(struct mx *mx, const char *room_id);
/* Creates runner's DM unless it exists or is being made; waiting sends
 * go out when it is there. */
void mx_room_ensure(struct mx *mx, struct mx_runner *r);
/* Forgets runner's DM (left, encrypted), leaves it with leave, and with
 * reinvite makes a new one right away. */
void mx_room_drop(struct mx *mx, struct mx_runner *r, int reinvite, int leave);
/* Leaves room_id (a refused invite, an encrypted room), logged only. */
void mx_room_leave(struct mx *mx, const char *room_id);
/* Adopts room_id as runner's DM (an accepted invite). */
void mx_room_adopt(struct mx *mx, struct mx_runner *r, const char *room_id);

/* mx_sync.c */
void mx_sync_start(struct mx *mx);
void mx_sync_stop(struct mx *mx);

/* mx_send.c */
int mx_send_queue(struct mx *mx, const struct rehabd_message *msg,
		  uint64_t token);
/* Sends waiting for MX_READY go out. */
void mx_send_flush(struct mx *mx);
/* runner's room is there (or failed: room_id NULL, ok 0): its waiting
 * sends go out or are handed back for a retry. */
void mx_send_room_ready(struct mx *mx, struct mx_runner *r, int ok,
			long retry_ms);
/* Reports every queued send as REHABD_SEND_RETRY (the channel stopped). */
void mx_send_abort(struct mx *mx, const char *reason);
/* Frees the queues without reporting (close). */
void mx_send_free(struct mx *mx);
/* A plain notice to room (txn: its transaction id), fire and forget;
 * with leave_after the bot leaves the room once it is sent. */
void mx_send_plain(struct mx *mx, const char *room_id, const char *txn,
		   const char *text, int leave_after);

#endif
