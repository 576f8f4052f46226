#include "ui/common/corebridge.h"

#include "ui/settings/appsettings.h"

#include "core/cache/listingcache.h"
#include "core/fetch/checkupdatejob.h"
#include "core/fetch/repofetchjob.h"
#include "core/hosts/pyhost/client/pyhostclient.h"
#include "core/jobs/job.h"
#include "core/net/checkpointdownload.h"
#include "core/net/downloadqueue.h"
#include "core/net/networkconfig.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>

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

Job *CoreBridge::listEntrypoints(const QString &repoDir, ListMode mode, QObject *context,
                                 Callback<EntrypointListing> done)
{
    const ListingCache cache(m_hubDir);
    auto kept = [&cache, &repoDir](bool importMode) -> std::optional<EntrypointListing> {
        const auto doc =
            cache.get(repoDir, importMode ? QStringLiteral("import") : QStringLiteral("static"));
        if (!doc)
            return std::nullopt;
        auto l = EntrypointListing::fromJson(*doc);
        if (!l)
            return std::nullopt;
        l->mode = importMode ? QStringLiteral("import") : QStringLiteral("static");
        l->fromCache = true;
        return std::move(*l);
    };
    // Kept listings: a trusted repository listed by import before answers with that (the
    // complete one) in Auto mode; otherwise the mode's own record.
    if (mode != ListMode::Static) {
        if (auto l = kept(true)) {
            deliverLater<EntrypointListing>(context, std::move(done), std::move(*l));
            return nullptr;
        }
    }
    std::optional<EntrypointListing> keptStatic =
        mode != ListMode::Import ? kept(false) : std::nullopt;
    // Auto: a kept static listing that missed names still needs the import listing.
    if (keptStatic && !(mode == ListMode::Auto && keptStatic->dynamic)) {
        deliverLater<EntrypointListing>(context, std::move(done), std::move(*keptStatic));
        return nullptr;
    }
    const auto program = findPyHostExecutable();
    if (!program) {
        deliverLater<EntrypointListing>(
            context, std::move(done),
            fail(Error::Code::HostFailed,
                 tr("Python host not available: entrypoints cannot be listed."),
                 program.error().text()));
        return nullptr;
    }
    // Auto whose static listing is kept (and dynamic): go straight to the import listing.
    const bool importNow = mode == ListMode::Import || keptStatic.has_value();
    // 0: the method's own deadline (a listing by import gets the shorter listing deadline).
    auto *job = new EntrypointListJob(hostPool(), repoDir, importNow, 0, this);
    QPointer<QObject> guard(context);
    const QString hubDir = m_hubDir;
    connect(
        job, &Job::finished, this,
        [this, job, guard, done = std::move(done), importNow, mode, repoDir, hubDir]() mutable {
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
            EntrypointListing result = std::move(*listing);
            result.mode = importNow ? QStringLiteral("import") : QStringLiteral("static");
            result.fromCache = false;
            (void)ListingCache(hubDir).put(repoDir, result.mode, result.toJson());
            if (!importNow && mode == ListMode::Auto && result.dynamic) {
                // Static analysis missed names and the caller trusts the repository. If
                // running hubconf.py fails (a missing package, ...), the static listing is
                // still shown, with why the complete one could not be made.
                listEntrypoints(
                    repoDir, ListMode::Import, guard,
                    [done = std::move(done), result](Result<EntrypointListing> imported) mutable {
                        if (imported)
                            return done(std::move(imported));
                        EntrypointListing l = result;
                        QStringList notes = l.notes.value_or(QStringList());
                        notes << tr("Running hubconf.py to list every entrypoint failed: %1")
                                     .arg(imported.error().message);
                        l.notes = notes;
                        done(std::move(l));
                    });
                return;
            }
            done(std::move(result));
        });
    job->start();
    return job;
}

Job *CoreBridge::entrypointWeights(const QString &repoDir, const QString &entrypoint,
                                   QObject *context, Callback<QList<WeightRef>> done)
{
    if (!findPyHostExecutable()) {
        deliverLater<QList<WeightRef>>(context, std::move(done), QList<WeightRef>{});
        return nullptr;
    }
    auto *job = new EntrypointHelpJob(hostPool(), repoDir, entrypoint, false,
                                      PyHostJob::staticDeadlineMs, this);
    QPointer<QObject> guard(context);
    const QString hubDir = m_hubDir;
    connect(job, &Job::finished, this, [job, guard, done = std::move(done), hubDir] {
        job->deleteLater();
        if (!guard)
            return;
        auto help = job->result();
        if (!help) {
            done(std::unexpected(help.error()));
            return;
        }
        done(weightsWithCacheState(help->weights, hubDir));
    });
    job->start();
    return job;
}

void CoreBridge::remoteSize(const QUrl &url, QObject *context, Callback<qint64> done)
{
    if (!m_nam)
        m_nam = new QNetworkAccessManager(this);
    QNetworkRequest req(url);
    // A HEAD asks for nothing but the size; no credentials go with it (weights hosts are not
    // GitHub's API), redirects to a CDN are followed.
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                     QNetworkRequest::NoLessSafeRedirectPolicy);
    req.setTransferTimeout(15000);
    QNetworkReply *reply = m_nam->head(req);
    QPointer<QObject> guard(context);
    connect(reply, &QNetworkReply::finished, this, [reply, guard, done = std::move(done)] {
        reply->deleteLater();
        if (!guard)
            return;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() != QNetworkReply::NoError || status / 100 != 2) {
            done(fail(Error::Code::Network,
                      tr("Cannot get the size of %1: %2")
                          .arg(reply->url().toDisplayString(QUrl::RemoveUserInfo),
                               status ? tr("HTTP %1").arg(status) : reply->errorString())));
            return;
        }
        const QVariant len = reply->header(QNetworkRequest::ContentLengthHeader);
        done(len.isValid() ? len.toLongLong() : qint64(-1));
    });
}

void CoreBridge::listRefs(const QString &owner, const QString &repo, QObject *context,
                          Callback<RefList> done)
{
    auto *client = new GitHubClient(networkConfig(), this);
    QPointer<QObject> guard(context);
    client->listRefs(owner, repo, [client, guard, done = std::move(done)](Result<RefList> r) {
        client->deleteLater();
        if (guard)
            done(std::move(r));
    });
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
