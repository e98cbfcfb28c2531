/*
 * A runner's address on the telegram channel: the numeric chat id of
 * their private chat with the bot.  One pure function that writes its
 * canonical form or says why an address is none, for the descriptor's
 * canonical_address and the settings check.  No I/O, no host
 * (tests/unit/test_tg_address.c).
 */
#ifndef TG_ADDRESS_H
#define TG_ADDRESS_H

#include <stddef.h>

/*
 * Canonical form: an optional '-' (group ids are negative; the host
 * refuses groups, but the syntax is an id), decimal digits without
 * leading zeros, not 0, within int64_t.  White space around the address
 * and leading zeros are dropped ("0408258968" is 408258968); anything
 * else is refused with what to write instead: a @username or t.me link,
 * a phone number ("+49…"), digits with spaces or other characters
 * inside, 0, a number beyond 64 bits.  Returns 0 with the form in out
 * (NUL-terminated, at most outlen bytes), or -1 with the reason in why.
 * Matches rehabd_channel.canonical_address.
 */
int tg_canonical_address(const char *address, char *out, size_t outlen,
			 char *why, size_t whylen);

#endif
