#!/usr/bin/env python3
"""The plan-rule acceptance scenarios through `rehabctl preview --json`.

Runs the real rehabctl on the real conf/programs/iliopsoas.conf with the
score histories of tests/data/scores/ (and a few written to a temp dir),
and checks the plan of the days that matter.  Environment: REHABCTL_BIN,
REHABD_SOURCE_DIR.  Exits non-zero with a message naming the scenario,
the day and the field on the first mismatch.
"""
import datetime
import json
import os
import subprocess
import sys
import tempfile

REHABCTL = os.environ.get("REHABCTL_BIN", "rehabctl")
SOURCE = os.environ.get("REHABD_SOURCE_DIR",
                        os.path.join(os.path.dirname(__file__), "..", ".."))
PROGRAM = os.path.join(SOURCE, "conf", "programs", "iliopsoas.conf")
SCORES = os.path.join(SOURCE, "tests", "data", "scores")
START = datetime.date(2026, 3, 2)

# Exercise short names by a word of the program's exercise names.
ABBREV = (("internal", "IR"), ("external", "ER"), ("clamshell", "CS"),
          ("squat", "MS"))
S1 = "IR 3x20, ER 3x20"
S2 = "IR 3x20, ER 3x20, CS 3x20"
S3 = "IR 3x20, ER 3x20, CS 3x20, MS 3x20"
D1 = "IR 2x12, ER 2x12"

failures = []


def date(n):
    """The date of program day n (day 1 is START)."""
    return (START + datetime.timedelta(days=n - 1)).isoformat()


def strength(plan):
    out = []
    for ex in plan["strength"]:
        ab = next((a for word, a in ABBREV if word in ex["name"].lower()),
                  ex["name"])
        out.append("%s %dx%d" % (ab, ex["sets"], ex["reps"]))
    return ", ".join(out)


def run(args, expect_rc=0):
    proc = subprocess.run([REHABCTL, "preview"] + args,
                          capture_output=True, text=True, timeout=60)
    if proc.returncode != expect_rc:
        raise AssertionError("rehabctl preview %s: exit %d, want %d\nstdout: %s\nstderr: %s"
                             % (" ".join(args), proc.returncode, expect_rc,
                                proc.stdout[-2000:], proc.stderr[-2000:]))
    return proc


def preview(scores, days, extra=()):
    args = ["--program", PROGRAM, "--start", START.isoformat(),
            "--days", str(days), "--json"] + list(extra)
    if scores:
        args += ["--scores", scores]
    lines = run(args).stdout.splitlines()
    if len(lines) != days:
        raise AssertionError("want %d lines, got %d" % (days, len(lines)))
    plans = [json.loads(line) for line in lines]
    for n, plan in enumerate(plans, 1):
        if plan["date"] != date(n):
            raise AssertionError("line %d is for %s, want %s"
                                 % (n, plan["date"], date(n)))
        if set(plan) != {"date", "stage", "day_in_stage", "stretch_sessions",
                         "strength", "running", "flags", "reasons"}:
            raise AssertionError("day %d: unexpected keys %s" % (n, sorted(plan)))
    return plans


def check(name, plans, day, stage=None, day_in_stage=None, stretch=None,
          strength_is=None, running=None, flags=None, reason=None):
    """Compares the plan of program day `day` with every given field;
    flags compare as a set, reason is a substring of one reason."""
    plan = plans[day - 1]
    want = {"stage": stage, "day_in_stage": day_in_stage,
            "stretch_sessions": stretch, "running": running}
    got_strength = strength(plan)
    problems = []
    for key, value in want.items():
        if value is not None and plan[key] != value:
            problems.append("%s is %r, want %r" % (key, plan[key], value))
    if strength_is is not None and got_strength != strength_is:
        problems.append("strength is %r, want %r" % (got_strength, strength_is))
    if flags is not None and sorted(plan["flags"]) != sorted(flags):
        problems.append("flags are %r, want %r" % (plan["flags"], flags))
    if reason is not None and not any(reason in r for r in plan["reasons"]):
        problems.append("no reason contains %r (reasons: %r)"
                        % (reason, plan["reasons"]))
    if problems:
        failures.append("%s, day %d (%s): %s" % (name, day, plan["date"],
                                                 "; ".join(problems)))


def scenario_all_green():
    name = "all green"
    plans = preview(os.path.join(SCORES, "all_green.csv"), 40)
    check(name, plans, 1, 1, 1, 3, S1, "bike", [], "No running yet")
    check(name, plans, 14, 1, 14, 3, S1, "easy", [])
    check(name, plans, 15, 2, 1, 3, S2, "easy", [], "New stage today")
    check(name, plans, 28, 2, 14, 3, S2, "full", [])
    check(name, plans, 29, 3, 1, 3, S3, "full", [], "New stage today")
    check(name, plans, 40, 3, 12, 3, S3, "full", [])
    first_cs = next(n for n, p in enumerate(plans, 1) if "CS" in strength(p))
    if first_cs != 15:
        failures.append("%s: clamshell first appears on day %d, want 15"
                        % (name, first_cs))
    runs = "".join(p["running"][0] for p in plans[:26])
    if runs != "bbb" + "e" * 21 + "ff":
        failures.append("%s: running by day %s, want no running before "
                        "day 4 and no faster running before day 25"
                        % (name, runs))


def scenario_red_day():
    name = "red day 5"
    plans = preview(os.path.join(SCORES, "red_day5.csv"), 17)
    check(name, plans, 5, 1, 5, 3, S1, "easy", [])
    check(name, plans, 6, 1, 5, 3, D1, "bike", ["deload"],
          "Yesterday's pain reached 6/10: strength eased to 2×12, no running — bike instead.")
    check(name, plans, 7, 1, 6, 3, D1, "bike", ["deload"], "(1 so far)")
    check(name, plans, 8, 1, 7, 3, S1, "bike", [],
          "Two days in a row with pain under 5/10: back to the full plan.")
    check(name, plans, 9, running="easy")
    check(name, plans, 15, 1, 14, 3, S1)
    check(name, plans, 16, 2, 1, 3, S2, flags=[])


def scenario_morning_rise():
    name = "morning rise"
    plans = preview(os.path.join(SCORES, "morning_rise.csv"), 6)
    check(name, plans, 5, 1, 5, 3, S1, "easy", [])
    check(name, plans, 6, 1, 5, 3, D1, "bike", ["deload"],
          "morning pain rose from 1/10 to 3/10")


def scenario_stop():
    name = "score 8"
    plans = preview(os.path.join(SCORES, "stop_score8.csv"), 8)
    check(name, plans, 5, 1, 4, 3, "", "bike", ["red_flag"],
          "Yesterday's pain reached 8/10: no strength and no running today")
    check(name, plans, 5, reason="Please see a doctor soon")
    check(name, plans, 6, 1, 5, 3, D1, "bike", ["deload"], "Still easing off")
    check(name, plans, 7, 1, 6, 3, S1, "bike", [], "back to the full plan")

    name = "red flag without a score"
    plans = preview(os.path.join(SCORES, "red_flag.csv"), 8)
    check(name, plans, 5, 1, 4, 3, "", "bike", ["red_flag"],
          "You reported pain at rest or at night")
    check(name, plans, 5, reason="Please see a doctor soon")
    # No reply on day 5: the stop plan stays, with the one nudge.
    check(name, plans, 6, 1, 5, 3, "", "bike", ["red_flag", "nudge"],
          "see a doctor soon")


def scenario_stalled():
    name = "stalled"
    plans = preview(os.path.join(SCORES, "stalled.csv"), 22)
    for n in range(1, 22):
        if "see_clinician" in plans[n - 1]["flags"]:
            failures.append("%s: see_clinician already on day %d" % (name, n))
    check(name, plans, 22, 2, 8, 3, S2, "easy", ["see_clinician"],
          "please see a physio or doctor")


def scenario_silent():
    name = "three silent days"
    plans = preview(os.path.join(SCORES, "silent.csv"), 8)
    nudges = [n for n, p in enumerate(plans, 1) if "nudge" in p["flags"]]
    if nudges != [5]:
        failures.append("%s: nudge on days %s, want only day 5" % (name, nudges))
    base = plans[3]
    for n in range(4, 8):
        p = plans[n - 1]
        same = (strength(p) == strength(base) and p["running"] == base["running"]
                and p["stretch_sessions"] == base["stretch_sessions"]
                and [f for f in p["flags"] if f != "nudge"] == base["flags"])
        if not same:
            failures.append("%s: day %d's plan differs from day 4's" % (name, n))
    check(name, plans, 5, 1, 5, 3, S1, "easy", ["nudge"],
          "No reply yesterday: plan unchanged.")
    check(name, plans, 7, 1, 7, 3, S1, "easy", [])


def scenario_deload_stages():
    plans = preview(os.path.join(SCORES, "deload_stage2.csv"), 17)
    check("deload in stage 2", plans, 17, 2, 2, 3, D1, "bike", ["deload"],
          "Left out while easing off: Clamshell")
    plans = preview(os.path.join(SCORES, "deload_stage3.csv"), 31)
    check("deload in stage 3", plans, 31, 3, 2, 3,
          "IR 2x12, ER 2x12, CS 2x12", "bike", ["deload"],
          "Left out while easing off: Mini-squat")


def scenario_amber():
    name = "amber"
    plans = preview(os.path.join(SCORES, "amber.csv"), 9)
    check(name, plans, 7, 1, 7, 3, S1, "easy", ["hold"],
          "Yesterday's pain was 3/10, which is acceptable")
    check(name, plans, 8, 1, 8, 3, S1, "easy", [])


def scenario_pause():
    name = "pause and resume"
    plans = preview(os.path.join(SCORES, "pause.csv"), 26)
    for n in (4, 5, 6, 20, 21, 22):
        check(name, plans, n, stretch=0, strength_is="", running="bike",
              flags=["paused"], reason="Paused")
    check(name, plans, 4, reason="starts again on %s" % date(7))
    check(name, plans, 20, reason="starts again on %s" % date(23))
    check(name, plans, 7, 1, 4, 3, S1, "easy", [])
    check(name, plans, 17, 1, 14, 3, S1)
    check(name, plans, 18, 2, 1, 3, S2, "easy", [], "New stage today")
    check(name, plans, 23, 2, 3, 3, S2, "easy", [])


def scenario_file_details(tmp):
    """Comments, blank lines, CRLF, halves, later lines replacing earlier
    ones, done-only days and --stretch-sessions."""
    name = "file details"
    path = os.path.join(tmp, "details.csv")
    with open(path, "w", newline="") as f:
        f.write("# comment\r\n\r\n")
        f.write("%s,session,6\r\n" % date(1))
        f.write("  %s , SESSION , 1  \r\n" % date(1))  # replaces the 6
        f.write("%s,evening,4.50\n" % date(2))  # evening = session
        f.write("%s,done\n%s,skipped\n" % (date(3), date(3)))
    plans = preview(path, 5, ["--stretch-sessions", "2"])
    check(name, plans, 2, 1, 2, 2, S1, "bike", [])
    check(name, plans, 3, 1, 3, 2, S1, "bike", ["hold"], "4.5/10")
    check(name, plans, 4, 1, 4, 2, S1, "bike", ["hold"])
    check(name, plans, 5, flags=["nudge", "hold"])


def write_scores(tmp, name, days, header=""):
    """Writes a scores file from {program day: [(kind, score), ...]}."""
    path = os.path.join(tmp, name)
    with open(path, "w", newline="") as f:
        f.write(header)
        for day in sorted(days):
            for kind, score in days[day]:
                f.write("%s,%s,%s\n" % (date(day), kind, score))
    return path


def scenario_audit(tmp):
    """Boundaries found by the plan audit: an amber day 14 still ends
    stage 1 on time, a second reply on a day replaces the first either
    way, a silent day inside a deload neither counts nor breaks the
    recovery run, and a stop followed by scores of 1 comes back through a
    deload."""
    green = {d: [("session", 1)] for d in range(1, 14)}
    green[14] = [("session", 3)]
    green[15] = [("session", 1)]
    path = write_scores(tmp, "amber14.csv", green)
    plans = preview(path, 16)
    check("amber on day 14", plans, 15, 2, 1, 3, S2, "easy", ["hold"],
          "New stage today")
    check("amber on day 14", plans, 16, 2, 2, 3, S2, "easy", [])

    days = {1: [("session", 1)], 2: [("session", 1), ("session", 6)],
            3: [("session", 6), ("session", 1)]}
    plans = preview(write_scores(tmp, "twice.csv", days), 4)
    check("1 then 6 on one day", plans, 3, 1, 2, 3, D1, "bike", ["deload"],
          "reached 6/10")
    check("6 then 1 on one day", plans, 4, 1, 3, 3, D1, "bike", ["deload"],
          "(1 so far)")

    days = {d: [("session", 1)] for d in (1, 2, 3, 4, 5, 7, 9)}
    days[6] = [("session", 6)]
    plans = preview(write_scores(tmp, "silent_deload.csv", days), 10)
    check("silent day in a deload", plans, 9, 1, 8, 3, D1, "bike",
          ["deload", "nudge"], "(1 so far)")
    check("silent day in a deload", plans, 10, 1, 9, 3, S1, "bike", [],
          "back to the full plan")

    days = {1: [("session", 1)], 2: [("session", 1)], 3: [("session", 1)],
            4: [("session", 8)], 5: [("session", 1)], 6: [("session", 1)]}
    plans = preview(write_scores(tmp, "stop_ones.csv", days), 7)
    check("stop then 1s", plans, 5, 1, 4, 3, "", "bike", ["red_flag"],
          "see a doctor")
    check("stop then 1s", plans, 6, 1, 5, 3, D1, "bike", ["deload"])
    check("stop then 1s", plans, 7, 1, 6, 3, S1, "bike", [])


def scenario_csv_forms(tmp):
    """What spreadsheets and editors write: a byte order mark, a header
    line, quoted fields, an empty last field."""
    path = os.path.join(tmp, "forms.csv")
    with open(path, "w", newline="") as f:
        f.write("\ufeffdate,kind,score\r\n")
        f.write('"%s","session","6"\r\n' % date(1))
        f.write("%s,done,\r\n" % date(2))
    plans = preview(path, 3)
    check("csv forms", plans, 2, 1, 1, 3, D1, "bike", ["deload"], "reached 6/10")
    check("csv forms", plans, 3, 1, 2, 3, D1, "bike", ["deload"])


def scenario_eccentric():
    """The second program previews with its own stages and deload."""
    program = os.path.join(SOURCE, "conf", "programs",
                           "iliopsoas-eccentric.conf")
    lines = run(["--program", program, "--start", START.isoformat(),
                 "--days", "44", "--json"]).stdout.splitlines()
    plans = [json.loads(line) for line in lines]
    stages = "".join(str(p["stage"]) for p in plans)
    if stages != "1" * 21 + "2" * 21 + "33":
        failures.append("eccentric: stages by day %s" % stages)
    if len(plans[21]["strength"]) <= len(plans[20]["strength"]):
        failures.append("eccentric: stage 2 adds no exercise")


def scenario_errors(tmp):
    """Bad input: exit 2 with usage for the command line, exit 1 with
    FILE:LINE for a bad scores line."""
    base = ["--program", PROGRAM, "--start", "2026-03-02", "--days", "5"]
    cases = [
        (["--program", PROGRAM, "--start", "2026-03-02"], 2, "usage:"),
        (base[:4] + ["--days", "0"], 2, "--days 0"),
        (base[:2] + ["--start", "2026-02-30", "--days", "5"], 2, "not a date"),
        (base + ["--bogus"], 2, "unknown argument"),
        (base + ["--stretch-sessions", "x"], 2, "--stretch-sessions"),
        (base + ["--scores", os.path.join(tmp, "missing.csv")], 1,
         "check the --scores path"),
        (["--program", os.path.join(tmp, "missing.conf"), "--start",
          "2026-03-02", "--days", "5"], 1, "missing.conf"),
    ]
    bad_lines = [
        ("2026-03-02,session,11", "must be 0 to 10"),
        ("2026-03-02,session,2.3", "steps of 0.5"),
        ("2026-03-02,session,-1", "must be 0 to 10"),
        ("2026-03-02,noon,3", "not a kind of reply"),
        ("2026-13-02,session,3", "not a date"),
        ("2026-03-02,session", "needs a score"),
        ("2026-03-02,done,3", "takes no value"),
        ("2026-03-02,session,3,4", "expected DATE,KIND"),
        ("2026-03-02,resume", "resume without an open pause"),
        ("2026-03-02,pause,0", "pause days"),
        # A header is taken only as the first data line.
        ("date,kind,score", "not a date"),
        ("2026-03-02,session,3,,,,x", "expected DATE,KIND"),
    ]
    for i, (line, msg) in enumerate(bad_lines):
        path = os.path.join(tmp, "bad%d.csv" % i)
        with open(path, "w") as f:
            f.write("# header\n%s,session,1\n%s\n" % (date(1), line))
        cases.append((base + ["--scores", path], 1, "%s:3: " % path))
        cases.append((base + ["--scores", path], 1, msg))
    # First data lines that only look like a header are errors too.
    for i, first in enumerate(("session,2026-03-02,3", ",", '"')):
        path = os.path.join(tmp, "first%d.csv" % i)
        with open(path, "w") as f:
            f.write("%s\n%s,session,1\n" % (first, date(1)))
        cases.append((base + ["--scores", path], 1, "%s:1: " % path))
    for args, rc, needle in cases:
        try:
            proc = run(args, rc)
        except AssertionError as e:
            failures.append("errors: %s" % e)
            continue
        if needle not in proc.stderr:
            failures.append("errors: rehabctl preview %s: stderr %r lacks %r"
                            % (" ".join(args), proc.stderr, needle))
    # --help is not an error.
    if "usage:" not in run(["--help"]).stdout:
        failures.append("errors: --help prints no usage")


def scenario_plain():
    """The readable output: one line per day."""
    proc = run(["--program", PROGRAM, "--start", "2026-03-02", "--days", "7",
                "--scores", os.path.join(SCORES, "red_day5.csv")])
    lines = proc.stdout.splitlines()
    if len(lines) != 7 or not lines[5].startswith(date(6)) \
            or "deload" not in lines[5] or "2x12" not in lines[5]:
        failures.append("plain output: unexpected lines %r" % lines)


def main():
    for path in (REHABCTL, PROGRAM):
        if not os.path.exists(path):
            print("test_rehabctl_preview: %s not found (set REHABCTL_BIN and "
                  "REHABD_SOURCE_DIR)" % path, file=sys.stderr)
            return 1
    scenarios = 0
    with tempfile.TemporaryDirectory() as tmp:
        for fn in (scenario_all_green, scenario_red_day, scenario_morning_rise,
                   scenario_stop,
                   scenario_stalled, scenario_silent, scenario_deload_stages,
                   scenario_amber, scenario_pause,
                   lambda: scenario_file_details(tmp),
                   lambda: scenario_audit(tmp),
                   lambda: scenario_csv_forms(tmp), scenario_eccentric,
                   lambda: scenario_errors(tmp), scenario_plain):
            try:
                fn()
            except (AssertionError, ValueError, KeyError) as e:
                failures.append(str(e))
            scenarios += 1
    if failures:
        for f in failures:
            print("FAIL: " + f, file=sys.stderr)
        print("test_rehabctl_preview: %d failure(s)" % len(failures),
              file=sys.stderr)
        return 1
    print("test_rehabctl_preview: %d scenario groups passed" % scenarios)
    return 0


if __name__ == "__main__":
    sys.exit(main())
