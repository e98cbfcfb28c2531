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

static json_t *load(const char *body, size_t len)
{
	json_error_t jerr;
	/* NUL bytes inside strings are allowed by the grammar; get_str
	 * refuses such strings one field at a time instead of the body. */
	return json_loadb(body, len, JSON_ALLOW_NUL, &jerr);
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
	json_t *root = load(body, len), *result, *el;
	size_t i;

	memset(out, 0, sizeof *out);
	if (!json_is_object(root)) {
		snprintf(err, errlen, "the response is not JSON");
		goto fail;
	}
	if (!json_is_true(json_object_get(root, "ok"))) {
		snprintf(err, errlen, "the response is not ok");
		goto fail;
	}
	result = json_object_get(root, "result");
	if (!json_is_array(result)) {
		snprintf(err, errlen, "the response has no result list");
		goto fail;
	}
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
	json_decref(root);
	return 0;
fail:
	json_decref(root);
	return -1;
}

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

char *tg_build_get_updates(int64_t offset, int has_offset, int timeout)
{
	json_t *o = json_object();
	json_t *allowed = json_pack("[ss]", "message", "callback_query");
	if (has_offset)
		o = put(o, "offset", json_integer((json_int_t)offset));
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
