// The cache page lists a fixture cache with the right sizes and deletes a selection through
// the confirmation (answered by an injected confirmer).
#include "tests/ui/uifixtures.h"

#include "tests/support/testsupport.h"

#include "ui/cache/cachemodel.h"
#include "ui/cache/cachepage.h"
#include "ui/common/corebridge.h"
#include "ui/mainwindow.h"

#include "core/util/format.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTreeView>

#include <atomic>

using namespace hubcap;
using namespace hubcap::ui;

namespace {

struct Fixture
{
    QTemporaryDir tmp;
    QString hub = tmp.path();
    Fixture()
    {
        test::writeBytes(hub + QStringLiteral("/pytorch_vision_main/hubconf.py"), 3000);
        test::writeBytes(hub + QStringLiteral("/pytorch_vision_main/models/a.py"), 1000);
        test::writeBytes(hub + QStringLiteral("/checkpoints/resnet18-f37072fd.pth"), 5000);
        test::writeBytes(hub + QStringLiteral("/checkpoints/tmpab12cd34"), 70);
        test::writeBytes(hub + QStringLiteral("/main.zip"), 30);
    }
};

qint64 bytesOf(CachePage &page, const QString &relPath)
{
    CacheModel *m = page.model();
    for (int r = 0; r < m->rowCount(); ++r)
        if (m->index(r, 0).data(CacheModel::RelPathRole).toString() == relPath)
            return m->index(r, 0).data(CacheModel::BytesRole).toLongLong();
    return -1;
}

QString cellText(CachePage &page, const QString &relPath, int column)
{
    CacheModel *m = page.model();
    for (int r = 0; r < m->rowCount(); ++r)
        if (m->index(r, 0).data(CacheModel::RelPathRole).toString() == relPath)
            return m->index(r, column).data().toString();
    return {};
}

} // namespace

TEST(CachePage, ListsTheFixtureWithSizes)
{
    Fixture f;
    CachePage page(f.hub, [](QWidget *, const Confirmation &) { return false; });
    QSignalSpy scanned(&page, &CachePage::scanned);
    page.rescan();
    ASSERT_TRUE(scanned.wait(20000));
    EXPECT_EQ(page.model()->rowCount(), 4);
    EXPECT_EQ(bytesOf(page, QStringLiteral("pytorch_vision_main")), 4000);
    EXPECT_EQ(bytesOf(page, QStringLiteral("checkpoints/resnet18-f37072fd.pth")), 5000);
    EXPECT_EQ(bytesOf(page, QStringLiteral("checkpoints/tmpab12cd34")), 70);
    EXPECT_EQ(bytesOf(page, QStringLiteral("main.zip")), 30);
    EXPECT_TRUE(page.totalsLabel()->text().contains(humanSize(9100)))
        << page.totalsLabel()->text().toStdString();
    EXPECT_TRUE(page.totalsLabel()->text().contains(
        QStringLiteral("1 repository, 1 checkpoint, 2 leftovers")))
        << page.totalsLabel()->text().toStdString();
    // A checkpoint Hubcap did not download says so, with its torch hash prefix.
    const QString details = cellText(page, QStringLiteral("checkpoints/resnet18-f37072fd.pth"),
                                     CacheModel::DetailsColumn);
    EXPECT_TRUE(details.contains(u"origin unknown")) << details.toStdString();
    EXPECT_TRUE(details.contains(u"hash f37072fd")) << details.toStdString();

    // Filtering keeps matching rows only.
    page.filterEdit()->setText(QStringLiteral("resnet"));
    EXPECT_EQ(page.view()->model()->rowCount(), 1);
}

TEST(CachePage, DeletesASelectionAfterConfirmation)
{
    Fixture f;
    QList<Confirmation> asked;
    bool answer = false;
    CachePage page(f.hub, [&](QWidget *, const Confirmation &c) {
        asked << c;
        return answer;
    });
    QSignalSpy scanned(&page, &CachePage::scanned);
    page.rescan();
    ASSERT_TRUE(scanned.wait(20000));

    const QStringList targets = {QStringLiteral("pytorch_vision_main"), QStringLiteral("main.zip")};
    page.selectRelPaths(targets);
    EXPECT_EQ(page.selectedRelPaths().size(), 2);

    // Declined: nothing goes.
    page.deleteSelected();
    ASSERT_EQ(asked.size(), 1);
    EXPECT_TRUE(asked[0].text.contains(humanSize(4030))) << asked[0].text.toStdString();
    EXPECT_TRUE(asked[0].text.startsWith(QStringLiteral("2 items will be deleted")))
        << asked[0].text.toStdString();
    EXPECT_EQ(asked[0].title, QStringLiteral("Delete 2 items?"));
    EXPECT_EQ(asked[0].items.size(), 2);
    EXPECT_TRUE(asked[0].items.join(u'\n').contains(QStringLiteral("pytorch_vision_main")));
    EXPECT_TRUE(QFileInfo::exists(f.hub + QStringLiteral("/pytorch_vision_main")));

    // Accepted: the selection goes, the rest stays, and the page rescans.
    answer = true;
    QSignalSpy deleted(&page, &CachePage::deletionFinished);
    page.deleteSelected();
    ASSERT_TRUE(deleted.wait(20000));
    EXPECT_EQ(deleted.first().at(0).toLongLong(), 4030);
    EXPECT_EQ(deleted.first().at(1).toInt(), 0);
    EXPECT_FALSE(QFileInfo::exists(f.hub + QStringLiteral("/pytorch_vision_main")));
    EXPECT_FALSE(QFileInfo::exists(f.hub + QStringLiteral("/main.zip")));
    EXPECT_TRUE(QFileInfo::exists(f.hub + QStringLiteral("/checkpoints/resnet18-f37072fd.pth")));
    ASSERT_TRUE(scanned.wait(20000));
    EXPECT_EQ(page.model()->rowCount(), 2);
}

TEST(CachePage, CleansLeftoversOnly)
{
    Fixture f;
    test::writeBytes(f.hub + QStringLiteral("/checkpoints/big.pth.partial"), 400);
    QList<Confirmation> asked;
    CachePage page(f.hub, [&](QWidget *, const Confirmation &c) {
        asked << c;
        return true;
    });
    QSignalSpy scanned(&page, &CachePage::scanned);
    page.rescan();
    ASSERT_TRUE(scanned.wait(20000));
    QSignalSpy deleted(&page, &CachePage::deletionFinished);
    page.cleanLeftovers();
    ASSERT_TRUE(deleted.wait(20000));
    EXPECT_EQ(deleted.first().at(0).toLongLong(), 500);
    // Removing a .partial loses resumable progress: the confirmation says so.
    ASSERT_EQ(asked.size(), 1);
    // ... as a note under the list (wrapped), not as an item cut off sideways.
    EXPECT_TRUE(asked[0].notes.join(u'\n').contains(u"resumes it"))
        << asked[0].notes.join(u'\n').toStdString();
    EXPECT_FALSE(asked[0].items.join(u'\n').contains(u"resumes it"));
    EXPECT_FALSE(QFileInfo::exists(f.hub + QStringLiteral("/main.zip")));
    EXPECT_TRUE(QFileInfo::exists(f.hub + QStringLiteral("/pytorch_vision_main/hubconf.py")));
}

namespace {

bool measuring(CachePage &page, const QString &relPath)
{
    CacheModel *m = page.model();
    for (int r = 0; r < m->rowCount(); ++r)
        if (m->index(r, 0).data(CacheModel::RelPathRole).toString() == relPath)
            return m->index(r, 0).data(CacheModel::MeasuringRole).toBool();
    return false;
}

// Releases a phase-2 gate when a test leaves early, so the page's scan thread can stop.
struct GateRelease
{
    QSemaphore &gate;
    ~GateRelease() { gate.release(1000); }
};

} // namespace

// Issue 6: "Sizes of large folders are computed off the GUI thread and fill in as they arrive."
TEST(CachePage, RowsAppearWhileFolderSizesAreMeasuredAndFillIn)
{
    Fixture f;
    test::writeBytes(f.hub + QStringLiteral("/o_a_main/hubconf.py"), 2000);
    test::writeBytes(f.hub + QStringLiteral("/o_b_main/hubconf.py"), 500);
    QSemaphore gate;
    std::atomic<int> gated{0};
    int asked = 0;
    CachePage page(f.hub, [&](QWidget *, const Confirmation &) { return ++asked, false; });
    GateRelease release{gate};
    page.setBeforeMeasureHook([&](const QString &) {
        ++gated;
        gate.acquire(); // phase 2 waits for the test
    });
    QAbstractItemModelTester tester(page.model(),
                                    QAbstractItemModelTester::FailureReportingMode::Fatal);
    QAbstractItemModelTester proxyTester(page.view()->model(),
                                         QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy scanned(&page, &CachePage::scanned);
    QSignalSpy resets(page.model(), &QAbstractItemModel::modelReset);
    QSignalSpy changed(page.model(), &QAbstractItemModel::dataChanged);

    page.rescan();
    // Phase 1 is on screen while the first folder waits at the gate.
    ASSERT_TRUE(test::waitUntil([&] { return page.model()->rowCount() == 6 && gated == 1; }));
    const QStringList folders = {QStringLiteral("o_a_main"), QStringLiteral("o_b_main"),
                                 QStringLiteral("pytorch_vision_main")};
    for (const QString &dir : folders) {
        EXPECT_TRUE(measuring(page, dir)) << dir.toStdString();
        EXPECT_EQ(bytesOf(page, dir), -1);
        EXPECT_EQ(cellText(page, dir, CacheModel::SizeColumn), u"measuring…");
        EXPECT_EQ(cellText(page, dir, CacheModel::FilesColumn), u"measuring…");
    }
    EXPECT_FALSE(measuring(page, QStringLiteral("checkpoints/resnet18-f37072fd.pth")));
    EXPECT_EQ(bytesOf(page, QStringLiteral("checkpoints/resnet18-f37072fd.pth")), 5000);
    EXPECT_EQ(page.model()->measuringCount(), 3);
    EXPECT_EQ(scanned.count(), 0);
    EXPECT_TRUE(page.isBusy());
    QString totals = page.totalsLabel()->text();
    EXPECT_TRUE(totals.contains(humanSize(5100) + QStringLiteral(" so far")))
        << totals.toStdString();
    EXPECT_TRUE(totals.contains(QStringLiteral("measuring folder sizes, 3 to go")))
        << totals.toStdString();

    // A folder whose size is unknown cannot be deleted yet (the confirmation states sizes).
    page.selectRelPaths({QStringLiteral("o_a_main")});
    page.deleteSelected();
    EXPECT_EQ(asked, 0);
    page.view()->sortByColumn(CacheModel::NameColumn, Qt::AscendingOrder);
    const qsizetype resetsAfterListing = resets.count();
    changed.clear();

    // One folder measured: only its row changes.
    gate.release(1);
    ASSERT_TRUE(test::waitUntil([&] { return page.model()->measuringCount() == 2; }));
    EXPECT_EQ(bytesOf(page, QStringLiteral("o_a_main")), 2000);
    EXPECT_EQ(cellText(page, QStringLiteral("o_a_main"), CacheModel::SizeColumn), humanSize(2000));
    EXPECT_EQ(cellText(page, QStringLiteral("o_a_main"), CacheModel::FilesColumn), u"1");
    EXPECT_TRUE(measuring(page, QStringLiteral("o_b_main")));
    ASSERT_EQ(changed.count(), 1);
    EXPECT_EQ(changed.first().at(0).toModelIndex().row(),
              changed.first().at(1).toModelIndex().row());
    totals = page.totalsLabel()->text();
    EXPECT_TRUE(totals.contains(humanSize(7100) + QStringLiteral(" so far")))
        << totals.toStdString();
    EXPECT_TRUE(totals.contains(QStringLiteral("measuring folder sizes, 2 to go")))
        << totals.toStdString();
    EXPECT_EQ(scanned.count(), 0);

    // The rest: sizes fill in, no reset, selection and sort kept, one scanned() at the end.
    gate.release(100);
    ASSERT_TRUE(test::waitUntil([&] { return scanned.count() == 1; }));
    EXPECT_EQ(resets.count(), resetsAfterListing);
    for (const QList<QVariant> &args : std::as_const(changed))
        EXPECT_EQ(args.at(0).toModelIndex().row(), args.at(1).toModelIndex().row());
    EXPECT_EQ(page.model()->measuringCount(), 0);
    EXPECT_EQ(bytesOf(page, QStringLiteral("o_b_main")), 500);
    EXPECT_EQ(bytesOf(page, QStringLiteral("pytorch_vision_main")), 4000);
    EXPECT_EQ(cellText(page, QStringLiteral("pytorch_vision_main"), CacheModel::FilesColumn), u"2");
    EXPECT_EQ(page.selectedRelPaths(), QStringList{QStringLiteral("o_a_main")});
    EXPECT_EQ(page.view()->header()->sortIndicatorSection(), int(CacheModel::NameColumn));
    EXPECT_EQ(page.view()->header()->sortIndicatorOrder(), Qt::AscendingOrder);
    const auto inv = scanned.first().at(0).value<CacheInventory>();
    EXPECT_EQ(inv.totalBytes, 2000 + 500 + 4000 + 5000 + 70 + 30);
    EXPECT_EQ(page.inventory().toJson(), inv.toJson());
    totals = page.totalsLabel()->text();
    EXPECT_TRUE(totals.startsWith(humanSize(11600) + QStringLiteral(" in 3 repositories")))
        << totals.toStdString();
    EXPECT_FALSE(totals.contains(QStringLiteral("measuring"))) << totals.toStdString();
    EXPECT_FALSE(page.isBusy());
}

TEST(CachePage, RescanDuringAScanDropsTheOldScan)
{
    Fixture f;
    test::writeBytes(f.hub + QStringLiteral("/o_a_main/hubconf.py"), 2000);
    QTemporaryDir other;
    test::writeBytes(other.path() + QStringLiteral("/x_y_main/hubconf.py"), 123);
    test::writeBytes(other.path() + QStringLiteral("/checkpoints/x.pth"), 10);
    QSemaphore gate;
    std::atomic<int> oldGated{0};
    {
        CachePage page(f.hub, [](QWidget *, const Confirmation &) { return false; });
        GateRelease release{gate};
        const QString oldPrefix = f.hub + u'/';
        page.setBeforeMeasureHook([&](const QString &path) {
            if (path.startsWith(oldPrefix)) {
                ++oldGated;
                gate.acquire(); // only the first hub's scan is held
            }
        });
        QAbstractItemModelTester tester(page.model(),
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
        QSignalSpy scanned(&page, &CachePage::scanned);
        page.rescan();
        ASSERT_TRUE(
            test::waitUntil([&] { return page.model()->rowCount() == 5 && oldGated == 1; }));

        page.setHubDir(other.path()); // cancels the held scan
        ASSERT_TRUE(test::waitUntil([&] { return scanned.count() == 1; }));
        gate.release(100); // the old scan may go on now: it must stop, and show nothing
        page.rescan();
        ASSERT_TRUE(test::waitUntil([&] { return scanned.count() == 2; }));
        for (const QList<QVariant> &args : std::as_const(scanned))
            EXPECT_EQ(args.at(0).value<CacheInventory>().hubDir, QDir(other.path()).absolutePath());
        ASSERT_EQ(page.model()->rowCount(), 2);
        EXPECT_EQ(bytesOf(page, QStringLiteral("x_y_main")), 123);
        EXPECT_EQ(bytesOf(page, QStringLiteral("checkpoints/x.pth")), 10);
        EXPECT_EQ(page.model()->measuringCount(), 0);
        EXPECT_EQ(page.inventory().totalBytes, 133);
    }                              // the page's destruction waits for every scan thread
    EXPECT_EQ(oldGated.load(), 1); // cancelled: the old scan measured nothing more
}

// An empty cache says what the page is for and how to fill it; a filter that hides everything
// says so; rows hide the message.
TEST(CachePage, EmptyStateExplainsWhatToDo)
{
    QTemporaryDir tmp;
    const QString hub = tmp.filePath(QStringLiteral("hub"));
    CachePage page(hub, [](QWidget *, const Confirmation &) { return false; });
    page.show();
    QSignalSpy scanned(&page, &CachePage::scanned);
    page.rescan();
    ASSERT_TRUE(scanned.wait(20000));
    EXPECT_FALSE(page.emptyLabel()->isHidden());
    EXPECT_TRUE(page.emptyLabel()->text().contains(u"is empty"))
        << page.emptyLabel()->text().toStdString();
    EXPECT_TRUE(page.emptyLabel()->text().contains(u"Ctrl+O"));

    test::writeBytes(hub + QStringLiteral("/owner_repo_main/hubconf.py"), 100);
    page.rescan();
    ASSERT_TRUE(scanned.wait(20000));
    EXPECT_EQ(page.model()->rowCount(), 1);
    EXPECT_TRUE(page.emptyLabel()->isHidden());
    page.filterEdit()->setText(QStringLiteral("no-such-thing"));
    EXPECT_FALSE(page.emptyLabel()->isHidden());
    EXPECT_EQ(page.emptyLabel()->text(), QStringLiteral("Nothing matches the filter."));
    page.filterEdit()->clear();
    EXPECT_TRUE(page.emptyLabel()->isHidden());
}

// The main window's status bar follows the total while folders are measured, then shows the
// final total with the free space.
TEST(CachePage, StatusBarShowsTheRunningTotalWhileMeasuring)
{
    Fixture f;
    QSemaphore gate;
    GateRelease release{gate};
    CoreBridge bridge(f.hub);
    MainWindow window(&bridge);
    std::atomic<int> gated{0};
    window.cachePage()->setBeforeMeasureHook([&](const QString &) {
        ++gated;
        gate.acquire();
    });
    auto *label = window.findChild<QLabel *>(QStringLiteral("cacheSizeLabel"));
    ASSERT_NE(label, nullptr);
    QSignalSpy scanned(window.cachePage(), &CachePage::scanned);
    window.refreshCache();
    ASSERT_TRUE(test::waitUntil([&] { return gated == 1 && label->text().contains(u"so far"); }))
        << label->text().toStdString();
    EXPECT_EQ(label->text(),
              QStringLiteral("Cache: %1 so far, measuring (1 to go)…").arg(humanSize(5100)));
    gate.release(10);
    ASSERT_TRUE(scanned.count() > 0 || scanned.wait(20000));
    EXPECT_TRUE(label->text().startsWith(QStringLiteral("Cache: %1").arg(humanSize(9100))))
        << label->text().toStdString();
}
