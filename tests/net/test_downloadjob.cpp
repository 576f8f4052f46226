#include "tests/net/netfixture.h"

#include "core/cache/sidecar.h"
#include "core/net/downloadqueue.h"
#include "core/net/httperror.h"

#include <QLockFile>

#include <sys/stat.h>

using namespace hubcap;
using namespace hubcap::test;

namespace {

class Download : public NetFixture
{
protected:
    /// Issue 13.6: a 206 whose body is the whole file (Content-Range says bytes N-end/total).
    /// The partial must never grow past the file's size, and the result must be the file.
    void wholeFileOn206(bool withLength)
    {
        const QString name = withLength ? QStringLiteral("w206.bin") : QStringLiteral("w206nl.bin");
        const QByteArray data = pseudoRandom(900000, 31);
        const QUrl url = asset(name, data);
        server.setConfig(
            QJsonObject{{QStringLiteral("assets"),
                         QJsonObject{{name, QJsonObject{{QStringLiteral("cut_after"), 400000}}}}}});
        DownloadOptions o = options(url, name);
        o.maxAttempts = 1;
        {
            DownloadJob first(o, config());
            first.start();
            ASSERT_TRUE(first.waitForFinished(30000));
            ASSERT_TRUE(first.error());
        }
        const QString dir = hub + QStringLiteral("/checkpoints");
        ASSERT_EQ(partials(dir).size(), 1);
        QJsonObject faults{{QStringLiteral("whole_on_206"), true}};
        if (!withLength)
            faults.insert(QStringLiteral("no_content_length"), true);
        server.setConfig(QJsonObject{{QStringLiteral("assets"), QJsonObject{{name, faults}}}});
        server.clearRequests();
        DownloadJob second(options(url, name), config());
        qint64 largestPartial = 0;
        QObject::connect(&second, &DownloadJob::statsChanged, [&] {
            for (const QString &p : partials(dir))
                largestPartial = qMax(largestPartial, QFileInfo(dir + u'/' + p).size());
            EXPECT_LE(second.bytesDone(), data.size());
        });
        second.start();
        ASSERT_TRUE(second.waitForFinished(30000));
        ASSERT_FALSE(second.error()) << second.error()->text().toStdString();
        EXPECT_EQ(readFile(dir + u'/' + name), data);
        EXPECT_EQ(second.result().sha256, sha256Hex(data));
        EXPECT_EQ(second.result().resumedFrom, 0) << "the bad 206 is not resumed from";
        EXPECT_LE(largestPartial, data.size());
        const auto reqs = gets(QStringLiteral("/assets/") + name);
        EXPECT_EQ(second.result().attempts, 2) << "one resume attempt, then one clean restart";
        ASSERT_GE(reqs.size(), 2);
        EXPECT_FALSE(header(reqs[0], QStringLiteral("Range")).isEmpty());
        // (Qt may send the restart twice when the closed connection was still pooled.)
        for (qsizetype i = 1; i < reqs.size(); ++i)
            EXPECT_TRUE(header(reqs[i], QStringLiteral("Range")).isEmpty()) << i;
    }
};

mode_t currentUmask()
{
    const mode_t m = ::umask(022);
    ::umask(m);
    return m;
}

} // namespace

TEST(NetworkConfig, DefaultsAndEnvironment)
{
    const NetworkConfig d = NetworkConfig::fromEnvironment(QProcessEnvironment());
    EXPECT_EQ(d.githubUrl(), QUrl(QStringLiteral("https://github.com")));
    EXPECT_EQ(d.githubApiUrl(), QUrl(QStringLiteral("https://api.github.com")));
    EXPECT_FALSE(d.hasToken());
    EXPECT_EQ(d.connectTimeoutMs(), 15000);
    EXPECT_EQ(d.stallTimeoutMs(), 30000);

    QProcessEnvironment env;
    env.insert(QStringLiteral("HUBCAP_GITHUB_URL"), QStringLiteral("http://ghe.example:8080/"));
    env.insert(QStringLiteral("HUBCAP_GITHUB_API_URL"),
               QStringLiteral("http://ghe.example:8080/api/v3/"));
    env.insert(QStringLiteral("GITHUB_TOKEN"), QString()); // set but empty counts, as in torch.hub
    env.insert(QStringLiteral("HUBCAP_STALL_TIMEOUT"), QStringLiteral("2.5"));
    const NetworkConfig c = NetworkConfig::fromEnvironment(env);
    EXPECT_EQ(c.githubUrl(), QUrl(QStringLiteral("http://ghe.example:8080")));
    EXPECT_EQ(c.githubApiUrl(), QUrl(QStringLiteral("http://ghe.example:8080/api/v3")));
    EXPECT_TRUE(c.hasToken());
    EXPECT_EQ(c.authorizationHeader(), QByteArray("token "));
    EXPECT_EQ(c.stallTimeoutMs(), 2500);
}

TEST(NetworkConfig, TokenGoesOnlyToGithubHosts)
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("GITHUB_TOKEN"), QStringLiteral("s3cret"));
    const NetworkConfig c = NetworkConfig::fromEnvironment(env);
    const auto gh =
        c.request(QUrl(QStringLiteral("https://api.github.com/repos/a/b/branches")), true);
    EXPECT_EQ(gh.rawHeader("Authorization"), QByteArray("token s3cret"));
    EXPECT_EQ(gh.rawHeader("User-Agent"), QByteArray("torch.hub"));
    EXPECT_TRUE(c.request(QUrl(QStringLiteral("https://github.com/a/b/zipball/main")), true)
                    .hasRawHeader("Authorization"));
    EXPECT_FALSE(
        c.request(QUrl(QStringLiteral("https://codeload.github.com/a/b/legacy.zip/main")), true)
            .hasRawHeader("Authorization"));
    EXPECT_FALSE(
        c.request(QUrl(QStringLiteral("http://github.com/a")), true).hasRawHeader("Authorization"))
        << "another scheme is another origin";
    EXPECT_FALSE(c.request(QUrl(QStringLiteral("https://github.com/a")), false)
                     .hasRawHeader("Authorization"));
}

TEST(NetworkConfig, RedactUrlStripsCredentials)
{
    EXPECT_EQ(redactUrl(QStringLiteral("https://user:pw@host.example/a/b.pth?token=abc&x=1")),
              QStringLiteral("https://host.example/a/b.pth?token=***&x=1"));
    EXPECT_EQ(redactUrl(QStringLiteral("https://h/x?X-Amz-Signature=zz")),
              QStringLiteral("https://h/x?X-Amz-Signature=***"));
    EXPECT_EQ(redactUrl(QStringLiteral("https://h/x.pth")), QStringLiteral("https://h/x.pth"));
}

TEST(HttpError, RateLimitNamesResetAndWaysOut)
{
    const qint64 reset = QDateTime::currentSecsSinceEpoch() + 1800;
    HttpErrorContext validation;
    validation.githubHost = true;
    validation.refValidation = true;
    const Error e = httpStatusError(
        403, QUrl(QStringLiteral("https://u:pw@api.github.com/repos/a/b/branches")), "0",
        QByteArray::number(reset), QStringLiteral("GitHub API request"), validation);
    EXPECT_EQ(e.code, Error::Code::RateLimited);
    EXPECT_TRUE(e.message.contains(u"Set GITHUB_TOKEN")) << e.message.toStdString();
    EXPECT_TRUE(e.message.contains(u"--skip-validation (skip_validation=True in Python)"))
        << e.message.toStdString();

    // With a token: its quota is exhausted too, no advice to set it.
    HttpErrorContext withToken = validation;
    withToken.tokenSet = true;
    const Error t = httpStatusError(403, QUrl(QStringLiteral("https://api.github.com/x")), "0",
                                    QByteArray::number(reset), {}, withToken);
    EXPECT_TRUE(t.message.contains(u"quota is exhausted too")) << t.message.toStdString();
    EXPECT_FALSE(t.message.contains(u"Set GITHUB_TOKEN")) << t.message.toStdString();
    EXPECT_TRUE(t.message.contains(u"--skip-validation")) << t.message.toStdString();

    // Not the ref validation (a download, --check-update): no --skip-validation.
    HttpErrorContext download;
    download.githubHost = true;
    const Error d =
        httpStatusError(403, QUrl(QStringLiteral("https://api.github.com/x")), "0",
                        QByteArray::number(reset), QStringLiteral("download"), download);
    EXPECT_TRUE(d.message.contains(u"Set GITHUB_TOKEN")) << d.message.toStdString();
    EXPECT_FALSE(d.message.contains(u"skip")) << d.message.toStdString();

    // Another host: the token is never sent there.
    const Error o = httpStatusError(429, QUrl(QStringLiteral("https://h.example/w.pth")), "0",
                                    QByteArray::number(reset), QStringLiteral("download"));
    EXPECT_EQ(o.code, Error::Code::RateLimited);
    EXPECT_TRUE(o.message.contains(u"h.example")) << o.message.toStdString();
    EXPECT_FALSE(o.message.contains(u"GITHUB_TOKEN")) << o.message.toStdString();
    EXPECT_FALSE(o.message.contains(u"skip")) << o.message.toStdString();
    const QString local =
        QDateTime::fromSecsSinceEpoch(reset).toLocalTime().toString(QStringLiteral("HH:mm:ss"));
    EXPECT_TRUE(e.message.contains(local)) << e.message.toStdString();
    EXPECT_FALSE(e.text().contains(u"pw")) << e.text().toStdString();

    const Error e429 =
        httpStatusError(429, QUrl(QStringLiteral("https://api.github.com/x")), "0", "", {});
    EXPECT_EQ(e429.code, Error::Code::RateLimited);
    const Error plain403 =
        httpStatusError(403, QUrl(QStringLiteral("https://api.github.com/x")), "12", "", {});
    EXPECT_EQ(plain403.code, Error::Code::Http);
}

TEST(HttpError, StatusAndNetworkErrorsAreActionable)
{
    const Error nf = httpStatusError(404, QUrl(QStringLiteral("https://me:pw@h.example/w.pth")), {},
                                     {}, QStringLiteral("download"));
    EXPECT_EQ(nf.code, Error::Code::NotFound);
    EXPECT_TRUE(nf.message.contains(u"404")) << nf.message.toStdString();
    EXPECT_TRUE(nf.message.contains(u"https://h.example/w.pth")) << nf.message.toStdString();
    EXPECT_FALSE(nf.text().contains(u"pw"));
    // The token never goes to h.example: no private-repository hint there, only on GitHub.
    EXPECT_FALSE(nf.message.contains(u"GITHUB_TOKEN")) << nf.message.toStdString();
    HttpErrorContext github;
    github.githubHost = true;
    const Error gh = httpStatusError(404, QUrl(QStringLiteral("https://github.com/a/b/x")), {}, {},
                                     QStringLiteral("download"), github);
    EXPECT_TRUE(gh.message.contains(u"private repository also answers 404 without a valid "
                                    u"GITHUB_TOKEN"))
        << gh.message.toStdString();
    const Error s = httpStatusError(503, QUrl(QStringLiteral("https://h/x")), {}, {}, {});
    EXPECT_EQ(s.code, Error::Code::Http);
    EXPECT_TRUE(s.message.contains(u"503"));
    const Error off = networkError(QNetworkReply::HostNotFoundError,
                                   QUrl(QStringLiteral("https://nohost.invalid/x")),
                                   QStringLiteral("Host nohost.invalid not found"));
    EXPECT_EQ(off.code, Error::Code::Offline);
    EXPECT_TRUE(off.message.contains(u"no network connection")) << off.message.toStdString();
    EXPECT_EQ(
        networkError(QNetworkReply::RemoteHostClosedError, QUrl(QStringLiteral("https://h/x")), {})
            .code,
        Error::Code::Network);
}

TEST_F(Download, StreamsHashesAndRenamesAtomically)
{
    const QByteArray data = pseudoRandom(3 * 1024 * 1024 + 17);
    DownloadJob job(options(asset(QStringLiteral("w.bin"), data), QStringLiteral("w.bin")),
                    config());
    job.start();
    ASSERT_TRUE(job.waitForFinished(30000));
    ASSERT_FALSE(job.error()) << job.error()->text().toStdString();
    const QString dst = hub + QStringLiteral("/checkpoints/w.bin");
    EXPECT_EQ(readFile(dst), data);
    EXPECT_EQ(job.result().sha256, sha256Hex(data));
    EXPECT_EQ(job.result().bytes, data.size());
    EXPECT_EQ(job.result().attempts, 1);
    EXPECT_EQ(job.result().resumedFrom, 0);
    EXPECT_TRUE(partials(hub + QStringLiteral("/checkpoints")).isEmpty());
    EXPECT_FALSE(Sidecar(hub).readJson(QStringLiteral("downloads"), DownloadJob::stateKey(dst)));
    struct stat st
    {
    };
    ASSERT_EQ(::stat(QFile::encodeName(dst).constData(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0666 & ~currentUmask());
    const auto reqs = gets(QStringLiteral("/assets/w.bin"));
    ASSERT_EQ(reqs.size(), 1);
    EXPECT_EQ(header(reqs[0], QStringLiteral("User-Agent")), QStringLiteral("torch.hub"));
    EXPECT_TRUE(header(reqs[0], QStringLiteral("Range")).isEmpty());
}

TEST_F(Download, MemoryStaysBoundedByTheReadBuffer)
{
    // Design check, not timing: the reply's buffer is capped, and the job reads it in
    // kBufferSize slices straight to disk (and the bounded hash queue), so it never holds the body.
    const QByteArray data = pseudoRandom(16 * 1024 * 1024, 3);
    DownloadJob job(options(asset(QStringLiteral("big.bin"), data), QStringLiteral("big.bin")),
                    config());
    job.start();
    ASSERT_TRUE(job.waitForFinished(60000));
    ASSERT_FALSE(job.error()) << job.error()->text().toStdString();
    EXPECT_GT(job.maxBufferedBytes(), 0);
    EXPECT_LE(job.maxBufferedBytes(), 2 * DownloadJob::kReadBufferSize);
    EXPECT_EQ(job.result().sha256, sha256Hex(data));
    EXPECT_FALSE(job.isHashThreadRunning()); // hashed on a worker thread, which has ended
}

TEST_F(Download, ResumesAfterACutFromTheByteWhereItStopped)
{
    const QByteArray data = pseudoRandom(2 * 1024 * 1024, 5);
    const QUrl url = asset(QStringLiteral("cut.bin"), data);
    server.setConfig(
        QJsonObject{{QStringLiteral("assets"),
                     QJsonObject{{QStringLiteral("cut.bin"),
                                  QJsonObject{{QStringLiteral("cut_after"), 700000}}}}}});
    DownloadJob job(options(url, QStringLiteral("cut.bin")), config());
    QList<qint64> starts;
    QObject::connect(&job, &DownloadJob::attemptStarted, [&](int, qint64 from) { starts << from; });
    job.start();
    ASSERT_TRUE(job.waitForFinished(30000));
    ASSERT_FALSE(job.error()) << job.error()->text().toStdString();
    EXPECT_EQ(readFile(hub + QStringLiteral("/checkpoints/cut.bin")), data);
    EXPECT_EQ(job.result().sha256, sha256Hex(data));
    EXPECT_EQ(job.result().attempts, 2);
    const qint64 from = job.result().resumedFrom;
    EXPECT_GT(from, 0);
    EXPECT_LE(from, 700000);
    ASSERT_EQ(starts.size(), 2);
    EXPECT_EQ(starts[1], from);
    const auto reqs = gets(QStringLiteral("/assets/cut.bin"));
    ASSERT_EQ(reqs.size(), 2);
    EXPECT_EQ(header(reqs[1], QStringLiteral("Range")), QStringLiteral("bytes=%1-").arg(from));
    EXPECT_FALSE(header(reqs[1], QStringLiteral("If-Range")).isEmpty());
}

TEST_F(Download, ResumesAcrossRunsFromTheSidecarState)
{
    const QByteArray data = pseudoRandom(1500000, 7);
    const QUrl url = asset(QStringLiteral("run.bin"), data);
    server.setConfig(
        QJsonObject{{QStringLiteral("assets"),
                     QJsonObject{{QStringLiteral("run.bin"),
                                  QJsonObject{{QStringLiteral("cut_after"), 600000}}}}}});
    const QString dir = hub + QStringLiteral("/checkpoints");
    const QString dst = dir + QStringLiteral("/run.bin");
    qint64 partialSize = 0;
    {
        DownloadOptions o = options(url, QStringLiteral("run.bin"));
        o.maxAttempts = 1; // the "first run" gives up after the cut
        DownloadJob first(o, config());
        first.start();
        ASSERT_TRUE(first.waitForFinished(30000));
        ASSERT_TRUE(first.error());
        EXPECT_EQ(first.error()->code, Error::Code::Network) << first.error()->text().toStdString();
        EXPECT_FALSE(QFileInfo::exists(dst));
        const QStringList p = partials(dir);
        ASSERT_EQ(p.size(), 1);
        // torch 2.x's temp name: <dst>.<32 hex>.partial
        EXPECT_TRUE(QRegularExpression(QStringLiteral("^run\\.bin\\.[0-9a-f]{32}\\.partial$"))
                        .match(p[0])
                        .hasMatch())
            << p[0].toStdString();
        partialSize = QFileInfo(dir + u'/' + p[0]).size();
        EXPECT_GT(partialSize, 0);
        const auto st =
            Sidecar(hub).readJson(QStringLiteral("downloads"), DownloadJob::stateKey(dst));
        ASSERT_TRUE(st);
        EXPECT_EQ(st->value(u"url").toString(), url.toString());
        EXPECT_FALSE(st->value(u"etag").toString().isEmpty());
        EXPECT_EQ(st->value(u"total").toInteger(), data.size());
    }
    server.clearRequests();
    DownloadJob second(options(url, QStringLiteral("run.bin")), config());
    second.start();
    ASSERT_TRUE(second.waitForFinished(30000));
    ASSERT_FALSE(second.error()) << second.error()->text().toStdString();
    EXPECT_EQ(readFile(dst), data);
    EXPECT_EQ(second.result().sha256, sha256Hex(data)); // the old bytes were re-hashed
    EXPECT_EQ(second.result().resumedFrom, partialSize);
    const auto reqs = gets(QStringLiteral("/assets/run.bin"));
    ASSERT_EQ(reqs.size(), 1);
    EXPECT_EQ(header(reqs[0], QStringLiteral("Range")),
              QStringLiteral("bytes=%1-").arg(partialSize));
    EXPECT_TRUE(partials(dir).isEmpty());
    EXPECT_FALSE(Sidecar(hub).readJson(QStringLiteral("downloads"), DownloadJob::stateKey(dst)));
}

namespace {
/// Runs a download that gives up after a cut at `cut` bytes, leaving a partial.
void leavePartial(NetFixture *, DownloadJob &job)
{
    job.start();
    ASSERT_TRUE(job.waitForFinished(30000));
    ASSERT_TRUE(job.error());
}
} // namespace

TEST_F(Download, ServerIgnoringRangeRestartsCleanly)
{
    const QByteArray data = pseudoRandom(1200000, 9);
    const QUrl url = asset(QStringLiteral("ign.bin"), data);
    server.setConfig(
        QJsonObject{{QStringLiteral("assets"),
                     QJsonObject{{QStringLiteral("ign.bin"),
                                  QJsonObject{{QStringLiteral("cut_after"), 500000}}}}}});
    DownloadOptions o = options(url, QStringLiteral("ign.bin"));
    o.maxAttempts = 1;
    {
        DownloadJob first(o, config());
        leavePartial(this, first);
    }
    server.setConfig(
        QJsonObject{{QStringLiteral("assets"),
                     QJsonObject{{QStringLiteral("ign.bin"),
                                  QJsonObject{{QStringLiteral("ignore_range"), true}}}}}});
    server.clearRequests();
    DownloadJob second(options(url, QStringLiteral("ign.bin")), config());
    second.start();
    ASSERT_TRUE(second.waitForFinished(30000));
    ASSERT_FALSE(second.error()) << second.error()->text().toStdString();
    EXPECT_EQ(readFile(hub + QStringLiteral("/checkpoints/ign.bin")), data);
    EXPECT_EQ(second.result().sha256, sha256Hex(data));
    EXPECT_EQ(second.result().resumedFrom, 0);
    const auto reqs = gets(QStringLiteral("/assets/ign.bin"));
    ASSERT_EQ(reqs.size(), 1);
    EXPECT_FALSE(header(reqs[0], QStringLiteral("Range")).isEmpty()) << "a range was asked for";
}

TEST_F(Download, WholeFileOn206WithItsLengthRestartsCleanly)
{
    wholeFileOn206(true);
}

TEST_F(Download, WholeFileOn206WithoutLengthNeverWritesPastTheRange)
{
    wholeFileOn206(false);
}

TEST_F(Download, RangeNotSatisfiableRestartsFromZero)
{
    const QByteArray data = pseudoRandom(1000000, 11);
    const QUrl url = asset(QStringLiteral("416.bin"), data);
    // A fixed ETag, so the If-Range still matches after the file shrinks: the server answers 416.
    const QJsonObject fixed{{QStringLiteral("etag"), QStringLiteral("\"fixed\"")}};
    QJsonObject cut = fixed;
    cut.insert(QStringLiteral("cut_after"), 600000);
    server.setConfig(
        QJsonObject{{QStringLiteral("assets"), QJsonObject{{QStringLiteral("416.bin"), cut}}}});
    DownloadOptions o = options(url, QStringLiteral("416.bin"));
    o.maxAttempts = 1;
    {
        DownloadJob first(o, config());
        leavePartial(this, first);
    }
    const QByteArray smaller = pseudoRandom(4000, 12);
    asset(QStringLiteral("416.bin"), smaller);
    server.setConfig(
        QJsonObject{{QStringLiteral("assets"), QJsonObject{{QStringLiteral("416.bin"), fixed}}}});
    server.clearRequests();
    o.maxAttempts = 3;
    DownloadJob second(o, config());
    second.start();
    ASSERT_TRUE(second.waitForFinished(30000));
    ASSERT_FALSE(second.error()) << second.error()->text().toStdString();
    EXPECT_EQ(readFile(hub + QStringLiteral("/checkpoints/416.bin")), smaller);
    const auto reqs = gets(QStringLiteral("/assets/416.bin"));
    ASSERT_EQ(reqs.size(), 2);
    EXPECT_TRUE(header(reqs[0], QStringLiteral("Range")).startsWith(u"bytes="));
    EXPECT_TRUE(header(reqs[1], QStringLiteral("Range")).isEmpty()) << "restarted from zero";
    EXPECT_EQ(second.result().resumedFrom, 0);
}

TEST_F(Download, ChangedFileRestartsFromZero)
{
    const QByteArray data = pseudoRandom(900000, 13);
    const QUrl url = asset(QStringLiteral("chg.bin"), data);
    server.setConfig(
        QJsonObject{{QStringLiteral("assets"),
                     QJsonObject{{QStringLiteral("chg.bin"),
                                  QJsonObject{{QStringLiteral("cut_after"), 400000}}}}}});
    DownloadOptions o = options(url, QStringLiteral("chg.bin"));
    o.maxAttempts = 1;
    {
        DownloadJob first(o, config());
        leavePartial(this, first);
    }
    const QByteArray changed = pseudoRandom(900000, 14); // same size, new content → new ETag
    asset(QStringLiteral("chg.bin"), changed);
    server.setConfig({});
    server.clearRequests();
    DownloadJob second(options(url, QStringLiteral("chg.bin")), config());
    second.start();
    ASSERT_TRUE(second.waitForFinished(30000));
    ASSERT_FALSE(second.error()) << second.error()->text().toStdString();
    EXPECT_EQ(readFile(hub + QStringLiteral("/checkpoints/chg.bin")), changed);
    EXPECT_EQ(second.result().sha256, sha256Hex(changed));
    EXPECT_EQ(second.result().resumedFrom, 0);
    const auto reqs = gets(QStringLiteral("/assets/chg.bin"));
    ASSERT_EQ(reqs.size(), 1);
    EXPECT_FALSE(header(reqs[0], QStringLiteral("If-Range")).isEmpty());
}

TEST_F(Download, HashMismatchLeavesNoFile)
{
    const QByteArray data = pseudoRandom(300000, 15);
    DownloadOptions o = options(asset(QStringLiteral("bad-deadbeef.pth"), data),
                                QStringLiteral("bad-deadbeef.pth"));
    o.hashPrefix = QStringLiteral("deadbeef");
    DownloadJob job(o, config());
    job.start();
    ASSERT_TRUE(job.waitForFinished(30000));
    ASSERT_TRUE(job.error());
    EXPECT_EQ(job.error()->code, Error::Code::Integrity);
    EXPECT_TRUE(job.error()->message.contains(u"deadbeef")) << job.error()->message.toStdString();
    EXPECT_TRUE(job.error()->message.contains(sha256Hex(data)))
        << job.error()->message.toStdString();
    const QString dir = hub + QStringLiteral("/checkpoints");
    EXPECT_FALSE(QFileInfo::exists(dir + QStringLiteral("/bad-deadbeef.pth")));
    EXPECT_TRUE(partials(dir).isEmpty());
    EXPECT_FALSE(
        Sidecar(hub).readJson(QStringLiteral("downloads"), DownloadJob::stateKey(o.destination)));
}

TEST_F(Download, MatchingHashPrefixIsVerified)
{
    const QByteArray data = pseudoRandom(5000, 16);
    DownloadOptions o = options(asset(QStringLiteral("ok.bin"), data), QStringLiteral("ok.bin"));
    o.hashPrefix = sha256Hex(data).left(10).toUpper(); // any case
    DownloadJob job(o, config());
    job.start();
    ASSERT_TRUE(job.waitForFinished(30000));
    ASSERT_FALSE(job.error()) << job.error()->text().toStdString();
    EXPECT_TRUE(job.result().verified);
}

TEST_F(Download, RetriesTransientServerErrors)
{
    const QByteArray data = pseudoRandom(10000, 17);
    const QUrl url = asset(QStringLiteral("flaky.bin"), data);
    server.setConfig(QJsonObject{
        {QStringLiteral("assets"), QJsonObject{{QStringLiteral("flaky.bin"),
                                                QJsonObject{{QStringLiteral("fail_first"), 2}}}}}});
    DownloadJob job(options(url, QStringLiteral("flaky.bin")), config());
    job.start();
    ASSERT_TRUE(job.waitForFinished(30000));
    ASSERT_FALSE(job.error()) << job.error()->text().toStdString();
    EXPECT_EQ(job.result().attempts, 3);
    EXPECT_EQ(readFile(hub + QStringLiteral("/checkpoints/flaky.bin")), data);
}

TEST_F(Download, GivesUpAfterMaxAttemptsNamingThem)
{
    const QUrl url = asset(QStringLiteral("down.bin"), pseudoRandom(100, 18));
    server.setConfig(
        QJsonObject{{QStringLiteral("assets"),
                     QJsonObject{{QStringLiteral("down.bin"),
                                  QJsonObject{{QStringLiteral("fail_first"), 99},
                                              {QStringLiteral("fail_status"), 503}}}}}});
    DownloadOptions o = options(url, QStringLiteral("down.bin"));
    o.maxAttempts = 3;
    DownloadJob job(o, config());
    job.start();
    ASSERT_TRUE(job.waitForFinished(30000));
    ASSERT_TRUE(job.error());
    EXPECT_EQ(job.error()->code, Error::Code::Http);
    EXPECT_TRUE(job.error()->message.contains(u"503")) << job.error()->message.toStdString();
    EXPECT_TRUE(job.error()->message.contains(u"3 attempts")) << job.error()->message.toStdString();
    EXPECT_EQ(gets(QStringLiteral("/assets/down.bin")).size(), 3);
}

TEST_F(Download, StallIsReportedThenRetriedWithRange)
{
    const QByteArray data = pseudoRandom(400000, 19);
    const QUrl url = asset(QStringLiteral("stall.bin"), data);
    server.setConfig(
        QJsonObject{{QStringLiteral("assets"),
                     QJsonObject{{QStringLiteral("stall.bin"),
                                  QJsonObject{{QStringLiteral("stall"), 6},
                                              {QStringLiteral("stall_after"), 100000}}}}}});
    DownloadOptions o = options(url, QStringLiteral("stall.bin"));
    o.stallNoticeMs = 300;
    DownloadJob job(o, config(/*stallMs=*/1200));
    bool sawStall = false;
    QString stallText;
    QObject::connect(&job, &DownloadJob::statsChanged, [&] {
        if (job.isStalled()) {
            sawStall = true;
            stallText = job.statusText();
        }
    });
    job.start();
    ASSERT_TRUE(job.waitForFinished(30000));
    ASSERT_FALSE(job.error()) << job.error()->text().toStdString();
    EXPECT_TRUE(sawStall);
    EXPECT_TRUE(stallText.startsWith(u"no data for")) << stallText.toStdString();
    EXPECT_EQ(job.result().attempts, 2);
    EXPECT_EQ(readFile(hub + QStringLiteral("/checkpoints/stall.bin")), data);
    const auto reqs = gets(QStringLiteral("/assets/stall.bin"));
    ASSERT_EQ(reqs.size(), 2);
    EXPECT_EQ(header(reqs[1], QStringLiteral("Range")), QStringLiteral("bytes=100000-"));
}

TEST_F(Download, FileUrlsWork)
{
    const QByteArray data = pseudoRandom(700000, 20);
    const QString src = tmp.path() + QStringLiteral("/src/local.pth");
    writeFile(src, data);
    DownloadJob job(options(QUrl::fromLocalFile(src), QStringLiteral("local.pth")), config());
    job.start();
    ASSERT_TRUE(job.waitForFinished(30000));
    ASSERT_FALSE(job.error()) << job.error()->text().toStdString();
    EXPECT_EQ(readFile(hub + QStringLiteral("/checkpoints/local.pth")), data);
    EXPECT_EQ(job.result().sha256, sha256Hex(data));

    DownloadJob missing(
        options(QUrl::fromLocalFile(src + QStringLiteral(".nope")), QStringLiteral("nope.pth")),
        config());
    missing.start();
    ASSERT_TRUE(missing.waitForFinished(30000));
    ASSERT_TRUE(missing.error());
    EXPECT_EQ(missing.error()->code, Error::Code::NotFound)
        << missing.error()->text().toStdString();
}

TEST_F(Download, NotFoundAndRateLimitAreErrorsWithoutFiles)
{
    DownloadJob nf(options(QUrl(server.url() + QStringLiteral("/assets/none.pth")),
                           QStringLiteral("none.pth")),
                   config());
    nf.start();
    ASSERT_TRUE(nf.waitForFinished(30000));
    ASSERT_TRUE(nf.error());
    EXPECT_EQ(nf.error()->code, Error::Code::NotFound);
    EXPECT_EQ(gets(QStringLiteral("/assets/none.pth")).size(), 1) << "a 404 is not retried";

    const QUrl url = asset(QStringLiteral("rl.bin"), "x");
    server.setConfig(
        QJsonObject{{QStringLiteral("assets"),
                     QJsonObject{{QStringLiteral("rl.bin"),
                                  QJsonObject{{QStringLiteral("rate_limit"), true}}}}}});
    DownloadJob rl(options(url, QStringLiteral("rl.bin")), config());
    rl.start();
    ASSERT_TRUE(rl.waitForFinished(30000));
    ASSERT_TRUE(rl.error());
    EXPECT_EQ(rl.error()->code, Error::Code::RateLimited);
    EXPECT_TRUE(partials(hub + QStringLiteral("/checkpoints")).isEmpty());
}

TEST_F(Download, TokenIsNotForwardedToAnotherHostOnRedirect)
{
    const QByteArray data = pseudoRandom(2000, 21);
    asset(QStringLiteral("target.bin"), data);
    const QString foreign =
        QStringLiteral("http://localhost:%1/assets/target.bin").arg(server.port());
    server.setConfig(
        QJsonObject{{QStringLiteral("assets"),
                     QJsonObject{{QStringLiteral("redir.bin"),
                                  QJsonObject{{QStringLiteral("redirect_to"), foreign}}}}}});
    NetworkConfig c = config();
    c.setToken(QStringLiteral("s3cret"));
    DownloadOptions o = options(QUrl(server.url() + QStringLiteral("/assets/redir.bin")),
                                QStringLiteral("redir.bin"));
    o.sendGithubToken = true;
    o.headers = {{"Authorization", "Bearer other"}, {"X-Custom", "kept"}};
    DownloadJob job(o, c);
    job.start();
    ASSERT_TRUE(job.waitForFinished(30000));
    ASSERT_FALSE(job.error()) << job.error()->text().toStdString();
    EXPECT_EQ(readFile(o.destination), data);
    const auto first = gets(QStringLiteral("/assets/redir.bin"));
    const auto second = gets(QStringLiteral("/assets/target.bin"));
    ASSERT_EQ(first.size(), 1);
    ASSERT_EQ(second.size(), 1);
    EXPECT_FALSE(header(first[0], QStringLiteral("Authorization")).isEmpty());
    EXPECT_EQ(header(second[0], QStringLiteral("Host")),
              QStringLiteral("localhost:%1").arg(server.port()));
    EXPECT_TRUE(header(second[0], QStringLiteral("Authorization")).isEmpty())
        << "credentials leaked to another host";
    EXPECT_EQ(header(second[0], QStringLiteral("X-Custom")), QStringLiteral("kept"));
    EXPECT_EQ(job.result().finalUrl.host(), QStringLiteral("localhost"));
}

TEST_F(Download, SecondDownloaderOfTheSameFileReportsBusy)
{
    const QByteArray data = pseudoRandom(1000, 22);
    DownloadOptions o =
        options(asset(QStringLiteral("lock.bin"), data), QStringLiteral("lock.bin"));
    o.lockWaitMs = 300;
    QLockFile other(Sidecar(hub).lockPath(DownloadJob::stateKey(o.destination)));
    ASSERT_TRUE(other.tryLock(0));
    DownloadJob busy(o, config());
    busy.start();
    ASSERT_TRUE(busy.waitForFinished(10000));
    ASSERT_TRUE(busy.error());
    EXPECT_EQ(busy.error()->code, Error::Code::Busy) << busy.error()->text().toStdString();
    EXPECT_TRUE(gets(QStringLiteral("/assets/lock.bin")).isEmpty());
    other.unlock();
    DownloadJob ok(o, config());
    ok.start();
    ASSERT_TRUE(ok.waitForFinished(10000));
    EXPECT_FALSE(ok.error());
    EXPECT_EQ(readFile(o.destination), data);
}

TEST_F(Download, PauseKeepsThePartialAndResumeContinuesWithRange)
{
    const QByteArray data = pseudoRandom(600000, 23);
    const QUrl url = asset(QStringLiteral("pause.bin"), data);
    server.setConfig(
        QJsonObject{{QStringLiteral("assets"),
                     QJsonObject{{QStringLiteral("pause.bin"),
                                  QJsonObject{{QStringLiteral("stall"), 20},
                                              {QStringLiteral("stall_after"), 250000}}}}}});
    DownloadJob job(options(url, QStringLiteral("pause.bin")), config(30000));
    bool finished = false;
    QObject::connect(&job, &Job::finished, [&] { finished = true; });
    job.start();
    ASSERT_TRUE(waitUntil([&] { return job.bytesDone() >= 250000; }));
    job.pause();
    EXPECT_EQ(job.state(), Job::State::Paused);
    EXPECT_FALSE(finished);
    EXPECT_FALSE(job.isHashThreadRunning()); // a paused job holds no thread
    const QString partial = job.partialPath();
    EXPECT_EQ(QFileInfo(partial).size(), 250000);
    job.resume();
    ASSERT_TRUE(job.waitForFinished(30000));
    ASSERT_FALSE(job.error()) << job.error()->text().toStdString();
    EXPECT_EQ(readFile(hub + QStringLiteral("/checkpoints/pause.bin")), data);
    // The partial re-hashed on resume plus the rest: the digest of the whole file.
    EXPECT_EQ(job.result().sha256, sha256Hex(data));
    EXPECT_EQ(job.result().resumedFrom, 250000);
    const auto reqs = gets(QStringLiteral("/assets/pause.bin"));
    ASSERT_EQ(reqs.size(), 2);
    EXPECT_EQ(header(reqs[1], QStringLiteral("Range")), QStringLiteral("bytes=250000-"));
}

TEST_F(Download, CancelRemovesThePartial)
{
    const QByteArray data = pseudoRandom(600000, 24);
    const QUrl url = asset(QStringLiteral("cancel.bin"), data);
    server.setConfig(
        QJsonObject{{QStringLiteral("assets"),
                     QJsonObject{{QStringLiteral("cancel.bin"),
                                  QJsonObject{{QStringLiteral("stall"), 20},
                                              {QStringLiteral("stall_after"), 100000}}}}}});
    DownloadJob job(options(url, QStringLiteral("cancel.bin")), config(30000));
    job.start();
    ASSERT_TRUE(waitUntil([&] { return job.bytesDone() >= 100000; }));
    EXPECT_TRUE(QFileInfo::exists(job.partialPath()));
    EXPECT_TRUE(job.isHashThreadRunning());
    job.cancel();
    ASSERT_TRUE(job.isFinished());
    EXPECT_EQ(job.error()->code, Error::Code::Cancelled);
    EXPECT_FALSE(job.isHashThreadRunning()); // cancel does not leave the hash thread behind
    EXPECT_FALSE(QFileInfo::exists(job.partialPath()));
    EXPECT_FALSE(QFileInfo::exists(job.options().destination));
    EXPECT_FALSE(Sidecar(hub).readJson(QStringLiteral("downloads"),
                                       DownloadJob::stateKey(job.options().destination)));
}

TEST_F(Download, QueueRunsAtMostTheLimitAtOnce)
{
    QJsonObject faults;
    for (int i = 0; i < 5; ++i)
        faults.insert(
            QStringLiteral("q%1.bin").arg(i),
            QJsonObject{{QStringLiteral("stall"), 0.4}, {QStringLiteral("stall_after"), 1}});
    server.setConfig(QJsonObject{{QStringLiteral("assets"), faults}});
    DownloadQueue queue;
    queue.setMaxConcurrent(2);
    EXPECT_EQ(DownloadQueue().maxConcurrent(), 3);
    int maxRunning = 0;
    QList<DownloadJob *> jobs;
    for (int i = 0; i < 5; ++i) {
        const QString name = QStringLiteral("q%1.bin").arg(i);
        auto *job =
            new DownloadJob(options(asset(name, pseudoRandom(50000, 30 + i)), name), config());
        QObject::connect(job, &Job::stateChanged,
                         [&] { maxRunning = qMax(maxRunning, queue.runningCount()); });
        jobs << job;
        queue.add(job);
    }
    EXPECT_EQ(queue.runningCount(), 2);
    EXPECT_EQ(queue.queuedCount(), 3);
    bool all = false;
    QObject::connect(&queue, &DownloadQueue::allFinished, [&] { all = true; });
    ASSERT_TRUE(waitUntil([&] { return all; }, 30000));
    EXPECT_EQ(maxRunning, 2);
    for (DownloadJob *j : jobs)
        EXPECT_EQ(j->state(), Job::State::Succeeded)
            << (j->error() ? j->error()->text().toStdString() : "");
}

TEST_F(Download, QueuePauseFreesTheSlotAndResumeRequeues)
{
    const QByteArray slow = pseudoRandom(300000, 40);
    server.setConfig(
        QJsonObject{{QStringLiteral("assets"),
                     QJsonObject{{QStringLiteral("slow.bin"),
                                  QJsonObject{{QStringLiteral("stall"), 20},
                                              {QStringLiteral("stall_after"), 100000}}}}}});
    DownloadQueue queue;
    queue.setMaxConcurrent(1);
    auto *a = new DownloadJob(
        options(asset(QStringLiteral("slow.bin"), slow), QStringLiteral("slow.bin")),
        config(30000));
    auto *b = new DownloadJob(options(asset(QStringLiteral("fast.bin"), pseudoRandom(1000, 41)),
                                      QStringLiteral("fast.bin")),
                              config());
    queue.add(a);
    queue.add(b);
    EXPECT_EQ(b->state(), Job::State::Queued);
    ASSERT_TRUE(waitUntil([&] { return a->bytesDone() >= 100000; }));
    queue.pause(a);
    EXPECT_EQ(a->state(), Job::State::Paused);
    ASSERT_TRUE(waitUntil([&] { return b->isFinished(); }));
    EXPECT_EQ(b->state(), Job::State::Succeeded);
    queue.resume(a);
    ASSERT_TRUE(a->waitForFinished(30000));
    EXPECT_EQ(a->state(), Job::State::Succeeded)
        << (a->error() ? a->error()->text().toStdString() : "");
    EXPECT_EQ(readFile(a->options().destination), slow);
}

TEST_F(Download, QueuePausesAWaitingJobAndResumeRequeuesIt)
{
    server.setConfig(
        QJsonObject{{QStringLiteral("assets"),
                     QJsonObject{{QStringLiteral("first.bin"),
                                  QJsonObject{{QStringLiteral("stall"), 0.5},
                                              {QStringLiteral("stall_after"), 1000}}}}}});
    DownloadQueue queue;
    queue.setMaxConcurrent(1);
    const QByteArray second = pseudoRandom(3000, 44);
    auto *a = new DownloadJob(options(asset(QStringLiteral("first.bin"), pseudoRandom(5000, 43)),
                                      QStringLiteral("first.bin")),
                              config());
    auto *b = new DownloadJob(
        options(asset(QStringLiteral("second.bin"), second), QStringLiteral("second.bin")),
        config());
    queue.add(a);
    queue.add(b);
    ASSERT_EQ(b->state(), Job::State::Queued);

    // A job that never ran: paused, it leaves the queue and is not started when a slot frees.
    queue.pause(b);
    EXPECT_EQ(b->state(), Job::State::Paused);
    EXPECT_EQ(queue.queuedCount(), 0);
    ASSERT_TRUE(a->waitForFinished(30000));
    QCoreApplication::processEvents(); // the queue schedules after a finish
    EXPECT_EQ(b->state(), Job::State::Paused);
    EXPECT_EQ(queue.runningCount(), 0);

    // Resumed, it waits for a slot (Queued) and then starts for the first time.
    queue.resume(b);
    ASSERT_TRUE(b->waitForFinished(30000));
    EXPECT_EQ(b->state(), Job::State::Succeeded)
        << (b->error() ? b->error()->text().toStdString() : "");
    EXPECT_EQ(readFile(b->options().destination), second);
}

TEST_F(Download, UnansweredRequestHitsTheConnectTimeoutAndIsRetried)
{
    const QByteArray data = pseudoRandom(20000, 42);
    const QUrl url = asset(QStringLiteral("slowstart.bin"), data);
    server.setConfig(
        QJsonObject{{QStringLiteral("assets"),
                     QJsonObject{{QStringLiteral("slowstart.bin"),
                                  QJsonObject{{QStringLiteral("delay_headers"), 5}}}}}});
    NetworkConfig c = config();
    c.setConnectTimeoutMs(400);
    DownloadJob job(options(url, QStringLiteral("slowstart.bin")), c);
    QStringList texts;
    QObject::connect(&job, &Job::progress, [&](qint64, qint64, const QString &t) { texts << t; });
    job.start();
    ASSERT_TRUE(job.waitForFinished(30000));
    ASSERT_FALSE(job.error()) << job.error()->text().toStdString();
    EXPECT_EQ(job.result().attempts, 2);
    EXPECT_EQ(readFile(job.options().destination), data);
    EXPECT_TRUE(texts.join(u'\n').contains(u"could not connect"))
        << texts.join(u'\n').toStdString();

    // Every attempt unanswered: an Offline error that says what to check.
    server.setConfig(
        QJsonObject{{QStringLiteral("assets"),
                     QJsonObject{{QStringLiteral("never.bin"),
                                  QJsonObject{{QStringLiteral("delay_headers"), 5},
                                              {QStringLiteral("delay_times"), 99}}}}}});
    DownloadOptions o =
        options(asset(QStringLiteral("never.bin"), data), QStringLiteral("never.bin"));
    o.maxAttempts = 2;
    DownloadJob never(o, c);
    never.start();
    ASSERT_TRUE(never.waitForFinished(30000));
    ASSERT_TRUE(never.error());
    EXPECT_EQ(never.error()->code, Error::Code::Offline) << never.error()->text().toStdString();
    EXPECT_TRUE(never.error()->message.contains(u"proxy")) << never.error()->message.toStdString();
}

TEST_F(Download, ConnectionRefusedSaysOffline)
{
    // Port 9 (discard) on loopback: nothing listens there in the test environment.
    DownloadOptions o =
        options(QUrl(QStringLiteral("http://127.0.0.1:9/w.pth")), QStringLiteral("w.pth"));
    DownloadJob job(o, config());
    job.start();
    ASSERT_TRUE(job.waitForFinished(30000));
    ASSERT_TRUE(job.error());
    EXPECT_EQ(job.error()->code, Error::Code::Offline) << job.error()->text().toStdString();
    EXPECT_TRUE(job.error()->message.contains(u"no network connection"))
        << job.error()->message.toStdString();
    EXPECT_EQ(job.attempt(), 1) << "an unreachable host is not retried";
    EXPECT_TRUE(partials(hub + QStringLiteral("/checkpoints")).isEmpty());
}
