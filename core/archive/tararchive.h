#pragma once

// Plain (uncompressed) tar through KArchive's KTar, behind the same std-only door as
// ziparchive.h: nothing outside this adapter sees KArchive or Qt 5 headers. Used by offline
// bundles (core/bundle): a plain tar streams, needs no temp copy to read, and opens with `tar`.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hubcap::archive {

struct TarEntry
{
    std::string path; ///< as KTar presents it, '/'-separated, no leading '/'
    bool isDirectory = false;
    bool isSymlink = false;
    std::uint64_t size = 0;
    unsigned permissions = 0;
};

/// Writes a tar with bounded memory: each file's data comes from a callback in chunks.
/// With no output file (createCounting) nothing is written and only the byte count is kept,
/// which gives the exact size the same entries would take (KTar's own headers and padding).
class TarWriter
{
public:
    ~TarWriter();
    TarWriter(const TarWriter &) = delete;
    TarWriter &operator=(const TarWriter &) = delete;

    /// Creates (truncates) `file`. nullptr and *error on failure.
    static std::unique_ptr<TarWriter> create(const std::filesystem::path &file, std::string *error);
    /// Writes nothing; bytesWritten() says how large the archive would be.
    static std::unique_ptr<TarWriter> createCounting();

    /// Adds a regular file of exactly `size` bytes. `source(buf, cap)` fills up to cap bytes
    /// and returns how many (0 = end, -1 = error). A source that ends early or has more data
    /// fails the call. With a counting writer `source` may be empty (zeros are counted).
    bool addFile(const std::string &path, std::uint64_t size, unsigned permissions,
                 std::int64_t mtimeSecs,
                 const std::function<std::int64_t(char *, std::size_t)> &source,
                 std::string *error);
    bool addData(const std::string &path, const std::string &data, unsigned permissions,
                 std::int64_t mtimeSecs, std::string *error);
    /// Writes the end-of-archive blocks and closes the file.
    bool finish(std::string *error);
    std::uint64_t bytesWritten() const;

private:
    struct Impl;
    explicit TarWriter(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

/// Read-only access to a plain tar.
class TarReader
{
public:
    ~TarReader();
    TarReader(const TarReader &) = delete;
    TarReader &operator=(const TarReader &) = delete;

    static std::unique_ptr<TarReader> open(const std::filesystem::path &file, std::string *error);

    /// Every entry (directories included), depth first.
    const std::vector<TarEntry> &entries() const;
    const TarEntry *find(const std::string &path) const;
    /// Streams a file's data; fails ("truncated") when fewer bytes than its header says arrive.
    bool read(const std::string &path, const std::function<bool(const char *, std::size_t)> &sink,
              std::string *error) const;
    std::optional<std::string> readAll(const std::string &path, std::uint64_t maxBytes,
                                       std::string *error) const;

private:
    struct Impl;
    explicit TarReader(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace hubcap::archive
