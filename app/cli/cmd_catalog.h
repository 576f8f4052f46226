#pragma once

#include <QStringList>

namespace hubcap::cli {

class CliContext;

/// `hubcap-cli catalog [--refresh] [--category C] [--tag T]`, `catalog search TERMS...`,
/// `catalog show OWNER/REPO|PAGE-NAME`: the PyTorch Hub catalog (core/catalog).
int runCatalog(CliContext &ctx, const QStringList &args);

} // namespace hubcap::cli
