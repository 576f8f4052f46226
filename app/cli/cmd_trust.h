#pragma once

#include <QStringList>

namespace hubcap::cli {

class CliContext;

/// `trust ls | trust add OWNER/REPO | trust rm OWNER/REPO | trust check OWNER/REPO[:REF]`.
/// `trust check` exits 0 when torch.hub would trust the repository, 1 when it would not.
int runTrust(CliContext &ctx, const QStringList &args);

} // namespace hubcap::cli
