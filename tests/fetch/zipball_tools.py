"""Zipball fixtures and the torch.hub-side view of them, for the ZIP64 fetch tests.

  make SPEC_JSON       writes a zipball as GitHub shapes it (one top folder, commit SHA as the
                       comment) with Python's zipfile; SPEC keys:
                         path, top, comment, files (count of small files), force_zip64 (every
                         size/offset/count in ZIP64 form, even for a small archive),
                         big_gib (a deflated entry of that many GiB of zeros), extra_names
                         (more entry names, "@TOP@" standing for the top
                         folder, e.g. with backslashes; content = the name)
  compare ZIP DIR      what torch.hub does with ZIP (zipfile.extractall, then the archive's top
                       folder) compared with the tree DIR: prints the differences and exits 1 if
                       any; --stream reads each member through zipfile (CRC-32 of what it yields)
                       instead of extracting it (for entries of several GiB)
  time-extract ZIP     seconds Python's zipfile.extractall takes on ZIP (into a temp folder)
"""
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import zipfile
import zlib


def make(spec):
    if spec.get("force_zip64"):
        # Python writes the ZIP64 forms whenever a value exceeds these limits: with 0, every
        # size, offset and the entry count go through the ZIP64 extra field and end records.
        zipfile.ZIP64_LIMIT = 0
        zipfile.ZIP_FILECOUNT_LIMIT = 0
    top = spec["top"]
    with zipfile.ZipFile(spec["path"], "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr(zipfile.ZipInfo(top + "/"), b"")
        z.writestr(top + "/hubconf.py", "dependencies = []\n\n\ndef answer():\n    return 42\n")
        for i in range(int(spec.get("files", 0))):
            z.writestr(f"{top}/d{i // 1000:03d}/f{i:06d}.txt", f"file {i}\n" * (1 + i % 3))
        for name in spec.get("extra_names", []):
            name = name.replace("@TOP@", top)
            z.writestr(name, name.encode())
        gib = int(spec.get("big_gib", 0))
        if gib:
            chunk = bytes(1 << 20)
            with z.open(top + "/big.bin", "w", force_zip64=True) as f:
                for _ in range(gib << 10):
                    f.write(chunk)
        z.comment = spec.get("comment", "").encode()


class Crc:
    """hashlib-like CRC-32 (several times faster than SHA-256, for the GiB-sized entries)."""

    def __init__(self):
        self.v = 0

    def update(self, b):
        self.v = zlib.crc32(b, self.v)

    def hexdigest(self):
        return "%08x" % self.v


def tree_of(root, digest=hashlib.sha256):
    """{relative path: digest or 'dir'} of everything under root."""
    out = {}
    for d, dirs, files in os.walk(root):
        for n in dirs:
            out[os.path.relpath(os.path.join(d, n), root)] = "dir"
        for n in files:
            p = os.path.join(d, n)
            if os.path.islink(p):
                out[os.path.relpath(p, root)] = "symlink"
                continue
            h = digest()
            with open(p, "rb") as f:
                for b in iter(lambda: f.read(1 << 20), b""):
                    h.update(b)
            out[os.path.relpath(p, root)] = h.hexdigest()
    return out


def python_target(name):
    """The path zipfile._extract_member writes `name` to, relative to the target folder."""
    arc = os.path.splitdrive(name.replace("/", os.path.sep))[1]
    return os.path.sep.join(x for x in arc.split(os.path.sep) if x not in ("", ".", ".."))


def compare(zip_path, tree, stream):
    with zipfile.ZipFile(zip_path) as z:
        top = z.infolist()[0].filename  # torch.hub: the folder the archive extracts to
        if stream:
            want = {}
            for info in z.infolist():
                rel = os.path.relpath(python_target(info.filename), top.rstrip("/"))
                if rel == ".":
                    continue
                parts = rel.split(os.path.sep)
                for k in range(1, len(parts)):
                    want.setdefault(os.path.sep.join(parts[:k]), "dir")
                if info.is_dir():
                    want[rel] = "dir"
                    continue
                h = Crc()
                with z.open(info) as f:
                    for b in iter(lambda: f.read(1 << 20), b""):
                        h.update(b)
                want[rel] = h.hexdigest()
        else:
            tmp = tempfile.mkdtemp()
            try:
                z.extractall(tmp)
                want = tree_of(os.path.join(tmp, top))
            finally:
                shutil.rmtree(tmp)
    got = tree_of(tree, Crc if stream else hashlib.sha256)
    diff = sorted(k for k in set(want) | set(got) if want.get(k) != got.get(k))
    print(json.dumps({"entries": len(want), "different": diff[:20], "count": len(diff)}))
    return 1 if diff else 0


def main():
    cmd = sys.argv[1]
    if cmd == "make":
        make(json.loads(sys.argv[2]))
        return 0
    if cmd == "compare":
        return compare(sys.argv[2], sys.argv[3], "--stream" in sys.argv[4:])
    if cmd == "time-extract":
        tmp = tempfile.mkdtemp()
        try:
            t = time.monotonic()
            with zipfile.ZipFile(sys.argv[2]) as z:
                z.extractall(tmp)
            print(f"{time.monotonic() - t:.3f}")
        finally:
            shutil.rmtree(tmp)
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
