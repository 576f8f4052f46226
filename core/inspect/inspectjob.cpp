#include "inspect/inspectjob.h"

namespace hubcap::inspect {

InspectJob::InspectJob(QString path, InspectOptions options, QObject *parent)
    : Job(parent), m_path(std::move(path)), m_options(std::move(options))
{
    setTitle(tr("Inspect %1").arg(m_path));
}

InspectJob::~InspectJob() = default; // m_worker cancels and waits

void InspectJob::doStart()
{
    m_worker.run([this](const CancelToken &cancel) {
        InspectOptions opts = m_options;
        opts.cancelled = cancel.asFunction();
        opts.progress = [this](qint64 done, qint64 total) {
            m_worker.post(
                [this, done, total] { reportProgress(done, total, tr("Reading tensor data")); });
        };
        auto r = inspectCheckpoint(m_path, opts);
        m_worker.post([this, r = std::move(r)]() mutable {
            if (!r)
                return failWith(r.error());
            m_info = std::move(*r);
            succeed();
        });
    });
}

} // namespace hubcap::inspect
