#pragma once

#include <QStringList>

namespace hubcap::cli {

class CliContext;

/// `hubcap-cli fetch OWNER/REPO[:REF] [--force-reload] [--skip-validation]
/// [--trust-repo check|yes|no] [--check-update]`: RepoFetchJob / CheckUpdateJob on a terminal.
int runFetch(CliContext &ctx, const QStringList &args);

} // namespace hubcap::cli
