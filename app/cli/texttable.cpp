#include "app/cli/texttable.h"

namespace hubcap::cli {

QString TextTable::toString() const
{
    QList<qsizetype> width(m_header.size(), 0);
    auto measure = [&width](const QStringList &row) {
        for (qsizetype i = 0; i < row.size() && i < width.size(); ++i)
            width[i] = std::max(width[i], row[i].size());
    };
    measure(m_header);
    for (const auto &r : m_rows)
        measure(r);
    auto line = [&](const QStringList &row) {
        QString out = m_indent;
        for (qsizetype i = 0; i < width.size(); ++i) {
            const QString cell = i < row.size() ? row[i] : QString();
            const bool last = i + 1 == width.size();
            if (m_right.contains(int(i)))
                out += cell.rightJustified(width[i]);
            else
                out += last ? cell : cell.leftJustified(width[i]);
            if (!last)
                out += QStringLiteral("  ");
        }
        while (out.endsWith(u' '))
            out.chop(1);
        return out + u'\n';
    };
    QString text = line(m_header);
    for (const auto &r : m_rows)
        text += line(r);
    return text;
}

} // namespace hubcap::cli
