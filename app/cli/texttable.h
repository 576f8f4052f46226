#pragma once

#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace hubcap::cli {

/// An aligned plain-text table for human output: a header row, then rows; columns listed in
/// `rightAligned` (numbers, sizes) are right-aligned. Every line starts with `indent`.
class TextTable
{
public:
    explicit TextTable(QStringList header, QSet<int> rightAligned = {},
                       QString indent = QStringLiteral("  "))
        : m_header(std::move(header)), m_right(std::move(rightAligned)), m_indent(std::move(indent))
    {}
    void addRow(const QStringList &row) { m_rows << row; }
    bool isEmpty() const { return m_rows.isEmpty(); }
    QString toString() const;

private:
    QStringList m_header;
    QSet<int> m_right;
    QString m_indent;
    QList<QStringList> m_rows;
};

} // namespace hubcap::cli
