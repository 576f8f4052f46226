// The GUI side of bundles: the import summary (content, trust, what differs; Install blocked
// until "Replace" is ticked), the controller's summary → trust → verified import, and the
// export dialog's size preview equal to the bytes written.
#include "tests/support/testsupport.h"
#include "ui/bundle/bundlecontroller.h"
#include "ui/bundle/exportbundledialog.h"
#include "ui/bundle/importsummarydialog.h"
#include "ui/common/corebridge.h"
#include "ui/mainwindow.h"

#include "core/bundle/bundleexport.h"
#include "core/bundle/bundleimport.h"
#include "core/cache/sidecar.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMimeData>
#include <QPushButton>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QUrl>
#include <QWidget>

using namespace hubcap;
using namespace hubcap::test;
using namespace hubcap::ui;

namespace {

bool waitFor(const std::function<bool()> &done, int ms = 30000)
{
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < ms)
        QApplication::processEvents(QEventLoop::AllEvents, 20);
    return done();
}

QStringList treeTexts(QTreeWidget *tree)
{
    QStringList out;
    std::function<void(QTreeWidgetItem *)> walk = [&](QTreeWidgetItem *item) {
        out << item->text(0) + u'|' + item->text(1) + u'|' + item->text(2);
        for (int i = 0; i < item->childCount(); ++i)
            walk(item->child(i));
    };
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        walk(tree->topLevelItem(i));
    return out;
}

class BundleUi : public ::testing::Test
{
protected:
    void SetUp() override
    {
        hub = tmp.path() + QStringLiteral("/hub");
        target = tmp.path() + QStringLiteral("/target");
        writeFile(hub + QStringLiteral("/own_rep_main/hubconf.py"),
                  "def answer():\n    return 5\n");
        writeFile(hub + QStringLiteral("/checkpoints/used-1234abcd.pth"), QByteArray(5000, 'u'));
        const Sidecar sc(hub);
        RepoRecord r;
        r.folder = QStringLiteral("own_rep_main");
        r.owner = QStringLiteral("own");
        r.repo = QStringLiteral("rep");
        r.ref = QStringLiteral("main");
        r.commit = QString(40, u'c');
        ASSERT_TRUE(sc.putRepo(r));
        CheckpointRecord c;
        c.name = QStringLiteral("used-1234abcd.pth");
        c.url = QStringLiteral("http://example.invalid/w/used-1234abcd.pth");
        c.repo = QStringLiteral("own/rep:main");
        ASSERT_TRUE(sc.putCheckpoint(c));
        file = tmp.path() + QStringLiteral("/b.hubcap");
        bundle::ExportRequest req;
        req.hubDir = hub;
        req.repos = {QStringLiteral("own/rep:main")};
        req.output = file;
        req.lister = [](const QString &) -> Result<QJsonArray> {
            return QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("answer")},
                                          {QStringLiteral("signature"), QStringLiteral("()")}}};
        };
        bundle::BundleExportJob job(req);
        job.start();
        ASSERT_TRUE(job.waitForFinished(60000));
        ASSERT_FALSE(job.error()) << job.error()->message.toStdString();
    }

    QTemporaryDir tmp;
    QString hub, target, file;
};

} // namespace

TEST_F(BundleUi, ImportSummaryListsContentAndBlocksDifferentFilesUntilReplace)
{
    writeFile(target + QStringLiteral("/own_rep_main/hubconf.py"), "changed\n");
    auto preview = bundle::previewImport(file, target);
    ASSERT_TRUE(preview) << preview.error().message.toStdString();
    ImportSummaryDialog d(*preview);
    d.resize(760, 420);
    const QString texts = treeTexts(d.contentTree()).join(u'\n');
    EXPECT_TRUE(texts.contains(QStringLiteral("own_rep_main|"))) << texts.toStdString();
    EXPECT_TRUE(texts.contains(QStringLiteral("own/rep at main, commit cccccccccccc")))
        << texts.toStdString();
    // The folder exists: torch.hub's legacy rule trusts it already.
    EXPECT_TRUE(texts.contains(QStringLiteral("; trusted ("))) << texts.toStdString();
    EXPECT_TRUE(texts.contains(QStringLiteral("already in the cache"))) << texts.toStdString();
    EXPECT_TRUE(texts.contains(QStringLiteral("Entrypoints||answer"))) << texts.toStdString();
    EXPECT_TRUE(texts.contains(QStringLiteral(
        "used-1234abcd.pth|4.88 KiB|from http://example.invalid/w/used-1234abcd.pth")))
        << texts.toStdString();
    EXPECT_TRUE(texts.contains(QStringLiteral("own_rep_main/hubconf.py"))) << texts.toStdString();
    EXPECT_TRUE(d.summaryLabel()->text().contains(QStringLiteral("1 new files")))
        << d.summaryLabel()->text().toStdString();
    EXPECT_TRUE(d.summaryLabel()->text().contains(QStringLiteral("1 files differ")));
    EXPECT_FALSE(d.replaceBox()->isHidden());
    EXPECT_FALSE(d.installButton()->isEnabled());
    d.replaceBox()->setChecked(true);
    EXPECT_TRUE(d.installButton()->isEnabled());
    EXPECT_TRUE(d.replaceDifferent());
    d.show();
    const QString shots = QStringLiteral(HUBCAP_BIN_DIR "/../screenshots");
    QDir().mkpath(shots);
    d.grab().save(shots + QStringLiteral("/bundle-import.png"));

    // Nothing differs: no replace box, Install enabled.
    auto clean = bundle::previewImport(file, tmp.path() + QStringLiteral("/empty"));
    ASSERT_TRUE(clean);
    ImportSummaryDialog d2(*clean);
    const QString texts2 = treeTexts(d2.contentTree()).join(u'\n');
    EXPECT_TRUE(texts2.contains(QStringLiteral("not trusted yet: you will be asked")))
        << texts2.toStdString();
    EXPECT_FALSE(texts2.contains(QStringLiteral("already in the cache")));
    EXPECT_TRUE(d2.replaceBox()->isHidden());
    EXPECT_TRUE(d2.installButton()->isEnabled());
}

TEST_F(BundleUi, ControllerAsksTrustThenImports)
{
    QWidget window;
    BundleController c(&window, [this] { return target; });
    int summaries = 0;
    c.setSummaryRunner([&](ImportSummaryDialog &d) {
        ++summaries;
        return d.installButton()->isEnabled();
    });
    QStringList asked;
    TrustAnswer answer = TrustAnswer::Refuse;
    c.setTrustAsker([&](QWidget *, const TrustQuestion &q) {
        asked << q.trustName;
        EXPECT_FALSE(q.allowRunOnce);
        return answer;
    });
    std::optional<std::pair<bool, QString>> result;
    QObject::connect(&c, &BundleController::importFinished, &c, [&](bool ok, const QString &m) {
        result = {ok, m};
    });

    // Declined trust: nothing installed.
    c.importFile(file);
    ASSERT_TRUE(waitFor([&] { return result.has_value(); }));
    EXPECT_FALSE(result->first);
    EXPECT_EQ(asked, QStringList{QStringLiteral("own_rep")});
    EXPECT_FALSE(QFileInfo::exists(target + QStringLiteral("/own_rep_main")));
    EXPECT_FALSE(QFileInfo::exists(target + QStringLiteral("/trusted_list")));

    result.reset();
    answer = TrustAnswer::TrustAndRecord;
    c.importFile(file);
    ASSERT_TRUE(waitFor([&] { return result.has_value(); }));
    EXPECT_TRUE(result->first) << result->second.toStdString();
    EXPECT_EQ(summaries, 2);
    EXPECT_EQ(readFile(target + QStringLiteral("/own_rep_main/hubconf.py")),
              QByteArray("def answer():\n    return 5\n"));
    EXPECT_EQ(readFile(target + QStringLiteral("/checkpoints/used-1234abcd.pth")),
              QByteArray(5000, 'u'));
    EXPECT_EQ(readFile(target + QStringLiteral("/trusted_list")), QByteArray("own_rep\n"));
    EXPECT_TRUE(result->second.contains(QStringLiteral("2 files installed")))
        << result->second.toStdString();
}

TEST_F(BundleUi, ExportDialogPreviewEqualsBytesWritten)
{
    ExportBundleDialog d(hub, {QStringLiteral("own_rep_main")});
    ASSERT_TRUE(waitFor([&] { return d.predictedBytes() >= 0; }, 60000))
        << d.sizeLabel()->text().toStdString();
    EXPECT_TRUE(d.sizeLabel()->text().contains(QStringLiteral("1 repositories, 1 checkpoints")))
        << d.sizeLabel()->text().toStdString();
    const qint64 predicted = d.predictedBytes();
    const QString out = tmp.path() + QStringLiteral("/gui.hubcap");
    d.outputEdit()->setText(out);
    ASSERT_TRUE(d.exportButton()->isEnabled());
    std::optional<qint64> written;
    QObject::connect(&d, &ExportBundleDialog::exported, &d,
                     [&](const QString &, qint64 bytes) { written = bytes; });
    d.startExport();
    ASSERT_TRUE(waitFor([&] { return written.has_value(); }, 60000));
    EXPECT_EQ(*written, predicted);
    EXPECT_EQ(QFileInfo(out).size(), predicted);
}

TEST_F(BundleUi, MainWindowOffersBundlesAndImportsADroppedFile)
{
    CoreBridge bridge(target);
    MainWindow window(&bridge);
    QStringList fileMenu;
    for (QAction *a : window.menuBar()->actions())
        if (a->menu() && a->text() == QStringLiteral("&File"))
            for (QAction *m : a->menu()->actions())
                fileMenu << m->text();
    EXPECT_TRUE(fileMenu.contains(QStringLiteral("&Import Bundle…")))
        << fileMenu.join(u',').toStdString();
    EXPECT_TRUE(fileMenu.contains(QStringLiteral("Export &Bundle…")))
        << fileMenu.join(u',').toStdString();

    QStringList shown;
    window.bundleController()->setSummaryRunner([&](ImportSummaryDialog &d) {
        shown << treeTexts(d.contentTree()).join(u'\n');
        return true;
    });
    window.bundleController()->setTrustAsker(
        [](QWidget *, const TrustQuestion &) { return TrustAnswer::TrustAndRecord; });
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(file)});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    EXPECT_TRUE(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop);
    ASSERT_TRUE(waitFor(
        [&] { return QFileInfo::exists(target + QStringLiteral("/own_rep_main/hubconf.py")); }));
    ASSERT_EQ(shown.size(), 1);
    EXPECT_TRUE(shown.first().contains(QStringLiteral("used-1234abcd.pth")));

    // Anything else dropped is not taken.
    QMimeData other;
    other.setUrls({QUrl::fromLocalFile(hub + QStringLiteral("/own_rep_main/hubconf.py"))});
    QDragEnterEvent enter2(QPoint(10, 10), Qt::CopyAction, &other, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter2);
    EXPECT_FALSE(enter2.isAccepted());
}

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
