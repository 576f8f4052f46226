#include "core/protocol/entrypoint.h"

#include "core/protocol/json.h"

#include <QCoreApplication>

namespace hubcap {

using namespace protocol;

namespace {

constexpr qsizetype maxEntrypoints = 100000; // a hostile host cannot make the GUI allocate more
constexpr qsizetype maxParameters = 1000;
constexpr qsizetype maxWeights = 1000;

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

QJsonValue optionalList(const std::optional<QStringList> &l)
{
    return l ? QJsonValue(json::array(*l)) : QJsonValue(QJsonValue::Null);
}

} // namespace

EntrypointParameter EntrypointParameter::fromJson(const QJsonObject &o)
{
    EntrypointParameter p;
    p.name = json::str(o, QLatin1StringView("name"));
    p.kind = json::str(o, QLatin1StringView("kind"));
    p.annotation = json::str(o, QLatin1StringView("annotation"));
    const QJsonValue d = o.value(QLatin1StringView("default"));
    p.hasDefault = !d.isUndefined() && !d.isNull();
    p.defaultText = d.isString() ? d.toString() : QString();
    return p;
}

QJsonObject EntrypointParameter::toJson() const
{
    QJsonObject o{{QStringLiteral("name"), name}, {QStringLiteral("kind"), kind}};
    if (!annotation.isEmpty())
        o.insert(QStringLiteral("annotation"), annotation);
    if (hasDefault)
        o.insert(QStringLiteral("default"), defaultText);
    return o;
}

QString Entrypoint::location() const
{
    if (definedIn.isEmpty() && !importedFrom.isEmpty())
        return QCoreApplication::translate("hubcap::Entrypoint", "imported from %1")
            .arg(importedFrom);
    return definedIn;
}

QString Entrypoint::signatureFirstLine() const
{
    const QString s = signature.section(u'\n', 0, 0).simplified();
    return s.size() > 120 ? s.left(119) + QChar(0x2026) : s;
}

QList<EntrypointParameter> Entrypoint::effectiveParameters() const
{
    if (!parameters.isEmpty())
        return parameters;
    QString sig = signature.simplified();
    const int open = sig.indexOf(u'(');
    int close = sig.lastIndexOf(u')');
    if (open < 0 || close < open)
        return {};
    const QString inner = sig.mid(open + 1, close - open - 1);
    QList<EntrypointParameter> out;
    bool keywordOnly = false;
    for (const QString &part : splitTopLevel(inner)) {
        if (part == QStringLiteral("*")) {
            keywordOnly = true;
            continue;
        }
        if (part == QStringLiteral("/") || part.isEmpty())
            continue;
        EntrypointParameter p;
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

Entrypoint Entrypoint::fromJson(const QJsonObject &o)
{
    Entrypoint e;
    e.name = json::str(o, QLatin1StringView("name"));
    e.kind = json::str(o, QLatin1StringView("kind"));
    e.signature = json::str(o, QLatin1StringView("signature"));
    e.doc = json::optStr(o, QLatin1StringView("doc"));
    e.docRaw = json::optStr(o, QLatin1StringView("doc_raw"));
    const QJsonValue def = o.value(QLatin1StringView("defined_in"));
    if (def.isObject()) { // {"file", "line", "module"}: accepted, written back as text
        const QJsonObject d = def.toObject();
        const QString file = json::str(d, QLatin1StringView("file"));
        const qint64 line = json::int64(d, QLatin1StringView("line"));
        e.definedIn = !file.isEmpty()
                          ? (line > 0 ? QStringLiteral("%1:%2").arg(file).arg(line) : file)
                          : json::str(d, QLatin1StringView("module"));
    } else {
        e.definedIn = def.toString();
    }
    e.importedFrom = json::str(o, QLatin1StringView("imported_from"));
    e.partialOf = json::str(o, QLatin1StringView("partial_of"));
    for (const QJsonValue &pv : o.value(QLatin1StringView("parameters")).toArray()) {
        if (e.parameters.size() >= maxParameters)
            break;
        e.parameters << EntrypointParameter::fromJson(pv.toObject());
    }
    return e;
}

QJsonObject Entrypoint::toJson() const
{
    QJsonObject o{{QStringLiteral("name"), name},
                  {QStringLiteral("kind"), kind},
                  {QStringLiteral("signature"), signature},
                  {QStringLiteral("doc"), doc ? QJsonValue(*doc) : QJsonValue(QJsonValue::Null)},
                  {QStringLiteral("defined_in"), definedIn}};
    if (docRaw)
        o.insert(QStringLiteral("doc_raw"), *docRaw);
    if (!importedFrom.isEmpty())
        o.insert(QStringLiteral("imported_from"), importedFrom);
    if (!partialOf.isEmpty())
        o.insert(QStringLiteral("partial_of"), partialOf);
    if (!parameters.isEmpty()) {
        QJsonArray ps;
        for (const EntrypointParameter &p : parameters)
            ps.append(p.toJson());
        o.insert(QStringLiteral("parameters"), ps);
    }
    return o;
}

Result<EntrypointListing> EntrypointListing::fromJson(const QJsonObject &o)
{
    const QJsonValue entries = o.value(QLatin1StringView("entrypoints"));
    if (!entries.isArray() && !entries.isUndefined())
        return fail(Error::Code::HostFailed,
                    QCoreApplication::translate("hubcap::EntrypointListing",
                                                "The Python host sent a listing without a list "
                                                "of entrypoints."));
    EntrypointListing l;
    l.repoDir = json::str(o, QLatin1StringView("repo_dir"));
    l.repo = json::str(o, QLatin1StringView("repo"));
    l.mode = json::str(o, QLatin1StringView("mode"));
    for (const QJsonValue &v : entries.toArray()) {
        if (l.entrypoints.size() >= maxEntrypoints)
            break;
        l.entrypoints << Entrypoint::fromJson(v.toObject());
    }
    l.dependencies = json::optStrings(o, QLatin1StringView("dependencies"));
    l.missingDependencies = json::strings(o.value(QLatin1StringView("missing_dependencies")));
    l.notes = json::optStrings(o, QLatin1StringView("notes"));
    l.output = json::str(o, QLatin1StringView("output"));
    l.warnings = json::strings(o.value(QLatin1StringView("warnings")));
    l.dynamic = json::boolean(o, QLatin1StringView("dynamic"));
    l.dynamicReasons = json::strings(o.value(QLatin1StringView("dynamic_reasons")));
    l.fromCache = json::boolean(o, QLatin1StringView("from_cache"));
    return l;
}

QJsonObject EntrypointListing::toJson() const
{
    QJsonArray entries;
    for (const Entrypoint &e : entrypoints)
        entries.append(e.toJson());
    QJsonObject o{{QStringLiteral("entrypoints"), entries},
                  {QStringLiteral("dependencies"), optionalList(dependencies)},
                  {QStringLiteral("missing_dependencies"), json::array(missingDependencies)},
                  {QStringLiteral("output"), output},
                  {QStringLiteral("warnings"), json::array(warnings)}};
    if (!repoDir.isEmpty())
        o.insert(QStringLiteral("repo_dir"), repoDir);
    if (!repo.isEmpty())
        o.insert(QStringLiteral("repo"), repo);
    if (!mode.isEmpty())
        o.insert(QStringLiteral("mode"), mode);
    if (notes)
        o.insert(QStringLiteral("notes"), json::array(*notes));
    if (dynamic || !dynamicReasons.isEmpty()) {
        o.insert(QStringLiteral("dynamic"), dynamic);
        o.insert(QStringLiteral("dynamic_reasons"), json::array(dynamicReasons));
    }
    if (fromCache)
        o.insert(QStringLiteral("from_cache"), true);
    return o;
}

WeightRef WeightRef::fromJson(const QJsonObject &o)
{
    WeightRef w;
    w.url = json::str(o, QLatin1StringView("url"));
    w.fileName = json::str(o, QLatin1StringView("file_name"));
    w.hashPrefix = json::str(o, QLatin1StringView("hash_prefix"));
    w.function = json::str(o, QLatin1StringView("function"));
    w.foundAt = json::str(o, QLatin1StringView("found_at"));
    w.cached = json::boolean(o, QLatin1StringView("cached"));
    w.path = json::str(o, QLatin1StringView("path"));
    return w;
}

QJsonObject WeightRef::toJson() const
{
    QJsonObject o{
        {QStringLiteral("url"), url},
        {QStringLiteral("file_name"), fileName},
        {QStringLiteral("hash_prefix"),
         hashPrefix.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(hashPrefix)},
        {QStringLiteral("cached"), cached},
        {QStringLiteral("path"), path.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(path)}};
    if (!function.isEmpty())
        o.insert(QStringLiteral("function"), function);
    if (!foundAt.isEmpty())
        o.insert(QStringLiteral("found_at"), foundAt);
    return o;
}

Result<EntrypointHelp> EntrypointHelp::fromJson(const QJsonObject &o)
{
    const QJsonValue entry = o.value(QLatin1StringView("entrypoint"));
    if (!entry.isObject())
        return fail(Error::Code::HostFailed,
                    QCoreApplication::translate("hubcap::EntrypointHelp",
                                                "The Python host's help reply does not describe "
                                                "the entrypoint."));
    EntrypointHelp h;
    h.repoDir = json::str(o, QLatin1StringView("repo_dir"));
    h.entrypoint = Entrypoint::fromJson(entry.toObject());
    h.doc = o.contains(QLatin1StringView("doc")) ? json::optStr(o, QLatin1StringView("doc"))
                                                 : h.entrypoint.doc;
    h.dependencies = json::optStrings(o, QLatin1StringView("dependencies"));
    h.missingDependencies = json::strings(o.value(QLatin1StringView("missing_dependencies")));
    h.notes = json::optStrings(o, QLatin1StringView("notes"));
    h.output = json::str(o, QLatin1StringView("output"));
    h.warnings = json::strings(o.value(QLatin1StringView("warnings")));
    for (const QJsonValue &v : o.value(QLatin1StringView("weights")).toArray()) {
        if (h.weights.size() >= maxWeights)
            break;
        h.weights << WeightRef::fromJson(v.toObject());
    }
    return h;
}

QJsonObject EntrypointHelp::toJson() const
{
    QJsonObject o{{QStringLiteral("entrypoint"), entrypoint.toJson()},
                  {QStringLiteral("doc"), doc ? QJsonValue(*doc) : QJsonValue(QJsonValue::Null)},
                  {QStringLiteral("dependencies"), optionalList(dependencies)},
                  {QStringLiteral("missing_dependencies"), json::array(missingDependencies)},
                  {QStringLiteral("output"), output},
                  {QStringLiteral("warnings"), json::array(warnings)}};
    if (!repoDir.isEmpty())
        o.insert(QStringLiteral("repo_dir"), repoDir);
    if (notes)
        o.insert(QStringLiteral("notes"), json::array(*notes));
    if (!weights.isEmpty()) {
        QJsonArray ws;
        for (const WeightRef &w : weights)
            ws.append(w.toJson());
        o.insert(QStringLiteral("weights"), ws);
    }
    return o;
}

} // namespace hubcap
