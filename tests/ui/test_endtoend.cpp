// The bundled demo repository: its entrypoints list in the main window, and one click from an
// entrypoint gives an exported TorchScript file verified in the libtorch host.
#include "tests/ui/uifixtures.h"

#include "tests/support/testsupport.h"

#include "ui/browser/browserpage.h"
#include "ui/browser/entrypointmodel.h"
#include "ui/common/corebridge.h"
#include "ui/common/uipaths.h"
#include "ui/downloads/downloadsmodel.h"
#include "ui/export/resultpanel.h"
#include "ui/export/runcontroller.h"
#include "ui/mainwindow.h"

#include <QFileInfo>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTreeView>
#include <QTreeWidget>

using namespace hubcap;
using namespace hubcap::ui;

TEST(DemoRepository, ListsAndExportsVerified)
{
    const QString demo = demoRepoDir();
    ASSERT_FALSE(demo.isEmpty()) << "resources/demo-hub not found";
    // findTorchHost() looks next to the running executable (tests/ here) and ../lib/hubcap/.
    if (qEnvironmentVariableIsEmpty("HUBCAP_TORCHHOST"))
        qputenv("HUBCAP_TORCHHOST",
                (test::binDir() + QStringLiteral("/hubcap-torchhost")).toUtf8());
    QTemporaryDir tmp;
    CoreBridge bridge(tmp.filePath(QStringLiteral("hub")));
    MainWindow window(&bridge);
    BrowserPage *page = window.browserPage();
    page->setDemoRepo(demo);
    QSignalSpy listed(page, &BrowserPage::listingFinished);
    ASSERT_TRUE(page->selectDemo());
    ASSERT_TRUE(listed.count() > 0 || listed.wait(30000));
    ASSERT_TRUE(listed.first().first().toBool()) << page->messageLabel()->text().toStdString();
    ASSERT_TRUE(page->selectEntrypoint(QStringLiteral("tiny_cnn")));
    EXPECT_FALSE(page->detailView()->toPlainText().contains(QStringLiteral("No docstring")));

    const Entrypoint *entry = nullptr;
    for (const Entrypoint &e : page->listing().entrypoints)
        if (e.name == QStringLiteral("tiny_cnn"))
            entry = &e;
    ASSERT_NE(entry, nullptr);
    LoadRequest request;
    request.exportEnabled = true;
    request.format = QStringLiteral("torchscript");
    request.dtype = QStringLiteral("float32");
    request.output = tmp.filePath(QStringLiteral("out/tiny_cnn.pt"));
    QSignalSpy finished(window.runController(), &RunController::finished);
    QSignalSpy verified(window.runController(), &RunController::verified);
    ASSERT_NE(window.runController()->run(*page->currentRepo(), *entry, request), nullptr);
    ASSERT_TRUE(finished.wait(180000));
    ASSERT_TRUE(finished.first().first().toBool())
        << window.resultPanel()->summaryView()->toPlainText().toStdString();
    EXPECT_TRUE(
        window.resultPanel()->summaryView()->toPlainText().contains(QStringLiteral("TinyCNN")));
    EXPECT_GT(window.resultPanel()->treeView()->topLevelItemCount(), 0);
    EXPECT_TRUE(QFileInfo(request.output).size() > 0);
    EXPECT_EQ(window.resultPanel()->exportedFile(), request.output);
    ASSERT_TRUE(verified.count() > 0 || verified.wait(120000));
    EXPECT_TRUE(verified.first().at(0).toBool()) << verified.first().at(1).toString().toStdString();
    EXPECT_TRUE(verified.first().at(1).toString().startsWith(QStringLiteral("verified")));
    // Both jobs appear in the downloads panel, done.
    ASSERT_EQ(window.downloadsModel()->rowCount(), 2);
    for (int r = 0; r < 2; ++r)
        EXPECT_EQ(window.downloadsModel()->index(r, 0).data(DownloadsModel::PhaseRole).toInt(),
                  int(DownloadsModel::Phase::Done));

    // A state dict cannot be run, so nothing claims it was verified.
    request.format = QStringLiteral("state_dict");
    request.output = tmp.filePath(QStringLiteral("out/tiny_cnn-sd.pt"));
    finished.clear();
    ASSERT_NE(window.runController()->run(*page->currentRepo(), *entry, request), nullptr);
    ASSERT_TRUE(finished.wait(180000));
    ASSERT_TRUE(finished.first().first().toBool());
    const QString verdict = window.resultPanel()->verdictLabel()->text();
    EXPECT_TRUE(verdict.startsWith(QStringLiteral("Exported, not verified")))
        << verdict.toStdString();
    EXPECT_FALSE(verdict.contains(u"checked by")) << verdict.toStdString();
    const QString summary = window.resultPanel()->summaryView()->toPlainText();
    EXPECT_TRUE(summary.contains(QStringLiteral("Mode as loaded"))) << summary.toStdString();
    EXPECT_FALSE(summary.contains(QStringLiteral("state_dict ()"))) << summary.toStdString();
}
