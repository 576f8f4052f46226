#pragma once

#include "core/error.h"

#include <QProcessEnvironment>
#include <QString>

namespace hubcap {

/// Where Hubcap's helper executables and data live, found relative to the running executable so
/// that a build tree, an installed tree (/usr) and a relocated tree (a `dpkg-deb -x` root) all
/// work:
///
///   build tree:      <build>/bin/hubcap-cli, <build>/bin/hubcap-pyhost, <src>/resources/demo-hub
///   installed tree:  <prefix>/bin/hubcap-cli, <prefix>/lib/hubcap/hubcap-pyhost,
///                    <prefix>/share/hubcap/demo-hub

/// The environment variable that overrides a helper's location: "hubcap-pyhost" gives
/// HUBCAP_PYHOST, "hubcap-torchhost" HUBCAP_TORCHHOST ("-" becomes "_", upper case).
QString helperEnvVar(const QString &name);

/// The absolute path of helper executable `name` (for example "hubcap-pyhost"), looked up in
/// this order: the environment override (helperEnvVar), `<appDir>/name`,
/// `<appDir>/../lib/hubcap/name`, and last the build tree's bin folder this code was built in.
/// `appDir` defaults to QCoreApplication::applicationDirPath() (needs a QCoreApplication).
Result<QString>
findHelper(const QString &name,
           const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
           const QString &appDir = {});

/// The absolute path of data folder `sub` (for example "demo-hub"), looked up in this order:
/// `$HUBCAP_DATA_DIR/sub`, `<appDir>/../share/hubcap/sub` (installed or relocated tree), and
/// `<source dir>/resources/sub` (running from a build tree of this source).
Result<QString>
findDataDir(const QString &sub,
            const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
            const QString &appDir = {});

} // namespace hubcap
