#pragma once

#include "core/error.h"
#include "core/fetch/repofetchjob.h"

#include <QStringList>

namespace hubcap::cli {

class ArgParser;
class CliContext;

/// Fetches `spec` into `hubDir` the way every CLI command does (fetch, list, help, load):
/// --force-reload, --skip-validation and --trust-repo from `p`, torch.hub's trust prompt on a
/// terminal (refused without one, saying how to trust), job messages and a progress bar on stderr.
Result<RepoFetchResult> fetchForCli(CliContext &ctx, const ArgParser &p, const RepoSpec &spec,
                                    const QString &hubDir);

/// `hubcap-cli fetch OWNER/REPO[:REF] [--force-reload] [--skip-validation]
/// [--trust-repo check|yes|no] [--check-update]`: RepoFetchJob / CheckUpdateJob on a terminal.
int runFetch(CliContext &ctx, const QStringList &args);

} // namespace hubcap::cli
