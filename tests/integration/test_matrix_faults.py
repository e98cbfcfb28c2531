#!/usr/bin/env python3
"""Matrix: faults of the homeserver lose nothing and double nothing.
Sends meet 429 (retry_after_ms and Retry-After), 500 and a reset; /sync
meets garbage JSON, a 500, a reset, a 429 and a soft logout (the plugin
logs in again with password_file on the same device, so txnIds keep
deduplicating); every reminder is on the server once and every answer is
stored once.  A hard M_UNKNOWN_TOKEN with access_token_file stops the
channel with an error that says what to do.  A homeserver that answers
/sync at once does not make the plugin spin."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from rehabd_test import check, run_tests  # noqa: E402
from mx_case import PASSWORD, MxCase, notices  # noqa: E402

ANNA = {"name": "anna", "user": "@anna:localhost", "zone": "Europe/Berlin",
        "stretch": ["07:30", "13:00"], "strength": "18:00", "morning": "07:00",
        "evening": "20:30"}


def test_faults_lose_nothing():
    case = MxCase([ANNA], login="password")
    emu = case.emu
    try:
        for path, kind, n in (("/send/", "429", 2), ("/send/", "429h", 1),
                              ("/send/", "500", 1), ("/send/", "reset", 1)):
            emu.control("fault", {"path": path, "kind": kind, "count": n,
                                  "retry_after_ms": 1200})
        case.start("2026-03-02T05:55:00Z", 600, until="2026-03-02T12:20:00Z")
        case.wait_db(lambda c: c.query("SELECT 1 FROM outbox WHERE slot='morning' AND state=2"),
                     90, "the morning check-in, through the send faults")
        for path, kind, n in (("/sync", "garbage", 2), ("/sync", "500", 1),
                              ("/sync", "reset", 1), ("/sync", "429", 1),
                              ("/sync", "unknown_token_soft", 1)):
            emu.control("fault", {"path": path, "kind": kind, "count": n,
                                  "retry_after_ms": 500})
        say = emu.control("say", {"user": ANNA["user"], "body": "pain 2/10"})
        case.wait_db(lambda c: c.query("SELECT 1 FROM pain WHERE score10=20"), 120,
                     "the typed score, through the sync faults")
        code = case.daemon.finish(180)
        check(code == 0, "rehabd exited with %s" % code)
        st = emu.state()
        rows = [r for r in case.outbox() if r["kind"] != "reply"]
        check([r["slot"] for r in rows] == ["morning", "stretch1", "stretch2"],
              "rows %s" % [r["slot"] for r in rows])
        check(all(r["state"] == "sent" for r in rows), "states %s" % [r["state"] for r in rows])
        sent = notices(st)
        bodies = [e["content"]["body"] for e in sent]
        for r in case.outbox():
            if r["state"] == "sent":
                check(bodies.count(r["text"]) == 1, "%s is on the server %d times"
                      % (r["slot"], bodies.count(r["text"])))
        check(len(sent) == len({e["event_id"] for e in sent}), "an event twice")
        check(len(case.query("SELECT 1 FROM pain WHERE score10=20")) == 1, "the score twice")
        check(len(case.query("SELECT 1 FROM replies WHERE msg_id=?", say["event_id"])) == 1,
              "the reply's record")
        logins = st["logins"]
        check(len(logins) == 2 and not logins[0]["given"] and logins[1]["given"]
              and logins[0]["device_id"] == logins[1]["device_id"],
              "logins %s" % logins)
        err = case.stderr()
        check(PASSWORD not in err and "syt_emu" not in err, "a secret is in the log")
        check("logging in again" in err, "the soft logout is not logged")
        check(st["errors"] == [], "the homeserver refused requests: %s" % st["errors"])
    finally:
        case.close()


def test_unreadable_sync_is_skipped():
    """A /sync answer jansson cannot load (one message body with invalid
    UTF-8), the same from one cursor again and again, is skipped on the
    third try with a log line saying a message may be lost: later
    replies are read, the channel is not blocked for ever."""
    case = MxCase([ANNA])
    emu = case.emu
    try:
        case.start("2026-03-02T05:55:00Z", 600, until="2026-03-02T09:00:00Z")
        case.wait_db(lambda c: c.query("SELECT 1 FROM outbox WHERE slot='morning' AND state=2"),
                     90, "the morning check-in")
        # Every answer carrying it is unreadable, three times in a row.
        emu.control("fault", {"path": "/sync", "kind": "poison", "count": 3})
        emu.control("say", {"user": ANNA["user"], "body": "pain 7"})
        case.wait_db(lambda c: "could not be read 3 times" in c.stderr(), 120,
                     "the unreadable answer skipped")
        emu.control("say", {"user": ANNA["user"], "body": "pain 2/10"})
        case.wait_db(lambda c: c.query("SELECT 1 FROM pain WHERE score10=20"), 120,
                     "the next reply, read")
        check(not case.query("SELECT 1 FROM pain WHERE score10=70"),
              "the message in the skipped answer was stored after all")
        err = case.stderr()
        check("ask them to send it again" in err and "pain 7" not in err,
              "the log line: %s" % err[-1500:])
        code = case.daemon.finish(180)
        check(code == 0, "rehabd exited with %s" % code)
    finally:
        case.close()


def test_hard_logout_stops_with_advice():
    case = MxCase([ANNA])
    try:
        case.emu.control("fault", {"path": "/account/whoami", "kind": "unknown_token"})
        d = case.start("2026-03-02T05:55:00Z", 60)
        end = time.monotonic() + 30
        while "channel stopped" not in case.stderr() and time.monotonic() < end:
            d.pump(0.2)
        err = case.stderr()
        check("channel stopped" in err and "put a fresh access token" in err
              and "mx.token" in err, "no clear stop:\n%s" % err[-2000:])
    finally:
        case.close()


def test_instant_sync_does_not_spin():
    case = MxCase([ANNA])
    try:
        case.emu.control("fault", {"path": "/sync", "kind": "instant", "count": 1000000})
        case.start("2026-03-02T01:00:00Z", 1)
        t0 = time.monotonic()
        case.wait_db(lambda c: c.query("SELECT 1 FROM cursors"), 30, "the first cursor")
        n0 = case.emu.state()["syncs"]
        time.sleep(6)
        n = case.emu.state()["syncs"] - n0
        check(n <= 12, "%d syncs in 6 s against a server that does not hold them" % n)
        check("answers /sync at once" in case.stderr(), "not logged")
        del t0
    finally:
        case.close()


if __name__ == "__main__":
    run_tests([test_faults_lose_nothing, test_unreadable_sync_is_skipped,
               test_hard_logout_stops_with_advice,
               test_instant_sync_does_not_spin])
