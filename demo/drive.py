"""Runs rehabd with conf/demo.conf on the simulated clock over the console
channel and answers its messages from demo/replies.txt, the way a runner
at the terminal would, by writing to rehabd's stdin.

usage: python3 demo/drive.py [--rehabd PATH] [--plugin-dir DIR] [--days N]
                             [--speed N] [--quiet]
"""

import argparse
import datetime
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
HEADER = re.compile(r"^=== (\d{4}-\d\d-\d\d) (\d\d:\d\d) (\S+) \| (\S+) \| (\S+) \| ref (\d+) ===$")
START = datetime.date(2026, 3, 2)  # conf/demo.conf: start


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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rehabd", default=os.path.join(TOP, "build", "rehabd"))
    ap.add_argument("--plugin-dir", default=os.path.join(TOP, "build", "plugins"))
    ap.add_argument("--days", type=int, default=33)
    ap.add_argument("--speed", type=float, default=100000)
    ap.add_argument("--quiet", action="store_true",
                    help="print one line per message instead of the text")
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
    pending = None
    for raw in proc.stdout:
        line = raw.decode("utf-8", "replace").rstrip("\n")
        m = HEADER.match(line)
        if m:
            date, slot, ref = m.group(1), m.group(5), m.group(6)
            day = (datetime.date.fromisoformat(date) - START).days + 1
            base = slot.split("+")[0]
            pending = None
            if not slot.startswith("reply"):
                answer = replies.get((day, base))
                if answer:
                    pending = ("ref %s: %s" % (ref, answer[4:])
                               if answer.startswith("tap:") else answer)
            if args.quiet:
                print("day %2d  %s" % (day, line), flush=True)
        if not args.quiet:
            print(line, flush=True)
        if line == "" and pending:
            # Answer once the whole message is on screen.
            print("anna> %s\n" % pending, flush=True)
            proc.stdin.write((pending + "\n").encode())
            proc.stdin.flush()
            pending = None
    return proc.wait()


if __name__ == "__main__":
    sys.exit(main())
