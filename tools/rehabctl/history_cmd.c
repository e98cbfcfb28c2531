/*
 * rehabctl history RUNNER [--days N] [--json] | export [RUNNER] --csv |
 * forget RUNNER [--yes]: a runner's record from the running daemon
 * (daemon/control_history.c).  history prints a day a line; export writes
 * RFC 4180 CSV (one header line, every runner or one) that spreadsheets
 * open; forget erases a runner's health data once they are out of the
 * configuration, after typing their name again (or --yes).
 * Exit 0 when done, 1 when the daemon could not be reached or refused,
 * 2 for a usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "commands.h"

static int usage(FILE *out)
{
	fprintf(out,
		"usage: rehabctl history RUNNER [--days N] [--json] [--socket PATH]\n"
		"         a runner's days: scores, red flags, done/skipped, stage, flags\n"
		"         and the plan's reasons (N days back; all since the start)\n"
		"       rehabctl export [RUNNER] --csv [--socket PATH]\n"
		"         the same as CSV for a spreadsheet, every runner or one\n"
		"       rehabctl forget RUNNER [--yes] [--socket PATH]\n"
		"         erase everything stored of a runner who is no longer in\n"
		"         rehabd.conf (asks for the name again unless --yes)\n");
	return out == stderr ? 2 : 0;
}

static const char *s_or(const json_t *o, const char *key, const char *dflt)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : dflt;
}

static void num(const json_t *v, char *buf, size_t len)
{
	if (json_is_number(v))
		snprintf(buf, len, "%g", json_number_value(v));
	else
		snprintf(buf, len, "%s", "");
}

/* Joins the strings of array a with sep into buf. */
static void joined(const json_t *a, const char *sep, char *buf, size_t len)
{
	size_t i;
	json_t *v;

	buf[0] = '\0';
	json_array_foreach(a, i, v) {
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s", i ? sep : "",
			 json_string_value(v) ? json_string_value(v) : "");
	}
}

static json_t *ask_history(const char *sock, const char *runner, long days)
{
	json_t *req = json_pack("{s:s, s:s, s:I}", "cmd", "history", "runner", runner,
				"days", (json_int_t)days);
	char *text = json_dumps(req, JSON_COMPACT);
	json_t *ans = text ? rehabctl_ask(sock, text) : NULL;

	json_decref(req);
	free(text);
	return ans;
}

static void print_history(const json_t *ans)
{
	size_t i;
	json_t *d;

	printf("%-10s %-4s %-9s %-7s %-7s %-4s %-7s %s\n", "DAY", "DAY#", "STAGE",
	       "MORNING", "SESSION", "DONE", "SKIPPED", "FLAGS / REASONS");
	json_array_foreach(json_object_get(ans, "days"), i, d) {
		char m[16], s[16], stage[24], flags[512], reasons[2048];
		num(json_object_get(d, "morning"), m, sizeof m);
		num(json_object_get(d, "session"), s, sizeof s);
		snprintf(stage, sizeof stage, "%lld/%lld",
			 (long long)json_integer_value(json_object_get(d, "stage")),
			 (long long)json_integer_value(json_object_get(d, "day_in_stage")));
		joined(json_object_get(d, "flags"), ", ", flags, sizeof flags);
		joined(json_object_get(d, "reasons"), " ", reasons, sizeof reasons);
		printf("%-10s %-4lld %-9s %-7s %-7s %-4lld %-7lld %s%s%s%s\n",
		       s_or(d, "day", ""),
		       (long long)json_integer_value(json_object_get(d, "program_day")),
		       stage, m[0] ? m : "-", s[0] ? s : "-",
		       (long long)json_integer_value(json_object_get(d, "done")),
		       (long long)json_integer_value(json_object_get(d, "skipped")),
		       json_is_true(json_object_get(d, "red_flag")) ? "PAIN AT REST/NIGHT; " : "",
		       flags, flags[0] && reasons[0] ? " — " : "", reasons);
	}
}

/* One CSV field, quoted when it needs to be (RFC 4180). */
static void csv_field(const char *s, int last)
{
	if (strpbrk(s, ",\"\r\n")) {
		putchar('"');
		for (; *s; s++) {
			if (*s == '"')
				putchar('"');
			putchar(*s);
		}
		putchar('"');
	} else {
		fputs(s, stdout);
	}
	fputs(last ? "\r\n" : ",", stdout);
}

static void csv_rows(const json_t *ans)
{
	size_t i;
	json_t *d;

	json_array_foreach(json_object_get(ans, "days"), i, d) {
		char buf[2048];
		csv_field(s_or(ans, "runner", ""), 0);
		csv_field(s_or(d, "day", ""), 0);
		snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(json_object_get(d, "program_day")));
		csv_field(buf, 0);
		snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(json_object_get(d, "stage")));
		csv_field(buf, 0);
		snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(json_object_get(d, "day_in_stage")));
		csv_field(buf, 0);
		num(json_object_get(d, "morning"), buf, sizeof buf);
		csv_field(buf, 0);
		num(json_object_get(d, "session"), buf, sizeof buf);
		csv_field(buf, 0);
		csv_field(json_is_true(json_object_get(d, "red_flag")) ? "yes" : "no", 0);
		snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(json_object_get(d, "done")));
		csv_field(buf, 0);
		snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(json_object_get(d, "skipped")));
		csv_field(buf, 0);
		joined(json_object_get(d, "flags"), "; ", buf, sizeof buf);
		csv_field(buf, 0);
		joined(json_object_get(d, "reasons"), " ", buf, sizeof buf);
		csv_field(buf, 1);
	}
}

static int do_export(const char *sock, const char *runner)
{
	json_t *status = NULL, *r;
	size_t i;
	int rc = 0;

	fputs("runner,day,program_day,stage,day_in_stage,morning,session,pain_at_rest_or_night,done,skipped,flags,reasons\r\n",
	      stdout);
	if (runner) {
		json_t *ans = ask_history(sock, runner, 0);
		if (!ans)
			return 1;
		csv_rows(ans);
		json_decref(ans);
		return 0;
	}
	status = rehabctl_ask(sock, "{\"cmd\":\"status\"}");
	if (!status)
		return 1;
	json_array_foreach(json_object_get(status, "runners"), i, r) {
		json_t *ans = ask_history(sock, s_or(r, "name", ""), 0);
		if (!ans) {
			rc = 1;
			continue;
		}
		csv_rows(ans);
		json_decref(ans);
	}
	json_decref(status);
	return rc;
}

static int do_forget(const char *sock, const char *runner, int yes)
{
	char typed[256] = "";
	json_t *req, *ans;
	char *text;

	if (!yes) {
		if (!isatty(STDIN_FILENO)) {
			fprintf(stderr, "rehabctl forget: not a terminal — add --yes to erase %s's data without asking\n",
				runner);
			return 2;
		}
		fprintf(stderr, "This erases every score, reply and message of %s for good.\nType the runner's name to confirm: ",
			runner);
		if (!fgets(typed, sizeof typed, stdin))
			typed[0] = '\0';
		typed[strcspn(typed, "\r\n")] = '\0';
	} else {
		snprintf(typed, sizeof typed, "%s", runner);
	}
	req = json_pack("{s:s, s:s, s:s}", "cmd", "forget", "runner", runner, "confirm", typed);
	text = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	ans = text ? rehabctl_ask(sock, text) : NULL;
	free(text);
	if (!ans)
		return 1;
	printf("%s: everything stored is erased (%lld rows)\n", runner,
	       (long long)json_integer_value(json_object_get(ans, "rows")));
	json_decref(ans);
	return 0;
}

int rehabctl_history_main(int argc, char **argv)
{
	const char *cmd = argv[0], *given = NULL, *runner = NULL;
	int as_json = 0, csv = 0, yes = 0;
	long days = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--socket") && i + 1 < argc) {
			given = argv[++i];
		} else if (!strcmp(argv[i], "--days") && i + 1 < argc) {
			char *end;
			days = strtol(argv[++i], &end, 10);
			if (*end || days < 1 || days > 3660)
				return fprintf(stderr, "rehabctl history: --days takes a whole number from 1 to 3660\n"), 2;
		} else if (!strcmp(argv[i], "--json")) {
			as_json = 1;
		} else if (!strcmp(argv[i], "--csv")) {
			csv = 1;
		} else if (!strcmp(argv[i], "--yes")) {
			yes = 1;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			return usage(stdout);
		} else if (argv[i][0] == '-' || runner) {
			return fprintf(stderr, "rehabctl %s: unexpected \"%s\"\n", cmd, argv[i]), usage(stderr);
		} else {
			runner = argv[i];
		}
	}
	const char *sock = rehabctl_socket_path(given);
	if (!strcmp(cmd, "export")) {
		if (!csv)
			return fprintf(stderr, "rehabctl export: say the format: --csv\n"), usage(stderr);
		return do_export(sock, runner);
	}
	if (!runner)
		return fprintf(stderr, "rehabctl %s: name the runner\n", cmd), usage(stderr);
	if (!strcmp(cmd, "forget"))
		return do_forget(sock, runner, yes);
	json_t *ans = ask_history(sock, runner, days);
	if (!ans)
		return 1;
	if (as_json) {
		char *text = json_dumps(ans, JSON_INDENT(2) | JSON_SORT_KEYS);
		if (text)
			puts(text);
		free(text);
	} else {
		print_history(ans);
	}
	json_decref(ans);
	return 0;
}
