#pragma once

// Small readers for the host protocol's JSON (protocol/*.cpp only). Every reader is tolerant:
// a missing key or a value of the wrong type gives the default, never an exception, so a newer
// host that adds keys or an older one that lacks some never breaks a client.

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <optional>

namespace hubcap::protocol::json {

inline QString str(const QJsonObject &o, QLatin1StringView key)
{
    return o.value(key).toString();
}
inline qint64 int64(const QJsonObject &o, QLatin1StringView key, qint64 def = 0)
{
    const QJsonValue v = o.value(key);
    return v.isDouble() ? v.toInteger(qint64(v.toDouble())) : def;
}
inline double number(const QJsonObject &o, QLatin1StringView key, double def = 0)
{
    return o.value(key).toDouble(def);
}
inline bool boolean(const QJsonObject &o, QLatin1StringView key, bool def = false)
{
    return o.value(key).toBool(def);
}
/// A string that may be absent or null (both give nullopt).
inline std::optional<QString> optStr(const QJsonObject &o, QLatin1StringView key)
{
    const QJsonValue v = o.value(key);
    if (v.isString())
        return v.toString();
    return std::nullopt;
}
inline std::optional<double> optNumber(const QJsonObject &o, QLatin1StringView key)
{
    const QJsonValue v = o.value(key);
    if (v.isDouble())
        return v.toDouble();
    return std::nullopt;
}
/// Strings of an array; objects count by their "name" (older hosts listed {"name": ...}).
inline QStringList strings(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &x : v.toArray())
        out << (x.isString() ? x.toString()
                             : x.toObject().value(QLatin1StringView("name")).toString());
    return out;
}
inline std::optional<QStringList> optStrings(const QJsonObject &o, QLatin1StringView key)
{
    const QJsonValue v = o.value(key);
    if (!v.isArray())
        return std::nullopt;
    return strings(v);
}
inline QJsonArray array(const QStringList &l)
{
    return QJsonArray::fromStringList(l);
}
inline QList<qint64> ints(const QJsonValue &v)
{
    QList<qint64> out;
    for (const QJsonValue &x : v.toArray())
        out << x.toInteger();
    return out;
}
inline QJsonArray array(const QList<qint64> &l)
{
    QJsonArray a;
    for (qint64 x : l)
        a.append(x);
    return a;
}

} // namespace hubcap::protocol::json
