#include "core/jobs/lockwait.h"

#include "core/util/format.h"

#include <QFileInfo>
#include <QLockFile>

namespace hubcap {

std::optional<LockHolder> lockHolder(const QString &lockPath)
{
    if (!QFileInfo::exists(lockPath))
        return std::nullopt;
    QLockFile probe(lockPath);
    probe.setStaleLockTime(0);
    if (probe.tryLock(0)) {
        probe.unlock(); // nobody held it (or a dead process did: QLockFile removed it)
        return std::nullopt;
    }
    if (probe.error() != QLockFile::LockFailedError)
        return std::nullopt;
    LockHolder h;
    probe.getLockInfo(&h.pid, &h.hostname, &h.appname);
    return h;
}

LockWait::LockWait(QString lockPath, QString activity, QObject *parent)
    : QObject(parent), m_path(std::move(lockPath)), m_activity(std::move(activity))
{
    connect(&m_timer, &QTimer::timeout, this, &LockWait::poll);
}

LockWait::~LockWait() = default;

QString LockWait::waitingText(const LockHolder &holder, const QString &activity, qint64 waitedMs)
{
    const QString who = holder.appname.isEmpty()
                            ? tr("pid %1").arg(holder.pid)
                            : tr("pid %1, %2").arg(holder.pid).arg(holder.appname);
    QString text = tr("Waiting for another Hubcap process (%1) that is %2").arg(who, activity);
    if (waitedMs >= 1000)
        text += tr(" (%1 so far)").arg(humanDuration(waitedMs / 1000));
    return text;
}

void LockWait::start()
{
    m_clock.start();
    m_lastReportMs = -1;
    m_lock = std::make_unique<QLockFile>(m_path);
    m_lock->setStaleLockTime(0); // stale only when its process is gone, never by age
    poll();
}

void LockWait::cancel()
{
    m_timer.stop();
    m_lock.reset();
}

std::unique_ptr<QLockFile> LockWait::takeLock()
{
    return std::move(m_lock);
}

void LockWait::poll()
{
    if (!m_lock)
        return;
    if (m_lock->tryLock(0)) {
        m_timer.stop();
        Q_EMIT acquired();
        return;
    }
    if (m_lock->error() != QLockFile::LockFailedError) {
        m_timer.stop();
        m_lock.reset();
        Q_EMIT failed(Error::make(
            Error::Code::Io,
            tr("Cannot create the lock file %1: check that the hub dir is writable.").arg(m_path)));
        return;
    }
    LockHolder holder;
    m_lock->getLockInfo(&holder.pid, &holder.hostname, &holder.appname);
    const qint64 waited = m_clock.elapsed();
    if (m_timeoutMs >= 0 && waited >= m_timeoutMs) {
        m_timer.stop();
        m_lock.reset();
        Q_EMIT failed(Error::make(
            Error::Code::Busy,
            tr("Another Hubcap process (pid %1) is still %2 after %3; wait for it to finish, "
               "then try again.")
                .arg(holder.pid)
                .arg(m_activity, humanDuration(qMax<qint64>(1, waited / 1000)))));
        return;
    }
    if (m_lastReportMs < 0 || waited - m_lastReportMs >= 1000) {
        m_lastReportMs = waited;
        Q_EMIT waiting(holder, waited, waitingText(holder, m_activity, waited));
    }
    if (!m_timer.isActive())
        m_timer.start(m_pollMs);
}

} // namespace hubcap
