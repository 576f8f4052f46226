#pragma once

#include "repolistmodel.h"
#include <protocol/entrypoint.h>

#include <jobs/job.h>

#include <QPointer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QSplitter;
class QTextBrowser;
class QTreeView;

namespace hubcap::ui {

class CoreBridge;
class EntrypointModel;

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

Q_SIGNALS:
    void repoSelected(const QString &path);
    void listingFinished(bool ok);
    void loadRequested(const QString &repoPath, const QString &entrypoint);
    void exportRequested(const QString &repoPath, const QString &entrypoint);
    void statusMessage(const QString &text);

private:
    void onRepoChanged();
    void onEntrypointChanged();
    void showMessage(const QString &text, bool error);
    void listRepo(const RepoEntry &entry);
    void updateBanner(const RepoEntry *entry);

    CoreBridge *m_bridge;
    RepoListModel *m_repos;
    EntrypointModel *m_entrypoints;
    QSortFilterProxyModel *m_proxy;
    QSplitter *m_splitter;
    QTreeView *m_sidebar;
    QTreeView *m_list;
    QLineEdit *m_filter;
    QLabel *m_repoTitle;
    QLabel *m_banner;
    QLabel *m_message;
    QTextBrowser *m_detail;
    QPushButton *m_loadButton;
    QPushButton *m_exportButton;
    QString m_pendingPath;
    QString m_listedPath;
    QPointer<Job> m_job;
};

} // namespace hubcap::ui
