/*
 * rehabd --plugin-test FILE: a plugin author's first run without a
 * config, runners or a database.  Loads FILE as rehabd would, gives it
 * the settings from the command line and one runner address, runs its
 * check() and open(), sends one message with quick answers, and prints
 * every host call the plugin makes that matters (send_done, inbound
 * messages, a channel failure) until the send is reported or the time is
 * up.
 */
#ifndef REHABD_PLUGIN_TEST_H
#define REHABD_PLUGIN_TEST_H

#include <stddef.h>

struct plugin_test_options {
	const char *file;          /* path of the .so */
	const char *address;       /* the runner's address on the channel */
	const char *const *settings; /* "key=value" */
	size_t n_settings;
	double wait;               /* real seconds to wait for the outcome
	                              and for replies after it */
};

/* Returns the process exit status: 0 when the message was reported
 * sent, 1 otherwise (the reason printed). */
int plugin_test_run(const struct plugin_test_options *opt);

#endif
