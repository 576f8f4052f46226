#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTextStream>

namespace hubcap {
class Job;
}

namespace hubcap::cli {

/// Draws a job's progress as a one-line terminal bar on stderr ("\r" updates, at most ~8/s),
/// with bytes, speed and ETA when the total is known. Does nothing when stderr is not a
/// terminal, so scripts and --json output stay clean.
class ProgressBar : public QObject
{
    Q_OBJECT
public:
    ProgressBar(Job *job, bool enabled, QObject *parent = nullptr);
    ~ProgressBar() override;

private:
    void draw(qint64 done, qint64 total, const QString &text, bool force);
    void finish();

    bool m_enabled;
    bool m_drawn = false;
    QTextStream m_err;
    QElapsedTimer m_sinceDraw, m_clock;
    qint64 m_lastDone = 0;
    qint64 m_lastMs = 0;
    double m_speed = 0; // bytes per second, smoothed
    bool m_stalled = false;
};

} // namespace hubcap::cli
