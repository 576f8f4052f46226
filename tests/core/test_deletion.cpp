#include "core/cache/deletion.h"
#include "core/cache/sidecar.h"

#include "tests/support/testsupport.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QLockFile>
#include <QTemporaryDir>

using namespace hubcap;
using hubcap::test::readFile;
using hubcap::test::writeFile;

namespace {

struct DeletionFixture : ::testing::Test
{
    QTemporaryDir tmp;
    QString hub() const { return tmp.path() + QStringLiteral("/hub"); }
    QString at(const QString &rel) const { return hub() + u'/' + rel; }
    void file(const QString &rel, qsizetype bytes) { writeFile(at(rel), QByteArray(bytes, 'x')); }
    bool exists(const QString &rel) const
    {
        return QFileInfo(at(rel)).exists() || QFileInfo(at(rel)).isSymLink();
    }

    CacheInventory scan()
    {
        auto r = scanCache(hub());
        EXPECT_TRUE(r.has_value());
        return r.value_or(CacheInventory{});
    }
    Result<DeletionPlan> plan(const QStringList &targets) { return planRemoval(scan(), targets); }
    static QStringList rels(const DeletionPlan &p)
    {
        QStringList out;
        for (const auto &it : p.items)
            out << it.relPath;
        out.sort();
        return out;
    }
};

} // namespace

TEST_F(DeletionFixture, SpecWithRefNamesItsFolderIncludingSlashesAndEmptyRef)
{
    file(QStringLiteral("o_r_ci_test_slash/hubconf.py"), 10);
    file(QStringLiteral("o_r_/hubconf.py"), 10);
    file(QStringLiteral("o_r_main/hubconf.py"), 10);
    auto p = plan({QStringLiteral("o/r:ci/test_slash"), QStringLiteral("o/r:")});
    ASSERT_TRUE(p.has_value()) << p.error().message.toStdString();
    EXPECT_EQ(rels(*p), (QStringList{QStringLiteral("o_r_"), QStringLiteral("o_r_ci_test_slash")}));
    EXPECT_EQ(p->items[0].kind, DeletionItem::Kind::Repo);
    EXPECT_EQ(p->totalBytes(), 20);
    auto missing = plan({QStringLiteral("o/r:v9")});
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code, Error::Code::NotFound);
    EXPECT_TRUE(missing.error().message.contains(u"o_r_v9"));
}

TEST_F(DeletionFixture, SpecIsCaseSensitive)
{
    file(QStringLiteral("pytorch_vision_main/hubconf.py"), 10);
    EXPECT_FALSE(plan({QStringLiteral("PyTorch/vision")}).has_value());
    EXPECT_FALSE(plan({QStringLiteral("PyTorch/vision:main")}).has_value());
    EXPECT_TRUE(plan({QStringLiteral("pytorch/vision")}).has_value());
}

TEST_F(DeletionFixture, SpecWithoutRefTakesOnlyFoldersKnownToBeThatRepo)
{
    file(QStringLiteral("a_b_main/hubconf.py"), 1); // unambiguous: a/b:main
    file(QStringLiteral("a_b_x_y/hubconf.py"), 2);  // sidecar: a/b:x/y
    Sidecar(hub()).putRepo(RepoRecord{QStringLiteral("a_b_x_y"),
                                      QStringLiteral("a"),
                                      QStringLiteral("b"),
                                      QStringLiteral("x/y"),
                                      {},
                                      {},
                                      {}});
    file(QStringLiteral("a_b_c_main/hubconf.py"), 3); // a_b/c, a/b_c or a/b:c_main: unknown
    file(QStringLiteral("a_b_c_dev/hubconf.py"), 4);  // sidecar says a/b_c:dev: someone else
    Sidecar(hub()).putRepo(RepoRecord{QStringLiteral("a_b_c_dev"),
                                      QStringLiteral("a"),
                                      QStringLiteral("b_c"),
                                      QStringLiteral("dev"),
                                      {},
                                      {},
                                      {}});
    auto p = plan({QStringLiteral("a/b")});
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(rels(*p), (QStringList{QStringLiteral("a_b_main"), QStringLiteral("a_b_x_y")}));
    ASSERT_EQ(p->notes.size(), 1);
    EXPECT_TRUE(p->notes[0].contains(u"a_b_c_main"));

    auto other = plan({QStringLiteral("a/b_c")});
    ASSERT_TRUE(other.has_value());
    EXPECT_EQ(rels(*other), QStringList{QStringLiteral("a_b_c_dev")});
    // a_b/c:main and a/b_c:main name the same folder, as in torch.hub.
    EXPECT_EQ(rels(*plan({QStringLiteral("a_b/c:main")})),
              QStringList{QStringLiteral("a_b_c_main")});
    EXPECT_EQ(rels(*plan({QStringLiteral("a/b_c:main")})),
              QStringList{QStringLiteral("a_b_c_main")});
    // Nothing known for a_b/c without a ref: refused with a hint, not guessed.
    auto none = plan({QStringLiteral("a_b/c")});
    ASSERT_FALSE(none.has_value());
    EXPECT_TRUE(none.error().details.contains(u"a_b_c_main"));
}

TEST_F(DeletionFixture, PathTargetsAndDuplicates)
{
    file(QStringLiteral("checkpoints/w-abc.pth"), 5);
    file(QStringLiteral("checkpoints/other.pth"), 6);
    file(QStringLiteral("main.zip"), 7);
    file(QStringLiteral("o_r_main/hubconf.py"), 8);
    auto p = plan({QStringLiteral("checkpoints/w-abc.pth"), QStringLiteral("main.zip"),
                   QStringLiteral("o_r_main"), QStringLiteral("o/r:main"),
                   QStringLiteral("./o_r_main/")});
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(rels(*p), (QStringList{QStringLiteral("checkpoints/w-abc.pth"),
                                     QStringLiteral("main.zip"), QStringLiteral("o_r_main")}));
    EXPECT_EQ(p->totalBytes(), 5 + 7 + 8);
    for (const auto &it : p->items) {
        if (it.relPath == u"main.zip") {
            EXPECT_EQ(it.kind, DeletionItem::Kind::Leftover);
        }
        if (it.relPath.startsWith(u"checkpoints")) {
            EXPECT_EQ(it.kind, DeletionItem::Kind::Checkpoint);
        }
    }
    // An item inside another one is dropped.
    auto nested = plan({QStringLiteral("checkpoints/w-abc.pth"), QStringLiteral("checkpoints")});
    ASSERT_TRUE(nested.has_value());
    EXPECT_EQ(rels(*nested), QStringList{QStringLiteral("checkpoints")});
    EXPECT_EQ(nested->totalBytes(), 11);
}

TEST_F(DeletionFixture, RefusesPathsThatEscape)
{
    file(QStringLiteral("o_r_main/hubconf.py"), 1);
    writeFile(tmp.path() + QStringLiteral("/victim.txt"), "keep");
    for (const char *bad :
         {"../victim.txt", "o_r_main/../../victim.txt", "/etc/passwd", "~/x", ".", "./", ""}) {
        auto p = plan({QString::fromUtf8(bad)});
        ASSERT_FALSE(p.has_value()) << bad;
        EXPECT_EQ(p.error().code, Error::Code::InvalidArgument) << bad;
    }
    // Through a symlinked folder: refused even though the file exists behind it.
    ASSERT_TRUE(QFile::link(tmp.path(), at(QStringLiteral("escape"))));
    auto p = plan({QStringLiteral("escape/victim.txt")});
    ASSERT_FALSE(p.has_value());
    EXPECT_TRUE(p.error().message.contains(u"symlink"));
    EXPECT_EQ(readFile(tmp.path() + QStringLiteral("/victim.txt")), QByteArray("keep"));
}

TEST_F(DeletionFixture, ASymlinkIsRemovedNotItsTarget)
{
    const QString outside = tmp.path() + QStringLiteral("/outside");
    writeFile(outside + QStringLiteral("/precious.bin"), "precious");
    writeFile(outside + QStringLiteral("/hubconf.py"), ""); // so l_n_main is a repository
    file(QStringLiteral("o_r_main/hubconf.py"), 3);
    ASSERT_TRUE(QFile::link(outside, at(QStringLiteral("o_r_main/inner_link"))));
    ASSERT_TRUE(QFile::link(outside, at(QStringLiteral("l_n_main"))));
    QDir().mkpath(at(QStringLiteral("checkpoints")));
    ASSERT_TRUE(QFile::link(outside + QStringLiteral("/precious.bin"),
                            at(QStringLiteral("checkpoints/p.pth"))));
    auto p = plan({QStringLiteral("o/r:main"), QStringLiteral("l_n_main"),
                   QStringLiteral("checkpoints/p.pth")});
    ASSERT_TRUE(p.has_value());
    const DeletionOutcome out = executePlan(*p);
    EXPECT_TRUE(out.failed.isEmpty()) << out.failed.value(0).reason.toStdString();
    EXPECT_EQ(out.removed.size(), 3);
    EXPECT_FALSE(exists(QStringLiteral("o_r_main")));
    EXPECT_FALSE(exists(QStringLiteral("l_n_main")));
    EXPECT_FALSE(exists(QStringLiteral("checkpoints/p.pth")));
    EXPECT_EQ(readFile(outside + QStringLiteral("/precious.bin")), QByteArray("precious"));
}

TEST_F(DeletionFixture, ExecuteReportsFreedBytesAndDropsSidecarRecords)
{
    file(QStringLiteral("o_r_main/hubconf.py"), 100);
    file(QStringLiteral("o_r_main/sub/b.py"), 50);
    file(QStringLiteral("checkpoints/w-1.pth"), 30);
    Sidecar sc(hub());
    ASSERT_TRUE(sc.putRepo(RepoRecord{QStringLiteral("o_r_main"),
                                      QStringLiteral("o"),
                                      QStringLiteral("r"),
                                      QStringLiteral("main"),
                                      {},
                                      {},
                                      {}})
                    .has_value());
    ASSERT_TRUE(sc
                    .putCheckpoint(CheckpointRecord{
                        QStringLiteral("w-1.pth"), QStringLiteral("u"), {}, 30, {}, {}, {}, {}})
                    .has_value());
    auto p = plan({QStringLiteral("o/r"), QStringLiteral("checkpoints/w-1.pth")});
    ASSERT_TRUE(p.has_value());
    const DeletionOutcome out = executePlan(*p);
    EXPECT_EQ(out.freedBytes, 180);
    EXPECT_TRUE(out.failed.isEmpty());
    EXPECT_TRUE(out.removed.contains(at(QStringLiteral("o_r_main"))));
    EXPECT_FALSE(sc.repo(QStringLiteral("o_r_main")).has_value());
    EXPECT_FALSE(sc.checkpoint(QStringLiteral("w-1.pth")).has_value());
    EXPECT_TRUE(QFileInfo(at(QStringLiteral("checkpoints"))).isDir()); // the folder itself stays
    const QJsonObject j = out.toJson();
    EXPECT_EQ(j[u"freed_bytes"].toInteger(), 180);
    EXPECT_EQ(j[u"removed"].toArray().size(), 2);
    EXPECT_TRUE(j[u"failed"].toArray().isEmpty());
}

TEST_F(DeletionFixture, ExecuteRechecksAndReportsWhatItCouldNotDelete)
{
    file(QStringLiteral("checkpoints/box/item.bin"), 4);
    file(QStringLiteral("o_r_main/hubconf.py"), 1);
    auto p = plan({QStringLiteral("checkpoints/box/item.bin"), QStringLiteral("o_r_main")});
    ASSERT_TRUE(p.has_value());
    // Between plan and execution "checkpoints/box" becomes a symlink to a folder outside the hub
    // dir.
    const QString outside = tmp.path() + QStringLiteral("/outside");
    writeFile(outside + QStringLiteral("/item.bin"), "keep");
    ASSERT_TRUE(QDir(at(QStringLiteral("checkpoints/box"))).removeRecursively());
    ASSERT_TRUE(QFile::link(outside, at(QStringLiteral("checkpoints/box"))));
    const DeletionOutcome out = executePlan(*p);
    ASSERT_EQ(out.failed.size(), 1);
    EXPECT_EQ(out.failed[0].path, at(QStringLiteral("checkpoints/box/item.bin")));
    EXPECT_TRUE(out.failed[0].reason.contains(u"symlink"));
    EXPECT_EQ(readFile(outside + QStringLiteral("/item.bin")), QByteArray("keep"));
    // The other item still went.
    EXPECT_EQ(out.removed, QStringList{at(QStringLiteral("o_r_main"))});
}

TEST_F(DeletionFixture, ClearTakesRepositoriesCheckpointsLeftoversAndKeepsTrust)
{
    file(QStringLiteral("o_r_main/hubconf.py"), 10);
    file(QStringLiteral("a_b_c_main/hubconf.py"), 10);
    file(QStringLiteral("checkpoints/w-1.pth"), 10);
    file(QStringLiteral("checkpoints/tmpabcd1234"), 1);
    file(QStringLiteral("main.zip"), 1);
    file(QStringLiteral("o-r-1234567/hubconf.py"), 1);
    file(QStringLiteral(".hubcap/tmp/part"), 1);
    writeFile(at(QStringLiteral("trusted_list")), "o_r\n");
    file(QStringLiteral("my-notes.txt"), 1);
    const DeletionPlan p = planClear(scan());
    EXPECT_EQ(p.items.size(), 7);
    EXPECT_EQ(p.totalBytes(), 34);
    const DeletionOutcome out = executePlan(p);
    EXPECT_TRUE(out.failed.isEmpty());
    EXPECT_EQ(out.freedBytes, 34);
    EXPECT_EQ(readFile(at(QStringLiteral("trusted_list"))), QByteArray("o_r\n"));
    EXPECT_TRUE(exists(QStringLiteral("my-notes.txt")));
    EXPECT_TRUE(QFileInfo(at(QStringLiteral("checkpoints"))).isDir());
    const auto after = scan();
    EXPECT_TRUE(after.repos.isEmpty());
    EXPECT_TRUE(after.checkpoints.isEmpty());
    EXPECT_TRUE(after.leftovers.isEmpty());
    EXPECT_EQ(after.totalBytes, 0);
}

TEST_F(DeletionFixture, DeletionJobRunsThePlan)
{
    static int argc = 1;
    static char arg0[] = "test_cache";
    static char *argv[] = {arg0, nullptr};
    if (!QCoreApplication::instance())
        new QCoreApplication(argc, argv);
    file(QStringLiteral("o_r_main/hubconf.py"), 10);
    auto p = plan({QStringLiteral("o/r:main")});
    ASSERT_TRUE(p.has_value());
    DeletionJob job(*p);
    int progressCalls = 0;
    QObject::connect(&job, &Job::progress,
                     [&](qint64, qint64, const QString &) { ++progressCalls; });
    job.start();
    ASSERT_TRUE(job.waitForFinished(30000));
    EXPECT_EQ(job.state(), Job::State::Succeeded);
    EXPECT_EQ(job.outcome().freedBytes, 10);
    EXPECT_GE(progressCalls, 1);
    EXPECT_FALSE(exists(QStringLiteral("o_r_main")));
}

// Issue 13.5: only repositories, checkpoints and leftovers are ever removed.
TEST_F(DeletionFixture, ClearKeepsTheUsersFolders)
{
    file(QStringLiteral("Documents/letter.odt"), 10);
    file(QStringLiteral("src/main.cpp"), 10);
    file(QStringLiteral("my_project_main/README"), 10);
    file(QStringLiteral("o_r_main/hubconf.py"), 5);
    const DeletionPlan p = planClear(scan());
    EXPECT_EQ(rels(p), QStringList{QStringLiteral("o_r_main")});
    const DeletionOutcome out = executePlan(p);
    EXPECT_TRUE(out.failed.isEmpty());
    EXPECT_FALSE(exists(QStringLiteral("o_r_main")));
    for (const char *kept : {"Documents/letter.odt", "src/main.cpp", "my_project_main/README"})
        EXPECT_TRUE(exists(QString::fromLatin1(kept))) << kept;
}

TEST_F(DeletionFixture, RmRefusesWhatIsNotTorchHubs)
{
    file(QStringLiteral("Documents/letter.odt"), 10);
    file(QStringLiteral("my_project_main/README"), 10);
    file(QStringLiteral("o_r_main/hubconf.py"), 5);
    for (const char *target :
         {"Documents", "Documents/letter.odt", "my_project_main", "my/project:main"}) {
        SCOPED_TRACE(target);
        auto p = plan({QString::fromLatin1(target)});
        ASSERT_FALSE(p.has_value());
        EXPECT_EQ(p.error().code, Error::Code::InvalidArgument);
        EXPECT_TRUE(p.error().message.contains(u"Refusing")) << p.error().message.toStdString();
    }
    EXPECT_TRUE(exists(QStringLiteral("Documents/letter.odt")));
    // Inside a repository or checkpoints/ is still fine.
    file(QStringLiteral("o_r_main/big.bin"), 7);
    auto inside = plan({QStringLiteral("o_r_main/big.bin")});
    ASSERT_TRUE(inside.has_value()) << inside.error().message.toStdString();
}

// Issue 13.9: what a running job holds is skipped, and said so.
TEST_F(DeletionFixture, ClearSkipsWhatRunningJobsHold)
{
    file(QStringLiteral("o_r_main/hubconf.py"), 5);
    file(QStringLiteral("o_q_main/hubconf.py"), 5);
    file(QStringLiteral("checkpoints/w.pth.0123456789abcdef0123456789abcdef.partial"), 9);
    file(QStringLiteral("checkpoints/done.pth"), 3);
    const QString liveFetch = QStringLiteral(".hubcap/tmp/fetch-%1-aaaa/zipball.zip")
                                  .arg(QCoreApplication::applicationPid());
    file(liveFetch, 4);
    file(QStringLiteral(".hubcap/tmp/fetch-999999999-bbbb/zipball.zip"), 4); // its process is gone
    const Sidecar sidecar(hub());
    QLockFile fetching(sidecar.lockPath(QStringLiteral("repo-o_r_main")));
    ASSERT_TRUE(fetching.tryLock(0));
    QLockFile downloading(
        sidecar.lockPath(QStringLiteral("download:") +
                         QFileInfo(at(QStringLiteral("checkpoints/w.pth"))).absoluteFilePath()));
    ASSERT_TRUE(downloading.tryLock(0));

    const DeletionOutcome out = executePlan(planClear(scan()));
    EXPECT_TRUE(out.failed.isEmpty());
    QStringList skipped;
    for (const auto &s : out.skipped) {
        skipped << s.path.mid(hub().size() + 1);
        EXPECT_TRUE(s.reason.contains(QString::number(QCoreApplication::applicationPid())))
            << s.reason.toStdString();
    }
    skipped.sort();
    EXPECT_EQ(
        skipped,
        (QStringList{
            QStringLiteral(".hubcap/tmp/fetch-%1-aaaa").arg(QCoreApplication::applicationPid()),
            QStringLiteral("checkpoints/w.pth.0123456789abcdef0123456789abcdef.partial"),
            QStringLiteral("o_r_main")}));
    EXPECT_TRUE(exists(QStringLiteral("o_r_main/hubconf.py")));
    EXPECT_TRUE(
        exists(QStringLiteral("checkpoints/w.pth.0123456789abcdef0123456789abcdef.partial")));
    EXPECT_TRUE(exists(liveFetch));
    EXPECT_FALSE(exists(QStringLiteral("o_q_main")));
    EXPECT_FALSE(exists(QStringLiteral("checkpoints/done.pth")));
    EXPECT_FALSE(exists(QStringLiteral(".hubcap/tmp/fetch-999999999-bbbb")));
    EXPECT_EQ(out.toJson()[u"skipped"].toArray().size(), 3);

    // Once the jobs are done, the same clear takes the rest (the live fetch dir is still ours).
    fetching.unlock();
    downloading.unlock();
    const DeletionOutcome again = executePlan(planClear(scan()));
    EXPECT_EQ(again.skipped.size(), 1);
    EXPECT_FALSE(exists(QStringLiteral("o_r_main")));
    EXPECT_FALSE(
        exists(QStringLiteral("checkpoints/w.pth.0123456789abcdef0123456789abcdef.partial")));
}
