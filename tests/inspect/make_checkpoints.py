"""Writes the inspector's fixtures with Debian's torch.save and, for each, what torch.load sees.

Usage: make_checkpoints.py OUT_DIR SIDE_EFFECT_FILE
Writes OUT_DIR/*.pt|zip and OUT_DIR/expected.json: {fixture: {format, tensors: {key: {shape,
dtype, numel, bytes, stats}}, total_params, total_bytes, unsafe}}. The "evil" fixtures reference
os.system and builtins.eval with a payload that would create SIDE_EFFECT_FILE if ever run.
"""
import collections
import json
import math
import os
import sys
import zipfile

import torch

out, side = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(3, 4, 3)
        self.bn1 = torch.nn.BatchNorm2d(4)
        self.layer1 = torch.nn.Sequential(torch.nn.Conv2d(4, 4, 1, bias=False), torch.nn.ReLU())
        self.fc = torch.nn.Linear(8, 2)

    def forward(self, x):
        return self.fc(self.layer1(self.bn1(self.conv1(x))).flatten(1)[:, :8])


net = Net()
net(torch.randn(2, 3, 5, 5))  # updates batch-norm running stats and num_batches_tracked


def flatten(obj, prefix=""):
    """Tensors by dotted key, as the inspector flattens nested containers."""
    found = {}
    def join(k):
        return f"{prefix}.{k}" if prefix else str(k)
    if isinstance(obj, torch.Tensor):
        found[prefix] = obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            found.update(flatten(v, join(k)))
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            found.update(flatten(v, join(i)))
    elif isinstance(obj, torch.nn.Module):
        found.update(flatten(obj.state_dict(keep_vars=True), prefix))
    return found


def describe(obj, fmt, unsafe=()):
    tensors = {}
    for key, t in flatten(obj).items():
        t = t.detach()
        entry = {"shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", ""),
                 "numel": t.numel(), "bytes": t.numel() * t.element_size()}
        if t.dtype in (torch.float32, torch.float64, torch.float16, torch.bfloat16, torch.int64,
                       torch.int32, torch.int8, torch.uint8, torch.bool, torch.int16) and t.numel():
            d = t.to(torch.float64).flatten()
            finite = d[torch.isfinite(d)]
            entry["stats"] = {
                "min": finite.min().item() if finite.numel() else None,
                "max": finite.max().item() if finite.numel() else None,
                "mean": finite.mean().item() if finite.numel() else None,
                "std": finite.std(unbiased=False).item() if finite.numel() else None,
                "nan": int(torch.isnan(d).sum()), "inf": int(torch.isinf(d).sum())}
        tensors[key] = entry
    return {"format": fmt, "tensors": tensors,
            "total_params": sum(e["numel"] for e in tensors.values()),
            "total_bytes": sum(e["bytes"] for e in tensors.values()),
            "unsafe": list(unsafe)}


expected = {}


def save(name, obj, fmt="zip", legacy=False, **kw):
    path = os.path.join(out, name)
    torch.save(obj, path, _use_new_zipfile_serialization=not legacy, **kw)
    loaded = torch.load(path)
    expected[name] = describe(loaded, fmt)
    return path


# 1. A state dict with conv, linear, batch-norm buffers and more dtypes.
sd = net.state_dict()
sd["extra.int64"] = torch.arange(6, dtype=torch.int64).reshape(2, 3)
sd["extra.bool"] = torch.tensor([True, False, True])
sd["extra.half"] = torch.tensor([1.5, -2.25, 65504.0], dtype=torch.float16)
sd["extra.bf16"] = torch.tensor([0.5, -3.0, 1e10], dtype=torch.bfloat16)
sd["extra.special"] = torch.tensor([1.0, float("nan"), float("inf"), -float("inf"), -2.0])
save("state_dict.pt", sd)

# 2. Shared storages and views with offsets, a tied weight and a non-contiguous view.
base = torch.arange(12, dtype=torch.float32)
shared = collections.OrderedDict()
shared["base"] = base
shared["view"] = base[3:7]
shared["matrix_t"] = base.reshape(3, 4).t()
shared["tied_a"] = net.fc.weight.data
shared["tied_b"] = net.fc.weight.data
save("shared.pt", shared)

# 3. A nested training checkpoint.
opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
net(torch.randn(2, 3, 5, 5)).sum().backward()
opt.step()
ckpt = {"model": net.state_dict(), "optimizer": opt.state_dict(), "epoch": 3,
        "config": {"lr": 0.1, "arch": "net", "layers": [1, 2]}, "best_acc": 0.75}
save("training.pt", ckpt)

# 4. The legacy format, a legacy single-file zip (stored and deflated), an empty dict, a scalar.
legacy = save("legacy.pt", sd, fmt="legacy", legacy=True)
expected["legacy_shared.pt"] = None
save("legacy_shared.pt", shared, fmt="legacy", legacy=True)
for name, comp in (("legacy_single.zip", zipfile.ZIP_STORED), ("legacy_deflated.zip", zipfile.ZIP_DEFLATED)):
    with zipfile.ZipFile(os.path.join(out, name), "w", compression=comp) as z:
        z.write(legacy, arcname="legacy.pt")
    expected[name] = dict(expected["legacy.pt"], format="legacy-zip")
save("empty.pt", {})
save("scalar.pt", torch.tensor(3.5))
save("proto4.pt", ckpt, pickle_protocol=4)
save("model_full.pt", net)
# A whole pickled module references its classes: reported as unsafe (torch.load would import them).
classes = []
for m in net.modules():
    name = f"{type(m).__module__}.{type(m).__name__}"
    if name not in classes:
        classes.append(name)
expected["model_full.pt"]["unsafe"] = classes

# 5. Pickles that reference os.system and builtins.eval: must be reported and never run.
class SystemCall:
    def __reduce__(self):
        return (os.system, (f"touch {side}",))


class EvalCall:
    def __reduce__(self):
        return (eval, (f"open({side!r}, 'w').close()",))


evil = {"weight": torch.ones(2, 2), "payload": SystemCall(), "other": EvalCall(), "epoch": 1}
path = os.path.join(out, "evil.pt")
torch.save(evil, path)
expected["evil.pt"] = describe({"weight": torch.ones(2, 2)}, "zip",
                               unsafe=[f"{os.system.__module__}.system", "builtins.eval"])
torch.save(evil, os.path.join(out, "evil_legacy.pt"), _use_new_zipfile_serialization=False)
expected["evil_legacy.pt"] = dict(expected["evil.pt"], format="legacy")
assert not os.path.exists(side)

# 6. Many tensors: inspection must stay fast (it reads data.pkl and the zip directory only).
save("many.pt", collections.OrderedDict((f"block{i}.weight", torch.full((2,), float(i))) for i in range(5000)))

# 7. A TorchScript archive (same zip layout plus code/).
torch.jit.script(net).save(os.path.join(out, "scripted.pt"))

expected = {k: v for k, v in expected.items() if v is not None}
with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1, allow_nan=False)
print("ok", len(expected))
