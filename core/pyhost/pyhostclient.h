#pragma once

#include "error.h"
#include "jobs/job.h"
#include "protocol/entrypoint.h"
#include "protocol/host.h"
#include "protocol/loadresult.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QProcess>
#include <QStringList>
#include <QTimer>

#include <deque>
#include <optional>

namespace hubcap {

/// The hubcap-pyhost executable: $HUBCAP_PYHOST, next to the running executable, or
/// ../lib/hubcap/ (see util/paths.h findHelper).
Result<QString> findPyHostExecutable();

/// One hubcap-pyhost process serving one repository folder (one repo+ref), kept warm between
/// requests. It speaks JSON lines (see core/pyhost/python/hubcap_host/server.py); this class
/// holds no Python: the core never links libpython.
///
/// Requests are queued and answered one at a time. Each has a deadline: a host that does not
/// answer in time (a hubconf that loops at import) is killed. A host that dies (segfault,
/// os._exit, killed) fails the request in flight with Error::Code::HostFailed, whose details
/// carry the host's last stderr lines; the next request starts a fresh process.
class PyHostProcess : public QObject
{
    Q_OBJECT
public:
    PyHostProcess(QString program, QString repoDir, QObject *parent = nullptr);
    ~PyHostProcess() override;

    QString repoDir() const { return m_repoDir; }
    /// Queues a request; returns its id. Exactly one of replied()/failed() follows for it.
    qint64 request(const QString &method, const QJsonObject &params, int deadlineMs);
    /// A queued request is dropped; the one in flight kills the host (Python cannot be
    /// interrupted safely). failed() is emitted with Error::Code::Cancelled.
    void cancel(qint64 id);
    /// Stops the process (answers nothing more); pending requests fail.
    void shutdown();
    /// Variables added to the host's environment (on top of this process's). A change takes
    /// effect at once for an idle host (it is stopped and restarts on the next request) and
    /// after the request in flight otherwise, so a new token or hub dir is never ignored.
    void setEnvironment(const QHash<QString, QString> &vars);
    QHash<QString, QString> environment() const { return m_env; }

    bool isRunning() const;
    qint64 processId() const;
    /// How many processes were started so far (1 after the first request, +1 per restart).
    int startCount() const { return m_starts; }
    /// The host's most recent stderr lines (at most 40).
    QStringList stderrTail() const { return m_stderrTail; }
    /// What the running (or last) process said in its hello; protocol 0 before it said it.
    const HostIdentity &identity() const { return m_identity; }

Q_SIGNALS:
    void progress(qint64 id, qint64 done, qint64 total, const QString &text);
    /// The result object, including "output" (what repository code printed) and "warnings".
    /// Typed readers are in protocol/ (PyHostCall parses it).
    void replied(qint64 id, const QJsonObject &result);
    /// `pythonError` is the host's report when the failure came from Python, empty when the
    /// host itself failed.
    void failed(qint64 id, const hubcap::Error &error, const hubcap::PythonError &pythonError);

private:
    struct Request
    {
        qint64 id;
        QString method;
        QJsonObject params;
        int deadlineMs;
    };

    void pump();
    bool ensureStarted();
    void onStdout();
    void onStderr();
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void onDeadline();
    void failInFlight(const Error &error, const PythonError &pythonError = {});
    void stopIdleProcess();
    QString describeRepo() const;

    QString m_program;
    QString m_repoDir;
    QHash<QString, QString> m_env;
    bool m_restartPending = false; ///< the environment changed while a request ran
    QProcess *m_proc = nullptr;
    QByteArray m_stdoutBuffer;
    QByteArray m_stderrBuffer;
    QStringList m_stderrTail;
    std::deque<Request> m_queue;
    std::optional<Request> m_inFlight;
    QTimer m_deadline;
    QString m_killReason; ///< why we killed the process (deadline, cancel), empty if it died
    bool m_cancelled = false;
    qint64 m_nextId = 1;
    int m_starts = 0;
    HostIdentity m_identity;
};

/// The warm hosts of one Hubcap session: one PyHostProcess per repository folder (canonical
/// path), created on demand. Two refs of one repository, or two repositories that both ship
/// `models/`, get separate processes, so their sys.modules never mix (pytorch/hub#243).
class PyHostPool : public QObject
{
    Q_OBJECT
public:
    explicit PyHostPool(QObject *parent = nullptr);
    /// Overrides the host executable (tests); default is findPyHostExecutable().
    void setProgram(const QString &program) { m_program = program; }
    Result<PyHostProcess *> hostFor(const QString &repoDir);
    QList<PyHostProcess *> hosts() const { return m_hosts.values(); }

    /// What repository code sees of Hubcap's settings, applied to every host (present and
    /// future): the hub dir (so torch.hub.load_state_dict_from_url and nested torch.hub.load
    /// inside a hubconf use the same cache as Hubcap) and the GitHub token. An empty `hubDir`
    /// leaves torch's own resolution; a null `token` leaves the inherited GITHUB_TOKEN.
    void setHubDir(const QString &hubDir);
    void setToken(const std::optional<QString> &token);
    /// The variables the hosts get (HUBCAP_HUB_DIR, GITHUB_TOKEN); never log the token.
    QHash<QString, QString> environment() const;

private:
    void applyEnvironment();

    QString m_hubDir;
    std::optional<QString> m_token;
    QString m_program;
    QHash<QString, PyHostProcess *> m_hosts;
};

/// One request to a repository's host as a Job: "static.list", "static.help", "runtime.list",
/// "runtime.help", "runtime.load" (see server.py). Progress from the host is forwarded;
/// cancel() kills the host when the request is already running. A host that speaks another
/// protocol version (HostIdentity::checkCompatible) fails the job with HostFailed.
///
/// The typed jobs below (EntrypointListJob, EntrypointHelpJob, LoadJob) parse the reply into
/// the protocol's structs; this base class keeps the raw reply for methods without a type
/// (ping) and for protocol tests.
class PyHostJob : public Job
{
    Q_OBJECT
public:
    /// Default deadlines: static requests must be quick; runtime ones import torch and may
    /// build big models.
    static constexpr int staticDeadlineMs = 30000;
    static constexpr int runtimeDeadlineMs = 600000;

    PyHostJob(PyHostPool *pool, QString repoDir, QString method, QJsonObject params, int deadlineMs,
              QObject *parent = nullptr);

    QString method() const { return m_method; }
    /// The reply as the host sent it (empty unless the job succeeded).
    const QJsonObject &rawReply() const { return m_reply; }
    /// The Python error when the failure came from repository code (else empty).
    const PythonError &pythonError() const { return m_pythonError; }
    /// Who answered (empty before the host said hello).
    HostIdentity hostIdentity() const;

protected:
    void doStart() override;
    void doCancel() override;
    /// Called with the reply before the job succeeds; an error fails the job instead.
    virtual Result<void> parseReply(const QJsonObject &reply)
    {
        Q_UNUSED(reply);
        return {};
    }

private:
    QPointer<PyHostPool> m_pool;
    QPointer<PyHostProcess> m_host;
    QString m_repoDir, m_method;
    QJsonObject m_params;
    int m_deadlineMs;
    qint64 m_id = -1;
    QJsonObject m_reply;
    PythonError m_pythonError;
};

/// A PyHostJob whose reply is parsed into T (T::fromJson returning Result<T>).
template <typename T> class PyHostCall : public PyHostJob
{
public:
    using PyHostJob::PyHostJob;
    /// The reply once the job finished: the value, or the job's error.
    Result<T> result() const
    {
        if (error())
            return std::unexpected(*error());
        if (!m_value)
            return fail(Error::Code::Generic, QStringLiteral("The job has not finished."));
        return *m_value;
    }
    /// The value (only valid after a successful finish).
    const T &value() const { return *m_value; }

protected:
    Result<void> parseReply(const QJsonObject &reply) override
    {
        auto v = T::fromJson(reply);
        if (!v)
            return std::unexpected(v.error());
        m_value = std::move(*v);
        return {};
    }
    std::optional<T> m_value;
};

/// static.list (no repository code runs) or runtime.list (hubconf.py is executed).
class EntrypointListJob : public PyHostCall<EntrypointListing>
{
public:
    EntrypointListJob(PyHostPool *pool, QString repoDir, bool runtime, int deadlineMs,
                      QObject *parent = nullptr);

protected:
    Result<void> parseReply(const QJsonObject &reply) override;

private:
    bool m_runtime;
};

/// static.help or runtime.help of one entrypoint.
class EntrypointHelpJob : public PyHostCall<EntrypointHelp>
{
public:
    EntrypointHelpJob(PyHostPool *pool, QString repoDir, const QString &entrypoint, bool runtime,
                      int deadlineMs, QObject *parent = nullptr);
};

/// runtime.load: calls the entrypoint, describes what it returned, exports it when asked.
class LoadJob : public PyHostCall<LoadResult>
{
public:
    LoadJob(PyHostPool *pool, QString repoDir, const LoadParams &params, int deadlineMs,
            QObject *parent = nullptr);
};

} // namespace hubcap
