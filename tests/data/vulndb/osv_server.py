#!/usr/bin/env python3
# osv_server.py - a test HTTP server on 127.0.0.1 serving OSV-style <Ecosystem>/all.zip exports from a
# directory of <Ecosystem>.zip files, for the `db update` tests. Honours If-None-Match and
# If-Modified-Since (304). Path prefixes change its behaviour:
#   /ok/<Eco>/all.zip          the zip, with ETag and Last-Modified
#   /truncated/<Eco>/all.zip   a complete response whose body is the first half of the zip
#   /cut/<Eco>/all.zip         announces the full length, sends half, closes the connection
#   /fail500/<Eco>/all.zip     always HTTP 500
#   /flaky/<Eco>/all.zip       HTTP 500 for the first two requests of each file, then the zip
# Usage: osv_server.py ZIPDIR PORTFILE LOGFILE. Writes the port to PORTFILE once listening, logs
# "METHOD PATH STATUS" lines to LOGFILE, and exits after 120 s or on SIGTERM.
import email.utils
import hashlib
import http.server
import os
import sys
import threading

ZIPDIR, PORTFILE, LOGFILE = sys.argv[1], sys.argv[2], sys.argv[3]
counts = {}
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def log(self, status):
        with lock, open(LOGFILE, "a") as f:
            f.write("%s %s %d\n" % (self.command, self.path, status))

    def reply(self, status, body=b"", headers=None, length=None):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.log(status)

    def do_GET(self):
        parts = self.path.strip("/").split("/")
        if len(parts) != 3 or parts[2] != "all.zip":
            return self.reply(404, b"not found\n")
        mode, eco = parts[0], parts[1]
        path = os.path.join(ZIPDIR, eco + ".zip")
        if not os.path.isfile(path):
            return self.reply(404, b"no such ecosystem\n")
        if mode == "fail500":
            return self.reply(500, b"internal error\n")
        if mode == "flaky":
            with lock:
                counts[self.path] = counts.get(self.path, 0) + 1
                n = counts[self.path]
            if n <= 2:
                return self.reply(500, b"try again\n")
        with open(path, "rb") as f:
            data = f.read()
        etag = '"%s"' % hashlib.sha256(data).hexdigest()[:16]
        mtime = email.utils.formatdate(os.stat(path).st_mtime, usegmt=True)
        headers = {"ETag": etag, "Last-Modified": mtime, "Content-Type": "application/zip"}
        if self.headers.get("If-None-Match") == etag or (
            "If-None-Match" not in self.headers and self.headers.get("If-Modified-Since") == mtime
        ):
            self.send_response(304)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return self.log(304)
        if mode == "truncated":
            return self.reply(200, data[: len(data) // 2], headers)
        if mode == "cut":
            self.send_response(200)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.log(200)
            self.close_connection = True
            return
        if mode not in ("ok", "flaky"):
            return self.reply(404, b"unknown mode\n")
        return self.reply(200, data, headers)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
timer = threading.Timer(120, server.shutdown)
timer.daemon = True
timer.start()
tmp = PORTFILE + ".tmp"
with open(tmp, "w") as f:
    f.write(str(server.server_address[1]))
os.rename(tmp, PORTFILE)
server.serve_forever()
