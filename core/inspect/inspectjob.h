#pragma once

#include "inspect/checkpoint.h"
#include "jobs/job.h"
#include "jobs/worker.h"

namespace hubcap::inspect {

/// inspectCheckpoint() as a Job: runs on a worker thread, so the GUI never blocks, with
/// progress for --stats reads and cancellation. info() is valid once finished() succeeded.
class InspectJob : public Job
{
    Q_OBJECT
public:
    InspectJob(QString path, InspectOptions options, QObject *parent = nullptr);
    ~InspectJob() override;

    const CheckpointInfo &info() const { return m_info; }

protected:
    void doStart() override;
    void doCancel() override { m_worker.cancel(); }

private:
    QString m_path;
    InspectOptions m_options;
    CheckpointInfo m_info;
    std::optional<Error> m_failure;
    Worker m_worker{this}; ///< last: destroyed (cancelled and waited for) first
};

} // namespace hubcap::inspect
