#pragma once

#include "core/protocol/entrypoint.h"

#include "core/error.h"
#include "core/github/githubclient.h"

#include <QJsonArray>
#include <QObject>
#include <QPointer>
#include <QUrl>

class QNetworkAccessManager;

#include <functional>

namespace hubcap {
class CheckUpdateJob;
class CheckpointDownloadJob;
struct CheckpointRequest;
class DownloadQueue;
class Job;
class NetworkConfig;
class PyHostPool;
class RepoFetchJob;
struct RepoSpec;
} // namespace hubcap

namespace hubcap::ui {

/// The one place where the UI calls into the core's jobs and APIs. Pages get it through their
/// constructors (no singletons); tests subclass it to fake slow or missing parts. Every call is
/// asynchronous: the callback runs on the GUI thread, only while `context` is alive.
class CoreBridge : public QObject
{
    Q_OBJECT
public:
    template <typename T> using Callback = std::function<void(Result<T>)>;

    explicit CoreBridge(const QString &hubDir, QObject *parent = nullptr);
    ~CoreBridge() override;

    QString hubDir() const { return m_hubDir; }
    /// The warm Python hosts of this session (one per repository folder).
    PyHostPool *hostPool();
    void setHubDir(const QString &hubDir);

    /// How a listing is made: Static reads hubconf.py without running code; Import executes
    /// it (only after the trust question was answered); Auto is Static, then Import when static
    /// analysis reports names it cannot see (for trusted repositories only).
    enum class ListMode { Static, Import, Auto };

    /// Lists a repository folder's entrypoints. A listing kept in the sidecar for the same
    /// files (cache/listingcache.h) is answered at once without starting Python
    /// (EntrypointListing::fromCache); new listings are kept. `mode` in the result is the mode
    /// that made it. Returns the job, or nullptr when answered from the cache (or failed).
    virtual Job *listEntrypoints(const QString &repoDir, ListMode mode, QObject *context,
                                 Callback<EntrypointListing> done);
    Job *listEntrypoints(const QString &repoDir, bool runtime, QObject *context,
                         Callback<EntrypointListing> done)
    {
        return listEntrypoints(repoDir, runtime ? ListMode::Import : ListMode::Static, context,
                               std::move(done));
    }

    /// The weights `entrypoint` can download, by static analysis (the host's static.help),
    /// with `path` and `cached` for this hub dir; nothing runs.
    virtual Job *entrypointWeights(const QString &repoDir, const QString &entrypoint,
                                   QObject *context, Callback<QList<WeightRef>> done);
    /// The size a URL reports to a HEAD request (-1 when it does not say). Asked only when the
    /// user asks, one URL at a time.
    virtual void remoteSize(const QUrl &url, QObject *context, Callback<qint64> done);

    /// Branches and tags of a GitHub repository for the ref picker (GitHubClient::listRefs).
    virtual void listRefs(const QString &owner, const QString &repo, QObject *context,
                          Callback<RefList> done);

    /// The environment's network configuration with the GUI's settings and the keychain
    /// token applied.
    NetworkConfig networkConfig() const;
    /// The token read from the keychain (never written to settings or logs). It is used for
    /// GitHub requests and given to the Python hosts as GITHUB_TOKEN (repository code that
    /// calls torch.hub.load authenticates as the user configured).
    void setToken(const QString &token);

    /// Fetches owner/repo[:ref] into the hub cache (torch.hub's layout). The job is not started;
    /// the caller connects trustQuestion() first. jobStarted() is emitted when it starts.
    RepoFetchJob *fetchRepo(const RepoSpec &spec, bool forceReload);
    /// Whether a cached repository is behind its ref (one API call, nothing downloaded).
    CheckUpdateJob *checkUpdate(const RepoSpec &spec);

    /// The session's weight downloads run through this queue; its limit is the "parallel
    /// downloads" setting (applied at construction and by applyConcurrency()).
    DownloadQueue *downloadQueue() const { return m_queue; }
    void applyConcurrency(int maxConcurrent);
    /// The Python hosts' lifecycle settings: idle hosts stop after `idleMs` (0: never), each
    /// host's memory is capped at `memoryLimitBytes` (0: none). Applied at construction from
    /// the settings and to the pool when it exists.
    void applyHostSettings(int idleMs, qint64 memoryLimitBytes);
    /// A folder was deleted (cache page): the hosts serving repositories in it are stopped.
    void repositoryRemoved(const QString &path);
    /// The pool if hosts were ever used in this session, else nullptr (creates nothing).
    PyHostPool *existingHostPool() const { return m_pool; }
    /// torch.hub's load_state_dict_from_url download step into this hub dir's checkpoints/
    /// (the CLI's `download` runs the same job). `request.hubDir` is set here; the transfer
    /// waits in downloadQueue(). Not started: the caller connects, then starts it.
    CheckpointDownloadJob *downloadWeights(CheckpointRequest request);

Q_SIGNALS:
    void hubDirChanged(const QString &hubDir);
    /// A job worth showing in the downloads panel was started (fetch, weight download).
    void jobStarted(hubcap::Job *job);
    /// The pool was created (View → Running Hosts follows it from then on).
    void hostPoolCreated(hubcap::PyHostPool *pool);

protected:
    /// Calls `done(result)` from the event loop, if `context` still exists.
    template <typename T> void deliverLater(QObject *context, Callback<T> done, Result<T> result)
    {
        QPointer<QObject> guard(context);
        QMetaObject::invokeMethod(
            this,
            [guard, done = std::move(done), result = std::move(result)]() mutable {
                if (guard)
                    done(std::move(result));
            },
            Qt::QueuedConnection);
    }

private:
    QString m_hubDir;
    PyHostPool *m_pool = nullptr;
    QNetworkAccessManager *m_nam = nullptr;
    DownloadQueue *m_queue;
    QString m_token;
    int m_hostIdleMs = 0;
    qint64 m_hostMemoryLimit = 0;
};

} // namespace hubcap::ui
