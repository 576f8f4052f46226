#include "app/cli/argparser.h"

namespace hubcap::cli {

ArgParser &ArgParser::flag(const QString &name)
{
    m_flags.insert(name);
    return *this;
}

ArgParser &ArgParser::option(const QString &name)
{
    m_options.insert(name);
    return *this;
}

bool ArgParser::parse(const QStringList &args)
{
    bool optionsEnded = false;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        if (optionsEnded || !a.startsWith(QStringLiteral("--")) || a == u"--") {
            if (a == u"--" && !optionsEnded) {
                optionsEnded = true;
                continue;
            }
            m_positional << a;
            continue;
        }
        const qsizetype eq = a.indexOf(u'=');
        const QString name = eq < 0 ? a : a.left(eq);
        if (m_flags.contains(name)) {
            if (eq >= 0) {
                m_error = QStringLiteral("%1 takes no value").arg(name);
                return false;
            }
            m_setFlags.insert(name);
        } else if (m_options.contains(name)) {
            if (eq >= 0) {
                m_values.insert(name, a.mid(eq + 1));
            } else if (i + 1 < args.size()) {
                m_values.insert(name, args[++i]);
            } else {
                m_error = QStringLiteral("%1 needs a value").arg(name);
                return false;
            }
        } else {
            m_error = QStringLiteral("unknown option %1").arg(name);
            return false;
        }
    }
    return true;
}

std::optional<QString> ArgParser::value(const QString &name) const
{
    const QStringList all = values(name);
    if (all.isEmpty())
        return std::nullopt;
    return all.last();
}

QStringList ArgParser::values(const QString &name) const
{
    QStringList out = m_values.values(name);
    std::reverse(out.begin(), out.end()); // QMultiMap returns the most recent first
    return out;
}

} // namespace hubcap::cli
