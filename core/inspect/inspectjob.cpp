#include "core/inspect/inspectjob.h"

namespace hubcap::inspect {

InspectJob::InspectJob(QString path, InspectOptions options, QObject *parent)
    : Job(parent), m_path(std::move(path)), m_options(std::move(options))
{
    setTitle(tr("Inspect %1").arg(m_path));
}

InspectJob::~InspectJob()
{
    if (m_thread) {
        m_cancel = true;
        m_thread->wait();
    }
}

void InspectJob::doStart()
{
    InspectOptions opts = m_options;
    opts.cancelled = [this] { return m_cancel.load(); };
    opts.progress = [this](qint64 done, qint64 total) {
        QMetaObject::invokeMethod(
            this, [this, done, total] { reportProgress(done, total, tr("Reading tensor data")); },
            Qt::QueuedConnection);
    };
    m_thread = QThread::create([this, opts] {
        auto r = inspectCheckpoint(m_path, opts);
        if (r)
            m_info = std::move(*r);
        else
            m_failure = r.error();
    });
    connect(m_thread, &QThread::finished, this, [this] {
        m_thread->deleteLater();
        m_thread = nullptr;
        if (m_failure)
            failWith(*m_failure);
        else
            succeed();
    });
    m_thread->start();
}

} // namespace hubcap::inspect
