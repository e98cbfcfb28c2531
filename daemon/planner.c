/*
 * A runner's plan from the stored history: see planner.h.
 */
#include "planner.h"

#include <stdlib.h>

int planner_plan(struct store *st, const struct cfg_runner *runner,
		 const struct coach_program *program, int32_t day, bool rest,
		 int32_t view, struct coach_plan *plan,
		 struct coach_status *status)
{
	struct coach_day_log *days = NULL;
	struct coach_pause *pauses = NULL;
	size_t n_days = 0, n_pauses = 0;
	int rc;

	if (store_history_load(st, runner->name, &days, &n_days, &pauses,
			       &n_pauses) != 0)
		return -1;
	struct coach_history h = { days, n_days, pauses, n_pauses };
	struct coach_runner cr = { runner->start_day, runner->n_stretch };
	rc = coach_plan_view(program, &cr, &h, day, rest, view, plan);
	if (rc == 0 && status)
		rc = coach_status_day(program, &cr, &h, day, status);
	free(days);
	free(pauses);
	return rc;
}
