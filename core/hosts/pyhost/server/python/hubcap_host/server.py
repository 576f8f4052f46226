"""The request loop of hubcap-pyhost: one JSON object per line in, one per line out.

Hello:    {"hello": {"host": "hubcap-pyhost", "protocol": 1, "pid", "python_executable",
                     "python_version", "torch_version"}}       (first line, before any request)
Request:  {"id": 1, "method": "static.list", "params": {...}}
Replies:  {"id": 1, "result": {...}}                       (with "output" and "warnings")
          {"id": 1, "error": {"type", "message", "traceback", "output"}}
          {"id": 1, "progress": {"done", "total", "text"}}  (any number, before the reply)

Static methods never import torch or run repository code; runtime methods do both.
"""

import faulthandler
import json
import os
import sys
import time
import traceback

from . import static
from .capture import Capture

# The protocol version (core/protocol/host.h kHostProtocolVersion): raise both together when a
# change is not backwards compatible.
PROTOCOL = 1


def _torch_version():
    """torch's version without importing torch (static mode must stay free of it): read from
    torch/version.py next to the package the import system would find. None when not found."""
    torch = sys.modules.get("torch")
    if torch is not None:
        return str(getattr(torch, "__version__", "")) or None
    try:
        import importlib.util
        spec = importlib.util.find_spec("torch")
        if spec is None or not spec.submodule_search_locations:
            return None
        for folder in spec.submodule_search_locations:
            path = os.path.join(folder, "version.py")
            if os.path.isfile(path):
                with open(path, encoding="utf-8") as f:
                    for line in f:
                        if line.startswith("__version__"):
                            return line.split("=", 1)[1].strip().strip("'\"") or None
    except Exception:  # noqa: BLE001 - the hello must never fail
        return None
    return None


def hello():
    return {"host": "hubcap-pyhost", "protocol": PROTOCOL, "pid": os.getpid(),
            "python_executable": sys.executable, "python_version": sys.version.split()[0],
            "torch_version": _torch_version()}


def _methods():
    # Runtime modules are imported on first use: static mode must stay free of torch.
    def runtime(name):
        def call(params, progress):
            from . import runtime as rt
            return getattr(rt, name)(params, progress)
        return call

    return {
        "ping": lambda params, progress: {"pid": os.getpid(), "python": sys.version.split()[0],
                                          "torch_imported": "torch" in sys.modules},
        "static.list": lambda params, progress: static.list_entrypoints(params["repo_dir"]),
        "static.help": lambda params, progress: static.help_entrypoint(params["repo_dir"], params["entrypoint"]),
        "runtime.list": runtime("list_entrypoints"),
        "runtime.help": runtime("help_entrypoint"),
        "runtime.load": runtime("load_entrypoint"),
    }


def _error(exc, cap=None):
    type_name = getattr(exc, "type_name", None) or type(exc).__name__
    if isinstance(exc, SystemExit):
        message = "repository code called sys.exit(%r)" % (exc.code,)
    else:
        message = str(exc)
    err = {"type": type_name, "message": message}
    if not isinstance(exc, static.StaticError):
        err["traceback"] = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    if cap is not None:
        err["output"] = cap.text
        err["warnings"] = cap.warnings
    return err


def serve(in_fd, out_fd):
    faulthandler.enable(file=sys.__stderr__)  # a segfault in repo code leaves a trace on stderr
    # Repository code must not read the protocol: input() sees an empty stdin.
    sys.stdin = open(os.devnull, "r")
    reader = os.fdopen(in_fd, "r", encoding="utf-8")
    writer = os.fdopen(out_fd, "w", encoding="utf-8")

    def emit(obj):
        writer.write(json.dumps(obj, default=str) + "\n")
        writer.flush()

    emit({"hello": hello()})
    methods = _methods()
    for line in reader:
        line = line.strip()
        if not line:
            continue
        try:
            req = json.loads(line)
            rid = req.get("id")
            method = req["method"]
            params = req.get("params") or {}
        except Exception as e:  # noqa: BLE001 - a malformed request must not kill the host
            emit({"id": None, "error": {"type": "ProtocolError", "message": "bad request: %s" % e}})
            continue
        if method == "shutdown":
            emit({"id": rid, "result": {}})
            return 0
        handler = methods.get(method)
        if handler is None:
            emit({"id": rid, "error": {"type": "ProtocolError", "message": "unknown method %r" % method}})
            continue

        def progress(done, total, text="", _rid=rid):
            emit({"id": _rid, "progress": {"done": done, "total": total, "text": text}})

        cap = Capture()
        started = time.monotonic()
        try:
            with cap:
                result = handler(params, progress)
        except (Exception, SystemExit) as e:  # noqa: BLE001 - reported to the client
            emit({"id": rid, "error": _error(e, cap)})
            continue
        result = dict(result)
        result["output"] = cap.text
        result["warnings"] = cap.warnings
        result["seconds"] = round(time.monotonic() - started, 6)
        try:
            emit({"id": rid, "result": result})
        except (TypeError, ValueError) as e:
            emit({"id": rid, "error": {"type": "ProtocolError", "message": "result not serialisable: %s" % e}})
    return 0
