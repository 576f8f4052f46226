#include "entrypoint.h"

#include <QJsonArray>
#include <QObject>

namespace hubcap::ui {

namespace {

QStringList stringList(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &x : v.toArray())
        out << (x.isString() ? x.toString()
                             : x.toObject().value(QStringLiteral("name")).toString());
    return out;
}

// Splits "a, b=(1, 2), *, c: int = 3" on commas that are not nested in brackets or strings.
QStringList splitTopLevel(const QString &s)
{
    QStringList parts;
    int depth = 0;
    QChar quote;
    QString cur;
    for (QChar c : s) {
        if (!quote.isNull()) {
            cur += c;
            if (c == quote)
                quote = QChar();
            continue;
        }
        if (c == u'\'' || c == u'"')
            quote = c;
        else if (c == u'(' || c == u'[' || c == u'{')
            ++depth;
        else if (c == u')' || c == u']' || c == u'}')
            --depth;
        else if (c == u',' && depth == 0) {
            parts << cur.trimmed();
            cur.clear();
            continue;
        }
        cur += c;
    }
    if (!cur.trimmed().isEmpty())
        parts << cur.trimmed();
    return parts;
}

} // namespace

QString EntrypointInfo::signatureFirstLine() const
{
    const QString s = signature.section(u'\n', 0, 0).simplified();
    return s.size() > 120 ? s.left(119) + QChar(0x2026) : s;
}

QList<ParameterInfo> EntrypointInfo::effectiveParameters() const
{
    if (!parameters.isEmpty())
        return parameters;
    QString sig = signature.simplified();
    const int open = sig.indexOf(u'(');
    int close = sig.lastIndexOf(u')');
    if (open < 0 || close < open)
        return {};
    const QString inner = sig.mid(open + 1, close - open - 1);
    QList<ParameterInfo> out;
    bool keywordOnly = false;
    for (const QString &part : splitTopLevel(inner)) {
        if (part == QStringLiteral("*")) {
            keywordOnly = true;
            continue;
        }
        if (part == QStringLiteral("/") || part.isEmpty())
            continue;
        ParameterInfo p;
        QString text = part;
        if (text.startsWith(QStringLiteral("**"))) {
            p.kind = QStringLiteral("var_keyword");
            text = text.mid(2);
        } else if (text.startsWith(u'*')) {
            p.kind = QStringLiteral("var_positional");
            keywordOnly = true;
            text = text.mid(1);
        } else {
            p.kind = keywordOnly ? QStringLiteral("keyword") : QStringLiteral("positional");
        }
        // default: the first top-level '=' (annotations don't contain a bare '=')
        int eq = -1, depth = 0;
        for (int i = 0; i < text.size(); ++i) {
            const QChar c = text.at(i);
            if (c == u'(' || c == u'[' || c == u'{')
                ++depth;
            else if (c == u')' || c == u']' || c == u'}')
                --depth;
            else if (c == u'=' && depth == 0) {
                eq = i;
                break;
            }
        }
        QString head = eq >= 0 ? text.left(eq).trimmed() : text.trimmed();
        if (eq >= 0) {
            p.hasDefault = true;
            p.defaultText = text.mid(eq + 1).trimmed();
        }
        const int colon = head.indexOf(u':');
        if (colon >= 0) {
            p.annotation = head.mid(colon + 1).trimmed();
            head = head.left(colon).trimmed();
        }
        p.name = head;
        out << p;
    }
    return out;
}

EntrypointListing EntrypointListing::fromJson(const QJsonObject &o)
{
    EntrypointListing l;
    l.repo = o.value(QStringLiteral("repo")).toString();
    l.mode = o.value(QStringLiteral("mode")).toString();
    l.dependencies = stringList(o.value(QStringLiteral("dependencies")));
    l.missingDependencies = stringList(o.value(QStringLiteral("missing_dependencies")));
    l.notes = stringList(o.value(QStringLiteral("notes")));
    l.dynamic = o.value(QStringLiteral("dynamic")).toBool();
    l.fromCache = o.value(QStringLiteral("from_cache")).toBool();
    if (l.repo.isEmpty())
        l.repo = o.value(QStringLiteral("repo_dir")).toString();
    for (const QJsonValue &v : o.value(QStringLiteral("entrypoints")).toArray()) {
        const QJsonObject e = v.toObject();
        EntrypointInfo info;
        info.name = e.value(QStringLiteral("name")).toString();
        info.kind = e.value(QStringLiteral("kind")).toString();
        info.signature = e.value(QStringLiteral("signature")).toString();
        info.doc = e.value(QStringLiteral("doc")).toString();
        info.docRaw = e.value(QStringLiteral("doc_raw")).toString();
        const QJsonValue def = e.value(QStringLiteral("defined_in"));
        if (def.isObject()) {
            const QJsonObject d = def.toObject();
            const QString file = d.value(QStringLiteral("file")).toString();
            const int line = d.value(QStringLiteral("line")).toInt();
            const QString module = d.value(QStringLiteral("module")).toString();
            info.definedIn = !file.isEmpty()
                                 ? (line > 0 ? QStringLiteral("%1:%2").arg(file).arg(line) : file)
                                 : module;
        } else {
            info.definedIn = def.toString();
        }
        const QString importedFrom = e.value(QStringLiteral("imported_from")).toString();
        if (info.definedIn.isEmpty() && !importedFrom.isEmpty())
            info.definedIn = QObject::tr("imported from %1").arg(importedFrom);
        for (const QJsonValue &pv : e.value(QStringLiteral("parameters")).toArray()) {
            const QJsonObject po = pv.toObject();
            ParameterInfo p;
            p.name = po.value(QStringLiteral("name")).toString();
            p.kind = po.value(QStringLiteral("kind")).toString();
            p.annotation = po.value(QStringLiteral("annotation")).toString();
            p.hasDefault = po.contains(QStringLiteral("default"));
            const QJsonValue d = po.value(QStringLiteral("default"));
            p.defaultText = d.isString() ? d.toString() : QString();
            if (d.isNull())
                p.hasDefault = false;
            info.parameters << p;
        }
        l.entrypoints << info;
    }
    return l;
}

} // namespace hubcap::ui
