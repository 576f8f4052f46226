#pragma once

#include <QString>

namespace hubcap::ui {

/// "1 item" / "3 items". Hubcap ships no translation files, so Qt's %n plurals would read
/// "1 item(s)"; the English forms are chosen here instead.
inline QString countOf(qsizetype n, const QString &one, const QString &many)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
}

} // namespace hubcap::ui
