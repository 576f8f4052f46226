#include "core/fetch/extract.h"

#include "core/archive/ziparchive.h"
#include "core/archive/zipreader.h"
#include "core/util/format.h"

#include <QDir>
#include <QFile>
#include <QStorageInfo>
#include <QThread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <unordered_set>

namespace hubcap {

namespace {

Error unsafe(const QString &name, const QString &why)
{
    return Error::make(
        Error::Code::Integrity,
        QObject::tr("Refusing to extract the archive: entry \"%1\" %2. Nothing was extracted; the "
                    "archive is malformed or malicious (zip slip).")
            .arg(name, why));
}

Error corrupt(const std::string &why)
{
    return Error::make(Error::Code::Integrity,
                       QObject::tr("The downloaded archive is not a valid zip file, or is "
                                   "corrupt; try again."),
                       QString::fromStdString(why));
}

QString errnoText(int err)
{
    return QString::fromLocal8Bit(std::strerror(err));
}

Error writeError(const QString &target, int err, quint64 needed)
{
    if (err == ENOSPC || err == EDQUOT)
        return Error::make(Error::Code::Io,
                           QObject::tr("No space left on the device while writing %1 (the "
                                       "repository needs %2 in all). Free some space (e.g. "
                                       "`hubcap-cli cache rm`) and try again.")
                               .arg(target, humanSize(qint64(needed))));
    return Error::make(Error::Code::Io,
                       QObject::tr("Cannot write %1: %2").arg(target, errnoText(err)));
}

bool writeAll(int fd, const char *data, std::size_t n, int *err)
{
    while (n > 0) {
        const ssize_t w = ::write(fd, data, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            *err = w < 0 ? errno : ENOSPC;
            return false;
        }
        data += w;
        n -= std::size_t(w);
    }
    return true;
}

} // namespace

QString unsafeEntryReason(const QString &name)
{
    std::string reason;
    if (archive::safeMemberPath(name.toStdString(), &reason))
        return {};
    return QString::fromStdString(reason);
}

QStringList rawZipEntryNames(const QString &zipPath)
{
    const auto zip = archive::ZipFile::open(QFile::encodeName(zipPath).toStdString(), nullptr);
    QStringList names;
    if (zip)
        for (const archive::ZipMember &m : zip->members())
            names << QString::fromStdString(m.name);
    return names;
}

Result<ExtractResult> extractZipSafely(const QString &zipPath, const QString &destDir,
                                       const ExtractOptions &options)
{
    auto isCancelled = [&] { return options.cancelled && options.cancelled(); };

    std::string openError;
    const auto zip = archive::ZipFile::open(QFile::encodeName(zipPath).toStdString(), &openError);
    if (!zip)
        return std::unexpected(corrupt(openError));

    // 1. Every name, method and size is checked before anything is written.
    const std::vector<archive::ZipMember> &members = zip->members();
    std::vector<std::string> targets;
    targets.reserve(members.size());
    for (const archive::ZipMember &m : members) {
        std::string reason;
        auto rel = archive::safeMemberPath(m.name, &reason);
        if (!rel)
            return std::unexpected(
                unsafe(QString::fromStdString(m.name), QString::fromStdString(reason)));
        if (rel->empty() && !m.isDirectory)
            return std::unexpected(
                unsafe(QString::fromStdString(m.name), QObject::tr("has no file name")));
        if (!m.isDirectory && (m.encrypted || (m.method != 0 && m.method != 8)))
            return std::unexpected(
                corrupt("zip entry \"" + m.name + "\" is " +
                        (m.encrypted ? std::string("encrypted")
                                     : "compressed with method " + std::to_string(m.method)) +
                        "; only unencrypted stored and deflated entries are supported"));
        targets.push_back(std::move(*rel));
    }

    // 2. Room for it: the declared total (capped by the reader), plus a margin.
    const QString root = QDir(destDir).absolutePath();
    const quint64 total = zip->totalUncompressed();
    const QStorageInfo storage(root);
    if (storage.isValid() && storage.bytesAvailable() >= 0 &&
        quint64(storage.bytesAvailable()) < total + 1024 * 1024)
        return fail(
            Error::Code::Io,
            QObject::tr(
                "Not enough free space in %1: the repository needs %2, %3 are free. Free some "
                "space (e.g. `hubcap-cli cache rm`) and try again.")
                .arg(root, humanSize(qint64(total)), humanSize(storage.bytesAvailable())));

    // torch.hub takes infolist()[0].filename as the folder the archive extracts to.
    ExtractResult result;
    if (!targets.empty() && members.front().name.find('/') != std::string::npos)
        result.topFolder = QString::fromStdString(targets.front()).section(u'/', 0, 0);
    else {
        QStringList tops;
        for (const std::string &t : targets)
            if (!t.empty() && !tops.contains(QString::fromStdString(t.substr(0, t.find('/')))))
                tops << QString::fromStdString(t.substr(0, t.find('/')));
        if (tops.size() == 1)
            result.topFolder = tops.first();
    }

    // 3. Extract, in archive order (as zipfile.extractall). Only regular files and folders are
    // created (a symlink entry's data, its target text, becomes a regular file, as zipfile
    // writes it), never through a symlink, with 0666/0777 & ~umask like Python.
    const std::string base = QFile::encodeName(root).toStdString();
    std::unordered_set<std::string> made; // folders known to exist (relative)
    auto makeDirs = [&](const std::string &rel) -> Result<void> {
        // mkdir -p of rel, component by component, refusing anything that is not a folder.
        std::size_t pos = 0;
        while (pos <= rel.size()) {
            const std::size_t slash = std::min(rel.find('/', pos), rel.size());
            const std::string prefix = rel.substr(0, slash);
            pos = slash + 1;
            if (prefix.empty() || made.contains(prefix))
                continue;
            const std::string full = base + '/' + prefix;
            if (::mkdir(full.c_str(), 0777) != 0) {
                const int err = errno;
                struct stat st
                {
                };
                if (err != EEXIST || ::lstat(full.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
                    return fail(Error::Code::Io,
                                QObject::tr("Cannot create the folder %1: %2")
                                    .arg(QFile::decodeName(full.c_str()),
                                         err == EEXIST ? QObject::tr("a file of that name exists")
                                                       : errnoText(err)));
            }
            made.insert(prefix);
        }
        return {};
    };

    qint64 written = 0;
    for (std::size_t i = 0; i < members.size(); ++i) {
        if (isCancelled())
            return fail(Error::Code::Cancelled, QObject::tr("Cancelled."));
        const archive::ZipMember &m = members[i];
        const std::string &rel = targets[i];
        if (m.isDirectory) {
            if (auto r = makeDirs(rel); !r)
                return std::unexpected(r.error());
            continue;
        }
        if (const auto slash = rel.rfind('/'); slash != std::string::npos)
            if (auto r = makeDirs(rel.substr(0, slash)); !r)
                return std::unexpected(r.error());
        const std::string full = base + '/' + rel;
        const QString target = QFile::decodeName(full.c_str());
        // A later entry of the same name replaces the earlier file (zipfile does the same). It
        // is unlinked and created anew rather than truncated: ext4 flushes a truncated-then-
        // rewritten file on close (auto_da_alloc). O_EXCL: never write through a symlink.
        constexpr int kFlags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
        int fd = ::open(full.c_str(), kFlags, 0666);
        if (fd < 0 && errno == EEXIST && ::unlink(full.c_str()) == 0)
            fd = ::open(full.c_str(), kFlags, 0666);
        if (fd < 0)
            return std::unexpected(writeError(target, errno, total));
        int werr = 0;
        std::string readError;
        const bool ok = zip->read(
            m,
            [&](const char *data, std::size_t n) {
                if (!writeAll(fd, data, n, &werr))
                    return false;
                written += qint64(n);
                if (options.progress)
                    options.progress(written, qint64(total));
                return !isCancelled();
            },
            &readError);
        if (::close(fd) != 0 && ok && werr == 0)
            werr = errno;
        if (werr != 0)
            return std::unexpected(writeError(target, werr, total));
        if (!ok) {
            if (isCancelled())
                return fail(Error::Code::Cancelled, QObject::tr("Cancelled."));
            return std::unexpected(corrupt(readError));
        }
        ++result.files;
        if (options.delayPerFileMs > 0)
            QThread::msleep(options.delayPerFileMs);
    }
    // The reader stops every entry at its declared size; the sum is checked once more.
    if (quint64(written) > total)
        return std::unexpected(corrupt("the archive produced more bytes than it declares"));
    result.bytes = written;
    return result;
}

} // namespace hubcap
