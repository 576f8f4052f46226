#include "core/inspect/inspectjob.h"

#include "core/util/paths.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTimer>

#include <new>

#include <sys/resource.h>

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
        Result<CheckpointInfo> r = std::unexpected(Error::make(Error::Code::Generic, QString()));
        try {
            r = inspectCheckpoint(m_path, opts);
        } catch (const std::bad_alloc &) {
            // Under a memory limit (the GUI runs this in a child with RLIMIT_AS).
            r = std::unexpected(Error::make(
                Error::Code::Generic,
                tr("Cannot inspect %1: it needs more memory than the inspector may use.")
                    .arg(m_path)));
        }
        m_worker.post([this, r = std::move(r)]() mutable {
            if (!r)
                return failWith(r.error());
            m_info = std::move(*r);
            succeed();
        });
    });
}

InspectProcessJob::InspectProcessJob(QString path, QString program, QObject *parent)
    : Job(parent), m_path(std::move(path)), m_program(std::move(program))
{
    setTitle(tr("Inspect %1").arg(m_path));
}

InspectProcessJob::~InspectProcessJob()
{
    stop();
}

void InspectProcessJob::stop()
{
    if (m_process) {
        m_process->disconnect(this);
        if (m_process->state() != QProcess::NotRunning) {
            m_process->kill();
            m_process->waitForFinished(5000);
        }
        delete m_process;
        m_process = nullptr;
    }
    if (m_timer)
        m_timer->stop();
}

void InspectProcessJob::doCancel()
{
    stop();
    failWith(Error::make(Error::Code::Cancelled, tr("Cancelled.")));
}

void InspectProcessJob::doStart()
{
    QString program = m_program;
    if (program.isEmpty()) {
        auto found = findHelper(QStringLiteral("hubcap-cli"));
        if (!found) {
            failWith(found.error());
            return;
        }
        program = *found;
    }
    m_process = new QProcess;
    m_process->setProgram(program);
    m_process->setArguments({QStringLiteral("--json"), QStringLiteral("inspect"),
                             QFileInfo(m_path).absoluteFilePath()});
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
    m_process->setStandardInputFile(QProcess::nullDevice());
    const rlim_t memory = m_limits.memoryBytes > 0 ? rlim_t(m_limits.memoryBytes) : RLIM_INFINITY;
    const rlim_t cpu = rlim_t(m_limits.timeoutMs / 1000 + 10);
    // In the child, between fork and exec: only async-signal-safe calls.
    m_process->setChildProcessModifier([memory, cpu] {
        struct rlimit as
        {
            memory, memory
        };
        setrlimit(RLIMIT_AS, &as);
        struct rlimit cpuLimit
        {
            cpu, cpu + 5
        };
        setrlimit(RLIMIT_CPU, &cpuLimit);
        struct rlimit core
        {
            0, 0
        }; // a crash on a crafted file leaves no core dump behind
        setrlimit(RLIMIT_CORE, &core);
    });
    connect(m_process, &QProcess::readyReadStandardOutput, this,
            [this] { m_out += m_process->readAllStandardOutput(); });
    connect(m_process, &QProcess::readyReadStandardError, this, [this] {
        m_err += m_process->readAllStandardError();
        if (m_err.size() > (1 << 20))
            m_err = m_err.right(1 << 20);
    });
    connect(m_process, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
        onFinished(code, status == QProcess::CrashExit);
    });
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart)
            return; // crashes and timeouts arrive through finished()
        const QString program = m_process->program();
        // Inside the process's own signal: released later, not deleted here.
        m_timer->stop();
        m_process->disconnect(this);
        m_process->deleteLater();
        m_process = nullptr;
        failWith(Error::make(Error::Code::HostFailed,
                             tr("Cannot start the inspector (%1). Reinstall Hubcap, or set "
                                "HUBCAP_CLI to the hubcap-cli program.")
                                 .arg(program)));
    });
    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, [this] {
        m_timedOut = true;
        if (m_process)
            m_process->kill();
    });
    m_timer->start(m_limits.timeoutMs);
    reportProgress(0, -1, tr("Reading %1").arg(m_path));
    m_process->start();
}

void InspectProcessJob::onFinished(int exitCode, bool crashed)
{
    m_timer->stop();
    m_out += m_process->readAllStandardOutput();
    m_err += m_process->readAllStandardError();
    const QString stderrText = QString::fromUtf8(m_err).trimmed().right(2000);
    m_process->deleteLater();
    m_process->disconnect(this);
    m_process = nullptr;
    if (m_timedOut) {
        failWith(Error::make(Error::Code::HostFailed,
                             tr("Cannot inspect %1: the inspector did not finish within %2 "
                                "seconds and was stopped. The file may be crafted to make "
                                "inspection slow; do not load it unless you trust its source.")
                                 .arg(m_path)
                                 .arg(m_limits.timeoutMs / 1000)));
        return;
    }
    if (crashed) {
        failWith(Error::make(
            Error::Code::HostFailed,
            tr("Cannot inspect %1: the inspector stopped unexpectedly (it crashed or reached its "
               "limit of %2 of memory). The file may be corrupt or crafted; do not load it "
               "unless you trust its source. Hubcap itself is not affected.")
                .arg(m_path)
                .arg(m_limits.memoryBytes > 0
                         ? QStringLiteral("%1 MB").arg(m_limits.memoryBytes >> 20)
                         : tr("unlimited")),
            stderrText));
        return;
    }
    QJsonParseError perr{};
    const QJsonObject doc = QJsonDocument::fromJson(m_out, &perr).object();
    m_out.clear();
    if (doc.contains(u"error")) {
        const QJsonObject e = doc[u"error"].toObject();
        Error err =
            Error::make(Error::Code::Generic, e[u"message"].toString(), e[u"details"].toString());
        const QString type = e[u"type"].toString();
        for (int c = 0; c <= int(Error::Code::Busy); ++c) {
            Error probe;
            probe.code = Error::Code(c);
            if (probe.codeName() == type)
                err.code = probe.code;
        }
        if (err.message.isEmpty())
            err.message = tr("Cannot inspect %1.").arg(m_path);
        failWith(err);
        return;
    }
    if (exitCode != 0 || perr.error != QJsonParseError::NoError || !doc.contains(u"format")) {
        failWith(Error::make(Error::Code::HostFailed,
                             tr("Cannot inspect %1: the inspector failed (exit code %2) without "
                                "a report.")
                                 .arg(m_path)
                                 .arg(exitCode),
                             stderrText));
        return;
    }
    m_info = checkpointInfoFromJson(doc);
    succeed();
}

} // namespace hubcap::inspect
