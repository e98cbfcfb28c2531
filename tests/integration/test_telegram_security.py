#!/usr/bin/env python3
"""Telegram security through the real daemon and plugin:

- --check-config and start-up refuse a token_file that group or others
  can read (naming the file and `chmod 600`), a runner address that is
  not a chat id, both token and token_file, and plain http to a remote
  API;
- the bot token never appears in the daemon's stderr at debug level,
  through every error path: 500, 502, garbage, closed connections, 429,
  a stranger's message, and the Bot API server gone (connection
  refused).
"""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import rehabd_test as rt  # noqa: E402
from rehabd_test import check, run_tests  # noqa: E402
from tg_emulator import TOKEN, TgCase  # noqa: E402

ANNA = {"name": "anna", "chat": 408258968, "zone": "Europe/Berlin",
        "stretch": ["07:30", "13:00"], "strength": "18:00", "morning": "07:00",
        "evening": "20:30"}


def check_config(case):
    p = subprocess.run([rt.REHABD, "--check-config", case.config, "--plugin-dir",
                        rt.PLUGIN_DIR], capture_output=True, text=True, timeout=30)
    return p.returncode, p.stdout + p.stderr


# Columns: runner address, extra channel settings, token file mode,
# expected part of the error (None: accepted).
CONFIG_ROWS = [
    ("408258968", "", 0o600, None),
    ("-1001234567890", "", 0o400, None),
    ("408258968", "", 0o644, "(mode 644) — run chmod 600 {token_path}"),
    ("408258968", "", 0o660, "can be read or changed by group or others"),
    # Refused by the plugin's canonical_address, at the runner's line.
    ("@anna", "", 0o600, 'runner "anna": address "@anna" is not an address on channel tg: '
     "a @username cannot be messaged by a bot — a Telegram address is the numeric chat id"),
    ("+491701234567", "", 0o600, "looks like a phone number"),
    ("0", "", 0o600, "0 is no chat id"),
    # Another spelling of the same id is the same runner.
    ("0408258968", "", 0o600, None),
    ("408258968", 'token = "%s";' % TOKEN, 0o600, "both token and token_file are set"),
    ("408258968", 'rate_chat = "fast";', 0o600, "rate_chat = fast: give a number"),
    ("408258968", "poll_timeout = 90;", 0o600, "poll_timeout = 90: give a whole number between 1 and 50"),
    ("408258968", "speed = 3;", 0o600, 'unknown setting "speed"'),
]


def test_config_is_checked():
    for address, settings, mode, want in CONFIG_ROWS:
        runner = dict(ANNA, chat=address)
        # A second api_base would be a duplicate key; the emulator's is
        # replaced by a remote one in its own row below.
        case = TgCase([runner], settings=settings)
        try:
            os.chmod(case.token_path, mode)
            code, out = check_config(case)
            if want is None:
                check(code == 0 and out.strip() == "ok", "%s: %s" % (address, out))
                continue
            want = want.format(token_path=case.token_path)
            check(code == 1, "accepted: %s %s" % (address, settings))
            check(want in out, "expected %r in:\n%s" % (want, out))
            check(out.startswith(case.config + ":"), "no file:line: %s" % out)
            check(TOKEN not in out, "the token is in the error")
            # The daemon refuses to start with it too.
            d = case.start(None, None)
            code = d.proc.wait(30)
            case.stop()
            check(code != 0, "rehabd started with: %s" % want)
            check(want in case.stderr(), "start-up error lacks %r:\n%s"
                  % (want, case.stderr()))
        finally:
            case.close()


def test_inline_token_in_a_readable_config():
    """A token written in rehabd.conf is refused while group or others
    can read the file (the host's rule for every plugin's secrets), and
    taken once the file is private."""
    case = TgCase([ANNA])
    try:
        with open(case.config) as f:
            text = f.read()
        with open(case.config, "w") as f:
            f.write(text.replace('token_file = "tg.token";', 'token = "%s";' % TOKEN))
        os.chmod(case.config, 0o644)
        code, out = check_config(case)
        check(code == 1 and ('channel "tg": the secret token is written in %s, which group '
                             'or others can read (mode 044)' % case.config) in out
              and "chmod 600" in out, out)
        check(out.startswith(case.config + ":"), "no file:line: %s" % out)
        check(TOKEN not in out, "the token is in the error")
        d = case.start(None, None)
        code = d.proc.wait(30)
        case.stop()
        check(code != 0, "rehabd started with the token in a readable config")
        os.chmod(case.config, 0o600)
        code, out = check_config(case)
        check(code == 0 and out.strip() == "ok", out)
        # rehabd -T prints the effective configuration, the token masked.
        p = subprocess.run([rt.REHABD, "-c", case.config, "-T", "--plugin-dir",
                            rt.PLUGIN_DIR], capture_output=True, text=True, timeout=30)
        check(p.returncode == 0 and "    token = \"" in p.stdout and
              "    plugin = \"telegram\";" in p.stdout and
              "grace_minutes = " in p.stdout, p.stdout + p.stderr)
        check(TOKEN not in p.stdout + p.stderr, "rehabd -T printed the token")
    finally:
        case.close()


def test_remote_plain_http_refused():
    case = TgCase([ANNA])
    try:
        with open(case.config) as f:
            text = f.read()
        with open(case.config, "w") as f:
            f.write(text.replace(case.emu.base, "http://api.telegram.org"))
        code, out = check_config(case)
        check(code == 1 and "rehabd.conf:9: api_base: plain http is allowed only to a loopback host" in out
              and "api_base takes https://" in out, out)
    finally:
        case.close()


def test_token_never_logged():
    case = TgCase([ANNA], settings="rate_chat = 100;")
    emu = case.emu
    try:
        for method, kind, count in [("getUpdates", "500", 1), ("getUpdates", "502", 1),
                                    ("getUpdates", "garbage", 1), ("getUpdates", "close", 1),
                                    ("sendMessage", "429", 1), ("sendMessage", "500", 1),
                                    ("sendMessage", "garbage", 1), ("sendMessage", "close", 1),
                                    ("setMyCommands", "500", 1)]:
            emu.fault(method, kind, count)
        emu.message(5000000009, "who are you")
        case.start("2026-03-02T05:55:00Z", 120)
        emu.wait(lambda s: s["faults_left"] == 0 and s["sent"], 60,
                 "every fault hit and a reminder through")
        # The server goes away: requests fail to connect.
        emu.stop()
        case.wait_db(lambda c: c.stderr().count("Connection refused") +
                     c.stderr().count("Couldn't connect") +
                     c.stderr().count("Failed to connect") >= 1, 30,
                     "a connection error in the log")
        case.stop()
        err = case.stderr()
        secret = TOKEN.split(":", 1)[1]
        check(TOKEN not in err and secret not in err, "the token is in the log")
        check("/bot" not in err, "a Bot API URL is in the log")
        check("telegram getUpdates" in err, "request names are missing from the log")
    finally:
        case.close()


if __name__ == "__main__":
    run_tests([test_inline_token_in_a_readable_config, test_config_is_checked, test_remote_plain_http_refused,
               test_token_never_logged])
