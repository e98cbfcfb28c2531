#!/usr/bin/env python3
"""Telegram and SIGHUP: a runner the reload removes who writes afterwards
has the message recorded and logged (not confirmed and lost unseen), and
gets no answer; the runner who stays is answered as before.  A message
the server has taken but not yet answered when the reload comes is
waited for and sent once, never queued again."""

import os
import re
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from rehabd_test import check, run_tests  # noqa: E402
from tg_emulator import TgCase  # noqa: E402

ANNA = {"name": "anna", "chat": 408258968, "zone": "Europe/Berlin",
        "stretch": ["07:30", "13:00"], "strength": "18:00", "morning": "07:00",
        "evening": "20:30"}
DAN = dict(ANNA, name="dan", chat=512345678)


def test_removed_runner_writes_after_reload():
    case = TgCase([ANNA, DAN], settings="rate_chat = 100;")
    emu = case.emu
    try:
        d = case.start("2026-03-02T09:00:00Z", 60)
        emu.wait(lambda s: s["calls"].get("setMyCommands", 0) >= 1, 30, "start")
        with open(case.config) as f:
            text = f.read()
        start = text.index('name = "dan"')
        block_start = text.rindex("{", 0, start)
        block_end = text.index("}", start) + 1
        # The block and the comma that joins it to anna's.
        cut = text[:block_start].rstrip()
        if cut.endswith(","):
            cut = cut[:-1]
        with open(case.config, "w") as f:
            f.write(cut + "\n" + text[block_end:])
        d.proc.send_signal(signal.SIGHUP)
        case.wait_db(lambda c: "reloaded: 1 channel(s), 1 runner(s)" in c.stderr(), 30,
                     "the reload")
        emu.message(DAN["chat"], "pain 3")
        emu.message(ANNA["chat"], "pain 2")
        case.wait_db(lambda c: len(c.query("SELECT id FROM replies")) >= 2, 30,
                     "both messages stored")
        replies = {(r["runner"], r["kind"]) for r in
                   case.query("SELECT runner, kind FROM replies")}
        check(("dan", "after_removal") in replies, "dan's message: %s" % replies)
        check(("anna", "score") in replies, "anna's message: %s" % replies)
        check("dan wrote after the last reload removed them" in case.stderr(),
              "not logged:\n" + case.stderr()[-2000:])
        check("pain 3" not in case.stderr(), "the content was logged")
        pain = case.query("SELECT runner FROM pain")
        check([p["runner"] for p in pain] == ["anna"], "pain rows: %s" % pain)
        emu.wait(lambda s: any(str(m["chat_id"]) == str(ANNA["chat"]) and "2/10" in m["text"]
                               for m in s["sent"]), 30, "anna's answer")
        state = emu.state()
        to_dan = [m for m in state.get("sent", []) if str(m.get("chat_id")) == str(DAN["chat"])]
        check(not to_dan, "dan was answered after removal: %s" % to_dan)
    finally:
        case.close()


def test_reload_with_a_send_in_flight():
    case = TgCase([ANNA], settings="rate_chat = 100;")
    emu = case.emu
    try:
        # The first send (the 07:00 check-in, 30 min late at the start) is
        # taken by the server, whose answer then takes 4 s.
        emu.fault("sendMessage", "slow", count=1, retry_after=4)
        d = case.start("2026-03-02T06:30:00Z", 1)
        emu.wait(lambda s: len(s["sent"]) >= 1, 30, "the check-in on the server")
        with open(case.config) as f:
            text = f.read()
        with open(case.config, "w") as f:
            f.write(text.replace('evening = "20:30"', 'evening = "20:45"'))
        d.proc.send_signal(signal.SIGHUP)
        case.wait_db(lambda c: "reloaded: 1 channel(s), 1 runner(s)" in c.stderr(), 30,
                     "the reload")
        check(re.search(r"reload: waiting for \d+ message\(s\) in flight", case.stderr()),
              "the reload did not wait:\n" + case.stderr()[-2000:])
        rows = case.query("SELECT slot, state, attempts FROM outbox WHERE slot = 'morning'")
        check(rows and rows[0]["state"] == 2 and rows[0]["attempts"] == 1,  # sent
              "the check-in's row: %s" % rows)
        # Time for a wrongly requeued row to go out again.
        time.sleep(2)
        d.proc.send_signal(signal.SIGTERM)
        d.proc.wait(30)
        morning = [m for m in emu.state()["sent"] if m["text"].startswith("Good morning")]
        check(len(morning) == 1, "the check-in reached Telegram %d times" % len(morning))
    finally:
        case.close()


if __name__ == "__main__":
    run_tests([test_removed_runner_writes_after_reload,
               test_reload_with_a_send_in_flight])
