#!/usr/bin/env python3
"""The loopback homeserver itself: its strict mode refuses what the spec
does not allow (a wrong method, no token, a token in the query string, a
body that is no JSON object, a message without msgtype, createRoom with
trusted_private_chat), sends are idempotent per (device, txnId), a
duplicate annotation is refused, and /sync holds a long poll until an
event arrives.  Without these, the Matrix tests could pass against a
server that accepts anything."""

import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import rehabd_test as rt  # noqa: E402
from rehabd_test import check, run_tests  # noqa: E402
from mx_emulator import Emulator  # noqa: E402

BOT = "@bot:localhost"
TOKEN = "syt_test"


def call(emu, method, path, body=None, token=TOKEN, raw=None, query=""):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(emu.base + "/_matrix/client/v3" + path + query, data=data,
                                 method=method)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with emu.opener.open(req, timeout=40) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def test_strict_mode_and_semantics():
    d = rt.tempdir("rehabd-mxemu-")
    emu = Emulator(d, BOT, password="pw", token=TOKEN, strict=True)
    try:
        # Columns: method, path, body / raw, token, status, errcode.
        rows = [
            ("GET", "/createRoom", None, None, TOKEN, 405, "M_UNRECOGNIZED"),
            ("POST", "/createRoom", {}, None, None, 401, "M_MISSING_TOKEN"),
            ("POST", "/createRoom", {}, None, "nope", 401, "M_UNKNOWN_TOKEN"),
            ("POST", "/createRoom", None, b"[1,2]", TOKEN, 400, "M_NOT_JSON"),
            ("POST", "/createRoom", None, b"{bad", TOKEN, 400, "M_NOT_JSON"),
            ("POST", "/login", {"type": "m.login.password", "identifier":
                                {"type": "m.id.user", "user": "bot"}, "password": "no"},
             None, None, 403, "M_FORBIDDEN"),
        ]
        for method, path, body, raw, token, status, code in rows:
            got, ans = call(emu, method, path, body, token=token, raw=raw)
            check(got == status and ans.get("errcode") == code,
                  "%s %s: %s %s" % (method, path, got, ans))
        got, _ = call(emu, "GET", "/account/whoami", token=None,
                      query="?access_token=" + TOKEN)
        check(got == 401, "a token in the query string was taken (%s)" % got)

        got, room = call(emu, "POST", "/createRoom", {"preset": "trusted_private_chat",
                                                      "invite": ["@anna:localhost"]})
        rid = room["room_id"]
        got, a = call(emu, "PUT", "/rooms/%s/send/m.room.message/t1" % rid,
                      {"msgtype": "m.notice", "body": "hi"})
        got2, b = call(emu, "PUT", "/rooms/%s/send/m.room.message/t1" % rid,
                       {"msgtype": "m.notice", "body": "hi again"})
        check(got == got2 == 200 and a["event_id"] == b["event_id"], "txnId: %s %s" % (a, b))
        got, c = call(emu, "PUT", "/rooms/%s/send/m.room.message/t2" % rid, {"body": "x"})
        check(got == 400, "a message without msgtype: %s" % got)
        key = {"m.relates_to": {"rel_type": "m.annotation", "event_id": a["event_id"], "key": "x"}}
        check(call(emu, "PUT", "/rooms/%s/send/m.reaction/r1" % rid, key)[0] == 200, "reaction")
        got, e = call(emu, "PUT", "/rooms/%s/send/m.reaction/r2" % rid, key)
        check(got == 400 and e["errcode"] == "M_DUPLICATE_ANNOTATION", "duplicate: %s" % e)

        # A long poll is held until an event arrives.
        got, first = call(emu, "GET", "/sync", query="?timeout=0")
        since = first["next_batch"]
        result = {}

        def poll():
            t = time.monotonic()
            result["ans"] = call(emu, "GET", "/sync", query="?timeout=20000&since=" + since)
            result["took"] = time.monotonic() - t
        th = threading.Thread(target=poll)
        th.start()
        time.sleep(0.5)
        check(th.is_alive(), "the long poll returned at once")
        emu.control("say", {"user": "@anna:localhost", "room_id": rid, "body": "pain 2/10"})
        th.join(10)
        ans = result["ans"][1]
        evs = ans["rooms"]["join"][rid]["timeline"]["events"]
        check([x["content"]["body"] for x in evs] == ["pain 2/10"], "sync events %s" % evs)
        st = emu.state()
        check(any("trusted_private_chat" in x for x in st["errors"]) and
              any("wrong method" in x for x in st["errors"]) and
              any("query string" in x for x in st["errors"]), "errors %s" % st["errors"])
    finally:
        emu.stop()


if __name__ == "__main__":
    run_tests([test_strict_mode_and_semantics])
