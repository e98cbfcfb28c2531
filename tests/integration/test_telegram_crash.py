#!/usr/bin/env python3
"""Telegram: SIGKILL of the daemon between receiving updates and
confirming them, then restart, stores each reply exactly once.

The emulator itself sends SIGKILL to rehabd right after writing a
getUpdates answer that carries updates, after 0-50 ms: the daemon has
received the batch and cannot yet have confirmed it (confirming means
asking for the next batch).  Depending on the delay it dies before or
after storing the batch; either way, after the restarts every reply is
stored once and Telegram's queue is empty."""

import os
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from rehabd_test import check, run_tests  # noqa: E402
from tg_emulator import TgCase  # noqa: E402

ANNA = {"name": "anna", "chat": 408258968, "zone": "Europe/Berlin",
        "stretch": ["07:30", "13:00"], "strength": "18:00", "morning": "07:00",
        "evening": "20:30"}

# Columns: milliseconds between the answer and the SIGKILL, replies in
# the batch.
ROUNDS = [(0, ["done"]), (0, ["pain 2/10", "skip"]), (2, ["/plan", "pain 3/10"]),
          (5, ["done", "/status", "pain 1/10"]), (20, ["skip"]), (50, ["pain 2/10"])]


def test_sigkill_between_receive_and_confirm():
    case = TgCase([ANNA], settings="rate_chat = 100;")
    emu = case.emu
    injected = []
    try:
        for i, (delay, texts) in enumerate(ROUNDS):
            # Each run starts later on the simulated clock, as after a
            # restart.
            d = case.start("2026-03-02T08:%02d:00Z" % (i * 5), 60)
            emu.wait(lambda s: s["calls"].get("setMyCommands", 0) > i, 20,
                     "run %d to start" % i)
            emu.kill_on_delivery(d.proc.pid, delay)
            ids = [emu.message(ANNA["chat"], t) for t in texts]
            injected += ids
            try:
                d.proc.wait(20)
            except subprocess.TimeoutExpired:
                check(False, "run %d was not killed on delivery" % i)
            check(d.proc.returncode == -signal.SIGKILL,
                  "run %d ended with %s" % (i, d.proc.returncode))
            case.kill()  # collect stderr
            check(emu.summary()["kills"] == i + 1, "kill %d missing" % i)

        # A last run without faults takes whatever is left.
        case.start("2026-03-02T09:00:00Z", 60)
        emu.wait(lambda s: not s["pending"] and set(injected) <= set(s["confirmed"]),
                 30, "all updates confirmed")
        want = sorted("u%d" % u for u in injected)
        case.wait_db(lambda c: len(c.query("SELECT id FROM replies")) >= len(want), 30,
                     "all replies stored")
        case.stop()

        replies = case.query("SELECT msg_id FROM replies ORDER BY msg_id")
        got = sorted(r["msg_id"] for r in replies)
        check(got == want, "stored %s, expected each of %s once" % (got, want))
        st = emu.state()
        redelivered = [u for u, n in st["deliveries"].items() if n > 1]
        print("updates delivered again after a kill: %d of %d"
              % (len(redelivered), len(injected)))
        # The kills right at delivery (0 ms) come before the batch can be
        # stored, so Telegram must have delivered some of it again.
        check(redelivered, "no update was delivered twice: the kills missed the window")
        cursor = case.query("SELECT cursor FROM cursors WHERE channel='tg'")
        check(cursor == [{"cursor": str(max(injected) + 1)}], "cursor %s" % cursor)
        check(case.token not in case.stderr(), "the token is in the log")
    finally:
        case.close()


if __name__ == "__main__":
    run_tests([test_sigkill_between_receive_and_confirm])
