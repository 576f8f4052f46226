#pragma once

#include <QStringList>

namespace hubcap::cli {

class CliContext;

/// `bundle export OWNER/REPO[:REF]... [--weights all|used|none] [--include-checkpoint NAME]...
/// -o FILE [--dry-run] | bundle import FILE [--trust] [--replace] | bundle show FILE [--verify]`.
int runBundle(CliContext &ctx, const QStringList &args);

} // namespace hubcap::cli
