/*
 * One DM per runner, created by the bot (Client-Server API "Direct
 * Messaging"): createRoom with preset private_chat, is_direct and an
 * invite to the runner, recorded in the bot's m.direct account data.
 * The room of each runner is kept in the channel state ("room:<user id>")
 * so that a restart sends to the same room.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mx.h"

#define ROOM_TIMEOUT_MS 30000
#define SMALL_ANSWER (64 * 1024)
#define DIRECT_MAX (4 * 1024 * 1024)

static void direct_free_list(struct direct_job **list);

static void state_key(const struct mx_runner *r, char *buf, size_t len)
{
	snprintf(buf, len, "room:%s", r->address);
}

int mx_rooms_load(struct mx *mx)
{
	size_t n = mx->api->runner_count(mx->host);
	mx->runners = calloc(n ? n : 1, sizeof *mx->runners);
	if (!mx->runners)
		return -1;
	mx->n_runners = n;
	for (size_t i = 0; i < n; i++) {
		struct mx_runner *r = &mx->runners[i];
		char key[300];
		/* The host hands plugins canonical addresses. */
		r->address = strdup(mx->api->runner_address(mx->host, i));
		if (!r->address)
			return -1;
		state_key(r, key, sizeof key);
		const char *room = mx->api->state_get(mx->host, key);
		if (room && *room && !(r->room_id = strdup(room)))
			return -1;
	}
	return 0;
}

void mx_rooms_free(struct mx *mx)
{
	direct_free_list(&mx->direct_pending);
	direct_free_list(&mx->direct_inflight);
	for (size_t i = 0; i < mx->n_runners; i++) {
		free(mx->runners[i].address);
		free(mx->runners[i].room_id);
		free(mx->runners[i].answered);
	}
	free(mx->runners);
	mx->runners = NULL;
	mx->n_runners = 0;
}

struct mx_runner *mx_runner_by_address(struct mx *mx, const char *address)
{
	for (size_t i = 0; address && i < mx->n_runners; i++)
		if (!strcmp(mx->runners[i].address, address))
			return &mx->runners[i];
	return NULL;
}

struct mx_runner *mx_runner_by_room(struct mx *mx, const char *room_id)
{
	for (size_t i = 0; room_id && i < mx->n_runners; i++)
		if (mx->runners[i].room_id && !strcmp(mx->runners[i].room_id, room_id))
			return &mx->runners[i];
	return NULL;
}

/* m.direct: read, add the rooms, write back.  Only for other clients of
 * the bot account (the plugin keeps its own map), so failures are
 * logged, not retried.  One read-modify-write at a time, taking every
 * room made meanwhile: the content grows with the runners, and one
 * write per new room would cost O(runners^2) bytes on a first start. */
struct direct_job {
	char *user, *room;
	struct direct_job *next;
};

static void direct_free_list(struct direct_job **list)
{
	while (*list) {
		struct direct_job *j = *list;
		*list = j->next;
		free(j->user);
		free(j->room);
		free(j);
	}
}

static void direct_start(struct mx *mx);

static void direct_put_done(struct mx *mx, void *arg, const struct mx_reply *r)
{
	(void)arg;
	if (r->result != MX_R_OK)
		mx->api->log(mx->host, REHABD_LOG_WARN,
			     "matrix: could not record the DMs in m.direct (HTTP %ld %s); the reminders are not affected",
			     r->status, r->err.errcode);
	direct_free_list(&mx->direct_inflight);
	direct_start(mx);
}

static void direct_path(struct mx *mx, char *buf, size_t len)
{
	char *u = mx_escape(mx->cfg.user_id);
	snprintf(buf, len, "/user/%s/account_data/m.direct", u ? u : "");
	free(u);
}

static void direct_get_done(struct mx *mx, void *arg, const struct mx_reply *r)
{
	char path[512];
	/* 404 M_NOT_FOUND: no m.direct yet. */
	char *body = NULL;
	if (r->result == MX_R_OK || r->status == 404) {
		const char *old = r->result == MX_R_OK ? r->body : NULL;
		size_t len = old ? r->body_len : 0;
		char *cur = old ? strndup(old, len) : NULL;
		for (struct direct_job *j = mx->direct_inflight; j; j = j->next) {
			char *next = mx_body_direct_add(cur, cur ? strlen(cur) : 0, j->user, j->room);
			free(cur);
			cur = next;
			if (!cur)
				break;
		}
		body = cur;
	}
	if (!body) {
		direct_put_done(mx, arg, r);
		return;
	}
	direct_path(mx, path, sizeof path);
	if (mx_call(mx, "PUT", path, NULL, body, 1, ROOM_TIMEOUT_MS, SMALL_ANSWER,
		    direct_put_done, NULL) != 0) {
		direct_free_list(&mx->direct_inflight);
		mx->direct_busy = 0;
	}
	free(body);
}

/* Starts a read-modify-write for the pending rooms, unless one runs. */
static void direct_start(struct mx *mx)
{
	char path[512];
	mx->direct_busy = 0;
	if (!mx->direct_pending)
		return;
	mx->direct_inflight = mx->direct_pending;
	mx->direct_pending = NULL;
	mx->direct_busy = 1;
	direct_path(mx, path, sizeof path);
	if (mx_call(mx, "GET", path, NULL, NULL, 1, ROOM_TIMEOUT_MS, DIRECT_MAX,
		    direct_get_done, NULL) != 0) {
		direct_free_list(&mx->direct_inflight);
		mx->direct_busy = 0;
	}
}

static void direct_add(struct mx *mx, const char *user, const char *room)
{
	struct direct_job *j = calloc(1, sizeof *j);
	if (!j || !(j->user = strdup(user)) || !(j->room = strdup(room))) {
		if (j) {
			free(j->user);
			free(j);
		}
		return;
	}
	j->next = mx->direct_pending;
	mx->direct_pending = j;
	if (!mx->direct_busy)
		direct_start(mx);
}

/* Stores room as r's DM.  Returns 0, or -1 when the state could not be
 * kept (the room is still used in memory). */
static int keep_room(struct mx *mx, struct mx_runner *r, const char *room)
{
	char key[300];
	char *copy = room ? strdup(room) : NULL;
	if (room && !copy)
		return -1;
	free(r->room_id);
	r->room_id = copy;
	r->others = 0;
	r->encrypted = 0;
	state_key(r, key, sizeof key);
	return mx->api->state_set(mx->host, key, room);
}

/* Whether the runner is in their new DM already (a client that accepts
 * invites at once may join before createRoom has answered, and the
 * join event then comes by /sync before the room is known as theirs). */
static void joined_done(struct mx *mx, void *arg, const struct mx_reply *r)
{
	struct mx_runner *run = &mx->runners[(size_t)(uintptr_t)arg];
	int has = 0;
	if (r->result == MX_R_OK && mx_joined_count(r->body, r->body_len, run->address, &has) >= 0 &&
	    has)
		mx->api->runner_reachable(mx->host, run->address, 1, NULL);
}

static void joined_check(struct mx *mx, size_t i, const char *room)
{
	char *rid = mx_escape(room), path[600];
	if (!rid)
		return;
	snprintf(path, sizeof path, "/rooms/%s/joined_members", rid);
	free(rid);
	mx_call(mx, "GET", path, NULL, NULL, 1, ROOM_TIMEOUT_MS, 1024 * 1024, joined_done,
		(void *)(uintptr_t)i);
}

static void create_done(struct mx *mx, void *arg, const struct mx_reply *r)
{
	size_t i = (size_t)(uintptr_t)arg;
	struct mx_runner *run = &mx->runners[i];
	char *room = r->result == MX_R_OK ? mx_json_string(r->body, r->body_len, "room_id") : NULL;

	run->creating = 0;
	if (r->result == MX_R_TOKEN)
		mx_auth_lost(mx, r);
	if (!room) {
		mx->api->log(mx->host, REHABD_LOG_WARN,
			     "matrix: could not create the DM with %s (%s%s%ld %s%s); the reminders wait and are tried again",
			     run->address, r->transport ? r->transport : "",
			     r->transport ? ", HTTP " : "HTTP ", r->status, r->err.errcode,
			     r->result == MX_R_OK ? ", no room_id in the answer" : "");
		mx_send_room_ready(mx, run, 0, r->result == MX_R_RATE ? r->retry_ms : -1);
		return;
	}
	if (keep_room(mx, run, room) != 0)
		mx->api->log(mx->host, REHABD_LOG_WARN,
			     "matrix: could not keep the room of %s in the state database; a new DM is made at the next start",
			     run->address);
	mx->api->log(mx->host, REHABD_LOG_INFO, "matrix: created the DM %s with %s (invited)",
		     room, run->address);
	direct_add(mx, run->address, room);
	joined_check(mx, i, room);
	free(room);
	mx_send_room_ready(mx, run, 1, 0);
}

void mx_room_ensure(struct mx *mx, struct mx_runner *r)
{
	if (r->room_id) {
		mx_send_room_ready(mx, r, 1, 0);
		return;
	}
	if (r->creating)
		return;
	char *body = mx_body_create_dm(r->address);
	r->creating = 1;
	if (!body || mx_call(mx, "POST", "/createRoom", NULL, body, 1, ROOM_TIMEOUT_MS,
			     SMALL_ANSWER, create_done,
			     (void *)(uintptr_t)(size_t)(r - mx->runners)) != 0) {
		r->creating = 0;
		mx_send_room_ready(mx, r, 0, -1);
	}
	free(body);
}

static void leave_done(struct mx *mx, void *arg, const struct mx_reply *r)
{
	(void)arg;
	if (r->result != MX_R_OK)
		mx->api->log(mx->host, REHABD_LOG_DEBUG, "matrix: leaving a room: HTTP %ld %s",
			     r->status, r->err.errcode);
}

void mx_room_drop(struct mx *mx, struct mx_runner *r, int reinvite, int leave)
{
	if (r->room_id && leave) {
		mx_room_leave(mx, r->room_id);
	}
	if (keep_room(mx, r, NULL) != 0)
		mx->api->log(mx->host, REHABD_LOG_WARN,
			     "matrix: could not forget the old room of %s in the state database",
			     r->address);
	if (reinvite)
		mx_room_ensure(mx, r);
}

void mx_room_leave(struct mx *mx, const char *room_id)
{
	char *rid = mx_escape(room_id);
	char path[600];
	snprintf(path, sizeof path, "/rooms/%s/leave", rid ? rid : "");
	if (rid)
		mx_call(mx, "POST", path, NULL, "{}", 1, ROOM_TIMEOUT_MS, SMALL_ANSWER,
			leave_done, NULL);
	free(rid);
}

void mx_room_adopt(struct mx *mx, struct mx_runner *r, const char *room_id)
{
	if (keep_room(mx, r, room_id) != 0)
		mx->api->log(mx->host, REHABD_LOG_WARN,
			     "matrix: could not keep the room of %s in the state database",
			     r->address);
	direct_add(mx, r->address, room_id);
	/* They invited the bot: they can be reached there. */
	mx->api->runner_reachable(mx->host, r->address, 1, NULL);
	mx_send_room_ready(mx, r, 1, 0);
}
