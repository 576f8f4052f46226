"""Runtime mode: list, help and load with torch.hub's exact semantics (torch/hub.py of 1.13).

hubconf.py is executed as module "hubconf.py" (not put in sys.modules, so it runs again on every
call) with the repository at sys.path[0]; list() reports the public callables in dir() order;
help() returns the raw __doc__; the dependency check and the "Cannot find callable" error are
raised as torch.hub raises them. torch itself is imported only if the repository imports it.
Each repository+ref has its own host process, so sys.modules never mixes two repositories.
"""

import contextlib
import importlib.util
import inspect
import os
import sys
import functools
import time
import types

from . import describe

MODULE_HUBCONF = "hubconf.py"


def _apply_hub_dir():
    """Makes torch.hub calls made by repository code (load_state_dict_from_url, a nested
    torch.hub.load) use Hubcap's hub dir, given as HUBCAP_HUB_DIR by the client.

    torch.hub.get_dir() is $TORCH_HOME/hub and reads the variable on every call, so a hub dir
    named "hub" is applied without importing torch; any other needs torch.hub.set_dir()."""
    hub_dir = os.environ.get("HUBCAP_HUB_DIR")
    if not hub_dir:
        return
    hub_dir = os.path.abspath(os.path.expanduser(hub_dir))
    if os.path.basename(hub_dir) == "hub":
        os.environ["TORCH_HOME"] = os.path.dirname(hub_dir)
    else:
        import torch.hub
        torch.hub.set_dir(hub_dir)


_apply_hub_dir()
VAR_DEPENDENCY = "dependencies"


def _human(n):
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return ("%d %s" % (n, unit)) if unit == "B" else ("%.1f %s" % (n, unit))
        n /= 1024.0
    return "%d B" % n


@contextlib.contextmanager
def _reporting_downloads(progress, after):
    """Weights that repository code downloads through torch.hub (load_state_dict_from_url,
    download_url_to_file) show as byte progress in Hubcap instead of a silent "calling ...".

    torch.hub draws its progress with a module-level `tqdm`; while the entrypoint runs, that
    name points at a stand-in that reports to the client (throttled), whatever `progress=` the
    repository passed. `after` (done, total, text) is reported again when a download ends.
    Nothing changes if torch.hub was never imported (the repository cannot download with it)."""
    hub = sys.modules.get("torch.hub")
    if hub is None or not hasattr(hub, "download_url_to_file"):
        yield
        return
    state = {"name": "weights"}
    original_download = hub.download_url_to_file
    original_tqdm = getattr(hub, "tqdm", None)

    class Bar:
        def __init__(self, total=None, *args, **kwargs):
            self.total = int(total) if total else -1
            self.n = 0
            self._last = 0.0

        def _emit(self, force=False):
            now = time.monotonic()
            if not force and now - self._last < 0.1:
                return
            self._last = now
            size = _human(self.n) + (" of " + _human(self.total) if self.total > 0 else "")
            progress(self.n, self.total, "Downloading %s: %s" % (state["name"], size))

        def __enter__(self):
            self._emit(force=True)
            return self

        def __exit__(self, *exc):
            self._emit(force=True)
            progress(*after)
            return False

        def update(self, n=1):
            self.n += n
            self._emit()

        def close(self):
            pass

    def download_url_to_file(url, dst, *args, **kwargs):
        state["name"] = os.path.basename(str(dst)) or str(url)
        return original_download(url, dst, *args, **kwargs)

    hub.tqdm = Bar
    hub.download_url_to_file = download_url_to_file
    try:
        yield
    finally:
        hub.download_url_to_file = original_download
        if original_tqdm is not None:
            hub.tqdm = original_tqdm


def _import_module(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _require_hubconf(repo_dir):
    if not os.path.isfile(os.path.join(repo_dir, MODULE_HUBCONF)):
        from .static import no_hubconf_error  # ast only: no repository code, no torch
        raise no_hubconf_error(repo_dir)


def _import_hubconf(repo_dir):
    _require_hubconf(repo_dir)
    # torch 1.13 removes the path without try/finally (it leaks on an exception); a host serves
    # one repository, so keeping the list clean here changes nothing a repository can observe.
    sys.path.insert(0, repo_dir)
    try:
        return _import_module(MODULE_HUBCONF, os.path.join(repo_dir, MODULE_HUBCONF))
    finally:
        sys.path.remove(repo_dir)


def _check_module_exists(name):
    return importlib.util.find_spec(name) is not None


def _missing(m):
    deps = getattr(m, VAR_DEPENDENCY, None) if VAR_DEPENDENCY in dir(m) else None
    if deps is None:
        return None, []
    return list(deps), [pkg for pkg in deps if not _check_module_exists(pkg)]


def _load_entry_from_hubconf(m, model):
    if not isinstance(model, str):
        raise ValueError("Invalid input: model should be a string of function name")
    _, missing = _missing(m)
    if missing:
        raise RuntimeError("Missing dependencies: {}".format(", ".join(missing)))
    func = getattr(m, model) if model in dir(m) else None
    if func is None or not callable(func):
        raise RuntimeError("Cannot find callable {} in hubconf".format(model))
    return func


_class_lines = {}  # file -> {qualname: line} (one parse per file, not one per class)
_shown_paths = {}  # file -> how defined_in shows it ("" when it does not exist), per request


def _class_line(cls, path):
    """The line of `class X` (what inspect.getsourcelines reports), found by parsing the file
    once for all its classes: inspect parses the whole file again for every class it is asked
    about, which made listing a repository of many classes slow."""
    table = _class_lines.get(path)
    if table is None:
        import ast
        import linecache
        table = {}
        try:
            tree = ast.parse("".join(linecache.getlines(path)))
        except (SyntaxError, ValueError):
            tree = None
        stack = [(tree, "")] if tree is not None else []
        while stack:
            node, prefix = stack.pop()
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.ClassDef):
                    qual = prefix + child.name
                    line = child.lineno
                    if child.decorator_list:
                        line = child.decorator_list[0].lineno
                    table.setdefault(qual, line)
                    stack.append((child, qual + "."))
                elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    stack.append((child, prefix + child.name + ".<locals>."))
        _class_lines[path] = table
    return table.get(cls.__qualname__)


def _where(target, repo_dir):
    """"file:line" where `target` is defined, as inspect.getsourcefile/getsourcelines report it,
    without their per-call costs (getmodule scans sys.modules, getblock tokenizes the body)."""
    if hasattr(target, "__wrapped__"):
        try:
            target = inspect.unwrap(target)
        except ValueError:
            pass
    path = line = None
    if inspect.isclass(target):
        module = sys.modules.get(getattr(target, "__module__", None) or "")
        path = getattr(module, "__file__", None)
        if path:
            line = _class_line(target, path)
    else:
        if inspect.ismethod(target):
            target = target.__func__
        code = getattr(target, "__code__", None)
        if code is not None:
            path = code.co_filename
            line = code.co_firstlineno
    if not path or line is None:
        return ""
    shown = _shown_paths.get(path)
    if shown is None:
        rel = os.path.relpath(path, repo_dir)
        shown = _shown_paths[path] = (path if rel.startswith("..") else rel) if os.path.exists(path) else ""
    return "%s:%d" % (shown, line) if shown else ""


_CO_VARARGS = inspect.CO_VARARGS
_CO_VARKEYWORDS = inspect.CO_VARKEYWORDS
_EMPTY = object()


def _fast_signature(f):
    """str(inspect.signature(f)) for a plain Python function, from its code object: about ten
    times cheaper than building Signature/Parameter objects, which mattered for repositories
    with thousands of entrypoints. None when `f` is anything else (inspect is used then)."""
    if type(f) is not types.FunctionType or "__wrapped__" in f.__dict__ or "__signature__" in f.__dict__:
        return None
    code = f.__code__
    names = code.co_varnames
    n_pos = code.co_argcount
    n_posonly = code.co_posonlyargcount
    n_kwonly = code.co_kwonlyargcount
    defaults = f.__defaults__ or ()
    kwdefaults = f.__kwdefaults__ or {}
    ann = f.__annotations__
    fmt = inspect.formatannotation

    def one(name, default=_EMPTY, prefix=""):
        a = ann.get(name, _EMPTY)
        text = prefix + name
        if a is not _EMPTY:
            text += ": " + fmt(a)
        if default is not _EMPTY:
            text += (" = " if a is not _EMPTY else "=") + repr(default)
        return text

    parts = []
    first_default = n_pos - len(defaults)
    for i in range(n_pos):
        parts.append(one(names[i], defaults[i - first_default] if i >= first_default else _EMPTY))
        if n_posonly and i == n_posonly - 1:
            parts.append("/")
    i = n_pos + n_kwonly
    if code.co_flags & _CO_VARARGS:
        parts.append(one(names[i], prefix="*"))
        i += 1
    elif n_kwonly:
        parts.append("*")
    for k in names[n_pos:n_pos + n_kwonly]:
        parts.append(one(k, kwdefaults.get(k, _EMPTY)))
    if code.co_flags & _CO_VARKEYWORDS:
        parts.append(one(names[i], prefix="**"))
    text = "(" + ", ".join(parts) + ")"
    ret = ann.get("return", _EMPTY)
    if ret is not _EMPTY:
        text += " -> " + fmt(ret)
    return text


def _entry_info(name, obj, repo_dir):
    kind = "class" if inspect.isclass(obj) else "partial" if isinstance(obj, functools.partial) else (
        "function" if inspect.isroutine(obj) else "callable")
    try:
        signature = _fast_signature(obj)
        if signature is None:
            signature = str(inspect.signature(obj))
    except (TypeError, ValueError):
        signature = ""
    target = obj.func if isinstance(obj, functools.partial) else obj
    try:
        defined_in = _where(target, repo_dir)
    except Exception:  # noqa: BLE001 - odd objects must not fail the listing
        defined_in = ""
    raw = obj.__doc__ if isinstance(getattr(obj, "__doc__", None), str) else None
    # doc: inspect.cleandoc, as static mode; doc_raw: the __doc__ torch.hub.help returns.
    return {"name": name, "kind": kind, "signature": signature,
            "doc": inspect.cleandoc(raw) if raw is not None else "", "doc_raw": raw,
            "defined_in": defined_in}


class _Registered:
    """Puts hubconf into sys.modules while inspect looks at it, so classes defined in hubconf
    (whose __module__ is "hubconf.py") can be located; torch.hub never registers it."""

    def __init__(self, m):
        self.m = m

    def __enter__(self):
        self.saved = sys.modules.get(MODULE_HUBCONF)
        sys.modules[MODULE_HUBCONF] = self.m

    def __exit__(self, *exc):
        if self.saved is None:
            sys.modules.pop(MODULE_HUBCONF, None)
        else:
            sys.modules[MODULE_HUBCONF] = self.saved


def list_entrypoints(params, progress):
    repo_dir = params["repo_dir"]
    progress(0, 1, "executing hubconf.py")
    m = _import_hubconf(repo_dir)
    # torch.hub.list's filter, in dir() order.
    names = [f for f in dir(m) if callable(getattr(m, f)) and not f.startswith("_")]
    deps, missing = _missing(m)
    with _Registered(m):
        entries = [_entry_info(n, getattr(m, n), repo_dir) for n in names]
    _class_lines.clear()
    _shown_paths.clear()
    return {"repo_dir": repo_dir, "entrypoints": entries, "dependencies": deps, "missing_dependencies": missing}


def help_entrypoint(params, progress):
    repo_dir = params["repo_dir"]
    m = _import_hubconf(repo_dir)
    entry = _load_entry_from_hubconf(m, params["entrypoint"])
    deps, missing = _missing(m)
    with _Registered(m):
        info = _entry_info(params["entrypoint"], entry, repo_dir)
    _class_lines.clear()
    _shown_paths.clear()
    from .static import weights_of  # ast only
    return {"repo_dir": repo_dir, "entrypoint": info,
            "doc": entry.__doc__, "dependencies": deps, "missing_dependencies": missing,
            "weights": weights_of(repo_dir, params["entrypoint"])}


def load_entrypoint(params, progress):
    repo_dir = params["repo_dir"]
    name = params["entrypoint"]
    args = params.get("args") or []
    kwargs = params.get("kwargs") or {}
    steps = 3 if params.get("export") else 2
    _require_hubconf(repo_dir)
    progress(0, steps, "executing hubconf.py")
    # As torch.hub._load_local: the repository stays on sys.path while the entrypoint runs,
    # so lazy imports inside it resolve to the repository.
    sys.path.insert(0, repo_dir)
    try:
        m = _import_module(MODULE_HUBCONF, os.path.join(repo_dir, MODULE_HUBCONF))
        entry = _load_entry_from_hubconf(m, name)
        progress(1, steps, "calling %s" % name)
        with _reporting_downloads(progress, (1, steps, "calling %s" % name)):
            obj = entry(*args, **kwargs)
    finally:
        if repo_dir in sys.path:
            sys.path.remove(repo_dir)
    result = {"repo_dir": repo_dir, "entrypoint": name, "args": args, "kwargs": kwargs,
              "description": describe.describe(obj, int(params.get("depth", 3)))}
    if params.get("export"):
        from . import export
        progress(2, steps, "exporting %s" % params["export"].get("format"))
        result["export"] = export.export(obj, params["export"], params.get("provenance") or {})
    progress(steps, steps, "done")
    return result
