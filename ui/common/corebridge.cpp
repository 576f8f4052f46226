#include "corebridge.h"

#include <jobs/job.h>

#include <QDir>
#include <QFileInfo>

namespace hubcap::ui {

CoreBridge::CoreBridge(const QString &hubDir, QObject *parent) : QObject(parent), m_hubDir(hubDir)
{}

CoreBridge::~CoreBridge() = default;

void CoreBridge::setHubDir(const QString &hubDir)
{
    if (hubDir == m_hubDir)
        return;
    m_hubDir = hubDir;
    Q_EMIT hubDirChanged(hubDir);
}

Job *CoreBridge::listEntrypoints(const QString &repoDir, bool runtime, QObject *context,
                                 Callback<EntrypointListing> done)
{
    Q_UNUSED(runtime);
    // TODO(issue 4): drive the Python host's static/runtime listing job (core/pyhost).
    deliverLater<EntrypointListing>(
        context, std::move(done),
        fail(Error::Code::HostFailed,
             tr("Python host not available: entrypoints cannot be listed."),
             tr("This build has no hubcap-pyhost (repository: %1). Build the Python host "
                "(issue 4) to browse entrypoints.")
                 .arg(repoDir)));
    return nullptr;
}

Job *CoreBridge::cachedRepos(QObject *context, Callback<QList<RepoEntry>> done)
{
    // TODO(issue 2): use the core's cache inventory (CacheScanJob) once it exists.
    deliverLater<QList<RepoEntry>>(context, std::move(done), QList<RepoEntry>{});
    return nullptr;
}

Job *CoreBridge::cacheTotal(QObject *context, Callback<qint64> done)
{
    // TODO(issue 2): the inventory's total.
    deliverLater<qint64>(context, std::move(done), qint64(-1));
    return nullptr;
}

} // namespace hubcap::ui
