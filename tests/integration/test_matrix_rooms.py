#!/usr/bin/env python3
"""Matrix: rooms and history.  Many answers while rehabd was away come as
a limited timeline; the gap is filled from /messages and every answer is
stored once.  A first start (no cursor) begins at "now": what was written
before is not replayed.  A runner who leaves their DM is marked
unreachable and invited to a new DM; joining it makes them reachable; so
does a send the server refuses with M_FORBIDDEN.
--check-config says what is wrong in file:line form without contacting
the server."""

import os
import sqlite3
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import rehabd_test as rt  # noqa: E402
from rehabd_test import check, run_tests  # noqa: E402
from mx_case import BOT, MxCase  # noqa: E402

ANNA = {"name": "anna", "user": "@anna:localhost", "zone": "Europe/Berlin",
        "stretch": ["07:30", "13:00"], "strength": "18:00", "morning": "07:00",
        "evening": "20:30"}


def first_life(case):
    case.start("2026-03-02T05:59:00Z", 60)
    case.wait_db(lambda c: c.query("SELECT 1 FROM outbox WHERE slot='morning' AND state=2"),
                 60, "the morning check-in")
    case.wait_db(lambda c: c.query("SELECT 1 FROM cursors"), 30, "a cursor")
    case.stop()


def test_limited_timeline_is_filled():
    case = MxCase([ANNA])
    try:
        first_life(case)
        ids = case.emu.control("spam", {"user": ANNA["user"], "n": 180,
                                        "body": "zz note %d"})["event_ids"]
        case.start("2026-03-02T06:10:00Z", 60)
        case.wait_db(lambda c: len(c.query("SELECT 1 FROM replies")) >= 180, 90,
                     "all 180 answers stored")
        case.stop()
        got = {r["msg_id"] for r in case.query("SELECT msg_id FROM replies")}
        check(got == set(ids), "missing %d, extra %d" % (len(set(ids) - got), len(got - set(ids))))
        calls = case.emu.state()["calls"]
        check(calls.get("messages", 0) >= 2, "the gap was not filled from /messages: %s" % calls)
    finally:
        case.close()


def test_first_start_begins_now():
    case = MxCase([ANNA])
    try:
        first_life(case)
        db = sqlite3.connect(os.path.join(case.state_dir, "rehabd.db"))
        db.execute("DELETE FROM cursors")
        db.commit()
        db.close()
        old = case.emu.control("say", {"user": ANNA["user"], "body": "pain 9/10"})
        case.start("2026-03-02T06:10:00Z", 60)
        case.wait_db(lambda c: c.query("SELECT 1 FROM cursors"), 30, "the first cursor")
        new = case.emu.control("say", {"user": ANNA["user"], "body": "pain 2/10"})
        case.wait_db(lambda c: c.query("SELECT 1 FROM pain WHERE score10=20"), 30, "the new answer")
        case.stop()
        msgs = {r["msg_id"] for r in case.query("SELECT msg_id FROM replies")}
        check(new["event_id"] in msgs and old["event_id"] not in msgs,
              "replies %s (old %s)" % (msgs, old["event_id"]))
    finally:
        case.close()


def test_leaving_marks_unreachable_until_rejoined():
    case = MxCase([ANNA])
    try:
        case.start("2026-03-02T05:59:00Z", 60)
        case.wait_db(lambda c: c.query("SELECT 1 FROM outbox WHERE slot='morning' AND state=2"),
                     60, "the morning check-in")
        old = case.emu.control("leave", {"user": ANNA["user"]})["room_id"]
        def new_rooms(st):
            return [r for r, x in st["rooms"].items() if x["creator"] == BOT and r != old]
        case.wait_emu(new_rooms, 30, "a new DM")
        case.wait_db(lambda c: c.stderr().count("can be reached again") >= 2, 30,
                     "the runner reachable again")
        st = case.emu.state()
        new = new_rooms(st)
        check(len(new) == 1 and st["rooms"][new[0]]["members"].get(ANNA["user"]) == "join",
              "new rooms %s" % new)
        check(st["rooms"][old]["members"].get(BOT) == "leave", "the bot stayed in the old room")
        err = case.stderr()
        check("anna cannot be reached on channel mx (left the Matrix room" in err,
              "no unreachable line")
        rows = case.query("SELECT unreachable FROM runner_state WHERE runner='anna'")
        check(rows == [{"unreachable": 0}], "runner_state %s" % rows)
        check(st["errors"] == [], "errors %s" % st["errors"])
    finally:
        case.close()


def test_forbidden_send_marks_unreachable():
    case = MxCase([ANNA])
    try:
        case.emu.control("fault", {"path": "/send/m.room.message/", "kind": "forbidden"})
        case.start("2026-03-02T05:59:00Z", 60)
        case.wait_db(lambda c: c.query("SELECT 1 FROM outbox WHERE slot='morning' AND state=5"),
                     60, "the morning check-in failed as unreachable")
        case.wait_db(lambda c: "anna cannot be reached on channel mx" in c.stderr(), 30,
                     "the unreachable line")
        # The bot opens a new DM; joining it makes anna reachable again.
        case.wait_emu(lambda s: len([r for r, x in s["rooms"].items() if x["creator"] == BOT]) == 2,
                      30, "a new DM")
        case.wait_db(lambda c: c.query("SELECT 1 FROM runner_state WHERE runner='anna'"
                                       " AND unreachable=0"), 30, "anna reachable again")
    finally:
        case.close()


def test_m_direct_written_together():
    runners = [dict(ANNA, name="r%d" % i, user="@r%d:localhost" % i) for i in range(8)]
    case = MxCase(runners)
    try:
        case.start("2026-03-02T05:59:00Z", 60)
        case.wait_db(lambda c: len(c.query("SELECT 1 FROM outbox WHERE slot='morning'"
                                           " AND state=2")) == 8, 60, "eight check-ins")
        st = case.wait_emu(lambda s: len(s["account_data"].get("m.direct", {})) == 8 and s,
                           30, "all eight DMs in m.direct")
        for r in runners:
            rooms = [rid for rid, x in st["rooms"].items() if r["user"] in x["invited"]]
            check(st["account_data"]["m.direct"][r["user"]] == rooms, "m.direct of %s" % r["user"])
        # One read and one write per batch of new rooms, not per room.
        n = st["calls"].get("m.direct", 0)
        check(n < 16, "%d m.direct requests for 8 rooms" % n)
    finally:
        case.close()


def check_config(body, runner_addr="@anna:localhost", token_mode=0o600):
    d = rt.tempdir("rehabd-mxcfg-")
    with open(os.path.join(d, "mx.token"), "w") as f:
        f.write("syt_x\n")
    os.chmod(os.path.join(d, "mx.token"), token_mode)
    blocks = [rt.runner_block("anna", "mx", runner_addr, "UTC", "2026-03-02",
                              ["07:30", "13:00"], "18:00", "07:00")]
    path = rt.write_config(d, "  mx = {\n    plugin = \"matrix\";\n%s\n  };" % body, blocks)
    r = subprocess.run([rt.REHABD, "--check-config", path, "--plugin-dir", rt.PLUGIN_DIR],
                       capture_output=True, text=True, timeout=60)
    return r.returncode, r.stdout + r.stderr, path


GOOD = ('    homeserver = "https://matrix.example.org";\n'
        '    user_id = "@rehabbot:example.org";\n'
        '    access_token_file = "mx.token";')


def test_check_config():
    # Columns: channel body, runner address, token file mode, expected
    # piece of the message (None: ok), its line.
    rows = [
        (GOOD, "@anna:localhost", 0o600, None, 0),
        (GOOD, "@anna:localhost", 0o644, "can be read or changed by group or others (mode 644) — run chmod 600", 11),
        (GOOD.replace("https://matrix", "http://matrix"), "@anna:localhost", 0o600,
         "homeserver: plain http is allowed only to a loopback host", 9),
        (GOOD.replace("@rehabbot:example.org", "rehabbot"), "@anna:localhost", 0o600,
         "user_id: a Matrix user id starts with '@'", 10),
        (GOOD.replace('    access_token_file = "mx.token";', ""), "@anna:localhost", 0o600,
         "has no credentials — set access_token_file", 7),
        (GOOD, "anna", 0o600, "a Matrix user id starts with '@'", 0),
        (GOOD.replace('"mx.token"', '"missing.token"'), "@anna:localhost", 0o600,
         "missing.token cannot be opened", 11),
        (GOOD + '\n    sync_timeout = 0;', "@anna:localhost", 0o600,
         "sync_timeout: give a whole number of seconds between 1 and 300", 12),
    ]
    for body, addr, mode, want, line in rows:
        code, out, path = check_config(body, addr, mode)
        if want is None:
            check(code == 0 and "ok" in out, "good config refused: %s" % out)
            continue
        check(code != 0 and want in out, "expected %r, got %r" % (want, out))
        if line:
            check("%s:%d:" % (path, line) in out, "expected line %d in %r" % (line, out))
        check("syt_x" not in out, "the token is in the message")


if __name__ == "__main__":
    run_tests([test_limited_timeline_is_filled, test_first_start_begins_now,
               test_leaving_marks_unreachable_until_rejoined,
               test_forbidden_send_marks_unreachable, test_m_direct_written_together,
               test_check_config])
