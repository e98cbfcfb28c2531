/*
 * The systemd notification protocol (READY=1, STATUS=, WATCHDOG=1,
 * STOPPING=1): one datagram to $NOTIFY_SOCKET.  The protocol is stable and
 * small enough to speak directly, so the daemon needs no libsystemd.
 */
#ifndef REHABD_SDNOTIFY_H
#define REHABD_SDNOTIFY_H

/* Sends msg if $NOTIFY_SOCKET is set.  Returns 1 sent, 0 not under
 * systemd, -1 on error. */
int sdnotify(const char *msg);

/* The watchdog interval in seconds from $WATCHDOG_USEC (when meant for
 * this process), or 0. */
double sdnotify_watchdog_interval(void);

#endif
