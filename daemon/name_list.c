/*
 * NULL-terminated name lists.
 */
#include "name_list.h"

#include <stdio.h>
#include <string.h>

void name_list_join(const char *const *names, char *buf, size_t len)
{
	size_t used = 0;

	if (!len)
		return;
	buf[0] = '\0';
	for (size_t i = 0; names && names[i] && used < len; i++) {
		int n = snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
				 names[i]);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

int name_list_has(const char *const *names, const char *name)
{
	for (size_t i = 0; name && names && names[i]; i++)
		if (!strcmp(names[i], name))
			return 1;
	return 0;
}
