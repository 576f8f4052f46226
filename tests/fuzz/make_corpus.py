#!/usr/bin/python3
"""Writes the fuzz corpus (tests/fuzz/corpus) from real torch.save files, their pickles, real
host replies, and small versions of the crafted files of issue 13. Run once by hand:
    /usr/bin/python3 tests/fuzz/make_corpus.py tests/fuzz/corpus
The output is checked in; the tests never run this."""

import collections
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import torch

out = Path(sys.argv[1])
for sub in ("zip", "pickle", "hostreply"):
    (out / sub).mkdir(parents=True, exist_ok=True)
torch.manual_seed(0)

lin = torch.nn.Linear(3, 2)
opt = torch.optim.SGD(lin.parameters(), lr=0.1, momentum=0.9)
lin(torch.ones(1, 3)).sum().backward()
opt.step()
base = torch.arange(12, dtype=torch.float32)
objects = {
    "state_dict": collections.OrderedDict(w=torch.zeros(2, 3), b=torch.ones(2, dtype=torch.float64)),
    "training": {"model": lin.state_dict(), "optimizer": opt.state_dict(), "epoch": 3,
                 "name": "run-1", "cfg": {"lr": 0.1, "layers": [1, 2], "flag": True, "none": None}},
    "views": {"base": base, "view": base[2:8].view(2, 3), "t": base.view(3, 4).t(),
              "half": torch.ones(2, dtype=torch.float16), "bf": torch.ones(2, dtype=torch.bfloat16),
              "i": torch.tensor([1, 2], dtype=torch.int64), "flags": torch.tensor([True, False])},
    "param": {"p": torch.nn.Parameter(torch.ones(2, 2))},
}
for name, obj in objects.items():
    torch.save(obj, out / "zip" / f"{name}.pt")
    torch.save(obj, out / "pickle" / f"{name}-legacy.pt", _use_new_zipfile_serialization=False)
    with zipfile.ZipFile(out / "zip" / f"{name}.pt") as z:
        pkl = next(n for n in z.namelist() if n.endswith("/data.pkl"))
        (out / "pickle" / f"{name}.pkl").write_bytes(z.read(pkl))
# torch.hub's legacy single-file zip
buf = io.BytesIO()
torch.save(objects["state_dict"], buf, _use_new_zipfile_serialization=False)
with zipfile.ZipFile(out / "zip" / "legacy_single.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("state_dict.pth", buf.getvalue())
# Protocol 0 text opcodes
import pickle
(out / "pickle" / "protocol0.pkl").write_bytes(
    pickle.dumps({"a": [1, 2.5, "x", b"y", (None, True)], "big": 2**70}, protocol=0))

# Crafted (issue 13): the zip ones are deflated and tiny; the raw pickles are kept short.
crafted = Path(sys.argv[0]).resolve().parent.parent / "inspect" / "make_crafted.py"
tmp = out / ".crafted"
subprocess.run([sys.executable, str(crafted), str(tmp)], check=True)
for name in ("deep_tuple.pt", "deep_list.pt", "deep_chain.pt", "cycle.pt", "offset_2p62.pt",
             "huge_shape.pt", "fanout.pt", "reduce_copy.pt"):
    (out / "zip" / f"crafted-{name}").write_bytes((tmp / name).read_bytes())
for f in tmp.iterdir():
    f.unlink()
tmp.rmdir()
(out / "pickle" / "crafted-deep_tuple.pkl").write_bytes(b"\x80\x02)" + b"\x85" * 3000 + b".")
(out / "pickle" / "crafted-deep_list.pkl").write_bytes(b"\x80\x02" + b"(" * 3000 + b"]" +
                                                       b"l" * 3000 + b".")
(out / "pickle" / "crafted-memo.pkl").write_bytes(b"\x80\x04N" + b"\x94" * 3000 + b".")
(out / "pickle" / "crafted-cycle.pkl").write_bytes(b"\x80\x02]q\x00h\x00a.")

replies = {
    "list": [{"id": 1, "progress": {"done": 1, "total": 3, "text": "importing hubconf"}},
             {"id": 1, "result": {"entrypoints": [
                 {"name": "tiny_cnn", "kind": "function", "signature": "(pretrained=False)",
                  "doc": "A tiny CNN.\n\nArgs:\n    pretrained: load weights"}],
                 "dependencies": ["torch"], "warnings": []}}],
    "error": [{"id": 1, "error": {"type": "ValueError", "message": "bad 'x'",
                                  "traceback": "Traceback (most recent call last):\n  ...\n"}}],
    "nohubconf": [{"id": 1, "error": {"type": "NoHubconf", "message": "No hubconf.py in /r"}}],
    "help": [{"id": 1, "result": {"name": "m", "doc": "\u00e9\u4e2d", "params": [
        {"name": "x", "default": "None", "annotation": "int"}]}}],
}
for name, lines in replies.items():
    (out / "hostreply" / f"{name}.jsonl").write_text(
        "".join(json.dumps(l) + "\n" for l in lines))
(out / "hostreply" / "not-json.jsonl").write_text("Traceback?\n{\"id\": 1, \"progress\": 5}\n")
