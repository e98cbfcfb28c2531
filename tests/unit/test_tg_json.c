/*
 * The telegram plugin's JSON handling (plugins/telegram/tg_json.c) on
 * recorded and hostile Bot API payloads (tests/data/telegram/): wrong
 * types, huge numbers, missing fields, invalid UTF-8, deep nesting,
 * 64-bit ids; and the request bodies it builds.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "tg_json.h"
#include "tg_text.h"

#define DATA_DIR TEST_SOURCE_DIR "/tests/data/telegram/"

/* Reads a data file; the caller frees it. */
static char *slurp(const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof path, DATA_DIR "%s", name);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* One line per update: "M<id>:<chat>:<private>:<msg>:<reply_to>:<text>",
 * "C<id>:<chat>:<private>:<msg>:<ref>=<value>:<label|->:<has text>:
 * <has entities>", "A<id>:<callback id>" (a stray tap, only answered)
 * or "O<id>", joined by " | ". */
static void summarise(const struct tg_updates *u, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < u->n; i++) {
		const struct tg_update *x = &u->v[i];
		const char *sep = i ? " | " : "";
		if (x->kind == TG_UPDATE_MESSAGE)
			used += (size_t)snprintf(buf + used, len - used,
				"%sM%" PRId64 ":%" PRId64 ":%d:%" PRId64 ":%" PRId64 ":%s",
				sep, x->update_id, x->chat_id, x->is_private,
				x->message_id, x->reply_to_id, x->text);
		else if (x->kind == TG_UPDATE_CALLBACK)
			used += (size_t)snprintf(buf + used, len - used,
				"%sC%" PRId64 ":%" PRId64 ":%d:%" PRId64 ":%s=%s:%s:%d:%d",
				sep, x->update_id, x->chat_id, x->is_private,
				x->message_id, x->ref, x->text,
				x->label ? x->label : "-", x->msg_text != NULL,
				x->msg_entities != NULL);
		else if (x->kind == TG_UPDATE_STRAY_TAP)
			used += (size_t)snprintf(buf + used, len - used,
						 "%sA%" PRId64 ":%s", sep,
						 x->update_id, x->callback_id);
		else
			used += (size_t)snprintf(buf + used, len - used,
						 "%sO%" PRId64, sep, x->update_id);
		assert_true(used < len);
	}
}

/* Columns: file, parses?, skipped elements, next offset (0: none), the
 * updates as summarise() writes them. */
static const struct {
	const char *file;
	int ok;
	size_t skipped;
	int64_t next;
	const char *updates;
} update_rows[] = {
	{ "private_text.json", 1, 0, 306197399,
	  "M306197398:408258968:1:154:0:pain 3/10" },
	{ "callback_tap.json", 1, 0, 306197400,
	  "C306197399:408258968:1:155:42=6:6:1:1" },
	{ "reminder_done.json", 1, 0, 901,
	  "C900:5000000001:1:9:7=done:Done \xe2\x9c\x93:1:0" },
	{ "group_message.json", 1, 0, 11, "M10:-1001234567890:0:3:0:5" },
	{ "reply_to_bot.json", 1, 0, 12, "M11:5000000001:1:160:158:2" },
	{ "big_ids.json", 1, 0, 4000000003,
	  "M4000000000:5000000001:1:2147483648:0:6 | "
	  "M4000000001:7000000002:1:1:0:7 | "
	  "M4000000002:-1001234567890:0:1:0:x" },
	{ "mixed_batch.json", 1, 7, 30,
	  "M20:1:1:1:0:/plan | O21 | M22:1:1:2:0: | O23 | A24:q | O28 | M29:1:1:4:0:done" },
	{ "wrong_types.json", 1, 0, 46,
	  "O30 | O31 | O32 | O33 | O34 | M35:408258968:0:0:0:odd fields | "
	  "O36 | A37:q | A38:q | C39:408258968:1:0:9=3:-:0:0 | "
	  "C40:408258968:1:77:9=4:-:0:0 | A41:q | A42:q | A43:q | A44:q | O45" },
	{ "nested_garbage.json", 1, 0, 63,
	  "O60 | M61:1:1:1:0:still fine | C62:1:1:5:1=1:-:1:0" },
	{ "empty.json", 1, 0, 0, "" },
	{ "huge_2p63.json", 0, 0, 0, "" },
	{ "huge_1e400.json", 0, 0, 0, "" },
	{ "invalid_utf8.json", 0, 0, 0, "" },
	{ "lone_surrogate.json", 0, 0, 0, "" },
	{ "truncated.json", 0, 0, 0, "" },
	{ "result_object.json", 0, 0, 0, "" },
	{ "top_array.json", 0, 0, 0, "" },
	{ "html_502.txt", 0, 0, 0, "" },
	{ "error_401.json", 0, 0, 0, "" },
	{ "ok_as_string.json", 0, 0, 0, "" },
};

/* Shapes a Bot API server may send that are not in the recorded files.
 * Columns: the elements of "result", the updates as summarise() writes
 * them, next offset. */
#define MSG(id, chat, type, rest) \
	"{\"update_id\":" #id ",\"message\":{\"message_id\":" #id \
	",\"chat\":{\"id\":" #chat ",\"type\":\"" type "\"},\"date\":1" rest "}}"
#define TAP(id, rest) \
	"{\"update_id\":" #id ",\"callback_query\":{\"id\":\"c" #id \
	"\",\"from\":{\"id\":408258968,\"is_bot\":false,\"first_name\":\"A\"}," \
	"\"chat_instance\":\"-1\"" rest "}}"
static const struct {
	const char *result, *updates;
	int64_t next;
} shape_rows[] = {
	/* Update types we did not ask for: skipped, still confirmed. */
	{ "{\"update_id\":7,\"edited_message\":{\"message_id\":1,\"chat\":{\"id\":1,\"type\":\"private\"},\"date\":1,\"text\":\"5\"}},"
	  "{\"update_id\":8,\"channel_post\":{\"message_id\":1,\"chat\":{\"id\":-1001,\"type\":\"channel\"},\"date\":1,\"text\":\"5\"}},"
	  "{\"update_id\":9,\"message_reaction\":{\"chat\":{\"id\":1,\"type\":\"private\"},\"message_id\":1,\"date\":1,\"old_reaction\":[],\"new_reaction\":[]}},"
	  "{\"update_id\":10,\"my_chat_member\":{\"chat\":{\"id\":1,\"type\":\"private\"},\"from\":{\"id\":1},\"date\":1}}",
	  "O7 | O8 | O9 | O10", 11 },
	/* Media: the caption is what the runner wrote; without one the
	 * coach hears empty text; a service message is skipped. */
	{ MSG(20, 408258968, "private", ",\"photo\":[{\"file_id\":\"x\",\"width\":1,\"height\":1}],\"caption\":\"pain 4\"") ","
	  MSG(21, 408258968, "private", ",\"sticker\":{\"file_id\":\"x\"}") ","
	  MSG(22, 408258968, "private", ",\"voice\":{\"file_id\":\"x\",\"duration\":2}") ","
	  MSG(23, 408258968, "private", ",\"location\":{\"latitude\":52.5,\"longitude\":13.4}") ","
	  MSG(24, 408258968, "private", ",\"message_auto_delete_timer_changed\":{\"message_auto_delete_time\":86400}") ","
	  MSG(25, 408258968, "private", ",\"document\":{\"file_id\":\"x\"},\"caption\":7"),
	  "M20:408258968:1:20:0:pain 4 | M21:408258968:1:21:0: | "
	  "M22:408258968:1:22:0: | M23:408258968:1:23:0: | O24 | M25:408258968:1:25:0:", 26 },
	/* Groups, supergroups, channels; "from" missing; ids at 2^53. */
	{ MSG(30, -100123, "group", ",\"text\":\"3\"") ","
	  MSG(31, -1009007199254740991, "supergroup", ",\"text\":\"3\",\"sender_chat\":{\"id\":-1009007199254740991,\"type\":\"supergroup\"}") ","
	  MSG(32, 9007199254740993, "private", ",\"text\":\"2\"") ","
	  "{\"update_id\":9007199254740993,\"message\":{\"message_id\":9007199254740992,\"chat\":{\"id\":408258968,\"type\":\"private\"},\"date\":1,\"text\":\"1\",\"unknown_future_field\":{\"a\":[1,2]}}}",
	  "M30:-100123:0:30:0:3 | M31:-1009007199254740991:0:31:0:3 | "
	  "M32:9007199254740993:1:32:0:2 | M9007199254740993:408258968:1:9007199254740992:0:1",
	  9007199254740994 },
	/* Out of order and with gaps: the offset is the highest + 1. */
	{ MSG(105, 1, "private", ",\"text\":\"a\"") "," MSG(101, 1, "private", ",\"text\":\"b\"") ","
	  MSG(110, 1, "private", ",\"text\":\"c\""),
	  "M105:1:1:105:0:a | M101:1:1:101:0:b | M110:1:1:110:0:c", 111 },
	/* Taps: on an InaccessibleMessage (date 0); on an inline message
	 * (no message): the tapper's own chat; data that is not ours; no
	 * data (a game); a message in a group. */
	{ TAP(40, ",\"message\":{\"chat\":{\"id\":408258968,\"type\":\"private\"},\"message_id\":77,\"date\":0},\"data\":\"42:6\"") ","
	  TAP(41, ",\"inline_message_id\":\"AAAB\",\"data\":\"42:done\"") ","
	  TAP(42, ",\"message\":{\"chat\":{\"id\":408258968,\"type\":\"private\"},\"message_id\":78,\"date\":5,\"text\":\"x\"},\"data\":\"someone else's data\"") ","
	  TAP(43, ",\"inline_message_id\":\"AAAB\",\"game_short_name\":\"g\"") ","
	  TAP(44, ",\"message\":{\"chat\":{\"id\":-100123,\"type\":\"supergroup\"},\"message_id\":3,\"date\":5,\"text\":\"x\"},\"data\":\"42:1\"") ","
	  TAP(45, ",\"message\":null,\"data\":\"42:1\""),
	  "C40:408258968:1:77:42=6:-:0:0 | C41:408258968:1:0:42=done:-:0:0 | "
	  "A42:c42 | A43:c43 | C44:-100123:0:3:42=1:-:1:0 | A45:c45", 46 },
};

static void test_update_shapes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof shape_rows / sizeof shape_rows[0]; i++) {
		char body[8192], err[64] = "", got[2048];
		struct tg_updates u;
		/* Extra fields in the envelope are ignored, too. */
		snprintf(body, sizeof body,
			 "{\"ok\":true,\"result\":[%s],\"description\":\"x\",\"later\":1}",
			 shape_rows[i].result);
		print_message("row %zu\n", i);
		assert_int_equal(tg_updates_parse(body, strlen(body), &u, err, sizeof err), 0);
		summarise(&u, got, sizeof got);
		assert_string_equal(got, shape_rows[i].updates);
		assert_int_equal(u.skipped, 0);
		assert_true(u.next_offset == shape_rows[i].next);
		tg_updates_free(&u);
	}
}

static void test_updates(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof update_rows / sizeof update_rows[0]; i++) {
		size_t len;
		char *body = slurp(update_rows[i].file, &len);
		struct tg_updates u;
		char err[64] = "", got[2048];
		int rc = tg_updates_parse(body, len, &u, err, sizeof err);

		print_message("%s\n", update_rows[i].file);
		assert_int_equal(rc == 0, update_rows[i].ok);
		if (rc != 0) {
			assert_true(err[0] != '\0');
		} else {
			summarise(&u, got, sizeof got);
			assert_string_equal(got, update_rows[i].updates);
			assert_int_equal(u.skipped, update_rows[i].skipped);
			assert_int_equal(u.has_next, update_rows[i].next != 0);
			if (u.has_next)
				assert_true(u.next_offset == update_rows[i].next);
		}
		tg_updates_free(&u);
		free(body);
	}
}

/* Nesting far beyond any real update must be refused, not recursed. */
static void test_deep_nesting(void **state)
{
	const size_t depth = 100000;
	const char *head = "{\"ok\":true,\"result\":[{\"update_id\":1,\"message\":";
	size_t hl = strlen(head);
	char *body = malloc(hl + 2 * depth + 8);
	struct tg_updates u;
	char err[64];
	(void)state;

	assert_non_null(body);
	memcpy(body, head, hl);
	memset(body + hl, '[', depth);
	memset(body + hl + depth, ']', depth);
	memcpy(body + hl + 2 * depth, "}]}", 4);
	assert_int_equal(tg_updates_parse(body, strlen(body), &u, err, sizeof err), -1);
	tg_updates_free(&u);
	free(body);
}

/* Columns: file, parses?, ok, error_code, description, retry_after,
 * message_id. */
static const struct {
	const char *file;
	int parses;
	int ok;
	long code;
	const char *description;
	long retry_after;
	int64_t message_id;
} reply_rows[] = {
	{ "error_401.json", 1, 0, 401, "Unauthorized", -1, 0 },
	{ "error_429.json", 1, 0, 429, "Too Many Requests: retry after 34", 34, 0 },
	{ "error_403.json", 1, 0, 403, "Forbidden: bot was blocked by the user", -1, 0 },
	{ "error_400_not_modified.json", 1, 0, 400,
	  "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
	  -1, 0 },
	{ "error_wrong_types.json", 1, 0, 0, "", -1, 0 },
	{ "error_hostile.json", 1, 0, 429, "", 86400, 0 },
	{ "sent_message.json", 1, 1, 0, "", -1, 5000000001LL },
	{ "private_text.json", 1, 1, 0, "", -1, 0 },
	{ "html_502.txt", 0, 0, 0, "", -1, 0 },
	{ "truncated.json", 0, 0, 0, "", -1, 0 },
	{ "top_array.json", 0, 0, 0, "", -1, 0 },
	{ "ok_as_string.json", 0, 0, 0, "", -1, 0 },
	{ "invalid_utf8.json", 0, 0, 0, "", -1, 0 },
};

static void test_replies(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof reply_rows / sizeof reply_rows[0]; i++) {
		size_t len;
		char *body = slurp(reply_rows[i].file, &len);
		struct tg_reply r;
		int rc = tg_reply_parse(body, len, &r);

		print_message("%s\n", reply_rows[i].file);
		assert_int_equal(rc == 0, reply_rows[i].parses);
		if (rc == 0) {
			assert_int_equal(r.ok, reply_rows[i].ok);
			assert_int_equal(r.error_code, reply_rows[i].code);
			assert_string_equal(r.description, reply_rows[i].description);
			assert_int_equal(r.retry_after, reply_rows[i].retry_after);
			assert_true(r.message_id == reply_rows[i].message_id);
		}
		free(body);
	}
}

/* parameters.migrate_to_chat_id, and extra fields, in an error. */
static void test_reply_migrate(void **state)
{
	const char *body = "{\"ok\":false,\"error_code\":400,\"description\":"
		"\"Bad Request: group chat was upgraded to a supergroup chat\","
		"\"parameters\":{\"migrate_to_chat_id\":-1009007199254740991,\"x\":1},\"y\":[]}";
	struct tg_reply r;
	(void)state;

	assert_int_equal(tg_reply_parse(body, strlen(body), &r), 0);
	assert_int_equal(r.error_code, 400);
	assert_true(r.migrate_to_chat_id == -1009007199254740991LL);
	assert_int_equal(r.retry_after, -1);
}

/* A description longer than the buffer is cut at a UTF-8 boundary. */
static void test_reply_description_cut(void **state)
{
	char body[1200];
	struct tg_reply r;
	size_t n = 0;
	(void)state;

	n += (size_t)snprintf(body, sizeof body, "{\"ok\":false,\"error_code\":400,\"description\":\"");
	for (int i = 0; i < 300; i++)
		n += (size_t)snprintf(body + n, sizeof body - n, "\xc3\xa4");
	snprintf(body + n, sizeof body - n, "\"}");
	assert_int_equal(tg_reply_parse(body, strlen(body), &r), 0);
	assert_true(strlen(r.description) < sizeof r.description);
	assert_true(strlen(r.description) > 150);
	assert_true(tg_utf8_valid(r.description, strlen(r.description)));
}

/* Columns: callback data, parses?, ref, value. */
static const struct {
	const char *data;
	int ok;
	const char *ref, *value;
} data_rows[] = {
	{ "42:6", 1, "42", "6" },
	{ "7:snooze", 1, "7", "snooze" },
	{ "a_b-C:done", 1, "a_b-C", "done" },
	{ "1:2:3", 1, "1", "2:3" },
	{ "12345678901234567890123456789012:1", 1,
	  "12345678901234567890123456789012", "1" },
	{ "123456789012345678901234567890123:1", 0, NULL, NULL },
	{ "::", 0, NULL, NULL },
	{ ":x", 0, NULL, NULL },
	{ "x:", 0, NULL, NULL },
	{ "x", 0, NULL, NULL },
	{ "", 0, NULL, NULL },
	{ "a b:1", 0, NULL, NULL },
	{ "1:\x01", 0, NULL, NULL },
	{ "1:\xff", 0, NULL, NULL },
	{ "1:\xc3\xa4", 1, "1", "\xc3\xa4" },
};

static void test_callback_data(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof data_rows / sizeof data_rows[0]; i++) {
		char *ref = NULL, *value = NULL;
		int rc = tg_callback_data_parse(data_rows[i].data, &ref, &value);
		assert_int_equal(rc == 0, data_rows[i].ok);
		if (rc == 0) {
			assert_string_equal(ref, data_rows[i].ref);
			assert_string_equal(value, data_rows[i].value);
		} else {
			assert_null(ref);
			assert_null(value);
		}
		free(ref);
		free(value);
	}
}

static const struct rehabd_choice pain[] = {
	{ "0", "0" }, { "1", "1" }, { "2", "2" }, { "3", "3" },
	{ "4", "4" }, { "5", "5" }, { "6", "6" }, { "7", "7" },
	{ "8", "8" }, { "9", "9" }, { "10", "10" },
};
static const struct rehabd_choice reminder[] = {
	{ "Done \xe2\x9c\x93", "done" }, { "Skip", "skip" },
	{ "Snooze 30 min", "snooze" },
};
static const struct rehabd_choice too_long[] = {
	{ "Long", "a-value-that-is-far-too-long-for-callback-data-x" },
	{ "Ok", "ok" },
};
static const struct rehabd_choice bad_utf8[] = {
	{ "bad \xff", "x" },
};

#define SEND_HEAD(chat, text) \
	"{\"chat_id\":" chat ",\"text\":\"" text "\",\"parse_mode\":\"HTML\"," \
	"\"link_preview_options\":{\"is_disabled\":true}"

#define PLAIN_HEAD(chat, text) \
	"{\"chat_id\":" chat ",\"text\":\"" text "\"," \
	"\"link_preview_options\":{\"is_disabled\":true}"

/* Columns: chat id, text, HTML?, ref, choices, count, per row, body
 * expected (NULL: refused), buttons dropped. */
static const struct {
	int64_t chat;
	const char *text;
	int html;
	const char *ref;
	const struct rehabd_choice *choices;
	size_t n, per_row;
	const char *body;
	size_t dropped;
} send_rows[] = {
	{ 5000000001LL, "x", 1, NULL, NULL, 0, 0, SEND_HEAD("5000000001", "x") "}", 0 },
	{ -1001234567890LL, "<b>Hi</b> &amp; bye", 1, "42", pain, 11, 6,
	  SEND_HEAD("-1001234567890", "<b>Hi</b> &amp; bye")
	  ",\"reply_markup\":{\"inline_keyboard\":["
	  "[{\"text\":\"0\",\"callback_data\":\"42:0\"},{\"text\":\"1\",\"callback_data\":\"42:1\"},"
	  "{\"text\":\"2\",\"callback_data\":\"42:2\"},{\"text\":\"3\",\"callback_data\":\"42:3\"},"
	  "{\"text\":\"4\",\"callback_data\":\"42:4\"},{\"text\":\"5\",\"callback_data\":\"42:5\"}],"
	  "[{\"text\":\"6\",\"callback_data\":\"42:6\"},{\"text\":\"7\",\"callback_data\":\"42:7\"},"
	  "{\"text\":\"8\",\"callback_data\":\"42:8\"},{\"text\":\"9\",\"callback_data\":\"42:9\"},"
	  "{\"text\":\"10\",\"callback_data\":\"42:10\"}]]}}", 0 },
	{ 1, "Stretch\nnow", 1, "7", reminder, 3, 0,
	  SEND_HEAD("1", "Stretch\\nnow")
	  ",\"reply_markup\":{\"inline_keyboard\":[["
	  "{\"text\":\"Done \xe2\x9c\x93\",\"callback_data\":\"7:done\"},"
	  "{\"text\":\"Skip\",\"callback_data\":\"7:skip\"},"
	  "{\"text\":\"Snooze 30 min\",\"callback_data\":\"7:snooze\"}]]}}", 0 },
	{ 1, "x", 1, "12345678901234567", too_long, 2, 3,
	  SEND_HEAD("1", "x")
	  ",\"reply_markup\":{\"inline_keyboard\":[["
	  "{\"text\":\"Ok\",\"callback_data\":\"12345678901234567:ok\"}]]}}", 1 },
	{ 1, "x", 1, "9", bad_utf8, 1, 0, SEND_HEAD("1", "x") "}", 1 },
	{ 1, "bad \xff text", 1, NULL, NULL, 0, 0, NULL, 0 },
	/* Plain text: no parse_mode, nothing escaped, nothing to refuse. */
	{ 9007199254740993LL, "5 < 6 & <b>", 0, NULL, NULL, 0, 0,
	  PLAIN_HEAD("9007199254740993", "5 < 6 & <b>") "}", 0 },
};

static void test_build_send(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof send_rows / sizeof send_rows[0]; i++) {
		size_t dropped = 99;
		char *body = tg_build_send(send_rows[i].chat, send_rows[i].text,
					   send_rows[i].html, send_rows[i].ref, send_rows[i].choices,
					   send_rows[i].n, send_rows[i].per_row,
					   &dropped);
		if (!send_rows[i].body) {
			assert_null(body);
			continue;
		}
		assert_non_null(body);
		assert_string_equal(body, send_rows[i].body);
		assert_int_equal(dropped, send_rows[i].dropped);
		free(body);
	}
}

/* Columns: the built body, what it must be. */
static void test_build_other(void **state)
{
	char *got[8];
	const char *want[] = {
		"{\"timeout\":50,\"allowed_updates\":[\"message\",\"callback_query\"]}",
		"{\"offset\":4000000003,\"timeout\":1,\"allowed_updates\":[\"message\",\"callback_query\"]}",
		"{\"callback_query_id\":\"4382bfdwdsb323b2d9\",\"text\":\"Saved: pain 6/10\"}",
		"{\"callback_query_id\":\"q\"}",
		"{\"chat_id\":1,\"message_id\":2,\"reply_markup\":{\"inline_keyboard\":[]}}",
		"{\"chat_id\":408258968,\"message_id\":155,\"text\":\"Hi\\n\\n\xe2\x86\x92 6\","
		"\"entities\":[{\"offset\":0,\"length\":2,\"type\":\"bold\"}],"
		"\"reply_markup\":{\"inline_keyboard\":[]}}",
		"{\"chat_id\":-1001234567890,\"message_id\":5000000001,\"text\":\"x\","
		"\"reply_markup\":{\"inline_keyboard\":[]}}",
		/* One update at a time, looking for an unreadable one. */
		"{\"offset\":77,\"limit\":1,\"timeout\":50,\"allowed_updates\":[\"message\",\"callback_query\"]}",
	};
	(void)state;

	got[0] = tg_build_get_updates(0, 0, 50, 0);
	got[1] = tg_build_get_updates(4000000003LL, 1, 1, 0);
	got[2] = tg_build_answer("4382bfdwdsb323b2d9", "Saved: pain 6/10");
	got[3] = tg_build_answer("q", "");
	got[4] = tg_build_remove_keyboard(1, 2);
	got[5] = tg_build_edit_text(408258968, 155, "Hi\n\n\xe2\x86\x92 6",
				    "[{\"offset\":0,\"length\":2,\"type\":\"bold\"}]");
	got[6] = tg_build_edit_text(-1001234567890LL, 5000000001LL, "x", "{garbage");
	got[7] = tg_build_get_updates(77, 1, 50, 1);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		assert_non_null(got[i]);
		assert_string_equal(got[i], want[i]);
		free(got[i]);
	}
}

/* Columns: repeated piece, count, UTF-16 units kept in the toast. */
static const struct {
	const char *piece;
	size_t count;
	size_t units;
} answer_rows[] = {
	{ "a", 200, 200 },
	{ "a", 201, 200 },
	{ "\xc3\xa4", 250, 200 },
	{ "\xf0\x9f\x98\x80", 150, 200 },
	{ "a\xf0\x9f\x98\x80", 80, 199 }, /* a pair never split */
};

static void test_answer_cut(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof answer_rows / sizeof answer_rows[0]; i++) {
		char text[2048] = "";
		for (size_t k = 0; k < answer_rows[i].count; k++)
			strcat(text, answer_rows[i].piece);
		char *body = tg_build_answer("id", text);
		json_error_t jerr;
		json_t *o = json_loads(body, 0, &jerr);
		const char *t = json_string_value(json_object_get(o, "text"));
		assert_non_null(t);
		assert_true(tg_utf8_valid(t, strlen(t)));
		assert_int_equal(tg_utf16_len(t, strlen(t)), answer_rows[i].units);
		json_decref(o);
		free(body);
	}
}

static void test_commands(void **state)
{
	static const char *const names[] = {
		"start", "help", "plan", "status", "how", "pause", "resume",
		"cleared",
	};
	char *body = tg_build_commands();
	json_error_t jerr;
	json_t *o = json_loads(body, 0, &jerr), *cmds;
	(void)state;

	cmds = json_object_get(o, "commands");
	assert_int_equal(json_array_size(cmds), 8);
	for (size_t i = 0; i < 8; i++) {
		json_t *c = json_array_get(cmds, i);
		const char *d = json_string_value(json_object_get(c, "description"));
		assert_string_equal(json_string_value(json_object_get(c, "command")), names[i]);
		assert_non_null(d);
		assert_true(strlen(d) >= 1 && strlen(d) <= 256);
	}
	json_decref(o);
	free(body);
}

/* A body nested depth levels deep inside the message of update 7. */
static char *deep_body(size_t depth)
{
	const char *head = "{\"ok\":true,\"result\":[{\"update_id\":7,\"message\":";
	size_t hl = strlen(head);
	char *body = malloc(hl + 2 * depth + 8);
	assert_non_null(body);
	memcpy(body, head, hl);
	memset(body + hl, '[', depth);
	memset(body + hl + depth, ']', depth);
	memcpy(body + hl + 2 * depth, "}]}", 4);
	return body;
}

/* Columns: body (bytes jansson may refuse), scan result, elements of
 * result, first update_id read?, its value, whether jansson loads it
 * (NULL) or the reason tg_updates_parse names, the body's length. */
static const struct {
	const char *body;
	int rc;
	size_t n;
	int has_id;
	int64_t id;
	const char *why; /* NULL: loads */
	size_t len;      /* of the body; 0: up to its NUL */
} scan_rows[] = {
	/* The poison updates rehabd must skip, each alone or among others. */
	{ "{\"ok\":true,\"result\":[{\"update_id\":51,\"message\":{\"text\":\"bad \xff\xfe bytes\"}}]}",
	  0, 1, 1, 51, "invalid UTF-8", 0 },
	{ "{\"ok\":true,\"result\":[{\"update_id\":52,\"message\":{\"text\":\"lone \\ud800 \\\" x\"}}]}",
	  0, 1, 1, 52, "an invalid \\u escape", 0 },
	{ "{\"ok\":true,\"result\":[{\"update_id\":18446744073709551616,\"message\":{}}]}",
	  0, 1, 0, 0, "a number out of range", 0 },
	{ "{\"ok\":true,\"result\":[{\"update_id\":9223372036854775807}]}",
	  0, 1, 0, 0, NULL, 0 },
	{ "{\"ok\":true,\"result\":[{\"update_id\":9223372036854775806}]}",
	  0, 1, 1, 9223372036854775806LL, NULL, 0 },
	{ "{\"ok\":true,\"result\":[{\"message\":{\"chat\":{\"id\":18446744073709551616}},\"update_id\":53}]}",
	  0, 1, 1, 53, "a number out of range", 0 },
	{ "{\"ok\":true,\"result\":[{\"update_id\":5,\"message\":{}},{\"update_id\":6,\"message\":{\"x\":1e400}},{\"update_id\":7}]}",
	  0, 3, 1, 5, "a number out of range", 0 },
	{ " \r\n{ \"ok\" : true , \"result\" : [ { \"update_id\" : 8 } ] }\n", 0, 1, 1, 8, NULL, 0 },
	/* The first update_id is read only from its own key. */
	{ "{\"ok\":true,\"result\":[{\"message\":{\"update_id\":9}}]}", 0, 1, 0, 0, NULL, 0 },
	{ "{\"ok\":true,\"result\":[{\"message\":{\"text\":\"\\\"update_id\\\":9\"}}]}", 0, 1, 0, 0, NULL, 0 },
	{ "{\"ok\":true,\"result\":[{\"update_id\":\"9\"}]}", 0, 1, 0, 0, NULL, 0 },
	{ "{\"ok\":true,\"result\":[{\"update_id\":-9}]}", 0, 1, 0, 0, NULL, 0 },
	{ "{\"ok\":true,\"result\":[{\"update_id\":9.0}]}", 0, 1, 0, 0, NULL, 0 },
	{ "{\"ok\":true,\"result\":[{\"update_id\":9,\"update_id\":10}]}", 0, 1, 0, 0, NULL, 0 },
	{ "{\"ok\":true,\"result\":[{\"update\\u005fid\":9}]}", 0, 1, 0, 0, NULL, 0 },
	{ "{\"result\":[{\"update_id\":9}],\"ok\":true}", 0, 1, 1, 9, NULL, 0 },
	{ "{\"ok\":true,\"result\":[]}", 0, 0, 0, 0, NULL, 0 },
	{ "{\"ok\":true,\"result\":[5,[{\"update_id\":1}]]}", 0, 2, 0, 0, NULL, 0 },
	/* No answer at all: nothing may be skipped for these. */
	{ "{\"ok\":true,\"result\":[{\"update_id\":53,\"message\":{\"text\":\"cut", -1, 0, 0, 0, "invalid JSON", 0 },
	{ "{\"ok\":true,\"result\":[{\"update_id\":53}]", -1, 0, 0, 0, "invalid JSON", 0 },
	{ "{\"ok\":true,\"result\":[{\"update_id\":53}]}}", -1, 0, 0, 0, "invalid JSON", 0 },
	{ "{\"ok\":true,\"result\":[{\"update_id\":53}]} x", -1, 0, 0, 0, "invalid JSON", 0 },
	{ "{\"ok\":tru", -1, 0, 0, 0, "invalid JSON", 0 },
	{ "{\"ok\":tru\x00" "e, \"result\": [[[ <html>", -1, 0, 0, 0, "invalid JSON", 33 },
	{ "<html><body>502 Bad Gateway</body></html>", -1, 0, 0, 0, "invalid JSON", 0 },
	{ "{\"ok\":false,\"result\":[{\"update_id\":5,\"x\":\"\xff\"}]}", -1, 0, 0, 0, "invalid UTF-8", 0 },
	{ "{\"ok\":\"true\",\"result\":[{\"update_id\":5}]}", -1, 0, 0, 0, NULL, 0 },
	{ "{\"ok\":true,\"ok\":true,\"result\":[]}", -1, 0, 0, 0, NULL, 0 },
	{ "{\"ok\":true,\"result\":{\"update_id\":5}}", -1, 0, 0, 0, NULL, 0 },
	{ "{\"ok\":true}", -1, 0, 0, 0, NULL, 0 },
	{ "[{\"ok\":true,\"result\":[]}]", -1, 0, 0, 0, NULL, 0 },
	{ "{\"ok\":true,\"result\":[{\"update_id\":5]}", -1, 0, 0, 0, "invalid JSON", 0 },
	{ "{\"ok\":true,\"result\":[{\"update_id\" 5}]}", -1, 0, 0, 0, "invalid JSON", 0 },
	{ "{\"ok\":true,\"result\":[{5:5}]}", -1, 0, 0, 0, "invalid JSON", 0 },
	{ "{\"ok\":true,\"result\":[{\"update_id\":5,}]}", -1, 0, 0, 0, "invalid JSON", 0 },
	{ "{\"ok\":truex,\"result\":[]}", -1, 0, 0, 0, "invalid JSON", 0 },
	{ "{\"ok\":true,\"result\":[\"\\\\\"]}", 0, 1, 0, 0, NULL, 0 },
	{ "{\"ok\":true,\"result\":[\"\\\"]}", -1, 0, 0, 0, "invalid JSON", 0 },
	{ "", -1, 0, 0, 0, "invalid JSON", 0 },
};

static void test_scan(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof scan_rows / sizeof scan_rows[0]; i++) {
		const char *body = scan_rows[i].body;
		size_t len = scan_rows[i].len ? scan_rows[i].len : strlen(body);
		struct tg_scan sc;
		struct tg_updates u;
		char err[96];
		print_message("row %zu\n", i);
		assert_int_equal(tg_updates_scan(body, len, &sc), scan_rows[i].rc);
		assert_int_equal(sc.n_results, scan_rows[i].n);
		assert_int_equal(sc.has_id, scan_rows[i].has_id);
		assert_true(sc.first_id == scan_rows[i].id);
		int rc = tg_updates_parse(body, len, &u, err, sizeof err);
		if (scan_rows[i].why) {
			assert_int_equal(rc, -1);
			assert_int_equal(u.refused, TG_REFUSED_JSON);
			assert_string_equal(u.why, scan_rows[i].why);
			assert_non_null(strstr(err, "is not valid JSON ("));
		} else {
			assert_true(rc == 0 || u.refused == TG_REFUSED_SHAPE);
		}
		tg_updates_free(&u);
	}
}

/* Nesting beyond jansson's limit is read by the scan, without a limit
 * of its own (one bit a level) and without recursion. */
static void test_scan_deep(void **state)
{
	static const size_t depths[] = { 10, 2047, 2049, 100000, 3000000 };
	(void)state;
	for (size_t i = 0; i < sizeof depths / sizeof depths[0]; i++) {
		char *body = deep_body(depths[i]);
		struct tg_scan sc;
		struct tg_updates u;
		char err[96];
		/* Freed below also where it was never parsed into. */
		memset(&u, 0, sizeof u);
		assert_int_equal(tg_updates_scan(body, strlen(body), &sc), 0);
		assert_int_equal(sc.n_results, 1);
		assert_int_equal(sc.has_id, 1);
		assert_true(sc.first_id == 7);
		if (depths[i] > 2048) {
			assert_int_equal(tg_updates_parse(body, strlen(body), &u, err, sizeof err), -1);
			assert_string_equal(u.why, "nesting too deep");
		}
		tg_updates_free(&u);
		/* Cut anywhere inside: not an answer. */
		body[strlen(body) - 2] = '\0';
		assert_int_equal(tg_updates_scan(body, strlen(body), &sc), -1);
		free(body);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_updates),
		cmocka_unit_test(test_update_shapes),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_scan),
		cmocka_unit_test(test_scan_deep),
		cmocka_unit_test(test_replies),
		cmocka_unit_test(test_reply_description_cut),
		cmocka_unit_test(test_reply_migrate),
		cmocka_unit_test(test_callback_data),
		cmocka_unit_test(test_build_send),
		cmocka_unit_test(test_build_other),
		cmocka_unit_test(test_answer_cut),
		cmocka_unit_test(test_commands),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
