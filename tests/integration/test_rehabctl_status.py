#!/usr/bin/env python3
"""rehabctl status against the real daemon over its control socket: the
table and --json name every runner (channel, reached, stage and day,
flags, last scores, undelivered) and every channel; a runner's red flag
and score show; another user is refused; a daemon that is not running
gets an error that says what to do."""

import json
import os
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
