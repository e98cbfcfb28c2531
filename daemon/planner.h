/*
 * A runner's plan from the stored history: loads what the store knows
 * and asks the pure coach.  Shared by the slot scheduler (the text of a
 * reminder) and the reply handler (acknowledgements, /plan, /status).
 */
#ifndef REHABD_PLANNER_H
#define REHABD_PLANNER_H

#include <stdbool.h>
#include <stdint.h>

#include "coach/plan.h"
#include "coach/program.h"
#include "config.h"
#include "store.h"

/* The runner's plan for day, as the morning gave it (rest = false) or
 * for the rest of that day after its replies (rest = true), worded as
 * seen from view (and the /status summary of day when status is not
 * NULL).  Returns 0 or -1. */
int planner_plan(struct store *st, const struct cfg_runner *runner,
		 const struct coach_program *program, int32_t day, bool rest,
		 int32_t view, struct coach_plan *plan,
		 struct coach_status *status);

#endif
