/* placeholder: being written */
#include "plan.h"

const char *coach_running_name(enum coach_running r)
{
	switch (r) {
	case COACH_RUN_BIKE: return "bike";
	case COACH_RUN_EASY: return "easy";
	case COACH_RUN_FULL: return "full";
	}
	return "bike";
}

const char *coach_flag_name(unsigned flag)
{
	switch (flag) {
	case COACH_FLAG_DELOAD: return "deload";
	case COACH_FLAG_HOLD: return "hold";
	case COACH_FLAG_RED_FLAG: return "red_flag";
	case COACH_FLAG_SEE_CLINICIAN: return "see_clinician";
	case COACH_FLAG_NUDGE: return "nudge";
	case COACH_FLAG_PAUSED: return "paused";
	}
	return NULL;
}
