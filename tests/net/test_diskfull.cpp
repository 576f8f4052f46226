// Issue 13.8: a full disk is named as such (how much was needed, how much is free, where), found
// before writing when the size is known, and leaves the cache as it was. Runs on a 2 MiB tmpfs
// (needs root; skipped otherwise).
#include "tests/net/netfixture.h"

#include <QDirIterator>
#include <QStorageInfo>

#include <memory>

using namespace hubcap;
using namespace hubcap::test;

namespace {

class DiskFull : public NetFixture
{
protected:
    void SetUp() override
    {
        NetFixture::SetUp();
        mount = std::make_unique<TmpfsMount>(tmp.path() + QStringLiteral("/small"),
                                             QStringLiteral("2m"));
        if (!mount->ok())
            GTEST_SKIP() << mount->why().toStdString();
        hub = mount->path() + QStringLiteral("/hub");
        QDir().mkpath(hub + QStringLiteral("/checkpoints"));
    }
    void TearDown() override { mount.reset(); }

    QStringList everything() const
    {
        QStringList out;
        QDirIterator it(hub, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden,
                        QDirIterator::Subdirectories);
        while (it.hasNext())
            out << it.next().mid(hub.size());
        out.sort();
        return out;
    }

    std::unique_ptr<TmpfsMount> mount;
};

} // namespace

TEST_F(DiskFull, AKnownSizeThatDoesNotFitFailsBeforeWriting)
{
    const QByteArray data = pseudoRandom(3 * 1024 * 1024, 41);
    DownloadJob job(options(asset(QStringLiteral("big.bin"), data), QStringLiteral("big.bin")),
                    config());
    const QStringList before = everything();
    job.start();
    ASSERT_TRUE(job.waitForFinished(30000));
    ASSERT_TRUE(job.error());
    const Error &e = *job.error();
    EXPECT_EQ(e.code, Error::Code::Io);
    EXPECT_TRUE(e.message.contains(u"No space left on the device")) << e.message.toStdString();
    EXPECT_TRUE(e.message.contains(u"3.00 MiB")) << e.message.toStdString();
    EXPECT_TRUE(e.message.contains(mount->path())) << e.message.toStdString();
    EXPECT_FALSE(e.message.contains(u"Unknown error"));
    EXPECT_TRUE(partials(hub + QStringLiteral("/checkpoints")).isEmpty());
    EXPECT_FALSE(QFileInfo::exists(hub + QStringLiteral("/checkpoints/big.bin")));
    // The cache is as it was (the lock file came and went).
    QStringList after = everything();
    after.removeIf([](const QString &p) { return p.startsWith(u"/.hubcap"); });
    EXPECT_EQ(after, before);
    EXPECT_GT(QStorageInfo(hub).bytesAvailable(), 1024 * 1024) << "nothing was written";
}

TEST_F(DiskFull, AnUnknownSizeThatRunsOutOfSpaceNamesTheCause)
{
    const QByteArray data = pseudoRandom(3 * 1024 * 1024, 43);
    const QUrl url = asset(QStringLiteral("nolen.bin"), data);
    server.setConfig(
        QJsonObject{{QStringLiteral("assets"),
                     QJsonObject{{QStringLiteral("nolen.bin"),
                                  QJsonObject{{QStringLiteral("no_content_length"), true}}}}}});
    DownloadOptions o = options(url, QStringLiteral("nolen.bin"));
    o.maxAttempts = 1;
    DownloadJob job(o, config());
    job.start();
    ASSERT_TRUE(job.waitForFinished(30000));
    ASSERT_TRUE(job.error());
    const Error &e = *job.error();
    EXPECT_EQ(e.code, Error::Code::Io);
    EXPECT_TRUE(e.message.contains(u"No space left on the device")) << e.message.toStdString();
    EXPECT_TRUE(e.message.contains(mount->path())) << e.message.toStdString();
    EXPECT_TRUE(partials(hub + QStringLiteral("/checkpoints")).isEmpty())
        << "the partial this run started is removed";
    EXPECT_FALSE(QFileInfo::exists(hub + QStringLiteral("/checkpoints/nolen.bin")));
    EXPECT_GT(QStorageInfo(hub).bytesAvailable(), 1024 * 1024) << "the space is given back";
}
