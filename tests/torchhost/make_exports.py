"""Exports small models as the Python host does (EXPORT + EXPORT.example.pt + EXPORT.json).

Usage: make_exports.py OUT_DIR. The example file is a TorchScript module whose attributes
`inputs` and `outputs` are List[Tensor] (core/hosts/torchhost/server/torchhost.h).
"""
import json
import os
import sys
from typing import List

import torch

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)


class ExampleHolder(torch.nn.Module):
    inputs: List[torch.Tensor]
    outputs: List[torch.Tensor]

    def __init__(self, inputs: List[torch.Tensor], outputs: List[torch.Tensor]):
        super().__init__()
        self.inputs = inputs
        self.outputs = outputs

    def forward(self) -> List[torch.Tensor]:
        return self.outputs


def flatten(v):
    if isinstance(v, torch.Tensor):
        return [v]
    if isinstance(v, (list, tuple)):
        return [t for x in v for t in flatten(x)]
    if isinstance(v, dict):
        return [t for k in v for t in flatten(v[k])]
    return []


def export(name, scripted, example_inputs, eager_outputs, fmt="torchscript"):
    path = os.path.join(out, name)
    if scripted is not None:
        scripted.save(path)
    else:
        with open(path, "wb") as f:
            f.write(b"not used")
    holder = torch.jit.script(ExampleHolder(list(example_inputs), [t.detach() for t in flatten(eager_outputs)]))
    holder.save(path + ".example.pt")
    with open(path + ".json", "w") as f:
        json.dump({"format": fmt, "example": os.path.basename(path) + ".example.pt"}, f)
    return path


class Small(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 4, 3)
        self.bn = torch.nn.BatchNorm2d(4)
        self.fc = torch.nn.Linear(4, 2)

    def forward(self, x):
        return self.fc(torch.relu(self.bn(self.conv(x))).mean(dim=(2, 3)))


class TwoOutputs(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Linear(5, 3)

    def forward(self, x):
        y = self.lin(x)
        return y, y.argmax(dim=1)


class Branchy(torch.nn.Module):
    """Data-dependent control flow: a trace records only the branch its input took."""

    def forward(self, x):
        if x.sum() > 0:
            return x * 2
        return x - 1


small = Small().eval()
x = torch.randn(1, 3, 8, 8)
with torch.no_grad():
    export("small.pt", torch.jit.script(small), [x], small(x))

two = TwoOutputs().eval()
x2 = torch.randn(4, 5)
with torch.no_grad():
    export("two_outputs.pt", torch.jit.trace(two, x2), [x2], two(x2))

branchy = Branchy()
positive = torch.ones(2, 3)
negative = -3 * torch.ones(2, 3)  # traced: x * 2 = -6; eager: x - 1 = -4
traced = torch.jit.trace(branchy, positive, check_trace=False)
# The example is a different input than the trace saw: eager takes the other branch.
export("diverges.pt", traced, [negative], branchy(negative))
# The same model scripted keeps both branches, so it verifies.
export("scripted_branchy.pt", torch.jit.script(branchy), [negative], branchy(negative))

# A truncated export (its example is fine), and exports verify refuses.
data = open(os.path.join(out, "small.pt"), "rb").read()
trunc = os.path.join(out, "truncated.pt")
with open(trunc, "wb") as f:
    f.write(data[: len(data) // 2])
for suffix in (".example.pt", ".json"):
    with open(os.path.join(out, "small.pt" + suffix), "rb") as src, open(trunc + suffix, "wb") as dst:
        dst.write(src.read())
export("model.onnx", None, [x], small(x), fmt="onnx")
print("ok")
