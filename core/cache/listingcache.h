#pragma once

#include "core/error.h"
#include "core/protocol/entrypoint.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace hubcap {

/// Listings of repositories kept in the sidecar (`<hub>/.hubcap/listings/<key>.json`), so that
/// reopening a big repository (timm: ~1,500 entrypoints, listed by running hubconf.py) shows
/// its entrypoints at once without starting Python.
///
/// A record is valid for exactly the files it was made from:
/// - a folder of the hub dir (owner_repo_ref): the commit the sidecar records for it (a fetch,
///   force-reload or an update that moves the commit makes it a miss) and hubconf.py's SHA-256;
/// - any other folder (source='local'): hubconf.py's SHA-256 and the size and mtime of every
///   .py file below it (a changed module changes what importing hubconf.py lists).
/// Sidecar::putRepo and removeRepo drop the record of their folder (every fetch, force-reload
/// and deletion). Static and import listings are kept side by side in one record.
class ListingCache
{
public:
    explicit ListingCache(const QString &hubDir);

    /// The listing made in `mode` ("static" or "import") for `repoDir`, if still valid.
    std::optional<QJsonObject> get(const QString &repoDir, const QString &mode) const;
    /// Records a listing (the host's result object); other modes' listings of the same files
    /// are kept. Failures only cost a cache miss later, so callers may ignore them.
    Result<void> put(const QString &repoDir, const QString &mode, const QJsonObject &listing) const;
    /// Drops every listing of `repoDir`.
    void invalidate(const QString &repoDir) const;
    /// Drops the listings of a hub-dir folder by its name (owner_repo_ref).
    void invalidateFolder(const QString &folder) const;

    /// What a record is checked against (exposed for tests): commit, hubconf hash, tree.
    QJsonObject fingerprint(const QString &repoDir) const;
    /// `<hub>/.hubcap/listings/<safe key>.json`
    QString recordPath(const QString &repoDir) const;

    /// Records bigger than this are neither written nor read (a hostile or broken repository
    /// cannot make the app read gigabytes).
    static constexpr qint64 maxRecordBytes = 64 * 1024 * 1024;

private:
    QString keyFor(const QString &repoDir) const;
    std::optional<QJsonObject> readRecord(const QString &path) const;
    QString m_hubDir;
};

/// The weights a help reply lists (url, file_name, hash_prefix from the host) with what only
/// the hub dir knows added: `path` (<hub>/checkpoints/<file_name>) and `cached` (it exists).
QList<WeightRef> weightsWithCacheState(QList<WeightRef> weights, const QString &hubDir);

} // namespace hubcap
