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
        runs = 5 if self.quick else 15
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
            self.row("startup", "hubcap (GUI) to window shown", h, r, "python3 -c 'import torch.hub'", ">= 10x")

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
        sizes = [10_000] if self.quick else [10_000, 200_000]
        for n in sizes:
            hub = self.make_cache(n, 100)
            runs = 3 if n > 50_000 else 7
            h, r, _, _ = compare([self.cli, "--hub-dir", hub, "--json", "cache", "ls"], ["du", "-sb", hub], runs, self.env)
            self.row("cache scan", f"cache ls, {n} files", h, r, "du -sb", "within 1.5x (speedup >= 0.67)")

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

    # 7. Checkpoint inspection ----------------------------------------------------------------
    def inspection(self):
        if not self.has("inspect"):
            return self.skip("inspection", "hubcap-cli inspect not built")
        sizes = [10] if self.quick else [10, 2048]
        for mb in sizes:
            path = os.path.join(self.tmp, f"ckpt-{mb}mb.pt")
            if not os.path.exists(path):
                subprocess.run([PY, "-c", (
                    "import torch, collections, sys\n"
                    f"n = {mb} * 1024 * 1024 // 4 // 64\n"
                    "sd = collections.OrderedDict((f'layer{i}.weight', torch.zeros(n // 8 + 1)) for i in range(64))\n"
                    f"torch.save(sd, {path!r})\n")], check=True)
            runs = 3 if mb > 100 else 7
            h, r, _, _ = compare([self.cli, "--json", "inspect", path],
                                 [PY, "-c", f"import torch; torch.load({path!r}, map_location='cpu')"], runs, self.env)
            self.row("inspection", f"inspect {mb} MB checkpoint", h, r, "torch.load", ">= 50x on the large one")

    # 4/5. Downloads -----------------------------------------------------------------------------
    def downloads(self):
        if not self.has("download"):
            return self.skip("download", "hubcap-cli download not built")
        mb = 256 if self.quick else 2048
        root = os.path.join(self.tmp, "srv")
        os.makedirs(os.path.join(root, "assets"), exist_ok=True)
        blob = os.path.join(root, "assets", "weights-00000000.bin")
        if not os.path.exists(blob):
            with open(blob, "wb") as f:
                chunk = os.urandom(1 << 20)
                for _ in range(mb):
                    f.write(chunk)
        srv = subprocess.Popen([PY, os.path.join(SRC, "tests", "support", "fakegithub", "server.py"), "--root", root],
                               stdout=subprocess.PIPE, text=True)
        try:
            port = int(srv.stdout.readline().split()[1])
            url = f"http://127.0.0.1:{port}/assets/weights-00000000.bin"
            out = os.path.join(self.tmp, "dl")
            os.makedirs(out, exist_ok=True)

            def clean():
                shutil.rmtree(out, ignore_errors=True)
                os.makedirs(out, exist_ok=True)
            runs = 1 if self.quick else 3
            hub_cmd = [self.cli, "download", url, "--model-dir", out]
            h, r, _, _ = compare(hub_cmd, ["curl", "-s", "-o", os.path.join(out, "c.bin"), url], runs, self.env, clean)
            self.row("download", f"{mb} MB on loopback", h, r, "curl -o", "within 10% (speedup >= 0.9)")
            py_cmd = [PY, "-c", f"import torch.hub; torch.hub.download_url_to_file({url!r}, {os.path.join(out, 'p.bin')!r}, progress=False)"]
            h2, r2, _, _ = compare(hub_cmd, py_cmd, runs, self.env, clean)
            self.row("download", f"{mb} MB on loopback", h2, r2, "torch.hub.download_url_to_file", "not slower")
            clean()
            rss_h = measure_rss(hub_cmd, self.env)
            clean()
            rss_c = measure_rss(["curl", "-s", "-o", os.path.join(out, "c.bin"), url], self.env)
            clean()
            rss_p = measure_rss(py_cmd, self.env)
            self.rows.append({"group": "download", "name": f"peak RSS, {mb} MB file",
                              "note": f"hubcap-cli {rss_h} KiB, curl {rss_c} KiB, python {rss_p} KiB"})
        finally:
            srv.kill()

    def report(self, out_path):
        print(f"\nHubcap benchmarks — {datetime.date.today()} — {os.cpu_count()} cores — {platform.platform()}")
        print(f"{'group':<12} {'benchmark':<38} {'hubcap':>9} {'reference':>10} {'speedup':>8}  reference tool / goal")
        for r in self.rows:
            if r.get("hubcap_s") is None:
                print(f"{r['group']:<12} {r['name']:<38} {'':>9} {'':>10} {'':>8}  {r.get('note', '')}")
                continue
            print(f"{r['group']:<12} {r['name']:<38} {r['hubcap_s']*1000:>7.1f}ms {r['reference_s']*1000:>8.1f}ms "
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
    ap.add_argument("--only", default="", help="comma-separated: startup,browsing,download,scan,inspect")
    args = ap.parse_args()
    b = Bench(args.bin, args.quick)
    todo = {"startup": b.startup, "browsing": b.browsing, "download": b.downloads,
            "scan": b.cache_scan, "inspect": b.inspection}
    only = [x for x in args.only.split(",") if x]
    try:
        for name, fn in todo.items():
            if only and name not in only:
                continue
            try:
                fn()
            except Exception as e:  # a broken benchmark must not hide the others
                b.rows.append({"group": name, "name": "(failed)", "note": str(e)[:300]})
        b.report(args.out)
    finally:
        shutil.rmtree(b.tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
