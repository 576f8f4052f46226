// What a new user ran into (issue 17): the window must never change its own size and must be
// usable at 800x600; wording in the GUI's terms; filters, keys, local folders, trust wording,
// the read-only hub dir, a live switch to dark, notifications and verification progress.
#include "tests/ui/uifixtures.h"

#include "tests/fetch/fetchfixtures.h"
#include "tests/support/fakeserver.h"
#include "tests/support/testsupport.h"

#include "core/jobs/job.h"
#include "ui/browser/browserpage.h"
#include "ui/browser/entrypointdetail.h"
#include "ui/browser/entrypointmodel.h"
#include "ui/browser/repolistmodel.h"
#include "ui/cache/cachepage.h"
#include "ui/common/confirmer.h"
#include "ui/common/corebridge.h"
#include "ui/common/inlinemessage.h"
#include "ui/common/notifier.h"
#include "ui/common/theme.h"
#include "ui/common/trustdialog.h"
#include "ui/common/uiutil.h"
#include "ui/downloads/downloadsmodel.h"
#include "ui/downloads/downloadspanel.h"
#include "ui/export/loaddialog.h"
#include "ui/export/resultpanel.h"
#include "ui/export/runcontroller.h"
#include "ui/mainwindow.h"
#include "ui/settings/settingsdialog.h"
#include "ui/settings/trustmanagerdialog.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QToolButton>
#include <QTreeView>

using namespace hubcap;
using namespace hubcap::ui;

namespace {

/// A job that reports a step and ends when told to.
class ManualJob : public Job
{
public:
    using Job::Job;
    void finishNow() { succeed(); }
    void failNow(const QString &m) { failWith(Error::make(Error::Code::NotFound, m)); }

protected:
    void doStart() override { reportProgress(1, 10, QStringLiteral("Working")); }
};

/// Records every size the watched window takes.
class SizeWatcher : public QObject
{
public:
    explicit SizeWatcher(QWidget *w) { w->installEventFilter(this); }
    QList<QSize> sizes;

protected:
    bool eventFilter(QObject *, QEvent *e) override
    {
        if (e->type() == QEvent::Resize)
            sizes << static_cast<QResizeEvent *>(e)->size();
        return false;
    }
};

struct AppearanceGuard
{
    ~AppearanceGuard() { applyAppearance(Appearance::System); }
};

void settle(int ms = 50)
{
    QTest::qWait(ms);
}

void writeRunnableRepo(const QString &dir)
{
    test::writeFile(
        dir + QStringLiteral("/hubconf.py"),
        "dependencies = []\n\n\ndef first_model():\n    \"\"\"One.\"\"\"\n    return None\n"
        "\n\ndef second_model():\n    \"\"\"Two.\"\"\"\n    return None\n");
}

bool overlaps(QWidget *a, QWidget *b)
{
    const QRect ra(a->mapTo(a->window(), QPoint(0, 0)), a->size());
    const QRect rb(b->mapTo(b->window(), QPoint(0, 0)), b->size());
    return ra.intersects(rb);
}

} // namespace

// A whole session at 800x600: listing, long status and error texts, deleting from the cache,
// cleaning leftovers, downloads, the Model page with an error. The window keeps its size, what
// it holds fits in it, and the parts the user needs are on screen.
TEST(NewUser, WindowKeepsItsSizeAt800x600AcrossAllPages)
{
    QTemporaryDir tmp;
    const QString hub = tmp.filePath(QStringLiteral("hub"));
    const QString repo = tmp.filePath(QStringLiteral("demo"));
    test::writeFixtureRepo(repo);
    for (const char *name : {"facebookresearch_detr_main", "facebookresearch_dino_main"})
        test::writeFile(hub + u'/' + QLatin1String(name) + QStringLiteral("/hubconf.py"),
                        "dependencies = []\n");
    test::writeBytes(hub + QStringLiteral("/checkpoints/dino_vitbase16_pretrain_full_checkpoint-"
                                          "0123abcd.pth"),
                     6000);
    test::writeBytes(hub + QStringLiteral("/checkpoints/resnet152-394f9c45.pth.partial"), 3000);

    CoreBridge bridge(hub);
    MainWindow window(&bridge, [](QWidget *, const Confirmation &) { return true; });
    BrowserPage *page = window.browserPage();
    window.tabs()->setCurrentWidget(page); // Discover is the first tab
    page->setDemoRepo(repo);
    window.resize(800, 600);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    SizeWatcher watcher(&window);
    const auto check = [&](const char *step) {
        settle();
        EXPECT_EQ(window.size(), QSize(800, 600)) << step;
        // Nothing is cut off by the fixed size either: the content's minimum fits.
        const QSize min = window.layout()->totalMinimumSize();
        EXPECT_LE(min.width(), 800) << step;
        EXPECT_LE(min.height(), 600) << step;
    };

    window.refreshCache();
    ASSERT_TRUE(test::waitUntil([&] { return !window.cachePage()->isBusy(); }));
    check("cache scanned");
    QSignalSpy listed(page, &BrowserPage::listingFinished);
    ASSERT_TRUE(page->selectDemo());
    ASSERT_TRUE(listed.count() > 0 || listed.wait(30000));
    check("demo listed");

    // Sidebar names keep both ends (elided in the middle) and the tooltip has the whole name.
    const QModelIndex detr =
        page->repoModel()->find(hub + QStringLiteral("/facebookresearch_detr_main"));
    ASSERT_TRUE(detr.isValid());
    EXPECT_EQ(page->sidebar()->textElideMode(), Qt::ElideMiddle);
    const QModelIndex dino =
        page->repoModel()->find(hub + QStringLiteral("/facebookresearch_dino_main"));
    ASSERT_TRUE(dino.isValid());
    const QFontMetrics fm = page->sidebar()->fontMetrics();
    const QString shownDetr = fm.elidedText(detr.data().toString(), Qt::ElideMiddle, 120);
    const QString shownDino = fm.elidedText(dino.data().toString(), Qt::ElideMiddle, 120);
    EXPECT_NE(shownDetr, shownDino) << shownDetr.toStdString();
    EXPECT_TRUE(detr.data(Qt::ToolTipRole).toString().startsWith(detr.data().toString()));

    const QString longText = QStringLiteral("A very long message ").repeated(20);
    Q_EMIT page->statusMessage(longText);
    check("long status message");
    // The status message stops short of the hub dir label, with a gap.
    auto *hubLabel = window.findChild<QLabel *>(QStringLiteral("hubDirLabel"));
    ASSERT_NE(hubLabel, nullptr);
    const int messageEnd =
        window.statusBar()->fontMetrics().horizontalAdvance(window.statusBar()->currentMessage());
    EXPECT_LE(messageEnd + 8 + 8, hubLabel->x() + hubLabel->contentsMargins().left());

    window.messageBar()->showMessage(Tone::Error, QStringLiteral("facebookresearch/") + longText,
                                     longText, longText);
    check("long inline error");
    window.openField()->setText(longText);
    check("long text in the open field");
    window.messageBar()->dismiss();

    ASSERT_TRUE(page->selectRepo(hub + QStringLiteral("/facebookresearch_detr_main")));
    check("cached repository selected");

    // Cache page: delete one item, clean leftovers; the totals stay visible beside no button.
    window.tabs()->setCurrentWidget(window.cachePage());
    check("cache page");
    CachePage *cache = window.cachePage();
    QLabel *totals = cache->totalsLabel();
    EXPECT_TRUE(totals->isVisible());
    for (QPushButton *b : cache->findChildren<QPushButton *>())
        if (b->isVisible()) {
            EXPECT_FALSE(overlaps(totals, b)) << b->text().toStdString();
        }
    EXPECT_GE(totals->width(), totals->fontMetrics().horizontalAdvance(u'x') * 20);
    cache->selectRelPaths(
        {QStringLiteral("checkpoints/dino_vitbase16_pretrain_full_checkpoint-0123abcd.pth")});
    ASSERT_EQ(cache->selectedRelPaths().size(), 1);
    QSignalSpy deleted(cache, &CachePage::deletionFinished);
    cache->deleteSelected();
    ASSERT_TRUE(deleted.count() > 0 || deleted.wait(20000));
    ASSERT_TRUE(test::waitUntil([&] { return !cache->isBusy(); }));
    check("item deleted");
    cache->cleanLeftovers();
    ASSERT_TRUE(deleted.count() > 1 || deleted.wait(20000));
    ASSERT_TRUE(test::waitUntil([&] { return !cache->isBusy(); }));
    check("leftovers cleaned");

    // Downloads: rows with long names; the State column is on screen.
    for (int i = 0; i < 12; ++i) {
        auto *job = new ManualJob;
        job->setTitle(QStringLiteral("Fetch facebookresearch/dino:main number %1 ").arg(i) +
                      longText);
        window.downloadsModel()->addJob(job);
        job->start();
    }
    window.downloadsDock()->show();
    check("downloads shown");
    auto *panel = qobject_cast<DownloadsPanel *>(window.downloadsDock()->widget());
    ASSERT_NE(panel, nullptr);
    QHeaderView *header = panel->view()->header();
    EXPECT_LE(header->sectionViewportPosition(DownloadsModel::StateColumn) +
                  header->sectionSize(DownloadsModel::StateColumn),
              panel->view()->viewport()->width());
    // The newest row was scrolled into view.
    const QRect last = panel->view()->visualRect(window.downloadsModel()->index(11, 0));
    EXPECT_TRUE(panel->view()->viewport()->rect().intersects(last));

    // The Model page with an error and its details open.
    window.tabs()->setCurrentWidget(window.resultPanel());
    window.resultPanel()->showError(QStringLiteral("Export ") + longText, longText,
                                    QStringLiteral("Traceback (most recent call last):\n") +
                                        longText);
    window.resultPanel()->detailsButton()->setChecked(true);
    check("model page error");
    window.tabs()->setCurrentWidget(page);
    check("back to browse");

    for (const QSize &s : std::as_const(watcher.sizes))
        EXPECT_EQ(s, QSize(800, 600));
}

// The filter belongs to one repository: another one starts unfiltered. An empty list under a
// filter says so. Down moves into the list, Enter on an entrypoint opens Load.
TEST(NewUser, EntrypointFilterResetsHintsAndKeys)
{
    QTemporaryDir tmp;
    const QString a = tmp.filePath(QStringLiteral("a")), b = tmp.filePath(QStringLiteral("b"));
    test::writeFixtureRepo(a);
    writeRunnableRepo(b);
    CoreBridge bridge(tmp.filePath(QStringLiteral("hub")));
    MainWindow window(&bridge);
    BrowserPage *page = window.browserPage();
    window.tabs()->setCurrentWidget(page); // Discover is the first tab
    page->setDemoRepo(a);
    page->addLocalFolder(b);
    int forms = 0; // Enter opens the Load form (answered here without a modal dialog)
    window.runController()->setRequestDialog(
        [&](QWidget *, const Entrypoint &, const RepoEntry &, bool) {
            ++forms;
            return std::optional<LoadRequest>();
        });
    window.show();
    window.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&window));
    QSignalSpy listed(page, &BrowserPage::listingFinished);
    ASSERT_TRUE(page->selectDemo());
    ASSERT_TRUE(test::waitUntil([&] { return !page->isListing() && listed.count() > 0; }, 30000));
    listed.clear();

    page->filterEdit()->setText(QStringLiteral("zzz"));
    EXPECT_EQ(page->entrypointView()->model()->rowCount(), 0);
    EXPECT_TRUE(page->messageLabel()->isVisible());
    EXPECT_TRUE(page->messageLabel()->text().contains(QStringLiteral("No entrypoint matches")))
        << page->messageLabel()->text().toStdString();

    ASSERT_TRUE(page->selectRepo(b));
    ASSERT_TRUE(test::waitUntil([&] { return !page->isListing() && listed.count() > 0; }, 30000));
    EXPECT_TRUE(page->filterEdit()->text().isEmpty());
    EXPECT_EQ(page->entrypointView()->model()->rowCount(), 2);
    EXPECT_FALSE(page->messageLabel()->isVisible());

    page->focusFilter();
    page->filterEdit()->setText(QStringLiteral("second"));
    QTest::keyClick(page->filterEdit(), Qt::Key_Down);
    EXPECT_EQ(QApplication::focusWidget(), page->entrypointView());
    EXPECT_EQ(page->currentEntrypoint(), QStringLiteral("second_model"));
    QSignalSpy load(page, &BrowserPage::loadRequested);
    QTest::keyClick(page->entrypointView(), Qt::Key_Return);
    ASSERT_EQ(load.count(), 1);
    EXPECT_EQ(load.first().at(1).toString(), QStringLiteral("second_model"));
    EXPECT_EQ(forms, 1);
}

// Check for Updates and Force Reload need a GitHub repository: for a local folder they are
// disabled and say why.
TEST(NewUser, LocalFolderDisablesCheckAndForceReloadWithTheReason)
{
    QTemporaryDir tmp;
    const QString b = tmp.filePath(QStringLiteral("b"));
    writeRunnableRepo(b);
    CoreBridge bridge(tmp.filePath(QStringLiteral("hub")));
    MainWindow window(&bridge);
    window.browserPage()->addLocalFolder(b);
    ASSERT_NE(window.browserPage()->currentRepo(), nullptr);
    for (QAction *a : {window.checkUpdatesAction(), window.forceReloadAction()}) {
        EXPECT_FALSE(a->isEnabled()) << a->text().toStdString();
        EXPECT_TRUE(a->toolTip().contains(QStringLiteral("local folder")))
            << a->toolTip().toStdString();
    }
}

TEST(NewUser, TitleNamesTheHubDirOnceAndTheAppOnlyThroughThePlatform)
{
    QTemporaryDir tmp;
    const QString hub = tmp.filePath(QStringLiteral("hub"));
    CoreBridge bridge(hub);
    MainWindow window(&bridge);
    EXPECT_EQ(window.windowTitle(), QDir::toNativeSeparators(hub));
}

TEST(NewUser, ImportedEntrypointSaysWhereFromOnce)
{
    Entrypoint e;
    e.name = QStringLiteral("resnet50");
    e.kind = QStringLiteral("imported");
    e.definedIn = QObject::tr("imported from %1").arg(QStringLiteral("torchvision.models"));
    QTextBrowser view;
    view.setHtml(entrypointDetailHtml(e, EntrypointListing{}));
    const QString text = view.toPlainText();
    EXPECT_TRUE(text.contains(QStringLiteral("imported from torchvision.models")))
        << text.toStdString();
    EXPECT_FALSE(text.contains(QStringLiteral("defined in"))) << text.toStdString();
    EXPECT_EQ(text.count(QStringLiteral("imported")), 1) << text.toStdString();
}

TEST(NewUser, DurationsAndCliWordingReadForPeople)
{
    EXPECT_EQ(humanSeconds(1.7912), QStringLiteral("1.79 s"));
    EXPECT_EQ(humanSeconds(52.9611), QStringLiteral("53 s"));
    EXPECT_EQ(humanSeconds(0.0032), QStringLiteral("3.2 ms"));
    EXPECT_EQ(humanSeconds(125), QStringLiteral("2 min 5 s"));

    const QString shape = forGui(QStringLiteral(
        "ValueError: an export needs an example input: pass --input-shape (for example "
        "1,3,224,224); the model has no example_input_shape attribute"));
    EXPECT_FALSE(shape.contains(QStringLiteral("--input-shape"))) << shape.toStdString();
    EXPECT_TRUE(shape.contains(QStringLiteral("Input shape"))) << shape.toStdString();
    const QString ref = forGui(QStringLiteral(
        "Cannot find v9 in https://github.com/o/r. If it's a commit from a forked repo, please "
        "call hub.load() with forked repo directly.\nCheck the ref: it must be a branch or tag "
        "of o/r, or the start of the commit SHA a branch or tag points at. For any other commit "
        "of o/r, pass --skip-validation (skip_validation=True in Python) to download it by its "
        "SHA without this check."));
    for (const char *cli : {"--skip-validation", "skip_validation", "hub.load()"})
        EXPECT_FALSE(ref.contains(QLatin1String(cli))) << ref.toStdString();
    EXPECT_TRUE(ref.contains(QStringLiteral("Check the ref"))) << ref.toStdString();

    const QString tb = QStringLiteral(
        "Traceback (most recent call last):\n"
        "  File \"/usr/lib/hubcap/python/hubcap_host/runtime.py\", line 88, in load\n"
        "    model = fn(**kwargs)\n"
        "  File \"/hub/o_r_main/hubconf.py\", line 4, in net\n"
        "    return build()\n"
        "  File \"/usr/lib/python3/dist-packages/torch/nn/modules/module.py\", line 9, in x\n"
        "    raise RuntimeError('boom')\n"
        "RuntimeError: boom");
    int hidden = 0;
    const QString mine = repositoryFrames(tb, QStringLiteral("/hub/o_r_main"), &hidden);
    EXPECT_EQ(hidden, 2);
    EXPECT_TRUE(mine.contains(QStringLiteral("hubconf.py\", line 4")));
    EXPECT_TRUE(mine.contains(QStringLiteral("return build()")));
    EXPECT_FALSE(mine.contains(QStringLiteral("hubcap_host")));
    EXPECT_FALSE(mine.contains(QStringLiteral("model = fn")));
    EXPECT_TRUE(mine.endsWith(QStringLiteral("RuntimeError: boom")));
}

// An error on the Model page: the GUI's words, the traceback under Details with only the
// repository's frames until asked for all.
TEST(NewUser, ModelPageErrorFoldsTheTracebackToTheRepositorysFrames)
{
    ResultPanel panel;
    panel.resize(800, 500);
    panel.show();
    panel.setRepositoryDir(QStringLiteral("/hub/o_r_main"));
    panel.showError(
        QStringLiteral("Export net"),
        QStringLiteral("ValueError: an export needs an example input: pass --input-shape (for "
                       "example 1,3,224,224); the model has no example_input_shape attribute"),
        QStringLiteral("Traceback (most recent call last):\n"
                       "  File \"/x/hubcap_host/export.py\", line 57, in _shape\n    raise\n"
                       "  File \"/hub/o_r_main/hubconf.py\", line 4, in net\n    return m\n"
                       "ValueError: an export needs an example input"));
    EXPECT_FALSE(panel.summaryView()->toPlainText().contains(QStringLiteral("--input-shape")));
    EXPECT_FALSE(panel.summaryView()->toPlainText().contains(QStringLiteral("Traceback")));
    EXPECT_TRUE(panel.detailsButton()->isVisible());
    EXPECT_FALSE(panel.detailsView()->isVisible());
    panel.detailsButton()->setChecked(true);
    EXPECT_TRUE(panel.detailsView()->isVisible());
    QString details = panel.detailsView()->toPlainText();
    EXPECT_TRUE(details.contains(QStringLiteral("hubconf.py"))) << details.toStdString();
    EXPECT_FALSE(details.contains(QStringLiteral("hubcap_host"))) << details.toStdString();
    panel.allFramesBox()->setChecked(true);
    details = panel.detailsView()->toPlainText();
    EXPECT_TRUE(details.contains(QStringLiteral("hubcap_host"))) << details.toStdString();
}

TEST(NewUser, InputShapeIsCheckedInTheDialog)
{
    Entrypoint e;
    e.name = QStringLiteral("net");
    e.signature = QStringLiteral("net()");
    QTemporaryDir tmp;
    LoadDialog dialog(e, QStringLiteral("o/r"), true, tmp.path());
    QString error;
    for (const char *bad : {"1,0,224,224", "1,2,3,4,5,6,7,8,9", "100000,3,1000,1000"}) {
        dialog.shapeEdit()->setText(QLatin1String(bad));
        error.clear();
        EXPECT_FALSE(dialog.request(&error)) << bad;
        EXPECT_FALSE(error.isEmpty()) << bad;
    }
    dialog.shapeEdit()->setText(QStringLiteral("1,3,224,224"));
    EXPECT_TRUE(dialog.request(&error)) << error.toStdString();
}

TEST(NewUser, TrustDialogSaysExactlyWhatEachButtonDoes)
{
    TrustQuestion fetch{QStringLiteral("o/r:main"), QStringLiteral("o_r"),
                        QStringLiteral("download o/r:main into the hub cache")};
    fetch.allowRunOnce = false;
    TrustDialog f(fetch);
    QString text;
    for (QLabel *l : f.findChildren<QLabel *>())
        text += l->text();
    EXPECT_FALSE(text.contains(QStringLiteral("Browsing stays available")));
    EXPECT_FALSE(text.contains(QStringLiteral("has to run")));
    EXPECT_TRUE(text.contains(QStringLiteral("Downloading runs none of its code")));
    EXPECT_TRUE(text.contains(QStringLiteral("downloads nothing and changes nothing")));
    EXPECT_EQ(f.findChild<QPushButton *>(QStringLiteral("trustButton"))->text().remove(u'&'),
              QStringLiteral("Trust and Download"));

    TrustQuestion run{QStringLiteral("o/r:main"), QStringLiteral("o_r"),
                      QStringLiteral("load net")};
    TrustDialog r(run);
    text.clear();
    for (QLabel *l : r.findChildren<QLabel *>())
        text += l->text();
    EXPECT_TRUE(text.contains(QStringLiteral("To load net, Hubcap runs")));
    EXPECT_EQ(r.findChild<QPushButton *>(QStringLiteral("trustButton"))->text().remove(u'&'),
              QStringLiteral("Trust and Run"));
}

TEST(NewUser, TrustedRepositoriesCanBeAdded)
{
    QTemporaryDir tmp;
    TrustManagerDialog dialog(tmp.path());
    dialog.addField()->setText(QStringLiteral("not a repository"));
    EXPECT_FALSE(dialog.addTyped());
    EXPECT_TRUE(dialog.infoLabel()->text().contains(QStringLiteral("not a repository name")));
    dialog.addField()->setText(QStringLiteral("pytorch/vision"));
    EXPECT_TRUE(dialog.addTyped());
    EXPECT_EQ(test::readFile(tmp.filePath(QStringLiteral("trusted_list"))),
              QByteArray("pytorch_vision\n"));
    ASSERT_EQ(dialog.listWidget()->count(), 1);
    EXPECT_TRUE(dialog.addField()->text().isEmpty());
}

// The wrapped notes under Hub dir and GitHub token get the height they need, at the dialog's
// own size and at a narrow one.
TEST(NewUser, SettingsNotesAreNeverClipped)
{
    SettingsDialog dialog(AppSettings{});
    dialog.setSessionHubDir(QStringLiteral("/somewhere/else/entirely/given/with/hub-dir"));
    dialog.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&dialog));
    for (int width : {dialog.width(), 480}) {
        dialog.resize(width, dialog.height());
        settle(100);
        int notes = 0;
        for (QLabel *label : dialog.findChildren<QLabel *>()) {
            if (!label->isVisible() || !label->wordWrap() || label->text().isEmpty())
                continue;
            ++notes;
            EXPECT_GE(label->height(), label->heightForWidth(label->width()))
                << width << ": " << label->text().toStdString();
        }
        EXPECT_GE(notes, 2);
    }
}

// A live switch to dark colours the banner and the Model page's error text exactly as a window
// started in dark does.
TEST(NewUser, LiveSwitchToDarkLooksLikeAFreshStart)
{
    AppearanceGuard guard;
    QTemporaryDir tmp;
    const QString hub = tmp.filePath(QStringLiteral("hub"));
    const QString repo = tmp.filePath(QStringLiteral("demo"));
    test::writeFixtureRepo(repo);
    const auto prepare = [&](MainWindow &w) {
        w.browserPage()->setDemoRepo(repo);
        w.show();
        EXPECT_TRUE(w.browserPage()->selectDemo());
        w.resultPanel()->showError(QStringLiteral("Load"), QStringLiteral("It failed."), {});
        w.resultPanel()->showVerification(false, QStringLiteral("not verified: differs"));
    };
    applyAppearance(Appearance::Light);
    CoreBridge bridge(hub);
    MainWindow live(&bridge);
    prepare(live);
    settle();
    applyAppearance(Appearance::Dark);
    settle(100);
    MainWindow fresh(&bridge);
    prepare(fresh);
    settle();
    const QPalette a = live.browserPage()->bannerLabel()->palette();
    const QPalette b = fresh.browserPage()->bannerLabel()->palette();
    EXPECT_EQ(a.color(QPalette::Window), b.color(QPalette::Window));
    EXPECT_EQ(a.color(QPalette::WindowText), b.color(QPalette::WindowText));
    EXPECT_TRUE(isDark(a));
    const QColor errorText = toneText(Tone::Error, darkPalette());
    EXPECT_TRUE(live.resultPanel()->summaryView()->toHtml().contains(errorText.name()))
        << live.resultPanel()->summaryView()->toHtml().toStdString();
    EXPECT_EQ(live.resultPanel()->verdictLabel()->palette().color(QPalette::WindowText),
              fresh.resultPanel()->verdictLabel()->palette().color(QPalette::WindowText));
    EXPECT_GE(
        contrastRatio(live.resultPanel()->verdictLabel()->palette().color(QPalette::WindowText),
                      darkPalette().color(QPalette::Window)),
        4.5);
}

// A hub dir that cannot be written is named as the cause, with Settings, from the start.
TEST(NewUser, UnwritableHubDirIsSaidAtStartWithSettings)
{
    QTemporaryDir tmp;
    const QString blocker = tmp.filePath(QStringLiteral("a-file"));
    test::writeFile(blocker, "not a folder");
    CoreBridge bridge(blocker + QStringLiteral("/hub"));
    MainWindow window(&bridge);
    EXPECT_FALSE(window.checkHubDirWritable());
    EXPECT_FALSE(window.messageBar()->isHidden());
    EXPECT_EQ(window.messageBar()->title(), QStringLiteral("The hub dir is not writable"));
    ASSERT_EQ(window.messageBar()->actionButtons().size(), 1);
    EXPECT_TRUE(
        window.messageBar()->actionButtons().first()->text().contains(QStringLiteral("Settings")));

    QTemporaryDir ok;
    CoreBridge good(ok.filePath(QStringLiteral("hub")));
    MainWindow fine(&good);
    EXPECT_TRUE(fine.checkHubDirWritable());
    EXPECT_TRUE(fine.messageBar()->isHidden());
}

// Long jobs that end while the window is not active reach the desktop.
TEST(NewUser, LongJobsEndingInTheBackgroundAreNotified)
{
    QTemporaryDir tmp;
    CoreBridge bridge(tmp.filePath(QStringLiteral("hub")));
    MainWindow window(&bridge);
    QList<Notifier::Note> notes;
    window.notifier()->setSink([&](const Notifier::Note &n) { notes << n; });
    window.setNotifyAfterMs(0);
    ASSERT_FALSE(window.isActiveWindow());
    auto *ok = new ManualJob;
    ok->setTitle(QStringLiteral("Download resnet50.pth"));
    window.downloadsModel()->addJob(ok);
    ok->start();
    ok->finishNow();
    auto *bad = new ManualJob;
    bad->setTitle(QStringLiteral("Export net"));
    window.downloadsModel()->addJob(bad);
    bad->start();
    bad->failNow(QStringLiteral("No such ref."));
    ASSERT_EQ(notes.size(), 2);
    EXPECT_TRUE(notes[0].title.contains(QStringLiteral("Download resnet50.pth")));
    EXPECT_FALSE(notes[0].failed);
    EXPECT_TRUE(notes[1].failed);
    EXPECT_EQ(notes[1].body, QStringLiteral("No such ref."));

    // A short job (under the threshold) is not worth a notification.
    window.setNotifyAfterMs(60000);
    auto *quick = new ManualJob;
    window.downloadsModel()->addJob(quick);
    quick->start();
    quick->finishNow();
    EXPECT_EQ(notes.size(), 2);
}

// A one-item confirmation is a small dialog, and a note about the items wraps below the list
// instead of being an item cut off sideways.
TEST(NewUser, ConfirmationFitsItsContentAndWrapsNotes)
{
    Confirmation c{QStringLiteral("Delete 1 item?"),
                   QStringLiteral("1 item will be deleted."),
                   {QStringLiteral("checkpoints/a.pth  (1 MB)")},
                   QStringLiteral("Delete")};
    c.notes << QStringLiteral("A .partial file is an interrupted download: downloading the same "
                              "URL again resumes it. Removing it loses that progress.");
    ConfirmDialog dialog(c);
    dialog.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&dialog));
    settle();
    EXPECT_LT(dialog.height(), 320);
    EXPECT_EQ(dialog.itemList()->count(), 1);
    EXPECT_TRUE(dialog.notesLabel()->isVisible());
    EXPECT_TRUE(dialog.notesLabel()->wordWrap());
    EXPECT_GE(dialog.notesLabel()->height(),
              dialog.notesLabel()->heightForWidth(dialog.notesLabel()->width()));
}

namespace {
struct GithubAt
{
    explicit GithubAt(const QString &url)
    {
        qputenv("HUBCAP_GITHUB_URL", url.toUtf8());
        qputenv("HUBCAP_GITHUB_API_URL", url.toUtf8());
    }
    ~GithubAt()
    {
        qputenv("HUBCAP_GITHUB_URL", "http://127.0.0.1:9");
        qputenv("HUBCAP_GITHUB_API_URL", "http://127.0.0.1:9");
    }
};
} // namespace

// Declining the trust question keeps what was typed; a successful fetch clears it. Check for
// Updates then says "up to date" once, with the commit, not "up to date / up to date (sha)".
TEST(NewUser, DeclinedFetchKeepsTheNameAndUpToDateIsSaidOnce)
{
    test::FakeServer server;
    ASSERT_TRUE(server.isRunning()) << server.serverErrors().toStdString();
    test::makeRepo(server.root(), QStringLiteral("someone"), QStringLiteral("tool"),
                   {{QStringLiteral("hubconf.py"), test::hubconf(42)}});
    GithubAt env(server.url());
    QTemporaryDir tmp;
    const QString hub = tmp.filePath(QStringLiteral("hub"));
    CoreBridge bridge(hub);
    MainWindow window(&bridge);
    TrustAnswer answer = TrustAnswer::Refuse;
    window.setTrustAsker([&](QWidget *, const TrustQuestion &) { return answer; });
    DownloadsModel *jobs = window.downloadsModel();
    auto finished = [&](int row) {
        return jobs->rowCount() > row &&
               jobs->index(row, 0).data(DownloadsModel::PhaseRole).toInt() >=
                   int(DownloadsModel::Phase::Done);
    };
    const QString typed = QStringLiteral("someone/tool:main");
    window.openField()->setText(typed);
    window.openRepository(window.openField()->text());
    ASSERT_TRUE(test::waitUntil([&] { return finished(0); }));
    EXPECT_EQ(window.openField()->text(), typed);

    answer = TrustAnswer::TrustAndRecord;
    window.openRepository(window.openField()->text());
    ASSERT_TRUE(test::waitUntil([&] { return finished(1); }, 30000));
    EXPECT_TRUE(window.openField()->text().isEmpty());
    ASSERT_TRUE(test::waitUntil(
        [&] {
            const RepoEntry *r = window.browserPage()->currentRepo();
            return r && r->spec == typed;
        },
        20000));
    EXPECT_TRUE(window.checkUpdatesAction()->isEnabled());
    EXPECT_TRUE(window.forceReloadAction()->isEnabled());

    window.messageBar()->dismiss();
    window.checkForUpdates();
    ASSERT_TRUE(test::waitUntil([&] { return !window.messageBar()->isHidden(); }, 20000));
    EXPECT_EQ(window.messageBar()->title(), QStringLiteral("someone/tool:main is up to date"));
    EXPECT_FALSE(window.messageBar()->text().contains(QStringLiteral("up to date")))
        << window.messageBar()->text().toStdString();
    EXPECT_TRUE(window.messageBar()->text().contains(QStringLiteral("newest")))
        << window.messageBar()->text().toStdString();
}
