#!/usr/bin/env python3
"""SIGHUP reloads and catch-up by each runner's own history: a runner
added at noon does not get the 07:00 and 07:30 slots at once, five hours
late, but has them recorded skipped with one line; one whose program
started yesterday gets yesterday's slots recorded skipped (no false
"giving up", nothing failed or expired for /status to count); a runner
the reload leaves as it was keeps every slot; a removed one gets none.
(A removed runner who writes afterwards: test_telegram_reload.py.)"""

import os
import signal
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rehabd_test import (Daemon, check, run_tests, runner_block,  # noqa: E402
                         tempdir, write_config)

CHANNEL = '  terminal = { plugin = "console"; };'
DAY = "2026-10-22"
YESTERDAY = "2026-10-21"


def block(name, start):
    return runner_block(name, "terminal", name, "UTC", start, ["07:30", "13:00"],
                        "18:00", "07:00", "20:30")


def rows(state, sql, *args):
    db = sqlite3.connect(os.path.join(state, "rehabd.db"))
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def wait_log(daemon, text, seconds):
    end = time.monotonic() + seconds
    while text not in daemon.stderr() and time.monotonic() < end:
        daemon.pump(0.1)
    check(text in daemon.stderr(), "log never said %r:\n%s" % (text, daemon.stderr()[-3000:]))


def test_reload_adds_changes_and_removes():
    d = tempdir()
    state = os.path.join(d, "state")
    cfg = write_config(d, CHANNEL, [block("anna", DAY), block("dan", DAY)])
    # 10 simulated minutes per real second, from shortly before noon.
    daemon = Daemon(cfg, state, simulate=DAY + "T11:50:00Z", speed=600,
                    until=DAY + "T19:00:00Z")
    try:
        wait_log(daemon, "running:", 30)
        # Reload at about noon: bea added (starts today), cid added (started
        # yesterday), dan removed, anna unchanged.
        write_config(d, CHANNEL, [block("anna", DAY), block("bea", DAY),
                                  block("cid", YESTERDAY)])
        daemon.proc.send_signal(signal.SIGHUP)
        wait_log(daemon, "reloaded: 1 channel(s), 3 runner(s)", 30)
        rc = daemon.finish(240)
    finally:
        daemon.stop()
    check(rc == 0, "rehabd exited %s" % rc)
    err = daemon.stderr()
    sent = {m.key() for m in daemon.messages if not m.slot.startswith("reply")}

    # bea: 07:00 and 07:30 were five hours before she was added.
    check(("bea", DAY, "morning") not in sent and ("bea", DAY, "stretch1") not in sent,
          "bea got the morning slots hours late: %s" % sorted(k for k in sent if k[0] == "bea"))
    got = rows(state, "SELECT slot, state FROM outbox WHERE runner='bea' AND day=?"
               " AND slot IN ('morning', 'stretch1')", DAY)
    check(sorted(got) == [("morning", 3), ("stretch1", 3)],
          "bea's missed slots are not recorded skipped: %s" % got)
    check(err.count("bea: 2 reminder(s) of %s skipped (morning, stretch1)" % DAY) == 1,
          "bea's skip is not one line:\n" + err[-3000:])
    for slot in ("stretch2", "strength"):
        check(("bea", DAY, slot) in sent, "bea's %s after the reload not sent" % slot)

    # cid: yesterday's slots are recorded skipped, with one line.
    got = rows(state, "SELECT count(*), min(state), max(state) FROM outbox"
               " WHERE runner='cid' AND day=?", YESTERDAY)
    check(got == [(5, 3, 3)], "cid's yesterday: %s" % got)
    check("giving up" not in err and "never sent" not in err,
          "a false give-up line:\n" + err[-3000:])
    check(rows(state, "SELECT count(*) FROM outbox WHERE state IN (5, 6)") == [(0,)],
          "rows failed or expired: %s" % rows(state, "SELECT runner, day, slot, state, error"
                                               " FROM outbox WHERE state IN (5, 6)"))

    # anna: untouched by the reload; every slot of the day once.
    want = {("anna", DAY, s) for s in ("stretch2", "strength")}
    check(want <= sent, "anna lost slots over the reload: %s" % sorted(want - sent))
    keys = [m.key() for m in daemon.messages if not m.slot.startswith("reply")]
    check(len(keys) == len(set(keys)), "a slot sent twice: %s" % keys)
    check(not any(k[0] == "dan" and k[2] in ("stretch2", "strength") for k in sent),
          "dan, removed, still got reminders")


if __name__ == "__main__":
    run_tests([test_reload_adds_changes_and_removes])
