#include "corebridge.h"

#include "settings/appsettings.h"

#include <fetch/checkupdatejob.h>
#include <fetch/repofetchjob.h>
#include <jobs/job.h>
#include <net/checkpointdownload.h>
#include <net/downloadqueue.h>
#include <net/networkconfig.h>
#include <pyhost/pyhostclient.h>

#include <QJsonObject>

#include <QDir>
#include <QFileInfo>

namespace hubcap::ui {

CoreBridge::CoreBridge(const QString &hubDir, QObject *parent)
    : QObject(parent), m_hubDir(hubDir), m_queue(new DownloadQueue(this))
{
    applyConcurrency(AppSettings::load().concurrency);
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
    auto *job = new EntrypointListJob(
        hostPool(), repoDir, runtime,
        runtime ? PyHostJob::runtimeDeadlineMs : PyHostJob::staticDeadlineMs, this);
    QPointer<QObject> guard(context);
    connect(job, &Job::finished, this, [job, guard, done = std::move(done)] {
        job->deleteLater();
        if (!guard)
            return;
        auto listing = job->result();
        if (!listing) {
            Error e = listing.error();
            const QString py = job->pythonError().message;
            if (!py.isEmpty() && !e.message.contains(py))
                e.details = py + u'\n' + e.details;
            done(std::unexpected(e));
            return;
        }
        done(std::move(*listing));
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
