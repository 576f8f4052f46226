#!/usr/bin/python3
"""Hubcap benchmarks, side by side with the tools users would otherwise use.

Every benchmark runs Hubcap and a reference tool (Python torch.hub, curl, du, unzip) in the
same run, on the same inputs, alternating, and reports the ratio of their medians. Absolute
times on these shared machines mean little; ratios measured together mean more. Nothing here
asserts on speed: this prints a table and writes build/bench/results.json.

Usage: run.py --bin BUILD/bin --out BUILD/bench/results.json [--quick] [--only NAME,...]
"""
import argparse
import datetime
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

PY = "/usr/bin/python3"
HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(HERE)


def run_timed(cmd, env=None, cwd=None, stdin=None):
    """Runs cmd to completion; returns (wall seconds, stdout). Memory is measured separately."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         stdin=subprocess.DEVNULL if stdin is None else subprocess.PIPE)
    out, err = p.communicate(stdin)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({p.returncode}): {err.decode(errors='replace')[-400:]}")
    return dt, out


def measure_rss(cmd, env=None):
    """Peak resident memory (KiB) of one run of cmd, from GNU time."""
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + list(cmd), env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        return int(p.stderr.decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None


def timed_rss(cmd, env=None):
    """Runs cmd under GNU time; returns (wall seconds, peak RSS KiB). Raises when cmd fails."""
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "RSS_KIB %M"] + list(cmd), env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    dt = time.perf_counter() - t0
    err = p.stderr.decode(errors="replace")
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({p.returncode}): {err[-400:]}")
    kib = [int(line.split()[1]) for line in err.splitlines() if line.startswith("RSS_KIB ")]
    return dt, (kib[-1] if kib else None)


def compare(hub_cmd, ref_cmd, runs, env=None, setup=None):
    """Alternates hubcap and reference runs; returns medians (s) and spreads."""
    h, r = [], []
    for _ in range(runs):
        if setup:
            setup()
        h.append(run_timed(hub_cmd, env)[0])
        if setup:
            setup()
        r.append(run_timed(ref_cmd, env)[0])
    return statistics.median(h), statistics.median(r), (min(h), max(h)), (min(r), max(r))


def ms(seconds):
    v = seconds * 1000
    return f"{v:.3f}ms" if v < 10 else f"{v:.1f}ms"


def start_server(root):
    """Starts the fake GitHub (tests/support/fakegithub/server.py) on loopback; returns (proc, url)."""
    os.makedirs(root, exist_ok=True)
    srv = subprocess.Popen([PY, os.path.join(SRC, "tests", "support", "fakegithub", "server.py"), "--root", root],
                           stdout=subprocess.PIPE, text=True)
    line = srv.stdout.readline().split()
    if len(line) < 2:
        srv.kill()
        raise RuntimeError("the fake server did not start")
    return srv, f"http://127.0.0.1:{int(line[1])}"


def read_requests(root):
    try:
        with open(os.path.join(root, "requests.log"), encoding="utf-8") as f:
            return [json.loads(x) for x in f if x.strip()]
    except OSError:
        return []


def write_random_files(folder, total_bytes, file_size):
    os.makedirs(folder, exist_ok=True)
    n = 0
    i = 0
    while n < total_bytes:
        size = min(file_size, total_bytes - n)
        sub = os.path.join(folder, f"d{i // 200}")
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"f{i}.bin"), "wb") as f:
            f.write(os.urandom(size))
        n += size
        i += 1


class Bench:
    def __init__(self, bindir, quick):
        self.bin = bindir
        self.cli = os.path.join(bindir, "hubcap-cli")
        self.quick = quick
        self.rows = []
        self.tmp = tempfile.mkdtemp(prefix="hubcap-bench-")
        self.env = dict(os.environ)
        for k in ("GITHUB_TOKEN", "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
            self.env.pop(k, None)
        self.env["TORCH_HOME"] = os.path.join(self.tmp, "torch")
        self.env["no_proxy"] = "127.0.0.1,localhost"
        self.help = subprocess.run([self.cli, "--help"], capture_output=True, text=True).stdout

    def has(self, command):
        return f"hubcap-cli {command}" in self.help

    def row(self, group, name, hub, ref, ref_name, goal, note=""):
        ratio = ref / hub if hub and ref else None
        self.rows.append({"group": group, "name": name, "hubcap_s": hub, "reference": ref_name,
                          "reference_s": ref, "speedup": ratio, "goal": goal, "note": note})

    def skip(self, group, why):
        self.rows.append({"group": group, "name": "(skipped)", "note": why})

    # 1. Start-up ---------------------------------------------------------------------------
    def startup(self):
        runs = 3 if self.quick else 11
        h, r, _, _ = compare([self.cli, "--version"], [PY, "-c", "import torch.hub"], runs, self.env)
        self.row("startup", "hubcap-cli --version", h, r, "python3 -c 'import torch.hub'", ">= 10x")
        if self.has("cache ls"):
            hub = self.make_cache(2000, 50)
            h, r, _, _ = compare([self.cli, "--hub-dir", hub, "cache", "ls"], [PY, "-c", "import torch.hub"],
                                 runs, self.env)
            self.row("startup", "hubcap-cli cache ls (2k files)", h, r, "python3 -c 'import torch.hub'", ">= 10x")
        gui = os.path.join(self.bin, "hubcap")
        if os.path.exists(gui) and "--quit-after-show" in subprocess.run(
                [gui, "--help"], capture_output=True, text=True, env={**self.env, "QT_QPA_PLATFORM": "offscreen"}).stdout:
            genv = {**self.env, "QT_QPA_PLATFORM": "offscreen"}
            h, r, _, _ = compare([gui, "--quit-after-show"], [PY, "-c", "import torch.hub"], runs, genv)
            self.row("startup", "hubcap (GUI) to window shown", h, r, "python3 -c 'import torch.hub'", ">= 10x",
                     "offscreen (QT_QPA_PLATFORM=offscreen), hubcap --quit-after-show")
        else:
            self.skip("startup", "GUI start-up: hubcap not built or has no --quit-after-show")

    # 6. Cache scan ------------------------------------------------------------------------
    def make_cache(self, files, per_dir):
        hub = os.path.join(self.tmp, f"hub-{files}")
        if os.path.isdir(hub):
            return hub
        n = 0
        d = 0
        while n < files:
            folder = os.path.join(hub, f"owner{d}_repo_main", "pkg")
            os.makedirs(folder, exist_ok=True)
            for i in range(min(per_dir, files - n)):
                with open(os.path.join(folder, f"f{i}.py"), "wb") as f:
                    f.write(b"x" * (100 + i))
                n += 1
            d += 1
        os.makedirs(os.path.join(hub, "checkpoints"), exist_ok=True)
        return hub

    def cache_scan(self):
        if not self.has("cache ls"):
            return self.skip("cache scan", "hubcap-cli cache ls not built")
        sizes = [2_000, 10_000] if self.quick else [10_000, 200_000]
        times = {}
        for n in sizes:
            hub = self.make_cache(n, 100)
            runs = 3 if n > 50_000 else 7
            h, r, _, _ = compare([self.cli, "--hub-dir", hub, "--json", "cache", "ls"], ["du", "-sb", hub], runs, self.env)
            times[n] = h
            self.row("cache scan", f"cache ls, {n} files", h, r, "du -sb", "within 1.5x (speedup >= 0.67)")
        self.growth("cache scan", f"cache ls time {sizes[1]}/{sizes[0]} files", times[sizes[0]], times[sizes[1]],
                    sizes[1] / sizes[0], "linear in file count")

    # 2. Browsing ---------------------------------------------------------------------------
    def browsing(self):
        if not self.has("list"):
            return self.skip("browsing", "hubcap-cli list not built")
        demo = os.path.join(SRC, "resources", "demo-hub")
        runs = 3 if self.quick else 7
        # torch 1.13's list/help take no source= argument: point the cache step at the folder.
        local = f"import torch.hub as h; h._get_cache_or_reload = lambda *a, **k: {demo!r}; "
        ref = [PY, "-c", local + "h.list('hubcap/demo')"]
        h, r, _, _ = compare([self.cli, "list", demo, "--source", "local", "--json"], ref, runs, self.env)
        self.row("browsing", "static list, cold host (demo repo)", h, r, "torch.hub.list(source='local')", ">= 20x cold")
        h, r, _, _ = compare([self.cli, "help", demo, sorted(self.demo_entrypoints(demo))[0], "--source", "local"],
                             [PY, "-c", local + f"h.help('hubcap/demo', {sorted(self.demo_entrypoints(demo))[0]!r})"],
                             runs, self.env)
        self.row("browsing", "static help, cold host", h, r, "torch.hub.help(source='local')", ">= 20x cold")

    def demo_entrypoints(self, demo):
        out = subprocess.run([self.cli, "--json", "list", demo, "--source", "local"], capture_output=True, text=True).stdout
        try:
            return [e["name"] for e in json.loads(out)["entrypoints"]]
        except (ValueError, KeyError):
            return ["x"]

    # 2b. A big dynamic repository (timm's shape) ----------------------------------------------
    def make_dynamic_repo(self, modules=30, per_module=50):
        """1,500 entrypoints registered by decorators in a package and added to hubconf's
        namespace with globals().update(...), as timm does; the modules import torch."""
        repo = os.path.join(self.tmp, f"dynamic-{modules * per_module}")
        if os.path.isdir(repo):
            return repo
        os.makedirs(os.path.join(repo, "models"))
        with open(os.path.join(repo, "models", "registry.py"), "w") as f:
            f.write("_model_entrypoints = {}\n\n\ndef register_model(fn):\n"
                    "    _model_entrypoints[fn.__name__] = fn\n    return fn\n")
        names = []
        for i in range(modules):
            lines = ["import torch", "from .registry import register_model", "", "",
                     f"class Net{i}(torch.nn.Module):", "    def __init__(self, width=8):",
                     "        super().__init__()", "        self.fc = torch.nn.Linear(width, width)", "", ""]
            for j in range(per_module):
                lines += ["@register_model",
                          f"def model_{i}_{j}(pretrained=False, num_classes=1000, **kwargs):",
                          f'    """Model {i}/{j}.\n\n    Args:\n        pretrained (bool): load weights\n    """',
                          f"    m = Net{i}()", "    if pretrained:",
                          f"        m.load_state_dict(torch.hub.load_state_dict_from_url('https://h.example/m_{i}_{j}.pth'))",
                          "    return m", "", ""]
            with open(os.path.join(repo, "models", f"m{i:02d}.py"), "w") as f:
                f.write("\n".join(lines))
            names.append(f"m{i:02d}")
        with open(os.path.join(repo, "models", "__init__.py"), "w") as f:
            f.write("".join(f"from . import {n}\n" for n in names))
        with open(os.path.join(repo, "hubconf.py"), "w") as f:
            f.write("dependencies = ['torch']\nimport torch\nimport models\n"
                    "from models.registry import _model_entrypoints\n"
                    "globals().update(_model_entrypoints)\n")
        return repo

    def dynamic(self):
        """Cold import listing of a 1,500-entrypoint globals().update repository vs
        torch.hub.list on the same folder, and the kept listing (no Python) vs the same."""
        if not self.has("list"):
            return self.skip("dynamic", "hubcap-cli list not built")
        repo = self.make_dynamic_repo()
        runs = 3 if self.quick else 5
        listings = os.path.join(self.env["TORCH_HOME"], "hub", ".hubcap", "listings")
        local = f"import torch.hub as h; h._get_cache_or_reload = lambda *a, **k: {repo!r}; "
        ref = [PY, "-c", local + "assert len(h.list('x/y')) == 1500"]
        cmd = [self.cli, "--json", "list", repo, "--source", "local", "--mode", "import"]
        out = json.loads(subprocess.run(cmd, capture_output=True, text=True, env=self.env).stdout)
        if len(out.get("entrypoints", [])) != 1500:
            raise RuntimeError("the dynamic fixture did not list 1,500 entrypoints")

        def clear():
            shutil.rmtree(listings, ignore_errors=True)
        h, r, _, _ = compare(cmd, ref, runs, self.env, setup=clear)
        self.row("dynamic", "import list, 1,500 entrypoints, cold (no kept listing)", h, r,
                 "torch.hub.list (same folder)", ">= 1x (not slower)")
        subprocess.run(cmd, capture_output=True, env=self.env)  # keep it
        h, r, _, _ = compare(cmd, ref, runs, self.env)
        self.row("dynamic", "import list, 1,500 entrypoints, kept listing", h, r,
                 "torch.hub.list (same folder)", ">= 10x", "answered from .hubcap/listings, no Python")

    # 7. Checkpoint inspection ----------------------------------------------------------------
    def inspection(self):
        if not self.has("inspect"):
            return self.skip("inspection", "hubcap-cli inspect not built")
        sizes = [10, 200] if self.quick else [10, 2048]
        times = {}
        for mb in sizes:
            path = os.path.join(self.tmp, f"ckpt-{mb}mb.pt")
            if not os.path.exists(path):
                subprocess.run([PY, "-c", (
                    "import torch, collections, sys\n"
                    f"n = {mb} * 1024 * 1024 // 4 // 64\n"
                    "sd = collections.OrderedDict((f'layer{i}.weight', torch.zeros(n)) for i in range(64))\n"
                    f"torch.save(sd, {path!r})\n")], check=True)
            runs = 3 if mb > 100 else 7
            h, r, _, _ = compare([self.cli, "--json", "inspect", path],
                                 [PY, "-c", f"import torch; torch.load({path!r}, map_location='cpu')"], runs, self.env)
            times[mb] = h
            self.row("inspection", f"inspect {mb} MB checkpoint", h, r, "torch.load", ">= 50x on the large one",
                     f"file {os.path.getsize(path) / 2**20:.0f} MiB")
        self.growth("inspection", f"inspect time {sizes[1]}/{sizes[0]} MB", times[sizes[0]], times[sizes[1]],
                    sizes[1] / sizes[0], "constant in file size (~1x)")

    # 4/5. Downloads -----------------------------------------------------------------------------
    def downloads(self):
        if not self.has("download"):
            return self.skip("download", "hubcap-cli download not built")
        sizes = [16, 256] if self.quick else [64, 2048]
        root = os.path.join(self.tmp, "srv")
        os.makedirs(os.path.join(root, "assets"), exist_ok=True)
        srv, base = start_server(root)
        times, rss = {}, {}
        try:
            for mb in sizes:
                name = f"weights-{mb}mb.bin"
                blob = os.path.join(root, "assets", name)
                if not os.path.exists(blob):
                    with open(blob, "wb") as f:
                        chunk = os.urandom(1 << 20)
                        for _ in range(mb):
                            f.write(chunk)
                url = f"{base}/assets/{name}"
                out = os.path.join(self.tmp, "dl")

                def clean():
                    shutil.rmtree(out, ignore_errors=True)
                    os.makedirs(out, exist_ok=True)
                runs = 1 if (self.quick or mb > 1000) else 3
                # Warm-up, untimed: the server's first read of the blob just written (and the kernel
                # flushing it) would otherwise land on whichever tool goes first (Hubcap), alone
                # when runs == 1 (2 GB).
                subprocess.run(["curl", "-s", "-f", "-o", os.devnull, url], check=False)
                hub_cmd = [self.cli, "download", url, "--model-dir", out]
                curl_cmd = ["curl", "-s", "-f", "-o", os.path.join(out, "c.bin"), url]
                py_cmd = [PY, "-c", f"import torch.hub; torch.hub.download_url_to_file({url!r}, "
                                    f"{os.path.join(out, 'p.bin')!r}, progress=False)"]
                # One pass per tool and run, alternating, each under GNU time: wall time and peak RSS
                # from the same run (a 2 GB file is too slow to download twice per tool).
                t = {"h": [], "c": [], "p": []}
                m = {"h": [], "c": [], "p": []}
                for _ in range(runs):
                    for key, cmd in (("h", hub_cmd), ("c", curl_cmd), ("p", py_cmd)):
                        clean()
                        wall, kib = timed_rss(cmd, self.env)
                        t[key].append(wall)
                        m[key].append(kib)
                clean()
                h, c, p = (statistics.median(t[k]) for k in "hcp")
                times[mb] = h
                self.row("download", f"{mb} MB on loopback", h, c, "curl -o", "within 10% (speedup >= 0.9)",
                         f"{mb / h:.0f} MB/s vs curl {mb / c:.0f} MB/s")
                self.row("download", f"{mb} MB on loopback", h, p, "torch.hub.download_url_to_file", "not slower")
                rss[mb] = max(m["h"])
                self.rows.append({"group": "download", "name": f"peak RSS, {mb} MB file",
                                  "note": f"hubcap-cli {max(m['h'])} KiB, curl {max(m['c'])} KiB, "
                                          f"python {max(m['p'])} KiB"})
            if len(times) == 2:
                a, b = sizes
                self.growth("download", f"download time {b}/{a} MB", times[a], times[b], b / a,
                            "linear in size (throughput constant)")
                if rss.get(a) and rss.get(b):
                    self.rows.append({"group": "growth", "name": f"download peak RSS {b}/{a} MB",
                                      "growth": rss[b] / rss[a], "size_ratio": b / a,
                                      "note": f"{rss[b] / rss[a]:.2f}x RSS for {b / a:.0f}x size; goal: flat (~1x)"})
        finally:
            srv.kill()

    def growth(self, group, name, small, large, size_ratio, goal):
        g = large / small if small and large else None
        self.rows.append({"group": "growth", "name": name, "growth": g, "size_ratio": size_ratio,
                          "note": f"{g:.2f}x time for {size_ratio:.0f}x size; goal: {goal}" if g else "n/a"})

    # 5. Resume ------------------------------------------------------------------------------------
    def resume(self):
        if not self.has("download"):
            return self.skip("resume", "hubcap-cli download not built")
        mb = 32 if self.quick else 128
        size = mb << 20
        root = os.path.join(self.tmp, "srv-resume")
        os.makedirs(os.path.join(root, "assets"), exist_ok=True)
        data = os.urandom(1 << 20)
        for name in ("resume-h.bin", "resume-p.bin"):
            with open(os.path.join(root, "assets", name), "wb") as f:
                for _ in range(mb):
                    f.write(data)
        cut = size // 2
        with open(os.path.join(root, "config.json"), "w") as f:
            json.dump({"assets": {"resume-h.bin": {"cut_after": cut}, "resume-p.bin": {"cut_after": cut}}}, f)
        srv, base = start_server(root)
        try:
            out = os.path.join(self.tmp, "dl-resume")
            os.makedirs(out, exist_ok=True)
            # Hubcap: the first run is cut at 50% (it may resume by itself on a retry); run again if it failed.
            cmd = [self.cli, "download", f"{base}/assets/resume-h.bin", "--model-dir", out]
            first = subprocess.run(cmd, env=self.env, capture_output=True)
            if first.returncode != 0:
                subprocess.run(cmd, env=self.env, capture_output=True, check=True)
            if os.path.getsize(os.path.join(out, "resume-h.bin")) != size:
                raise RuntimeError("hubcap's resumed file has the wrong size")
            # torch.hub: download_url_to_file cut at 50% raises; the user runs it again from zero.
            pyc = [PY, "-c", "import sys, torch.hub; torch.hub.download_url_to_file(sys.argv[1], sys.argv[2], "
                             "progress=False)", f"{base}/assets/resume-p.bin", os.path.join(out, "p.bin")]
            first_py = subprocess.run(pyc, env=self.env, capture_output=True)
            py_short = os.path.exists(os.path.join(out, "p.bin")) and os.path.getsize(os.path.join(out, "p.bin")) < size
            subprocess.run(pyc, env=self.env, capture_output=True, check=True)

            def after_cut(name):
                reqs = [r for r in read_requests(root) if r["method"] == "GET" and r["path"].startswith(f"/assets/{name}")]
                if len(reqs) < 2:
                    return None, len(reqs)
                rng = {k.lower(): v for k, v in reqs[-1]["headers"].items()}.get("range", "")
                start = int(rng[6:].split("-")[0]) if rng.startswith("bytes=") and rng[6:].split("-")[0] else 0
                return size - start, len(reqs)
            hb, hn = after_cut("resume-h.bin")
            pb, pn = after_cut("resume-p.bin")
            if hb is None:
                raise RuntimeError(f"hubcap made {hn} request(s); expected a cut one and a resumed one")
            self.rows.append({"group": "resume", "name": f"finish a {mb} MB download cut at 50%",
                              "hubcap_bytes": hb, "reference_bytes": pb, "reference": "torch.hub (starts again)",
                              "ratio": hb / pb if pb else None, "goal": "half (ratio 0.5)",
                              "note": f"hubcap {hb / 2**20:.1f} MiB ({hn} requests), torch.hub "
                                      f"{(pb or 0) / 2**20:.1f} MiB ({pn} requests): ratio "
                                      f"{(hb / pb if pb else float('nan')):.2f}; goal 0.5"
                                      + ("; NB torch.hub's cut run exited 0 leaving a truncated file"
                                         if first_py.returncode == 0 and py_short else "")})
        finally:
            srv.kill()

    # 3. Repository fetch ----------------------------------------------------------------------
    def fetch(self):
        if not self.has("fetch"):
            return self.skip("fetch", "hubcap-cli fetch not built")
        sizes = [1, 20] if self.quick else [1, 200]
        root = os.path.join(self.tmp, "srv-gh")
        overrides = {}
        zips = {}
        git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "-c", "gc.auto=0"]
        for mb in sizes:
            repo = os.path.join(root, "repos", "bench", f"repo{mb}")
            write_random_files(os.path.join(repo, "data"), mb << 20, 256 << 10 if mb > 10 else 16 << 10)
            with open(os.path.join(repo, "hubconf.py"), "w") as f:
                f.write("dependencies = []\n\n\ndef answer():\n    \"\"\"The answer.\"\"\"\n    return 42\n")
            subprocess.run(git + ["init", "-q", "-b", "main", repo], check=True)
            subprocess.run(git + ["-C", repo, "add", "-A"], check=True)
            subprocess.run(git + ["-C", repo, "commit", "-q", "-m", "fixture"], check=True)
            sha = subprocess.run(["git", "-C", repo, "rev-parse", "HEAD"], capture_output=True, text=True,
                                 check=True).stdout.strip()
            z = os.path.join(self.tmp, f"repo{mb}.zip")
            with open(z, "wb") as f:  # GitHub's zipball, made once (the server then sends the file)
                subprocess.run(["git", "-C", repo, "archive", "--format=zip", f"--prefix=bench-repo{mb}-{sha[:7]}/",
                                sha], stdout=f, check=True)
            overrides[f"bench/repo{mb}"] = z
            zips[mb] = z
        with open(os.path.join(root, "config.json"), "w") as f:
            json.dump({"zip_override": overrides}, f)
        srv, base = start_server(root)
        fetch_t, extract_t = {}, {}
        try:
            env = {**self.env, "HUBCAP_GITHUB_URL": base, "HUBCAP_GITHUB_API_URL": base}
            home = os.path.join(self.tmp, "fetch-home")

            def clean():
                shutil.rmtree(home, ignore_errors=True)
                os.makedirs(home)
            env["TORCH_HOME"] = home
            for mb in sizes:
                runs = 2 if mb > 50 else (3 if self.quick else 5)
                spec = f"bench/repo{mb}:main"
                hub_cmd = [self.cli, "fetch", spec, "--skip-validation", "--trust-repo", "yes"]
                py_cmd = [PY, "-c", (
                    "import sys, time, torch.hub as hub\n"
                    f"hub._git_archive_link = lambda o, n, r: {base!r} + '/' + o + '/' + n + '/zipball/' + r\n"
                    "t = time.perf_counter()\n"
                    "hub._get_cache_or_reload(sys.argv[1], False, True, 'load', verbose=False, skip_validation=True)\n"
                    "print(time.perf_counter() - t)\n"),
                    spec]
                hs, ps, pin = [], [], []
                for _ in range(runs):
                    clean()
                    hs.append(run_timed(hub_cmd, env)[0])
                    clean()
                    wall, out = run_timed(py_cmd, env)
                    ps.append(wall)
                    pin.append(float(out.decode().split()[-1]))
                h = statistics.median(hs)
                fetch_t[mb] = h
                label = f"fetch {os.path.getsize(zips[mb]) / 2**20:.0f} MB zipball"
                self.row("fetch", label, h, statistics.median(ps),
                         "torch.hub._get_cache_or_reload, whole python run", "not slower (>= 1x)")
                self.row("fetch", label, h, statistics.median(pin),
                         "the same, timed inside python (no import)", "not slower (>= 1x)",
                         "hubcap-cli whole process against torch.hub's download+extract alone")
                # Extraction alone: Hubcap's safe extractor (hubcap-bench) against unzip -q.
                bench_tool = os.path.join(self.bin, "hubcap-bench")
                if not os.path.exists(bench_tool):
                    self.skip("fetch", "hubcap-bench not built: no extraction timing")
                    continue
                dest = os.path.join(self.tmp, "x")

                def clean_x():
                    shutil.rmtree(dest, ignore_errors=True)
                    os.makedirs(dest)
                hs, us = [], []
                for _ in range(runs):
                    clean_x()
                    out = run_timed([bench_tool, "extract", zips[mb], dest], env)[1].decode()
                    hs.append(float(out.split()[1]))
                    clean_x()
                    us.append(run_timed(["unzip", "-q", zips[mb], "-d", dest], env)[0])
                shutil.rmtree(dest, ignore_errors=True)
                extract_t[mb] = statistics.median(hs)
                self.row("fetch", f"extract {os.path.getsize(zips[mb]) / 2**20:.0f} MB zipball",
                         statistics.median(hs), statistics.median(us), "unzip -q",
                         "within 1.2x (speedup >= 0.83)", "hubcap: in-process extractZipSafely()")
            a, b = sizes
            if fetch_t.get(a) and fetch_t.get(b):
                self.growth("fetch", f"fetch time {b}/{a} MB", fetch_t[a], fetch_t[b], b / a, "linear in size")
        finally:
            srv.kill()

    # 2b. Warm host -----------------------------------------------------------------------------
    def warm_host(self):
        tool = os.path.join(self.bin, "hubcap-bench")
        if not os.path.exists(tool):
            return self.skip("browsing", "hubcap-bench not built: no warm-host timing")
        demo = os.path.join(SRC, "resources", "demo-hub")
        n = 10 if self.quick else 30
        out = run_timed([tool, "pyhost", demo, str(n), "static.list"], self.env)[1].decode().split()
        vals = dict(zip(out[0::2], map(float, out[1::2])))
        local = f"import torch.hub as h; h._get_cache_or_reload = lambda *a, **k: {demo!r}; "
        refs = [run_timed([PY, "-c", local + "h.list('hubcap/demo')"], self.env)[0] for _ in range(3 if self.quick else 5)]
        ref = statistics.median(refs)
        self.row("browsing", "static list, cold host (in-process)", vals["cold_ms"] / 1000, ref,
                 "torch.hub.list in a fresh python", ">= 20x cold")
        self.row("browsing", f"static list, warm host (median of {n - 1})", vals["warm_median_ms"] / 1000, ref,
                 "torch.hub.list in a fresh python", "milliseconds warm",
                 f"warm min {vals.get('warm_min_ms', 0):.2f} ms, max {vals.get('warm_max_ms', 0):.2f} ms")

    # 2c. Catalog search (Discover, `hubcap-cli catalog search`) -----------------------------------
    def catalog_search(self):
        tool = os.path.join(self.bin, "hubcap-bench")
        if not os.path.exists(tool):
            return self.skip("catalog", "hubcap-bench not built: no catalog search timing")
        runs = 10 if self.quick else 50
        out = run_timed([tool, "catalog-search", "120", "5000", str(runs)], self.env)[1].decode().split()
        vals = dict(zip(out[0::2], map(float, out[1::2])))
        # No reference tool: the "reference" column is the 20 ms budget per search.
        # The median per search; p95 and max (in the note) also catch scheduler preemption on a
        # busy machine, which says nothing about the search itself.
        self.row("catalog", "search, 120 pages + 5,000 cached entrypoints", vals["median_ms"] / 1000, 0.020,
                 "20 ms budget", "< 20 ms",
                 f"p95 {vals['p95_ms']:.2f} ms, max {vals['max_ms']:.2f} ms, "
                 f"index build {vals['build_ms']:.2f} ms, {int(vals['searches'])} searches")

    # 8. Exported model latency ------------------------------------------------------------------
    def export_latency(self):
        if not (self.has("load") and self.has("verify")):
            return self.skip("export", "hubcap-cli load/verify not built")
        demo = os.path.join(SRC, "resources", "demo-hub")
        runs = 20 if self.quick else 50
        for ep, shape in (("tiny_cnn", "1,1,16,16"), ("spiral_mlp", "64,2")):
            try:
                path = os.path.join(self.tmp, f"{ep}.pt")
                run_timed([self.cli, "load", demo, ep, "--source", "local", "--export", "torchscript",
                           "--output", path, "--input-shape", shape], self.env)
                res = json.loads(run_timed([self.cli, "--json", "verify", path, "--runs", str(runs)], self.env)[1])
                timing = res.get("timing", {})
                med, threads = timing.get("median_ms"), timing.get("threads")
                if med is None or threads is None:
                    raise RuntimeError(f"verify --json has no timing.median_ms/threads: {str(res)[:200]}")
                dims = [int(x) for x in shape.split(",")]
                script = (
                    "import sys, time, statistics, torch, torch.hub\n"
                    f"torch.set_num_threads({int(threads)})\n"
                    f"m = torch.hub.load({demo!r}, {ep!r}, source='local').eval()\n"
                    f"x = torch.randn({dims})\n"
                    "ts = []\n"
                    "with torch.no_grad():\n"
                    "    for _ in range(3): m(x)\n"
                    f"    for _ in range({runs}):\n"
                    "        t = time.perf_counter(); m(x); ts.append(time.perf_counter() - t)\n"
                    "print(statistics.median(ts) * 1000)\n")
                eager = float(run_timed([PY, "-c", script], self.env)[1].decode().split()[-1])
                self.row("export", f"{ep} forward median, {threads} thread(s), input {shape}", med / 1000,
                         eager / 1000, "eager PyTorch (same threads, no_grad)", "report (not slower)",
                         f"median of {runs} runs each")
            except Exception as e:  # one model failing must not hide the other
                self.rows.append({"group": "export", "name": f"(failed) {ep}", "note": str(e)[:300]})

    # 9. Offline bundles --------------------------------------------------------------------------
    def bundles(self):
        """bundle export/import of a ~2 GB hub (a repository and checkpoints) against tar + sha256sum
        of the same files: export = tar cf + sha256sum of every file; import = tar xf + sha256sum
        of every extracted file (hubcap verifies every file before placing any). Peak RSS shows
        the bounded memory. HUBCAP_BENCH_BUNDLE_MB overrides the size."""
        if not self.has("bundle export"):
            return self.skip("bundle", "hubcap-cli bundle not built")
        mb = int(os.environ.get("HUBCAP_BENCH_BUNDLE_MB", "64" if self.quick else "2048"))
        runs = 1 if mb >= 1024 else 3
        root = os.path.join(self.tmp, "bundle")
        hub = os.path.join(root, "hub")
        repo = os.path.join(hub, "bench_repo_main")
        write_random_files(repo, min(64, mb // 8) * 2**20, 64 * 1024)  # many small source files
        with open(os.path.join(repo, "hubconf.py"), "w") as f:
            f.write("def model():\n    return 1\n")
        cks = os.path.join(hub, "checkpoints")
        os.makedirs(cks, exist_ok=True)
        left, i = mb * 2**20 - min(64, mb // 8) * 2**20, 0
        while left > 0:
            size = min(left, 256 * 2**20)
            with open(os.path.join(cks, f"w{i}.pth"), "wb") as f:
                for _ in range(size // 2**20):
                    f.write(os.urandom(2**20))
                f.write(os.urandom(size % 2**20))
            left -= size
            i += 1
        side = os.path.join(hub, ".hubcap", "repos")
        os.makedirs(side, exist_ok=True)
        with open(os.path.join(side, "bench_repo_main.json"), "w") as f:
            json.dump({"owner": "bench", "repo": "repo", "ref": "main", "commit": "0" * 40}, f)
        out = os.path.join(root, "b.hubcap")
        ref_tar = os.path.join(root, "ref.tar")
        new_hub = os.path.join(root, "new-hub")
        ref_dir = os.path.join(root, "ref-x")

        def clean_out():
            for p in (out, ref_tar):
                if os.path.exists(p):
                    os.remove(p)

        def clean_in():
            shutil.rmtree(new_hub, ignore_errors=True)
            shutil.rmtree(ref_dir, ignore_errors=True)

        exp = [self.cli, "--hub-dir", hub, "bundle", "export", "bench/repo:main", "--weights", "all", "-o", out]
        ref_exp = ["sh", "-c", f"cd '{hub}' && tar cf '{ref_tar}' bench_repo_main checkpoints && "
                               "find bench_repo_main checkpoints -type f -print0 | xargs -0 sha256sum > /dev/null"]
        size = sum(os.path.getsize(os.path.join(d, f)) for top in (repo, cks)
                   for d, _, fs in os.walk(top) for f in fs)
        h, r, _, _ = compare(exp, ref_exp, runs, self.env, setup=clean_out)
        self.row("bundle", f"export {size / 2**20:.0f} MB bundle", h, r, "tar cf + sha256sum", "within 1.5x")
        run_timed(ref_exp, self.env)  # both archives exist for the import runs
        if not os.path.exists(out):
            run_timed(exp, self.env)
        imp = [self.cli, "--hub-dir", new_hub, "bundle", "import", out, "--trust"]
        ref_imp = ["sh", "-c", f"mkdir -p '{ref_dir}' && tar xf '{ref_tar}' -C '{ref_dir}' && cd '{ref_dir}' && "
                               "find . -type f -print0 | xargs -0 sha256sum > /dev/null"]
        h, r, _, _ = compare(imp, ref_imp, runs, self.env, setup=clean_in)
        self.row("bundle", f"import {size / 2**20:.0f} MB bundle (verified)", h, r, "tar xf + sha256sum",
                 "within 1.5x")
        clean_out()
        _, rss_e = timed_rss(exp, self.env)
        clean_in()
        _, rss_i = timed_rss(imp, self.env)
        self.rows.append({"group": "bundle", "name": f"peak RSS export / import of {size / 2**20:.0f} MB",
                          "hubcap_bytes": (rss_e or 0) * 1024,
                          "note": f"export {rss_e} KiB, import {rss_i} KiB (bounded: 1 MiB buffers)"})
        shutil.rmtree(root, ignore_errors=True)

    def report(self, out_path):
        print(f"\nHubcap benchmarks — {datetime.date.today()} — {os.cpu_count()} cores — {platform.platform()}")
        print(f"{'group':<12} {'benchmark':<58} {'hubcap':>9} {'reference':>10} {'speedup':>8}  reference tool / goal")
        for r in self.rows:
            if r.get("growth") is not None or r.get("hubcap_bytes") is not None:
                print(f"{r['group']:<12} {r['name']:<58} {'':>9} {'':>10} {'':>8}  {r.get('note', '')}")
                continue
            if r.get("hubcap_s") is None:
                print(f"{r['group']:<12} {r['name']:<58} {'':>9} {'':>10} {'':>8}  {r.get('note', '')}")
                continue
            print(f"{r['group']:<12} {r['name']:<58} {ms(r['hubcap_s']):>9} {ms(r['reference_s']):>10} "
                  f"{r['speedup']:>7.2f}x  {r['reference']} / goal {r['goal']}")
        versions = {}
        for name, cmd in {"hubcap-cli": [self.cli, "--version"],
                          "torch": [PY, "-c", "import torch; print(torch.__version__)"],
                          "curl": ["curl", "--version"]}.items():
            try:
                versions[name] = subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines()[0]
            except (OSError, IndexError):
                versions[name] = None
        os.makedirs(os.path.dirname(out_path), exist_ok=True)
        with open(out_path, "w") as f:
            json.dump({"date": datetime.datetime.now().isoformat(timespec="seconds"),
                       "cores": os.cpu_count(), "platform": platform.platform(),
                       "versions": versions, "results": self.rows}, f, indent=2)
        print(f"\nwritten to {out_path}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--quick", action="store_true", help="small sizes and few runs")
    ap.add_argument("--only", default="",
                    help="comma-separated: startup,browsing,dynamic,warm,catalog,fetch,download,resume,"
                         "scan,inspect,export,bundle")
    args = ap.parse_args()
    b = Bench(args.bin, args.quick)
    todo = {"startup": b.startup, "browsing": b.browsing, "dynamic": b.dynamic, "warm": b.warm_host,
            "catalog": b.catalog_search, "fetch": b.fetch,
            "download": b.downloads, "resume": b.resume, "scan": b.cache_scan, "inspect": b.inspection,
            "export": b.export_latency, "bundle": b.bundles}
    only = [x for x in args.only.split(",") if x]
    try:
        for name, fn in todo.items():
            if only and name not in only:
                continue
            print(f"[bench] {name} ...", file=sys.stderr, flush=True)
            try:
                fn()
            except Exception as e:  # a broken benchmark must not hide the others
                b.rows.append({"group": name, "name": "(failed)", "note": str(e)[:300]})
                print(f"[bench] {name} failed: {str(e)[:300]}", file=sys.stderr)
        b.report(args.out)
    finally:
        shutil.rmtree(b.tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
