#pragma once

#include <QString>

namespace hubcap {

/// What `hubcap-cli --version` and the GUI's About dialog print: Hubcap's version and git commit,
/// the Qt and KArchive versions in use, and the libtorch, Python and torch versions the hosts are
/// built against (recorded at configure time: the core links neither libtorch nor libpython).
/// `program` names the first line ("hubcap-cli 0.1.0 (git abc123)").
QString versionReport(const QString &program);

} // namespace hubcap
