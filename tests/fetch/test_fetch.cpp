// GitHubClient and RepoFetchJob / CheckUpdateJob against the fake GitHub on loopback.
#include "tests/fetch/fetchfixtures.h"
#include "tests/support/fakeserver.h"
#include "tests/support/testsupport.h"

#include "core/cache/sidecar.h"
#include "core/fetch/checkupdatejob.h"
#include "core/fetch/repofetchjob.h"
#include "core/github/githubclient.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QLockFile>
#include <QTemporaryDir>
#include <QTimer>

#include <memory>

using namespace hubcap;
using namespace hubcap::test;

namespace {

QCoreApplication &app()
{
    static int argc = 1;
    static char name[] = "test_fetch";
    static char *argv[] = {name, nullptr};
    static QCoreApplication a(argc, argv);
    return a;
}

template <typename T> T waitFor(const std::function<void(std::function<void(T)>)> &call)
{
    std::optional<T> out;
    QEventLoop loop;
    call([&](T v) {
        out.emplace(std::move(v));
        loop.quit();
    });
    if (!out) {
        QTimer::singleShot(30000, &loop, &QEventLoop::quit);
        loop.exec();
    }
    EXPECT_TRUE(out.has_value()) << "callback never came";
    return out ? std::move(*out) : T(std::unexpected(Error{}));
}

class FetchTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        app();
        ASSERT_TRUE(server.isRunning()) << server.serverErrors().toStdString();
        hubDir = home.path() + QStringLiteral("/hub");
        config.setGithubUrl(QUrl(server.url()));
        config.setGithubApiUrl(QUrl(server.url()));
        config.setToken(std::nullopt);
        config.setStallTimeoutMs(20000);
    }

    QString repoDir(const QString &owner, const QString &repo) const
    {
        return QStringLiteral("%1/repos/%2/%3").arg(server.root(), owner, repo);
    }

    std::unique_ptr<RepoFetchJob> fetch(const QString &spec, TrustMode trust = TrustMode::Yes,
                                        bool force = false, bool skip = false,
                                        QStringList *messages = nullptr)
    {
        RepoFetchRequest req;
        req.spec = *RepoSpec::parse(spec);
        req.hubDir = hubDir;
        req.trust = trust;
        req.forceReload = force;
        req.skipValidation = skip;
        auto job = std::make_unique<RepoFetchJob>(req, config);
        if (messages)
            QObject::connect(job.get(), &RepoFetchJob::message, job.get(),
                             [messages](const QString &m) { *messages << m; });
        job->start();
        EXPECT_TRUE(job->waitForFinished(60000));
        return job;
    }

    QStringList requestPaths() const
    {
        QStringList out;
        for (const QJsonObject &r : server.requests())
            out << r.value(u"path").toString();
        return out;
    }

    FakeServer server;
    QTemporaryDir home;
    QString hubDir;
    NetworkConfig config;
};

} // namespace

TEST_F(FetchTest, DefaultBranchProbeMainOrMaster)
{
    makeRepo(server.root(), QStringLiteral("alice"), QStringLiteral("modern"),
             {{QStringLiteral("hubconf.py"), hubconf(1)}});
    makeRepo(server.root(), QStringLiteral("alice"), QStringLiteral("oldie"),
             {{QStringLiteral("hubconf.py"), hubconf(1)}}, QStringLiteral("master"));
    GitHubClient client(config);
    auto probe = [&](const QString &repo) {
        return waitFor<Result<QString>>(
            [&](auto cb) { client.defaultBranch(QStringLiteral("alice"), repo, cb); });
    };
    const auto m = probe(QStringLiteral("modern"));
    ASSERT_TRUE(m);
    EXPECT_EQ(*m, QStringLiteral("main"));
    const auto o = probe(QStringLiteral("oldie"));
    ASSERT_TRUE(o);
    EXPECT_EQ(*o, QStringLiteral("master"));
    EXPECT_TRUE(requestPaths().contains(QStringLiteral("/alice/oldie/tree/main/")));

    // A job without a ref fetches the probed default branch into owner_repo_master.
    auto job = fetch(QStringLiteral("alice/oldie"));
    ASSERT_FALSE(job->error()) << job->error()->text().toStdString();
    EXPECT_EQ(job->result().folder, QStringLiteral("alice_oldie_master"));
    EXPECT_TRUE(QFileInfo::exists(hubDir + QStringLiteral("/alice_oldie_master/hubconf.py")));
}

TEST_F(FetchTest, ValidationPaginatesBranchesThenTags)
{
    const QString sha = makeRepo(server.root(), QStringLiteral("bob"), QStringLiteral("many"),
                                 {{QStringLiteral("hubconf.py"), hubconf(1)}});
    const QString dir = repoDir(QStringLiteral("bob"), QStringLiteral("many"));
    QByteArray refs;
    for (int i = 0; i < 150; ++i)
        refs += QStringLiteral("create refs/heads/b%1 %2\n")
                    .arg(i, 3, 10, QChar(u'0'))
                    .arg(sha)
                    .toUtf8();
    refs += QStringLiteral("create refs/heads/zz-feature %1\ncreate refs/tags/v1.0 %1\n")
                .arg(sha)
                .toUtf8();
    git(dir, {QStringLiteral("update-ref"), QStringLiteral("--stdin")}, refs);

    GitHubClient client(config);
    auto validate = [&](const QString &ref) {
        return waitFor<Result<void>>([&](auto cb) {
            client.validateRef(QStringLiteral("bob"), QStringLiteral("many"), ref, cb);
        });
    };
    server.clearRequests();
    ASSERT_TRUE(validate(QStringLiteral("zz-feature"))); // 152 branches: it is on page 2
    QStringList paths = requestPaths();
    EXPECT_EQ(paths, (QStringList{QStringLiteral("/repos/bob/many/branches?per_page=100&page=1"),
                                  QStringLiteral("/repos/bob/many/branches?per_page=100&page=2")}));

    server.clearRequests();
    ASSERT_TRUE(validate(QStringLiteral("v1.0"))); // branches exhausted (empty page 3), then tags
    paths = requestPaths();
    ASSERT_EQ(paths.size(), 4);
    EXPECT_EQ(paths[2], QStringLiteral("/repos/bob/many/branches?per_page=100&page=3"));
    EXPECT_EQ(paths[3], QStringLiteral("/repos/bob/many/tags?per_page=100&page=1"));
    EXPECT_EQ(server.requests().first().value(u"headers").toObject().value(u"Accept").toString(),
              QStringLiteral("application/vnd.github.v3+json"));

    EXPECT_TRUE(validate(sha.left(10))) << "a prefix of a head SHA is accepted";

    const auto missing = validate(QStringLiteral("nope"));
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, Error::Code::NotFound);
    EXPECT_TRUE(missing.error().message.startsWith(
        QStringLiteral("Cannot find nope in %1/bob/many. If it's a commit from a forked repo, "
                       "please call hub.load() "
                       "with forked repo directly.")
            .arg(server.url())))
        << missing.error().message;
    EXPECT_TRUE(missing.error().message.contains(u"--skip-validation")) << missing.error().message;
}

// The ref picker's list: default branch first, every page of branches then tags through the
// Link header, nothing followed off the API host.
TEST_F(FetchTest, ListRefsFollowsLinkPaginationWithTheDefaultBranchFirst)
{
    const QString sha =
        makeRepo(server.root(), QStringLiteral("bob"), QStringLiteral("refs"),
                 {{QStringLiteral("hubconf.py"), hubconf(1)}}, QStringLiteral("trunk"));
    const QString dir = repoDir(QStringLiteral("bob"), QStringLiteral("refs"));
    QByteArray refs;
    for (int i = 0; i < 230; ++i) // 231 branches with trunk: three pages of 100
        refs += QStringLiteral("create refs/heads/b%1 %2\n")
                    .arg(i, 3, 10, QChar(u'0'))
                    .arg(sha)
                    .toUtf8();
    for (int i = 0; i < 120; ++i)
        refs += QStringLiteral("create refs/tags/v%1 %2\n")
                    .arg(i, 3, 10, QChar(u'0'))
                    .arg(sha)
                    .toUtf8();
    git(dir, {QStringLiteral("update-ref"), QStringLiteral("--stdin")}, refs);

    GitHubClient client(config);
    server.clearRequests();
    const auto list = waitFor<Result<RefList>>(
        [&](auto cb) { client.listRefs(QStringLiteral("bob"), QStringLiteral("refs"), cb); });
    ASSERT_TRUE(list) << list.error().text();
    EXPECT_EQ(list->defaultBranch, QStringLiteral("trunk"));
    ASSERT_EQ(list->refs.size(), 231 + 120);
    EXPECT_EQ(list->refs.first().name, QStringLiteral("trunk"));
    EXPECT_TRUE(list->refs.first().isDefault);
    EXPECT_EQ(list->refs.first().sha, sha);
    EXPECT_EQ(list->refs.at(1).name, QStringLiteral("b000"));
    EXPECT_EQ(list->refs.at(230).name, QStringLiteral("b229"));
    EXPECT_EQ(list->refs.at(230).kind, GitRef::Kind::Branch);
    EXPECT_EQ(list->refs.at(231).name, QStringLiteral("v000"));
    EXPECT_EQ(list->refs.at(231).kind, GitRef::Kind::Tag);
    EXPECT_EQ(list->refs.last().name, QStringLiteral("v119"));
    EXPECT_FALSE(list->truncated);
    EXPECT_EQ(requestPaths(),
              (QStringList{QStringLiteral("/repos/bob/refs"),
                           QStringLiteral("/repos/bob/refs/branches?per_page=100"),
                           QStringLiteral("/repos/bob/refs/branches?per_page=100&page=2"),
                           QStringLiteral("/repos/bob/refs/branches?per_page=100&page=3"),
                           QStringLiteral("/repos/bob/refs/tags?per_page=100"),
                           QStringLiteral("/repos/bob/refs/tags?per_page=100&page=2")}));

    // A Link to another host is not followed (the token would go with it).
    EXPECT_FALSE(GitHubClient::nextPageUrl("<https://api.github.com/x?page=2>; rel=\"next\", "
                                           "<https://api.github.com/x?page=9>; rel=\"last\"")
                     .isEmpty());
    EXPECT_EQ(GitHubClient::nextPageUrl("<https://api.github.com/x?page=1>; rel=\"prev\""), QUrl());

    const auto missing = waitFor<Result<RefList>>(
        [&](auto cb) { client.listRefs(QStringLiteral("bob"), QStringLiteral("nope"), cb); });
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, Error::Code::NotFound);
}

TEST_F(FetchTest, RateLimitSaysWhenAndWhatToDo)
{
    makeRepo(server.root(), QStringLiteral("carol"), QStringLiteral("r"),
             {{QStringLiteral("hubconf.py"), hubconf(1)}});
    const qint64 reset = QDateTime::currentSecsSinceEpoch() + 1800;
    server.setConfig(QJsonObject{{QStringLiteral("rate_limited"), true},
                                 {QStringLiteral("rate_limit_reset"), reset}});
    auto job = fetch(QStringLiteral("carol/r:main"));
    ASSERT_TRUE(job->error());
    const Error &e = *job->error();
    EXPECT_EQ(e.code, Error::Code::RateLimited);
    EXPECT_TRUE(e.message.contains(u"rate limit")) << e.message;
    EXPECT_TRUE(e.message.contains(u"GITHUB_TOKEN")) << e.message;
    EXPECT_TRUE(e.message.contains(u"--skip-validation")) << e.message;
    EXPECT_TRUE(e.message.contains(
        QDateTime::fromSecsSinceEpoch(reset).toLocalTime().toString(QStringLiteral("HH:mm:ss"))))
        << e.message;

    // --skip-validation avoids the API entirely.
    auto skipped = fetch(QStringLiteral("carol/r:main"), TrustMode::Yes, false, true);
    EXPECT_FALSE(skipped->error()) << skipped->error()->text().toStdString();
}

TEST_F(FetchTest, FetchExtractsRecordsAndTrusts)
{
    const QString sha = makeRepo(
        server.root(), QStringLiteral("dave"), QStringLiteral("net"),
        {{QStringLiteral("hubconf.py"), hubconf(7)}, {QStringLiteral("pkg/model.py"), "X = 1\n"}});
    auto job = fetch(QStringLiteral("dave/net:main"));
    ASSERT_FALSE(job->error()) << job->error()->text().toStdString();
    const RepoFetchResult &r = job->result();
    EXPECT_FALSE(r.cached);
    EXPECT_TRUE(r.trustAdded);
    EXPECT_EQ(r.dir, hubDir + QStringLiteral("/dave_net_main"));
    EXPECT_EQ(r.commit, sha) << "the zip comment carries the full SHA";
    EXPECT_EQ(readFile(r.dir + QStringLiteral("/hubconf.py")), hubconf(7));
    EXPECT_EQ(readFile(r.dir + QStringLiteral("/pkg/model.py")), QByteArray("X = 1\n"));
    EXPECT_EQ(readFile(hubDir + QStringLiteral("/trusted_list")), QByteArray("dave_net\n"));
    const auto rec = Sidecar(hubDir).repo(QStringLiteral("dave_net_main"));
    ASSERT_TRUE(rec);
    EXPECT_EQ(rec->commit, sha);
    EXPECT_TRUE(rec->fetchedAt.isValid());
    // No torch-style <ref>.zip in the hub dir, and no leftovers in Hubcap's temp folder.
    EXPECT_FALSE(QFileInfo::exists(hubDir + QStringLiteral("/main.zip")));
    EXPECT_TRUE(QDir(hubDir + QStringLiteral("/.hubcap/tmp"))
                    .entryList(QDir::NoDotAndDotDot | QDir::AllEntries)
                    .isEmpty());
    const QStringList paths = requestPaths();
    EXPECT_TRUE(paths.contains(QStringLiteral("/dave/net/zipball/main")))
        << paths.join(u' ').toStdString();
    EXPECT_TRUE(paths.contains(QStringLiteral("/codeload/dave/net/legacy.zip/main")))
        << paths.join(u' ').toStdString();
}

TEST_F(FetchTest, CacheHitWithRefMakesNoRequest)
{
    makeRepo(server.root(), QStringLiteral("erin"), QStringLiteral("r"),
             {{QStringLiteral("hubconf.py"), hubconf(1)}});
    ASSERT_FALSE(fetch(QStringLiteral("erin/r:main"))->error());
    server.clearRequests();
    QStringList messages;
    auto again = fetch(QStringLiteral("erin/r:main"), TrustMode::Check, false, false, &messages);
    ASSERT_FALSE(again->error()) << again->error()->text().toStdString();
    EXPECT_TRUE(again->result().cached);
    EXPECT_FALSE(again->result().commit.isEmpty()) << "the recorded commit is reported";
    EXPECT_TRUE(server.requests().isEmpty()) << requestPaths().join(u' ').toStdString();
    EXPECT_TRUE(messages.join(u'\n').contains(u"Using cache found in")) << messages.join(u'\n');
}

TEST_F(FetchTest, AmbiguousRefWarnsAndRetriesAsBranch)
{
    makeRepo(server.root(), QStringLiteral("fay"), QStringLiteral("r"),
             {{QStringLiteral("hubconf.py"), hubconf(1)}});
    const QString dir = repoDir(QStringLiteral("fay"), QStringLiteral("r"));
    git(dir, {QStringLiteral("tag"), QStringLiteral("dev")});
    git(dir, {QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("-b"),
              QStringLiteral("dev")});
    const QString branchSha = commitFiles(dir, {{QStringLiteral("hubconf.py"), hubconf(2)}});
    QStringList messages;
    auto job = fetch(QStringLiteral("fay/r:dev"), TrustMode::Yes, false, false, &messages);
    ASSERT_FALSE(job->error()) << job->error()->text().toStdString();
    EXPECT_TRUE(messages.join(u'\n').contains(u"The ref dev is ambiguous")) << messages.join(u'\n');
    EXPECT_TRUE(requestPaths().contains(QStringLiteral("/fay/r/zipball/refs/heads/dev")));
    EXPECT_EQ(readFile(job->result().dir + QStringLiteral("/hubconf.py")), hubconf(2))
        << "the branch wins";
    EXPECT_EQ(job->result().commit, branchSha);
}

TEST_F(FetchTest, ForceReloadReplacesTreeButKeepsCheckpoints)
{
    makeRepo(server.root(), QStringLiteral("gus"), QStringLiteral("r"),
             {{QStringLiteral("hubconf.py"), hubconf(1)}, {QStringLiteral("old.py"), "old"}});
    ASSERT_FALSE(fetch(QStringLiteral("gus/r:main"))->error());
    writeFile(hubDir + QStringLiteral("/checkpoints/weights-abcdef12.pth"), "weights");
    const QString dir = repoDir(QStringLiteral("gus"), QStringLiteral("r"));
    git(dir, {QStringLiteral("rm"), QStringLiteral("-q"), QStringLiteral("old.py")});
    const QString sha2 = commitFiles(dir, {{QStringLiteral("hubconf.py"), hubconf(2)}});

    auto cached = fetch(QStringLiteral("gus/r:main"));
    EXPECT_EQ(readFile(cached->result().dir + QStringLiteral("/hubconf.py")), hubconf(1))
        << "no reload without --force-reload";

    auto job = fetch(QStringLiteral("gus/r:main"), TrustMode::Check, true);
    ASSERT_FALSE(job->error()) << job->error()->text().toStdString();
    EXPECT_FALSE(job->result().cached);
    EXPECT_EQ(readFile(job->result().dir + QStringLiteral("/hubconf.py")), hubconf(2));
    EXPECT_FALSE(QFileInfo::exists(job->result().dir + QStringLiteral("/old.py")));
    EXPECT_EQ(readFile(hubDir + QStringLiteral("/checkpoints/weights-abcdef12.pth")),
              QByteArray("weights"));
    EXPECT_EQ(Sidecar(hubDir).repo(QStringLiteral("gus_r_main"))->commit, sha2);
}

TEST_F(FetchTest, OfflineFallsBackToCachedDefaultBranch)
{
    config.setGithubUrl(QUrl(QStringLiteral("http://127.0.0.1:9"))); // nothing listens there
    config.setGithubApiUrl(QUrl(QStringLiteral("http://127.0.0.1:9")));
    QStringList messages;
    auto none = fetch(QStringLiteral("hal/r"), TrustMode::Yes, false, false, &messages);
    ASSERT_TRUE(none->error());
    EXPECT_EQ(none->error()->code, Error::Code::Offline);
    EXPECT_TRUE(none->error()->message.contains(u"no internet connection"))
        << none->error()->message;

    writeFile(hubDir + QStringLiteral("/hal_r_master/hubconf.py"), hubconf(3));
    auto job = fetch(QStringLiteral("hal/r"), TrustMode::Check, false, false, &messages);
    ASSERT_FALSE(job->error()) << job->error()->text().toStdString();
    EXPECT_TRUE(job->result().offlineFallback);
    EXPECT_TRUE(job->result().cached);
    EXPECT_EQ(job->result().folder, QStringLiteral("hal_r_master"));
    EXPECT_TRUE(messages.join(u'\n').contains(u"using the cached hal_r_master"))
        << messages.join(u'\n');

    writeFile(hubDir + QStringLiteral("/hal_r_main/hubconf.py"), hubconf(4));
    EXPECT_EQ(fetch(QStringLiteral("hal/r"))->result().folder, QStringLiteral("hal_r_main"))
        << "main first, as torch";
}

TEST_F(FetchTest, CheckUpdateReportsBothOutcomesWithoutDownloading)
{
    const QString sha1 = makeRepo(server.root(), QStringLiteral("ivy"), QStringLiteral("r"),
                                  {{QStringLiteral("hubconf.py"), hubconf(1)}});
    ASSERT_FALSE(fetch(QStringLiteral("ivy/r:main"))->error());
    auto check = [&] {
        auto job = std::make_unique<CheckUpdateJob>(*RepoSpec::parse(QStringLiteral("ivy/r:main")),
                                                    hubDir, config);
        job->start();
        EXPECT_TRUE(job->waitForFinished(30000));
        return job;
    };
    server.clearRequests();
    auto upToDate = check();
    ASSERT_FALSE(upToDate->error()) << upToDate->error()->text().toStdString();
    EXPECT_EQ(upToDate->outcome().status, CheckUpdateJob::Status::UpToDate);
    EXPECT_EQ(upToDate->outcome().text, QStringLiteral("up to date (%1)").arg(sha1.left(7)));

    const QString sha2 = commitFiles(repoDir(QStringLiteral("ivy"), QStringLiteral("r")),
                                     {{QStringLiteral("hubconf.py"), hubconf(2)}});
    auto behind = check();
    ASSERT_FALSE(behind->error());
    EXPECT_EQ(behind->outcome().status, CheckUpdateJob::Status::UpdateAvailable);
    EXPECT_EQ(behind->outcome().text,
              QStringLiteral("update available (%1 → %2)").arg(sha1.left(7), sha2.left(7)));
    for (const QString &p : requestPaths())
        EXPECT_FALSE(p.contains(u"zipball") || p.contains(u"codeload")) << p.toStdString();
    const auto first = server.requests().first().value(u"headers").toObject();
    EXPECT_EQ(first.value(u"Accept").toString(), QStringLiteral("application/vnd.github.sha"));
    EXPECT_EQ(readFile(hubDir + QStringLiteral("/ivy_r_main/hubconf.py")), hubconf(1))
        << "nothing was replaced";
}

TEST_F(FetchTest, TrustQuestionIsAskedAndAnswered)
{
    makeRepo(server.root(), QStringLiteral("jay"), QStringLiteral("r"),
             {{QStringLiteral("hubconf.py"), hubconf(1)}});
    RepoFetchRequest req;
    req.spec = *RepoSpec::parse(QStringLiteral("jay/r:main"));
    req.hubDir = hubDir;
    req.trust = TrustMode::Check;

    {
        RepoFetchJob nobody(req, config); // nothing connected to the question: refuse, never hang
        nobody.start();
        ASSERT_TRUE(nobody.waitForFinished(10000));
        ASSERT_TRUE(nobody.error());
        EXPECT_EQ(nobody.error()->code, Error::Code::Untrusted);
    }
    {
        RepoFetchJob no(req, config);
        QString asked;
        QObject::connect(&no, &RepoFetchJob::trustQuestion, &no, [&](const TrustQuestion &q) {
            asked = q.prompt();
            EXPECT_EQ(q.trustName, QStringLiteral("jay_r"));
            EXPECT_FALSE(q.allowRunOnce);
            QTimer::singleShot(0, &no,
                               [&no] { no.answerTrust(false); }); // answered later, asynchronously
        });
        no.start();
        ASSERT_TRUE(no.waitForFinished(10000));
        EXPECT_EQ(no.error()->message, QStringLiteral("Untrusted repository."));
        EXPECT_EQ(asked, RepoFetchJob::trustPrompt(QStringLiteral("jay_r")));
        EXPECT_FALSE(QFileInfo::exists(hubDir + QStringLiteral("/jay_r_main")));
        // Trust is decided before any download; only the existence check went out.
        for (const QJsonObject &r : server.requests())
            EXPECT_FALSE(r.value(u"path").toString().contains(u"zipball"))
                << r.value(u"path").toString().toStdString();
    }
    {
        RepoFetchJob yes(req, config);
        QObject::connect(&yes, &RepoFetchJob::trustQuestion, &yes,
                         [&](const TrustQuestion &) { yes.answerTrust(true); });
        yes.start();
        ASSERT_TRUE(yes.waitForFinished(30000));
        ASSERT_FALSE(yes.error()) << yes.error()->text().toStdString();
        EXPECT_EQ(readFile(hubDir + QStringLiteral("/trusted_list")), QByteArray("jay_r\n"));
    }
    { // trust "no" asks even a trusted repo
        req.trust = TrustMode::No;
        RepoFetchJob always(req, config);
        bool asked = false;
        QObject::connect(&always, &RepoFetchJob::trustQuestion, &always,
                         [&](const TrustQuestion &) {
                             asked = true;
                             always.answerTrust(true);
                         });
        always.start();
        ASSERT_TRUE(always.waitForFinished(10000));
        EXPECT_TRUE(asked);
        EXPECT_EQ(readFile(hubDir + QStringLiteral("/trusted_list")), QByteArray("jay_r\n"))
            << "not written twice";
    }
}

// Regression (issue 12): a repository that does not exist is never asked about, nor written
// to trusted_list, whatever the trust mode (the question used to come before the 404).
TEST_F(FetchTest, NonexistentRepositoryIsNeverAskedAboutNorRecorded)
{
    // With a ref, without one (the default-branch probe falls back to master on a 404, which
    // proves nothing), with and without validation, in every trust mode.
    for (const TrustMode mode : {TrustMode::Check, TrustMode::Yes, TrustMode::No}) {
        for (const bool skipValidation : {false, true}) {
            for (const char *target : {"acme/does-not-exist:main", "acme/does-not-exist"}) {
                RepoFetchRequest req;
                req.spec = *RepoSpec::parse(QString::fromLatin1(target));
                req.hubDir = hubDir;
                req.trust = mode;
                req.skipValidation = skipValidation;
                RepoFetchJob job(req, config);
                int asked = 0;
                QObject::connect(&job, &RepoFetchJob::trustQuestion, &job,
                                 [&](const TrustQuestion &) {
                                     ++asked;
                                     job.answerTrust(TrustAnswer::TrustAndRecord);
                                 });
                job.start();
                ASSERT_TRUE(job.waitForFinished(30000));
                ASSERT_TRUE(job.error());
                EXPECT_EQ(job.error()->code, Error::Code::NotFound)
                    << job.error()->text().toStdString() << " " << target;
                EXPECT_EQ(asked, 0) << int(mode) << skipValidation << target;
                EXPECT_FALSE(readFile(hubDir + QStringLiteral("/trusted_list"))
                                 .contains("acme_does-not-exist"));
            }
        }
    }
}

TEST_F(FetchTest, PrivateRepoNeedsTokenWhichNeverLeavesGitHub)
{
    makeRepo(server.root(), QStringLiteral("kim"), QStringLiteral("secret"),
             {{QStringLiteral("hubconf.py"), hubconf(5)}});
    server.setConfig(
        QJsonObject{{QStringLiteral("token"), QStringLiteral("s3cret-token")},
                    {QStringLiteral("private"), QJsonArray{QStringLiteral("kim/secret")}}});
    auto without = fetch(QStringLiteral("kim/secret:main"));
    ASSERT_TRUE(without->error());
    EXPECT_EQ(without->error()->code, Error::Code::NotFound);

    config.setToken(QStringLiteral("s3cret-token"));
    server.clearRequests();
    auto with = fetch(QStringLiteral("kim/secret:main"));
    ASSERT_FALSE(with->error()) << with->error()->text().toStdString();
    EXPECT_EQ(readFile(with->result().dir + QStringLiteral("/hubconf.py")), hubconf(5));
    bool sawZipball = false, sawCodeload = false;
    for (const QJsonObject &r : server.requests()) {
        const QString path = r.value(u"path").toString();
        const QString auth = r.value(u"headers").toObject().value(u"Authorization").toString();
        if (path.contains(u"/codeload/")) {
            sawCodeload = true;
            EXPECT_TRUE(auth.isEmpty()) << "the token must not follow the redirect to another host";
        } else {
            EXPECT_EQ(auth, QStringLiteral("token s3cret-token")) << path.toStdString();
            sawZipball = sawZipball || path.contains(u"/zipball/");
        }
    }
    EXPECT_TRUE(sawZipball && sawCodeload);
    const auto rec = Sidecar(hubDir).repo(QStringLiteral("kim_secret_main"));
    ASSERT_TRUE(rec);
    EXPECT_FALSE(rec->sourceUrl.contains(u"s3cret"));
}

TEST_F(FetchTest, ZipSlipFromServerIsRejectedAndOldTreeKept)
{
    makeRepo(server.root(), QStringLiteral("lou"), QStringLiteral("r"),
             {{QStringLiteral("hubconf.py"), hubconf(1)}});
    ASSERT_FALSE(fetch(QStringLiteral("lou/r:main"))->error());
    const QString evil = server.root() + QStringLiteral("/evil.zip");
    makeZip(evil, {{QStringLiteral("lou-r-1234567/"), {}},
                   {QStringLiteral("lou-r-1234567/hubconf.py"), hubconf(666)},
                   {QStringLiteral("lou-r-1234567/../../../pwned.txt"), "pwned"}});
    server.setConfig(QJsonObject{
        {QStringLiteral("zip_override"), QJsonObject{{QStringLiteral("lou/r"), evil}}}});
    auto job = fetch(QStringLiteral("lou/r:main"), TrustMode::Yes, true);
    ASSERT_TRUE(job->error());
    EXPECT_EQ(job->error()->code, Error::Code::Integrity);
    EXPECT_EQ(readFile(hubDir + QStringLiteral("/lou_r_main/hubconf.py")), hubconf(1));
    EXPECT_FALSE(QFileInfo::exists(home.path() + QStringLiteral("/pwned.txt")));
    EXPECT_FALSE(QFileInfo::exists(hubDir + QStringLiteral("/pwned.txt")));
    EXPECT_FALSE(QFileInfo::exists(hubDir + QStringLiteral("/.hubcap/pwned.txt")));
    EXPECT_TRUE(QDir(hubDir + QStringLiteral("/.hubcap/tmp"))
                    .entryList(QDir::NoDotAndDotDot | QDir::AllEntries)
                    .isEmpty());
}

TEST_F(FetchTest, ConcurrentFetchesOfOneTargetSerialise)
{
    makeRepo(server.root(), QStringLiteral("max"), QStringLiteral("r"),
             {{QStringLiteral("hubconf.py"), hubconf(1)}});
    server.setConfig(QJsonObject{{QStringLiteral("slow_zip_ms"), 400}});
    RepoFetchRequest req;
    req.spec = *RepoSpec::parse(QStringLiteral("max/r:main"));
    req.hubDir = hubDir;
    req.trust = TrustMode::Yes;
    req.skipValidation = true;
    RepoFetchJob a(req, config), b(req, config);
    a.start();
    b.start();
    ASSERT_TRUE(a.waitForFinished(30000));
    ASSERT_TRUE(b.waitForFinished(30000));
    ASSERT_FALSE(a.error()) << a.error()->text().toStdString();
    ASSERT_FALSE(b.error()) << b.error()->text().toStdString();
    EXPECT_NE(a.result().cached, b.result().cached)
        << "the second waited for the lock and then used the cache";
    int zipballs = 0;
    for (const QString &p : requestPaths())
        zipballs += p.contains(u"/zipball/");
    EXPECT_EQ(zipballs, 1);
    EXPECT_EQ(readFile(hubDir + QStringLiteral("/max_r_main/hubconf.py")), hubconf(1));
}

// A zipball download cut by the network is tried again (GitHub builds zipballs on the fly:
// there is nothing to resume, so from the start); when every attempt is cut, the error is the
// network's and the cache is as it was.
TEST_F(FetchTest, CutZipballIsRetriedThenGivesUpLeavingTheCacheAsItWas)
{
    makeRepo(server.root(), QStringLiteral("cut"), QStringLiteral("r"),
             {{QStringLiteral("hubconf.py"), hubconf(7)}});
    server.setConfig(QJsonObject{{QStringLiteral("cut_zip"), 1}});
    auto ok = fetch(QStringLiteral("cut/r:main"), TrustMode::Yes, true);
    ASSERT_FALSE(ok->error()) << ok->error()->text().toStdString();
    EXPECT_EQ(readFile(hubDir + QStringLiteral("/cut_r_main/hubconf.py")), hubconf(7));
    int zips = 0;
    for (const QString &p : requestPaths())
        zips += p.contains(u"/codeload/");
    EXPECT_EQ(zips, 2) << "one cut, one retry";

    // Every attempt cut: a clear network error after 3 tries, the old tree untouched.
    QFile::remove(server.root() + QStringLiteral("/cut_zip.count"));
    server.setConfig(QJsonObject{{QStringLiteral("cut_zip"), 10}});
    server.clearRequests();
    auto bad = fetch(QStringLiteral("cut/r:main"), TrustMode::Yes, true);
    ASSERT_TRUE(bad->error());
    EXPECT_EQ(bad->error()->code, Error::Code::Network) << bad->error()->text().toStdString();
    zips = 0;
    for (const QString &p : requestPaths())
        zips += p.contains(u"/codeload/");
    EXPECT_EQ(zips, 3);
    EXPECT_EQ(readFile(hubDir + QStringLiteral("/cut_r_main/hubconf.py")), hubconf(7));
    EXPECT_TRUE(QDir(hubDir + QStringLiteral("/.hubcap/tmp"))
                    .entryList(QDir::NoDotAndDotDot | QDir::AllEntries)
                    .isEmpty());
}

// Issue 13.10: a second fetch waiting for another's lock says whom it waits for, at once.
TEST_F(FetchTest, AFetchWaitingForAnothersLockSaysSo)
{
    makeRepo(server.root(), QStringLiteral("wait"), QStringLiteral("r"),
             {{QStringLiteral("hubconf.py"), hubconf(3)}});
    QDir().mkpath(hubDir);
    auto other =
        std::make_unique<QLockFile>(Sidecar(hubDir).lockPath(QStringLiteral("repo-wait_r_main")));
    ASSERT_TRUE(other->tryLock(0));
    RepoFetchRequest req;
    req.spec = *RepoSpec::parse(QStringLiteral("wait/r:main"));
    req.hubDir = hubDir;
    req.trust = TrustMode::Yes;
    req.skipValidation = true;
    RepoFetchJob job(req, config);
    QStringList messages, progress;
    QObject::connect(&job, &RepoFetchJob::message, &job, [&](const QString &m) { messages << m; });
    QObject::connect(&job, &Job::progress, &job,
                     [&](qint64, qint64, const QString &t) { progress << t; });
    job.start();
    QElapsedTimer t;
    t.start();
    while (messages.filter(QStringLiteral("Waiting for another Hubcap process")).isEmpty() &&
           t.elapsed() < 10000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    const QStringList waits = messages.filter(QStringLiteral("Waiting for another Hubcap process"));
    ASSERT_EQ(waits.size(), 1) << messages.join(u'|').toStdString();
    EXPECT_TRUE(waits[0].contains(QStringLiteral("pid %1").arg(QCoreApplication::applicationPid())))
        << waits[0].toStdString();
    EXPECT_TRUE(waits[0].contains(u"fetching wait_r_main")) << waits[0].toStdString();
    EXPECT_FALSE(job.isFinished());
    other.reset(); // the other process is done
    ASSERT_TRUE(job.waitForFinished(30000));
    ASSERT_FALSE(job.error()) << job.error()->text().toStdString();
    EXPECT_EQ(readFile(hubDir + QStringLiteral("/wait_r_main/hubconf.py")), hubconf(3));
    EXPECT_FALSE(progress.filter(QStringLiteral("Waiting for another Hubcap process")).isEmpty());
}

// Issue 13.8: a zipball that does not fit names the full disk and leaves the cache as it was.
TEST_F(FetchTest, AFullDiskIsNamedAndTheCacheLeftAsItWas)
{
    TmpfsMount mount(home.path() + QStringLiteral("/small"), QStringLiteral("2m"));
    if (!mount.ok())
        GTEST_SKIP() << mount.why().toStdString();
    hubDir = mount.path() + QStringLiteral("/hub");
    QByteArray noise(3 * 1024 * 1024, Qt::Uninitialized);
    quint32 x = 12345;
    for (char &c : noise) {
        x = x * 1664525u + 1013904223u;
        c = char(x >> 24);
    }
    makeRepo(server.root(), QStringLiteral("fat"), QStringLiteral("r"),
             {{QStringLiteral("hubconf.py"), hubconf(1)}, {QStringLiteral("weights.bin"), noise}});
    auto job = fetch(QStringLiteral("fat/r:main"), TrustMode::Yes, false, true);
    ASSERT_TRUE(job->error());
    const Error &e = *job->error();
    EXPECT_EQ(e.code, Error::Code::Io) << e.text().toStdString();
    EXPECT_TRUE(e.message.contains(u"No space left on the device")) << e.message.toStdString();
    EXPECT_TRUE(e.message.contains(mount.path())) << e.message.toStdString();
    EXPECT_FALSE(e.message.contains(u"not a valid zip")) << e.message.toStdString();
    EXPECT_FALSE(QFileInfo::exists(hubDir + QStringLiteral("/fat_r_main")));
    EXPECT_TRUE(QDir(hubDir + QStringLiteral("/.hubcap/tmp"))
                    .entryList(QDir::NoDotAndDotDot | QDir::AllEntries)
                    .isEmpty());
}
