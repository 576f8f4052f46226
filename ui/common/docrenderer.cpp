#include "ui/common/docrenderer.h"

#include <QObject>
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

// "http(s)://..." up to whitespace or markup; trailing sentence punctuation is not part of it.
const QRegularExpression &urlRe()
{
    static const QRegularExpression re(
        QStringLiteral(R"((https?://[^\s<>"'`]*[^\s<>"'`.,;:!?)\]}]))"));
    return re;
}

// Inline markup: ``code`` and `code` in monospace, URLs as links. URLs are found in the raw
// text (so an escaped "&lt;" never becomes part of one); everything is escaped.
QString inlineMarkup(const QString &text)
{
    static const QRegularExpression code(QStringLiteral("``?([^`]+)``?"));
    auto plain = [](const QString &t) {
        QString html = esc(t);
        html.replace(code, QStringLiteral("<code>\\1</code>"));
        return html;
    };
    QString html;
    qsizetype from = 0;
    auto it = urlRe().globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        html += plain(text.mid(from, m.capturedStart() - from));
        const QString url = esc(m.captured(1));
        html += QStringLiteral("<a href=\"%1\">%1</a>").arg(url);
        from = m.capturedEnd();
    }
    html += plain(text.mid(from));
    return html;
}

// reST field lists: ":param x: text", ":param int x: text", ":type x: int", ":returns: text",
// ":rtype: int", ":raises ValueError: text".
const QRegularExpression &fieldRe()
{
    static const QRegularExpression re(
        QStringLiteral(R"(^\s*:([A-Za-z]+)((?:\s+[^:\s]+)*)\s*:(?!:)\s*(.*)$)"));
    return re;
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
        // reST field list (":param x: ...", ":returns: ...") anywhere.
        if (fieldRe().match(line).hasMatch()) {
            html += QStringLiteral("<dl>");
            while (i < n) {
                const auto fm = fieldRe().match(lines.at(i));
                if (isBlank(lines.at(i)) || !fm.hasMatch())
                    break;
                const int baseIndent = indentOf(lines.at(i));
                const QString field = fm.captured(1).toLower();
                const QStringList args =
                    fm.captured(2).simplified().split(u' ', Qt::SkipEmptyParts);
                QStringList desc;
                if (!fm.captured(3).trimmed().isEmpty())
                    desc << fm.captured(3).trimmed();
                ++i;
                while (i < n && !isBlank(lines.at(i)) && indentOf(lines.at(i)) > baseIndent &&
                       !fieldRe().match(lines.at(i)).hasMatch())
                    desc << lines.at(i++).trimmed();
                QString head;
                if ((field == u"param" || field == u"parameter" || field == u"arg" ||
                     field == u"argument" || field == u"key" || field == u"keyword") &&
                    !args.isEmpty()) {
                    head = QStringLiteral("<b>%1</b>").arg(esc(args.last()));
                    if (args.size() > 1)
                        head += QStringLiteral(" <i>(%1)</i>")
                                    .arg(esc(args.mid(0, args.size() - 1).join(u' ')));
                } else if (field == u"type" && !args.isEmpty()) {
                    head = QStringLiteral("<b>%1</b> <i>%2</i>")
                               .arg(esc(args.last()), QObject::tr("type"));
                } else if (field == u"raises" || field == u"raise" || field == u"except" ||
                           field == u"exception") {
                    head = QStringLiteral("<i>%1</i> <b>%2</b>")
                               .arg(QObject::tr("Raises"), esc(args.join(u' ')));
                } else if (field == u"returns" || field == u"return") {
                    head = QStringLiteral("<i>%1</i>").arg(QObject::tr("Returns"));
                } else if (field == u"rtype") {
                    head = QStringLiteral("<i>%1</i>").arg(QObject::tr("Return type"));
                } else {
                    head = QStringLiteral("<i>%1</i>")
                               .arg(esc((fm.captured(1) + u' ' + args.join(u' ')).trimmed()));
                }
                html += QStringLiteral("<dt>%1</dt><dd>%2</dd>")
                            .arg(head, inlineMarkup(desc.join(u' ')));
            }
            html += QStringLiteral("</dl>");
            continue;
        }
        // Plain style (no "Args:" header): lines like "pretrained (bool): text" are parameters.
        if (!isParamSection(section)) {
            const auto pm = paramRe().match(line);
            if (pm.hasMatch() && !pm.captured(3).isEmpty()) {
                html += QStringLiteral("<dl>");
                while (i < n) {
                    const auto m = paramRe().match(lines.at(i));
                    if (isBlank(lines.at(i)) || !m.hasMatch() || m.captured(3).isEmpty())
                        break;
                    const int baseIndent = indentOf(lines.at(i));
                    QStringList desc;
                    if (!m.captured(5).trimmed().isEmpty())
                        desc << m.captured(5).trimmed();
                    ++i;
                    while (i < n && !isBlank(lines.at(i)) && indentOf(lines.at(i)) > baseIndent)
                        desc << lines.at(i++).trimmed();
                    html += QStringLiteral("<dt><b>%1</b> <i>(%2)</i></dt><dd>%3</dd>")
                                .arg(esc(m.captured(1)), esc(m.captured(4)),
                                     inlineMarkup(desc.join(u' ')));
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
        // A paragraph: consecutive non-blank lines at this indentation, with their line breaks
        // kept (docstrings are written as lines; the CLI shows them so too); it ends before a
        // parameter or field line. A line ending with "::" (reST) introduces a code block.
        QStringList para;
        while (i < n && !isBlank(lines.at(i)) &&
               !lines.at(i).trimmed().startsWith(QStringLiteral(">>>")) &&
               !lines.at(i).trimmed().startsWith(QStringLiteral("```")) &&
               (para.isEmpty() || indentOf(lines.at(i)) <= indent)) {
            if (!para.isEmpty()) {
                const auto pm = paramRe().match(lines.at(i));
                if (fieldRe().match(lines.at(i)).hasMatch() ||
                    (pm.hasMatch() && !pm.captured(3).isEmpty() && !isParamSection(section)))
                    break;
            }
            para << lines.at(i++).trimmed();
            if (para.last().endsWith(QStringLiteral("::")))
                break;
        }
        if (!para.isEmpty() && para.last().endsWith(QStringLiteral("::")))
            para.last().chop(1);
        const bool literal = !para.isEmpty() && para.last().endsWith(u':') && i > 0 &&
                             lines.at(i - 1).trimmed().endsWith(QStringLiteral("::"));
        QStringList parts;
        for (const QString &l : std::as_const(para))
            parts << inlineMarkup(l);
        html += QStringLiteral("<p>%1</p>").arg(parts.join(QStringLiteral("<br>")));
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
