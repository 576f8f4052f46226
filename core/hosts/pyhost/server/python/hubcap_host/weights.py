"""Which checkpoint URLs an entrypoint can download, read from the source (nothing is run).

The entrypoint's body, and the repository functions it calls (with the arguments it passes,
a few levels deep), are searched for calls to torch.hub's download functions
(`load_state_dict_from_url`, `download_url_to_file`, `hub.load_state_dict_from_url`,
`model_zoo.load_url`). Their URL argument is evaluated when it is a simple constant expression:
string literals, `+` concatenation, f-strings, `%` and `.format` with literal parts, local and
module-level variables assigned such expressions (also imported from repository modules),
parameters bound by the caller or their defaults, and dict lookups keyed by such a value.
Anything else is skipped: the list says what can be known without running code.
"""

import ast
import itertools
import os
import re
from urllib.parse import urlparse

DOWNLOADERS = {"load_state_dict_from_url": "state_dict", "load_url": "state_dict",
               "download_url_to_file": "file"}
HASH_REGEX = re.compile(r"-([a-f0-9]*)\.")  # torch.hub's
MAX_CALL_DEPTH = 4
MAX_VALUES = 64  # candidate values per expression
MAX_RESULTS = 256
MAX_EVAL_DEPTH = 24
MAX_STEPS = 200000  # a hostile hubconf cannot make the analysis run for long


class _Unknown(Exception):
    pass


class _LazyDict:
    """A dict literal whose values are evaluated only when looked up."""

    def __init__(self, node, ctx):
        self.node = node
        self.ctx = ctx

    def lookup(self, key, ev, depth):
        if isinstance(self.node, ast.Dict):
            for k, v in zip(self.node.keys, self.node.values):
                if k is None:
                    continue
                try:
                    keys = ev.eval(k, self.ctx, depth + 1)
                except _Unknown:
                    continue
                if key in keys:
                    guard = (id(self.node), key)
                    if guard in ev.active:  # the value refers to itself
                        raise _Unknown()
                    ev.active.add(guard)
                    try:
                        return ev.eval(v, self.ctx, depth + 1)
                    finally:
                        ev.active.discard(guard)
        else:  # dict(a=..., b=...)
            for kw in self.node.keywords:
                if kw.arg == key:
                    return ev.eval(kw.value, self.ctx, depth + 1)
        raise _Unknown()


class _Ctx:
    """Where a name is looked up: bound parameters, the function's local assignments, then the
    module's bindings (static.Analyzer)."""

    def __init__(self, mod, params=None, local=None):
        self.mod = mod
        self.params = params or {}  # name -> (node, ctx) or list of values
        self.local = local or {}  # name -> [value nodes]


def file_name_of(url):
    """torch.hub's name for a URL's file: the basename of the URL's path (query dropped)."""
    return os.path.basename(urlparse(url).path)


def hash_prefix_of(file_name):
    m = HASH_REGEX.search(file_name)
    return m.group(1) if m else None


def _local_assignments(fn):
    """name -> [value nodes] of the plain assignments in a function body (not nested defs)."""
    out = {}
    stack = list(fn.body) if not isinstance(fn, ast.Lambda) else []
    while stack:
        s = stack.pop(0)
        if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(s, ast.Assign):
            for t in s.targets:
                if isinstance(t, ast.Name):
                    out.setdefault(t.id, []).append(s.value)
        elif isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name) and s.value is not None:
            out.setdefault(s.target.id, []).append(s.value)
        for child in ast.iter_child_nodes(s):
            if isinstance(child, ast.stmt):
                stack.append(child)
    return out


def _calls(fn):
    """Every Call node in a function body, nested defs excluded, in source order."""
    out = []
    stack = [fn.body] if isinstance(fn, ast.Lambda) else list(fn.body)
    while stack:
        n = stack.pop(0)
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        if isinstance(n, ast.Call):
            out.append(n)
        stack.extend(ast.iter_child_nodes(n))
    out.sort(key=lambda c: (c.lineno, c.col_offset))
    return out


class WeightFinder:
    def __init__(self, analyzer):
        self.an = analyzer
        self.results = []
        self.seen = set()
        self.visited = set()
        self.active = set()  # assignments being evaluated (X = X + "a" must not recurse)
        self.steps = 0  # evaluation steps, bounded per entrypoint

    # -- evaluation of constant expressions ----------------------------------------------------

    def eval(self, node, ctx, depth=0):
        """The possible values of `node` (a list), or _Unknown."""
        self.steps += 1
        if depth > MAX_EVAL_DEPTH or self.steps > MAX_STEPS:
            raise _Unknown()
        if isinstance(node, ast.Constant):
            if isinstance(node.value, (str, int, float, bool)) or node.value is None:
                return [node.value]
            raise _Unknown()
        if isinstance(node, ast.JoinedStr):
            parts = []
            for v in node.values:
                if isinstance(v, ast.FormattedValue):
                    vals = self.eval(v.value, ctx, depth + 1)
                    spec = ""
                    if v.format_spec is not None:
                        spec_vals = self.eval(v.format_spec, ctx, depth + 1)
                        spec = spec_vals[0] if len(spec_vals) == 1 else ""
                    conv = {115: str, 114: repr, 97: ascii}.get(v.conversion)
                    try:
                        parts.append([format(conv(x) if conv else x, spec) for x in vals])
                    except (TypeError, ValueError):
                        raise _Unknown()
                else:
                    parts.append(self.eval(v, ctx, depth + 1))
            return self._combine(parts, lambda xs: "".join(str(x) for x in xs))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            a = self.eval(node.left, ctx, depth + 1)
            b = self.eval(node.right, ctx, depth + 1)
            return self._combine([a, b], lambda xs: xs[0] + xs[1])
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            fmt = self.eval(node.left, ctx, depth + 1)
            if isinstance(node.right, ast.Tuple):
                args = [self.eval(e, ctx, depth + 1) for e in node.right.elts]
                return self._combine([fmt] + args, lambda xs: xs[0] % tuple(xs[1:]))
            if isinstance(node.right, ast.Dict):
                d = _LazyDict(node.right, ctx)
                return self._combine([fmt], lambda xs: xs[0] % _DictView(d, self, depth))
            arg = self.eval(node.right, ctx, depth + 1)
            return self._combine([fmt, arg], lambda xs: xs[0] % xs[1])
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Attribute) and f.attr == "format":
                fmt = self.eval(f.value, ctx, depth + 1)
                args = [self.eval(a, ctx, depth + 1) for a in node.args]
                kws = [(k.arg, self.eval(k.value, ctx, depth + 1)) for k in node.keywords if k.arg]
                if any(k.arg is None for k in node.keywords):
                    raise _Unknown()
                n_args = len(args)
                names = [k for k, _ in kws]
                return self._combine([fmt] + args + [v for _, v in kws],
                                     lambda xs: xs[0].format(*xs[1:1 + n_args],
                                                             **dict(zip(names, xs[1 + n_args:]))))
            if isinstance(f, ast.Name) and f.id == "dict" and not node.args:
                return [_LazyDict(node, ctx)]
            if isinstance(f, ast.Attribute) and f.attr in ("rstrip", "lstrip", "strip") and not node.args:
                return [getattr(v, f.attr)() for v in self.eval(f.value, ctx, depth + 1)]
            raise _Unknown()
        if isinstance(node, ast.IfExp):  # either branch may be taken
            out = []
            for branch in (node.body, node.orelse):
                try:
                    out.extend(self.eval(branch, ctx, depth + 1))
                except _Unknown:
                    pass
            if not out:
                raise _Unknown()
            return out[:MAX_VALUES]
        if isinstance(node, ast.Dict):
            return [_LazyDict(node, ctx)]
        if isinstance(node, (ast.Tuple, ast.List)):
            elts = [self.eval(e, ctx, depth + 1) for e in node.elts]
            return self._combine(elts, tuple)
        if isinstance(node, ast.Subscript):
            containers = self.eval(node.value, ctx, depth + 1)
            keys = self.eval(node.slice, ctx, depth + 1)
            out = []
            for c in containers:
                for k in keys:
                    if isinstance(c, _LazyDict):
                        try:
                            out.extend(c.lookup(k, self, depth + 1))
                        except _Unknown:
                            pass
                    elif isinstance(c, (tuple, list, str)) and isinstance(k, int):
                        try:
                            out.append(c[k])
                        except IndexError:
                            pass
            if not out:
                raise _Unknown()
            return out[:MAX_VALUES]
        if isinstance(node, ast.Name):
            return self._name(node.id, ctx, depth)
        if isinstance(node, ast.Attribute):
            b = self.an._attribute(node, ctx.mod, 0)
            if b is not None:
                return self._binding_value(b, depth)
            raise _Unknown()
        raise _Unknown()

    def _combine(self, lists, fn):
        out = []
        for combo in itertools.islice(itertools.product(*lists), MAX_VALUES):
            try:
                out.append(fn(list(combo)))
            except (TypeError, ValueError, KeyError, IndexError, _Unknown):
                continue
        if not out:
            raise _Unknown()
        return out

    def _name(self, name, ctx, depth):
        if name in ctx.params:
            bound = ctx.params[name]
            if isinstance(bound, list):
                return bound
            node, other = bound
            return self.eval(node, other, depth + 1)
        if name in ctx.local:
            out = []
            for v in ctx.local[name]:
                if id(v) in self.active:
                    continue
                self.active.add(id(v))
                try:
                    out.extend(self.eval(v, ctx, depth + 1))
                except _Unknown:
                    pass
                finally:
                    self.active.discard(id(v))
            if out:
                return out[:MAX_VALUES]
            raise _Unknown()
        b = ctx.mod.bindings.get(name) if ctx.mod is not None else None
        if b is None:
            raise _Unknown()
        return self._binding_value(self.an._resolve(b), depth)

    def _binding_value(self, b, depth):
        node = b.node
        if b.kind not in ("value", "unknown") or node is None or not isinstance(node, ast.expr):
            raise _Unknown()
        if id(node) in self.active:
            raise _Unknown()
        mod = self.an.modules.get(b.file)
        self.active.add(id(node))
        try:
            return self.eval(node, _Ctx(mod), depth + 1)
        finally:
            self.active.discard(id(node))

    def _value_or_none(self, node, ctx):
        try:
            vals = [v for v in self.eval(node, ctx) if isinstance(v, str)]
        except _Unknown:
            return []
        return vals

    # -- following the entrypoint --------------------------------------------------------------

    def _function_binding(self, func, ctx):
        """The repository function a call's callee names (FunctionDef, or a class's __init__)."""
        b = None
        if isinstance(func, ast.Name):
            if func.id in ctx.params or func.id in ctx.local or ctx.mod is None:
                return None
            b = ctx.mod.bindings.get(func.id)
            if b is not None:
                b = self.an._resolve(b)
        elif isinstance(func, ast.Attribute) and ctx.mod is not None:
            b = self.an._attribute(func, ctx.mod, 0)
        if b is None:
            return None
        return self._callable_node(b)

    def _callable_node(self, b):
        """(function node, module, partial Call or None) of a Binding, or None."""
        if b.kind == "partial" and b.target is not None:
            inner = self._callable_node(self.an._resolve(b.target))
            return (inner[0], inner[1], b.bound, self.an.modules.get(b.file)) if inner else None
        if b.kind == "function" and isinstance(b.node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return (b.node, self.an.modules.get(b.file), None, None)
        if b.kind == "class" and isinstance(b.node, ast.ClassDef):
            for item in b.node.body:
                if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                    return (item, self.an.modules.get(b.file), None, None)
        return None

    def _bind(self, fn, fn_mod, call, ctx, partial=None, partial_mod=None, skip_self=False):
        """Parameters of `fn` bound to the call's arguments (evaluated lazily in the caller's
        context); unbound ones take their defaults."""
        args = fn.args
        positional = list(args.posonlyargs) + list(args.args)
        if skip_self and positional:
            positional = positional[1:]
        params = {}
        defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
        fctx = _Ctx(fn_mod)
        for p, d in zip(positional, defaults):
            if d is not None:
                params[p.arg] = (d, fctx)
        for p, d in zip(args.kwonlyargs, args.kw_defaults):
            if d is not None:
                params[p.arg] = (d, fctx)
        given = []
        if partial is not None:
            pctx = _Ctx(partial_mod)
            given.append((partial.args[1:], partial.keywords, pctx))
        if call is not None:
            given.append((call.args, call.keywords, ctx))
        i = 0
        for pos, kws, c in given:
            for a in pos:
                if isinstance(a, ast.Starred):
                    break
                if i < len(positional):
                    params[positional[i].arg] = (a, c)
                i += 1
            for k in kws:
                if k.arg is not None:
                    params[k.arg] = (k.value, c)
        return params

    def walk(self, fn, mod, params, depth):
        key = (id(fn), tuple(sorted((k, id(v[0]) if isinstance(v, tuple) else 0)
                                    for k, v in params.items())))
        if depth > MAX_CALL_DEPTH or key in self.visited or len(self.results) >= MAX_RESULTS:
            return
        self.visited.add(key)
        ctx = _Ctx(mod, params, _local_assignments(fn))
        for call in _calls(fn):
            f = call.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None
            if name in DOWNLOADERS:
                self._record(name, call, ctx)
                continue
            target = self._function_binding(f, ctx)
            if target is None:
                continue
            fnode, fmod, partial, pmod = target
            is_init = isinstance(fnode, ast.FunctionDef) and fnode.name == "__init__"
            self.walk(fnode, fmod, self._bind(fnode, fmod, call, ctx, partial, pmod, skip_self=is_init),
                      depth + 1)

    def _arg(self, call, index, keyword):
        for k in call.keywords:
            if k.arg == keyword:
                return k.value
        if len(call.args) > index and not any(isinstance(a, ast.Starred) for a in call.args[:index + 1]):
            return call.args[index]
        return None

    def _record(self, name, call, ctx):
        url_node = self._arg(call, 0, "url")
        if url_node is None:
            return
        urls = self._value_or_none(url_node, ctx)
        if name == "download_url_to_file":
            dst_node = self._arg(call, 1, "dst")
            names = self._value_or_none(dst_node, ctx) if dst_node is not None else []
            hash_node = self._arg(call, 2, "hash_prefix")
            hashes = self._value_or_none(hash_node, ctx) if hash_node is not None else []
        else:
            fn_node = self._arg(call, 5, "file_name")
            names = self._value_or_none(fn_node, ctx) if fn_node is not None else []
            hashes = []
        for url in urls:
            if not (url.startswith("http://") or url.startswith("https://") or url.startswith("file:")):
                continue
            file_name = os.path.basename(names[0]) if len(names) == 1 else file_name_of(url)
            hash_prefix = hashes[0] if len(hashes) == 1 else hash_prefix_of(file_name)
            if (url, file_name) in self.seen:
                continue
            self.seen.add((url, file_name))
            self.results.append({"url": url, "file_name": file_name, "hash_prefix": hash_prefix,
                                 "function": name,
                                 "found_at": "%s:%d" % (self.an._rel(ctx.mod.path), call.lineno)
                                 if ctx.mod is not None else ""})


class _DictView:
    """`"%(key)s" % {...}` support: a mapping over a lazy dict literal."""

    def __init__(self, d, finder, depth):
        self.d, self.finder, self.depth = d, finder, depth

    def __getitem__(self, key):
        vals = self.d.lookup(key, self.finder, self.depth)
        if len(vals) != 1:
            raise KeyError(key)
        return vals[0]


def find_weights(analyzer, binding):
    """The weights an entrypoint's Binding (static.Analyzer) can download, as dicts."""
    finder = WeightFinder(analyzer)
    target = finder._callable_node(analyzer._resolve(binding))
    if target is None:
        return []
    fnode, fmod, partial, pmod = target
    is_init = isinstance(fnode, ast.FunctionDef) and fnode.name == "__init__"
    try:
        finder.walk(fnode, fmod, finder._bind(fnode, fmod, None, None, partial, pmod, skip_self=is_init), 0)
    except RecursionError:
        pass
    return finder.results
