#pragma once

// The only door to KArchive. This header uses std types only, because Debian 12 packages
// KArchive for Qt 5 while the rest of Hubcap is Qt 6: the adapter is compiled on its own
// against KF5Archive (or KF6Archive where CMake finds it), and nothing else sees Qt 5 headers.
//
// Hubcap reads zip files with its own reader (archive/zipreader.h): KArchive 5.103 cannot read
// ZIP64 (more than 65,535 entries, or entries past 4 GiB), does not check CRC-32, and hides the
// names as stored. This adapter stays as an independent second reader for tests (its data must
// match ours on archives it can read) and for writing archives should Hubcap need to.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hubcap::archive {

struct ZipEntry
{
    std::string path; ///< as stored in the archive, '/'-separated, no leading '/'
    bool isDirectory = false;
    bool isSymlink = false;
    std::string symlinkTarget; ///< for symlinks
    std::uint64_t size = 0;    ///< uncompressed size
    std::uint64_t compressedSize = 0;
    bool stored = false; ///< no compression: data can be read in place at dataOffset
    std::uint64_t dataOffset = 0;
    unsigned permissions = 0; ///< Unix mode bits from the archive (may be 0)
};

/// Read-only access to a zip file. Never writes anything.
class ZipReader
{
public:
    ~ZipReader();
    ZipReader(const ZipReader &) = delete;
    ZipReader &operator=(const ZipReader &) = delete;

    /// Opens the archive; on failure returns nullptr and sets *error.
    static std::unique_ptr<ZipReader> open(const std::filesystem::path &file, std::string *error);

    /// Every entry, in archive order, directories included.
    const std::vector<ZipEntry> &entries() const;
    const ZipEntry *find(const std::string &path) const;

    /// Streams an entry's data to `sink` in chunks; `sink` returns false to stop (cancel).
    /// Returns false with *error set on failure (or when stopped by the sink).
    bool read(const std::string &path, const std::function<bool(const char *, std::size_t)> &sink,
              std::string *error) const;
    /// The whole entry in memory; nullopt (and *error) when it is missing or larger than maxBytes.
    std::optional<std::string> readAll(const std::string &path, std::uint64_t maxBytes,
                                       std::string *error) const;

private:
    struct Impl;
    explicit ZipReader(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

/// The archive library actually linked ("KArchive 5.103.0"), for --version.
std::string backendVersion();

} // namespace hubcap::archive
