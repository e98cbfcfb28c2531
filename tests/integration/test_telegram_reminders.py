#!/usr/bin/env python3
"""Telegram: a day of reminders for two runners in different zones, on
the simulated clock, through the real daemon and plugin to the loopback
Bot API emulator.  Every slot arrives once, at its local time, with the
right keyboard (0-10 on check-ins, with "Pain at rest or at night" on the
morning's, Done/Skip/Snooze on reminders), and the bot's commands are
registered."""

import datetime
import os
import sys
import zoneinfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from rehabd_test import check, run_tests  # noqa: E402
from tg_emulator import TgCase, keyboard_labels, keyboard_refs  # noqa: E402

# Columns: name, chat id (64-bit), zone, stretch times, strength,
# morning, evening.
RUNNERS = [
    {"name": "anna", "chat": 408258968, "zone": "Europe/Berlin",
     "stretch": ["07:30", "13:00"], "strength": "18:00", "morning": "07:00",
     "evening": "20:30"},
    {"name": "ben", "chat": 5000000001, "zone": "America/New_York",
     "stretch": ["08:00", "12:30", "21:00"], "strength": "17:00",
     "morning": "06:45", "evening": "19:15"},
]

PAIN = [["0", "1", "2", "3", "4", "5"], ["6", "7", "8", "9", "10"]]
# The morning also asks about pain at rest or at night, on a row of its
# own (a wide label is not squeezed beside the numbers).
MORNING = PAIN + [["Pain at rest or at night"]]
REMINDER = [["Done \u2713", "Skip", "Snooze 30 min"]]


def expected_slots(r):
    """(slot, local HH:MM) of one day, in the order they are due."""
    slots = [("morning", r["morning"]), ("strength", r["strength"]),
             ("evening", r["evening"])]
    slots += [("stretch%d" % (i + 1), t) for i, t in enumerate(r["stretch"])]
    return sorted(slots, key=lambda s: s[1])


def test_one_day_of_reminders():
    case = TgCase(RUNNERS, settings="rate_chat = 100; rate_global = 1000;")
    try:
        # 2 Mar 00:00Z to 3 Mar 05:00Z: all of 2 Mar for both zones,
        # nothing of 3 Mar in Berlin yet (its first slot is 06:00Z).
        d = case.start("2026-03-02T00:00:00Z", 3600, until="2026-03-03T05:00:00Z")
        code = d.finish(120)
        check(code == 0, "rehabd exited with %s" % code)
        st = case.emu.state()
        rows = case.outbox()
        by_id = {r["id"]: r for r in rows}
        for r in RUNNERS:
            zone = zoneinfo.ZoneInfo(r["zone"])
            mine = [x for x in rows if x["runner"] == r["name"] and x["kind"] != "reply"]
            got = [(x["slot"], datetime.datetime.fromtimestamp(x["due"], zone).strftime("%H:%M"))
                   for x in mine]
            check(got == expected_slots(r),
                  "%s: slots %s, expected %s" % (r["name"], got, expected_slots(r)))
            for x in mine:
                check(x["day"] == "2026-03-02", "%s: day %s" % (r["name"], x["day"]))
                check(x["state"] == "sent", "%s %s is %s" % (r["name"], x["slot"], x["state"]))
                late = x["sent_at"] - x["due"]
                check(0 <= late < 300, "%s %s sent %.0f simulated s after it was due"
                      % (r["name"], x["slot"], late))
            # The ledger: exactly these messages, in this order, each with
            # its keyboard.
            sent = [m for m in st["sent"] if m["chat_id"] == r["chat"]]
            check(len(sent) == len(mine), "%s: %d messages on Telegram, %d sent rows"
                  % (r["name"], len(sent), len(mine)))
            for m, x in zip(sent, mine):
                refs = keyboard_refs(m)
                check(refs == {str(x["id"])}, "%s %s: keyboard refs %s, row %d"
                      % (r["name"], x["slot"], refs, x["id"]))
                want = (MORNING if x["kind"] == "morning" else
                        PAIN if x["kind"] == "evening" else REMINDER)
                check(keyboard_labels(m) == want, "%s %s: keyboard %s"
                      % (r["name"], x["slot"], keyboard_labels(m)))
                check(m["parse_mode"] == "HTML", "parse mode %s" % m["parse_mode"])
        check(all(int(ref) in by_id for m in st["sent"] for ref in keyboard_refs(m)),
              "a keyboard names an unknown outbox row")
        check(st["commands"] == ["start", "help", "plan", "status", "how", "pause", "resume", "cleared"],
              "commands %s" % st["commands"])
        check(st["errors"] == [], "the emulator refused requests: %s" % st["errors"])
        check(case.token not in case.stderr(), "the token is in the log")
    finally:
        case.close()


if __name__ == "__main__":
    run_tests([test_one_day_of_reminders])
