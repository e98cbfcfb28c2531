#!/usr/bin/env python3
"""Telegram under faults, through the real daemon and plugin on the
simulated clock:

- the Bot API answering 429 (retry_after), 500, 502, garbage JSON and
  closed connections to sendMessage and getUpdates, and getUpdates
  answering at once with nothing, then recovering: every slot is sent
  exactly once, every reply stored exactly once, and the poller does not
  spin;
- a runner who blocked the bot (403) is marked unreachable, not retried
  for every reminder, and reachable again once they write;
- a refused token (401) stops the channel with a clear error at start;
  the reminders wait in the outbox and go out once the token is fixed.
"""

import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from rehabd_test import check, run_tests  # noqa: E402
from tg_emulator import TgCase, keyboard_refs  # noqa: E402

ANNA = {"name": "anna", "chat": 408258968, "zone": "Europe/Berlin",
        "stretch": ["07:30", "13:00"], "strength": "18:00", "morning": "07:00",
        "evening": "20:30"}
BEN = {"name": "ben", "chat": 5000000001, "zone": "America/New_York",
       "stretch": ["08:00", "12:30"], "strength": "17:00", "morning": "06:45",
       "evening": "19:15"}
CLEO = {"name": "cleo", "chat": 7000000003, "zone": "Europe/Berlin",
        "stretch": ["07:30", "13:00"], "strength": "18:00", "morning": "07:00",
        "evening": "20:30"}

# Columns: method, fault, times in a row, retry_after (for 429).
FAULTS = [
    ("getUpdates", "500", 1, 0),
    ("getUpdates", "garbage", 1, 0),
    ("getUpdates", "close", 1, 0),
    ("getUpdates", "empty", 2, 0),
    ("sendMessage", "429", 2, 1),
    ("sendMessage", "500", 2, 0),
    ("sendMessage", "garbage", 2, 0),
    ("sendMessage", "close", 2, 0),
    ("sendMessage", "502", 1, 0),
    ("answerCallbackQuery", "500", 1, 0),
]


def test_faults_lose_and_duplicate_nothing():
    case = TgCase([ANNA, BEN], settings="rate_chat = 100;")
    emu = case.emu
    try:
        for method, kind, count, retry in FAULTS:
            emu.fault(method, kind, count, retry)
        # Replies waiting on the server while getUpdates fails.
        waiting = [emu.message(ANNA["chat"], t) for t in ("done", "pain 2/10", "/status")]
        d = case.start("2026-03-02T00:00:00Z", 3600, until="2026-03-03T05:00:00Z")

        # A tap while the first answerCallbackQuery fails.
        morning = emu.wait(lambda s: next((m for m in s["sent"]
                                           if m["chat_id"] == BEN["chat"]
                                           and m["reply_markup"]), None),
                           60, "ben's first reminder")
        ref = keyboard_refs(morning).pop()
        data = morning["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        check(data.startswith(ref + ":"), "callback data %s" % data)
        tap = emu.tap(BEN["chat"], morning["message_id"], data)

        code = d.finish(180)
        check(code == 0, "rehabd exited with %s" % code)
        st = emu.state()
        check(st["faults_left"] == 0, "%d faults were never hit" % st["faults_left"])

        # Every update stored once and confirmed once.
        replies = case.query("SELECT msg_id FROM replies ORDER BY id")
        want = ["u%d" % u for u in waiting + [tap]]
        check(sorted(r["msg_id"] for r in replies) == sorted(want),
              "replies %s, expected %s" % (replies, want))
        check(st["pending"] == [], "updates never confirmed: %s" % st["pending"])
        check(all(st["deliveries"].get(str(u)) == 1 for u in waiting + [tap]),
              "updates delivered more than once: %s" % st["deliveries"])

        # Every slot sent, each exactly once.
        rows = case.outbox()
        check(rows and all(r["state"] == "sent" for r in rows),
              "rows not sent: %s" % [(r["runner"], r["slot"], r["state"], r["error"])
                                     for r in rows if r["state"] != "sent"])
        for r in (ANNA, BEN):
            mine = [x for x in rows if x["runner"] == r["name"]]
            on_tg = [m for m in st["sent"] if m["chat_id"] == r["chat"]]
            slots = {x["slot"] for x in mine if x["kind"] != "reply"}
            check({"morning", "stretch1", "stretch2", "strength", "evening"} <= slots,
                  "%s: slots %s" % (r["name"], slots))
            check(len(on_tg) == len(mine), "%s: %d messages on Telegram for %d rows"
                  % (r["name"], len(on_tg), len(mine)))
        refs = collections.Counter(ref for m in st["sent"] for ref in keyboard_refs(m))
        check(all(n == 1 for n in refs.values()), "a reminder was sent twice: %s" % refs)

        # The poller backed off instead of spinning on the instant answers.
        polls = st["calls"].get("getUpdates", 0)
        check(polls < 60, "%d getUpdates calls" % polls)
        err = case.stderr()
        check("answers at once instead of long polling" in err,
              "the instant empty answers were not noticed")
        check(case.token not in err, "the token is in the log")
        check(st["errors"] == [], "the emulator refused requests: %s" % st["errors"])
    finally:
        case.close()


def test_blocked_runner_is_unreachable_until_they_write():
    case = TgCase([CLEO], settings="rate_chat = 100;")
    emu = case.emu
    try:
        emu.block(CLEO["chat"])
        case.start("2026-03-02T05:00:00Z", 3600, until="2026-03-02T14:00:00Z")

        def row(slot):
            r = [x for x in case.outbox() if x["slot"] == slot]
            return r[0] if r else None

        # The morning check-in meets the block; the next reminder is not
        # even tried.
        case.wait_db(lambda c: (row("stretch1") or {}).get("state") == "failed",
                     30, "stretch1 given up")
        st = emu.state()
        check(len(st["refused"]) == 1, "tried %d times" % len(st["refused"]))
        check(row("morning")["state"] == "failed", "morning %s" % row("morning"))
        check("runner unreachable" in (row("stretch1")["error"] or ""),
              "stretch1 error %s" % row("stretch1")["error"])
        rs = case.query("SELECT unreachable FROM runner_state WHERE runner='cleo'")
        check(rs == [{"unreachable": 1}], "runner_state %s" % rs)

        # Cleo unblocks the bot and writes: reachable again.
        emu.block(CLEO["chat"], False)
        emu.message(CLEO["chat"], "/status")
        emu.wait(lambda s: len(s["sent"]) >= 1, 20, "the answer to /status")
        # /status tells her what the block cost: the morning check-in
        # and stretch1 never arrived.
        status = emu.state()["sent"][0]["text"]
        check("Not delivered: 2 reminders" in status, "/status: %s" % status)
        code = case.daemon.finish(60)
        check(code == 0, "rehabd exited with %s" % code)
        check(row("stretch2")["state"] == "sent", "stretch2 %s" % row("stretch2"))
        rs = case.query("SELECT unreachable FROM runner_state WHERE runner='cleo'")
        check(rs == [{"unreachable": 0}], "runner_state %s" % rs)
        check(len(emu.state()["refused"]) == 1, "the blocked chat was tried again")
        err = case.stderr()
        check("runner cleo at chat 7000000003 blocked the bot" in err,
              "the block was not logged")
        check(case.token not in err, "the token is in the log")
    finally:
        case.close()


def test_refused_token_stops_the_channel():
    wrong = "5000000777:AAHwrongTOKENwrongTOKENwrong-tok"
    case = TgCase([ANNA], file_token=wrong)
    emu = case.emu
    try:
        # The morning check-in (07:00 Berlin = 06:00Z) falls due half a
        # minute in; a slow clock keeps the host's wait for a stopped
        # channel (30 real s) short in simulated time.
        d = case.start("2026-03-02T05:59:30Z", 60)
        case.wait_db(lambda c: "the bot token was refused (401)" in c.stderr(), 30,
                     "the 401 error")
        case.wait_db(lambda c: any(x["slot"] == "morning" for x in c.outbox()), 30,
                     "the morning row")
        check(d.proc.poll() is None, "rehabd stopped on a bad token")
        err = case.stderr()
        check("check token_file %s" % case.token_path in err,
              "the error does not name the token file:\n%s" % err[-2000:])
        check(emu.state()["sent"] == [], "sent with a refused token")
        polls = emu.state()["calls"].get("getUpdates", 0)
        check(polls <= 1, "kept polling with a refused token: %d" % polls)
        case.stop()
        check(wrong not in case.stderr(), "the wrong token is in the log")

        # Fixed: the waiting check-in goes out, once.
        with open(case.token_path, "w") as f:
            f.write(case.token + "\n")
        case.start("2026-03-02T06:10:00Z", 600)
        case.wait_db(lambda c: [x for x in c.outbox() if x["slot"] == "morning"
                                and x["state"] == "sent"], 30, "the morning check-in sent")
        case.stop()
        st = emu.state()
        morning = [x for x in case.outbox() if x["slot"] == "morning"][0]
        check(sum(keyboard_refs(m) == {str(morning["id"])} for m in st["sent"]) == 1,
              "the check-in was not sent exactly once")
        check(case.token not in case.stderr(), "the token is in the log")
    finally:
        case.close()


if __name__ == "__main__":
    run_tests([test_faults_lose_and_duplicate_nothing,
               test_blocked_runner_is_unreachable_until_they_write,
               test_refused_token_stops_the_channel])
