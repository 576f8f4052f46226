#pragma once

#include <QDateTime>
#include <QString>

#include <optional>

namespace hubcap {

/// "0 B", "812 B", "1.4 KiB", "23.0 MiB", "1.20 GiB": binary units, 3 significant digits.
QString humanSize(qint64 bytes);
/// "4G", "512M", "1.5GiB", "300000" (bytes), "0": binary multiples (K, M, G, T, with or without
/// "i"/"B"). nullopt for anything else.
std::optional<qint64> parseByteSize(const QString &text);
/// "3 s", "2 min 05 s", "1 h 02 min".
QString humanDuration(qint64 seconds);
/// ISO 8601 with offset, seconds precision ("2026-11-28T23:45:11+00:00").
QString isoTime(const QDateTime &t);

} // namespace hubcap
