"""Static browsing of a hub repository: what torch.hub.list() would report, read from the source.

Nothing from the repository is executed and torch is not imported. hubconf.py is parsed with
`ast`; its top-level statements are walked in order to find what each module-level name is bound
to. Names imported from inside the repository are followed into the repository's own modules
(torch.hub puts the repo dir at sys.path[0], so absolute imports resolve there first); names
from outside packages are reported as imported from that package, without guessing a docstring.

Where static analysis cannot know what the runtime would do (a call whose result might be
callable, `globals()` games, a star import from an outside package), it says so in `notes`.
"""

import ast
import importlib.machinery
import importlib.util
import os
import sys

HUBCONF = "hubconf.py"
MAX_DEPTH = 12


class StaticError(Exception):
    """A problem the user must see instead of a listing (missing or unparsable hubconf)."""

    def __init__(self, type_name, message):
        super().__init__(message)
        self.type_name = type_name


def no_hubconf_error(repo_dir):
    """The error for a folder without hubconf.py, for the static and the runtime entry points
    (type NoHubconf: the C++ client reports it as NotFound, without a traceback)."""
    return StaticError("NoHubconf",
                       "%s has no hubconf.py: it is not a torch.hub repository (torch.hub.load "
                       "would fail the same way). Check the owner/repo and ref, or pass the folder "
                       "that contains hubconf.py." % repo_dir)


class Binding:
    """What one module-level name is bound to, as far as the source shows."""

    __slots__ = ("kind", "callable", "node", "file", "imported_from", "target", "bound",
                 "pending", "literal")

    def __init__(self, kind, callable_, node=None, file=None, imported_from=None):
        self.kind = kind  # function | class | partial | imported | module | value | unknown
        self.callable = callable_  # True, False or None (unknown)
        self.node = node
        self.file = file
        self.imported_from = imported_from
        self.target = None  # for partial: the Binding of the wrapped callable
        self.bound = None  # for partial: the ast.Call node
        self.pending = None  # lazy import: (module, name, level, from_file)
        self.literal = None  # literal value when the source has one


class _Module:
    """One parsed source file of the repository and its module-level bindings."""

    def __init__(self, path, tree):
        self.path = path
        self.tree = tree
        self.bindings = {}
        self.all_names = None  # literal __all__ when present
        self.done = False
        self.dynamic = []  # why this module's namespace may hold names the source does not show


def _src(node):
    return ast.unparse(node) if node is not None else ""


def _format_args(args, drop_first=False, bound_kw=None):
    """Signature text like inspect.signature's str(), from an ast.arguments node."""
    bound_kw = bound_kw or {}
    parts = []
    positional = list(args.posonlyargs) + list(args.args)
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    if drop_first and positional:
        positional, defaults = positional[1:], defaults[1:]
    n_posonly = max(0, len(args.posonlyargs) - (1 if drop_first and args.posonlyargs else 0))

    def one(a, default, default_text=None):
        text = a.arg
        if a.annotation is not None:
            text += ": " + _src(a.annotation)
        dt = default_text if default_text is not None else (_src(default) if default is not None else None)
        if dt is not None:
            text += (" = " if a.annotation is not None else "=") + dt
        return text

    kwonly_from_partial = []
    for i, (a, d) in enumerate(zip(positional, defaults)):
        if a.arg in bound_kw:
            kwonly_from_partial.append(one(a, d, bound_kw[a.arg]))
            continue
        parts.append(one(a, d))
        if n_posonly and i == n_posonly - 1:
            parts.append("/")
    if args.vararg is not None:
        parts.append("*" + one(args.vararg, None))
    elif args.kwonlyargs or kwonly_from_partial:
        parts.append("*")
    parts.extend(kwonly_from_partial)
    for a, d in zip(args.kwonlyargs, args.kw_defaults):
        parts.append(one(a, d, bound_kw.get(a.arg)))
    if args.kwarg is not None:
        parts.append("**" + one(args.kwarg, None))
    return "(" + ", ".join(parts) + ")"


def _literal(node):
    try:
        return ast.literal_eval(node)
    except Exception:
        return None


def _key_names(key, var, values):
    """The names `globals()[key]` assigns when `var` takes each of `values` (string keys built
    from the loop variable with +, f-strings or .format are evaluated), or None."""
    names = []
    for v in values:
        def ev(n):
            if isinstance(n, ast.Constant) and isinstance(n.value, str):
                return n.value
            if isinstance(n, ast.Name) and n.id == var:
                return v
            if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Add):
                a, b = ev(n.left), ev(n.right)
                return a + b if a is not None and b is not None else None
            if isinstance(n, ast.JoinedStr):
                out = ""
                for part in n.values:
                    p = ev(part.value if isinstance(part, ast.FormattedValue) else part)
                    if p is None:
                        return None
                    out += p
                return out
            return None
        name = ev(key)
        if name is None:
            return None
        names.append(name)
    return names


def _is_main_guard(test):
    """`__name__ == "__main__"` (either order)."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = [test.left, test.comparators[0]]
    return (any(isinstance(x, ast.Name) and x.id == "__name__" for x in sides)
            and any(isinstance(x, ast.Constant) and x.value == "__main__" for x in sides))


def _find_external(name):
    """importlib.util.find_spec's answer for `name`, without importing anything.

    find_spec("a.b") imports package `a`; static mode must not (that could be torch), so the
    parent's search path is walked with PathFinder instead. A dotted name whose parent is
    missing makes torch.hub's find_spec raise; here it is simply missing.
    """
    parts = name.split(".")
    if name in sys.modules:
        return True  # find_spec answers from sys.modules first (e.g. "os.path")
    try:
        # For a top-level name this is exactly torch.hub's test, and it imports nothing.
        spec = importlib.util.find_spec(parts[0])
    except (ImportError, ValueError):
        return False
    for part in parts[1:]:
        if spec is None or not spec.submodule_search_locations:
            return False
        spec = importlib.machinery.PathFinder.find_spec(part, list(spec.submodule_search_locations))
    return spec is not None


class Analyzer:
    def __init__(self, repo_dir):
        self.repo = os.path.realpath(repo_dir)
        self.modules = {}
        self.notes = []
        # Why torch.hub.list may see names this listing does not (globals().update, a star
        # import from outside the repository, a module __getattr__/__dir__): --mode auto lists
        # such repositories by import when they are trusted.
        self.dynamic = []

    # -- locating repository modules -------------------------------------------------------

    def _module_path(self, base_dir, dotted):
        """File (or namespace dir) of module `dotted` below base_dir, or None."""
        path = base_dir
        parts = dotted.split(".") if dotted else []
        for i, part in enumerate(parts):
            cand_dir = os.path.join(path, part)
            last = i == len(parts) - 1
            if os.path.isfile(os.path.join(cand_dir, "__init__.py")):
                path = cand_dir
                if last:
                    return os.path.join(cand_dir, "__init__.py")
            elif last and os.path.isfile(cand_dir + ".py"):
                return cand_dir + ".py"
            elif os.path.isdir(cand_dir):
                path = cand_dir
                if last:
                    return cand_dir  # namespace package
            else:
                return None
        return path if not parts else None

    def _resolve_module(self, module, level, from_file):
        """Path of the repository module an import statement names, or None (outside)."""
        if level:
            base = os.path.dirname(from_file)
            for _ in range(level - 1):
                base = os.path.dirname(base)
            if os.path.basename(from_file) == HUBCONF and os.path.dirname(from_file) == self.repo:
                self.notes.append("hubconf.py uses a relative import; torch.hub imports it as a "
                                  "top-level module, where that raises ImportError")
            return self._module_path(base, module or "") if module else (
                os.path.join(base, "__init__.py") if os.path.isfile(os.path.join(base, "__init__.py")) else base)
        return self._module_path(self.repo, module)

    def _dynamic(self, mod, why):
        """Names of hubconf's namespace may be missing (only hubconf itself counts, or a module
        it star-imports, whose names all land in hubconf)."""
        if why not in mod.dynamic:
            mod.dynamic.append(why)

    def _rel(self, path):
        return os.path.relpath(path, self.repo)

    def _load(self, path):
        mod = self.modules.get(path)
        if mod is not None:
            return mod
        if os.path.isdir(path):
            mod = _Module(path, None)
            mod.done = True
        else:
            with open(path, "rb") as f:
                source = f.read()
            try:
                tree = ast.parse(source, filename=path)
            except SyntaxError as e:
                if path == os.path.join(self.repo, HUBCONF):
                    raise StaticError("SyntaxError", "%s:%s: %s" % (self._rel(path), e.lineno, e.msg))
                self.notes.append("%s:%s: syntax error: %s (names from it are unknown)"
                                  % (self._rel(path), e.lineno, e.msg))
                tree = ast.parse("")
            mod = _Module(path, tree)
        self.modules[path] = mod
        if not mod.done:
            mod.done = True
            self._exec(mod.tree.body, mod)
        return mod

    # -- walking module-level statements ---------------------------------------------------

    def _exec(self, body, mod):
        for stmt in body:
            self._stmt(stmt, mod)

    def _stmt(self, s, mod):
        b = mod.bindings
        if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)):
            b[s.name] = Binding("function", True, s, mod.path)
            if s.name in ("__getattr__", "__dir__"):
                self.notes.append("%s:%d: a module-level %s can add names that static analysis "
                                  "cannot see" % (self._rel(mod.path), s.lineno, s.name))
                self._dynamic(mod, s.name)
        elif isinstance(s, ast.ClassDef):
            b[s.name] = Binding("class", True, s, mod.path)
        elif isinstance(s, ast.Import):
            for a in s.names:
                name = a.asname or a.name.split(".")[0]
                imported = a.name if a.asname else a.name.split(".")[0]
                b[name] = Binding("module", False, s, mod.path, imported_from=imported)
        elif isinstance(s, ast.ImportFrom):
            self._import_from(s, mod)
        elif isinstance(s, (ast.Assign, ast.AnnAssign)):
            targets = s.targets if isinstance(s, ast.Assign) else [s.target]
            if s.value is None:
                return
            for t in targets:
                if isinstance(t, ast.Name):
                    b[t.id] = self._value(s.value, mod)
                    if t.id == "__all__":
                        lit = _literal(s.value)
                        mod.all_names = list(lit) if isinstance(lit, (list, tuple)) else None
                elif isinstance(t, (ast.Tuple, ast.List)):
                    for e in t.elts:
                        if isinstance(e, ast.Name):
                            b[e.id] = Binding("unknown", None, s, mod.path)
                elif isinstance(t, ast.Subscript):
                    self._globals_subscript(t, s.value, mod, None)
        elif isinstance(s, ast.AugAssign) and isinstance(s.target, ast.Name):
            old = b.get(s.target.id)
            lit = _literal(s.value)
            if old is not None and isinstance(old.literal, list) and isinstance(lit, (list, tuple)):
                old.literal = old.literal + list(lit)
        elif isinstance(s, ast.Delete):
            for t in s.targets:
                if isinstance(t, ast.Name):
                    b.pop(t.id, None)
        elif isinstance(s, ast.If):
            # torch.hub imports hubconf as module "hubconf.py": a __main__ block never runs.
            if not _is_main_guard(s.test):
                self._exec(s.body, mod)
            self._exec(s.orelse, mod)
        elif isinstance(s, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            self._exec(s.body, mod)
            after_body = dict(mod.bindings)
            for h in s.handlers:
                self._exec(h.body, mod)
            # The body normally succeeds (`try: from x import f / except ImportError: f = None`):
            # its bindings win; a handler only adds names the body did not bind.
            mod.bindings.update(after_body)
            self._exec(s.orelse, mod)
            self._exec(s.finalbody, mod)
        elif isinstance(s, (ast.With, ast.AsyncWith)):
            self._exec(s.body, mod)
        elif isinstance(s, ast.For):
            self._for_loop(s, mod)
        elif isinstance(s, ast.Expr) and isinstance(s.value, ast.Call):
            f = s.value.func
            if (isinstance(f, ast.Attribute) and f.attr == "update" and isinstance(f.value, ast.Call)
                    and isinstance(f.value.func, ast.Name) and f.value.func.id == "globals"):
                self.notes.append("%s:%d: globals().update(...) adds names that static analysis "
                                  "cannot see" % (self._rel(mod.path), s.lineno))
                self._dynamic(mod, "globals().update")
            elif (isinstance(f, ast.Attribute) and f.attr == "update" and isinstance(f.value, ast.Attribute)
                  and f.value.attr == "__dict__"):
                self.notes.append("%s:%d: %s.update(...) adds names that static analysis cannot see"
                                  % (self._rel(mod.path), s.lineno, _src(f.value)))
                self._dynamic(mod, "__dict__.update")

    def _import_from(self, s, mod):
        for a in s.names:
            if a.name == "*":
                self._star_import(s, mod)
                continue
            name = a.asname or a.name
            bind = Binding("imported", None, s, mod.path, imported_from="." * s.level + (s.module or ""))
            bind.pending = (s.module, a.name, s.level, mod.path)
            mod.bindings[name] = bind

    def _star_import(self, s, mod):
        path = self._resolve_module(s.module, s.level, mod.path)
        if path is None:
            self.notes.append("%s:%d: 'from %s import *' imports from outside the repository; "
                              "its names are not known without running it"
                              % (self._rel(mod.path), s.lineno, s.module))
            self._dynamic(mod, "star import")
            return
        other = self._load(path)
        for why in other.dynamic:  # its hidden names land here too
            self._dynamic(mod, why)
        names = other.all_names
        if names is None:
            names = [n for n in other.bindings if not n.startswith("_")]
        for n in names:
            if n in other.bindings:
                mod.bindings[n] = other.bindings[n]

    def _for_loop(self, s, mod):
        """`for name in ["a", "b"]: globals()[name] = partial(...)`, as some hubconfs do."""
        names = None
        if isinstance(s.target, ast.Name):
            lit = _literal(s.iter)
            if lit is None and isinstance(s.iter, ast.Name):
                prev = mod.bindings.get(s.iter.id)
                lit = prev.literal if prev is not None else None
            if isinstance(lit, dict):
                lit = list(lit)
            if isinstance(lit, (list, tuple)) and all(isinstance(x, str) for x in lit):
                names = list(lit)
        for stmt in s.body:
            if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                    and isinstance(stmt.targets[0], ast.Subscript)):
                self._globals_subscript(stmt.targets[0], stmt.value, mod,
                                        (s.target.id, names) if names is not None else None)

    def _globals_subscript(self, target, value, mod, loop):
        v = target.value
        if not (isinstance(v, ast.Call) and isinstance(v.func, ast.Name) and v.func.id == "globals"):
            return
        key = target.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            mod.bindings[key.value] = self._value(value, mod)
        elif loop is not None and _key_names(key, loop[0], loop[1]) is not None:
            for n in _key_names(key, loop[0], loop[1]):
                mod.bindings[n] = self._value(value, mod)
        else:
            self.notes.append("%s:%d: a name assigned through globals()[...] could not be "
                              "determined statically" % (self._rel(mod.path), target.lineno))
            self._dynamic(mod, "globals()[...]")

    def _value(self, node, mod):
        """Binding for the value of an assignment."""
        if isinstance(node, ast.Lambda):
            return Binding("function", True, node, mod.path)
        if isinstance(node, ast.Name):
            prev = mod.bindings.get(node.id)
            if prev is not None:
                return prev
            return Binding("unknown", None, node, mod.path)
        if isinstance(node, ast.Attribute):
            base = self._attribute(node, mod, 0)
            if base is not None:
                return base
            return Binding("unknown", None, node, mod.path)
        if isinstance(node, ast.Call):
            fn = self._callee(node.func, mod, 0)
            if fn is not None and fn == "functools.partial" and node.args:
                b = Binding("partial", True, node, mod.path)
                b.bound = node
                b.target = self._value(node.args[0], mod)
                return b
            return Binding("unknown", None, node, mod.path)
        lit = _literal(node)
        if lit is not None or isinstance(node, ast.Constant):
            b = Binding("value", False, node, mod.path)
            b.literal = list(lit) if isinstance(lit, (list, tuple)) else lit
            return b
        if isinstance(node, (ast.List, ast.Tuple, ast.Dict, ast.Set, ast.ListComp, ast.DictComp,
                             ast.SetComp, ast.JoinedStr, ast.GeneratorExp)):
            return Binding("value", False, node, mod.path)
        return Binding("unknown", None, node, mod.path)

    def _callee(self, func, mod, depth):
        """'functools.partial' when `func` is functools.partial, else None."""
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            b = mod.bindings.get(func.value.id)
            if b is not None and b.kind == "module" and b.imported_from == "functools" and func.attr == "partial":
                return "functools.partial"
        if isinstance(func, ast.Name):
            b = mod.bindings.get(func.id)
            if b is not None and b.pending is not None and b.pending[0] == "functools" and b.pending[1] == "partial":
                return "functools.partial"
        return None

    def _attribute(self, node, mod, depth):
        """`pkg.mod.func` where pkg is an imported repository module."""
        chain = []
        while isinstance(node, ast.Attribute):
            chain.insert(0, node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        b = mod.bindings.get(node.id)
        if b is not None and b.pending is not None:
            b = self._resolve(b, depth + 1)
        if b is None or b.kind != "module":
            return None
        dotted = b.imported_from
        path = self._module_path(self.repo, dotted)
        if path is None:
            return None
        for i, attr in enumerate(chain):
            sub = self._module_path(self.repo, dotted + "." + attr)
            if sub is not None:
                dotted, path = dotted + "." + attr, sub
                continue
            other = self._load(path)
            found = other.bindings.get(attr)
            if found is None or i != len(chain) - 1:
                return None
            return self._resolve(found, depth + 1)
        return Binding("module", False, node, mod.path, imported_from=dotted)

    # -- resolving lazy imports --------------------------------------------------------------

    def _resolve(self, b, depth=0):
        if b.pending is None:
            if b.kind == "partial" and b.target is not None:
                b.target = self._resolve(b.target, depth + 1)
            return b
        if depth > MAX_DEPTH:
            return Binding("unknown", None, b.node, b.file)
        module, name, level, from_file = b.pending
        path = self._resolve_module(module, level, from_file)
        if path is None:
            # Outside the repository: a submodule is a module (not callable, torch skips it);
            # anything else is listed as imported from that package.
            if module and _find_external(module + "." + name):
                r = Binding("module", False, b.node, b.file, imported_from=module + "." + name)
            else:
                r = Binding("imported", True, b.node, b.file, imported_from=module)
            return r
        pkg_dir = os.path.dirname(path) if path.endswith("__init__.py") else path
        if os.path.isdir(pkg_dir) and (os.path.isfile(os.path.join(pkg_dir, name + ".py"))
                                       or os.path.isdir(os.path.join(pkg_dir, name))):
            if not path.endswith("__init__.py") or name not in self._load(path).bindings:
                return Binding("module", False, b.node, b.file, imported_from=self._rel(os.path.join(pkg_dir, name)))
        if os.path.isdir(path):
            return Binding("unknown", None, b.node, b.file)
        other = self._load(path)
        found = other.bindings.get(name)
        if found is None:
            self.notes.append("%s: imports '%s' from %s, which does not define it"
                              % (self._rel(b.file), name, self._rel(path)))
            return Binding("unknown", None, b.node, b.file)
        return self._resolve(found, depth + 1)

    # -- describing entrypoints ----------------------------------------------------------------

    def _signature(self, b, depth=0):
        if depth > MAX_DEPTH:
            return ""
        if b.kind == "function":
            node = b.node
            text = _format_args(node.args)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns is not None:
                text += " -> " + _src(node.returns)
            return text
        if b.kind == "class":
            for item in b.node.body:
                if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                    return _format_args(item.args, drop_first=True)
            # No __init__ here: the first base defined in the repository may have one.
            mod = self.modules.get(b.file)
            for base in b.node.bases if mod is not None else []:
                inherited = self._resolve(self._value(base, mod), depth + 1)
                if inherited.kind == "class" and inherited is not b:
                    return self._signature(inherited, depth + 1)
            return "(...)" if b.node.bases else "()"
        if b.kind == "partial" and b.target is not None:
            target = b.target
            call = b.bound
            if target.kind == "function" and isinstance(target.node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                args = target.node.args
                n_pos = len(call.args) - 1
                kw = {k.arg: _src(k.value) for k in call.keywords if k.arg}
                import copy
                trimmed = copy.copy(args)
                positional = list(args.posonlyargs) + list(args.args)
                defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
                keep = positional[n_pos:]
                trimmed.posonlyargs = []
                trimmed.args = keep
                trimmed.defaults = [d for d in defaults[n_pos:] if d is not None]
                return _format_args(trimmed, bound_kw=kw)
            return "(...)"
        return ""

    def _doc(self, b, clean=True):
        if b.kind in ("function", "class") and isinstance(b.node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return ast.get_docstring(b.node, clean=clean)
        if b.kind == "partial" and b.target is not None:
            return self._doc(b.target, clean)
        return None

    def describe(self, name, b):
        b = self._resolve(b)
        entry = {"name": name, "kind": b.kind, "signature": self._signature(b), "doc": self._doc(b) or "",
                 "doc_raw": self._doc(b, clean=False), "defined_in": ""}
        node = b.node
        if b.kind == "partial":
            node = b.bound
            target = b.target
            entry["partial_of"] = (getattr(target.node, "name", None) if target is not None else None) or _src(b.bound.args[0])
        if b.kind == "imported":
            entry["imported_from"] = b.imported_from
            entry["signature"] = ""
        elif node is not None and b.file is not None:
            entry["defined_in"] = "%s:%d" % (self._rel(b.file), node.lineno)
        return entry

    def analyse(self):
        hubconf = os.path.join(self.repo, HUBCONF)
        if not os.path.isfile(hubconf):
            raise no_hubconf_error(self.repo)
        mod = self._load(hubconf)
        entries = []
        callables = {}
        for name in sorted(mod.bindings):
            b = self._resolve(mod.bindings[name])
            mod.bindings[name] = b
            if b.callable is None:
                if not name.startswith("_") and b.kind == "unknown":
                    self.notes.append("'%s' is assigned a value whose callability is not known "
                                      "statically (not listed)" % name)
                continue
            if b.callable:
                callables[name] = b
                if not name.startswith("_"):
                    entries.append(self.describe(name, b))
        deps_binding = mod.bindings.get("dependencies")
        deps = None
        if deps_binding is not None:
            if isinstance(deps_binding.literal, list):
                deps = [d for d in deps_binding.literal if isinstance(d, str)]
            else:
                self.notes.append("'dependencies' is not a literal list; it is checked at runtime only")
        missing = [d for d in deps if not _find_external(d)] if deps else []
        self.dynamic = list(mod.dynamic)
        if self.dynamic:
            self.notes.append("Some entrypoints may be missing (%s): list by running hubconf.py "
                              "to see all of them (hubcap-cli list --mode import, or --mode auto "
                              "for a trusted repository)" % ", ".join(self.dynamic))
        return {"repo_dir": self.repo, "entrypoints": entries, "dependencies": deps,
                "missing_dependencies": missing, "notes": self.notes,
                "dynamic": bool(self.dynamic), "dynamic_reasons": list(self.dynamic),
                "_callables": callables}


def list_entrypoints(repo_dir):
    result = Analyzer(repo_dir).analyse()
    result.pop("_callables")
    return result


def help_entrypoint(repo_dir, name):
    """The static description of one entrypoint; underscore names work too, as in torch.hub."""
    an = Analyzer(repo_dir)
    result = an.analyse()
    b = result["_callables"].get(name)
    if b is None:
        raise StaticError("RuntimeError", "Cannot find callable %s in hubconf" % name)
    from .weights import find_weights
    return {"repo_dir": result["repo_dir"], "entrypoint": an.describe(name, b),
            "dependencies": result["dependencies"],
            "missing_dependencies": result["missing_dependencies"], "notes": result["notes"],
            "dynamic": result["dynamic"], "weights": find_weights(an, b)}


def weights_of(repo_dir, name):
    """The weights entrypoint `name` can download, by static analysis (for runtime help too:
    nothing is run). [] when the name is not visible statically."""
    from .weights import find_weights
    an = Analyzer(repo_dir)
    try:
        result = an.analyse()
    except StaticError:
        return []
    b = result["_callables"].get(name)
    return find_weights(an, b) if b is not None else []
