/*
 * Bot API JSON: the response envelope, getUpdates results, request
 * bodies.
 */
#include "tg_json.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tg_text.h"

/* Longest answerCallbackQuery text, in UTF-16 units. */
#define TG_ANSWER_MAX 200

/* A string member that is valid text: a JSON string without NUL bytes
 * (jansson has already checked the UTF-8).  NULL otherwise. */
static const char *get_str(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);
	if (!json_is_string(v))
		return NULL;
	const char *s = json_string_value(v);
	if (strlen(s) != json_string_length(v))
		return NULL;
	return s;
}

/* An integer member; 0 with *out set, -1 when absent or not an integer. */
static int get_int(const json_t *obj, const char *key, int64_t *out)
{
	const json_t *v = json_object_get(obj, key);
	if (!json_is_integer(v))
		return -1;
	*out = (int64_t)json_integer_value(v);
	return 0;
}

/* Loads a body; when jansson refuses it and why is not NULL, writes
 * what it refused in fixed words (jansson's own text quotes the body,
 * which may be a runner's words: it is never passed on). */
static json_t *load_why(const char *body, size_t len, char *why, size_t whylen)
{
	json_error_t jerr;
	/* NUL bytes inside strings are allowed by the grammar; get_str
	 * refuses such strings one field at a time instead of the body. */
	json_t *root = json_loadb(body, len, JSON_ALLOW_NUL, &jerr);
	const char *w = "invalid JSON";

	if (root || !why)
		return root;
	switch (json_error_code(&jerr)) {
	case json_error_invalid_utf8:
		w = "invalid UTF-8";
		break;
	case json_error_numeric_overflow:
		w = "a number out of range";
		break;
	case json_error_stack_overflow:
		w = "nesting too deep";
		break;
	case json_error_out_of_memory:
		w = "out of memory";
		break;
	case json_error_invalid_syntax:
		if (strstr(jerr.text, "invalid Unicode"))
			w = "an invalid \\u escape";
		break;
	default:
		break;
	}
	snprintf(why, whylen, "%s", w);
	return NULL;
}

static json_t *load(const char *body, size_t len)
{
	return load_why(body, len, NULL, 0);
}

/* Copies s into dst (size n), cut at a UTF-8 boundary, with control
 * characters replaced by spaces so a server's words are safe to log. */
static void copy_printable(char *dst, size_t n, const char *s)
{
	size_t i = 0;
	for (; s[i] && i + 1 < n; i++)
		dst[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? ' ' : s[i];
	/* Do not end inside a multi-byte sequence. */
	while (i > 0 && ((unsigned char)dst[i - 1] & 0x80)) {
		size_t start = i - 1;
		while (start > 0 && ((unsigned char)dst[start] & 0xc0) == 0x80)
			start--;
		if (tg_utf8_valid(dst + start, i - start))
			break;
		i = start;
	}
	dst[i] = '\0';
}

int tg_reply_parse(const char *body, size_t len, struct tg_reply *out)
{
	json_t *root = load(body, len), *v;
	int64_t n;

	memset(out, 0, sizeof *out);
	out->retry_after = -1;
	if (!json_is_object(root) || !json_is_boolean(json_object_get(root, "ok"))) {
		json_decref(root);
		return -1;
	}
	out->ok = json_is_true(json_object_get(root, "ok"));
	if (get_int(root, "error_code", &n) == 0 && n > 0 && n < 1000)
		out->error_code = (long)n;
	const char *d = get_str(root, "description");
	if (d)
		copy_printable(out->description, sizeof out->description, d);
	v = json_object_get(root, "parameters");
	if (json_is_object(v) && get_int(v, "retry_after", &n) == 0 && n >= 0)
		out->retry_after = n > 86400 ? 86400 : (long)n;
	if (json_is_object(v) && get_int(v, "migrate_to_chat_id", &n) == 0 && n != 0)
		out->migrate_to_chat_id = n;
	v = json_object_get(root, "result");
	if (json_is_object(v) && get_int(v, "message_id", &n) == 0 && n > 0)
		out->message_id = n;
	json_decref(root);
	return 0;
}

static int ref_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

int tg_callback_data_parse(const char *data, char **ref, char **value)
{
	const char *colon = strchr(data, ':');
	size_t rl;

	*ref = *value = NULL;
	if (!colon)
		return -1;
	rl = (size_t)(colon - data);
	if (rl == 0 || rl > TG_REF_MAX || !colon[1])
		return -1;
	for (size_t i = 0; i < rl; i++)
		if (!ref_char(data[i]))
			return -1;
	if (!tg_utf8_valid(colon + 1, strlen(colon + 1)))
		return -1;
	for (const char *c = colon + 1; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return -1;
	*ref = strndup(data, rl);
	*value = strdup(colon + 1);
	if (!*ref || !*value) {
		free(*ref);
		free(*value);
		*ref = *value = NULL;
		return -1;
	}
	return 0;
}

/* Fills chat_id and is_private from a Message's "chat".  Returns 0, or
 * -1 when there is no chat with an integer id. */
static int read_chat(const json_t *msg, struct tg_update *u)
{
	const json_t *chat = json_object_get(msg, "chat");
	const char *type;
	if (!json_is_object(chat) || get_int(chat, "id", &u->chat_id) != 0)
		return -1;
	type = get_str(chat, "type");
	u->is_private = type && !strcmp(type, "private");
	return 0;
}

/* The text of the button whose callback_data is data, or NULL. */
static const char *button_label(const json_t *msg, const char *data)
{
	const json_t *kb = json_object_get(json_object_get(msg, "reply_markup"),
					   "inline_keyboard");
	size_t i, j;
	const json_t *row, *button;

	if (!json_is_array(kb))
		return NULL;
	json_array_foreach(kb, i, row) {
		if (!json_is_array(row))
			continue;
		json_array_foreach(row, j, button) {
			const char *cd = get_str(button, "callback_data");
			if (cd && !strcmp(cd, data))
				return get_str(button, "text");
		}
	}
	return NULL;
}

static int dup_into(char **dst, const char *s)
{
	if (!s)
		return 0;
	*dst = strdup(s);
	return *dst ? 0 : -1;
}

/*
 * Message fields that carry something the runner sent, as opposed to a
 * service message (a timer changed, a payment, access granted).  Media
 * without a caption still reaches the coach, as empty text, so the
 * runner is told that only words and numbers are read instead of
 * hearing nothing.
 */
static const char *const media_fields[] = {
	"photo", "sticker", "voice", "video", "video_note", "audio",
	"document", "animation", "location", "venue", "contact", "poll",
	"dice", "story", "paid_media", NULL,
};

/* What the runner wrote in msg: its text, else the caption of its
 * media, else "" for media without one; NULL for a service message. */
static const char *message_words(const json_t *msg)
{
	const char *text = get_str(msg, "text");
	if (!text)
		text = get_str(msg, "caption");
	for (const char *const *f = media_fields; !text && *f; f++)
		if (json_object_get(msg, *f))
			text = "";
	return text;
}

/* Reads a "message" update.  Returns 0 (kind set), -1 out of memory. */
static int read_message(const json_t *msg, struct tg_update *u)
{
	const char *text = message_words(msg);
	const json_t *reply = json_object_get(msg, "reply_to_message");
	int64_t n;

	if (!json_is_object(msg) || read_chat(msg, u) != 0 || !text)
		return 0; /* a service message: confirm and skip */
	if (get_int(msg, "message_id", &n) == 0 && n > 0)
		u->message_id = n;
	if (get_int(msg, "date", &n) == 0 && n > 0)
		u->date = n;
	if (json_is_object(reply) && get_int(reply, "message_id", &n) == 0 && n > 0)
		u->reply_to_id = n;
	if (dup_into(&u->text, text) != 0)
		return -1;
	u->kind = TG_UPDATE_MESSAGE;
	return 0;
}

/*
 * Reads a "callback_query" update.  Every query with an id is at least a
 * stray tap, answered so the client stops its progress bar.  The tap is
 * the runner's when its data is ours: the chat is that of the tapped
 * message, which may be an InaccessibleMessage (date 0, only chat and
 * message_id); without a message (an inline message) the tapper's own
 * private chat, whose id is from.id.  Returns 0 (kind set), -1 out of
 * memory.
 */
static int read_callback(const json_t *cq, struct tg_update *u)
{
	const char *id = get_str(cq, "id"), *data = get_str(cq, "data");
	const json_t *msg = json_object_get(cq, "message");
	const json_t *from = json_object_get(cq, "from");
	int64_t n;

	if (!json_is_object(cq) || !id || !*id)
		return 0;
	if (dup_into(&u->callback_id, id) != 0)
		return -1;
	u->kind = TG_UPDATE_STRAY_TAP;
	if (!data)
		return 0;
	if (json_is_object(msg) && read_chat(msg, u) == 0) {
		if (get_int(msg, "message_id", &n) == 0 && n > 0)
			u->message_id = n;
	} else if (!msg && json_is_object(from) &&
		   get_int(from, "id", &u->chat_id) == 0 && u->chat_id > 0) {
		u->is_private = 1;
	} else {
		return 0;
	}
	if (tg_callback_data_parse(data, &u->ref, &u->text) != 0)
		return 0;
	if (json_is_object(msg)) {
		const json_t *ent = json_object_get(msg, "entities");
		if (dup_into(&u->msg_text, get_str(msg, "text")) != 0 ||
		    dup_into(&u->label, button_label(msg, data)) != 0)
			return -1;
		if (json_is_array(ent)) {
			u->msg_entities = json_dumps(ent, JSON_COMPACT);
			if (!u->msg_entities)
				return -1;
		}
	}
	u->kind = TG_UPDATE_CALLBACK;
	return 0;
}

static void update_clear(struct tg_update *u)
{
	free(u->text);
	free(u->ref);
	free(u->callback_id);
	free(u->msg_text);
	free(u->msg_entities);
	free(u->label);
	memset(u, 0, sizeof *u);
}

void tg_updates_free(struct tg_updates *u)
{
	for (size_t i = 0; i < u->n; i++)
		update_clear(&u->v[i]);
	free(u->v);
	memset(u, 0, sizeof *u);
}

int tg_updates_parse(const char *body, size_t len, struct tg_updates *out,
		     char *err, size_t errlen)
{
	json_t *root, *result, *el;
	size_t i;

	memset(out, 0, sizeof *out);
	root = load_why(body, len, out->why, sizeof out->why);
	if (!root) {
		out->refused = TG_REFUSED_JSON;
		snprintf(err, errlen, "the answer is not valid JSON (%s)", out->why);
		goto fail;
	}
	out->refused = TG_REFUSED_SHAPE;
	if (!json_is_object(root)) {
		snprintf(err, errlen, "the answer is JSON but not an object");
		goto fail;
	}
	if (!json_is_true(json_object_get(root, "ok"))) {
		snprintf(err, errlen, "the answer has no \"ok\": true");
		goto fail;
	}
	result = json_object_get(root, "result");
	if (!json_is_array(result)) {
		snprintf(err, errlen, "the answer has no result list");
		goto fail;
	}
	out->refused = TG_REFUSED_NOMEM;
	out->v = calloc(json_array_size(result) + 1, sizeof *out->v);
	if (!out->v) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	json_array_foreach(result, i, el) {
		struct tg_update *u = &out->v[out->n];
		int64_t id;
		if (!json_is_object(el) || get_int(el, "update_id", &id) != 0 ||
		    id < 0 || id == INT64_MAX) {
			out->skipped++;
			continue;
		}
		u->update_id = id;
		out->n++;
		if (!out->has_next || id + 1 > out->next_offset)
			out->next_offset = id + 1;
		out->has_next = 1;
		int rc = 0;
		if (json_object_get(el, "message"))
			rc = read_message(json_object_get(el, "message"), u);
		else if (json_object_get(el, "callback_query"))
			rc = read_callback(json_object_get(el, "callback_query"), u);
		if (rc != 0) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		if (u->kind == TG_UPDATE_OTHER || u->kind == TG_UPDATE_STRAY_TAP) {
			/* Keep only the ids: half-read fields mean nothing. */
			enum tg_update_kind kind = u->kind;
			char *cb = kind == TG_UPDATE_STRAY_TAP ? u->callback_id : NULL;
			u->callback_id = NULL;
			update_clear(u);
			u->update_id = id;
			u->kind = kind;
			u->callback_id = cb;
		}
	}
	out->refused = TG_REFUSED_NONE;
	json_decref(root);
	return 0;
fail:
	json_decref(root);
	return -1;
}

/* ---- the raw scan ---------------------------------------------------------- */

/* One bit per open container (1: object, 0: array), grown as needed. */
struct scan_stack {
	unsigned char *bits;
	size_t depth, cap; /* cap in bytes */
};

static int stack_push(struct scan_stack *st, int is_object)
{
	if (st->depth / 8 >= st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 64;
		unsigned char *b = realloc(st->bits, cap);
		if (!b)
			return -1;
		memset(b + st->cap, 0, cap - st->cap);
		st->bits = b;
		st->cap = cap;
	}
	if (is_object)
		st->bits[st->depth / 8] |= (unsigned char)(1u << (st->depth % 8));
	else
		st->bits[st->depth / 8] &= (unsigned char)~(1u << (st->depth % 8));
	st->depth++;
	return 0;
}

/* 1 when the innermost open container is an object. */
static int stack_top_is_object(const struct scan_stack *st)
{
	size_t d = st->depth - 1;
	return (st->bits[d / 8] >> (d % 8)) & 1;
}

enum scan_expect {
	EXPECT_VALUE,          /* after ':' or ',' in an array, or at the top */
	EXPECT_VALUE_OR_CLOSE, /* after '[' */
	EXPECT_KEY,            /* after ',' in an object */
	EXPECT_KEY_OR_CLOSE,   /* after '{' */
	EXPECT_COLON,
	EXPECT_NEXT,           /* after a value: ',' or the container's close */
	EXPECT_END,            /* after the top object: only white space */
};

/* Keys the scan cares about, at the depth where they matter. */
enum scan_key { KEY_OTHER = 0, KEY_OK, KEY_RESULT, KEY_UPDATE_ID };

static enum scan_key key_of(const char *k, size_t n, size_t depth)
{
	if (depth == 1 && n == 2 && !memcmp(k, "ok", 2))
		return KEY_OK;
	if (depth == 1 && n == 6 && !memcmp(k, "result", 6))
		return KEY_RESULT;
	if (depth == 3 && n == 9 && !memcmp(k, "update_id", 9))
		return KEY_UPDATE_ID;
	return KEY_OTHER;
}

/* Reads an update_id token: plain digits below INT64_MAX. */
static int scan_id(const char *t, size_t n, int64_t *out)
{
	char buf[24];
	int64_t v;
	if (n == 0 || n > 19)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (t[i] < '0' || t[i] > '9')
			return -1;
	memcpy(buf, t, n);
	buf[n] = '\0';
	if (tg_parse_int64(buf, &v) != 0 || v == INT64_MAX)
		return -1;
	*out = v;
	return 0;
}

int tg_updates_scan(const char *body, size_t len, struct tg_scan *out)
{
	struct scan_stack st = { 0 };
	enum scan_expect want = EXPECT_VALUE;
	enum scan_key key = KEY_OTHER; /* the key whose value comes next */
	int ok_true = 0, seen_ok = 0, seen_result = 0, ids = 0, id_bad = 0;
	int result_open = 0;
	size_t i = 0;
	int rc = -1;

	memset(out, 0, sizeof *out);
	while (i < len) {
		unsigned char c = (unsigned char)body[i];
		const char *tok = body + i;
		size_t tlen;

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			i++;
			continue;
		}
		if (want == EXPECT_END)
			goto out;
		if (want == EXPECT_COLON) {
			if (c != ':')
				goto out;
			want = EXPECT_VALUE;
			i++;
			continue;
		}
		if (want == EXPECT_NEXT) {
			int obj = stack_top_is_object(&st);
			if (c == ',') {
				want = obj ? EXPECT_KEY : EXPECT_VALUE;
				i++;
				continue;
			}
			if (c != (obj ? '}' : ']'))
				goto out;
			goto close;
		}
		if ((want == EXPECT_VALUE_OR_CLOSE && c == ']') ||
		    (want == EXPECT_KEY_OR_CLOSE && c == '}'))
			goto close;
		if (want == EXPECT_KEY || want == EXPECT_KEY_OR_CLOSE) {
			if (c != '"')
				goto out;
		}

		/* A token: its extent first, whatever it holds. */
		if (c == '"') {
			size_t j = i + 1;
			while (j < len && body[j] != '"')
				j += body[j] == '\\' ? 2 : 1;
			if (j >= len)
				goto out; /* cut inside a string */
			tok = body + i + 1;
			tlen = j - i - 1;
			i = j + 1;
			if (want == EXPECT_KEY || want == EXPECT_KEY_OR_CLOSE) {
				key = key_of(tok, tlen, st.depth);
				if ((key == KEY_OK && seen_ok++) ||
				    (key == KEY_RESULT && seen_result++))
					goto out; /* which one would count? */
				want = EXPECT_COLON;
				continue;
			}
		} else if (c == '{' || c == '[') {
			tlen = 1;
		} else if (c == '-' || (c >= '0' && c <= '9')) {
			size_t j = i;
			while (j < len && (body[j] == '-' || body[j] == '+' ||
					   body[j] == '.' || body[j] == 'e' ||
					   body[j] == 'E' ||
					   (body[j] >= '0' && body[j] <= '9')))
				j++;
			tlen = j - i;
			i = j;
		} else {
			static const char *const lit[] = { "true", "false", "null" };
			size_t k = 0;
			for (; k < 3; k++)
				if (len - i >= strlen(lit[k]) &&
				    !memcmp(body + i, lit[k], strlen(lit[k])))
					break;
			if (k == 3)
				goto out;
			tlen = strlen(lit[k]);
			i += tlen;
			if (i < len && ((body[i] >= 'a' && body[i] <= 'z') ||
					(body[i] >= '0' && body[i] <= '9')))
				goto out;
		}

		/* A value begins: what it means where it stands. */
		if (st.depth == 0 && c != '{')
			goto out; /* the answer is an object */
		if (st.depth == 1 && key == KEY_OK)
			ok_true = c == 't'; /* the literal true, not "true" */
		if (st.depth == 1 && key == KEY_RESULT) {
			if (c != '[')
				goto out;
			result_open = 1;
		}
		if (st.depth == 2 && result_open)
			out->n_results++;
		if (st.depth == 3 && result_open && out->n_results == 1 &&
		    key == KEY_UPDATE_ID && stack_top_is_object(&st)) {
			ids++;
			if (c == '"' || scan_id(tok, tlen, &out->first_id) != 0)
				id_bad = 1;
		}
		key = KEY_OTHER;
		if (c == '{' || c == '[') {
			if (stack_push(&st, c == '{') != 0)
				goto out;
			want = c == '{' ? EXPECT_KEY_OR_CLOSE : EXPECT_VALUE_OR_CLOSE;
			i++;
		} else {
			want = EXPECT_NEXT;
		}
		continue;
close:
		if (st.depth == 2 && result_open)
			result_open = 0;
		st.depth--;
		want = st.depth ? EXPECT_NEXT : EXPECT_END;
		key = KEY_OTHER;
		i++;
	}
	if (want != EXPECT_END || !ok_true || !seen_result)
		goto out;
	out->has_id = ids == 1 && !id_bad;
	if (!out->has_id)
		out->first_id = 0;
	rc = 0;
out:
	free(st.bits);
	if (rc != 0)
		memset(out, 0, sizeof *out);
	return rc;
}

/* ---- request bodies -------------------------------------------------------- */

/* Serialises and frees obj; NULL when obj is NULL. */
static char *dump(json_t *obj)
{
	char *s = obj ? json_dumps(obj, JSON_COMPACT) : NULL;
	json_decref(obj);
	return s;
}

/* Sets key to a new value; on failure frees obj and returns NULL so the
 * builders can chain. */
static json_t *put(json_t *obj, const char *key, json_t *value)
{
	if (!obj || !value || json_object_set_new(obj, key, value) != 0) {
		json_decref(obj);
		json_decref(value);
		return NULL;
	}
	return obj;
}

char *tg_build_get_updates(int64_t offset, int has_offset, int timeout,
			   int limit)
{
	json_t *o = json_object();
	json_t *allowed = json_pack("[ss]", "message", "callback_query");
	if (has_offset)
		o = put(o, "offset", json_integer((json_int_t)offset));
	if (limit)
		o = put(o, "limit", json_integer(limit));
	o = put(o, "timeout", json_integer(timeout));
	o = put(o, "allowed_updates", allowed);
	return dump(o);
}

/* Characters (not bytes) of a UTF-8 label. */
static size_t label_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/*
 * The inline keyboard for choices, or NULL when out of memory: per_row
 * buttons a row, except that a label too wide to share a row on a phone
 * (more than TG_WIDE_LABEL characters, e.g. the morning's "Pain at rest
 * or at night" after 0-10) gets a row of its own rather than being cut
 * to "Pain at r…".
 */
static json_t *keyboard(const char *ref, const struct rehabd_choice *choices,
			size_t n_choices, size_t per_row, size_t *dropped)
{
	json_t *rows = json_array(), *row = NULL;
	char data[TG_CALLBACK_DATA_MAX * 2];
	bool row_full = false;

	if (!rows)
		return NULL;
	for (size_t i = 0; i < n_choices; i++) {
		const struct rehabd_choice *c = &choices[i];
		int n = snprintf(data, sizeof data, "%s:%s", ref, c->value ? c->value : "");
		json_t *b;
		if (!c->label || !c->value || !*c->value || n < 0 ||
		    n > TG_CALLBACK_DATA_MAX) {
			(*dropped)++;
			continue;
		}
		b = json_pack("{s:s,s:s}", "text", c->label, "callback_data", data);
		if (!b) { /* invalid UTF-8 */
			(*dropped)++;
			continue;
		}
		bool wide = per_row != 1 && label_chars(c->label) > TG_WIDE_LABEL;
		if (!row || row_full || (wide && json_array_size(row) > 0) ||
		    (per_row && json_array_size(row) == per_row)) {
			row = json_array();
			if (!row || json_array_append_new(rows, row) != 0) {
				json_decref(b);
				goto fail;
			}
		}
		if (json_array_append_new(row, b) != 0)
			goto fail;
		row_full = wide;
	}
	return json_pack("{s:o}", "inline_keyboard", rows);
fail:
	json_decref(rows);
	return NULL;
}

char *tg_build_send(int64_t chat_id, const char *text, int html, const char *ref,
		    const struct rehabd_choice *choices, size_t n_choices,
		    size_t per_row, size_t *dropped)
{
	size_t scratch = 0;
	json_t *o = json_object();

	if (!dropped)
		dropped = &scratch;
	*dropped = 0;
	o = put(o, "chat_id", json_integer((json_int_t)chat_id));
	o = put(o, "text", json_string(text));
	if (html)
		o = put(o, "parse_mode", json_string("HTML"));
	o = put(o, "link_preview_options", json_pack("{s:b}", "is_disabled", 1));
	if (choices && n_choices && ref) {
		json_t *kb = keyboard(ref, choices, n_choices, per_row, dropped);
		if (!kb) {
			json_decref(o);
			return NULL;
		}
		if (json_array_size(json_object_get(kb, "inline_keyboard")) > 0)
			o = put(o, "reply_markup", kb);
		else
			json_decref(kb);
	}
	return dump(o);
}

char *tg_build_answer(const char *callback_id, const char *text)
{
	json_t *o = put(json_object(), "callback_query_id", json_string(callback_id));
	if (text && *text) {
		/* Cut at a code point boundary within 200 UTF-16 units. */
		const char *s = text;
		size_t units = 0, end = 0, len = strlen(text);
		while (end < len) {
			size_t n = 1;
			while (end + n < len && ((unsigned char)s[end + n] & 0xc0) == 0x80)
				n++;
			size_t u = tg_utf16_len(s + end, n);
			if (units + u > TG_ANSWER_MAX)
				break;
			units += u;
			end += n;
		}
		o = put(o, "text", json_stringn(text, end));
	}
	return dump(o);
}

char *tg_build_remove_keyboard(int64_t chat_id, int64_t message_id)
{
	json_t *o = json_object();
	o = put(o, "chat_id", json_integer((json_int_t)chat_id));
	o = put(o, "message_id", json_integer((json_int_t)message_id));
	o = put(o, "reply_markup", json_pack("{s:[]}", "inline_keyboard"));
	return dump(o);
}

char *tg_build_edit_text(int64_t chat_id, int64_t message_id,
			 const char *text, const char *entities_json)
{
	json_t *o = json_object();
	o = put(o, "chat_id", json_integer((json_int_t)chat_id));
	o = put(o, "message_id", json_integer((json_int_t)message_id));
	o = put(o, "text", json_string(text));
	if (entities_json) {
		json_error_t jerr;
		json_t *ent = json_loads(entities_json, 0, &jerr);
		if (json_is_array(ent))
			o = put(o, "entities", ent);
		else
			json_decref(ent);
	}
	o = put(o, "reply_markup", json_pack("{s:[]}", "inline_keyboard"));
	return dump(o);
}

char *tg_build_commands(void)
{
	return dump(json_pack(
		"{s:[{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s},"
		"{s:s,s:s},{s:s,s:s}]}",
		"commands",
		"command", "start", "description", "Start: what this coach does",
		"command", "help", "description", "What you can reply",
		"command", "plan", "description", "Today's and tomorrow's plan",
		"command", "status", "description", "Stage, recent scores and trend",
		"command", "how", "description", "How to do today's exercises",
		"command", "pause", "description", "Pause reminders (/pause 3 = three days)",
		"command", "resume", "description", "Resume reminders",
		"command", "cleared", "description",
		"A doctor or physio has checked pain at rest or at night"));
}
