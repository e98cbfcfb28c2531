"""Shared helpers for rehabd's integration tests: temp dirs, configs, a
daemon under test with its console output parsed, and waiting for events
with deadlines (never fixed sleeps)."""

import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import time

REHABD = os.environ.get("REHABD_BIN", "build/rehabd")
REHABCTL = os.environ.get("REHABCTL_BIN", "build/rehabctl")
PLUGIN_DIR = os.environ.get("REHABD_PLUGIN_DIR", "build/plugins")
SOURCE_DIR = os.environ.get("REHABD_SOURCE_DIR",
                            os.path.dirname(os.path.dirname(os.path.dirname(
                                os.path.abspath(__file__)))))
PROGRAM_DIR = os.path.join(SOURCE_DIR, "conf", "programs")

HEADER = re.compile(r"^=== (\d{4}-\d\d-\d\d) (\d\d:\d\d) (\S+) \| (\S+) \| (\S+) \| ref (\d+) ===$")


class Failure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def tempdir(prefix="rehabd-test-"):
    return tempfile.mkdtemp(prefix=prefix)


def runner_block(name, channel, address, zone, start, stretch, strength,
                 morning, evening=None, program="iliopsoas"):
    times = ", ".join('"%s"' % t for t in stretch)
    ev = '\n    evening = "%s";' % evening if evening else ""
    return """  {
    name = "%s"; channel = "%s"; address = "%s"; zone = "%s";
    program = "%s"; start = "%s";
    stretch = [ %s ]; strength = "%s"; morning = "%s";%s
  }""" % (name, channel, address, zone, program, start, times, strength,
         morning, ev)


def write_config(directory, channels, runners, log_level="info", grace=120):
    """channels: text of the channels group body; runners: list of
    runner_block() strings.  Returns the config path."""
    path = os.path.join(directory, "rehabd.conf")
    with open(path, "w") as f:
        f.write("""daemon = {
  program_dir = "%s";
  log_level = "%s";
  grace_minutes = %d;
};
channels = {
%s
};
runners = (
%s
);
""" % (PROGRAM_DIR, log_level, grace, channels, ",\n".join(runners)))
    return path


class Message:
    def __init__(self, m):
        self.date, self.time, self.zone, self.runner, self.slot, self.ref = m.groups()
        self.ref = int(self.ref)
        self.lines = []

    @property
    def text(self):
        return "\n".join(self.lines)

    def key(self):
        return (self.runner, self.date, self.slot)

    def __repr__(self):
        return "<%s %s %s %s %s>" % (self.runner, self.date, self.time,
                                     self.zone, self.slot)


class Daemon:
    """A rehabd process with stdout (console channel) parsed into
    messages and stderr collected."""

    def __init__(self, config, state_dir, simulate=None, speed=None,
                 until=None, extra=(), stdin=subprocess.PIPE):
        args = [REHABD, "-c", config, "--state-dir", state_dir,
                "--plugin-dir", PLUGIN_DIR]
        if simulate:
            args += ["--simulate", simulate]
        if speed:
            args += ["--speed", str(speed)]
        if until:
            args += ["--until", until]
        args += list(extra)
        self.errpath = os.path.join(state_dir, "stderr-%d.log" % time.time_ns())
        os.makedirs(state_dir, exist_ok=True)
        self.err = open(self.errpath, "w")
        self.proc = subprocess.Popen(args, stdin=stdin, stdout=subprocess.PIPE,
                                     stderr=self.err)
        self.messages = []
        self._buf = b""
        self._current = None

    def _feed(self, data):
        self._buf += data
        while b"\n" in self._buf:
            line, self._buf = self._buf.split(b"\n", 1)
            line = line.decode("utf-8", "replace")
            m = HEADER.match(line)
            if m:
                self._current = Message(m)
                self.messages.append(self._current)
            elif self._current is not None:
                if line == "":
                    self._current = None
                else:
                    self._current.lines.append(line)

    def pump(self, timeout):
        """Reads what stdout has within timeout seconds.  Returns False at
        end of output."""
        r, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not r:
            return True
        data = os.read(self.proc.stdout.fileno(), 65536)
        if not data:
            return False
        self._feed(data)
        return True

    def wait_for(self, pred, deadline, what):
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            for m in self.messages:
                if pred(m):
                    return m
            if not self.pump(0.2) and self.proc.poll() is not None:
                break
        raise Failure("timed out waiting for %s; last messages: %s\nstderr:\n%s"
                      % (what, self.messages[-5:], self.stderr()[-3000:]))

    def send(self, line):
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()

    def finish(self, deadline):
        """Waits for the process to exit on its own (--until)."""
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            if not self.pump(0.5) and self.proc.poll() is not None:
                break
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
            raise Failure("rehabd did not stop by itself within %ds\nstderr:\n%s"
                          % (deadline, self.stderr()[-3000:]))
        while self.pump(0):
            pass
        return self.proc.returncode

    def kill(self, sig=signal.SIGKILL):
        self.proc.send_signal(sig)
        self.proc.wait()
        while self.pump(0):
            pass

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        while self.pump(0):
            pass
        self.err.close()
        return self.proc.returncode

    def stderr(self):
        if not self.err.closed:
            self.err.flush()
        with open(self.errpath, encoding="utf-8", errors="replace") as f:
            return f.read()


def run_tests(tests):
    """Runs test functions; prints a summary; exits non-zero on failure."""
    failed = 0
    for t in tests:
        start = time.monotonic()
        try:
            t()
            print("PASS %s (%.1fs)" % (t.__name__, time.monotonic() - start))
        except Failure as e:
            failed += 1
            print("FAIL %s: %s" % (t.__name__, e))
        sys.stdout.flush()
    sys.exit(1 if failed else 0)
