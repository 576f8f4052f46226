#include "app/cli/progressbar.h"

#include "core/jobs/job.h"
#include "core/util/format.h"

#include <cstdio>

namespace hubcap::cli {

ProgressBar::ProgressBar(Job *job, bool enabled, QObject *parent)
    : QObject(parent), m_enabled(enabled), m_err(stderr)
{
    if (!m_enabled)
        return;
    m_clock.start();
    m_sinceDraw.start();
    connect(job, &Job::progress, this, [this, job](qint64 d, qint64 t, const QString &text) {
        // A stalled job says so ("no data for 12 s") instead of showing a decaying speed.
        m_stalled = job->state() == Job::State::Stalled;
        draw(d, t, text, false);
    });
    connect(job, &Job::finished, this, &ProgressBar::finish);
}

ProgressBar::~ProgressBar()
{
    finish();
}

void ProgressBar::draw(qint64 done, qint64 total, const QString &text, bool force)
{
    const qint64 now = m_clock.elapsed();
    if (now > m_lastMs + 250) {
        const double inst = double(done - m_lastDone) * 1000.0 / double(now - m_lastMs);
        m_speed = m_speed == 0 ? inst : 0.7 * m_speed + 0.3 * inst;
        m_lastDone = done;
        m_lastMs = now;
    }
    if (!force && m_drawn && m_sinceDraw.elapsed() < 120)
        return;
    m_sinceDraw.restart();
    QString line;
    if (total > 0) {
        const int width = 24;
        const int filled = int(double(done) / double(total) * width);
        line = QStringLiteral("[%1%2] %3% %4/%5")
                   .arg(QString(qMin(filled, width), u'#'), QString(qMax(0, width - filled), u' '))
                   .arg(int(100.0 * double(done) / double(total)), 3)
                   .arg(humanSize(done), humanSize(total));
        if (m_speed > 0 && !m_stalled) {
            line += QStringLiteral("  %1/s  ETA %2")
                        .arg(humanSize(qint64(m_speed)),
                             humanDuration(qint64(double(total - done) / m_speed)));
        }
    } else if (done > 0) {
        line = QStringLiteral("%1").arg(humanSize(done));
        if (m_speed > 0 && !m_stalled)
            line += QStringLiteral("  %1/s").arg(humanSize(qint64(m_speed)));
    }
    if (!text.isEmpty())
        line = line.isEmpty() ? text : line + QStringLiteral("  ") + text;
    m_err << '\r' << line.left(118).leftJustified(118) << Qt::flush;
    m_drawn = true;
}

void ProgressBar::finish()
{
    if (m_enabled && m_drawn) {
        m_err << '\r' << QString(118, u' ') << '\r' << Qt::flush;
        m_drawn = false;
    }
}

} // namespace hubcap::cli
