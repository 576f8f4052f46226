"""GitHub routes of the fake server: web probe, branches/tags/commits API, zipball + codeload.

Fixture repositories are real git repositories the tests build with `git` under
    <root>/repos/<owner>/<repo>        (a normal or bare repository)
and are served as GitHub does: `git archive --format=zip --prefix=<owner>-<repo>-<sha7>/ <sha>`
(git stores the commit id as the zip comment, like GitHub's zipballs).

Behaviour switches, read per request from <root>/config.json (FakeServer::setConfig):
    "token": "s3cret"            the only token the server accepts (Authorization: token s3cret)
    "private": ["owner/repo"]    repositories that answer 404 without the token
    "rate_limited": true         every /repos/ API call answers 403 with X-RateLimit-Remaining: 0
    "rate_limit_reset": 1900000000   epoch seconds in X-RateLimit-Reset (default now + 1 h)
    "codeload_host": "localhost" host of the zipball redirect (a different host than 127.0.0.1,
                                 so clients must not forward credentials to it)
    "zip_override": {"owner/repo": "/path/to.zip"}   serve this file instead of git archive
    "slow_zip_ms": 0             pause before sending the zip body (for cancel/kill tests)
    "cut_zip": 0                 the first N zip downloads send half the body, then the
                                 connection is closed (count kept in <root>/cut_zip.count)
"""
import json
import os
import subprocess
import time

from server import route


def _cfg(h):
    return h.state.config()


def _repo_dir(h, owner, repo):
    d = os.path.join(h.state.root, "repos", owner, repo)
    return d if os.path.isdir(d) else None


def _authorized(h):
    token = _cfg(h).get("token")
    return bool(token) and h.headers.get("Authorization") == f"token {token}"


def _visible(h, owner, repo):
    """The repo dir when the client may see it (private repos need the token), else None."""
    d = _repo_dir(h, owner, repo)
    if d is None:
        return None
    if f"{owner}/{repo}" in _cfg(h).get("private", []) and not _authorized(h):
        return None
    return d


def _git(d, *args):
    r = subprocess.run(["git", "-C", d, *args], capture_output=True)
    if r.returncode != 0:
        return None
    return r.stdout


def _rev(d, ref):
    out = _git(d, "rev-parse", "--verify", "--quiet", ref + "^{commit}")
    return out.decode().strip() if out else None


def _refs(d, kind):
    """[(name, sha)] for kind 'heads' or 'tags', sorted by name like GitHub."""
    out = _git(d, "for-each-ref", "--format=%(refname:strip=2) %(objectname) %(*objectname)",
               f"refs/{kind}")
    items = []
    for line in (out or b"").decode().splitlines():
        parts = line.split()
        if len(parts) >= 2:
            sha = parts[2] if len(parts) > 2 and parts[2] else parts[1]  # peel annotated tags
            items.append((parts[0], sha))
    return sorted(items)


def _rate_limited(h):
    cfg = _cfg(h)
    if not cfg.get("rate_limited"):
        return False
    reset = int(cfg.get("rate_limit_reset", time.time() + 3600))
    h.send_json(403, {"message": "API rate limit exceeded for 127.0.0.1. (But here's the good news: "
                                 "Authenticated requests get a higher rate limit.)",
                      "documentation_url": "https://docs.github.com/rest/rate-limit"},
                {"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "0",
                 "X-RateLimit-Reset": str(reset)})
    return True


@route("GET", r"/([^/]+)/([^/]+)/tree/(.+?)/?")
def tree(h, m):
    owner, repo, branch = m.groups()
    d = _visible(h, owner, repo)
    if d and _rev(d, "refs/heads/" + branch):
        h.send_bytes(200, b"<html>tree</html>", "text/html")
    else:
        h.send_bytes(404, b"<html>Not Found</html>", "text/html")


def _list(h, m, kind):
    if _rate_limited(h):
        return
    owner, repo = m.groups()
    d = _visible(h, owner, repo)
    if d is None:
        h.send_json(404, {"message": "Not Found"})
        return
    q = h.query
    per_page = max(1, min(100, int(q.get("per_page", "30"))))
    page = max(1, int(q.get("page", "1")))
    all_items = _refs(d, kind)
    items = all_items[(page - 1) * per_page: page * per_page]
    base = f"http://{h.headers.get('Host')}/repos/{owner}/{repo}/commits/"
    # GitHub's pagination: a Link header with rel="next"/"last" (and "prev"/"first").
    pages = max(1, (len(all_items) + per_page - 1) // per_page)
    here = f"http://{h.headers.get('Host')}/repos/{owner}/{repo}/{'branches' if kind == 'heads' else 'tags'}"
    links = []
    if page < pages:
        links.append(f'<{here}?per_page={per_page}&page={page + 1}>; rel="next"')
        links.append(f'<{here}?per_page={per_page}&page={pages}>; rel="last"')
    if page > 1:
        links.append(f'<{here}?per_page={per_page}&page={page - 1}>; rel="prev"')
        links.append(f'<{here}?per_page={per_page}&page=1>; rel="first"')
    h.send_json(200, [{"name": n, "commit": {"sha": s, "url": base + s}} for n, s in items],
                {"Link": ", ".join(links)} if links else None)


@route("GET", r"/repos/([^/]+)/([^/]+)")
def repository(h, m):
    """GET /repos/{o}/{r}: the default branch (the repository's HEAD)."""
    if _rate_limited(h):
        return
    owner, repo = m.groups()
    d = _visible(h, owner, repo)
    if d is None:
        h.send_json(404, {"message": "Not Found"})
        return
    head = _git(d, "symbolic-ref", "--short", "HEAD")
    h.send_json(200, {"full_name": f"{owner}/{repo}", "name": repo,
                      "default_branch": head.decode().strip() if head else "main"})


@route("GET", r"/repos/([^/]+)/([^/]+)/branches")
def branches(h, m):
    _list(h, m, "heads")


@route("GET", r"/repos/([^/]+)/([^/]+)/tags")
def tags(h, m):
    _list(h, m, "tags")


@route("GET", r"/repos/([^/]+)/([^/]+)/commits/(.+)")
def commit(h, m):
    if _rate_limited(h):
        return
    owner, repo, ref = m.groups()
    d = _visible(h, owner, repo)
    sha = _rev(d, ref) if d else None
    if sha is None:
        h.send_json(404 if d is None else 422, {"message": f"No commit found for SHA: {ref}"})
    elif "application/vnd.github.sha" in h.headers.get("Accept", ""):
        h.send_bytes(200, sha.encode(), "application/vnd.github.sha")
    else:
        h.send_json(200, {"sha": sha})


@route("GET", r"/([^/]+)/([^/]+)/zipball/(.+)")
def zipball(h, m):
    owner, repo, ref = m.groups()
    d = _visible(h, owner, repo)
    if d is None:
        h.send_bytes(404, b"Not Found", "text/plain")
        return
    if not ref.startswith("refs/") and _rev(d, "refs/heads/" + ref) and _rev(d, "refs/tags/" + ref):
        h.send_bytes(300, b"Multiple Choices", "text/plain")
        return
    if _rev(d, ref) is None:
        h.send_bytes(404, b"Not Found", "text/plain")
        return
    host = _cfg(h).get("codeload_host", "localhost")
    port = h.server.server_address[1]
    location = f"http://{host}:{port}/codeload/{owner}/{repo}/legacy.zip/{ref}"
    if f"{owner}/{repo}" in _cfg(h).get("private", []):
        location += "?token=" + "CODELOADTMP"  # GitHub puts a short-lived token in the URL
    h.redirect(location)


@route("GET", r"/codeload/([^/]+)/([^/]+)/legacy\.zip/(.+)")
def codeload(h, m):
    owner, repo, ref = m.groups()
    cfg = _cfg(h)
    d = _repo_dir(h, owner, repo)
    if d is None or (f"{owner}/{repo}" in cfg.get("private", [])
                     and h.query.get("token") != "CODELOADTMP"):
        h.send_bytes(404, b"Not Found", "text/plain")
        return
    override = cfg.get("zip_override", {}).get(f"{owner}/{repo}")
    if override:
        with open(override, "rb") as f:
            data = f.read()
    else:
        sha = _rev(d, ref)
        if sha is None:
            h.send_bytes(404, b"Not Found", "text/plain")
            return
        data = _git(d, "archive", "--format=zip", f"--prefix={owner}-{repo}-{sha[:7]}/", sha)
    h.send_response(200)
    h.send_header("Content-Type", "application/zip")
    h.send_header("Content-Length", str(len(data)))
    h.send_header("Content-Disposition", f"attachment; filename={owner}-{repo}-x.zip")
    h.end_headers()
    slow = int(cfg.get("slow_zip_ms", 0))
    if slow:
        time.sleep(slow / 1000.0)
    cuts = int(cfg.get("cut_zip", 0))
    if cuts:
        counter = os.path.join(h.state.root, "cut_zip.count")
        with h.state.lock:
            done = int(open(counter).read()) if os.path.exists(counter) else 0
            with open(counter, "w") as f:
                f.write(str(done + 1))
        if done < cuts:
            h.wfile.write(data[: len(data) // 2])
            h.wfile.flush()
            h.close_connection = True
            return
    h.wfile.write(data)
