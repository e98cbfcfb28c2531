/*
 * Matrix user ids as runner addresses: validated and made canonical
 * (Client-Server API appendix "User Identifiers": "@localpart:server").
 */
#ifndef MX_ADDRESS_H
#define MX_ADDRESS_H

#include <stddef.h>

#define MX_USER_ID_MAX 255 /* bytes, the spec's limit for a user id */

/*
 * Writes the canonical form of a Matrix user id to out: surrounding
 * blanks dropped, the server name in lower case (host names compare
 * without case), the localpart as written (historical ids may hold
 * capitals).  Returns 0, or -1 with what is wrong in why.  Pure.
 */
int mx_canonical_address(const char *address, char *out, size_t outlen,
			 char *why, size_t whylen);

#endif
