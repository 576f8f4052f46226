#include "core/hosts/torchhost/client/torchhostclient.h"

#include "core/protocol/loadresult.h"
#include "core/util/format.h"
#include "core/util/hostprocess.h"
#include "core/util/paths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

namespace hubcap {

Result<QString> findTorchHost()
{
    // The same lookup as every helper: $HUBCAP_TORCHHOST, next to the executable,
    // ../lib/hubcap/, then the build tree's bin folder.
    return findHelper(QStringLiteral("hubcap-torchhost"));
}

TorchHostJob::TorchHostJob(QString method, QJsonObject params, QObject *parent)
    : Job(parent), m_method(std::move(method)), m_params(std::move(params))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        stopProcess();
        failWith(
            Error::make(Error::Code::HostFailed,
                        tr("hubcap-torchhost did not answer within %1 s.").arg(m_timeoutMs / 1000),
                        QString::fromUtf8(m_stderr.right(4000))));
    });
    // A request still running after a few seconds says what it waits for and for how long.
    m_notice.setInterval(1000);
    connect(&m_notice, &QTimer::timeout, this, [this] {
        if (isFinished() || m_answered) {
            m_notice.stop();
            return;
        }
        bool ok = false;
        const int env = qEnvironmentVariableIntValue("HUBCAP_HOST_WAIT_NOTICE_MS", &ok);
        if (m_running.elapsed() < (ok && env >= 0 ? env : 3000))
            return;
        reportProgress(0, -1,
                       tr("waiting for the libtorch host: %1 has run for %2 (stopped after %3)")
                           .arg(m_method, humanDuration(m_running.elapsed() / 1000),
                                humanDuration(m_timeoutMs / 1000)));
    });
}

TorchHostJob::~TorchHostJob()
{
    stopProcess();
}

void TorchHostJob::stopProcess()
{
    if (!m_process)
        return;
    m_process->disconnect(this);
    if (m_process->state() != QProcess::NotRunning) {
        killHostGroup(m_process->processId());
        m_process->kill();
        m_process->waitForFinished(5000);
    }
    m_process->deleteLater();
    m_process = nullptr;
}

void TorchHostJob::doStart()
{
    auto host = findTorchHost();
    if (!host) {
        failWith(host.error());
        return;
    }
    m_process = new QProcess(this);
    m_memoryLimit = hostMemoryLimitFromEnvironment();
    setUpHostProcess(m_process, m_memoryLimit); // own process group, memory limit
    connect(m_process, &QProcess::readyReadStandardOutput, this, &TorchHostJob::onReadyRead);
    connect(m_process, &QProcess::readyReadStandardError, this,
            [this] { m_stderr += m_process->readAllStandardError(); });
    connect(m_process, &QProcess::finished, this, &TorchHostJob::onFinished);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            failWith(Error::make(Error::Code::HostFailed, tr("Cannot start hubcap-torchhost."),
                                 m_process->errorString()));
    });
    reportProgress(0, -1, tr("Starting the libtorch host"));
    m_timer.start(m_timeoutMs);
    m_running.start();
    m_notice.start();
    m_process->start(*host, {});
    const QJsonObject request{{QStringLiteral("id"), 1},
                              {QStringLiteral("method"), m_method},
                              {QStringLiteral("params"), m_params}};
    m_process->write(QJsonDocument(request).toJson(QJsonDocument::Compact) + '\n');
    m_process->closeWriteChannel(); // the host answers, sees EOF and exits
}

void TorchHostJob::doCancel()
{
    stopProcess();
    failWith(Error::make(Error::Code::Cancelled, tr("Cancelled.")));
}

void TorchHostJob::onReadyRead()
{
    m_buffer += m_process->readAllStandardOutput();
    qsizetype nl;
    while (!m_answered && (nl = m_buffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_buffer.left(nl);
        m_buffer.remove(0, nl + 1);
        const QJsonObject response = QJsonDocument::fromJson(line).object();
        if (const QJsonValue hello = response.value(QLatin1StringView("hello")); hello.isObject()) {
            m_identity = HostIdentity::fromJson(hello.toObject());
            continue;
        }
        if (response.value(QLatin1StringView("id")).toInt() != 1)
            continue;
        if (response.contains(QStringLiteral("progress"))) { // a step, not the answer
            const QJsonObject p = response.value(QStringLiteral("progress")).toObject();
            const QString phase = p.value(QStringLiteral("phase")).toString();
            const qint64 done = p.value(QStringLiteral("done")).toInteger();
            const qint64 total = p.value(QStringLiteral("total")).toInteger(-1);
            QString text;
            if (phase == u"loading")
                text = tr("Loading the export");
            else if (phase == u"checking")
                text = tr("Comparing with the eager model's output");
            else if (phase == u"warmup")
                text = tr("Warm-up run %1 of %2").arg(done).arg(total);
            else if (phase == u"timing")
                text = tr("Timed run %1 of %2").arg(done).arg(total);
            reportProgress(done, total, text);
            continue;
        }
        m_answered = true;
        m_timer.stop();
        if (auto compatible = m_identity.checkCompatible(); !compatible) {
            failWith(compatible.error());
            return;
        }
        if (const QJsonValue err = response.value(QLatin1StringView("error")); err.isObject()) {
            const QJsonObject e = err.toObject();
            const QString type = e.value(QLatin1StringView("type")).toString();
            Error::Code code = Error::Code::Generic;
            if (type == u"not_found")
                code = Error::Code::NotFound;
            else if (type == u"load_error" || type == u"bad_example")
                code = Error::Code::Integrity;
            else if (type == u"invalid_request")
                code = Error::Code::InvalidArgument;
            failWith(Error::make(code, e.value(QLatin1StringView("message")).toString(), type));
            return;
        }
        m_result = response.value(QLatin1StringView("result")).toObject();
        if (auto parsed = parseResult(m_result); !parsed) {
            failWith(parsed.error());
            return;
        }
        succeed();
    }
}

void TorchHostJob::onFinished()
{
    onReadyRead();
    if (isFinished() || m_answered)
        return;
    m_timer.stop();
    const bool crashed = m_process->exitStatus() == QProcess::CrashExit;
    QString message =
        crashed ? tr("hubcap-torchhost crashed before answering (the file may be corrupt).")
                : tr("hubcap-torchhost exited (status %1) without answering.")
                      .arg(m_process->exitCode());
    if (m_memoryLimit > 0 &&
        (m_stderr.contains("bad_alloc") || m_stderr.contains("out of memory") ||
         m_stderr.contains("Cannot allocate memory")))
        message = tr("hubcap-torchhost stopped before answering: %1.")
                      .arg(memoryLimitAdvice(m_memoryLimit));
    failWith(
        Error::make(Error::Code::HostFailed, message, QString::fromUtf8(m_stderr.right(4000))));
}

VerifyJob::VerifyJob(QString exportPath, Options options, QObject *parent)
    : TorchHostJob(QStringLiteral("verify"),
                   QJsonObject{{QStringLiteral("path"), QFileInfo(exportPath).absoluteFilePath()},
                               {QStringLiteral("runs"), options.runs},
                               {QStringLiteral("warmup"), options.warmup},
                               {QStringLiteral("rtol"), options.rtol},
                               {QStringLiteral("atol"), options.atol},
                               {QStringLiteral("threads"), options.threads},
                               {QStringLiteral("budget_ms"), options.budgetMs},
                               {QStringLiteral("progress"), true}},
                   parent),
      m_exportPath(std::move(exportPath))
{
    setTitle(tr("Verify %1").arg(m_exportPath));
}

void VerifyJob::doStart()
{
    reportProgress(Phase::Verifying, 0, -1, tr("Starting the libtorch host"));
    if (!QFileInfo(m_exportPath).isFile()) {
        failWith(Error::make(Error::Code::NotFound, tr("No such file: %1").arg(m_exportPath)));
        return;
    }
    // The export summary says what kind of export this is; only TorchScript runs in libtorch.
    QFile summary(m_exportPath + QStringLiteral(".json"));
    if (summary.open(QIODevice::ReadOnly)) {
        const QString format =
            ExportInfo::fromJson(QJsonDocument::fromJson(summary.read(1 << 20)).object()).format;
        if (format == u"onnx") {
            failWith(Error::make(
                Error::Code::InvalidArgument,
                tr("%1 is an ONNX export. No ONNX runtime is available here to compare its "
                   "numbers; the Python host checked it with onnx.checker when it was exported.")
                    .arg(m_exportPath)));
            return;
        }
        if (format == u"state_dict") {
            failWith(Error::make(
                Error::Code::InvalidArgument,
                tr("%1 is a state-dict export: there is no program to run. Use `hubcap-cli "
                   "inspect` to see its tensors.")
                    .arg(m_exportPath)));
            return;
        }
    }
    TorchHostJob::doStart();
}

Result<void> VerifyJob::parseResult(const QJsonObject &result)
{
    auto v = Verification::fromJson(result);
    if (!v)
        return std::unexpected(v.error());
    m_verification = std::move(*v);
    return {};
}

Result<Verification> VerifyJob::result() const
{
    if (error())
        return std::unexpected(*error());
    if (!m_verification)
        return fail(Error::Code::Generic, tr("The verification has not finished."));
    return *m_verification;
}

} // namespace hubcap
