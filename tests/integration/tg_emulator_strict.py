#!/usr/bin/env python3
"""A strict Bot API emulator: tg_emulator.py's server, plus

- every request checked against the parameter types the Bot API
  documentation gives (https://core.telegram.org/bots/api): JSON bodies
  with Content-Type application/json, method names spelt as documented,
  Integer parameters as JSON integers (not strings or floats), Boolean as
  true/false, reply_markup as an InlineKeyboardMarkup object, parse_mode
  one of HTML / MarkdownV2 / Markdown, allowed_updates an array of known
  update types, setMyCommands commands of 1-32 lower-case letters, digits
  and underscores with descriptions of 1-256 characters, and no
  parameter the method does not have.  A violation is answered the way
  Telegram answers (400 "Bad Request: ...") and recorded in the ledger's
  "errors", which the tests require to stay empty;
- transports a real server or proxy may use (--mode, comma-separated):
  chunked (Transfer-Encoding: chunked bodies), close (Connection: close
  after every response), http10 (an HTTP/1.0 server: no Content-Length,
  the connection closed after the body), errors200 (errors with HTTP
  status 200, only the body saying ok:false);
- more faults: 409 (another getUpdates), 409webhook, 429header (a 429
  whose body is HTML and only the Retry-After header says how long),
  503html, 200html (HTTP 200 with an HTML page), slow (the answer comes
  retry_after seconds after the long poll should have ended);
- POST /control/raw {update, update_id?} queues any update object as
  given, with the id given (gaps, out of order, 2^53) or the next one;
  a callback_query in it becomes a query that may be answered (for
  updates as bytes, not objects, see tg_emulator's /control/raw_bytes).

    tg_emulator_strict.py --port-file PATH --token TOKEN [--mode MODES]
"""

import argparse
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tg_emulator as base  # noqa: E402
from tg_emulator import ApiError  # noqa: E402

UPDATE_TYPES = {
    "message", "edited_message", "channel_post", "edited_channel_post",
    "business_connection", "business_message", "edited_business_message",
    "deleted_business_messages", "message_reaction", "message_reaction_count",
    "inline_query", "chosen_inline_result", "callback_query",
    "shipping_query", "pre_checkout_query", "purchased_paid_media", "poll",
    "poll_answer", "my_chat_member", "chat_member", "chat_join_request",
    "chat_boost", "removed_chat_boost",
}


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def t_int(v):
    return is_int(v)


def t_str(v):
    return isinstance(v, str)


def t_bool(v):
    return isinstance(v, bool)


def t_obj(v):
    return isinstance(v, dict)


def t_chat_id(v):
    return is_int(v) or (isinstance(v, str) and v.startswith("@"))


def t_parse_mode(v):
    return v in ("HTML", "MarkdownV2", "Markdown")


def t_entities(v):
    return isinstance(v, list) and all(
        isinstance(e, dict) and t_str(e.get("type")) and is_int(e.get("offset"))
        and is_int(e.get("length")) for e in v)


def t_markup(v):
    """InlineKeyboardMarkup as an object: rows of buttons, each with text
    and exactly one action; callback_data 1-64 bytes."""
    if not isinstance(v, dict) or set(v) != {"inline_keyboard"}:
        return False
    rows = v["inline_keyboard"]
    if not isinstance(rows, list):
        return False
    for row in rows:
        if not isinstance(row, list):
            return False
        for b in row:
            if not isinstance(b, dict) or not t_str(b.get("text")) or not b["text"]:
                return False
            actions = set(b) - {"text", "style", "icon_custom_emoji_id"}
            if actions != {"callback_data"}:
                return False
            cd = b["callback_data"]
            if not t_str(cd) or not 1 <= len(cd.encode()) <= 64:
                return False
    return True


def t_allowed(v):
    return isinstance(v, list) and all(t_str(x) and x in UPDATE_TYPES for x in v)


def t_commands(v):
    if not isinstance(v, list) or not 1 <= len(v) <= 100:
        return False
    for c in v:
        if not isinstance(c, dict) or set(c) != {"command", "description"}:
            return False
        if not t_str(c["command"]) or not re.fullmatch(r"[a-z0-9_]{1,32}", c["command"]):
            return False
        if not t_str(c["description"]) or not 1 <= len(c["description"]) <= 256:
            return False
    return True


def t_limit(v):
    return is_int(v) and 1 <= v <= 100


def t_timeout(v):
    return is_int(v) and v >= 0


# Per method: parameter -> (check, required).  From the documentation's
# tables for each method.
SCHEMAS = {
    "getMe": {},
    "getUpdates": {"offset": (t_int, False), "limit": (t_limit, False),
                   "timeout": (t_timeout, False), "allowed_updates": (t_allowed, False)},
    "sendMessage": {"business_connection_id": (t_str, False), "chat_id": (t_chat_id, True),
                    "message_thread_id": (t_int, False), "text": (t_str, True),
                    "parse_mode": (t_parse_mode, False), "entities": (t_entities, False),
                    "link_preview_options": (t_obj, False),
                    "disable_notification": (t_bool, False), "protect_content": (t_bool, False),
                    "allow_paid_broadcast": (t_bool, False), "message_effect_id": (t_str, False),
                    "reply_parameters": (t_obj, False), "reply_markup": (t_markup, False)},
    "answerCallbackQuery": {"callback_query_id": (t_str, True), "text": (t_str, False),
                            "show_alert": (t_bool, False), "url": (t_str, False),
                            "cache_time": (t_int, False)},
    "editMessageText": {"business_connection_id": (t_str, False), "chat_id": (t_chat_id, False),
                        "message_id": (t_int, False), "inline_message_id": (t_str, False),
                        "text": (t_str, True), "parse_mode": (t_parse_mode, False),
                        "entities": (t_entities, False), "link_preview_options": (t_obj, False),
                        "reply_markup": (t_markup, False)},
    "editMessageReplyMarkup": {"business_connection_id": (t_str, False),
                               "chat_id": (t_chat_id, False), "message_id": (t_int, False),
                               "inline_message_id": (t_str, False),
                               "reply_markup": (t_markup, False)},
    "setMyCommands": {"commands": (t_commands, True), "scope": (t_obj, False),
                      "language_code": (t_str, False)},
}


def validate(method, p):
    """Raises ApiError 400 the way Telegram words it when p does not fit
    the documented parameters of method."""
    schema = SCHEMAS.get(method)
    if schema is None:
        raise ApiError(404, "Not Found: method not found")
    for k in p:
        if k not in schema:
            raise ApiError(400, "Bad Request: unexpected parameter \"%s\"" % k)
    for k, (check, required) in schema.items():
        if k not in p:
            if required:
                raise ApiError(400, "Bad Request: parameter \"%s\" is required" % k)
            continue
        if not check(p[k]):
            raise ApiError(400, "Bad Request: parameter \"%s\" has wrong type or value: %s"
                           % (k, json.dumps(p[k])[:80]))
    if method.startswith("editMessage") and not (
            ("chat_id" in p and "message_id" in p) or "inline_message_id" in p):
        raise ApiError(400, "Bad Request: message identifier is not specified")


class StrictBot(base.Bot):
    def ctl_raw(self, p):
        upd = dict(p["update"])
        with self.cv:
            uid = p.get("update_id")
            if uid is None:
                uid = self.next_update
            self.next_update = max(self.next_update, uid + 1)
            upd["update_id"] = uid
            cq = upd.get("callback_query")
            if isinstance(cq, dict) and isinstance(cq.get("id"), str):
                self.queries[cq["id"]] = (time.monotonic(), False)
            self.queue_update(upd)
        return {"update_id": uid}


class StrictHandler(base.Handler):
    modes = set()

    def params(self):
        n = int(self.headers.get("Content-Length") or 0)
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        path = self.path.split("?", 1)[0]
        if path.startswith("/bot") and n and ctype != "application/json":
            # Recorded, then read as base does.
            with self.bot.cv:
                self.bot.errors.append({"method": path.rsplit("/", 1)[-1],
                                        "description": "Content-Type %r" % ctype})
        if path.startswith("/bot") and "?" in self.path:
            with self.bot.cv:
                self.bot.errors.append({"method": path.rsplit("/", 1)[-1],
                                        "description": "parameters in the query string"})
        return base.Handler.params(self)

    def reply(self, status, obj=None, raw=None, headers=()):
        body = raw if raw is not None else json.dumps(obj).encode()
        if "errors200" in self.modes and obj is not None and obj.get("ok") is False \
                and self.path.startswith("/bot"):
            status = 200
        self.send_response(status)
        ctype = "text/html" if raw is not None and raw.startswith(b"<") else "application/json"
        self.send_header("Content-Type", ctype)
        for k, v in headers:
            self.send_header(k, v)
        if "http10" in self.modes:
            self.end_headers()
            self.wfile.write(body)
            self.close_connection = True
            return
        if "close" in self.modes:
            self.send_header("Connection", "close")
            self.close_connection = True
        if "chunked" in self.modes:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            half = len(body) // 2
            for piece in (body[:half], body[half:]):
                if piece:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")
            return
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def serve_method(self, bot, token, method, p):
        if token == bot.token:
            kind, retry = self.strict_fault(bot, method)
            if kind is not None:
                return kind
            try:
                validate(method, p)
            except ApiError as e:
                with bot.cv:
                    bot.errors.append({"method": method, "description": e.description})
                self.reply(e.code, {"ok": False, "error_code": e.code,
                                    "description": e.description})
                return e.code
        return base.Handler.serve_method(self, bot, token, method, p)

    def strict_fault(self, bot, method):
        """Serves the faults base does not know; returns the status sent,
        or (None, None) to go on."""
        with bot.cv:
            f = next((f for f in bot.faults if f[0] in (method, "*") and f[2] > 0
                      and f[1] in ("409", "409webhook", "429header", "503html",
                                   "200html", "slow")), None)
            if f:
                f[2] -= 1
        if not f:
            return None, None
        kind, retry = f[1], f[3]
        if kind == "409":
            self.reply(409, {"ok": False, "error_code": 409, "description":
                             "Conflict: terminated by other getUpdates request; "
                             "make sure that only one bot instance is running"})
            return 409, None
        if kind == "409webhook":
            self.reply(409, {"ok": False, "error_code": 409, "description":
                             "Conflict: can't use getUpdates method while webhook is "
                             "active; use deleteWebhook to delete the webhook first"})
            return 409, None
        if kind == "429header":
            self.reply(429, raw=b"<html><body>429 Too Many Requests</body></html>",
                       headers=[("Retry-After", str(retry))])
            return 429, None
        if kind == "503html":
            self.reply(503, raw=b"<html><body><h1>503 Service Unavailable</h1></body></html>")
            return 503, None
        if kind == "200html":
            self.reply(200, raw=b"<html><body>Welcome to nginx!</body></html>")
            return 200, None
        # slow: hold the request retry seconds longer than asked, then
        # answer as usual.
        time.sleep(retry)
        return None, None


def serve(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--mode", default="")
    args = ap.parse_args(argv)

    class H(StrictHandler):
        bot = StrictBot(args.token)
        modes = set(m for m in args.mode.split(",") if m)
        protocol_version = "HTTP/1.0" if "http10" in modes else "HTTP/1.1"

    base.serve_loopback(H, args.port_file)


class StrictEmulator(base.Emulator):
    """The client side, starting this program with --mode."""

    program = os.path.abspath(__file__)

    def __init__(self, workdir, token, mode=""):
        super().__init__(workdir, token, ["--mode", mode])

    def raw(self, update, update_id=None):
        p = {"update": update}
        if update_id is not None:
            p["update_id"] = update_id
        return self.control("raw", p)["update_id"]


if __name__ == "__main__":
    serve(sys.argv[1:])
