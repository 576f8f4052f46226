#pragma once

#include "core/protocol/entrypoint.h"
#include "ui/browser/repolistmodel.h"

#include "core/jobs/job.h"
#include "core/net/checkpointdownload.h"
#include "ui/common/corebridge.h"
#include "ui/common/trustdialog.h"
#include <QHash>

#include <QJsonObject>
#include <QPointer>
#include <QWidget>
#include <functional>

#include <functional>

class QAction;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QSplitter;
class QTextBrowser;
class QTreeView;

namespace hubcap::ui {

class CoreBridge;
class ElidedLabel;
class EntrypointModel;
class RefPickerDialog;

/// The browse view: the sidebar of repositories, the (filterable) entrypoint list and the
/// detail view of the selected entrypoint. Listing is static (no repository code runs).
class BrowserPage : public QWidget
{
    Q_OBJECT
public:
    explicit BrowserPage(CoreBridge *bridge, QWidget *parent = nullptr);
    ~BrowserPage() override;

    RepoListModel *repoModel() const { return m_repos; }
    EntrypointModel *entrypointModel() const { return m_entrypoints; }
    QTreeView *sidebar() const { return m_sidebar; }
    QTreeView *entrypointView() const { return m_list; }
    QTextBrowser *detailView() const { return m_detail; }
    QLineEdit *filterEdit() const { return m_filter; }
    QLabel *bannerLabel() const { return m_banner; }
    QLabel *messageLabel() const { return m_message; }
    QSplitter *splitter() const { return m_splitter; }
    /// "Some entrypoints may be missing" and its "List by Running hubconf.py" button, shown
    /// when static analysis saw names it cannot resolve.
    QLabel *dynamicNoteLabel() const { return m_dynamicNote; }
    QPushButton *listByImportButton() const { return m_listByImport; }
    /// The weights the selected entrypoint can download (static analysis), as shown.
    const QList<WeightRef> &weights() const { return m_weights; }

    /// Replaces the trust dialog (tests answer without a modal loop).
    void setTrustAsker(TrustAsker asker) { m_askTrust = std::move(asker); }
    /// Lists the selected repository by running its hubconf.py, after torch.hub's trust
    /// question for a cached repository that is not trusted yet. False when declined.
    bool listByImport();
    /// Picks another branch or tag (or a commit) of the selected cached GitHub repository and
    /// asks for it to be opened (openRepoRequested: fetched into its own torch.hub folder).
    bool pickRef();
    /// Replaces the picker's modal loop (tests): returns the chosen ref, empty to cancel.
    void setRefPicker(std::function<QString(RefPickerDialog &)> picker)
    {
        m_pickRef = std::move(picker);
    }
    /// Queues the download of the selected entrypoint's weight `index` (weightsDownloadRequested).
    void downloadWeight(int index);
    /// Asks the size of weight `index` (one HEAD request).
    void querySize(int index);
    /// Re-reads whether the shown weights are cached (after a download ended).
    void refreshWeights();

    /// The selected repository, or nullptr.
    const RepoEntry *currentRepo() const;
    /// The selected entrypoint's name, or an empty string.
    QString currentEntrypoint() const;
    const EntrypointListing &listing() const;
    /// True while a listing runs.
    bool isListing() const { return !m_pendingPath.isEmpty(); }

    void setDemoRepo(const QString &dir);
    /// Adds a local folder to the sidebar (remembered in the settings) and selects it.
    void addLocalFolder(const QString &dir);
    /// Forgets a remembered local folder (the folder itself is not touched).
    void removeLocalFolder(const QString &dir);
    /// Whether the selected entrypoint can be loaded (one is selected, no missing dependency).
    bool canRunCurrent() const;
    void setCachedRepos(const QList<RepoEntry> &entries);
    bool selectRepo(const QString &pathOrSpec);
    bool selectDemo();
    bool selectEntrypoint(const QString &name);
    void focusFilter();
    /// Lists the selected repository again.
    void relist();

    /// The `torch.hub.load(...)` line for the selected entrypoint (empty when none), with the
    /// arguments of the load form when it was used for it (see setSnippetArguments).
    QString currentSnippet() const;
    /// Copies currentSnippet() to the clipboard ("Copy torch.hub.load Snippet", Ctrl+Shift+C).
    QAction *copySnippetAction() const { return m_copySnippet; }
    /// Where the snippet's keyword arguments come from: (repo folder, entrypoint) → kwargs.
    void setSnippetArguments(std::function<QJsonObject(const QString &, const QString &)> source)
    {
        m_snippetArgs = std::move(source);
    }

Q_SIGNALS:
    void repoSelected(const QString &path);
    void listingFinished(bool ok);
    void loadRequested(const QString &repoPath, const QString &entrypoint);
    void exportRequested(const QString &repoPath, const QString &entrypoint);
    void statusMessage(const QString &text);
    /// The user asked to download a weight file (goes through the session's weights queue).
    void weightsDownloadRequested(const hubcap::CheckpointRequest &request);
    /// The selected entrypoint's weights are known (static analysis answered).
    void weightsShown();
    /// "owner/repo:ref" should be opened (fetched first when it is not cached).
    void openRepoRequested(const QString &spec);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void updateFilterHint();
    void onRepoChanged();
    void onEntrypointChanged();
    void showMessage(const QString &text, bool error);
    void listRepo(const RepoEntry &entry, CoreBridge::ListMode mode);
    void listRepo(const RepoEntry &entry);
    void updateBanner(const RepoEntry *entry);
    void updateDynamicNote();
    void renderDetail();
    void onAnchor(const QUrl &url);

    CoreBridge *m_bridge;
    RepoListModel *m_repos;
    EntrypointModel *m_entrypoints;
    QSortFilterProxyModel *m_proxy;
    QSplitter *m_splitter;
    QTreeView *m_sidebar;
    QTreeView *m_list;
    QLineEdit *m_filter;
    ElidedLabel *m_repoTitle;
    bool m_messageIsError = false;
    bool m_filterHintShown = false;
    QLabel *m_banner;
    QLabel *m_message;
    QTextBrowser *m_detail;
    QPushButton *m_loadButton;
    QPushButton *m_exportButton;
    QPushButton *m_copySnippetButton;
    QAction *m_copySnippet;
    std::function<QJsonObject(const QString &, const QString &)> m_snippetArgs;
    QLabel *m_dynamicNote;
    QPushButton *m_listByImport;
    QWidget *m_dynamicBox;
    QString m_pendingPath;
    QString m_listedPath;
    QPointer<Job> m_job;
    QPointer<Job> m_weightsJob;
    QList<WeightRef> m_weights;
    QString m_weightsFor; ///< entrypoint the weights belong to
    bool m_weightsPending = false;
    QHash<QString, QString> m_sizes; ///< url -> size text ("12.3 MiB", "asking…", error)
    TrustAsker m_askTrust = askTrustWithDialog;
    std::function<QString(RefPickerDialog &)> m_pickRef;
};

} // namespace hubcap::ui
