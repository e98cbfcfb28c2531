/*
 * The control socket: rehabctl's way into the running daemon (status
 * first).  A UNIX stream socket, mode 0600, that answers only its own
 * user and root (SO_PEERCRED).  One request per connection: a JSON object
 * and a newline; one answer: a JSON object and a newline, then the
 * daemon closes.  Everything runs on the event loop, never blocking it:
 * a client that stalls is dropped after CONTROL_TIMEOUT seconds.
 */
#ifndef REHABD_CONTROL_H
#define REHABD_CONTROL_H

#include <stddef.h>

#include <jansson.h>

struct ev_loop;
struct control;

#define CONTROL_SOCKET "control.sock"
#define CONTROL_TIMEOUT 5.0          /* real seconds per connection */
#define CONTROL_REQUEST_MAX 65536    /* bytes of one request */

/* Answers one request: returns a new JSON object (the caller of the
 * handler, the control socket, adds "ok": true and frees it), or NULL
 * with what is wrong (and what to do) in err. */
typedef json_t *(*control_handler_fn)(void *arg, const char *cmd,
				      const json_t *request, char *err,
				      size_t errlen);

/* Listens on path (a stale socket there is replaced; anything else is
 * refused).  Returns the server, or NULL with a message in err. */
struct control *control_open(struct ev_loop *loop, const char *path,
			     control_handler_fn handler, void *arg, char *err,
			     size_t errlen);

/* Stops listening, drops the connections, removes the socket file. */
void control_close(struct control *c);

#endif
