#pragma once

#include <cstddef>
#include <vector>

namespace hubcap::pyhost {

/// One Python source file compiled into hubcap-pyhost (see core/hosts/pyhost/server/python/).
struct EmbeddedFile
{
    const char *name; ///< path below core/hosts/pyhost/server/python/, e.g. "hubcap_host/static.py"
    const unsigned char *data; ///< the file's bytes
    std::size_t size;
};

/// Every embedded file, generated at build time by embedfiles.cmake.
const std::vector<EmbeddedFile> &embeddedPythonFiles();

} // namespace hubcap::pyhost
