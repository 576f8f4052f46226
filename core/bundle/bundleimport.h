#pragma once

#include "core/bundle/manifest.h"
#include "core/cache/trustlist.h"
#include "core/jobs/job.h"

#include <QStringList>

#include <atomic>
#include <memory>
#include <thread>

namespace hubcap::archive {
class TarReader;
}

namespace hubcap::bundle {

/// An opened bundle whose manifest parsed and matches the archive's members (every listed
/// file present with its size, nothing unlisted, no links). Hashes are checked by verify()
/// or by the import, which streams every file anyway.
class OpenedBundle
{
public:
    ~OpenedBundle();
    OpenedBundle(OpenedBundle &&) noexcept;
    OpenedBundle &operator=(OpenedBundle &&) noexcept;

    static Result<OpenedBundle> open(const QString &file);

    const Manifest &manifest() const { return m_manifest; }
    QString file() const { return m_file; }
    qint64 archiveBytes() const { return m_archiveBytes; }
    /// Streams one member to `sink`; false with *error when the archive is cut short.
    bool read(const QString &path, const std::function<bool(const char *, std::size_t)> &sink,
              QString *error) const;
    /// Hashes every member and compares with the manifest (bundle show --verify).
    Result<void> verify(const std::function<void(qint64, qint64, const QString &)> &progress = {},
                        const std::atomic<bool> *cancel = nullptr) const;

private:
    OpenedBundle() = default;
    QString m_file;
    qint64 m_archiveBytes = 0;
    Manifest m_manifest;
    std::unique_ptr<archive::TarReader> m_tar;
};

/// What importing would do, computed before anything is written.
struct ImportPreview
{
    enum class FileState { New, Identical, Different };
    struct RepoInfo
    {
        ManifestRepo repo;
        bool folderExists = false;
        TrustDecision trust; ///< as torch.hub would decide before the import
    };
    Manifest manifest;
    QString file;
    qint64 archiveBytes = 0;
    QList<RepoInfo> repos;
    QStringList newFiles, identicalFiles, differentFiles; ///< manifest paths
    qint64 bytesToWrite = 0;                              ///< sizes of new and different files
};

/// Opens the bundle and compares it with the hub dir (sizes, then SHA-256 where sizes match).
Result<ImportPreview> previewImport(const QString &bundleFile, const QString &hubDir);

struct ImportRequest
{
    QString bundle;
    QString hubDir;       ///< absolute
    bool replace = false; ///< replace existing files that differ from the bundle's
    QStringList trust;    ///< trust names ("owner_repo") to append to trusted_list on success
};

struct ImportResult
{
    Manifest manifest;
    QStringList installed, kept, replaced; ///< manifest paths
    QStringList trustAdded;
    qint64 bytesWritten = 0;
};

/// Installs a bundle, never leaving a half-installed cache:
///  1. open and check the manifest against the archive (paths, sizes, no links or extras);
///  2. compare with the hub dir: an existing file that differs is an error unless `replace`;
///  3. stream every file into `<hub>/.hubcap/tmp/bundle-<pid>-<uuid>/`, hashing on the way;
///     one size or SHA-256 that does not match the manifest (or a bundle cut short) stops here
///     and removes the staging folder: nothing was placed;
///  4. rename into place: a missing repository folder as one rename, files of an existing
///     folder and checkpoints one rename each (identical files are kept as they are);
///  5. record provenance in the sidecar (repos/, checkpoints/, bundles/) and the trust names.
class BundleImportJob : public Job
{
    Q_OBJECT
public:
    explicit BundleImportJob(ImportRequest request, QObject *parent = nullptr);
    ~BundleImportJob() override;

    const ImportResult &result() const { return m_result; }

protected:
    void doStart() override;
    void doCancel() override;

private:
    void finishFromWorker();

    ImportRequest m_req;
    ImportResult m_result;
    std::optional<Error> m_workerError;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::thread m_thread;
};

} // namespace hubcap::bundle
