#include "ui/common/docrenderer.h"

#include <QRegularExpression>
#include <QStringList>

namespace hubcap::ui {

namespace {

int indentOf(const QString &line)
{
    int n = 0;
    while (n < line.size() && line.at(n) == u' ')
        ++n;
    return n;
}

bool isBlank(const QString &line)
{
    return line.trimmed().isEmpty();
}

const QStringList &sectionNames()
{
    static const QStringList names = {QStringLiteral("Args"),
                                      QStringLiteral("Arguments"),
                                      QStringLiteral("Parameters"),
                                      QStringLiteral("Params"),
                                      QStringLiteral("Returns"),
                                      QStringLiteral("Return"),
                                      QStringLiteral("Yields"),
                                      QStringLiteral("Raises"),
                                      QStringLiteral("Example"),
                                      QStringLiteral("Examples"),
                                      QStringLiteral("Note"),
                                      QStringLiteral("Notes"),
                                      QStringLiteral("Attributes"),
                                      QStringLiteral("Keyword Args"),
                                      QStringLiteral("Keyword Arguments"),
                                      QStringLiteral("See Also"),
                                      QStringLiteral("Usage"),
                                      QStringLiteral("Warning"),
                                      QStringLiteral("Warnings"),
                                      QStringLiteral("References")};
    return names;
}

bool isParamSection(const QString &name)
{
    static const QStringList params = {QStringLiteral("Args"),
                                       QStringLiteral("Arguments"),
                                       QStringLiteral("Parameters"),
                                       QStringLiteral("Params"),
                                       QStringLiteral("Attributes"),
                                       QStringLiteral("Keyword Args"),
                                       QStringLiteral("Keyword Arguments"),
                                       QStringLiteral("Raises")};
    return params.contains(name, Qt::CaseInsensitive);
}

// "name (type): description" (Google) or "name : type" (numpy) or "name: description".
const QRegularExpression &paramRe()
{
    static const QRegularExpression re(QStringLiteral(
        R"(^\s*(\*{0,2}[A-Za-z_][A-Za-z0-9_]*)(\s*)(\(([^)]*)\))?\s*:(?!:)\s*(.*)$)"));
    return re;
}

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

// Inline markup: ``code`` and `code` in monospace.
QString inlineMarkup(const QString &text)
{
    QString html = esc(text);
    static const QRegularExpression code(QStringLiteral("``?([^`]+)``?"));
    html.replace(code, QStringLiteral("<code>\\1</code>"));
    return html;
}

QString preBlock(const QStringList &lines)
{
    int common = 1 << 20;
    for (const QString &l : lines)
        if (!isBlank(l))
            common = std::min(common, indentOf(l));
    QStringList out;
    for (const QString &l : lines)
        out << esc(l.mid(std::min<int>(common, l.size())));
    while (!out.isEmpty() && out.last().trimmed().isEmpty())
        out.removeLast();
    return QStringLiteral("<pre style=\"white-space:pre-wrap\">%1</pre>").arg(out.join(u'\n'));
}

} // namespace

QString docstringToHtml(const QString &doc)
{
    if (doc.trimmed().isEmpty())
        return QStringLiteral("<p><i>No docstring.</i></p>");
    const QStringList lines = QString(doc).replace(u'\t', QStringLiteral("    ")).split(u'\n');

    QString html;
    QString section;        // current section name
    int sectionIndent = -1; // Google-style: the header's indent; body lines are deeper
    int i = 0;
    const int n = lines.size();
    while (i < n) {
        const QString line = lines.at(i);
        const QString trimmed = line.trimmed();
        if (trimmed.isEmpty()) {
            ++i;
            continue;
        }
        // A Google-style section ends at the first line not indented deeper than its header.
        if (sectionIndent >= 0 && indentOf(line) <= sectionIndent) {
            section.clear();
            sectionIndent = -1;
        }
        // ``` fenced code
        if (trimmed.startsWith(QStringLiteral("```"))) {
            QStringList block;
            ++i;
            while (i < n && !lines.at(i).trimmed().startsWith(QStringLiteral("```")))
                block << lines.at(i++);
            ++i;
            html += preBlock(block);
            continue;
        }
        // >>> doctest examples (until a blank line)
        if (trimmed.startsWith(QStringLiteral(">>>"))) {
            QStringList block;
            while (i < n && !isBlank(lines.at(i)))
                block << lines.at(i++);
            html += preBlock(block);
            continue;
        }
        // numpy-style header: "Parameters" followed by "----------"
        if (i + 1 < n && !trimmed.isEmpty() &&
            QRegularExpression(QStringLiteral(R"(^\s*-{3,}\s*$)"))
                .match(lines.at(i + 1))
                .hasMatch()) {
            section = trimmed;
            sectionIndent = -1;
            html += QStringLiteral("<h4>%1</h4>").arg(esc(trimmed));
            i += 2;
            continue;
        }
        // Google-style header: "Args:" alone on a line
        if (trimmed.endsWith(u':') &&
            sectionNames().contains(trimmed.chopped(1), Qt::CaseInsensitive)) {
            section = trimmed.chopped(1);
            sectionIndent = indentOf(line);
            html += QStringLiteral("<h4>%1</h4>").arg(esc(section));
            ++i;
            // Google sections are indented: strip and render their body.
            continue;
        }
        // Parameter list entries inside a parameter section.
        if (isParamSection(section)) {
            const auto m = paramRe().match(line);
            if (m.hasMatch()) {
                html += QStringLiteral("<dl>");
                while (i < n) {
                    const auto pm = paramRe().match(lines.at(i));
                    if (isBlank(lines.at(i)) || !pm.hasMatch())
                        break;
                    const int baseIndent = indentOf(lines.at(i));
                    QString name = pm.captured(1);
                    QString type = pm.captured(4);
                    QString rest = pm.captured(5).trimmed();
                    const bool numpyStyle = pm.captured(3).isEmpty() && !pm.captured(2).isEmpty();
                    QStringList desc;
                    ++i;
                    while (i < n && !isBlank(lines.at(i)) && indentOf(lines.at(i)) > baseIndent)
                        desc << lines.at(i++).trimmed();
                    QString head = QStringLiteral("<b>%1</b>").arg(esc(name));
                    if (!type.isEmpty())
                        head += QStringLiteral(" <i>(%1)</i>").arg(esc(type));
                    if (numpyStyle && !rest.isEmpty()) {
                        // numpy: "name : type" with the description below
                        head += QStringLiteral(" : <i>%1</i>").arg(esc(rest));
                        rest.clear();
                    }
                    QStringList all;
                    if (!rest.isEmpty())
                        all << rest;
                    all << desc;
                    html += QStringLiteral("<dt>%1</dt><dd>%2</dd>")
                                .arg(head, inlineMarkup(all.join(u' ')));
                    while (i < n && isBlank(lines.at(i)) && i + 1 < n &&
                           paramRe().match(lines.at(i + 1)).hasMatch() &&
                           indentOf(lines.at(i + 1)) == baseIndent)
                        ++i;
                }
                html += QStringLiteral("</dl>");
                continue;
            }
        }
        // Bullets
        if (trimmed.startsWith(QStringLiteral("- ")) || trimmed.startsWith(QStringLiteral("* "))) {
            html += QStringLiteral("<ul>");
            while (i < n && !isBlank(lines.at(i))) {
                QString item = lines.at(i).trimmed();
                if (item.startsWith(QStringLiteral("- ")) ||
                    item.startsWith(QStringLiteral("* "))) {
                    html += QStringLiteral("<li>%1").arg(inlineMarkup(item.mid(2)));
                } else {
                    html += u' ' + inlineMarkup(item);
                }
                ++i;
            }
            html += QStringLiteral("</ul>");
            continue;
        }
        // An indented block after a paragraph (outside Google sections) is code.
        const int indent = indentOf(line);
        if (indent >= 4 && (section.isEmpty() || section.startsWith(QStringLiteral("Example")) ||
                            section == QStringLiteral("Usage"))) {
            QStringList block;
            while (i < n && (isBlank(lines.at(i)) || indentOf(lines.at(i)) >= 4))
                block << lines.at(i++);
            html += preBlock(block);
            continue;
        }
        // A paragraph: consecutive non-blank lines at this indentation; a line ending with
        // "::" (reST) introduces a code block.
        QStringList para;
        while (i < n && !isBlank(lines.at(i)) &&
               !lines.at(i).trimmed().startsWith(QStringLiteral(">>>")) &&
               !lines.at(i).trimmed().startsWith(QStringLiteral("```")) &&
               (para.isEmpty() || indentOf(lines.at(i)) <= indent)) {
            para << lines.at(i++).trimmed();
            if (para.last().endsWith(QStringLiteral("::")))
                break;
        }
        QString text = para.join(u' ');
        const bool literal = text.endsWith(QStringLiteral("::"));
        if (literal)
            text.chop(1);
        html += QStringLiteral("<p>%1</p>").arg(inlineMarkup(text));
        if (literal) {
            QStringList block;
            while (i < n && isBlank(lines.at(i)))
                ++i;
            while (i < n && (isBlank(lines.at(i)) || indentOf(lines.at(i)) > indent))
                block << lines.at(i++);
            html += preBlock(block);
        }
    }
    return html;
}

} // namespace hubcap::ui
