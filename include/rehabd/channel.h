/*
 * rehabd channel plugin ABI.
 *
 * A channel plugin is a shared object (`<plugin>.so` in the daemon's
 * plugin_dir) that carries rehabd's messages to a runner and brings the
 * runner's replies back: Telegram, Matrix, email, the console.  This header
 * is the whole contract; a plugin includes nothing else of rehabd's.
 *
 * Loading.  The host dlopen()s the file with RTLD_NOW | RTLD_LOCAL, looks up
 * the one exported symbol REHABD_CHANNEL_ENTRY_SYMBOL and calls it.  The
 * returned descriptor's abi_version must have the host's major version;
 * otherwise the host refuses the file and names both versions.  A plugin
 * built against an older minor version keeps working: the host only ever
 * appends fields to the tables below, and every table starts with its size.
 *
 * Life cycle (all calls happen on the daemon's single event-loop thread):
 *
 *     entry() -> descriptor
 *     descriptor->check(api, host, ...)   optional, used by --check-config
 *     descriptor->open(api, host, &state, ...)
 *     descriptor->send(state, msg, token)   any number of times
 *     descriptor->close(state)
 *
 * Nothing may block: a plugin does its network I/O through the host's HTTP
 * service (http_submit) or through io/timer watchers on the host's loop.
 *
 * Sending.  send() queues one message and returns at once.  The plugin
 * later reports the outcome exactly once with api->send_done(host, token,
 * result).  The host owns retries: a plugin reports REHABD_SEND_RETRY (with
 * retry_after_ms when the server said how long to wait) and the host calls
 * send() again later with a new token.  A plugin may call send_done() from
 * inside send() for channels that finish synchronously.
 *
 * Receiving.  A plugin hands the host a batch of inbound messages together
 * with the channel cursor that confirms them (Telegram offset, Matrix
 * next_batch, IMAP UID).  api->inbound() stores the replies and the cursor in
 * one durable transaction and returns 0; only then may the plugin tell its
 * server that the messages were received (ask for the next batch).  After a
 * restart api->cursor_load() returns the last committed cursor.  Each
 * inbound message carries a channel-unique id so that a batch delivered
 * twice is stored once.
 *
 * Who may talk.  The host decides: messages from addresses that are not a
 * configured runner on this channel, or from non-private conversations, are
 * dropped by the host (logged without their content).  A plugin should
 * still mark group chats with is_private = 0.
 *
 * Secrets.  A plugin registers every secret it loads (tokens, passwords)
 * with api->secret(); the host masks registered secrets in every log line.
 * A plugin never logs a URL that embeds a secret.
 */
#ifndef REHABD_CHANNEL_H
#define REHABD_CHANNEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI version is major << 16 | minor.  A major change breaks plugins;
 * a minor change only appends fields or functions. */
#define REHABD_CHANNEL_ABI_MAJOR 1
#define REHABD_CHANNEL_ABI_MINOR 2
#define REHABD_CHANNEL_ABI_VERSION \
	((uint32_t)(REHABD_CHANNEL_ABI_MAJOR << 16 | REHABD_CHANNEL_ABI_MINOR))
#define REHABD_ABI_MAJOR_OF(v) ((uint32_t)(v) >> 16)
#define REHABD_ABI_MINOR_OF(v) ((uint32_t)(v) & 0xffffu)

/* The one symbol a plugin exports. */
#define REHABD_CHANNEL_ENTRY_SYMBOL "rehabd_channel_entry"

/* Mark the entry point visible when building with -fvisibility=hidden. */
#define REHABD_EXPORT __attribute__((visibility("default")))

/* Opaque per-channel handle the host passes back to every host function. */
struct rehabd_host;

enum rehabd_log_level {
	REHABD_LOG_ERROR = 0,
	REHABD_LOG_WARN = 1,
	REHABD_LOG_INFO = 2,
	REHABD_LOG_DEBUG = 3,
};

/* A quick reply the runner can tap (Telegram inline button, a suggested
 * answer in a mail).  value is what the tap sends back as inbound text. */
struct rehabd_choice {
	const char *label;
	const char *value;
};

/* One outbound message.  All strings are UTF-8 and owned by the host; they
 * stay valid only for the duration of send(): copy what you keep. */
struct rehabd_message {
	size_t size;            /* sizeof(struct rehabd_message) of the host */
	const char *ref;        /* host id of this message (ASCII, <= 32 bytes);
	                           echo it in rehabd_inbound.ref for taps and
	                           replies to this message */
	const char *runner;     /* runner name, for logs */
	const char *address;    /* runner's address on this channel */
	const char *kind;       /* "morning", "stretch", "strength", "evening",
	                           "reply", ... (informational) */
	const char *local_time; /* due time in the runner's zone,
	                           "YYYY-MM-DD HH:MM TZ" (informational) */
	const char *subject;    /* one-line title, for channels that have one */
	const char *text;       /* the message as plain text */
	const char *html;       /* the same message in simple HTML (b, i, br),
	                           or NULL */
	const struct rehabd_choice *choices; /* quick replies, may be NULL */
	size_t n_choices;
	size_t choices_per_row; /* layout hint for keyboards, 0 = one row */
	/* Since 1.1 (read only when size says it is there): a key that names
	 * this outbox row for good, the same on every retry and after a
	 * restart, and never reused for another message of this database
	 * (ASCII letters, digits and '-', <= 64 bytes).  For servers with
	 * an idempotency key (Matrix txnId, a mail's Message-ID): a retry
	 * sent under the same key is recognised as the same message. */
	const char *key;
};

enum rehabd_send_status {
	REHABD_SEND_OK = 0,          /* delivered to the server */
	REHABD_SEND_RETRY = 1,       /* not delivered, try again later */
	REHABD_SEND_UNREACHABLE = 2, /* the runner cannot be reached (blocked
	                                the bot); do not retry this runner */
	REHABD_SEND_FAILED = 3,      /* permanent failure of this message */
};

struct rehabd_send_result {
	size_t size;
	enum rehabd_send_status status;
	long retry_after_ms;   /* REHABD_SEND_RETRY: server-imposed wait, or 0 */
	const char *remote_id; /* server's id of the sent message, or NULL */
	const char *error;     /* short reason without secrets, or NULL */
};

/* One inbound message.  Strings are owned by the plugin and need to stay
 * valid only during the inbound() call. */
struct rehabd_inbound {
	size_t size;
	const char *id;      /* channel-unique id of this message, for dedup */
	const char *address; /* sender's address on this channel */
	const char *text;    /* typed text, or the value of the tapped choice */
	const char *ref;     /* rehabd_message.ref of the message answered, or
	                        NULL when unknown */
	int is_choice;       /* 1 when the runner tapped a choice */
	int is_private;      /* 1 for a private (one-to-one) conversation */
	int64_t sent_at;     /* server timestamp (Unix seconds), 0 if unknown */
	/* Since 1.2 (the host reads it only when size says it is there):
	 * the server's id of the message answered (a Matrix event id the
	 * runner replied or reacted to), as the plugin reported it in
	 * rehabd_send_result.remote_id, or NULL.  When ref is NULL the host
	 * looks this up among the sender's sent messages, so a plugin needs
	 * no map of its own from server ids to refs. */
	const char *ref_remote_id;
};

/* What the host did with one inbound message. */
enum rehabd_inbound_status {
	REHABD_INBOUND_ACCEPTED = 0,  /* stored (or a command carried out) */
	REHABD_INBOUND_DUPLICATE = 1, /* seen before, nothing done */
	REHABD_INBOUND_IGNORED = 2,   /* not from a runner, or not private */
	REHABD_INBOUND_INVALID = 3,   /* from a runner, not understood */
};

struct rehabd_inbound_result {
	enum rehabd_inbound_status status;
	char ack[128]; /* a short confirmation ("Pain 6/10 saved for Mon
	                  2 Mar"), e.g. for a toast or an edited message */
};

/* HTTP service.  The host runs every request on its event loop (libcurl
 * multi), verifies TLS always and refuses plain http:// except to a
 * loopback address. */
struct rehabd_http_request {
	size_t size;
	const char *method;             /* "GET", "POST", or (since 1.2,
	                                   documented; hosts of 1.1 took
	                                   them too) "PUT", "PATCH",
	                                   "DELETE"; NULL = GET, or POST
	                                   with a body */
	const char *url;                /* may contain secrets: never logged */
	const char *log_url;            /* the URL as it may be logged, or NULL */
	const char *const *headers;     /* "Name: value" lines, may be NULL */
	size_t n_headers;
	const char *body;               /* request body, may be NULL */
	size_t body_len;
	long timeout_ms;                /* whole transfer; 0 = host default */
	size_t max_response;            /* cap on the body; 0 = host default */
};

struct rehabd_http_response {
	size_t size;
	long status;            /* HTTP status, 0 when no response arrived */
	const char *body;       /* NUL-terminated response body, may be "" */
	size_t body_len;
	int transport_error;    /* 0, or the libcurl CURLcode of the failure */
	const char *error;      /* human-readable transport error, or NULL */
	long retry_after_s;     /* Retry-After header in seconds, or -1 */
};

/* Called once per submitted request, on the loop, unless cancelled.  The
 * response and its strings are valid only during the call. */
typedef void (*rehabd_http_done_fn)(void *arg,
				    const struct rehabd_http_response *resp);
typedef void (*rehabd_timer_fn)(void *arg);
typedef void (*rehabd_io_fn)(void *arg, int fd);

/*
 * The host API table.  Passed to check() and open(); valid until close()
 * returns.  Read `size` before using a field appended after version 1.0.
 */
struct rehabd_host_api {
	size_t size;
	uint32_t version; /* REHABD_CHANNEL_ABI_VERSION of the host */

	/* The host's libev loop (struct ev_loop *), for plugins that want to
	 * use libev directly; most need only the timer and io helpers. */
	void *loop;

	/* Logs one line prefixed with the channel name; secrets registered
	 * with secret() are masked. */
	void (*log)(struct rehabd_host *host, enum rehabd_log_level level,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

	/* The channel's instance name as configured ("tg"). */
	const char *(*channel_name)(struct rehabd_host *host);

	/* The value of `key` in the channel's config section as a string
	 * (numbers and booleans are formatted), or NULL when unset.  Owned by
	 * the host, valid until close(). */
	const char *(*setting)(struct rehabd_host *host, const char *key);

	/* "file:line" of `key` in the config (or of the section when key is
	 * NULL or unset), for error messages.  Owned by the host. */
	const char *(*setting_where)(struct rehabd_host *host,
				     const char *key);

	/* Registers a secret to be masked in all log output.  The host copies
	 * it. */
	void (*secret)(struct rehabd_host *host, const char *secret);

	/* Number of runners on this channel and the address of the i-th. */
	size_t (*runner_count)(struct rehabd_host *host);
	const char *(*runner_address)(struct rehabd_host *host, size_t i);

	/* Current time in Unix seconds (the simulated clock in --simulate). */
	double (*now)(struct rehabd_host *host);

	/* One-shot timer after `seconds` of real time.  Returns a handle for
	 * timer_cancel, or 0 when out of memory.  A handle is invalid once its
	 * callback has run. */
	uint64_t (*timer_start)(struct rehabd_host *host, double seconds,
				rehabd_timer_fn fn, void *arg);
	void (*timer_cancel)(struct rehabd_host *host, uint64_t timer);

	/* Calls fn whenever fd is readable.  Returns a handle, 0 on error. */
	uint64_t (*io_watch)(struct rehabd_host *host, int fd, rehabd_io_fn fn,
			     void *arg);
	void (*io_cancel)(struct rehabd_host *host, uint64_t watch);

	/* Starts an HTTP request.  Returns a handle (never 0) or 0 when the
	 * request was refused (bad URL, plain http to a non-loopback host);
	 * done is then never called. */
	uint64_t (*http_submit)(struct rehabd_host *host,
				const struct rehabd_http_request *req,
				rehabd_http_done_fn done, void *arg);
	/* Cancels a request; its done callback is not called. */
	void (*http_cancel)(struct rehabd_host *host, uint64_t request);

	/* Stores a batch of inbound messages and the cursor that confirms
	 * them, in one transaction.  results (may be NULL) receives one entry
	 * per message.  Returns 0 when committed; -1 when nothing was stored
	 * (the plugin must not advance its server-side cursor and should try
	 * again later).  cursor may be NULL to leave it unchanged. */
	int (*inbound)(struct rehabd_host *host,
		       const struct rehabd_inbound *msgs, size_t n,
		       const char *cursor,
		       struct rehabd_inbound_result *results);

	/* The last cursor committed by inbound(), or NULL.  Owned by the
	 * host; valid until the next inbound() call. */
	const char *(*cursor_load)(struct rehabd_host *host);

	/* Reports the outcome of send(token). */
	void (*send_done)(struct rehabd_host *host, uint64_t token,
			  const struct rehabd_send_result *result);

	/* Tells the host the channel stopped for good (bad credentials).  The
	 * host logs the reason and stops sending to it. */
	void (*channel_failed)(struct rehabd_host *host, const char *reason);

	/* Since 1.2 (check size before use): the HTTP service's URL policy,
	 * for a settings check that names a bad server URL at its file:line
	 * before any request (http_submit applies the same policy to every
	 * request).  Returns 0 when http_submit would take url: https:// to
	 * anywhere, http:// only to a loopback host (127.0.0.0/8, ::1,
	 * localhost) without an IPv6 zone id.  Otherwise -1 with the reason
	 * in why (never quoting the URL).  Pure: no I/O. */
	int (*url_check)(struct rehabd_host *host, const char *url, char *why,
			 size_t whylen);

	/* Since 1.2 (check size before use): reads the secret (a token, a
	 * password) in the file that setting `key` names, the same way for
	 * every plugin: a relative name is taken from the config file's
	 * directory; under systemd a credential of the same file name in
	 * $CREDENTIALS_DIRECTORY (LoadCredential=) is read instead;
	 * otherwise the file must be a regular file group and others can
	 * neither read nor write.  Trailing blanks and line ends are
	 * dropped.  Returns 0 with the secret in out (NUL-terminated; the
	 * host has registered it with secret()) and the path it read in
	 * path (may be NULL), or -1 with "file:line: what is wrong — what
	 * to do" in err (never the secret).  Use it in check() and open()
	 * alike, so that --check-config refuses what open() would. */
	int (*secret_file)(struct rehabd_host *host, const char *key, char *out,
			   size_t outlen, char *path, size_t pathlen, char *err,
			   size_t errlen);

	/* Also since 1.2 (check with REHABD_API_HAS). */

	/* A small durable key-value store of the channel (an access token
	 * from a one-time login, a device id, a filter id, a room map),
	 * kept in the state database under the channel's name.
	 * state_get returns the value of key, or NULL when unset (or in
	 * --check-config, where there is no database); the string is owned
	 * by the host and valid until the next state_get call.  state_set
	 * stores value (NULL deletes the key) durably before it returns 0;
	 * -1 when it could not (nothing changed).  Keys are at most 128
	 * bytes, values at most 64 KiB.  Values may be secrets: register
	 * them with secret() as well. */
	const char *(*state_get)(struct rehabd_host *host, const char *key);
	int (*state_set)(struct rehabd_host *host, const char *key,
			 const char *value);

	/* Tells the host that the runner at address can (1) or cannot (0)
	 * be reached any more for a reason the server gave (the runner
	 * left the room).  The host logs it and marks the runner in the
	 * state database (runner_state, as a blocked bot does); reachable = 1
	 * lifts the mark. */
	void (*runner_reachable)(struct rehabd_host *host, const char *address,
				 int reachable, const char *reason);
};

/* 1 when the host API table api has the field f (appended after 1.0). */
#define REHABD_API_HAS(api, f) \
	((api)->size >= offsetof(struct rehabd_host_api, f) + \
			       sizeof((api)->f) && (api)->f != NULL)

/* The descriptor a plugin exports through its entry symbol. */
struct rehabd_channel {
	uint32_t abi_version;   /* REHABD_CHANNEL_ABI_VERSION it was built with */
	const char *name;       /* plugin name, e.g. "telegram" */
	const char *description;
	/* Keys this plugin accepts in its config section, NULL-terminated;
	 * the host reports any other key as unknown.  "plugin" is implied. */
	const char *const *settings;

	/* Optional: validates the settings without side effects.  Returns 0
	 * or -1 with a message (starting "file:line: " via setting_where) in
	 * err. */
	int (*check)(const struct rehabd_host_api *api, struct rehabd_host *host,
		     char *err, size_t errlen);

	/* Required: starts the channel.  On success stores the plugin's state
	 * in *state and returns 0; on failure returns -1 with a message in err
	 * and leaves nothing running. */
	int (*open)(const struct rehabd_host_api *api, struct rehabd_host *host,
		    void **state, char *err, size_t errlen);

	/* Required: queues one message, see "Sending" above.  Returns 0 when
	 * queued (send_done will follow) or -1 when the message was refused
	 * outright (send_done is not called). */
	int (*send)(void *state, const struct rehabd_message *msg,
		    uint64_t token);

	/* Required: stops everything the plugin started and frees its state.
	 * Pending sends are abandoned without send_done. */
	void (*close)(void *state);

	/* Since 1.1, optional (the host reads it only when abi_version's
	 * minor is >= 1): writes the canonical form of a runner address
	 * on this channel to out (NUL-terminated, at most outlen bytes) and
	 * returns 0, or returns -1 with what is wrong and what to write
	 * instead in why.  Pure: no I/O, no host calls.  The host passes
	 * every configured address through it (--check-config refuses a bad
	 * one at its file:line, and two runners with one canonical address),
	 * hands the plugin only canonical forms, and canonicalises each
	 * inbound address before it looks the runner up, so two spellings
	 * of one address are one runner.  Without it the host compares the
	 * bytes as configured. */
	int (*canonical_address)(const char *address, char *out, size_t outlen,
				 char *why, size_t whylen);
};

typedef const struct rehabd_channel *(*rehabd_channel_entry_fn)(void);

/* Every plugin defines this function and nothing else public. */
REHABD_EXPORT const struct rehabd_channel *rehabd_channel_entry(void);

#ifdef __cplusplus
}
#endif

#endif /* REHABD_CHANNEL_H */
