#pragma once

#include <QStringList>

namespace hubcap::cli {

class CliContext;

/// `hubcap-cli download URL [--model-dir DIR] [--file-name NAME] [--check-hash | --hash-prefix HEX]
/// [--retries N]`: torch.hub.load_state_dict_from_url's download (CheckpointDownloadJob),
/// resumable and verified, with a progress bar on a terminal and quiet otherwise.
int runDownload(CliContext &ctx, const QStringList &args);

} // namespace hubcap::cli
