/*
 * Text of the Matrix channel, pure functions: reply fallbacks stripped
 * from what runners type, the HTML body of a notice, and the reaction
 * keys that stand for the quick answers.
 */
#ifndef MX_TEXT_H
#define MX_TEXT_H

#include <stddef.h>

/*
 * The text of a reply without its fallback (Client-Server API "Rich
 * replies": clients SHOULD strip the leading lines that start with "> "
 * and the blank line after them).  Returns a malloc'd string (the body
 * itself when it has no fallback), NULL when out of memory.
 */
char *mx_strip_reply_fallback(const char *body);

/*
 * The formatted_body of a notice: the host's html (b, i, br) with
 * newlines as <br>, or, without html, text with &, <, >, " escaped and
 * newlines as <br>.  Returns a malloc'd string or NULL.
 */
char *mx_formatted_body(const char *text, const char *html);

/*
 * The reaction key for a choice value ("0".."10" keycaps, "done" ✅,
 * "skip" ⏭️, "snooze" 💤, the red-flag answer 🚩), or NULL when the
 * value has none.
 */
const char *mx_choice_key(const char *value);

/*
 * The choice value a reaction key stands for, or NULL.  Keys compare
 * without U+FE0F (clients differ in sending the variation selector).
 */
const char *mx_choice_value(const char *key);

#endif
