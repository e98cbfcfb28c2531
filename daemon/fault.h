/*
 * Named crash points for the crash and fault suite (tests/crash_suite.py).
 *
 * REHABD_CRASH_AT=<point>:<n> makes the daemon abort() at the n-th pass
 * (1-based) of that point, so a test can stop it exactly between two
 * steps that must be durable in the right order.  The points:
 *   before_commit   a transaction is about to commit
 *   after_commit    a transaction has just committed
 *   after_handover  a message was just handed to its channel plugin
 * Compiled in only with -DREHABD_CRASH_POINTS=ON (test builds); in other
 * builds fault_point() is an empty inline function and the variable is
 * ignored.
 */
#ifndef REHABD_FAULT_H
#define REHABD_FAULT_H

#ifdef REHABD_CRASH_POINTS
/* Reads REHABD_CRASH_AT once; aborts at its n-th pass of `point`. */
void fault_point(const char *point);
#else
static inline void fault_point(const char *point)
{
	(void)point;
}
#endif

#endif
