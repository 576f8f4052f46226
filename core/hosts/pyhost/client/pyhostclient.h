#pragma once

#include "core/error.h"
#include "core/jobs/job.h"

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
/// requests. It speaks JSON lines (see core/hosts/pyhost/server/python/hubcap_host/server.py); this class
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

Q_SIGNALS:
    void progress(qint64 id, qint64 done, qint64 total, const QString &text);
    /// The result object, including "output" (what repository code printed) and "warnings".
    void replied(qint64 id, const QJsonObject &result);
    /// `pythonError` is the host's error object (type, message, traceback, output) when the
    /// failure came from Python, empty when the host itself failed.
    void failed(qint64 id, const hubcap::Error &error, const QJsonObject &pythonError);

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
    void failInFlight(const Error &error, const QJsonObject &pythonError = {});
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
/// cancel() kills the host when the request is already running.
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

    const QJsonObject &result() const { return m_result; }
    /// The Python error object when the failure came from repository code (else empty).
    const QJsonObject &pythonError() const { return m_pythonError; }

protected:
    void doStart() override;
    void doCancel() override;

private:
    QPointer<PyHostPool> m_pool;
    QPointer<PyHostProcess> m_host;
    QString m_repoDir, m_method;
    QJsonObject m_params;
    int m_deadlineMs;
    qint64 m_id = -1;
    QJsonObject m_result, m_pythonError;
};

} // namespace hubcap
