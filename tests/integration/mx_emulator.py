#!/usr/bin/env python3
"""A loopback Matrix homeserver emulator for rehabd's tests (python3
stdlib only), following the Client-Server API v3 as the spec describes it
(spec.matrix.org, client-server-api).  It keeps one bot account and any
number of human users, all on server "localhost".

Run as a program it serves on 127.0.0.1, port 0, and writes the port to
--port-file:

    mx_emulator.py --port-file PATH --user @bot:localhost --password PW
                   [--token TOKEN] [--strict]

Client-Server API (under /_matrix/client/v3):
    GET  /login, POST /login (m.login.password, device_id reused)
    GET  /account/whoami
    POST /user/{userId}/filter, GET /user/{userId}/filter/{filterId}
    POST /createRoom (preset, is_direct, invite, initial_state recorded)
    POST /rooms/{roomId}/invite, /rooms/{roomId}/join, /join/{idOrAlias},
         /rooms/{roomId}/leave
    GET/PUT /user/{userId}/account_data/{type} (m.direct)
    PUT  /rooms/{roomId}/send/{eventType}/{txnId} (idempotent per device,
         endpoint and txnId: a retransmission answers the same event_id)
    GET  /sync (since, timeout = long poll in ms, filter id or inline,
         timeline limit with limited/prev_batch, invites with
         invite_state)
    GET  /rooms/{roomId}/messages (from, to, dir b|f, limit)
    GET  /rooms/{roomId}/joined_members

Strict mode (--strict) refuses what the spec does not allow and records
it in the ledger's "errors": a wrong method (405 M_UNRECOGNIZED), a
missing token (401 M_MISSING_TOKEN), an access_token in the query string
(no longer supported since v1.20), a body that is not a JSON object (400
M_NOT_JSON), an m.room.message without msgtype/body or with format but
no formatted_body, a reaction that is not an m.annotation of an event of
that room, createRoom with trusted_private_chat or m.room.encryption.

Control endpoints for the tests (JSON in and out, {"result": ...}):

    POST /control/say      {user, body, room_id?, reply_to?, fallback?,
                            msgtype?} -> {event_id}   (a user's message,
                            in their DM with the bot unless room_id)
    POST /control/react    {user, event_id, key, room_id?} -> {event_id}
    POST /control/invite   {user, members?, encrypted?, is_direct?}
                            -> {room_id}   (a user makes a room and
                            invites the bot; members are joined first)
    POST /control/encrypt  {room_id, user?}   (m.room.encryption state)
    POST /control/encrypted {user, room_id?}  (an m.room.encrypted event)
    POST /control/leave    {user, room_id?}
    POST /control/spam     {user, n, room_id?} (n messages at once, for
                            limited timelines)
    POST /control/autojoin {enabled}  (users join the bot's invites)
    POST /control/fault    {path, kind, count?, retry_after_ms?}
         path: a regex on the request path ("/sync", "/send/");
         kind: 429 | 429h (Retry-After header only) | 500 | reset |
               garbage | unknown_token | unknown_token_soft | forbidden |
               instant (a /sync that does not hold) |
               poison (a /sync answer that carries a runner's message gets
               invalid UTF-8 in its bodies; counted only on those)
    POST /control/kill_after_send {pid, count?, skip?}  SIGKILL pid after
         a send (the skip+1th from now) was stored and before its answer
         is written
    POST /control/kill_after_sync {pid, delay_ms?, count?}  SIGKILL pid
         delay_ms after writing a /sync answer that carries another
         user's event: the client has the batch but has not confirmed it
    POST /control/invalidate_tokens {}  every access token is logged out
    GET  /control/state    the ledger
"""

import argparse
import bisect
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SERVER = "localhost"
SYNC_MAX_WAIT = 35.0


class MxError(Exception):
    def __init__(self, status, errcode, error, **extra):
        Exception.__init__(self, error)
        self.status = status
        self.body = dict({"errcode": errcode, "error": error}, **extra)


class Homeserver:
    def __init__(self, bot, password, token, strict):
        self.cv = threading.Condition()
        self.bot = bot
        self.password = password
        self.strict = strict
        self.tokens = {}            # token -> {"user", "device"}
        if token:
            self.tokens[token] = {"user": bot, "device": "PRESET"}
        self.pos = 0                # stream position of the last event
        self.events = []            # (pos, room_id, event)
        self.event_pos = []         # the positions alone, for bisect
        self.rooms = {}             # room_id -> dict
        self.invites = []           # (pos, room_id, invitee, inviter)
        self.account_data = {}      # type -> content (the bot's)
        self.filters = {}           # id -> filter
        self.txns = {}              # (device, room, type, txn) -> event_id
        self.faults = []
        self.kill_after_send = None
        self.autojoin = True
        self.errors = []
        self.calls = {}
        self.logins = []
        self.n_room = 0
        self.n_event = 0
        self.n_token = 0
        self.sync_log = []          # (monotonic, since, returned events)
        self.deliveries = {}        # other users' event id -> times synced

    # ---- helpers ------------------------------------------------------
    def err(self, why):
        self.errors.append(why)

    def new_event(self, room_id, sender, etype, content, state_key=None,
                  txn=None):
        self.n_event += 1
        self.pos += 1
        ev = {"event_id": "$e%d_%d" % (self.n_event, int(time.time())),
              "type": etype, "sender": sender, "content": content,
              "origin_server_ts": int(time.time() * 1000), "unsigned": {}}
        if state_key is not None:
            ev["state_key"] = state_key
            self.rooms[room_id]["state"][(etype, state_key)] = ev
        if txn:
            ev["unsigned"]["transaction_id"] = txn
        self.rooms[room_id]["events"].append(ev)
        self.events.append((self.pos, room_id, ev))
        self.event_pos.append(self.pos)
        self.cv.notify_all()
        return ev

    def new_room(self, creator, preset="private_chat", is_direct=False):
        self.n_room += 1
        rid = "!r%d:%s" % (self.n_room, SERVER)
        self.rooms[rid] = {"creator": creator, "preset": preset,
                           "is_direct": is_direct, "members": {},
                           "state": {}, "events": [], "encrypted": False,
                           "invited": []}
        self.new_event(rid, creator, "m.room.create", {"creator": creator}, "")
        self.set_member(rid, creator, "join", creator)
        return rid

    def set_member(self, rid, user, membership, sender, is_direct=None):
        content = {"membership": membership}
        if is_direct is not None:
            content["is_direct"] = is_direct
        self.rooms[rid]["members"][user] = membership
        self.new_event(rid, sender, "m.room.member", content, user)
        if membership == "invite":
            self.invites.append((self.pos, rid, user, sender))
        if membership == "join" and user != self.bot:
            pass

    def joined(self, rid, user):
        return self.rooms.get(rid, {}).get("members", {}).get(user) == "join"

    def dm_of(self, user):
        """The room of the bot and user alone, newest first."""
        for rid in sorted(self.rooms, key=lambda r: -int(r[2:].split(":")[0])):
            m = self.rooms[rid]["members"]
            joined = {u for u, s in m.items() if s == "join"}
            if joined == {self.bot, user}:
                return rid
        raise MxError(404, "M_NOT_FOUND", "no DM of %s with the bot" % user)

    def event_by_id(self, rid, eid):
        for ev in self.rooms[rid]["events"]:
            if ev["event_id"] == eid:
                return ev
        return None

    def take_fault(self, path):
        for f in self.faults:
            if f["kind"] != "poison" and re.search(f["path"], path) and f["count"] > 0:
                f["count"] -= 1
                return f
        return None

    def take_poison(self, res):
        """A poison fault is spent only on a /sync answer that carries a
        runner's message (an empty long poll stays clean)."""
        if not any(e["sender"] != self.bot and "body" in e.get("content", {})
                   for room in res["rooms"]["join"].values()
                   for e in room["timeline"]["events"]):
            return False
        for f in self.faults:
            if f["kind"] == "poison" and f["count"] > 0:
                f["count"] -= 1
                return True
        return False

    # ---- API ----------------------------------------------------------
    def login_get(self, who, body, q):
        return {"flows": [{"type": "m.login.password"}]}

    def login(self, who, body, q):
        if body.get("type") != "m.login.password":
            raise MxError(400, "M_UNKNOWN", "Bad login type.")
        ident = body.get("identifier") or {}
        user = ident.get("user") or body.get("user")
        if ident.get("type", "m.id.user") != "m.id.user" or not isinstance(user, str):
            raise MxError(400, "M_INVALID_PARAM", "bad identifier")
        if not user.startswith("@"):
            user = "@%s:%s" % (user, SERVER)
        if user != self.bot or body.get("password") != self.password:
            raise MxError(403, "M_FORBIDDEN", "Invalid username or password")
        device = body.get("device_id") or "DEV%d" % (len(self.logins) + 1)
        # A known device_id invalidates its earlier tokens.
        for t in [t for t, v in self.tokens.items() if v["device"] == device]:
            del self.tokens[t]
        self.n_token += 1
        token = "syt_emu_%d_secret" % self.n_token
        self.tokens[token] = {"user": user, "device": device}
        self.logins.append({"device_id": device, "given": "device_id" in body})
        return {"user_id": user, "access_token": token, "device_id": device}

    def whoami(self, who, body, q):
        return {"user_id": who["user"], "device_id": who["device"]}

    def filter_post(self, who, body, q, user):
        if user != who["user"]:
            raise MxError(403, "M_FORBIDDEN", "not your filter")
        fid = str(len(self.filters) + 1)
        self.filters[fid] = body
        return {"filter_id": fid}

    def filter_get(self, who, body, q, user, fid):
        if fid not in self.filters:
            raise MxError(404, "M_NOT_FOUND", "no such filter")
        return self.filters[fid]

    def create_room(self, who, body, q):
        preset = body.get("preset", "private_chat")
        if self.strict and preset == "trusted_private_chat":
            self.err("createRoom with trusted_private_chat")
        for st in body.get("initial_state") or []:
            if st.get("type") == "m.room.encryption":
                self.err("createRoom with m.room.encryption")
        rid = self.new_room(who["user"], preset, bool(body.get("is_direct")))
        self.rooms[rid]["invited"] = list(body.get("invite") or [])
        for u in body.get("invite") or []:
            self.set_member(rid, u, "invite", who["user"],
                            True if body.get("is_direct") else None)
            if self.autojoin:
                self.set_member(rid, u, "join", u)
        return {"room_id": rid}

    def invite(self, who, body, q, rid):
        self.need_room(rid, who)
        u = body.get("user_id")
        if not isinstance(u, str):
            raise MxError(400, "M_BAD_JSON", "user_id required")
        self.set_member(rid, u, "invite", who["user"])
        if self.autojoin:
            self.set_member(rid, u, "join", u)
        return {}

    def join(self, who, body, q, rid):
        if rid not in self.rooms:
            raise MxError(404, "M_NOT_FOUND", "no such room")
        m = self.rooms[rid]["members"].get(who["user"])
        if m not in ("invite", "join"):
            raise MxError(403, "M_FORBIDDEN", "not invited")
        if m != "join":
            self.set_member(rid, who["user"], "join", who["user"])
        return {"room_id": rid}

    def leave(self, who, body, q, rid):
        if rid not in self.rooms:
            raise MxError(404, "M_NOT_FOUND", "no such room")
        self.set_member(rid, who["user"], "leave", who["user"])
        return {}

    def account_data_get(self, who, body, q, user, atype):
        if atype not in self.account_data:
            raise MxError(404, "M_NOT_FOUND", "Account data not found")
        return self.account_data[atype]

    def account_data_put(self, who, body, q, user, atype):
        if user != who["user"]:
            raise MxError(403, "M_FORBIDDEN", "not yours")
        self.account_data[atype] = body
        return {}

    def need_room(self, rid, who):
        if rid not in self.rooms:
            raise MxError(404, "M_NOT_FOUND", "no such room")
        if not self.joined(rid, who["user"]):
            raise MxError(403, "M_FORBIDDEN", "not in the room")

    def send(self, who, body, q, rid, etype, txn):
        key = (who["device"], rid, etype, txn)
        if key in self.txns:
            return {"event_id": self.txns[key]}
        self.need_room(rid, who)
        joined = [u for u, s in self.rooms[rid]["members"].items() if s == "join"]
        if len(joined) < 2:
            raise MxError(403, "M_FORBIDDEN", "nobody else is in the room")
        if etype == "m.room.message":
            if not isinstance(body.get("msgtype"), str) or not isinstance(body.get("body"), str):
                self.err("m.room.message without msgtype or body")
                raise MxError(400, "M_BAD_JSON", "msgtype and body are required")
            if ("format" in body) != ("formatted_body" in body):
                self.err("format and formatted_body must come together")
            if "format" in body and body["format"] != "org.matrix.custom.html":
                self.err("unknown format %r" % body["format"])
        elif etype == "m.reaction":
            rel = body.get("m.relates_to") or {}
            if rel.get("rel_type") != "m.annotation" or not isinstance(rel.get("key"), str) \
                    or not self.event_by_id(rid, rel.get("event_id", "")):
                self.err("bad reaction %r" % body)
                raise MxError(400, "M_BAD_JSON", "bad annotation")
            for ev in self.rooms[rid]["events"]:
                r2 = ev["content"].get("m.relates_to") or {}
                if ev["type"] == "m.reaction" and ev["sender"] == who["user"] \
                        and r2.get("event_id") == rel["event_id"] and r2.get("key") == rel["key"]:
                    raise MxError(400, "M_DUPLICATE_ANNOTATION", "duplicate annotation")
        ev = self.new_event(rid, who["user"], etype, body, txn=txn)
        ev["_device"] = who["device"]
        self.txns[key] = ev["event_id"]
        return {"event_id": ev["event_id"]}

    def joined_members(self, who, body, q, rid):
        self.need_room(rid, who)
        return {"joined": {u: {} for u, s in self.rooms[rid]["members"].items() if s == "join"}}

    def client_event(self, ev, who):
        out = {k: v for k, v in ev.items() if not k.startswith("_")}
        out["unsigned"] = dict(ev["unsigned"])
        if ev.get("_device") != who["device"]:
            out["unsigned"].pop("transaction_id", None)
        return out

    def timeline_limit(self, q):
        f = q.get("filter")
        if not f:
            return 10
        if f.startswith("{"):
            f = json.loads(f)
        else:
            if f not in self.filters:
                raise MxError(400, "M_INVALID_PARAM", "unknown filter")
            f = self.filters[f]
        lim = ((f.get("room") or {}).get("timeline") or {}).get("limit", 10)
        return max(0, min(int(lim), 100))

    def sync_answer(self, who, since, limit):
        me = who["user"]
        rooms = {"join": {}, "invite": {}, "leave": {}}
        # Only the rooms with news (all of them for an initial sync):
        # events are in stream order, so the new ones are a tail.
        first = bisect.bisect_right(self.event_pos, since)
        news = {}
        for (p, rr, e) in self.events[first:]:
            news.setdefault(rr, []).append((p, e))
        todo = self.rooms if since == 0 else {rid: self.rooms[rid] for rid in news}
        for rid, r in todo.items():
            evs = news.get(rid, [])
            if r["members"].get(me) == "join":
                if since == 0:
                    # An initial sync: the room's state and its latest
                    # events.
                    pass
                if not evs and since:
                    continue
                shown = evs[-limit:] if limit else []
                lim = len(evs) > len(shown)
                prev = shown[0][0] - 1 if shown else self.pos
                rooms["join"][rid] = {
                    "timeline": {"events": [self.client_event(e, who) for _, e in shown],
                                 "limited": lim, "prev_batch": "s%d" % prev},
                    "state": {"events": []},
                }
            elif r["members"].get(me) == "leave" and evs:
                rooms["leave"][rid] = {"timeline": {"events": [
                    self.client_event(e, who) for _, e in evs[-limit:]]}}
        for (p, rid, invitee, inviter) in self.invites[bisect.bisect_right(
                [x[0] for x in self.invites], since):]:
            if p > since and invitee == me and self.rooms[rid]["members"].get(me) == "invite":
                r = self.rooms[rid]
                strip = [{"type": e["type"], "state_key": e["state_key"],
                          "sender": e["sender"], "content": e["content"]}
                         for (t, k), e in r["state"].items()
                         if t in ("m.room.create", "m.room.encryption", "m.room.name",
                                  "m.room.join_rules") or (t == "m.room.member")]
                rooms["invite"][rid] = {"invite_state": {"events": strip}}
        return {"next_batch": "s%d" % self.pos, "rooms": rooms,
                "account_data": {"events": []}}

    def sync(self, who, body, q):
        since = q.get("since")
        n = 0
        if since:
            m = re.fullmatch(r"s(\d+)", since)
            if not m:
                raise MxError(400, "M_INVALID_PARAM", "bad since token")
            n = int(m.group(1))
        limit = self.timeline_limit(q)
        try:
            timeout = int(q.get("timeout", "0")) / 1000.0
        except ValueError:
            raise MxError(400, "M_INVALID_PARAM", "bad timeout")
        if q.get("_instant"):
            timeout = 0
        end = time.monotonic() + min(timeout, SYNC_MAX_WAIT)
        while True:
            ans = self.sync_answer(who, n, limit)
            r = ans["rooms"]
            if r["join"] or r["invite"] or r["leave"] or not since:
                break
            left = end - time.monotonic()
            if left <= 0:
                break
            self.cv.wait(left)
        self.sync_log.append((time.monotonic(), since, sum(
            len(x["timeline"]["events"]) for x in ans["rooms"]["join"].values())))
        for x in ans["rooms"]["join"].values():
            for e in x["timeline"]["events"]:
                if e["sender"] != self.bot:
                    self.deliveries[e["event_id"]] = self.deliveries.get(e["event_id"], 0) + 1
        return ans

    def messages(self, who, body, q, rid):
        self.need_room(rid, who)
        d = q.get("dir")
        if d not in ("b", "f"):
            raise MxError(400, "M_INVALID_PARAM", "dir must be b or f")

        def tok(name, default):
            v = q.get(name)
            if v is None:
                return default
            m = re.fullmatch(r"s(\d+)", v)
            if not m:
                raise MxError(400, "M_INVALID_PARAM", "bad %s token" % name)
            return int(m.group(1))
        limit = max(1, min(int(q.get("limit", "10")), 1000))
        evs = [(p, e) for (p, rr, e) in self.events if rr == rid]
        if d == "b":
            frm = tok("from", self.pos)
            to = tok("to", 0)
            sel = [(p, e) for p, e in reversed(evs) if to < p <= frm][:limit]
            end = sel[-1][0] - 1 if sel else None
            more = sel and any(to < p <= end for p, _ in evs)
        else:
            frm = tok("from", 0)
            to = tok("to", self.pos)
            sel = [(p, e) for p, e in evs if frm < p <= to][:limit]
            end = sel[-1][0] if sel else None
            more = sel and any(end < p <= to for p, _ in evs)
        out = {"start": "s%d" % frm, "chunk": [self.client_event(e, who) for _, e in sel]}
        if more:
            out["end"] = "s%d" % end
        return out

    # ---- control ------------------------------------------------------
    def user_room(self, p):
        return p.get("room_id") or self.dm_of(p["user"])

    def ctl_say(self, p):
        rid = self.user_room(p)
        content = {"msgtype": p.get("msgtype", "m.text"), "body": p["body"]}
        if p.get("reply_to"):
            content["m.relates_to"] = {"m.in_reply_to": {"event_id": p["reply_to"]}}
            if p.get("fallback"):
                orig = self.event_by_id(rid, p["reply_to"])
                quoted = "\n".join("> " + ("<%s> " % orig["sender"] if i == 0 else "") + line
                                   for i, line in enumerate(orig["content"].get("body", "").split("\n")))
                content["body"] = quoted + "\n\n" + p["body"]
                content["format"] = "org.matrix.custom.html"
                content["formatted_body"] = ("<mx-reply><blockquote>...</blockquote></mx-reply>"
                                             + p["body"])
        ev = self.new_event(rid, p["user"], "m.room.message", content)
        return {"event_id": ev["event_id"], "room_id": rid}

    def ctl_react(self, p):
        rid = self.user_room(p)
        ev = self.new_event(rid, p["user"], "m.reaction", {"m.relates_to": {
            "rel_type": "m.annotation", "event_id": p["event_id"], "key": p["key"]}})
        return {"event_id": ev["event_id"]}

    def ctl_invite(self, p):
        rid = self.new_room(p["user"], "private_chat", p.get("is_direct", True))
        if p.get("encrypted"):
            self.rooms[rid]["encrypted"] = True
            self.new_event(rid, p["user"], "m.room.encryption",
                           {"algorithm": "m.megolm.v1.aes-sha2"}, "")
        for u in p.get("members") or []:
            self.set_member(rid, u, "join", u)
        self.set_member(rid, self.bot, "invite", p["user"], p.get("is_direct", True))
        return {"room_id": rid}

    def ctl_encrypt(self, p):
        rid = p["room_id"]
        self.rooms[rid]["encrypted"] = True
        self.new_event(rid, p.get("user") or self.rooms[rid]["creator"], "m.room.encryption",
                       {"algorithm": "m.megolm.v1.aes-sha2"}, "")
        return {}

    def ctl_encrypted(self, p):
        rid = self.user_room(p)
        ev = self.new_event(rid, p["user"], "m.room.encrypted", {
            "algorithm": "m.megolm.v1.aes-sha2", "ciphertext": "AwgAEnAC",
            "sender_key": "x", "device_id": "PHONE", "session_id": "y"})
        return {"event_id": ev["event_id"]}

    def ctl_leave(self, p):
        rid = self.user_room(p)
        self.set_member(rid, p["user"], "leave", p["user"])
        return {"room_id": rid}

    def ctl_spam(self, p):
        rid = self.user_room(p)
        ids = [self.new_event(rid, p["user"], "m.room.message",
                              {"msgtype": "m.text", "body": p.get("body", "hello %d") % i
                               if "%d" in p.get("body", "hello %d") else p["body"]})["event_id"]
               for i in range(int(p["n"]))]
        return {"event_ids": ids}

    def ctl_autojoin(self, p):
        self.autojoin = bool(p.get("enabled", True))
        return {}

    def ctl_fault(self, p):
        self.faults.append({"path": p["path"], "kind": p["kind"],
                            "count": int(p.get("count", 1)),
                            "retry_after_ms": int(p.get("retry_after_ms", 1000))})
        return {}

    def ctl_kill_after_send(self, p):
        self.kill_after_send = {"pid": int(p["pid"]), "count": int(p.get("count", 1)),
                                "skip": int(p.get("skip", 0))}
        return {}

    def ctl_kill_after_sync(self, p):
        self.kill_after_sync = {"pid": int(p["pid"]), "count": int(p.get("count", 1)),
                                "delay_ms": int(p.get("delay_ms", 0))}
        return {}

    def ctl_invalidate_tokens(self, p):
        self.tokens.clear()
        return {}

    def ctl_summary(self, p):
        n, first, last = 0, None, None
        for (pos, rid, ev) in self.events:
            if ev["sender"] == self.bot and ev["type"] == "m.room.message":
                n += 1
                t = ev["origin_server_ts"] / 1000.0
                first = t if first is None else first
                last = t
        return {"notices": n, "first": first, "last": last, "errors": len(self.errors),
                "requests": sum(self.calls.values())}

    def ctl_state(self, p):
        sent = []
        for (pos, rid, ev) in self.events:
            if ev["sender"] == self.bot and ev["type"] in ("m.room.message", "m.reaction"):
                sent.append(dict(self.client_event(ev, {"device": ev.get("_device")}),
                                 room_id=rid))
        rooms = {rid: {"creator": r["creator"], "preset": r["preset"],
                       "is_direct": r["is_direct"], "members": r["members"],
                       "encrypted": r["encrypted"], "invited": r["invited"]}
                 for rid, r in self.rooms.items()}
        return {"sent": sent, "rooms": rooms, "account_data": self.account_data,
                "errors": self.errors, "calls": self.calls, "logins": self.logins,
                "filters": self.filters, "syncs": len(self.sync_log),
                "kills": getattr(self, "kills", 0), "deliveries": self.deliveries,
                "sync_log": self.sync_log[-50:]}


# ---- routing ----------------------------------------------------------------

P = r"([^/]+)"
ROUTES = [
    ("GET", "/login", "login_get", False),
    ("POST", "/login", "login", False),
    ("GET", "/account/whoami", "whoami", True),
    ("POST", "/user/%s/filter" % P, "filter_post", True),
    ("GET", "/user/%s/filter/%s" % (P, P), "filter_get", True),
    ("POST", "/createRoom", "create_room", True),
    ("POST", "/rooms/%s/invite" % P, "invite", True),
    ("POST", "/rooms/%s/join" % P, "join", True),
    ("POST", "/join/%s" % P, "join", True),
    ("POST", "/rooms/%s/leave" % P, "leave", True),
    ("GET", "/user/%s/account_data/%s" % (P, P), "account_data_get", True),
    ("PUT", "/user/%s/account_data/%s" % (P, P), "account_data_put", True),
    ("PUT", "/rooms/%s/send/%s/%s" % (P, P, P), "send", True),
    ("GET", "/sync", "sync", True),
    ("GET", "/rooms/%s/messages" % P, "messages", True),
    ("GET", "/rooms/%s/joined_members" % P, "joined_members", True),
]
PREFIX = "/_matrix/client/v3"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hs = None
    # One write per answer: headers and body in separate segments would
    # meet Nagle and delayed ACKs (40 ms a request on loopback).
    wbufsize = 1 << 16

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, obj=None, raw=None, headers=()):
        body = raw if raw is not None else json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PUT(self):
        self.handle_any("PUT")

    def do_DELETE(self):
        self.handle_any("DELETE")

    def handle_any(self, method):
        hs = self.hs
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        url = urllib.parse.urlsplit(self.path)
        q = {k: v[-1] for k, v in urllib.parse.parse_qs(url.query).items()}
        path = url.path
        if path.startswith("/control/"):
            with hs.cv:
                fn = getattr(hs, "ctl_" + path[len("/control/"):], None)
                try:
                    p = json.loads(raw or b"{}")
                    if not fn:
                        raise MxError(404, "M_NOT_FOUND", "no such control")
                    self.reply(200, {"result": fn(p)})
                except MxError as e:
                    self.reply(e.status, e.body)
                except (KeyError, ValueError, TypeError) as e:
                    self.reply(400, {"errcode": "M_BAD_JSON", "error": "control: %r" % e})
            return
        with hs.cv:
            hs.calls[path.split("/")[-1] if "/send/" not in path else "send"] = \
                hs.calls.get(path.split("/")[-1] if "/send/" not in path else "send", 0) + 1
            try:
                out = self.route(hs, method, path, q, raw)
            except MxError as e:
                self.reply(e.status, e.body)
                return
            if out is None:
                return
            status, obj, kill = out
        if isinstance(obj, bytes):
            self.reply(status, raw=obj)
        else:
            self.reply(status, obj)
        if kill:
            time.sleep(kill["delay_ms"] / 1000.0)
            try:
                os.kill(kill["pid"], signal.SIGKILL)
            except OSError:
                pass

    def route(self, hs, method, path, q, raw):
        if not path.startswith(PREFIX):
            raise MxError(404, "M_UNRECOGNIZED", "Unrecognized request")
        sub = path[len(PREFIX):]
        found = None
        wrong_method = False
        for m, pat, name, auth in ROUTES:
            g = re.fullmatch(pat, sub)
            if g:
                if m == method:
                    found = (name, auth, [urllib.parse.unquote(x) for x in g.groups()])
                    break
                wrong_method = True
        if not found:
            if wrong_method:
                hs.err("wrong method %s %s" % (method, sub))
                raise MxError(405, "M_UNRECOGNIZED", "Unrecognized request")
            raise MxError(404, "M_UNRECOGNIZED", "Unrecognized request")
        name, auth, args = found
        if "access_token" in q:
            hs.err("access_token in the query string")
            if hs.strict:
                raise MxError(401, "M_MISSING_TOKEN", "Missing access token")
        fault = hs.take_fault(sub)
        if fault:
            k = fault["kind"]
            if k == "reset":
                self.close_connection = True
                try:
                    self.connection.shutdown(2)
                except OSError:
                    pass
                return None
            if k == "garbage":
                hs.cv.release()
                try:
                    self.reply(200, raw=b'{"next_batch": [[[\x00 <html>')
                finally:
                    hs.cv.acquire()
                return None
            if k == "429":
                raise MxError(429, "M_LIMIT_EXCEEDED", "Too many requests",
                              retry_after_ms=fault["retry_after_ms"])
            if k == "429h":
                self.send_response(429)
                body = json.dumps({"errcode": "M_LIMIT_EXCEEDED", "error": "Too many requests"}).encode()
                self.send_header("Retry-After", str(max(1, fault["retry_after_ms"] // 1000)))
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()
                return None
            if k == "500":
                raise MxError(500, "M_UNKNOWN", "Internal server error")
            if k == "unknown_token":
                raise MxError(401, "M_UNKNOWN_TOKEN", "Invalid access token", soft_logout=False)
            if k == "unknown_token_soft":
                # The server logged the device out softly: its token goes.
                tok = self.token()
                hs.tokens.pop(tok, None)
                raise MxError(401, "M_UNKNOWN_TOKEN", "Token expired", soft_logout=True)
            if k == "forbidden":
                raise MxError(403, "M_FORBIDDEN", "You are not allowed")
            if k == "instant":
                q = dict(q, _instant="1")

        who = None
        if auth:
            tok = self.token()
            if tok is None:
                if q.get("access_token") and not hs.strict:
                    tok = q["access_token"]
                else:
                    hs.err("no access token on %s %s" % (method, sub))
                    raise MxError(401, "M_MISSING_TOKEN", "Missing access token")
            who = hs.tokens.get(tok)
            if not who:
                raise MxError(401, "M_UNKNOWN_TOKEN", "Invalid access token", soft_logout=False)
        body = {}
        if method in ("POST", "PUT"):
            try:
                body = json.loads(raw.decode("utf-8")) if raw else None
            except (ValueError, UnicodeDecodeError):
                body = None
            if not isinstance(body, dict):
                hs.err("body is not a JSON object on %s %s" % (method, sub))
                raise MxError(400, "M_NOT_JSON", "Content not JSON.")
        elif raw:
            hs.err("a body on %s %s" % (method, sub))
        try:
            res = getattr(hs, name)(who, body, q, *args)
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            hs.err("bad request %s %s: %r" % (method, sub, e))
            raise MxError(400, "M_BAD_JSON", "bad request")
        k = hs.kill_after_send
        if name == "send" and k and k["count"] > 0 and k["skip"] > 0:
            k["skip"] -= 1
        elif name == "send" and k and k["count"] > 0:
            hs.kill_after_send["count"] -= 1
            hs.kills = getattr(hs, "kills", 0) + 1
            try:
                os.kill(hs.kill_after_send["pid"], signal.SIGKILL)
            except OSError:
                pass
            self.close_connection = True
            return None
        kill = None
        ks = getattr(hs, "kill_after_sync", None)
        if name == "sync" and ks and ks["count"] > 0 and any(
                e["sender"] != hs.bot for room in res["rooms"]["join"].values()
                for e in room["timeline"]["events"]):
            ks["count"] -= 1
            hs.kills = getattr(hs, "kills", 0) + 1
            kill = ks
        if name == "sync" and hs.take_poison(res):
            # The answer as it is, but a byte jansson refuses (invalid
            # UTF-8) in each message body.
            return 200, json.dumps(res).encode().replace(b'"body": "', b'"body": "\xff'), kill
        return 200, res, kill

    def token(self):
        h = self.headers.get("Authorization") or ""
        if h.startswith("Bearer "):
            return h[len("Bearer "):].strip()
        return None


def serve(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--password", default="")
    ap.add_argument("--token", default="")
    ap.add_argument("--strict", action="store_true")
    args = ap.parse_args(argv)

    class H(Handler):
        hs = Homeserver(args.user, args.password, args.token, args.strict)

    class Server(ThreadingHTTPServer):
        # The backlog must be set before listen(), that is at
        # construction: the default 5 refuses a burst of connections.
        request_queue_size = 128
        daemon_threads = True

    srv = Server(("127.0.0.1", 0), H)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, args.port_file)
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass


class EmulatorError(Exception):
    pass


class Emulator:
    """Client side: starts the emulator and drives its control
    endpoints.  Every wait has a deadline."""

    def __init__(self, workdir, user, password="", token="", strict=True):
        self.port_file = os.path.join(workdir, "mx-port")
        if os.path.exists(self.port_file):
            os.unlink(self.port_file)
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        args = [sys.executable, os.path.abspath(__file__), "--port-file", self.port_file,
                "--user", user, "--password", password, "--token", token]
        if strict:
            args.append("--strict")
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(workdir, "mx-emulator.log"), "w"))
        end = time.monotonic() + 20
        while not os.path.exists(self.port_file):
            if self.proc.poll() is not None or time.monotonic() > end:
                raise EmulatorError("the Matrix emulator did not start")
            time.sleep(0.02)
        with open(self.port_file) as f:
            self.port = int(f.read())
        self.base = "http://127.0.0.1:%d" % self.port

    def control(self, name, payload=None):
        data = json.dumps(payload or {}).encode()
        req = urllib.request.Request(self.base + "/control/" + name, data=data,
                                     headers={"Content-Type": "application/json"})
        try:
            with self.opener.open(req, timeout=10) as r:
                return json.loads(r.read())["result"]
        except urllib.error.HTTPError as e:
            raise EmulatorError("control %s: %s" % (name, e.read().decode()))

    def state(self):
        return self.control("state")

    def wait(self, pred, deadline, what, interval=0.05):
        end = time.monotonic() + deadline
        while True:
            st = self.state()
            v = pred(st)
            if v:
                return v
            if time.monotonic() > end:
                raise EmulatorError("timed out after %ss waiting for %s; sent %d, calls %s, "
                                    "errors %s" % (deadline, what, len(st["sent"]),
                                                   st["calls"], st["errors"][-3:]))
            time.sleep(interval)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


if __name__ == "__main__":
    serve(sys.argv[1:])
