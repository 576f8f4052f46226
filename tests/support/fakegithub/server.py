#!/usr/bin/env python3
"""A fake GitHub for Hubcap's tests, on loopback only.

Usage: server.py --root DIR [--port 0]
Prints "PORT <n>" on stdout once listening. Every request is appended as one JSON line to
DIR/requests.log ({"method", "path", "headers", "client"}) so tests can assert on what the
client sent (Range, Authorization, User-Agent). Route modules in this folder (github.py,
assets.py, ...) register handlers with @route; each gets (handler, match) and the shared
State (handler.state) whose `root` holds the fixture data the tests wrote.
"""
import argparse
import importlib
import json
import os
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROUTES = []  # (method, compiled regex, function)


def route(method, pattern):
    """Registers fn(handler, match) for METHOD requests whose path (without query) matches."""
    def deco(fn):
        ROUTES.append((method, re.compile("^" + pattern + "$"), fn))
        return fn
    return deco


class State:
    def __init__(self, root):
        self.root = root
        self.lock = threading.Lock()
        self.log_path = os.path.join(root, "requests.log")

    def log(self, entry):
        with self.lock, open(self.log_path, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry) + "\n")

    def config(self):
        """Optional DIR/config.json the tests write to switch behaviours at run time."""
        try:
            with open(os.path.join(self.root, "config.json"), encoding="utf-8") as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None  # set in main

    def log_message(self, fmt, *args):  # keep test output quiet
        pass

    @property
    def path_only(self):
        return self.path.split("?", 1)[0]

    @property
    def query(self):
        from urllib.parse import parse_qs, urlsplit
        return {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}

    def _dispatch(self, method):
        self.state.log({"method": method, "path": self.path,
                        "headers": {k: v for k, v in self.headers.items()},
                        "client": self.client_address[0]})
        for m, rx, fn in ROUTES:
            if m != method:
                continue
            match = rx.match(self.path_only)
            if match:
                try:
                    fn(self, match)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                return
        self.send_json(404, {"message": "Not Found"})

    def do_GET(self):
        self._dispatch("GET")

    def do_HEAD(self):
        self._dispatch("HEAD")

    def send_bytes(self, code, data, content_type="application/octet-stream", headers=None):
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def send_json(self, code, obj, headers=None):
        self.send_bytes(code, json.dumps(obj).encode(), "application/json; charset=utf-8", headers)

    def redirect(self, location, code=302):
        self.send_response(code)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args()
    os.makedirs(args.root, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    # Route modules do `from server import route`: make that the running module, not a second copy
    # with its own empty ROUTES list.
    sys.modules.setdefault("server", sys.modules[__name__])
    for name in sorted(os.listdir(here)):
        if name.endswith(".py") and name != "server.py" and not name.startswith("_"):
            importlib.import_module(name[:-3])  # modules register their routes
    Handler.state = State(args.root)
    httpd = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    httpd.daemon_threads = True
    print(f"PORT {httpd.server_address[1]}", flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
