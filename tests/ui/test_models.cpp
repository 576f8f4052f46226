// Every item model of the UI passes QAbstractItemModelTester through its mutations.
#include "tests/ui/uifixtures.h"

#include "tests/support/testsupport.h"

#include "core/cache/inventory.h"
#include "ui/browser/entrypointmodel.h"
#include "ui/browser/repolistmodel.h"
#include "ui/cache/cachemodel.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace hubcap;
using namespace hubcap::ui;

namespace {

EntrypointListing sampleListing()
{
    const QByteArray json = R"J({"repo_dir": "/x", "entrypoints": [
        {"name": "b_model", "kind": "function", "signature": "(pretrained=True, *, depth: int = 3)",
         "doc": "Doc of b.", "defined_in": "hubconf.py:3"},
        {"name": "A", "kind": "class", "signature": "(lower=True)", "doc": "", "defined_in": "hubconf.py:9"},
        {"name": "resnet18", "kind": "imported", "signature": "", "doc": "", "defined_in": "",
         "imported_from": "torchvision.models"}],
        "dependencies": ["torch", "nope"], "missing_dependencies": ["nope"], "notes": ["n1"]})J";
    return *EntrypointListing::fromJson(QJsonDocument::fromJson(json).object());
}

} // namespace

TEST(EntrypointModel, PassesModelTester)
{
    EntrypointModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setListing(sampleListing());
    EXPECT_EQ(model.rowCount(), 3);
    EXPECT_EQ(model.index(0, EntrypointModel::NameColumn).data().toString(),
              QStringLiteral("b_model"));
    EXPECT_EQ(model.index(0, 0).data(EntrypointModel::DocRole).toString(),
              QStringLiteral("Doc of b."));
    model.clear();
    EXPECT_EQ(model.rowCount(), 0);
    model.setListing(sampleListing());
}

TEST(RepoListModel, PassesModelTester)
{
    RepoListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    EXPECT_EQ(model.rowCount(), 3);
    RepoEntry a;
    a.title = QStringLiteral("a");
    a.path = QStringLiteral("/a");
    RepoEntry b = a;
    b.title = QStringLiteral("owner/b:main");
    b.path = QStringLiteral("/hub/owner_b_main");
    b.spec = QStringLiteral("owner/b:main");
    model.setEntries(RepoEntry::Source::Demo, {a});
    model.setEntries(RepoEntry::Source::Cache, {b, a});
    EXPECT_EQ(model.rowCount(model.index(int(RepoEntry::Source::Cache), 0)), 2);
    const QModelIndex found = model.find(QStringLiteral("owner/b:main"));
    ASSERT_TRUE(found.isValid());
    EXPECT_EQ(found.parent().row(), int(RepoEntry::Source::Cache));
    EXPECT_EQ(found.data(RepoListModel::PathRole).toString(), QStringLiteral("/hub/owner_b_main"));
    model.setUpdateAvailable(QStringLiteral("owner/b:main"), true);
    EXPECT_TRUE(found.data(RepoListModel::UpdateAvailableRole).toBool());
    model.setEntries(RepoEntry::Source::Cache, {});
    EXPECT_EQ(model.rowCount(model.index(int(RepoEntry::Source::Cache), 0)), 0);
}

TEST(CacheModel, PassesModelTesterOnAScannedFixture)
{
    QTemporaryDir tmp;
    const QString hub = tmp.path();
    test::writeBytes(hub + QStringLiteral("/pytorch_vision_main/hubconf.py"), 1000);
    test::writeBytes(hub + QStringLiteral("/checkpoints/resnet18-f37072fd.pth"), 2048);
    test::writeBytes(hub + QStringLiteral("/main.zip"), 10);
    const auto inv = scanCache(hub);
    ASSERT_TRUE(inv.has_value());

    CacheModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setInventory(*inv);
    ASSERT_EQ(model.rowCount(), 3);
    model.setInventory({});
    EXPECT_EQ(model.rowCount(), 0);
    model.setInventory(*inv);
    EXPECT_EQ(model.index(0, CacheModel::SizeColumn).data(CacheModel::BytesRole).toLongLong(),
              1000);
}

TEST(CacheModel, PassesModelTesterWhileSizesFillIn)
{
    QTemporaryDir tmp;
    const QString hub = tmp.path();
    test::writeBytes(hub + QStringLiteral("/pytorch_vision_main/hubconf.py"), 1000);
    test::writeBytes(hub + QStringLiteral("/o_a_main/hubconf.py"), 300);
    test::writeBytes(hub + QStringLiteral("/main.zip"), 10);
    CacheInventory partial;
    QStringList pending;
    QList<SizedEntry> sizes;
    ScanOptions opts;
    opts.listed = [&](const CacheInventory &p, const QStringList &pend) {
        partial = p;
        pending = pend;
    };
    opts.sized = [&](const SizedEntry &e) { sizes << e; };
    const auto inv = scanCache(hub, opts);
    ASSERT_TRUE(inv.has_value());
    ASSERT_EQ(sizes.size(), 2);

    CacheModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setListing(partial, pending);
    ASSERT_EQ(model.rowCount(), 3);
    EXPECT_EQ(model.measuringCount(), 2);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    EXPECT_TRUE(model.applySize(sizes[0]));
    EXPECT_FALSE(model.applySize(sizes[0])); // once only
    EXPECT_TRUE(model.applySize(sizes[1]));
    EXPECT_EQ(model.measuringCount(), 0);
    EXPECT_EQ(model.inventory().totalBytes, inv->totalBytes);
    model.finishInventory(*inv);
    EXPECT_EQ(resets.count(), 0);
    EXPECT_EQ(changed.count(), 2);
    // A different set of entries falls back to a reset.
    model.finishInventory({});
    EXPECT_EQ(resets.count(), 1);
    EXPECT_EQ(model.rowCount(), 0);
}
