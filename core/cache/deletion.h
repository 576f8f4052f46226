#pragma once

#include "core/cache/inventory.h"
#include "core/error.h"
#include "core/jobs/job.h"
#include "core/jobs/worker.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>

namespace hubcap {

/// One thing a deletion plan removes. Paths are always inside the hub dir.
struct DeletionItem
{
    enum class Kind { Repo, Checkpoint, Leftover, Other };
    QString relPath; ///< relative to the hub dir: "pytorch_vision_main", "checkpoints/x.pth"
    QString path;    ///< absolute
    Kind kind = Kind::Other;
    qint64 bytes = 0;
    bool isSymlink = false; ///< only the link is removed, never its target
    QString target;         ///< the user's target that selected it ("pytorch/vision", "clear")
};
QString deletionKindName(DeletionItem::Kind kind); ///< "repo", "checkpoint", "leftover", "other"

/// What would be removed. Build it with planRemoval()/planClear(), show it, then execute it.
struct DeletionPlan
{
    QString hubDir; ///< absolute
    QList<DeletionItem> items;
    /// Things the user may have meant but that were not added, e.g. a folder whose name could
    /// belong to the repository but whose owner/repo cannot be known ("a_b_c_main" for "a/b").
    QStringList notes;

    qint64 totalBytes() const;
    QJsonObject
    toJson() const; ///< {"hub_dir", "items": [{path, kind, bytes}], "total_bytes", "notes"}
};

/// Builds the plan for `cache rm TARGET...`. A target is
///  - `owner/repo:ref` → the folder torch.hub uses for it (`owner_repo_ref'`), which must exist;
///  - `owner/repo`     → every folder known to be that repository (sidecar record, unambiguous
///    folder name, or trusted_list; case-sensitive). Folders whose name starts with
///    `owner_repo_` but whose identity is unknown are NOT added; they are listed in notes;
///  - `checkpoints/NAME` → that entry of checkpoints/;
///  - a file or folder name (or relative path) inside the hub dir.
/// Refused (InvalidArgument): absolute paths, `..` components, the hub dir itself, paths that
/// pass through a symlinked folder. A target that names nothing fails with NotFound. Nothing is
/// deleted by planning. Duplicates and items nested in other items are dropped.
///
/// For a GUI selection pass the inventory's own names: CachedRepo::dir,
/// "checkpoints/" + CachedCheckpoint::name, or Leftover::path. Typical flow (never on the GUI
/// thread for the scan/execution: use the jobs):
///   CacheScanJob scan(hubDir) → planRemoval(scan.result(), targets) → show plan.items and
///   plan.totalBytes() → DeletionJob(plan) → outcome().removed / failed / freedBytes → rescan.
Result<DeletionPlan> planRemoval(const CacheInventory &inventory, const QStringList &targets);

/// `cache clear`: every repository folder, every checkpoint and every leftover of `inventory`.
/// `trusted_list` is KEPT (it records trust decisions, not cached data; torch.hub never deletes
/// it either; use TrustList::remove()), and so are Hubcap's sidecar records of things not
/// removed and any file torch.hub did not create.
DeletionPlan planClear(const CacheInventory &inventory);

struct DeletionFailure
{
    QString path;
    QString reason;
};

struct DeletionOutcome
{
    QStringList removed; ///< absolute paths of the plan items fully removed
    QList<DeletionFailure> failed;
    /// Left alone because a running fetch or download holds them (reason says which pid).
    QList<DeletionFailure> skipped;
    qint64 freedBytes = 0; ///< bytes of the files actually unlinked
    bool cancelled = false;

    QJsonObject
    toJson() const; ///< {"freed_bytes", "removed", "failed"/"skipped": [{path, reason}]}
};

struct DeletionOptions
{
    std::function<bool()> cancelled; ///< polled between items and inside folder walks
    std::function<void(qint64, qint64, const QString &)> progress; ///< (items done, items, path)
};

/// Executes a plan. An item a running Hubcap job is working on (a repository being fetched, a
/// checkpoint or `.partial` being downloaded, a live fetch's temp folder) is skipped and listed
/// in `skipped`; the job's lock is held while an item is removed, so no job starts on it
/// meanwhile. Every item is re-checked before it is touched (still inside the hub dir, no
/// symlinked parent). Folders are removed without following symlinks (a link is unlinked, its
/// target is left alone). Removing a repository or checkpoint also removes its sidecar record.
/// Partial failures are reported per path; the rest goes on.
DeletionOutcome executePlan(const DeletionPlan &plan, const DeletionOptions &options = {});

/// executePlan() as a Job on its own thread. It succeeds even when some paths could not be
/// removed (see outcome().failed); it fails only when cancelled (outcome() then says what was
/// removed before the cancel took effect).
class DeletionJob : public Job
{
    Q_OBJECT
public:
    explicit DeletionJob(DeletionPlan plan, QObject *parent = nullptr);
    ~DeletionJob() override;

    const DeletionPlan &plan() const { return m_plan; }
    const DeletionOutcome &outcome() const { return m_outcome; }

protected:
    void doStart() override;
    void doCancel() override;

private:
    DeletionPlan m_plan;
    DeletionOutcome m_outcome;
    Worker m_worker{this}; ///< last: destroyed (cancelled and waited for) first
};

} // namespace hubcap
