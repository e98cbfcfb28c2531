#!/usr/bin/env python3
"""Matrix: answers through the real daemon and plugin on the simulated
clock.  A 6️⃣ reaction on the morning check-in is stored as a morning
pain of 6 (tomorrow deloads to 2x12) and acknowledged in a reply to it; a reply to the evening check-in (with the old
clients' quoted fallback, which must not be read) and a typed
"pain 2/10" are stored once each; refused: a stranger's invite, a group
room and an encrypted room from the runner, and a third person's message
in the runner's DM (none stored, no content in the log); when the DM
turns encrypted the bot says so in it, leaves, and opens a new
unencrypted DM."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from rehabd_test import check, run_tests  # noqa: E402
from mx_case import BOT, MxCase, notices  # noqa: E402

ANNA = {"name": "anna", "user": "@anna:localhost", "zone": "Europe/Berlin",
        "stretch": ["07:30", "13:00"], "strength": "18:00", "morning": "07:00",
        "evening": "20:30"}
EVE = "@eve:localhost"


def row(case, slot, day="2026-03-02"):
    rows = case.query("SELECT * FROM outbox WHERE runner='anna' AND day=? AND slot=?"
                      " AND state=2 AND remote_id IS NOT NULL", day, slot)
    return rows[0] if rows else None


def pains(case):
    return case.query("SELECT day, kind, score10 FROM pain ORDER BY id")


def test_reaction_reply_text_and_refusals():
    case = MxCase([ANNA])
    emu = case.emu
    try:
        # Mon 2 Mar 05:55Z = 06:55 Berlin, to 19:50Z (after the 20:30
        # evening check-in), 30 simulated minutes a second.
        case.start("2026-03-02T05:55:00Z", 1800, until="2026-03-02T19:50:00Z")
        morning = case.wait_db(lambda c: row(c, "morning"), 60, "the morning check-in")
        st = emu.state()
        room = next(e["room_id"] for e in notices(st) if e["event_id"] == morning["remote_id"])
        emu.control("react", {"user": ANNA["user"], "event_id": morning["remote_id"],
                              "key": "6\ufe0f\u20e3"})
        case.wait_db(lambda c: [p for p in pains(c) if p["score10"] == 60], 30,
                     "the 6 stored")
        check(pains(case) == [{"day": "2026-03-02", "kind": "morning", "score10": 60}],
              "pain rows %s" % pains(case))
        ack = case.wait_emu(lambda s: next((e for e in notices(s, room)
                                            if "6/10" in e["content"]["body"]), None),
                            30, "the acknowledgement")
        # A 6 deloads: today's rest and tomorrow at 2x12.
        tomorrow = ack["content"]["body"].split("Tomorrow", 1)[-1]
        check("2\u00d712" in tomorrow, "no deload tomorrow: %r" % ack["content"]["body"])
        rel = ack["content"].get("m.relates_to", {}).get("m.in_reply_to", {})
        check(rel.get("event_id") == morning["remote_id"],
              "the acknowledgement is no reply to the check-in: %s" % ack["content"])

        # Refused: a stranger's invite, a group and an encrypted room.
        r1 = emu.control("invite", {"user": EVE})["room_id"]
        r2 = emu.control("invite", {"user": ANNA["user"], "members": ["@carl:localhost"]})["room_id"]
        r3 = emu.control("invite", {"user": ANNA["user"], "encrypted": True})["room_id"]
        case.wait_emu(lambda s: all(s["rooms"][r]["members"].get(BOT) == "leave"
                                    for r in (r1, r2, r3)), 30, "the refused invites left")
        # A third person in the DM is not the runner.
        emu.control("say", {"user": EVE, "room_id": room, "body": "pain 9/10 zebra-eve"})

        evening = case.wait_db(lambda c: row(c, "evening"), 90, "the evening check-in")
        reply = emu.control("say", {"user": ANNA["user"], "body": "4",
                                    "reply_to": evening["remote_id"], "fallback": True})
        case.wait_db(lambda c: [p for p in pains(c) if p["score10"] == 40], 30, "the reply")
        emu.control("say", {"user": ANNA["user"], "body": "pain 2/10"})
        case.wait_db(lambda c: [p for p in pains(c) if p["score10"] == 20], 30, "the typed score")
        # A reaction on the morning check-in after the evening one went
        # out still answers the morning: the host finds the row by the
        # event id (ref_remote_id), not by what was sent last.
        emu.control("react", {"user": ANNA["user"], "event_id": morning["remote_id"],
                              "key": "1\ufe0f\u20e3"})
        case.wait_db(lambda c: [p for p in pains(c) if p["score10"] == 10], 30, "the late 1")
        got = sorted((p["kind"], p["score10"]) for p in pains(case))
        check(got == [("morning", 10), ("morning", 60), ("session", 20), ("session", 40)],
              "pain rows %s" % got)
        replies = case.query("SELECT msg_id FROM replies")
        check(len(replies) == len({r["msg_id"] for r in replies}), "a reply stored twice")
        check(reply["event_id"] in {r["msg_id"] for r in replies}, "the reply's event id")

        # The DM turns encrypted: a plain notice there, the bot leaves,
        # and a new DM (unencrypted, the runner invited) takes its place.
        emu.control("encrypt", {"room_id": room, "user": ANNA["user"]})
        case.wait_emu(lambda s: s["rooms"][room]["members"].get(BOT) == "leave", 30,
                      "the bot leaving the encrypted DM")
        st = emu.state()
        check(any("encrypted" in e["content"]["body"] for e in notices(st, room)),
              "no notice about the encryption")
        new = [r for r, x in st["rooms"].items() if x["creator"] == BOT and r != room]
        check(len(new) == 1 and not st["rooms"][new[0]]["encrypted"]
              and ANNA["user"] in st["rooms"][new[0]]["invited"], "new rooms %s" % new)
        case.stop()
        err = case.stderr()
        check("zebra" not in err, "a stranger's message is in the log")
        check("refused an invite to room %s from %s" % (r1, EVE) in err, "no log of the stranger's invite")
        check("is encrypted" in err, "no log of the encrypted DM")
        check(st["errors"] == [], "the homeserver refused requests: %s" % st["errors"])
    finally:
        case.close()


if __name__ == "__main__":
    run_tests([test_reaction_reply_text_and_refusals])
