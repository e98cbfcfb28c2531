#!/usr/bin/env python3
"""The crash and fault suite (tests/crash_suite.py) with its short
default: about 60 SIGKILLs and crash-point aborts over some simulated
days, against the loopback Bot API emulator.  REHABD_CRASH_SEED picks
the seed (default: a new one, printed); scripts/crash-suite N runs it
longer."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

import crash_suite  # noqa: E402

if __name__ == "__main__":
    args = []
    if os.environ.get("REHABD_CRASH_SEED"):
        args += ["--seed", os.environ["REHABD_CRASH_SEED"]]
    sys.exit(crash_suite.main(args))
