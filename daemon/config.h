/*
 * rehabd.conf: the daemon's settings, its channels and its runners, read
 * with libconfig and validated completely before anything starts.
 *
 * File layout (see conf/rehabd.conf for a commented example):
 *
 *   daemon = { state_dir = "..."; plugin_dir = "..."; program_dir = "...";
 *              log_level = "info"; grace_minutes = 120; };
 *   channels = { <name> = { plugin = "telegram"; <plugin settings> }; ... };
 *   runners = ( { name = "anna"; channel = "<name>"; address = "...";
 *                 zone = "Europe/Berlin"; program = "iliopsoas";
 *                 start = "2026-03-02";
 *                 stretch = [ "07:30", "13:00", "21:00" ];
 *                 strength = "18:00"; morning = "07:00";
 *                 evening = "20:30"; }, ... );
 *
 * Relative paths are resolved against the directory of the config file.
 */
#ifndef REHABD_CONFIG_H
#define REHABD_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#define CFG_MAX_STRETCH 3
#define CFG_ERR_MAX 1024

enum log_level_cfg { CFG_LOG_ERROR, CFG_LOG_WARN, CFG_LOG_INFO, CFG_LOG_DEBUG };

/* One plugin setting, kept as text (numbers and booleans formatted). */
struct cfg_setting {
	char *key;
	char *value;
	int line;
};

struct cfg_channel {
	char *name;   /* the group's name in `channels` */
	char *plugin; /* plugin file is <plugin_dir>/<plugin>.so */
	int line;
	size_t n_settings; /* every key of the group except `plugin` */
	struct cfg_setting *settings;
};

struct cfg_runner {
	char *name;
	char *channel;
	char *address;
	char *zone;      /* IANA name, checked against the zone database */
	char *program;   /* program name: <program_dir>/<program>.conf */
	char *program_file; /* that file, or the shipped one of that name
	                       (REHABD_SHIPPED_PROGRAM_DIR) when program_dir
	                       has none */
	int32_t start_day; /* coach_date day number */
	int n_stretch;   /* 2 or 3 */
	int stretch_min[CFG_MAX_STRETCH]; /* minutes after local midnight,
	                                     ascending */
	int strength_min;
	int morning_min;
	int evening_min; /* defaults to strength + 60 */
	int line;
};

struct cfg {
	char *path;        /* the file as given */
	char *state_dir;   /* default /var/lib/rehabd */
	char *plugin_dir;  /* default REHABD_PLUGIN_DIR (install path) */
	char *program_dir; /* default /etc/rehabd/programs */
	int log_level;     /* enum log_level_cfg, default info */
	int grace_minutes; /* default 120 */
	int send_expiry_minutes; /* give up retrying a reminder, default 360 */
	size_t n_channels;
	struct cfg_channel *channels;
	size_t n_runners;
	struct cfg_runner *runners;
};

/*
 * Reads and validates path.  On success returns 0 and a new config in
 * *out (free with cfg_free).  On failure returns -1 and writes one message
 * "file:line: what is wrong — what to do" into err.  Checks: syntax,
 * unknown keys, types, times (HH:MM, 00:00-23:59), zones, dates, runner
 * channels defined, duplicate runner names and (channel, address) pairs,
 * 2-3 stretch times, plugin file present in plugin_dir, program file
 * present in program_dir.  plugin_dir_override / state_dir_override (may
 * be NULL) replace the file's values before the checks.
 */
int cfg_load(const char *path, const char *plugin_dir_override,
	     const char *state_dir_override, struct cfg **out, char *err,
	     size_t errlen);

void cfg_free(struct cfg *cfg);

/* Finds a channel or runner by name; NULL when absent. */
const struct cfg_channel *cfg_channel_find(const struct cfg *cfg,
					   const char *name);
const struct cfg_runner *cfg_runner_find(const struct cfg *cfg,
					 const char *name);

/* Parses "HH:MM" or "H:MM" (00:00-23:59) into minutes after midnight;
 * -1 if bad. */
int cfg_parse_hhmm(const char *s);

/* Returns 1 when zone names a zone in the system's zone database
 * (TZDIR or /usr/share/zoneinfo), 0 otherwise. */
int cfg_zone_exists(const char *zone);

/* Parses "error", "warn", "info", "debug"; -1 if bad. */
int cfg_parse_log_level(const char *s);

#endif
