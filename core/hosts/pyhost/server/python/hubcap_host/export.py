"""Export of a loaded nn.Module: TorchScript (script, else trace), trace, state dict or ONNX.

Besides OUTPUT every export writes:
  OUTPUT.example.pt  a TorchScript module (torch.jit.save) whose attributes `inputs` and
                     `outputs` (List[Tensor]) hold the example input and the eager output, so
                     the libtorch host can verify the artifact without Python:
                       auto m = torch::jit::load(path);
                       auto in = m.attr("inputs").toTensorList();
  OUTPUT.json        a summary: format, size, seconds, torch version, provenance, shapes.
The model is put in eval mode first; the example input is drawn with a fixed seed.
"""

import json
import os
import time
from typing import List

import torch

FORMATS = ("torchscript", "trace", "state_dict", "onnx")
DTYPES = {"float32": torch.float32, "float": torch.float32, "float64": torch.float64,
          "double": torch.float64, "float16": torch.float16, "half": torch.float16,
          "bfloat16": torch.bfloat16, "int64": torch.int64, "long": torch.int64,
          "int32": torch.int32, "int": torch.int32, "uint8": torch.uint8, "bool": torch.bool}


class ExampleHolder(torch.nn.Module):
    """Carries the example input and eager output tensors as TorchScript attributes."""

    inputs: List[torch.Tensor]
    outputs: List[torch.Tensor]

    def __init__(self, inputs: List[torch.Tensor], outputs: List[torch.Tensor]):
        super().__init__()
        self.inputs = inputs
        self.outputs = outputs

    def forward(self) -> List[torch.Tensor]:
        return self.outputs


def _flatten(value):
    if isinstance(value, torch.Tensor):
        return [value]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _flatten(v)]
    if isinstance(value, dict):
        return [t for k in value for t in _flatten(value[k])]
    return []


def _shape(params, model):
    shape = params.get("input_shape")
    if not shape:
        shape = getattr(model, "example_input_shape", None)
    if not shape:
        raise ValueError("an export needs an example input: pass --input-shape (for example "
                         "1,3,224,224); the model has no example_input_shape attribute")
    if isinstance(shape, str):
        shape = [int(x) for x in shape.replace("x", ",").split(",") if x.strip()]
    return [int(x) for x in shape]


def _example(shape, dtype_name):
    dtype = DTYPES.get(dtype_name)
    if dtype is None:
        raise ValueError("unknown dtype %r; use one of %s" % (dtype_name, ", ".join(sorted(DTYPES))))
    gen = torch.Generator().manual_seed(0)
    if dtype.is_floating_point:
        return torch.randn(shape, generator=gen).to(dtype)
    if dtype == torch.bool:
        return torch.randint(0, 2, shape, generator=gen).bool()
    return torch.randint(0, 10, shape, generator=gen).to(dtype)


def _max_diff(a, b):
    fa, fb = _flatten(a), _flatten(b)
    if len(fa) != len(fb):
        return None
    diffs = [(x.double() - y.double()).abs().max().item() if x.numel() else 0.0 for x, y in zip(fa, fb)]
    return max(diffs) if diffs else 0.0


def export(model, params, provenance):
    fmt = params.get("format", "torchscript")
    if fmt not in FORMATS:
        raise ValueError("unknown export format %r; use one of %s" % (fmt, ", ".join(FORMATS)))
    if not isinstance(model, torch.nn.Module):
        raise TypeError("only an nn.Module can be exported; the entrypoint returned %s"
                        % type(model).__name__)
    output = os.path.abspath(params["output"])
    os.makedirs(os.path.dirname(output), exist_ok=True)
    dtype_name = params.get("dtype") or "float32"
    shape = _shape(params, model)
    model.eval()
    example = _example(shape, dtype_name)
    with torch.no_grad():
        eager = model(example)
    summary = {"format": fmt, "method": fmt, "file": os.path.basename(output)}
    started = time.monotonic()
    check = None
    if fmt in ("torchscript", "trace"):
        scripted = None
        if fmt == "torchscript":
            try:
                scripted = torch.jit.script(model)
                summary["method"] = "script"
            except Exception as e:  # noqa: BLE001 - scripting fails for many models; trace then
                summary["method"] = "trace"
                summary["fallback"] = "torch.jit.script failed, traced instead: %s" % str(e).strip().splitlines()[0]
        if scripted is None:
            with torch.no_grad():
                scripted = torch.jit.trace(model, example)
        torch.jit.save(scripted, output)
        with torch.no_grad():
            check = _max_diff(torch.jit.load(output)(example), eager)
    elif fmt == "state_dict":
        # A plain dict: libtorch 1.13's pickle_load reads it (an OrderedDict reads as None).
        torch.save(dict(model.state_dict()), output)
    else:
        torch.onnx.export(model, (example,), output, input_names=["input"], opset_version=13)
    summary["seconds"] = round(time.monotonic() - started, 4)
    summary["size"] = os.path.getsize(output)
    if check is not None:
        summary["python_max_abs_diff"] = check

    example_path = output + ".example.pt"
    holder = torch.jit.script(ExampleHolder([example], [t.detach() for t in _flatten(eager)]))
    torch.jit.save(holder, example_path)

    summary.update({
        "torch_version": torch.__version__,
        "example": os.path.basename(example_path),
        "input_shape": shape,
        "input_dtype": dtype_name,
        "output_shapes": [list(t.shape) for t in _flatten(eager)],
        "mode": "eval",
    })
    for key in ("repo", "ref", "commit", "entrypoint", "args", "kwargs", "source"):
        if key in provenance:
            summary[key] = provenance[key]
    with open(output + ".json", "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2, sort_keys=True)
        f.write("\n")
    summary["output"] = output
    summary["summary_file"] = output + ".json"
    summary["example_file"] = example_path
    return summary
