"""Typed replies over the console channel, end to end: a reply that gives a
score and says "done" stores both the pain score and the adherence of the
reminder it answers; a reply that is not understood gets the one-line
help, never silence; a plain "done" is logged for the latest reminder."""

import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rehabd_test import (Daemon, check, run_tests, runner_block,  # noqa: E402
                         tempdir, write_config)


def query(state, sql):
    db = sqlite3.connect(os.path.join(state, "rehabd.db"))
    try:
        db.row_factory = sqlite3.Row
        return [dict(r) for r in db.execute(sql)]
    finally:
        db.close()


def test_score_with_done_logs_both():
    d = tempdir()
    state = os.path.join(d, "state")
    cfg = write_config(d, '  terminal = { plugin = "console"; };',
                       [runner_block("anna", "terminal", "anna", "UTC",
                                     "2026-03-02", ["07:30", "13:00"], "18:00",
                                     "07:00", "20:30")])
    # 60 simulated seconds per real second: the strength reminder at
    # 18:00 comes half a minute in, and the evening check-in at 20:30 is
    # far enough off that the replies below are read while strength is
    # the latest message.
    daemon = Daemon(cfg, state, simulate="2026-03-02T17:59:30Z", speed=60)
    try:
        daemon.wait_for(lambda m: m.slot == "strength", 60, "the strength reminder")
        daemon.send("done, pain 2")
        ack = daemon.wait_for(lambda m: m.slot.startswith("reply:"), 30,
                              "the acknowledgement")
        # The wording is the coach's; the score saved is what counts.
        check("Saved" in ack.text and "2/10" in ack.text, "ack: %s" % ack.text)

        daemon.send("the weather is nice")
        helps = lambda m: m.slot.startswith("reply:") and m is not ack  # noqa: E731
        help_msg = daemon.wait_for(helps, 30, "the help line")
        check("/help" in help_msg.text, "no help line: %s" % help_msg.text)
    finally:
        daemon.stop()

    pain = query(state, "SELECT day, kind, score10, red_flag FROM pain")
    check(pain == [{"day": "2026-03-02", "kind": "session", "score10": 20,
                    "red_flag": 0}], "pain rows %s" % pain)
    adh = query(state, "SELECT day, slot, status FROM adherence")
    check(adh == [{"day": "2026-03-02", "slot": "strength", "status": "done"}],
          "adherence rows %s" % adh)
    kinds = [r["kind"] for r in query(state, "SELECT kind FROM replies ORDER BY id")]
    check(kinds == ["score", "unknown"], "reply kinds %s" % kinds)


if __name__ == "__main__":
    run_tests([test_score_with_done_logs_both])
