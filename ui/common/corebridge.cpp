#include "corebridge.h"

#include "settings/appsettings.h"

#include <cache/listingcache.h>
#include <fetch/checkupdatejob.h>
#include <fetch/repofetchjob.h>
#include <jobs/job.h>
#include <net/checkpointdownload.h>
#include <net/downloadqueue.h>
#include <net/networkconfig.h>
#include <pyhost/pyhostclient.h>

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
    auto *job = new EntrypointListJob(
        hostPool(), repoDir, importNow,
        importNow ? PyHostJob::runtimeDeadlineMs : PyHostJob::staticDeadlineMs, this);
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
