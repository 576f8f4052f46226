#pragma once

#include <QStringList>

namespace hubcap::cli {

class CliContext;

/// `cache ls | cache rm TARGET... [--dry-run] [--yes] | cache clear [--dry-run] [--yes]`.
/// rm/clear without --yes ask on a terminal and refuse (exit 1) without one.
int runCache(CliContext &ctx, const QStringList &args);

} // namespace hubcap::cli
