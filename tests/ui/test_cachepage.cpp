// The cache page lists a fixture cache with the right sizes and deletes a selection through
// the confirmation (answered by an injected confirmer).
#include "uifixtures.h"

#include "testsupport.h"

#include <cache/cachemodel.h>
#include <cache/cachepage.h>

#include <util/format.h>

#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTreeView>

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
    CachePage page(f.hub, [](QWidget *, const Confirmation &) { return true; });
    QSignalSpy scanned(&page, &CachePage::scanned);
    page.rescan();
    ASSERT_TRUE(scanned.wait(20000));
    QSignalSpy deleted(&page, &CachePage::deletionFinished);
    page.cleanLeftovers();
    ASSERT_TRUE(deleted.wait(20000));
    EXPECT_EQ(deleted.first().at(0).toLongLong(), 100);
    EXPECT_FALSE(QFileInfo::exists(f.hub + QStringLiteral("/main.zip")));
    EXPECT_TRUE(QFileInfo::exists(f.hub + QStringLiteral("/pytorch_vision_main/hubconf.py")));
}
