#pragma once

#include "core/bundle/manifest.h"
#include "core/cache/repospec.h"
#include "core/jobs/job.h"

#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>
#include <thread>

namespace hubcap {
class PyHostPool;
}

namespace hubcap::bundle {

enum class WeightsMode { All, Used, None };
std::optional<WeightsMode> parseWeightsMode(const QString &text);
QString weightsModeName(WeightsMode mode);

/// A repository folder of the hub dir chosen for export.
struct ExportRepo
{
    RepoSpec spec;  ///< with the ref
    QString folder; ///< "owner_repo_ref'"
};

/// The checkpoints (file names in `<hub>/checkpoints/`) that a repository's entrypoints use.
/// This is the one place `--weights used` asks. Today it reads the sidecar records of
/// checkpoints downloaded by that repository's code (`.hubcap/checkpoints/<name>.json` whose
/// "repo" is the repository); static analysis of the weight URLs in hubconf.py can replace it
/// here without touching the rest of the export.
using UsedCheckpointsSource = std::function<QStringList(const QString &hubDir, const ExportRepo &)>;
QStringList usedCheckpointsFromSidecar(const QString &hubDir, const ExportRepo &repo);

/// Lists a repository folder's entrypoints for the manifest ([{"name","signature"}]), or an
/// error text. Empty function: the static listing of hubcap-pyhost (no repository code runs).
using EntrypointLister = std::function<Result<QJsonArray>(const QString &repoDir)>;

struct ExportRequest
{
    QString hubDir;    ///< absolute
    QStringList repos; ///< "owner/repo[:ref]" or folder names of the hub dir
    WeightsMode weights = WeightsMode::Used;
    QStringList includeCheckpoints; ///< names in checkpoints/ to add whatever `weights` says
    QString output;                 ///< the .hubcap file (ignored for a dry run)
    bool dryRun = false;            ///< plan and measure; write nothing
    UsedCheckpointsSource usedSource = usedCheckpointsFromSidecar;
    EntrypointLister lister;
};

struct ExportResult
{
    Manifest manifest;       ///< file hashes are zeros in a dry run
    qint64 archiveBytes = 0; ///< the exact size of the .hubcap file (dry run: what it will be)
    QString output;
    QStringList warnings; ///< skipped symlinks, checkpoints without provenance, ...
};

/// Resolves "owner/repo[:ref]" or a folder name to a repository folder of the hub dir. Without a
/// ref the one cached folder of owner/repo is taken (sidecar records, then _main, _master).
Result<ExportRepo> resolveExportRepo(const QString &hubDir, const QString &text);

/// Writes a bundle (or measures one): entrypoint listing on the calling thread (host process),
/// then a worker thread walks the folders and streams every file into a plain tar, hashing on
/// the way, with manifest.json last. Memory stays bounded (1 MiB buffers). The output is written
/// to `<output>.<pid>.partial` and renamed at the end; a failure or cancel removes it.
class BundleExportJob : public Job
{
    Q_OBJECT
public:
    explicit BundleExportJob(ExportRequest request, QObject *parent = nullptr);
    ~BundleExportJob() override;

    const ExportResult &result() const { return m_result; }

protected:
    void doStart() override;
    void doCancel() override;

private:
    void listNext();
    void startWriting();
    void finishFromWorker();

    ExportRequest m_req;
    QList<ExportRepo> m_repos;
    QList<QJsonArray> m_listings;
    QStringList m_listingErrors;
    int m_listIndex = 0;
    PyHostPool *m_pool = nullptr;
    ExportResult m_result;
    std::optional<Error> m_workerError;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::thread m_thread;
};

} // namespace hubcap::bundle
