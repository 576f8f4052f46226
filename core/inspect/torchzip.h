#pragma once

// The central directory of a torch.save file, for the inspector: names, sizes and data offsets.
// Parsing (ZIP64 included) and every bounds check are done by the project's one zip reader,
// core/archive/zipreader.h. torch.save stores every entry uncompressed and 64-byte aligned, so
// stored entries are read in place; deflated ones (a user-zipped legacy checkpoint) are
// inflated by the caller.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace hubcap::inspect {

struct TorchZipEntry
{
    std::string path;
    std::uint64_t size = 0; ///< uncompressed
    std::uint64_t compressedSize = 0;
    bool stored = false; ///< method 0: the data is at dataOffset, as is
    unsigned method = 0; ///< 0 stored, 8 deflate
    std::uint64_t dataOffset = 0;
    bool isDirectory = false;
};

/// Reads the central directory of `file`. nullopt with *error on anything malformed.
std::optional<std::vector<TorchZipEntry>> readZipDirectory(const std::filesystem::path &file,
                                                           std::string *error);

} // namespace hubcap::inspect
