#!/usr/bin/env python3
"""Matrix: a day of reminders for two runners in different zones on the
simulated clock, through the real daemon and plugin to the loopback
homeserver.  The bot makes one DM per runner (private_chat, is_direct,
the runner invited, recorded in m.direct, no encryption); every slot
arrives once as an m.notice with a plain body and escaped HTML, at its
local time, with its quick answers pre-seeded as the bot's reactions."""

import datetime
import os
import sys
import zoneinfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from rehabd_test import check, run_tests  # noqa: E402
from mx_case import MORNING_KEYS, KEYCAPS, REMINDER_KEYS, MxCase, notices, reactions_on  # noqa: E402

RUNNERS = [
    {"name": "anna", "user": "@anna:localhost", "zone": "Europe/Berlin",
     "stretch": ["07:30", "13:00"], "strength": "18:00", "morning": "07:00",
     "evening": "20:30"},
    {"name": "ben", "user": "@ben:localhost", "zone": "America/New_York",
     "stretch": ["08:00", "12:30", "21:00"], "strength": "17:00",
     "morning": "06:45", "evening": "19:15"},
]


def expected_slots(r):
    slots = [("morning", r["morning"]), ("strength", r["strength"]),
             ("evening", r["evening"])]
    slots += [("stretch%d" % (i + 1), t) for i, t in enumerate(r["stretch"])]
    return sorted(slots, key=lambda s: s[1])


def test_one_day_of_reminders():
    case = MxCase(RUNNERS)
    try:
        d = case.start("2026-03-02T00:00:00Z", 3600, until="2026-03-03T05:00:00Z")
        code = d.finish(180)
        check(code == 0, "rehabd exited with %s\n%s" % (code, case.stderr()[-3000:]))
        st = case.emu.state()
        rows = case.outbox()
        for r in RUNNERS:
            rooms = [rid for rid, x in st["rooms"].items() if x["creator"] == "@rehabbot:localhost"
                     and r["user"] in x["invited"]]
            check(len(rooms) == 1, "%s: rooms %s" % (r["name"], rooms))
            room = st["rooms"][rooms[0]]
            check(room["preset"] == "private_chat" and room["is_direct"]
                  and not room["encrypted"], "%s: room %s" % (r["name"], room))
            check(st["account_data"].get("m.direct", {}).get(r["user"]) == rooms,
                  "m.direct %s" % st["account_data"])
            zone = zoneinfo.ZoneInfo(r["zone"])
            mine = [x for x in rows if x["runner"] == r["name"] and x["kind"] != "reply"]
            got = [(x["slot"], datetime.datetime.fromtimestamp(x["due"], zone).strftime("%H:%M"))
                   for x in mine]
            check(got == expected_slots(r), "%s: slots %s" % (r["name"], got))
            sent = notices(st, rooms[0])
            check(len(sent) == len(mine), "%s: %d notices for %d rows"
                  % (r["name"], len(sent), len(mine)))
            for ev, x in zip(sent, mine):
                check(x["state"] == "sent", "%s %s is %s" % (r["name"], x["slot"], x["state"]))
                check(0 <= x["sent_at"] - x["due"] < 300, "%s late" % x["slot"])
                c = ev["content"]
                check(c["msgtype"] == "m.notice" and c["body"] == x["text"],
                      "%s %s: content %s" % (r["name"], x["slot"], c))
                check(c.get("format") == "org.matrix.custom.html" and c.get("formatted_body"),
                      "no HTML body: %s" % c)
                check("\n" not in c["formatted_body"], "newlines in HTML")
                check(x["remote_id"] == ev["event_id"], "remote id %s vs %s"
                      % (x["remote_id"], ev["event_id"]))
                want = (MORNING_KEYS if x["kind"] == "morning" else
                        KEYCAPS if x["kind"] == "evening" else REMINDER_KEYS)
                got_keys = reactions_on(st, ev["event_id"])
                check(got_keys == want, "%s %s: reactions %s" % (r["name"], x["slot"], got_keys))
        check(st["errors"] == [], "the homeserver refused requests: %s" % st["errors"])
        check(st["logins"] == [], "logged in although a token was given")
        check("syt_cmVoYWJib3Q_preset_token_secret" not in case.stderr(), "the token is in the log")
    finally:
        case.close()


if __name__ == "__main__":
    run_tests([test_one_day_of_reminders])
