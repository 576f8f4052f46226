#pragma once

#include "core/inspect/checkpoint.h"
#include "core/jobs/job.h"

#include <QByteArray>
#include <QThread>

#include "core/jobs/worker.h"
#include <atomic>

class QProcess;
class QTimer;

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

/// The inspector out of process, for the GUI: runs `hubcap-cli --json inspect FILE` with a
/// memory limit (RLIMIT_AS), a CPU limit and a wall-clock timeout, and reads the report back.
/// Whatever a crafted file does to the inspector (crash, exhaust memory, hang), it happens in
/// that child: the job fails with a clear message and the calling process lives on.
class InspectProcessJob : public Job
{
    Q_OBJECT
public:
    struct Limits
    {
        qint64 memoryBytes = 8ll << 30; ///< address space of the child; 0 = no limit
        int timeoutMs = 180'000;        ///< wall clock; the CPU limit is a little above
    };

    /// `program`: the hubcap-cli to run; empty = findHelper("hubcap-cli") (HUBCAP_CLI overrides).
    explicit InspectProcessJob(QString path, QString program = {}, QObject *parent = nullptr);
    ~InspectProcessJob() override;

    void setLimits(const Limits &limits) { m_limits = limits; }
    const Limits &limits() const { return m_limits; }
    const CheckpointInfo &info() const { return m_info; }

protected:
    void doStart() override;
    void doCancel() override;

private:
    void onFinished(int exitCode, bool crashed);
    void stop();

    QString m_path;
    QString m_program;
    Limits m_limits;
    CheckpointInfo m_info;
    QProcess *m_process = nullptr;
    QTimer *m_timer = nullptr;
    bool m_timedOut = false;
    QByteArray m_out, m_err;
};

} // namespace hubcap::inspect
