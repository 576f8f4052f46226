#include "core/jobs/job.h"

#include <QEventLoop>
#include <QTimer>

namespace hubcap {

Job::Job(QObject *parent) : QObject(parent) {}
Job::~Job() = default;

void Job::start()
{
    if (m_state != State::Idle && m_state != State::Queued)
        return;
    setState(State::Running);
    m_started = true;
    doStart();
}

void Job::cancel()
{
    if (isFinished())
        return;
    m_cancelRequested = true;
    if (!m_started) { // never ran: nothing to stop
        failWith(Error::make(Error::Code::Cancelled, tr("Cancelled.")));
        return;
    }
    doCancel();
}

bool Job::isFinished() const
{
    return m_state == State::Succeeded || m_state == State::Failed || m_state == State::Cancelled;
}

bool Job::waitForFinished(int timeoutMs)
{
    if (isFinished())
        return true;
    QEventLoop loop;
    connect(this, &Job::finished, &loop, &QEventLoop::quit);
    if (timeoutMs >= 0)
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return isFinished();
}

void Job::reportProgress(qint64 done, qint64 total, const QString &text)
{
    reportProgress(m_progress.phase, done, total, text);
}

void Job::reportProgress(Phase phase, qint64 done, qint64 total, const QString &text)
{
    m_progress.done = done;
    m_progress.total = total;
    m_progress.phase = phase;
    if (!text.isNull())
        m_progress.text = text;
    Q_EMIT progress(done, total, m_progress.text);
}

void Job::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void Job::succeed()
{
    if (isFinished())
        return;
    setState(State::Succeeded);
    Q_EMIT finished();
}

void Job::failWith(const Error &error)
{
    if (isFinished())
        return;
    m_error = error;
    setState(error.code == Error::Code::Cancelled ? State::Cancelled : State::Failed);
    Q_EMIT finished();
}

} // namespace hubcap
