#!/usr/bin/env python3
"""The systemd unit this build makes (<build>/rehabd.service): valid for
systemd-analyze verify, hardened to an exposure of 1.5 or below by
systemd-analyze security --offline=yes, and holding the settings the
README promises (no restart on a refused config, a reload that checks
first, the token as a credential)."""

import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from rehabd_test import REHABD, check, run_tests, tempdir  # noqa: E402

SKIP = 77  # ctest's SKIP_RETURN_CODE for this test
BUILD_DIR = os.environ.get("REHABD_BUILD_DIR", "")
THRESHOLD = 15  # exposure 1.5, in systemd-analyze's tenths


def unit_for_this_build():
    """The built unit with this build's rehabd in place of the install
    path, so that verify finds the program it names."""
    with open(os.path.join(BUILD_DIR, "rehabd.service")) as f:
        text = f.read()
    exec_start = [l for l in text.splitlines() if l.startswith("ExecStart=")][0]
    installed = exec_start.split("=", 1)[1].split()[0]
    path = os.path.join(tempdir(), "rehabd.service")
    with open(path, "w") as f:
        f.write(text.replace(installed, os.path.abspath(REHABD)))
    return path, text


def test_unit():
    path, text = unit_for_this_build()
    r = subprocess.run(["systemd-analyze", "verify", path], capture_output=True,
                       text=True, timeout=60)
    check(r.returncode == 0 and not r.stderr.strip(), "verify: %r" % r.stderr)
    r = subprocess.run(["systemd-analyze", "security", "--offline=yes",
                        "--threshold=%d" % THRESHOLD, path], capture_output=True,
                       text=True, timeout=60)
    overall = [l for l in r.stdout.splitlines() if "Overall exposure level" in l]
    check(r.returncode == 0, "exposure above %.1f: %s" % (THRESHOLD / 10, overall))
    print("  %s" % (overall[0].strip() if overall else "no overall line"))
    for line in ("RestartPreventExitStatus=78", "Type=notify", "UMask=0077",
                 "MemoryDenyWriteExecute=yes",
                 "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6"):
        check(line in text.splitlines(), "the unit lacks %s" % line)
    reloads = [l for l in text.splitlines() if l.startswith("ExecReload=")]
    check(len(reloads) == 2 and "--check-config" in reloads[0] and "-HUP" in reloads[1],
          "reload does not check first: %s" % reloads)
    check(any(l.startswith("LoadCredential=telegram.token:") for l in text.splitlines()),
          "no LoadCredential for the token")


if __name__ == "__main__":
    if not shutil.which("systemd-analyze") or not BUILD_DIR:
        print("SKIP: systemd-analyze not installed (apt-get install systemd)")
        sys.exit(SKIP)
    run_tests([test_unit])
