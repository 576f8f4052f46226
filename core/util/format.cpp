#include "core/util/format.h"

#include <QRegularExpression>

namespace hubcap {

std::optional<qint64> parseByteSize(const QString &text)
{
    static const QRegularExpression rx(
        QStringLiteral("^\\s*(\\d+(?:\\.\\d+)?)\\s*([kKmMgGtT]?)(?:i?[bB])?\\s*$"));
    const auto m = rx.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const double number = m.captured(1).toDouble();
    int shift = 0;
    switch (m.captured(2).toLower().isEmpty() ? u' ' : m.captured(2).toLower().at(0).unicode()) {
    case u'k':
        shift = 10;
        break;
    case u'm':
        shift = 20;
        break;
    case u'g':
        shift = 30;
        break;
    case u't':
        shift = 40;
        break;
    default:
        break;
    }
    const double bytes = number * double(qint64(1) << shift);
    if (bytes > 9.0e18)
        return std::nullopt;
    return qint64(bytes);
}

QString humanSize(qint64 bytes)
{
    if (bytes < 0)
        return QStringLiteral("?");
    if (bytes < 1024)
        return QStringLiteral("%1 B").arg(bytes);
    static const char *units[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = double(bytes);
    int u = -1;
    while (v >= 1024.0 && u < 4) {
        v /= 1024.0;
        ++u;
    }
    const int decimals = v < 10 ? 2 : (v < 100 ? 1 : 0);
    return QStringLiteral("%1 %2").arg(v, 0, 'f', decimals).arg(QLatin1String(units[u]));
}

QString humanDuration(qint64 s)
{
    if (s < 0)
        return QStringLiteral("?");
    if (s < 60)
        return QStringLiteral("%1 s").arg(s);
    if (s < 3600)
        return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 h %2 min")
        .arg(s / 3600)
        .arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString isoTime(const QDateTime &t)
{
    if (!t.isValid())
        return {};
    return t.toOffsetFromUtc(t.offsetFromUtc()).toString(Qt::ISODate);
}

} // namespace hubcap
