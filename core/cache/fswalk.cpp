#include "core/cache/fswalk.h"

#include <algorithm>
#include <limits>

#include <QFile>
#include <QStringList>

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

namespace hubcap::fs {

namespace {

QDateTime mtimeOf(const struct stat &st)
{
    return QDateTime::fromMSecsSinceEpoch(qint64(st.st_mtim.tv_sec) * 1000 +
                                          st.st_mtim.tv_nsec / 1000000);
}

// Closes a DIR* (which owns its fd) on scope exit.
struct DirCloser
{
    DIR *d = nullptr;
    ~DirCloser()
    {
        if (d)
            closedir(d);
    }
};

// Reads the names of an open directory fd (consumed: the DIR owns it).
QList<QByteArray> readNames(int fd, int *error)
{
    QList<QByteArray> names;
    DirCloser dir{fdopendir(fd)};
    if (!dir.d) {
        if (error)
            *error = errno;
        ::close(fd);
        return names;
    }
    errno = 0;
    while (dirent *e = readdir(dir.d)) {
        if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0)
            continue;
        names << QByteArray(e->d_name);
    }
    if (errno != 0 && error)
        *error = errno;
    return names;
}

qint64 mtimeMsOf(const struct stat &st)
{
    return qint64(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
}

// Per entry this does one fstatat and integer arithmetic only: child paths are built only for a
// problem or a sub-folder, and the newest mtime is kept in milliseconds and turned into a
// QDateTime (a time-zone conversion) once, by measureTree().
void measureAt(int dirFd, const QString &path, TreeStats &stats,
               const std::function<bool()> &cancelled, const ProblemSink &problem, qint64 &counter,
               qint64 &newestMs)
{
    int err = 0;
    const int fd = openat(dirFd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        problem(path, errorText(errno));
        return;
    }
    const QList<QByteArray> names = readNames(fd, &err);
    if (err != 0)
        problem(path, errorText(err));
    for (const QByteArray &name : names) {
        if ((++counter & 255) == 0 && cancelled && cancelled()) {
            stats.cancelled = true;
            return;
        }
        struct stat st;
        auto child = [&] { return path + u'/' + QFile::decodeName(name); };
        if (fstatat(dirFd, name.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
            problem(child(), errorText(errno));
            continue;
        }
        newestMs = std::max(newestMs, mtimeMsOf(st));
        if (S_ISDIR(st.st_mode)) {
            const int sub =
                openat(dirFd, name.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub < 0) {
                problem(child(), errorText(errno));
                continue;
            }
            measureAt(sub, child(), stats, cancelled, problem, counter, newestMs);
            ::close(sub);
            if (stats.cancelled)
                return;
        } else {
            stats.bytes += st.st_size;
            ++stats.files;
        }
    }
}

bool removeAt(int parentFd, const QByteArray &name, const QString &path, RemoveResult &result,
              const std::function<bool()> &cancelled)
{
    if (cancelled && cancelled()) {
        result.cancelled = true;
        return false;
    }
    struct stat st;
    if (fstatat(parentFd, name.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT)
            return true;
        result.failures.append({path, errorText(errno)});
        return false;
    }
    if (!S_ISDIR(st.st_mode)) {
        if (unlinkat(parentFd, name.constData(), 0) != 0) {
            result.failures.append({path, errorText(errno)});
            return false;
        }
        result.freedBytes += st.st_size;
        return true;
    }
    const int fd =
        openat(parentFd, name.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        result.failures.append({path, errorText(errno)});
        return false;
    }
    bool allRemoved = true;
    {
        int err = 0;
        const int listFd = dup(fd);
        const QList<QByteArray> names = listFd >= 0 ? readNames(listFd, &err) : QList<QByteArray>();
        if (listFd < 0 || err != 0) {
            result.failures.append({path, errorText(listFd < 0 ? errno : err)});
            allRemoved = false;
        }
        for (const QByteArray &child : names) {
            if (!removeAt(fd, child, path + u'/' + QFile::decodeName(child), result, cancelled))
                allRemoved = false;
            if (result.cancelled)
                break;
        }
    }
    ::close(fd);
    if (!allRemoved || result.cancelled)
        return false; // the reason is already reported for the child that stayed
    if (unlinkat(parentFd, name.constData(), AT_REMOVEDIR) != 0) {
        result.failures.append({path, errorText(errno)});
        return false;
    }
    return true;
}

} // namespace

QString errorText(int err)
{
    return QString::fromLocal8Bit(std::strerror(err));
}

Entry lstatPath(const QString &path)
{
    Entry e;
    struct stat st;
    if (lstat(QFile::encodeName(path).constData(), &st) != 0) {
        e.error = errno;
        return e;
    }
    e.exists = true;
    e.isDir = S_ISDIR(st.st_mode);
    e.isSymlink = S_ISLNK(st.st_mode);
    e.isFile = S_ISREG(st.st_mode);
    e.size = st.st_size;
    e.modified = mtimeOf(st);
    return e;
}

TreeStats measureTree(const QString &path, const std::function<bool()> &cancelled,
                      const ProblemSink &problem)
{
    TreeStats stats;
    const int fd =
        open(QFile::encodeName(path).constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        problem(path, errorText(errno));
        return stats;
    }
    qint64 counter = 0;
    qint64 newestMs = std::numeric_limits<qint64>::min();
    measureAt(fd, path, stats, cancelled, problem, counter, newestMs);
    ::close(fd);
    if (newestMs != std::numeric_limits<qint64>::min())
        stats.newest = QDateTime::fromMSecsSinceEpoch(newestMs);
    return stats;
}

QStringList listDir(const QString &path, int *error)
{
    if (error)
        *error = 0;
    const int fd =
        open(QFile::encodeName(path).constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (error)
            *error = errno;
        return {};
    }
    QStringList out;
    for (const QByteArray &n : readNames(fd, error))
        out << QFile::decodeName(n);
    std::sort(out.begin(), out.end());
    return out;
}

RemoveResult removeBelow(const QString &root, const QString &relPath,
                         const std::function<bool()> &cancelled)
{
    RemoveResult result;
    const QStringList parts = relPath.split(u'/', Qt::SkipEmptyParts);
    const QString target = root + u'/' + parts.join(u'/');
    if (parts.isEmpty() || parts.contains(QStringLiteral("..")) ||
        parts.contains(QStringLiteral("."))) {
        result.failures.append(
            {target, QStringLiteral("refusing a path that is not strictly inside the hub dir")});
        return result;
    }
    // The hub dir itself may sit below a symlink (the user's choice); nothing below it may.
    int fd = open(QFile::encodeName(root).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        result.failures.append({target, errorText(errno)});
        return result;
    }
    for (qsizetype i = 0; i + 1 < parts.size(); ++i) {
        const int next = openat(fd, QFile::encodeName(parts[i]).constData(),
                                O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        const int err = errno;
        ::close(fd);
        if (next < 0) {
            if (err == ENOENT) {
                result.removed = true; // already gone
                return result;
            }
            result.failures.append(
                {target, err == ELOOP || err == ENOTDIR
                             ? QStringLiteral("refusing: %1 is a symlink or not a folder (it could "
                                              "lead outside the hub dir)")
                                   .arg(parts.mid(0, i + 1).join(u'/'))
                             : errorText(err)});
            return result;
        }
        fd = next;
    }
    result.removed = removeAt(fd, QFile::encodeName(parts.last()), target, result, cancelled);
    ::close(fd);
    return result;
}

} // namespace hubcap::fs
