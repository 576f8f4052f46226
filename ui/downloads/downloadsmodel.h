#pragma once

#include "core/jobs/job.h"
#include "core/net/downloadqueue.h"

#include <QAbstractTableModel>
#include <QList>
#include <QPointer>
#include <QTimer>

#include <functional>

namespace hubcap::ui {

/// Every job of the session that the user watches (fetches, downloads, loads, verifications):
/// only the Job interface is used (state, Job::Progress with its typed phase, capabilities,
/// pause/resume/cancel); no job type is special. Raw values are served under custom roles,
/// formatted text under DisplayRole. Job signals only mark rows dirty; a timer (200 ms)
/// refreshes them in one batch, so a fast download does not flood the view.
class DownloadsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        ProgressColumn,
        BytesColumn,
        SpeedColumn,
        EtaColumn,
        StateColumn,
        ColumnCount
    };
    /// What the user reads in the state column.
    enum class Phase {
        Queued,
        Connecting,
        Downloading,
        Stalled,
        Paused,
        Verifying,
        Extracting,
        Running,
        Done,
        Failed,
        Cancelled
    };
    Q_ENUM(Phase)
    enum Role {
        PhaseRole = Qt::UserRole + 1,
        DoneRole,       ///< qint64 bytes (or steps) done
        TotalRole,      ///< qint64, -1 unknown
        ProgressRole,   ///< double 0..1, -1 unknown
        SpeedRole,      ///< double bytes/s, -1 unknown
        EtaRole,        ///< qint64 seconds, -1 unknown
        StalledForRole, ///< qint64 ms without data
        ErrorRole,      ///< failure message
        CanPauseRole,
        CanResumeRole,
        CanCancelRole,
        CanRetryRole,
    };
    using RetryFactory = std::function<Job *()>;

    explicit DownloadsModel(QObject *parent = nullptr);
    ~DownloadsModel() override;

    /// Adds a job (started or not). `retry` makes a fresh job for "Retry" after a failure; it
    /// takes the failed job's row (started here if the factory did not start it). The model
    /// deletes (later) a job whose row is cleared or retried, so owners need not delete
    /// finished jobs themselves.
    void addJob(Job *job, RetryFactory retry = {});
    Job *job(int row) const;
    int rowOf(const Job *job) const;

    void pause(int row);
    void resume(int row);
    void cancel(int row);
    void retry(int row);
    /// Removes every finished (done, failed, cancelled) row.
    void clearFinished();
    /// Refreshes dirty and running rows now (the timer calls it).
    void refresh();
    int updateIntervalMs() const { return m_timer.interval(); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    static QString phaseText(Phase phase, qint64 stalledForMs);
    /// The row's phase for a job's state and its progress phase.
    static Phase phaseOf(Job::State state, const Job::Progress &progress);

private:
    struct Item
    {
        QPointer<Job> job;
        RetryFactory retry;
        QString title;
        Phase phase = Phase::Queued;
        qint64 done = 0;
        qint64 total = -1;
        double speed = -1;
        qint64 eta = -1;
        qint64 stalledForMs = 0;
        QString text;
        QString error;
        bool pausable = false;
        bool dirty = true;
    };
    void watch(int row);
    void snapshot(Item &item) const;
    void markDirty(const Job *job);

    QList<Item> m_items;
    QTimer m_timer;
};

} // namespace hubcap::ui
