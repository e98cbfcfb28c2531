/*
 * The engine: everything between the config and the channels.  It owns
 * the loop, the clock, the store, the HTTP service and the channels; arms
 * one timer per runner for its next slot in the runner's zone; turns due
 * slots into outbox rows with the coach's text; sends them and retries;
 * and turns inbound replies into pain, adherence, pauses and answers.
 *
 * Flow of one reminder: runner timer -> slot due -> coach plan and text ->
 * outbox row (unique runner+day+slot) -> channel send -> send_done marks
 * it sent or schedules a retry with backoff.
 * Flow of one reply: plugin batch -> unknown senders dropped -> parse ->
 * rows + cursor in one transaction -> the answer queued in the outbox.
 */
#ifndef REHABD_ENGINE_H
#define REHABD_ENGINE_H

#include <stddef.h>

struct engine_options {
	const char *config_path;
	const char *plugin_dir; /* overrides daemon.plugin_dir, or NULL */
	const char *state_dir;  /* overrides daemon.state_dir, or NULL */
	int log_level;          /* overrides daemon.log_level, or -1 */
	int simulate;           /* run on the simulated clock */
	double sim_start;       /* its start instant */
	double speed;           /* its speed */
	double until;           /* stop when the clock passes this, or 0 */
};

/* The exit status for a configuration rehabd refuses (sysexits.h's
 * EX_CONFIG): the unit's RestartPreventExitStatus= stops restarting on
 * it, since the same file fails again. */
#define ENGINE_EXIT_CONFIG 78

/* Runs the daemon until SIGTERM/SIGINT (or `until`).  Returns the process
 * exit status: 0, ENGINE_EXIT_CONFIG for a refused configuration, 1 for
 * other start-up errors (printed to the log). */
int engine_run(const struct engine_options *opt);

/* --check-config: validates the config, loads every plugin and program
 * file and runs the plugins' checks.  Returns 0, or -1 with one message
 * in err. */
int engine_check_config(const char *path, const char *plugin_dir,
			char *err, size_t errlen);

#endif
