#include "core/cache/inventory.h"

#include "core/cache/fswalk.h"
#include "core/cache/sidecar.h"
#include "core/util/format.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QRegularExpression>
#include <QStorageInfo>

#include <algorithm>
#include <numeric>

namespace hubcap {

namespace {

const QString kCheckpoints = QStringLiteral("checkpoints");

// tempfile.NamedTemporaryFile (torch 1.13): "tmp" + 8 chars of
// "abcdefghijklmnopqrstuvwxyz0123456789_".
bool isTempFileName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^tmp[a-z0-9_]{8}$"));
    return re.match(name).hasMatch();
}

QJsonValue orNull(const QString &s)
{
    return s.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

QJsonValue timeOrNull(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(isoTime(t)) : QJsonValue(QJsonValue::Null);
}

// Free space for the hub dir, or for its nearest existing ancestor when it does not exist yet.
qint64 freeBytesFor(const QString &hubDir)
{
    QString p = hubDir;
    while (!p.isEmpty() && !QFileInfo::exists(p)) {
        const QString parent = QFileInfo(p).absolutePath();
        if (parent == p)
            break;
        p = parent;
    }
    QStorageInfo info(p);
    return info.isValid() ? info.bytesAvailable() : -1;
}

/// Bytes of every repository, checkpoint and leftover listed in `inv`.
qint64 sumOfSizes(const CacheInventory &inv)
{
    qint64 total = 0;
    for (const auto &r : inv.repos)
        total += r.bytes;
    for (const auto &c : inv.checkpoints)
        total += c.bytes;
    for (const auto &l : inv.leftovers)
        total += l.bytes;
    return total;
}

template <typename T> void sortLargestFirst(QList<T> &list, QString T::*key)
{
    std::stable_sort(list.begin(), list.end(), [key](const T &a, const T &b) {
        return a.bytes != b.bytes ? a.bytes > b.bytes : a.*key < b.*key;
    });
}

struct Identity
{
    RepoIdentity kind = RepoIdentity::Unknown;
    QString owner, repo, ref;
};

Identity inferIdentity(const QString &folder, const std::optional<RepoRecord> &record,
                       const QStringList &trusted)
{
    Identity id;
    if (record) {
        RepoSpec spec{record->owner, record->repo, record->ref, true};
        if (spec.folderName() == folder)
            return {RepoIdentity::Sidecar, record->owner, record->repo, record->ref};
    }
    const QStringList parts = folder.split(u'_');
    if (parts.size() == 3 && !parts[0].isEmpty() && !parts[1].isEmpty())
        return {RepoIdentity::FolderName, parts[0], parts[1], parts[2]};
    QString match;
    int matches = 0;
    for (const QString &e : trusted) {
        if (folder.startsWith(e + u'_') && e != match) {
            match = e;
            ++matches;
        }
    }
    if (matches == 1 && match.count(u'_') == 1) {
        const qsizetype sep = match.indexOf(u'_');
        id.kind = RepoIdentity::TrustedList;
        id.owner = match.left(sep);
        id.repo = match.mid(sep + 1);
        const QString rest = folder.mid(match.size() + 1);
        if (id.owner.isEmpty() || id.repo.isEmpty())
            return {};
        // A '_' in the rest may have been a '/' of the ref: then the ref is not known.
        if (!rest.contains(u'_'))
            id.ref = rest.isNull() ? QStringLiteral("") : rest;
    }
    return id;
}

class Scanner
{
public:
    Scanner(const QString &hubDir, const ScanOptions &options) : m_opts(options)
    {
        m_inv.hubDir = QDir(hubDir).absolutePath();
        m_sidecar.emplace(m_inv.hubDir);
    }

    Result<CacheInventory> run()
    {
        const QString hub = m_inv.hubDir;
        m_inv.freeBytes = freeBytesFor(hub);
        const QFileInfo hubInfo(
            hub); // the hub dir itself may be a symlink: that is the user's choice
        if (!hubInfo.exists()) {
            m_inv.exists = false;
            return finishedEarly();
        }
        if (!hubInfo.isDir()) {
            problem({hub, QObject::tr("The hub dir is not a folder.")});
            return finishedEarly();
        }
        m_inv.exists = true;
        {
            const fs::Entry c = fs::lstatPath(hub + u'/' + kCheckpoints);
            const fs::Entry t = fs::lstatPath(hub + u'/' + TrustList::fileName());
            const fs::Entry s = fs::lstatPath(hub + u'/' + Sidecar::folderName());
            m_inv.hasHubLayout = (c.exists && (c.isDir || c.isSymlink)) || (t.exists && t.isFile) ||
                                 (s.exists && s.isDir);
        }
        const QString realHub = hubInfo.canonicalFilePath();
        if (auto list = TrustList(hub).entries())
            m_inv.trustedList = *list;
        else
            problem({TrustList(hub).path(), list.error().message});

        int err = 0;
        const QStringList top = fs::listDir(realHub, &err);
        if (err != 0) {
            problem({hub, fs::errorText(err)});
            return finishedEarly();
        }
        const fs::Entry ckptEntry = fs::lstatPath(hub + u'/' + kCheckpoints);
        QStringList ckpts;
        if (ckptEntry.isDir) {
            ckpts = fs::listDir(hub + u'/' + kCheckpoints, &err);
            if (err != 0)
                problem({hub + u'/' + kCheckpoints, fs::errorText(err)});
        } else if (ckptEntry.isSymlink) {
            problem(
                {hub + u'/' + kCheckpoints,
                 QObject::tr("checkpoints/ is a symlink; Hubcap does not follow symlinks, so its "
                             "contents are not listed.")});
        }
        m_total = top.size() + ckpts.size();

        // Phase 1: list everything with lstat only; folders are queued in m_pending.
        for (const QString &name : top) {
            if (cancelled())
                return cancelledError();
            const qsizetype before = m_pending.size();
            m_current = name;
            scanTopLevel(name);
            entryListed(before);
        }
        for (const QString &name : ckpts) {
            if (cancelled())
                return cancelledError();
            const qsizetype before = m_pending.size();
            m_current = kCheckpoints + u'/' + name;
            scanCheckpoint(name);
            entryListed(before);
        }
        if (cancelled())
            return cancelledError();
        deliverListing();

        // Phase 2: measure the folders one by one and report each.
        for (const PendingMeasure &m : std::as_const(m_pending)) {
            if (cancelled())
                return cancelledError();
            if (m_opts.beforeMeasure)
                m_opts.beforeMeasure(m.path);
            if (cancelled())
                return cancelledError();
            m_current = m.relPath;
            report(false);
            const fs::TreeStats stats = measure(m.path, m.slot);
            if (cancelled())
                return cancelledError();
            const SizedEntry sized = apply(m, stats);
            if (m_opts.sized)
                m_opts.sized(sized);
            if (m.completesEntry) {
                ++m_done;
                report(false);
            }
        }
        report(true);

        // Problems found while measuring go where a one-pass walk would have put them.
        QList<qsizetype> order(m_inv.problems.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [this](qsizetype a, qsizetype b) {
            return m_problemSlots[a] < m_problemSlots[b];
        });
        QList<ScanProblem> problems;
        for (const qsizetype i : order)
            problems.append(m_inv.problems[i]);
        m_inv.problems = problems;

        if (!m_inv.repos.isEmpty())
            m_inv.hasHubLayout = true;
        m_inv.unknown.sort();
        sortLargestFirst(m_inv.repos, &CachedRepo::dir);
        sortLargestFirst(m_inv.checkpoints, &CachedCheckpoint::name);
        sortLargestFirst(m_inv.leftovers, &Leftover::path);
        m_inv.totalBytes += sumOfSizes(m_inv);
        return m_inv;
    }

private:
    bool cancelled() const { return m_cancelled || (m_opts.cancelled && m_opts.cancelled()); }
    std::unexpected<Error> cancelledError() const
    {
        return fail(Error::Code::Cancelled, QObject::tr("The cache scan was cancelled."));
    }

    /// A folder whose size phase 2 measures; `index` is its place in repos, checkpoints or
    /// leftovers (stable until the lists are sorted at the end).
    struct PendingMeasure
    {
        enum class Target { Repo, Checkpoint, Leftover };
        Target target;
        qsizetype index;
        QString relPath, path;
        int slot;                    ///< problem order of a one-pass walk
        bool completesEntry = false; ///< the last measurement of its top-level entry
    };

    void problem(const ScanProblem &p, int slot = -1)
    {
        m_inv.problems.append(p);
        m_problemSlots.append(slot < 0 ? m_slot : slot);
    }

    void defer(PendingMeasure::Target target, qsizetype index, const QString &relPath,
               const QString &path)
    {
        ++m_slot;
        m_pending.append({target, index, relPath, path, m_slot, false});
        ++m_slot;
    }

    // One top-level entry (or checkpoint) has been listed: done now, or once measured.
    void entryListed(qsizetype pendingBefore)
    {
        if (m_pending.size() != pendingBefore) {
            m_pending.last().completesEntry = true; // .hubcap/tmp may have queued several
            return;
        }
        ++m_done;
        report(false);
    }

    void deliverListing()
    {
        if (!m_opts.listed)
            return;
        CacheInventory partial = m_inv;
        QStringList pending;
        for (const auto &m : std::as_const(m_pending))
            pending << m.relPath;
        partial.totalBytes += sumOfSizes(partial);
        m_opts.listed(partial, pending);
    }

    Result<CacheInventory> finishedEarly()
    {
        deliverListing();
        return m_inv;
    }

    SizedEntry apply(const PendingMeasure &m, const fs::TreeStats &stats)
    {
        SizedEntry out;
        out.relPath = m.relPath;
        out.path = m.path;
        out.bytes = stats.bytes;
        out.files = stats.files;
        switch (m.target) {
        case PendingMeasure::Target::Repo: {
            CachedRepo &r = m_inv.repos[m.index];
            r.bytes = stats.bytes;
            r.files = stats.files;
            if (stats.newest.isValid() && stats.newest > r.modified)
                r.modified = stats.newest;
            out.modified = r.modified;
            break;
        }
        case PendingMeasure::Target::Checkpoint: {
            CachedCheckpoint &c = m_inv.checkpoints[m.index];
            c.bytes = stats.bytes;
            out.modified = c.modified;
            break;
        }
        case PendingMeasure::Target::Leftover: {
            Leftover &l = m_inv.leftovers[m.index];
            l.bytes = stats.bytes;
            if (stats.newest.isValid() && stats.newest > l.modified)
                l.modified = stats.newest;
            out.modified = l.modified;
            break;
        }
        }
        return out;
    }
    void report(bool force)
    {
        if (!m_opts.progress)
            return;
        if (!force && m_timer.isValid() && m_timer.elapsed() < 100)
            return;
        m_timer.start();
        m_opts.progress(force ? m_total : m_done, m_total, m_current);
    }

    fs::TreeStats measure(const QString &path, int slot)
    {
        auto stats = fs::measureTree(
            path, [this] { return cancelled(); },
            [this, slot](const QString &p, const QString &msg) {
                problem({p, msg}, slot);
            });
        if (stats.cancelled)
            m_cancelled = true;
        return stats;
    }

    void addLeftover(const QString &rel, Leftover::Kind kind, const fs::Entry &e)
    {
        Leftover l;
        l.path = rel;
        l.absolutePath = m_inv.hubDir + u'/' + rel;
        l.kind = kind;
        l.bytes = e.isDir ? 0 : e.size;
        l.modified = e.modified;
        if (e.isDir)
            defer(PendingMeasure::Target::Leftover, m_inv.leftovers.size(), rel, l.absolutePath);
        m_inv.leftovers.append(l);
    }

    void scanTopLevel(const QString &name)
    {
        const QString path = m_inv.hubDir + u'/' + name;
        const fs::Entry e = fs::lstatPath(path);
        if (!e.exists) {
            if (e.error != ENOENT)
                problem({path, fs::errorText(e.error)});
            return;
        }
        if (name == kCheckpoints || name == TrustList::fileName())
            return;
        if (name == Sidecar::folderName()) {
            scanHubcapTemp();
            return;
        }
        if (!e.isDir && !e.isSymlink && !e.isFile)
            return; // sockets, fifos: not torch's
        if (name.endsWith(QStringLiteral(".partial"))) {
            addLeftover(name, Leftover::Kind::Partial, e);
            return;
        }
        if (!e.isDir && isTempFileName(name)) {
            addLeftover(name, Leftover::Kind::TempFile, e);
            return;
        }
        if (!e.isDir && name.endsWith(QStringLiteral(".zip"))) {
            addLeftover(name, Leftover::Kind::Zipball, e);
            return;
        }
        if (e.isFile) {
            m_inv.unknown << name; // some other file: torch.hub did not put it there
            return;
        }
        // A folder (or a symlink, possibly to one). Only a folder with torch.hub's repository
        // name shape (owner_repo_ref) that holds a hubconf.py is a repository; a GitHub zipball
        // top folder with a hubconf.py is an extraction leftover. Everything else is the user's
        // and never touched (a wrong --hub-dir must not make `cache clear` delete Documents/).
        const fs::Entry hubconf = fs::lstatPath(path + QStringLiteral("/hubconf.py"));
        const bool hasHubconf = hubconf.exists && !hubconf.isDir;
        const auto record = m_sidecar->repo(name);
        const Identity id = inferIdentity(name, record, m_inv.trustedList);
        if (e.isDir && hasHubconf && id.kind == RepoIdentity::Unknown &&
            looksLikeExtractedTopFolder(name)) {
            addLeftover(name, Leftover::Kind::Extracted, e);
            return;
        }
        if (!hasHubconf || !looksLikeRepoFolderName(name)) {
            m_inv.unknown << name;
            return;
        }
        CachedRepo r;
        r.dir = name;
        r.path = path;
        r.identity = id.kind;
        r.owner = id.owner;
        r.repo = id.repo;
        r.ref = id.ref;
        if (record && id.kind == RepoIdentity::Sidecar)
            r.commit = record->commit;
        r.isSymlink = e.isSymlink;
        r.modified = e.modified;
        if (e.isDir) {
            defer(PendingMeasure::Target::Repo, m_inv.repos.size(), name, path);
        } else {
            r.bytes = e.size;
            r.files = 1;
        }
        TrustList trust(m_inv.hubDir);
        if (r.known()) {
            r.trust = trust.decide(r.owner, r.repo, m_inv.trustedList, {name});
        } else {
            // Unknown split: trusted_list can still vouch (some line prefixes the folder), and
            // the folder is itself a legacy-trusted cache for whichever spec produced it.
            for (const QString &entry : m_inv.trustedList) {
                if (name.startsWith(entry + u'_')) {
                    r.trust.inList = true;
                    r.trust.trustName = entry;
                    break;
                }
            }
            if (name.count(u'_') >= 2)
                r.trust.legacyFolder = name;
            r.trust.reason = r.trust.inList                   ? TrustReason::TrustedList
                             : r.trust.legacyFolder.isEmpty() ? TrustReason::NotTrusted
                                                              : TrustReason::LegacyFolder;
        }
        m_inv.repos.append(r);
    }

    void scanHubcapTemp()
    {
        const QString rel = Sidecar::folderName() + QStringLiteral("/tmp");
        const fs::Entry tmp = fs::lstatPath(m_inv.hubDir + u'/' + rel);
        if (!tmp.isDir)
            return;
        int err = 0;
        const QStringList names = fs::listDir(m_inv.hubDir + u'/' + rel, &err);
        if (err != 0)
            problem({m_inv.hubDir + u'/' + rel, fs::errorText(err)});
        for (const QString &n : names) {
            const fs::Entry e = fs::lstatPath(m_inv.hubDir + u'/' + rel + u'/' + n);
            if (e.exists)
                addLeftover(rel + u'/' + n, Leftover::Kind::HubcapTemp, e);
        }
    }

    void scanCheckpoint(const QString &name)
    {
        const QString rel = kCheckpoints + u'/' + name;
        const QString path = m_inv.hubDir + u'/' + rel;
        const fs::Entry e = fs::lstatPath(path);
        if (!e.exists) {
            if (e.error != ENOENT)
                problem({path, fs::errorText(e.error)});
            return;
        }
        if (name.endsWith(QStringLiteral(".partial"))) {
            addLeftover(rel, Leftover::Kind::Partial, e);
            return;
        }
        if (!e.isDir && isTempFileName(name)) {
            addLeftover(rel, Leftover::Kind::TempFile, e);
            return;
        }
        CachedCheckpoint c;
        c.name = name;
        c.path = path;
        c.bytes = e.isDir ? 0 : e.size;
        c.modified = e.modified;
        c.isDir = e.isDir;
        c.isSymlink = e.isSymlink;
        c.hashPrefix = hashPrefixOf(name);
        if (e.isDir)
            defer(PendingMeasure::Target::Checkpoint, m_inv.checkpoints.size(), rel, path);
        c.provenance = m_sidecar->checkpoint(name);
        m_inv.checkpoints.append(c);
    }

    ScanOptions m_opts;
    CacheInventory m_inv;
    std::optional<Sidecar> m_sidecar;
    QList<PendingMeasure> m_pending;
    QList<int> m_problemSlots; ///< parallel to m_inv.problems
    int m_slot = 0;
    qint64 m_done = 0, m_total = 0;
    QString m_current;
    QElapsedTimer m_timer;
    bool m_cancelled = false;
};

} // namespace

QString repoIdentityName(RepoIdentity identity)
{
    switch (identity) {
    case RepoIdentity::Sidecar:
        return QStringLiteral("sidecar");
    case RepoIdentity::FolderName:
        return QStringLiteral("folder_name");
    case RepoIdentity::TrustedList:
        return QStringLiteral("trusted_list");
    case RepoIdentity::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

QString leftoverKindName(Leftover::Kind kind)
{
    switch (kind) {
    case Leftover::Kind::Partial:
        return QStringLiteral("partial");
    case Leftover::Kind::TempFile:
        return QStringLiteral("temp");
    case Leftover::Kind::Zipball:
        return QStringLiteral("zip");
    case Leftover::Kind::Extracted:
        return QStringLiteral("extracted");
    case Leftover::Kind::HubcapTemp:
        return QStringLiteral("hubcap_tmp");
    }
    return QStringLiteral("unknown");
}

QString CachedRepo::displayName() const
{
    if (!known())
        return dir;
    return ref.isNull() ? owner + u'/' + repo : owner + u'/' + repo + u':' + ref;
}

QString hashPrefixOf(const QString &fileName)
{
    // torch.hub: HASH_REGEX = re.compile(r'-([a-f0-9]*)\.'), r = HASH_REGEX.search(filename)
    static const QRegularExpression re(QStringLiteral("-([a-f0-9]*)\\."));
    const auto m = re.match(fileName);
    if (!m.hasMatch())
        return {};
    const QString g = m.captured(1);
    return g.isNull() ? QStringLiteral("") : g;
}

bool looksLikeRepoFolderName(const QString &name)
{
    // '_'.join([owner, repo, ref.replace('/', '_')]): GitHub owners have no '_', repositories
    // may (so the repo part is everything up to some later '_'); the ref may be empty.
    const QStringList parts = name.split(u'_');
    return parts.size() >= 3 && !parts[0].isEmpty() && !parts[1].isEmpty() &&
           !name.startsWith(u'.');
}

bool hubDirIsAFile(const QString &hubDir)
{
    const QFileInfo info(hubDir); // follows a symlink: a link to a folder is a fine hub dir
    return info.exists() && !info.isDir();
}

bool looksLikeExtractedTopFolder(const QString &name)
{
    // GitHub zipball top folder: "{owner}-{repo}-{sha7}". Owners have no '_', so a name with
    // two or more '_' is treated as a torch repo folder (owner_repo_ref) instead.
    static const QRegularExpression re(
        QStringLiteral("^[A-Za-z0-9][A-Za-z0-9-]*-[A-Za-z0-9._-]+-[0-9a-f]{7,40}$"));
    return name.count(u'_') < 2 && re.match(name).hasMatch();
}

const CachedRepo *CacheInventory::findRepo(const QString &dir) const
{
    for (const auto &r : repos)
        if (r.dir == dir)
            return &r;
    return nullptr;
}

QJsonObject CacheInventory::toJson() const
{
    QJsonArray jr, jc, jl, jp;
    for (const auto &r : repos) {
        jr.append(QJsonObject{
            {QStringLiteral("dir"), r.dir},
            {QStringLiteral("owner"), orNull(r.owner)},
            {QStringLiteral("repo"), orNull(r.repo)},
            {QStringLiteral("ref"), orNull(r.ref)},
            {QStringLiteral("identity"), repoIdentityName(r.identity)},
            {QStringLiteral("bytes"), r.bytes},
            {QStringLiteral("files"), r.files},
            {QStringLiteral("modified"), timeOrNull(r.modified)},
            {QStringLiteral("trusted"), r.trust.trusted()},
            {QStringLiteral("trust_reason"), trustReasonName(r.trust.reason)},
            {QStringLiteral("commit"), r.commit.isEmpty() ? QJsonValue() : QJsonValue(r.commit)},
            {QStringLiteral("symlink"), r.isSymlink}});
    }
    for (const auto &c : checkpoints) {
        QJsonObject o{{QStringLiteral("name"), c.name},
                      {QStringLiteral("bytes"), c.bytes},
                      {QStringLiteral("hash_prefix"), orNull(c.hashPrefix)},
                      {QStringLiteral("modified"), timeOrNull(c.modified)},
                      {QStringLiteral("symlink"), c.isSymlink},
                      {QStringLiteral("dir"), c.isDir}};
        if (c.provenance) {
            o.insert(QStringLiteral("url"), c.provenance->url);
            o.insert(QStringLiteral("sha256"), c.provenance->sha256);
            o.insert(QStringLiteral("source_repo"), c.provenance->repo);
            o.insert(QStringLiteral("source_entrypoint"), c.provenance->entrypoint);
            // Different URLs that mapped to this one file name (torch.hub keeps whichever came
            // first).
            o.insert(QStringLiteral("other_urls"),
                     QJsonArray::fromStringList(c.provenance->otherUrls));
        }
        jc.append(o);
    }
    for (const auto &l : leftovers)
        jl.append(QJsonObject{{QStringLiteral("path"), l.path},
                              {QStringLiteral("bytes"), l.bytes},
                              {QStringLiteral("kind"), leftoverKindName(l.kind)},
                              {QStringLiteral("modified"), timeOrNull(l.modified)}});
    for (const auto &p : problems)
        jp.append(
            QJsonObject{{QStringLiteral("path"), p.path}, {QStringLiteral("message"), p.message}});
    return QJsonObject{{QStringLiteral("hub_dir"), hubDir},
                       {QStringLiteral("exists"), exists},
                       {QStringLiteral("total_bytes"), totalBytes},
                       {QStringLiteral("free_bytes"), freeBytes},
                       {QStringLiteral("repos"), jr},
                       {QStringLiteral("checkpoints"), jc},
                       {QStringLiteral("leftovers"), jl},
                       {QStringLiteral("problems"), jp},
                       {QStringLiteral("unknown"), QJsonArray::fromStringList(unknown)},
                       {QStringLiteral("hub_layout"), hasHubLayout}};
}

Result<CacheInventory> scanCache(const QString &hubDir, const ScanOptions &options)
{
    return Scanner(hubDir, options).run();
}

CacheScanJob::CacheScanJob(const QString &hubDir, QObject *parent) : Job(parent), m_hubDir(hubDir)
{
    setTitle(tr("Scanning the hub cache"));
}

CacheScanJob::~CacheScanJob() = default; // m_worker cancels and waits

void CacheScanJob::doStart()
{
    m_worker.run([this](const CancelToken &cancel) {
        ScanOptions opts;
        opts.cancelled = cancel.asFunction();
        opts.progress = [this](qint64 done, qint64 total, const QString &text) {
            m_worker.post([this, done, total, text] { reportProgress(done, total, text); });
        };
        // Both phases are forwarded queued, so receivers run on the job's thread; a cancelled
        // job emits nothing more (a rescan must not mix two scans' results).
        opts.listed = [this](const CacheInventory &partial, const QStringList &pending) {
            m_worker.post([this, partial, pending] {
                if (!m_worker.isCancelled() && !isFinished())
                    Q_EMIT listed(partial, pending);
            });
        };
        opts.sized = [this](const SizedEntry &entry) {
            m_worker.post([this, entry] {
                if (!m_worker.isCancelled() && !isFinished())
                    Q_EMIT sized(entry);
            });
        };
        opts.beforeMeasure = m_beforeMeasure;
        auto result = scanCache(m_hubDir, opts);
        m_worker.post([this, result = std::move(result)] {
            if (result) {
                m_result = *result;
                succeed();
            } else {
                failWith(result.error());
            }
        });
    });
}

void CacheScanJob::doCancel()
{
    m_worker.cancel();
}

} // namespace hubcap
