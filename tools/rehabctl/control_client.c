/*
 * rehabctl's side of the daemon's control socket (daemon/control.h): where
 * it is, and one request and its answer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <jansson.h>

#include "commands.h"
#include "control.h"

/* Where the daemon listens: systemd's RuntimeDirectory first, then the
 * default state directory. */
static const char *const default_sockets[] = {
	"/run/rehabd/" CONTROL_SOCKET,
	"/var/lib/rehabd/" CONTROL_SOCKET,
};

const char *rehabctl_socket_path(const char *given)
{
	const char *env = getenv("REHABD_SOCKET");
	struct stat sb;

	if (given)
		return given;
	if (env && *env)
		return env;
	for (size_t i = 0; i < sizeof default_sockets / sizeof default_sockets[0]; i++)
		if (stat(default_sockets[i], &sb) == 0)
			return default_sockets[i];
	return default_sockets[0];
}

/* Sends request and reads the answer line.  Returns the parsed answer
 * or NULL with what went wrong printed. */
json_t *rehabctl_ask(const char *path, const char *request)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char *buf = NULL;
	size_t len = 0, cap = 0;
	json_error_t jerr;
	json_t *ans;
	int fd;

	if (strlen(path) >= sizeof sa.sun_path) {
		fprintf(stderr, "rehabctl: %s: the path is too long\n", path);
		return NULL;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		if (errno == EACCES || errno == EPERM)
			fprintf(stderr, "rehabctl: not allowed to reach rehabd at %s — run rehabctl as root (sudo) or as rehabd's user\n",
				path);
		else
			fprintf(stderr, "rehabctl: cannot reach rehabd at %s: %s — is it running (systemctl status rehabd)? Give the socket with --socket PATH (it is <state_dir>/%s when not under systemd)\n",
				path, strerror(errno), CONTROL_SOCKET);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (send(fd, request, strlen(request), MSG_NOSIGNAL) < 0 ||
	    send(fd, "\n", 1, MSG_NOSIGNAL) < 0) {
		fprintf(stderr, "rehabctl: %s: %s\n", path, strerror(errno));
		close(fd);
		return NULL;
	}
	for (;;) {
		if (cap - len < 4096) {
			char *nb = realloc(buf, cap = cap ? cap * 2 : 65536);
			if (!nb) {
				free(buf);
				close(fd);
				fprintf(stderr, "rehabctl: out of memory\n");
				return NULL;
			}
			buf = nb;
		}
		ssize_t n = recv(fd, buf + len, cap - len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	ans = buf ? json_loadb(buf, len, 0, &jerr) : NULL;
	free(buf);
	if (!json_is_object(ans)) {
		fprintf(stderr, "rehabctl: rehabd's answer could not be read — is the daemon the same version as rehabctl?\n");
		json_decref(ans);
		return NULL;
	}
	if (!json_is_true(json_object_get(ans, "ok"))) {
		const char *why = json_string_value(json_object_get(ans, "error"));
		fprintf(stderr, "rehabctl: rehabd refused: %s\n", why ? why : "no reason given");
		json_decref(ans);
		return NULL;
	}
	return ans;
}

