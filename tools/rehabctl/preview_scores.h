/*
 * The scores file of rehabctl preview (a runner's replies as CSV) read
 * into the coach's history.  The format is described in preview_scores.c
 * and in README.md, "Previewing a program".
 */
#ifndef REHABCTL_PREVIEW_SCORES_H
#define REHABCTL_PREVIEW_SCORES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "coach/plan.h"

/* The history built from a scores file; owns its arrays (free with
 * preview_hist_free).  h points into days and pauses. */
struct preview_hist {
	struct coach_day_log *days;
	struct coach_pause *pauses;
	struct coach_history h;
};

/*
 * Reads a scores file from f, which messages call name, to its end.
 * Returns 0 with *ph filled (an empty history for a file without
 * replies), or -1 with "NAME:LINE: what is wrong — what to do" (or
 * "NAME: ...") in err and *ph empty.  Does not close f.
 */
int preview_scores_read(FILE *f, const char *name, struct preview_hist *ph,
			char *err, size_t errlen);

/* preview_scores_read of the file at path, with "PATH: why" in err when
 * it cannot be opened. */
int preview_scores_load(const char *path, struct preview_hist *ph, char *err,
			size_t errlen);

/* Frees what *ph owns and empties it. */
void preview_hist_free(struct preview_hist *ph);

/* Parses a whole decimal number in [lo, hi] (no sign, nothing after
 * it); returns false otherwise. */
bool preview_parse_int(const char *s, int lo, int hi, int *out);

#endif
