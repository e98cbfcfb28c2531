/*
 * The matrix plugin's pure parts: reading realistic and hostile /sync
 * and /messages answers (wrong types, huge numbers, missing fields,
 * invalid UTF-8, NUL bytes, 10,000 events), error bodies, the request
 * bodies it writes, reply fallbacks, the HTML of a notice, reaction keys
 * and user ids.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "mx_address.h"
#include "mx_json.h"
#include "mx_text.h"

#define ME "@rehabbot:example.org"

/* A realistic answer in the shape of the spec's sync.yaml example and
 * Synapse's: state, a limited timeline with prev_batch, a message, a
 * rich reply with its fallback, a reaction, an edit, a notice, a member
 * event, an encrypted event, ephemeral and account data, an invite. */
static const char realistic[] =
	"{\"next_batch\":\"s72595_4483_1934\","
	"\"presence\":{\"events\":[]},\"account_data\":{\"events\":[]},"
	"\"rooms\":{\"join\":{\"!dm:example.org\":{"
	" \"summary\":{\"m.joined_member_count\":2},"
	" \"state\":{\"events\":[{\"type\":\"m.room.member\",\"state_key\":\"@anna:example.org\","
	"   \"sender\":\"@anna:example.org\",\"event_id\":\"$st1\",\"origin_server_ts\":1432735824653,"
	"   \"content\":{\"membership\":\"join\"}}]},"
	" \"timeline\":{\"limited\":true,\"prev_batch\":\"t34-23535_0_0\",\"events\":["
	"  {\"type\":\"m.room.message\",\"event_id\":\"$m1\",\"sender\":\"@anna:example.org\","
	"   \"origin_server_ts\":1432735824653,\"unsigned\":{\"age\":1234},"
	"   \"content\":{\"msgtype\":\"m.text\",\"body\":\"pain 3/10\"}},"
	"  {\"type\":\"m.room.message\",\"event_id\":\"$m2\",\"sender\":\"@anna:example.org\","
	"   \"origin_server_ts\":1432735824654,"
	"   \"content\":{\"msgtype\":\"m.text\",\"body\":\"> <@rehabbot:example.org> How much?\\n\\n4\","
	"   \"format\":\"org.matrix.custom.html\",\"formatted_body\":\"<mx-reply>x</mx-reply>4\","
	"   \"m.relates_to\":{\"m.in_reply_to\":{\"event_id\":\"$evening\"}}}},"
	"  {\"type\":\"m.reaction\",\"event_id\":\"$r1\",\"sender\":\"@anna:example.org\","
	"   \"origin_server_ts\":1432735824655,\"content\":{\"m.relates_to\":"
	"   {\"rel_type\":\"m.annotation\",\"event_id\":\"$morning\",\"key\":\"6\xef\xb8\x8f\xe2\x83\xa3\"}}},"
	"  {\"type\":\"m.room.message\",\"event_id\":\"$m3\",\"sender\":\"@anna:example.org\","
	"   \"content\":{\"msgtype\":\"m.text\",\"body\":\"* 5\",\"m.new_content\":{\"body\":\"5\"},"
	"   \"m.relates_to\":{\"rel_type\":\"m.replace\",\"event_id\":\"$m1\"}}},"
	"  {\"type\":\"m.room.message\",\"event_id\":\"$n1\",\"sender\":\"@other:example.org\","
	"   \"content\":{\"msgtype\":\"m.notice\",\"body\":\"beep\"}},"
	"  {\"type\":\"m.room.encrypted\",\"event_id\":\"$x1\",\"sender\":\"@anna:example.org\","
	"   \"content\":{\"algorithm\":\"m.megolm.v1.aes-sha2\",\"ciphertext\":\"AwgA\"}},"
	"  {\"type\":\"m.room.topic\",\"event_id\":\"$t1\",\"sender\":\"@anna:example.org\","
	"   \"state_key\":\"\",\"content\":{\"topic\":\"x\"}}]},"
	" \"ephemeral\":{\"events\":[{\"type\":\"m.typing\",\"content\":{\"user_ids\":[]}}]},"
	" \"account_data\":{\"events\":[{\"type\":\"m.fully_read\",\"content\":{\"event_id\":\"$m1\"}}]}}},"
	"\"invite\":{\"!inv:example.org\":{\"invite_state\":{\"events\":["
	" {\"type\":\"m.room.encryption\",\"state_key\":\"\",\"sender\":\"@eve:example.org\","
	"  \"content\":{\"algorithm\":\"m.megolm.v1.aes-sha2\"}},"
	" {\"type\":\"m.room.member\",\"state_key\":\"" ME "\",\"sender\":\"@eve:example.org\","
	"  \"content\":{\"membership\":\"invite\",\"is_direct\":true}}]}}},"
	"\"leave\":{\"!old:example.org\":{}}}}";

static void test_realistic_sync(void **state)
{
	struct mx_sync s;
	char why[160];
	(void)state;

	assert_int_equal(mx_sync_parse(realistic, strlen(realistic), ME, &s, why, sizeof why), 0);
	assert_string_equal(s.next_batch, "s72595_4483_1934");
	/* Columns: kind, event id, body or key, reply_to or target, edit. */
	static const struct {
		enum mx_event_kind kind;
		const char *id, *text, *ref;
		int edit;
	} want[] = {
		{ MX_EV_MEMBER, "$st1", NULL, NULL, 0 },
		{ MX_EV_MESSAGE, "$m1", "pain 3/10", NULL, 0 },
		{ MX_EV_MESSAGE, "$m2", "> <@rehabbot:example.org> How much?\n\n4", "$evening", 0 },
		{ MX_EV_REACTION, "$r1", "6\xef\xb8\x8f\xe2\x83\xa3", "$morning", 0 },
		{ MX_EV_MESSAGE, "$m3", "* 5", NULL, 1 },
		{ MX_EV_MESSAGE, "$n1", "beep", NULL, 0 },
		{ MX_EV_ENCRYPTED, "$x1", NULL, NULL, 0 },
	};
	assert_int_equal(s.n_events, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < s.n_events; i++) {
		const struct mx_event *e = &s.events[i];
		assert_int_equal(e->kind, want[i].kind);
		assert_string_equal(e->event_id, want[i].id);
		assert_string_equal(e->room_id, "!dm:example.org");
		if (e->kind == MX_EV_MESSAGE) {
			assert_string_equal(e->body, want[i].text);
			assert_int_equal(e->is_edit, want[i].edit);
			if (want[i].ref)
				assert_string_equal(e->reply_to, want[i].ref);
			else
				assert_null(e->reply_to);
		}
		if (e->kind == MX_EV_REACTION) {
			assert_string_equal(e->key, want[i].text);
			assert_string_equal(e->target, want[i].ref);
		}
	}
	assert_int_equal(s.events[1].ts, 1432735824);
	assert_string_equal(s.events[5].msgtype, "m.notice");
	assert_string_equal(s.events[0].membership, "join");
	assert_int_equal(s.n_gaps, 1);
	assert_string_equal(s.gaps[0].prev_batch, "t34-23535_0_0");
	assert_int_equal(s.n_invites, 1);
	assert_string_equal(s.invites[0].inviter, "@eve:example.org");
	assert_true(s.invites[0].encrypted);
	assert_true(s.invites[0].is_direct);
	assert_int_equal(s.n_left, 1);
	assert_string_equal(s.left[0], "!old:example.org");
	mx_sync_free(&s);
}

/* Columns: body, parses?, events read. */
static const struct {
	const char *body;
	int ok;
	size_t events;
} hostile[] = {
	{ "", 0, 0 },
	{ "[]", 0, 0 },
	{ "{}", 0, 0 },                                  /* no next_batch */
	{ "{\"next_batch\":5}", 0, 0 },                  /* wrong type */
	{ "{\"next_batch\":\"\"}", 0, 0 },
	{ "{\"next_batch\":\"a\\u0000b\"}", 0, 0 },      /* NUL inside */
	{ "{\"next_batch\":\"s1\"}", 1, 0 },
	{ "{\"next_batch\":\"s1\",\"rooms\":[]}", 1, 0 },
	{ "{\"next_batch\":\"s1\",\"rooms\":{\"join\":[1,2]}}", 1, 0 },
	{ "{\"next_batch\":\"s1\",\"rooms\":{\"join\":{\"!r:x\":5}}}", 1, 0 },
	{ "{\"next_batch\":\"s1\",\"rooms\":{\"join\":{\"!r:x\":{\"timeline\":{\"events\":{}}}}}}", 1, 0 },
	{ "{\"next_batch\":\"s1\",\"rooms\":{\"join\":{\"!r:x\":{\"timeline\":{\"events\":[1,null,\"x\",[],{}]}}}}}", 1, 0 },
	/* an event without event_id, sender, content; a body of the wrong
	 * type; a reaction that is no annotation */
	{ "{\"next_batch\":\"s1\",\"rooms\":{\"join\":{\"!r:x\":{\"timeline\":{\"events\":["
	  "{\"type\":\"m.room.message\",\"sender\":\"@a:x\",\"content\":{\"body\":\"1\"}},"
	  "{\"type\":\"m.room.message\",\"event_id\":\"$1\",\"content\":{\"body\":\"1\"}},"
	  "{\"type\":\"m.room.message\",\"event_id\":\"$2\",\"sender\":\"@a:x\"},"
	  "{\"type\":\"m.room.message\",\"event_id\":\"$3\",\"sender\":\"@a:x\",\"content\":{\"body\":7}},"
	  "{\"type\":\"m.reaction\",\"event_id\":\"$4\",\"sender\":\"@a:x\",\"content\":{\"m.relates_to\":{\"rel_type\":\"m.reference\",\"event_id\":\"$0\",\"key\":\"1\"}}},"
	  "{\"type\":\"m.reaction\",\"event_id\":\"$5\",\"sender\":\"@a:x\",\"content\":{\"m.relates_to\":{\"rel_type\":\"m.annotation\",\"key\":\"1\"}}},"
	  "{\"type\":7,\"event_id\":\"$6\",\"sender\":\"@a:x\",\"content\":{}}"
	  "]}}}}}", 1, 0 },
	/* huge and odd numbers: read, not fatal; the timestamp is dropped */
	{ "{\"next_batch\":\"s1\",\"rooms\":{\"join\":{\"!r:x\":{\"timeline\":{\"limited\":1,\"events\":["
	  "{\"type\":\"m.room.message\",\"event_id\":\"$1\",\"sender\":\"@a:x\",\"origin_server_ts\":1e400,\"content\":{\"body\":\"1\"}},"
	  "{\"type\":\"m.room.message\",\"event_id\":\"$2\",\"sender\":\"@a:x\",\"origin_server_ts\":123456789012345678901234567890,\"content\":{\"body\":\"2\"}},"
	  "{\"type\":\"m.room.message\",\"event_id\":\"$3\",\"sender\":\"@a:x\",\"origin_server_ts\":-5,\"content\":{\"body\":\"3\"}}"
	  "]}}}}}", 0, 0 },  /* 1e400 overflows a double: jansson refuses the body */
	{ "{\"next_batch\":\"s1\",\"rooms\":{\"join\":{\"!r:x\":{\"timeline\":{\"limited\":1,\"events\":["
	  "{\"type\":\"m.room.message\",\"event_id\":\"$2\",\"sender\":\"@a:x\",\"origin_server_ts\":123456789012345678901234567890,\"content\":{\"body\":\"2\"}},"
	  "{\"type\":\"m.room.message\",\"event_id\":\"$3\",\"sender\":\"@a:x\",\"origin_server_ts\":-5,\"content\":{\"body\":\"3\"}}"
	  "]}}}}}", 1, 2 },
	/* invalid UTF-8: jansson refuses the whole body */
	{ "{\"next_batch\":\"s1\",\"x\":\"\xff\xfe\"}", 0, 0 },
	/* a body with a NUL escape is not a usable message */
	{ "{\"next_batch\":\"s1\",\"rooms\":{\"join\":{\"!r:x\":{\"timeline\":{\"events\":["
	  "{\"type\":\"m.room.message\",\"event_id\":\"$1\",\"sender\":\"@a:x\",\"content\":{\"body\":\"6\\u0000 zebra\"}}"
	  "]}}}}}", 1, 0 },
	{ "{\"next_batch\":\"s1\",\"rooms\":{\"invite\":{\"!i:x\":{\"invite_state\":7}}}}", 1, 0 },
	{ "{\"next_batch\":\"s1\",\"next_batch\":\"s2\"}", 1, 0 },
	{ "{\"next_batch\":\"s1\"", 0, 0 },
};

static void test_hostile_sync(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
		struct mx_sync s;
		char why[160] = "";
		int rc = mx_sync_parse(hostile[i].body, strlen(hostile[i].body), ME, &s,
				       why, sizeof why);
		if (rc != (hostile[i].ok ? 0 : -1))
			fail_msg("row %zu: rc %d (%s)", i, rc, why);
		if (rc == 0 && s.n_events != hostile[i].events)
			fail_msg("row %zu: %zu events", i, s.n_events);
		if (rc != 0)
			assert_true(why[0] != '\0');
		mx_sync_free(&s);
	}
}

/* 10,000 events in one room: all read, in order, in reasonable time. */
/* The next_batch of an answer jansson refuses, read without loading it;
 * anything not plainly the top level's next_batch is not taken. */
static void test_scan_next_batch(void **state)
{
	static const struct {
		const char *body;
		const char *want; /* NULL: not found */
	} rows[] = {
		{ "{\"next_batch\":\"s72595_4483_1934\",\"rooms\":{}}", "s72595_4483_1934" },
		{ "{\"rooms\":{\"join\":{\"!r:x\":{\"timeline\":{\"events\":[{\"content\":{\"body\":\"\xff\xfe\"}}]}}}}, \"next_batch\" : \"s9\"}", "s9" },
		{ "{\"a\":18446744073709551616e999999,\"next_batch\":\"s10\"}", "s10" },
		{ "{\"deep\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]],\"next_batch\":\"s11\"}", "s11" },
		/* Only the top level's. */
		{ "{\"rooms\":{\"next_batch\":\"inner\"}}", NULL },
		{ "{\"x\":\"\\\"next_batch\\\":\\\"fake\\\"\"}", NULL },
		/* A value that is not a plain token. */
		{ "{\"next_batch\":\"s 1\"}", NULL },
		{ "{\"next_batch\":\"s\\u00e91\"}", NULL },
		{ "{\"next_batch\":5}", NULL },
		{ "{\"next_batch\":\"\"}", NULL },
		/* Cut short, or no answer at all. */
		{ "{\"next_batch\":\"s12", NULL },
		{ "<html>502 Bad Gateway</html>", NULL },
		{ "", NULL },
	};
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char out[64];
		int rc = mx_sync_scan_next_batch(rows[i].body, strlen(rows[i].body), out,
						 sizeof out);
		if (rows[i].want ? rc != 0 || strcmp(out, rows[i].want) : rc != -1)
			fail_msg("row %zu: rc %d out %s", i, rc, rc == 0 ? out : "-");
	}
	char small[4];
	assert_int_equal(mx_sync_scan_next_batch("{\"next_batch\":\"s123\"}", 21,
						 small, sizeof small), -1);
}

static void test_ten_thousand_events(void **state)
{
	(void)state;
	json_t *events = json_array();
	for (int i = 0; i < 10000; i++)
		json_array_append_new(events, json_pack("{s:s, s:s+, s:s, s:{s:s, s:s+}}",
			"type", "m.room.message", "event_id", "$e", "x",
			"sender", "@anna:example.org", "content", "msgtype", "m.text",
			"body", "pain ", "3"));
	json_t *root = json_pack("{s:s, s:{s:{s:{s:{s:o, s:b, s:s}}}}}", "next_batch", "s9",
				 "rooms", "join", "!r:x", "timeline", "events", events,
				 "limited", 0, "prev_batch", "p");
	char *body = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	struct mx_sync s;
	char why[160];
	assert_int_equal(mx_sync_parse(body, strlen(body), ME, &s, why, sizeof why), 0);
	assert_int_equal(s.n_events, 10000);
	assert_int_equal(s.n_gaps, 0);
	assert_string_equal(s.events[9999].body, "pain 3");
	assert_false(s.truncated);
	mx_sync_free(&s);
	free(body);
}

static void test_messages_and_errors(void **state)
{
	struct mx_sync s;
	struct mx_error e;
	char why[160];
	int has;
	(void)state;
	const char *m = "{\"start\":\"t1\",\"end\":\"t0\",\"chunk\":[{\"type\":\"m.room.message\","
			"\"event_id\":\"$b\",\"sender\":\"@a:x\",\"content\":{\"body\":\"2\"}},"
			"{\"type\":\"m.room.message\",\"event_id\":\"$a\",\"sender\":\"@a:x\","
			"\"content\":{\"body\":\"1\"}}]}";
	assert_int_equal(mx_messages_parse(m, strlen(m), "!r:x", &s, why, sizeof why), 0);
	assert_string_equal(s.end, "t0");
	assert_int_equal(s.n_events, 2);
	assert_string_equal(s.events[1].room_id, "!r:x");
	mx_sync_free(&s);
	assert_int_equal(mx_messages_parse("{\"chunk\":5}", 11, "!r:x", &s, why, sizeof why), 0);
	assert_null(s.end);
	mx_sync_free(&s);

	/* Columns: body, errcode, soft_logout, retry_after_ms. */
	static const struct { const char *body, *code; int soft; long retry; } errs[] = {
		{ "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"error\":\"x\",\"retry_after_ms\":2000}", "M_LIMIT_EXCEEDED", 0, 2000 },
		{ "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"x\",\"soft_logout\":true}", "M_UNKNOWN_TOKEN", 1, -1 },
		{ "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"retry_after_ms\":1e300}", "M_LIMIT_EXCEEDED", 0, 86400000 },
		{ "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"retry_after_ms\":-3}", "M_LIMIT_EXCEEDED", 0, -1 },
		{ "{\"errcode\":5,\"soft_logout\":\"yes\"}", "", 0, -1 },
		{ "<html>502</html>", "", 0, -1 },
	};
	for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++) {
		mx_error_parse(errs[i].body, strlen(errs[i].body), &e);
		assert_string_equal(e.errcode, errs[i].code);
		assert_int_equal(e.soft_logout, errs[i].soft);
		assert_int_equal(e.retry_after_ms, errs[i].retry);
	}
	const char *jm = "{\"joined\":{\"@a:x\":{},\"" ME "\":{}}}";
	assert_int_equal(mx_joined_count(jm, strlen(jm), "@a:x", &has), 2);
	assert_true(has);
	assert_int_equal(mx_joined_count("[]", 2, "@a:x", &has), -1);
	assert_false(has);
}

static void test_bodies(void **state)
{
	(void)state;
	char *b = mx_body_notice("a < b", "<b>a</b> &lt; b", NULL);
	json_t *v = json_loads(b, 0, NULL);
	assert_null(json_object_get(v, "m.relates_to"));
	json_decref(v);
	free(b);
	b = mx_body_notice("a < b", "<b>a</b> &lt; b", "$reminder");
	v = json_loads(b, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
		json_object_get(v, "m.relates_to"), "m.in_reply_to"), "event_id")), "$reminder");
	assert_string_equal(json_string_value(json_object_get(v, "msgtype")), "m.notice");
	assert_string_equal(json_string_value(json_object_get(v, "format")), "org.matrix.custom.html");
	assert_string_equal(json_string_value(json_object_get(v, "formatted_body")), "<b>a</b> &lt; b");
	json_decref(v);
	free(b);

	b = mx_body_create_dm("@anna:example.org");
	v = json_loads(b, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(v, "preset")), "private_chat");
	assert_true(json_is_true(json_object_get(v, "is_direct")));
	assert_null(json_object_get(v, "initial_state"));
	json_decref(v);
	free(b);

	b = mx_body_login("@bot:x", "pw", "DEV1");
	v = json_loads(b, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(v, "device_id")), "DEV1");
	json_decref(v);
	free(b);
	b = mx_body_login("@bot:x", "pw", NULL);
	v = json_loads(b, 0, NULL);
	assert_null(json_object_get(v, "device_id"));
	json_decref(v);
	free(b);

	/* m.direct: added once, other users kept, a bad old value replaced. */
	const char *old = "{\"@ben:x\":[\"!b:x\"],\"@anna:x\":[\"!a:x\"]}";
	b = mx_body_direct_add(old, strlen(old), "@anna:x", "!n:x");
	v = json_loads(b, 0, NULL);
	assert_int_equal(json_array_size(json_object_get(v, "@anna:x")), 2);
	assert_int_equal(json_array_size(json_object_get(v, "@ben:x")), 1);
	json_decref(v);
	char *again = mx_body_direct_add(b, strlen(b), "@anna:x", "!n:x");
	v = json_loads(again, 0, NULL);
	assert_int_equal(json_array_size(json_object_get(v, "@anna:x")), 2);
	json_decref(v);
	free(again);
	free(b);
	b = mx_body_direct_add("[1]", 3, "@anna:x", "!n:x");
	assert_string_equal(b, "{\"@anna:x\":[\"!n:x\"]}");
	free(b);
}

static void test_text(void **state)
{
	(void)state;
	/* Columns: body, without the fallback. */
	static const struct { const char *in, *out; } fb[] = {
		{ "4", "4" },
		{ "> <@bot:x> How much?\n\n4", "4" },
		{ "> <@bot:x> line 1\n> line 2\n\npain 3", "pain 3" },
		{ "> quote only", "" },
		{ ">no space is no quote", ">no space is no quote" },
		{ "4\n> later quote", "4\n> later quote" },
		{ ">\n> x\n\n5", "5" },
	};
	for (size_t i = 0; i < sizeof fb / sizeof fb[0]; i++) {
		char *s = mx_strip_reply_fallback(fb[i].in);
		assert_string_equal(s, fb[i].out);
		free(s);
	}
	char *h = mx_formatted_body("a <b> & \"c\"\nd", NULL);
	assert_string_equal(h, "a &lt;b&gt; &amp; &quot;c&quot;<br>d");
	free(h);
	h = mx_formatted_body("ignored", "<b>x</b>\ny");
	assert_string_equal(h, "<b>x</b><br>y");
	free(h);

	/* Columns: value, key; every key reads back as its value, with or
	 * without U+FE0F. */
	static const struct { const char *value, *key, *bare; } keys[] = {
		{ "0", "0\xef\xb8\x8f\xe2\x83\xa3", "0\xe2\x83\xa3" },
		{ "6", "6\xef\xb8\x8f\xe2\x83\xa3", "6\xe2\x83\xa3" },
		{ "10", "\xf0\x9f\x94\x9f", "\xf0\x9f\x94\x9f" },
		{ "done", "\xe2\x9c\x85", "\xe2\x9c\x85" },
		{ "skip", "\xe2\x8f\xad\xef\xb8\x8f", "\xe2\x8f\xad" },
		{ "snooze", "\xf0\x9f\x92\xa4", "\xf0\x9f\x92\xa4" },
	};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		assert_string_equal(mx_choice_key(keys[i].value), keys[i].key);
		assert_string_equal(mx_choice_value(keys[i].key), keys[i].value);
		assert_string_equal(mx_choice_value(keys[i].bare), keys[i].value);
	}
	assert_null(mx_choice_key("maybe"));
	assert_null(mx_choice_value("\xf0\x9f\x91\x8d")); /* 👍 */
	assert_null(mx_choice_value(""));
}

static void test_addresses(void **state)
{
	(void)state;
	/* Columns: address, canonical form (NULL: refused). */
	static const struct { const char *in, *out; } rows[] = {
		{ "@anna:example.org", "@anna:example.org" },
		{ "  @anna:Example.ORG ", "@anna:example.org" },
		{ "@Anna:example.org", "@Anna:example.org" },   /* historical: kept */
		{ "@anna:example.org:8448", "@anna:example.org:8448" },
		{ "@anna:[::1]:8448", "@anna:[::1]:8448" },
		{ "@anna:127.0.0.1", "@anna:127.0.0.1" },
		{ "anna:example.org", NULL },
		{ "@anna", NULL },
		{ "@:example.org", NULL },
		{ "@an na:example.org", NULL },
		{ "@anna:exa mple.org", NULL },
		{ "@anna:example.org:", NULL },
		{ "@anna:example.org:99999999", NULL },
		{ "@anna:", NULL },
		{ "@anna:ex/ample", NULL },
		{ "@ann\xc3\xa4:example.org", NULL },
		{ "", NULL },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char out[300] = "", why[200] = "";
		int rc = mx_canonical_address(rows[i].in, out, sizeof out, why, sizeof why);
		if (rows[i].out) {
			if (rc != 0)
				fail_msg("row %zu refused: %s", i, why);
			assert_string_equal(out, rows[i].out);
		} else {
			if (rc == 0)
				fail_msg("row %zu taken as %s", i, out);
			assert_true(why[0] != '\0');
		}
	}
	char big[400];
	memset(big, 'a', sizeof big);
	big[0] = '@';
	memcpy(big + 300, ":x.org", 7);
	char out[512], why[200];
	assert_int_equal(mx_canonical_address(big, out, sizeof out, why, sizeof why), -1);
	char small[8];
	assert_int_equal(mx_canonical_address("@anna:example.org", small, sizeof small, why,
					      sizeof why), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_realistic_sync),
		cmocka_unit_test(test_hostile_sync),
		cmocka_unit_test(test_scan_next_batch),
		cmocka_unit_test(test_ten_thousand_events),
		cmocka_unit_test(test_messages_and_errors),
		cmocka_unit_test(test_bodies),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_addresses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
