#include "core/cache/inventory.h"
#include "core/cache/sidecar.h"

#include "tests/support/testsupport.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSemaphore>
#include <QTemporaryDir>
#include <QThread>

#include <atomic>

#include <unistd.h>

using namespace hubcap;
using hubcap::test::writeFile;

namespace {

void app()
{
    static int argc = 1;
    static char arg0[] = "test_cache";
    static char *argv[] = {arg0, nullptr};
    if (!QCoreApplication::instance())
        new QCoreApplication(argc, argv);
}

struct InventoryFixture : ::testing::Test
{
    QTemporaryDir tmp;
    QString hub() const { return tmp.path() + QStringLiteral("/hub"); }
    void file(const QString &rel, qsizetype bytes)
    {
        writeFile(hub() + u'/' + rel, QByteArray(bytes, 'x'));
    }
    void dir(const QString &rel) { QDir().mkpath(hub() + u'/' + rel); }

    CacheInventory scan()
    {
        auto r = scanCache(hub());
        EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message.toStdString());
        return r.value_or(CacheInventory{});
    }
};

const CachedCheckpoint *findCheckpoint(const CacheInventory &inv, const QString &name)
{
    for (const auto &c : inv.checkpoints)
        if (c.name == name)
            return &c;
    return nullptr;
}

const Leftover *findLeftover(const CacheInventory &inv, const QString &path)
{
    for (const auto &l : inv.leftovers)
        if (l.path == path)
            return &l;
    return nullptr;
}

} // namespace

TEST(HashPrefix, MatchesTorchHashRegexExamples)
{
    // behaviour doc §5: HASH_REGEX = r'-([a-f0-9]*)\.', first match.
    EXPECT_EQ(hashPrefixOf(QStringLiteral("resnet18-5c106cde.pth")), u"5c106cde");
    EXPECT_EQ(hashPrefixOf(QStringLiteral("detr-r50-dc5-f0fb7ef5.pth")), u"f0fb7ef5");
    EXPECT_EQ(hashPrefixOf(QStringLiteral("dpt_large-midas-2f21e586.pt")), u"2f21e586");
    EXPECT_TRUE(hashPrefixOf(QStringLiteral("weights.pth")).isNull());
    const QString empty = hashPrefixOf(QStringLiteral("weights-.pth"));
    EXPECT_FALSE(empty.isNull());
    EXPECT_TRUE(empty.isEmpty());
    EXPECT_EQ(hashPrefixOf(QStringLiteral("vit-b-16.pth")), u"16");
    EXPECT_EQ(hashPrefixOf(QStringLiteral("a-b.c-deadbeef.pth")), u"b");
    EXPECT_TRUE(hashPrefixOf(QStringLiteral("UPPER-DEADBEEF.pth")).isNull()); // lower-case hex only
}

TEST(ExtractedFolder, RecognisesGithubTopFoldersOnly)
{
    EXPECT_TRUE(looksLikeExtractedTopFolder(QStringLiteral("intel-isl-MiDaS-1645b7e")));
    EXPECT_TRUE(
        looksLikeExtractedTopFolder(QStringLiteral("facebookresearch-pytorch_GAN-b61a7f2")));
    EXPECT_FALSE(looksLikeExtractedTopFolder(QStringLiteral("pytorch_vision_main")));
    EXPECT_FALSE(
        looksLikeExtractedTopFolder(QStringLiteral("a_b_v1-1234567"))); // two '_': a repo folder
    EXPECT_FALSE(looksLikeExtractedTopFolder(QStringLiteral("owner-repo-XYZ1234")));
}

TEST_F(InventoryFixture, MissingHubDirIsEmptyNotAnError)
{
    auto inv = scan();
    EXPECT_FALSE(inv.exists);
    EXPECT_TRUE(inv.repos.isEmpty());
    EXPECT_EQ(inv.totalBytes, 0);
    EXPECT_GE(inv.freeBytes, 0);
    EXPECT_FALSE(QFileInfo::exists(hub())); // scanning creates nothing
}

TEST_F(InventoryFixture, FullLayout)
{
    // Repositories, identified four ways.
    file(QStringLiteral("pytorch_vision_main/hubconf.py"), 100);
    file(QStringLiteral("pytorch_vision_main/models/a.py"), 900);
    file(QStringLiteral("someone_my_repo_ci_test/hubconf.py"),
         50); // known only through the sidecar
    Sidecar(hub()).putRepo(RepoRecord{QStringLiteral("someone_my_repo_ci_test"),
                                      QStringLiteral("someone"),
                                      QStringLiteral("my_repo"),
                                      QStringLiteral("ci/test"),
                                      QStringLiteral("0123456789abcdef0123456789abcdef01234567"),
                                      {},
                                      {}});
    file(QStringLiteral("trusty_repo_feature_x/hubconf.py"),
         20); // trusted_list "trusty_repo" prefixes it
    file(QStringLiteral("trusty_repo_v2/hubconf.py"), 10);
    file(QStringLiteral("a_b_c_main/hubconf.py"), 30); // a_b/c? a/b_c? unknown
    writeFile(hub() + QStringLiteral("/trusted_list"), "trusty_repo\n");
    // Checkpoints.
    file(QStringLiteral("checkpoints/resnet18-f37072fd.pth"), 4000);
    file(QStringLiteral("checkpoints/weights.pth"), 3000);
    file(QStringLiteral("checkpoints/weights-.pth"), 10);
    Sidecar(hub()).putCheckpoint(CheckpointRecord{QStringLiteral("weights.pth"),
                                                  QStringLiteral("https://x/weights.pth"),
                                                  {},
                                                  3000,
                                                  {},
                                                  {},
                                                  {},
                                                  {}});
    // Leftovers of every kind.
    file(QStringLiteral(
             "checkpoints/resnet50-0676ba61.pth.0123456789abcdef0123456789abcdef.partial"),
         7);
    file(QStringLiteral("checkpoints/tmpab_d1234"), 6);
    file(QStringLiteral("main.zip"), 5);
    file(QStringLiteral("intel-isl-MiDaS-1645b7e/hubconf.py"), 4);
    file(QStringLiteral(".hubcap/tmp/dl-1/part"), 3);
    // Not torch's, not listed.
    file(QStringLiteral("notes.txt"), 1000);

    const CacheInventory inv = scan();
    ASSERT_TRUE(inv.exists);
    EXPECT_TRUE(inv.problems.isEmpty());
    ASSERT_EQ(inv.repos.size(), 5);
    // Largest first.
    EXPECT_EQ(inv.repos[0].dir, u"pytorch_vision_main");
    for (qsizetype i = 1; i < inv.repos.size(); ++i)
        EXPECT_GE(inv.repos[i - 1].bytes, inv.repos[i].bytes);

    const CachedRepo *v = inv.findRepo(QStringLiteral("pytorch_vision_main"));
    ASSERT_TRUE(v);
    EXPECT_EQ(v->identity, RepoIdentity::FolderName);
    EXPECT_EQ(v->owner, u"pytorch");
    EXPECT_EQ(v->repo, u"vision");
    EXPECT_EQ(v->ref, u"main");
    EXPECT_EQ(v->bytes, 1000);
    EXPECT_EQ(v->files, 2);
    EXPECT_TRUE(v->modified.isValid());
    EXPECT_EQ(v->trust.reason, TrustReason::TrustedOwner);

    const CachedRepo *s = inv.findRepo(QStringLiteral("someone_my_repo_ci_test"));
    ASSERT_TRUE(s);
    EXPECT_EQ(s->identity, RepoIdentity::Sidecar);
    EXPECT_EQ(s->repo, u"my_repo");
    EXPECT_EQ(s->ref, u"ci/test");
    EXPECT_EQ(s->commit, u"0123456789abcdef0123456789abcdef01234567");
    EXPECT_EQ(s->trust.reason, TrustReason::LegacyFolder);

    const CachedRepo *t = inv.findRepo(QStringLiteral("trusty_repo_feature_x"));
    ASSERT_TRUE(t);
    EXPECT_EQ(t->identity, RepoIdentity::TrustedList);
    EXPECT_EQ(t->owner, u"trusty");
    EXPECT_EQ(t->repo, u"repo");
    EXPECT_TRUE(t->ref.isNull()); // "feature_x" or "feature/x": not knowable
    EXPECT_EQ(t->trust.reason, TrustReason::TrustedList);
    EXPECT_EQ(inv.findRepo(QStringLiteral("trusty_repo_v2"))->identity, RepoIdentity::FolderName);

    const CachedRepo *u = inv.findRepo(QStringLiteral("a_b_c_main"));
    ASSERT_TRUE(u);
    EXPECT_EQ(u->identity, RepoIdentity::Unknown);
    EXPECT_TRUE(u->owner.isNull());
    EXPECT_TRUE(u->ref.isNull());
    EXPECT_EQ(u->displayName(), u"a_b_c_main");
    EXPECT_TRUE(u->trust.trusted()); // an existing folder is legacy-trusted

    ASSERT_EQ(inv.checkpoints.size(), 3);
    EXPECT_EQ(inv.checkpoints[0].name, u"resnet18-f37072fd.pth");
    EXPECT_EQ(inv.checkpoints[0].bytes, 4000);
    EXPECT_EQ(inv.checkpoints[0].hashPrefix, u"f37072fd");
    const CachedCheckpoint *w = findCheckpoint(inv, QStringLiteral("weights.pth"));
    ASSERT_TRUE(w);
    EXPECT_TRUE(w->hashPrefix.isNull());
    ASSERT_TRUE(w->provenance.has_value());
    EXPECT_EQ(w->provenance->url, u"https://x/weights.pth");
    EXPECT_TRUE(findCheckpoint(inv, QStringLiteral("weights-.pth"))->hashPrefix.isEmpty());

    ASSERT_EQ(inv.leftovers.size(), 5);
    EXPECT_EQ(
        findLeftover(
            inv, QStringLiteral(
                     "checkpoints/resnet50-0676ba61.pth.0123456789abcdef0123456789abcdef.partial"))
            ->kind,
        Leftover::Kind::Partial);
    EXPECT_EQ(findLeftover(inv, QStringLiteral("checkpoints/tmpab_d1234"))->kind,
              Leftover::Kind::TempFile);
    EXPECT_EQ(findLeftover(inv, QStringLiteral("main.zip"))->kind, Leftover::Kind::Zipball);
    const Leftover *x = findLeftover(inv, QStringLiteral("intel-isl-MiDaS-1645b7e"));
    ASSERT_TRUE(x);
    EXPECT_EQ(x->kind, Leftover::Kind::Extracted);
    EXPECT_EQ(x->bytes, 4);
    EXPECT_EQ(findLeftover(inv, QStringLiteral(".hubcap/tmp/dl-1"))->kind,
              Leftover::Kind::HubcapTemp);
    EXPECT_EQ(findLeftover(inv, QStringLiteral(".hubcap/tmp/dl-1"))->bytes, 3);

    EXPECT_EQ(inv.totalBytes, 1000 + 50 + 20 + 10 + 30 + 4000 + 3000 + 10 + 7 + 6 + 5 + 4 + 3);
    EXPECT_EQ(inv.trustedList, QStringList{QStringLiteral("trusty_repo")});

    // The JSON document of `cache ls --json`.
    const QJsonObject j = inv.toJson();
    EXPECT_EQ(j[u"hub_dir"].toString(), QDir(hub()).absolutePath());
    EXPECT_EQ(j[u"total_bytes"].toInteger(), inv.totalBytes);
    EXPECT_TRUE(j[u"free_bytes"].isDouble());
    const QJsonObject r0 = j[u"repos"].toArray()[0].toObject();
    for (const char *key : {"dir", "owner", "repo", "ref", "bytes", "files", "modified", "trusted"})
        EXPECT_TRUE(r0.contains(QLatin1String(key))) << key;
    EXPECT_TRUE(QDateTime::fromString(r0[u"modified"].toString(), Qt::ISODate).isValid());
    bool sawNullRef = false;
    for (const auto &r : j[u"repos"].toArray())
        if (r.toObject()[u"dir"].toString() == u"a_b_c_main")
            sawNullRef = r.toObject()[u"ref"].isNull() && r.toObject()[u"owner"].isNull();
    EXPECT_TRUE(sawNullRef);
    const QJsonObject c0 = j[u"checkpoints"].toArray()[0].toObject();
    EXPECT_EQ(c0[u"hash_prefix"].toString(), u"f37072fd");
    EXPECT_TRUE(j[u"leftovers"].toArray()[0].toObject().contains(u"kind"));
}

TEST_F(InventoryFixture, SidecarRecordForAnotherFolderIsIgnored)
{
    file(QStringLiteral("x_y_z_main/hubconf.py"), 1);
    // A stale or wrong record whose spec does not give this folder name is not believed.
    Sidecar(hub()).putRepo(RepoRecord{QStringLiteral("x_y_z_main"),
                                      QStringLiteral("x"),
                                      QStringLiteral("y"),
                                      QStringLiteral("other"),
                                      {},
                                      {},
                                      {}});
    EXPECT_EQ(scan().repos[0].identity, RepoIdentity::Unknown);
}

TEST_F(InventoryFixture, AmbiguousTrustedListPrefixesGiveNoIdentity)
{
    file(QStringLiteral("a_b_c_d_main/hubconf.py"), 1);
    writeFile(hub() + QStringLiteral("/trusted_list"), "a_b\na_b_c\n");
    const auto inv = scan();
    ASSERT_EQ(inv.repos.size(), 1);
    EXPECT_EQ(inv.repos[0].identity, RepoIdentity::Unknown);
    // One matching line with two '_' cannot say where owner ends either.
    writeFile(hub() + QStringLiteral("/trusted_list"), "a_b_c\n");
    EXPECT_EQ(scan().repos[0].identity, RepoIdentity::Unknown);
}

TEST_F(InventoryFixture, EmptyRefFolder)
{
    file(QStringLiteral("owner_repo_/hubconf.py"), 1);
    const auto inv = scan();
    ASSERT_EQ(inv.repos.size(), 1);
    EXPECT_EQ(inv.repos[0].identity, RepoIdentity::FolderName);
    EXPECT_FALSE(inv.repos[0].ref.isNull());
    EXPECT_TRUE(inv.repos[0].ref.isEmpty());
    EXPECT_EQ(inv.repos[0].displayName(), u"owner/repo:");
}

TEST_F(InventoryFixture, SymlinksAreNotFollowed)
{
    const QString outside = tmp.path() + QStringLiteral("/outside");
    writeFile(outside + QStringLiteral("/big.bin"), QByteArray(50000, 'b'));
    writeFile(outside + QStringLiteral("/hubconf.py"), ""); // o_r_dirlink is a repository
    file(QStringLiteral("o_r_main/hubconf.py"), 10);
    ASSERT_TRUE(QFile::link(outside + QStringLiteral("/big.bin"),
                            hub() + QStringLiteral("/o_r_main/link.bin")));
    ASSERT_TRUE(QFile::link(outside, hub() + QStringLiteral("/o_r_dirlink")));
    ASSERT_TRUE(QFile::link(outside, hub() + QStringLiteral("/o_r_main/loop")));
    const auto inv = scan();
    const CachedRepo *r = inv.findRepo(QStringLiteral("o_r_main"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->files, 3);     // hubconf.py and two links
    EXPECT_LT(r->bytes, 10000); // the link sizes, not the 50000-byte target
    const CachedRepo *l = inv.findRepo(QStringLiteral("o_r_dirlink"));
    ASSERT_TRUE(l);
    EXPECT_TRUE(l->isSymlink);
    EXPECT_LT(l->bytes, 10000);
}

TEST_F(InventoryFixture, SymlinkedCheckpointsFolderIsReportedNotFollowed)
{
    const QString outside = tmp.path() + QStringLiteral("/weights");
    writeFile(outside + QStringLiteral("/w-abc.pth"), "w");
    dir(QString());
    ASSERT_TRUE(QFile::link(outside, hub() + QStringLiteral("/checkpoints")));
    const auto inv = scan();
    EXPECT_TRUE(inv.checkpoints.isEmpty());
    ASSERT_EQ(inv.problems.size(), 1);
    EXPECT_TRUE(inv.problems[0].path.endsWith(u"/checkpoints"));
}

TEST_F(InventoryFixture, UnreadableEntriesAreProblemsNotFailures)
{
    if (geteuid() == 0)
        GTEST_SKIP() << "root reads everything; permissions cannot make a folder unreadable";
    file(QStringLiteral("o_r_main/ok.py"), 10);
    file(QStringLiteral("o_r_main/secret/x.py"), 10);
    QFile::setPermissions(hub() + QStringLiteral("/o_r_main/secret"), QFileDevice::Permissions{});
    const auto inv = scan();
    QFile::setPermissions(hub() + QStringLiteral("/o_r_main/secret"),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    ASSERT_EQ(inv.repos.size(), 1);
    EXPECT_EQ(inv.repos[0].bytes, 10);
    ASSERT_FALSE(inv.problems.isEmpty());
    EXPECT_TRUE(inv.problems[0].path.endsWith(u"secret"));
}

TEST_F(InventoryFixture, ThousandsOfFilesAreCountedExactly)
{
    // 3000 files in 3 repositories, nested 3 levels, sizes 0..99 bytes.
    qint64 expectedBytes[3] = {0, 0, 0};
    for (int i = 0; i < 3000; ++i) {
        const int repo = i % 3;
        const QString rel = i < 3 ? QStringLiteral("own_r%1_main/hubconf.py").arg(repo)
                                  : QStringLiteral("own_r%1_main/d%2/e%3/f%4.py")
                                        .arg(repo)
                                        .arg(i % 7)
                                        .arg(i % 11)
                                        .arg(i);
        file(rel, i % 100);
        expectedBytes[repo] += i % 100;
    }
    file(QStringLiteral("checkpoints/w-00ff.pth"), 1);
    const auto inv = scan();
    ASSERT_EQ(inv.repos.size(), 3);
    qint64 files = 0;
    for (const auto &r : inv.repos) {
        files += r.files;
        EXPECT_EQ(r.bytes, expectedBytes[r.repo.mid(1).toInt()]) << r.dir.toStdString();
        EXPECT_EQ(r.files, 1000);
    }
    EXPECT_EQ(files, 3000);
    EXPECT_EQ(inv.totalBytes, expectedBytes[0] + expectedBytes[1] + expectedBytes[2] + 1);
}

TEST_F(InventoryFixture, CancelIsCheckedInsideTheLoop)
{
    for (int i = 0; i < 20; ++i)
        file(QStringLiteral("o_r%1_main/hubconf.py").arg(i), 1);
    int polls = 0;
    ScanOptions opts;
    opts.cancelled = [&polls] { return ++polls > 3; };
    auto r = scanCache(hub(), opts);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, Error::Code::Cancelled);
    EXPECT_LT(polls, 20);
}

TEST_F(InventoryFixture, ScanJobRunsOffThreadWithProgress)
{
    app();
    for (int i = 0; i < 30; ++i)
        file(QStringLiteral("o_r%1_main/hubconf.py").arg(i), i);
    file(QStringLiteral("checkpoints/a-1.pth"), 5);
    CacheScanJob job(hub());
    qint64 lastDone = -1, lastTotal = -1;
    QObject::connect(&job, &Job::progress, [&](qint64 d, qint64 t, const QString &) {
        lastDone = d;
        lastTotal = t;
    });
    job.start();
    ASSERT_TRUE(job.waitForFinished(30000));
    ASSERT_FALSE(job.error().has_value());
    EXPECT_EQ(job.state(), Job::State::Succeeded);
    EXPECT_EQ(job.result().repos.size(), 30);
    EXPECT_EQ(job.result().checkpoints.size(), 1);
    EXPECT_EQ(lastTotal, 32); // 30 repos + checkpoints/ + 1 checkpoint
    EXPECT_EQ(lastDone, lastTotal);
}

TEST_F(InventoryFixture, ScanJobCancelledBeforeStartFinishesCancelled)
{
    app();
    CacheScanJob job(hub());
    job.cancel();
    EXPECT_TRUE(job.isFinished());
    EXPECT_EQ(job.state(), Job::State::Cancelled);
}

// Issue 6: sizes of large folders fill in as they arrive. The scan lists everything first
// (cheap), then measures the folders one by one and reports each.
TEST_F(InventoryFixture, TwoPhaseScanListsFirstThenSizesEveryFolderOnce)
{
    file(QStringLiteral("o_a_main/hubconf.py"), 100);
    file(QStringLiteral("o_a_main/sub/x.py"), 900);
    file(QStringLiteral("o_b_main/hubconf.py"), 30);
    file(QStringLiteral("o_c_main/hubconf.py"), 300);
    file(QStringLiteral("checkpoints/plain-1234abcd.pth"), 4000);
    file(QStringLiteral("checkpoints/folder.pth/data.pkl"), 70);
    file(QStringLiteral("main.zip"), 5);
    file(QStringLiteral("intel-isl-MiDaS-1645b7e/hubconf.py"), 4);
    file(QStringLiteral(".hubcap/tmp/dl-1/part"), 3);
    file(QStringLiteral(".hubcap/tmp/dl-2/part"), 2);
    const QStringList folders = {QStringLiteral("o_a_main"),
                                 QStringLiteral("o_b_main"),
                                 QStringLiteral("o_c_main"),
                                 QStringLiteral("checkpoints/folder.pth"),
                                 QStringLiteral("intel-isl-MiDaS-1645b7e"),
                                 QStringLiteral(".hubcap/tmp/dl-1"),
                                 QStringLiteral(".hubcap/tmp/dl-2")};

    QStringList events;
    CacheInventory partial;
    QStringList pending;
    QList<SizedEntry> sized;
    qint64 lastDone = -1, lastTotal = -1;
    ScanOptions opts;
    opts.listed = [&](const CacheInventory &p, const QStringList &pend) {
        events << QStringLiteral("listed");
        partial = p;
        pending = pend;
    };
    opts.sized = [&](const SizedEntry &e) {
        events << QStringLiteral("sized");
        sized << e;
    };
    opts.progress = [&](qint64 d, qint64 t, const QString &) {
        lastDone = d;
        lastTotal = t;
    };
    auto result = scanCache(hub(), opts);
    ASSERT_TRUE(result.has_value());
    const CacheInventory &inv = *result;

    // Phase 1 first, exactly once; then one report per folder.
    ASSERT_EQ(events.size(), 1 + folders.size());
    EXPECT_EQ(events.first(), u"listed");
    EXPECT_EQ(events.count(QStringLiteral("listed")), 1);
    QStringList sortedPending = pending, expected = folders;
    sortedPending.sort();
    expected.sort();
    EXPECT_EQ(sortedPending, expected);

    // The partial has every entry; folders are not measured yet, files are.
    EXPECT_EQ(partial.repos.size(), 3);
    EXPECT_EQ(partial.checkpoints.size(), 2);
    EXPECT_EQ(partial.leftovers.size(), 4);
    for (const auto &r : partial.repos)
        EXPECT_EQ(r.bytes, 0) << r.dir.toStdString();
    EXPECT_EQ(findCheckpoint(partial, QStringLiteral("plain-1234abcd.pth"))->bytes, 4000);
    EXPECT_EQ(findCheckpoint(partial, QStringLiteral("folder.pth"))->bytes, 0);
    EXPECT_EQ(findLeftover(partial, QStringLiteral("main.zip"))->bytes, 5);
    EXPECT_EQ(partial.totalBytes, 4005);

    // Every folder reported once, with the numbers the final inventory has.
    QStringList reported;
    for (const SizedEntry &e : sized) {
        reported << e.relPath;
        EXPECT_EQ(e.path, inv.hubDir + u'/' + e.relPath);
        if (const CachedRepo *r = inv.findRepo(e.relPath)) {
            EXPECT_EQ(e.bytes, r->bytes);
            EXPECT_EQ(e.files, r->files);
            EXPECT_EQ(e.modified, r->modified);
        } else if (e.relPath.startsWith(QStringLiteral("checkpoints/"))) {
            const CachedCheckpoint *c = findCheckpoint(inv, e.relPath.mid(12));
            ASSERT_TRUE(c);
            EXPECT_EQ(e.bytes, c->bytes);
            EXPECT_EQ(e.modified, c->modified);
        } else {
            const Leftover *l = findLeftover(inv, e.relPath);
            ASSERT_TRUE(l) << e.relPath.toStdString();
            EXPECT_EQ(e.bytes, l->bytes);
            EXPECT_EQ(e.modified, l->modified);
        }
    }
    EXPECT_EQ(reported, pending); // in the announced order
    EXPECT_EQ(inv.findRepo(QStringLiteral("o_a_main"))->bytes, 1000);
    EXPECT_EQ(inv.findRepo(QStringLiteral("o_a_main"))->files, 2);
    EXPECT_EQ(findCheckpoint(inv, QStringLiteral("folder.pth"))->bytes, 70);

    // The final inventory is the one a scan without hooks gives (what `cache ls` prints).
    // (free_bytes aside: other processes write to the same disk between the two scans)
    QJsonObject twoPhase = inv.toJson(), plain = scan().toJson();
    twoPhase.remove(u"free_bytes");
    plain.remove(u"free_bytes");
    EXPECT_EQ(twoPhase, plain) << QJsonDocument(twoPhase).toJson().toStdString() << "\n"
                               << QJsonDocument(plain).toJson().toStdString();
    EXPECT_EQ(inv.repos[0].dir, u"o_a_main"); // largest first
    EXPECT_EQ(inv.totalBytes, 1000 + 30 + 300 + 4000 + 70 + 5 + 4 + 3 + 2);
    EXPECT_EQ(lastDone, lastTotal);
}

TEST_F(InventoryFixture, CancelDuringPhaseTwoStopsMeasuring)
{
    for (int i = 0; i < 20; ++i)
        file(QStringLiteral("o_r%1_main/hubconf.py").arg(i), 1);
    int listed = 0, measured = 0, sized = 0;
    ScanOptions opts;
    opts.listed = [&](const CacheInventory &, const QStringList &pending) {
        ++listed;
        EXPECT_EQ(pending.size(), 20);
    };
    opts.beforeMeasure = [&](const QString &) { ++measured; };
    opts.sized = [&](const SizedEntry &) { ++sized; };
    opts.cancelled = [&] { return sized >= 2; };
    auto r = scanCache(hub(), opts);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, Error::Code::Cancelled);
    EXPECT_EQ(listed, 1);
    EXPECT_EQ(sized, 2);
    EXPECT_EQ(measured, 2); // the next folder is not even started
}

TEST_F(InventoryFixture, ScanJobEmitsListedThenSizedOnItsThread)
{
    app();
    for (int i = 0; i < 5; ++i)
        file(QStringLiteral("o_r%1_main/hubconf.py").arg(i), 10 * (i + 1));
    file(QStringLiteral("main.zip"), 7);
    CacheScanJob job(hub());
    QStringList pending, sizedPaths;
    bool sizedBeforeListed = false, offThread = false;
    QObject::connect(&job, &CacheScanJob::listed,
                     [&](const CacheInventory &partial, const QStringList &p) {
                         offThread |= QThread::currentThread() != job.thread();
                         EXPECT_EQ(partial.repos.size(), 5);
                         EXPECT_EQ(partial.leftovers.size(), 1);
                         pending = p;
                     });
    QObject::connect(&job, &CacheScanJob::sized, [&](const SizedEntry &e) {
        offThread |= QThread::currentThread() != job.thread();
        sizedBeforeListed |= pending.isEmpty();
        sizedPaths << e.relPath;
        EXPECT_EQ(e.bytes, 10 * (e.relPath.mid(3, 1).toInt() + 1)) << e.relPath.toStdString();
    });
    job.start();
    ASSERT_TRUE(job.waitForFinished(30000));
    ASSERT_FALSE(job.error().has_value());
    EXPECT_FALSE(offThread);
    EXPECT_FALSE(sizedBeforeListed);
    EXPECT_EQ(pending.size(), 5);
    EXPECT_EQ(sizedPaths, pending);
    EXPECT_EQ(job.result().totalBytes, 10 + 20 + 30 + 40 + 50 + 7);
}

TEST_F(InventoryFixture, ScanJobCancelledInPhaseTwoEmitsNothingMore)
{
    app();
    for (int i = 0; i < 5; ++i)
        file(QStringLiteral("o_r%1_main/hubconf.py").arg(i), 1);
    CacheScanJob job(hub());
    QSemaphore gate;
    std::atomic<int> measured{0};
    job.setBeforeMeasure([&](const QString &) {
        ++measured;
        gate.acquire(); // phase 2 waits until the test has cancelled
    });
    int sized = 0;
    QObject::connect(&job, &CacheScanJob::listed, [&] {
        job.cancel();
        gate.release(100);
    });
    QObject::connect(&job, &CacheScanJob::sized, [&] { ++sized; });
    job.start();
    ASSERT_TRUE(job.waitForFinished(30000));
    EXPECT_EQ(job.state(), Job::State::Cancelled);
    ASSERT_TRUE(job.error().has_value());
    EXPECT_EQ(job.error()->code, Error::Code::Cancelled);
    EXPECT_EQ(sized, 0);
    EXPECT_LE(measured.load(), 1); // stopped at (or right after) the gate, before measuring
}

// Issue 13.5: a folder is a repository only when its name has torch.hub's owner_repo_ref shape
// AND it holds a hubconf.py; the user's own folders are "unknown".
TEST(RepoFolderName, FollowsTorchHubNaming)
{
    EXPECT_TRUE(looksLikeRepoFolderName(QStringLiteral("pytorch_vision_main")));
    EXPECT_TRUE(looksLikeRepoFolderName(QStringLiteral("ailzhang_torchhub_example_ci_test_slash")));
    EXPECT_TRUE(looksLikeRepoFolderName(QStringLiteral("o_r_"))); // empty ref
    EXPECT_FALSE(looksLikeRepoFolderName(QStringLiteral("Documents")));
    EXPECT_FALSE(looksLikeRepoFolderName(QStringLiteral("src")));
    EXPECT_FALSE(looksLikeRepoFolderName(QStringLiteral("my_project")));
    EXPECT_FALSE(looksLikeRepoFolderName(QStringLiteral("_a_b")));
    EXPECT_FALSE(looksLikeRepoFolderName(QStringLiteral("a__b")));
}

TEST_F(InventoryFixture, UserFoldersAreUnknownNotRepositories)
{
    file(QStringLiteral("Documents/letter.odt"), 10);
    file(QStringLiteral("src/main.cpp"), 10);
    file(QStringLiteral("my_project_main/README"), 10); // repository-shaped name, no hubconf.py
    file(QStringLiteral("x_y_main/hubconf.py"), 10);
    file(QStringLiteral("notes.txt"), 1);
    const CacheInventory inv = scan();
    ASSERT_EQ(inv.repos.size(), 1);
    EXPECT_EQ(inv.repos[0].dir, u"x_y_main");
    EXPECT_EQ(inv.unknown,
              (QStringList{QStringLiteral("Documents"), QStringLiteral("my_project_main"),
                           QStringLiteral("notes.txt"), QStringLiteral("src")}));
    EXPECT_TRUE(inv.leftovers.isEmpty());
    EXPECT_TRUE(inv.hasHubLayout); // a repository folder
    EXPECT_EQ(inv.toJson()[u"unknown"].toArray().size(), 4);
}

TEST_F(InventoryFixture, AFolderWithoutTheHubLayoutIsNotAHubDir)
{
    file(QStringLiteral("Documents/letter.odt"), 10);
    file(QStringLiteral("owner-repo-1234567/x.py"), 1); // zipball-shaped, but no hubconf.py
    const CacheInventory inv = scan();
    EXPECT_FALSE(inv.hasHubLayout);
    EXPECT_TRUE(inv.repos.isEmpty());
    EXPECT_TRUE(inv.leftovers.isEmpty()) << "a folder without hubconf.py is no extraction leftover";
    for (const char *marker : {"checkpoints/", "trusted_list", ".hubcap/"}) {
        SCOPED_TRACE(marker);
        QTemporaryDir other;
        const QString m = QString::fromLatin1(marker);
        if (m.endsWith(u'/'))
            QDir().mkpath(other.path() + u'/' + m);
        else
            writeFile(other.path() + u'/' + m, "");
        auto r = scanCache(other.path());
        ASSERT_TRUE(r.has_value());
        EXPECT_TRUE(r->hasHubLayout);
    }
}

TEST(HubDirIsAFile, FileIsNotAMissingHubDir)
{
    QTemporaryDir tmp;
    const QString f = tmp.path() + QStringLiteral("/file");
    writeFile(f, "x");
    EXPECT_TRUE(hubDirIsAFile(f));
    EXPECT_FALSE(hubDirIsAFile(tmp.path()));
    EXPECT_FALSE(hubDirIsAFile(tmp.path() + QStringLiteral("/missing")));
}
