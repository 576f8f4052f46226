#include "core/inspect/torchzip.h"

#include <fstream>

namespace hubcap::inspect {

namespace {

std::uint64_t le(const std::string &b, std::size_t at, int n)
{
    std::uint64_t v = 0;
    for (int k = n; k-- > 0;)
        v = v << 8 | static_cast<unsigned char>(b[at + static_cast<std::size_t>(k)]);
    return v;
}

bool readAt(std::ifstream &in, std::uint64_t off, std::size_t n, std::string *out)
{
    out->assign(n, '\0');
    in.clear();
    in.seekg(static_cast<std::streamoff>(off));
    in.read(out->data(), static_cast<std::streamsize>(n));
    return static_cast<std::size_t>(in.gcount()) == n;
}

} // namespace

std::optional<std::vector<TorchZipEntry>> readZipDirectory(const std::filesystem::path &file,
                                                           std::string *error)
{
    auto failed = [&](const std::string &why) -> std::optional<std::vector<TorchZipEntry>> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return failed("cannot open the file");
    in.seekg(0, std::ios::end);
    const auto fileSize = static_cast<std::uint64_t>(in.tellg());
    const std::uint64_t tailSize = std::min<std::uint64_t>(fileSize, 22 + 65535);
    std::string tail;
    if (!readAt(in, fileSize - tailSize, static_cast<std::size_t>(tailSize), &tail) ||
        tailSize < 22)
        return failed("no zip end-of-central-directory record (truncated file?)");
    std::size_t eocd = std::string::npos;
    for (std::size_t i = tail.size() - 22 + 1; i-- > 0;) {
        if (tail.compare(i, 4, "PK\x05\x06") == 0 && i + 22 + le(tail, i + 20, 2) == tail.size()) {
            eocd = i;
            break;
        }
    }
    if (eocd == std::string::npos)
        return failed("no zip end-of-central-directory record (truncated file?)");
    const std::uint64_t eocdPos = fileSize - tailSize + eocd;
    std::uint64_t count = le(tail, eocd + 10, 2);
    std::uint64_t cdSize = le(tail, eocd + 12, 4);
    std::uint64_t cdOffset = le(tail, eocd + 16, 4);
    if (count == 0xffff || cdSize == 0xffffffff || cdOffset == 0xffffffff || eocdPos >= 20) {
        // ZIP64: a locator just before the end record points at the ZIP64 end record.
        std::string loc;
        if (eocdPos >= 20 && readAt(in, eocdPos - 20, 20, &loc) &&
            loc.compare(0, 4, "PK\x06\x07") == 0) {
            std::string rec;
            const std::uint64_t recPos = le(loc, 8, 8);
            if (recPos > fileSize || !readAt(in, recPos, 56, &rec) ||
                rec.compare(0, 4, "PK\x06\x06") != 0)
                return failed("corrupt ZIP64 end-of-central-directory record");
            count = le(rec, 32, 8);
            cdSize = le(rec, 40, 8);
            cdOffset = le(rec, 48, 8);
        }
    }
    if (cdOffset > fileSize || cdSize > fileSize - cdOffset)
        return failed("the zip central directory lies outside the file (truncated file?)");
    std::string cd;
    if (!readAt(in, cdOffset, static_cast<std::size_t>(cdSize), &cd))
        return failed("cannot read the zip central directory");
    std::vector<TorchZipEntry> entries;
    std::size_t p = 0;
    for (std::uint64_t k = 0; k < count; ++k) {
        if (p + 46 > cd.size() || cd.compare(p, 4, "PK\x01\x02") != 0)
            return failed("corrupt zip central directory entry");
        const auto method = le(cd, p + 10, 2);
        std::uint64_t csize = le(cd, p + 20, 4), usize = le(cd, p + 24, 4);
        const auto nameLen = le(cd, p + 28, 2), extraLen = le(cd, p + 30, 2),
                   commentLen = le(cd, p + 32, 2);
        std::uint64_t localOff = le(cd, p + 42, 4);
        if (p + 46 + nameLen + extraLen + commentLen > cd.size())
            return failed("corrupt zip central directory entry");
        TorchZipEntry e;
        e.path = cd.substr(p + 46, nameLen);
        // ZIP64 extra field: the 64-bit values of the fields that hold 0xffffffff, in order.
        std::size_t x = p + 46 + nameLen;
        const std::size_t xEnd = x + extraLen;
        while (x + 4 <= xEnd) {
            const auto id = le(cd, x, 2), len = le(cd, x + 2, 2);
            if (x + 4 + len > xEnd)
                break;
            if (id == 1) {
                std::size_t f = x + 4;
                auto next = [&](std::uint64_t &field) {
                    if (field == 0xffffffff && f + 8 <= x + 4 + len) {
                        field = le(cd, f, 8);
                        f += 8;
                    }
                };
                next(usize);
                next(csize);
                next(localOff);
            }
            x += 4 + len;
        }
        e.size = usize;
        e.compressedSize = csize;
        e.stored = method == 0;
        e.method = static_cast<unsigned>(method);
        e.isDirectory = !e.path.empty() && e.path.back() == '/';
        std::string local;
        if (localOff + 30 > fileSize || !readAt(in, localOff, 30, &local) ||
            local.compare(0, 4, "PK\x03\x04") != 0)
            return failed("corrupt zip local header for " + e.path);
        e.dataOffset = localOff + 30 + le(local, 26, 2) + le(local, 28, 2);
        if (e.dataOffset + csize > fileSize)
            return failed(e.path + " runs past the end of the file (truncated file?)");
        if (e.isDirectory)
            e.path.pop_back();
        entries.push_back(std::move(e));
        p += 46 + nameLen + extraLen + commentLen;
    }
    return entries;
}

} // namespace hubcap::inspect
