"""Asset files (weights) of the fake server, with Range support and fault injection.

Files under <root>/assets/<path> are served at /assets/<path> (GET and HEAD), like a release
asset or a model zoo:
    ETag: "<sha1 of the content, 16 hex>"   Last-Modified: the file's mtime
    Range: bytes=N- / bytes=N-M  → 206 + Content-Range;  N >= size → 416 + Content-Range: */size
    If-Range with a stale ETag/date → 200 and the whole file (RFC 9110)

Faults, from <root>/config.json (FakeServer::setConfig) under "assets": {"<path>": {...}} (the
path after /assets/, or "*" for every asset), or from query parameters of the same names:
    "cut_after": N        send N bytes of the body, then close the connection
    "cut_times": K        ... for the first K requests of that path only (default 1)
    "stall": S            stop sending for S seconds after "stall_after" bytes (default 0)
    "stall_times": K      ... for the first K requests only (default 1)
    "ignore_range": true  answer 200 with the whole file even when a Range is asked for
    "whole_on_206": true  answer a Range with 206 and the Content-Range asked for, but send the
                          whole file as the body (a broken server or cache)
    "no_content_length": true  send no Content-Length; the body ends when the connection closes
    "fail_first": K       answer "fail_status" (default 500) to the first K requests
    "rate_limit": true    answer 403 with X-RateLimit-Remaining: 0 (reset in "rate_limit_reset"
                          epoch seconds, default now + 1 h)
    "no_validators": true send neither ETag nor Last-Modified
    "etag": "\"x\""       use this ETag (to simulate a changed file between runs)
    "redirect_to": URL    answer 302 to URL (e.g. another host: localhost vs 127.0.0.1)
    "chunk": N            write the body in N-byte pieces (default 65536)
    "delay_headers": S    wait S seconds before answering at all (connect/answer timeouts)
    "delay_times": K      ... for the first K requests only (default 1)
Counters are per path (without query) and live as long as the server process.
"""
import email.utils
import hashlib
import os
import socket
import threading
import time

from server import route

_counts = {}
_counts_lock = threading.Lock()


def _count(key):
    """How many times `key` was counted before this call (0 for the first)."""
    with _counts_lock:
        n = _counts.get(key, 0)
        _counts[key] = n + 1
        return n


def _faults(h, rel):
    cfg = h.state.config().get("assets", {})
    faults = dict(cfg.get("*", {}))
    faults.update(cfg.get(rel, {}))
    for k, v in h.query.items():
        if k in ("ignore_range", "rate_limit", "no_validators", "whole_on_206",
                 "no_content_length"):
            faults[k] = v not in ("0", "false", "")
        elif k in ("redirect_to", "etag"):
            faults[k] = v
        else:
            try:
                faults[k] = float(v) if k in ("stall", "delay_headers") else int(v)
            except ValueError:
                pass
    return faults


def _parse_range(value, size):
    """(start, end) inclusive, 'unsatisfiable', or None for no/unsupported Range."""
    if not value or not value.startswith("bytes=") or "," in value:
        return None
    a, _, b = value[6:].strip().partition("-")
    try:
        if a == "":  # suffix range: last b bytes
            n = int(b)
            return (max(0, size - n), size - 1) if n > 0 else "unsatisfiable"
        start = int(a)
        end = int(b) if b else size - 1
    except ValueError:
        return None
    if start >= size:
        return "unsatisfiable"
    return start, min(end, size - 1)


@route("GET", r"/assets/(.+)")
@route("HEAD", r"/assets/(.+)")
def asset(h, m):
    rel = m.group(1)
    base = os.path.realpath(os.path.join(h.state.root, "assets"))
    path = os.path.realpath(os.path.join(base, rel))
    faults = _faults(h, rel)

    delay = float(faults.get("delay_headers", 0))
    if delay and _count(("delay", rel)) < int(faults.get("delay_times", 1)):
        time.sleep(delay)
    if faults.get("redirect_to"):
        h.redirect(faults["redirect_to"])
        return
    if faults.get("rate_limit"):
        reset = int(faults.get("rate_limit_reset", time.time() + 3600))
        h.send_json(403, {"message": "API rate limit exceeded"},
                    {"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "0",
                     "X-RateLimit-Reset": str(reset)})
        return
    fail_first = int(faults.get("fail_first", 0))
    if fail_first and _count(("fail", rel)) < fail_first:
        h.send_json(int(faults.get("fail_status", 500)), {"message": "injected failure"})
        return
    if not path.startswith(base + os.sep) or not os.path.isfile(path):
        h.send_json(404, {"message": "Not Found"})
        return

    with open(path, "rb") as f:
        data = f.read()
    size = len(data)
    etag = faults.get("etag") or '"%s"' % hashlib.sha1(data).hexdigest()[:16]
    last_modified = email.utils.formatdate(os.path.getmtime(path), usegmt=True)
    headers = {"Accept-Ranges": "bytes"}
    if not faults.get("no_validators"):
        headers["ETag"] = etag
        headers["Last-Modified"] = last_modified

    rng = None if faults.get("ignore_range") else _parse_range(h.headers.get("Range"), size)
    if_range = h.headers.get("If-Range")
    if rng is not None and if_range and if_range not in (etag, last_modified):
        rng = None  # the client's copy is stale: send everything
    if rng == "unsatisfiable":
        h.send_response(416)
        h.send_header("Content-Range", "bytes */%d" % size)
        h.send_header("Content-Length", "0")
        h.end_headers()
        return
    if rng is None:
        status, start, end = 200, 0, size - 1
    else:
        status, (start, end) = 206, rng
        headers["Content-Range"] = "bytes %d-%d/%d" % (start, end, size)
    body = data[start:end + 1]
    if status == 206 and faults.get("whole_on_206"):
        body = data

    h.send_response(status)
    h.send_header("Content-Type", "application/octet-stream")
    if faults.get("no_content_length"):
        h.send_header("Connection", "close")
        h.close_connection = True
    else:
        h.send_header("Content-Length", str(len(body)))
    for k, v in headers.items():
        h.send_header(k, v)
    h.end_headers()
    if h.command == "HEAD":
        return

    cut = faults.get("cut_after")
    if cut is not None and _count(("cut", rel)) >= int(faults.get("cut_times", 1)):
        cut = None
    stall = float(faults.get("stall", 0))
    stall_after = int(faults.get("stall_after", 0))
    if stall and _count(("stall", rel)) >= int(faults.get("stall_times", 1)):
        stall = 0
    chunk = int(faults.get("chunk", 65536))

    sent = 0
    while sent < len(body):
        n = chunk
        if cut is not None:
            n = min(n, int(cut) - sent)
        if stall and sent < stall_after:
            n = min(n, stall_after - sent)
        if n > 0:
            h.wfile.write(body[sent:sent + n])
            sent += n
        if cut is not None and sent >= int(cut):
            h.wfile.flush()
            h.close_connection = True
            try:
                h.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if stall and sent >= stall_after:
            h.wfile.flush()
            time.sleep(stall)
            stall = 0
    h.wfile.flush()
