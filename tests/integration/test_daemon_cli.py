"""The daemon's command line and signals: --version, --help, usage errors,
--check-config on good and bad files, READY=1 to $NOTIFY_SOCKET, SIGHUP
reload (a bad config is refused and the old one stays), SIGTERM."""

import os
import re
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rehabd_test import (PLUGIN_DIR, REHABD, SOURCE_DIR, Daemon, check,  # noqa: E402
                         run_tests, runner_block, tempdir, write_config)

CONSOLE = '  terminal = { plugin = "console"; };'


def anna(start="2026-03-02"):
    return runner_block("anna", "terminal", "anna", "Europe/Berlin", start,
                        ["07:30", "13:00"], "18:00", "07:00", "20:30")


def ben():
    return runner_block("ben", "terminal", "ben", "America/New_York",
                        "2026-03-02", ["06:45", "19:15"], "17:30", "06:30")


def run(args):
    return subprocess.run([REHABD] + args, capture_output=True, text=True,
                          timeout=60)


def test_version_and_help():
    r = run(["--version"])
    check(r.returncode == 0 and r.stdout.startswith("rehabd "), r.stdout)
    check(re.search(r"channel plugin ABI 1\.\d+\)", r.stdout),
          "version does not name the plugin ABI: " + r.stdout)
    r = run(["--help"])
    check(r.returncode == 0, "help failed")
    for opt in ["--config", "--check-config", "--state-dir", "--plugin-dir",
                "--log-level", "--simulate", "--speed", "--until", "--version"]:
        check(opt in r.stdout, "%s missing from --help" % opt)
    r = run(["--bogus"])
    check(r.returncode == 2 and "rehabd --help" in r.stderr, "bad option: %r" % r.stderr)
    r = run(["--simulate", "tomorrow"])
    check(r.returncode == 2 and "2026-03-02T05:00:00Z" in r.stderr, r.stderr)
    r = run(["--speed", "10"])
    check(r.returncode == 2 and "need --simulate" in r.stderr, r.stderr)


def test_check_config():
    d = tempdir()
    good = write_config(d, CONSOLE, [anna(), ben()])
    r = run(["--check-config", good, "--plugin-dir", PLUGIN_DIR])
    check(r.returncode == 0 and r.stdout == "ok\n", "good config: %r %r" % (r.stdout, r.stderr))

    bad = os.path.join(d, "bad.conf")
    with open(good) as f:
        text = f.read()

    def strength_time(value):
        """Checks good's config with anna's strength time set to value;
        returns the run and the line of that setting."""
        lines = text.split("\n")
        n = next(i for i, line in enumerate(lines) if '"18:00"' in line)
        lines[n] = lines[n].replace('"18:00"', value)
        with open(bad, "w") as f:
            f.write("\n".join(lines))
        return run(["--check-config", bad, "--plugin-dir", PLUGIN_DIR]), n + 1

    r, line = strength_time('"25:00"')
    check(r.returncode == 1, "bad config accepted: %r" % r.stdout)
    check(r.stdout.startswith("%s:%d: " % (bad, line)) and "25:00" in r.stdout,
          "message does not name file:line: %r" % r.stdout)

    # A value with a newline in it (libconfig's "\n" escape) is echoed
    # on one line: an error can never forge a second journal line.
    r, line = strength_time('"18:00\\nrehabd error: forged"')
    check(r.returncode == 1 and r.stdout.count("\n") == 1 and
          r.stdout.startswith("%s:%d: " % (bad, line)),
          "a value with a newline: %r" % r.stdout)

    # The daemon itself refuses it at start, with the exit status the
    # unit does not restart on (78, EX_CONFIG).
    r = run(["-c", bad, "--plugin-dir", d, "--state-dir", os.path.join(d, "st")])
    check(r.returncode == 78 and bad + ":" in r.stderr,
          "start with a bad config: %d %r" % (r.returncode, r.stderr))

    # The plugin must be loadable, not only present.
    r = run(["--check-config", good, "--plugin-dir", d])
    check(r.returncode == 1 and "console.so" in r.stdout, r.stdout)

    # The shipped example, with the plugins of this build: refused while
    # its token file does not exist (a pre-start check must not pass a
    # channel that cannot start), taken once the token is in place.
    example = os.path.join(SOURCE_DIR, "conf", "rehabd.conf")
    r = run(["--check-config", example, "--plugin-dir", PLUGIN_DIR])
    check(r.returncode == 1 and r.stdout.startswith(example + ":") and
          "token_file /etc/rehabd/telegram.token cannot be opened" in r.stdout and
          "create it with the secret (mode 600)" in r.stdout,
          "conf/rehabd.conf without its token: %r %r" % (r.stdout, r.stderr))
    token = os.path.join(d, "telegram.token")
    with open(token, "w") as f:
        f.write("123456:TESTtoken_abc-XYZ\n")
    os.chmod(token, 0o600)
    with open(example) as f:
        text = f.read()
    placed = os.path.join(d, "example.conf")
    with open(placed, "w") as f:
        f.write(text.replace("/etc/rehabd/telegram.token", token).replace(
            'program_dir = "programs";',
            'program_dir = "%s";' % os.path.join(SOURCE_DIR, "conf", "programs")))
    os.chmod(placed, 0o600)
    r = run(["--check-config", placed, "--plugin-dir", PLUGIN_DIR])
    check(r.returncode == 0 and r.stdout == "ok\n",
          "conf/rehabd.conf with its token: %r %r" % (r.stdout, r.stderr))
    demo = os.path.join(SOURCE_DIR, "conf", "demo.conf")
    r = run(["--check-config", demo, "--plugin-dir", PLUGIN_DIR])
    check(r.returncode == 0 and r.stdout == "ok\n", "conf/demo.conf: %r" % r.stdout)

    # rehabd -t checks the file the daemon would read (-c, or the
    # default) and names it; -T prints it with its defaults, as a config
    # rehabd reads back the same.
    r = run(["-c", demo, "-t", "--plugin-dir", PLUGIN_DIR])
    check(r.returncode == 0 and r.stdout == "rehabd: the configuration file %s is ok\n" % demo,
          "-t: %r %r" % (r.stdout, r.stderr))
    r = run(["-c", bad, "-t", "--plugin-dir", PLUGIN_DIR])
    check(r.returncode == 1 and r.stdout.startswith(bad + ":") and
          ("the configuration file %s is not valid" % bad) in r.stderr, "-t bad: %r %r" % (r.stdout, r.stderr))
    r = run(["-c", demo, "-T", "--plugin-dir", PLUGIN_DIR])
    check(r.returncode == 0 and "  grace_minutes = 120;\n" in r.stdout and
          "  send_expiry_minutes = 360;\n" in r.stdout and
          'evening = "20:30";' in r.stdout, "-T: %r %r" % (r.stdout, r.stderr))
    printed = os.path.join(d, "printed.conf")
    with open(printed, "w") as f:
        f.write(r.stdout)
    again = run(["-c", printed, "-T", "--plugin-dir", PLUGIN_DIR])
    check(again.returncode == 0 and
          again.stdout.split("\n", 1)[1] == r.stdout.split("\n", 1)[1],
          "-T read back differs:\n%s\n---\n%s" % (r.stdout, again.stdout))


def test_notify_reload_and_stop():
    d = tempdir()
    cfg = write_config(d, CONSOLE, [anna()])
    sock_path = os.path.join(d, "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(sock_path)
    sock.settimeout(30)
    os.environ["NOTIFY_SOCKET"] = sock_path
    try:
        daemon = Daemon(cfg, os.path.join(d, "state"),
                        simulate="2026-03-02T05:00:00Z", speed=600)
    finally:
        del os.environ["NOTIFY_SOCKET"]
    ready = sock.recv(4096).decode()
    check("READY=1" in ready, "first notification is %r" % ready)
    # STATUS= says who is served and whether the channels are up.
    check(re.search(r"^STATUS=1 runner\(s\); \S+ \(console\) up$", ready, re.M),
          "no STATUS= with the runners and channels: %r" % ready)

    # A broken config is refused; the running one keeps going.
    with open(cfg) as f:
        good_text = f.read()
    with open(cfg, "w") as f:
        f.write(good_text.replace('zone = "Europe/Berlin"', 'zone = "Europe/Berln"'))
    daemon.proc.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 30
    while "reload refused" not in daemon.stderr() and time.monotonic() < deadline:
        daemon.pump(0.2)
    err = daemon.stderr()
    check("reload refused" in err and "Europe/Berln" in err and "rehabd.conf:" in err,
          "bad reload not reported:\n" + err[-2000:])
    check(daemon.proc.poll() is None, "rehabd died on a bad reload")

    # A good one (a second runner) is taken.
    with open(cfg, "w") as f:
        f.write(good_text.replace(anna(), anna() + ",\n" + ben()))
    daemon.proc.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 30
    while "reloaded: 1 channel(s), 2 runner(s)" not in daemon.stderr() \
            and time.monotonic() < deadline:
        daemon.pump(0.2)
    check("reloaded: 1 channel(s), 2 runner(s)" in daemon.stderr(),
          "good reload not taken:\n" + daemon.stderr()[-2000:])
    # anna's 07:00 (06:00Z) and ben's 06:30 (11:30Z) both arrive.
    daemon.wait_for(lambda m: m.runner == "anna" and m.slot == "morning", 60, "anna's morning")
    daemon.wait_for(lambda m: m.runner == "ben" and m.slot == "morning", 120, "ben's morning")
    daemon.proc.send_signal(signal.SIGTERM)
    rc = daemon.proc.wait(30)
    check(rc == 0, "SIGTERM exit status %s" % rc)
    daemon.stop()
    after = []
    while not after or "STOPPING=1" not in after[-1]:
        after.append(sock.recv(4096).decode())
    check(any(re.search(r"^STATUS=2 runner\(s\);", m, re.M) for m in after),
          "no STATUS= after the reload: %r" % after)
    sock.close()


if __name__ == "__main__":
    run_tests([test_version_and_help, test_check_config, test_notify_reload_and_stop])
