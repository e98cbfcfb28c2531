#!/usr/bin/env python3
"""Crash and fault suite: rehabd on the simulated clock against the
loopback Bot API emulator (tests/integration/tg_emulator.py), killed
again and again, then the emulator's log and the ledger of injected
replies compared with the store.

    tests/crash_suite.py [--kills N | --clean N] [--seed S] [--speed X] [--keep]
                         [--all-duplicates]

Four runners in four zones (two or three stretch slots each, strength,
morning and evening check-ins) write while the daemon runs and while it
is down: scores, "done", "skip", taps on the buttons of the messages they
got, /status, /plan, /help, now and then a red flag and /cleared.  Each
run of the daemon ends in one of these ways, chosen from a seeded random
generator:

  - SIGKILL at a random moment (start-up included);
  - SIGKILL by the emulator 0-40 ms after it wrote a getUpdates answer
    carrying updates (received, not yet confirmed);
  - abort() at a named crash point, REHABD_CRASH_AT=<point>:<n> with a
    random point (before_commit, after_commit, after_handover) and n;
  - its own clean stop at --until, when neither came first.

Some runs also meet Bot API faults (429, 500, 502, a closed connection,
garbage JSON) on sendMessage or getUpdates.  The next run starts on the
simulated clock a little after the last instant the dead one can have
seen, so no downtime passes in simulated time; daemon.grace_minutes is
1440, so a stall of the machine never makes a slot "missed while
down".  After the last kill a run without faults drains what is left.

Figures (and the exit status, non-zero when a line says FAIL):
  lost        replies Telegram gave the daemon (or that still wait on
              the server) with no row in `replies`
  twice       a reply stored or processed twice (two rows for one
              update; two pain, adherence or clearance rows for one reply)
  missed      an expected (runner, day, slot) of the configured slots,
              due before the drain, without a row, or whose row is not
              sent and not skipped/paused by a coach rule with a reason,
              or that is `sent` but never reached the emulator; answers
              and snoozed copies marked sent but never on Telegram too
  duplicates  extra copies of one outbox row on Telegram (reminders by
              the ref in their buttons, answers by chat and text), as a
              share of slots and answers, and per kill
  integrity   PRAGMA integrity_check after every run (on a copy of the
              database and its WAL) and at the end
  exits       a run that ended in a way none of the above explains (an
              exit status other than 0 at --until, an abort that is not
              a crash point, a run that hung), or a drain that did not
              finish

Each life of the daemon talks to the emulator under its own api_base
path, so every copy on Telegram is known by the life that sent it, and
each sent row's outcome by the life its sent_at falls in.  A life's
copies beyond the outcomes it recorded are extra.  When that life died
by a kill or an abort, the copy went out before its outcome could be
committed and the next life sent it again: at-least-once, as
docs/internals/outbox.md promises, counted per crash kind.  Any other
extra copy (after a clean stop, twice within one life, more copies than
the row's attempts) is a defect: the suite fails when those are over
0.5 % of slots and answers (--all-duplicates: when all duplicates are).

Only loopback networking; every process started here is stopped, also
on failure; the temp dir is removed unless the suite failed or --keep.
"""

import argparse
import bisect
import collections
import datetime
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
from zoneinfo import ZoneInfo

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "integration"))

import rehabd_test as rt  # noqa: E402
import tg_emulator as te  # noqa: E402

DEFAULT_KILLS = 60
DEFAULT_SPEED = 3600          # simulated seconds per real second
SIM_START = "2026-03-05T00:00:00Z"  # New York moves to DST on 2026-03-08
INJECT_RATE = 2.0             # replies per real second while a run lives
DUP_LIMIT = 0.5               # per cent of slots and answers
POINTS = ["before_commit", "after_commit", "after_handover"]
# Columns: name, chat id, zone, stretch slots, strength, morning, evening.
RUNNERS = [
    ("anna", 408258968, "Europe/Berlin", ["07:30", "13:00", "21:00"], "18:00", "07:00", "20:30"),
    ("ben", 5000000001, "America/New_York", ["08:00", "12:30"], "17:00", "06:45", "19:15"),
    ("chitra", 7000000003, "Asia/Kolkata", ["07:15", "12:00", "16:30"], "18:30", "06:30", "21:00"),
    ("dai", 123456789, "Australia/Sydney", ["06:30", "19:00"], "17:45", "06:00", "21:15"),
]
REMINDER_KINDS = {"morning", "stretch", "strength", "evening"}
ANSWER_KINDS = {"reply", "checkin"}
# How a life ends when it does not stop by itself.
CRASH_ENDS = ("sigkill", "emulator", "abort", "hung")
# Skips and pauses that a coach rule decides (slots.c slot_content); a
# row skipped because the daemon was down or the clock jumped is missed.
NOT_COACH = ("missed while rehabd was down", "missed by a clock jump",
             "due before the runner was added or changed")


def log(msg):
    print(msg)
    sys.stdout.flush()


def parse_instant(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def short(t):
    return iso(t)[:16] + "Z"


# --- the emulator, knowing which life sent what ---------------------------------

def serve_emulator(argv):
    """Runs tg_emulator's server with three additions: the daemon's run
    number, taken from a path prefix /r<N> of its api_base, is kept with
    each sendMessage it makes (so a copy is known by the life of the
    daemon that sent it, not by guessing from times); sent_since {from}
    returns the sendMessage log from index `from` on (the driver mirrors
    it cheaply); clear_kill forgets a kill_on_delivery plan that did not
    fire."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--serve-emulator", action="store_true")
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--token", required=True)
    args = ap.parse_args(argv)

    class Bot(te.Bot):
        def sendMessage(self, p):
            msg = te.Bot.sendMessage(self, p)
            with self.cv:
                for rec in reversed(self.sent):
                    if rec["message_id"] == msg["message_id"]:
                        rec["run"] = p.get("_run")
                        break
            return msg

        def ctl_sent_since(self, p):
            with self.cv:
                k = int(p.get("from", 0))
                return {"sent": json.loads(json.dumps(self.sent[k:])),
                        "n": len(self.sent)}

        def ctl_clear_kill(self, p):
            with self.cv:
                self.kill_plan = None
            return True

    class H(te.Handler):
        bot = Bot(args.token)

        def params(self):
            path, p = te.Handler.params(self)
            m = re.fullmatch(r"/r([0-9]+)(/.*)", path)
            if m:
                path = m.group(2)
                p["_run"] = int(m.group(1))
            return path, p

    te.serve_loopback(H, args.port_file)


class CrashEmulator(te.Emulator):
    program = os.path.abspath(__file__)

    def __init__(self, workdir, token):
        te.Emulator.__init__(self, workdir, token, extra_args=("--serve-emulator",))
        self.mirror = []

    def control(self, name, payload=None):
        """As the base class, but a control that may safely be repeated
        is tried again when a loaded machine drops the connection."""
        if name in ("message", "tap"):
            return te.Emulator.control(self, name, payload)
        for attempt in range(5):
            try:
                return te.Emulator.control(self, name, payload)
            except (OSError, urllib.error.URLError):
                if attempt == 4 or self.proc.poll() is not None:
                    raise
                time.sleep(0.2)

    def refresh(self):
        """Brings the local copy of the sendMessage log up to date."""
        got = self.control("sent_since", {"from": len(self.mirror)})
        self.mirror += got["sent"]
        return self.mirror


# --- the scenario -------------------------------------------------------------

def write_config(directory, base):
    channels = """  tg = {
    plugin = "telegram";
    api_base = "%s";
    token_file = "tg.token";
    poll_timeout = 5;
    rate_chat = 200;
    rate_global = 1000;
  };""" % base
    start = SIM_START[:10]
    blocks = [rt.runner_block(n, "tg", str(c), z, start, st, sg, mo, ev)
              for n, c, z, st, sg, mo, ev in RUNNERS]
    path = rt.write_config(directory, channels, blocks, log_level="info", grace=1440)
    # Nothing is given up within a day either: send_expiry_minutes is
    # at least the grace (outbox_set_limits), and the grace is wide.
    return path


def expected_slots(until):
    """(runner, day, slot) -> due instant of every configured slot due
    before `until`."""
    out = {}
    first = datetime.date.fromisoformat(SIM_START[:10])
    for name, _, zone, stretch, strength, morning, evening in RUNNERS:
        z = ZoneInfo(zone)
        slots = {"morning": morning, "strength": strength, "evening": evening}
        for i, t in enumerate(stretch):
            slots["stretch%d" % (i + 1)] = t
        day = first
        while True:
            if datetime.datetime.combine(day, datetime.time(0, 0), z).timestamp() > until:
                break
            for slot, hhmm in slots.items():
                h, m = map(int, hhmm.split(":"))
                due = datetime.datetime.combine(day, datetime.time(h, m), z).timestamp()
                if due < until:
                    out[(name, day.isoformat(), slot)] = due
            day += datetime.timedelta(days=1)
    return out


class Run:
    """One life of the daemon."""

    def __init__(self, index, start, until, mode, crash_at=None):
        self.index, self.start, self.until = index, start, until
        self.mode, self.crash_at = mode, crash_at
        self.t_spawn = self.t_end = None
        self.rc = None
        self.end = None       # sigkill | emulator | abort | until | hung | exit
        self.point = None     # crash point reached
        self.proc = None
        self.errpath = None


class Suite:
    def __init__(self, kills, seed, speed, keep=False, all_duplicates=False, clean=0):
        self.all_duplicates = all_duplicates
        self.clean = clean
        self.kills_wanted = kills
        self.seed = seed
        self.rng = random.Random(seed)
        self.speed = speed
        self.keep = keep
        self.dir = tempfile.mkdtemp(prefix="rehabd-crash-")
        self.state_dir = os.path.join(self.dir, "state")
        self.log_dir = os.path.join(self.dir, "logs")
        os.makedirs(self.log_dir)
        self.emu = None
        self.runs = []
        self.injected = {}    # update id -> (kind, runner, text)
        self.inject_errors = 0
        self.stale_taps = 0
        self.tapped = set()
        self.integrity = []   # (run index, result) when not ok
        self.integrity_checks = 0
        self.faults = 0
        self.procs = []
        with open(rt.REHABD, "rb") as f:
            self.points_built = b"REHABD_CRASH_AT" in f.read()

    # -- processes ------------------------------------------------------
    def spawn(self, run):
        # Each life of the daemon talks to the emulator under its own
        # path, which the emulator keeps with each message sent.
        self.config = write_config(self.dir, "%s/r%d" % (self.emu.base, run.index))
        env = dict(os.environ)
        env.pop("REHABD_CRASH_AT", None)
        if run.crash_at:
            env["REHABD_CRASH_AT"] = run.crash_at
        run.errpath = os.path.join(self.log_dir, "run-%04d.log" % run.index)
        err = open(run.errpath, "w")
        args = [rt.REHABD, "-c", self.config, "--state-dir", self.state_dir,
                "--plugin-dir", rt.PLUGIN_DIR, "--simulate", iso(run.start),
                "--speed", str(self.speed), "--until", iso(run.until)]
        run.t_spawn = time.monotonic()
        run.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=err, env=env)
        err.close()
        self.procs.append(run.proc)

    def stop_all(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        if self.emu:
            self.emu.stop()

    # -- what the runners write ----------------------------------------
    def inject(self, sent):
        """One reply from a random runner: a tap on one of the last
        messages with buttons they got, typed text or a command."""
        rng = self.rng
        name, chat = rng.choice(RUNNERS)[:2]
        r = rng.random()
        try:
            if r < 0.35:
                mine = [m for m in sent[-60:] if m["chat_id"] == chat and m.get("reply_markup")
                        and (chat, m["message_id"]) not in self.tapped]
                if mine:
                    m = rng.choice(mine[-3:])
                    buttons = [b["callback_data"] for row in m["reply_markup"]["inline_keyboard"]
                               for b in row]
                    values = [b.split(":", 1)[1] for b in buttons]
                    if "done" in values:
                        pick = rng.choices(["done", "skip", "snooze"], [6, 3, 1])[0]
                    else:
                        pick = rng.choices(["0", "1", "2", "3", "4", "5", "7",
                                            "pain at rest or at night"],
                                           [3, 4, 4, 3, 2, 1, 1, 0.3])[0]
                    # The evening and session questions have 0-10 only.
                    if pick not in values:
                        pick = rng.choice(values)
                    data = buttons[values.index(pick)]
                    self.tapped.add((chat, m["message_id"]))
                    uid = self.emu.tap(chat, m["message_id"], data)
                    self.injected[uid] = ("tap", name, data)
                    return
            if r < 0.60:
                n = rng.choice([0, 1, 2, 2, 3, 3, 4, 6])
                text = rng.choice(["pain %d/10", "%d", "%d/10", "pain %d"]) % n
            elif r < 0.80:
                text = rng.choice(["done", "skip", "done", "Done!", "skipped it"])
            elif r < 0.97:
                text = rng.choice(["/status", "/plan", "/help", "/status"])
            elif r < 0.985:
                text = "pain at rest or at night"
            else:
                text = "/cleared"
            uid = self.emu.message(chat, text)
            self.injected[uid] = ("text", name, text)
        except te.EmulatorError as e:
            # A tap on a message whose buttons an earlier tap removed,
            # which the mirror does not know; or a failed control call,
            # after which the update may or may not exist: the
            # emulator's own ledger (confirmed + pending) is what the
            # check reads.
            if "no button" in str(e):
                self.stale_taps += 1
            else:
                self.inject_errors += 1
                log("  inject failed: %s" % e)
        except OSError as e:
            self.inject_errors += 1
            log("  inject failed: %s" % e)

    def maybe_fault(self):
        if self.rng.random() >= 0.2:
            return
        method = self.rng.choice(["sendMessage", "sendMessage", "getUpdates"])
        kinds = ["429", "500", "502", "close"] + (["garbage", "empty"] if method == "getUpdates" else [])
        kind = self.rng.choice(kinds)
        count = self.rng.randint(1, 2)
        self.emu.fault(method, kind, count, 1)
        self.faults += count

    # -- integrity of the store after each run ----------------------------
    def check_integrity(self, run_index):
        """PRAGMA integrity_check on a copy of the database and its WAL
        (the copy is recovered as a new process would; the original is
        left to the next run)."""
        db = os.path.join(self.state_dir, "rehabd.db")
        if not os.path.exists(db):
            return
        tmp = os.path.join(self.dir, "check")
        shutil.rmtree(tmp, ignore_errors=True)
        os.makedirs(tmp)
        for suffix in ("", "-wal"):
            if os.path.exists(db + suffix):
                shutil.copyfile(db + suffix, os.path.join(tmp, "rehabd.db" + suffix))
        con = sqlite3.connect(os.path.join(tmp, "rehabd.db"), timeout=30)
        try:
            res = [r[0] for r in con.execute("PRAGMA integrity_check")]
        finally:
            con.close()
        self.integrity_checks += 1
        if res != ["ok"]:
            self.integrity.append((run_index, res[:5]))

    # -- one run ------------------------------------------------------------
    def plan_run(self, index, start):
        rng = self.rng
        span = rng.uniform(1.5, 5.0) * 3600
        r = rng.random()
        if self.clean:
            # Short lives that all stop by themselves at --until.
            run = Run(index, start, start + span / 5, "until")
            run.kill_after = None
            return run
        if r < 0.40:
            mode, crash = "sigkill", None
        elif r < 0.55:
            mode, crash = "emulator", None
        else:
            point = rng.choice(POINTS)
            n = rng.randint(1, 15 if point == "after_handover" else 40)
            mode, crash = "point", "%s:%d" % (point, n)
        run = Run(index, start, start + span, mode, crash)
        real = span / self.speed
        if mode == "sigkill":
            # A fifth at start-up (store open, recovery, first poll).
            run.kill_after = rng.uniform(0, 0.3) if rng.random() < 0.2 else rng.uniform(0, real)
        else:
            run.kill_after = None
        run.delivery_delay = rng.randint(0, 40)
        return run

    def do_run(self, run):
        rng = self.rng
        self.maybe_fault()
        self.spawn(run)
        if run.mode == "emulator":
            self.emu.kill_on_delivery(run.proc.pid, run.delivery_delay)
            self.inject(self.emu.mirror)
        real = (run.until - run.start) / self.speed
        deadline = run.t_spawn + real + 60   # a loaded machine is slow, not this slow
        next_inject = time.monotonic() + rng.uniform(0, 0.3)
        last_refresh = 0
        while True:
            now = time.monotonic()
            if run.proc.poll() is not None:
                break
            if run.kill_after is not None and now - run.t_spawn >= run.kill_after:
                run.proc.kill()
                # It may have stopped by itself just before.
                if run.proc.wait() == -signal.SIGKILL:
                    run.end = "sigkill"
                break
            if now > deadline:
                run.proc.kill()
                run.proc.wait()
                run.end = "hung"
                break
            if now >= next_inject:
                if now - last_refresh > 0.5:
                    self.emu.refresh()
                    last_refresh = now
                self.inject(self.emu.mirror)
                next_inject = now + rng.expovariate(INJECT_RATE)
            time.sleep(min(0.02, max(0.0, next_inject - now)))
        run.t_end = time.monotonic()
        run.rc = run.proc.returncode
        if run.mode == "emulator":
            self.emu.control("clear_kill")
        err = self.read_log(run)
        if run.end is None:
            if run.rc == -signal.SIGKILL and run.mode == "emulator":
                run.end = "emulator"
            elif run.rc == -signal.SIGABRT and run.point:
                run.end = "abort"
            elif run.rc == 0 and "simulated clock reached the end of the run" in err:
                run.end = "until"
            else:
                run.end = "exit"
        run.stderr_tail = err[-1500:]

    def read_log(self, run):
        """Reads a run's stderr: the crash point reached, the rows it
        found `sending` at start (in flight when the life before ended)."""
        with open(run.errpath, encoding="utf-8", errors="replace") as f:
            err = f.read()
        run.requeued = 0
        for line in err.splitlines():
            if "crash point" in line and "reached" in line:
                run.point = line.split("crash point", 1)[1].split()[0]
            m = re.search(r"(\d+) message\(s\) were being sent when rehabd stopped", line)
            if m:
                run.requeued = int(m.group(1))
        run.stderr_tail = err[-1500:]
        return err

    def next_start(self, run):
        """A little after the last instant the run can have seen: its
        clock started no earlier than the spawn and stopped no later
        than we saw it gone, so real time between the two times the
        speed bounds it from above (a clean stop at --until runs a
        little past it: the last answers are recorded on the way out)."""
        return run.start + (run.t_end - run.t_spawn) * self.speed + 2

    # -- the whole suite ------------------------------------------------------
    def run(self):
        t0 = time.monotonic()
        self.emu = CrashEmulator(self.dir, te.TOKEN)
        token_path = os.path.join(self.dir, "tg.token")
        with open(token_path, "w") as f:
            f.write(te.TOKEN + "\n")
        os.chmod(token_path, 0o600)
        start = parse_instant(SIM_START)
        kills = 0
        index = 0
        while (index < self.clean if self.clean else
               kills < self.kills_wanted and index < 4 * self.kills_wanted + 10):
            run = self.plan_run(index, start)
            self.runs.append(run)
            self.do_run(run)
            if run.end in ("sigkill", "emulator", "abort"):
                kills += 1
            self.check_integrity(index)
            if run.end in ("hung", "exit"):
                log("run %d (%s %s) ended badly: %s rc %s\n%s" % (
                    index, run.mode, run.crash_at or "", run.end, run.rc, run.stderr_tail))
            start = self.next_start(run)
            # Replies written while the daemon is down wait on the server.
            for _ in range(self.rng.choice([0, 0, 1, 2])):
                self.inject(self.emu.refresh())
            index += 1
            if index % 20 == 0:
                log("  %d runs, %d kills, simulated %s, %.0f s" % (
                    index, kills, short(start), time.monotonic() - t0))
        self.drain_start = start
        self.drain()
        self.elapsed = time.monotonic() - t0

    def drain(self):
        """A last run without faults until every update is confirmed and
        stored and nothing waits in the outbox; then SIGTERM."""
        run = Run(len(self.runs), self.drain_start, 0, "drain")
        run.until = self.drain_start + 10 * 86400
        speed, self.speed = self.speed, 60
        try:
            self.emu.control("clear_kill")
            polls = self.emu.summary()["calls"].get("getUpdates", 0)
            self.spawn(run)
            end = time.monotonic() + 120
            why = "?"
            while time.monotonic() < end and run.proc.poll() is None:
                time.sleep(0.2)
                st = self.emu.summary()
                # Up (the due slots have their rows: "running" is logged
                # after the first look at the slots is committed) and
                # polling.
                with open(run.errpath, encoding="utf-8", errors="replace") as fh:
                    up = " running: " in fh.read()
                if not up or st["calls"].get("getUpdates", 0) <= polls:
                    why = "the daemon did not start polling"
                    continue
                why = "%d updates pending on the server" % st["pending"]
                if st["pending"] == 0:
                    try:
                        con = self.db()
                        busy = con.execute("SELECT count(*) FROM outbox WHERE state IN (0, 1)").fetchone()[0]
                        nrep = con.execute("SELECT count(*) FROM replies").fetchone()[0]
                        con.close()
                    except sqlite3.Error as e:
                        busy, nrep = 1, 0
                        why = str(e)
                    else:
                        why = "%d outbox rows queued or sending" % busy
                    if busy == 0 and nrep >= st["confirmed"]:
                        break
            else:
                run.drain_left = why
            if run.proc.poll() is None:
                run.proc.terminate()
                try:
                    run.proc.wait(30)
                except subprocess.TimeoutExpired:
                    run.proc.kill()
                    run.proc.wait()
            run.t_end = time.monotonic()
            run.rc = run.proc.returncode
            run.end = "drain"
        finally:
            self.speed = speed
        self.drain_run = run
        self.read_log(run)

    def db(self):
        path = os.path.join(self.state_dir, "rehabd.db")
        con = sqlite3.connect("file:%s?mode=ro" % path, uri=True, timeout=30)
        con.row_factory = sqlite3.Row
        return con

    # -- the comparison ---------------------------------------------------------
    def analyse(self):
        st = self.emu.state()
        sent = st["sent"]
        # For whoever investigates a failure (kept with the temp dir).
        with open(os.path.join(self.dir, "emulator-state.json"), "w") as fh:
            json.dump(st, fh)
        with open(os.path.join(self.dir, "runs.json"), "w") as fh:
            json.dump([{k: getattr(r, k, None) for k in (
                "index", "mode", "crash_at", "start", "until", "end", "rc", "point",
                "t_spawn", "t_end", "kill_after")} for r in self.runs + [self.drain_run]],
                fh, indent=0)
        con = self.db()
        try:
            integrity = [r[0] for r in con.execute("PRAGMA integrity_check")]
            rows = [dict(r) for r in con.execute("SELECT * FROM outbox ORDER BY id")]
            replies = [dict(r) for r in con.execute("SELECT id, channel, msg_id, runner, kind FROM replies")]
            per_reply = {}
            for table in ("pain", "adherence", "clearances"):
                per_reply[table] = con.execute(
                    "SELECT reply_id, count(*) FROM %s WHERE reply_id IS NOT NULL"
                    " GROUP BY reply_id HAVING count(*) > 1" % table).fetchall()
        finally:
            con.close()
        for r in rows:
            if isinstance(r["state"], int):
                r["state"] = te.OUTBOX_STATES[r["state"]]
        f = {"integrity": integrity}

        # Replies: the emulator's ledger is every update it ever made.
        made = set(st["confirmed"]) | set(st["pending"]) | set(self.injected)
        stored = collections.Counter(r["msg_id"] for r in replies if r["channel"] == "tg")
        f["injected"] = len(made)
        f["taps"] = sum(1 for v in self.injected.values() if v[0] == "tap")
        f["lost"] = sorted(u for u in made if stored["u%d" % u] == 0)
        f["pending"] = st["pending"]
        f["phantom"] = sorted(m for m in stored if not m.startswith("u") or int(m[1:]) not in made)
        twice = [m for m, n in stored.items() if n > 1]
        for table, dups in per_reply.items():
            twice += ["%s of reply %d x%d" % (table, rid, n) for rid, n in dups]
        f["twice"] = twice
        f["redelivered"] = sum(1 for n in st["deliveries"].values() if n > 1)

        # Deliveries: a message with buttons names its row by the ref in
        # them; an answer without buttons is known by chat and text, and
        # answers with the same text to one chat (the /help text, "Logged
        # as done.") are one group whose rows cannot be told apart.
        chat_of = {n: c for n, c, *_ in RUNNERS}
        by_id = {r["id"]: r for r in rows}
        groups = {}
        for r in rows:
            if r["kind"] == "reply":
                key = ("text", chat_of.get(r["runner"]), r["html"] or r["text"])
            else:
                key = ("ref", r["id"])
            groups.setdefault(key, []).append(r)
        delivered = collections.defaultdict(list)   # group key -> [(t, run)]
        for m in sent:
            refs = te.keyboard_refs(m)
            copy = (m["t"], m.get("run"))
            if refs:
                for ref in refs:
                    delivered[("ref", int(ref))].append(copy)
            else:
                delivered[("text", m["chat_id"], m["raw"])].append(copy)
        f["unmatched"] = [(k[1], str(k[-1])[:60], len(v)) for k, v in delivered.items()
                          if k not in groups]
        lives = self.runs + [self.drain_run]
        runs = {r.index: r for r in lives}
        starts = [r.start for r in lives]

        def life_at(instant):
            """The life whose simulated span holds instant: each starts
            after the last instant the one before can have seen."""
            return lives[max(0, bisect.bisect_right(starts, instant) - 1)].index

        dup = {"slots": [], "answers": []}     # (key, rows, extra copies)
        window = collections.Counter()         # crash kind -> copies it explains
        other = []                             # (row, copies, why, lives of its copies)
        never, not_sent, over = set(), [], []
        for key, group in groups.items():
            copies = sorted(delivered.get(key, []))
            done = [r for r in group if r["state"] == "sent"]
            # A row is marked `sending`, attempts + 1, durably before
            # each hand-over: more copies than attempts were sent
            # without that record.
            if len(copies) > sum(r["attempts"] for r in group):
                over.append((group[0]["id"], group[0]["slot"], len(copies),
                             sum(r["attempts"] for r in group)))
            if copies and not done:
                not_sent.append((group[0]["id"], group[0]["slot"], group[0]["state"], len(copies)))
                continue
            # Each sent row's outcome was recorded by the life its
            # sent_at falls in, for a copy that life sent.  A life's
            # copies beyond the outcomes it recorded are extra: sent
            # again later because it died before recording them
            # (at-least-once after a crash), or because it stopped
            # cleanly with them in flight, or twice within one life.
            # Fewer copies than outcomes: marked sent, never delivered.
            recorded = collections.Counter(life_at(r["sent_at"] or r["due"]) for r in done)
            sent_by = collections.Counter(c[1] for c in copies)
            extra = 0
            for life in set(recorded) | set(sent_by):
                n = sent_by[life] - recorded[life]
                if n < 0:
                    never.update(r["id"] for r in done if life_at(r["sent_at"] or r["due"]) == life)
                    continue
                if n == 0:
                    continue
                extra += n
                end = runs[life].end if life in runs else "?"
                if end in CRASH_ENDS and not (key[0] == "ref" and recorded[life]):
                    window[runs[life].point or end] += n
                else:
                    why = ("within one life" if recorded[life] and key[0] == "ref" else
                           "after a clean stop at --until" if end == "until" else
                           "at the final SIGTERM" if end == "drain" else "in a life that ended %s" % end)
                    other.append((group[0], n, why, [c[1] for c in copies]))
            if extra:
                label = "slots" if group[0]["kind"] in REMINDER_KINDS else "answers"
                dup[label].append((key, group, extra))

        # Slots.
        exp = expected_slots(self.drain_start)
        have = {(r["runner"], r["day"], r["slot"]): r for r in rows}
        missed = []
        coach_skips = collections.Counter()
        for key in sorted(exp):
            r = have.get(key)
            if r is None:
                missed.append((key, "no row"))
            elif r["state"] == "sent":
                if r["id"] in never:
                    missed.append((key, "sent but never on Telegram"))
            elif r["state"] in ("skipped", "paused") and r["error"] and r["error"] not in NOT_COACH:
                coach_skips[r["error"]] += 1
            else:
                missed.append((key, "%s (%s)" % (r["state"], r["error"])))
        for r in rows:
            where = (r["runner"], r["day"], r["slot"])
            if "+" in r["slot"] and r["state"] == "sent" and r["id"] in never:
                missed.append((where, "snoozed copy sent but never on Telegram"))
            if r["kind"] in ANSWER_KINDS:
                if r["state"] != "sent":
                    missed.append((where, "answer %s (%s)" % (r["state"], r["error"])))
                elif r["id"] in never:
                    missed.append((where, "answer sent but never on Telegram"))
        f["expected"] = len(exp)
        f["missed"] = missed
        f["coach_skips"] = coach_skips
        f["not_sent"] = not_sent
        f["over"] = over
        f["dup"] = dup
        f["dup_window"] = window
        f["dup_other"] = other
        f["slots_n"] = sum(1 for r in rows if r["kind"] in REMINDER_KINDS and r["state"] == "sent")
        f["answers_n"] = sum(1 for r in rows if r["kind"] in ANSWER_KINDS)
        f["refs_unknown"] = sorted(k[1] for k in delivered if k[0] == "ref" and k[1] not in by_id)
        return f

    def run_at(self, t):
        """The last run spawned before emulator time t (the same
        monotonic clock)."""
        last = None
        for run in self.runs + [self.drain_run]:
            if run.t_spawn <= t:
                last = run
        return last

    # -- the report ---------------------------------------------------------------
    def report(self, f):
        ends = collections.Counter(r.end for r in self.runs)
        points = collections.Counter(r.point for r in self.runs if r.end == "abort")
        kills = ends["sigkill"] + ends["emulator"] + ends["abort"]
        tried = collections.Counter(r.crash_at.split(":")[0] for r in self.runs if r.crash_at)
        n_slots = f["slots_n"] + f["answers_n"]
        extra_s = sum(e for _, _, e in f["dup"]["slots"])
        extra_a = sum(e for _, _, e in f["dup"]["answers"])
        pct = 100.0 * (extra_s + extra_a) / n_slots if n_slots else 0.0
        bad_exits = [r for r in self.runs if r.end in ("hung", "exit")]
        drain = self.drain_run
        drain_bad = getattr(drain, "drain_left", None) or drain.rc != 0
        fails = []

        def gate(cond, what):
            if cond:
                fails.append(what)
            return "FAIL" if cond else "ok"

        log("crash suite: seed %d, speed %d, %d runners, %.0f s" % (
            self.seed, self.speed, len(RUNNERS), self.elapsed))
        log("kills %d: %d SIGKILL at random moments, %d SIGKILL by the emulator on delivery, "
            "%d aborts at crash points (%s)%s; %d runs stopped at --until; %d Bot API faults" % (
                kills, ends["sigkill"], ends["emulator"], ends["abort"],
                ", ".join("%s %d of %d" % (p, points[p], tried[p]) for p in POINTS),
                "" if self.points_built else " [crash points not built in]",
                ends["until"], self.faults))
        log("simulated %s -> %s (%.1f days)" % (
            short(parse_instant(SIM_START)), short(self.drain_start),
            (self.drain_start - parse_instant(SIM_START)) / 86400))
        log("replies: %d injected (%d taps), lost %d, twice %d, delivered again after a restart %d  [%s]" % (
            f["injected"], f["taps"], len(f["lost"]), len(f["twice"]), f["redelivered"],
            gate(f["lost"] or f["twice"], "lost or twice")))
        log("slots: %d expected, missed %d, skipped by the coach %d, duplicated %d (%d extra copies)  [%s]" % (
            f["expected"], len(f["missed"]), sum(f["coach_skips"].values()),
            len(f["dup"]["slots"]), extra_s, gate(f["missed"], "missed")))
        log("answers: %d, %d with extra copies (%d extra copies)" % (
            f["answers_n"], len(f["dup"]["answers"]), extra_a))
        n_window = sum(f["dup_window"].values())
        n_other = sum(x[1] for x in f["dup_other"]) + len(f["over"])
        gated = n_window + n_other if self.all_duplicates else n_other
        log("duplicates: %d extra copies over %d slots and answers = %.2f %%, %.2f per kill; "
            "after a crash (at-least-once) %d (%s); others %d = %.2f %%  [%s]" % (
                extra_s + extra_a, n_slots, pct, (extra_s + extra_a) / kills if kills else 0,
                n_window, ", ".join("%s %d" % kv for kv in sorted(f["dup_window"].items())) or "-",
                n_other, 100.0 * n_other / n_slots if n_slots else 0.0,
                gate(100.0 * gated / max(n_slots, 1) > DUP_LIMIT,
                     "duplicates over %.1f %%" % DUP_LIMIT)))
        # Per kind of crash: a random SIGKILL meets a message between
        # the server's answer and its commit only by chance; an abort at
        # before_commit (the commit that records a send) or after_handover
        # (with an earlier send in flight) is placed on that window.
        per_kind = [("sigkill", ends["sigkill"]), ("emulator", ends["emulator"])] + \
            [(p, points[p]) for p in POINTS]
        log("duplicates per kill of each kind: %s" % ", ".join(
            "%s %d/%d" % (k, f["dup_window"].get(k, 0), n) for k, n in per_kind if n))
        log("integrity_check: %s after %d runs, %s at the end  [%s]" % (
            "ok" if not self.integrity else "%d bad" % len(self.integrity),
            self.integrity_checks, ",".join(f["integrity"][:3]),
            gate(self.integrity or f["integrity"] != ["ok"], "integrity")))
        log("exits: %d unexplained, drain %s  [%s]" % (
            len(bad_exits), "rc %s, %s" % (drain.rc, getattr(drain, "drain_left", "all done")),
            gate(bad_exits or drain_bad, "exits")))
        lives = self.runs + [self.drain_run]
        after = collections.Counter()
        for prev, nxt in zip(lives, lives[1:]):
            if nxt.requeued:
                after["crash" if prev.end in CRASH_ENDS else prev.end] += nxt.requeued
        log("sent again at start (rows left `sending`): %d after a crash, %d after a clean stop" % (
            after["crash"], after["until"]))
        # Details for whoever reads a failure.
        for what, items in (("lost", f["lost"]), ("twice", f["twice"]),
                            ("missed", f["missed"]), ("phantom replies", f["phantom"]),
                            ("pending on the server", f["pending"]),
                            ("sent messages matching no row", f["unmatched"]),
                            ("refs naming no row", f["refs_unknown"])):
            if items:
                log("  %s: %d, e.g. %s" % (what, len(items), items[:6]))
        for r, n, why, senders in f["dup_other"][:6]:
            log("  %d extra cop%s %s: row %d %s %s %s, copies from runs %s" % (
                n, "y" if n == 1 else "ies", why, r["id"], r["runner"], r["day"], r["slot"], senders))
        if f["over"]:
            log("  more copies than hand-overs (row, slot, copies, attempts): %s" % f["over"][:6])
        if f["not_sent"]:
            log("  delivered but not marked sent: %s" % f["not_sent"][:6])
        for run in bad_exits[:3]:
            log("  run %d (%s %s) %s rc %s: %s" % (run.index, run.mode, run.crash_at or "",
                                                   run.end, run.rc, run.stderr_tail[-600:]))
        if drain_bad:
            log("  drain: %s" % drain.stderr_tail[-800:])
        for idx, res in self.integrity[:3]:
            log("  integrity after run %d: %s" % (idx, res))
        if f["coach_skips"]:
            log("  coach skips: %s" % dict(f["coach_skips"]))
        if self.inject_errors:
            log("  %d injections failed (counted from the emulator's ledger)" % self.inject_errors)
        return fails


def main(argv=None):
    if argv is None:
        argv = sys.argv[1:]
    if "--serve-emulator" in argv:
        serve_emulator(argv)
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kills", type=int, default=DEFAULT_KILLS,
                    help="kills and aborts to make (default %d)" % DEFAULT_KILLS)
    ap.add_argument("--seed", type=int, default=None, help="random seed (default: a new one, printed)")
    ap.add_argument("--speed", type=int, default=DEFAULT_SPEED,
                    help="simulated seconds per real second (default %d)" % DEFAULT_SPEED)
    ap.add_argument("--keep", action="store_true", help="keep the temp dir")
    ap.add_argument("--clean", type=int, default=0, metavar="N",
                    help="no kills: N short lives that each stop by themselves at --until")
    ap.add_argument("--all-duplicates", action="store_true",
                    help="fail over %.1f %% duplicates counting those with a crash between the "
                    "copies too (by default only the others count: at-least-once allows those)"
                    % DUP_LIMIT)
    args = ap.parse_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1, 10**6)
    log("crash suite: seed %d (rerun with --seed %d), %s, binaries %s" % (
        seed, seed, "%d clean stops" % args.clean if args.clean else "%d kills" % args.kills,
        rt.REHABD))
    suite = Suite(args.kills, seed, args.speed, args.keep, args.all_duplicates, args.clean)

    def on_term(signum, frame):
        raise SystemExit("crash suite: stopped by signal %d" % signum)

    old = signal.signal(signal.SIGTERM, on_term)
    fails = ["did not finish"]
    try:
        suite.run()
        fails = suite.report(suite.analyse())
    finally:
        suite.stop_all()
        signal.signal(signal.SIGTERM, old)
        if fails or suite.keep:
            log("crash suite: files kept in %s" % suite.dir)
        else:
            shutil.rmtree(suite.dir, ignore_errors=True)
    log("crash suite: %s (seed %d)" % ("FAILED: " + ", ".join(fails) if fails else "passed", seed))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
