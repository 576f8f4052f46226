#include "ui/mainwindow.h"

#include "core/util/version.h"

#include "ui/browser/browserpage.h"
#include "ui/bundle/bundlecontroller.h"
#include "ui/cache/cachepage.h"
#include "ui/cache/inspectordialog.h"
#include "ui/common/corebridge.h"
#include "ui/common/icons.h"
#include "ui/common/inlinemessage.h"
#include "ui/common/notifier.h"
#include "ui/common/runninghostsdialog.h"
#include "ui/common/theme.h"
#include "ui/common/uiutil.h"
#include "ui/discover/catalogopener.h"
#include "ui/discover/discoverpage.h"
#include "ui/downloads/downloadsmodel.h"
#include "ui/downloads/downloadspanel.h"
#include "ui/downloads/weightsdownloader.h"
#include "ui/export/resultpanel.h"
#include "ui/export/runcontroller.h"
#include "ui/settings/appsettings.h"
#include "ui/settings/settingsdialog.h"
#include "ui/settings/trustmanagerdialog.h"

#include "core/cache/hubdir.h"
#include "core/cache/repospec.h"
#include "core/fetch/checkupdatejob.h"
#include "core/fetch/repofetchjob.h"
#include "core/jobs/job.h"
#include "core/util/format.h"

#include <QAction>

#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPointer>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>
#include <algorithm>

namespace hubcap::ui {

namespace {
constexpr int StatusGap = 16; ///< between the status message and the permanent labels

/// Whether `hubDir` can be written: the folder itself or, when it does not exist yet, the
/// nearest folder above it (torch.hub creates the hub dir on demand).
bool hubDirWritable(const QString &hubDir)
{
    QFileInfo probe(hubDir);
    while (!probe.exists() && probe.absoluteFilePath() != probe.absolutePath())
        probe = QFileInfo(probe.absolutePath());
    return probe.exists() && probe.isDir() && probe.isWritable();
}
} // namespace

MainWindow::MainWindow(CoreBridge *bridge, Confirmer confirmer, QWidget *parent)
    : QMainWindow(parent), m_bridge(bridge)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(appIcon()); // the icon the desktop file and the hicolor theme use
    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("mainTabs"));
    m_tabs->setDocumentMode(true);
    m_browser = new BrowserPage(bridge);
    // Discover (the PyTorch Hub catalog) is the first tab: what a first launch shows.
    m_discover = new DiscoverPage(bridge);
    m_tabs->addTab(m_discover, icon(QStringLiteral("hubcap")), tr("&Discover"));
    m_tabs->addTab(m_browser, icon(QStringLiteral("repo")), tr("&Browse"));
    m_cache = new CachePage(bridge->hubDir(), std::move(confirmer));
    m_tabs->addTab(m_cache, icon(QStringLiteral("cache")), tr("&Cache"));
    connect(m_cache, &CachePage::scanned, this, &MainWindow::onCacheScanned);
    // A deleted repository's Python host has nothing left to serve.
    connect(m_cache, &CachePage::pathsRemoved, this, [this](const QStringList &paths) {
        for (const QString &p : paths)
            m_bridge->repositoryRemoved(p);
    });
    connect(
        m_cache, &CachePage::totalsChanged, this, [this](qint64 total, qint64 free, int measuring) {
            if (measuring == 0)
                return;     // the final text comes with scanned()
            Q_UNUSED(free); // shown with the final total
            m_cacheSizeLabel->setText(
                tr("Cache: %1 so far, measuring (%2 to go)…").arg(humanSize(total)).arg(measuring));
        });
    connect(m_cache, &CachePage::inspectRequested, this, [this](const QString &path) {
        auto *dialog = new InspectorDialog(path, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    m_result = new ResultPanel;
    m_tabs->addTab(m_result, icon(QStringLiteral("load")), tr("&Model"));
    connect(m_cache, &CachePage::statusMessage, this,
            [this](const QString &t) { showStatus(t, 8000); });
    m_message = new InlineMessage;
    auto *central = new QWidget;
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(4);
    centralLayout->addWidget(m_message);
    centralLayout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    m_downloads = new DownloadsModel(this);
    m_downloadsDock = new QDockWidget(tr("Downloads"), this);
    m_downloadsDock->setObjectName(QStringLiteral("downloadsDock"));
    auto *downloadsPanel = new DownloadsPanel(m_downloads);
    m_downloadsDock->setWidget(downloadsPanel);
    addDockWidget(Qt::BottomDockWidgetArea, m_downloadsDock);
    m_downloadsDock->hide(); // shown when a job starts (or restored from the last session)
    // The first time it shows, the dock takes a third of the window rather than half, so the
    // page above stays usable at 800x600 (the user's own size is restored from then on).
    connect(m_downloadsDock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (!visible || m_dockSized)
            return;
        m_dockSized = true;
        resizeDocks({m_downloadsDock}, {std::max(150, height() / 3)}, Qt::Vertical);
    });
    connect(m_bridge, &CoreBridge::jobStarted, this, [this](Job *job) {
        m_downloads->addJob(job);
        m_downloadsDock->show();
    });

    // Weight downloads: through the bridge's queue; the checkpoint shows on the cache page.
    m_weights = new WeightsDownloader(bridge, m_downloads, this);
    downloadsPanel->addLeadingAction(m_weights->action());
    connect(m_weights, &WeightsDownloader::queued, m_downloadsDock, &QWidget::show);
    connect(m_weights, &WeightsDownloader::finished, this,
            [this](bool ok, const QString &, const QString &message) {
                showStatus(message, 15000);
                if (ok)
                    refreshCache();
                m_browser->refreshWeights(); // "downloaded" in the entrypoint's weights
            });
    // Another ref picked in the sidebar: opened (fetched into its own folder) like a typed one.
    connect(m_browser, &BrowserPage::openRepoRequested, this,
            [this](const QString &spec) { openRepository(spec); });
    // The Download links of an entrypoint's weights go through the same queue.
    connect(m_browser, &BrowserPage::weightsDownloadRequested, m_weights,
            [this](const CheckpointRequest &request) { m_weights->download(request); });

    m_run = new RunController(bridge, m_result, m_downloads, this);
    m_browser->setSnippetArguments(
        [this](const QString &repo, const QString &name) { return m_run->lastKwargs(repo, name); });
    m_opener = new CatalogOpener(this);
    connect(m_discover, &DiscoverPage::jobCreated, this, [this](Job *job) {
        m_downloads->addJob(job, [this] { return m_discover->makeRefreshJob(); });
        m_downloadsDock->show();
    });
    connect(m_discover, &DiscoverPage::openRequested, m_opener, &CatalogOpener::open);
    connect(m_discover, &DiscoverPage::loadRequested, m_opener, &CatalogOpener::load);
    connect(m_discover, &DiscoverPage::statusMessage, this,
            [this](const QString &t) { showStatus(t, 8000); });
    auto runEntrypoint = [this](bool withExport) {
        const RepoEntry *repo = m_browser->currentRepo();
        const QString name = m_browser->currentEntrypoint();
        if (!repo || name.isEmpty())
            return;
        for (const Entrypoint &e : m_browser->listing().entrypoints)
            if (e.name == name) {
                const RepoEntry repoCopy = *repo;
                if (m_run->start(repoCopy, e, withExport))
                    m_tabs->setCurrentWidget(m_result);
                return;
            }
    };
    connect(m_browser, &BrowserPage::loadRequested, this,
            [runEntrypoint] { runEntrypoint(false); });
    connect(m_browser, &BrowserPage::exportRequested, this,
            [runEntrypoint] { runEntrypoint(true); });

    // Both elide rather than ask for their whole text's width: a long hub dir or a running total
    // never widens the window. The hub dir label keeps a gap from the temporary message.
    m_hubDirLabel = new ElidedLabel(Qt::ElideMiddle);
    m_hubDirLabel->setObjectName(QStringLiteral("hubDirLabel"));
    m_hubDirLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_hubDirLabel->setContentsMargins(StatusGap, 0, 0, 0);
    m_cacheSizeLabel = new ElidedLabel(Qt::ElideRight);
    m_cacheSizeLabel->setObjectName(QStringLiteral("cacheSizeLabel"));
    m_cacheSizeLabel->setContentsMargins(StatusGap / 2, 0, 0, 0);
    statusBar()->addPermanentWidget(m_hubDirLabel);
    statusBar()->addPermanentWidget(m_cacheSizeLabel);
    connect(m_browser, &BrowserPage::statusMessage, this,
            [this](const QString &t) { showStatus(t, 8000); });
    connect(m_bridge, &CoreBridge::hubDirChanged, this, [this](const QString &dir) {
        updateTitle();
        m_cache->setHubDir(dir);
        m_discover->reload();
        checkHubDirWritable();
    });

    m_notifier = new Notifier(this);
    connect(m_downloads, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) {
                for (int r = first; r <= last; ++r)
                    if (Job *job = m_downloads->job(r))
                        watchForNotification(job);
            });

    createActions();
    updateTitle();
    connect(m_browser->sidebar()->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &MainWindow::updateRepoActions);
    updateRepoActions();
    // Only the user sizes the window: with an explicit minimum, no layout (a long label, a new
    // row) can raise the minimum and make the window grow by itself.
    setMinimumSize(640, 480);
    resize(1200, 760);
}

MainWindow::~MainWindow() = default;

void MainWindow::setTrustAsker(TrustAsker asker)
{
    m_askTrust = asker;
    m_browser->setTrustAsker(std::move(asker)); // "List by Running hubconf.py" asks too
}

QString MainWindow::aboutText()
{
    return versionReport(QStringLiteral("Hubcap"));
}

QStringList MainWindow::shortcutList() const
{
    // Generated from the actions themselves, so the list cannot drift from what works.
    QStringList lines;
    const auto actions = findChildren<QAction *>();
    for (QAction *a : actions) {
        if (a->shortcuts().isEmpty() || a->text().isEmpty())
            continue;
        QStringList keys;
        for (const QKeySequence &k : a->shortcuts())
            keys << k.toString(QKeySequence::NativeText);
        const QString line = QStringLiteral("%1\t%2").arg(
            keys.join(QStringLiteral(", ")), QString(a->text()).remove(u'&').remove(u'…'));
        if (!lines.contains(line))
            lines << line;
    }
    std::sort(lines.begin(), lines.end(), [](const QString &a, const QString &b) {
        return a.section(u'\t', 1).compare(b.section(u'\t', 1), Qt::CaseInsensitive) < 0;
    });
    return lines;
}

void MainWindow::showShortcuts()
{
    QString html = QStringLiteral("<table cellspacing=6>");
    for (const QString &line : shortcutList())
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                    .arg(line.section(u'\t', 0, 0).toHtmlEscaped(),
                         line.section(u'\t', 1).toHtmlEscaped());
    html += QStringLiteral("</table>");
    auto *box = new QMessageBox(QMessageBox::NoIcon, tr("Keyboard Shortcuts"), html,
                                QMessageBox::Close, this);
    box->setObjectName(QStringLiteral("shortcutsBox"));
    box->setTextFormat(Qt::RichText);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::showAbout()
{
    QMessageBox box(this);
    box.setWindowTitle(tr("About Hubcap"));
    box.setIconPixmap(appIcon().pixmap(64, 64));
    box.setText(
        tr("<b>Hubcap</b>: PyTorch Hub repositories, entrypoints and the torch.hub cache."));
    box.setInformativeText(aboutText());
    box.exec();
}

void MainWindow::createActions()
{
    auto *fileMenu = menuBar()->addMenu(tr("&File"));
    auto *repoMenu = menuBar()->addMenu(tr("&Repository"));
    auto *viewMenu = menuBar()->addMenu(tr("&View"));
    auto *helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction *keys =
        helpMenu->addAction(tr("&Keyboard Shortcuts"), this, &MainWindow::showShortcuts);
    keys->setObjectName(QStringLiteral("shortcutsAction"));
    keys->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Slash));
    helpMenu->addSeparator();
    QAction *about = helpMenu->addAction(tr("&About Hubcap"), this, &MainWindow::showAbout);
    about->setObjectName(QStringLiteral("aboutAction"));
    QAction *toggleDownloads = m_downloadsDock->toggleViewAction();
    toggleDownloads->setIcon(icon(QStringLiteral("download")));
    toggleDownloads->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_J));
    viewMenu->addAction(toggleDownloads);
    QAction *hosts = viewMenu->addAction(tr("Running &Hosts…"), this, [this] {
        RunningHostsDialog dialog(m_bridge, this);
        dialog.exec();
    });
    hosts->setObjectName(QStringLiteral("runningHostsAction"));
    hosts->setToolTip(tr("The Python processes kept warm for repositories, and their memory"));

    auto *toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolbar"));
    toolbar->setToolButtonStyle(
        Qt::ToolButtonIconOnly); // tooltips name them; the field needs the room
    toolbar->setMovable(false);

    m_openField = new QLineEdit;
    m_openField->setObjectName(QStringLiteral("openField"));
    m_openField->setPlaceholderText(tr("Open repository: owner/repo[:ref] or a folder (Ctrl+O)"));
    m_openField->setAccessibleName(tr("Open repository"));
    m_openField->setClearButtonEnabled(true);
    m_openField->setMinimumWidth(200);
    m_openField->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    connect(m_openField, &QLineEdit::returnPressed, this,
            [this] { openRepository(m_openField->text()); });

    auto *openAction = new QAction(icon(QStringLiteral("open")), tr("&Open Repository…"), this);
    openAction->setShortcut(QKeySequence::Open);
    openAction->setToolTip(tr("Open a repository (owner/repo[:ref]) or a folder (Ctrl+O)"));
    connect(openAction, &QAction::triggered, this, [this] {
        m_openField->setFocus(Qt::ShortcutFocusReason);
        m_openField->selectAll();
    });
    auto *addFolder = new QAction(icon(QStringLiteral("folder")), tr("Add &Folder…"), this);
    connect(addFolder, &QAction::triggered, this, [this] {
        const QString dir =
            QFileDialog::getExistingDirectory(this, tr("Add a hub repository folder"));
        if (!dir.isEmpty())
            openRepository(dir);
    });
    auto *reload = new QAction(icon(QStringLiteral("reload")), tr("&Reload"), this);
    reload->setShortcuts({QKeySequence(Qt::Key_F5), QKeySequence(Qt::CTRL | Qt::Key_R)});
    reload->setToolTip(tr("List the repository again and rescan the cache (F5)"));
    connect(reload, &QAction::triggered, this, [this] {
        refreshCache();
        m_browser->relist();
    });
    auto *check = m_checkAction =
        new QAction(icon(QStringLiteral("update")), tr("&Check for Updates"), this);
    check->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_U));
    check->setToolTip(tr("Compare the cached commit with the ref's head on GitHub (Ctrl+U)"));
    connect(check, &QAction::triggered, this, &MainWindow::checkForUpdates);
    auto *force = m_forceAction =
        new QAction(icon(QStringLiteral("download")), tr("&Force Reload"), this);
    force->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    force->setToolTip(tr("Download the repository again (force_reload=True) (Ctrl+Shift+R)"));
    connect(force, &QAction::triggered, this, &MainWindow::forceReload);
    auto *filter = new QAction(icon(QStringLiteral("filter")), tr("&Filter Entrypoints"), this);
    filter->setShortcut(QKeySequence::Find);
    connect(filter, &QAction::triggered, this, [this] {
        m_tabs->setCurrentWidget(m_browser);
        m_browser->focusFilter();
    });
    auto *loadAction = new QAction(icon(QStringLiteral("load")), tr("&Load Entrypoint…"), this);
    loadAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    connect(loadAction, &QAction::triggered, this, [this] {
        if (m_browser->canRunCurrent() && m_browser->currentRepo())
            Q_EMIT m_browser->loadRequested(m_browser->currentRepo()->path,
                                            m_browser->currentEntrypoint());
    });
    auto *exportAction =
        new QAction(icon(QStringLiteral("export")), tr("&Export Entrypoint…"), this);
    exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(exportAction, &QAction::triggered, this, [this] {
        if (m_browser->canRunCurrent() && m_browser->currentRepo())
            Q_EMIT m_browser->exportRequested(m_browser->currentRepo()->path,
                                              m_browser->currentEntrypoint());
    });
    auto *searchCatalog =
        new QAction(icon(QStringLiteral("filter")), tr("&Search the Catalog"), this);
    searchCatalog->setObjectName(QStringLiteral("searchCatalogAction"));
    searchCatalog->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    connect(searchCatalog, &QAction::triggered, this, [this] {
        m_tabs->setCurrentWidget(m_discover);
        m_discover->focusSearch();
    });
    auto *refreshCatalog =
        new QAction(icon(QStringLiteral("reload")), tr("Refresh the &Catalog"), this);
    refreshCatalog->setObjectName(QStringLiteral("refreshCatalogAction"));
    refreshCatalog->setToolTip(tr("Check the PyTorch Hub catalog for a new commit and fetch it"));
    connect(refreshCatalog, &QAction::triggered, this, [this] {
        m_tabs->setCurrentWidget(m_discover);
        m_discover->refresh();
    });
    auto *settingsAction = new QAction(icon(QStringLiteral("settings")), tr("&Settings…"), this);
    settingsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    settingsAction->setMenuRole(QAction::PreferencesRole);
    connect(settingsAction, &QAction::triggered, this, &MainWindow::showSettings);
    auto *trustAction =
        new QAction(icon(QStringLiteral("trusted")), tr("&Trusted Repositories…"), this);
    connect(trustAction, &QAction::triggered, this, [this] {
        TrustManagerDialog dialog(m_bridge->hubDir(), this);
        dialog.exec();
        refreshCache();
    });
    // Offline bundles: import from the File menu or by dropping a .hubcap file on the window;
    // export the cache page's selection, the sidebar's repository, or pick in the dialog.
    m_bundles = new BundleController(
        this, [this] { return m_bridge->hubDir(); }, this);
    connect(m_bundles, &BundleController::importFinished, this,
            [this](bool ok, const QString &message) {
                showStatus(message, 15000);
                if (ok)
                    refreshCache();
            });
    connect(m_bundles, &BundleController::exported, this,
            [this](const QString &file, qint64 bytes) {
                showStatus(tr("Wrote %1 (%2)").arg(file, humanSize(bytes)), 15000);
            });
    setAcceptDrops(true);
    auto *exportBundle = new QAction(icon(QStringLiteral("export")), tr("Export &Bundle…"), this);
    exportBundle->setObjectName(QStringLiteral("exportBundleAction"));
    exportBundle->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B));
    exportBundle->setToolTip(tr("Write repositories and their weights to one verified .hubcap "
                                "file for a machine without network (Ctrl+Shift+B)"));
    auto currentFolders = [this] {
        QStringList folders;
        if (m_tabs->currentWidget() == m_cache) {
            for (const QString &p : m_cache->selectedRelPaths())
                if (!p.contains(u'/') && p != u"checkpoints")
                    folders << p;
        } else if (const RepoEntry *repo = m_browser->currentRepo();
                   repo && repo->source == RepoEntry::Source::Cache) {
            folders << QFileInfo(repo->path).fileName();
        }
        return folders;
    };
    connect(exportBundle, &QAction::triggered, this,
            [this, currentFolders] { m_bundles->exportRepos(currentFolders()); });
    auto *exportSelection =
        new QAction(icon(QStringLiteral("export")), tr("Export &Bundle…"), this);
    connect(exportSelection, &QAction::triggered, this, [this] {
        QStringList folders;
        for (const QString &p : m_cache->selectedRelPaths())
            if (!p.contains(u'/') && p != u"checkpoints")
                folders << p;
        m_bundles->exportRepos(folders);
    });
    m_cache->view()->addAction(exportSelection);
    auto *exportRepo = new QAction(icon(QStringLiteral("export")), tr("Export &Bundle…"), this);
    connect(exportRepo, &QAction::triggered, this, [this] {
        QStringList folders;
        if (const RepoEntry *repo = m_browser->currentRepo();
            repo && repo->source == RepoEntry::Source::Cache)
            folders << QFileInfo(repo->path).fileName();
        m_bundles->exportRepos(folders);
    });

    auto *quit = new QAction(tr("&Quit"), this);
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    quit->setMenuRole(QAction::QuitRole);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    fileMenu->addAction(openAction);
    fileMenu->addAction(addFolder);
    fileMenu->addAction(m_weights->action());
    fileMenu->addSeparator();
    fileMenu->addAction(m_bundles->importAction());
    fileMenu->addAction(exportBundle);
    fileMenu->addSeparator();
    fileMenu->addAction(settingsAction);
    fileMenu->addAction(trustAction);
    fileMenu->addSeparator();
    fileMenu->addAction(quit);
    repoMenu->addAction(reload);
    repoMenu->addAction(check);
    repoMenu->addAction(force);
    repoMenu->addAction(filter);
    repoMenu->addSeparator();
    repoMenu->addAction(loadAction);
    repoMenu->addAction(exportAction);
    repoMenu->addAction(m_browser->copySnippetAction());
    viewMenu->addAction(searchCatalog);
    viewMenu->addAction(refreshCatalog);
    addAction(filter);
    addAction(searchCatalog);

    toolbar->addWidget(m_openField);
    toolbar->addAction(openAction);
    toolbar->addAction(addFolder);
    toolbar->addSeparator();
    toolbar->addAction(reload);
    toolbar->addAction(check);
    toolbar->addAction(force);
    toolbar->addSeparator();
    toolbar->addAction(loadAction);
    toolbar->addAction(exportAction);
    toolbar->addSeparator();
    toolbar->addAction(settingsAction);
    m_browser->sidebar()->addAction(reload);
    m_browser->sidebar()->addAction(check);
    m_browser->sidebar()->addAction(force);
    m_browser->sidebar()->addAction(exportRepo);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    for (const QUrl &url : event->mimeData()->urls())
        if (url.isLocalFile() && BundleController::isBundleFile(url.toLocalFile()))
            return event->acceptProposedAction();
    QMainWindow::dragEnterEvent(event);
}

void MainWindow::dropEvent(QDropEvent *event)
{
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile() && BundleController::isBundleFile(url.toLocalFile())) {
            event->acceptProposedAction();
            const QString file = url.toLocalFile();
            // After the drop returns: the import shows modal dialogs.
            QMetaObject::invokeMethod(
                this, [this, file] { m_bundles->importFile(file); }, Qt::QueuedConnection);
            return;
        }
    }
    QMainWindow::dropEvent(event);
}

void MainWindow::openRepository(const QString &input)
{
    const QString text = input.trimmed();
    if (text.isEmpty())
        return;
    m_message->dismiss(); // a new action: the last one's message is history
    const QString expanded = text.startsWith(u'~') ? QDir::homePath() + text.mid(1) : text;
    if (QFileInfo(expanded).isDir()) {
        if (!QFileInfo::exists(expanded + QStringLiteral("/hubconf.py"))) {
            showError(tr("Open repository"),
                      tr("%1 has no hubconf.py: it is not a hub repository. Choose the folder "
                         "that contains hubconf.py.")
                          .arg(expanded));
            return;
        }
        m_tabs->setCurrentWidget(m_browser);
        m_browser->addLocalFolder(expanded);
        m_openField->clear();
        return;
    }
    const auto spec = RepoSpec::parse(text);
    if (!spec) {
        showError(tr("Open repository"), spec.error().message, spec.error().details);
        return;
    }
    if (m_browser->selectRepo(spec->toString())) {
        m_openField->clear();
        return;
    }
    // The typed name stays until the fetch has succeeded: a declined trust question or a
    // failure leaves it there to correct or try again.
    m_openPending = input;
    fetch(*spec, false);
}

void MainWindow::fetch(const RepoSpec &spec, bool forceReload)
{
    m_message->dismiss();
    RepoFetchJob *job = makeFetchJob(spec, forceReload);
    // "Retry" on a failed row runs a fresh job in the same row.
    m_downloads->addJob(
        job, [this, spec, forceReload]() -> Job * { return makeFetchJob(spec, forceReload); });
    m_downloadsDock->show();
    job->start();
}

RepoFetchJob *MainWindow::makeFetchJob(const RepoSpec &spec, bool forceReload)
{
    RepoFetchJob *job = m_bridge->fetchRepo(spec, forceReload);
    const QString before = currentCommitOf(spec);
    connect(job, &RepoFetchJob::trustQuestion, this,
            [this, job](const TrustQuestion &q) { job->answerTrust(m_askTrust(this, q)); });
    connect(job, &RepoFetchJob::message, this,
            [this](const QString &text) { showStatus(text, 8000); });
    // The downloads model owns the job from here on (it deletes it when the row is cleared or
    // retried), so the inline "Retry" can reuse the row.
    connect(job, &Job::finished, this, [this, job, spec, before, forceReload] {
        const QString context = spec.toString();
        if (job->error()) {
            if (job->error()->code == Error::Code::Untrusted ||
                job->error()->code == Error::Code::Cancelled) {
                showStatus(job->error()->message, 15000); // the user's own answer
                return;
            }
            QPointer<Job> failed(job);
            showError(job->title(), job->error()->message, job->error()->details, context,
                      [this, failed, spec, forceReload] {
                          const int row = failed ? m_downloads->rowOf(failed) : -1;
                          if (row >= 0)
                              m_downloads->retry(row);
                          else
                              fetch(spec, forceReload);
                      });
            return;
        }
        if (m_messageContext == context)
            m_message->dismiss(); // an earlier failure of this repository is resolved
        const RepoFetchResult &r = job->result();
        QString text = r.cached
                           ? tr("%1 is already in the cache.").arg(spec.toString())
                           : tr("Fetched %1 (commit %2).").arg(spec.toString(), r.commit.left(12));
        showStatus(text, 15000);
        if (forceReload) {
            // The answer to the user's question stays on screen (the status bar is soon
            // overwritten by the relisting).
            const QString after = r.commit.isEmpty() ? tr("unknown") : r.commit.left(12);
            const QString was = before.isEmpty() ? tr("unknown") : before.left(12);
            m_messageContext = context;
            m_message->showMessage(
                Tone::Info, tr("Reloaded %1").arg(spec.toString()),
                was == after ? tr("Commit %1, unchanged: the ref has no new commits.").arg(after)
                             : tr("Commit %1 → %2.").arg(was, after));
        }
        if (!m_openPending.isEmpty() && m_openField->text() == m_openPending)
            m_openField->clear();
        m_openPending.clear();
        m_pendingSelection = r.dir;
        m_browser->repoModel()->setUpdateAvailable(spec.toString(), false);
        refreshCache();
    });
    return job;
}

QString MainWindow::currentCommitOf(const RepoSpec &spec) const
{
    const QModelIndex i = m_browser->repoModel()->find(spec.toString());
    return i.isValid() ? i.data(RepoListModel::CommitRole).toString() : QString();
}

void MainWindow::checkForUpdates()
{
    const RepoEntry *repo = m_browser->currentRepo();
    if (!repo || repo->spec.isEmpty()) {
        showStatus(tr("Select a repository from the hub cache to check it for updates."), 8000);
        return;
    }
    const auto spec = RepoSpec::parse(repo->spec);
    if (!spec)
        return;
    m_message->dismiss();
    CheckUpdateJob *job = m_bridge->checkUpdate(*spec);
    const QString key = repo->spec;
    showStatus(tr("Checking %1 for updates…").arg(key));
    connect(job, &Job::finished, this, [this, job, key] {
        job->deleteLater();
        if (job->error()) {
            showError(tr("Check for updates"), job->error()->message, job->error()->details, key,
                      [this] { checkForUpdates(); });
            return;
        }
        const auto &o = job->outcome();
        m_browser->repoModel()->setUpdateAvailable(
            key, o.status == CheckUpdateJob::Status::UpdateAvailable);
        const bool behind = o.status == CheckUpdateJob::Status::UpdateAvailable;
        showStatus(behind ? tr("%1: update available").arg(key)
                   : o.status == CheckUpdateJob::Status::UpToDate
                       ? tr("%1 is up to date").arg(key)
                       : QStringLiteral("%1: %2").arg(key, o.text),
                   15000);
        m_messageContext = key;
        QString body = o.text;
        if (o.status == CheckUpdateJob::Status::UpToDate)
            body = tr("The cached commit %1 is the newest on %2.")
                       .arg(o.recordedCommit.left(7), o.ref.isEmpty() ? key : o.ref);
        else if (behind)
            body = tr("The cache has commit %1; %2 is now at %3.")
                       .arg(o.recordedCommit.left(7), o.ref.isEmpty() ? key : o.ref,
                            o.headCommit.left(7));
        m_message->showMessage(behind ? Tone::Warning : Tone::Info,
                               behind ? tr("Update available for %1").arg(key)
                                      : tr("%1 is up to date").arg(key),
                               body);
        if (behind)
            if (const auto spec = RepoSpec::parse(key))
                m_message->addAction(tr("&Force Reload"),
                                     [this, spec = *spec] { fetch(spec, true); });
    });
    job->start();
}

void MainWindow::forceReload()
{
    const RepoEntry *repo = m_browser->currentRepo();
    if (!repo || repo->spec.isEmpty()) {
        showStatus(tr("Select a repository from the hub cache to reload it."), 8000);
        return;
    }
    if (const auto spec = RepoSpec::parse(repo->spec))
        fetch(*spec, true);
}

void MainWindow::refreshCache()
{
    m_cacheSizeLabel->setText(tr("Cache: scanning…"));
    m_cache->rescan();
}

void MainWindow::onCacheScanned(const CacheInventory &inventory)
{
    QList<RepoEntry> entries;
    for (const CachedRepo &r : inventory.repos) {
        RepoEntry e;
        e.source = RepoEntry::Source::Cache;
        e.title = r.displayName();
        e.path = r.path;
        if (r.known() && !r.ref.isNull())
            e.spec = QStringLiteral("%1/%2:%3").arg(r.owner, r.repo, r.ref);
        e.commit = r.commit;
        e.trusted = r.trust.trusted();
        e.bytes = r.bytes;
        entries << e;
    }
    std::sort(entries.begin(), entries.end(), [](const RepoEntry &a, const RepoEntry &b) {
        return a.title.compare(b.title, Qt::CaseInsensitive) < 0;
    });
    m_browser->setCachedRepos(entries);
    m_discover->cacheChanged(); // "in cache" badges, cached entrypoints for search
    if (!m_pendingSelection.isEmpty() && m_browser->selectRepo(m_pendingSelection)) {
        m_tabs->setCurrentWidget(m_browser);
        m_pendingSelection.clear();
    } else if (m_browser->currentRepo() &&
               m_browser->currentRepo()->source == RepoEntry::Source::Cache) {
        m_browser->relist(); // a reload may have changed the code
    }
    QString text = tr("Cache: %1").arg(humanSize(inventory.totalBytes));
    if (inventory.freeBytes >= 0)
        text += tr(" (%1 free)").arg(humanSize(inventory.freeBytes));
    m_cacheSizeLabel->setText(text);
}

void MainWindow::showSettings()
{
    const AppSettings before = AppSettings::load();
    SettingsDialog dialog(before, this);
    dialog.setSessionHubDir(m_bridge->hubDir());
    if (dialog.exec() != QDialog::Accepted)
        return;
    const AppSettings after = dialog.settings();
    after.save();
    if (const auto token = dialog.editedToken())
        m_bridge->setToken(*token); // GitHub requests and the Python hosts use it from now on
    if (after.appearance != before.appearance)
        applyAppearance(appearanceFromString(after.appearance));
    m_bridge->applyConcurrency(after.concurrency);
    m_bridge->applyHostSettings(after.hostIdleMinutes * 60 * 1000,
                                qint64(after.hostMemoryLimitMiB) * 1024 * 1024);
    if (after.hubDir != before.hubDir) {
        const std::optional<QString> explicitDir =
            after.hubDir.isEmpty() ? std::nullopt : std::optional<QString>(after.hubDir);
        m_bridge->setHubDir(resolveHubDir(explicitDir).absolutePath());
    }
}

void MainWindow::showStatus(const QString &text, int timeoutMs)
{
    // A temporary message shares the bar with the hub dir and cache size on the right; Qt does
    // not elide it, so a long one would run under them. The whole text stays in the tooltip
    // (and in the inline message when it is an error).
    int room = statusBar()->width() - 24 - StatusGap;
    for (QLabel *label :
         {static_cast<QLabel *>(m_hubDirLabel), static_cast<QLabel *>(m_cacheSizeLabel)})
        if (label && label->isVisible())
            room -= label->width();
    const QString shown =
        room > 80 ? statusBar()->fontMetrics().elidedText(text, Qt::ElideRight, room) : text;
    statusBar()->setToolTip(shown == text ? QString() : text);
    statusBar()->showMessage(shown, timeoutMs);
}

void MainWindow::updateTitle()
{
    const QString hub = QDir::toNativeSeparators(m_bridge->hubDir());
    // The platform adds the application's name ("<dir> — Hubcap").
    setWindowTitle(hub);
    m_hubDirLabel->setText(tr("Hub dir: %1").arg(hub));
}

void MainWindow::updateRepoActions()
{
    // Only a repository from the hub cache has a GitHub ref to compare or download again.
    const RepoEntry *repo = m_browser->currentRepo();
    const bool github = repo && repo->source == RepoEntry::Source::Cache && !repo->spec.isEmpty();
    QString why;
    if (!repo)
        why = tr("Select a repository from the hub cache first.");
    else if (repo->source != RepoEntry::Source::Cache)
        why = tr("%1 is a local folder: it has no GitHub ref to check or download again.")
                  .arg(repo->title);
    else if (!github)
        why = tr("The owner and ref of %1 are not known, so it cannot be checked or downloaded "
                 "again.")
                  .arg(repo->title);
    m_checkAction->setEnabled(github);
    m_forceAction->setEnabled(github);
    m_checkAction->setToolTip(
        github ? tr("Compare the cached commit with the ref's head on GitHub (Ctrl+U)") : why);
    m_forceAction->setToolTip(
        github ? tr("Download the repository again, replacing the cached copy (Ctrl+Shift+R)")
               : why);
    m_checkAction->setStatusTip(m_checkAction->toolTip());
    m_forceAction->setStatusTip(m_forceAction->toolTip());
}

void MainWindow::watchForNotification(Job *job)
{
    auto *clock = new QElapsedTimer;
    clock->start();
    connect(job, &Job::finished, this, [this, job, clock] {
        const qint64 ran = clock->elapsed();
        delete clock;
        if (ran < m_notifyAfterMs || isActiveWindow())
            return;
        const bool cancelled = job->error() && (job->error()->code == Error::Code::Cancelled ||
                                                job->error()->code == Error::Code::Untrusted);
        if (cancelled)
            return; // the user's own doing
        if (job->error())
            m_notifier->notify(tr("Failed: %1").arg(job->title()), job->error()->message, true);
        else
            m_notifier->notify(tr("Finished: %1").arg(job->title()),
                               tr("Done after %1.").arg(humanSeconds(ran / 1000.0)), false);
    });
}

bool MainWindow::checkHubDirWritable()
{
    const bool writable = hubDirWritable(m_bridge->hubDir());
    if (!writable) {
        m_messageContext = QStringLiteral("hubdir");
        m_message->showMessage(
            Tone::Warning, tr("The hub dir is not writable"),
            tr("%1 cannot be written by you, so fetching repositories, downloading weights and "
               "deleting from the cache will fail. Choose a hub dir you can write in Settings.")
                .arg(QDir::toNativeSeparators(m_bridge->hubDir())));
        m_message->addAction(tr("&Settings…"), [this] { showSettings(); });
    } else if (m_messageContext == QStringLiteral("hubdir")) {
        m_message->dismiss();
    }
    return writable;
}

void MainWindow::showError(const QString &where, const QString &message, const QString &details,
                           const QString &context, std::function<void()> retry)
{
    // A read-only hub dir surfaces as whatever the core tried first (a lock file, a temporary
    // folder): name the cause and the way out instead.
    if (!hubDirWritable(m_bridge->hubDir())) {
        const QString text =
            tr("The hub dir %1 is not writable, so this cannot be done. Choose a hub dir you can "
               "write in Settings.")
                .arg(QDir::toNativeSeparators(m_bridge->hubDir()));
        showStatus(text, 15000);
        m_messageContext = context;
        m_message->showMessage(Tone::Error, where, text,
                               details.isEmpty() ? message : message + u'\n' + details);
        m_message->addAction(tr("&Settings…"), [this] { showSettings(); });
        return;
    }
    // Inline, at the top of the window, where the open field and the toolbar are: jobs and the
    // event loop keep running, and the core's text stays on screen until dismissed.
    showStatus(message, 15000);
    m_messageContext = context;
    m_message->showMessage(Tone::Error, where, message, details);
    if (retry)
        m_message->addAction(tr("&Retry"), std::move(retry));
}

void MainWindow::restoreLayout()
{
    QSettings s;
    restoreGeometry(s.value(QStringLiteral("mainWindow/geometry")).toByteArray());
    if (restoreState(s.value(QStringLiteral("mainWindow/state")).toByteArray()))
        m_dockSized = true; // the user's own layout
    const QByteArray splitter = s.value(QStringLiteral("mainWindow/browserSplitter")).toByteArray();
    if (!splitter.isEmpty())
        m_browser->splitter()->restoreState(splitter);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings s;
    s.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    s.setValue(QStringLiteral("mainWindow/state"), saveState());
    s.setValue(QStringLiteral("mainWindow/browserSplitter"), m_browser->splitter()->saveState());
    QMainWindow::closeEvent(event);
}

} // namespace hubcap::ui
