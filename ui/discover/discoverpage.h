#pragma once

#include "core/catalog/catalog.h"
#include "core/catalog/catalogsearch.h"

#include <QPointer>
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QStackedWidget;
class QTextBrowser;
class QToolButton;
class QVBoxLayout;

namespace hubcap {
class Job;
}

namespace hubcap::ui {

class CatalogModel;
class CoreBridge;
class InlineMessage;

/// The Discover page: the PyTorch Hub catalog as cards (thumbnail, title, summary, tags,
/// category, "in cache"), a search field (Ctrl+K) that searches as you type over the catalog
/// and the cached repositories' entrypoints, category and tag filters, a sort order, and a
/// card's detail (rendered Markdown, the load examples with Copy / Open / Load…). The catalog
/// comes from the sidecar index (instantly, offline); Refresh fetches it with progress in the
/// downloads panel. Nothing from the catalog is executed.
class DiscoverPage : public QWidget
{
    Q_OBJECT
public:
    enum class Sort { CatalogOrder, Title, CachedFirst };

    explicit DiscoverPage(CoreBridge *bridge, QWidget *parent = nullptr);
    ~DiscoverPage() override;

    /// Reads the index from the sidecar and shows it (no network). Also re-marks cached pages.
    void reload();
    /// Starts a catalog refresh (check the commit, fetch when it moved). The job is handed to
    /// jobCreated() for the downloads panel before it starts.
    void refresh();
    /// A refresh job, not started (also the downloads panel's Retry).
    Job *makeRefreshJob();
    /// The cached repositories changed: update "in cache" badges and the entrypoint index.
    void cacheChanged();

    void focusSearch();
    void setSort(Sort sort);
    /// Shows the detail of a page; false when there is no such page.
    bool showPage(const QString &page);
    void showGrid();
    bool isShowingDetail() const;
    bool hasCatalog() const { return m_hasCatalog; }

    // For tests and screenshots.
    QLineEdit *searchEdit() const { return m_search; }
    QComboBox *categoryBox() const { return m_category; }
    QComboBox *tagBox() const { return m_tag; }
    QComboBox *sortBox() const { return m_sort; }
    QListView *cardView() const { return m_view; }
    CatalogModel *model() const { return m_model; }
    InlineMessage *messageBar() const { return m_message; }
    QLabel *asOfLabel() const { return m_asOf; }
    QLabel *emptyLabel() const { return m_empty; }
    QToolButton *refreshButton() const { return m_refresh; }
    QLabel *detailTitle() const { return m_detailTitle; }
    QTextBrowser *detailBrowser() const { return m_description; }
    /// The example rows of the detail: each has the code label and Copy/Open/Load… buttons
    /// (object names exampleCode_N, copyButton_N, openButton_N, loadButton_N).
    QWidget *examplesBox() const { return m_examples; }
    /// The titles of the cards shown, in order (tests).
    QStringList shownTitles() const;
    bool isIndexingEntrypoints() const { return m_indexJob != nullptr; }
    bool isRefreshing() const { return m_refreshJob != nullptr; }

Q_SIGNALS:
    /// A refresh job was created; the main window shows it in the downloads panel.
    void jobCreated(hubcap::Job *job);
    /// Open: fetch `spec` (owner/repo[:ref]) with the trust question and select `entrypoint`.
    void openRequested(const QString &spec, const QString &entrypoint);
    /// Load…: like open, then the load form prefilled with the example's keyword arguments.
    void loadRequested(const QString &spec, const QString &entrypoint,
                       const QList<QPair<QString, QString>> &kwargs);
    void statusMessage(const QString &text);
    /// The catalog finished refreshing (ok or not).
    void refreshFinished(bool ok);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void layoutCards();
    void buildDetail();
    void applyFilters();
    void rebuildFilterBoxes();
    void updateAsOf();
    void showDetailOf(const CatalogEntry &entry);
    void onActivated(const QModelIndex &index);
    void updateEntrypointIndex();

    CoreBridge *m_bridge;
    CatalogModel *m_model;
    std::unique_ptr<CatalogSearch> m_searcher;
    bool m_hasCatalog = false;
    InlineMessage *m_message;
    QLineEdit *m_search;
    QComboBox *m_category;
    QComboBox *m_tag;
    QComboBox *m_sort;
    QLabel *m_asOf;
    QToolButton *m_refresh;
    QStackedWidget *m_stack;
    QListView *m_view;
    QLabel *m_empty;
    QWidget *m_detail;
    QLabel *m_detailTitle;
    QLabel *m_detailSummary;
    QLabel *m_detailMeta;
    QLabel *m_detailImage;
    QWidget *m_examples;
    QVBoxLayout *m_examplesLayout;
    QPushButton *m_detailOpen;
    QTextBrowser *m_description;
    QString m_detailPage;
    QPointer<Job> m_refreshJob;
    QPointer<Job> m_indexJob;
    bool m_indexAgain = false;
};

} // namespace hubcap::ui
