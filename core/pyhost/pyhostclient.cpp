#include "pyhost/pyhostclient.h"

#include "util/paths.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLoggingCategory>

namespace hubcap {

Q_LOGGING_CATEGORY(lcPyHost, "hubcap.core.pyhost", QtInfoMsg)

namespace {
constexpr int maxTailLines = 40;
}

Result<QString> findPyHostExecutable()
{
    return findHelper(QStringLiteral("hubcap-pyhost"));
}

// --- PyHostProcess -------------------------------------------------------------------------

PyHostProcess::PyHostProcess(QString program, QString repoDir, QObject *parent)
    : QObject(parent), m_program(std::move(program)), m_repoDir(std::move(repoDir))
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &PyHostProcess::onDeadline);
}

PyHostProcess::~PyHostProcess()
{
    if (m_proc) {
        m_proc->disconnect(this);
        m_proc->kill();
        m_proc->waitForFinished(2000);
    }
}

QString PyHostProcess::describeRepo() const
{
    return QDir::toNativeSeparators(m_repoDir);
}

qint64 PyHostProcess::request(const QString &method, const QJsonObject &params, int deadlineMs)
{
    const qint64 id = m_nextId++;
    m_queue.push_back(Request{id, method, params, deadlineMs});
    // Asynchronous so that callers can connect to the signals after request() returns.
    QMetaObject::invokeMethod(this, &PyHostProcess::pump, Qt::QueuedConnection);
    return id;
}

void PyHostProcess::cancel(qint64 id)
{
    for (auto it = m_queue.begin(); it != m_queue.end(); ++it) {
        if (it->id == id) {
            m_queue.erase(it);
            Q_EMIT failed(id, Error::make(Error::Code::Cancelled, tr("Cancelled.")), {});
            return;
        }
    }
    if (m_inFlight && m_inFlight->id == id && m_proc) {
        m_cancelled = true;
        m_killReason = tr("cancelled");
        m_proc->kill();
    }
}

void PyHostProcess::shutdown()
{
    m_queue.clear();
    if (m_proc) {
        m_killReason = tr("shut down");
        m_proc->kill();
    }
}

void PyHostProcess::setEnvironment(const QHash<QString, QString> &vars)
{
    if (vars == m_env)
        return;
    m_env = vars;
    if (!m_proc)
        return;
    if (m_inFlight) {
        m_restartPending = true; // after this request: never kill work the user started
        return;
    }
    stopIdleProcess();
}

void PyHostProcess::stopIdleProcess()
{
    m_restartPending = false;
    if (!m_proc)
        return;
    m_proc->disconnect(this);
    m_proc->kill();
    m_proc->waitForFinished(2000);
    m_proc->deleteLater();
    m_proc = nullptr;
}

bool PyHostProcess::isRunning() const
{
    return m_proc && m_proc->state() != QProcess::NotRunning;
}

qint64 PyHostProcess::processId() const
{
    return m_proc ? m_proc->processId() : 0;
}

bool PyHostProcess::ensureStarted()
{
    if (m_proc && m_proc->state() != QProcess::NotRunning)
        return true;
    if (m_proc) {
        m_proc->deleteLater();
        m_proc = nullptr;
    }
    m_stdoutBuffer.clear();
    m_identity = {}; // the new process says hello again
    m_stderrBuffer.clear();
    m_stderrTail.clear();
    m_killReason.clear();
    m_proc = new QProcess(this);
    m_proc->setProgram(m_program);
    if (!m_env.isEmpty()) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (auto it = m_env.cbegin(); it != m_env.cend(); ++it)
            env.insert(it.key(), it.value());
        m_proc->setProcessEnvironment(env);
    }
    m_proc->setArguments({QStringLiteral("--repo"), m_repoDir});
    connect(m_proc, &QProcess::readyReadStandardOutput, this, &PyHostProcess::onStdout);
    connect(m_proc, &QProcess::readyReadStandardError, this, &PyHostProcess::onStderr);
    connect(m_proc, &QProcess::finished, this, &PyHostProcess::onFinished);
    m_proc->start();
    ++m_starts;
    if (!m_proc->waitForStarted(10000)) {
        const QString why = m_proc->errorString();
        m_proc->deleteLater();
        m_proc = nullptr;
        failInFlight(
            Error::make(Error::Code::HostFailed,
                        tr("Could not start the Python host %1: %2. Check the installation, "
                           "or point HUBCAP_PYHOST at hubcap-pyhost.")
                            .arg(m_program, why)));
        return false;
    }
    qCDebug(lcPyHost) << "started host" << m_proc->processId() << "for" << m_repoDir;
    return true;
}

void PyHostProcess::pump()
{
    while (!m_inFlight && !m_queue.empty()) {
        m_inFlight = m_queue.front();
        m_queue.pop_front();
        m_cancelled = false;
        if (m_restartPending)
            stopIdleProcess(); // the environment changed during the previous request
        if (!ensureStarted())
            continue; // failInFlight() already reported it; try the next one
        const QJsonObject req{{QStringLiteral("id"), m_inFlight->id},
                              {QStringLiteral("method"), m_inFlight->method},
                              {QStringLiteral("params"), m_inFlight->params}};
        m_proc->write(QJsonDocument(req).toJson(QJsonDocument::Compact) + '\n');
        if (m_inFlight->deadlineMs > 0)
            m_deadline.start(m_inFlight->deadlineMs);
    }
}

void PyHostProcess::onStdout()
{
    m_stdoutBuffer += m_proc->readAllStandardOutput();
    qsizetype nl;
    while ((nl = m_stdoutBuffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_stdoutBuffer.left(nl);
        m_stdoutBuffer.remove(0, nl + 1);
        QJsonParseError perr;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &perr);
        if (!doc.isObject()) {
            qCWarning(lcPyHost) << "host wrote a line that is not JSON:" << line.left(200);
            continue;
        }
        const QJsonObject msg = doc.object();
        if (const QJsonValue hello = msg.value(QLatin1StringView("hello")); hello.isObject()) {
            m_identity = HostIdentity::fromJson(hello.toObject());
            continue;
        }
        const qint64 id = msg.value(QLatin1StringView("id")).toInteger(-1);
        if (!m_inFlight || id != m_inFlight->id)
            continue;
        if (const QJsonValue p = msg.value(QLatin1StringView("progress")); p.isObject()) {
            const QJsonObject po = p.toObject();
            Q_EMIT progress(id, po.value(QLatin1StringView("done")).toInteger(),
                            po.value(QLatin1StringView("total")).toInteger(-1),
                            po.value(QLatin1StringView("text")).toString());
            continue;
        }
        m_deadline.stop();
        m_inFlight.reset();
        if (const QJsonValue result = msg.value(QLatin1StringView("result")); result.isObject()) {
            Q_EMIT replied(id, result.toObject());
        } else {
            const PythonError e =
                PythonError::fromJson(msg.value(QLatin1StringView("error")).toObject());
            Q_EMIT failed(id, e.toError(), e);
        }
        pump();
    }
}

void PyHostProcess::onStderr()
{
    m_stderrBuffer += m_proc->readAllStandardError();
    qsizetype nl;
    while ((nl = m_stderrBuffer.indexOf('\n')) >= 0) {
        m_stderrTail << QString::fromUtf8(m_stderrBuffer.left(nl));
        m_stderrBuffer.remove(0, nl + 1);
    }
    if (m_stderrBuffer.size() > 4096) { // a very long line without newline
        m_stderrTail << QString::fromUtf8(m_stderrBuffer);
        m_stderrBuffer.clear();
    }
    while (m_stderrTail.size() > maxTailLines)
        m_stderrTail.removeFirst();
}

void PyHostProcess::onDeadline()
{
    if (!m_proc || !m_inFlight)
        return;
    m_killReason =
        tr("did not answer '%1' within %2 s (repository code kept running: an endless loop or a "
           "blocking call, for example at import; if it is only slow, allow more time with "
           "--timeout)")
            .arg(m_inFlight->method)
            .arg(m_inFlight->deadlineMs / 1000.0, 0, 'g', 3);
    m_proc->kill();
}

void PyHostProcess::onFinished(int exitCode, QProcess::ExitStatus status)
{
    m_deadline.stop();
    onStderr();
    if (!m_stderrBuffer.isEmpty()) {
        m_stderrTail << QString::fromUtf8(m_stderrBuffer);
        m_stderrBuffer.clear();
    }
    const QString method = m_inFlight ? m_inFlight->method : QString();
    QString what;
    if (!m_killReason.isEmpty())
        what = tr("The Python host for %1 %2 and was stopped").arg(describeRepo(), m_killReason);
    else if (status == QProcess::CrashExit)
        what = tr("The Python host for %1 crashed during '%2' (repository code killed it, for "
                  "example a "
                  "segmentation fault)")
                   .arg(describeRepo(), method);
    else
        what = tr("The Python host for %1 exited with status %2 during '%3' (repository code ended "
                  "the "
                  "process, for example os._exit())")
                   .arg(describeRepo())
                   .arg(exitCode)
                   .arg(method);
    qCDebug(lcPyHost) << what;
    QString details;
    if (!m_stderrTail.isEmpty())
        details = tr("Last lines the host wrote to stderr:\n") + m_stderrTail.join(u'\n');
    const bool cancelled = m_cancelled;
    m_proc->deleteLater();
    m_proc = nullptr;
    if (m_inFlight) {
        if (cancelled)
            failInFlight(
                Error::make(Error::Code::Cancelled, tr("Cancelled; the Python host was stopped.")));
        else
            failInFlight(Error::make(Error::Code::HostFailed,
                                     what + tr(". It will be restarted on the next request."),
                                     details));
    }
    pump(); // queued requests get a fresh process
}

void PyHostProcess::failInFlight(const Error &error, const PythonError &pythonError)
{
    if (!m_inFlight)
        return;
    const qint64 id = m_inFlight->id;
    m_inFlight.reset();
    Q_EMIT failed(id, error, pythonError);
}

// --- PyHostPool -----------------------------------------------------------------------------

PyHostPool::PyHostPool(QObject *parent) : QObject(parent) {}

Result<PyHostProcess *> PyHostPool::hostFor(const QString &repoDir)
{
    const QFileInfo info(repoDir);
    if (!info.isDir())
        return fail(Error::Code::NotFound,
                    QObject::tr("Repository folder %1 does not exist.").arg(repoDir));
    const QString key = info.canonicalFilePath();
    if (PyHostProcess *h = m_hosts.value(key))
        return h;
    if (m_program.isEmpty()) {
        auto exe = findPyHostExecutable();
        if (!exe)
            return std::unexpected(exe.error());
        m_program = *exe;
    }
    auto *host = new PyHostProcess(m_program, key, this);
    host->setEnvironment(environment());
    m_hosts.insert(key, host);
    return host;
}

void PyHostPool::setHubDir(const QString &hubDir)
{
    m_hubDir = hubDir;
    applyEnvironment();
}

void PyHostPool::setToken(const std::optional<QString> &token)
{
    m_token = token;
    applyEnvironment();
}

QHash<QString, QString> PyHostPool::environment() const
{
    QHash<QString, QString> vars;
    if (!m_hubDir.isEmpty())
        vars.insert(QStringLiteral("HUBCAP_HUB_DIR"), m_hubDir);
    if (m_token)
        vars.insert(QStringLiteral("GITHUB_TOKEN"), *m_token);
    return vars;
}

void PyHostPool::applyEnvironment()
{
    const auto vars = environment();
    for (PyHostProcess *host : std::as_const(m_hosts))
        host->setEnvironment(vars);
}

// --- PyHostJob ------------------------------------------------------------------------------

PyHostJob::PyHostJob(PyHostPool *pool, QString repoDir, QString method, QJsonObject params,
                     int deadlineMs, QObject *parent)
    : Job(parent), m_pool(pool), m_repoDir(std::move(repoDir)), m_method(std::move(method)),
      m_params(std::move(params)), m_deadlineMs(deadlineMs)
{
    setTitle(tr("%1 in %2").arg(m_method, m_repoDir));
}

void PyHostJob::doStart()
{
    if (!m_pool) {
        failWith(Error::make(Error::Code::HostFailed, tr("No Python host pool.")));
        return;
    }
    auto host = m_pool->hostFor(m_repoDir);
    if (!host) {
        failWith(host.error());
        return;
    }
    m_host = *host;
    if (!m_params.contains(QStringLiteral("repo_dir")))
        m_params.insert(QStringLiteral("repo_dir"), m_host->repoDir());
    connect(m_host, &PyHostProcess::progress, this,
            [this](qint64 id, qint64 done, qint64 total, const QString &text) {
                if (id == m_id)
                    reportProgress(done, total, text);
            });
    connect(m_host, &PyHostProcess::replied, this, [this](qint64 id, const QJsonObject &result) {
        if (id != m_id)
            return;
        if (auto compatible = m_host->identity().checkCompatible(); !compatible) {
            failWith(compatible.error());
            return;
        }
        if (auto parsed = parseReply(result); !parsed) {
            failWith(parsed.error());
            return;
        }
        m_reply = result;
        succeed();
    });
    connect(m_host, &PyHostProcess::failed, this,
            [this](qint64 id, const Error &error, const PythonError &pythonError) {
                if (id != m_id)
                    return;
                m_pythonError = pythonError;
                failWith(error);
            });
    m_id = m_host->request(m_method, m_params, m_deadlineMs);
}

void PyHostJob::doCancel()
{
    if (m_host && m_id >= 0)
        m_host->cancel(m_id);
}

HostIdentity PyHostJob::hostIdentity() const
{
    return m_host ? m_host->identity() : HostIdentity{};
}

// --- typed jobs -----------------------------------------------------------------------------

EntrypointListJob::EntrypointListJob(PyHostPool *pool, QString repoDir, bool runtime,
                                     int deadlineMs, QObject *parent)
    : PyHostCall(pool, std::move(repoDir),
                 runtime ? QStringLiteral("runtime.list") : QStringLiteral("static.list"), {},
                 deadlineMs, parent),
      m_runtime(runtime)
{}

Result<void> EntrypointListJob::parseReply(const QJsonObject &reply)
{
    auto ok = PyHostCall::parseReply(reply);
    if (ok)
        m_value->mode = m_runtime ? QStringLiteral("import") : QStringLiteral("static");
    return ok;
}

EntrypointHelpJob::EntrypointHelpJob(PyHostPool *pool, QString repoDir, const QString &entrypoint,
                                     bool runtime, int deadlineMs, QObject *parent)
    : PyHostCall(pool, std::move(repoDir),
                 runtime ? QStringLiteral("runtime.help") : QStringLiteral("static.help"),
                 QJsonObject{{QStringLiteral("entrypoint"), entrypoint}}, deadlineMs, parent)
{}

LoadJob::LoadJob(PyHostPool *pool, QString repoDir, const LoadParams &params, int deadlineMs,
                 QObject *parent)
    : PyHostCall(pool, std::move(repoDir), QStringLiteral("runtime.load"), params.toJson(),
                 deadlineMs, parent)
{}

} // namespace hubcap
