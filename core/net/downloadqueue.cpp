#include "core/net/downloadqueue.h"

#include <QTimer>

namespace hubcap {

DownloadQueue::DownloadQueue(QObject *parent) : QObject(parent) {}

void DownloadQueue::setMaxConcurrent(int n)
{
    m_max = qMax(1, n);
    schedule();
}

void DownloadQueue::add(DownloadJob *job)
{
    if (!job->parent())
        job->setParent(this);
    m_jobs << job;
    job->m_queue = this;
    job->markQueued();
    m_waiting << job;
    connect(job, &Job::finished, this, [this] {
        // Let the finished job's own handlers run before the next one starts.
        QTimer::singleShot(0, this, &DownloadQueue::schedule);
    });
    connect(job, &Job::stateChanged, this, [this](Job::State s) {
        if (s == Job::State::Paused)
            QTimer::singleShot(0, this, &DownloadQueue::schedule);
    });
    Q_EMIT jobAdded(job);
    schedule();
}

void DownloadQueue::pause(DownloadJob *job)
{
    // A job still waiting leaves the queue (and shows Paused) until resume() puts it back.
    m_waiting.removeAll(job);
    job->pauseNow();
}

void DownloadQueue::resume(DownloadJob *job)
{
    if (job->isFinished() || m_waiting.contains(job))
        return;
    if (job->state() != Job::State::Paused && job->state() != Job::State::Queued)
        return;
    job->markQueued(); // waiting for a slot, not paused any more
    m_waiting << job;
    schedule();
}

void DownloadQueue::cancel(DownloadJob *job)
{
    m_waiting.removeAll(job);
    job->cancel();
}

QList<DownloadJob *> DownloadQueue::jobs() const
{
    QList<DownloadJob *> out;
    for (const auto &j : m_jobs)
        if (j)
            out << j.data();
    return out;
}

int DownloadQueue::runningCount() const
{
    int n = 0;
    for (const auto &j : m_jobs)
        if (j && (j->state() == Job::State::Running || j->state() == Job::State::Stalled))
            ++n;
    return n;
}

int DownloadQueue::queuedCount() const
{
    return int(m_waiting.size());
}

void DownloadQueue::schedule()
{
    if (m_scheduling)
        return;
    m_scheduling = true;
    while (!m_waiting.isEmpty() && runningCount() < m_max) {
        QPointer<DownloadJob> job = m_waiting.takeFirst();
        if (!job || job->isFinished())
            continue;
        job->resumeNow(); // starts a job that never ran, resumes one that was paused
    }
    m_scheduling = false;
    bool allDone = true;
    for (const auto &j : m_jobs)
        if (j && !j->isFinished())
            allDone = false;
    if (allDone && !m_jobs.isEmpty())
        Q_EMIT allFinished();
}

} // namespace hubcap
