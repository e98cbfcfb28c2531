/*
 * NULL-terminated lists of names (accepted setting keys and the like),
 * shared by the config readers and the plugin host for their messages.
 */
#ifndef REHABD_NAME_LIST_H
#define REHABD_NAME_LIST_H

#include <stddef.h>

/* Writes "a, b, c" into buf (always NUL-terminated; cut when full). */
void name_list_join(const char *const *names, char *buf, size_t len);

/* 1 when name is in the list, 0 otherwise (also for name NULL). */
int name_list_has(const char *const *names, const char *name);

#endif
