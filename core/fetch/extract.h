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

/// Extracts the zip `zipPath` into the existing folder `destDir`, safely, through the project's
/// one zip reader (core/archive/zipreader.h: ZIP64, bounds, overlap, CRC and declared sizes):
/// - every entry name goes through archive::safeMemberPath (torch.hub's rule): names that are
///   absolute ("/x", "\x", "C:x"), contain a ".." component or a NUL make the whole archive
///   fail with Error::Code::Integrity before anything is written; the others land where
///   Python's zipfile.extract puts them (a backslash is an ordinary file-name character);
/// - symlinks are never created: like Python's zipfile (which torch.hub uses), a symlink entry
///   becomes a regular file containing the link target text, so nothing can point outside and the
///   tree is byte-identical to what torch.hub extracts; nothing is written through a symlink;
/// - free space in `destDir` is checked first against the sum of declared sizes, and no entry
///   may produce more (or fewer) bytes than declared;
/// - files are created with 0666 & ~umask and folders with 0777 & ~umask (Python's behaviour;
///   archive mode bits and mtimes are not restored);
/// - `options.cancelled` is checked inside the loop.
/// On failure the partial content of `destDir` is left for the caller to delete.
Result<ExtractResult> extractZipSafely(const QString &zipPath, const QString &destDir,
                                       const ExtractOptions &options = {});

/// Checks one archive entry name (archive::safeMemberPath); the reason it is refused, or empty.
QString unsafeEntryReason(const QString &name);

/// Entry names (decoded as Python's zipfile decodes them) in archive order; empty when the
/// archive cannot be read.
QStringList rawZipEntryNames(const QString &zipPath);

} // namespace hubcap
