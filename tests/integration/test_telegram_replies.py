#!/usr/bin/env python3
"""Telegram: replies through the real daemon and plugin on the simulated
clock.  A tap of 6 on the morning check-in is stored, answered and shown
on the message, and deloads the next day (strength 2x12); a typed
"pain 3/10" after the evening check-in is stored; a tap on yesterday's
check-in counts for yesterday; a stranger's message and a group message are
ignored (not stored, no reply, content not in the log); a tap the server
delivers again is stored, answered and shown on its message once."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from rehabd_test import check, run_tests  # noqa: E402
from tg_emulator import TgCase, keyboard_refs  # noqa: E402

ANNA = {"name": "anna", "chat": 408258968, "zone": "Europe/Berlin",
        "stretch": ["07:30", "13:00"], "strength": "18:00", "morning": "07:00",
        "evening": "20:30"}
STRANGER = 5000000009
GROUP = -1001234567890


def sent_to(st, chat):
    return [m for m in st["sent"] if m["chat_id"] == chat]


def test_tap_text_and_strangers():
    case = TgCase([ANNA], settings="rate_chat = 100;")
    emu = case.emu
    try:
        # Mon 2 Mar 05:00Z = 06:00 Berlin; the run ends after Tuesday's
        # strength reminder (18:00 Berlin = 17:00Z).
        d = case.start("2026-03-02T05:00:00Z", 3600, until="2026-03-03T17:30:00Z")

        # The morning check-in arrives with its 0-10 keyboard; tap 6.
        morning = emu.wait(lambda s: next((m for m in sent_to(s, ANNA["chat"])
                                           if "6" in str(m["reply_markup"])), None),
                           30, "the morning check-in")
        ref = keyboard_refs(morning).pop()
        tap = emu.tap(ANNA["chat"], morning["message_id"], "%s:6" % ref)

        # The tap is answered (toast) and the message shows the choice
        # without its keyboard.
        emu.wait(lambda s: s["answers"], 20, "answerCallbackQuery")
        emu.wait(lambda s: any(e["message_id"] == morning["message_id"] and
                               e["text"].endswith("\u2192 6") and not e["reply_markup"]
                               for e in s["edits"]), 20, "the edited check-in")
        ack = emu.state()["answers"][0]["text"]
        check("6/10" in ack, "toast %r" % ack)
        emu.wait(lambda s: any("6/10" in m["text"] for m in sent_to(s, ANNA["chat"])),
                 20, "the acknowledgement with tomorrow's outlook")

        # A typed score after the evening check-in (a second morning
        # score would replace the first), a stranger and a group message.
        def evening_sent(st):
            rows = case.query("SELECT id FROM outbox WHERE runner='anna' AND "
                              "day='2026-03-02' AND slot='evening'")
            return rows and any(keyboard_refs(m) == {str(rows[0]["id"])}
                                for m in sent_to(st, ANNA["chat"]))
        emu.wait(evening_sent, 40, "the evening check-in")
        typed = emu.message(ANNA["chat"], "pain 3/10")
        stranger = emu.message(STRANGER, "pain 9/10 zebra-stranger")
        group = emu.message(GROUP, "pain 8/10 zebra-group", chat_type="supergroup",
                            from_id=ANNA["chat"])
        emu.wait(lambda s: any("3/10" in m["text"] for m in sent_to(s, ANNA["chat"])),
                 20, "the acknowledgement of the typed score")
        emu.wait(lambda s: {tap, typed, stranger, group} <= set(s["confirmed"]),
                 20, "all four updates confirmed")

        # On Tuesday, a tap on Monday's evening check-in counts for Monday.
        def tuesday_morning(st):
            rows = case.query("SELECT id FROM outbox WHERE runner='anna' AND "
                              "day='2026-03-03' AND slot='morning'")
            return rows and any(keyboard_refs(m) == {str(rows[0]["id"])}
                                for m in sent_to(st, ANNA["chat"]))
        emu.wait(tuesday_morning, 40, "Tuesday's morning check-in")
        evening = case.query("SELECT id FROM outbox WHERE runner='anna' AND "
                             "day='2026-03-02' AND slot='evening'")[0]["id"]
        old = [m for m in sent_to(emu.state(), ANNA["chat"])
               if keyboard_refs(m) == {str(evening)}][0]
        late = emu.tap(ANNA["chat"], old["message_id"], "%d:2" % evening)
        emu.wait(lambda s: late in s["confirmed"], 20, "the late tap confirmed")

        code = d.finish(120)
        check(code == 0, "rehabd exited with %s" % code)
        st = emu.state()

        # Tuesday's strength reminder carries the deload.
        strength = case.query("SELECT id, text FROM outbox WHERE runner='anna' "
                              "AND day='2026-03-03' AND slot='strength'")
        check(len(strength) == 1, "Tuesday's strength row: %s" % strength)
        check("2\u00d712" in strength[0]["text"],
              "Tuesday's strength is not deloaded:\n%s" % strength[0]["text"])
        tg_strength = [m for m in sent_to(st, ANNA["chat"])
                       if keyboard_refs(m) == {str(strength[0]["id"])}]
        check(len(tg_strength) == 1 and "2\u00d712" in tg_strength[0]["text"],
              "the deloaded strength reminder did not reach Telegram")

        pain = case.query("SELECT day, kind, score10 FROM pain ORDER BY id")
        check(pain == [{"day": "2026-03-02", "kind": "morning", "score10": 60},
                       {"day": "2026-03-02", "kind": "session", "score10": 30},
                       {"day": "2026-03-02", "kind": "session", "score10": 20}],
              "pain rows %s" % pain)
        replies = case.query("SELECT msg_id, runner, raw FROM replies ORDER BY id")
        check([r["msg_id"] for r in replies] == ["u%d" % u for u in (tap, typed, late)],
              "replies %s" % replies)
        check(not any("zebra" in (r["raw"] or "") for r in replies), "a stranger's text was stored")
        check(sent_to(st, STRANGER) == [] and sent_to(st, GROUP) == [],
              "the bot answered a stranger or a group")
        err = case.stderr()
        check("zebra" not in err, "a stranger's text is in the log")
        check(str(STRANGER) in err and "not a runner" in err,
              "the stranger was not logged")
        check("not a private chat" in err, "the group message was not logged")
        check(case.token not in err, "the token is in the log")
        check(st["errors"] == [], "the emulator refused requests: %s" % st["errors"])
    finally:
        case.close()


def test_redelivered_tap_is_shown_once():
    """A server that delivers the same tap (callback query) again: it is
    stored once, answered once and edited onto its message once, and the
    channel goes on."""
    case = TgCase([ANNA], settings="rate_chat = 100;")
    emu = case.emu
    try:
        case.start("2026-03-02T05:55:00Z", 60)
        morning = emu.wait(lambda s: next((m for m in sent_to(s, ANNA["chat"])
                                           if "6" in str(m["reply_markup"])), None),
                           60, "the morning check-in")
        ref = keyboard_refs(morning).pop()
        tap = emu.tap(ANNA["chat"], morning["message_id"], "%s:4" % ref)
        emu.wait(lambda s: any(e["message_id"] == morning["message_id"]
                               for e in s["edits"]), 20, "the edited check-in")
        emu.redeliver(tap, 3)
        emu.wait(lambda s: s["deliveries"].get(str(tap)) == 4, 30,
                 "the tap delivered three times more")
        # A reply after the repeats is read and answered: nothing stuck,
        # and the repeats were handled before it.
        emu.message(ANNA["chat"], "/help")
        case.wait_db(lambda c: c.query("SELECT id FROM outbox WHERE kind='reply'"),
                     30, "the answer to /help")
        case.stop()
        st = emu.state()
        edits = st["calls"].get("editMessageText", 0) + \
            st["calls"].get("editMessageReplyMarkup", 0)
        check(edits == 1, "the tap was edited onto its message %d times" % edits)
        answers = st["calls"].get("answerCallbackQuery", 0)
        check(answers == 1, "the tap was answered %d times" % answers)
        check([a["id"] for a in st["answers"]] == ["q%d" % tap],
              "answers %s" % st["answers"])
        rows = case.query("SELECT msg_id FROM replies WHERE msg_id = ?", "u%d" % tap)
        check(len(rows) == 1, "the tap stored %d times" % len(rows))
        pain = case.query("SELECT score10 FROM pain")
        check(pain == [{"score10": 40}], "pain rows %s" % pain)
        check(st["errors"] == [], "the emulator refused requests: %s" % st["errors"])
    finally:
        case.close()


if __name__ == "__main__":
    run_tests([test_tap_text_and_strangers, test_redelivered_tap_is_shown_once])
