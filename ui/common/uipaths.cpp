#include "ui/common/uipaths.h"

#include "core/util/paths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace hubcap::ui {

QString demoRepoDir(const QProcessEnvironment &env, const QString &appDir)
{
    const QString overrideDir = env.value(QStringLiteral("HUBCAP_DEMO_DIR"));
    if (!overrideDir.isEmpty())
        return QFileInfo(overrideDir).absoluteFilePath();
    // $HUBCAP_DATA_DIR/demo-hub, <appDir>/../share/hubcap/demo-hub, then the source tree.
    const auto found = findDataDir(QStringLiteral("demo-hub"), env, appDir);
    if (found && QFileInfo(*found + QStringLiteral("/hubconf.py")).isFile())
        return QDir::cleanPath(*found);
    return {};
}

} // namespace hubcap::ui
