#include "core/archive/tararchive.h"

#include <KArchive>
#include <KArchiveDirectory>
#include <KArchiveFile>
#include <KTar>

#include <QDateTime>
#include <QFile>
#include <QIODevice>

#include <cstring>

#include <unordered_map>

namespace hubcap::archive {

namespace {

/// A write-only device that counts what it is given and keeps nothing.
class CountingDevice : public QIODevice
{
public:
    qint64 count = 0;

protected:
    qint64 readData(char *, qint64) override { return -1; }
    qint64 writeData(const char *, qint64 len) override
    {
        count += len;
        return len;
    }
};

constexpr std::size_t kChunk = 1024 * 1024;

} // namespace

struct TarWriter::Impl
{
    std::unique_ptr<QIODevice> dev;
    CountingDevice *counter = nullptr; // == dev when counting
    QFile *file = nullptr;             // == dev when writing a file
    std::unique_ptr<KTar> tar;
    std::vector<char> buf;

    std::uint64_t pos() const
    {
        return counter ? static_cast<std::uint64_t>(counter->count)
                       : static_cast<std::uint64_t>(file->pos());
    }
};

TarWriter::TarWriter(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
TarWriter::~TarWriter()
{
    if (m_impl->tar && m_impl->tar->isOpen())
        m_impl->tar->close();
}

std::unique_ptr<TarWriter> TarWriter::create(const std::filesystem::path &file, std::string *error)
{
    auto impl = std::make_unique<Impl>();
    auto *f = new QFile(QString::fromStdString(file.string()));
    impl->dev.reset(f);
    impl->file = f;
    if (!f->open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered)) {
        if (error)
            *error = "cannot create " + file.string() + ": " + f->errorString().toStdString();
        return nullptr;
    }
    impl->tar = std::make_unique<KTar>(f);
    if (!impl->tar->open(QIODevice::WriteOnly)) {
        if (error)
            *error = "cannot write a tar archive to " + file.string() + ": " +
                     impl->tar->errorString().toStdString();
        return nullptr;
    }
    impl->buf.resize(kChunk);
    return std::unique_ptr<TarWriter>(new TarWriter(std::move(impl)));
}

std::unique_ptr<TarWriter> TarWriter::createCounting()
{
    auto impl = std::make_unique<Impl>();
    auto *c = new CountingDevice;
    impl->dev.reset(c);
    impl->counter = c;
    c->open(QIODevice::WriteOnly | QIODevice::Unbuffered);
    impl->tar = std::make_unique<KTar>(c);
    impl->tar->open(QIODevice::WriteOnly);
    impl->buf.assign(kChunk, '\0');
    return std::unique_ptr<TarWriter>(new TarWriter(std::move(impl)));
}

bool TarWriter::addFile(const std::string &path, std::uint64_t size, unsigned permissions,
                        std::int64_t mtimeSecs,
                        const std::function<std::int64_t(char *, std::size_t)> &source,
                        std::string *error)
{
    KTar &tar = *m_impl->tar;
    const QDateTime mtime = QDateTime::fromSecsSinceEpoch(mtimeSecs, Qt::UTC);
    if (!tar.prepareWriting(QString::fromStdString(path), QStringLiteral("root"),
                            QStringLiteral("root"), static_cast<qint64>(size),
                            static_cast<mode_t>(0100000 | (permissions ? permissions : 0644)),
                            mtime, mtime, mtime)) {
        if (error)
            *error = "cannot write " + path + " to the archive: " + tar.errorString().toStdString();
        return false;
    }
    std::uint64_t left = size;
    char *buf = m_impl->buf.data();
    while (left > 0) {
        const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(left, kChunk));
        std::int64_t n = static_cast<std::int64_t>(want);
        if (source) {
            n = source(buf, want);
            if (n < 0) {
                if (error && error->empty())
                    *error = "cannot read " + path;
                return false;
            }
            if (n == 0) {
                if (error)
                    *error = path + " became shorter while it was being written";
                return false;
            }
        }
        if (!tar.writeData(buf, n)) {
            if (error)
                *error = "cannot write " + path +
                         " to the archive: " + m_impl->dev->errorString().toStdString();
            return false;
        }
        left -= static_cast<std::uint64_t>(n);
    }
    if (source) {
        char probe;
        if (source(&probe, 1) != 0) {
            if (error)
                *error = path + " became larger while it was being written";
            return false;
        }
    }
    if (!tar.finishWriting(static_cast<qint64>(size))) {
        if (error)
            *error = "cannot write " + path + " to the archive: " + tar.errorString().toStdString();
        return false;
    }
    return true;
}

bool TarWriter::addData(const std::string &path, const std::string &data, unsigned permissions,
                        std::int64_t mtimeSecs, std::string *error)
{
    std::size_t off = 0;
    return addFile(
        path, data.size(), permissions, mtimeSecs,
        [&](char *buf, std::size_t cap) -> std::int64_t {
            const std::size_t n = std::min(cap, data.size() - off);
            std::memcpy(buf, data.data() + off, n);
            off += n;
            return static_cast<std::int64_t>(n);
        },
        error);
}

bool TarWriter::finish(std::string *error)
{
    KTar &tar = *m_impl->tar;
    // KTar writes no end-of-archive marker; GNU tar and Python's tarfile expect two zero
    // blocks, so they are written here, on the same device.
    static const char zeros[1024] = {};
    if (m_impl->dev->write(zeros, sizeof zeros) != qint64(sizeof zeros)) {
        if (error)
            *error = "cannot write the archive: " + m_impl->dev->errorString().toStdString();
        return false;
    }
    if (!tar.close()) {
        if (error)
            *error = "cannot finish the archive: " + tar.errorString().toStdString();
        return false;
    }
    if (m_impl->file) {
        // KArchive::close() closed (and so flushed) the file.
        if (m_impl->file->error() != QFileDevice::NoError) {
            if (error)
                *error = "cannot write the archive: " + m_impl->file->errorString().toStdString();
            return false;
        }
    }
    return true;
}

std::uint64_t TarWriter::bytesWritten() const
{
    if (m_impl->counter)
        return static_cast<std::uint64_t>(m_impl->counter->count);
    return static_cast<std::uint64_t>(m_impl->file->size());
}

struct TarReader::Impl
{
    std::unique_ptr<KTar> tar;
    std::vector<TarEntry> entries;
    std::unordered_map<std::string, std::size_t> index;
    std::unordered_map<std::string, const KArchiveFile *> files;

    void collect(const KArchiveDirectory *dir, const QString &prefix, int depth)
    {
        if (depth > 256)
            return;
        const QStringList names = dir->entries();
        for (const QString &name : names) {
            const KArchiveEntry *e = dir->entry(name);
            if (!e)
                continue;
            const QString path = prefix.isEmpty() ? name : prefix + QLatin1Char('/') + name;
            TarEntry out;
            out.path = path.toStdString();
            out.permissions = e->permissions() & 07777;
            out.isSymlink = !e->symLinkTarget().isEmpty();
            if (e->isDirectory()) {
                out.isDirectory = true;
                add(std::move(out));
                collect(static_cast<const KArchiveDirectory *>(e), path, depth + 1);
            } else {
                const auto *f = static_cast<const KArchiveFile *>(e);
                out.size = static_cast<std::uint64_t>(std::max<qint64>(0, f->size()));
                if (!out.isSymlink)
                    files.emplace(out.path, f);
                add(std::move(out));
            }
        }
    }
    void add(TarEntry e)
    {
        index.emplace(e.path, entries.size());
        entries.push_back(std::move(e));
    }
};

TarReader::TarReader(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
TarReader::~TarReader() = default;

std::unique_ptr<TarReader> TarReader::open(const std::filesystem::path &file, std::string *error)
{
    auto impl = std::make_unique<Impl>();
    // The MIME type is given so that KTar never guesses a compression filter from the content.
    impl->tar = std::make_unique<KTar>(QString::fromStdString(file.string()),
                                       QStringLiteral("application/x-tar"));
    if (!impl->tar->open(QIODevice::ReadOnly)) {
        if (error)
            *error = "not a readable tar archive: " + impl->tar->errorString().toStdString();
        return nullptr;
    }
    impl->collect(impl->tar->directory(), QString(), 0);
    return std::unique_ptr<TarReader>(new TarReader(std::move(impl)));
}

const std::vector<TarEntry> &TarReader::entries() const
{
    return m_impl->entries;
}

const TarEntry *TarReader::find(const std::string &path) const
{
    auto it = m_impl->index.find(path);
    return it == m_impl->index.end() ? nullptr : &m_impl->entries[it->second];
}

bool TarReader::read(const std::string &path,
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
    std::vector<char> buf(kChunk);
    std::uint64_t total = 0;
    for (;;) {
        const qint64 n = dev->read(buf.data(), static_cast<qint64>(buf.size()));
        if (n < 0) {
            if (error)
                *error = "cannot read " + path + ": " + dev->errorString().toStdString();
            return false;
        }
        if (n == 0)
            break;
        total += static_cast<std::uint64_t>(n);
        if (!sink(buf.data(), static_cast<std::size_t>(n))) {
            if (error && error->empty())
                *error = "stopped";
            return false;
        }
    }
    if (total != static_cast<std::uint64_t>(it->second->size())) {
        if (error)
            *error = "the archive ends in the middle of " + path + " (" + std::to_string(total) +
                     " of " + std::to_string(it->second->size()) + " bytes)";
        return false;
    }
    return true;
}

std::optional<std::string> TarReader::readAll(const std::string &path, std::uint64_t maxBytes,
                                              std::string *error) const
{
    const TarEntry *e = find(path);
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

} // namespace hubcap::archive
