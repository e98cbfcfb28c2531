#!/usr/bin/env python3
"""Matrix send benchmark: N runners whose morning check-in falls due at
the same instant, the real daemon and matrix plugin, the loopback
homeserver emulator (tests/integration/mx_emulator.py) as the server.

Each runner's first message costs a createRoom (and the shared m.direct
write), the notice itself and its 12 pre-seeded reactions, so one
"message" is about 14 requests.  For each size it prints the notices per
second between the first and the last, the time from the due instant to
the first and to the last notice, the daemon's peak resident memory
(VmHWM) and the CPU seconds of the daemon and the emulator (one Python
process on the same machine, which bounds the figure).

    bench/matrix_bench.py [--sizes 1,1000,10000] [--build-dir build]

It prints figures; it is not a pass/fail test.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

SOURCE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(SOURCE, "tests", "integration"))

from mx_emulator import Emulator  # noqa: E402

BOT = "@rehabbot:localhost"
TOKEN = "syt_bench_token"

DUE = "2026-03-02T06:00:00Z"     # 07:00 in Berlin: everyone's morning
START = "2026-03-02T05:59:57Z"   # three real seconds before it


def write_config(directory, n, base_url):
    token_path = os.path.join(directory, "mx.token")
    with open(token_path, "w") as f:
        f.write(TOKEN + "\n")
    os.chmod(token_path, 0o600)
    runners = []
    for i in range(n):
        runners.append(
            '  { name = "r%d"; channel = "mx"; address = "@r%d:localhost"; zone = "Europe/Berlin";\n'
            '    program = "iliopsoas"; start = "2026-03-02";\n'
            '    stretch = [ "07:30", "13:00" ]; strength = "18:00"; morning = "07:00"; }'
            % (i, i))
    path = os.path.join(directory, "rehabd.conf")
    with open(path, "w") as f:
        f.write("""daemon = {
  program_dir = "%s";
  log_level = "warn";
};
channels = {
  mx = {
    plugin = "matrix";
    homeserver = "%s";
    user_id = "%s";
    access_token_file = "mx.token";
  };
};
runners = (
%s
);
""" % (os.path.join(SOURCE, "conf", "programs"), base_url, BOT, ",\n".join(runners)))
    return path


def vm(pid, key):
    """A VmXXX figure of pid from /proc, in KiB, or None."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_seconds(pid):
    """User + system CPU time of pid so far, or None."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return None


def run(n, rehabd, plugin_dir, keep):
    directory = tempfile.mkdtemp(prefix="rehabd-bench-%d-" % n)
    emu = Emulator(directory, BOT, token=TOKEN, strict=True)
    proc = None
    try:
        config = write_config(directory, n, emu.base)
        err = open(os.path.join(directory, "stderr.log"), "w")
        started = time.monotonic()
        proc = subprocess.Popen([rehabd, "-c", config, "--state-dir",
                                 os.path.join(directory, "state"), "--plugin-dir",
                                 plugin_dir, "--simulate", START, "--speed", "1"],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=err)
        due = started + 3.0
        deadline = due + 60 + n / 20.0
        while True:
            s = emu.control("summary")
            if s["notices"] >= n:
                break
            if proc.poll() is not None:
                raise RuntimeError("rehabd exited with %s; see %s" % (proc.returncode, err.name))
            if time.monotonic() > deadline:
                raise RuntimeError("only %d of %d sent in time" % (s["notices"], n))
            time.sleep(0.5)
        hwm = vm(proc.pid, "VmHWM")
        cpu = cpu_seconds(proc.pid)
        emu_cpu = cpu_seconds(emu.proc.pid)
        rss = vm(proc.pid, "VmRSS")
        # The emulator stamps events with the wall clock; due is monotonic.
        wall_due = time.time() - (time.monotonic() - due)
        window = s["last"] - s["first"]
        return {"n": n, "sent": s["notices"],
                "rate": (n - 1) / window if n > 1 and window > 0 else None,
                "due_to_first": s["first"] - wall_due,
                "due_to_last": s["last"] - wall_due,
                "hwm": hwm, "rss": rss, "errors": s["errors"],
                "cpu": cpu, "emu_cpu": emu_cpu, "requests": s["requests"]}
    finally:
        if proc and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        emu.stop()
        if not keep:
            shutil.rmtree(directory, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1,1000,10000")
    ap.add_argument("--build-dir", default=os.environ.get("REHABD_BUILD_DIR",
                                                          os.path.join(SOURCE, "build")))
    ap.add_argument("--keep", action="store_true", help="keep the temp directories")
    args = ap.parse_args()
    rehabd = os.environ.get("REHABD_BIN", os.path.join(args.build_dir, "rehabd"))
    plugin_dir = os.environ.get("REHABD_PLUGIN_DIR", os.path.join(args.build_dir, "plugins"))
    if not os.path.exists(os.path.join(plugin_dir, "matrix.so")):
        sys.exit("no matrix.so in %s: build it or pass --build-dir" % plugin_dir)

    print("%8s %8s %10s %15s %14s %15s %19s %9s" % (
        "runners", "notices", "notices/s", "due->first (s)", "due->last (s)",
        "peak RSS (MiB)", "CPU rehabd/emu (s)", "rejected"))
    for n in [int(x) for x in args.sizes.split(",")]:
        r = run(n, rehabd, plugin_dir, args.keep)
        print("%8d %8d %10s %15.2f %14.2f %15.1f %10.1f / %-6.1f %9d" % (
            r["n"], r["sent"], "%.0f" % r["rate"] if r["rate"] else "-",
            r["due_to_first"], r["due_to_last"], (r["hwm"] or 0) / 1024.0,
            r["cpu"] or 0, r["emu_cpu"] or 0, r["errors"]))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
