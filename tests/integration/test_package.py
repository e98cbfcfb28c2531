#!/usr/bin/env python3
"""The Debian package as an admin gets it: built from the tree with CPack
(prefix /usr), its control data (name, the runtime libraries it depends
on, the example config as a conffile, maintainer scripts that are valid
shell and never start the service), its files where Debian puts them,
and, extracted into a scratch root, programs that run, man pages that
man reads without a warning and a unit systemd-analyze verifies."""

import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rehabd_test import check, run_tests, tempdir  # noqa: E402

SKIP = 77
SOURCE = os.environ.get("REHABD_SOURCE_DIR", ".")
BUILD_DIR = os.environ.get("REHABD_BUILD_DIR", "")


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=900, **kw)


def test_deb():
    d = tempdir("rehabd-deb-")
    build = os.path.join(d, "build")
    r = run(["cmake", "-S", SOURCE, "-B", build, "-DCMAKE_INSTALL_PREFIX=/usr",
             "-DCMAKE_BUILD_TYPE=Release", "-DREHABD_TESTS=OFF"])
    check(r.returncode == 0, "configure: %s" % r.stderr[-2000:])
    r = run(["cmake", "--build", build, "-j%d" % (os.cpu_count() or 2)])
    check(r.returncode == 0, "build: %s" % (r.stdout + r.stderr)[-2000:])
    r = run(["cpack", "-G", "DEB"], cwd=build)
    check(r.returncode == 0, "cpack: %s" % (r.stdout + r.stderr)[-2000:])
    debs = [f for f in os.listdir(build) if f.endswith(".deb")]
    check(len(debs) == 1 and re.match(r"rehabd_\d+\.\d+\.\d+_\w+\.deb$", debs[0]), "debs %s" % debs)
    deb = os.path.join(build, debs[0])

    info = run(["dpkg-deb", "-I", deb]).stdout
    depends = re.search(r"^ Depends: (.*)$", info, re.M)
    check(depends, "no Depends:\n" + info)
    for lib in ("libcurl4", "libev4", "libconfig9", "libjansson4", "libsqlite3-0", "tzdata",
                "ca-certificates"):
        check(lib in depends.group(1), "%s not in Depends: %s" % (lib, depends.group(1)))
    for dev in ("-dev", "cmocka", "clang"):
        check(dev not in depends.group(1), "a build dependency in Depends: %s" % depends.group(1))
    conffiles = run(["dpkg-deb", "-f", deb, "Package"]).stdout.strip()
    check(conffiles == "rehabd", "package name %r" % conffiles)
    ctl = os.path.join(d, "control")
    run(["dpkg-deb", "-e", deb, ctl])
    with open(os.path.join(ctl, "conffiles")) as f:
        check(f.read().split() == ["/etc/rehabd/rehabd.conf"], "conffiles")
    for script in ("postinst", "prerm", "postrm"):
        path = os.path.join(ctl, script)
        check(os.access(path, os.X_OK), "%s not executable" % script)
        check(run(["sh", "-n", path]).returncode == 0, "%s is not valid sh" % script)
        with open(path) as f:
            text = "".join(l for l in f if not l.lstrip().startswith("#"))
        check(not re.search(r"systemctl (--now )?(enable|start)\b", text),
              "%s enables or starts the service before it is configured" % script)

    root = os.path.join(d, "root")
    check(run(["dpkg-deb", "-x", deb, root]).returncode == 0, "extract")
    files = {os.path.relpath(os.path.join(dp, f), root)
             for dp, _, fs in os.walk(root) for f in fs}
    for want in ("usr/sbin/rehabd", "usr/bin/rehabctl", "etc/rehabd/rehabd.conf",
                 "usr/share/rehabd/programs/iliopsoas.conf",
                 "usr/lib/systemd/system/rehabd.service",
                 "usr/share/man/man8/rehabd.8", "usr/share/man/man1/rehabctl.1",
                 "usr/share/man/man5/rehabd.conf.5",
                 "usr/share/bash-completion/completions/rehabctl",
                 "usr/share/doc/rehabd/README.md", "usr/include/rehabd/channel.h"):
        check(want in files, "%s not in the package" % want)
    check(any(re.match(r"usr/lib/[^/]+/rehabd/telegram\.so$", f) for f in files),
          "no telegram plugin in the package")
    check(not any(f.startswith(("work/", "tmp/", "usr/local/")) for f in files),
          "files outside the system paths: %s" % sorted(f for f in files
                                                        if f.startswith(("work/", "tmp/", "usr/local/"))))

    r = run([os.path.join(root, "usr/sbin/rehabd"), "--version"])
    check(r.returncode == 0 and r.stdout.startswith("rehabd "), "rehabd --version: %r" % r.stdout)
    r = run([os.path.join(root, "usr/bin/rehabctl"), "--help"])
    check(r.returncode == 0 and "status" in r.stdout, "rehabctl --help: %r" % r.stdout)
    if shutil.which("man"):
        for page in ("man8/rehabd.8", "man1/rehabctl.1", "man5/rehabd.conf.5"):
            r = run(["man", "--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z",
                     os.path.join(root, "usr/share/man", page)],
                    env=dict(os.environ, LC_ALL="C.UTF-8", MANWIDTH="80"))
            check(r.returncode == 0 and not r.stderr.strip(), "man %s: %r" % (page, r.stderr))
    with open(os.path.join(root, "usr/lib/systemd/system/rehabd.service")) as f:
        unit = f.read()
    check("ExecStart=/usr/sbin/rehabd --config /etc/rehabd/rehabd.conf" in unit,
          "the unit's ExecStart: %s" % [l for l in unit.splitlines() if "Exec" in l])
    if shutil.which("systemd-analyze"):
        path = os.path.join(d, "rehabd.service")
        with open(path, "w") as f:
            f.write(unit.replace("/usr/sbin/rehabd", os.path.join(root, "usr/sbin/rehabd")))
        # Documentation=man:… is checked: the pages as the package has them.
        r = run(["systemd-analyze", "verify", path],
                env=dict(os.environ, MANPATH=os.path.join(root, "usr/share/man")))
        check(r.returncode == 0, "verify: %s" % r.stderr)


if __name__ == "__main__":
    cache = os.path.join(BUILD_DIR, "CMakeCache.txt")
    if not shutil.which("cpack") or not shutil.which("dpkg-deb"):
        print("SKIP: needs cpack and dpkg-deb")
        sys.exit(SKIP)
    # The package is a release build of its own; a sanitizer run of the
    # suite would only build the same again.
    if os.path.exists(cache) and "REHABD_SANITIZE:BOOL=ON" in open(cache).read():
        print("SKIP: built once, in the normal run")
        sys.exit(SKIP)
    run_tests([test_deb])
