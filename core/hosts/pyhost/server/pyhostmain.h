#pragma once

namespace hubcap::pyhost {

/// The whole hubcap-pyhost process: protects the protocol descriptors, starts the embedded
/// CPython, installs the embedded hubcap_host package and serves JSON-lines requests on the
/// original stdin/stdout until stdin closes or a "shutdown" request arrives.
///
/// fd 1 is moved to a private descriptor before Python starts and fd 1 then points at stderr,
/// so nothing repository code prints (Python or C level) can corrupt the protocol; fd 0 reads
/// /dev/null, so input() in a hubconf cannot eat requests.
int runHost(int argc, char **argv);

} // namespace hubcap::pyhost
