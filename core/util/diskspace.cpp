#include "core/util/diskspace.h"

#include "core/util/format.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStorageInfo>

#include <cerrno>

namespace hubcap {

namespace {

QString nearestExisting(const QString &path)
{
    QString p = QFileInfo(path).absoluteFilePath();
    while (!p.isEmpty() && !QFileInfo::exists(p)) {
        const QString parent = QFileInfo(p).absolutePath();
        if (parent == p)
            break;
        p = parent;
    }
    return p;
}

} // namespace

qint64 availableBytes(const QString &path)
{
    QStorageInfo info(nearestExisting(path));
    return info.isValid() ? info.bytesAvailable() : -1;
}

QString mountPointOf(const QString &path)
{
    QStorageInfo info(nearestExisting(path));
    return info.isValid() ? info.rootPath() : QString();
}

Error noSpaceError(const QString &path, const QString &what, qint64 needed, qint64 available,
                   const QString &todo)
{
    const QString mount = mountPointOf(path);
    QString message =
        needed >= 0
            ? QCoreApplication::translate("hubcap",
                                          "No space left on the device for %1: it needs %2")
                  .arg(what, humanSize(needed))
            : QCoreApplication::translate("hubcap", "No space left on the device for %1").arg(what);
    if (available >= 0)
        message += QCoreApplication::translate("hubcap", ", and only %1 is free")
                       .arg(humanSize(available));
    message += QCoreApplication::translate("hubcap", " on %1 (writing %2).")
                   .arg(mount.isEmpty() ? QDir::toNativeSeparators(path) : mount,
                        QDir::toNativeSeparators(path));
    if (!todo.isEmpty())
        message += u' ' + todo;
    return Error::make(Error::Code::Io, message,
                       QStringLiteral("ENOSPC: needed %1 bytes, available %2 bytes, path %3")
                           .arg(needed)
                           .arg(available)
                           .arg(path));
}

bool isNoSpaceErrno(int errnoValue)
{
    return errnoValue == ENOSPC || errnoValue == EDQUOT;
}

} // namespace hubcap
