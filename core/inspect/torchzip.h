#pragma once

// A minimal reader of the zip central directory, for torch.save files.
//
// Why not the KArchive adapter: KZip (5.103) refuses every torch.save archive ("Unrecognized
// header" at the ZIP64 end-of-central-directory record PyTorch always writes, after local
// headers that use data descriptors). torch.save stores every entry uncompressed and 64-byte
// aligned, so the inspector only needs names, sizes and data offsets, which the central
// directory gives. Deflated entries (a user-zipped legacy checkpoint) are inflated with zlib.

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
