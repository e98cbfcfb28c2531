#!/usr/bin/env python3
"""A full disk under the state database: every reminder reaches the
channel exactly once, nothing new goes out while commits fail, the log
says so once (not once a minute), and sending resumes by itself.

The state directory is a small tmpfs of the daemon's own (a private
mount namespace through `unshare`, so no root and no system mount is
needed); the test fills it with a file through /proc/<pid>/root and
empties it again."""

import errno
import os
import stat
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rehabd_test  # noqa: E402
from rehabd_test import (Daemon, check, run_tests, runner_block,  # noqa: E402
                         tempdir, write_config)

SKIP = 77  # ctest's SKIP_RETURN_CODE for this test
SPEED = 3000  # 50 simulated minutes per real second
START = "2026-10-22"


def namespace_works():
    try:
        return subprocess.run(
            ["unshare", "-rm", "sh", "-c",
             "d=$(mktemp -d) && mount -t tmpfs -o size=1m tmpfs $d && umount $d"],
            capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def wrapper(directory, mount, size):
    """A script that runs rehabd with `mount` as a fresh tmpfs of `size`
    in a mount namespace of its own (same pid: unshare execs)."""
    path = os.path.join(directory, "rehabd-on-tmpfs")
    with open(path, "w") as f:
        f.write('#!/bin/sh\nexec unshare -rm sh -c \'mount -t tmpfs -o size=%s tmpfs "%s" '
                '&& exec "$@"\' sh "%s" "$@"\n' % (size, mount, os.path.abspath(rehabd_test.REHABD)))
    os.chmod(path, stat.S_IRWXU)
    return path


def fill(path):
    """Writes to path until the file system is full."""
    block = b"\0" * 65536
    with open(path, "wb", buffering=0) as f:
        try:
            while True:
                f.write(block)
        except OSError as e:
            check(e.errno == errno.ENOSPC, "filling the tmpfs: %s" % e)


def test_full_disk_sends_each_reminder_once():
    if not namespace_works():
        print("SKIP: no private mount namespace here (unshare -rm with a tmpfs)")
        sys.exit(SKIP)
    d = tempdir()
    state = os.path.join(d, "state")
    os.makedirs(state)
    runners = [runner_block("anna", "terminal", "anna", "Europe/Berlin", START,
                            ["07:30", "13:00", "21:00"], "18:00", "07:00", "20:30")]
    # A grace of a day: the slots due while the disk is full are sent
    # late, once, when it has room again.
    cfg = write_config(d, '  terminal = { plugin = "console"; };', runners,
                       grace=1440)
    saved = rehabd_test.REHABD
    rehabd_test.REHABD = wrapper(d, state, "3m")
    try:
        daemon = Daemon(cfg, state, simulate="2026-10-22T04:00:00Z", speed=SPEED,
                        until="2026-10-23T04:00:00Z")
    finally:
        rehabd_test.REHABD = saved
    try:
        daemon.wait_for(lambda m: m.slot == "morning", 60, "the morning check-in")
        inside = "/proc/%d/root%s" % (daemon.proc.pid, os.path.abspath(state))
        filler = os.path.join(inside, "filler")
        fill(filler)
        full_from = len(daemon.messages)
        # 07:30 and 13:00 fall due while it is full (about 8 simulated
        # hours).
        end = time.monotonic() + 8 * 3600 / SPEED
        while time.monotonic() < end:
            daemon.pump(0.1)
        during = [m for m in daemon.messages[full_from:]]
        os.unlink(filler)
        rc = daemon.finish(120)
    finally:
        daemon.stop()
    err = daemon.stderr()
    check(rc == 0, "rehabd exited %s\n%s" % (rc, err[-2000:]))
    check(not during, "sent while nothing could be recorded: %s" % during)
    keys = [m.key() for m in daemon.messages if not m.slot.startswith("reply")]
    dup = {k for k in keys if keys.count(k) > 1}
    check(not dup, "sent twice: %s" % sorted(dup))
    want = {("anna", START, s) for s in
            ["morning", "stretch1", "stretch2", "stretch3", "strength", "evening"]}
    check(want <= set(keys), "never sent: %s\n%s" % (sorted(want - set(keys)), err[-3000:]))
    # Once, then every 10 (simulated) minutes while it lasts: about 8 h.
    said = err.count("cannot record changes")
    check(1 <= said <= 8 * 6 + 2, "the full disk was logged %d times (want once, "
          "then every 10 minutes at most):\n%s" % (said, err[-3000:]))
    store_lines = err.count("store: ")
    check(store_lines <= 5, "%d store error lines: not paced\n%s"
          % (store_lines, err[-3000:]))
    check("records changes again" in err, "recovery not logged:\n" + err[-3000:])


if __name__ == "__main__":
    run_tests([test_full_disk_sends_each_reminder_once])
