/*
 * The effective configuration (rehabd -T): the file as rehabd reads it,
 * every default filled in and every relative path resolved, in
 * rehabd.conf's own syntax, so an admin sees what a setting left out
 * means and can paste the output back as a config.
 */
#ifndef REHABD_CONFIG_PRINT_H
#define REHABD_CONFIG_PRINT_H

#include <stdio.h>

#include "config.h"

/* Writes cfg to out.  Each line goes through mask (in place) first, so
 * that secrets the plugins registered never reach the terminal; mask may
 * be NULL.  Returns 0, or -1 when writing failed. */
int cfg_print(const struct cfg *cfg, char *(*mask)(char *line), FILE *out);

#endif
