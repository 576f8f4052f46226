#pragma once

#include "core/error.h"

#include <QString>

namespace hubcap {

/// Bytes available to this user on the file system that holds `path` (or, when `path` does not
/// exist yet, its nearest existing parent); -1 when unknown.
qint64 availableBytes(const QString &path);

/// The mount point of the file system holding `path` (nearest existing parent), for messages.
QString mountPointOf(const QString &path);

/// "No space left on the device ..." with what was being written, how much it needs, how much
/// is free and where (`needed` < 0: not known), and `todo` (what the user can do). Code::Io.
Error noSpaceError(const QString &path, const QString &what, qint64 needed, qint64 available,
                   const QString &todo);

/// Whether `errnoValue` (or a Qt error string) means the device is full (ENOSPC, EDQUOT).
bool isNoSpaceErrno(int errnoValue);

} // namespace hubcap
