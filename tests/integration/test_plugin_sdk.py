#!/usr/bin/env python3
"""The plugin SDK as a plugin author meets it: the tree installed into a
scratch root (DESTDIR), the installed console example built out of tree with its
Makefile against the installed rehabd.pc, and rehabd --plugin-test
loading that build with no config, sending one message (its quick
answers shown) and reading a reply; a plugin that reports nothing is
named as such, and a bad setting or address is refused with why."""

import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rehabd_test import REHABD, check, run_tests, tempdir  # noqa: E402

SKIP = 77
BUILD_DIR = os.environ.get("REHABD_BUILD_DIR", "")


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=120, **kw)


def test_out_of_tree_plugin():
    d = tempdir("rehabd-sdk-")
    # DESTDIR, as a package build does: the install paths stay the
    # build's (some are absolute, /etc), all under the scratch root.
    prefix = os.path.join(d, "root")
    r = run(["cmake", "--install", BUILD_DIR], env=dict(os.environ, DESTDIR=prefix))
    check(r.returncode == 0, "install: %s" % r.stderr)
    pcs = [os.path.join(dp, f) for dp, _, fs in os.walk(prefix) for f in fs if f == "rehabd.pc"]
    check(len(pcs) == 1, "rehabd.pc installed: %s" % pcs)
    env = dict(os.environ, PKG_CONFIG_PATH=os.path.dirname(pcs[0]))
    r = run(["pkg-config", "--cflags", "rehabd"], env=env)
    inc = r.stdout.strip()[2:]
    check(r.returncode == 0 and os.path.isfile(os.path.join(inc, "rehabd", "channel.h")),
          "pkg-config --cflags: %r" % r.stdout)
    plugindir = run(["pkg-config", "--variable=plugindir", "rehabd"], env=env).stdout.strip()
    check(os.path.isfile(os.path.join(plugindir, "console.so")), "plugindir %s" % plugindir)

    example = [dp for dp, _, fs in os.walk(prefix) if "Makefile" in fs and "console.c" in fs]
    check(len(example) == 1, "the example is installed: %s" % example)
    work = os.path.join(d, "mine")
    shutil.copytree(example[0], work)
    r = run(["make", "-C", work], env=env)
    check(r.returncode == 0 and os.path.isfile(os.path.join(work, "console.so")),
          "make: %s %s" % (r.stdout, r.stderr))

    so = os.path.join(work, "console.so")
    r = run([REHABD, "--plugin-test", so, "--address", "me", "--wait", "1"], input="me: 4\n")
    check(r.returncode == 0, "plugin-test: %d %s %s" % (r.returncode, r.stdout, r.stderr))
    for want in ("load: %s: plugin \"console\" loaded" % so, "check: ok", "open: ok",
                 "send_done: token 1: sent", 'inbound: id ', 'from me: "4"',
                 "result: the message was sent"):
        check(want in r.stdout, "%r not in:\n%s" % (want, r.stdout))

    # A setting the plugin does not take, and a file that is no plugin.
    r = run([REHABD, "--plugin-test", so, "--set", "colour=red", "--wait", "1"], input="")
    check(r.returncode == 1 and 'unknown setting "colour"' in r.stdout, r.stdout)
    bogus = os.path.join(d, "bogus.so")
    with open(bogus, "w") as f:
        f.write("not an ELF file")
    r = run([REHABD, "--plugin-test", bogus, "--wait", "1"], input="")
    check(r.returncode == 1 and "load:" in r.stdout and "cannot load" in r.stdout, r.stdout)
    r = run([REHABD, "--plugin-test", so, "--set", "novalue", "--wait", "1"], input="")
    check(r.returncode == 1 and "write KEY=VALUE" in r.stdout, r.stdout)


if __name__ == "__main__":
    if not BUILD_DIR or not shutil.which("make") or not shutil.which("pkg-config"):
        print("SKIP: needs REHABD_BUILD_DIR, make and pkg-config")
        sys.exit(SKIP)
    run_tests([test_out_of_tree_plugin])
