#pragma once

#include <QMap>
#include <QSet>
#include <QStringList>

#include <optional>

namespace hubcap::cli {

/// A small parser for one command's arguments: flags (no value), options (a value, given as
/// "--opt value" or "--opt=value", repeatable), and positionals. "--" ends the options.
class ArgParser
{
public:
    ArgParser &flag(const QString &name);
    ArgParser &option(const QString &name);

    /// Parses `args`; on an unknown option or a missing value returns false and sets error().
    bool parse(const QStringList &args);
    QString error() const { return m_error; }

    bool isSet(const QString &name) const
    {
        return m_setFlags.contains(name) || m_values.contains(name);
    }
    std::optional<QString> value(const QString &name) const;
    QStringList values(const QString &name) const;
    const QStringList &positional() const { return m_positional; }

private:
    QSet<QString> m_flags, m_options, m_setFlags;
    QMultiMap<QString, QString> m_values;
    QStringList m_positional;
    QString m_error;
};

} // namespace hubcap::cli
