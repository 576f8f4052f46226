#pragma once

#include "core/error.h"

#include <QString>

#include <functional>

namespace hubcap {

/// How extractZipSafely() reports and stops.
struct ExtractOptions
{
    /// Polled between files and between chunks; true stops with Error::Code::Cancelled.
    std::function<bool()> cancelled;
    /// (bytes written, total uncompressed bytes).
    std::function<void(qint64, qint64)> progress;
    /// Tests only: sleep this long after each file (makes "kill during extraction" deterministic).
    int delayPerFileMs = 0;
};

struct ExtractResult
{
    QString topFolder; ///< the archive's single top-level folder ("owner-repo-abc1234"), if any
    qint64 files = 0;
    qint64 bytes = 0;
};

/// Extracts the zip `zipPath` into the existing folder `destDir`, safely (through the KArchive
/// adapter, core/archive/ziparchive.h):
/// - every entry name is checked in the raw central directory AND as KArchive reports it: names
///   that are absolute ("/x", "\x", "C:x"), contain a ".." component, or resolve outside
///   `destDir` (zip slip) make the whole archive fail with Error::Code::Integrity before anything
///   is written;
/// - symlinks are never created: like Python's zipfile (which torch.hub uses), a symlink entry
///   becomes a regular file containing the link target text, so nothing can point outside and the
///   tree is byte-identical to what torch.hub extracts;
/// - free space in `destDir` is checked first against the sum of uncompressed sizes;
/// - files are created with 0666 & ~umask and folders with 0777 & ~umask (Python's behaviour;
///   archive mode bits and mtimes are not restored);
/// - `options.cancelled` is checked inside the loop.
/// On failure the partial content of `destDir` is left for the caller to delete.
Result<ExtractResult> extractZipSafely(const QString &zipPath, const QString &destDir,
                                       const ExtractOptions &options = {});

/// Checks one archive entry name; returns the reason it is unsafe, or an empty string.
QString unsafeEntryReason(const QString &name);

/// Entry names from the zip's central directory in archive order, read without KArchive
/// (which normalises names and would hide "/abs" or "a/../b"). Empty for ZIP64 or unreadable
/// archives (KArchive's view is then the only check).
QStringList rawZipEntryNames(const QString &zipPath);

} // namespace hubcap
