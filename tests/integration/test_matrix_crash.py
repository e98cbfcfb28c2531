#!/usr/bin/env python3
"""Matrix: SIGKILL at the worst moments, then restart.

Sending: the homeserver stores a PUT and the daemon dies before the
answer reaches it (once on a notice, once on one of its reactions); the
restarted daemon sends again under the same txnIds (the row keys) on the
same device, so each reminder and each reaction is on the server exactly
once.  Receiving: the daemon dies 0-20 ms after a /sync answer with the
runner's messages was written, before it could confirm it; after the
restarts each message is stored once."""

import os
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from rehabd_test import check, run_tests  # noqa: E402
from mx_case import MORNING_KEYS, MxCase, notices, reactions_on  # noqa: E402

ANNA = {"name": "anna", "user": "@anna:localhost", "zone": "Europe/Berlin",
        "stretch": ["07:30", "13:00"], "strength": "18:00", "morning": "07:00",
        "evening": "20:30"}


def killed(case, d, what):
    try:
        d.proc.wait(30)
    except subprocess.TimeoutExpired:
        check(False, "%s: rehabd was not killed\n%s" % (what, case.stderr()[-3000:]))
    check(d.proc.returncode == -signal.SIGKILL, "%s: exit %s" % (what, d.proc.returncode))
    case.kill()


def test_sigkill_between_put_and_record():
    case = MxCase([ANNA], login="password")
    emu = case.emu
    try:
        # Life 1 dies on the morning notice's PUT (after createRoom).
        d = case.start("2026-03-02T05:59:00Z", 60)
        emu.control("kill_after_send", {"pid": d.proc.pid})
        killed(case, d, "the notice")
        # Life 2 sends it again (the same event), then dies on its second
        # reaction.
        d = case.start("2026-03-02T06:02:00Z", 60)
        emu.control("kill_after_send", {"pid": d.proc.pid, "skip": 2})
        killed(case, d, "a reaction")
        # Life 3 finishes: the morning and the 07:30 stretch.
        d = case.start("2026-03-02T06:05:00Z", 600, until="2026-03-02T06:45:00Z")
        check(d.finish(120) == 0, "life 3 failed\n%s" % case.stderr()[-3000:])
        st = emu.state()
        rows = [r for r in case.outbox() if r["kind"] != "reply"]
        check([(r["slot"], r["state"]) for r in rows] == [("morning", "sent"), ("stretch1", "sent")],
              "rows %s" % [(r["slot"], r["state"]) for r in rows])
        sent = notices(st)
        check(len(sent) == 2, "%d notices on the server: %s" % (len(sent), [e["content"]["body"][:30] for e in sent]))
        morning = rows[0]
        check(sent[0]["event_id"] == morning["remote_id"], "remote id")
        keys = reactions_on(st, morning["remote_id"])
        check(sorted(keys) == sorted(MORNING_KEYS), "reactions %s" % keys)
        check(st["kills"] == 2, "kills %d" % st["kills"])
        logins = st["logins"]
        check(len(logins) == 1, "logged in %d times (the token is kept)" % len(logins))
    finally:
        case.close()


def test_sigkill_between_sync_and_commit():
    case = MxCase([ANNA])
    emu = case.emu
    injected = []
    try:
        d = case.start("2026-03-02T05:59:00Z", 60)
        case.wait_db(lambda c: c.query("SELECT 1 FROM outbox WHERE slot='morning' AND state=2"),
                     60, "the morning check-in")
        case.stop()
        for i, delay in enumerate((0, 0, 5, 20)):
            d = case.start("2026-03-02T06:%02d:00Z" % (5 + i), 60)
            case.wait_db(lambda c: c.query("SELECT 1 FROM cursors"), 30, "a cursor")
            emu.control("kill_after_sync", {"pid": d.proc.pid, "delay_ms": delay})
            injected.append(emu.control("say", {"user": ANNA["user"],
                                                "body": "pain %d/10" % (i + 1)})["event_id"])
            killed(case, d, "run %d" % i)
        d = case.start("2026-03-02T06:20:00Z", 60)
        case.wait_db(lambda c: len(c.query("SELECT 1 FROM replies")) >= len(injected), 60,
                     "every message stored")
        case.stop()
        got = sorted(r["msg_id"] for r in case.query("SELECT msg_id FROM replies"))
        check(got == sorted(injected), "stored %s, expected %s once each" % (got, sorted(injected)))
        st = emu.state()
        check(st["kills"] == 4, "kills %d" % st["kills"])
        # The kills right at delivery come before the batch is stored, so
        # some message must have been synced again after a restart.
        again = [e for e in injected if st["deliveries"].get(e, 0) > 1]
        print("messages synced again after a kill: %d of %d" % (len(again), len(injected)))
        check(again, "no message was synced twice: the kills missed the window")
    finally:
        case.close()


if __name__ == "__main__":
    run_tests([test_sigkill_between_put_and_record, test_sigkill_between_sync_and_commit])
