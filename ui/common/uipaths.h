#pragma once

#include <QProcessEnvironment>
#include <QString>

namespace hubcap::ui {

/// The bundled demo repository (resources/demo-hub): $HUBCAP_DEMO_DIR when set, else
/// `$HUBCAP_DATA_DIR/demo-hub`, `<appDir>/../share/hubcap/demo-hub` (installed), else the source
/// tree this was built from (core's findDataDir).
/// Returns an empty string when none of them exists.
QString demoRepoDir(const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
                    const QString &appDir = {});

} // namespace hubcap::ui
