/*
 * libFuzzer target for the Telegram plugin's reading of server
 * responses: arbitrary bytes as the HTTP body of a getUpdates response,
 * and the same bytes as the envelope of any Bot API reply (an error
 * body, a sendMessage result).  Besides crashes, leaks and undefined
 * behaviour (ASan+UBSan), it aborts when a result breaks the contract of
 * tg_json.h:
 *   - tg_reply_parse: fields at their "absent" values on -1; otherwise
 *     error_code 0 or 1..999, retry_after -1 or 0..86400, message_id >= 0,
 *     description NUL-terminated, printable and valid UTF-8;
 *   - tg_updates_parse: every element of "result" is either an update or
 *     counted in skipped, in order, with the update_ids jansson itself
 *     reads (0 <= id < INT64_MAX); next_offset is the highest id + 1;
 *     an OTHER update keeps only its id; a STRAY_TAP only its id and a
 *     non-empty callback id; a MESSAGE has text and nothing
 *     of a callback; a CALLBACK has a valid REF, a VALUE that is valid
 *     UTF-8 without control characters, a non-empty callback id, and
 *     msg_entities (when present) is a JSON array;
 *   - the same body read twice gives the same result;
 *   - the request bodies built from what was read (answerCallbackQuery,
 *     editMessageText with the entities) are produced: what the parser
 *     hands over is always usable by the builders.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tg_json.h"
#include "tg_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts with the reason visible in the debugger / crash log. */
static void check(int ok)
{
	if (!ok)
		abort();
}

/* 1 when s is NULL or valid UTF-8 (tg_utf8_valid also refuses NUL). */
static int opt_utf8(const char *s)
{
	return !s || tg_utf8_valid(s, strlen(s));
}

static int no_controls(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

static int str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* The envelope reader: every outcome within the ranges it promises. */
static void check_reply(const char *body, size_t len)
{
	struct tg_reply r;
	int rc;

	memset(&r, 0xA5, sizeof r); /* nothing may be left unset */
	rc = tg_reply_parse(body, len, &r);
	check(rc == 0 || rc == -1);
	if (rc == -1) {
		check(!r.ok && r.error_code == 0 && r.description[0] == '\0' &&
		      r.retry_after == -1 && r.message_id == 0 &&
		      r.migrate_to_chat_id == 0);
		return;
	}
	check(r.ok == 0 || r.ok == 1);
	check(r.error_code >= 0 && r.error_code < 1000);
	check(r.retry_after >= -1 && r.retry_after <= 86400);
	check(r.message_id >= 0);
	check(memchr(r.description, '\0', sizeof r.description) != NULL);
	check(no_controls(r.description));
	check(opt_utf8(r.description));
}

/* One update against the promises for its kind. */
static void check_update(const struct tg_update *u)
{
	check(u->update_id >= 0 && u->update_id < INT64_MAX);
	check(u->kind == TG_UPDATE_OTHER || u->kind == TG_UPDATE_MESSAGE ||
	      u->kind == TG_UPDATE_CALLBACK || u->kind == TG_UPDATE_STRAY_TAP);
	check(u->is_private == 0 || u->is_private == 1);
	check(u->message_id >= 0 && u->reply_to_id >= 0 && u->date >= 0);
	switch (u->kind) {
	case TG_UPDATE_OTHER:
		check(!u->text && !u->ref && !u->callback_id && !u->msg_text &&
		      !u->msg_entities && !u->label);
		check(!u->chat_id && !u->is_private && !u->message_id &&
		      !u->reply_to_id && !u->date);
		break;
	case TG_UPDATE_STRAY_TAP:
		check(u->callback_id && u->callback_id[0] &&
		      opt_utf8(u->callback_id));
		check(!u->text && !u->ref && !u->msg_text && !u->msg_entities &&
		      !u->label);
		check(!u->chat_id && !u->is_private && !u->message_id &&
		      !u->reply_to_id && !u->date);
		break;
	case TG_UPDATE_MESSAGE:
		check(u->text && opt_utf8(u->text));
		check(!u->ref && !u->callback_id && !u->msg_text &&
		      !u->msg_entities && !u->label);
		break;
	case TG_UPDATE_CALLBACK: {
		size_t rl;
		check(u->text && u->ref && u->callback_id && u->callback_id[0]);
		check(u->text[0] && opt_utf8(u->text) && no_controls(u->text));
		rl = strlen(u->ref);
		check(rl >= 1 && rl <= TG_REF_MAX);
		check(strspn(u->ref, "abcdefghijklmnopqrstuvwxyz"
				     "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == rl);
		check(opt_utf8(u->callback_id) && opt_utf8(u->msg_text) &&
		      opt_utf8(u->label));
		if (u->msg_entities) {
			json_error_t jerr;
			json_t *e = json_loads(u->msg_entities, JSON_ALLOW_NUL,
					       &jerr);
			check(json_is_array(e));
			json_decref(e);
		}
		break;
	}
	}
}

/* The builders accept what the parser handed over (NULL only when out
 * of memory, which the fuzzer's small inputs never reach). */
static void check_builders(const struct tg_update *u)
{
	char *s;

	if (u->kind == TG_UPDATE_STRAY_TAP) {
		s = tg_build_answer(u->callback_id, NULL);
		check(s != NULL);
		free(s);
	}
	if (u->kind != TG_UPDATE_CALLBACK)
		return;
	s = tg_build_answer(u->callback_id, u->text);
	check(s != NULL);
	free(s);
	if (u->msg_text) {
		s = tg_build_edit_text(u->chat_id, u->message_id, u->msg_text,
				       u->msg_entities);
		check(s != NULL);
		free(s);
	}
}

/* Compares two readings of the same body field by field. */
static void check_same(const struct tg_updates *a, const struct tg_updates *b)
{
	check(a->n == b->n && a->skipped == b->skipped &&
	      a->has_next == b->has_next && a->next_offset == b->next_offset);
	for (size_t i = 0; i < a->n; i++) {
		const struct tg_update *x = &a->v[i], *y = &b->v[i];
		check(x->update_id == y->update_id && x->kind == y->kind &&
		      x->chat_id == y->chat_id && x->is_private == y->is_private &&
		      x->message_id == y->message_id &&
		      x->reply_to_id == y->reply_to_id && x->date == y->date);
		check(str_eq(x->text, y->text) && str_eq(x->ref, y->ref) &&
		      str_eq(x->callback_id, y->callback_id) &&
		      str_eq(x->msg_text, y->msg_text) &&
		      str_eq(x->msg_entities, y->msg_entities) &&
		      str_eq(x->label, y->label));
	}
}

/*
 * The list as a whole, against jansson's own reading of the body: which
 * elements carry a usable update_id, in what order, and the offset to
 * confirm them.  rc is what tg_updates_parse returned.
 */
static void check_list(const char *body, size_t len, int rc,
		       const struct tg_updates *u)
{
	json_error_t jerr;
	json_t *root = json_loadb(body, len, JSON_ALLOW_NUL, &jerr);
	json_t *result = json_object_get(root, "result"), *el;
	int expect_ok = json_is_object(root) &&
			json_is_true(json_object_get(root, "ok")) &&
			json_is_array(result);
	size_t i, k = 0, skipped = 0;
	int64_t max = -1;

	check(rc == (expect_ok ? 0 : -1));
	if (rc != 0) {
		json_decref(root);
		return;
	}
	json_array_foreach(result, i, el) {
		json_t *id = json_object_get(el, "update_id");
		int64_t v;
		if (!json_is_object(el) || !json_is_integer(id)) {
			skipped++;
			continue;
		}
		v = (int64_t)json_integer_value(id);
		if (v < 0 || v == INT64_MAX) {
			skipped++;
			continue;
		}
		check(k < u->n && u->v[k].update_id == v);
		if (v > max)
			max = v;
		k++;
	}
	check(k == u->n && skipped == u->skipped);
	check(u->has_next == (u->n > 0));
	check(u->has_next ? u->next_offset == max + 1 : u->next_offset == 0);
	json_decref(root);
}

static void check_updates(const char *body, size_t len)
{
	struct tg_updates a, b;
	char err[128], err2[128];
	int rc, rc2;

	memset(err, 0xA5, sizeof err);
	rc = tg_updates_parse(body, len, &a, err, sizeof err);
	check(rc == 0 || rc == -1);
	if (rc == -1)
		check(memchr(err, '\0', sizeof err) != NULL && err[0] != '\0');
	check_list(body, len, rc, &a);
	if (rc == 0) {
		for (size_t i = 0; i < a.n; i++) {
			check_update(&a.v[i]);
			check_builders(&a.v[i]);
		}
	}

	/* Same body, same reading: nothing kept between calls. */
	rc2 = tg_updates_parse(body, len, &b, err2, sizeof err2);
	check(rc2 == rc);
	if (rc == 0)
		check_same(&a, &b);
	else
		check(!strcmp(err, err2));
	tg_updates_free(&a);
	tg_updates_free(&b);
	check(a.v == NULL && a.n == 0);
}

/* The callback data splitter on its own, with the same bytes as data:
 * on success REF:VALUE joins back to the input. */
static void check_callback_data(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *ref, *value;

	if (!s)
		return;
	memcpy(s, data, size);
	s[size] = '\0';
	if (tg_callback_data_parse(s, &ref, &value) == 0) {
		size_t rl = strlen(ref);
		check(ref && value && rl >= 1 && rl <= TG_REF_MAX && value[0]);
		check(!strncmp(s, ref, rl) && s[rl] == ':' &&
		      !strcmp(s + rl + 1, value));
		check(opt_utf8(value) && no_controls(value));
		free(ref);
		free(value);
	} else {
		check(ref == NULL && value == NULL);
	}
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size heap copy, so that ASan sees any read past the end
	 * (the body from libcurl is not NUL-terminated). */
	char *body = malloc(size ? size : 1);

	if (!body)
		return 0;
	memcpy(body, data, size);
	check_reply(body, size);
	check_updates(body, size);
	free(body);
	check_callback_data(data, size);
	return 0;
}
