#!/usr/bin/env python3
"""rehabctl's live commands against the real daemon over its control
socket: status (table and --json: every runner's channel, reached, stage
and day, flags, last scores, undelivered; every channel); a clinician's
clear-flag, pause and resume, each told to the runner and seen in status;
history, export --csv and forget of a runner's record; a backup of the
live database;
reload of a refused and of a good config; another user refused; a daemon
that is not running gets an error that says what to do."""

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rehabd_test import (Daemon, check, run_tests, runner_block,  # noqa: E402
                         tempdir, write_config)

REHABCTL = os.environ.get("REHABCTL_BIN", "build/rehabctl")


def rehabctl(*args, user=None):
    pre = None
    if user is not None:
        def pre():
            os.setgroups([])
            os.setgid(user)
            os.setuid(user)
    return subprocess.run([REHABCTL] + list(args), capture_output=True, text=True,
                          timeout=30, preexec_fn=pre)


def test_status():
    d = tempdir()
    state = os.path.join(d, "state")
    cfg = write_config(d, '  terminal = { plugin = "console"; };',
                       [runner_block("anna", "terminal", "anna", "UTC", "2026-03-02",
                                     ["07:30", "13:00"], "18:00", "07:00", "20:30"),
                        runner_block("ben", "terminal", "ben", "Europe/Berlin",
                                     "2026-03-09", ["08:00", "12:30"], "17:00",
                                     "06:45", "19:15")])
    sock = os.path.join(state, "control.sock")
    daemon = Daemon(cfg, state, simulate="2026-03-02T06:59:30Z", speed=60)
    try:
        daemon.wait_for(lambda m: m.runner == "anna" and m.slot == "morning", 60,
                        "anna's morning")
        daemon.send("anna: 3, pain at night")
        daemon.wait_for(lambda m: m.runner == "anna" and m.slot.startswith("reply:"),
                        30, "the answer")
        check(os.stat(sock).st_mode & 0o777 == 0o600, "socket mode %o" % os.stat(sock).st_mode)

        r = rehabctl("status", "--json", "--socket", sock)
        check(r.returncode == 0, "status --json: %d %r" % (r.returncode, r.stderr))
        ans = json.loads(r.stdout)
        runners = {x["name"]: x for x in ans["runners"]}
        check(set(runners) == {"anna", "ben"}, "runners %s" % runners.keys())
        a, b = runners["anna"], runners["ben"]
        check(a["reachable"] and a["channel"] == "terminal" and a["stage"] == 1
              and a["last_morning"] == 3 and "red flag" in a["flags"]
              and a["today"] == "2026-03-02", "anna: %s" % a)
        check(not b["started"], "ben starts on the 9th: %s" % b)
        check(ans["channels"] == [{"name": "terminal", "plugin": "console", "up": True}],
              "channels %s" % ans["channels"])

        r = rehabctl("status", "--socket", sock)
        lines = r.stdout.splitlines()
        check(r.returncode == 0 and lines[0].split()[:3] == ["RUNNER", "CHANNEL", "REACHED"],
              "table: %r" % r.stdout)
        anna = [l for l in lines if l.startswith("anna ")]
        check(anna and " yes " in anna[0] and "red flag" in anna[0] and " 3 " in anna[0],
              "anna's line: %r" % anna)
        check("channel terminal (console): up" in lines, "channel line: %r" % lines)

        # A clinician lifts the red flag: anna is told, status shows it
        # gone, and a second clear is refused with the reason.
        r = rehabctl("clear-flag", "anna", "--socket", sock)
        check(r.returncode == 0 and "red flag (reported 2026-03-02) is cleared" in r.stdout,
              "clear-flag: %d %r %r" % (r.returncode, r.stdout, r.stderr))
        daemon.wait_for(lambda m: m.runner == "anna" and m.slot == "admin-cleared", 30,
                        "anna told of the clearance")
        check("cleared by a clinician" in daemon.stderr(), "clearance not logged")
        a = {x["name"]: x for x in json.loads(rehabctl("status", "--json", "--socket",
                                                      sock).stdout)["runners"]}["anna"]
        check("red flag" not in a["flags"], "still flagged: %s" % a)
        r = rehabctl("clear-flag", "anna", "--socket", sock)
        check(r.returncode == 1 and "no red flag standing" in r.stderr, "again: %r" % r.stderr)
        r = rehabctl("clear-flag", "zoe", "--socket", sock)
        check(r.returncode == 1 and 'no runner "zoe"' in r.stderr, "unknown runner: %r" % r.stderr)

        # Pause for 3 days, then resume: each told to the runner.
        r = rehabctl("pause", "anna", "3", "--socket", sock)
        check(r.returncode == 0 and "paused" in r.stdout, "pause: %r %r" % (r.stdout, r.stderr))
        daemon.wait_for(lambda m: m.runner == "anna" and m.slot == "admin-pause", 30,
                        "anna told of the pause")
        a = {x["name"]: x for x in json.loads(rehabctl("status", "--json", "--socket",
                                                      sock).stdout)["runners"]}["anna"]
        check("paused" in a["flags"], "not paused: %s" % a)
        r = rehabctl("resume", "anna", "--socket", sock)
        check(r.returncode == 0, "resume: %r" % r.stderr)
        daemon.wait_for(lambda m: m.runner == "anna" and m.slot == "admin-resume", 30,
                        "anna told of the resume")
        r = rehabctl("resume", "anna", "--socket", sock)
        check(r.returncode == 1 and "not paused" in r.stderr, "resume again: %r" % r.stderr)
        r = rehabctl("pause", "anna", "0", "--socket", sock)
        check(r.returncode == 2 and "whole number from 1 to 365" in r.stderr, "pause 0: %r" % r.stderr)

        # A test message reaches the runner through the outbox.
        r = rehabctl("send-test", "ben", "--socket", sock)
        check(r.returncode == 0 and "on its way over channel terminal" in r.stdout,
              "send-test: %r %r" % (r.stdout, r.stderr))
        t = daemon.wait_for(lambda m: m.runner == "ben" and m.slot == "admin-test", 30,
                            "ben's test message")
        check("test message" in t.text, "test text: %r" % t.text)

        # Reload: a refused config is reported with its file:line and the
        # running one stays; a good one is taken.
        with open(cfg) as f:
            good = f.read()
        with open(cfg, "w") as f:
            f.write(good.replace('zone = "Europe/Berlin"', 'zone = "Europe/Berln"'))
        r = rehabctl("reload", "--socket", sock)
        check(r.returncode == 1 and "rehabd refused" in r.stderr and cfg + ":" in r.stderr
              and "Europe/Berln" in r.stderr, "bad reload: %r" % r.stderr)
        with open(cfg, "w") as f:
            f.write(good)
        r = rehabctl("reload", "--socket", sock)
        check(r.returncode == 0 and "rehabd reloaded: 1 channel(s), 2 runner(s)" in r.stdout,
              "good reload: %r %r" % (r.stdout, r.stderr))

        # history and export: the day's score, flag and clearance.
        r = rehabctl("history", "anna", "--json", "--socket", sock)
        check(r.returncode == 0, "history: %r" % r.stderr)
        days = json.loads(r.stdout)["days"]
        check(len(days) == 1 and days[0]["day"] == "2026-03-02" and days[0]["morning"] == 3
              and days[0]["red_flag"] and days[0]["cleared"], "history days %s" % days)
        r = rehabctl("history", "anna", "--socket", sock)
        check(r.returncode == 0 and r.stdout.startswith("DAY ") and "2026-03-02" in r.stdout
              and "PAIN AT REST/NIGHT" in r.stdout, "history table: %r" % r.stdout)
        r = rehabctl("export", "--csv", "--socket", sock)
        rows = list(csv.reader(io.StringIO(r.stdout)))
        check(r.returncode == 0 and rows[0][:3] == ["runner", "day", "program_day"]
              and rows[1][:2] == ["anna", "2026-03-02"] and rows[1][5] == "3"
              and rows[1][7] == "yes" and len(rows) == 2, "export: %r" % rows)
        r = rehabctl("forget", "anna", "--yes", "--socket", sock)
        check(r.returncode == 1 and "still in rehabd.conf" in r.stderr, "forget a runner: %r" % r.stderr)
        r = rehabctl("forget", "anna", "--socket", sock)
        check(r.returncode == 2 and "--yes" in r.stderr, "forget without a terminal: %r" % r.stderr)

        # backup while the daemon runs: the whole database, WAL and all,
        # private, and never over an existing file without --force.
        copy = os.path.join(d, "backup.db")
        r = rehabctl("backup", copy, "--state-dir", state)
        check(r.returncode == 0 and "integrity ok" in r.stdout, "backup: %r %r" % (r.stdout, r.stderr))
        check(os.stat(copy).st_mode & 0o777 == 0o600, "backup mode %o" % os.stat(copy).st_mode)
        db = sqlite3.connect(copy)
        try:
            pains = db.execute("SELECT runner, score10, red_flag FROM pain").fetchall()
            cleared = db.execute("SELECT count(*) FROM clearances").fetchone()[0]
        finally:
            db.close()
        check(pains == [("anna", 30, 1)] and cleared == 1, "backup holds %s, %s" % (pains, cleared))
        r = rehabctl("backup", copy, "--state-dir", state)
        check(r.returncode == 1 and "exists" in r.stderr and "--force" in r.stderr,
              "backup over a file: %r" % r.stderr)
        r = rehabctl("backup", copy, "--state-dir", state, "--force")
        check(r.returncode == 0, "backup --force: %r" % r.stderr)
        r = rehabctl("backup", copy + "2", "--state-dir", os.path.join(d, "nowhere"))
        check(r.returncode == 1 and "--state-dir" in r.stderr, "no database: %r" % r.stderr)

        # anna leaves the program: removed from the config, then erased.
        start = good.index('name = "anna"')
        block = good[good.rindex("{", 0, start):good.index("}", start) + 1]
        with open(cfg, "w") as f:
            f.write(good.replace(block + ",", "").replace(block, ""))
        r = rehabctl("reload", "--socket", sock)
        check(r.returncode == 0 and "1 runner(s)" in r.stdout, "reload without anna: %r %r"
              % (r.stdout, r.stderr))
        r = rehabctl("forget", "anna", "--yes", "--socket", sock)
        check(r.returncode == 0 and "erased" in r.stdout, "forget: %r %r" % (r.stdout, r.stderr))
        db = sqlite3.connect(os.path.join(state, "rehabd.db"))
        try:
            left = sum(db.execute("SELECT count(*) FROM %s WHERE runner = 'anna'" % t).fetchone()[0]
                       for t in ("pain", "replies", "outbox", "adherence", "clearances",
                                 "pauses", "runner_state"))
        finally:
            db.close()
        check(left == 0, "%d rows of anna left" % left)

        # Another user: refused (the socket is 0600 and the daemon checks
        # the peer), with what to do.
        if os.geteuid() == 0:
            os.chmod(d, 0o755)
            os.chmod(state, 0o755)
            r = rehabctl("status", "--socket", sock, user=65534)
            check(r.returncode == 1 and "not allowed" in r.stderr and "root" in r.stderr,
                  "another user: %d %r" % (r.returncode, r.stderr))
    finally:
        daemon.stop()
    # Stopped: the socket is gone, and rehabctl says what to do.
    check(not os.path.exists(sock), "the socket outlived the daemon")
    r = rehabctl("status", "--socket", sock)
    check(r.returncode == 1 and "is it running" in r.stderr, "no daemon: %r" % r.stderr)
    r = rehabctl("status", "--bogus")
    check(r.returncode == 2 and "usage: rehabctl status" in r.stderr, "usage: %r" % r.stderr)


if __name__ == "__main__":
    run_tests([test_status])
