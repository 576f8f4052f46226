// list/help/load on a GitHub repository that is not cached yet: fetched first (the fetch job,
// with torch.hub's trust question), then browsed statically or run, against the fake GitHub.
#include "tests/fetch/fetchfixtures.h"
#include "tests/support/fakeserver.h"
#include "tests/support/testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

using namespace hubcap::test;

TEST(CliPyHostFetch, UncachedRepositoryIsFetchedWithTrustThenListedAndLoaded)
{
    FakeServer server;
    ASSERT_TRUE(server.isRunning()) << server.serverErrors().toStdString();
    QTemporaryDir home;
    QProcessEnvironment env = isolatedEnv(home.path());
    env.insert(QStringLiteral("HUBCAP_GITHUB_URL"), server.url());
    env.insert(QStringLiteral("HUBCAP_GITHUB_API_URL"), server.url());
    makeRepo(server.root(), QStringLiteral("someone"), QStringLiteral("repo"),
             {{QStringLiteral("hubconf.py"), hubconf(42)}});

    // Untrusted and no terminal to ask: refused before anything is downloaded.
    ProcessResult r = runCli(
        {QStringLiteral("--json"), QStringLiteral("list"), QStringLiteral("someone/repo:main")},
        env);
    EXPECT_EQ(r.exitCode, 1);
    QJsonObject err =
        QJsonDocument::fromJson(r.out).object().value(QStringLiteral("error")).toObject();
    EXPECT_EQ(err.value(QStringLiteral("type")).toString(), QStringLiteral("untrusted"));
    EXPECT_TRUE(err.value(QStringLiteral("message")).toString().contains(u"--trust-repo yes"));
    EXPECT_FALSE(QFileInfo::exists(home.path() + QStringLiteral("/torch/hub/someone_repo_main")));

    // Trusted: fetched into torch.hub's folder, then listed statically.
    r = runCli({QStringLiteral("--json"), QStringLiteral("list"),
                QStringLiteral("someone/repo:main"), QStringLiteral("--trust-repo"),
                QStringLiteral("yes")},
               env);
    ASSERT_EQ(r.exitCode, 0) << r.out.toStdString() << r.err.toStdString();
    QJsonObject doc = QJsonDocument::fromJson(r.out).object();
    EXPECT_EQ(doc.value(QStringLiteral("mode")).toString(), QStringLiteral("static"));
    EXPECT_EQ(doc.value(QStringLiteral("entrypoints")).toArray().size(), 1);
    EXPECT_EQ(doc.value(QStringLiteral("entrypoints"))
                  .toArray()
                  .at(0)
                  .toObject()
                  .value(QStringLiteral("name"))
                  .toString(),
              QStringLiteral("answer"));
    EXPECT_TRUE(
        QFileInfo::exists(home.path() + QStringLiteral("/torch/hub/someone_repo_main/hubconf.py")));
    EXPECT_EQ(readFile(home.path() + QStringLiteral("/torch/hub/trusted_list")),
              QByteArray("someone_repo\n"));

    // Now cached (and trusted): load runs it without network.
    server.clearRequests();
    r = runCli({QStringLiteral("--json"), QStringLiteral("load"),
                QStringLiteral("someone/repo:main"), QStringLiteral("answer")},
               env);
    ASSERT_EQ(r.exitCode, 0) << r.out.toStdString() << r.err.toStdString();
    doc = QJsonDocument::fromJson(r.out).object();
    EXPECT_EQ(doc.value(QStringLiteral("description"))
                  .toObject()
                  .value(QStringLiteral("repr"))
                  .toString(),
              QStringLiteral("42"));
    EXPECT_TRUE(server.requests().isEmpty());

    // One trust policy: load takes --trust-repo as fetch does, "y" included (it was rejected).
    r = runCli({QStringLiteral("--json"), QStringLiteral("load"),
                QStringLiteral("someone/repo:main"), QStringLiteral("answer"),
                QStringLiteral("--trust-repo"), QStringLiteral("y")},
               env);
    EXPECT_EQ(r.exitCode, 0) << r.out.toStdString() << r.err.toStdString();
    // "no" asks every time; without a terminal nothing runs.
    r = runCli({QStringLiteral("--json"), QStringLiteral("load"),
                QStringLiteral("someone/repo:main"), QStringLiteral("answer"),
                QStringLiteral("--trust-repo"), QStringLiteral("no")},
               env);
    EXPECT_EQ(r.exitCode, 1);
    err = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("error")).toObject();
    EXPECT_EQ(err.value(QStringLiteral("type")).toString(), QStringLiteral("untrusted"));
    EXPECT_TRUE(err.value(QStringLiteral("message")).toString().contains(u"no terminal to ask"));
    r = runCli({QStringLiteral("load"), QStringLiteral("someone/repo:main"),
                QStringLiteral("answer"), QStringLiteral("--trust-repo"), QStringLiteral("maybe")},
               env);
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(r.err.contains("--trust-repo must be check, yes or no (got 'maybe')"))
        << r.err.toStdString();
}

TEST(CliPyHostFetch, FolderWithoutHubconfSaysItIsNotATorchHubRepository)
{
    QTemporaryDir home;
    const QProcessEnvironment env = isolatedEnv(home.path());
    const QString dir = home.path() + QStringLiteral("/nohub");
    writeFile(dir + QStringLiteral("/README.md"), "not a hub repo\n");
    const QList<QStringList> calls{
        {QStringLiteral("list"), dir, QStringLiteral("--source"), QStringLiteral("local")},
        {QStringLiteral("list"), dir, QStringLiteral("--source"), QStringLiteral("local"),
         QStringLiteral("--mode"), QStringLiteral("import")},
        {QStringLiteral("help"), dir, QStringLiteral("x"), QStringLiteral("--source"),
         QStringLiteral("local")},
        {QStringLiteral("load"), dir, QStringLiteral("x"), QStringLiteral("--source"),
         QStringLiteral("local")},
    };
    for (const QStringList &args : calls) {
        const ProcessResult r = runCli(args, env);
        const QString err = QString::fromUtf8(r.err);
        EXPECT_EQ(r.exitCode, 1) << args.join(u' ').toStdString() << err.toStdString();
        EXPECT_TRUE(err.contains(u"has no hubconf.py: it is not a torch.hub repository"))
            << args.join(u' ').toStdString() << ": " << err.toStdString();
        EXPECT_FALSE(err.contains(u"FileNotFoundError")) << err.toStdString();
        EXPECT_FALSE(err.contains(u"Traceback")) << err.toStdString();
        // --json: NotFound, as any missing file.
        QStringList jsonArgs = args;
        jsonArgs.prepend(QStringLiteral("--json"));
        const QJsonObject e = QJsonDocument::fromJson(runCli(jsonArgs, env).out)
                                  .object()
                                  .value(QStringLiteral("error"))
                                  .toObject();
        EXPECT_TRUE(e.value(QStringLiteral("message")).toString().contains(u"has no hubconf.py"))
            << args.join(u' ').toStdString();
        EXPECT_EQ(e.value(QStringLiteral("type")).toString(), QStringLiteral("not_found"))
            << args.join(u' ').toStdString();
    }
}
