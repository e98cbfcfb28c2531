#!/usr/bin/env python3
"""The real daemon and plugin against a strict Bot API server
(tg_emulator_strict.py) that checks every request against the documented
parameter types and does what the documentation allows but our own
emulator never does:

- payloads: update types we did not ask for, media with and without a
  caption, group / supergroup / channel messages, a message without
  "from", ids at 2^53, update_id gaps and out-of-order ids, taps on an
  InaccessibleMessage, on an inline message (no "message") and with data
  that is not ours -- over chunked responses and Connection: close;
- faults: 409 (another poller, a webhook), 429 with only a Retry-After
  header, 503 and 200 with HTML pages, a long poll answered late, a
  server without long polling, setMyCommands failing first -- from an
  HTTP/1.0 server that reports every error in an HTTP 200.

Each run must store every reply exactly once, confirm every update, send
each reminder once, answer every tap, never send a request the strict
server refuses, and never spin: getUpdates calls are counted per window
of real time (the plugin's waits are real time, also on a simulated
clock).
"""

import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from rehabd_test import check, run_tests  # noqa: E402
from tg_emulator import TgCase, keyboard_refs  # noqa: E402
from tg_emulator_strict import StrictEmulator  # noqa: E402

ANNA = {"name": "anna", "chat": 408258968, "zone": "Europe/Berlin",
        "stretch": ["07:30", "13:00"], "strength": "18:00", "morning": "07:00",
        "evening": "20:30"}
# A chat id above 2^53: it must survive as a 64-bit integer end to end.
BIG = {"name": "big", "chat": 9007199254740993, "zone": "Europe/Berlin",
       "stretch": ["07:30", "13:00"], "strength": "18:00", "morning": "07:00",
       "evening": "20:30"}
GROUP = -1001234567890
CHANNEL = -1009876543210
BIG_UPDATE = 2 ** 53 - 100


def strict(mode):
    return lambda workdir, token: StrictEmulator(workdir, token, mode)


def user(uid):
    return {"id": uid, "is_bot": False, "first_name": "R"}


def chat(cid, ctype):
    c = {"id": cid, "type": ctype}
    if ctype == "private":
        c["first_name"] = "R"
    else:
        c["title"] = "T"
    return c


def message(mid, cid, ctype="private", sender=True, **fields):
    m = {"message_id": mid, "chat": chat(cid, ctype), "date": 1772430000}
    if sender:
        m["from"] = user(cid if cid > 0 else ANNA["chat"])
    m.update(fields)
    return m


def max_polls_in(call_log, window):
    """The most getUpdates calls in any `window` seconds of real time."""
    ts = sorted(t for t, method, _ in call_log if method == "getUpdates")
    best, lo = 0, 0
    for hi, t in enumerate(ts):
        while t - ts[lo] > window:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


def sent_to(st, cid):
    return [m for m in st["sent"] if m["chat_id"] == cid]


def check_common(case, st):
    check(st["errors"] == [], "the strict server refused requests: %s" % st["errors"][:5])
    check(st["pending"] == [], "updates never confirmed: %s" % st["pending"])
    twice = {u: n for u, n in st["deliveries"].items() if n != 1}
    check(not twice, "updates delivered more than once: %s" % twice)
    refs = collections.Counter(r for m in st["sent"] for r in keyboard_refs(m))
    check(all(n == 1 for n in refs.values()), "a reminder was sent twice: %s" % refs)
    check(case.token not in case.stderr(), "the token is in the log")


def test_payloads_the_documentation_allows():
    case = TgCase([ANNA, BIG], settings="rate_chat = 100;",
                  emulator=strict("chunked,close"))
    emu = case.emu
    try:
        ignored = [
            emu.raw({"edited_message": dict(message(900, ANNA["chat"], text="9"),
                                            edit_date=1772430100)}),
            emu.raw({"channel_post": message(901, CHANNEL, "channel", sender=False,
                                             text="pain 8/10",
                                             sender_chat=chat(CHANNEL, "channel"))}),
            emu.raw({"my_chat_member": {"chat": chat(ANNA["chat"], "private"),
                                        "from": user(ANNA["chat"]), "date": 1772430000,
                                        "old_chat_member": {"status": "member", "user": user(1)},
                                        "new_chat_member": {"status": "kicked", "user": user(1),
                                                            "until_date": 0}}}),
            emu.raw({"message_reaction": {"chat": chat(GROUP, "supergroup"), "message_id": 5,
                                          "date": 1772430000, "old_reaction": [],
                                          "new_reaction": [{"type": "emoji", "emoji": "\U0001F44D"}]}}),
            emu.raw({"message": message(902, GROUP, "supergroup", text="7")}),
            emu.raw({"message": message(903, ANNA["chat"],
                                        message_auto_delete_timer_changed={
                                            "message_auto_delete_time": 86400})}),
        ]
        stored = {
            # A photo's caption is what the runner wrote.
            emu.raw({"message": message(904, ANNA["chat"], caption="pain 3/10",
                                        photo=[{"file_id": "p", "file_unique_id": "p",
                                                "width": 90, "height": 90}])}): "pain 3/10",
            # Media without words reaches the coach as empty text.
            emu.raw({"message": message(905, ANNA["chat"],
                                        sticker={"file_id": "s", "type": "regular"})}): "",
            emu.raw({"message": message(906, ANNA["chat"],
                                        voice={"file_id": "v", "duration": 2})}): "",
            # No "from" at all.
            emu.raw({"message": message(907, ANNA["chat"], sender=False, text="/help",
                                        unknown_future_field={"x": [1]})}): "/help",
        }
        # A jump to ids near 2^53, then two updates in one batch out of
        # order.
        stored[emu.raw({"message": message(908, BIG["chat"], text="pain 1/10")},
                       update_id=BIG_UPDATE)] = "pain 1/10"
        stored[emu.raw({"message": message(909, ANNA["chat"], text="/plan")},
                       update_id=BIG_UPDATE + 9)] = "/plan"
        stored[emu.raw({"message": message(910, ANNA["chat"], text="/status")},
                       update_id=BIG_UPDATE + 4)] = "/status"

        d = case.start("2026-03-02T05:59:00Z", 60, until="2026-03-02T06:20:00Z")

        def morning_of(r):
            return lambda s: next((m for m in sent_to(s, r["chat"])
                                   if keyboard_refs(m) and "10" in str(m["reply_markup"])),
                                  None)
        anna_m = emu.wait(morning_of(ANNA), 60, "anna's morning check-in")
        big_m = emu.wait(morning_of(BIG), 60, "big's morning check-in")
        anna_ref = keyboard_refs(anna_m).pop()
        big_ref = keyboard_refs(big_m).pop()

        # A tap on a message the client can no longer show.
        tap_old = emu.raw({"callback_query": {
            "id": "cq-old", "from": user(ANNA["chat"]), "chat_instance": "1",
            "message": {"chat": chat(ANNA["chat"], "private"),
                        "message_id": anna_m["message_id"], "date": 0},
            "data": "%s:4" % anna_ref}})
        stored[tap_old] = "4"
        # A tap on an inline message: no "message" at all.
        tap_inline = emu.raw({"callback_query": {
            "id": "cq-inline", "from": user(BIG["chat"]), "chat_instance": "2",
            "inline_message_id": "AAEAAAE", "data": "%s:5" % big_ref}})
        stored[tap_inline] = "5"
        # Data that is not ours, and a game button without data.
        ignored.append(emu.raw({"callback_query": {
            "id": "cq-foreign", "from": user(ANNA["chat"]), "chat_instance": "1",
            "message": message(anna_m["message_id"], ANNA["chat"], text="x"),
            "data": "some other bot's data"}}))
        ignored.append(emu.raw({"callback_query": {
            "id": "cq-game", "from": user(ANNA["chat"]), "chat_instance": "1",
            "inline_message_id": "AAEAAAF", "game_short_name": "g"}}))

        emu.wait(lambda s: {a["id"] for a in s["answers"]} >=
                 {"cq-old", "cq-inline", "cq-foreign", "cq-game"}, 30,
                 "every tap answered")
        code = d.finish(120)
        check(code == 0, "rehabd exited with %s" % code)
        st = emu.state()
        check_common(case, st)

        replies = {r["msg_id"]: r for r in case.query(
            "SELECT msg_id, runner, raw FROM replies WHERE channel='tg'")}
        want = {"u%d" % u for u in stored}
        check(set(replies) == want, "replies %s, expected %s"
              % (sorted(replies), sorted(want)))
        for u, raw in stored.items():
            check(replies["u%d" % u]["raw"] == raw, "update %d stored as %r, expected %r"
                  % (u, replies["u%d" % u]["raw"], raw))
        check(replies["u%d" % tap_inline]["runner"] == "big", "the inline tap's runner")
        check(all(("u%d" % u) not in replies for u in ignored), "an ignored update was stored")
        pain = case.query("SELECT runner, score10 FROM pain ORDER BY runner")
        check({(p["runner"], p["score10"]) for p in pain} >= {("big", 50), ("anna", 40)},
              "pain %s" % pain)
        # The runner who sent a sticker is told what can be read.
        check(len(sent_to(st, ANNA["chat"])) >= 4, "no answer to the media")
        check(max_polls_in(st["call_log"], 10) <= 12,
              "getUpdates spun: %d calls in 10 s" % max_polls_in(st["call_log"], 10))
    finally:
        case.close()


# Columns: method, fault, times, retry_after.
FAULTS = [
    ("getUpdates", "409", 1, 0),
    ("getUpdates", "409webhook", 1, 0),
    ("getUpdates", "429header", 1, 2),
    ("getUpdates", "503html", 1, 0),
    ("getUpdates", "200html", 1, 0),
    ("getUpdates", "slow", 1, 3),
    ("getUpdates", "empty", 3, 0),
    ("sendMessage", "429header", 1, 1),
    ("sendMessage", "503html", 1, 0),
    ("setMyCommands", "503html", 1, 0),
]


def test_faults_from_an_http10_server_with_errors_in_200():
    case = TgCase([ANNA], settings="rate_chat = 100; poll_timeout = 2;",
                  emulator=strict("http10,errors200"))
    emu = case.emu
    try:
        for method, kind, n, retry in FAULTS:
            emu.fault(method, kind, n, retry)
        waiting = [emu.message(ANNA["chat"], t) for t in ("done", "pain 2/10", "/status")]
        d = case.start("2026-03-02T05:59:00Z", 30, until="2026-03-02T06:35:00Z")
        code = d.finish(240)
        check(code == 0, "rehabd exited with %s" % code)
        st = emu.state()
        check_common(case, st)
        check(st["faults_left"] == 0, "%d faults never hit" % st["faults_left"])
        replies = sorted(r["msg_id"] for r in case.query("SELECT msg_id FROM replies"))
        check(replies == sorted("u%d" % u for u in waiting), "replies %s" % replies)
        check(st["commands"], "setMyCommands never succeeded")
        rows = case.outbox()
        check(rows and all(r["state"] == "sent" for r in rows),
              "rows not sent: %s" % [(r["slot"], r["state"], r["error"]) for r in rows])
        check(len(sent_to(st, ANNA["chat"])) == len(rows),
              "%d messages on Telegram for %d rows" % (len(sent_to(st, ANNA["chat"])), len(rows)))
        err = case.stderr()
        check("remove the webhook (Bot API method deleteWebhook)" in err,
              "the webhook conflict was not explained")
        check("another program is reading this bot's updates" in err,
              "the poller conflict was not explained")
        check(max_polls_in(st["call_log"], 10) <= 8,
              "getUpdates spun: %d calls in 10 s" % max_polls_in(st["call_log"], 10))
    finally:
        case.close()


if __name__ == "__main__":
    run_tests([test_payloads_the_documentation_allows,
               test_faults_from_an_http10_server_with_errors_in_200])
