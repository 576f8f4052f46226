#pragma once

// The core's side of hubcap-torchhost (the libtorch-only process,
// core/hosts/torchhost/server/torchhost.h): starts it with QProcess, sends one JSON-lines request,
// and finishes with its result. The core itself never links libtorch.

#include "core/jobs/job.h"
#include "core/protocol/host.h"
#include "core/protocol/verification.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QProcess>
#include <QTimer>

namespace hubcap {

/// Where hubcap-torchhost is: $HUBCAP_TORCHHOST, else next to the running executable, else
/// ../lib/hubcap/ beside it (the installed layout). NotFound with what to do otherwise.
Result<QString> findTorchHost();

/// One request to a fresh hubcap-torchhost process. rawResult() is the response's "result";
/// subclasses parse it into a protocol type (VerifyJob → Verification).
/// Host errors become Errors (not_found → NotFound, load_error → Integrity, ...); a host that
/// crashes or exceeds the timeout is HostFailed with its stderr in the details, and one that
/// speaks another protocol version (its hello) is HostFailed too.
class TorchHostJob : public Job
{
    Q_OBJECT
public:
    TorchHostJob(QString method, QJsonObject params, QObject *parent = nullptr);
    ~TorchHostJob() override;

    const QJsonObject &rawResult() const { return m_result; }
    /// What the host said in its hello (protocol 0 until it did).
    const HostIdentity &hostIdentity() const { return m_identity; }
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

protected:
    void doStart() override;
    void doCancel() override;
    /// Subclasses parse the result; an error fails the job. Default accepts anything.
    virtual Result<void> parseResult(const QJsonObject &result)
    {
        Q_UNUSED(result);
        return {};
    }

    QJsonObject m_result;
    HostIdentity m_identity;

private:
    void onReadyRead();
    void onFinished();
    void stopProcess();

    QString m_method;
    QJsonObject m_params;
    QProcess *m_process = nullptr;
    QTimer m_timer;
    QTimer m_notice; ///< "waiting for the libtorch host ..." after a few seconds
    QElapsedTimer m_running;
    QByteArray m_buffer;
    QByteArray m_stderr;
    int m_timeoutMs = 15 * 60 * 1000;
    qint64 m_memoryLimit = 0; ///< $HUBCAP_HOST_MEMORY_LIMIT when started
    bool m_answered = false;
};

/// Verifies a TorchScript export against the example input and eager output saved beside it
/// (EXPORT.example.pt) and times it. Succeeds whether or not the outputs agree: verified()
/// says which, verdict() says it in one line. Fails for ONNX and state-dict exports (no ONNX
/// runtime here; the Python host checks ONNX with onnx.checker at export time).
class VerifyJob : public TorchHostJob
{
    Q_OBJECT
public:
    struct Options
    {
        int runs = 20;
        int warmup = 3;
        double rtol = 1e-4;
        double atol = 1e-5;
        int threads = 0; ///< 0: libtorch's default
        /// > 0: as many timed runs as take about this long (at least 3, at most `runs`).
        int budgetMs = 0;
    };
    VerifyJob(QString exportPath, Options options, QObject *parent = nullptr);

    /// The verification once finished: the value, or the job's error.
    Result<Verification> result() const;
    bool verified() const { return m_verification && m_verification->verified; }
    /// Verification::verdict(), empty before the job succeeded.
    QString verdict() const { return m_verification ? m_verification->verdict() : QString(); }

protected:
    void doStart() override;
    Result<void> parseResult(const QJsonObject &result) override;

private:
    QString m_exportPath;
    std::optional<Verification> m_verification;
};

} // namespace hubcap
