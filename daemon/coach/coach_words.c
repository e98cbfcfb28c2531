/*
 * Runner-facing words shared by plan.c and message.c.
 */
#include "coach_words.h"

#include <stdio.h>
#include <string.h>

int coach_to10(double v)
{
	return (int)(v * 10.0 + (v >= 0 ? 0.5 : -0.5));
}

const char *coach_score_text(int score10, char *buf, size_t len)
{
	/* Never the locale's decimal point: "2.5" in every language. */
	if (score10 % 10 == 0)
		snprintf(buf, len, "%d", score10 / 10);
	else
		snprintf(buf, len, "%d.%d", score10 / 10, score10 % 10);
	return buf;
}

const char *coach_count_word(int n, char *buf, size_t len)
{
	static const char *const words[] = {
		"zero", "one", "two", "three", "four", "five",
		"six", "seven", "eight", "nine", "ten",
	};
	if (n >= 0 && n <= 10)
		return words[n];
	snprintf(buf, len, "%d", n);
	return buf;
}

void coach_utf8_cut_tail(char *s)
{
	size_t n = strlen(s), i = n;

	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0 || (unsigned char)s[i - 1] < 0xC0)
		return; /* ASCII last, or only stray continuation bytes */
	unsigned char lead = (unsigned char)s[i - 1];
	size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
	if (n - (i - 1) < need)
		s[i - 1] = '\0';
}
