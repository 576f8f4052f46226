#pragma once

#include "ui/common/confirmer.h"

#include "core/cache/deletion.h"
#include "core/cache/inventory.h"

#include <QPointer>
#include <QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTimer;
class QTreeView;

namespace hubcap::ui {

class CacheModel;
class CacheFilterProxy;

/// The cache page: repositories, checkpoints and leftovers with sizes, sortable and filterable;
/// delete a selection, clean leftovers or clear the cache through a confirmation that lists
/// what goes and how much is freed. Scans and deletions run as core jobs off the GUI thread.
class CachePage : public QWidget
{
    Q_OBJECT
public:
    CachePage(const QString &hubDir, Confirmer confirmer = confirmWithDialog,
              QWidget *parent = nullptr);
    ~CachePage() override;

    CacheModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }
    QLabel *totalsLabel() const { return m_totals; }
    /// Shown over the table when it is empty (with what to do) or the filter hides everything.
    QLabel *emptyLabel() const { return m_emptyLabel; }
    QLineEdit *filterEdit() const { return m_filter; }
    const CacheInventory &inventory() const;
    bool isBusy() const { return m_scan || m_deletion; }

    void setHubDir(const QString &hubDir);
    /// Starts a scan (the previous one is cancelled and nothing of it reaches the page). Rows
    /// appear when the scan has listed the cache; folder sizes fill in as they are measured.
    void rescan();
    /// Test hook handed to every scan job (CacheScanJob::setBeforeMeasure): runs on the scan's
    /// thread before each folder is measured.
    void setBeforeMeasureHook(std::function<void(const QString &path)> hook)
    {
        m_beforeMeasure = std::move(hook);
    }
    /// Selects the rows whose relative paths are given (tests, "reveal").
    void selectRelPaths(const QStringList &relPaths);
    QStringList selectedRelPaths() const;

    void deleteSelected();
    void cleanLeftovers();
    void clearCache();
    void showInFileManager();
    void inspectSelected();

Q_SIGNALS:
    void scanned(const hubcap::CacheInventory &inventory);
    void deletionFinished(qint64 freedBytes, int failures);
    /// Absolute paths a deletion removed (repository folders among them: their hosts stop).
    void pathsRemoved(const QStringList &paths);
    void statusMessage(const QString &text);
    /// The total so far (sizes fill in while a scan measures folders), free space (-1 unknown)
    /// and how many folders are still being measured.
    void totalsChanged(qint64 totalBytes, qint64 freeBytes, int measuring);
    /// A checkpoint should be shown in the inspector.
    void inspectRequested(const QString &path);

private:
    void runPlan(const DeletionPlan &plan, const QString &title, const QString &acceptLabel);
    void flushSizes();
    bool selectionMeasuring() const;
    bool leftoversMeasuring() const;
    void updateTotals();
    void updateEmptyState();
    void updateActions();

    QString m_hubDir;
    Confirmer m_confirmer;
    CacheModel *m_model;
    CacheFilterProxy *m_proxy;
    QTreeView *m_view;
    QLineEdit *m_filter;
    QComboBox *m_kindFilter;
    QLabel *m_totals;
    QLabel *m_emptyLabel;
    QPushButton *m_deleteButton;
    QPushButton *m_inspectButton;
    QPushButton *m_cleanButton;
    QPushButton *m_clearButton;
    QPointer<CacheScanJob> m_scan;
    bool m_listed = false;         ///< the running scan has delivered its listing
    QList<SizedEntry> m_sizeQueue; ///< sizes not in the model yet (batched by m_sizeTimer)
    QTimer *m_sizeTimer;
    std::function<void(const QString &)> m_beforeMeasure;
    QPointer<DeletionJob> m_deletion;
};

} // namespace hubcap::ui
