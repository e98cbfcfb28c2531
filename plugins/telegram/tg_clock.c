/*
 * The plugin's clock, in a file of its own so the plugin's unit test can
 * link a clock it moves by hand instead.
 */
#include <time.h>

#include "tg.h"

double tg_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}
