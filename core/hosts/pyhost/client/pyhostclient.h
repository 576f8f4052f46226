#pragma once

#include "core/error.h"
#include "core/jobs/job.h"
#include "core/protocol/entrypoint.h"
#include "core/protocol/host.h"
#include "core/protocol/loadresult.h"

#include <QElapsedTimer>
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
/// requests. It speaks JSON lines (see core/hosts/pyhost/server/python/hubcap_host/server.py); this
/// class holds no Python: the core never links libpython.
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
    /// A request is running or queued.
    bool isBusy() const { return m_inFlight.has_value() || !m_queue.empty(); }
    /// The method of the request in flight (empty when idle).
    QString currentMethod() const { return m_inFlight ? m_inFlight->method : QString(); }
    /// Milliseconds since the host last finished a request (or started), -1 when not running.
    qint64 idleForMs() const;

    /// An idle host stops its process after this long without requests (the next request
    /// starts a fresh one). <= 0: never.
    void setIdleTimeoutMs(int ms);
    /// Address-space limit of the host process in bytes (RLIMIT_AS; 0: none). Takes effect at
    /// the next start; a running idle host is restarted on its next request.
    void setMemoryLimit(qint64 bytes);
    qint64 memoryLimit() const { return m_memoryLimit; }
    /// Stops the process now if it is idle (true), else after the request in flight.
    bool stopWhenIdle();
    /// How many processes were started so far (1 after the first request, +1 per restart).
    int startCount() const { return m_starts; }
    /// The host's most recent stderr lines (at most 40).
    QStringList stderrTail() const { return m_stderrTail; }
    /// What the running (or last) process said in its hello; protocol 0 before it said it.
    const HostIdentity &identity() const { return m_identity; }

Q_SIGNALS:
    /// The process started or stopped (for views of the running hosts).
    void runningChanged(bool running);
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
    void killProcess();
    void requestDone();
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
    QTimer m_idleTimer;
    QElapsedTimer m_idleClock;
    qint64 m_memoryLimit = 0;
    qint64 m_pid = 0; ///< of the running host (its process group id)
    bool m_stopWhenIdle = false;
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

    /// Idle hosts stop after this long (default $HUBCAP_HOST_IDLE_TIMEOUT_MS, else never; the
    /// GUI sets its setting). Applies to present and future hosts.
    void setIdleTimeoutMs(int ms);
    int idleTimeoutMs() const { return m_idleTimeoutMs; }
    /// Per-host memory limit (default $HUBCAP_HOST_MEMORY_LIMIT, else none).
    void setMemoryLimit(qint64 bytes);
    qint64 memoryLimit() const { return m_memoryLimit; }

    /// One running host process, for View → Running Hosts.
    struct HostStatus
    {
        QString repoDir;
        qint64 pid = 0;
        qint64 residentBytes = -1; ///< the host and its children; -1 unknown
        bool busy = false;
        QString method;        ///< the request in flight
        qint64 idleForMs = -1; ///< when not busy
    };
    /// The hosts whose process is running now.
    QList<HostStatus> runningHosts() const;
    /// Stops the process of every host whose repository folder is `path` or inside it (a
    /// repository was deleted); a busy one stops after its request. Returns how many.
    int stopHostsUnder(const QString &path);
    /// Stops every idle host process now (busy ones after their request).
    void stopAll();

Q_SIGNALS:
    /// A host process started or stopped.
    void hostsChanged();

private:
    void applyEnvironment();
    void sweep();

    QString m_hubDir;
    std::optional<QString> m_token;
    QString m_program;
    QHash<QString, PyHostProcess *> m_hosts;
    int m_idleTimeoutMs = 0;
    qint64 m_memoryLimit = 0;
    QTimer m_sweep; ///< stops hosts whose repository folder disappeared
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
    /// Listing and help import the hubconf but build nothing: a hubconf that hangs at import
    /// is stopped after this, not after the load deadline.
    static constexpr int listDeadlineMs = 120000;
    /// The deadline for `method` when none is given: static.* 30 s; runtime.list and
    /// runtime.help $HUBCAP_LIST_DEADLINE_MS or 2 min; everything else 10 min.
    static int defaultDeadlineMs(const QString &method);
    /// A request that has run this long without progress from the host says what it waits
    /// for in its progress text, once a second ($HUBCAP_HOST_WAIT_NOTICE_MS, default 3 s).
    static int waitNoticeMs();

    /// `deadlineMs` <= 0: defaultDeadlineMs(method).
    PyHostJob(PyHostPool *pool, QString repoDir, QString method, QJsonObject params, int deadlineMs,
              QObject *parent = nullptr);
    int deadlineMs() const { return m_deadlineMs; }

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
    QTimer m_notice;
    QElapsedTimer m_running, m_sinceProgress;
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
