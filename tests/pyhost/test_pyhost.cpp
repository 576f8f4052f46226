// The Python host: static browsing and runtime list/help against Debian's torch.hub as the
// oracle, isolation of repositories, deadlines and crashes.
#include "tests/pyhost/pyhostfixtures.h"

#include "tests/support/fakeserver.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>

#include <tuple>

using namespace hubcap;
using namespace hubcap::test;

namespace {

QString hostProgram()
{
    return binDir() + QStringLiteral("/hubcap-pyhost");
}

struct Fixtures
{
    QTemporaryDir tmp;
    QString root;
    PyHostPool pool;
    Fixtures()
    {
        ensureApp();
        root = tmp.path();
        writeFixtures(root);
        pool.setProgram(hostProgram());
    }
    QString dir(const char *name) const { return root + u'/' + QLatin1String(name); }
    HostAnswer ask(const QString &d, const char *method, const QJsonObject &params = {},
                   int deadlineMs = 60000)
    {
        return test::ask(pool, d, QString::fromLatin1(method), params, deadlineMs);
    }
};

} // namespace

// Where static analysis must differ from torch.hub.list/help, and why (checked below):
// - `pi` (`from math import pi`): static mode lists every name imported from an outside module
//   that is not a submodule, because whether `math.pi` is callable is only known by importing
//   math (static mode imports nothing). torch.hub.list drops it (a float is not callable).
// - help of a functools.partial (model_b, tiny_v1, tiny_v2): torch.hub.help returns partial's
//   own class docstring ("partial(func, *args, **keywords) - new function ..."), which says
//   nothing about the model; static mode shows the wrapped function's cleaned docstring.
// - help of names imported from outside the repository (Path, partial, dumps): torch returns that
//   object's __doc__; static mode does not guess a docstring for outside packages (it would
//   have to import them) and reports "imported_from" instead.
// - Docstrings: torch.hub.help returns the raw __doc__; static mode returns it cleaned with
//   inspect.cleandoc. The runtime host returns the raw one, equal to torch's.
// - missing_dep: torch.hub.help refuses ("Missing dependencies: ..."); static help works and
//   reports the missing dependency, since browsing must work where torch.hub cannot.
// - A syntax error: both fail; static reports it as "SyntaxError: hubconf.py:LINE: message".
TEST(PyHost, StaticAndRuntimeAgreeWithTorchHub)
{
    Fixtures f;
    const QStringList dirs{
        f.dir("rich"),   f.dir("rich_ok"),           f.dir("missing_dep"),      f.dir("syntax"),
        f.dir("repo_a"), f.dir("hub/owner_repo_v1"), f.dir("hub/owner_repo_v2")};
    const QJsonObject oracle =
        torchHubOracle(dirs, {QStringLiteral("_helper"), QStringLiteral("no_such_entry")});
    ASSERT_EQ(oracle.size(), dirs.size());

    const QStringList staticOnly{QStringLiteral("pi")};
    const QStringList docDiffers{QStringLiteral("model_b"), QStringLiteral("tiny_v1"),
                                 QStringLiteral("tiny_v2"), QStringLiteral("Path"),
                                 QStringLiteral("partial"), QStringLiteral("dumps")};
    for (const QString &d : dirs) {
        SCOPED_TRACE(d.toStdString());
        const QJsonObject o = oracle.value(d).toObject();
        const HostAnswer st = f.ask(d, "static.list");
        const HostAnswer rt = ask(f.pool, d, QStringLiteral("runtime.list"));
        if (o.value(QStringLiteral("list")).isNull()) {
            // torch.hub.list failed: so do both modes, with the same exception type.
            const QString oracleError = o.value(QStringLiteral("list_error")).toString();
            ASSERT_FALSE(st.ok);
            ASSERT_FALSE(rt.ok);
            const QString type = oracleError.section(u':', 0, 0);
            EXPECT_TRUE(st.error.message.startsWith(type)) << st.error.message.toStdString();
            EXPECT_EQ(rt.error.message, oracleError);
            continue;
        }
        ASSERT_TRUE(st.ok) << st.error.text().toStdString();
        ASSERT_TRUE(rt.ok) << rt.error.text().toStdString();
        const QStringList expected = strings(o.value(QStringLiteral("list")));
        EXPECT_EQ(names(rt.result.value(QStringLiteral("entrypoints")).toArray()), expected);
        QStringList staticNames = names(st.result.value(QStringLiteral("entrypoints")).toArray());
        for (const QString &n : staticOnly)
            staticNames.removeAll(n);
        EXPECT_EQ(staticNames, expected);
        // Where each entrypoint is defined: static and runtime (inspect) agree, except for
        // partials (static: the assignment; inspect: the wrapped function) and outside names.
        QHash<QString, QJsonObject> runtimeEntry;
        for (const auto &v : rt.result.value(QStringLiteral("entrypoints")).toArray())
            runtimeEntry.insert(v.toObject().value(QStringLiteral("name")).toString(),
                                v.toObject());
        for (const auto &v : st.result.value(QStringLiteral("entrypoints")).toArray()) {
            const QJsonObject e = v.toObject();
            const QString name = e.value(QStringLiteral("name")).toString();
            const QString kind = e.value(QStringLiteral("kind")).toString();
            if (kind == u"partial" || kind == u"imported")
                continue;
            const QJsonObject r = runtimeEntry.value(name);
            EXPECT_EQ(e.value(QStringLiteral("defined_in")).toString(),
                      r.value(QStringLiteral("defined_in")).toString())
                << name.toStdString();
            // Signatures too (fixture defaults are literals, so source text equals repr).
            EXPECT_EQ(e.value(QStringLiteral("signature")).toString(),
                      r.value(QStringLiteral("signature")).toString())
                << name.toStdString();
        }

        // help: runtime equals torch.hub.help exactly (raw docstring or the same error);
        // static equals the cleaned docstring except where documented above.
        const QJsonObject helps = o.value(QStringLiteral("help")).toObject();
        const QJsonObject clean = o.value(QStringLiteral("help_clean")).toObject();
        const QJsonObject errors = o.value(QStringLiteral("help_error")).toObject();
        for (const QString &n :
             expected + QStringList{QStringLiteral("_helper"), QStringLiteral("no_such_entry")}) {
            SCOPED_TRACE(n.toStdString());
            const QJsonObject params{{QStringLiteral("entrypoint"), n}};
            const HostAnswer rh = ask(f.pool, d, QStringLiteral("runtime.help"), params);
            const HostAnswer sh = ask(f.pool, d, QStringLiteral("static.help"), params);
            if (errors.contains(n)) {
                ASSERT_FALSE(rh.ok);
                EXPECT_EQ(rh.error.message, errors.value(n).toString());
                // Static help checks the name, not the dependencies (it reports those instead):
                // it fails only for names that are not there.
                if (!sh.ok) {
                    EXPECT_EQ(
                        sh.error.message,
                        QStringLiteral("RuntimeError: Cannot find callable %1 in hubconf").arg(n));
                    EXPECT_FALSE(expected.contains(n));
                } else {
                    EXPECT_TRUE(errors.value(n).toString().startsWith(
                        u"RuntimeError: Missing dependencies: "));
                    EXPECT_FALSE(
                        strings(sh.result.value(QStringLiteral("missing_dependencies"))).isEmpty());
                }
                continue;
            }
            ASSERT_TRUE(rh.ok) << rh.error.text().toStdString();
            EXPECT_EQ(rh.result.value(QStringLiteral("doc")), helps.value(n));
            ASSERT_TRUE(sh.ok) << sh.error.text().toStdString();
            const QJsonObject e = sh.result.value(QStringLiteral("entrypoint")).toObject();
            if (!docDiffers.contains(n)) {
                const QString want =
                    clean.value(n).isNull() ? QString() : clean.value(n).toString();
                EXPECT_EQ(e.value(QStringLiteral("doc")).toString(), want);
            }
        }
    }

    // Details of the rich fixture that the oracle does not show.
    const HostAnswer st = f.ask(f.dir("rich"), "static.list");
    QHash<QString, QJsonObject> byName;
    for (const auto &v : st.result.value(QStringLiteral("entrypoints")).toArray())
        byName.insert(v.toObject().value(QStringLiteral("name")).toString(), v.toObject());
    EXPECT_EQ(byName[QStringLiteral("model_a")].value(QStringLiteral("signature")).toString(),
              QStringLiteral("(pretrained: bool = False, *, scale=1.0, **kwargs)"));
    EXPECT_EQ(byName[QStringLiteral("model_a")].value(QStringLiteral("doc")).toString(),
              QStringLiteral("Model A.\n\nIndented example::\n\n    model_a()"));
    EXPECT_EQ(byName[QStringLiteral("model_a")].value(QStringLiteral("defined_in")).toString(),
              QStringLiteral("hubconf.py:14"));
    EXPECT_EQ(byName[QStringLiteral("model_b")].value(QStringLiteral("kind")).toString(),
              QStringLiteral("partial"));
    EXPECT_EQ(byName[QStringLiteral("model_b")].value(QStringLiteral("signature")).toString(),
              QStringLiteral("(pretrained: bool = False, *, scale=2.0, **kwargs)"));
    EXPECT_EQ(byName[QStringLiteral("Helper")].value(QStringLiteral("kind")).toString(),
              QStringLiteral("class"));
    EXPECT_EQ(byName[QStringLiteral("Helper")].value(QStringLiteral("signature")).toString(),
              QStringLiteral("(x, y=2)"));
    EXPECT_EQ(byName[QStringLiteral("build")].value(QStringLiteral("defined_in")).toString(),
              QStringLiteral("models/net.py:8"));
    EXPECT_EQ(byName[QStringLiteral("star_fn")].value(QStringLiteral("defined_in")).toString(),
              QStringLiteral("pkg/stars.py:5"));
    EXPECT_EQ(byName[QStringLiteral("tiny_v1")].value(QStringLiteral("signature")).toString(),
              QStringLiteral("(name='x', *, width=8)"));
    EXPECT_EQ(byName[QStringLiteral("Path")].value(QStringLiteral("imported_from")).toString(),
              QStringLiteral("pathlib"));
    EXPECT_EQ(byName[QStringLiteral("Path")].value(QStringLiteral("doc")).toString(), QString());
    // torch.hub's find_spec test: "PyYAML" is a distribution name, never importable as such.
    EXPECT_EQ(strings(st.result.value(QStringLiteral("missing_dependencies"))),
              (QStringList{QStringLiteral("PyYAML"), QStringLiteral("nonexistent_pkg_xyz")}));
}

TEST(PyHost, StaticModeImportsNothingAndIsFast)
{
    Fixtures f;
    QElapsedTimer t;
    t.start();
    const HostAnswer cold = f.ask(f.dir("rich"), "static.list");
    const qint64 coldMs = t.elapsed();
    ASSERT_TRUE(cold.ok) << cold.error.text().toStdString();
    t.restart();
    const HostAnswer warm = f.ask(f.dir("rich"), "static.list");
    const qint64 warmMs = t.elapsed();
    ASSERT_TRUE(warm.ok);
    EXPECT_LT(coldMs, 2000); // a process start + CPython init + ast: well under a second here
    EXPECT_LT(warmMs, 500);
    // No torch, and no repository module was imported (hubconf printing nothing proves little).
    const HostAnswer ping = f.ask(f.dir("rich"), "ping");
    ASSERT_TRUE(ping.ok);
    EXPECT_FALSE(ping.result.value(QStringLiteral("torch_imported")).toBool());
    // The host said hello first: the protocol version and which Python (found without
    // importing torch, as ping just proved).
    const auto host = f.pool.hostFor(f.dir("rich"));
    ASSERT_TRUE(host);
    const HostIdentity id = (*host)->identity();
    EXPECT_EQ(id.protocol, kHostProtocolVersion);
    EXPECT_EQ(id.host, QStringLiteral("hubcap-pyhost"));
    EXPECT_EQ(id.pid, (*host)->processId());
    EXPECT_FALSE(id.pythonVersion.isEmpty());
    // Static mode works where hubconf cannot even be imported (it hangs at import here).
    const HostAnswer hang = f.ask(f.dir("hang"), "static.list", {}, 5000);
    ASSERT_TRUE(hang.ok) << hang.error.text().toStdString();
    EXPECT_TRUE(names(hang.result.value(QStringLiteral("entrypoints")).toArray()).isEmpty());
}

TEST(PyHost, HangAtImportIsKilledAtTheDeadlineAndTheHostRestarts)
{
    Fixtures f;
    auto host = f.pool.hostFor(f.dir("hang"));
    ASSERT_TRUE(host.has_value());
    QElapsedTimer t;
    t.start();
    const HostAnswer a = f.ask(f.dir("hang"), "runtime.list", {}, 1500);
    EXPECT_LT(t.elapsed(), 10000);
    ASSERT_FALSE(a.ok);
    EXPECT_EQ(a.error.code, Error::Code::HostFailed);
    EXPECT_TRUE(a.error.message.contains(u"did not answer 'runtime.list' within 1.5 s"))
        << a.error.message.toStdString();
    EXPECT_FALSE((*host)->isRunning());
    const HostAnswer again = f.ask(f.dir("hang"), "ping");
    EXPECT_TRUE(again.ok);
    EXPECT_EQ((*host)->startCount(), 2);

    // Cancelling the job stops the host (Python cannot be interrupted safely); it finishes as
    // cancelled, and the next request gets a fresh host.
    PyHostJob job(&f.pool, f.dir("hang"), QStringLiteral("runtime.list"), {}, 60000);
    QObject::connect(&job, &Job::progress, &job, [&job] { job.cancel(); }); // once hubconf runs
    job.start();
    ASSERT_TRUE(job.waitForFinished(20000));
    EXPECT_EQ(job.state(), Job::State::Cancelled);
    EXPECT_TRUE(f.ask(f.dir("hang"), "ping").ok);
    EXPECT_EQ((*host)->startCount(), 3);
}

TEST(PyHost, CrashesAreReportedWithStderrAndRestarted)
{
    Fixtures f;
    // Segfault: the host dies by a signal; faulthandler's report is in the details.
    const HostAnswer segv = f.ask(f.dir("segv"), "runtime.list");
    ASSERT_FALSE(segv.ok);
    EXPECT_EQ(segv.error.code, Error::Code::HostFailed);
    EXPECT_TRUE(segv.error.message.contains(u"crashed during 'runtime.list'"))
        << segv.error.message.toStdString();
    EXPECT_TRUE(segv.error.details.contains(u"Segmentation fault"))
        << segv.error.details.toStdString();
    EXPECT_TRUE(segv.error.details.contains(u"hubconf.py")) << segv.error.details.toStdString();
    EXPECT_TRUE(f.ask(f.dir("segv"), "static.list").ok); // restarted on the next request

    // os._exit: the process ends with that status.
    const HostAnswer osexit = f.ask(f.dir("osexit"), "runtime.list");
    ASSERT_FALSE(osexit.ok);
    EXPECT_EQ(osexit.error.code, Error::Code::HostFailed);
    EXPECT_TRUE(osexit.error.message.contains(u"exited with status 7"))
        << osexit.error.message.toStdString();

    // sys.exit raises SystemExit, which the host catches: an error reply, the host lives on.
    auto host = f.pool.hostFor(f.dir("sysexit"));
    ASSERT_TRUE(host.has_value());
    const HostAnswer sysexit = f.ask(f.dir("sysexit"), "runtime.list");
    ASSERT_FALSE(sysexit.ok);
    EXPECT_EQ(sysexit.pythonError.value(QStringLiteral("type")).toString(),
              QStringLiteral("SystemExit"));
    EXPECT_TRUE(sysexit.error.message.contains(u"sys.exit(3)"))
        << sysexit.error.message.toStdString();
    EXPECT_TRUE(f.ask(f.dir("sysexit"), "ping").ok);
    EXPECT_EQ((*host)->startCount(), 1);
}

TEST(PyHost, ReposWithTheSameModulesAndTwoRefsLoadSideBySide)
{
    Fixtures f;
    // The oracle: one Python process takes the first repository's `models` for both (#243).
    const QJsonObject py =
        pythonJson(QStringLiteral(R"PY(
import json, torch.hub as hub
a = hub.load(%1, "which", source="local")
b = hub.load(%2, "which", source="local")
print(json.dumps({"a": a, "b": b}))
)PY")
                       .arg(u'"' + f.dir("repo_a") + u'"', u'"' + f.dir("repo_b") + u'"'));
    EXPECT_EQ(strings(py.value(QStringLiteral("b"))),
              (QStringList{QStringLiteral("a"), QStringLiteral("a")}));

    const QJsonObject params{{QStringLiteral("entrypoint"), QStringLiteral("which")}};
    for (int round = 0; round < 2; ++round) { // interleaved, with warm hosts the second time
        const HostAnswer a = f.ask(f.dir("repo_a"), "runtime.load", params);
        const HostAnswer b = f.ask(f.dir("repo_b"), "runtime.load", params);
        ASSERT_TRUE(a.ok && b.ok) << a.error.text().toStdString() << b.error.text().toStdString();
        EXPECT_EQ(a.result.value(QStringLiteral("description"))
                      .toObject()
                      .value(QStringLiteral("repr"))
                      .toString(),
                  QStringLiteral("['a', 'a']"));
        EXPECT_EQ(b.result.value(QStringLiteral("description"))
                      .toObject()
                      .value(QStringLiteral("repr"))
                      .toString(),
                  QStringLiteral("['b', 'b']"));
    }

    // Two refs of one repository: different entrypoints and their own `utils`.
    const QString v1 = f.dir("hub/owner_repo_v1"), v2 = f.dir("hub/owner_repo_v2");
    EXPECT_EQ(
        names(f.ask(v1, "runtime.list").result.value(QStringLiteral("entrypoints")).toArray()),
        QStringList{QStringLiteral("old_model")});
    EXPECT_EQ(
        names(f.ask(v2, "runtime.list").result.value(QStringLiteral("entrypoints")).toArray()),
        (QStringList{QStringLiteral("new_model"), QStringLiteral("old_model")}));
    const QJsonObject old{{QStringLiteral("entrypoint"), QStringLiteral("old_model")}};
    const auto repr = [](const HostAnswer &a) {
        return a.result.value(QStringLiteral("description"))
            .toObject()
            .value(QStringLiteral("repr"))
            .toString();
    };
    EXPECT_EQ(repr(f.ask(v1, "runtime.load", old)), QStringLiteral("1"));
    EXPECT_EQ(repr(f.ask(v2, "runtime.load", old)), QStringLiteral("2"));
    const HostAnswer withArgs =
        f.ask(v2, "runtime.load",
              {{QStringLiteral("entrypoint"), QStringLiteral("new_model")},
               {QStringLiteral("kwargs"), QJsonObject{{QStringLiteral("size"), 7}}}});
    EXPECT_EQ(repr(withArgs), QStringLiteral("[2, 7]"));
    EXPECT_EQ(f.pool.hosts().size(), 4);
}

TEST(PyHost, WhatRepositoryCodePrintsIsCapturedNotMixedIntoTheProtocol)
{
    Fixtures f;
    const HostAnswer a = f.ask(f.dir("noisy"), "runtime.load",
                               {{QStringLiteral("entrypoint"), QStringLiteral("talk")},
                                {QStringLiteral("args"), QJsonArray{5}}});
    ASSERT_TRUE(a.ok) << a.error.text().toStdString();
    const QString out = a.result.value(QStringLiteral("output")).toString();
    EXPECT_TRUE(out.contains(u"python print at import")) << out.toStdString();
    EXPECT_TRUE(out.contains(u"stderr at import"));
    EXPECT_TRUE(out.contains(u"talking 5"));
    EXPECT_EQ(a.result.value(QStringLiteral("description"))
                  .toObject()
                  .value(QStringLiteral("repr"))
                  .toString(),
              QStringLiteral("{'n': 5}"));
    // The C-level write to fd 1 went to the host's stderr, not into the protocol stream.
    auto host = f.pool.hostFor(f.dir("noisy"));
    ASSERT_TRUE(host.has_value());
    EXPECT_TRUE((*host)->stderrTail().contains(QStringLiteral("C-level write to fd 1")))
        << (*host)->stderrTail().join(u'\n').toStdString();
    // Unknown methods and bad arguments are errors, the host stays up.
    const HostAnswer bad = f.ask(f.dir("noisy"), "no.such.method");
    EXPECT_FALSE(bad.ok);
    EXPECT_EQ(bad.error.code, Error::Code::HostFailed);
    EXPECT_TRUE(f.ask(f.dir("noisy"), "ping").ok);
}

// Repository code that calls torch.hub (load_state_dict_from_url, a nested torch.hub.load) must
// use the hub dir Hubcap shows, and the token from the GUI's keychain, not Python's defaults.
// A change applies to a warm host at its next request (it restarts), never mid-request.
TEST(PyHost, HostsSeeTheHubDirAndTokenTheClientSets)
{
    Fixtures f;
    const QString repo = f.root + QStringLiteral("/envprobe");
    writeFile(repo + QStringLiteral("/hubconf.py"),
              "import os\n"
              "def probe():\n"
              "    import torch.hub\n"
              "    return [torch.hub.get_dir(), os.environ.get('GITHUB_TOKEN', '<unset>')]\n");
    auto reprOf = [&] {
        const HostAnswer a = f.ask(repo, "runtime.load", {{QStringLiteral("entrypoint"), "probe"}});
        EXPECT_TRUE(a.ok) << a.error.text().toStdString();
        return a.result.value(QStringLiteral("description"))
            .toObject()
            .value(QStringLiteral("repr"))
            .toString();
    };
    // A hub dir named "hub" goes through TORCH_HOME (no torch import needed); any other
    // through torch.hub.set_dir().
    const QString hubA = f.root + QStringLiteral("/a/hub");
    f.pool.setHubDir(hubA);
    f.pool.setToken(QStringLiteral("tok-first"));
    EXPECT_EQ(reprOf(), QStringLiteral("['%1', 'tok-first']").arg(hubA));
    auto host = f.pool.hostFor(repo);
    ASSERT_TRUE(host.has_value());
    EXPECT_EQ((*host)->startCount(), 1);

    const QString hubB = f.root + QStringLiteral("/elsewhere");
    f.pool.setHubDir(hubB);
    f.pool.setToken(QStringLiteral("tok-second"));
    EXPECT_FALSE((*host)->isRunning()) << "an idle host restarts when its environment changes";
    EXPECT_EQ(reprOf(), QStringLiteral("['%1', 'tok-second']").arg(hubB));
    EXPECT_EQ((*host)->startCount(), 2);
    // Unchanged settings keep the warm host.
    f.pool.setHubDir(hubB);
    EXPECT_EQ(reprOf(), QStringLiteral("['%1', 'tok-second']").arg(hubB));
    EXPECT_EQ((*host)->startCount(), 2);
}

// Weights that a hubconf downloads with torch.hub.load_state_dict_from_url while it loads show
// as byte progress ("Downloading NAME: X of Y"), even with progress=False, and land in the hub
// dir the client set (so Hubcap's cache page sees them). The step text comes back afterwards.
TEST(PyHost, WeightsDownloadedByRepositoryCodeReportByteProgress)
{
    FakeServer server;
    ASSERT_TRUE(server.isRunning()) << server.serverErrors().toStdString();
    Fixtures f;
    const QString name = QStringLiteral("tiny-0123abcd.pth");
    const QString asset = server.root() + QStringLiteral("/assets/") + name;
    QDir().mkpath(server.root() + QStringLiteral("/assets"));
    // A real checkpoint, about 2 MB, so that several chunks arrive.
    const ProcessResult saved = runPython(
        QStringLiteral("import torch; torch.manual_seed(0); "
                       "torch.save({'w': torch.randn(512, 1024)}, %1)")
            .arg(QString::fromUtf8(QJsonDocument(QJsonArray{asset}).toJson(QJsonDocument::Compact))
                     .mid(1)
                     .chopped(1)));
    ASSERT_EQ(saved.exitCode, 0) << saved.err.toStdString();
    const qint64 size = QFileInfo(asset).size();
    ASSERT_GT(size, 1 << 20);
    const QString repo = f.root + QStringLiteral("/weights");
    writeFile(repo + QStringLiteral("/hubconf.py"),
              "import torch\n"
              "def fetch(url):\n"
              "    sd = torch.hub.load_state_dict_from_url(url, progress=False)\n"
              "    return list(sd['w'].shape)\n");
    const QString hub = f.root + QStringLiteral("/cache/hub");
    f.pool.setHubDir(hub);
    LoadParams params;
    params.entrypoint = QStringLiteral("fetch");
    params.args = QJsonArray{server.url() + QStringLiteral("/assets/") + name};
    LoadJob job(&f.pool, repo, params, PyHostJob::runtimeDeadlineMs);
    QList<std::tuple<qint64, qint64, QString>> reports;
    QObject::connect(&job, &Job::progress, [&](qint64 done, qint64 total, const QString &text) {
        reports << std::make_tuple(done, total, text);
    });
    job.start();
    job.waitForFinished(180000);
    ASSERT_EQ(job.state(), Job::State::Succeeded) << job.error()->text().toStdString();
    EXPECT_EQ(job.value().description.repr, QStringLiteral("[512, 1024]"));
    EXPECT_EQ(QFileInfo(hub + QStringLiteral("/checkpoints/") + name).size(), size)
        << "the weights land in the hub dir Hubcap uses";

    QList<std::tuple<qint64, qint64, QString>> bytes;
    for (const auto &r : reports)
        if (std::get<2>(r).startsWith(QStringLiteral("Downloading ") + name))
            bytes << r;
    ASSERT_GE(bytes.size(), 2) << "start and end at least";
    EXPECT_EQ(std::get<0>(bytes.first()), 0);
    EXPECT_EQ(std::get<0>(bytes.last()), size);
    for (const auto &r : bytes)
        EXPECT_EQ(std::get<1>(r), size) << "the total comes from Content-Length";
    EXPECT_TRUE(std::get<2>(bytes.last())
                    .endsWith(QStringLiteral(" of ") +
                              QStringLiteral("%1 MiB").arg(size / 1048576.0, 0, 'f', 1)))
        << std::get<2>(bytes.last()).toStdString();
    // After the download the row reads the entrypoint's step again.
    const auto after = std::find_if(reports.begin(), reports.end(),
                                    [&](const auto &r) { return r == bytes.last(); });
    ASSERT_NE(after, reports.end());
    ASSERT_NE(std::next(after), reports.end());
    EXPECT_EQ(std::get<2>(*std::next(after)), QStringLiteral("calling fetch"));
}
