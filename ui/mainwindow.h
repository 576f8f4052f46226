#pragma once

#include "ui/common/confirmer.h"
#include "ui/common/trustdialog.h"

#include <QMainWindow>

#include <functional>

class QAction;
class QDockWidget;
class QLabel;
class QLineEdit;
class QTabWidget;

namespace hubcap {
class Job;
class RepoFetchJob;
struct CacheInventory;
struct RepoSpec;
} // namespace hubcap

namespace hubcap::ui {

class BrowserPage;
class BundleController;
class CatalogOpener;
class DiscoverPage;
class CachePage;
class DownloadsModel;
class ResultPanel;
class RunController;
class CoreBridge;
class InlineMessage;
class ElidedLabel;
class Notifier;
class WeightsDownloader;

/// The application window: the browse page and the cache page in tabs, the downloads dock,
/// the "Open repository" field, and a status bar naming the hub dir and the cache's size.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(CoreBridge *bridge, Confirmer confirmer = confirmWithDialog,
                        QWidget *parent = nullptr);
    ~MainWindow() override;

    BrowserPage *browserPage() const { return m_browser; }
    DiscoverPage *discoverPage() const { return m_discover; }
    CatalogOpener *catalogOpener() const { return m_opener; }
    CachePage *cachePage() const { return m_cache; }
    DownloadsModel *downloadsModel() const { return m_downloads; }
    QDockWidget *downloadsDock() const { return m_downloadsDock; }
    ResultPanel *resultPanel() const { return m_result; }
    RunController *runController() const { return m_run; }
    WeightsDownloader *weightsDownloader() const { return m_weights; }
    /// Export Bundle… / Import Bundle… (File menu, cache page, sidebar, dropped .hubcap files).
    BundleController *bundleController() const { return m_bundles; }
    void showSettings();
    void setTrustAsker(TrustAsker asker);
    /// Fetches (or with `forceReload` re-downloads) a repository with progress in the downloads
    /// panel, asking for trust as torch.hub does; selects it when done.
    void fetch(const hubcap::RepoSpec &spec, bool forceReload);
    void checkForUpdates();
    void forceReload();
    QTabWidget *tabs() const { return m_tabs; }
    /// Where errors of the window's own actions (open, fetch, check for updates) appear.
    InlineMessage *messageBar() const { return m_message; }
    QLineEdit *openField() const { return m_openField; }

    /// Opens what the "Open repository" field says: a folder, or owner/repo[:ref].
    void openRepository(const QString &text);
    /// Rescans the hub cache (sidebar, status bar).
    void refreshCache();
    void restoreLayout();
    /// Help → About: versions of Hubcap, Qt, KArchive and what the hosts are built against.
    void showAbout();
    /// Help → Keyboard Shortcuts (Ctrl+/): every action's shortcut, "keys\tname" sorted by name.
    QStringList shortcutList() const;
    void showShortcuts();
    static QString aboutText();
    /// Desktop notifications for long jobs that end while the window is not active.
    Notifier *notifier() const { return m_notifier; }
    /// How long a job must have run for its end to be notified (default 10 s).
    void setNotifyAfterMs(int ms) { m_notifyAfterMs = ms; }
    /// Whether the hub dir (or, when it does not exist yet, the folder that would hold it) can
    /// be written; when not, a warning with "Settings…" shows at the top of the window.
    bool checkHubDirWritable();
    QAction *checkUpdatesAction() const { return m_checkAction; }
    QAction *forceReloadAction() const { return m_forceAction; }

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createActions();
    /// The status bar's temporary message, elided so it never runs under the permanent labels.
    void showStatus(const QString &text, int timeoutMs = 8000);
    void updateTitle();
    void onCacheScanned(const hubcap::CacheInventory &inventory);
    QString currentCommitOf(const hubcap::RepoSpec &spec) const;
    /// Shows an error inline at the top of the window; `context` names what it is about (a
    /// repository spec) so a later success can dismiss it; `retry` adds a "Retry" button.
    void showError(const QString &where, const QString &message, const QString &details = {},
                   const QString &context = {}, std::function<void()> retry = {});
    hubcap::RepoFetchJob *makeFetchJob(const hubcap::RepoSpec &spec, bool forceReload);

    CoreBridge *m_bridge;
    QTabWidget *m_tabs;
    BrowserPage *m_browser;
    DiscoverPage *m_discover;
    CatalogOpener *m_opener;
    CachePage *m_cache;
    DownloadsModel *m_downloads;
    QDockWidget *m_downloadsDock;
    ResultPanel *m_result;
    RunController *m_run;
    WeightsDownloader *m_weights;
    BundleController *m_bundles = nullptr;
    TrustAsker m_askTrust = askTrustWithDialog;
    QString m_pendingSelection;
    QString m_openPending; ///< what the open field said when its fetch started
    QLineEdit *m_openField;
    void updateRepoActions();
    void watchForNotification(Job *job);

    ElidedLabel *m_hubDirLabel = nullptr;
    ElidedLabel *m_cacheSizeLabel = nullptr;
    QAction *m_checkAction = nullptr;
    QAction *m_forceAction = nullptr;
    Notifier *m_notifier = nullptr;
    int m_notifyAfterMs = 10000;
    bool m_dockSized = false; ///< the downloads dock got its first height
    InlineMessage *m_message;
    QString m_messageContext;
};

} // namespace hubcap::ui
