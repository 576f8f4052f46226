#include "tests/pyhost/pyhostfixtures.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace hubcap::test {

void ensureApp()
{
    if (QCoreApplication::instance() == nullptr) {
        static int argc = 1;
        static char name[] = "test_pyhost";
        static char *argv[] = {name, nullptr};
        static QCoreApplication app(argc, argv);
    }
}

namespace {

void put(const QString &root, const QString &rel, const char *text)
{
    writeFile(root + u'/' + rel, QByteArray(text));
}

} // namespace

void writeFixtures(const QString &root)
{
    put(root, QStringLiteral("rich/hubconf.py"), R"PY("""Rich fixture."""
dependencies = ['os', 'PyYAML', 'nonexistent_pkg_xyz']
import functools
from functools import partial
import os.path
from os import path as ospath
from pathlib import Path
from math import pi
from models.net import Net, make_net as build
from models import net as netmod
from pkg.stars import *


def model_a(pretrained: bool = False, *, scale=1.0, **kwargs):
    """Model A.

        Indented example::

            model_a()
    """
    return ('a', pretrained, scale)


def _helper():
    """Private helper."""


class Helper:
    """A helper class."""

    def __init__(self, x, y=2):
        self.x = x


class SubHelper(Helper):
    """A subclass without __init__ (its signature comes from Helper)."""


model_b = functools.partial(model_a, scale=2.0)
for _name in ["v1", "v2"]:
    globals()["tiny_" + _name] = partial(build, width=8)
alias = netmod.make_net

try:  # the body wins over the fallback (static mode cannot know the import works; it assumes so)
    from json import dumps
except ImportError:
    dumps = None

if __name__ == "__main__":  # never runs under torch.hub (module name "hubconf.py")
    from pathlib import PurePath
)PY");
    put(root, QStringLiteral("rich/models/__init__.py"), "");
    put(root, QStringLiteral("rich/models/net.py"), R"PY(class Net:
    """The net."""

    def __init__(self, width=4):
        self.width = width


def make_net(name="x", width=4):
    """Make a net.

    Returns:
        a Net
    """
    return Net(width)
)PY");
    put(root, QStringLiteral("rich/pkg/__init__.py"), "");
    put(root, QStringLiteral("rich/pkg/stars.py"), R"PY(import sys
from models.net import make_net


def star_fn(a, b=1):
    """From a star."""
    return a + b


def _hidden():
    pass
)PY");
    // The same repository without missing dependencies, so torch.hub.help answers for every name.
    for (const char *rel :
         {"hubconf.py", "models/__init__.py", "models/net.py", "pkg/__init__.py", "pkg/stars.py"}) {
        QByteArray text = readFile(root + QStringLiteral("/rich/") + QLatin1String(rel));
        text.replace("dependencies = ['os', 'PyYAML', 'nonexistent_pkg_xyz']",
                     "dependencies = ['os']");
        writeFile(root + QStringLiteral("/rich_ok/") + QLatin1String(rel), text);
    }
    put(root, QStringLiteral("missing_dep/hubconf.py"), R"PY(dependencies = ['nonexistent_pkg_xyz']


def entry(x=1):
    """Entry."""
    return x
)PY");
    put(root, QStringLiteral("syntax/hubconf.py"),
        "def ok():\n    pass\n\ndef broken(:\n    pass\n");
    put(root, QStringLiteral("hang/hubconf.py"), "while True:\n    pass\n");
    put(root, QStringLiteral("segv/hubconf.py"), "import ctypes\nctypes.string_at(0)\n");
    put(root, QStringLiteral("sysexit/hubconf.py"), "import sys\nsys.exit(3)\n");
    put(root, QStringLiteral("osexit/hubconf.py"), "import os\nos._exit(7)\n");
    put(root, QStringLiteral("noisy/hubconf.py"), R"PY(import os
import sys
print("python print at import")
os.write(1, b"C-level write to fd 1\n")
sys.stderr.write("stderr at import\n")


def talk(n=1):
    print("talking", n)
    return {"n": n}
)PY");
    for (const char *which : {"a", "b"}) {
        const QString dir = QStringLiteral("repo_%1").arg(QLatin1String(which));
        writeFile(root + u'/' + dir + QStringLiteral("/models/__init__.py"),
                  QByteArray("NAME = \"") + which + "\"\n");
        put(root, dir + QStringLiteral("/hubconf.py"), R"PY(from models import NAME as _NAME


def which():
    """Which models package this repository sees."""
    import models
    return [_NAME, models.NAME]
)PY");
    }
    put(root, QStringLiteral("hub/owner_repo_v1/utils.py"), "VERSION = 1\n");
    put(root, QStringLiteral("hub/owner_repo_v1/hubconf.py"), R"PY(from utils import VERSION as _V


def old_model():
    """The old model."""
    return _V
)PY");
    put(root, QStringLiteral("hub/owner_repo_v2/utils.py"), "VERSION = 2\n");
    put(root, QStringLiteral("hub/owner_repo_v2/hubconf.py"), R"PY(from utils import VERSION as _V


def old_model():
    """The old model, still there."""
    return _V


def new_model(size: int = 3):
    """The new model."""
    return [_V, size]
)PY");
}

HostAnswer ask(PyHostPool &pool, const QString &repoDir, const QString &method,
               const QJsonObject &params, int deadlineMs)
{
    ensureApp();
    PyHostJob job(&pool, repoDir, method, params, deadlineMs);
    job.start();
    job.waitForFinished(deadlineMs + 30000);
    HostAnswer a;
    a.ok = job.state() == Job::State::Succeeded;
    a.result = job.rawReply();
    if (job.error())
        a.error = *job.error();
    a.pythonError = job.pythonError().toJson();
    return a;
}

QJsonObject pythonJson(const QString &script, int timeoutMs)
{
    const ProcessResult r = runPython(script, {}, timeoutMs);
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    QList<QByteArray> lines = r.out.trimmed().split('\n');
    const QJsonDocument doc =
        QJsonDocument::fromJson(lines.isEmpty() ? QByteArray() : lines.last());
    EXPECT_TRUE(doc.isObject()) << r.out.toStdString() << r.err.toStdString();
    return doc.object();
}

QJsonObject torchHubOracle(const QStringList &dirs, const QStringList &extraHelp)
{
    // Each directory's repo modules are purged from sys.modules afterwards, so one oracle
    // process can serve many fixtures (without that, pytorch/hub#243 would bite the oracle).
    const QString script =
        QStringLiteral(R"PY(
import contextlib, inspect, io, json, sys
import torch.hub as hub
dirs = json.loads(%1)
extra = json.loads(%2)
out = {}
for d in dirs:
    hub._get_cache_or_reload = lambda *a, **k: d
    r = {"help": {}, "help_clean": {}, "help_error": {}}
    names = []
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            names = hub.list("owner/repo")
        r["list"] = names
    except BaseException as e:
        r["list"] = None
        r["list_error"] = "%s: %s" % (type(e).__name__, e)
    for n in names + extra:
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                doc = hub.help("owner/repo", n)
            r["help"][n] = doc
            r["help_clean"][n] = inspect.cleandoc(doc) if isinstance(doc, str) else None
        except BaseException as e:
            r["help_error"][n] = "%s: %s" % (type(e).__name__, e)
    out[d] = r
    for k, m in list(sys.modules.items()):
        if (getattr(m, "__file__", None) or "").startswith(d + "/"):
            del sys.modules[k]
    while d in sys.path:
        sys.path.remove(d)
print(json.dumps(out))
)PY")
            .arg(QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList({QString::fromUtf8(
                                                     QJsonDocument(QJsonArray::fromStringList(dirs))
                                                         .toJson(QJsonDocument::Compact))}))
                                       .toJson(QJsonDocument::Compact))
                     .mid(1)
                     .chopped(1),
                 QString::fromUtf8(
                     QJsonDocument(QJsonArray::fromStringList({QString::fromUtf8(
                                       QJsonDocument(QJsonArray::fromStringList(extraHelp))
                                           .toJson(QJsonDocument::Compact))}))
                         .toJson(QJsonDocument::Compact))
                     .mid(1)
                     .chopped(1));
    return pythonJson(script);
}

QStringList names(const QJsonArray &entrypoints)
{
    QStringList out;
    for (const auto &v : entrypoints)
        out << v.toObject().value(QStringLiteral("name")).toString();
    return out;
}

QStringList strings(const QJsonValue &array)
{
    QStringList out;
    for (const auto &v : array.toArray())
        out << v.toString();
    return out;
}

} // namespace hubcap::test
