/*
 * The daemon's clock: real time, or a simulated clock that starts at a
 * given instant and runs `speed` times faster than real time.  Everything
 * that asks "what time is it" asks here, so the demo and the end-to-end
 * tests run weeks of program through the production code paths.
 */
#ifndef REHABD_CLOCK_H
#define REHABD_CLOCK_H

struct rclock {
	int simulated;
	double sim_start;  /* simulated instant at real_start */
	double real_start; /* CLOCK_MONOTONIC seconds when started */
	double speed;      /* simulated seconds per real second */
};

void clock_init_real(struct rclock *c);
void clock_init_sim(struct rclock *c, double start, double speed);

/* Current instant in Unix seconds. */
double clock_now(const struct rclock *c);

/* Real seconds until the clock shows `instant` (0 if past). */
double clock_real_delay(const struct rclock *c, double instant);

/* Clock seconds that pass during `real_seconds` of real time. */
double clock_span(const struct rclock *c, double real_seconds);

/* Parses an ISO 8601 instant "YYYY-MM-DDTHH:MM[:SS](Z|+HH:MM|-HH:MM)".
 * Returns 0 and the Unix time, or -1. */
int clock_parse_instant(const char *s, double *out);

#endif
