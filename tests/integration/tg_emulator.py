#!/usr/bin/env python3
"""A loopback Telegram Bot API emulator for rehabd's tests (python3
stdlib only), following the public Bot API documentation.

Run as a program it serves on 127.0.0.1, port 0, and writes the port to
--port-file:

    tg_emulator.py --port-file PATH --token TOKEN

Bot API: /bot<TOKEN>/<method> for getMe, getUpdates (offset confirmation:
updates below the offset are forgotten; the long-poll timeout is
honoured; a newer getUpdates ends an older one with 409), sendMessage
(chat_id, text 1-4096 UTF-16 units after entity parsing, parse_mode HTML
checked like Telegram's parser, inline keyboards with callback_data of
1-64 bytes), answerCallbackQuery, editMessageReplyMarkup, editMessageText
and setMyCommands.  A wrong token gets 401.  Requests may be JSON, form
or query parameters.

Control endpoints for the tests (JSON in and out):

    POST /control/message {chat_id, text, type?, from_id?, reply_to?}
    POST /control/tap     {chat_id, message_id, data}
    POST /control/fault   {method, kind, count?, retry_after?}
         kind: 429 | 500 | 502 | garbage | close | empty | 400 | 401 | 403
               | slow (served and recorded, the answer held retry_after s:
                 a send the server took that is still in flight)
    POST /control/block   {chat_id, blocked?}   (403 "bot was blocked")
    POST /control/raw_bytes {b64, update_id?, pad?}
         queues an update as bytes, sent exactly as given inside the
         getUpdates answer (never re-serialised, so it may hold invalid
         UTF-8, lone surrogate escapes, numbers beyond 64 bits, any
         nesting).  "@ID@" in the bytes becomes the update's id (the
         next one, or update_id: the server's own id, which it confirms
         by, whatever the bytes say) and "@PAD@" becomes pad bytes "x"
    POST /control/redeliver {update_id, times?}
         a server that forgets it was confirmed: the update (sent
         before) comes again at the head of the next `times` answers,
         whatever the offset
    POST /control/kill_on_delivery {pid, delay_ms?, count?}
         sends SIGKILL to pid right after a getUpdates answer that carries
         updates has been written: the client received them but has not
         confirmed them yet
    GET  /control/state   the ledger: sent, confirmed, pending, deliveries,
                          answers, edits, commands, calls, errors
    GET  /control/summary counts and first/last send times only (cheap)

Imported as a module it offers Emulator, a client that starts the program,
drives the control endpoints and waits for conditions with deadlines.
"""

import argparse
import base64
import html.parser
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

LONG_POLL_MAX = 50
QUERY_MAX_AGE = 60.0  # seconds an answerCallbackQuery is accepted
BOT_ID = 7000000002

TAGS = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic",
    "u": "underline", "ins": "underline", "s": "strikethrough",
    "strike": "strikethrough", "del": "strikethrough", "code": "code",
    "pre": "pre", "tg-spoiler": "spoiler", "blockquote": "blockquote",
}


class ApiError(Exception):
    def __init__(self, code, description, retry_after=None):
        Exception.__init__(self, description)
        self.code = code
        self.description = description
        self.retry_after = retry_after


def utf16_len(s):
    return len(s.encode("utf-16-le")) // 2


class HtmlEntities(html.parser.HTMLParser):
    """Telegram's HTML: the listed tags, balanced; only &lt; &gt; &amp;
    &quot; and numeric entities; no bare < > &.  Produces the visible
    text and its entities with UTF-16 offsets."""

    def __init__(self):
        html.parser.HTMLParser.__init__(self, convert_charrefs=False)
        self.text = ""
        self.stack = []
        self.entities = []
        self.error = None

    def fail(self, why):
        if not self.error:
            self.error = why

    def handle_starttag(self, tag, attrs):
        if tag not in TAGS and tag != "a":
            self.fail("unsupported start tag \"%s\"" % tag)
            return
        if attrs and tag != "a":
            self.fail("unexpected attributes in \"%s\"" % tag)
        self.stack.append((tag, utf16_len(self.text)))

    def handle_startendtag(self, tag, attrs):
        self.fail("unsupported self-closing tag \"%s\"" % tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1][0] != tag:
            self.fail("can't find end tag corresponding to start tag \"%s\"" % tag)
            return
        _, start = self.stack.pop()
        length = utf16_len(self.text) - start
        if length and tag in TAGS:
            self.entities.append({"offset": start, "length": length,
                                  "type": TAGS[tag]})

    def handle_data(self, data):
        if "<" in data or ">" in data:
            self.fail("unescaped < or >")
        self.text += data

    def handle_entityref(self, name):
        table = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
        if name not in table:
            self.fail("unsupported entity &%s;" % name)
            return
        self.text += table[name]

    def handle_charref(self, name):
        try:
            v = int(name[1:], 16) if name[:1] in "xX" else int(name)
            if v <= 0 or v > 0x10FFFF or 0xD800 <= v <= 0xDFFF:
                raise ValueError
            self.text += chr(v)
        except ValueError:
            self.fail("bad character reference")

    def unknown_decl(self, data):
        self.fail("unexpected declaration")

    def handle_comment(self, data):
        self.fail("unexpected comment")


def parse_html(text):
    """Returns (visible text, entities) or raises ApiError 400."""
    if re.search(r"&(?!(lt|gt|amp|quot|#[0-9]+|#[xX][0-9a-fA-F]+);)", text):
        raise ApiError(400, "Bad Request: can't parse entities: unsupported or unescaped &")
    p = HtmlEntities()
    p.feed(text)
    p.close()
    if p.stack and not p.error:
        p.fail("can't find end of the entity starting at byte offset %d" % p.stack[-1][1])
    if p.error:
        raise ApiError(400, "Bad Request: can't parse entities: " + p.error)
    return p.text, sorted(p.entities, key=lambda e: e["offset"])


def check_text(text, parse_mode, entities=None):
    if not isinstance(text, str):
        raise ApiError(400, "Bad Request: message text is empty")
    ents = []
    if parse_mode is not None:
        if str(parse_mode).upper() != "HTML":
            raise ApiError(400, "Bad Request: unsupported parse_mode in this emulator")
        text, ents = parse_html(text)
    elif entities is not None:
        if isinstance(entities, str):
            entities = json.loads(entities)
        if not isinstance(entities, list):
            raise ApiError(400, "Bad Request: can't parse entities JSON object")
        n = utf16_len(text)
        for e in entities:
            if (not isinstance(e, dict) or not isinstance(e.get("offset"), int)
                    or not isinstance(e.get("length"), int)
                    or e["offset"] < 0 or e["length"] <= 0
                    or e["offset"] + e["length"] > n):
                raise ApiError(400, "Bad Request: can't parse entities: entity out of range")
        ents = entities
    if not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if utf16_len(text) > 4096:
        raise ApiError(400, "Bad Request: message is too long")
    return text, ents


def check_markup(markup):
    """Validates an InlineKeyboardMarkup; returns it as a dict or None."""
    if markup is None:
        return None
    if isinstance(markup, str):
        try:
            markup = json.loads(markup)
        except ValueError:
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    if not isinstance(markup, dict) or not isinstance(markup.get("inline_keyboard"), list):
        raise ApiError(400, "Bad Request: field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array")
    for row in markup["inline_keyboard"]:
        if not isinstance(row, list):
            raise ApiError(400, "Bad Request: field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array of Arrays")
        for b in row:
            if not isinstance(b, dict) or not isinstance(b.get("text"), str) or not b["text"]:
                raise ApiError(400, "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
            actions = [k for k in ("callback_data", "url") if k in b]
            if len(actions) != 1:
                raise ApiError(400, "Bad Request: can't parse inline keyboard button: exactly one of the optional fields must be used")
            if "callback_data" in b:
                cd = b["callback_data"]
                if not isinstance(cd, str) or not 1 <= len(cd.encode()) <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return markup


def as_chat_id(v):
    if isinstance(v, bool):
        raise ApiError(400, "Bad Request: chat not found")
    if isinstance(v, int):
        return v
    if isinstance(v, str) and re.fullmatch(r"-?[0-9]{1,19}", v):
        return int(v)
    raise ApiError(400, "Bad Request: chat not found")


class Bot:
    """The emulated server's state, shared by the handler threads."""

    def __init__(self, token):
        self.token = token
        self.cv = threading.Condition()
        self.next_update = 100000
        self.next_message = 1
        self.pending = []        # updates not yet confirmed; a raw one is
                                 # {"update_id": id, "_raw": bytes}
        self.history = {}        # update id -> every update queued
        self.redeliver = {}      # update id -> answers still to carry it
        self.confirmed = []      # update ids confirmed by an offset
        self.deliveries = {}     # update id -> times returned
        self.sent = []           # sendMessage records
        self.refused = []        # sendMessage to a chat that blocked the bot
        self.messages = {}       # (chat, message_id) -> message dict
        self.answers = []
        self.edits = []
        self.commands = []
        self.calls = {}          # method -> count (faults included)
        self.call_log = []       # (t, method, http status)
        self.errors = []         # validation errors answered with 400
        self.faults = []         # [method, kind, count, retry_after]
        self.blocked = set()
        self.queries = {}        # callback id -> (t, answered)
        self.poll_gen = 0
        self.allowed = None
        self.kill_plan = None     # [pid, delay_ms, count]
        self.kills = 0

    # -- helpers ----------------------------------------------------
    def take_fault(self, method):
        with self.cv:
            for f in self.faults:
                if f[0] in (method, "*") and f[2] > 0:
                    f[2] -= 1
                    return f[1], f[3]
        return None, None

    def add_update(self, kind, payload):
        with self.cv:
            uid = self.next_update
            self.next_update += 1
            self.queue_update({"update_id": uid, kind: payload})
            return uid

    def queue_update(self, upd):
        """Queues upd (lock held)."""
        self.pending.append(upd)
        self.history[upd["update_id"]] = upd
        self.cv.notify_all()

    def user(self, uid):
        return {"id": uid, "is_bot": False, "first_name": "Runner%d" % (abs(uid) % 1000)}

    def chat(self, cid, ctype):
        c = {"id": cid, "type": ctype}
        if ctype == "private":
            c["first_name"] = "Runner%d" % (abs(cid) % 1000)
        else:
            c["title"] = "Some group"
        return c

    # -- Bot API methods -------------------------------------------------
    def getMe(self, p):
        return {"id": BOT_ID, "is_bot": True, "first_name": "Rehab",
                "username": "rehab_test_bot"}

    def getUpdates(self, p):
        offset = p.get("offset")
        limit = int(p.get("limit", 100) or 100)
        timeout = int(p.get("timeout", 0) or 0)
        timeout = max(0, min(timeout, LONG_POLL_MAX))
        allowed = p.get("allowed_updates")
        if isinstance(allowed, str):
            allowed = json.loads(allowed)
        with self.cv:
            if allowed is not None:
                self.allowed = allowed
            self.poll_gen += 1
            gen = self.poll_gen
            self.cv.notify_all()  # ends an older poll with 409
            if offset is not None:
                offset = int(offset)
                if offset < 0:
                    keep = self.pending[offset:]
                    self.confirmed += [u["update_id"] for u in self.pending[:offset]]
                    self.pending = keep
                else:
                    self.confirmed += [u["update_id"] for u in self.pending
                                       if u["update_id"] < offset]
                    self.pending = [u for u in self.pending if u["update_id"] >= offset]
            if p.get("_empty"):
                return []  # a server without long polling
            end = time.monotonic() + timeout
            while True:
                if self.poll_gen != gen:
                    raise ApiError(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running")
                again = [self.history[uid] for uid in sorted(self.redeliver)
                         if self.redeliver[uid] > 0]
                out = (again + [u for u in self.pending
                                if "_raw" in u or self.allowed in (None, []) or
                                any(k in u for k in self.allowed)]
                       )[:max(1, min(limit, 100))]
                left = end - time.monotonic()
                if out or left <= 0:
                    break
                self.cv.wait(left)
            for u in out:
                uid = u["update_id"]
                self.deliveries[uid] = self.deliveries.get(uid, 0) + 1
                if self.redeliver.get(uid, 0) > 0 and u in again:
                    self.redeliver[uid] -= 1
            return [u if "_raw" in u else json.loads(json.dumps(u)) for u in out]

    def sendMessage(self, p):
        cid = as_chat_id(p.get("chat_id"))
        text, ents = check_text(p.get("text"), p.get("parse_mode"), p.get("entities"))
        markup = check_markup(p.get("reply_markup"))
        with self.cv:
            if cid in self.blocked:
                self.refused.append({"t": time.monotonic(), "chat_id": cid,
                                     "status": 403})
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            mid = self.next_message
            self.next_message += 1
            msg = {"message_id": mid,
                   "from": {"id": BOT_ID, "is_bot": True, "first_name": "Rehab"},
                   "chat": self.chat(cid, "private" if cid > 0 else "supergroup"),
                   "date": int(time.time()), "text": text}
            if ents:
                msg["entities"] = ents
            if markup and markup["inline_keyboard"]:
                msg["reply_markup"] = markup
            self.messages[(cid, mid)] = msg
            self.sent.append({"t": time.monotonic(), "chat_id": cid,
                              "message_id": mid, "text": text,
                              "raw": p.get("text"),
                              "parse_mode": p.get("parse_mode"),
                              "reply_markup": markup})
            self.cv.notify_all()
            return json.loads(json.dumps(msg))

    def answerCallbackQuery(self, p):
        qid = p.get("callback_query_id")
        text = p.get("text", "")
        if not isinstance(text, str) or utf16_len(text) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        with self.cv:
            q = self.queries.get(qid)
            if not q or q[1] or time.monotonic() - q[0] > QUERY_MAX_AGE:
                raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
            self.queries[qid] = (q[0], True)
            self.answers.append({"t": time.monotonic(), "id": qid, "text": text})
            self.cv.notify_all()
        return True

    def _edit(self, p, new_text):
        cid = as_chat_id(p.get("chat_id"))
        mid = p.get("message_id")
        markup = check_markup(p.get("reply_markup"))
        with self.cv:
            msg = self.messages.get((cid, mid))
            if not msg:
                raise ApiError(400, "Bad Request: message to edit not found")
            old = (msg.get("text"), msg.get("entities"), msg.get("reply_markup"))
            if new_text is not None:
                msg["text"], ents = new_text
                if ents:
                    msg["entities"] = ents
                else:
                    msg.pop("entities", None)
            if markup and markup["inline_keyboard"]:
                msg["reply_markup"] = markup
            else:
                msg.pop("reply_markup", None)
            if old == (msg.get("text"), msg.get("entities"), msg.get("reply_markup")):
                raise ApiError(400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
            self.edits.append({"t": time.monotonic(), "chat_id": cid,
                               "message_id": mid, "text": msg["text"],
                               "reply_markup": msg.get("reply_markup")})
            self.cv.notify_all()
            return json.loads(json.dumps(msg))

    def editMessageReplyMarkup(self, p):
        return self._edit(p, None)

    def editMessageText(self, p):
        return self._edit(p, check_text(p.get("text"), p.get("parse_mode"),
                                        p.get("entities")))

    def setMyCommands(self, p):
        cmds = p.get("commands")
        if isinstance(cmds, str):
            cmds = json.loads(cmds)
        if not isinstance(cmds, list) or not cmds:
            raise ApiError(400, "Bad Request: commands must be an array")
        for c in cmds:
            if (not isinstance(c, dict)
                    or not re.fullmatch(r"[a-z0-9_]{1,32}", str(c.get("command", "")))
                    or not isinstance(c.get("description"), str)
                    or not 1 <= len(c["description"]) <= 256):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        with self.cv:
            self.commands = [c["command"] for c in cmds]
        return True

    # -- control ----------------------------------------------------------
    def ctl_message(self, p):
        cid = int(p["chat_id"])
        ctype = p.get("type", "private")
        from_id = int(p.get("from_id", cid if ctype == "private" else 111))
        msg = {"message_id": 10**6 + self.next_update, "from": self.user(from_id),
               "chat": self.chat(cid, ctype), "date": int(time.time()),
               "text": p["text"]}
        if p.get("reply_to"):
            with self.cv:
                orig = self.messages.get((cid, int(p["reply_to"])))
            if orig:
                msg["reply_to_message"] = orig
        return {"update_id": self.add_update("message", msg)}

    def ctl_tap(self, p):
        cid = int(p["chat_id"])
        mid = int(p["message_id"])
        with self.cv:
            msg = self.messages.get((cid, mid))
            if not msg:
                raise ApiError(400, "no such message")
            buttons = [b for row in msg.get("reply_markup", {}).get("inline_keyboard", [])
                       for b in row]
            if p["data"] not in [b.get("callback_data") for b in buttons]:
                raise ApiError(400, "the message has no button with that data")
            qid = "q%d" % self.next_update
            self.queries[qid] = (time.monotonic(), False)
            cq = {"id": qid, "from": self.user(cid),
                  "message": json.loads(json.dumps(msg)),
                  "chat_instance": str(cid * 7), "data": p["data"]}
        return {"update_id": self.add_update("callback_query", cq)}

    def ctl_raw_bytes(self, p):
        data = base64.b64decode(p["b64"])
        with self.cv:
            uid = p.get("update_id")
            if uid is None:
                uid = self.next_update
            uid = int(uid)
            self.next_update = max(self.next_update, uid + 1)
            data = data.replace(b"@ID@", str(uid).encode())
            data = data.replace(b"@PAD@", b"x" * int(p.get("pad", 0)))
            self.queue_update({"update_id": uid, "_raw": data})
        return {"update_id": uid}

    def ctl_redeliver(self, p):
        uid = int(p["update_id"])
        with self.cv:
            if uid not in self.history:
                raise ApiError(400, "no such update")
            self.redeliver[uid] = self.redeliver.get(uid, 0) + int(p.get("times", 1))
            self.cv.notify_all()
        return True

    def ctl_fault(self, p):
        with self.cv:
            self.faults.append([p["method"], str(p["kind"]), int(p.get("count", 1)),
                                int(p.get("retry_after", 1))])
        return True

    def ctl_block(self, p):
        with self.cv:
            if p.get("blocked", True):
                self.blocked.add(int(p["chat_id"]))
            else:
                self.blocked.discard(int(p["chat_id"]))
        return True

    def ctl_kill_on_delivery(self, p):
        with self.cv:
            self.kill_plan = [int(p["pid"]), int(p.get("delay_ms", 0)),
                              int(p.get("count", 1))]
        return True

    def after_delivery(self):
        """Runs the kill plan once a batch has been written out."""
        with self.cv:
            plan = self.kill_plan
            if not plan or plan[2] <= 0:
                return
            plan[2] -= 1
            self.kills += 1
        if plan[1]:
            time.sleep(plan[1] / 1000.0)
        try:
            os.kill(plan[0], signal.SIGKILL)
        except OSError:
            pass

    def ctl_summary(self, p):
        with self.cv:
            return {"sent": len(self.sent),
                    "first_t": self.sent[0]["t"] if self.sent else None,
                    "last_t": self.sent[-1]["t"] if self.sent else None,
                    "confirmed": len(self.confirmed),
                    "pending": len(self.pending), "calls": dict(self.calls),
                    "errors": len(self.errors), "kills": self.kills}

    def ctl_state(self, p):
        with self.cv:
            return json.loads(json.dumps({
                "sent": self.sent, "refused": self.refused,
                "confirmed": self.confirmed,
                "pending": [u["update_id"] for u in self.pending],
                "deliveries": self.deliveries, "answers": self.answers,
                "edits": self.edits, "commands": self.commands,
                "calls": self.calls, "call_log": self.call_log[-2000:],
                "errors": self.errors, "kills": self.kills,
                "faults_left": sum(f[2] for f in self.faults)}))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # http.server writes the headers and the body in two sends: with
    # Nagle on, the body waits for the client's delayed ACK (~40 ms), a
    # delay no Bot API server adds, which also held every answer in
    # flight 40 ms longer than the daemon's own window.
    disable_nagle_algorithm = True
    bot = None

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

    def params(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        url = urllib.parse.urlsplit(self.path)
        p = {k: v[-1] for k, v in urllib.parse.parse_qs(url.query).items()}
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if body and ctype == "application/json":
            obj = json.loads(body.decode("utf-8"))
            if not isinstance(obj, dict):
                raise ApiError(400, "Bad Request: the body must be an object")
            p.update(obj)
        elif body:
            p.update({k: v[-1] for k, v in urllib.parse.parse_qs(body.decode()).items()})
        return url.path, p

    def do_GET(self):
        self.handle_any()

    def do_POST(self):
        self.handle_any()

    def handle_any(self):
        bot = self.bot
        try:
            path, p = self.params()
        except (ValueError, ApiError):
            self.reply(400, {"ok": False, "error_code": 400,
                             "description": "Bad Request: can't parse JSON"})
            return
        if path.startswith("/control/"):
            fn = getattr(bot, "ctl_" + path[len("/control/"):], None)
            try:
                if not fn:
                    raise ApiError(404, "no such control")
                self.reply(200, {"ok": True, "result": fn(p)})
            except ApiError as e:
                self.reply(e.code, {"ok": False, "description": e.description})
            return
        m = re.fullmatch(r"/bot([^/]+)/([A-Za-z]+)", path)
        if not m:
            self.reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        token, method = m.groups()
        names = {n.lower(): n for n in ("getMe", "getUpdates", "sendMessage",
                                        "answerCallbackQuery", "editMessageText",
                                        "editMessageReplyMarkup", "setMyCommands")}
        method = names.get(method.lower(), method)
        with bot.cv:
            bot.calls[method] = bot.calls.get(method, 0) + 1
        status = self.serve_method(bot, token, method, p)
        with bot.cv:
            bot.call_log.append((time.monotonic(), method, status))

    def serve_method(self, bot, token, method, p):
        if token != bot.token:
            self.reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return 401
        kind, retry = bot.take_fault(method)
        if kind == "close":
            self.close_connection = True
            return 0
        if kind == "garbage":
            self.reply(200, raw=b'{"ok":tru\x00e, "result": [[[ <html>')
            return 200
        if kind == "429":
            self.reply(429, {"ok": False, "error_code": 429,
                             "description": "Too Many Requests: retry after %d" % retry,
                             "parameters": {"retry_after": retry}},
                       headers=[("Retry-After", str(retry))])
            return 429
        if kind in ("500", "502"):
            if kind == "502":
                self.reply(502, raw=b"<html><body>502 Bad Gateway</body></html>")
            else:
                self.reply(500, {"ok": False, "error_code": 500,
                                 "description": "Internal Server Error"})
            return int(kind)
        if kind in ("400", "401", "403"):
            desc = {"400": "Bad Request: chat not found", "401": "Unauthorized",
                    "403": "Forbidden: bot was blocked by the user"}[kind]
            self.reply(int(kind), {"ok": False, "error_code": int(kind), "description": desc})
            return int(kind)
        fn = getattr(bot, method, None) if method in (
            "getMe", "getUpdates", "sendMessage", "answerCallbackQuery",
            "editMessageText", "editMessageReplyMarkup", "setMyCommands") else None
        if not fn:
            self.reply(404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"})
            return 404
        try:
            if kind == "empty" and method == "getUpdates":
                p = dict(p, _empty=True)
            result = fn(p)
            if kind == "slow":
                time.sleep(retry)
        except ApiError as e:
            # Validation failures are what tests look for; "not
            # modified" and "too old" are ordinary answers.
            if e.code == 400 and "not modified" not in e.description \
                    and "too old" not in e.description:
                with bot.cv:
                    bot.errors.append({"method": method, "description": e.description})
            body = {"ok": False, "error_code": e.code, "description": e.description}
            self.reply(e.code, body)
            return e.code
        except (ValueError, TypeError, KeyError) as e:
            with bot.cv:
                bot.errors.append({"method": method, "description": "bad parameters: %s" % e})
            self.reply(400, {"ok": False, "error_code": 400,
                             "description": "Bad Request: bad parameters"})
            return 400
        if method == "getUpdates" and any("_raw" in u for u in result):
            # Raw updates go out as the bytes they are.
            self.reply(200, raw=b'{"ok":true,"result":[' + b",".join(
                u["_raw"] if "_raw" in u else json.dumps(u).encode()
                for u in result) + b"]}")
        else:
            self.reply(200, {"ok": True, "result": result})
        if method == "getUpdates" and result:
            self.wfile.flush()
            bot.after_delivery()
        return 200


def serve(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--token", required=True)
    args = ap.parse_args(argv)

    class H(Handler):
        bot = Bot(args.token)

    serve_loopback(H, args.port_file)


def serve_loopback(handler, port_file):
    """Serves handler on a free loopback port until interrupted; the port
    goes to port_file (written whole, by rename) once it listens."""
    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 128  # read by listen() in the constructor

    srv = Server(("127.0.0.1", 0), handler)
    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, port_file)
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass


class EmulatorError(Exception):
    pass


class Emulator:
    """Client side: starts the emulator program and talks to its control
    endpoints.  Every wait has a deadline."""

    # The server program this client starts; a variant emulator names
    # its own file and adds its own arguments.
    program = os.path.abspath(__file__)

    def __init__(self, workdir, token, extra_args=()):
        self.token = token
        self.port_file = os.path.join(workdir, "tg-port")
        if os.path.exists(self.port_file):
            os.unlink(self.port_file)  # left by an earlier run
        # Loopback only: never through a proxy from the environment.
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        self.proc = subprocess.Popen(
            [sys.executable, self.program, "--port-file",
             self.port_file, "--token", token] + list(extra_args),
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(workdir, "tg-emulator.log"), "w"))
        end = time.monotonic() + 20
        while not os.path.exists(self.port_file):
            if self.proc.poll() is not None or time.monotonic() > end:
                raise EmulatorError("the Telegram emulator %s did not start"
                                    % os.path.basename(self.program))
            time.sleep(0.02)
        with open(self.port_file) as f:
            self.port = int(f.read())
        self.base = "http://127.0.0.1:%d" % self.port

    def control(self, name, payload=None):
        data = json.dumps(payload or {}).encode()
        req = urllib.request.Request(self.base + "/control/" + name, data=data,
                                     headers={"Content-Type": "application/json"})
        for attempt in range(3):
            try:
                with self.opener.open(req, timeout=10) as r:
                    return json.loads(r.read())["result"]
            except urllib.error.HTTPError as e:
                raise EmulatorError("control %s: %s" % (name, e.read().decode()))
            except (ConnectionError, urllib.error.URLError):
                # A loaded machine may drop a loopback connection; only
                # the reads are safe to repeat.
                if name not in ("state", "summary") or attempt == 2 \
                        or self.proc.poll() is not None:
                    raise
                time.sleep(0.1)

    def message(self, chat_id, text, chat_type="private", from_id=None, reply_to=None):
        p = {"chat_id": chat_id, "text": text, "type": chat_type}
        if from_id is not None:
            p["from_id"] = from_id
        if reply_to is not None:
            p["reply_to"] = reply_to
        return self.control("message", p)["update_id"]

    def tap(self, chat_id, message_id, data):
        return self.control("tap", {"chat_id": chat_id, "message_id": message_id,
                                    "data": data})["update_id"]

    def fault(self, method, kind, count=1, retry_after=1):
        self.control("fault", {"method": method, "kind": kind, "count": count,
                               "retry_after": retry_after})

    def raw_bytes(self, data, update_id=None, pad=0):
        """Queues an update given as bytes ("@ID@" for its id, "@PAD@"
        for pad bytes "x"); returns the server's id of it."""
        p = {"b64": base64.b64encode(data).decode(), "pad": pad}
        if update_id is not None:
            p["update_id"] = update_id
        return self.control("raw_bytes", p)["update_id"]

    def redeliver(self, update_id, times=1):
        self.control("redeliver", {"update_id": update_id, "times": times})

    def block(self, chat_id, blocked=True):
        self.control("block", {"chat_id": chat_id, "blocked": blocked})

    def kill_on_delivery(self, pid, delay_ms=0, count=1):
        self.control("kill_on_delivery", {"pid": pid, "delay_ms": delay_ms,
                                          "count": count})

    def state(self):
        return self.control("state")

    def summary(self):
        return self.control("summary")

    def wait(self, pred, deadline, what, interval=0.05):
        """Polls the ledger until pred(state) is truthy; returns its
        value.  Raises EmulatorError naming what after deadline s."""
        end = time.monotonic() + deadline
        while True:
            st = self.state()
            v = pred(st)
            if v:
                return v
            if time.monotonic() > end:
                raise EmulatorError("timed out after %ss waiting for %s; sent %d, "
                                    "confirmed %s, pending %s, calls %s, errors %s"
                                    % (deadline, what, len(st["sent"]),
                                       st["confirmed"][-10:], st["pending"],
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


# --- a test case: emulator + token file + config + rehabd -----------------

OUTBOX_STATES = ["queued", "sending", "sent", "skipped", "paused", "failed",
                 "expired"]
TOKEN = "5000000777:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw-test"


class TgCase:
    """One integration scenario: a temp dir with a 0600 token file, the
    emulator, a rehabd.conf whose channel "tg" points at the emulator,
    and the daemon (rehabd_test.Daemon) when started."""

    def __init__(self, runners, token=TOKEN, file_token=None, settings="",
                 emulator=Emulator):
        """emulator(workdir, token) starts the server (tg_emulator_strict
        offers a stricter one)."""
        import rehabd_test as rt
        self.rt = rt
        self.dir = rt.tempdir("rehabd-tg-")
        self.emu = emulator(self.dir, token)
        self.token = token
        self.token_path = os.path.join(self.dir, "tg.token")
        with open(self.token_path, "w") as f:
            f.write((file_token or token) + "\n")
        os.chmod(self.token_path, 0o600)
        self.state_dir = os.path.join(self.dir, "state")
        self.runners = runners
        channels = """  tg = {
    plugin = "telegram";
    api_base = "%s";
    token_file = "tg.token";
    %s
  };""" % (self.emu.base, settings)
        blocks = [rt.runner_block(r["name"], "tg", str(r["chat"]), r["zone"],
                                  r.get("start", "2026-03-02"), r["stretch"],
                                  r["strength"], r["morning"], r.get("evening"))
                  for r in runners]
        self.config = rt.write_config(self.dir, channels, blocks, log_level="debug")
        self.daemon = None
        self.stderr_all = ""

    def start(self, simulate, speed, until=None):
        self.daemon = self.rt.Daemon(self.config, self.state_dir, simulate=simulate,
                                     speed=speed, until=until,
                                     extra=("--log-level", "debug"),
                                     stdin=subprocess.DEVNULL)
        return self.daemon

    def _keep_stderr(self):
        with open(self.daemon.errpath, encoding="utf-8", errors="replace") as f:
            self.stderr_all += f.read()
        self.daemon = None

    def stop(self):
        """Stops the daemon (SIGTERM) and keeps its stderr."""
        if self.daemon:
            self.daemon.stop()
            self._keep_stderr()

    def kill(self):
        """SIGKILL, as a crash would."""
        if self.daemon:
            self.daemon.kill()
            self.daemon.err.close()
            self._keep_stderr()

    def stderr(self):
        now = ""
        if self.daemon:
            with open(self.daemon.errpath, encoding="utf-8", errors="replace") as f:
                now = f.read()
        return self.stderr_all + now

    def db(self):
        import sqlite3
        path = os.path.join(self.state_dir, "rehabd.db")
        con = sqlite3.connect("file:%s?mode=ro" % path, uri=True, timeout=10)
        con.row_factory = sqlite3.Row
        return con

    def query(self, sql, *args):
        con = self.db()
        try:
            return [dict(r) for r in con.execute(sql, args)]
        finally:
            con.close()

    def outbox(self):
        rows = self.query("SELECT * FROM outbox ORDER BY due, id")
        for r in rows:
            if isinstance(r["state"], int):
                r["state"] = OUTBOX_STATES[r["state"]]
        return rows

    def wait_db(self, pred, deadline, what):
        """Polls the database until pred(self) is truthy."""
        end = time.monotonic() + deadline
        while True:
            try:
                v = pred(self)
            except Exception as e:  # the database may not exist yet
                v = None
                last = e
            else:
                last = None
            if v:
                return v
            if time.monotonic() > end:
                raise EmulatorError("timed out after %ss waiting for %s (%s)\nstderr:\n%s"
                                    % (deadline, what, last, self.stderr()[-3000:]))
            time.sleep(0.1)

    def close(self):
        """Stops everything.  Fails the test when a sanitizer build of
        rehabd reported an error; removes the temp dir unless
        REHABD_TEST_KEEP is set or the test failed."""
        failing = sys.exc_info()[0] is not None
        try:
            self.stop()
        finally:
            self.emu.stop()
        err = self.stderr()
        for mark in ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:"):
            if mark in err and not failing:
                raise self.rt.Failure("rehabd under a sanitizer reported %r; see %s"
                                      % (mark, self.dir))
        if not failing and not os.environ.get("REHABD_TEST_KEEP"):
            import shutil
            shutil.rmtree(self.dir, ignore_errors=True)


def keyboard_refs(sent):
    """The refs in a sent message's keyboard (callback_data "REF:VALUE")."""
    kb = (sent.get("reply_markup") or {}).get("inline_keyboard", [])
    return {b["callback_data"].split(":", 1)[0] for row in kb for b in row}


def keyboard_labels(sent):
    kb = (sent.get("reply_markup") or {}).get("inline_keyboard", [])
    return [[b["text"] for b in row] for row in kb]


if __name__ == "__main__":
    serve(sys.argv[1:])
