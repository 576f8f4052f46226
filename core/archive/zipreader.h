#pragma once

// The one zip reader of Hubcap: repository zipballs (core/fetch/extract), legacy single-file
// checkpoint zips (core/net/checkpointdownload) and torch.save archives (core/inspect/torchzip)
// all go through it. std + POSIX + zlib only (no Qt, no KArchive), so the fuzz harness and any
// thread can use it.
//
// It reads what Python's zipfile (and so torch.hub) reads, ZIP64 included (more than 65,535
// entries, entries or offsets past 4 GiB), and treats the file as hostile:
// - the end records, the central directory and every extra field are bounds-checked; the entry
//   count, name length, central directory size and declared total size are capped (ZipLimits);
// - entries must lie inside the file, before the central directory, and must not overlap;
// - entry data is streamed (bounded memory), raw-inflated for deflate, CRC-32 checked, and never
//   allowed to produce more (or fewer) bytes than the central directory declares (zip bombs stop
//   at the declared size).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hubcap::archive {

/// Caps applied when opening an archive; anything larger is refused with a clear error.
struct ZipLimits
{
    std::uint64_t maxEntries = 4'000'000;
    std::uint64_t maxNameBytes = 4096; ///< PATH_MAX: longer names cannot be created anyway
    std::uint64_t maxCentralDirectoryBytes = 512ull << 20;
    std::uint64_t maxTotalUncompressed = 4ull << 40; ///< sum of the declared sizes (4 TiB)
};

struct ZipMember
{
    std::string rawName; ///< the name bytes as stored
    /// The name as Python's zipfile decodes it: UTF-8 when flag bit 11 is set, else cp437.
    std::string name;
    std::uint16_t flags = 0;
    std::uint16_t method = 0; ///< 0 stored, 8 deflate (the only ones read)
    std::uint16_t versionMadeBy = 0;
    std::uint32_t crc32 = 0;
    std::uint32_t externalAttributes = 0;
    std::uint64_t compressedSize = 0;
    std::uint64_t size = 0; ///< uncompressed, as declared
    std::uint64_t localHeaderOffset = 0;
    bool isDirectory = false; ///< the name ends with '/'
    bool isSymlink = false;   ///< Unix mode S_IFLNK (its data is the target text)
    bool zip64 = false;       ///< a size or offset came from the ZIP64 extra field
    bool encrypted = false;
    /// Unix permission bits (0 when the archive was not made on Unix).
    unsigned unixMode() const
    {
        return (versionMadeBy >> 8) == 3 ? (externalAttributes >> 16) & 07777 : 0;
    }
};

/// A chunk of an entry's data; return false to stop reading (cancel).
using ZipSink = std::function<bool(const char *, std::size_t)>;

class ZipFile
{
public:
    ~ZipFile();
    ZipFile(const ZipFile &) = delete;
    ZipFile &operator=(const ZipFile &) = delete;

    /// Opens `file` and reads its central directory. nullptr with *error on anything malformed
    /// or beyond `limits`; the error names what is wrong ("truncated file?", the limit, ...).
    static std::unique_ptr<ZipFile> open(const std::filesystem::path &file, std::string *error,
                                         const ZipLimits &limits = {});

    /// Every entry in central-directory order (the order Python's infolist() gives).
    const std::vector<ZipMember> &members() const;
    /// The last member with this (decoded) name, as zipfile.getinfo does; nullptr if none.
    const ZipMember *find(std::string_view name) const;
    /// The archive comment (GitHub zipballs carry the commit SHA there).
    const std::string &comment() const;
    bool isZip64() const;                    ///< the archive has a ZIP64 end record
    std::uint64_t totalUncompressed() const; ///< sum of declared sizes
    std::uint64_t fileSize() const;

    /// Where the member's data starts (reads and checks its local header).
    std::optional<std::uint64_t> dataOffset(const ZipMember &m, std::string *error) const;

    /// Streams the member's uncompressed data to `sink` (stored or deflate), checking the
    /// CRC-32 and that exactly the declared size comes out. False with *error on failure, or
    /// "stopped" when the sink returned false.
    bool read(const ZipMember &m, const ZipSink &sink, std::string *error) const;
    /// The whole member in memory; nullopt (and *error) when it is larger than maxBytes.
    std::optional<std::string> readAll(const ZipMember &m, std::uint64_t maxBytes,
                                       std::string *error) const;

private:
    struct Impl;
    explicit ZipFile(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

/// torch.hub's rule for a member name, the only one in Hubcap. `name` is the decoded name
/// (ZipMember::name). Returns the path relative to the extraction folder that Python's
/// zipfile.extract writes on Linux (empty components and "." dropped, '/'-separated; empty for
/// a name such as "./" that writes nothing), or nullopt with *reason when the name is refused,
/// as torch.hub's _safe_extract_zip refuses it: a leading '/' or '\' (absolute), a drive letter
/// ("C:"), a ".." component, a NUL character.
/// A backslash elsewhere is an ordinary character of the file name, as on Linux with Python
/// ("dir\file.txt" becomes one file of that name; "a\..\b" cannot escape: it is one name).
std::optional<std::string> safeMemberPath(std::string_view name, std::string *reason);

/// The archive comment read from the end record; empty when none or not a zip.
std::string readZipComment(const std::filesystem::path &file);

/// Python's zipfile.is_zipfile: the file has an end-of-central-directory record.
bool isZipFile(const std::filesystem::path &file);

} // namespace hubcap::archive
