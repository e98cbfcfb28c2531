/*
 * The Bot API's JSON, as pure functions over jansson: reading the
 * response envelope and getUpdates results into plain structs, and
 * building request bodies.  Every id is int64_t (json_int_t): Telegram
 * ids need up to 52 bits and group ids are negative.  Anything of the
 * wrong type or shape is refused field by field, so one odd update never
 * stops the others.  No I/O, no host (tests/unit/test_tg_json.c).
 */
#ifndef TG_JSON_H
#define TG_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <rehabd/channel.h>

/* Longest callback_data Telegram accepts, in bytes. */
#define TG_CALLBACK_DATA_MAX 64
/* A button label longer than this (characters) gets a keyboard row of
 * its own. */
#define TG_WIDE_LABEL 16
/* Longest ref the host sends (rehabd_message.ref). */
#define TG_REF_MAX 32

/* The envelope of every Bot API response. */
struct tg_reply {
	int ok;               /* "ok": true */
	long error_code;      /* "error_code", 0 when absent */
	char description[200]; /* "description", cut and made printable */
	long retry_after;     /* parameters.retry_after in seconds, or -1 */
	int64_t migrate_to_chat_id; /* parameters.migrate_to_chat_id, or 0 */
	int64_t message_id;   /* result.message_id of a sent Message, or 0 */
};

/*
 * Reads a response body.  Returns 0 when it is a JSON object with a
 * boolean "ok" (the rest is optional); -1 when it is not a Bot API
 * response at all (garbage, truncated, not an object).
 */
int tg_reply_parse(const char *body, size_t len, struct tg_reply *out);

enum tg_update_kind {
	TG_UPDATE_OTHER = 0, /* anything else: skipped, still confirmed */
	TG_UPDATE_MESSAGE,   /* a text message, or media (text: the caption,
	                        or "" so the runner hears what we read) */
	TG_UPDATE_CALLBACK,  /* a tap on an inline button */
	TG_UPDATE_STRAY_TAP, /* a tap we cannot use (no or foreign data, no
	                        chat): only callback_id is set; it is
	                        answered so the client stops waiting */
};

/* One update, reduced to what the plugin needs.  Strings are malloc'd
 * and freed by tg_updates_free; each is NULL when absent. */
struct tg_update {
	int64_t update_id;
	enum tg_update_kind kind;
	int64_t chat_id;      /* message.chat.id (callback: of the tapped
	                         message, else the tapper's from.id) */
	int is_private;       /* chat.type == "private"; a callback without
	                         its message counts as the tapper's own
	                         private chat */
	int64_t message_id;   /* the message, or the tapped message */
	int64_t reply_to_id;  /* message.reply_to_message.message_id, or 0 */
	int64_t date;         /* message.date, 0 when unknown */
	char *text;           /* message text, or the tapped VALUE */
	char *ref;            /* callback: the REF of "REF:VALUE" */
	char *callback_id;    /* callback: callback_query.id */
	char *msg_text;       /* callback: text of the tapped message */
	char *msg_entities;   /* callback: its "entities" as compact JSON */
	char *label;          /* callback: text of the tapped button */
};

/* Why tg_updates_parse refused a body. */
enum tg_refusal {
	TG_REFUSED_NONE = 0,
	TG_REFUSED_JSON,  /* jansson cannot load it (see why) */
	TG_REFUSED_SHAPE, /* JSON, but no ok getUpdates answer */
	TG_REFUSED_NOMEM,
};

struct tg_updates {
	struct tg_update *v;
	size_t n;
	int64_t next_offset;  /* highest valid update_id + 1 */
	int has_next;         /* 1 when any update had a valid update_id */
	size_t skipped;       /* elements without a usable update_id */
	enum tg_refusal refused; /* when tg_updates_parse returned -1 */
	char why[40];         /* TG_REFUSED_JSON: what jansson refused, in
	                         fixed words ("invalid UTF-8"), never the
	                         body's bytes */
};

/*
 * Reads a successful getUpdates body ({"ok":true,"result":[...]}).
 * Elements whose update_id is missing, not an integer, negative or
 * INT64_MAX are skipped (counted in skipped).  A message from a chat
 * without an integer id, or without text, caption or media (a service
 * message) becomes TG_UPDATE_OTHER (confirmed, not delivered), as does
 * every update type we did not ask for.  A callback without valid
 * "REF:VALUE" data or without a chat becomes TG_UPDATE_STRAY_TAP.
 * Returns 0, or -1 with a short reason in err when the body is not an
 * ok getUpdates response.  Free with tg_updates_free in every case.
 */
int tg_updates_parse(const char *body, size_t len, struct tg_updates *out,
		     char *err, size_t errlen);
void tg_updates_free(struct tg_updates *u);

/* What tg_updates_scan finds in a body without loading it. */
struct tg_scan {
	size_t n_results;  /* elements of "result" */
	int has_id;        /* the first element's "update_id" was read ... */
	int64_t first_id;  /* ... as this: 0 to INT64_MAX - 1 */
};

/*
 * Reads the shape of a getUpdates body that jansson refused (invalid
 * UTF-8, a lone surrogate escape, a number beyond 64 bits, nesting
 * deeper than jansson's limit), to tell one bad update from a body that
 * is no answer at all.  Strings are followed only to their closing quote
 * and numbers only to their end, whatever bytes they hold; nesting has
 * no limit and costs one bit a level, and nothing recurses.  The first
 * element's update_id is read only from its own "update_id" key (one
 * level inside "result", spelt without escapes, present once) with
 * plain digits that fit below INT64_MAX.  Returns 0 when body is one
 * complete JSON object whose "ok" is true and whose "result" is an
 * array; -1 when it is cut short, HTML, an error answer or anything
 * else, or out of memory.  Pure: no allocation survives the call.
 */
int tg_updates_scan(const char *body, size_t len, struct tg_scan *out);

/* Splits callback data "REF:VALUE": REF 1-32 of [A-Za-z0-9_-], VALUE
 * non-empty valid UTF-8 without control characters.  Returns 0 with
 * malloc'd *ref and *value, or -1. */
int tg_callback_data_parse(const char *data, char **ref, char **value);

/*
 * Request bodies.  Each returns a malloc'd compact JSON string (the
 * caller frees it) or NULL when out of memory or given invalid UTF-8.
 */

/* getUpdates: offset when has_offset, long-poll timeout in seconds,
 * limit when not 0 (1 to 100; else the server's default, 100),
 * allowed_updates message and callback_query. */
char *tg_build_get_updates(int64_t offset, int has_offset, int timeout,
			   int limit);

/*
 * sendMessage: text is Telegram HTML (parse_mode HTML) when html is 1,
 * else plain text sent without parse_mode, which Telegram cannot refuse
 * as badly formatted.  When choices is not NULL an inline
 * keyboard is attached: one button per choice with callback_data
 * "<ref>:<value>", per_row buttons a row (0 = one row).  A choice whose
 * data would exceed 64 bytes or whose label/value is not valid UTF-8 is
 * left out and counted in *dropped (may be NULL).
 */
char *tg_build_send(int64_t chat_id, const char *text, int html, const char *ref,
		    const struct rehabd_choice *choices, size_t n_choices,
		    size_t per_row, size_t *dropped);

/* answerCallbackQuery with an optional toast text (cut to 200 UTF-16
 * units at a code point boundary). */
char *tg_build_answer(const char *callback_id, const char *text);

/* editMessageReplyMarkup with an empty keyboard (removes the buttons). */
char *tg_build_remove_keyboard(int64_t chat_id, int64_t message_id);

/* editMessageText: text with its original entities (a JSON array, may be
 * NULL) and no keyboard.  Appending to the text keeps the entities'
 * UTF-16 offsets valid. */
char *tg_build_edit_text(int64_t chat_id, int64_t message_id,
			 const char *text, const char *entities_json);

/* setMyCommands with the coach's commands. */
char *tg_build_commands(void);

#endif
