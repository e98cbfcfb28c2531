"""One Matrix integration scenario: a temp dir with a 0600 secret file,
the loopback homeserver emulator (mx_emulator.py), a rehabd.conf whose
channel "mx" points at it, and the daemon (rehabd_test.Daemon) when
started."""

import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import rehabd_test as rt  # noqa: E402
from mx_emulator import Emulator, EmulatorError  # noqa: E402

BOT = "@rehabbot:localhost"
PASSWORD = "correct horse battery staple"
TOKEN = "syt_cmVoYWJib3Q_preset_token_secret"
OUTBOX_STATES = ["queued", "sending", "sent", "skipped", "paused", "failed",
                 "expired"]

KEYCAPS = ["%d\ufe0f\u20e3" % i for i in range(10)] + ["\U0001F51F"]
MORNING_KEYS = KEYCAPS + ["\U0001F6A9"]
REMINDER_KEYS = ["\u2705", "\u23ed\ufe0f", "\U0001F4A4"]


class MxCase:
    def __init__(self, runners, login="token", settings="", strict=True):
        """runners: dicts with name, user, zone, stretch, strength,
        morning, evening.  login: "token" (access_token_file) or
        "password" (password_file, one-time login)."""
        self.dir = rt.tempdir("rehabd-mx-")
        self.emu = Emulator(self.dir, BOT, password=PASSWORD,
                            token=TOKEN if login == "token" else "", strict=strict)
        if login == "token":
            secret, key, name = TOKEN, "access_token_file", "mx.token"
        else:
            secret, key, name = PASSWORD, "password_file", "mx.password"
        self.secret = secret
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(secret + "\n")
        os.chmod(path, 0o600)
        self.state_dir = os.path.join(self.dir, "state")
        channels = """  mx = {
    plugin = "matrix";
    homeserver = "%s";
    user_id = "%s";
    %s = "%s";
    %s
  };""" % (self.emu.base, BOT, key, name, settings)
        blocks = [rt.runner_block(r["name"], "mx", r["user"], r["zone"],
                                  r.get("start", "2026-03-02"), r["stretch"],
                                  r["strength"], r["morning"], r.get("evening"))
                  for r in runners]
        self.config = rt.write_config(self.dir, channels, blocks, log_level="debug")
        self.daemon = None
        self.stderr_all = ""

    def start(self, simulate, speed, until=None):
        self.daemon = rt.Daemon(self.config, self.state_dir, simulate=simulate,
                                speed=speed, until=until,
                                extra=("--log-level", "debug"),
                                stdin=subprocess.DEVNULL)
        return self.daemon

    def _keep_stderr(self):
        with open(self.daemon.errpath, encoding="utf-8", errors="replace") as f:
            self.stderr_all += f.read()
        self.daemon = None

    def stop(self):
        if self.daemon:
            self.daemon.stop()
            self._keep_stderr()

    def kill(self):
        if self.daemon:
            self.daemon.kill()
            self.daemon.err.close()
            self._keep_stderr()

    def stderr(self):
        now = ""
        if self.daemon:
            with open(self.daemon.errpath, encoding="utf-8", errors="replace") as f:
                now = f.read()
        return self.stderr_all + now

    def query(self, sql, *args):
        import sqlite3
        path = os.path.join(self.state_dir, "rehabd.db")
        con = sqlite3.connect("file:%s?mode=ro" % path, uri=True, timeout=10)
        con.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in con.execute(sql, args)]
        finally:
            con.close()

    def outbox(self):
        rows = self.query("SELECT * FROM outbox ORDER BY due, id")
        for r in rows:
            if isinstance(r["state"], int):
                r["state"] = OUTBOX_STATES[r["state"]]
        return rows

    def wait_db(self, pred, deadline, what):
        end = time.monotonic() + deadline
        last = None
        while True:
            try:
                v = pred(self)
            except Exception as e:  # the database may not exist yet
                v, last = None, e
            if v:
                return v
            if time.monotonic() > end:
                raise rt.Failure("timed out after %ss waiting for %s (%s)\nstderr:\n%s"
                                 % (deadline, what, last, self.stderr()[-4000:]))
            time.sleep(0.1)

    def wait_emu(self, pred, deadline, what):
        try:
            return self.emu.wait(pred, deadline, what)
        except EmulatorError as e:
            raise rt.Failure("%s\nstderr:\n%s" % (e, self.stderr()[-4000:]))

    def close(self):
        failing = sys.exc_info()[0] is not None
        try:
            self.stop()
        finally:
            self.emu.stop()
        err = self.stderr()
        for mark in ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:"):
            if mark in err and not failing:
                raise rt.Failure("rehabd under a sanitizer reported %r; see %s"
                                 % (mark, self.dir))
        if not failing and not os.environ.get("REHABD_TEST_KEEP"):
            import shutil
            shutil.rmtree(self.dir, ignore_errors=True)


def notices(st, room=None):
    """The bot's m.notice events (in room, when given), in order."""
    return [e for e in st["sent"] if e["type"] == "m.room.message"
            and (room is None or e["room_id"] == room)]


def reactions_on(st, event_id):
    return [e["content"]["m.relates_to"]["key"] for e in st["sent"]
            if e["type"] == "m.reaction"
            and e["content"]["m.relates_to"]["event_id"] == event_id]
