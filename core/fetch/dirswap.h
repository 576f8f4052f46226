#pragma once

#include "core/error.h"

#include <QString>

namespace hubcap {

/// Puts the complete folder `newDir` at `target`, so that at every instant `target` is either the
/// old tree or the new one, never missing and never half-written (torch.hub rmtree's the old copy
/// and then moves, which leaves nothing if killed in between). Both paths must be on one file
/// system (Hubcap extracts into `<hub>/.hubcap/tmp`).
///
/// Linux: `renameat2(RENAME_EXCHANGE)` swaps the two names in one step; the old tree then sits at
/// `newDir` and is deleted. Where the file system cannot exchange, the old tree is renamed to
/// `parkDir/old-…` first and renamed back if the second rename fails (a kill between the two
/// renames leaves the old tree recoverable in `parkDir`).
/// When `target` does not exist it is a plain rename that refuses to overwrite.
Result<void> replaceDirectory(const QString &newDir, const QString &target, const QString &parkDir);

/// Deletes a folder tree without following symlinks out of it; true when it is gone.
bool removeTree(const QString &path);

} // namespace hubcap
