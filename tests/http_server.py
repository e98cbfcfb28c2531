#!/usr/bin/env python3
"""A tiny loopback HTTP/1.1 server with scripted answers, for test_http.

Usage: http_server.py PORTFILE

Binds 127.0.0.1 on port 0 twice, plain and TLS (a self-signed certificate
for 127.0.0.1, which a verifying client must refuse unless given cert.pem),
writes cert.pem and key.pem next to PORTFILE, then "PORT TLSPORT" to PORTFILE (written
to a temporary name and renamed, so a reader never sees half a line).
Connections are kept alive; every connection and request is counted so a
test can check that its client reuses connections.  Only the last path
segment selects the answer, so a test can put a secret-looking segment in
front of it (/bot123:SECRET/slow) and check errors never show it.

  /fast                       200 {"ok":true,"n":N}
  /slow?ms=N                  the same after N milliseconds
  /status/CODE?retry=V        CODE with "Retry-After: V" when retry is given
  /status/CODE?retry_in=S     CODE with an HTTP-date Retry-After S s ahead
  /huge?bytes=N               200 with N bytes and a Content-Length
  /stream?bytes=N             200 with N bytes, chunked (no length known)
  /echo                       200 JSON of method, body and x-* headers
  /stats                      200 {"connections":C,"requests":R}
  /hangup                     promises 1000 bytes, sends 10, closes

Exits on SIGTERM, or by itself when its parent process goes away.
"""
import email.utils
import http.server
import json
import os
import socketserver
import ssl
import sys
import threading
import time
import urllib.parse

# Test-only key and self-signed certificate (CN and SAN 127.0.0.1,
# localhost; valid until 2126).  Never trusted by anything but a test.
CERT = """\
-----BEGIN CERTIFICATE-----
MIIBnDCCAUGgAwIBAgIUL4dPOIMWxrSQ4MBOyy9tMkmgnvowCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyMTE3MTgwNFoYDzIxMjYxMDI4
MTcxODA0WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAATvxmQf9nb9jXSrJWQO7pa1tdYpC5q8lDuip9bbMUrRjVax86KnrYBb
65F/4dpeypayvyAIW5aJaEzSKnLmeCg+o28wbTAdBgNVHQ4EFgQUP/iMKrj3Wjrg
lRXrsrz4w0woq+0wHwYDVR0jBBgwFoAUP/iMKrj3WjrglRXrsrz4w0woq+0wDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3QwCgYIKoZI
zj0EAwIDSQAwRgIhAPhrI1BzR5HOfzkPk3FqLenORhKRZ3wcqiBWr7T9Pu48AiEA
gfpgRxbhCF8fMuA+0qhRk2xri6Yzh6r93DjOuMujxfU=
-----END CERTIFICATE-----
"""
KEY = """\
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgMQmZcfWIJmauYNDn
MQh+Y4fge+1h9PBuDwdKryEik7qhRANCAATvxmQf9nb9jXSrJWQO7pa1tdYpC5q8
lDuip9bbMUrRjVax86KnrYBb65F/4dpeypayvyAIW5aJaEzSKnLmeCg+
-----END PRIVATE KEY-----
"""

STATS = {"connections": 0, "requests": 0}
STATS_LOCK = threading.Lock()


def count(key):
    with STATS_LOCK:
        STATS[key] += 1
        return STATS[key]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive unless a handler closes
    # Headers and body go out in two writes: without this, Nagle plus the
    # client's delayed ACK adds 40 ms to every answer.
    disable_nagle_algorithm = True

    def setup(self):
        super().setup()
        count("connections")

    def log_message(self, fmt, *args):  # quiet: the test prints what matters
        pass

    def reply(self, code, body, ctype="application/json", extra=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.dispatch(b"")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.dispatch(self.rfile.read(length))

    do_PUT = do_POST
    do_DELETE = do_POST

    def dispatch(self, body):
        n = count("requests")
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        segs = [s for s in url.path.split("/") if s]
        name = segs[-1] if segs else ""
        try:
            if name == "fast":
                self.reply(200, json.dumps({"ok": True, "n": n}).encode())
            elif name == "slow":
                time.sleep(int(query.get("ms", "1000")) / 1000.0)
                self.reply(200, json.dumps({"ok": True, "n": n}).encode())
            elif len(segs) >= 2 and segs[-2] == "status":
                extra = []
                if "retry" in query:
                    extra.append(("Retry-After", query["retry"]))
                if "retry_in" in query:
                    when = time.time() + int(query["retry_in"])
                    extra.append(("Retry-After",
                                  email.utils.formatdate(when, usegmt=True)))
                code = int(name)
                self.reply(code, json.dumps({"ok": False,
                                             "error_code": code}).encode(),
                           extra=extra)
            elif name == "huge":
                self.reply(200, b"x" * int(query["bytes"]), "text/plain")
            elif name == "stream":
                self.stream(int(query["bytes"]))
            elif name == "hangup":
                self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n"
                                 b"Content-Type: text/plain\r\n\r\n0123456789")
                self.wfile.flush()
                self.close_connection = True
            elif name == "echo":
                hdrs = {k.lower(): v for k, v in self.headers.items()
                        if k.lower().startswith("x-")
                        or k.lower() in ("content-type", "expect")}
                self.reply(200, json.dumps({
                    "method": self.command,
                    "body": body.decode("utf-8", "replace"),
                    "headers": hdrs}).encode())
            elif name == "stats":
                with STATS_LOCK:
                    self.reply(200, json.dumps(STATS).encode())
            else:
                self.reply(404, b'{"ok":false}')
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (timeout)

    def stream(self, total):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = b"y" * 16384
        while total > 0:
            part = chunk[:min(total, len(chunk))]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            total -= len(part)
        self.wfile.write(b"0\r\n\r\n")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # 100 concurrent connects must not hit SYN drops

    def handle_error(self, request, client_address):
        # A client that hangs up (a timeout, a cancel) is expected here.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    def server_bind(self):
        # Skip HTTPServer.server_bind: it looks the host name up.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]


def watch_parent(parent):
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: http_server.py PORTFILE")
    server = Server(("127.0.0.1", 0), Handler)
    tls = Server(("127.0.0.1", 0), Handler)
    where = os.path.dirname(os.path.abspath(sys.argv[1]))
    for name, text in (("cert.pem", CERT), ("key.pem", KEY)):
        with open(os.path.join(where, name), "w") as f:
            f.write(text)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(where, "cert.pem"),
                        os.path.join(where, "key.pem"))
    tls.socket = ctx.wrap_socket(tls.socket, server_side=True)
    threading.Thread(target=watch_parent, args=(os.getppid(),),
                     daemon=True).start()
    threading.Thread(target=tls.serve_forever, daemon=True).start()
    tmp = sys.argv[1] + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d %d\n" % (server.server_port, tls.server_port))
    os.rename(tmp, sys.argv[1])
    server.serve_forever()


if __name__ == "__main__":
    main()
