/*
 * Small pieces of runner-facing text that the plan's reasons and the
 * messages both write: a score, a count in words.  Pure.
 */
#ifndef REHABD_COACH_WORDS_H
#define REHABD_COACH_WORDS_H

#include <stddef.h>

/* Rounds a 0-10 threshold of the rules (halves allowed) to the x10
 * scale of the scores (thresholds are never negative in a valid
 * program; negatives round toward zero). */
int coach_to10(double v);

/* Writes a x10 score as "6" or "5.5" into buf (16 bytes fit any) and
 * returns buf, so it can stand in a printf argument list. */
const char *coach_score_text(int score10, char *buf, size_t len);

/* "two" for 2 and so on up to ten; digits above, written into buf.
 * Returns a static string or buf. */
const char *coach_count_word(int n, char *buf, size_t len);

/* Cuts an incomplete UTF-8 sequence off the end of s, as a byte cap (a
 * truncating snprintf) leaves it, so the text stays valid UTF-8 for the
 * chat apps and the store. */
void coach_utf8_cut_tail(char *s);

#endif
