#pragma once

#include <QStringList>

namespace hubcap::cli {

class CliContext;

/// `hubcap-cli [--json] inspect FILE [--stats] [--tensor PATTERN]...`: what a checkpoint holds,
/// read without running any pickle code.
int runInspect(CliContext &ctx, const QStringList &args);

} // namespace hubcap::cli
