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
    /// What a running job is doing, said by the job with its progress (views show it; nobody
    /// guesses it from the translated text).
    enum class Phase { Working, Waiting, Connecting, Downloading, Verifying, Extracting };
    Q_ENUM(Phase)

    /// A job's progress as one value.
    struct Progress
    {
        qint64 done = 0;
        qint64 total = -1; ///< -1 when unknown
        QString text;
        Phase phase = Phase::Working;
        double bytesPerSecond = -1; ///< transfers; -1 when unknown
        qint64 etaSeconds = -1;     ///< transfers; -1 when unknown
        qint64 stalledForMs = 0;    ///< transfers: how long no data arrived (0: flowing)
    };
    /// What the user can do with a job besides watching it.
    struct Capabilities
    {
        bool cancel = true;
        bool pause = false; ///< pause() and resume() do something
    };

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

    qint64 done() const { return m_progress.done; }
    qint64 total() const { return m_progress.total; } ///< -1 when unknown
    QString statusText() const { return m_progress.text; }
    /// The latest progress. A job that wraps another (a checkpoint download's transfer) reports
    /// the inner one's while it runs.
    virtual Progress currentProgress() const { return m_progress; }
    virtual Capabilities capabilities() const { return {}; }
    /// Stops a transfer without finishing the job, and continues it; only when
    /// capabilities().pause (else nothing happens).
    virtual void pause() {}
    virtual void resume() {}

    /// Blocks in a local event loop until finished() (CLI and tests only; never the GUI thread).
    bool waitForFinished(int timeoutMs = -1);

Q_SIGNALS:
    void progress(qint64 done, qint64 total, const QString &text);
    void stateChanged(hubcap::Job::State state);
    /// currentProgress() changed in a way progress() does not carry (speed, stall time).
    void changed();
    void finished();

protected:
    /// Subclasses start their work here; they call reportProgress() and exactly one of
    /// succeed()/failWith(). Work may be asynchronous.
    virtual void doStart() = 0;
    /// Called on cancel(); default does nothing (the work loop polls isCancelRequested()).
    virtual void doCancel() {}

    /// Reports progress in the current phase (a null text keeps the last one).
    void reportProgress(qint64 done, qint64 total, const QString &text = {});
    void reportProgress(Phase phase, qint64 done, qint64 total, const QString &text = {});
    void setState(State state);
    void succeed();
    void failWith(const Error &error);

private:
    State m_state = State::Idle;
    bool m_started = false; ///< start() ran doStart() (Queued may also mean "waiting again")
    bool m_cancelRequested = false;
    std::optional<Error> m_error;
    QString m_title;
    Progress m_progress;
};

} // namespace hubcap
