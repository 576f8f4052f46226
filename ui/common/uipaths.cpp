#include "uipaths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace hubcap::ui {

QString demoRepoDir(const QProcessEnvironment &env, const QString &appDir)
{
    const QString overrideDir = env.value(QStringLiteral("HUBCAP_DEMO_DIR"));
    if (!overrideDir.isEmpty())
        return QFileInfo(overrideDir).absoluteFilePath();
    const QString dir = appDir.isEmpty() && QCoreApplication::instance()
                            ? QCoreApplication::applicationDirPath()
                            : appDir;
    const QStringList candidates = {
        QDir(dir).absoluteFilePath(QStringLiteral("../share/hubcap/demo-hub")),
        QStringLiteral(HUBCAP_UI_SOURCE_DIR "/resources/demo-hub"),
    };
    for (const QString &c : candidates)
        if (QFileInfo(c + QStringLiteral("/hubconf.py")).isFile())
            return QDir::cleanPath(c);
    return {};
}

} // namespace hubcap::ui
