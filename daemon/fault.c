/*
 * Named crash points: see fault.h.
 */
#include "fault.h"

#ifdef REHABD_CRASH_POINTS
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fault_point(const char *point)
{
	static int loaded;
	static char name[32];
	static long left;

	if (!loaded) {
		const char *spec = getenv("REHABD_CRASH_AT");
		const char *colon = spec ? strchr(spec, ':') : NULL;
		loaded = 1;
		if (colon && (size_t)(colon - spec) < sizeof name) {
			memcpy(name, spec, (size_t)(colon - spec));
			left = strtol(colon + 1, NULL, 10);
		}
	}
	if (left > 0 && !strcmp(name, point) && --left == 0) {
		fprintf(stderr, "rehabd: crash point %s reached (REHABD_CRASH_AT)\n",
			point);
		abort();
	}
}
#endif
