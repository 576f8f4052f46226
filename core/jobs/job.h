#pragma once

#include "core/error.h"

#include <QObject>
#include <QString>

#include <optional>

namespace hubcap {

/// One lifecycle for every long operation (fetch, download, list, load, export, verify, scan,
/// delete): start() → any number of progress() → exactly one finished(). cancel() may be called
/// at any time; a cancelled job still emits finished() with Error::Code::Cancelled.
/// The GUI and the CLI are two views of the same jobs.
class Job : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, Queued, Running, Stalled, Paused, Succeeded, Failed, Cancelled };
    Q_ENUM(State)

    explicit Job(QObject *parent = nullptr);
    ~Job() override;

    void start();
    void cancel();
    bool isCancelRequested() const { return m_cancelRequested; }

    State state() const { return m_state; }
    bool isFinished() const;
    /// Set once the job finished with a failure (including cancellation).
    const std::optional<Error> &error() const { return m_error; }
    QString title() const { return m_title; }
    void setTitle(const QString &title) { m_title = title; }

    qint64 done() const { return m_done; }
    qint64 total() const { return m_total; } ///< -1 when unknown
    QString statusText() const { return m_text; }

    /// Blocks in a local event loop until finished() (CLI and tests only; never the GUI thread).
    bool waitForFinished(int timeoutMs = -1);

Q_SIGNALS:
    void progress(qint64 done, qint64 total, const QString &text);
    void stateChanged(hubcap::Job::State state);
    void finished();

protected:
    /// Subclasses start their work here; they call reportProgress() and exactly one of
    /// succeed()/failWith(). Work may be asynchronous.
    virtual void doStart() = 0;
    /// Called on cancel(); default does nothing (the work loop polls isCancelRequested()).
    virtual void doCancel() {}

    void reportProgress(qint64 done, qint64 total, const QString &text = {});
    void setState(State state);
    void succeed();
    void failWith(const Error &error);

private:
    State m_state = State::Idle;
    bool m_cancelRequested = false;
    std::optional<Error> m_error;
    QString m_title;
    QString m_text;
    qint64 m_done = 0;
    qint64 m_total = -1;
};

} // namespace hubcap
