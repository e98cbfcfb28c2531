#!/usr/bin/env python3
"""The plan-rule acceptance scenarios through `rehabctl preview --json`.

Runs the real rehabctl on the real conf/programs/iliopsoas.conf with the
score histories of tests/data/scores/ (and more written to a temp dir),
and checks the plan of the days that matter: the plan each morning gives
and, where the morning reply changes it, the plan for the rest of that
day (design.md, "Pain rules").  Environment: REHABCTL_BIN,
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

D3 = "IR 2x12, ER 2x12, CS 2x12"
NO = ""

# The fields of a plan in --json: a day has them at the top level (the
# plan its morning message gives) and again in "after_morning" when its
# morning reply changed the rest of the day.
PLAN_KEYS = {"stage", "day_in_stage", "stretch_sessions", "strength",
             "running", "running_minutes", "flags", "reasons", "change"}
RUNNING = {"bike", "easy", "strides", "intervals", "tempo"}

failures = []


def date(n):
    """The date of program day n (day 1 is START)."""
    return (START + datetime.timedelta(days=n - 1)).isoformat()


def label(n):
    """Program day n as the runner reads it: "Sun 8 Mar"."""
    d = START + datetime.timedelta(days=n - 1)
    return "%s %d %s" % (d.strftime("%a"), d.day, d.strftime("%b"))


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


def check_keys(n, plan, where):
    if set(plan) != PLAN_KEYS | ({"date"} if where == "day" else set()) \
            | ({"after_morning"} if "after_morning" in plan else set()):
        raise AssertionError("day %d: unexpected keys in the %s: %s"
                             % (n, where, sorted(plan)))
    if plan["running"] not in RUNNING:
        raise AssertionError("day %d: running %r" % (n, plan["running"]))
    if (plan["running_minutes"] > 0) != (plan["running"] != "bike"):
        raise AssertionError("day %d: %s with %d minutes"
                             % (n, plan["running"], plan["running_minutes"]))


def preview(scores, days, extra=(), program=PROGRAM):
    args = ["--program", program, "--start", START.isoformat(),
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
        check_keys(n, plan, "day")
        if "after_morning" in plan:
            check_keys(n, plan["after_morning"], "after_morning")
    return plans


def compare(plan, stage=None, day_in_stage=None, stretch=None,
            strength_is=None, running=None, flags=None, reason=None,
            minutes=None, change=None):
    """The differences between a plan and every given field; flags compare
    as a set, reason is a substring of one reason."""
    want = {"stage": stage, "day_in_stage": day_in_stage,
            "stretch_sessions": stretch, "running": running,
            "running_minutes": minutes, "change": change}
    problems = []
    for key, value in want.items():
        if value is not None and plan[key] != value:
            problems.append("%s is %r, want %r" % (key, plan[key], value))
    if strength_is is not None and strength(plan) != strength_is:
        problems.append("strength is %r, want %r" % (strength(plan), strength_is))
    if flags is not None and sorted(plan["flags"]) != sorted(flags):
        problems.append("flags are %r, want %r" % (plan["flags"], flags))
    if reason is not None and not any(reason in r for r in plan["reasons"]):
        problems.append("no reason contains %r (reasons: %r)"
                        % (reason, plan["reasons"]))
    return problems


def check(name, plans, day, stage=None, day_in_stage=None, stretch=None,
          strength_is=None, running=None, flags=None, reason=None,
          minutes=None, change=None):
    """Checks the plan of program day `day` as its morning gives it."""
    plan = plans[day - 1]
    problems = compare(plan, stage, day_in_stage, stretch, strength_is,
                       running, flags, reason, minutes, change)
    if problems:
        failures.append("%s, day %d (%s): %s" % (name, day, plan["date"],
                                                 "; ".join(problems)))


def check_after(name, plans, day, **want):
    """Checks the plan for the rest of `day` after its morning reply;
    with no fields, that the morning reply changed nothing."""
    plan = plans[day - 1]
    after = plan.get("after_morning")
    if not want:
        if after is not None:
            failures.append("%s, day %d: the morning reply changed the day: %r"
                            % (name, day, after))
        return
    if after is None:
        failures.append("%s, day %d: no after_morning, want %r"
                        % (name, day, want))
        return
    problems = compare(after, **want)
    if problems:
        failures.append("%s, day %d after the morning reply: %s"
                        % (name, day, "; ".join(problems)))


def write_scores(tmp, name, days, header=""):
    """Writes a scores file from {program day: [(kind, score), ...]};
    a score of None writes the kind alone."""
    path = os.path.join(tmp, name)
    with open(path, "w", newline="") as f:
        f.write(header)
        for day in sorted(days):
            for kind, score in days[day]:
                if score is None:
                    f.write("%s,%s\n" % (date(day), kind))
                else:
                    f.write("%s,%s,%s\n" % (date(day), kind, score))
    return path


def green(first, last):
    """Green days (morning and session 1) from day first to day last."""
    return {d: [("morning", 1), ("session", 1)] for d in range(first, last + 1)}


def extended(tmp, name, last):
    """A copy of tests/data/scores/NAME with green days appended up to
    program day `last`, after its own last day."""
    with open(os.path.join(SCORES, name)) as f:
        text = f.read()
    days = [l.split(",")[0] for l in text.splitlines()
            if l and not l.startswith("#")]
    first = (datetime.date.fromisoformat(max(days)) - START).days + 2
    path = os.path.join(tmp, "ext_" + name)
    with open(path, "w") as f:
        f.write(text)
        for d in range(first, last + 1):
            f.write("%s,morning,1\n%s,session,1\n" % (date(d), date(d)))
    return path


def scenario_all_green():
    """Every day green: stages on their counted days, running built up in
    minutes, faster running back in steps, one change a day."""
    name = "all green"
    plans = preview(os.path.join(SCORES, "all_green.csv"), 40)
    check(name, plans, 1, 1, 1, 3, S1, "bike", [], minutes=0, change="")
    if plans[0]["reasons"]:
        failures.append("%s: reasons on day 1: %r" % (name, plans[0]["reasons"]))
    check(name, plans, 4, 1, 4, 3, S1, "easy", [], "Easy running from today: 10 min",
          minutes=10, change="run_step")
    check(name, plans, 14, 1, 14, 3, S1, "easy", [], minutes=25, change="")
    check(name, plans, 15, 2, 1, 3, S2, "easy", [], "New stage today",
          minutes=25, change="new_stage")
    # The run step due with the stage waits a day: one change at a time.
    check(name, plans, 16, 2, 2, 3, S2, "easy", [], minutes=30, change="run_step")
    check(name, plans, 25, 2, 11, 3, S2, "strides", [], "Strides from today",
          minutes=40, change="run_step")
    check(name, plans, 28, 2, 14, 3, S2, "strides", [])
    check(name, plans, 29, 3, 1, 3, S3, "strides", [], "New stage today",
          change="new_stage")
    check(name, plans, 32, 3, 4, 3, S3, "intervals", [], "Short intervals from today",
          change="run_step")
    check(name, plans, 39, 3, 11, 3, S3, "tempo", [], "Tempo runs from today",
          change="run_step")
    check(name, plans, 40, 3, 12, 3, S3, "tempo", [], minutes=40)
    first_cs = next(n for n, p in enumerate(plans, 1) if "CS" in strength(p))
    if first_cs != 15:
        failures.append("%s: clamshell first appears on day %d, want 15"
                        % (name, first_cs))
    runs = "".join(p["running"][0] for p in plans)
    want = "bbb" + "e" * 21 + "s" * 7 + "i" * 7 + "t" * 2
    if runs != want:
        failures.append("%s: running by day %s, want %s" % (name, runs, want))
    minutes = [p["running_minutes"] for p in plans[:24]]
    want = [0] * 3 + [10] * 3 + [15] * 3 + [20] * 3 + [25] * 3 + [30] * 3 \
        + [35] * 3 + [40] * 3
    if minutes != want:
        failures.append("%s: easy minutes by day %s, want %s"
                        % (name, minutes, want))
    changes = [n for n, p in enumerate(plans, 1) if p["change"]]
    if len(changes) != len(set(changes)) or any("after_morning" in p for p in plans):
        failures.append("%s: changes on days %s" % (name, changes))


def scenario_red_day(tmp):
    """A red session: deload for two red-free days, the full plan back,
    running one level lower (the bike, so easy running waits for three
    green days), the red and the eased days not counted."""
    name = "red day 5"
    plans = preview(extended(tmp, "red_day5.csv", 18), 18)
    check(name, plans, 5, 1, 5, 3, S1, "easy", [], minutes=10)
    check_after(name, plans, 5)
    check(name, plans, 6, 1, 5, 3, D1, "bike", ["deload"],
          "Yesterday's 6/10: strength eased to 2×12 today, no running (bike instead).")
    check(name, plans, 7, 1, 5, 3, D1, "bike", ["deload"], "(1 so far)")
    check(name, plans, 8, 1, 5, 3, S1, "bike", [], "back to the full plan today",
          change="deload_end")
    check(name, plans, 10, 1, 7, 3, S1, "bike", [])
    check(name, plans, 11, 1, 8, 3, S1, "easy", [], minutes=10, change="run_step")
    check(name, plans, 17, 1, 14, 3, S1)
    check(name, plans, 18, 2, 1, 3, S2, flags=[], change="new_stage")


def scenario_morning_rise():
    """Mornings creeping up (1, then 3): red at once, for the rest of that
    day, and the day after."""
    name = "morning rise"
    plans = preview(os.path.join(SCORES, "morning_rise.csv"), 6)
    check(name, plans, 5, 1, 5, 3, S1, "easy", [], minutes=10)
    check_after(name, plans, 5, strength_is=D1, running="bike", flags=["deload"],
                reason="This morning's 3/10 is 2 above your lowest morning")
    check(name, plans, 6, 1, 5, 3, D1, "bike", ["deload"],
          "Yesterday morning's 3/10 is 2 above your lowest morning")


def scenario_creep(tmp):
    """Mornings 1, 2, 3, 4, 4, 4: the 3 is red the same day; the plan stays
    eased while the mornings stay up."""
    name = "creeping mornings"
    days = {n: [("morning", m)] for n, m in enumerate((1, 2, 3, 4, 4, 4), 1)}
    plans = preview(write_scores(tmp, "creep.csv", days), 7)
    check_after(name, plans, 2)
    check_after(name, plans, 3, strength_is=D1, running="bike", flags=["deload"],
                reason="creeping up")
    for n in range(4, 8):
        check(name, plans, n, 1, 3, 3, D1, "bike")


def scenario_stop(tmp):
    """8/10 and more: no strength and no running that day and the next,
    then a deload; the deload ends only on days with scores."""
    name = "score 8"
    plans = preview(os.path.join(SCORES, "stop_score8.csv"), 9)
    check(name, plans, 4, 1, 4, 3, S1, "easy", [])
    check_after(name, plans, 4)  # a session score: the session is over
    check(name, plans, 5, 1, 4, 3, NO, "bike", ["severe"],
          "Yesterday's 8/10: no strength and no running today")
    check(name, plans, 5, reason="Please see a doctor soon")
    check(name, plans, 6, 1, 4, 3, D1, "bike", ["deload"], "strength eased to 2×12")
    check(name, plans, 7, 1, 4, 3, D1, "bike", ["deload"], "(1 so far)")
    # Day 7 has no reply: silence moves nothing forward.
    check(name, plans, 8, 1, 4, 3, D1, "bike", ["deload", "nudge"], "(0 so far)")

    name = "morning 8"
    days = green(1, 4)
    days[5] = [("morning", 8)]
    days.update(green(6, 9))
    plans = preview(write_scores(tmp, "morning8.csv", days), 10)
    check(name, plans, 5, 1, 5, 3, S1, "easy", [], minutes=10)
    check_after(name, plans, 5, strength_is=NO, running="bike", flags=["severe"],
                reason="This morning's 8/10: no strength and no running today or tomorrow")
    check(name, plans, 6, 1, 5, 3, NO, "bike", ["severe"])
    check(name, plans, 7, 1, 5, 3, D1, "bike", ["deload"])
    check(name, plans, 9, 1, 5, 3, S1, "bike", [], change="deload_end")

    name = "second 8 within a week"
    days = green(1, 4)
    days[4] = [("morning", 1), ("session", 8)]
    days.update(green(5, 7))
    days[8] = [("morning", 8)]
    days.update(green(9, 12))
    plans = preview(write_scores(tmp, "twice8.csv", days), 12)
    check_after(name, plans, 8, strength_is=NO, running="bike",
                flags=["red_flag"], reason="/cleared")
    for n in range(9, 13):
        check(name, plans, n, strength_is=NO, running="bike", flags=["red_flag"])

    name = "stop then 1s"
    days = green(1, 7)
    days[4] = [("session", 8)]
    plans = preview(write_scores(tmp, "stop_ones.csv", days), 8)
    check(name, plans, 5, 1, 4, 3, NO, "bike", ["severe"], "see a doctor")
    # The stop day proves nothing about the load: two eased days with
    # scores come after it.
    check(name, plans, 6, 1, 4, 3, D1, "bike", ["deload"])
    check(name, plans, 7, 1, 4, 3, D1, "bike", ["deload"], "(1 so far)")
    check(name, plans, 8, 1, 4, 3, S1, "bike", [], change="deload_end")


def scenario_red_flag(tmp):
    """Pain at rest or at night: no strength and no running from that
    moment until /cleared, whatever the scores or the silence; then two
    eased days, and running again from the bike."""
    name = "red flag without a score"
    plans = preview(os.path.join(SCORES, "red_flag.csv"), 9)
    check(name, plans, 4, 1, 4, 3, S1, "easy", [])
    check_after(name, plans, 4, strength_is=NO, running="bike", flags=["red_flag"],
                reason="You reported pain at rest or at night")
    check(name, plans, 5, 1, 4, 3, NO, "bike", ["red_flag"],
          "Pain at rest or at night reported yesterday")
    check(name, plans, 6, 1, 4, 3, NO, "bike", ["red_flag", "nudge"], "/cleared")
    check(name, plans, 8, 1, 4, 3, NO, "bike", ["red_flag", "ask_pause"], "/cleared")
    check(name, plans, 9, 1, 4, 3, NO, "bike", ["red_flag"], "/cleared")

    name = "red flag until /cleared"
    days = green(1, 4)
    days[5] = [("morning", 1), ("red_flag", None)]
    days.update(green(6, 14))        # good scores do not lift it
    days[15] = [("morning", 1), ("cleared", None)]
    days.update(green(16, 22))
    plans = preview(write_scores(tmp, "flag_cleared.csv", days), 22)
    check_after(name, plans, 5, strength_is=NO, running="bike", flags=["red_flag"])
    for n in range(6, 16):
        check(name, plans, n, 1, 5, 3, NO, "bike", ["red_flag"], "/cleared")
    check_after(name, plans, 15, strength_is=NO, running="bike", flags=[],
                reason="Cleared by a doctor or physio")
    check(name, plans, 16, 1, 5, 3, D1, "bike", ["deload"], "two easier days")
    check(name, plans, 17, 1, 5, 3, D1, "bike", ["deload"])
    check(name, plans, 18, 1, 5, 3, S1, "bike", [], change="deload_end")
    check(name, plans, 20, 1, 7, 3, S1, "bike", [])
    check(name, plans, 21, 1, 8, 3, S1, "easy", [], minutes=10, change="run_step")

    name = "cleared, then flagged again"
    days = green(1, 4)
    days[5] = [("red_flag", None), ("cleared", None)]   # cleared after it
    days[6] = [("cleared", None), ("red_flag", None)]   # reported after it
    days.update(green(7, 9))
    plans = preview(write_scores(tmp, "flag_order.csv", days), 9)
    check(name, plans, 6, strength_is=D1, flags=["deload"])
    check_after(name, plans, 6, strength_is=NO, flags=["red_flag"])
    check(name, plans, 7, strength_is=NO, flags=["red_flag"])
    check(name, plans, 9, strength_is=NO, flags=["red_flag"])


def scenario_stalled(tmp):
    """Three weeks of mornings at 2/10: not improving, decided weekly;
    the plan is kept, nothing new begins, a physio or doctor advised."""
    name = "stalled"
    days = {d: [("morning", 2), ("session", 2)] for d in range(1, 23)}
    plans = preview(write_scores(tmp, "stalled.csv", days), 23)
    for n in range(1, 22):
        if "see_clinician" in plans[n - 1]["flags"]:
            failures.append("%s: see_clinician already on day %d" % (name, n))
    check(name, plans, 22, 2, 8, 3, S2, "easy", ["see_clinician", "hold"],
          "please see a physio or doctor", minutes=35)
    check(name, plans, 23, 2, 9, 3, S2, "easy", ["see_clinician", "hold"],
          minutes=35)
    # Session scores alone say nothing about mornings: no advice, and
    # nothing new begins without a morning answer (the red-flag screen).
    plans = preview(os.path.join(SCORES, "stalled.csv"), 22)
    check("stalled sessions only", plans, 22, 1, 14, flags=["hold"],
          reason="morning question is answered")


def scenario_silent():
    """No reply: the plan stays, nothing counts, one nudge, then the
    question whether to pause."""
    name = "three silent days"
    plans = preview(os.path.join(SCORES, "silent.csv"), 8)
    nudges = [n for n, p in enumerate(plans, 1) if "nudge" in p["flags"]]
    if nudges != [5]:
        failures.append("%s: nudge on days %s, want only day 5" % (name, nudges))
    base = plans[3]
    for n in range(4, 8):
        p = plans[n - 1]
        same = (strength(p) == strength(base) and p["running"] == base["running"]
                and p["running_minutes"] == base["running_minutes"]
                and p["stretch_sessions"] == base["stretch_sessions"]
                and p["day_in_stage"] == 4)
        if not same:
            failures.append("%s: day %d's plan differs from day 4's" % (name, n))
    check(name, plans, 5, 1, 4, 3, S1, "easy", ["nudge"], "No score yesterday")
    check(name, plans, 7, 1, 4, 3, S1, "easy", ["ask_pause"], "/pause")
    check(name, plans, 8, 1, 5, 3, S1, "easy", [])


def scenario_skipped(tmp):
    """Green scores but the strength session skipped: the days count for
    nothing, so neither the stage nor running moves."""
    name = "skipped sessions"
    days = {d: [("morning", 1), ("skipped", "strength")] for d in range(1, 8)}
    days[8] = [("morning", 1), ("skipped", "strength"), ("done", "strength")]
    days.update(green(9, 12))
    plans = preview(write_scores(tmp, "skipped.csv", days), 12)
    for n in range(1, 9):
        check(name, plans, n, 1, 1, 3, S1, "bike")
    check(name, plans, 9, 1, 2, 3, S1, "bike")  # the done on day 8 wins
    check(name, plans, 12, 1, 5, 3, S1, "easy", minutes=10)
    # A plain skipped (some reminder) does not stop a day counting.
    days = {d: [("morning", 1), ("skipped", None)] for d in range(1, 5)}
    plans = preview(write_scores(tmp, "skipped_any.csv", days), 5)
    check(name + " (any reminder)", plans, 5, 1, 5)


def scenario_deload_stages():
    plans = preview(os.path.join(SCORES, "deload_stage2.csv"), 17)
    check("deload in stage 2", plans, 17, 2, 2, 3, D1, "bike", ["deload"],
          "Left out while easing off: Clamshell")
    plans = preview(os.path.join(SCORES, "deload_stage3.csv"), 31)
    check("deload in stage 3", plans, 31, 3, 2, 3, D3, "bike", ["deload"],
          "Left out while easing off: Mini-squat")


def scenario_deload_return(tmp):
    """A red day just after a new stage: the stage's exercise is left out,
    the full dose comes back first, the exercise a day later, then
    running (one level lower): one change a day."""
    name = "deload after a new stage"
    days = green(1, 21)
    days[15] = [("morning", 1), ("session", 6)]
    plans = preview(write_scores(tmp, "deload_return.csv", days), 21)
    check(name, plans, 15, 2, 1, 3, S2, "easy", [], change="new_stage")
    check(name, plans, 16, 2, 1, 3, D1, "bike", ["deload"], "Left out while easing off")
    check(name, plans, 18, 2, 1, 3, S1, "bike", [], "comes back tomorrow",
          minutes=0, change="deload_end")
    check(name, plans, 19, 2, 2, 3, S2, "bike", [], "joins the session today",
          change="exercise_back")
    check(name, plans, 20, 2, 3, 3, S2, "easy", [], "Running again from today",
          minutes=20, change="run_step")


def scenario_amber(tmp):
    name = "amber"
    plans = preview(os.path.join(SCORES, "amber.csv"), 9)
    check(name, plans, 7, 1, 7, 3, S1, "easy", ["hold"],
          "The pain yesterday was above 2/10", minutes=10, change="")
    check(name, plans, 8, 1, 8, 3, S1, "easy", [], minutes=15, change="run_step")

    # An amber day 14 counts, but the next stage waits for a green day.
    days = green(1, 16)
    days[14] = [("morning", 1), ("session", 3)]
    plans = preview(write_scores(tmp, "amber14.csv", days), 17)
    check("amber on day 14", plans, 15, 1, 14, 3, S1, "easy", ["hold"],
          "the next stage waits")
    check("amber on day 14", plans, 16, 2, 1, 3, S2, "easy", [], "New stage today",
          change="new_stage")


def scenario_pause(tmp):
    name = "pause and resume"
    plans = preview(os.path.join(SCORES, "pause.csv"), 26)
    for n in (4, 5, 6, 20, 21, 22):
        check(name, plans, n, stretch=0, strength_is=NO, running="bike",
              flags=["paused"], reason="Paused")
    check(name, plans, 4, reason="starts again on %s" % label(7))
    check(name, plans, 20, reason="starts again on %s" % label(23))
    check(name, plans, 7, 1, 4, 3, S1, "bike", [])
    check(name, plans, 17, 1, 14, 3, S1)
    check(name, plans, 18, 2, 1, 3, S2, "easy", [], "New stage today")
    check(name, plans, 23, 2, 3, 3, S2, "easy", [])

    name = "red flag in a pause"
    days = green(1, 4)
    days[5] = [("pause", 3)]
    days[6] = [("red_flag", None)]
    days.update(green(8, 12))
    plans = preview(write_scores(tmp, "pause_flag.csv", days), 12)
    check_after(name, plans, 6, flags=["paused", "red_flag"])
    check(name, plans, 7, flags=["paused", "red_flag"])
    for n in range(8, 13):
        check(name, plans, n, strength_is=NO, running="bike", flags=["red_flag"])

    name = "long pause"
    days = green(1, 6)
    days[7] = [("pause", 8)]
    days[9] = [("morning", 8)]      # a severe score while paused
    days.update(green(15, 18))
    plans = preview(write_scores(tmp, "pause_long.csv", days), 18)
    check(name, plans, 15, 1, 7, 3, D1, "bike", ["deload"])
    check(name, plans, 16, 1, 7, 3, D1, "bike")
    check(name, plans, 17, 1, 7, 3, S1, "bike", change="deload_end")


def scenario_file_details(tmp):
    """Comments, blank lines, CRLF, halves, the higher of two lines for a
    check-in counting, done-only days, /cleared and skipped strength lines, and
    --stretch-sessions."""
    name = "file details"
    path = os.path.join(tmp, "details.csv")
    with open(path, "w", newline="") as f:
        f.write("# comment\r\n\r\n")
        f.write("%s,session,1\r\n" % date(1))
        f.write("  %s , SESSION , 2  \r\n" % date(1))  # the higher counts
        f.write("%s,evening,4.50\n" % date(2))  # evening = session
        f.write("%s,done\n%s,skipped\n" % (date(3), date(3)))
        f.write("%s,morning,1\n%s,Skipped,STRENGTH\n" % (date(4), date(4)))
        f.write("%s,morning,1\n%s,Cleared\n" % (date(5), date(5)))
    plans = preview(path, 6, ["--stretch-sessions", "2"])
    check(name, plans, 2, 1, 2, 2, S1, "bike", [])
    check(name, plans, 3, 1, 3, 2, S1, "bike", [])      # amber counts
    check(name, plans, 4, 1, 3, 2, S1, "bike", ["nudge"])  # done only: silent
    check(name, plans, 5, 1, 3, 2, S1, "bike", [])      # skipped strength
    check(name, plans, 6, 1, 4, 2, S1, "bike", [])      # /cleared, no flag


def scenario_audit(tmp):
    """Of two replies on a day the higher counts, whichever came first; a
    silent day inside a deload breaks the red-free run."""
    days = {1: [("session", 1)], 2: [("session", 1), ("session", 6)],
            3: [("session", 6), ("session", 1)]}
    plans = preview(write_scores(tmp, "twice.csv", days), 4)
    check("1 then 6 on one day", plans, 3, 1, 2, 3, D1, "bike", ["deload"],
          "6/10")
    check("6 then 1 on one day", plans, 4, 1, 2, 3, D1, "bike", ["deload"],
          "Yesterday's 6/10")

    days = {d: [("morning", 1), ("session", 1)] for d in (1, 2, 3, 4, 5, 7, 9, 10)}
    days[6] = [("morning", 1), ("session", 6)]
    plans = preview(write_scores(tmp, "silent_deload.csv", days), 11)
    check("silent day in a deload", plans, 8, 1, 6, 3, D1, "bike", ["deload"],
          "(1 so far)")
    check("silent day in a deload", plans, 9, 1, 6, 3, D1, "bike",
          ["deload", "nudge"], "(0 so far)")
    check("silent day in a deload", plans, 11, 1, 6, 3, S1, "bike", [],
          "back to the full plan", change="deload_end")


def scenario_csv_forms(tmp):
    """What spreadsheets and editors write: a byte order mark, a header
    line, quoted fields, an empty last field."""
    path = os.path.join(tmp, "forms.csv")
    with open(path, "w", newline="") as f:
        f.write("\ufeffdate,kind,score\r\n")
        f.write('"%s","session","6"\r\n' % date(1))
        f.write("%s,done,\r\n" % date(2))
    plans = preview(path, 3)
    check("csv forms", plans, 2, 1, 1, 3, D1, "bike", ["deload"], "6/10")
    check("csv forms", plans, 3, 1, 1, 3, D1, "bike", ["deload", "nudge"])


def scenario_eccentric(tmp):
    """The second program previews with its own stages and deload."""
    program = os.path.join(SOURCE, "conf", "programs",
                           "iliopsoas-eccentric.conf")
    plans = preview(write_scores(tmp, "ecc.csv", green(1, 44)), 44,
                    program=program)
    stages = "".join(str(p["stage"]) for p in plans)
    if stages != "1" * 21 + "2" * 21 + "33":
        failures.append("eccentric: stages by day %s" % stages)
    if len(plans[21]["strength"]) <= len(plans[20]["strength"]):
        failures.append("eccentric: stage 2 adds no exercise")
    # Without replies nothing moves forward.
    plans = preview(None, 30, program=program)
    if any(p["stage"] != 1 or p["day_in_stage"] != 1 for p in plans):
        failures.append("eccentric: a silent runner progressed")


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
        ("2026-03-02,done,3", "takes no value or `strength`"),
        ("2026-03-02,skipped,stretch", "takes no value or `strength`"),
        ("2026-03-02,cleared,3", "cleared takes no value"),
        ("2026-03-02,red_flag,1", "red_flag takes no value"),
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
    """The readable output: one line per day, and a second, indented, for
    a day whose morning reply changed it."""
    proc = run(["--program", PROGRAM, "--start", "2026-03-02", "--days", "7",
                "--scores", os.path.join(SCORES, "red_day5.csv")])
    lines = proc.stdout.splitlines()
    if len(lines) != 7 or not lines[5].startswith(date(6)) \
            or "deload" not in lines[5] or "2x12" not in lines[5] \
            or "running: easy 10 min" not in lines[4]:
        failures.append("plain output: unexpected lines %r" % lines)
    proc = run(["--program", PROGRAM, "--start", "2026-03-02", "--days", "6",
                "--scores", os.path.join(SCORES, "morning_rise.csv")])
    lines = proc.stdout.splitlines()
    if len(lines) != 7 or not lines[5].startswith("            after the morning reply: ") \
            or "flags: deload" not in lines[5] or not lines[6].startswith(date(6)):
        failures.append("plain output with a morning change: %r" % lines)


def main():
    for path in (REHABCTL, PROGRAM):
        if not os.path.exists(path):
            print("test_rehabctl_preview: %s not found (set REHABCTL_BIN and "
                  "REHABD_SOURCE_DIR)" % path, file=sys.stderr)
            return 1
    scenarios = 0
    with tempfile.TemporaryDirectory() as tmp:
        for fn in (scenario_all_green, lambda: scenario_red_day(tmp),
                   scenario_morning_rise, lambda: scenario_creep(tmp),
                   lambda: scenario_stop(tmp), lambda: scenario_red_flag(tmp),
                   lambda: scenario_stalled(tmp), scenario_silent,
                   lambda: scenario_skipped(tmp), scenario_deload_stages,
                   lambda: scenario_deload_return(tmp),
                   lambda: scenario_amber(tmp), lambda: scenario_pause(tmp),
                   lambda: scenario_file_details(tmp),
                   lambda: scenario_audit(tmp),
                   lambda: scenario_csv_forms(tmp),
                   lambda: scenario_eccentric(tmp),
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
