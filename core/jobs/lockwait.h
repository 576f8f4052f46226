#pragma once

#include "core/error.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>
#include <optional>

class QLockFile;

namespace hubcap {

/// Who holds an advisory lock (QLockFile) right now.
struct LockHolder
{
    qint64 pid = 0;
    QString hostname, appname;
};

/// The holder of the lock file at `lockPath` when a live process holds it (this process
/// included), nullopt when nobody does (no file, or a stale one). Never creates the file.
std::optional<LockHolder> lockHolder(const QString &lockPath);

/// The one way Hubcap's jobs wait for an advisory lock (`<hub>/.hubcap/locks/*.lock`) that
/// another job or process holds: it tries at once, then polls, and says what it waits for
/// ("waiting for pid N (hubcap-cli) that is fetching X, 12 s") so the user is never left in
/// silence. A lock is stale only when its process is gone, never because of its age.
///
///   auto *w = new LockWait(path, tr("fetching %1").arg(name), this);
///   connect(w, &LockWait::acquired, ...);  // takeLock() hands over the held lock
///   connect(w, &LockWait::waiting, ...);   // first right away, then about once a second
///   connect(w, &LockWait::failed, ...);    // Busy after timeoutMs, Io when it cannot be created
///   w->start();
class LockWait : public QObject
{
    Q_OBJECT
public:
    /// `activity` completes "waiting for another Hubcap process (pid N) that is ...".
    LockWait(QString lockPath, QString activity, QObject *parent = nullptr);
    ~LockWait() override;

    /// -1 (the default): wait until the holder is done or cancel() is called.
    void setTimeoutMs(qint64 ms) { m_timeoutMs = ms; }
    void setPollIntervalMs(int ms) { m_pollMs = ms; }
    QString lockPath() const { return m_path; }

    /// Tries now; emits acquired() (possibly before start() returns), waiting() or failed().
    void start();
    /// Stops waiting; emits nothing more.
    void cancel();
    bool isWaiting() const { return m_timer.isActive(); }
    qint64 waitedMs() const { return m_clock.isValid() ? m_clock.elapsed() : 0; }
    /// The held lock after acquired(); the caller unlocks it (or lets it go out of scope).
    std::unique_ptr<QLockFile> takeLock();

    /// The text of waiting(): "Waiting for another Hubcap process (pid 42, hubcap-cli) that is
    /// fetching x_y_main (3 s so far)".
    static QString waitingText(const LockHolder &holder, const QString &activity, qint64 waitedMs);

Q_SIGNALS:
    void waiting(const hubcap::LockHolder &holder, qint64 waitedMs, const QString &text);
    void acquired();
    void failed(const hubcap::Error &error);

private:
    void poll();

    QString m_path, m_activity;
    std::unique_ptr<QLockFile> m_lock;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_timeoutMs = -1;
    int m_pollMs = 200;
    qint64 m_lastReportMs = -1;
};

} // namespace hubcap
