#pragma once

#include "core/error.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace hubcap {

/// What Hubcap knows about a repository folder beyond torch.hub's layout.
struct RepoRecord
{
    QString folder; ///< "owner_repo_ref" (the key)
    QString owner, repo, ref;
    QString commit; ///< full SHA when known (zip comment), else the 7-char one from the top folder
    QDateTime fetchedAt;
    QString sourceUrl; ///< zipball URL, without credentials
};

/// Provenance of a file in checkpoints/.
struct CheckpointRecord
{
    QString name; ///< file name in checkpoints/ (the key)
    QString url;  ///< without credentials
    QString sha256;
    qint64 size = -1;
    QString repo;       ///< "owner/repo:ref" that asked for it, when known
    QString entrypoint; ///< entrypoint that asked for it, when known
    QDateTime downloadedAt;
    QStringList
        otherUrls; ///< different URLs that mapped to the same file name (torch.hub overwrites)
};

/// Hubcap's own metadata, in `<hub_dir>/.hubcap/`, a folder Python's torch.hub never looks at.
/// Everything here is optional: a cache written by Python alone is fully usable, and a missing
/// or corrupt record reads as "unknown". Writes are atomic (write-then-rename).
///
/// Layout:
///   .hubcap/repos/<folder>.json         RepoRecord
///   .hubcap/checkpoints/<name>.json     CheckpointRecord
///   .hubcap/listings/<folder>.json      kept listings (cache/listingcache.h)
///   .hubcap/downloads/<key>.json        resume state of an interrupted download (owner:
///   downloader) .hubcap/locks/<key>.lock            advisory locks (QLockFile) per fetch/download
///   target .hubcap/tmp/                        Hubcap's temp files and folders (leftovers if it
///   crashed)
class Sidecar
{
public:
    explicit Sidecar(const QString &hubDir);

    static QString folderName() { return QStringLiteral(".hubcap"); }
    QString root() const { return m_root; }

    std::optional<RepoRecord> repo(const QString &folder) const;
    Result<void> putRepo(const RepoRecord &record) const;
    void removeRepo(const QString &folder) const;

    std::optional<CheckpointRecord> checkpoint(const QString &name) const;
    Result<void> putCheckpoint(const CheckpointRecord &record) const;
    void removeCheckpoint(const QString &name) const;

    /// Generic JSON documents under a sub-folder ("downloads", ...): key → file name-safe.
    std::optional<QJsonObject> readJson(const QString &subdir, const QString &key) const;
    Result<void> writeJson(const QString &subdir, const QString &key, const QJsonObject &doc) const;
    void removeJson(const QString &subdir, const QString &key) const;

    /// `<hub>/.hubcap/tmp`, created on demand (same file system as the hub dir, so renames
    /// from it are atomic).
    Result<QString> tempDir() const;
    /// `<hub>/.hubcap/locks/<safe key>.lock` (folder created on demand).
    QString lockPath(const QString &key) const;

    /// A key made safe as a file name ('/' and other specials replaced, long keys hashed).
    static QString safeKey(const QString &key);

private:
    QString pathFor(const QString &subdir, const QString &key) const;
    QString m_root;
};

} // namespace hubcap
