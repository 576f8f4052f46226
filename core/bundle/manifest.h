#pragma once

#include "core/error.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace hubcap::bundle {

/// What a `.hubcap` bundle holds, as written in its `manifest.json` (the last member of the
/// tar). Everything else in the tar is a file of the hub dir at the same relative path:
/// `<owner_repo_ref>/...` (repository folders, exactly as torch.hub names them) and
/// `checkpoints/<name>`. `trusted_list` and `.hubcap/` are never part of a bundle.
struct ManifestFile
{
    QString path; ///< relative to the hub dir, '/'-separated
    qint64 size = 0;
    QString sha256; ///< 64 lower-case hex digits
};

struct ManifestRepo
{
    QString folder; ///< torch.hub's folder name, "owner_repo_ref'"
    QString owner, repo, ref;
    QString commit;    ///< from the sidecar; empty when unknown (fetched by Python)
    QString sourceUrl; ///< zipball URL it came from, when known
    QDateTime fetchedAt;
    QJsonArray entrypoints;   ///< [{"name", "signature"}] from the static listing
    QString entrypointsError; ///< why there is no listing, when there is none
    qint64 files = 0, bytes = 0;
};

struct ManifestCheckpoint
{
    QString name; ///< file name in checkpoints/
    qint64 size = 0;
    QString sha256;
    QString url;              ///< where it was downloaded from (sidecar), empty when unknown
    QString repo, entrypoint; ///< which repository's code asked for it, when known
    QDateTime downloadedAt;
    QString reason; ///< "used", "all" or "included" (why the export took it)
};

struct Manifest
{
    static constexpr int kFormatVersion = 1;
    static QString archiveName() { return QStringLiteral("manifest.json"); }
    /// Bounds for hostile bundles.
    static constexpr qint64 kMaxManifestBytes = 64LL * 1024 * 1024;
    static constexpr int kMaxFiles = 1000000;
    static constexpr int kMaxRepos = 10000;
    static constexpr int kMaxDepth = 64;

    QString hubcapVersion;
    QDateTime createdAt;
    QString weights; ///< all | used | none
    QList<ManifestRepo> repos;
    QList<ManifestCheckpoint> checkpoints;
    QList<ManifestFile> files; ///< every file of the repos and checkpoints

    qint64 totalBytes() const;
    QJsonObject toJson() const;
    QByteArray serialize() const; ///< indented JSON, what the bundle stores
    /// Parses and validates (format, bounds, every path safe and under a declared folder).
    static Result<Manifest> parse(const QByteArray &json);
};

/// Why `path` may not be a bundle member (empty when it is fine): absolute, "..", ".", empty
/// components, backslashes, control characters, too deep, or outside `repo folders` and
/// `checkpoints/<name>`.
QString unsafePathReason(const QString &path);
/// A repository folder name that is safe as a direct child of the hub dir.
bool isSafeFolderName(const QString &name);

QString weightsModeHelp();

} // namespace hubcap::bundle
