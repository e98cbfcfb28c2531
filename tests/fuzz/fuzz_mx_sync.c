/*
 * libFuzzer target for the Matrix plugin's reading of server answers:
 * arbitrary bytes as a /sync body, as a /messages body and as an error
 * body.  Besides crashes, leaks and undefined behaviour (ASan+UBSan), it
 * aborts when a result breaks the contract of mx_json.h:
 *   - on success next_batch is a non-empty string; every event has a
 *     room id, a non-empty event id and a sender, all without NUL bytes;
 *     a MESSAGE has a body, a REACTION a target and a key, a MEMBER a
 *     membership and a state key; at most MX_MAX_EVENTS events;
 *   - every gap names a room and a prev_batch, every invite a room;
 *   - the same body read twice gives the same events;
 *   - what is read is usable by what the plugin does next: the reply
 *     fallback of every body can be stripped, every sender goes through
 *     mx_canonical_address without overrunning, every reaction key
 *     through mx_choice_value, and the ids build reaction bodies;
 *   - an error body gives retry_after_ms -1 or 0..86400000.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mx_address.h"
#include "mx_json.h"
#include "mx_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

static void check_events(const struct mx_sync *s)
{
	check(s->n_events <= MX_MAX_EVENTS);
	for (size_t i = 0; i < s->n_events; i++) {
		const struct mx_event *e = &s->events[i];
		char out[300], why[200];
		check(e->room_id && e->event_id && *e->event_id && e->sender);
		switch (e->kind) {
		case MX_EV_MESSAGE: {
			check(e->body != NULL);
			char *t = mx_strip_reply_fallback(e->body);
			check(t != NULL && strlen(t) <= strlen(e->body));
			free(t);
			break;
		}
		case MX_EV_REACTION: {
			check(e->target && e->key);
			(void)mx_choice_value(e->key);
			char *b = mx_body_reaction(e->target, e->key);
			check(b != NULL);
			free(b);
			break;
		}
		case MX_EV_MEMBER:
			check(e->membership && e->state_key);
			break;
		default:
			break;
		}
		if (mx_canonical_address(e->sender, out, sizeof out, why, sizeof why) == 0)
			check(out[0] == '@' && strlen(out) <= MX_USER_ID_MAX);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;
	struct mx_sync a, b;
	struct mx_error e;
	char why[160];

	/* The scan of an answer jansson refused: a token of printable
	 * ASCII, never read past the body (the fuzzer's buffer is exact). */
	char next[64];
	if (mx_sync_scan_next_batch(body, size, next, sizeof next) == 0) {
		size_t n = strlen(next);
		check(n > 0 && n < sizeof next);
		for (size_t i = 0; i < n; i++)
			check(next[i] > 0x20 && next[i] < 0x7f && next[i] != '\\');
	}

	int ra = mx_sync_parse(body, size, "@rehabbot:example.org", &a, why, sizeof why);
	int rb = mx_sync_parse(body, size, "@rehabbot:example.org", &b, why, sizeof why);
	check(ra == rb);
	if (ra == 0) {
		check(a.next_batch && *a.next_batch);
		check_events(&a);
		check(a.n_events == b.n_events && a.n_gaps == b.n_gaps &&
		      a.n_invites == b.n_invites);
		for (size_t i = 0; i < a.n_events; i++)
			check(!strcmp(a.events[i].event_id, b.events[i].event_id) &&
			      a.events[i].kind == b.events[i].kind);
		for (size_t i = 0; i < a.n_gaps; i++)
			check(a.gaps[i].room_id && a.gaps[i].prev_batch);
		for (size_t i = 0; i < a.n_invites; i++)
			check(a.invites[i].room_id != NULL);
	}
	mx_sync_free(&a);
	mx_sync_free(&b);

	if (mx_messages_parse(body, size, "!r:example.org", &a, why, sizeof why) == 0)
		check_events(&a);
	mx_sync_free(&a);

	mx_error_parse(body, size, &e);
	check(e.retry_after_ms == -1 || (e.retry_after_ms >= 0 && e.retry_after_ms <= 86400000));
	check(memchr(e.errcode, 0, sizeof e.errcode) != NULL);
	return 0;
}
