#include "core/fetch/dirswap.h"

#include <QDir>
#include <QFileInfo>
#include <QUuid>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>

namespace hubcap {

namespace {

QString errnoText(int err)
{
    return QString::fromLocal8Bit(std::strerror(err));
}

int rename2(const QString &from, const QString &to, unsigned flags)
{
    const QByteArray f = QFile::encodeName(from), t = QFile::encodeName(to);
    return ::renameat2(AT_FDCWD, f.constData(), AT_FDCWD, t.constData(), flags);
}

} // namespace

bool removeTree(const QString &path)
{
    const QFileInfo info(path);
    if (info.isSymLink())
        return QFile::remove(path);
    if (!info.exists())
        return true;
    // QDir::removeRecursively does not follow symlinks to folders (it removes the link).
    return QDir(path).removeRecursively();
}

Result<void> replaceDirectory(const QString &newDir, const QString &target, const QString &parkDir)
{
    if (!QFileInfo(target).exists() && !QFileInfo(target).isSymLink()) {
        if (rename2(newDir, target, RENAME_NOREPLACE) == 0)
            return {};
        if (errno != EINVAL && errno != ENOSYS)
            return fail(
                Error::Code::Io,
                QObject::tr("Cannot move the new tree to %1: %2").arg(target, errnoText(errno)));
        if (std::rename(QFile::encodeName(newDir).constData(),
                        QFile::encodeName(target).constData()) == 0)
            return {};
        return fail(
            Error::Code::Io,
            QObject::tr("Cannot move the new tree to %1: %2").arg(target, errnoText(errno)));
    }
    if (rename2(newDir, target, RENAME_EXCHANGE) == 0) {
        removeTree(newDir); // now the old tree; a leftover is only garbage in .hubcap/tmp
        return {};
    }
    if (errno != EINVAL && errno != ENOSYS)
        return fail(Error::Code::Io,
                    QObject::tr("Cannot replace %1: %2").arg(target, errnoText(errno)));
    // No exchange on this file system: park the old tree, move the new one in, undo on failure.
    const QString parked =
        parkDir + QStringLiteral("/old-") + QUuid::createUuid().toString(QUuid::Id128);
    if (std::rename(QFile::encodeName(target).constData(), QFile::encodeName(parked).constData()) !=
        0)
        return fail(Error::Code::Io,
                    QObject::tr("Cannot move the old %1 aside: %2").arg(target, errnoText(errno)));
    if (std::rename(QFile::encodeName(newDir).constData(), QFile::encodeName(target).constData()) !=
        0) {
        const int err = errno;
        std::rename(QFile::encodeName(parked).constData(), QFile::encodeName(target).constData());
        return fail(Error::Code::Io,
                    QObject::tr("Cannot move the new tree to %1: %2").arg(target, errnoText(err)));
    }
    removeTree(parked);
    return {};
}

} // namespace hubcap
