#!/usr/bin/env python3
"""rehabctl parse: runs the built tool (REHABCTL_BIN) over a table of
replies and compares its --json object, exit status and plain line with
what is expected.  Exits non-zero on any difference, printing each one."""

import json
import os
import subprocess
import sys

BIN = os.environ.get("REHABCTL_BIN", "rehabctl")

U = "unknown"

# Columns: arguments after "parse --json" (several words are joined with
# spaces), the expected JSON object, the expected exit status.
CASES = [
    (["3"], {"kind": "score", "score": 3, "red_flag": False}, 0),
    (["3/10"], {"kind": "score", "score": 3, "red_flag": False}, 0),
    (["3", "/", "10"], {"kind": "score", "score": 3, "red_flag": False}, 0),
    (["pain", "4"], {"kind": "score", "score": 4, "red_flag": False}, 0),
    (["4 out of 10"], {"kind": "score", "score": 4, "red_flag": False}, 0),
    (["about 2"], {"kind": "score", "score": 2, "red_flag": False}, 0),
    (["2.5"], {"kind": "score", "score": 2.5, "red_flag": False}, 0),
    (["2,5"], {"kind": "score", "score": 2.5, "red_flag": False}, 0),
    (["zero"], {"kind": "score", "score": 0, "red_flag": False}, 0),
    (["no pain"], {"kind": "score", "score": 0, "red_flag": False}, 0),
    (["SEVEN"], {"kind": "score", "score": 7, "red_flag": False}, 0),
    (["\U0001F623 6!!"], {"kind": "score", "score": 6, "red_flag": False}, 0),
    (["6 today\n\nSent from my iPhone"], {"kind": "score", "score": 6, "red_flag": False}, 0),
    (["my hip is a 3"], {"kind": "score", "score": 3, "red_flag": False}, 0),
    (["11"], {"kind": U, "red_flag": False}, 0),
    (["-2"], {"kind": U, "red_flag": False}, 0),
    (["20 reps done"], {"kind": U, "red_flag": False}, 0),
    (["7:30"], {"kind": U, "red_flag": False}, 0),
    (["10/5"], {"kind": U, "red_flag": False}, 0),
    (["3x20"], {"kind": U, "red_flag": False}, 0),
    (["ran", "5", "miles"], {"kind": U, "red_flag": False}, 0),
    (["3 or 4"], {"kind": "score", "score": 4, "range": [3, 4], "red_flag": False}, 0),
    (["2.3"], {"kind": U, "red_flag": False}, 0),
    ([""], {"kind": U, "red_flag": False}, 0),
    (["3 " * 600], {"kind": U, "red_flag": False}, 0),  # over 1 KB
    (["/pause", "3"], {"kind": "command", "red_flag": False, "command": "pause", "args": ["3"]}, 0),
    (["/pause@rehab_bot"], {"kind": "command", "red_flag": False, "command": "pause", "args": []}, 0),
    (["snooze 1 h"], {"kind": "command", "red_flag": False, "command": "snooze", "args": ["60"]}, 0),
    (["/start", "abc123"], {"kind": "command", "red_flag": False, "command": "start", "args": ["abc123"]}, 0),
    (["help"], {"kind": "command", "red_flag": False, "command": "help", "args": []}, 0),
    (["/foo"], {"kind": U, "red_flag": False}, 0),
    (["done"], {"kind": "done", "red_flag": False}, 0),
    (["\u2705"], {"kind": "done", "red_flag": False}, 0),
    (["skipped"], {"kind": "skipped", "red_flag": False}, 0),
    (["hurts", "at", "night"], {"kind": U, "red_flag": True}, 0),
    (["pain at rest, 6"], {"kind": "score", "score": 6, "red_flag": True}, 0),
    (["no pain at rest"], {"kind": U, "red_flag": False}, 0),
    # audit: what the first version read wrongly
    (["3/10 yesterday 2/10 today"], {"kind": "score", "score": 2, "red_flag": False}, 0),
    (["4 yesterday"], {"kind": U, "red_flag": False}, 0),
    (["better than yesterday: 2"], {"kind": "score", "score": 2, "red_flag": False}, 0),
    (["\uff13/\uff11\uff10"], {"kind": "score", "score": 3, "red_flag": False}, 0),
    (["\u0662\u066b\u0665"], {"kind": "score", "score": 2.5, "red_flag": False}, 0),
    (["1\u200b0"], {"kind": "score", "score": 10, "red_flag": False}, 0),
    (["did 15 each side, pain 2"], {"kind": "score", "score": 2, "red_flag": False}, 0),
    (["3\nAnna\nPhone: +49 170 1234567"], {"kind": "score", "score": 3, "red_flag": False}, 0),
    (["3\n\nAm 02.03.2026 um 07:30 schrieb rehabd <coach@example.org>:\n> How is the hip?"],
     {"kind": "score", "score": 3, "red_flag": False}, 0),
    (["On Mon, 2 Mar 2026, rehabd wrote:\n> How is the hip this morning?\n\n3"],
     {"kind": "score", "score": 3, "red_flag": False}, 0),
    (["at rest: 0, running: 3"], {"kind": "score", "score": 3, "red_flag": False}, 0),
    (["no longer hurts at night, 2"], {"kind": "score", "score": 2, "red_flag": False}, 0),
    (["Pain at rest? No."], {"kind": U, "red_flag": False}, 0),
    (["zero pain at night"], {"kind": "score", "score": 0, "red_flag": False}, 0),
    (["ran at night pain 2"], {"kind": "score", "score": 2, "red_flag": False}, 0),
    (["hurts all the time"], {"kind": U, "red_flag": True}, 0),
    (["/done 2"], {"kind": "score", "score": 2, "red_flag": False}, 0),
    (["/done@rehab2bot"], {"kind": "done", "red_flag": False}, 0),
    (["did the stretches"], {"kind": "done", "red_flag": False}, 0),
    (["help me"], {"kind": "command", "red_flag": False, "command": "help", "args": []}, 0),
    (["/pause for a week"], {"kind": "command", "red_flag": False, "command": "pause", "args": ["7"]}, 0),
    (["/pause -3"], {"kind": U, "red_flag": False}, 0),
    (["2\r\n-- \r\nAnna"], {"kind": "score", "score": 2, "red_flag": False}, 0),
    # issue 8: body parts, changes, dictation, fractions, scales, ranges,
    # /cleared and /how
    (["shin 6, hip 2"], {"kind": "score", "score": 2, "red_flag": False}, 0),
    (["my shin is at 6"], {"kind": U, "red_flag": False}, 0),
    (["down by 2"], {"kind": U, "red_flag": False}, 0),
    (["down by 2, so 3 now"], {"kind": "score", "score": 3, "red_flag": False}, 0),
    (["for out of ten"], {"kind": U, "red_flag": False}, 0),
    (["2 1/2 out of 10"], {"kind": "score", "score": 2.5, "red_flag": False}, 0),
    (["on a scale of 0-10, 3"], {"kind": "score", "score": 3, "red_flag": False}, 0),
    (["3\u20134"], {"kind": "score", "score": 4, "range": [3, 4], "red_flag": False}, 0),
    (["2.5-3"], {"kind": "score", "score": 3, "range": [2.5, 3], "red_flag": False}, 0),
    (["2-9"], {"kind": U, "red_flag": False}, 0),
    (["3/4"], {"kind": U, "red_flag": False}, 0),
    (["the first one was easy, pain 2"], {"kind": "score", "score": 2, "red_flag": False}, 0),
    (["/cleared"], {"kind": "command", "red_flag": False, "command": "cleared", "args": []}, 0),
    (["physio cleared me"], {"kind": "command", "red_flag": False, "command": "cleared", "args": []}, 0),
    (["not cleared yet"], {"kind": U, "red_flag": False}, 0),
    (["how do I do them"], {"kind": "command", "red_flag": False, "command": "how", "args": []}, 0),
    (["/how", "clamshell"], {"kind": "command", "red_flag": False, "command": "how", "args": ["clamshell"]}, 0),
    (["how much does it hurt? 3"], {"kind": "score", "score": 3, "red_flag": False}, 0),
    (["pain at rest or at night"], {"kind": U, "red_flag": True}, 0),
]

# Columns: arguments after "parse", the expected plain line.
PLAIN = [
    (["3"], "score 3/10"),
    (["2.5"], "score 2.5/10"),
    (["/pause", "3"], "command pause 3"),
    (["done"], "done"),
    (["skip"], "skipped"),
    (["hello"], "not understood"),
    (["7", "at", "night"], "score 7/10, red flag: pain at rest or at night"),
    (["3-4"], "score 4/10 (range 3\u20134, saved 4)"),
    (["2.5 to 3"], "score 3/10 (range 2.5\u20133, saved 3)"),
    (["/cleared"], "command cleared"),
    (["how?"], "command how"),
]


def run(args):
    p = subprocess.run([BIN, "parse"] + args, capture_output=True, timeout=30)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def main():
    failures = []

    for args, want, want_rc in CASES:
        rc, out, err = run(["--json"] + args)
        lines = out.splitlines()
        try:
            got = json.loads(out)
        except ValueError as e:
            failures.append(f"{args!r}: not JSON ({e}): {out!r} {err!r}")
            continue
        if len(lines) != 1:
            failures.append(f"{args!r}: want exactly one line, got {len(lines)}")
        # 2.5 and 2 must keep their JSON types: an integer unless a half.
        if "score" in got and type(got["score"]) is not type(want.get("score")):
            failures.append(f"{args!r}: score type {type(got['score']).__name__}, "
                            f"want {type(want.get('score')).__name__}")
        if got != want or rc != want_rc:
            failures.append(f"{str(args)[:60]}:\n    got  {json.dumps(got)} exit {rc}\n"
                            f"    want {json.dumps(want)} exit {want_rc}")

    for args, want in PLAIN:
        rc, out, err = run(args)
        if out.strip() != want:
            failures.append(f"plain {args!r}:\n    got  {out.strip()!r}\n    want {want!r}")

    # "-": a multi-line reply from standard input, as a phone sends it.
    p = subprocess.run([BIN, "parse", "--json", "-"], capture_output=True, timeout=30,
                       input="Hi coach,\n\n3 this morning\n-- \nAnna\n".encode())
    if p.returncode != 0 or json.loads(p.stdout) != {"kind": "score", "score": 3,
                                                     "red_flag": False}:
        failures.append(f"stdin: exit {p.returncode}, {p.stdout!r}")

    # Usage errors: no text, an unknown option.
    for args in ([], ["--json"], ["--bogus", "3"]):
        rc, out, err = run(args)
        if rc != 2 or "usage" not in err:
            failures.append(f"usage {args!r}: exit {rc}, stderr {err!r}")

    total = len(CASES) + len(PLAIN) + 4
    if failures:
        print(f"{len(failures)} of {total} checks failed:")
        for f in failures:
            print("  " + f)
        return 1
    print(f"all {total} checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
