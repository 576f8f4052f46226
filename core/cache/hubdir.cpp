#include "core/cache/hubdir.h"

#include <QDir>

#include <pwd.h>
#include <sys/types.h>

namespace hubcap {

QString HubDirResolution::absolutePath() const
{
    return QDir::cleanPath(QDir::current().absoluteFilePath(path));
}

QString joinPath(const QString &a, const QString &b)
{
    if (b.startsWith(u'/') || a.isEmpty())
        return b;
    if (a.endsWith(u'/'))
        return a + b;
    return a + u'/' + b;
}

QString expandUser(const QString &path, const QProcessEnvironment &env)
{
    if (!path.startsWith(u'~'))
        return path;
    const qsizetype slash = path.indexOf(u'/');
    const QString user = path.mid(1, slash < 0 ? -1 : slash - 1);
    QString home;
    if (user.isEmpty()) {
        if (env.contains(QStringLiteral("HOME"))) {
            home = env.value(QStringLiteral("HOME"));
        } else if (const passwd *pw = getpwuid(getuid())) {
            home = QString::fromLocal8Bit(pw->pw_dir);
        }
    } else if (const passwd *pw = getpwnam(user.toLocal8Bit().constData())) {
        home = QString::fromLocal8Bit(pw->pw_dir);
    } else {
        return path; // Python leaves an unknown ~user untouched
    }
    if (home.isEmpty() && user.isEmpty() && !env.contains(QStringLiteral("HOME")))
        return path;
    // Python strips a trailing slash from home before appending the rest ("/" stays "/").
    while (home.size() > 1 && home.endsWith(u'/'))
        home.chop(1);
    const QString rest = slash < 0 ? QString() : path.mid(slash);
    if (home == u"/" && !rest.isEmpty())
        return rest;
    return home + rest;
}

HubDirResolution resolveHubDir(const std::optional<QString> &explicitDir,
                               const QProcessEnvironment &env)
{
    if (explicitDir)
        return {expandUser(*explicitDir, env), QStringLiteral("--hub-dir")};
    // torch: expanduser(getenv('TORCH_HOME', join(getenv('XDG_CACHE_HOME', '~/.cache'), 'torch')))
    if (env.contains(QStringLiteral("TORCH_HOME")))
        return {joinPath(expandUser(env.value(QStringLiteral("TORCH_HOME")), env),
                         QStringLiteral("hub")),
                QStringLiteral("TORCH_HOME")};
    if (env.contains(QStringLiteral("XDG_CACHE_HOME"))) {
        const QString torchHome =
            joinPath(env.value(QStringLiteral("XDG_CACHE_HOME")), QStringLiteral("torch"));
        return {joinPath(expandUser(torchHome, env), QStringLiteral("hub")),
                QStringLiteral("XDG_CACHE_HOME")};
    }
    return {joinPath(expandUser(QStringLiteral("~/.cache/torch"), env), QStringLiteral("hub")),
            QStringLiteral("default")};
}

} // namespace hubcap
