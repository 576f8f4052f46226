#pragma once

#include <QStringList>

namespace hubcap::cli {

class CliContext;

/// `hubcap-cli [--json] verify EXPORT_PATH [--runs N] [--rtol X] [--atol X] [--threads N]`:
/// runs a TorchScript export in hubcap-torchhost (libtorch, no Python) on the example input saved
/// beside it, compares with the eager output and times it. Exit 1 when it does not verify.
int runVerify(CliContext &ctx, const QStringList &args);

} // namespace hubcap::cli
