#include "core/archive/ziparchive.h"

// KZip first: the other KArchive headers do not include what they use.
#include <KZip>

#include <KArchiveDirectory>
#include <KArchiveFile>
#include <karchive_version.h>

#include <QIODevice>

#include <unordered_map>

namespace hubcap::archive {

struct ZipReader::Impl
{
    std::unique_ptr<KZip> zip;
    std::vector<ZipEntry> entries;
    std::unordered_map<std::string, std::size_t> index;
    std::unordered_map<std::string, const KArchiveFile *> files;

    void collect(const KArchiveDirectory *dir, const QString &prefix)
    {
        const QStringList names = dir->entries();
        for (const QString &name : names) {
            const KArchiveEntry *e = dir->entry(name);
            if (!e)
                continue;
            const QString path = prefix.isEmpty() ? name : prefix + QLatin1Char('/') + name;
            ZipEntry out;
            out.path = path.toStdString();
            out.permissions = e->permissions() & 07777;
            out.isSymlink = !e->symLinkTarget().isEmpty();
            out.symlinkTarget = e->symLinkTarget().toStdString();
            if (e->isDirectory()) {
                out.isDirectory = true;
                add(std::move(out));
                collect(static_cast<const KArchiveDirectory *>(e), path);
            } else {
                const auto *f = static_cast<const KArchiveFile *>(e);
                out.size = static_cast<std::uint64_t>(f->size());
                if (const auto *zf = dynamic_cast<const KZipFileEntry *>(f)) {
                    out.compressedSize = static_cast<std::uint64_t>(zf->compressedSize());
                    out.stored = zf->encoding() == 0;
                    out.dataOffset = static_cast<std::uint64_t>(zf->position());
                }
                files.emplace(out.path, f);
                add(std::move(out));
            }
        }
    }
    void add(ZipEntry e)
    {
        index.emplace(e.path, entries.size());
        entries.push_back(std::move(e));
    }
};

ZipReader::ZipReader(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
ZipReader::~ZipReader() = default;

std::unique_ptr<ZipReader> ZipReader::open(const std::filesystem::path &file, std::string *error)
{
    auto impl = std::make_unique<Impl>();
    impl->zip = std::make_unique<KZip>(QString::fromStdString(file.string()));
    if (!impl->zip->open(QIODevice::ReadOnly)) {
        if (error)
            *error = "not a readable zip archive: " + impl->zip->errorString().toStdString();
        return nullptr;
    }
    impl->collect(impl->zip->directory(), QString());
    return std::unique_ptr<ZipReader>(new ZipReader(std::move(impl)));
}

const std::vector<ZipEntry> &ZipReader::entries() const
{
    return m_impl->entries;
}

const ZipEntry *ZipReader::find(const std::string &path) const
{
    auto it = m_impl->index.find(path);
    return it == m_impl->index.end() ? nullptr : &m_impl->entries[it->second];
}

bool ZipReader::read(const std::string &path,
                     const std::function<bool(const char *, std::size_t)> &sink,
                     std::string *error) const
{
    auto it = m_impl->files.find(path);
    if (it == m_impl->files.end()) {
        if (error)
            *error = "no file named " + path + " in the archive";
        return false;
    }
    std::unique_ptr<QIODevice> dev(it->second->createDevice());
    if (!dev || !dev->isOpen()) {
        if (error)
            *error = "cannot read " + path + " from the archive";
        return false;
    }
    char buf[128 * 1024];
    std::uint64_t total = 0;
    for (;;) {
        const qint64 n = dev->read(buf, sizeof buf);
        if (n < 0) {
            if (error)
                *error = "corrupt data in " + path + ": " + dev->errorString().toStdString();
            return false;
        }
        if (n == 0)
            break;
        total += static_cast<std::uint64_t>(n);
        if (!sink(buf, static_cast<std::size_t>(n))) {
            if (error)
                *error = "stopped";
            return false;
        }
    }
    if (total != static_cast<std::uint64_t>(it->second->size())) {
        if (error)
            *error = "truncated data in " + path;
        return false;
    }
    return true;
}

std::optional<std::string> ZipReader::readAll(const std::string &path, std::uint64_t maxBytes,
                                              std::string *error) const
{
    const ZipEntry *e = find(path);
    if (!e || e->isDirectory) {
        if (error)
            *error = "no file named " + path + " in the archive";
        return std::nullopt;
    }
    if (e->size > maxBytes) {
        if (error)
            *error = path + " is larger than " + std::to_string(maxBytes) + " bytes";
        return std::nullopt;
    }
    std::string out;
    out.reserve(e->size);
    if (!read(
            path,
            [&](const char *d, std::size_t n) {
                out.append(d, n);
                return true;
            },
            error))
        return std::nullopt;
    return out;
}

std::string backendVersion()
{
    return std::string("KArchive ") + KARCHIVE_VERSION_STRING;
}

} // namespace hubcap::archive
