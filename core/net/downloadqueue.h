#pragma once

#include "core/net/downloadjob.h"

#include <QList>
#include <QObject>
#include <QPointer>

namespace hubcap {

/// Runs DownloadJobs with a concurrency limit (default 3). Jobs wait in Queued state; a paused
/// job frees its slot and goes back to the queue's end when resumed. The queue does not own
/// the jobs' lifetime beyond parenting them when added without a parent.
class DownloadQueue : public QObject
{
    Q_OBJECT
public:
    explicit DownloadQueue(QObject *parent = nullptr);

    int maxConcurrent() const { return m_max; }
    void setMaxConcurrent(int n);

    /// Queues `job` (not started yet) and starts it when a slot is free.
    void add(DownloadJob *job);
    /// Pauses a running job (its slot goes to the next one) or takes a waiting one out of the
    /// queue; either way state() becomes Paused.
    void pause(DownloadJob *job);
    /// Puts a paused job back at the queue's end (state Queued until a slot is free).
    void resume(DownloadJob *job);
    void cancel(DownloadJob *job);

    QList<DownloadJob *> jobs() const;
    int runningCount() const;
    int queuedCount() const;

Q_SIGNALS:
    void jobAdded(hubcap::DownloadJob *job);
    /// Emitted once every job added so far has finished (none queued, running or paused).
    void allFinished();

private:
    void schedule();

    int m_max = 3;
    QList<QPointer<DownloadJob>> m_jobs;
    QList<QPointer<DownloadJob>> m_waiting; ///< FIFO of jobs to start or resume
    bool m_scheduling = false;
};

} // namespace hubcap
