// `hubcap-cli bundle export|import|show` end to end, torch.hub compatibility of an imported
// bundle, and bundles that are cut short, tampered with or escape the hub dir.
#include "core/cache/sidecar.h"
#include "tests/fetch/fetchfixtures.h"
#include "tests/support/fakeserver.h"
#include "tests/support/testsupport.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <optional>

using namespace hubcap;
using namespace hubcap::test;

namespace {

QJsonObject json(const ProcessResult &r)
{
    return QJsonDocument::fromJson(r.out).object();
}

/// Every file under `dir` (relative paths, sorted), for "nothing changed" checks.
QStringList filesUnder(const QString &dir)
{
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        out << QDir(dir).relativeFilePath(it.next());
    out.sort();
    return out;
}

/// A hub dir made by hand: one repository folder with a sidecar record, two checkpoints (one
/// recorded as downloaded by the repository's code, one by nobody).
class HandHub : public ::testing::Test
{
protected:
    void SetUp() override
    {
        hub = tmp.path() + QStringLiteral("/hub");
        target = tmp.path() + QStringLiteral("/target");
        writeFile(hub + QStringLiteral("/own_rep_main/hubconf.py"), hubconf(5));
        writeFile(hub + QStringLiteral("/own_rep_main/pkg/data.txt"),
                  QByteArray("MARKER-0123456789-the-data\n").repeated(50));
        writeFile(hub + QStringLiteral("/own_rep_main/") + QString(120, u'x') +
                      QStringLiteral("/long.py"),
                  "long = 1\n");
        writeFile(hub + QStringLiteral("/checkpoints/used-1234abcd.pth"), QByteArray(5000, 'u'));
        writeFile(hub + QStringLiteral("/checkpoints/other.pth"), QByteArray(700, 'o'));
        writeFile(hub + QStringLiteral("/trusted_list"), "own_rep\n");
        const Sidecar sc(hub);
        RepoRecord r;
        r.folder = QStringLiteral("own_rep_main");
        r.owner = QStringLiteral("own");
        r.repo = QStringLiteral("rep");
        r.ref = QStringLiteral("main");
        r.commit = QString(40, u'c');
        r.fetchedAt = QDateTime::currentDateTimeUtc();
        r.sourceUrl = QStringLiteral("http://example.invalid/own/rep/zipball/main");
        ASSERT_TRUE(sc.putRepo(r));
        CheckpointRecord c;
        c.name = QStringLiteral("used-1234abcd.pth");
        c.url = QStringLiteral("http://example.invalid/w/used-1234abcd.pth");
        c.repo = QStringLiteral("own/rep:main");
        c.entrypoint = QStringLiteral("answer");
        c.size = 5000;
        ASSERT_TRUE(sc.putCheckpoint(c));
    }

    ProcessResult cli(const QString &hubDir, QStringList args, const QByteArray &stdinData = {})
    {
        args.prepend(hubDir);
        args.prepend(QStringLiteral("--hub-dir"));
        return runCli(args, isolatedEnv(tmp.path()), stdinData);
    }
    ProcessResult exportTo(const QString &file, const QStringList &extra = {})
    {
        return cli(hub, QStringList{QStringLiteral("bundle"), QStringLiteral("export"),
                                    QStringLiteral("own/rep:main"), QStringLiteral("-o"), file} +
                            extra);
    }
    /// The import failed and left the target hub dir without any installed file.
    void expectNothingInstalled(const ProcessResult &r)
    {
        EXPECT_EQ(r.exitCode, 1) << r.out.toStdString() << r.err.toStdString();
        EXPECT_FALSE(QFileInfo::exists(target + QStringLiteral("/own_rep_main")));
        EXPECT_FALSE(QFileInfo::exists(target + QStringLiteral("/checkpoints")));
        EXPECT_FALSE(QFileInfo::exists(target + QStringLiteral("/trusted_list")));
        for (const QString &f : filesUnder(target))
            EXPECT_FALSE(f.startsWith(QStringLiteral(".hubcap/tmp/"))) << f.toStdString();
        EXPECT_FALSE(QFileInfo::exists(tmp.path() + QStringLiteral("/evil.py")));
    }

    QTemporaryDir tmp;
    QString hub, target;
};

} // namespace

TEST_F(HandHub, DryRunSizeEqualsBytesWrittenForEveryWeightsMode)
{
    for (const QString &mode :
         {QStringLiteral("used"), QStringLiteral("all"), QStringLiteral("none")}) {
        const QString file = tmp.path() + QStringLiteral("/b-%1.hubcap").arg(mode);
        auto dry = cli(hub, {QStringLiteral("--json"), QStringLiteral("bundle"),
                             QStringLiteral("export"), QStringLiteral("own/rep:main"),
                             QStringLiteral("--weights"), mode, QStringLiteral("--dry-run")});
        ASSERT_EQ(dry.exitCode, 0) << dry.err.toStdString();
        EXPECT_FALSE(QFileInfo::exists(file));
        const qint64 predicted = json(dry).value(u"archive_bytes").toInteger(-1);
        auto real = exportTo(file, {QStringLiteral("--weights"), mode});
        ASSERT_EQ(real.exitCode, 0) << real.err.toStdString();
        EXPECT_EQ(QFileInfo(file).size(), predicted) << mode.toStdString();
        EXPECT_TRUE(real.out.contains(QByteArray::number(predicted) + " bytes"))
            << real.out.toStdString();
        // The text dry run names what would go in, and the same total.
        auto text = cli(hub, {QStringLiteral("bundle"), QStringLiteral("export"),
                              QStringLiteral("own/rep:main"), QStringLiteral("--weights"), mode,
                              QStringLiteral("--dry-run")});
        EXPECT_TRUE(text.out.contains("own_rep_main")) << text.out.toStdString();
        EXPECT_TRUE(text.out.contains(QByteArray::number(predicted) + " bytes"));

        const QJsonArray cks = json(dry).value(u"checkpoints").toArray();
        QStringList names;
        for (const auto &c : cks)
            names << c.toObject().value(u"name").toString();
        if (mode == u"used")
            EXPECT_EQ(names, QStringList{QStringLiteral("used-1234abcd.pth")});
        else if (mode == u"all")
            EXPECT_EQ(names, (QStringList{QStringLiteral("other.pth"),
                                          QStringLiteral("used-1234abcd.pth")}));
        else
            EXPECT_TRUE(names.isEmpty());
    }
}

TEST_F(HandHub, BundleIsAPlainTarWithManifestAndNoTrustedList)
{
    const QString file = tmp.path() + QStringLiteral("/b.hubcap");
    ASSERT_EQ(exportTo(file, {QStringLiteral("--include-checkpoint"), QStringLiteral("other.pth")})
                  .exitCode,
              0);
    // Ordinary tools read it.
    const auto tar = run(QStringLiteral("tar"), {QStringLiteral("tf"), file});
    ASSERT_EQ(tar.exitCode, 0) << tar.err.toStdString();
    QStringList members = QString::fromUtf8(tar.out).split(u'\n', Qt::SkipEmptyParts);
    members.sort();
    QStringList expected{QStringLiteral("checkpoints/other.pth"),
                         QStringLiteral("checkpoints/used-1234abcd.pth"),
                         QStringLiteral("manifest.json"),
                         QStringLiteral("own_rep_main/hubconf.py"),
                         QStringLiteral("own_rep_main/pkg/data.txt"),
                         QStringLiteral("own_rep_main/") + QString(120, u'x') +
                             QStringLiteral("/long.py")};
    EXPECT_EQ(members, expected);
    EXPECT_FALSE(tar.out.contains("trusted_list"));
    EXPECT_FALSE(tar.out.contains(".hubcap"));
    // The manifest: versions, folder, ref, commit, sizes and hashes equal to sha256sum's.
    const auto m =
        run(QStringLiteral("tar"), {QStringLiteral("xOf"), file, QStringLiteral("manifest.json")});
    const QJsonObject man = QJsonDocument::fromJson(m.out).object();
    EXPECT_EQ(man.value(u"format").toString(), QStringLiteral("hubcap-bundle"));
    EXPECT_FALSE(man.value(u"hubcap_version").toString().isEmpty());
    const QJsonObject repo = man.value(u"repositories").toArray().first().toObject();
    EXPECT_EQ(repo.value(u"folder").toString(), QStringLiteral("own_rep_main"));
    EXPECT_EQ(repo.value(u"ref").toString(), QStringLiteral("main"));
    EXPECT_EQ(repo.value(u"commit").toString(), QString(40, u'c'));
    const auto sums =
        run(QStringLiteral("sha256sum"), {hub + QStringLiteral("/own_rep_main/pkg/data.txt")});
    bool found = false;
    for (const auto &v : man.value(u"files").toArray()) {
        const QJsonObject f = v.toObject();
        if (f.value(u"path").toString() == u"own_rep_main/pkg/data.txt") {
            found = true;
            EXPECT_EQ(f.value(u"size").toInteger(), 27 * 50);
            EXPECT_TRUE(sums.out.startsWith(f.value(u"sha256").toString().toLatin1()));
        }
    }
    EXPECT_TRUE(found);
    const QJsonArray cks = man.value(u"checkpoints").toArray();
    ASSERT_EQ(cks.size(), 2);
    const QJsonObject used = cks[1].toObject();
    EXPECT_EQ(used.value(u"url").toString(),
              QStringLiteral("http://example.invalid/w/used-1234abcd.pth"));
    EXPECT_EQ(used.value(u"reason").toString(), QStringLiteral("used"));
    EXPECT_EQ(cks[0].toObject().value(u"reason").toString(), QStringLiteral("included"));

    // show checks it and lists it; --verify hashes too.
    auto show = cli(hub, {QStringLiteral("--json"), QStringLiteral("bundle"),
                          QStringLiteral("show"), file, QStringLiteral("--verify")});
    ASSERT_EQ(show.exitCode, 0) << show.err.toStdString();
    EXPECT_TRUE(json(show).value(u"verified").toBool());
    EXPECT_EQ(json(show).value(u"files").toArray().size(), 5);
}

TEST_F(HandHub, ImportVerifiesInstallsRecordsAndKeepsIdenticalFiles)
{
    const QString file = tmp.path() + QStringLiteral("/b.hubcap");
    ASSERT_EQ(exportTo(file).exitCode, 0);
    auto r = cli(target, {QStringLiteral("--json"), QStringLiteral("bundle"),
                          QStringLiteral("import"), file, QStringLiteral("--trust")});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_EQ(json(r).value(u"installed").toArray().size(), 4);
    EXPECT_EQ(readFile(target + QStringLiteral("/own_rep_main/pkg/data.txt")),
              readFile(hub + QStringLiteral("/own_rep_main/pkg/data.txt")));
    EXPECT_EQ(readFile(target + QStringLiteral("/checkpoints/used-1234abcd.pth")),
              QByteArray(5000, 'u'));
    EXPECT_FALSE(QFileInfo::exists(target + QStringLiteral("/checkpoints/other.pth")));
    EXPECT_EQ(readFile(target + QStringLiteral("/trusted_list")), QByteArray("own_rep\n"));
    // Provenance in the sidecar.
    const Sidecar sc(target);
    const auto rec = sc.repo(QStringLiteral("own_rep_main"));
    ASSERT_TRUE(rec);
    EXPECT_EQ(rec->commit, QString(40, u'c'));
    const auto ck = sc.checkpoint(QStringLiteral("used-1234abcd.pth"));
    ASSERT_TRUE(ck);
    EXPECT_EQ(ck->url, QStringLiteral("http://example.invalid/w/used-1234abcd.pth"));
    EXPECT_EQ(ck->repo, QStringLiteral("own/rep:main"));
    EXPECT_FALSE(QDir(target + QStringLiteral("/.hubcap/bundles")).isEmpty());
    EXPECT_TRUE(QDir(target + QStringLiteral("/.hubcap/tmp")).isEmpty());

    // Again: everything identical is kept, nothing written, no second trusted_list line.
    r = cli(target, {QStringLiteral("--json"), QStringLiteral("bundle"), QStringLiteral("import"),
                     file, QStringLiteral("--trust")});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_EQ(json(r).value(u"kept").toArray().size(), 4);
    EXPECT_TRUE(json(r).value(u"installed").toArray().isEmpty());
    EXPECT_EQ(readFile(target + QStringLiteral("/trusted_list")), QByteArray("own_rep\n"));

    // A different existing file is refused (nothing changes) unless --replace.
    writeFile(target + QStringLiteral("/own_rep_main/hubconf.py"), "changed = 1\n");
    writeFile(target + QStringLiteral("/own_rep_main/local_extra.py"), "mine = 1\n");
    r = cli(target,
            {QStringLiteral("bundle"), QStringLiteral("import"), file, QStringLiteral("--trust")});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(r.err.contains("own_rep_main/hubconf.py")) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains("--replace")) << r.err.toStdString();
    EXPECT_EQ(readFile(target + QStringLiteral("/own_rep_main/hubconf.py")),
              QByteArray("changed = 1\n"));
    r = cli(target, {QStringLiteral("--json"), QStringLiteral("bundle"), QStringLiteral("import"),
                     file, QStringLiteral("--trust"), QStringLiteral("--replace")});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_EQ(json(r).value(u"replaced").toArray(),
              QJsonArray{QStringLiteral("own_rep_main/hubconf.py")});
    EXPECT_EQ(readFile(target + QStringLiteral("/own_rep_main/hubconf.py")), hubconf(5));
    EXPECT_EQ(readFile(target + QStringLiteral("/own_rep_main/local_extra.py")),
              QByteArray("mine = 1\n"));
}

TEST_F(HandHub, SymlinkedFolderInTheHubDirIsNotWrittenThrough)
{
    const QString file = tmp.path() + QStringLiteral("/b.hubcap");
    ASSERT_EQ(exportTo(file).exitCode, 0);
    // The target's checkpoints/ is a link to a folder outside the hub dir.
    const QString outside = tmp.path() + QStringLiteral("/outside");
    QDir().mkpath(outside);
    QDir().mkpath(target);
    ASSERT_TRUE(QFile::link(outside, target + QStringLiteral("/checkpoints")));
    auto r = cli(target, {QStringLiteral("bundle"), QStringLiteral("import"), file,
                          QStringLiteral("--trust")});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(r.err.contains("symbolic link")) << r.err.toStdString();
    EXPECT_TRUE(QDir(outside).isEmpty());
    EXPECT_FALSE(QFileInfo::exists(target + QStringLiteral("/own_rep_main")));
}

TEST_F(HandHub, UntrustedRepositoryWithoutTerminalIsRefusedAndNothingInstalled)
{
    const QString file = tmp.path() + QStringLiteral("/b.hubcap");
    ASSERT_EQ(exportTo(file).exitCode, 0);
    auto r = cli(target, {QStringLiteral("bundle"), QStringLiteral("import"), file});
    expectNothingInstalled(r);
    EXPECT_TRUE(r.err.contains("own_rep is not trusted")) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains("--trust")) << r.err.toStdString();
    // Already trusted (trusted_list): no question, no --trust needed.
    writeFile(target + QStringLiteral("/trusted_list"), "own_rep\n");
    r = cli(target, {QStringLiteral("bundle"), QStringLiteral("import"), file});
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_TRUE(QFileInfo::exists(target + QStringLiteral("/own_rep_main/hubconf.py")));
}

TEST_F(HandHub, TamperedBundleIsRefusedAndNothingInstalled)
{
    const QString file = tmp.path() + QStringLiteral("/b.hubcap");
    ASSERT_EQ(exportTo(file).exitCode, 0);
    QByteArray bytes = readFile(file);
    const qsizetype at = bytes.indexOf("MARKER-0123456789");
    ASSERT_GT(at, 0);
    bytes[at + 3] = 'X'; // one byte of a file's data
    writeFile(file, bytes);
    auto r = cli(target, {QStringLiteral("bundle"), QStringLiteral("import"), file,
                          QStringLiteral("--trust")});
    expectNothingInstalled(r);
    EXPECT_TRUE(r.err.contains("damaged or was modified")) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains("own_rep_main/pkg/data.txt")) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains("Nothing was installed")) << r.err.toStdString();
    // show --verify finds it too; show without --verify checks sizes only.
    auto show = cli(target, {QStringLiteral("bundle"), QStringLiteral("show"), file,
                             QStringLiteral("--verify")});
    EXPECT_EQ(show.exitCode, 1);
    EXPECT_TRUE(show.err.contains("own_rep_main/pkg/data.txt")) << show.err.toStdString();
}

TEST_F(HandHub, TruncatedBundleIsRefusedAndNothingInstalled)
{
    const QString file = tmp.path() + QStringLiteral("/b.hubcap");
    ASSERT_EQ(exportTo(file).exitCode, 0);
    const QByteArray bytes = readFile(file);
    // Cut in the middle of a file's data, and cut only the very end (half the manifest).
    for (const qsizetype size : {bytes.indexOf("MARKER-0123456789") + 100, bytes.size() - 1800}) {
        const QString cut = tmp.path() + QStringLiteral("/cut-%1.hubcap").arg(size);
        writeFile(cut, bytes.left(size));
        auto r = cli(target, {QStringLiteral("bundle"), QStringLiteral("import"), cut,
                              QStringLiteral("--trust")});
        expectNothingInstalled(r);
        EXPECT_TRUE(r.err.contains("Nothing was installed")) << r.err.toStdString();
        EXPECT_TRUE(r.err.contains("cut short") || r.err.contains("damaged"))
            << r.err.toStdString();
    }
}

TEST_F(HandHub, BundleWithPathEscapingTheHubDirIsRefused)
{
    // Hostile bundles made with Python's tarfile: the manifest lists "../evil.py"; a member
    // not in the manifest escapes; an absolute member; a link.
    const QString sha = QStringLiteral("'%1'").arg(QString(64, u'0'));
    const QString script = QStringLiteral(R"PY(
import io, json, tarfile, hashlib, sys
out, case = sys.argv[1], sys.argv[2]
data = b"import os\n"
h = hashlib.sha256(data).hexdigest()
files = [{"path": "own_rep_main/hubconf.py", "size": len(data), "sha256": h}]
members = [("own_rep_main/hubconf.py", data)]
if case == "manifest":
    files.append({"path": "own_rep_main/../../evil.py", "size": len(data), "sha256": h})
    members.append(("own_rep_main/../../evil.py", data))
elif case == "member":
    members.append(("../evil.py", data))
elif case == "absolute":
    members.append(("/tmp/evil.py", data))
m = {"format": "hubcap-bundle", "format_version": 1, "hubcap_version": "x", "weights": "none",
     "repositories": [{"folder": "own_rep_main", "owner": "own", "repo": "rep", "ref": "main",
                       "entrypoints": []}],
     "checkpoints": [], "files": files}
with tarfile.open(out, "w", format=tarfile.GNU_FORMAT) as t:
    for name, d in members + [("manifest.json", json.dumps(m).encode())]:
        info = tarfile.TarInfo(name); info.size = len(d)
        t.addfile(info, io.BytesIO(d))
    if case == "link":
        info = tarfile.TarInfo("own_rep_main/link.py"); info.type = tarfile.SYMTYPE
        info.linkname = "../../evil.py"; t.addfile(info)
)PY");
    for (const QString &c : {QStringLiteral("manifest"), QStringLiteral("member"),
                             QStringLiteral("absolute"), QStringLiteral("link")}) {
        const QString file = tmp.path() + QStringLiteral("/evil-%1.hubcap").arg(c);
        writeFile(tmp.path() + QStringLiteral("/mk.py"), script.toUtf8());
        const auto py = run(QStringLiteral("/usr/bin/python3"),
                            {tmp.path() + QStringLiteral("/mk.py"), file, c});
        ASSERT_EQ(py.exitCode, 0) << py.err.toStdString();
        auto r = cli(target, {QStringLiteral("bundle"), QStringLiteral("import"), file,
                              QStringLiteral("--trust")});
        expectNothingInstalled(r);
        EXPECT_TRUE(r.err.contains("Nothing was installed") ||
                    r.err.contains("nothing was installed"))
            << c.toStdString() << ": " << r.err.toStdString();
        if (c == u"manifest" || c == u"member") {
            EXPECT_TRUE(r.err.contains("escapes the hub dir")) << r.err.toStdString();
        }
        if (c == u"member" || c == u"link") {
            EXPECT_TRUE(r.err.contains("is unsafe")) << r.err.toStdString();
        }
    }
    Q_UNUSED(sha);
}

namespace {

/// The full round trip through the fake GitHub and Python's torch.hub.
class BundleE2E : public ::testing::Test
{
protected:
    void SetUp() override
    {
        server.emplace();
        ASSERT_TRUE(server->isRunning()) << server->serverErrors().toStdString();
        env = isolatedEnv(home.path());
        env.insert(QStringLiteral("HUBCAP_GITHUB_URL"), server->url());
        env.insert(QStringLiteral("HUBCAP_GITHUB_API_URL"), server->url());
        hubDir = home.path() + QStringLiteral("/torch/hub");
    }

    std::optional<FakeServer> server;
    QTemporaryDir home, other;
    QProcessEnvironment env;
    QString hubDir;
};

} // namespace

TEST_F(BundleE2E, ImportedBundleLoadsInTorchHubWithNoNetwork)
{
    // Weights written with torch.save, served by the fake server as a release asset.
    const QString assets = server->root() + QStringLiteral("/assets");
    QDir().mkpath(assets);
    const auto mk =
        runPython(QStringLiteral("import torch\n"
                                 "torch.save({'w': torch.full((3,), 7.0)}, '%1/weights-abc.pth')\n"
                                 "torch.save({'w': torch.zeros(2)}, '%1/unused.pth')\n")
                      .arg(assets));
    ASSERT_EQ(mk.exitCode, 0) << mk.err.toStdString();
    const QString url = server->url() + QStringLiteral("/assets/weights-abc.pth");
    const QByteArray hubconfPy =
        QStringLiteral("dependencies = ['torch']\n"
                       "import torch\n"
                       "def total(scale=1):\n"
                       "    \"\"\"Sum of the weights.\"\"\"\n"
                       "    sd = torch.hub.load_state_dict_from_url('%1', progress=False)\n"
                       "    return float(sd['w'].sum()) * scale\n")
            .arg(url)
            .toUtf8();
    makeRepo(server->root(), QStringLiteral("bund"), QStringLiteral("repo"),
             {{QStringLiteral("hubconf.py"), hubconfPy},
              {QStringLiteral("helper/__init__.py"), "VALUE = 1\n"}});
    auto r = runCli({QStringLiteral("fetch"), QStringLiteral("bund/repo:main"),
                     QStringLiteral("--trust-repo"), QStringLiteral("yes")},
                    env);
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    r = runCli({QStringLiteral("download"), url}, env);
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    r = runCli({QStringLiteral("download"), server->url() + QStringLiteral("/assets/unused.pth")},
               env);
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    // What a download made by the repository's code records (the downloader's `repo` field).
    {
        const Sidecar sc(hubDir);
        auto rec = sc.checkpoint(QStringLiteral("weights-abc.pth"));
        ASSERT_TRUE(rec);
        rec->repo = QStringLiteral("bund/repo:main");
        rec->entrypoint = QStringLiteral("total");
        ASSERT_TRUE(sc.putCheckpoint(*rec));
    }

    const QString file = other.path() + QStringLiteral("/bund.hubcap");
    r = runCli({QStringLiteral("--json"), QStringLiteral("bundle"), QStringLiteral("export"),
                QStringLiteral("bund/repo:main"), QStringLiteral("-o"), file},
               env);
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    const QJsonObject exp = json(r);
    EXPECT_EQ(QFileInfo(file).size(), exp.value(u"archive_bytes").toInteger());
    const QJsonObject repo = exp.value(u"repositories").toArray().first().toObject();
    EXPECT_EQ(repo.value(u"commit").toString().size(), 40);
    // The entrypoint listing, statically (hubcap-pyhost).
    ASSERT_EQ(repo.value(u"entrypoints").toArray().size(), 1) << r.out.toStdString();
    EXPECT_EQ(repo.value(u"entrypoints").toArray().first().toObject().value(u"name").toString(),
              QStringLiteral("total"));
    const QJsonArray cks = exp.value(u"checkpoints").toArray();
    ASSERT_EQ(cks.size(), 1);
    EXPECT_EQ(cks.first().toObject().value(u"url").toString(), url);

    // The receiving machine: another hub dir, no server at all.
    server.reset();
    QProcessEnvironment offline = isolatedEnv(other.path());
    offline.insert(QStringLiteral("HUBCAP_GITHUB_URL"), QStringLiteral("http://127.0.0.1:9"));
    offline.insert(QStringLiteral("HUBCAP_GITHUB_API_URL"), QStringLiteral("http://127.0.0.1:9"));
    const QString newHub = other.path() + QStringLiteral("/torch/hub");
    r = runCli(
        {QStringLiteral("bundle"), QStringLiteral("import"), file, QStringLiteral("--trust")},
        offline);
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_TRUE(QFileInfo::exists(newHub + QStringLiteral("/bund_repo_main/helper/__init__.py")));
    EXPECT_FALSE(QFileInfo::exists(newHub + QStringLiteral("/checkpoints/unused.pth")));
    EXPECT_EQ(readFile(newHub + QStringLiteral("/trusted_list")), QByteArray("bund_repo\n"));

    // torch.hub with trust_repo='check' (no prompt: trusted) and no network: the server is gone,
    // so any request would fail the load.
    const auto py = runPython(
        QStringLiteral("import torch\n"
                       "print('RESULT', torch.hub.load('bund/repo:main', 'total', scale=2, "
                       "skip_validation=True, trust_repo='check'))\n"
                       "sd = torch.hub.load_state_dict_from_url('%1')\n"
                       "print('SUM', float(sd['w'].sum()))\n")
            .arg(url),
        offline);
    ASSERT_EQ(py.exitCode, 0) << py.err.toStdString();
    EXPECT_TRUE(py.out.contains("RESULT 42.0")) << py.out.toStdString();
    EXPECT_TRUE(py.out.contains("SUM 21.0")) << py.out.toStdString();
    EXPECT_FALSE(py.err.contains("Downloading")) << py.err.toStdString();
    EXPECT_TRUE(py.err.contains("Using cache found in " +
                                (newHub + QStringLiteral("/bund_repo_main")).toUtf8()))
        << py.err.toStdString();
}
