#pragma once

#include "common/confirmer.h"
#include "common/trustdialog.h"

#include <QMainWindow>

#include <functional>

class QDockWidget;
class QLabel;
class QLineEdit;
class QTabWidget;

namespace hubcap {
class RepoFetchJob;
struct CacheInventory;
struct RepoSpec;
} // namespace hubcap

namespace hubcap::ui {

class BrowserPage;
class CachePage;
class DownloadsModel;
class ResultPanel;
class RunController;
class CoreBridge;
class InlineMessage;
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
    CachePage *cachePage() const { return m_cache; }
    DownloadsModel *downloadsModel() const { return m_downloads; }
    QDockWidget *downloadsDock() const { return m_downloadsDock; }
    ResultPanel *resultPanel() const { return m_result; }
    RunController *runController() const { return m_run; }
    WeightsDownloader *weightsDownloader() const { return m_weights; }
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

protected:
    void closeEvent(QCloseEvent *event) override;

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
    CachePage *m_cache;
    DownloadsModel *m_downloads;
    QDockWidget *m_downloadsDock;
    ResultPanel *m_result;
    RunController *m_run;
    WeightsDownloader *m_weights;
    TrustAsker m_askTrust = askTrustWithDialog;
    QString m_pendingSelection;
    QLineEdit *m_openField;
    QLabel *m_hubDirLabel = nullptr;
    QLabel *m_cacheSizeLabel = nullptr;
    InlineMessage *m_message;
    QString m_messageContext;
};

} // namespace hubcap::ui
