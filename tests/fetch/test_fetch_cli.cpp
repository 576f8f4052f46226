// `hubcap-cli fetch` end to end, and compatibility with Python's torch.hub on the same cache.
#include "tests/fetch/fetchfixtures.h"
#include "tests/support/fakeserver.h"
#include "tests/support/testsupport.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>

using namespace hubcap::test;

namespace {

class FetchCli : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(server.isRunning()) << server.serverErrors().toStdString();
        env = isolatedEnv(home.path());
        env.insert(QStringLiteral("HUBCAP_GITHUB_URL"), server.url());
        env.insert(QStringLiteral("HUBCAP_GITHUB_API_URL"), server.url());
        hubDir = home.path() + QStringLiteral("/torch/hub");
    }

    ProcessResult cli(const QStringList &args) const { return runCli(args, env); }

    FakeServer server;
    QTemporaryDir home;
    QProcessEnvironment env;
    QString hubDir;
};

} // namespace

TEST_F(FetchCli, JsonResultAndTokenNeverPrinted)
{
    const QString sha = makeRepo(server.root(), QStringLiteral("acme"), QStringLiteral("priv"),
                                 {{QStringLiteral("hubconf.py"), hubconf(1)}});
    const QString token = QStringLiteral("ghp_VerySecretTokenValue123");
    server.setConfig(
        QJsonObject{{QStringLiteral("token"), token},
                    {QStringLiteral("private"), QJsonArray{QStringLiteral("acme/priv")}}});
    env.insert(QStringLiteral("GITHUB_TOKEN"), token);
    auto r =
        cli({QStringLiteral("--json"), QStringLiteral("fetch"), QStringLiteral("acme/priv:main"),
             QStringLiteral("--trust-repo"), QStringLiteral("yes")});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    EXPECT_EQ(o.value(u"dir").toString(), hubDir + QStringLiteral("/acme_priv_main"));
    EXPECT_EQ(o.value(u"commit").toString(), sha);
    EXPECT_EQ(o.value(u"cached").toBool(true), false);
    EXPECT_FALSE(r.out.contains(token.toUtf8()));
    EXPECT_FALSE(r.err.contains(token.toUtf8()));

    // Failures do not print it either: a rate limit, and an HTTP error.
    server.setConfig(
        QJsonObject{{QStringLiteral("token"), token},
                    {QStringLiteral("private"), QJsonArray{QStringLiteral("acme/priv")}},
                    {QStringLiteral("rate_limited"), true}});
    r = cli({QStringLiteral("fetch"), QStringLiteral("acme/priv:other"),
             QStringLiteral("--trust-repo"), QStringLiteral("yes")});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(r.err.contains("rate limit")) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains("GITHUB_TOKEN")) << r.err.toStdString();
    // The token is set: its quota is exhausted too (no advice to set it).
    EXPECT_TRUE(r.err.contains("quota is exhausted too")) << r.err.toStdString();
    EXPECT_FALSE(r.err.contains("Set GITHUB_TOKEN")) << r.err.toStdString();
    EXPECT_FALSE(r.err.contains(token.toUtf8()));
    r = cli({QStringLiteral("fetch"), QStringLiteral("acme/priv:nope"),
             QStringLiteral("--trust-repo"), QStringLiteral("yes"),
             QStringLiteral("--skip-validation")});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_FALSE(r.err.contains(token.toUtf8())) << r.err.toStdString();
    EXPECT_FALSE(r.out.contains(token.toUtf8()));
}

TEST_F(FetchCli, UntrustedWithoutTerminalRefusesAndSaysHow)
{
    makeRepo(server.root(), QStringLiteral("stranger"), QStringLiteral("r"),
             {{QStringLiteral("hubconf.py"), hubconf(1)}});
    auto r = cli({QStringLiteral("fetch"), QStringLiteral("stranger/r:main")});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(r.err.contains("not trusted")) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains("--trust-repo yes")) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains("hubcap-cli trust add stranger/r")) << r.err.toStdString();
    EXPECT_FALSE(QFileInfo::exists(hubDir + QStringLiteral("/stranger_r_main")));
    EXPECT_TRUE(server.requests().isEmpty());

    // A trusted owner needs no question (torch.hub's four owners).
    makeRepo(server.root(), QStringLiteral("pytorch"), QStringLiteral("r"),
             {{QStringLiteral("hubconf.py"), hubconf(1)}});
    r = cli({QStringLiteral("fetch"), QStringLiteral("pytorch/r:main")});
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_EQ(cli({QStringLiteral("fetch"), QStringLiteral("x/y:main"),
                   QStringLiteral("--trust-repo"), QStringLiteral("maybe")})
                  .exitCode,
              2);
}

TEST_F(FetchCli, TrustCheckAsksOnATerminal)
{
    // script(1) gives hubcap-cli a terminal; what we write to script's stdin is typed into it.
    if (QStandardPaths::findExecutable(QStringLiteral("script")).isEmpty())
        GTEST_SKIP() << "script(1) (util-linux) is not installed";
    makeRepo(server.root(), QStringLiteral("tty"), QStringLiteral("r"),
             {{QStringLiteral("hubconf.py"), hubconf(1)}});
    const QString cmd = binDir() + QStringLiteral("/hubcap-cli fetch tty/r:main");
    auto no = run(QStringLiteral("script"),
                  {QStringLiteral("-qec"), cmd, QStringLiteral("/dev/null")}, env, "n\n", 60000);
    EXPECT_EQ(no.exitCode, 1);
    EXPECT_TRUE(
        no.out.contains("The repository tty_r does not belong to the list of trusted repositories"))
        << no.out.toStdString();
    EXPECT_TRUE(no.out.contains("Untrusted repository.")) << no.out.toStdString();
    EXPECT_FALSE(QFileInfo::exists(hubDir + QStringLiteral("/tty_r_main")));

    auto yes = run(QStringLiteral("script"),
                   {QStringLiteral("-qec"), cmd, QStringLiteral("/dev/null")}, env, "y\n", 60000);
    EXPECT_EQ(yes.exitCode, 0) << yes.out.toStdString();
    EXPECT_TRUE(QFileInfo::exists(hubDir + QStringLiteral("/tty_r_main/hubconf.py")));
    EXPECT_EQ(readFile(hubDir + QStringLiteral("/trusted_list")), QByteArray("tty_r\n"));
}

TEST_F(FetchCli, CheckUpdateOutput)
{
    const QString sha1 = makeRepo(server.root(), QStringLiteral("up"), QStringLiteral("r"),
                                  {{QStringLiteral("hubconf.py"), hubconf(1)}});
    ASSERT_EQ(cli({QStringLiteral("fetch"), QStringLiteral("up/r:main"),
                   QStringLiteral("--trust-repo"), QStringLiteral("yes")})
                  .exitCode,
              0);
    auto r = cli(
        {QStringLiteral("fetch"), QStringLiteral("up/r:main"), QStringLiteral("--check-update")});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_EQ(QString::fromUtf8(r.out).trimmed(),
              QStringLiteral("up_r_main: up to date (%1)").arg(sha1.left(7)));
    const QString sha2 = commitFiles(server.root() + QStringLiteral("/repos/up/r"),
                                     {{QStringLiteral("hubconf.py"), hubconf(2)}});
    r = cli({QStringLiteral("--json"), QStringLiteral("fetch"), QStringLiteral("up/r:main"),
             QStringLiteral("--check-update")});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    EXPECT_EQ(o.value(u"status").toString(), QStringLiteral("update_available"));
    EXPECT_EQ(o.value(u"text").toString(),
              QStringLiteral("update available (%1 → %2)").arg(sha1.left(7), sha2.left(7)));
}

TEST_F(FetchCli, KillDuringExtractionLeavesTheOldTree)
{
    QMap<QString, QByteArray> files{{QStringLiteral("hubconf.py"), hubconf(1)}};
    for (int i = 0; i < 20; ++i)
        files.insert(QStringLiteral("pkg/old%1.py").arg(i), "old\n");
    makeRepo(server.root(), QStringLiteral("kil"), QStringLiteral("r"), files);
    ASSERT_EQ(cli({QStringLiteral("fetch"), QStringLiteral("kil/r:main"),
                   QStringLiteral("--trust-repo"), QStringLiteral("yes")})
                  .exitCode,
              0);
    const QString target = hubDir + QStringLiteral("/kil_r_main");

    QMap<QString, QByteArray> newFiles{{QStringLiteral("hubconf.py"), hubconf(2)}};
    for (int i = 0; i < 40; ++i)
        newFiles.insert(QStringLiteral("pkg/new%1.py").arg(i), "new\n");
    commitFiles(server.root() + QStringLiteral("/repos/kil/r"), newFiles);

    QProcessEnvironment slow = env;
    slow.insert(QStringLiteral("HUBCAP_TEST_EXTRACT_DELAY_MS"), QStringLiteral("100"));
    QProcess p;
    p.setProcessEnvironment(slow);
    p.start(
        binDir() + QStringLiteral("/hubcap-cli"),
        {QStringLiteral("fetch"), QStringLiteral("kil/r:main"), QStringLiteral("--force-reload")});
    ASSERT_TRUE(p.waitForStarted());
    // Wait until the new tree is half extracted in .hubcap/tmp, then kill -9.
    QDeadlineTimer deadline(30000);
    int extracted = 0;
    while (!deadline.hasExpired() && p.state() == QProcess::Running) {
        extracted = 0;
        QDirIterator it(hubDir + QStringLiteral("/.hubcap/tmp"), QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            it.next();
            extracted += it.filePath().contains(u"/tree/");
        }
        if (extracted >= 5)
            break;
        QThread::msleep(20);
    }
    ASSERT_GE(extracted, 5) << "extraction never started: "
                            << p.readAllStandardError().toStdString();
    p.kill();
    p.waitForFinished();

    EXPECT_EQ(readFile(target + QStringLiteral("/hubconf.py")), hubconf(1));
    for (int i = 0; i < 20; ++i)
        EXPECT_EQ(readFile(target + QStringLiteral("/pkg/old%1.py").arg(i)), QByteArray("old\n"));
    EXPECT_FALSE(QFileInfo::exists(target + QStringLiteral("/pkg/new0.py")));

    // The next fetch takes over the dead process's lock, cleans its leftovers and completes.
    auto r = cli(
        {QStringLiteral("fetch"), QStringLiteral("kil/r:main"), QStringLiteral("--force-reload")});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_EQ(readFile(target + QStringLiteral("/hubconf.py")), hubconf(2));
    EXPECT_EQ(readFile(target + QStringLiteral("/pkg/new39.py")), QByteArray("new\n"));
    EXPECT_TRUE(QDir(hubDir + QStringLiteral("/.hubcap/tmp"))
                    .entryList(QDir::NoDotAndDotDot | QDir::AllEntries)
                    .isEmpty());
}

TEST_F(FetchCli, TorchHubLoadsWhatHubcapFetchedWithoutNetwork)
{
    makeRepo(server.root(), QStringLiteral("compat"), QStringLiteral("repo"),
             {{QStringLiteral("hubconf.py"), hubconf(42)},
              {QStringLiteral("helper/__init__.py"), "VALUE = 1\n"}});
    auto r = cli({QStringLiteral("fetch"), QStringLiteral("compat/repo:main"),
                  QStringLiteral("--trust-repo"), QStringLiteral("yes")});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    server.clearRequests();
    const auto py = runPython(QStringLiteral("import torch\n"
                                             "m = torch.hub.load('compat/repo:main', 'answer', "
                                             "skip_validation=True, trust_repo=True)\n"
                                             "print('RESULT', m)\n"
                                             "print('DOC', torch.hub.help('compat/repo:main', "
                                             "'answer', skip_validation=True, trust_repo=True))\n"),
                              env);
    ASSERT_EQ(py.exitCode, 0) << py.err.toStdString();
    EXPECT_TRUE(py.out.contains("RESULT 42")) << py.out.toStdString();
    EXPECT_TRUE(py.out.contains("DOC The answer.")) << py.out.toStdString();
    EXPECT_TRUE(py.err.contains("Using cache found in " +
                                (hubDir + QStringLiteral("/compat_repo_main")).toUtf8()))
        << py.err.toStdString();
    EXPECT_TRUE(server.requests().isEmpty()) << "Python made network requests";
    // torch.hub's files are untouched by Hubcap's sidecar: only the folder, trusted_list and
    // .hubcap.
    QStringList top =
        QDir(hubDir).entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::Hidden);
    top.sort();
    EXPECT_EQ(top, (QStringList{QStringLiteral(".hubcap"), QStringLiteral("compat_repo_main"),
                                QStringLiteral("trusted_list")}));
}

TEST_F(FetchCli, CacheFilledByTorchHubIsSeenByHubcap)
{
    // Python's own download, pointed at the fake GitHub by replacing torch.hub's URL builder.
    makeRepo(server.root(), QStringLiteral("pyown"), QStringLiteral("pyrepo"),
             {{QStringLiteral("hubconf.py"), hubconf(9)}});
    const auto py = runPython(
        QStringLiteral(
            "import torch, torch.hub as hub\n"
            "hub._git_archive_link = lambda o, n, r: '%1/' + o + '/' + n + '/zipball/' + r\n"
            "print('RESULT', hub.load('pyown/pyrepo:main', 'answer', skip_validation=True, "
            "trust_repo=True))\n")
            .arg(server.url()),
        env);
    ASSERT_EQ(py.exitCode, 0) << py.err.toStdString();
    ASSERT_TRUE(py.out.contains("RESULT 9")) << py.out.toStdString();
    ASSERT_TRUE(QFileInfo::exists(hubDir + QStringLiteral("/pyown_pyrepo_main/hubconf.py")));

    auto ls = cli({QStringLiteral("cache"), QStringLiteral("ls")});
    ASSERT_EQ(ls.exitCode, 0) << ls.err.toStdString();
    EXPECT_TRUE(ls.out.contains("pyown_pyrepo_main")) << ls.out.toStdString();
    EXPECT_TRUE(ls.out.contains("pyown/pyrepo")) << ls.out.toStdString();

    // And Hubcap's fetch treats it as a cache hit, with no request.
    server.clearRequests();
    auto r = cli(
        {QStringLiteral("--json"), QStringLiteral("fetch"), QStringLiteral("pyown/pyrepo:main")});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_TRUE(QJsonDocument::fromJson(r.out).object().value(u"cached").toBool());
    EXPECT_TRUE(server.requests().isEmpty());
}

TEST_F(FetchCli, ErrorsSayWhatToTypeAndAdviceFitsTheCommand)
{
    // A pasted URL: refused, with the spec to type instead.
    auto r = cli({QStringLiteral("fetch"), QStringLiteral("https://github.com/alice/tiny")});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.contains("is a URL; torch.hub takes owner/repo[:ref]: use alice/tiny\n"))
        << r.err.toStdString();
    r = cli({QStringLiteral("fetch"), QStringLiteral("https://github.com/alice/tiny/tree/v1.0")});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.contains(": use alice/tiny:v1.0\n")) << r.err.toStdString();

    // A repository that does not exist: said so, not an API URL with a query.
    r = cli({QStringLiteral("fetch"), QStringLiteral("alice/nothere"),
             QStringLiteral("--trust-repo"), QStringLiteral("yes")});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(r.err.contains(QStringLiteral("Repository alice/nothere was not found on %1 (or it "
                                              "is private and needs GITHUB_TOKEN)")
                                   .arg(server.url())
                                   .toUtf8()))
        << r.err.toStdString();
    // The API URL with its query is a detail, after the message.
    EXPECT_FALSE(r.err.split('\n').first().contains("per_page")) << r.err.toStdString();

    // Rate limits: --skip-validation only where it skips the API call.
    makeRepo(server.root(), QStringLiteral("up"), QStringLiteral("r"),
             {{QStringLiteral("hubconf.py"), hubconf(1)}});
    ASSERT_EQ(cli({QStringLiteral("fetch"), QStringLiteral("up/r:main"),
                   QStringLiteral("--trust-repo"), QStringLiteral("yes")})
                  .exitCode,
              0);
    server.setConfig(QJsonObject{{QStringLiteral("rate_limited"), true}});
    r = cli(
        {QStringLiteral("fetch"), QStringLiteral("up/r:main"), QStringLiteral("--check-update")});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(r.err.contains("rate limit")) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains("Set GITHUB_TOKEN")) << r.err.toStdString();
    EXPECT_FALSE(r.err.contains("skip-validation")) << r.err.toStdString();
    r = cli({QStringLiteral("fetch"), QStringLiteral("up/r:main"), QStringLiteral("--force-reload"),
             QStringLiteral("--trust-repo"), QStringLiteral("yes")});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(r.err.contains("Set GITHUB_TOKEN")) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains("--skip-validation (skip_validation=True in Python)"))
        << r.err.toStdString();
}

// Regression (issue 12): trust was asked about, and recorded in trusted_list, before the fetch
// found out that the repository does not exist. Now it is checked on GitHub first.
TEST_F(FetchCli, NonexistentRepositoryIsNeitherAskedAboutNorTrusted)
{
    auto r = cli({QStringLiteral("--json"), QStringLiteral("fetch"),
                  QStringLiteral("acme/does-not-exist:main"), QStringLiteral("--trust-repo"),
                  QStringLiteral("yes")});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(QJsonDocument::fromJson(r.out)
                  .object()
                  .value(u"error")
                  .toObject()
                  .value(u"type")
                  .toString(),
              QStringLiteral("not_found"))
        << r.out.toStdString();
    EXPECT_FALSE(
        readFile(hubDir + QStringLiteral("/trusted_list")).contains("acme_does-not-exist"));
    r = cli({QStringLiteral("fetch"), QStringLiteral("acme/does-not-exist"),
             QStringLiteral("--trust-repo"), QStringLiteral("y"),
             QStringLiteral("--skip-validation")});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_FALSE(
        readFile(hubDir + QStringLiteral("/trusted_list")).contains("acme_does-not-exist"));
    r = cli({QStringLiteral("fetch"), QStringLiteral("acme/does-not-exist:main"),
             QStringLiteral("--trust-repo"), QStringLiteral("yes"),
             QStringLiteral("--skip-validation")});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(r.err.contains("not found")) << r.err.toStdString();
    EXPECT_FALSE(
        readFile(hubDir + QStringLiteral("/trusted_list")).contains("acme_does-not-exist"));

    // On a terminal the question would come first: it is not asked, whatever is typed.
    if (QStandardPaths::findExecutable(QStringLiteral("script")).isEmpty())
        GTEST_SKIP() << "script(1) (util-linux) is not installed";
    const QString cmd = binDir() + QStringLiteral("/hubcap-cli fetch acme/does-not-exist:main");
    const auto tty =
        run(QStringLiteral("script"), {QStringLiteral("-qec"), cmd, QStringLiteral("/dev/null")},
            env, "y\n", 60000);
    EXPECT_EQ(tty.exitCode, 1) << tty.out.toStdString();
    EXPECT_FALSE(tty.out.contains("does not belong to the list of trusted repositories"))
        << tty.out.toStdString();
    EXPECT_TRUE(tty.out.contains("not found")) << tty.out.toStdString();
    EXPECT_FALSE(
        readFile(hubDir + QStringLiteral("/trusted_list")).contains("acme_does-not-exist"));
}
