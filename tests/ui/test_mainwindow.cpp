// The main window on a fixture hub dir and a fixture repository: the sidebar, the static
// entrypoint listing (through the real Python host), the rendered docstring, the status bar.
#include "tests/ui/uifixtures.h"

#include <iostream>

#include "tests/support/testsupport.h"

#include "ui/browser/browserpage.h"
#include "ui/browser/entrypointmodel.h"
#include "ui/cache/cachepage.h"
#include "ui/common/corebridge.h"
#include "ui/common/uipaths.h"
#include "ui/mainwindow.h"
#include <QPushButton>

#include "core/util/format.h"

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTreeView>

using namespace hubcap;
using namespace hubcap::ui;

namespace {

QStringList entrypointNames(BrowserPage *page)
{
    QStringList names;
    auto *view = page->entrypointView();
    for (int r = 0; r < view->model()->rowCount(); ++r)
        names << view->model()->index(r, 0).data(EntrypointModel::NameRole).toString();
    return names;
}

} // namespace

TEST(MainWindow, ShowsTheDemoRepositoryEntrypointsAndDocstring)
{
    QTemporaryDir tmp;
    const QString hub = tmp.filePath(QStringLiteral("hub"));
    const QString repo = tmp.filePath(QStringLiteral("demo"));
    test::writeFixtureRepo(repo);
    test::writeBytes(hub + QStringLiteral("/pytorch_vision_main/hubconf.py"), 4096);

    CoreBridge bridge(hub);
    MainWindow window(&bridge);
    BrowserPage *page = window.browserPage();
    page->setDemoRepo(repo);
    window.refreshCache();
    window.show();
    QSignalSpy listed(page, &BrowserPage::listingFinished);
    ASSERT_TRUE(page->selectDemo());
    ASSERT_TRUE(listed.count() > 0 || listed.wait(30000));
    ASSERT_TRUE(listed.first().first().toBool()) << page->messageLabel()->text().toStdString();

    EXPECT_EQ(entrypointNames(page),
              (QStringList{QStringLiteral("small_mlp"), QStringLiteral("WordTokenizer")}));
    ASSERT_TRUE(page->selectEntrypoint(QStringLiteral("small_mlp")));
    const QString detail = page->detailView()->toPlainText();
    EXPECT_TRUE(detail.contains(QStringLiteral("A small multi-layer perceptron.")))
        << detail.toStdString();
    EXPECT_TRUE(detail.contains(QStringLiteral("small_mlp(pretrained: bool = True")))
        << detail.toStdString();
    EXPECT_TRUE(detail.contains(QStringLiteral("hubconf.py:4"))) << detail.toStdString();
    EXPECT_TRUE(detail.contains(QStringLiteral("surely_missing_pkg — missing")))
        << detail.toStdString();
    EXPECT_TRUE(page->detailView()->toHtml().contains(
        QStringLiteral("pre-wrap"))); // the example, monospace
    EXPECT_TRUE(page->bannerLabel()->text().contains(QStringLiteral("without running")));

    // The filter narrows the list.
    page->filterEdit()->setText(QStringLiteral("token"));
    EXPECT_EQ(entrypointNames(page), QStringList{QStringLiteral("WordTokenizer")});

    // The cache scan fills the sidebar's cache group and the status bar.
    ASSERT_TRUE(test::waitUntil([&] {
        return page->repoModel()->find(hub + QStringLiteral("/pytorch_vision_main")).isValid();
    }));
    EXPECT_TRUE(window.windowTitle().contains(hub));
    auto *sizeLabel = window.statusBar()->findChild<QLabel *>(QStringLiteral("cacheSizeLabel"));
    ASSERT_NE(sizeLabel, nullptr);
    EXPECT_TRUE(sizeLabel->text().contains(humanSize(4096))) << sizeLabel->text().toStdString();
}

TEST(MainWindow, OpeningAFolderAddsItToTheSidebar)
{
    QTemporaryDir tmp;
    const QString repo = tmp.filePath(QStringLiteral("other"));
    test::writeFixtureRepo(repo);
    CoreBridge bridge(tmp.filePath(QStringLiteral("hub")));
    MainWindow window(&bridge);
    window.openRepository(repo);
    const RepoEntry *current = window.browserPage()->currentRepo();
    ASSERT_NE(current, nullptr);
    EXPECT_EQ(current->source, RepoEntry::Source::Local);
    EXPECT_EQ(current->path, repo);
    EXPECT_FALSE(current->missing);

    // Remembered across sessions; a folder that is gone is marked, not silently dropped, and
    // "Remove from List" forgets it (without touching the disk).
    QDir(repo).removeRecursively();
    {
        BrowserPage again(&bridge);
        const QModelIndex i = again.repoModel()->find(repo);
        ASSERT_TRUE(i.isValid());
        EXPECT_TRUE(i.data(RepoListModel::MissingRole).toBool());
        EXPECT_TRUE(i.data().toString().endsWith(u"(missing)"));
        ASSERT_TRUE(again.selectRepo(repo));
        auto *forget = again.findChild<QAction *>(QStringLiteral("removeLocalFolderAction"));
        ASSERT_NE(forget, nullptr);
        ASSERT_TRUE(forget->isEnabled());
        forget->trigger();
        EXPECT_FALSE(again.repoModel()->find(repo).isValid());
    }
    BrowserPage third(&bridge);
    EXPECT_FALSE(third.repoModel()->find(repo).isValid()) << "forgotten for good";
}

// The window uses the installed application icon, and Help → About reports the versions the CLI's
// --version reports (Qt, KArchive, and what the hosts are built against).
TEST(MainWindow, AppIconAndAboutVersions)
{
    QTemporaryDir tmp;
    CoreBridge bridge(tmp.filePath(QStringLiteral("hub")));
    MainWindow window(&bridge);
    EXPECT_FALSE(window.windowIcon().isNull());
    EXPECT_FALSE(window.windowIcon().pixmap(48, 48).isNull());
    EXPECT_NE(window.findChild<QAction *>(QStringLiteral("aboutAction")), nullptr);
    const QString about = MainWindow::aboutText();
    EXPECT_TRUE(about.startsWith(QStringLiteral("Hubcap ") + QStringLiteral(HUBCAP_VERSION)))
        << about.toStdString();
    for (const char *part : {"(git ", "Qt 6.", "KArchive ", "libtorch ", "Python 3.", "torch "})
        EXPECT_TRUE(about.contains(QLatin1String(part)))
            << part << " missing in " << about.toStdString();
}

// Deleting the repository that is being browsed leaves nothing of it behind: no entrypoints,
// no docstring, no Load/Export acting on a folder that is gone.
TEST(MainWindow, DeletingTheBrowsedRepositoryClearsTheBrowsePage)
{
    QTemporaryDir tmp;
    const QString hub = tmp.filePath(QStringLiteral("hub"));
    test::writeFixtureRepo(hub + QStringLiteral("/owner_repo_main"));
    CoreBridge bridge(hub);
    MainWindow window(&bridge, [](QWidget *, const Confirmation &) { return true; });
    QSignalSpy scanned(window.cachePage(), &CachePage::scanned);
    window.refreshCache();
    ASSERT_TRUE(scanned.wait(20000));
    BrowserPage *page = window.browserPage();
    QSignalSpy listed(page, &BrowserPage::listingFinished);
    ASSERT_TRUE(page->selectRepo(QStringLiteral("owner/repo:main")));
    ASSERT_TRUE(listed.count() > 0 || listed.wait(30000));
    ASSERT_GT(page->entrypointModel()->rowCount(), 0);

    QSignalSpy deleted(window.cachePage(), &CachePage::deletionFinished);
    window.cachePage()->selectRelPaths({QStringLiteral("owner_repo_main")});
    window.cachePage()->deleteSelected();
    ASSERT_TRUE(deleted.wait(20000));
    ASSERT_TRUE(test::waitUntil([&] { return scanned.count() >= 2; }));
    EXPECT_EQ(page->currentRepo(), nullptr);
    EXPECT_EQ(page->entrypointModel()->rowCount(), 0);
    EXPECT_FALSE(page->findChild<QPushButton *>(QStringLiteral("loadButton"))->isEnabled());
}

// torch.hub refuses to load while a declared dependency is missing, so Load/Export say so
// instead of running code that is bound to fail.
TEST(MainWindow, LoadIsOfferedOnlyWhenTheDependenciesArePresent)
{
    QTemporaryDir tmp;
    const QString repo = tmp.filePath(QStringLiteral("needs-more"));
    test::writeFixtureRepo(repo); // declares 'surely_missing_pkg'
    CoreBridge bridge(tmp.filePath(QStringLiteral("hub")));
    MainWindow window(&bridge);
    BrowserPage *page = window.browserPage();
    QSignalSpy listed(page, &BrowserPage::listingFinished);
    window.openRepository(repo);
    ASSERT_TRUE(listed.count() > 0 || listed.wait(30000));
    ASSERT_TRUE(page->selectEntrypoint(QStringLiteral("small_mlp")));
    auto *load = page->findChild<QPushButton *>(QStringLiteral("loadButton"));
    EXPECT_FALSE(load->isEnabled());
    EXPECT_TRUE(load->toolTip().contains(u"surely_missing_pkg")) << load->toolTip().toStdString();
    EXPECT_FALSE(page->canRunCurrent());

    const QString demo = demoRepoDir();
    ASSERT_FALSE(demo.isEmpty());
    page->setDemoRepo(demo);
    listed.clear();
    ASSERT_TRUE(page->selectDemo());
    ASSERT_TRUE(listed.wait(30000));
    ASSERT_TRUE(page->selectEntrypoint(QStringLiteral("tiny_cnn")));
    EXPECT_TRUE(load->isEnabled());
    EXPECT_TRUE(page->canRunCurrent());
}

// A long status message is elided before the permanent labels (hub dir, cache size) instead of
// running under them; the whole text is in the tooltip.
TEST(MainWindow, LongStatusMessagesAreElided)
{
    QTemporaryDir tmp;
    CoreBridge bridge(tmp.filePath(QStringLiteral("hub")));
    MainWindow window(&bridge);
    window.resize(900, 600);
    window.show();
    QCoreApplication::processEvents();
    const QString longText =
        QStringLiteral("Cannot find dev in https://github.com/someone/tool. ").repeated(6);
    window.openRepository(QStringLiteral("not a spec ") + longText); // an error: status + inline
    const QString shown = window.statusBar()->currentMessage();
    ASSERT_FALSE(shown.isEmpty());
    const int width = window.statusBar()->fontMetrics().horizontalAdvance(shown);
    auto *hub = window.findChild<QLabel *>(QStringLiteral("hubDirLabel"));
    ASSERT_NE(hub, nullptr);
    EXPECT_LT(width, window.statusBar()->width() - hub->width()) << shown.toStdString();
    EXPECT_TRUE(shown.endsWith(QChar(0x2026))) << "elided with …";
    EXPECT_FALSE(window.statusBar()->toolTip().isEmpty());
}

// Help → Keyboard Shortcuts lists what the issue asks for, generated from the actions.
TEST(MainWindow, ShortcutListComesFromTheActions)
{
    QTemporaryDir tmp;
    CoreBridge bridge(tmp.filePath(QStringLiteral("hub")));
    MainWindow window(&bridge);
    const QString all = window.shortcutList().join(u'\n');
    if (qEnvironmentVariableIsSet("HUBCAP_TEST_SHOTS")) // look at it
        std::cout << all.toStdString() << std::endl;
    for (const QKeySequence &k :
         {QKeySequence(QKeySequence::Open), QKeySequence(Qt::Key_F5),
          QKeySequence(QKeySequence::Find), QKeySequence(Qt::CTRL | Qt::Key_Comma),
          QKeySequence(Qt::CTRL | Qt::Key_Q), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D),
          QKeySequence(Qt::CTRL | Qt::Key_J)})
        EXPECT_TRUE(all.contains(k.toString(QKeySequence::NativeText)))
            << k.toString().toStdString() << "\n"
            << all.toStdString();
    EXPECT_TRUE(all.contains(u"Force Reload")) << all.toStdString();
    EXPECT_FALSE(all.contains(u'&'));
}
