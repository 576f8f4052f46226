#include "mainwindow.h"

#include "util/version.h"

#include "browser/browserpage.h"
#include "cache/cachepage.h"
#include "cache/inspectordialog.h"
#include "common/corebridge.h"
#include "common/icons.h"
#include "common/inlinemessage.h"
#include "common/theme.h"
#include "downloads/downloadsmodel.h"
#include "downloads/downloadspanel.h"
#include "downloads/weightsdownloader.h"
#include "export/resultpanel.h"
#include "export/runcontroller.h"
#include "settings/appsettings.h"
#include "settings/settingsdialog.h"
#include "settings/trustmanagerdialog.h"

#include <cache/hubdir.h>
#include <cache/repospec.h>
#include <fetch/checkupdatejob.h>
#include <fetch/repofetchjob.h>
#include <jobs/job.h>
#include <util/format.h>

#include <QAction>

#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
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

MainWindow::MainWindow(CoreBridge *bridge, Confirmer confirmer, QWidget *parent)
    : QMainWindow(parent), m_bridge(bridge)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(appIcon()); // the icon the desktop file and the hicolor theme use
    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("mainTabs"));
    m_tabs->setDocumentMode(true);
    m_browser = new BrowserPage(bridge);
    m_tabs->addTab(m_browser, icon(QStringLiteral("repo")), tr("&Browse"));
    m_cache = new CachePage(bridge->hubDir(), std::move(confirmer));
    m_tabs->addTab(m_cache, icon(QStringLiteral("cache")), tr("&Cache"));
    connect(m_cache, &CachePage::scanned, this, &MainWindow::onCacheScanned);
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
            });

    m_run = new RunController(bridge, m_result, m_downloads, this);
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

    m_hubDirLabel = new QLabel;
    m_hubDirLabel->setObjectName(QStringLiteral("hubDirLabel"));
    m_hubDirLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_cacheSizeLabel = new QLabel;
    m_cacheSizeLabel->setObjectName(QStringLiteral("cacheSizeLabel"));
    statusBar()->addPermanentWidget(m_hubDirLabel);
    statusBar()->addPermanentWidget(m_cacheSizeLabel);
    connect(m_browser, &BrowserPage::statusMessage, this,
            [this](const QString &t) { showStatus(t, 8000); });
    connect(m_bridge, &CoreBridge::hubDirChanged, this, [this](const QString &dir) {
        updateTitle();
        m_cache->setHubDir(dir);
    });

    createActions();
    updateTitle();
    resize(1200, 760);
}

MainWindow::~MainWindow() = default;

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
    m_openField->setMinimumWidth(420);
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
    auto *check = new QAction(icon(QStringLiteral("update")), tr("&Check for Updates"), this);
    check->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_U));
    check->setToolTip(tr("Compare the cached commit with the ref's head on GitHub (Ctrl+U)"));
    connect(check, &QAction::triggered, this, &MainWindow::checkForUpdates);
    auto *force = new QAction(icon(QStringLiteral("download")), tr("&Force Reload"), this);
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
    auto *quit = new QAction(tr("&Quit"), this);
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    quit->setMenuRole(QAction::QuitRole);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    fileMenu->addAction(openAction);
    fileMenu->addAction(addFolder);
    fileMenu->addAction(m_weights->action());
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
    addAction(filter);

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
    fetch(*spec, false);
    m_openField->clear();
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
        showStatus(QStringLiteral("%1: %2").arg(key, o.text), 15000);
        const bool behind = o.status == CheckUpdateJob::Status::UpdateAvailable;
        m_messageContext = key;
        m_message->showMessage(behind ? Tone::Warning : Tone::Info,
                               behind ? tr("Update available for %1").arg(key)
                                      : tr("%1 is up to date").arg(key),
                               o.text);
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
    int room = statusBar()->width() - 24;
    for (QLabel *label : {m_hubDirLabel, m_cacheSizeLabel})
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
    setWindowTitle(tr("Hubcap — %1").arg(hub));
    m_hubDirLabel->setText(tr("Hub dir: %1").arg(hub));
}

void MainWindow::showError(const QString &where, const QString &message, const QString &details,
                           const QString &context, std::function<void()> retry)
{
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
    restoreState(s.value(QStringLiteral("mainWindow/state")).toByteArray());
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
