#include "net/downloadqueue.h"

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
    if (job->state() == Job::State::Queued) {
        m_waiting.removeAll(job);
        // A queued job that never ran: nothing to abort, just mark it paused by not starting it.
        // It returns to the queue with resume().
        return;
    }
    job->pause();
}

void DownloadQueue::resume(DownloadJob *job)
{
    if (job->isFinished() || m_waiting.contains(job))
        return;
    if (job->state() != Job::State::Paused && job->state() != Job::State::Queued)
        return;
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
        if (job->state() == Job::State::Paused)
            job->resume();
        else
            job->start();
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
