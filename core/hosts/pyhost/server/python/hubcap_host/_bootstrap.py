"""Makes the hubcap_host package importable from the sources embedded in hubcap-pyhost.

The C++ side executes this file's source and calls install() with {"hubcap_host/x.py": bytes}.
Tracebacks name the files as "<hubcap-pyhost>/hubcap_host/x.py", so they can be found in the
source tree (core/hosts/pyhost/server/python/).
"""

import importlib.util
import sys


# Plain classes on purpose: importing importlib.abc pulls in importlib.resources, pathlib and re
# (~40 ms of a cold start); the import system only needs these methods.
class EmbeddedFinder:
    def __init__(self, sources):
        self.sources = sources  # module name -> (file name, source bytes, is_package)

    def find_spec(self, fullname, path=None, target=None):
        entry = self.sources.get(fullname)
        if entry is None:
            return None
        # has_location makes __file__ the "<hubcap-pyhost>/..." name; with get_source() below,
        # linecache and inspect.getsource() work (TorchScript needs the source of classes).
        spec = importlib.util.spec_from_loader(fullname, self, origin=entry[0], is_package=entry[2])
        spec.has_location = True
        return spec

    def get_source(self, fullname):
        return self.sources[fullname][1].decode("utf-8")

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        filename, source, is_package = self.sources[module.__spec__.name]
        if is_package:
            module.__path__ = []
        code = compile(source, filename, "exec", dont_inherit=True)
        exec(code, module.__dict__)


def install(files):
    sources = {}
    for rel, data in files.items():
        name = rel[:-3].replace("/", ".")
        is_package = name.endswith(".__init__")
        if is_package:
            name = name[: -len(".__init__")]
        sources[name] = ("<hubcap-pyhost>/" + rel, data, is_package)
    sys.meta_path.insert(0, EmbeddedFinder(sources))
