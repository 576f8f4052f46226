#include "ui/common/corebridge.h"

#include "ui/settings/appsettings.h"

#include "core/fetch/checkupdatejob.h"
#include "core/fetch/repofetchjob.h"
#include "core/jobs/job.h"
#include "core/net/checkpointdownload.h"
#include "core/net/downloadqueue.h"
#include "core/net/networkconfig.h"
#include "core/hosts/pyhost/client/pyhostclient.h"

#include <QJsonObject>

#include <QDir>
#include <QFileInfo>

namespace hubcap::ui {

CoreBridge::CoreBridge(const QString &hubDir, QObject *parent)
    : QObject(parent), m_hubDir(hubDir), m_queue(new DownloadQueue(this))
{
    const AppSettings settings = AppSettings::load();
    applyConcurrency(settings.concurrency);
    applyHostSettings(settings.hostIdleMinutes * 60 * 1000,
                      qint64(settings.hostMemoryLimitMiB) * 1024 * 1024);
}

void CoreBridge::applyHostSettings(int idleMs, qint64 memoryLimitBytes)
{
    // The environment (tests, --host-memory-limit style overrides) wins over the settings.
    const int envIdle = qEnvironmentVariableIntValue("HUBCAP_HOST_IDLE_TIMEOUT_MS");
    m_hostIdleMs = envIdle > 0 ? envIdle : idleMs;
    m_hostMemoryLimit = memoryLimitBytes > 0
                            ? memoryLimitBytes
                            : qEnvironmentVariable("HUBCAP_HOST_MEMORY_LIMIT").toLongLong();
    if (m_pool) {
        m_pool->setIdleTimeoutMs(m_hostIdleMs);
        m_pool->setMemoryLimit(m_hostMemoryLimit);
    }
}

void CoreBridge::repositoryRemoved(const QString &path)
{
    if (m_pool)
        m_pool->stopHostsUnder(path);
}

CoreBridge::~CoreBridge() = default;

void CoreBridge::setHubDir(const QString &hubDir)
{
    if (hubDir == m_hubDir)
        return;
    m_hubDir = hubDir;
    if (m_pool)
        m_pool->setHubDir(hubDir);
    Q_EMIT hubDirChanged(hubDir);
}

PyHostPool *CoreBridge::hostPool()
{
    if (!m_pool) {
        m_pool = new PyHostPool(this);
        m_pool->setHubDir(m_hubDir);
        if (!m_token.isEmpty())
            m_pool->setToken(m_token);
        m_pool->setIdleTimeoutMs(m_hostIdleMs);
        m_pool->setMemoryLimit(m_hostMemoryLimit);
        Q_EMIT hostPoolCreated(m_pool);
    }
    return m_pool;
}

void CoreBridge::setToken(const QString &token)
{
    m_token = token;
    if (m_pool) // empty: the hosts inherit GITHUB_TOKEN from the environment, as before
        m_pool->setToken(token.isEmpty() ? std::nullopt : std::optional<QString>(token));
}

Job *CoreBridge::listEntrypoints(const QString &repoDir, bool runtime, QObject *context,
                                 Callback<EntrypointListing> done)
{
    const auto program = findPyHostExecutable();
    if (!program) {
        deliverLater<EntrypointListing>(
            context, std::move(done),
            fail(Error::Code::HostFailed,
                 tr("Python host not available: entrypoints cannot be listed."),
                 program.error().text()));
        return nullptr;
    }
    auto *job =
        new PyHostJob(hostPool(), repoDir,
                      runtime ? QStringLiteral("runtime.list") : QStringLiteral("static.list"),
                      QJsonObject{{QStringLiteral("repo_dir"), repoDir}},
                      0 /* PyHostJob::defaultDeadlineMs */, this);
    QPointer<QObject> guard(context);
    connect(job, &Job::finished, this, [job, guard, done = std::move(done)] {
        job->deleteLater();
        if (!guard)
            return;
        if (job->error()) {
            Error e = *job->error();
            const QString py = job->pythonError().value(QStringLiteral("message")).toString();
            if (!py.isEmpty() && !e.message.contains(py))
                e.details = py + u'\n' + e.details;
            done(std::unexpected(e));
            return;
        }
        done(EntrypointListing::fromJson(job->result()));
    });
    job->start();
    return job;
}

NetworkConfig CoreBridge::networkConfig() const
{
    NetworkConfig config = NetworkConfig::fromEnvironment();
    AppSettings::load().applyTo(config);
    if (!m_token.isEmpty())
        config.setToken(m_token);
    return config;
}

RepoFetchJob *CoreBridge::fetchRepo(const RepoSpec &spec, bool forceReload)
{
    RepoFetchRequest request;
    request.spec = spec;
    request.hubDir = m_hubDir;
    request.forceReload = forceReload;
    request.trust = TrustMode::Check;
    auto *job = new RepoFetchJob(request, networkConfig(), this);
    job->setTitle(forceReload ? tr("Reload %1").arg(spec.toString())
                              : tr("Fetch %1").arg(spec.toString()));
    connect(job, &Job::stateChanged, this, [this, job](Job::State state) {
        if (state == Job::State::Running)
            Q_EMIT jobStarted(job);
    });
    return job;
}

CheckUpdateJob *CoreBridge::checkUpdate(const RepoSpec &spec)
{
    auto *job = new CheckUpdateJob(spec, m_hubDir, networkConfig(), this);
    job->setTitle(tr("Check %1 for updates").arg(spec.toString()));
    return job;
}

void CoreBridge::applyConcurrency(int maxConcurrent)
{
    m_queue->setMaxConcurrent(maxConcurrent);
}

CheckpointDownloadJob *CoreBridge::downloadWeights(CheckpointRequest request)
{
    request.hubDir = m_hubDir;
    auto *job = new CheckpointDownloadJob(std::move(request), networkConfig(), this);
    job->setQueue(m_queue);
    if (const auto place = placeCheckpoint(job->request()))
        job->setTitle(place->fileName);
    return job;
}

} // namespace hubcap::ui
