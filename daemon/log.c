/*
 * Line-oriented logging with secret masking.
 */
#include "log.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOG_LINE_MAX 2048
#define LOG_MAX_SECRETS 32

static int log_level = REHABD_LOG_INFO;
static int log_journal;
static double (*log_now_fn)(void *);
static void *log_now_arg;
static char *log_secrets[LOG_MAX_SECRETS];
static size_t log_n_secrets;

void log_init(int level)
{
	log_level = level;
	/* systemd sets JOURNAL_STREAM when stderr is connected to journald;
	 * "<N>" prefixes then carry the priority (sd-daemon(3)). */
	log_journal = getenv("JOURNAL_STREAM") != NULL;
}

void log_set_level(int level)
{
	log_level = level;
}

int log_get_level(void)
{
	return log_level;
}

void log_set_time_source(double (*now_fn)(void *), void *arg)
{
	log_now_fn = now_fn;
	log_now_arg = arg;
}

void log_secret_add(const char *s)
{
	if (!s || strlen(s) < 4 || log_n_secrets == LOG_MAX_SECRETS)
		return;
	for (size_t i = 0; i < log_n_secrets; i++)
		if (!strcmp(log_secrets[i], s))
			return;
	char *copy = strdup(s);
	if (copy)
		log_secrets[log_n_secrets++] = copy;
}

void log_secrets_clear(void)
{
	for (size_t i = 0; i < log_n_secrets; i++)
		free(log_secrets[i]);
	log_n_secrets = 0;
}

/* Masks "bot<digits>:<20+ token chars>" even if never registered, since a
 * URL with a token is the usual way one leaks. */
static void redact_bot_tokens(char *line)
{
	for (char *p = line; (p = strstr(p, "bot")) != NULL; p += 3) {
		char *q = p + 3;
		while (isdigit((unsigned char)*q))
			q++;
		if (q == p + 3 || *q != ':')
			continue;
		char *t = q + 1;
		size_t n = 0;
		while (isalnum((unsigned char)t[n]) || t[n] == '_' || t[n] == '-')
			n++;
		if (n >= 20)
			memset(p + 3, '*', (size_t)(t + n - (p + 3)));
	}
}

char *log_redact(char *line)
{
	for (size_t i = 0; i < log_n_secrets; i++) {
		size_t n = strlen(log_secrets[i]);
		for (char *p = line; (p = strstr(p, log_secrets[i])) != NULL; p += n)
			memset(p, '*', n);
	}
	redact_bot_tokens(line);
	return line;
}

char *log_one_line(char *line)
{
	for (unsigned char *p = (unsigned char *)line; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return line;
}

void log_vmsg(int level, const char *prefix, const char *fmt, va_list ap)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };
	static const int syslog_prio[] = { 3, 4, 6, 7 };
	char line[LOG_LINE_MAX];
	char stamp[40] = "";

	if (level > log_level)
		return;
	if (level < 0)
		level = 0;
	if (level > 3)
		level = 3;
	vsnprintf(line, sizeof line, fmt, ap);
	log_one_line(log_redact(line));
	if (log_now_fn) {
		time_t t = (time_t)log_now_fn(log_now_arg);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(stamp, sizeof stamp, "[%Y-%m-%dT%H:%MZ] ", &tm);
	}
	if (log_journal)
		fprintf(stderr, "<%d>%s%s%s%s\n", syslog_prio[level], stamp,
			prefix ? prefix : "", prefix ? ": " : "", line);
	else
		fprintf(stderr, "rehabd %s: %s%s%s%s\n", names[level], stamp,
			prefix ? prefix : "", prefix ? ": " : "", line);
}

void log_msg(int level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(level, NULL, fmt, ap);
	va_end(ap);
}
