/*
 * The Matrix channel's JSON (see mx_json.h).  Field names follow the
 * Client-Server API v3: /sync (sync.yaml), ClientEvent, m.room.message,
 * m.reaction (event_annotations.md), rich replies (rich_replies.md).
 */
#include "mx_json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOAD_FLAGS (JSON_DECODE_INT_AS_REAL | JSON_ALLOW_NUL)

/* A string without NUL bytes (JSON_ALLOW_NUL lets "\u0000" through; an
 * id or body with one would be cut by every C string user). */
static const char *cstr(const json_t *obj, const char *key)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
	if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
		return NULL;
	return json_string_value(v);
}

static json_t *obj(const json_t *o, const char *key)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
	return json_is_object(v) ? v : NULL;
}

static json_t *arr(const json_t *o, const char *key)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
	return json_is_array(v) ? v : NULL;
}

/* Grows an array of elements of size sz to hold one more.  Returns the
 * new slot (zeroed) or NULL. */
static void *grow(void **base, size_t *n, size_t sz)
{
	if ((*n & (*n - 1)) == 0 || *n == 0) {
		size_t cap = *n ? *n * 2 : 8;
		void *b = realloc(*base, cap * sz);
		if (!b)
			return NULL;
		*base = b;
	}
	void *slot = (char *)*base + *n * sz;
	memset(slot, 0, sz);
	(*n)++;
	return slot;
}

/* Reads one ClientEvent of room_id into a new entry of s.  Returns 0,
 * or -1 when out of memory; an event it cannot use is skipped. */
static int add_event(struct mx_sync *s, const char *room_id, const json_t *ev)
{
	const char *type = cstr(ev, "type"), *id = cstr(ev, "event_id");
	const char *sender = cstr(ev, "sender");
	json_t *content = obj(ev, "content");
	enum mx_event_kind kind = MX_EV_OTHER;

	if (!type || !id || !*id || !sender || !content)
		return 0;
	if (s->n_events >= MX_MAX_EVENTS) {
		s->truncated = 1;
		return 0;
	}
	if (!strcmp(type, "m.room.message") && cstr(content, "body"))
		kind = MX_EV_MESSAGE;
	else if (!strcmp(type, "m.reaction"))
		kind = MX_EV_REACTION;
	else if (!strcmp(type, "m.room.member") && cstr(ev, "state_key") &&
		 cstr(content, "membership"))
		kind = MX_EV_MEMBER;
	else if (!strcmp(type, "m.room.encrypted"))
		kind = MX_EV_ENCRYPTED;
	else if (!strcmp(type, "m.room.encryption") && cstr(ev, "state_key"))
		kind = MX_EV_ENCRYPTION;
	if (kind == MX_EV_OTHER)
		return 0;

	json_t *rel = obj(content, "m.relates_to");
	if (kind == MX_EV_REACTION) {
		const char *rt = cstr(rel, "rel_type");
		if (!rt || strcmp(rt, "m.annotation") || !cstr(rel, "event_id") ||
		    !cstr(rel, "key"))
			return 0;
	}
	struct mx_event *e = grow((void **)&s->events, &s->n_events, sizeof *e);
	if (!e)
		return -1;
	e->kind = kind;
	e->room_id = room_id;
	e->event_id = id;
	e->sender = sender;
	json_t *ts = json_object_get(ev, "origin_server_ts");
	if (json_is_number(ts)) {
		double d = json_number_value(ts) / 1000.0;
		if (isfinite(d) && d > 0 && d < 1e11)
			e->ts = (int64_t)d;
	}
	switch (kind) {
	case MX_EV_MESSAGE: {
		const char *rt = cstr(rel, "rel_type");
		e->body = cstr(content, "body");
		e->msgtype = cstr(content, "msgtype");
		e->reply_to = cstr(obj(rel, "m.in_reply_to"), "event_id");
		e->is_edit = rt && !strcmp(rt, "m.replace");
		break;
	}
	case MX_EV_REACTION:
		e->target = cstr(rel, "event_id");
		e->key = cstr(rel, "key");
		break;
	case MX_EV_MEMBER:
		e->membership = cstr(content, "membership");
		e->state_key = cstr(ev, "state_key");
		break;
	default:
		break;
	}
	return 0;
}

static int add_events(struct mx_sync *s, const char *room_id, const json_t *list)
{
	size_t i;
	json_t *ev;
	json_array_foreach(list, i, ev)
		if (add_event(s, room_id, ev) != 0)
			return -1;
	return 0;
}

/* Reads rooms.invite[room_id].invite_state (stripped state). */
static int add_invite(struct mx_sync *s, const char *room_id, const json_t *room,
		      const char *me)
{
	json_t *events = arr(obj(room, "invite_state"), "events");
	struct mx_invite *inv = grow((void **)&s->invites, &s->n_invites, sizeof *inv);
	size_t i;
	json_t *ev;

	if (!inv)
		return -1;
	inv->room_id = room_id;
	json_array_foreach(events, i, ev) {
		const char *type = cstr(ev, "type");
		json_t *content = obj(ev, "content");
		if (!type)
			continue;
		if (!strcmp(type, "m.room.encryption"))
			inv->encrypted = 1;
		if (strcmp(type, "m.room.member"))
			continue;
		const char *sk = cstr(ev, "state_key");
		const char *ms = cstr(content, "membership");
		if (sk && ms && !strcmp(ms, "join"))
			inv->members++;
		if (sk && me && !strcmp(sk, me) && ms && !strcmp(ms, "invite")) {
			inv->inviter = cstr(ev, "sender");
			inv->is_direct = json_is_true(json_object_get(content, "is_direct"));
		}
	}
	return 0;
}

static int load(const char *body, size_t len, json_t **root, char *why,
		size_t whylen)
{
	json_error_t jerr;
	*root = json_loadb(body, len, LOAD_FLAGS, &jerr);
	if (!*root) {
		snprintf(why, whylen, "not JSON (%s at byte %d)", jerr.text, jerr.position);
		return -1;
	}
	if (!json_is_object(*root)) {
		snprintf(why, whylen, "not a JSON object");
		return -1;
	}
	return 0;
}

int mx_sync_parse(const char *body, size_t len, const char *me,
		  struct mx_sync *s, char *why, size_t whylen)
{
	const char *rid;
	json_t *room;

	memset(s, 0, sizeof *s);
	if (load(body, len, &s->root, why, whylen) != 0)
		return -1;
	s->next_batch = cstr(s->root, "next_batch");
	if (!s->next_batch || !*s->next_batch) {
		snprintf(why, whylen, "no next_batch");
		return -1;
	}
	json_t *rooms = obj(s->root, "rooms");
	json_object_foreach(obj(rooms, "join"), rid, room) {
		json_t *tl = obj(room, "timeline");
		if (!json_is_object(room))
			continue;
		/* State first: it comes before the timeline (sync.yaml). */
		if (add_events(s, rid, arr(obj(room, "state"), "events")) != 0 ||
		    add_events(s, rid, arr(tl, "events")) != 0)
			goto nomem;
		const char *prev = cstr(tl, "prev_batch");
		if (json_is_true(json_object_get(tl, "limited")) && prev) {
			struct mx_gap *g = grow((void **)&s->gaps, &s->n_gaps, sizeof *g);
			if (!g)
				goto nomem;
			g->room_id = rid;
			g->prev_batch = prev;
		}
	}
	json_object_foreach(obj(rooms, "invite"), rid, room)
		if (json_is_object(room) && add_invite(s, rid, room, me) != 0)
			goto nomem;
	json_object_foreach(obj(rooms, "leave"), rid, room) {
		const char **slot = grow((void **)&s->left, &s->n_left, sizeof *slot);
		if (!slot)
			goto nomem;
		*slot = rid;
	}
	return 0;
nomem:
	snprintf(why, whylen, "out of memory");
	return -1;
}

/* The end of the JSON string whose opening quote is at p (the byte
 * after its closing quote), or NULL when it is cut short. */
static const char *string_end(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		if (*p == '\\')
			p++;
		else if (*p == '"')
			return p + 1;
	}
	return NULL;
}

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

int mx_sync_scan_next_batch(const char *body, size_t len, char *out,
			    size_t outlen)
{
	static const char key[] = "\"next_batch\"";
	const char *p = body, *end = body + len;
	long depth = 0;
	int expect_key = 0;

	if (!body || outlen < 2)
		return -1;
	while (p < end) {
		char c = *p;
		if (c == '"') {
			const char *e = string_end(p, end);
			if (!e)
				return -1;
			if (depth == 1 && expect_key && (size_t)(e - p) == sizeof key - 1 &&
			    !memcmp(p, key, sizeof key - 1)) {
				const char *v = skip_ws(e, end), *ve;
				if (v >= end || *v != ':')
					return -1;
				v = skip_ws(v + 1, end);
				if (v >= end || *v != '"' || !(ve = string_end(v, end)))
					return -1;
				size_t n = (size_t)(ve - v) - 2;
				if (n == 0 || n >= outlen)
					return -1;
				for (size_t i = 0; i < n; i++)
					if (v[1 + i] < 0x21 || v[1 + i] > 0x7e || v[1 + i] == '\\')
						return -1;
				memcpy(out, v + 1, n);
				out[n] = '\0';
				return 0;
			}
			expect_key = 0;
			p = e;
			continue;
		}
		if (c == '{' || c == '[') {
			depth++;
			expect_key = c == '{' && depth == 1;
		} else if (c == '}' || c == ']') {
			if (--depth < 0)
				return -1;
		} else if (c == ',' && depth == 1) {
			expect_key = 1;
		}
		p++;
	}
	return -1;
}

int mx_messages_parse(const char *body, size_t len, const char *room_id,
		      struct mx_sync *s, char *why, size_t whylen)
{
	memset(s, 0, sizeof *s);
	if (load(body, len, &s->root, why, whylen) != 0)
		return -1;
	s->end = cstr(s->root, "end");
	if (add_events(s, room_id, arr(s->root, "chunk")) != 0) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	return 0;
}

void mx_sync_free(struct mx_sync *s)
{
	json_decref(s->root);
	free(s->events);
	free(s->invites);
	free(s->gaps);
	free(s->left);
	memset(s, 0, sizeof *s);
}

void mx_error_parse(const char *body, size_t len, struct mx_error *e)
{
	json_t *root = body ? json_loadb(body, len, LOAD_FLAGS, NULL) : NULL;
	const char *code = cstr(root, "errcode");
	json_t *ra = json_object_get(root, "retry_after_ms");

	memset(e, 0, sizeof *e);
	e->retry_after_ms = -1;
	if (code)
		snprintf(e->errcode, sizeof e->errcode, "%s", code);
	e->soft_logout = json_is_true(json_object_get(root, "soft_logout"));
	if (json_is_number(ra)) {
		double d = json_number_value(ra);
		if (isfinite(d) && d >= 0)
			e->retry_after_ms = d > 86400000.0 ? 86400000L : (long)d;
	}
	json_decref(root);
}

char *mx_json_string(const char *body, size_t len, const char *key)
{
	json_t *root = body ? json_loadb(body, len, LOAD_FLAGS, NULL) : NULL;
	const char *v = cstr(root, key);
	char *out = v ? strdup(v) : NULL;
	json_decref(root);
	return out;
}

int mx_joined_count(const char *body, size_t len, const char *user, int *has)
{
	json_t *root = body ? json_loadb(body, len, LOAD_FLAGS, NULL) : NULL;
	json_t *joined = obj(root, "joined");
	int n = joined ? (int)json_object_size(joined) : -1;
	*has = joined && user && json_object_get(joined, user) != NULL;
	json_decref(root);
	return n;
}

/* Dumps and frees v.  NULL when v is NULL or out of memory. */
static char *dump(json_t *v)
{
	char *s = v ? json_dumps(v, JSON_COMPACT) : NULL;
	json_decref(v);
	return s;
}

char *mx_body_login(const char *user, const char *password, const char *device_id)
{
	json_t *v = json_pack("{s:s, s:{s:s, s:s}, s:s, s:s}",
			      "type", "m.login.password",
			      "identifier", "type", "m.id.user", "user", user,
			      "password", password,
			      "initial_device_display_name", "rehabd");
	/* The same device keeps txnId deduplication (it is per device). */
	if (v && device_id && json_object_set_new(v, "device_id", json_string(device_id)) != 0) {
		json_decref(v);
		return NULL;
	}
	return dump(v);
}

char *mx_body_filter(void)
{
	/* Only what the channel reads: messages, reactions, membership and
	 * the encryption markers of its rooms; no presence or account
	 * data (sync_filter.yaml, room_event_filter.yaml). */
	return dump(json_pack("{s:{s:[]}, s:{s:[]}, s:{s:{s:i, s:[s,s,s,s,s]}, s:{s:[s,s]}, s:{s:[]}, s:{s:[]}}}",
			      "presence", "types",
			      "account_data", "types",
			      "room",
			      "timeline", "limit", 50, "types",
			      "m.room.message", "m.reaction", "m.room.member",
			      "m.room.encrypted", "m.room.encryption",
			      "state", "types", "m.room.member", "m.room.encryption",
			      "ephemeral", "types",
			      "account_data", "types"));
}

char *mx_body_create_dm(const char *invitee)
{
	/* private_chat, not trusted_private_chat: the runner must not get
	 * the power to switch encryption on (it would blind the bot); no
	 * m.room.encryption in initial_state (create_room.yaml). */
	return dump(json_pack("{s:s, s:b, s:[s], s:s, s:s}",
			      "preset", "private_chat", "is_direct", 1,
			      "invite", invitee, "name", "Rehab coach",
			      "topic", "Reminders and pain check-ins from rehabd"));
}

char *mx_body_notice(const char *text, const char *formatted, const char *reply_to)
{
	/* m.notice: automated, never answered by other bots
	 * (m.room.message$m.notice). */
	json_t *v = json_pack("{s:s, s:s}", "msgtype", "m.notice", "body", text);
	if (v && formatted &&
	    (json_object_set_new(v, "format", json_string("org.matrix.custom.html")) != 0 ||
	     json_object_set_new(v, "formatted_body", json_string(formatted)) != 0)) {
		json_decref(v);
		return NULL;
	}
	/* A rich reply without a fallback (removed in v1.13). */
	if (v && reply_to &&
	    json_object_set_new(v, "m.relates_to",
				json_pack("{s:{s:s}}", "m.in_reply_to", "event_id", reply_to)) != 0) {
		json_decref(v);
		return NULL;
	}
	return dump(v);
}

char *mx_body_reaction(const char *event_id, const char *key)
{
	return dump(json_pack("{s:{s:s, s:s, s:s}}", "m.relates_to",
			      "rel_type", "m.annotation", "event_id", event_id,
			      "key", key));
}

char *mx_body_direct_add(const char *existing, size_t len, const char *user,
			 const char *room)
{
	json_t *root = existing ? json_loadb(existing, len, LOAD_FLAGS, NULL) : NULL;
	if (!json_is_object(root)) {
		json_decref(root);
		root = json_object();
	}
	json_t *list = json_object_get(root, user);
	if (!json_is_array(list)) {
		list = json_array();
		if (json_object_set_new(root, user, list) != 0)
			list = NULL;
	}
	size_t i;
	json_t *r;
	int has = 0;
	json_array_foreach(list, i, r)
		if (json_is_string(r) && !strcmp(json_string_value(r), room))
			has = 1;
	if (!list || (!has && json_array_append_new(list, json_string(room)) != 0)) {
		json_decref(root);
		return NULL;
	}
	return dump(root);
}
