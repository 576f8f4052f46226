// Listing modes end to end (static, import, auto), the listing cache, doc/doc_raw and the
// weights an entrypoint can download, through hubcap-cli and the host.
#include "tests/pyhost/pyhostfixtures.h"

#include "core/cache/listingcache.h"
#include "core/cache/sidecar.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

using namespace hubcap;
using namespace hubcap::test;

namespace {

void put(const QString &path, const QByteArray &text)
{
    writeFile(path, text);
}

/// hubconf.py adds its entrypoints with globals().update (as timm does): static analysis
/// cannot see them.
void writeDynamicRepo(const QString &dir, int count = 3)
{
    QByteArray models = "_registry = {}\n\n\ndef register(fn):\n    _registry[fn.__name__] = fn\n"
                        "    return fn\n\n";
    for (int i = 0; i < count; ++i)
        models += QStringLiteral("@register\ndef net_%1(pretrained=False, **kwargs):\n"
                                 "    \"\"\"Net %1.\n\n        Indented line.\n    \"\"\"\n"
                                 "    return %1\n\n\n")
                      .arg(i)
                      .toUtf8();
    put(dir + QStringLiteral("/models/__init__.py"), "");
    put(dir + QStringLiteral("/models/registry.py"), models);
    put(dir + QStringLiteral("/hubconf.py"),
        "dependencies = []\nfrom models.registry import _registry\n"
        "globals().update(_registry)\n\n\ndef visible():\n    \"\"\"Seen statically.\"\"\"\n");
}

QJsonObject cliJson(const QStringList &args, const QProcessEnvironment &env,
                    int *exitCode = nullptr)
{
    const ProcessResult r = runCli(QStringList{QStringLiteral("--json")} + args, env);
    if (exitCode)
        *exitCode = r.exitCode;
    else
        EXPECT_EQ(r.exitCode, 0) << r.out.toStdString() << r.err.toStdString();
    return QJsonDocument::fromJson(r.out).object();
}

} // namespace

TEST(Listing, StaticAnalysisReportsNamesItCannotSee)
{
    ensureApp();
    QTemporaryDir tmp;
    PyHostPool pool;
    pool.setProgram(binDir() + QStringLiteral("/hubcap-pyhost"));
    const QString dyn = tmp.filePath(QStringLiteral("dyn"));
    writeDynamicRepo(dyn);
    const QString star = tmp.filePath(QStringLiteral("star"));
    put(star + QStringLiteral("/hubconf.py"), "from json import *\n\n\ndef own():\n    pass\n");
    const QString plain = tmp.filePath(QStringLiteral("plain"));
    put(plain + QStringLiteral("/hubconf.py"), "def own():\n    pass\n");
    const QString getattr_ = tmp.filePath(QStringLiteral("getattr"));
    put(getattr_ + QStringLiteral("/hubconf.py"),
        "def own():\n    pass\n\n\ndef __dir__():\n    return ['own', 'extra']\n");

    HostAnswer a = ask(pool, dyn, QStringLiteral("static.list"));
    ASSERT_TRUE(a.ok) << a.error.text().toStdString();
    EXPECT_TRUE(a.result.value(QStringLiteral("dynamic")).toBool());
    EXPECT_EQ(names(a.result.value(QStringLiteral("entrypoints")).toArray()),
              QStringList{QStringLiteral("visible")});
    EXPECT_TRUE(
        strings(a.result.value(QStringLiteral("notes"))).join(u'\n').contains(u"--mode import"));
    const HostAnswer rt = ask(pool, dyn, QStringLiteral("runtime.list"));
    ASSERT_TRUE(rt.ok) << rt.error.text().toStdString();
    EXPECT_EQ(names(rt.result.value(QStringLiteral("entrypoints")).toArray()),
              (QStringList{QStringLiteral("net_0"), QStringLiteral("net_1"),
                           QStringLiteral("net_2"), QStringLiteral("visible")}));

    a = ask(pool, star, QStringLiteral("static.list"));
    ASSERT_TRUE(a.ok);
    EXPECT_TRUE(a.result.value(QStringLiteral("dynamic")).toBool());
    EXPECT_EQ(strings(a.result.value(QStringLiteral("dynamic_reasons"))),
              QStringList{QStringLiteral("star import")});
    a = ask(pool, getattr_, QStringLiteral("static.list"));
    ASSERT_TRUE(a.ok);
    EXPECT_TRUE(a.result.value(QStringLiteral("dynamic")).toBool());
    a = ask(pool, plain, QStringLiteral("static.list"));
    ASSERT_TRUE(a.ok);
    EXPECT_FALSE(a.result.value(QStringLiteral("dynamic")).toBool());
}

TEST(Listing, AutoModeRunsTrustedRepositoriesAndOnlyNotesUntrustedOnes)
{
    QTemporaryDir home;
    const QProcessEnvironment env = isolatedEnv(home.path());
    const QString hub = home.path() + QStringLiteral("/torch/hub");
    // A cached GitHub repository that is not trusted (trusted_list exists without it).
    writeDynamicRepo(hub + QStringLiteral("/alice_dyn_main"));
    put(hub + QStringLiteral("/trusted_list"), "");

    // --trust-repo no (always ask; auto never asks): the static listing with a note.
    QJsonObject doc =
        cliJson({QStringLiteral("list"), QStringLiteral("alice/dyn:main"), QStringLiteral("--mode"),
                 QStringLiteral("auto"), QStringLiteral("--trust-repo"), QStringLiteral("no")},
                env);
    EXPECT_EQ(doc.value(QStringLiteral("mode")).toString(), QStringLiteral("static"));
    EXPECT_EQ(doc.value(QStringLiteral("requested_mode")).toString(), QStringLiteral("auto"));
    EXPECT_TRUE(doc.value(QStringLiteral("dynamic")).toBool());
    EXPECT_TRUE(doc.value(QStringLiteral("note")).toString().contains(u"--mode import"))
        << doc.value(QStringLiteral("note")).toString().toStdString();
    EXPECT_EQ(names(doc.value(QStringLiteral("entrypoints")).toArray()),
              QStringList{QStringLiteral("visible")});
    EXPECT_EQ(readFile(hub + QStringLiteral("/trusted_list")), QByteArray()); // never asked

    // torch.hub's own rule (check): a repository already in the cache is trusted, so auto
    // lists it by import.
    doc = cliJson({QStringLiteral("list"), QStringLiteral("alice/dyn:main"),
                   QStringLiteral("--mode"), QStringLiteral("auto")},
                  env);
    EXPECT_EQ(doc.value(QStringLiteral("mode")).toString(), QStringLiteral("import"));
    EXPECT_EQ(doc.value(QStringLiteral("entrypoints")).toArray().size(), 4);
    EXPECT_TRUE(doc.value(QStringLiteral("note")).toString().contains(u"was run"));

    // A local folder is never asked about (torch.hub's source='local'): auto runs it.
    const QString local = home.path() + QStringLiteral("/local-dyn");
    writeDynamicRepo(local);
    doc = cliJson({QStringLiteral("list"), local, QStringLiteral("--source"),
                   QStringLiteral("local"), QStringLiteral("--mode"), QStringLiteral("auto")},
                  env);
    EXPECT_EQ(doc.value(QStringLiteral("mode")).toString(), QStringLiteral("import"));
    EXPECT_EQ(doc.value(QStringLiteral("entrypoints")).toArray().size(), 4);
    // The default stays static.
    doc = cliJson(
        {QStringLiteral("list"), local, QStringLiteral("--source"), QStringLiteral("local")}, env);
    EXPECT_EQ(doc.value(QStringLiteral("mode")).toString(), QStringLiteral("static"));

    // help --mode auto: a name static analysis cannot see is asked by import when trusted.
    doc =
        cliJson({QStringLiteral("help"), local, QStringLiteral("net_1"), QStringLiteral("--source"),
                 QStringLiteral("local"), QStringLiteral("--mode"), QStringLiteral("auto")},
                env);
    EXPECT_EQ(doc.value(QStringLiteral("mode")).toString(), QStringLiteral("import"));
    EXPECT_EQ(doc.value(QStringLiteral("doc")).toString(),
              QStringLiteral("Net 1.\n\nIndented line."));
    EXPECT_EQ(doc.value(QStringLiteral("doc_raw")).toString(),
              QStringLiteral("Net 1.\n\n        Indented line.\n    "));
}

TEST(Listing, KeptListingsAnswerWithoutPythonUntilTheFilesChange)
{
    QTemporaryDir home;
    QProcessEnvironment env = isolatedEnv(home.path());
    const QString hub = home.path() + QStringLiteral("/torch/hub");
    const QString local = home.path() + QStringLiteral("/repo");
    writeDynamicRepo(local);
    const QStringList args{QStringLiteral("list"),     local,
                           QStringLiteral("--source"), QStringLiteral("local"),
                           QStringLiteral("--mode"),   QStringLiteral("import")};

    QJsonObject doc = cliJson(args, env);
    EXPECT_FALSE(doc.value(QStringLiteral("from_cache")).toBool());
    EXPECT_EQ(doc.value(QStringLiteral("entrypoints")).toArray().size(), 4);

    // No Python at all now: a kept listing needs none.
    QProcessEnvironment noHost = env;
    noHost.insert(QStringLiteral("HUBCAP_PYHOST"), home.path() + QStringLiteral("/no-such-host"));
    doc = cliJson(args, noHost);
    EXPECT_TRUE(doc.value(QStringLiteral("from_cache")).toBool());
    EXPECT_EQ(doc.value(QStringLiteral("mode")).toString(), QStringLiteral("import"));
    EXPECT_EQ(doc.value(QStringLiteral("entrypoints")).toArray().size(), 4);
    // Static and import listings are kept apart.
    int rc = 0;
    cliJson({QStringLiteral("list"), local, QStringLiteral("--source"), QStringLiteral("local")},
            noHost, &rc);
    EXPECT_NE(rc, 0) << "no static listing was kept, so this one needs the host";

    // A changed module of the repository (not hubconf.py) changes what import lists.
    QFile::remove(local + QStringLiteral("/models/registry.py"));
    writeDynamicRepo(local, 5);
    cliJson(args, noHost, &rc);
    EXPECT_NE(rc, 0) << "the kept listing must not survive a changed module";
    doc = cliJson(args, env);
    EXPECT_FALSE(doc.value(QStringLiteral("from_cache")).toBool());
    EXPECT_EQ(doc.value(QStringLiteral("entrypoints")).toArray().size(), 6);

    // --force-reload drops it too.
    doc = cliJson(args + QStringList{QStringLiteral("--force-reload")}, env);
    EXPECT_FALSE(doc.value(QStringLiteral("from_cache")).toBool());
    doc = cliJson(args, env);
    EXPECT_TRUE(doc.value(QStringLiteral("from_cache")).toBool());
}

TEST(Listing, CacheInvalidationRules)
{
    QTemporaryDir tmp;
    const QString hub = tmp.filePath(QStringLiteral("hub"));
    const QString folder = hub + QStringLiteral("/alice_repo_main");
    put(folder + QStringLiteral("/hubconf.py"), "def a():\n    pass\n");
    Sidecar sidecar(hub);
    RepoRecord rec;
    rec.folder = QStringLiteral("alice_repo_main");
    rec.owner = QStringLiteral("alice");
    rec.repo = QStringLiteral("repo");
    rec.ref = QStringLiteral("main");
    rec.commit = QStringLiteral("1111111111111111111111111111111111111111");
    ASSERT_TRUE(sidecar.putRepo(rec));

    ListingCache cache(hub);
    const QJsonObject listing{
        {QStringLiteral("entrypoints"),
         QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("a")}}}},
        {QStringLiteral("output"), QStringLiteral("printed once")}};
    EXPECT_FALSE(cache.get(folder, QStringLiteral("import")));
    ASSERT_TRUE(cache.put(folder, QStringLiteral("import"), listing));
    ASSERT_TRUE(cache.put(folder, QStringLiteral("static"), listing));
    auto kept = cache.get(folder, QStringLiteral("import"));
    ASSERT_TRUE(kept);
    EXPECT_EQ(kept->value(QStringLiteral("entrypoints")),
              listing.value(QStringLiteral("entrypoints")));
    EXPECT_FALSE(kept->contains(QStringLiteral("output"))) << "what one run printed is not kept";
    EXPECT_TRUE(cache.get(folder, QStringLiteral("static")));

    // The commit moves (a fetch, force-reload or update records a new one): a miss.
    rec.commit = QStringLiteral("2222222222222222222222222222222222222222");
    ASSERT_TRUE(sidecar.putRepo(rec));
    EXPECT_FALSE(QFileInfo::exists(cache.recordPath(folder))) << "putRepo drops the record";
    ASSERT_TRUE(cache.put(folder, QStringLiteral("import"), listing));
    // Even a record that survived would not match the new commit.
    const QByteArray saved = readFile(cache.recordPath(folder));
    rec.commit = QStringLiteral("3333333333333333333333333333333333333333");
    ASSERT_TRUE(sidecar.putRepo(rec));
    writeFile(cache.recordPath(folder), saved);
    EXPECT_FALSE(cache.get(folder, QStringLiteral("import")));

    // A changed hubconf.py: a miss.
    ASSERT_TRUE(cache.put(folder, QStringLiteral("import"), listing));
    EXPECT_TRUE(cache.get(folder, QStringLiteral("import")));
    put(folder + QStringLiteral("/hubconf.py"), "def a():\n    pass\n\n\ndef b():\n    pass\n");
    EXPECT_FALSE(cache.get(folder, QStringLiteral("import")));

    // A corrupt record is a miss, not an error; removing the repository drops it.
    ASSERT_TRUE(cache.put(folder, QStringLiteral("import"), listing));
    writeFile(cache.recordPath(folder), "{not json");
    EXPECT_FALSE(cache.get(folder, QStringLiteral("import")));
    ASSERT_TRUE(cache.put(folder, QStringLiteral("import"), listing));
    sidecar.removeRepo(QStringLiteral("alice_repo_main"));
    EXPECT_FALSE(cache.get(folder, QStringLiteral("import")));

    // Local folders: keyed by path, checked against hubconf.py and the other modules.
    const QString local = tmp.filePath(QStringLiteral("local"));
    put(local + QStringLiteral("/hubconf.py"), "from m import *\n");
    put(local + QStringLiteral("/m.py"), "def a():\n    pass\n");
    ASSERT_TRUE(cache.put(local, QStringLiteral("static"), listing));
    EXPECT_TRUE(cache.get(local, QStringLiteral("static")));
    EXPECT_FALSE(cache.get(local, QStringLiteral("import")));
    put(local + QStringLiteral("/m.py"), "def a():\n    pass\n\n\ndef bb():\n    pass\n");
    EXPECT_FALSE(cache.get(local, QStringLiteral("static")));
    // A folder without hubconf.py keeps nothing.
    EXPECT_FALSE(
        cache.put(tmp.filePath(QStringLiteral("empty")), QStringLiteral("static"), listing));
}

TEST(Listing, HelpGivesDocRawAndTheWeightsTheEntrypointCanDownload)
{
    QTemporaryDir home;
    const QProcessEnvironment env = isolatedEnv(home.path());
    const QString hub = home.path() + QStringLiteral("/torch/hub");
    const QString repo = home.path() + QStringLiteral("/w");
    put(repo + QStringLiteral("/models/__init__.py"), "");
    put(repo + QStringLiteral("/models/net.py"), R"PY(import torch
URLS = {"resnet": "https://h.example/resnet-0011aabb.pth"}


def _load(url, m):
    m.load_state_dict(torch.hub.load_state_dict_from_url(url, progress=False))


def build(arch, pretrained=False):
    m = object()
    if pretrained:
        _load(URLS[arch], m)
    return m
)PY");
    put(repo + QStringLiteral("/hubconf.py"), R"PY(dependencies = []
from torch.hub import load_state_dict_from_url, download_url_to_file
import torch.hub as hub
from models.net import build
BASE = "https://example.com/weights/"
VERSION = "v2"
URLS = {"a": BASE + "a-1234abcd.pth", "b": f"{BASE}b_{VERSION}-deadbeef.pt"}


def literal(pretrained=True):
    """Literal URL.

        Indented.
    """
    load_state_dict_from_url("https://example.com/lit-0123456789.pth")


def concat():
    return hub.load_state_dict_from_url(BASE + "concat.pth")


def fstring():
    name = "fs"
    return load_state_dict_from_url(f"{BASE}{name}_{VERSION}.pth")


def percent():
    return load_state_dict_from_url("%s/%s-%s.pth" % ("https://h.example", "pct", "abcdef12"))


def fmt():
    return load_state_dict_from_url("{}/{name}.pth".format("https://h.example", name="fmt"))


def dictkey():
    return load_state_dict_from_url(URLS["a"], file_name="renamed.pth")


def helper():
    return build("resnet", pretrained=True)


def download():
    download_url_to_file("https://h.example/file.bin", "/tmp/x/data.bin")


def unknown(url):
    return load_state_dict_from_url(url)
)PY");
    put(hub + QStringLiteral("/checkpoints/lit-0123456789.pth"), "x");
    struct Want
    {
        const char *entry, *url, *fileName, *hash;
    };
    const Want wants[] = {
        {"literal", "https://example.com/lit-0123456789.pth", "lit-0123456789.pth", "0123456789"},
        {"concat", "https://example.com/weights/concat.pth", "concat.pth", nullptr},
        {"fstring", "https://example.com/weights/fs_v2.pth", "fs_v2.pth", nullptr},
        {"percent", "https://h.example/pct-abcdef12.pth", "pct-abcdef12.pth", "abcdef12"},
        {"fmt", "https://h.example/fmt.pth", "fmt.pth", nullptr},
        {"dictkey", "https://example.com/weights/a-1234abcd.pth", "renamed.pth", nullptr},
        {"helper", "https://h.example/resnet-0011aabb.pth", "resnet-0011aabb.pth", "0011aabb"},
        {"download", "https://h.example/file.bin", "data.bin", nullptr},
    };
    for (const Want &w : wants) {
        SCOPED_TRACE(w.entry);
        const QJsonObject doc = cliJson({QStringLiteral("help"), repo, QString::fromLatin1(w.entry),
                                         QStringLiteral("--source"), QStringLiteral("local")},
                                        env);
        const QJsonArray weights = doc.value(QStringLiteral("weights")).toArray();
        ASSERT_EQ(weights.size(), 1) << QJsonDocument(doc).toJson().toStdString();
        const QJsonObject o = weights.at(0).toObject();
        EXPECT_EQ(o.value(QStringLiteral("url")).toString(), QString::fromLatin1(w.url));
        EXPECT_EQ(o.value(QStringLiteral("file_name")).toString(), QString::fromLatin1(w.fileName));
        if (w.hash)
            EXPECT_EQ(o.value(QStringLiteral("hash_prefix")).toString(),
                      QString::fromLatin1(w.hash));
        else
            EXPECT_TRUE(o.value(QStringLiteral("hash_prefix")).isNull());
        EXPECT_EQ(o.value(QStringLiteral("path")).toString(),
                  QDir(hub).absoluteFilePath(QStringLiteral("checkpoints/")) +
                      QString::fromLatin1(w.fileName));
        EXPECT_EQ(o.value(QStringLiteral("cached")).toBool(), QByteArray(w.entry) == "literal");
    }
    QJsonObject doc = cliJson({QStringLiteral("help"), repo, QStringLiteral("unknown"),
                               QStringLiteral("--source"), QStringLiteral("local")},
                              env);
    EXPECT_TRUE(doc.value(QStringLiteral("weights")).toArray().isEmpty());

    // doc is inspect.cleandoc and doc_raw the raw __doc__, in both modes (torch.hub.help's).
    const QString raw = QStringLiteral("Literal URL.\n\n        Indented.\n    ");
    for (const char *mode : {"static", "import"}) {
        SCOPED_TRACE(mode);
        doc = cliJson({QStringLiteral("help"), repo, QStringLiteral("literal"),
                       QStringLiteral("--source"), QStringLiteral("local"),
                       QStringLiteral("--mode"), QString::fromLatin1(mode)},
                      env);
        EXPECT_EQ(doc.value(QStringLiteral("doc")).toString(),
                  QStringLiteral("Literal URL.\n\nIndented."));
        EXPECT_EQ(doc.value(QStringLiteral("doc_raw")).toString(), raw);
        EXPECT_EQ(doc.value(QStringLiteral("weights")).toArray().size(), 1);
        doc =
            cliJson({QStringLiteral("list"), repo, QStringLiteral("--source"),
                     QStringLiteral("local"), QStringLiteral("--mode"), QString::fromLatin1(mode)},
                    env);
        for (const auto &v : doc.value(QStringLiteral("entrypoints")).toArray())
            if (v.toObject().value(QStringLiteral("name")).toString() == u"literal") {
                EXPECT_EQ(v.toObject().value(QStringLiteral("doc_raw")).toString(), raw);
            }
    }
}

// Runtime listing computes plain functions' signatures from their code objects (fast); they must
// read exactly as inspect.signature does.
TEST(Listing, RuntimeSignaturesEqualInspectSignature)
{
    ensureApp();
    QTemporaryDir tmp;
    const QString repo = tmp.filePath(QStringLiteral("sigs"));
    put(repo + QStringLiteral("/hubconf.py"), R"PY(from typing import Optional, List
import functools


def a(x, y=2, *args, z, w=3, **kw):
    pass


def b(x, /, y, *, z=None) -> int:
    pass


def c(x: int = 3, y: "str" = 'q', z: Optional[List[int]] = None, *, k: float = 1.5, **kw: dict) -> Optional[int]:
    pass


def d():
    pass


def e(*, a):
    pass


def f(a, b=[1, 2], c={"x": (1,)}, g=b"by", h=-1.5, i=None, j=True):
    pass


def g(a, /):
    pass


def h(a, /, b, *c, d, **e):
    pass


def _wrapped(x, y=1):
    pass


@functools.wraps(_wrapped)
def wrapped(*args, **kwargs):
    pass


class K:
    def __init__(self, a, b: int = 2):
        pass


p = functools.partial(a, 1, z=3)
)PY");
    PyHostPool pool;
    pool.setProgram(binDir() + QStringLiteral("/hubcap-pyhost"));
    const HostAnswer rt = ask(pool, repo, QStringLiteral("runtime.list"));
    ASSERT_TRUE(rt.ok) << rt.error.text().toStdString();
    const QJsonObject want = pythonJson(QStringLiteral(R"PY(
import importlib.util, inspect, json, sys
sys.path.insert(0, %1)
spec = importlib.util.spec_from_file_location("hubconf.py", %1 + "/hubconf.py")
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
print(json.dumps({n: str(inspect.signature(getattr(m, n)))
                  for n in ["a", "b", "c", "d", "e", "f", "g", "h", "wrapped", "K", "p"]}))
)PY")
                                            .arg(u'"' + repo + u'"'));
    ASSERT_FALSE(want.isEmpty());
    int compared = 0;
    for (const auto &v : rt.result.value(QStringLiteral("entrypoints")).toArray()) {
        const QJsonObject e = v.toObject();
        const QString name = e.value(QStringLiteral("name")).toString();
        if (!want.contains(name))
            continue;
        EXPECT_EQ(e.value(QStringLiteral("signature")).toString(), want.value(name).toString())
            << name.toStdString();
        ++compared;
    }
    EXPECT_GE(compared, 11);
}
