#include "core/hosts/pyhost/client/pyhostclient.h"

#include "core/util/format.h"
#include "core/util/hostprocess.h"
#include "core/util/paths.h"

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
    m_idleTimer.setSingleShot(true);
    connect(&m_idleTimer, &QTimer::timeout, this, [this] {
        if (!isBusy() && m_proc) {
            qCDebug(lcPyHost) << "stopping idle host for" << m_repoDir;
            stopIdleProcess();
        }
    });
    m_idleClock.start();
}

PyHostProcess::~PyHostProcess()
{
    if (m_proc) {
        m_proc->disconnect(this);
        killProcess();
        m_proc->waitForFinished(2000);
    }
}

void PyHostProcess::killProcess()
{
    // The whole process group: the host and whatever repository code forked.
    if (m_proc && m_proc->state() != QProcess::NotRunning)
        killHostGroup(m_proc->processId());
    if (m_proc)
        m_proc->kill();
}

qint64 PyHostProcess::idleForMs() const
{
    if (!isRunning())
        return -1;
    return isBusy() ? 0 : m_idleClock.elapsed();
}

void PyHostProcess::setIdleTimeoutMs(int ms)
{
    m_idleTimer.setInterval(qMax(0, ms));
    if (ms <= 0)
        m_idleTimer.stop();
    else if (m_proc && !isBusy())
        m_idleTimer.start(qMax<qint64>(0, ms - m_idleClock.elapsed()));
}

void PyHostProcess::setMemoryLimit(qint64 bytes)
{
    if (bytes == m_memoryLimit)
        return;
    m_memoryLimit = qMax<qint64>(0, bytes);
    if (!m_proc)
        return;
    if (isBusy())
        m_restartPending = true;
    else
        stopIdleProcess();
}

bool PyHostProcess::stopWhenIdle()
{
    if (!m_proc)
        return true;
    if (isBusy()) {
        m_stopWhenIdle = true;
        return false;
    }
    stopIdleProcess();
    return true;
}

void PyHostProcess::requestDone()
{
    m_idleClock.restart();
    if (isBusy())
        return;
    if (m_stopWhenIdle) {
        m_stopWhenIdle = false;
        stopIdleProcess();
        return;
    }
    if (m_idleTimer.interval() > 0 && m_proc)
        m_idleTimer.start();
}

QString PyHostProcess::describeRepo() const
{
    return QDir::toNativeSeparators(m_repoDir);
}

qint64 PyHostProcess::request(const QString &method, const QJsonObject &params, int deadlineMs)
{
    const qint64 id = m_nextId++;
    m_idleTimer.stop();
    m_stopWhenIdle = false;
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
        killProcess();
    }
}

void PyHostProcess::shutdown()
{
    m_queue.clear();
    m_idleTimer.stop();
    if (m_proc) {
        m_killReason = tr("shut down");
        killProcess();
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
    m_idleTimer.stop();
    if (!m_proc)
        return;
    m_proc->disconnect(this);
    killProcess();
    m_proc->waitForFinished(2000);
    m_proc->deleteLater();
    m_proc = nullptr;
    Q_EMIT runningChanged(false);
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
    setUpHostProcess(m_proc, m_memoryLimit); // own process group, memory limit
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
    m_pid = m_proc->processId();
    qCDebug(lcPyHost) << "started host" << m_pid << "for" << m_repoDir;
    Q_EMIT runningChanged(true);
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
        m_idleClock.restart();
        if (const QJsonValue result = msg.value(QLatin1StringView("result")); result.isObject()) {
            Q_EMIT replied(id, result.toObject());
        } else {
            const PythonError e =
                PythonError::fromJson(msg.value(QLatin1StringView("error")).toObject());
            Error err = e.toError();
            if (e.type == u"MemoryError" && m_memoryLimit > 0)
                err.message = tr("Repository code in %1 ran out of memory: %2.")
                                  .arg(describeRepo(), memoryLimitAdvice(m_memoryLimit));
            Q_EMIT failed(id, err, e);
        }
        pump();
        requestDone();
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
    killProcess();
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
    else if (m_memoryLimit > 0 && (m_stderrTail.join(u'\n').contains(u"MemoryError") ||
                                   m_stderrTail.join(u'\n').contains(u"bad_alloc")))
        what = tr("The Python host for %1 stopped during '%2': %3")
                   .arg(describeRepo(), method, memoryLimitAdvice(m_memoryLimit));
    else if (m_memoryLimit > 0 && status == QProcess::CrashExit)
        what = tr("The Python host for %1 crashed during '%2' (repository code killed it, or %3)")
                   .arg(describeRepo(), method, memoryLimitAdvice(m_memoryLimit));
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
    // Whatever the host forked goes with it (a crashed host cannot end its group itself).
    killHostGroup(m_pid);
    m_pid = 0;
    m_proc->deleteLater();
    m_proc = nullptr;
    Q_EMIT runningChanged(false);
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
    requestDone();
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

PyHostPool::PyHostPool(QObject *parent) : QObject(parent)
{
    m_idleTimeoutMs = qMax(0, qEnvironmentVariableIntValue("HUBCAP_HOST_IDLE_TIMEOUT_MS"));
    m_memoryLimit = hostMemoryLimitFromEnvironment();
    const int sweepMs = qEnvironmentVariableIntValue("HUBCAP_HOST_SWEEP_MS");
    m_sweep.setInterval(sweepMs > 0 ? sweepMs : 5000);
    connect(&m_sweep, &QTimer::timeout, this, &PyHostPool::sweep);
}

void PyHostPool::setIdleTimeoutMs(int ms)
{
    m_idleTimeoutMs = qMax(0, ms);
    for (PyHostProcess *host : std::as_const(m_hosts))
        host->setIdleTimeoutMs(m_idleTimeoutMs);
}

void PyHostPool::setMemoryLimit(qint64 bytes)
{
    m_memoryLimit = qMax<qint64>(0, bytes);
    for (PyHostProcess *host : std::as_const(m_hosts))
        host->setMemoryLimit(m_memoryLimit);
}

QList<PyHostPool::HostStatus> PyHostPool::runningHosts() const
{
    QList<HostStatus> out;
    for (const PyHostProcess *host : std::as_const(m_hosts)) {
        if (!host->isRunning())
            continue;
        HostStatus st;
        st.repoDir = host->repoDir();
        st.pid = host->processId();
        st.residentBytes = processGroupResidentBytes(st.pid);
        st.busy = host->isBusy();
        st.method = host->currentMethod();
        st.idleForMs = st.busy ? -1 : host->idleForMs();
        out.append(st);
    }
    std::sort(out.begin(), out.end(),
              [](const HostStatus &a, const HostStatus &b) { return a.repoDir < b.repoDir; });
    return out;
}

int PyHostPool::stopHostsUnder(const QString &path)
{
    const QString root = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    int n = 0;
    for (PyHostProcess *host : std::as_const(m_hosts)) {
        const QString dir = host->repoDir();
        if ((dir == root || dir.startsWith(root + u'/')) && host->isRunning()) {
            host->stopWhenIdle();
            ++n;
        }
    }
    return n;
}

void PyHostPool::stopAll()
{
    for (PyHostProcess *host : std::as_const(m_hosts))
        host->stopWhenIdle();
}

void PyHostPool::sweep()
{
    // A repository folder deleted behind our back (another process, the cache page): its host
    // has nothing left to serve.
    bool anyRunning = false;
    for (PyHostProcess *host : std::as_const(m_hosts)) {
        if (!host->isRunning())
            continue;
        if (!QFileInfo(host->repoDir()).isDir())
            host->stopWhenIdle();
        anyRunning = anyRunning || host->isRunning();
    }
    if (!anyRunning)
        m_sweep.stop();
}

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
    host->setIdleTimeoutMs(m_idleTimeoutMs);
    host->setMemoryLimit(m_memoryLimit);
    connect(host, &PyHostProcess::runningChanged, this, [this](bool running) {
        if (running && !m_sweep.isActive())
            m_sweep.start();
        Q_EMIT hostsChanged();
    });
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
      m_params(std::move(params)),
      m_deadlineMs(deadlineMs > 0 ? deadlineMs : defaultDeadlineMs(m_method))
{
    setTitle(tr("%1 in %2").arg(m_method, m_repoDir));
    // A request that runs long with no word from the host says what it waits for, so the user
    // can decide to stop it.
    m_notice.setInterval(1000);
    connect(&m_notice, &QTimer::timeout, this, [this] {
        if (isFinished()) {
            m_notice.stop();
            return;
        }
        if (m_sinceProgress.elapsed() < waitNoticeMs())
            return;
        reportProgress(0, -1,
                       tr("waiting for the Python host: %1 in %2 has run for %3 (stopped after %4)")
                           .arg(m_method, QDir::toNativeSeparators(m_repoDir),
                                humanDuration(m_running.elapsed() / 1000),
                                humanDuration(m_deadlineMs / 1000)));
    });
}

int PyHostJob::defaultDeadlineMs(const QString &method)
{
    if (method.startsWith(QStringLiteral("static.")))
        return staticDeadlineMs;
    if (method == u"runtime.list" || method == u"runtime.help") {
        const int env = qEnvironmentVariableIntValue("HUBCAP_LIST_DEADLINE_MS");
        return env > 0 ? env : listDeadlineMs;
    }
    return runtimeDeadlineMs;
}

int PyHostJob::waitNoticeMs()
{
    bool ok = false;
    const int env = qEnvironmentVariableIntValue("HUBCAP_HOST_WAIT_NOTICE_MS", &ok);
    return ok && env >= 0 ? env : 3000;
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
                if (id != m_id)
                    return;
                m_sinceProgress.restart();
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
    m_running.start();
    m_sinceProgress.start();
    m_notice.start();
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
