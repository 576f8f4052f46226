"""A JSON description of what an entrypoint returned: an nn.Module's sizes and structure, or a
repr for anything else (entrypoints may return tokenizers, tuples, ...)."""

import sys

MAX_CHILDREN = 64
MAX_REPR = 4000


def _type_name(obj):
    t = type(obj)
    return "%s.%s" % (t.__module__, t.__qualname__) if t.__module__ != "builtins" else t.__qualname__


def _tree(module, name, depth):
    params = sum(p.numel() for p in module.parameters())
    node = {"name": name, "type": type(module).__name__, "parameters": params}
    children = list(module.named_children())
    if not children:
        return node
    if depth <= 0:
        node["children_omitted"] = len(children)
        return node
    node["children"] = [_tree(c, n, depth - 1) for n, c in children[:MAX_CHILDREN]]
    if len(children) > MAX_CHILDREN:
        node["children_omitted"] = len(children) - MAX_CHILDREN
    return node


def describe(obj, depth=3):
    d = {"type": _type_name(obj)}
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(obj, torch.nn.Module):
        params = list(obj.parameters())
        buffers = list(obj.buffers())
        per_dtype = {}
        for t in params + buffers:
            key = str(t.dtype).replace("torch.", "")
            per_dtype[key] = per_dtype.get(key, 0) + t.numel() * t.element_size()
        d["module"] = {
            "parameters": sum(p.numel() for p in params),
            "trainable_parameters": sum(p.numel() for p in params if p.requires_grad),
            "parameter_tensors": len(params),
            "buffers": sum(b.numel() for b in buffers),
            "buffer_tensors": len(buffers),
            "bytes_per_dtype": per_dtype,
            "total_bytes": sum(per_dtype.values()),
            "training": obj.training,
            "devices": sorted({str(t.device) for t in params + buffers}) or ["cpu"],
            "tree": _tree(obj, "", depth),
        }
    try:
        text = repr(obj)
    except Exception as e:  # noqa: BLE001 - a broken __repr__ must not fail the load
        text = "<repr failed: %s: %s>" % (type(e).__name__, e)
    d["repr"] = text if len(text) <= MAX_REPR else text[:MAX_REPR] + "\n... (%d more characters)" % (len(text) - MAX_REPR)
    return d
