/*
 * The Matrix channel's JSON, through jansson: reading /sync, /messages
 * and the small answers, and writing request bodies.  Pure (no I/O, no
 * host calls), so the unit tests and the fuzz target drive it directly.
 *
 * Reading is defensive: a field of the wrong type counts as absent, an
 * event without the fields it needs is skipped, numbers of any size are
 * read (JSON_DECODE_INT_AS_REAL), and the number of events one answer
 * may carry is capped.
 */
#ifndef MX_JSON_H
#define MX_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define MX_MAX_EVENTS 100000 /* events read from one answer */

enum mx_event_kind {
	MX_EV_OTHER = 0,
	MX_EV_MESSAGE,    /* m.room.message with a string body */
	MX_EV_REACTION,   /* m.reaction, m.annotation with a key */
	MX_EV_MEMBER,     /* m.room.member with a membership */
	MX_EV_ENCRYPTED,  /* m.room.encrypted */
	MX_EV_ENCRYPTION, /* m.room.encryption (state) */
};

/* One event of a joined room.  Strings are borrowed from the parsed
 * document (valid until mx_sync_free). */
struct mx_event {
	enum mx_event_kind kind;
	const char *room_id;
	const char *event_id;
	const char *sender;
	const char *body;        /* MESSAGE */
	const char *msgtype;     /* MESSAGE */
	const char *reply_to;    /* MESSAGE: m.in_reply_to event id, or NULL */
	const char *target;      /* REACTION: the annotated event */
	const char *key;         /* REACTION */
	const char *membership;  /* MEMBER */
	const char *state_key;   /* MEMBER: whose membership */
	int is_edit;             /* MESSAGE: an m.replace (ignored) */
	int64_t ts;              /* origin_server_ts in seconds, 0 if absent */
};

/* An invite of the bot (rooms.invite). */
struct mx_invite {
	const char *room_id;
	const char *inviter;     /* sender of the bot's m.room.member invite */
	int encrypted;           /* m.room.encryption in invite_state */
	int is_direct;
	int members;             /* joined members listed in invite_state */
};

/* A limited timeline: events between the last sync and prev_batch are
 * missing. */
struct mx_gap {
	const char *room_id;
	const char *prev_batch;
};

struct mx_sync {
	json_t *root;
	const char *next_batch;  /* NULL when absent (the answer is refused) */
	struct mx_event *events;
	size_t n_events;
	struct mx_invite *invites;
	size_t n_invites;
	struct mx_gap *gaps;
	size_t n_gaps;
	const char **left;       /* rooms.leave: rooms the bot is no longer in */
	size_t n_left;
	const char *end;         /* /messages: the "end" token, or NULL */
	int truncated;           /* more than MX_MAX_EVENTS: the rest dropped */
};

/*
 * Parses a /sync answer of user `me` into s (free with mx_sync_free,
 * also after a failure).  Returns 0, or -1 with why (not JSON, not an
 * object, no next_batch).
 */
int mx_sync_parse(const char *body, size_t len, const char *me,
		  struct mx_sync *s, char *why, size_t whylen);

/*
 * Reads the top-level "next_batch" of a /sync answer that jansson refused
 * (invalid UTF-8, a number beyond a double, nesting too deep), without
 * loading it: strings are followed to their closing quote whatever they
 * hold, nesting costs nothing.  Only a key spelt without escapes one
 * level inside the outer object counts, and only a value of printable
 * ASCII without escapes.  Returns 0 with it in out, or -1.  Pure.
 */
int mx_sync_scan_next_batch(const char *body, size_t len, char *out,
			    size_t outlen);

/* Parses a /rooms/{room_id}/messages answer (its chunk as events of
 * room_id, newest first when dir=b, as the server gives them).  Returns
 * 0 or -1 with why. */
int mx_messages_parse(const char *body, size_t len, const char *room_id,
		      struct mx_sync *s, char *why, size_t whylen);

void mx_sync_free(struct mx_sync *s);

/* A standard error body: errcode ("" when none), soft_logout,
 * retry_after_ms (-1 when absent).  Writes nothing on a body that is
 * no error. */
struct mx_error {
	char errcode[48];
	int soft_logout;
	long retry_after_ms;
};
void mx_error_parse(const char *body, size_t len, struct mx_error *e);

/* The string member `key` of a JSON object body, malloc'd, or NULL. */
char *mx_json_string(const char *body, size_t len, const char *key);

/* The number of members of a joined_members answer, or -1; *has is 1
 * when user is one of them. */
int mx_joined_count(const char *body, size_t len, const char *user, int *has);

/* Request bodies (malloc'd JSON text, NULL when out of memory). */
char *mx_body_login(const char *user, const char *password,
		    const char *device_id);
char *mx_body_filter(void);
char *mx_body_create_dm(const char *invitee);
/* reply_to: the event this notice answers (a rich reply,
 * m.relates_to.m.in_reply_to), or NULL. */
char *mx_body_notice(const char *text, const char *formatted,
		     const char *reply_to);
char *mx_body_reaction(const char *event_id, const char *key);
/* m.direct with room added to user's list (existing: the current
 * content, or NULL). */
char *mx_body_direct_add(const char *existing, size_t len, const char *user,
			 const char *room);

#endif
