#include "tests/net/netfixture.h"

#include "core/cache/sidecar.h"
#include "core/net/checkpointdownload.h"

using namespace hubcap;
using namespace hubcap::test;

namespace {

class Checkpoint : public NetFixture
{
protected:
    CheckpointRequest request(const QUrl &url) const
    {
        CheckpointRequest r;
        r.url = url;
        r.hubDir = hub;
        r.retryBaseDelayMs = 20;
        return r;
    }

    std::unique_ptr<CheckpointDownloadJob> run(const CheckpointRequest &r)
    {
        auto job = std::make_unique<CheckpointDownloadJob>(r, config());
        job->start();
        EXPECT_TRUE(job->waitForFinished(30000));
        return job;
    }

    /// A zip made by Python's zipfile with the given members (name → content).
    QByteArray makeZip(const QList<QPair<QString, QByteArray>> &members)
    {
        const QString out = tmp.path() + QStringLiteral("/made.zip");
        QString script = QStringLiteral("import zipfile, base64\nz = zipfile.ZipFile(%1, 'w')\n")
                             .arg(QStringLiteral("'") + out + QStringLiteral("'"));
        for (const auto &[name, data] : members)
            script += QStringLiteral("z.writestr(%1, base64.b64decode('%2'))\n")
                          .arg(QStringLiteral("'") + name + QStringLiteral("'"),
                               QString::fromLatin1(data.toBase64()));
        script += QStringLiteral("z.close()\n");
        const auto r = runPython(script);
        EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
        return readFile(out);
    }
};

} // namespace

TEST(HashRegex, FirstMatchAsTorchHubTakesIt)
{
    // File names and hash prefixes as torch.hub.HASH_REGEX (r"-([a-f0-9]*)\.") derives them.
    EXPECT_EQ(hashPrefixFromName(QStringLiteral("resnet18-5c106cde.pth")),
              QStringLiteral("5c106cde"));
    EXPECT_EQ(hashPrefixFromName(QStringLiteral("detr-r50-dc5-f0fb7ef5.pth")),
              QStringLiteral("f0fb7ef5"));
    EXPECT_EQ(hashPrefixFromName(QStringLiteral("dpt_large-midas-2f21e586.pt")),
              QStringLiteral("2f21e586"));
    EXPECT_EQ(hashPrefixFromName(QStringLiteral("weights.pth")), std::nullopt);
    EXPECT_EQ(hashPrefixFromName(QStringLiteral("weights-.pth")), QString());
    EXPECT_EQ(hashPrefixFromName(QStringLiteral("vit-b-16.pth")), QStringLiteral("16"));
    EXPECT_EQ(hashPrefixFromName(QStringLiteral("a-b.c-deadbeef.pth")), QStringLiteral("b"));
}

TEST(Placement, LoadStateDictFromUrlRules)
{
    CheckpointRequest r;
    r.hubDir = QStringLiteral("/h/hub");
    r.url =
        QUrl(QStringLiteral("https://download.example/models/resnet18-5c106cde.pth?raw=1#frag"));
    auto p = placeCheckpoint(r);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->modelDir, QStringLiteral("/h/hub/checkpoints"));
    EXPECT_EQ(p->fileName, QStringLiteral("resnet18-5c106cde.pth")); // query and fragment dropped
    EXPECT_EQ(p->path, QStringLiteral("/h/hub/checkpoints/resnet18-5c106cde.pth"));
    r.fileName = QStringLiteral("mine.pth");
    r.modelDir = QStringLiteral("/elsewhere");
    p = placeCheckpoint(r);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->path, QStringLiteral("/elsewhere/mine.pth"));
    r.fileName = QStringLiteral("../x.pth");
    EXPECT_FALSE(placeCheckpoint(r));
    r.fileName.reset();
    r.url = QUrl(QStringLiteral("https://download.example/models/"));
    EXPECT_FALSE(placeCheckpoint(r));
    // Percent-escapes stay as in the URL path, like os.path.basename(urlparse(url).path).
    r.url = QUrl(QStringLiteral("https://h/a%20b.pth"));
    EXPECT_EQ(placeCheckpoint(r)->fileName, QStringLiteral("a%20b.pth"));
}

TEST_F(Checkpoint, DownloadsIntoCheckpointsWithQueryDroppedAndRecordsProvenance)
{
    const QByteArray data = pseudoRandom(200000, 50);
    const QString sha = sha256Hex(data);
    const QString name = QStringLiteral("net-%1.pth").arg(sha.left(8));
    asset(name, data);
    CheckpointRequest r = request(
        QUrl(server.url() + QStringLiteral("/assets/") + name + QStringLiteral("?x=1&token=t0k")));
    r.checkHash = true;
    r.repo = QStringLiteral("owner/repo:main");
    auto job = run(r);
    ASSERT_FALSE(job->error()) << job->error()->text().toStdString();
    const QString path = hub + QStringLiteral("/checkpoints/") + name;
    EXPECT_EQ(job->result().path, path);
    EXPECT_EQ(readFile(path), data);
    EXPECT_TRUE(job->result().verified);
    EXPECT_EQ(job->result().expectedPrefix, sha.left(8));
    EXPECT_FALSE(job->result().fromCache);
    const auto rec = Sidecar(hub).checkpoint(name);
    ASSERT_TRUE(rec);
    EXPECT_EQ(rec->sha256, sha);
    EXPECT_EQ(rec->size, data.size());
    EXPECT_EQ(rec->repo, QStringLiteral("owner/repo:main"));
    EXPECT_TRUE(rec->downloadedAt.isValid());
    EXPECT_FALSE(rec->url.contains(u"t0k")) << "credentials in a URL are not recorded";
}

TEST_F(Checkpoint, ExistingFileIsUsedWithoutNetworkAndVerifiedOnRequest)
{
    const QByteArray data = pseudoRandom(3000, 51);
    const QString name = QStringLiteral("cached-%1.pth").arg(sha256Hex(data).left(8));
    writeFile(hub + QStringLiteral("/checkpoints/") + name, data);
    CheckpointRequest r = request(QUrl(server.url() + QStringLiteral("/assets/") + name));
    auto plain = run(r);
    ASSERT_FALSE(plain->error());
    EXPECT_TRUE(plain->result().fromCache);
    EXPECT_FALSE(plain->result().verified);
    r.checkHash = true;
    auto checked = run(r);
    ASSERT_FALSE(checked->error());
    EXPECT_TRUE(checked->result().fromCache);
    EXPECT_TRUE(checked->result().verified);
    EXPECT_EQ(checked->result().sha256, sha256Hex(data));
    EXPECT_TRUE(gets(QStringLiteral("/assets/")).isEmpty()) << "no network for a cached file";

    // A cached file whose content does not match its name: torch.hub would load it silently.
    const QString badName = QStringLiteral("bad-0123abcd.pth");
    writeFile(hub + QStringLiteral("/checkpoints/") + badName, data);
    CheckpointRequest rb = request(QUrl(server.url() + QStringLiteral("/assets/") + badName));
    rb.checkHash = true;
    auto bad = run(rb);
    ASSERT_TRUE(bad->error());
    EXPECT_EQ(bad->error()->code, Error::Code::Integrity);
    EXPECT_TRUE(bad->error()->message.contains(u"0123abcd"));
    EXPECT_TRUE(QFileInfo::exists(hub + QStringLiteral("/checkpoints/") + badName))
        << "the user's file is left alone";
    EXPECT_TRUE(gets(QStringLiteral("/assets/")).isEmpty());
}

TEST_F(Checkpoint, NamesWithoutOrWithAShortHashAreReportedUnverifiable)
{
    for (const QString &name : {QStringLiteral("weights.pth"), QStringLiteral("vit-b-16.pth")}) {
        asset(name, pseudoRandom(1000, 52));
        CheckpointRequest r = request(QUrl(server.url() + QStringLiteral("/assets/") + name));
        r.checkHash = true;
        auto job = run(r);
        ASSERT_FALSE(job->error())
            << name.toStdString() << ": " << job->error()->text().toStdString();
        EXPECT_FALSE(job->result().verified) << name.toStdString();
        EXPECT_FALSE(job->result().unverifiable.isEmpty()) << name.toStdString();
        EXPECT_TRUE(job->result().unverifiable.contains(name))
            << job->result().unverifiable.toStdString();
    }
}

TEST_F(Checkpoint, ExplicitHashPrefixIsChecked)
{
    const QByteArray data = pseudoRandom(1000, 53);
    asset(QStringLiteral("plain.pth"), data);
    CheckpointRequest r = request(QUrl(server.url() + QStringLiteral("/assets/plain.pth")));
    r.hashPrefix = QStringLiteral("ffffffff");
    auto bad = run(r);
    ASSERT_TRUE(bad->error());
    EXPECT_EQ(bad->error()->code, Error::Code::Integrity);
    EXPECT_FALSE(QFileInfo::exists(hub + QStringLiteral("/checkpoints/plain.pth")));
    r.hashPrefix = sha256Hex(data).left(12);
    auto good = run(r);
    ASSERT_FALSE(good->error());
    EXPECT_TRUE(good->result().verified);
    r.hashPrefix = QStringLiteral("xyz");
    auto invalid = run(r);
    ASSERT_TRUE(invalid->error());
    EXPECT_EQ(invalid->error()->code, Error::Code::InvalidArgument);
}

TEST_F(Checkpoint, TwoUrlsForOneNameAreRecordedAndWarned)
{
    asset(QStringLiteral("a/resnet50.pth"), pseudoRandom(1000, 54));
    asset(QStringLiteral("b/resnet50.pth"), pseudoRandom(1000, 55));
    const QString urlA = server.url() + QStringLiteral("/assets/a/resnet50.pth");
    const QString urlB = server.url() + QStringLiteral("/assets/b/resnet50.pth");
    auto first = run(request(QUrl(urlA)));
    ASSERT_FALSE(first->error());
    EXPECT_TRUE(first->result().warnings.isEmpty());
    auto second = run(request(QUrl(urlB)));
    ASSERT_FALSE(second->error());
    EXPECT_TRUE(second->result().fromCache) << "torch.hub uses the existing file for the other URL";
    ASSERT_EQ(second->result().warnings.size(), 1);
    EXPECT_TRUE(second->result().warnings[0].contains(urlA));
    const auto rec = Sidecar(hub).checkpoint(QStringLiteral("resnet50.pth"));
    ASSERT_TRUE(rec);
    EXPECT_EQ(rec->url, urlA);
    EXPECT_EQ(rec->otherUrls, QStringList{urlB});
    EXPECT_EQ(gets(QStringLiteral("/assets/b/")).size(), 0);
}

TEST_F(Checkpoint, LegacySingleFileZipIsExtractedBesideIt)
{
    const QByteArray inner = pseudoRandom(5000, 56);
    asset(QStringLiteral("legacy.pth"), makeZip({{QStringLiteral("legacy_inner.pt"), inner}}));
    auto job = run(request(QUrl(server.url() + QStringLiteral("/assets/legacy.pth"))));
    ASSERT_FALSE(job->error()) << job->error()->text().toStdString();
    const QString extracted = hub + QStringLiteral("/checkpoints/legacy_inner.pt");
    EXPECT_EQ(job->result().extractedPath, extracted);
    EXPECT_EQ(readFile(extracted), inner);
    EXPECT_TRUE(QFileInfo::exists(hub + QStringLiteral("/checkpoints/legacy.pth")));

    // A modern torch.save zip has several members: not legacy, nothing extracted.
    asset(QStringLiteral("modern.pth"), makeZip({{QStringLiteral("archive/data.pkl"), "x"},
                                                 {QStringLiteral("archive/version"), "3"}}));
    auto modern = run(request(QUrl(server.url() + QStringLiteral("/assets/modern.pth"))));
    ASSERT_FALSE(modern->error());
    EXPECT_TRUE(modern->result().extractedPath.isEmpty());
    EXPECT_FALSE(QFileInfo::exists(hub + QStringLiteral("/checkpoints/archive")));
}

TEST_F(Checkpoint, LegacyZipWithAnUnsafeMemberIsRefused)
{
    asset(QStringLiteral("evil.pth"), makeZip({{QStringLiteral("../evil_outside.pt"), "boom"}}));
    auto job = run(request(QUrl(server.url() + QStringLiteral("/assets/evil.pth"))));
    EXPECT_FALSE(QFileInfo::exists(hub + QStringLiteral("/evil_outside.pt")));
    EXPECT_FALSE(QFileInfo::exists(tmp.path() + QStringLiteral("/evil_outside.pt")));
    ASSERT_TRUE(job->error());
    EXPECT_EQ(job->error()->code, Error::Code::Integrity) << job->error()->text().toStdString();
    EXPECT_TRUE(job->error()->message.contains(u"../evil_outside.pt"))
        << job->error()->message.toStdString();
}
