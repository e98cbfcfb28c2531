#!/usr/bin/env python3
"""Telegram: updates that cannot be read, through the real daemon and
plugin against the strict Bot API server, which sends them as the bytes
given (tg_emulator's /control/raw_bytes):

- invalid UTF-8 inside a string, a lone surrogate escape "\\ud800", an
  update_id and a chat id of 2^64, nesting deeper than jansson's limit,
  all waiting in one queue between good replies;
- one update larger than the plugin's 8 MiB response cap;
- a batch over the cap whose updates each fit.

Each good reply before and after a bad update is stored once and
answered, each bad update is skipped with a log line that names its
update_id and never its content, the queue empties (the channel is not
blocked), and every getUpdates is one the strict server accepts.  On
the old plugin the first bad update made it ask for the same offset
forever.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from rehabd_test import check, run_tests  # noqa: E402
from tg_emulator import TgCase  # noqa: E402
from tg_emulator_strict import StrictEmulator  # noqa: E402

ANNA = {"name": "anna", "chat": 408258968, "zone": "Europe/Berlin",
        "stretch": ["07:30", "13:00"], "strength": "18:00", "morning": "07:00",
        "evening": "20:30"}
CAP = 8 << 20
TWO_64 = b"18446744073709551616"


def update(text=b'"zebra"', update_id=b"@ID@", chat=b"408258968", extra=b""):
    """A message update as bytes; every bad one carries "zebra", which
    must never reach the log."""
    return (b'{"update_id":' + update_id + b',"message":{"message_id":7,'
            b'"from":{"id":408258968,"is_bot":false,"first_name":"A"},'
            b'"chat":{"id":' + chat + b',"type":"private","first_name":"A"},'
            b'"date":1772430000,"text":' + text + extra + b'}}')


# Columns: what is wrong, the update's bytes.  Each waits in the queue
# between two good replies.
POISON = [
    ("invalid UTF-8", update(text=b'"pain 4/10 zebra \xff\xfe \xc0"')),
    ("a lone surrogate", update(text=b'"pain 4/10 zebra \\ud800"')),
    ("an update_id of 2^64", update(update_id=TWO_64)),
    ("a chat id of 2^64", update(chat=TWO_64)),
    ("nesting deeper than jansson's limit",
     update(extra=b',"entities":' + b"[" * 5000 + b'"zebra"' + b"]" * 5000)),
]


def replies(case):
    return {r["msg_id"] for r in case.query("SELECT msg_id FROM replies")}


def answered(case):
    return len(case.query("SELECT id FROM outbox WHERE kind='reply'"))


def wait_stored(case, ids, total, what):
    """Waits until the replies ids are stored and total replies answered."""
    want = {"u%d" % u for u in ids}
    case.wait_db(lambda c: want <= replies(c) and answered(c) >= total, 90, what)


def test_unreadable_updates_are_skipped():
    case = TgCase([ANNA], settings="rate_chat = 100;",
                  emulator=lambda d, t: StrictEmulator(d, t, ""))
    emu = case.emu
    goods, bad = [], {}

    def good():
        goods.append(emu.message(ANNA["chat"], "/help"))
        return goods[-1]
    try:
        # All waiting before rehabd starts: one batch, five bad updates.
        good()
        for what, data in POISON:
            bad[emu.raw_bytes(data)] = what
            good()
        case.start("2026-03-02T05:00:00Z", 60)
        wait_stored(case, goods, len(goods), "the replies around the unreadable updates")

        # Queued while rehabd is stopped, so that they come as batches:
        # one update over the cap between two replies, then a batch
        # over the cap of updates that each fit.
        case.stop()
        around = [good()]
        big = emu.raw_bytes(update(extra=b',"padding":"@PAD@"'), pad=CAP + (1 << 20))
        bad[big] = "larger than the cap"
        around.append(good())
        fit = [emu.raw_bytes(update(text=b'"/help"', extra=b',"padding":"@PAD@"'),
                             pad=3 << 20) for _ in range(3)]
        goods.extend(fit)
        good()
        case.start("2026-03-02T05:30:00Z", 60)
        wait_stored(case, around + fit + goods[-1:], len(goods),
                    "the updates around and after the update over the cap")
        emu.wait(lambda s: not s["pending"], 30, "the queue to empty")
        case.stop()

        st = emu.state()
        err = case.stderr()
        got = replies(case)
        check(got == {"u%d" % u for u in goods},
              "replies %s, expected %s" % (sorted(got), sorted(goods)))
        check(answered(case) == len(goods),
              "%d answers for %d replies" % (answered(case), len(goods)))
        for uid, what in bad.items():
            check("an update Telegram sent could not be read and was skipped: "
                  "update_id %d" % uid in err,
                  "no log line names update %d (%s):\n%s" % (uid, what, err[-3000:]))
            check(uid in st["confirmed"], "update %d (%s) was not confirmed" % (uid, what))
        check("zebra" not in err, "the content of a bad update is in the log")
        check("fetching them one at a time" in err, "the batch was not fetched one at a time")
        check(err.count("fetching the updates one at a time to find the one that is too large") == 2,
              "the batches over the cap were not fetched one at a time")
        check(st["errors"] == [], "the strict server refused requests: %s" % st["errors"][:5])
        check(case.token not in err, "the token is in the log")
    finally:
        case.close()


if __name__ == "__main__":
    run_tests([test_unreadable_updates_are_skipped])
