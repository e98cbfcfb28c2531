/*
 * rehabd: command line.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "config.h"
#include "config_print.h"
#include "engine.h"
#include "log.h"

#define DEFAULT_CONFIG "/etc/rehabd/rehabd.conf"
#define DEFAULT_SPEED 3600.0

static void usage(FILE *out)
{
	fprintf(out,
		"usage: rehabd [OPTIONS]\n"
		"\n"
		"Coaches runners back from a hip flexor (iliopsoas) injury: sends the day's\n"
		"stretches and strength session at set local times, reads pain scores and\n"
		"adjusts the next day's plan.\n"
		"\n"
		"  -c, --config FILE        configuration file (default %s)\n"
		"      --check-config FILE  validate FILE, its programs and plugins; print\n"
		"                           \"ok\" (exit 0) or \"file:line: message\" (exit 1)\n"
		"  -t, --test               validate the configuration file (-c, or the\n"
		"                           default) the same way, naming the file\n"
		"  -T, --print-config       validate it, then print it with every default\n"
		"                           filled in (secrets masked)\n"
		"      --state-dir DIR      use DIR instead of daemon.state_dir\n"
		"      --plugin-dir DIR     load plugins from DIR instead of daemon.plugin_dir\n"
		"      --log-level LEVEL    error, warn, info or debug (default: the config's)\n"
		"      --simulate INSTANT   run on a simulated clock starting at INSTANT\n"
		"                           (ISO 8601 with zone, e.g. 2026-03-02T05:00:00Z)\n"
		"      --speed N            simulated seconds per real second (default %.0f)\n"
		"      --until INSTANT      stop when the (simulated) clock reaches INSTANT\n"
		"  -V, --version            print the version and exit\n"
		"  -h, --help               print this help and exit\n"
		"\n"
		"Signals: SIGTERM/SIGINT stop cleanly; SIGHUP reloads the configuration\n"
		"(a bad new configuration is refused and the running one kept).\n",
		DEFAULT_CONFIG, DEFAULT_SPEED);
}

/* rehabd -t / -T: the configuration file the daemon would read, checked
 * as --check-config does; -T then prints it with its defaults (after the
 * check, so that the secrets the plugins registered are masked). */
static int test_config(const char *path, const char *plugin_dir, int print)
{
	char err[CFG_ERR_MAX];
	struct cfg *cfg = NULL;
	int rc = 0;

	if (engine_check_config(path, plugin_dir, err, sizeof err) != 0) {
		printf("%s\n", log_one_line(log_redact(err)));
		fflush(stdout);
		fprintf(stderr, "rehabd: the configuration file %s is not valid\n",
			path);
		return 1;
	}
	if (print) {
		if (cfg_load(path, plugin_dir, NULL, &cfg, err, sizeof err) != 0) {
			printf("%s\n", log_one_line(log_redact(err)));
			return 1;
		}
		if (cfg_print(cfg, log_redact, stdout) != 0)
			rc = 1;
		cfg_free(cfg);
		return rc;
	}
	printf("rehabd: the configuration file %s is ok\n", path);
	return 0;
}

int main(int argc, char **argv)
{
	enum { O_CHECK = 256, O_STATE, O_PLUGIN, O_LOG, O_SIM, O_SPEED, O_UNTIL };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", required_argument, NULL, O_CHECK },
		{ "state-dir", required_argument, NULL, O_STATE },
		{ "plugin-dir", required_argument, NULL, O_PLUGIN },
		{ "log-level", required_argument, NULL, O_LOG },
		{ "simulate", required_argument, NULL, O_SIM },
		{ "speed", required_argument, NULL, O_SPEED },
		{ "until", required_argument, NULL, O_UNTIL },
		{ "test", no_argument, NULL, 't' },
		{ "print-config", no_argument, NULL, 'T' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct engine_options opt = {
		.config_path = DEFAULT_CONFIG,
		.log_level = -1,
		.speed = DEFAULT_SPEED,
	};
	const char *check = NULL;
	int c, speed_given = 0, until_given = 0, test = 0;

	log_init(REHABD_LOG_INFO);
	while ((c = getopt_long(argc, argv, "c:tTVh", longopts, NULL)) != -1) {
		char *end;
		switch (c) {
		case 'c':
			opt.config_path = optarg;
			break;
		case O_CHECK:
			check = optarg;
			break;
		case 't':
			test = test ? test : 't';
			break;
		case 'T':
			test = 'T';
			break;
		case O_STATE:
			opt.state_dir = optarg;
			break;
		case O_PLUGIN:
			opt.plugin_dir = optarg;
			break;
		case O_LOG:
			opt.log_level = cfg_parse_log_level(optarg);
			if (opt.log_level < 0) {
				fprintf(stderr, "rehabd: --log-level %s: use error, warn, info or debug\n", optarg);
				return 2;
			}
			break;
		case O_SIM:
			if (clock_parse_instant(optarg, &opt.sim_start) != 0) {
				fprintf(stderr, "rehabd: --simulate %s: not an instant — write e.g. 2026-03-02T05:00:00Z\n", optarg);
				return 2;
			}
			opt.simulate = 1;
			break;
		case O_SPEED:
			opt.speed = strtod(optarg, &end);
			if (*end || !(opt.speed > 0) || opt.speed > 1e7) {
				fprintf(stderr, "rehabd: --speed %s: give a number between 0 and 10000000\n", optarg);
				return 2;
			}
			speed_given = 1;
			break;
		case O_UNTIL:
			if (clock_parse_instant(optarg, &opt.until) != 0) {
				fprintf(stderr, "rehabd: --until %s: not an instant — write e.g. 2026-03-16T00:00:00Z\n", optarg);
				return 2;
			}
			until_given = 1;
			break;
		case 'V':
			printf("rehabd %s (channel plugin ABI %d.%d)\n", REHABD_VERSION,
			       REHABD_CHANNEL_ABI_MAJOR, REHABD_CHANNEL_ABI_MINOR);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "rehabd: run rehabd --help for the options\n");
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "rehabd: unexpected argument \"%s\" — run rehabd --help for the options\n",
			argv[optind]);
		return 2;
	}
	if ((speed_given || until_given) && !opt.simulate) {
		fprintf(stderr, "rehabd: --speed and --until need --simulate\n");
		return 2;
	}
	if (opt.log_level >= 0)
		log_set_level(opt.log_level);

	if (test)
		return test_config(opt.config_path, opt.plugin_dir, test == 'T');
	if (check) {
		char err[CFG_ERR_MAX];
		/* Plugins may log while checking; keep stdout for the verdict. */
		if (engine_check_config(check, opt.plugin_dir, err, sizeof err) != 0) {
			/* The verdict goes to the journal through ExecStartPre:
			 * secrets masked, one line. */
			printf("%s\n", log_one_line(log_redact(err)));
			return 1;
		}
		printf("ok\n");
		return 0;
	}
	return engine_run(&opt);
}
