#include "core/cache/deletion.h"

#include "core/cache/fswalk.h"
#include "core/cache/repospec.h"
#include "core/cache/sidecar.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QLockFile>
#include <QRegularExpression>
#include <QSet>

#include <cerrno>
#include <csignal>
#include <memory>
#include <vector>

namespace hubcap {

namespace {

const QString kCheckpoints = QStringLiteral("checkpoints");

// Normalises a user path relative to the hub dir. Empty result + error text on refusal.
QString normaliseRelative(const QString &target, QString *why)
{
    if (target.startsWith(u'/') || target.startsWith(u'~')) {
        *why = QObject::tr("absolute paths are refused; name a folder or file inside the hub dir "
                           "(for example checkpoints/NAME)");
        return {};
    }
    QStringList parts;
    for (const QString &p : target.split(u'/', Qt::SkipEmptyParts)) {
        if (p == u"..") {
            *why = QObject::tr("paths with '..' are refused: they could lead outside the hub dir");
            return {};
        }
        if (p != u".")
            parts << p;
    }
    if (parts.isEmpty()) {
        *why = QObject::tr("that is the hub dir itself; use 'cache clear' to empty it");
        return {};
    }
    return parts.join(u'/');
}

// Every parent component of rel must be a real folder (a symlinked folder could lead outside).
QString symlinkedParent(const QString &hubDir, const QString &rel)
{
    const QStringList parts = rel.split(u'/');
    QString cur = hubDir;
    for (qsizetype i = 0; i + 1 < parts.size(); ++i) {
        cur += u'/' + parts[i];
        const fs::Entry e = fs::lstatPath(cur);
        if (e.exists && !e.isDir)
            return parts.mid(0, i + 1).join(u'/');
    }
    return {};
}

class Planner
{
public:
    explicit Planner(const CacheInventory &inv) : m_inv(inv) { m_plan.hubDir = inv.hubDir; }

    DeletionItem itemFor(const QString &rel, const QString &target)
    {
        DeletionItem it;
        it.relPath = rel;
        it.path = m_inv.hubDir + u'/' + rel;
        it.target = target;
        const fs::Entry e = fs::lstatPath(it.path);
        it.isSymlink = e.isSymlink;
        it.bytes = e.size;
        it.kind = DeletionItem::Kind::Other;
        if (const CachedRepo *r = m_inv.findRepo(rel)) {
            it.kind = DeletionItem::Kind::Repo;
            it.bytes = r->bytes;
            return it;
        }
        for (const auto &c : m_inv.checkpoints) {
            if (kCheckpoints + u'/' + c.name == rel) {
                it.kind = DeletionItem::Kind::Checkpoint;
                it.bytes = c.bytes;
                return it;
            }
        }
        for (const auto &l : m_inv.leftovers) {
            if (l.path == rel) {
                it.kind = DeletionItem::Kind::Leftover;
                it.bytes = l.bytes;
                return it;
            }
        }
        if (e.isDir) {
            const auto stats =
                fs::measureTree(it.path, {}, [](const QString &, const QString &) {});
            it.bytes = stats.bytes;
        }
        return it;
    }

    /// Inside checkpoints/ (torch.hub's folder) or inside a listed repository folder.
    bool isInsideCacheEntry(const QString &rel) const
    {
        const QString first = rel.section(u'/', 0, 0);
        if (first == kCheckpoints)
            return true;
        return rel.contains(u'/') && m_inv.findRepo(first) != nullptr;
    }

    void add(DeletionItem item)
    {
        if (m_seen.contains(item.relPath))
            return;
        m_seen.insert(item.relPath);
        m_plan.items.append(std::move(item));
    }

    Result<void> addTarget(const QString &target)
    {
        if (target.isEmpty())
            return fail(Error::Code::InvalidArgument, QObject::tr("An empty target was given."));
        // 1. A path inside the hub dir that exists (folder, file, checkpoints/NAME, .hubcap/tmp/X).
        QString why;
        const QString rel = normaliseRelative(target, &why);
        if (rel.isEmpty())
            return fail(Error::Code::InvalidArgument,
                        QObject::tr("Refusing \"%1\": %2.").arg(target, why));
        if (const QString link = symlinkedParent(m_inv.hubDir, rel); !link.isEmpty())
            return fail(
                Error::Code::InvalidArgument,
                QObject::tr("Refusing \"%1\": %2 is a symlink or a file, so the path could lead "
                            "outside the hub dir. Remove the link itself instead.")
                    .arg(target, link));
        if (fs::lstatPath(m_inv.hubDir + u'/' + rel).exists) {
            DeletionItem item = itemFor(rel, target);
            if (item.kind == DeletionItem::Kind::Other && !isInsideCacheEntry(rel))
                return fail(
                    Error::Code::InvalidArgument,
                    QObject::tr("Refusing to remove \"%1\": it is not a repository, checkpoint "
                                "or leftover of torch.hub or Hubcap, so it may be yours.")
                        .arg(target),
                    QObject::tr("A repository folder is named owner_repo_ref and holds a "
                                "hubconf.py. Hubcap never deletes anything else in %1; remove it "
                                "yourself if you are sure.")
                        .arg(m_inv.hubDir));
            add(std::move(item));
            return {};
        }
        // 2. A repository spec.
        const auto spec = RepoSpec::parse(target);
        if (!spec)
            return fail(
                Error::Code::NotFound,
                QObject::tr("Nothing named \"%1\" in the hub dir %2.").arg(target, m_inv.hubDir),
                QObject::tr(
                    "A target is OWNER/REPO[:REF], a folder or file name inside the hub dir, "
                    "or checkpoints/NAME. Run 'hubcap-cli cache ls' to see what is there."));
        if (spec->hasRef) {
            const QString folder = spec->folderName();
            if (!fs::lstatPath(m_inv.hubDir + u'/' + folder).exists)
                return fail(Error::Code::NotFound,
                            QObject::tr("%1 is not cached: there is no folder %2 in %3.")
                                .arg(target, folder, m_inv.hubDir));
            DeletionItem item = itemFor(folder, target);
            if (item.kind != DeletionItem::Kind::Repo)
                return fail(Error::Code::InvalidArgument,
                            QObject::tr("Refusing to remove %1: the folder %2 in %3 has no "
                                        "hubconf.py, so it is not a torch.hub repository and "
                                        "may be yours.")
                                .arg(target, folder, m_inv.hubDir));
            add(std::move(item));
            return {};
        }
        int found = 0;
        const QString prefix = spec->trustName() + u'_';
        QStringList ambiguous;
        for (const CachedRepo &r : m_inv.repos) {
            if (r.known()) {
                if (r.owner == spec->owner && r.repo == spec->repo) {
                    add(itemFor(r.dir, target));
                    ++found;
                }
            } else if (r.dir.startsWith(prefix)) {
                ambiguous << r.dir;
            }
        }
        for (const QString &dir : ambiguous)
            m_plan.notes
                << QObject::tr(
                       "%1 was not selected for %2: its name could also belong to another "
                       "repository (names with '_' are ambiguous). Name the folder to remove it.")
                       .arg(dir, target);
        if (found == 0)
            return fail(Error::Code::NotFound,
                        QObject::tr("No cached folder is known to belong to %1 in %2.")
                            .arg(target, m_inv.hubDir),
                        ambiguous.isEmpty()
                            ? QObject::tr("Run 'hubcap-cli cache ls' to see what is cached.")
                            : QObject::tr("These folders might: %1. Name a folder to remove it.")
                                  .arg(ambiguous.join(QStringLiteral(", "))));
        return {};
    }

    DeletionPlan finish()
    {
        // Drop items nested inside another item (e.g. "checkpoints" and "checkpoints/x.pth").
        QList<DeletionItem> kept;
        for (const auto &it : m_plan.items) {
            bool nested = false;
            for (const auto &other : m_plan.items)
                if (&other != &it && it.relPath.startsWith(other.relPath + u'/'))
                    nested = true;
            if (!nested)
                kept.append(it);
        }
        m_plan.items = kept;
        return m_plan;
    }

private:
    const CacheInventory &m_inv;
    DeletionPlan m_plan;
    QSet<QString> m_seen;
};

/// The advisory locks a running Hubcap job holds on what `rel` names: a repository folder is
/// locked while it is fetched ("repo-<folder>"), a checkpoint and its `.partial` while they are
/// downloaded ("download:<destination>"). (key, what the job is doing).
QList<QPair<QString, QString>> lockKeysFor(const QString &hubDir, const QString &rel)
{
    QList<QPair<QString, QString>> keys;
    static const QRegularExpression partial(QStringLiteral("^(.+)\\.[0-9a-f]{32}\\.partial$"));
    auto addDownload = [&](const QString &relFile) {
        QString dest = relFile;
        if (const auto m = partial.match(relFile); m.hasMatch())
            dest = m.captured(1);
        keys.append(
            {QStringLiteral("download:") + QFileInfo(hubDir + u'/' + dest).absoluteFilePath(),
             QObject::tr("downloading %1").arg(dest)});
    };
    if (!rel.contains(u'/')) {
        if (rel == kCheckpoints) {
            int err = 0;
            for (const QString &name : fs::listDir(hubDir + u'/' + kCheckpoints, &err))
                addDownload(kCheckpoints + u'/' + name);
        } else if (rel.endsWith(QStringLiteral(".partial"))) {
            addDownload(rel);
        } else {
            keys.append({QStringLiteral("repo-") + rel, QObject::tr("fetching %1").arg(rel)});
        }
    } else if (rel.startsWith(kCheckpoints + u'/')) {
        addDownload(kCheckpoints + u'/' + rel.section(u'/', 1, 1));
    } else if (!rel.startsWith(Sidecar::folderName() + u'/')) {
        const QString top = rel.section(u'/', 0, 0);
        keys.append({QStringLiteral("repo-") + top, QObject::tr("fetching %1").arg(top)});
    }
    return keys;
}

/// A fetch's work folder `.hubcap/tmp/fetch-<pid>-<uuid>` whose process is alive: its pid.
qint64 liveFetchOwner(const QString &rel)
{
    static const QRegularExpression rx(QStringLiteral("^\\.hubcap/tmp/fetch-(\\d+)-[^/]+"));
    const auto m = rx.match(rel);
    if (!m.hasMatch())
        return 0;
    const pid_t pid = static_cast<pid_t>(m.captured(1).toLongLong());
    if (pid <= 0)
        return 0;
    return (::kill(pid, 0) == 0 || errno == EPERM) ? pid : 0;
}

} // namespace

QString deletionKindName(DeletionItem::Kind kind)
{
    switch (kind) {
    case DeletionItem::Kind::Repo:
        return QStringLiteral("repo");
    case DeletionItem::Kind::Checkpoint:
        return QStringLiteral("checkpoint");
    case DeletionItem::Kind::Leftover:
        return QStringLiteral("leftover");
    case DeletionItem::Kind::Other:
        break;
    }
    return QStringLiteral("other");
}

qint64 DeletionPlan::totalBytes() const
{
    qint64 sum = 0;
    for (const auto &it : items)
        sum += it.bytes;
    return sum;
}

QJsonObject DeletionPlan::toJson() const
{
    QJsonArray arr;
    for (const auto &it : items)
        arr.append(QJsonObject{{QStringLiteral("path"), it.path},
                               {QStringLiteral("rel_path"), it.relPath},
                               {QStringLiteral("kind"), deletionKindName(it.kind)},
                               {QStringLiteral("bytes"), it.bytes},
                               {QStringLiteral("symlink"), it.isSymlink},
                               {QStringLiteral("target"), it.target}});
    return QJsonObject{{QStringLiteral("hub_dir"), hubDir},
                       {QStringLiteral("items"), arr},
                       {QStringLiteral("total_bytes"), totalBytes()},
                       {QStringLiteral("notes"), QJsonArray::fromStringList(notes)}};
}

QJsonObject DeletionOutcome::toJson() const
{
    QJsonArray f;
    for (const auto &x : failed)
        f.append(
            QJsonObject{{QStringLiteral("path"), x.path}, {QStringLiteral("reason"), x.reason}});
    QJsonArray sk;
    for (const auto &x : skipped)
        sk.append(
            QJsonObject{{QStringLiteral("path"), x.path}, {QStringLiteral("reason"), x.reason}});
    return QJsonObject{{QStringLiteral("freed_bytes"), freedBytes},
                       {QStringLiteral("removed"), QJsonArray::fromStringList(removed)},
                       {QStringLiteral("failed"), f},
                       {QStringLiteral("skipped"), sk},
                       {QStringLiteral("cancelled"), cancelled}};
}

Result<DeletionPlan> planRemoval(const CacheInventory &inventory, const QStringList &targets)
{
    Planner planner(inventory);
    for (const QString &t : targets) {
        if (auto r = planner.addTarget(t); !r)
            return std::unexpected(r.error());
    }
    return planner.finish();
}

DeletionPlan planClear(const CacheInventory &inventory)
{
    Planner planner(inventory);
    const QString target = QStringLiteral("clear");
    for (const auto &r : inventory.repos)
        planner.add(planner.itemFor(r.dir, target));
    for (const auto &c : inventory.checkpoints)
        planner.add(planner.itemFor(kCheckpoints + u'/' + c.name, target));
    for (const auto &l : inventory.leftovers)
        planner.add(planner.itemFor(l.path, target));
    return planner.finish();
}

DeletionOutcome executePlan(const DeletionPlan &plan, const DeletionOptions &options)
{
    DeletionOutcome out;
    const Sidecar sidecar(plan.hubDir);
    qint64 done = 0;
    for (const DeletionItem &it : plan.items) {
        if (options.cancelled && options.cancelled()) {
            out.cancelled = true;
            break;
        }
        if (options.progress)
            options.progress(done, plan.items.size(), it.path);
        QString why;
        const QString rel = normaliseRelative(it.relPath, &why);
        if (rel.isEmpty()) {
            out.failed.append({it.path, why});
            ++done;
            continue;
        }
        // Never pull files from under a running job: hold its lock while removing, or skip.
        if (const qint64 pid = liveFetchOwner(rel)) {
            out.skipped.append(
                {it.path, QObject::tr("in use by a running fetch (pid %1); it is removed when "
                                      "that fetch ends")
                              .arg(pid)});
            ++done;
            continue;
        }
        std::vector<std::unique_ptr<QLockFile>> held;
        QString busy;
        if (QFileInfo(sidecar.root()).isDir()) {
            for (const auto &[key, activity] : lockKeysFor(plan.hubDir, rel)) {
                auto lock = std::make_unique<QLockFile>(sidecar.lockPath(key));
                lock->setStaleLockTime(0);
                if (lock->tryLock(0)) {
                    held.push_back(std::move(lock));
                    continue;
                }
                if (lock->error() != QLockFile::LockFailedError)
                    continue; // cannot create a lock file: nobody else could either
                qint64 pid = 0;
                QString host, app;
                lock->getLockInfo(&pid, &host, &app);
                busy = QObject::tr("in use by a running Hubcap job (pid %1) that is %2; try "
                                   "again when it has finished")
                           .arg(pid)
                           .arg(activity);
                break;
            }
        }
        if (!busy.isEmpty()) {
            out.skipped.append({it.path, busy});
            ++done;
            continue;
        }
        const fs::RemoveResult r = fs::removeBelow(plan.hubDir, rel, options.cancelled);
        held.clear();
        out.freedBytes += r.freedBytes;
        for (const auto &f : r.failures)
            out.failed.append({f.first, f.second});
        if (r.removed) {
            out.removed << plan.hubDir + u'/' + rel;
            // Hubcap's records go with what they describe.
            if (!rel.contains(u'/'))
                sidecar.removeRepo(rel);
            if (rel.startsWith(kCheckpoints + u'/') && rel.count(u'/') == 1)
                sidecar.removeCheckpoint(rel.mid(kCheckpoints.size() + 1));
            if (rel == kCheckpoints)
                QDir(sidecar.root() + u'/' + kCheckpoints).removeRecursively();
        }
        if (r.cancelled) {
            out.cancelled = true;
            break;
        }
        ++done;
    }
    if (options.progress)
        options.progress(done, plan.items.size(), {});
    return out;
}

DeletionJob::DeletionJob(DeletionPlan plan, QObject *parent) : Job(parent), m_plan(std::move(plan))
{
    setTitle(tr("Removing from the hub cache"));
}

DeletionJob::~DeletionJob() = default; // m_worker cancels and waits

void DeletionJob::doStart()
{
    m_worker.run([this](const CancelToken &cancel) {
        DeletionOptions opts;
        opts.cancelled = cancel.asFunction();
        opts.progress = [this](qint64 done, qint64 total, const QString &text) {
            m_worker.post([this, done, total, text] { reportProgress(done, total, text); });
        };
        DeletionOutcome outcome = executePlan(m_plan, opts);
        m_worker.post([this, outcome = std::move(outcome)] {
            m_outcome = outcome;
            if (outcome.cancelled)
                failWith(Error::make(Error::Code::Cancelled,
                                     tr("Removal cancelled; some items were kept.")));
            else
                succeed();
        });
    });
}

void DeletionJob::doCancel()
{
    m_worker.cancel();
}

} // namespace hubcap
