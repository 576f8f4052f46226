#pragma once

#include "core/cache/sidecar.h"
#include "core/cache/trustlist.h"
#include "core/jobs/job.h"
#include "core/jobs/worker.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <atomic>
#include <functional>
#include <optional>

namespace hubcap {

/// Where a repository folder's owner/repo/ref came from. The folder name alone is ambiguous
/// when names contain '_' (`a_b/c` and `a/b_c` both give `a_b_c_<ref>`), so:
enum class RepoIdentity {
    Unknown,     ///< only the folder name is known
    Sidecar,     ///< Hubcap recorded it when it fetched the folder (exact)
    FolderName,  ///< the name has exactly two '_', so only one split is possible (exact)
    TrustedList, ///< exactly one `owner_repo` line of trusted_list prefixes the folder, and
                 ///< that line has a single '_'; ref is null when the rest has '_' (could be '/')
};
QString
repoIdentityName(RepoIdentity identity); ///< "unknown", "sidecar", "folder_name", "trusted_list"

/// One immediate sub-folder of the hub dir that is (or looks like) a torch.hub repository.
struct CachedRepo
{
    QString dir;  ///< folder name, e.g. "pytorch_vision_main"
    QString path; ///< absolute path
    RepoIdentity identity = RepoIdentity::Unknown;
    QString owner, repo;    ///< null QString when unknown
    QString ref;            ///< null when unknown; may be empty ("owner/repo:")
    QString commit;         ///< from the sidecar, else empty
    qint64 bytes = 0;       ///< apparent size of every non-directory entry (symlinks: the link)
    qint64 files = 0;       ///< non-directory entries
    QDateTime modified;     ///< newest mtime of the folder and everything in it
    TrustDecision trust;    ///< as torch.hub would decide for this folder's spec
    bool isSymlink = false; ///< the folder itself is a symlink (reported, not followed)

    bool known() const { return !owner.isNull() && !repo.isNull(); }
    /// "owner/repo:ref", "owner/repo" (ref unknown) or the folder name.
    QString displayName() const;
};

/// A file in `<hub>/checkpoints/` (load_state_dict_from_url's default model_dir).
struct CachedCheckpoint
{
    QString name; ///< file name in checkpoints/
    QString path;
    qint64 bytes = 0;
    QString
        hashPrefix; ///< torch's HASH_REGEX `-([a-f0-9]*)\.` first match; null if none, "" possible
    QDateTime modified;
    bool isDir = false, isSymlink = false;
    std::optional<CheckpointRecord> provenance; ///< Hubcap's sidecar record, when there is one
};

/// Something a download or extraction left behind (safe to delete when nothing is running).
struct Leftover
{
    enum class Kind {
        Partial,   ///< `*.partial` (torch ≥ 2.0 download temp)
        TempFile,  ///< `tmpXXXXXXXX` (torch 1.13 NamedTemporaryFile in the target dir)
        Zipball,   ///< `<ref'>.zip` in the hub dir (transient repository download)
        Extracted, ///< `owner-repo-sha7/` top folder of a zipball that was never renamed
        HubcapTemp ///< anything in `.hubcap/tmp/`
    };
    QString path; ///< relative to the hub dir ("checkpoints/tmpab12cd34", "main.zip")
    QString absolutePath;
    qint64 bytes = 0;
    Kind kind = Kind::Partial;
    QDateTime modified;
};
QString
leftoverKindName(Leftover::Kind kind); ///< "partial", "temp", "zip", "extracted", "hubcap_tmp"

/// An entry the scan could not read (reported, never fatal).
struct ScanProblem
{
    QString path;
    QString message;
};

/// Everything in a hub dir that torch.hub (or Hubcap) put there.
struct CacheInventory
{
    QString hubDir;          ///< absolute
    bool exists = false;     ///< false: the hub dir does not exist yet (everything empty)
    QList<CachedRepo> repos; ///< largest first
    QList<CachedCheckpoint> checkpoints; ///< largest first
    QList<Leftover> leftovers;           ///< largest first
    QList<ScanProblem> problems;
    /// Top-level entries that are none of the above (the user's own files and folders, a
    /// folder named like a repository but without hubconf.py, ...): listed, never removed.
    QStringList unknown;
    /// The hub dir has some of torch.hub's or Hubcap's layout: checkpoints/, trusted_list,
    /// .hubcap/ or a repository folder. A folder without any is probably not a hub dir at all
    /// (a mistyped --hub-dir), so destructive commands refuse to work there unless forced.
    bool hasHubLayout = false;
    QStringList trustedList; ///< the entries as read (see TrustList::entries)
    qint64 totalBytes = 0;   ///< repos + checkpoints + leftovers
    qint64 freeBytes = -1;   ///< available to the user on the hub dir's file system (-1 unknown)

    const CachedRepo *findRepo(const QString &dir) const;
    /// The `cache ls --json` document (fields listed in the CLI issue).
    QJsonObject toJson() const;
};

/// One folder's measured size, reported by scanCache()'s second phase. The numbers are the ones
/// the final inventory holds for that entry.
struct SizedEntry
{
    QString relPath; ///< relative to the hub dir: CachedRepo::dir, "checkpoints/<name>" or
                     ///< Leftover::path (the names CacheInventory and deletion plans use)
    QString path;    ///< absolute
    qint64 bytes = 0;
    qint64 files = 0;   ///< non-directory entries in the folder
    QDateTime modified; ///< the entry's `modified` after measuring (as in the final inventory)
};

/// Options and hooks for scanCache(). Every callback may be empty; all are called on the
/// scanning thread.
///
/// The scan runs in two phases. Phase 1 lists every repository, checkpoint and leftover with
/// what lstat gives cheaply (a folder's own size is not known yet) and hands the result to
/// `listed` once. Phase 2 walks the folders one by one and reports each to `sized`. Then the
/// complete inventory is returned.
struct ScanOptions
{
    /// Polled between entries; returning true stops the scan with Error::Code::Cancelled.
    std::function<bool()> cancelled;
    /// (done, total, current entry) over the hub dir's top-level entries and checkpoints; an
    /// entry that is a folder counts as done once it has been measured.
    std::function<void(qint64, qint64, const QString &)> progress;
    /// End of phase 1: every entry, folders with bytes = files = 0 and their relative paths in
    /// `pending` (in the order phase 2 measures them). Lists are not sorted yet; totalBytes sums
    /// the sizes known so far. Called exactly once on success, before any `sized`.
    std::function<void(const CacheInventory &partial, const QStringList &pending)> listed;
    /// Phase 2: one report per pending folder, as soon as it is measured.
    std::function<void(const SizedEntry &entry)> sized;
    /// Called with a folder's absolute path before phase 2 measures it (tests use it as a gate).
    std::function<void(const QString &path)> beforeMeasure;
};
/// Scans `hubDir` synchronously (the job below runs this on a worker thread). Never follows
/// symlinks (lstat); `.hubcap/` and `checkpoints/` are not repositories. Fails only when
/// cancelled; unreadable entries go to `problems`.
Result<CacheInventory> scanCache(const QString &hubDir, const ScanOptions &options = {});

/// Returns the torch HASH_REGEX prefix of a file name, or a null QString when it does not match.
QString hashPrefixOf(const QString &fileName);
/// Whether a folder name has torch.hub's repository folder shape `owner_repo_ref'` (at least two
/// '_', non-empty owner and repo; the ref may be empty). A folder is a repository only when its
/// name has this shape AND it contains a hubconf.py.
bool looksLikeRepoFolderName(const QString &name);
/// Whether `hubDir` is a file (or a symlink to one): an error, not "does not exist yet".
bool hubDirIsAFile(const QString &hubDir);
/// Whether a top-level folder name looks like a GitHub zipball top folder (`owner-repo-sha7`).
bool looksLikeExtractedTopFolder(const QString &name);

/// The scan as a Job: runs scanCache() on its own thread, reports progress, honours cancel().
/// listed() and sized() forward the scan's two phases, queued onto the job's thread; nothing is
/// emitted after cancel(). result() is valid after finished() when error() is empty.
class CacheScanJob : public Job
{
    Q_OBJECT
public:
    explicit CacheScanJob(const QString &hubDir, QObject *parent = nullptr);
    ~CacheScanJob() override;

    QString hubDir() const { return m_hubDir; }
    const CacheInventory &result() const { return m_result; }
    /// Test hook: called on the worker thread before each folder is measured (set before
    /// start()).
    void setBeforeMeasure(std::function<void(const QString &path)> hook)
    {
        m_beforeMeasure = std::move(hook);
    }

Q_SIGNALS:
    /// Phase 1 is done: every entry is known, the folders in `pending` are not measured yet.
    void listed(const hubcap::CacheInventory &partial, const QStringList &pending);
    /// One pending folder has been measured.
    void sized(const hubcap::SizedEntry &entry);

protected:
    void doStart() override;
    void doCancel() override;

private:
    QString m_hubDir;
    CacheInventory m_result;
    std::function<void(const QString &)> m_beforeMeasure;
    Worker m_worker{this}; ///< last: destroyed (cancelled and waited for) first
};

} // namespace hubcap
