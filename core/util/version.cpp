#include "core/util/version.h"

#include "core/archive/ziparchive.h"
#include "hubcap_buildinfo.h"

namespace hubcap {

QString versionReport(const QString &program)
{
    return QStringLiteral("%1 %2 (git %3)\nQt %4, %5\n"
                          "Hosts built against: libtorch %6, Python %7, torch %8\n")
        .arg(program, QStringLiteral(HUBCAP_VERSION), QStringLiteral(HUBCAP_GIT_COMMIT),
             QString::fromLatin1(qVersion()), QString::fromStdString(archive::backendVersion()),
             QStringLiteral(HUBCAP_BUILT_LIBTORCH_VERSION),
             QStringLiteral(HUBCAP_BUILT_PYTHON_VERSION),
             QStringLiteral(HUBCAP_BUILT_TORCH_VERSION));
}

} // namespace hubcap
