#include "core/util/paths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStringList>

namespace hubcap {

namespace {

QString applicationDir(const QString &appDir)
{
    if (!appDir.isEmpty())
        return appDir;
    if (QCoreApplication::instance())
        return QCoreApplication::applicationDirPath();
    return QDir::currentPath();
}

bool isExecutableFile(const QString &path)
{
    const QFileInfo info(path);
    return info.isFile() && info.isExecutable();
}

QString clean(const QString &path)
{
    return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}

// The build-tree fallbacks apply only to programs that run from inside the build tree this code
// was compiled in, so an installed or unpacked copy never silently uses a developer's tree.
bool runsFromBuildTree([[maybe_unused]] const QString &dir)
{
#ifdef HUBCAP_BUILD_DIR
    const QString build = QDir::cleanPath(QStringLiteral(HUBCAP_BUILD_DIR));
    const QString here = clean(dir);
    return here == build || here.startsWith(build + u'/');
#else
    return false;
#endif
}

} // namespace

QString helperEnvVar(const QString &name)
{
    QString base = name;
    if (base.startsWith(QStringLiteral("hubcap-")))
        base = base.mid(7);
    base.replace(u'-', u'_');
    return QStringLiteral("HUBCAP_") + base.toUpper();
}

Result<QString> findHelper(const QString &name, const QProcessEnvironment &env,
                           const QString &appDir)
{
    const QString var = helperEnvVar(name);
    const QString overridden = env.value(var);
    if (!overridden.isEmpty()) {
        if (isExecutableFile(overridden))
            return clean(overridden);
        return fail(Error::Code::NotFound,
                    QStringLiteral("%1 is set to '%2', which is not an executable file. Point it "
                                   "at a built %3 or unset it.")
                        .arg(var, overridden, name));
    }
    const QString dir = applicationDir(appDir);
    QStringList candidates{dir + u'/' + name, dir + QStringLiteral("/../lib/hubcap/") + name};
#ifdef HUBCAP_BUILD_DIR
    // Test executables live in <build>/tests, beside neither layout.
    if (runsFromBuildTree(dir))
        candidates << QStringLiteral(HUBCAP_BUILD_DIR "/bin/") + name;
#endif
    for (const QString &candidate : candidates) {
        if (isExecutableFile(candidate))
            return clean(candidate);
    }
    QStringList shown;
    for (const QString &c : candidates)
        shown << QDir::cleanPath(c);
    return fail(Error::Code::NotFound,
                QStringLiteral("Cannot find the helper program %1. Reinstall Hubcap, build the "
                               "%1 target, or set %2 to its path.")
                    .arg(name, var),
                QStringLiteral("Looked in: %1").arg(shown.join(QStringLiteral(", "))));
}

Result<QString> findDataDir(const QString &sub, const QProcessEnvironment &env,
                            const QString &appDir)
{
    QStringList candidates;
    const QString overridden = env.value(QStringLiteral("HUBCAP_DATA_DIR"));
    if (!overridden.isEmpty())
        candidates << overridden + u'/' + sub;
    const QString dir = applicationDir(appDir);
    candidates << dir + QStringLiteral("/../share/hubcap/") + sub;
#ifdef HUBCAP_SOURCE_DIR
    if (runsFromBuildTree(dir))
        candidates << QStringLiteral(HUBCAP_SOURCE_DIR "/resources/") + sub;
#endif
    for (const QString &candidate : candidates) {
        if (QFileInfo(candidate).isDir())
            return clean(candidate);
    }
    QStringList shown;
    for (const QString &c : candidates)
        shown << QDir::cleanPath(c);
    return fail(Error::Code::NotFound,
                QStringLiteral("Cannot find Hubcap's data folder '%1'. Reinstall Hubcap or set "
                               "HUBCAP_DATA_DIR to the folder that holds it.")
                    .arg(sub),
                QStringLiteral("Looked in: %1").arg(shown.join(QStringLiteral(", "))));
}

} // namespace hubcap
