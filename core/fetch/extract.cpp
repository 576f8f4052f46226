#include "core/fetch/extract.h"

#include "core/archive/ziparchive.h"
#include "core/util/format.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStorageInfo>
#include <QThread>

#include <cstring>

namespace hubcap {

namespace {

quint32 le32(const unsigned char *p)
{
    return quint32(p[0]) | quint32(p[1]) << 8 | quint32(p[2]) << 16 | quint32(p[3]) << 24;
}
quint16 le16(const unsigned char *p)
{
    return quint16(p[0] | p[1] << 8);
}

Error unsafe(const QString &name, const QString &why)
{
    return Error::make(
        Error::Code::Integrity,
        QObject::tr("Refusing to extract the archive: entry \"%1\" %2. Nothing was extracted; the "
                    "archive is malformed or malicious (zip slip).")
            .arg(name, why));
}

} // namespace

QString unsafeEntryReason(const QString &name)
{
    if (name.startsWith(u'/') || name.startsWith(u'\\'))
        return QObject::tr("has an absolute path");
    if (name.size() >= 2 && name.at(1) == u':' && name.at(0).isLetter())
        return QObject::tr("has an absolute path (drive letter)");
    const QStringList parts = QString(name).replace(u'\\', u'/').split(u'/');
    for (const QString &p : parts)
        if (p == u"..")
            return QObject::tr("contains directory traversal (..)");
    if (name.contains(QChar(0)))
        return QObject::tr("contains a NUL character");
    return {};
}

QStringList rawZipEntryNames(const QString &zipPath)
{
    QFile f(zipPath);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const qint64 size = f.size();
    const qint64 tailSize = std::min<qint64>(size, 22 + 65535);
    f.seek(size - tailSize);
    const QByteArray tail = f.read(tailSize);
    const auto *t = reinterpret_cast<const unsigned char *>(tail.constData());
    qint64 eocd = -1;
    for (qint64 i = tail.size() - 22; i >= 0; --i) {
        if (t[i] == 'P' && t[i + 1] == 'K' && t[i + 2] == 5 && t[i + 3] == 6) {
            eocd = i;
            break;
        }
    }
    if (eocd < 0)
        return {};
    const quint16 count = le16(t + eocd + 10);
    const quint32 cdSize = le32(t + eocd + 12);
    const quint32 cdOffset = le32(t + eocd + 16);
    if (count == 0xFFFF || cdOffset == 0xFFFFFFFFu || qint64(cdOffset) + cdSize > size)
        return {};
    f.seek(cdOffset);
    const QByteArray cd = f.read(cdSize);
    const auto *c = reinterpret_cast<const unsigned char *>(cd.constData());
    QStringList names;
    qint64 pos = 0;
    for (int i = 0; i < count; ++i) {
        if (pos + 46 > cd.size() || std::memcmp(c + pos, "PK\1\2", 4) != 0)
            break;
        const quint16 nameLen = le16(c + pos + 28), extraLen = le16(c + pos + 30),
                      commentLen = le16(c + pos + 32);
        if (pos + 46 + nameLen > cd.size())
            break;
        names << QString::fromUtf8(cd.mid(pos + 46, nameLen));
        pos += 46 + nameLen + extraLen + commentLen;
    }
    return names;
}

Result<ExtractResult> extractZipSafely(const QString &zipPath, const QString &destDir,
                                       const ExtractOptions &options)
{
    auto isCancelled = [&] { return options.cancelled && options.cancelled(); };

    // 1. The names exactly as stored (KArchive normalises some of them away).
    const QStringList raw = rawZipEntryNames(zipPath);
    for (const QString &name : raw)
        if (const QString why = unsafeEntryReason(name); !why.isEmpty())
            return std::unexpected(unsafe(name, why));

    std::string openError;
    auto zip = archive::ZipReader::open(zipPath.toStdString(), &openError);
    if (!zip)
        return fail(Error::Code::Integrity,
                    QObject::tr("The downloaded archive is not a valid zip file; try again."),
                    QString::fromStdString(openError));

    // 2. KArchive's view: the same checks, plus the resolved path must stay inside destDir.
    const QString root = QDir(destDir).absolutePath();
    const QString rootPrefix = root + u'/';
    quint64 total = 0;
    QStringList tops;
    for (const archive::ZipEntry &e : zip->entries()) {
        const QString name = QString::fromStdString(e.path);
        if (const QString why = unsafeEntryReason(name); !why.isEmpty())
            return std::unexpected(unsafe(name, why));
        const QString target = QDir::cleanPath(rootPrefix + name);
        if (!target.startsWith(rootPrefix))
            return std::unexpected(unsafe(name, QObject::tr("escapes the target folder")));
        total += e.size;
        const QString top = name.section(u'/', 0, 0);
        if (!tops.contains(top))
            tops << top;
    }

    // 3. Room for it.
    const QStorageInfo storage(root);
    if (storage.isValid() && storage.bytesAvailable() >= 0 &&
        quint64(storage.bytesAvailable()) < total + 1024 * 1024)
        return fail(
            Error::Code::Io,
            QObject::tr(
                "Not enough free space in %1: the repository needs %2, %3 are free. Free some "
                "space (e.g. `hubcap-cli cache rm`) and try again.")
                .arg(root, humanSize(qint64(total)), humanSize(storage.bytesAvailable())));

    ExtractResult result;
    if (!raw.isEmpty() && raw.first().contains(u'/'))
        result.topFolder = raw.first().section(u'/', 0, 0); // torch.hub: infolist()[0]
    else if (tops.size() == 1)
        result.topFolder = tops.first();

    // 4. Extract. Folders first come for free (mkpath of each file's parent).
    qint64 written = 0;
    for (const archive::ZipEntry &e : zip->entries()) {
        if (isCancelled())
            return fail(Error::Code::Cancelled, QObject::tr("Cancelled."));
        const QString name = QString::fromStdString(e.path);
        const QString target = QDir::cleanPath(rootPrefix + name);
        if (e.isDirectory) {
            if (!QDir().mkpath(target))
                return fail(Error::Code::Io,
                            QObject::tr("Cannot create the folder %1.").arg(target));
            continue;
        }
        if (!QDir().mkpath(QFileInfo(target).absolutePath()))
            return fail(
                Error::Code::Io,
                QObject::tr("Cannot create the folder %1.").arg(QFileInfo(target).absolutePath()));
        // A symlink or anything else already at the path is never followed: the tree is fresh,
        // and we only ever create regular files and folders in it.
        if (QFileInfo(target).isSymLink() || QFileInfo::exists(target))
            QFile::remove(target);
        QFile out(target);
        if (!out.open(QIODevice::WriteOnly | QIODevice::NewOnly))
            return fail(Error::Code::Io,
                        QObject::tr("Cannot write %1: %2").arg(target, out.errorString()));
        std::string readError;
        bool writeOk = true;
        const bool ok = zip->read(
            e.path,
            [&](const char *data, std::size_t n) {
                if (out.write(data, qint64(n)) != qint64(n)) {
                    writeOk = false;
                    return false;
                }
                written += qint64(n);
                if (options.progress)
                    options.progress(written, qint64(total));
                return !isCancelled();
            },
            &readError);
        if (!ok && e.isSymlink && readError.find("no file named") != std::string::npos) {
            // A symlink KArchive exposes without data: write its target text, as zipfile does.
            out.write(e.symlinkTarget.data(), qint64(e.symlinkTarget.size()));
        } else if (!ok) {
            if (isCancelled())
                return fail(Error::Code::Cancelled, QObject::tr("Cancelled."));
            if (!writeOk)
                return fail(Error::Code::Io,
                            QObject::tr("Cannot write %1: %2").arg(target, out.errorString()));
            return fail(Error::Code::Integrity,
                        QObject::tr("The archive is corrupt; try downloading it again."),
                        QString::fromStdString(readError));
        }
        out.close();
        ++result.files;
        if (options.delayPerFileMs > 0)
            QThread::msleep(options.delayPerFileMs);
    }
    result.bytes = written;
    return result;
}

} // namespace hubcap
