#include "core/archive/zipreader.h"

#include <zlib.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <numeric>
#include <unordered_map>

namespace hubcap::archive {

namespace {

constexpr std::size_t kEndSize = 22;     // end of central directory record
constexpr std::size_t kLocatorSize = 20; // ZIP64 end of central directory locator
constexpr std::size_t kEnd64Size = 56;   // ZIP64 end of central directory record
constexpr std::size_t kCentralSize = 46; // central directory file header
constexpr std::size_t kLocalSize = 30;   // local file header
constexpr std::size_t kMaxComment = 65535;
constexpr std::size_t kChunk = 256 * 1024;

std::uint64_t le(const unsigned char *p, int n)
{
    std::uint64_t v = 0;
    for (int k = n; k-- > 0;)
        v = v << 8 | p[k];
    return v;
}

/// A file descriptor that closes itself.
struct Fd
{
    int fd = -1;
    Fd() = default;
    explicit Fd(int f) : fd(f) {}
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    ~Fd()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

/// Reads exactly n bytes at off; false on a short read or an error.
bool readAt(int fd, std::uint64_t off, void *buf, std::size_t n)
{
    auto *p = static_cast<char *>(buf);
    while (n > 0) {
        const ssize_t got = ::pread(fd, p, n, static_cast<off_t>(off));
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return false;
        p += got;
        n -= static_cast<std::size_t>(got);
        off += static_cast<std::uint64_t>(got);
    }
    return true;
}

constexpr char16_t kCp437High[128] = {
    0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7, 0x00EA, 0x00EB, 0x00E8, 0x00EF,
    0x00EE, 0x00EC, 0x00C4, 0x00C5, 0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9,
    0x00FF, 0x00D6, 0x00DC, 0x00A2, 0x00A3, 0x00A5, 0x20A7, 0x0192, 0x00E1, 0x00ED, 0x00F3, 0x00FA,
    0x00F1, 0x00D1, 0x00AA, 0x00BA, 0x00BF, 0x2310, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB,
    0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561, 0x2562, 0x2556, 0x2555, 0x2563, 0x2551, 0x2557,
    0x255D, 0x255C, 0x255B, 0x2510, 0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x255E, 0x255F,
    0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x2567, 0x2568, 0x2564, 0x2565, 0x2559,
    0x2558, 0x2552, 0x2553, 0x256B, 0x256A, 0x2518, 0x250C, 0x2588, 0x2584, 0x258C, 0x2590, 0x2580,
    0x03B1, 0x00DF, 0x0393, 0x03C0, 0x03A3, 0x03C3, 0x00B5, 0x03C4, 0x03A6, 0x0398, 0x03A9, 0x03B4,
    0x221E, 0x03C6, 0x03B5, 0x2229, 0x2261, 0x00B1, 0x2265, 0x2264, 0x2320, 0x2321, 0x00F7, 0x2248,
    0x00B0, 0x2219, 0x00B7, 0x221A, 0x207F, 0x00B2, 0x25A0, 0x00A0};

/// cp437 bytes to UTF-8, as Python's zipfile decodes names without the UTF-8 flag.
std::string cp437ToUtf8(std::string_view in)
{
    std::string out;
    out.reserve(in.size());
    for (const char ch : in) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x80) {
            out.push_back(ch);
            continue;
        }
        const char16_t u = kCp437High[c - 0x80];
        if (u < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (u >> 6)));
        } else {
            out.push_back(static_cast<char>(0xE0 | (u >> 12)));
            out.push_back(static_cast<char>(0x80 | ((u >> 6) & 0x3F)));
        }
        out.push_back(static_cast<char>(0x80 | (u & 0x3F)));
    }
    return out;
}

/// Strict UTF-8 (no overlong forms, no surrogates, <= U+10FFFF), as Python's codec.
bool isValidUtf8(std::string_view s)
{
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        int n = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            n = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (s.size() - i - 1 < static_cast<std::size_t>(n))
            return false;
        for (int k = 1; k <= n; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
            if ((cc & 0xC0) != 0x80)
                return false;
            cp = cp << 6 | (cc & 0x3F);
        }
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += static_cast<std::size_t>(n) + 1;
    }
    return true;
}

/// The end records, found the way Python's zipfile._EndRecData finds them.
struct EndRecord
{
    std::uint64_t endPos = 0; ///< offset of the PK\5\6 record
    std::uint64_t count = 0;
    std::uint64_t cdSize = 0;
    std::uint64_t cdOffset = 0;
    std::uint64_t cdEnd = 0; ///< where the central directory must end (the first end record)
    bool zip64 = false;
    std::string comment;
};

bool findEnd(int fd, std::uint64_t fileSize, EndRecord *out, std::string *error)
{
    auto failed = [&](const std::string &why) {
        if (error)
            *error = why;
        return false;
    };
    if (fileSize < kEndSize)
        return failed("not a zip file: it is too short to hold an end-of-central-directory "
                      "record (truncated download?)");
    const std::uint64_t tailSize = std::min<std::uint64_t>(fileSize, kEndSize + kMaxComment);
    std::string tail(static_cast<std::size_t>(tailSize), '\0');
    if (!readAt(fd, fileSize - tailSize, tail.data(), tail.size()))
        return failed("cannot read the end of the file");
    const auto *t = reinterpret_cast<const unsigned char *>(tail.data());
    // The last signature whose comment reaches exactly the end of the file; failing that, the
    // last signature at all (Python's rfind: it tolerates bytes after the comment).
    std::size_t at = std::string::npos, loose = std::string::npos;
    for (std::size_t i = tail.size() - kEndSize + 1; i-- > 0;) {
        if (std::memcmp(t + i, "PK\x05\x06", 4) != 0)
            continue;
        if (loose == std::string::npos)
            loose = i;
        if (i + kEndSize + le(t + i + 20, 2) == tail.size()) {
            at = i;
            break;
        }
    }
    if (at == std::string::npos)
        at = loose;
    if (at == std::string::npos)
        return failed("not a zip file: no end-of-central-directory record (truncated download, "
                      "or not a zip at all)");
    const unsigned char *e = t + at;
    if (le(e + 4, 2) != 0 || le(e + 6, 2) != 0)
        return failed("zip archives spanning several disks are not supported");
    out->endPos = fileSize - tailSize + at;
    out->count = le(e + 10, 2);
    out->cdSize = le(e + 12, 4);
    out->cdOffset = le(e + 16, 4);
    out->cdEnd = out->endPos;
    const std::size_t commentLen =
        std::min<std::size_t>(le(e + 20, 2), tail.size() - at - kEndSize);
    out->comment.assign(tail, at + kEndSize, commentLen);

    // ZIP64: a locator right before the end record points at the ZIP64 end record.
    if (out->endPos < kLocatorSize)
        return true;
    unsigned char loc[kLocatorSize];
    if (!readAt(fd, out->endPos - kLocatorSize, loc, sizeof loc))
        return failed("cannot read the end of the file");
    if (std::memcmp(loc, "PK\x06\x07", 4) != 0)
        return true;
    if (le(loc + 4, 4) != 0 || le(loc + 16, 4) > 1)
        return failed("zip archives spanning several disks are not supported");
    // Python reads the record just before the locator; the locator's offset says the same in
    // an archive without data before it.
    const std::uint64_t locatorPos = out->endPos - kLocatorSize;
    unsigned char rec[kEnd64Size];
    std::uint64_t recPos = 0;
    bool found = false;
    const std::uint64_t candidates[] = {
        locatorPos >= kEnd64Size ? locatorPos - kEnd64Size : ~std::uint64_t{0}, le(loc + 8, 8)};
    for (const std::uint64_t cand : candidates) {
        if (cand > locatorPos || locatorPos - cand < kEnd64Size)
            continue;
        if (readAt(fd, cand, rec, sizeof rec) && std::memcmp(rec, "PK\x06\x06", 4) == 0) {
            recPos = cand;
            found = true;
            break;
        }
    }
    if (!found)
        return failed("corrupt ZIP64 end-of-central-directory record (truncated or damaged "
                      "file)");
    if (le(rec + 16, 4) != 0 || le(rec + 20, 4) != 0)
        return failed("zip archives spanning several disks are not supported");
    out->zip64 = true;
    out->count = le(rec + 32, 8);
    out->cdSize = le(rec + 40, 8);
    out->cdOffset = le(rec + 48, 8);
    out->cdEnd = recPos;
    return true;
}

} // namespace

struct ZipFile::Impl
{
    Fd fd;
    std::uint64_t fileSize = 0;
    std::uint64_t cdStart = 0;
    std::uint64_t total = 0;
    bool zip64 = false;
    std::string comment;
    std::vector<ZipMember> members;
    std::vector<std::uint64_t> limits; ///< per member: where the next entry (or the CD) starts
    std::unordered_map<std::string_view, std::size_t> byName;

    std::optional<std::size_t> indexOf(const ZipMember &m) const
    {
        if (members.empty() || &m < members.data() || &m >= members.data() + members.size())
            return std::nullopt;
        return static_cast<std::size_t>(&m - members.data());
    }
};

ZipFile::ZipFile(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
ZipFile::~ZipFile() = default;

std::unique_ptr<ZipFile> ZipFile::open(const std::filesystem::path &file, std::string *error,
                                       const ZipLimits &limits)
{
    auto failed = [&](const std::string &why) -> std::unique_ptr<ZipFile> {
        if (error)
            *error = why;
        return nullptr;
    };
    auto impl = std::make_unique<Impl>();
    impl->fd.fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (impl->fd.fd < 0)
        return failed("cannot open " + file.string() + ": " + std::strerror(errno));
    struct stat st
    {
    };
    if (::fstat(impl->fd.fd, &st) != 0 || !S_ISREG(st.st_mode))
        return failed(file.string() + " is not a regular file");
    impl->fileSize = static_cast<std::uint64_t>(st.st_size);
    const int fd = impl->fd.fd;

    EndRecord end;
    if (!findEnd(fd, impl->fileSize, &end, error))
        return nullptr;
    impl->zip64 = end.zip64;
    impl->comment = std::move(end.comment);

    // Python reads the central directory that ends where the end records start, and shifts
    // every offset by the bytes found before it (data prepended to the archive).
    if (end.cdSize > end.cdEnd)
        return failed("the zip central directory claims " + std::to_string(end.cdSize) +
                      " bytes, more than the file holds before its end record (truncated or "
                      "corrupt file)");
    if (end.cdSize > limits.maxCentralDirectoryBytes)
        return failed("the zip central directory is " + std::to_string(end.cdSize) +
                      " bytes, more than the limit of " +
                      std::to_string(limits.maxCentralDirectoryBytes));
    if (end.count > limits.maxEntries)
        return failed("the zip archive declares " + std::to_string(end.count) +
                      " entries, more than the limit of " + std::to_string(limits.maxEntries));
    const std::uint64_t cdStart = end.cdEnd - end.cdSize;
    if (end.cdOffset > cdStart)
        return failed("the zip central directory is not where the end record says (offset " +
                      std::to_string(end.cdOffset) + ", found at most at " +
                      std::to_string(cdStart) + "): the file is truncated or corrupt");
    const std::uint64_t concat = cdStart - end.cdOffset;
    impl->cdStart = cdStart;

    std::string cd(static_cast<std::size_t>(end.cdSize), '\0');
    if (!readAt(fd, cdStart, cd.data(), cd.size()))
        return failed("cannot read the zip central directory");
    const auto *c = reinterpret_cast<const unsigned char *>(cd.data());
    std::size_t p = 0;
    // Python iterates over the central directory's bytes, not over the declared count (some
    // writers wrap the 16-bit count past 65,535 entries); the count only bounds the reservation.
    impl->members.reserve(
        static_cast<std::size_t>(std::min<std::uint64_t>(end.count, end.cdSize / kCentralSize)));
    while (p < cd.size()) {
        if (impl->members.size() >= limits.maxEntries)
            return failed("the zip archive has more than " + std::to_string(limits.maxEntries) +
                          " entries, the limit");
        const std::string where =
            "zip central directory entry " + std::to_string(impl->members.size() + 1);
        if (cd.size() - p < kCentralSize)
            return failed("truncated " + where + " (truncated or corrupt file)");
        const unsigned char *h = c + p;
        if (std::memcmp(h, "PK\x01\x02", 4) != 0)
            return failed("bad signature in " + where + " (truncated or corrupt file)");
        ZipMember m;
        m.versionMadeBy = static_cast<std::uint16_t>(le(h + 4, 2));
        m.flags = static_cast<std::uint16_t>(le(h + 8, 2));
        m.method = static_cast<std::uint16_t>(le(h + 10, 2));
        m.crc32 = static_cast<std::uint32_t>(le(h + 16, 4));
        m.compressedSize = le(h + 20, 4);
        m.size = le(h + 24, 4);
        const std::size_t nameLen = le(h + 28, 2), extraLen = le(h + 30, 2),
                          commentLen = le(h + 32, 2);
        const auto diskStart = le(h + 34, 2);
        m.externalAttributes = static_cast<std::uint32_t>(le(h + 38, 4));
        m.localHeaderOffset = le(h + 42, 4);
        if (cd.size() - p - kCentralSize < nameLen + extraLen + commentLen)
            return failed(where + " runs past the end of the central directory (truncated or "
                                  "corrupt file)");
        if (nameLen > limits.maxNameBytes)
            return failed(where + " has a name of " + std::to_string(nameLen) +
                          " bytes, longer than the limit of " +
                          std::to_string(limits.maxNameBytes));
        m.rawName.assign(cd, p + kCentralSize, nameLen);
        // Extra fields: 4-byte headers; the ZIP64 one (id 1) holds the 64-bit values of the
        // fields that are 0xffffffff, in order (as Python's ZipInfo._decodeExtra reads it).
        const unsigned char *x = h + kCentralSize + nameLen;
        std::size_t left = extraLen;
        bool seen64 = false;
        while (left >= 4) {
            const std::size_t id = le(x, 2), len = le(x + 2, 2);
            if (len + 4 > left)
                return failed(where + " (" + m.rawName + ") has a corrupt extra field");
            if (id == 1 && !seen64) {
                seen64 = true;
                const unsigned char *f = x + 4;
                std::size_t fl = len;
                for (std::uint64_t *field : {&m.size, &m.compressedSize, &m.localHeaderOffset}) {
                    if (*field != 0xffffffffu)
                        continue;
                    if (fl < 8)
                        return failed(where + " (" + m.rawName +
                                      ") has a corrupt ZIP64 extra field");
                    *field = le(f, 8);
                    f += 8;
                    fl -= 8;
                    m.zip64 = true;
                }
            }
            x += 4 + len;
            left -= 4 + len;
        }
        if (diskStart != 0 && diskStart != 0xffff)
            return failed("zip archives spanning several disks are not supported");
        if (m.flags & 0x800) {
            if (!isValidUtf8(m.rawName))
                return failed(where + " is marked UTF-8 but its name is not valid UTF-8");
            m.name = m.rawName;
        } else {
            m.name = cp437ToUtf8(m.rawName);
        }
        m.isDirectory = !m.name.empty() && m.name.back() == '/';
        m.isSymlink =
            (m.versionMadeBy >> 8) == 3 && ((m.externalAttributes >> 16) & 0170000) == 0120000;
        m.encrypted = (m.flags & 1) != 0;
        // Where the entry lies: its local header, then at least its name and data, all before
        // the central directory.
        if (m.localHeaderOffset > cdStart - concat || m.compressedSize > impl->fileSize)
            return failed("zip entry \"" + m.name +
                          "\" lies outside the file (truncated or "
                          "corrupt file)");
        m.localHeaderOffset += concat;
        if (cdStart - m.localHeaderOffset < kLocalSize + nameLen ||
            cdStart - m.localHeaderOffset - kLocalSize - nameLen < m.compressedSize)
            return failed("zip entry \"" + m.name +
                          "\" runs past the start of the central "
                          "directory (truncated or corrupt file)");
        if (impl->total + m.size < impl->total)
            return failed("the zip archive declares more data than can be counted");
        impl->total += m.size;
        impl->members.push_back(std::move(m));
        p += kCentralSize + nameLen + extraLen + commentLen;
    }
    if (impl->total > limits.maxTotalUncompressed)
        return failed("the zip archive declares " + std::to_string(impl->total) +
                      " bytes of content, more than the limit of " +
                      std::to_string(limits.maxTotalUncompressed));

    // No two entries may share bytes (overlapping entries are how the densest zip bombs are
    // built): sorted by offset, each entry's header, name and data end before the next starts.
    const std::size_t n = impl->members.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return impl->members[a].localHeaderOffset < impl->members[b].localHeaderOffset;
    });
    impl->limits.assign(n, cdStart);
    for (std::size_t k = 0; k + 1 < n; ++k) {
        const ZipMember &a = impl->members[order[k]], &b = impl->members[order[k + 1]];
        const std::uint64_t aEnd =
            a.localHeaderOffset + kLocalSize + a.rawName.size() + a.compressedSize;
        if (aEnd > b.localHeaderOffset)
            return failed("zip entries \"" + a.name + "\" and \"" + b.name +
                          "\" overlap (a malformed archive or a zip bomb)");
        impl->limits[order[k]] = b.localHeaderOffset;
    }
    for (std::size_t i = 0; i < n; ++i)
        impl->byName[impl->members[i].name] = i; // the last one wins, as in zipfile
    return std::unique_ptr<ZipFile>(new ZipFile(std::move(impl)));
}

const std::vector<ZipMember> &ZipFile::members() const
{
    return m_impl->members;
}

const ZipMember *ZipFile::find(std::string_view name) const
{
    const auto it = m_impl->byName.find(name);
    return it == m_impl->byName.end() ? nullptr : &m_impl->members[it->second];
}

const std::string &ZipFile::comment() const
{
    return m_impl->comment;
}

bool ZipFile::isZip64() const
{
    return m_impl->zip64;
}

std::uint64_t ZipFile::totalUncompressed() const
{
    return m_impl->total;
}

std::uint64_t ZipFile::fileSize() const
{
    return m_impl->fileSize;
}

std::optional<std::uint64_t> ZipFile::dataOffset(const ZipMember &m, std::string *error) const
{
    auto failed = [&](const std::string &why) -> std::optional<std::uint64_t> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    const auto index = m_impl->indexOf(m);
    if (!index)
        return failed("not a member of this archive");
    const std::uint64_t limit = m_impl->limits[*index];
    unsigned char h[kLocalSize];
    if (!readAt(m_impl->fd.fd, m.localHeaderOffset, h, sizeof h) ||
        std::memcmp(h, "PK\x03\x04", 4) != 0)
        return failed("bad local header for zip entry \"" + m.name + "\" (corrupt file)");
    const std::size_t nameLen = le(h + 26, 2), extraLen = le(h + 28, 2);
    if (nameLen != m.rawName.size())
        return failed("zip entry \"" + m.name +
                      "\": the names in its local header and in the directory differ");
    std::string name(nameLen, '\0');
    if (!readAt(m_impl->fd.fd, m.localHeaderOffset + kLocalSize, name.data(), nameLen) ||
        name != m.rawName)
        return failed("zip entry \"" + m.name +
                      "\": the names in its local header and in the directory differ");
    const std::uint64_t data = m.localHeaderOffset + kLocalSize + nameLen + extraLen;
    if (data > limit || limit - data < m.compressedSize)
        return failed("zip entry \"" + m.name +
                      "\" overlaps the next entry or the central directory (corrupt file)");
    return data;
}

bool ZipFile::read(const ZipMember &m, const ZipSink &sink, std::string *error) const
{
    auto failed = [&](const std::string &why) {
        if (error)
            *error = why;
        return false;
    };
    if (m.encrypted)
        return failed("zip entry \"" + m.name + "\" is encrypted, which is not supported");
    if (m.method != 0 && m.method != 8)
        return failed("zip entry \"" + m.name + "\" uses compression method " +
                      std::to_string(m.method) + "; only stored (0) and deflate (8) are supported");
    if (m.method == 0 && m.compressedSize != m.size)
        return failed("zip entry \"" + m.name + "\" is stored but its sizes differ (corrupt file)");
    const auto start = dataOffset(m, error);
    if (!start)
        return false;
    const int fd = m_impl->fd.fd;
    std::vector<char> in(kChunk);
    uLong crc = ::crc32(0L, Z_NULL, 0);
    std::uint64_t consumed = 0, produced = 0;
    const std::string tooBig = "zip entry \"" + m.name + "\" holds more data than the " +
                               std::to_string(m.size) +
                               " bytes its directory declares (corrupt file or zip bomb)";

    if (m.method == 0) {
        while (consumed < m.compressedSize) {
            const auto want = static_cast<std::size_t>(
                std::min<std::uint64_t>(in.size(), m.compressedSize - consumed));
            if (!readAt(fd, *start + consumed, in.data(), want))
                return failed("cannot read zip entry \"" + m.name + "\" (truncated file?)");
            consumed += want;
            crc = ::crc32_z(crc, reinterpret_cast<const Bytef *>(in.data()), want);
            if (!sink(in.data(), want))
                return failed("stopped");
        }
        produced = consumed;
    } else {
        z_stream zs{};
        if (inflateInit2(&zs, -MAX_WBITS) != Z_OK)
            return failed("cannot initialise zlib");
        struct End
        {
            z_stream *zs;
            ~End() { inflateEnd(zs); }
        } guard{&zs};
        std::vector<char> out(kChunk);
        int rc = Z_OK;
        while (rc != Z_STREAM_END) {
            if (zs.avail_in == 0) {
                if (consumed == m.compressedSize)
                    return failed("the compressed data of zip entry \"" + m.name +
                                  "\" ends early (truncated or corrupt file)");
                const auto want = static_cast<std::size_t>(
                    std::min<std::uint64_t>(in.size(), m.compressedSize - consumed));
                if (!readAt(fd, *start + consumed, in.data(), want))
                    return failed("cannot read zip entry \"" + m.name + "\" (truncated file?)");
                consumed += want;
                zs.next_in = reinterpret_cast<Bytef *>(in.data());
                zs.avail_in = static_cast<uInt>(want);
            }
            zs.next_out = reinterpret_cast<Bytef *>(out.data());
            zs.avail_out = static_cast<uInt>(out.size());
            rc = inflate(&zs, Z_NO_FLUSH);
            if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
                return failed("corrupt compressed data in zip entry \"" + m.name + "\"" +
                              (zs.msg ? std::string(": ") + zs.msg : std::string()));
            const std::size_t got = out.size() - zs.avail_out;
            if (rc == Z_BUF_ERROR && got == 0 && zs.avail_in != 0)
                return failed("corrupt compressed data in zip entry \"" + m.name + "\"");
            if (got > m.size - produced)
                return failed(tooBig);
            produced += got;
            if (got) {
                crc = ::crc32_z(crc, reinterpret_cast<const Bytef *>(out.data()), got);
                if (!sink(out.data(), got))
                    return failed("stopped");
            }
        }
    }
    if (produced != m.size)
        return failed("zip entry \"" + m.name + "\" holds " + std::to_string(produced) +
                      " bytes, not the " + std::to_string(m.size) +
                      " its directory declares (truncated or corrupt file)");
    if (static_cast<std::uint32_t>(crc) != m.crc32)
        return failed("zip entry \"" + m.name + "\" fails its CRC-32 check (corrupt file)");
    return true;
}

std::optional<std::string> ZipFile::readAll(const ZipMember &m, std::uint64_t maxBytes,
                                            std::string *error) const
{
    if (m.size > maxBytes) {
        if (error)
            *error = "zip entry \"" + m.name + "\" is larger than " + std::to_string(maxBytes) +
                     " bytes";
        return std::nullopt;
    }
    std::string out;
    out.reserve(static_cast<std::size_t>(m.size));
    if (!read(
            m,
            [&](const char *d, std::size_t n) {
                out.append(d, n);
                return true;
            },
            error))
        return std::nullopt;
    return out;
}

std::optional<std::string> safeMemberPath(std::string_view name, std::string *reason)
{
    auto refused = [&](const char *why) -> std::optional<std::string> {
        if (reason)
            *reason = why;
        return std::nullopt;
    };
    if (name.find('\0') != std::string_view::npos)
        return refused("contains a NUL character");
    if (!name.empty() && (name.front() == '/' || name.front() == '\\'))
        return refused("has an absolute path");
    if (name.size() >= 2 && name[1] == ':' &&
        ((name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z')))
        return refused("has an absolute path (drive letter)");
    std::string out;
    std::size_t i = 0;
    while (i <= name.size()) {
        const std::size_t slash = std::min(name.find('/', i), name.size());
        const std::string_view part = name.substr(i, slash - i);
        if (part == "..")
            return refused("contains directory traversal (..)");
        if (!part.empty() && part != ".") {
            if (!out.empty())
                out.push_back('/');
            out.append(part);
        }
        i = slash + 1;
    }
    return out;
}

std::string readZipComment(const std::filesystem::path &file)
{
    const Fd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
    struct stat st
    {
    };
    if (fd.fd < 0 || ::fstat(fd.fd, &st) != 0)
        return {};
    EndRecord end;
    if (!findEnd(fd.fd, static_cast<std::uint64_t>(st.st_size), &end, nullptr))
        return {};
    return end.comment;
}

bool isZipFile(const std::filesystem::path &file)
{
    const Fd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
    struct stat st
    {
    };
    if (fd.fd < 0 || ::fstat(fd.fd, &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    EndRecord end;
    return findEnd(fd.fd, static_cast<std::uint64_t>(st.st_size), &end, nullptr);
}

} // namespace hubcap::archive
