#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <functional>

// Internal to core/cache: file-system walks with lstat semantics (symlinks are never followed),
// used by the inventory scan and by deletion. POSIX only (Hubcap targets Debian).

namespace hubcap::fs {

/// What lstat says about one path.
struct Entry
{
    bool exists = false;
    bool isDir = false; ///< a real directory (not a symlink to one)
    bool isSymlink = false;
    bool isFile = false; ///< a regular file
    qint64 size = 0;     ///< st_size (for a symlink: the link itself)
    QDateTime modified;
    int error = 0; ///< errno when lstat failed (ENOENT → !exists)
};
Entry lstatPath(const QString &path);

/// Sum of a tree without following symlinks. `problems` gets (path, message) for unreadable
/// folders or entries; the walk continues past them.
struct TreeStats
{
    qint64 bytes = 0;
    qint64 files = 0; ///< non-directory entries
    QDateTime newest;
    bool cancelled = false;
};
using ProblemSink = std::function<void(const QString &path, const QString &message)>;
TreeStats measureTree(const QString &path, const std::function<bool()> &cancelled,
                      const ProblemSink &problem);

/// Names in a directory (not "." / ".."), sorted; sets `error` (errno) when it cannot be read.
QStringList listDir(const QString &path, int *error);

/// Removes `relPath` below `root` without following any symlink: every parent component must be
/// a real directory (checked with O_NOFOLLOW while descending), a symlink is unlinked, a folder
/// is emptied depth-first and removed. Returns true when `relPath` no longer exists.
struct RemoveResult
{
    bool removed = false;
    qint64 freedBytes = 0;
    QList<QPair<QString, QString>> failures; ///< (absolute path, reason)
    bool cancelled = false;
};
RemoveResult removeBelow(const QString &root, const QString &relPath,
                         const std::function<bool()> &cancelled);

/// strerror text for an errno value.
QString errorText(int err);

} // namespace hubcap::fs
