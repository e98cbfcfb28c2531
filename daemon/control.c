/* The control socket; see control.h. */
#include "control.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <ev.h>

#include "log.h"

struct conn {
	struct control *c;
	struct conn *next;
	int fd;
	ev_io io;
	ev_timer timer;
	char *in;
	size_t in_len;
	char *out;           /* the answer being written, or NULL */
	size_t out_len, out_done;
};

struct control {
	struct ev_loop *loop;
	char *path;
	int fd;
	ev_io io;
	control_handler_fn handler;
	void *arg;
	struct conn *conns;
};

static void conn_free(struct conn *k)
{
	struct control *c = k->c;

	for (struct conn **p = &c->conns; *p; p = &(*p)->next)
		if (*p == k) {
			*p = k->next;
			break;
		}
	ev_io_stop(c->loop, &k->io);
	ev_timer_stop(c->loop, &k->timer);
	close(k->fd);
	free(k->in);
	free(k->out);
	free(k);
}

static void conn_timeout(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	conn_free(w->data);
}

static void conn_write_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct conn *k = w->data;
	(void)loop;
	(void)revents;
	while (k->out_done < k->out_len) {
		ssize_t n = send(k->fd, k->out + k->out_done,
				 k->out_len - k->out_done, MSG_NOSIGNAL);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			conn_free(k);
			return;
		}
		k->out_done += (size_t)n;
	}
	conn_free(k);
}

/* Queues obj (consumed) as the answer and starts writing it. */
static void conn_answer(struct conn *k, json_t *obj)
{
	char *text = obj ? json_dumps(obj, JSON_COMPACT) : NULL;

	json_decref(obj);
	if (!text) {
		conn_free(k);
		return;
	}
	k->out_len = strlen(text) + 1;
	k->out = realloc(text, k->out_len + 1);
	if (!k->out) {
		free(text);
		conn_free(k);
		return;
	}
	k->out[k->out_len - 1] = '\n';
	k->out[k->out_len] = '\0';
	ev_io_stop(k->c->loop, &k->io);
	ev_io_init(&k->io, conn_write_cb, k->fd, EV_WRITE);
	k->io.data = k;
	ev_io_start(k->c->loop, &k->io);
}

static json_t *error_answer(const char *why)
{
	return json_pack("{s:b, s:s}", "ok", 0, "error", why);
}

/* A whole request line arrived: parse, dispatch, answer. */
static void conn_handle(struct conn *k)
{
	json_error_t jerr;
	json_t *req = json_loadb(k->in, k->in_len, 0, &jerr), *ans;
	const char *cmd = req ? json_string_value(json_object_get(req, "cmd")) : NULL;
	char err[512] = "";

	if (!json_is_object(req) || !cmd) {
		json_decref(req);
		conn_answer(k, error_answer("the request is not a JSON object with \"cmd\" — use rehabctl"));
		return;
	}
	ans = k->c->handler(k->c->arg, cmd, req, err, sizeof err);
	json_decref(req);
	if (!ans) {
		conn_answer(k, error_answer(err[0] ? err : "the command failed"));
		return;
	}
	json_object_set_new(ans, "ok", json_true());
	conn_answer(k, ans);
}

static void conn_read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct conn *k = w->data;
	char buf[4096];
	(void)loop;
	(void)revents;

	for (;;) {
		ssize_t n = recv(k->fd, buf, sizeof buf, 0);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			conn_free(k);
			return;
		}
		char *nl = memchr(buf, '\n', (size_t)n);
		size_t take = nl ? (size_t)(nl - buf) : (size_t)n;
		if (k->in_len + take > CONTROL_REQUEST_MAX) {
			conn_answer(k, error_answer("the request is too large"));
			return;
		}
		char *in = realloc(k->in, k->in_len + take + 1);
		if (!in) {
			conn_free(k);
			return;
		}
		k->in = in;
		memcpy(k->in + k->in_len, buf, take);
		k->in_len += take;
		k->in[k->in_len] = '\0';
		if (nl) {
			conn_handle(k);
			return;
		}
	}
}

static void accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct control *c = w->data;
	(void)revents;

	for (;;) {
		int fd = accept4(c->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct ucred cred;
		socklen_t len = sizeof cred;
		struct conn *k;

		if (fd < 0)
			return; /* EAGAIN, or an error the next accept repeats */
		k = calloc(1, sizeof *k);
		if (!k) {
			close(fd);
			continue;
		}
		k->c = c;
		k->fd = fd;
		k->next = c->conns;
		c->conns = k;
		ev_timer_init(&k->timer, conn_timeout, CONTROL_TIMEOUT, 0);
		k->timer.data = k;
		ev_timer_start(loop, &k->timer);
		/* Only rehabd's own user and root: the socket's mode says
		 * so too, this holds if a directory lets others in. */
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 ||
		    (cred.uid != 0 && cred.uid != geteuid())) {
			log_warn("control socket: refused a connection from uid %ld (only root and rehabd's user may use it)",
				 len == sizeof cred ? (long)cred.uid : -1L);
			conn_answer(k, error_answer("not allowed: run rehabctl as root or as rehabd's user"));
			continue;
		}
		ev_io_init(&k->io, conn_read_cb, fd, EV_READ);
		k->io.data = k;
		ev_io_start(loop, &k->io);
	}
}

struct control *control_open(struct ev_loop *loop, const char *path,
			     control_handler_fn handler, void *arg, char *err,
			     size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct control *c;
	struct stat sb;
	mode_t old;

	if (strlen(path) >= sizeof sa.sun_path) {
		snprintf(err, errlen, "control socket %s: the path is too long — use a shorter state or runtime directory",
			 path);
		return NULL;
	}
	if (lstat(path, &sb) == 0) {
		if (!S_ISSOCK(sb.st_mode)) {
			snprintf(err, errlen, "control socket %s: something other than a socket is there — move it away",
				 path);
			return NULL;
		}
		unlink(path); /* left by a daemon that did not stop cleanly */
	}
	c = calloc(1, sizeof *c);
	if (!c || !(c->path = strdup(path))) {
		free(c);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->loop = loop;
	c->handler = handler;
	c->arg = arg;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	old = umask(0177); /* the socket file is born 0600 */
	if (c->fd < 0 || bind(c->fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    listen(c->fd, 16) != 0) {
		umask(old);
		snprintf(err, errlen, "control socket %s: %s — check the directory's permissions",
			 path, strerror(errno));
		if (c->fd >= 0)
			close(c->fd);
		free(c->path);
		free(c);
		return NULL;
	}
	umask(old);
	ev_io_init(&c->io, accept_cb, c->fd, EV_READ);
	c->io.data = c;
	ev_io_start(loop, &c->io);
	return c;
}

void control_close(struct control *c)
{
	if (!c)
		return;
	while (c->conns)
		conn_free(c->conns);
	ev_io_stop(c->loop, &c->io);
	close(c->fd);
	unlink(c->path);
	free(c->path);
	free(c);
}
