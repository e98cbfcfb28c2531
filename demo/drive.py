"""Runs rehabd with conf/demo.conf on the simulated clock over the console
channel and answers its messages from demo/replies.txt, the way a runner
at the terminal would, by writing to rehabd's stdin.

usage: python3 demo/drive.py [--rehabd PATH] [--plugin-dir DIR] [--days N]
                             [--speed N] [--quiet] [--stats]

--stats prints, per program day, the scheduled messages (the daily slots,
not the answers to replies) and their characters, the answers likewise,
and the median and maximum over the run.  Characters are those of the
message text as the console shows it, without its "[reply: ...]" line
(the buttons).
"""

import argparse
import datetime
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
HEADER = re.compile(r"^=== (\d{4}-\d\d-\d\d) (\d\d:\d\d) (\S+) \| (\S+) \| (\S+) \| ref (\d+) ===$")
START = datetime.date(2026, 3, 2)  # conf/demo.conf: start


def reply_for(answer, ref):
    """The line anna types for a scripted answer to message ref: a tap
    ("tap:VALUE") names the message, as a button would."""
    if not answer:
        return None
    return "ref %s: %s" % (ref, answer[4:]) if answer.startswith("tap:") else answer


def load_replies(path):
    replies = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.split(None, 2)
            if len(parts) != 3 or not parts[0].isdigit():
                sys.exit("%s:%d: expected DAY SLOT REPLY" % (path, n))
            replies[(int(parts[0]), parts[1])] = parts[2]
    return replies


class Volume:
    """Counts messages and characters per program day."""

    def __init__(self):
        self.days = {}  # day -> [scheduled, chars, answers, chars]

    def add(self, day, is_answer, text):
        row = self.days.setdefault(day, [0, 0, 0, 0])
        row[2 if is_answer else 0] += 1
        row[3 if is_answer else 1] += len(text)

    def report(self, out):
        rows = [(day,) + tuple(v) for day, v in sorted(self.days.items())]
        if not rows:
            print("no messages", file=out)
            return
        print("\nmessages per day (scheduled = the daily slots; answers = "
              "replies to anna)", file=out)
        print("day  scheduled  chars  answers  chars", file=out)
        for r in rows:
            print("%3d  %9d  %5d  %7d  %5d" % r, file=out)

        def mm(i):
            v = [r[i] for r in rows]
            return statistics.median(v), max(v)

        print("median / max a day: scheduled %g / %d (%g / %d characters); "
              "answers %g / %d (%g / %d characters)"
              % (mm(1) + mm(2) + mm(3) + mm(4)), file=out)
        print("total over %d days: %d scheduled (%d characters), "
              "%d answers (%d characters)"
              % (len(rows), sum(r[1] for r in rows), sum(r[2] for r in rows),
                 sum(r[3] for r in rows), sum(r[4] for r in rows)), file=out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rehabd", default=os.path.join(TOP, "build", "rehabd"))
    ap.add_argument("--plugin-dir", default=os.path.join(TOP, "build", "plugins"))
    ap.add_argument("--days", type=int, default=33)
    ap.add_argument("--speed", type=float, default=100000)
    ap.add_argument("--quiet", action="store_true",
                    help="print one line per message instead of the text")
    ap.add_argument("--stats", action="store_true",
                    help="print the messages and characters per day at the end")
    args = ap.parse_args()

    replies = load_replies(os.path.join(HERE, "replies.txt"))
    state = tempfile.mkdtemp(prefix="rehabd-demo-")
    begin = "%sT05:00:00Z" % START.isoformat()
    end = (datetime.datetime(START.year, START.month, START.day, 23, 0)
           + datetime.timedelta(days=args.days - 1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    cmd = [args.rehabd, "-c", os.path.join(TOP, "conf", "demo.conf"),
           "--state-dir", state, "--plugin-dir", args.plugin_dir,
           "--simulate", begin, "--speed", str(args.speed), "--until", end]
    print("$ " + " ".join(cmd), flush=True)
    print("(a simulated day every %.1f s; anna's replies come from demo/replies.txt)\n"
          % (86400 / args.speed), flush=True)
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    volume = Volume()
    pending = None
    current = None  # [day, is_answer, text lines, ref] of the message on screen
    for raw in proc.stdout:
        line = raw.decode("utf-8", "replace").rstrip("\n")
        m = HEADER.match(line)
        if m:
            date, slot, ref = m.group(1), m.group(5), m.group(6)
            day = (datetime.date.fromisoformat(date) - START).days + 1
            base = slot.split("+")[0]
            is_answer = slot.startswith("reply")
            current = [day, is_answer, [], ref]
            pending = None
            if not is_answer:
                pending = reply_for(replies.get((day, base)), ref)
            if args.quiet:
                print("day %2d  %s" % (day, line), flush=True)
        elif current is not None and line != "":
            if line.startswith("[reply:") and line.endswith("]"):
                # An answer with 0-10 buttons: the session question
                # asked after "done" on the strength reminder.
                if current[1] and line.startswith("[reply: 0 "):
                    pending = reply_for(replies.get((current[0], "session")),
                                        current[3])
            else:
                current[2].append(line)
        if not args.quiet:
            print(line, flush=True)
        if line == "" and current is not None:
            volume.add(current[0], current[1], "\n".join(current[2]))
            current = None
            if pending:
                # Answer once the whole message is on screen.
                print("anna> %s\n" % pending, flush=True)
                proc.stdin.write((pending + "\n").encode())
                proc.stdin.flush()
                pending = None
    if args.stats:
        volume.report(sys.stdout)
    return proc.wait()


if __name__ == "__main__":
    sys.exit(main())
