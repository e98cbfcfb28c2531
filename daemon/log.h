/*
 * Logging to stderr (the journal under systemd).  Registered secrets and
 * anything shaped like a Telegram bot token are masked in every line, as
 * a last line of defence: code should never format a secret to begin
 * with.
 */
#ifndef REHABD_LOG_H
#define REHABD_LOG_H

#include <stdarg.h>

#include <rehabd/channel.h>

/* level: enum rehabd_log_level.  With a syslog prefix ("<3>") when stderr
 * is the journal (JOURNAL_STREAM set), with the simulated time when a
 * clock function is given. */
void log_init(int level);
void log_set_level(int level);
int log_get_level(void);

/* Prefix each line with the instant returned by now_fn (simulated runs);
 * NULL to stop. */
void log_set_time_source(double (*now_fn)(void *), void *arg);

/* Masks s in all later output (copied; at least 4 characters). */
void log_secret_add(const char *s);
void log_secrets_clear(void);

void log_msg(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void log_vmsg(int level, const char *prefix, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* Masks secrets in line (in place) and returns it; exposed for tests. */
char *log_redact(char *line);

/* Makes line one line (in place) and returns it: control characters (a
 * newline or CR in a config value, say) become spaces, so an error is
 * one journal line that cannot forge another. */
char *log_one_line(char *line);

#define log_error(...) log_msg(REHABD_LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(REHABD_LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(REHABD_LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(REHABD_LOG_DEBUG, __VA_ARGS__)

#endif
