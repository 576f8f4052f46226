#include "core/catalog/catalogpage.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QRegularExpression>

#include <algorithm>

namespace hubcap {

namespace {

constexpr int kMaxKeys = 256;
constexpr int kMaxItems = 256;
constexpr int kMaxValue = 8 * 1024;
constexpr int kMaxCalls = 64;
constexpr int kMaxCallChars = 4 * 1024;

// A quoted scalar starting at s[i] (quote char at i). Returns the value and moves i past it.
std::optional<QString> readQuoted(const QString &s, qsizetype &i)
{
    const QChar q = s[i];
    QString out;
    for (++i; i < s.size(); ++i) {
        const QChar c = s[i];
        if (q == u'\'' && c == u'\'') {
            if (i + 1 < s.size() && s[i + 1] == u'\'') {
                out += u'\'';
                ++i;
                continue;
            }
            ++i;
            return out;
        }
        if (q == u'"' && c == u'\\' && i + 1 < s.size()) {
            const QChar n = s[++i];
            out += n == u'n' ? QChar(u'\n') : n == u't' ? QChar(u'\t') : n;
            continue;
        }
        if (q == u'"' && c == u'"') {
            ++i;
            return out;
        }
        out += c;
    }
    return std::nullopt; // unterminated
}

QString stripComment(const QString &plain)
{
    // In YAML a comment starts with " #" (or "#" at the start) outside quotes.
    const qsizetype hash = plain.indexOf(QStringLiteral(" #"));
    return (hash >= 0 ? plain.left(hash) : plain).trimmed();
}

// A scalar value (plain or quoted); error text in `err` when it is malformed.
std::optional<QString> readScalar(const QString &text, QString *err)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return QString();
    if (t[0] == u'\'' || t[0] == u'"') {
        qsizetype i = 0;
        auto v = readQuoted(t, i);
        if (!v) {
            *err = QStringLiteral("unterminated quoted string");
            return std::nullopt;
        }
        const QString rest = t.mid(i).trimmed();
        if (!rest.isEmpty() && !rest.startsWith(u'#')) {
            *err = QStringLiteral("text after a quoted string: %1").arg(rest.left(40));
            return std::nullopt;
        }
        return v;
    }
    if (t[0] == u'{' || t[0] == u'&' || t[0] == u'*' || t[0] == u'|' || t[0] == u'>' ||
        t[0] == u'!') {
        *err = QStringLiteral("'%1' values are not supported (use a plain or quoted string)")
                   .arg(t[0]);
        return std::nullopt;
    }
    return stripComment(t);
}

std::optional<QStringList> readInlineList(const QString &text, QString *err)
{
    QStringList items;
    const QString t = text.trimmed();
    qsizetype i = 1; // after '['
    QString current;
    bool haveQuoted = false;
    for (; i < t.size(); ++i) {
        const QChar c = t[i];
        if (c == u'\'' || c == u'"') {
            auto v = readQuoted(t, i);
            if (!v) {
                *err = QStringLiteral("unterminated quoted string in a list");
                return std::nullopt;
            }
            current = *v;
            haveQuoted = true;
            --i;
            continue;
        }
        if (c == u'[' || c == u'{') {
            *err = QStringLiteral("nested lists are not supported");
            return std::nullopt;
        }
        if (c == u',' || c == u']') {
            const QString item = haveQuoted ? current : current.trimmed();
            if (!item.isEmpty() || haveQuoted)
                items << item;
            if (items.size() > kMaxItems) {
                *err = QStringLiteral("more than %1 list items").arg(kMaxItems);
                return std::nullopt;
            }
            current.clear();
            haveQuoted = false;
            if (c == u']') {
                const QString rest = t.mid(i + 1).trimmed();
                if (!rest.isEmpty() && !rest.startsWith(u'#')) {
                    *err = QStringLiteral("text after a list: %1").arg(rest.left(40));
                    return std::nullopt;
                }
                return items;
            }
            continue;
        }
        if (!haveQuoted)
            current += c;
    }
    *err = QStringLiteral("a list '[' without its ']'");
    return std::nullopt;
}

} // namespace

Result<FrontMatter> parseFrontMatter(const QString &text)
{
    FrontMatter out;
    const QStringList lines = text.split(u'\n');
    if (lines.size() > CatalogLimits::maxFrontMatterLines)
        return fail(Error::Code::InvalidArgument,
                    QStringLiteral("the front matter has more than %1 lines")
                        .arg(CatalogLimits::maxFrontMatterLines));
    QString listKey; // a "key:" with no value: block list items may follow
    static const QRegularExpression keyLine(
        QStringLiteral("^([A-Za-z0-9_][A-Za-z0-9_.-]*)\\s*:(?:\\s+(.*))?$"));
    for (qsizetype n = 0; n < lines.size(); ++n) {
        QString line = lines[n];
        if (line.endsWith(u'\r'))
            line.chop(1);
        const QString trimmed = line.trimmed();
        auto bad = [&](const QString &why) {
            return fail(Error::Code::InvalidArgument,
                        QStringLiteral("front matter line %1: %2").arg(n + 2).arg(why),
                        line.left(200));
        };
        if (trimmed.isEmpty() || trimmed.startsWith(u'#'))
            continue;
        if (line.size() > kMaxValue)
            return bad(QStringLiteral("the line is longer than %1 characters").arg(kMaxValue));
        if (trimmed.startsWith(QStringLiteral("- ")) || trimmed == u"-") {
            if (listKey.isEmpty())
                return bad(QStringLiteral("a list item without a key"));
            QString err;
            const auto v = readScalar(trimmed.mid(1), &err);
            if (!v)
                return bad(err);
            if (out[listKey].size() >= kMaxItems)
                return bad(QStringLiteral("more than %1 list items").arg(kMaxItems));
            out[listKey] << *v;
            continue;
        }
        if (line[0].isSpace())
            return bad(QStringLiteral("indented text (nested mappings are not supported)"));
        const auto m = keyLine.match(line);
        if (!m.hasMatch())
            return bad(QStringLiteral("expected 'key: value'"));
        const QString key = m.captured(1);
        const QString value = m.captured(2).trimmed();
        if (out.contains(key))
            return bad(QStringLiteral("the key '%1' appears twice").arg(key));
        if (out.size() >= kMaxKeys)
            return bad(QStringLiteral("more than %1 keys").arg(kMaxKeys));
        listKey.clear();
        if (value.isEmpty() || value.startsWith(u'#')) {
            out.insert(key, {});
            listKey = key;
            continue;
        }
        QString err;
        if (value.startsWith(u'[')) {
            const auto items = readInlineList(value, &err);
            if (!items)
                return bad(err);
            out.insert(key, *items);
        } else {
            const auto v = readScalar(value, &err);
            if (!v)
                return bad(err);
            out.insert(key, {*v});
        }
    }
    return out;
}

std::optional<QString> stringLiteral(const QString &text)
{
    QString t = text.trimmed();
    if (t.size() >= 1 && (t[0] == u'r' || t[0] == u'R' || t[0] == u'u' || t[0] == u'U'))
        t = t.mid(1);
    if (t.size() < 2)
        return std::nullopt;
    const QChar q = t[0];
    if ((q != u'\'' && q != u'"') || t.back() != q)
        return std::nullopt;
    const QString inner = t.mid(1, t.size() - 2);
    if (inner.contains(q))
        return std::nullopt;
    return inner;
}

QStringList splitArguments(const QString &inner)
{
    QStringList out;
    QString current;
    int depth = 0;
    QChar quote;
    for (qsizetype i = 0; i < inner.size(); ++i) {
        const QChar c = inner[i];
        if (!quote.isNull()) {
            current += c;
            if (c == u'\\' && i + 1 < inner.size())
                current += inner[++i];
            else if (c == quote)
                quote = QChar();
            continue;
        }
        if (c == u'\'' || c == u'"') {
            quote = c;
        } else if (c == u'(' || c == u'[' || c == u'{') {
            ++depth;
        } else if (c == u')' || c == u']' || c == u'}') {
            --depth;
        } else if (c == u',' && depth == 0) {
            out << current.trimmed();
            current.clear();
            continue;
        }
        current += c;
    }
    if (!current.trimmed().isEmpty())
        out << current.trimmed();
    return out;
}

QList<LoadExample> extractLoadCalls(const QString &markdown, const QString &fallbackRepo)
{
    QList<LoadExample> out;
    static const QRegularExpression call(QStringLiteral("torch\\.hub\\.load\\s*\\("));
    static const QRegularExpression kw(
        QStringLiteral("^([A-Za-z_][A-Za-z0-9_]*)\\s*=(?!=)\\s*(.*)$"),
        QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression repoRx(
        QStringLiteral("^([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)(?::(.+))?$"));
    for (auto it = call.globalMatch(markdown); it.hasNext() && out.size() < kMaxCalls;) {
        const auto m = it.next();
        // Balanced parentheses (strings respected), bounded.
        const qsizetype open = m.capturedEnd() - 1;
        int depth = 0;
        QChar quote;
        qsizetype close = -1;
        for (qsizetype i = open; i < markdown.size() && i - open < kMaxCallChars; ++i) {
            const QChar c = markdown[i];
            if (!quote.isNull()) {
                if (c == u'\\')
                    ++i;
                else if (c == quote || c == u'\n')
                    quote = QChar();
                continue;
            }
            if (c == u'\'' || c == u'"')
                quote = c;
            else if (c == u'(')
                ++depth;
            else if (c == u')' && --depth == 0) {
                close = i;
                break;
            }
        }
        if (close < 0)
            continue;
        const QString inner = markdown.mid(open + 1, close - open - 1);
        LoadExample ex;
        // A call on a commented line: "# model = torch.hub.load(...)".
        const qsizetype lineStart = markdown.lastIndexOf(u'\n', m.capturedStart()) + 1;
        ex.commented =
            markdown.mid(lineStart, m.capturedStart() - lineStart).trimmed().startsWith(u'#');
        // One line of code: continuation lines (and their comment markers) joined.
        QStringList parts;
        for (QString l :
             markdown.mid(m.capturedStart(), close + 1 - m.capturedStart()).split(u'\n')) {
            l = l.trimmed();
            if (ex.commented && l.startsWith(u'#'))
                l = l.mid(1).trimmed();
            parts << l;
        }
        ex.code = parts.join(u' ')
                      .replace(QStringLiteral("( "), QStringLiteral("("))
                      .replace(QStringLiteral(" )"), QStringLiteral(")"));
        QStringList args = splitArguments(QString(inner).replace(
            QRegularExpression(QStringLiteral("\\n\\s*#")), QStringLiteral("\n")));
        QList<QPair<QString, QString>> kwargs;
        QStringList positional;
        for (const QString &a : args) {
            const auto k = kw.match(a);
            if (k.hasMatch())
                kwargs.append({k.captured(1), k.captured(2).trimmed()});
            else
                positional << a;
        }
        // repo_or_dir= / model= may be given by name.
        auto takeKw = [&](const QString &name) -> std::optional<QString> {
            for (qsizetype i = 0; i < kwargs.size(); ++i)
                if (kwargs[i].first == name) {
                    const QString v = kwargs[i].second;
                    kwargs.removeAt(i);
                    return v;
                }
            return std::nullopt;
        };
        std::optional<QString> repoArg = positional.isEmpty()
                                             ? takeKw(QStringLiteral("repo_or_dir"))
                                             : std::optional(positional.takeFirst());
        std::optional<QString> modelArg = positional.isEmpty()
                                              ? takeKw(QStringLiteral("model"))
                                              : std::optional(positional.takeFirst());
        const auto repoLit = repoArg ? stringLiteral(*repoArg) : std::nullopt;
        if (repoLit) {
            const auto r = repoRx.match(*repoLit);
            if (!r.hasMatch())
                continue; // a local path or something else: not a catalog example
            ex.repo = r.captured(1) + u'/' + r.captured(2);
            ex.ref = r.captured(3);
        } else {
            ex.repo = fallbackRepo;
        }
        if (ex.repo.isEmpty())
            continue;
        if (modelArg)
            ex.entrypoint = stringLiteral(*modelArg).value_or(QString());
        ex.args = positional;
        ex.kwargs = kwargs;
        out << ex;
    }
    return out;
}

QJsonObject LoadExample::toJson() const
{
    QJsonArray kwOrder;
    for (const auto &[k, v] : kwargs)
        kwOrder.append(QJsonArray{k, v});
    return QJsonObject{{QStringLiteral("code"), code},
                       {QStringLiteral("repo"), repo},
                       {QStringLiteral("ref"), ref},
                       {QStringLiteral("entrypoint"), entrypoint},
                       {QStringLiteral("args"), QJsonArray::fromStringList(args)},
                       {QStringLiteral("kwargs"), kwOrder},
                       {QStringLiteral("commented"), commented}};
}

LoadExample LoadExample::fromJson(const QJsonObject &o)
{
    LoadExample e;
    e.code = o.value(QStringLiteral("code")).toString();
    e.repo = o.value(QStringLiteral("repo")).toString();
    e.ref = o.value(QStringLiteral("ref")).toString();
    e.entrypoint = o.value(QStringLiteral("entrypoint")).toString();
    for (const QJsonValue &v : o.value(QStringLiteral("args")).toArray())
        e.args << v.toString();
    for (const QJsonValue &v : o.value(QStringLiteral("kwargs")).toArray()) {
        const QJsonArray pair = v.toArray();
        if (pair.size() == 2)
            e.kwargs.append({pair[0].toString(), pair[1].toString()});
    }
    e.commented = o.value(QStringLiteral("commented")).toBool();
    return e;
}

QStringList CatalogEntry::entrypoints() const
{
    QStringList out;
    for (const LoadExample &e : examples)
        if (!e.entrypoint.isEmpty() && !out.contains(e.entrypoint))
            out << e.entrypoint;
    return out;
}

QJsonObject CatalogEntry::toJson() const
{
    QJsonArray ex;
    for (const LoadExample &e : examples)
        ex.append(e.toJson());
    return QJsonObject{{QStringLiteral("page"), page},
                       {QStringLiteral("title"), title},
                       {QStringLiteral("summary"), summary},
                       {QStringLiteral("category"), category},
                       {QStringLiteral("tags"), QJsonArray::fromStringList(tags)},
                       {QStringLiteral("author"), author},
                       {QStringLiteral("repo"), repo},
                       {QStringLiteral("ref"), ref},
                       {QStringLiteral("entrypoints"), QJsonArray::fromStringList(entrypoints())},
                       {QStringLiteral("cached"), cached},
                       {QStringLiteral("image"), image},
                       {QStringLiteral("github_link"), githubLink},
                       {QStringLiteral("demo_link"), demoLink},
                       {QStringLiteral("accelerator"), accelerator},
                       {QStringLiteral("order"), order},
                       {QStringLiteral("examples"), ex},
                       {QStringLiteral("description"), description}};
}

CatalogEntry CatalogEntry::fromJson(const QJsonObject &o)
{
    CatalogEntry e;
    auto s = [&o](const char *k) { return o.value(QLatin1String(k)).toString(); };
    e.page = s("page");
    e.title = s("title");
    e.summary = s("summary");
    e.category = s("category");
    e.author = s("author");
    for (const QJsonValue &v : o.value(QStringLiteral("tags")).toArray())
        e.tags << v.toString();
    e.repo = s("repo");
    e.ref = s("ref");
    e.image = s("image");
    e.githubLink = s("github_link");
    e.demoLink = s("demo_link");
    e.accelerator = s("accelerator");
    e.order = o.value(QStringLiteral("order")).toInt();
    for (const QJsonValue &v : o.value(QStringLiteral("examples")).toArray())
        e.examples << LoadExample::fromJson(v.toObject());
    e.description = s("description");
    return e;
}

QJsonObject CatalogProblem::toJson() const
{
    return QJsonObject{{QStringLiteral("file"), file}, {QStringLiteral("message"), message}};
}

CatalogProblem CatalogProblem::fromJson(const QJsonObject &o)
{
    return {o.value(QStringLiteral("file")).toString(),
            o.value(QStringLiteral("message")).toString()};
}

Result<CatalogEntry> parseCatalogPage(const QString &page, const QString &rawText)
{
    QString text = rawText;
    if (text.startsWith(QChar(0xFEFF)))
        text.remove(0, 1);
    if (!text.startsWith(QStringLiteral("---")))
        return fail(Error::Code::InvalidArgument,
                    QStringLiteral("no front matter (the page must start with a '---' line)"));
    const qsizetype firstEnd = text.indexOf(u'\n');
    if (firstEnd < 0)
        return fail(Error::Code::InvalidArgument, QStringLiteral("the front matter is not closed"));
    static const QRegularExpression closing(QStringLiteral("\\n---[ \\t\\r]*(\\n|$)"));
    const auto close = closing.match(text, firstEnd);
    if (!close.hasMatch())
        return fail(Error::Code::InvalidArgument,
                    QStringLiteral("the front matter is not closed (no second '---' line)"));
    const QString yaml = text.mid(firstEnd + 1, close.capturedStart() - firstEnd - 1);
    auto fm = parseFrontMatter(yaml);
    if (!fm)
        return std::unexpected(fm.error());
    auto one = [&](const char *key) {
        const QStringList v = fm->value(QLatin1String(key));
        return v.isEmpty() ? QString() : v.join(QStringLiteral(", "));
    };
    CatalogEntry e;
    e.page = page;
    e.title = one("title");
    e.summary = one("summary");
    e.category = one("category");
    e.author = one("author");
    e.tags = fm->value(QStringLiteral("tags"));
    e.tags.removeAll(QString());
    e.githubLink = one("github-link");
    e.repo = one("github-id").trimmed();
    e.demoLink = one("demo-model-link");
    e.accelerator = one("accelerator");
    bool ok = false;
    e.order = one("order").toInt(&ok);
    if (!ok)
        e.order = -1;
    e.description = text.mid(close.capturedEnd()).trimmed();
    e.examples = extractLoadCalls(e.description, e.repo);
    if (e.repo.isEmpty()) {
        for (const LoadExample &x : std::as_const(e.examples))
            if (!x.repo.isEmpty()) {
                e.repo = x.repo;
                break;
            }
    }
    static const QRegularExpression repoRx(QStringLiteral("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$"));
    if (e.repo.isEmpty())
        return fail(Error::Code::InvalidArgument,
                    QStringLiteral("the page names no repository (no github-id and no "
                                   "torch.hub.load('owner/repo', ...) example)"));
    if (!repoRx.match(e.repo).hasMatch())
        return fail(Error::Code::InvalidArgument,
                    QStringLiteral("github-id '%1' is not owner/name").arg(e.repo.left(100)));
    if (e.title.isEmpty())
        e.title = page;
    for (const LoadExample &x : std::as_const(e.examples))
        if (!x.ref.isEmpty() && x.repo.compare(e.repo, Qt::CaseInsensitive) == 0) {
            e.ref = x.ref;
            break;
        }
    const QString image = one("image").trimmed();
    if (!image.isEmpty() && image != u"no-image")
        e.image = image; // checked against the tree by parseCatalogTree
    return e;
}

bool looksLikeImage(const QByteArray &d)
{
    if (d.startsWith("\x89PNG\r\n\x1a\n") || d.startsWith("\xff\xd8\xff") ||
        d.startsWith("GIF87a") || d.startsWith("GIF89a") || d.startsWith("BM"))
        return true;
    if (d.size() >= 12 && d.startsWith("RIFF") && d.mid(8, 4) == "WEBP")
        return true;
    const QByteArray head = d.left(512).trimmed();
    return (head.startsWith("<svg") || head.startsWith("<?xml")) && d.left(4096).contains("<svg");
}

ParsedCatalog parseCatalogTree(const QString &treeDir)
{
    ParsedCatalog out;
    const QDir dir(treeDir);
    const QFileInfoList files =
        dir.entryInfoList({QStringLiteral("*.md")}, QDir::Files | QDir::NoSymLinks, QDir::Name);
    int position = 0;
    for (const QFileInfo &fi : files) {
        if (out.entries.size() >= CatalogLimits::maxPages) {
            out.problems.append({fi.fileName(), QStringLiteral("more than %1 pages: the rest is "
                                                               "ignored")
                                                    .arg(CatalogLimits::maxPages)});
            break;
        }
        if (fi.size() > CatalogLimits::maxPageBytes) {
            out.problems.append(
                {fi.fileName(), QStringLiteral("the page is %1 KiB, more than the %2 KiB a "
                                               "catalog page may have: skipped")
                                    .arg(fi.size() / 1024)
                                    .arg(CatalogLimits::maxPageBytes / 1024)});
            continue;
        }
        QFile f(fi.absoluteFilePath());
        if (!f.open(QIODevice::ReadOnly)) {
            out.problems.append(
                {fi.fileName(), QStringLiteral("cannot read: %1").arg(f.errorString())});
            continue;
        }
        const QByteArray data = f.read(CatalogLimits::maxPageBytes + 1);
        if (!data.startsWith("---") && !data.startsWith("\xef\xbb\xbf---"))
            continue; // README.md, CONTRIBUTING.md …: not model pages
        const QString page = fi.completeBaseName();
        auto entry = parseCatalogPage(page, QString::fromUtf8(data));
        if (!entry) {
            out.problems.append(
                {fi.fileName(), entry.error().message + QStringLiteral(": skipped")});
            continue;
        }
        if (entry->order < 0)
            entry->order = 100000 + position;
        ++position;
        if (!entry->image.isEmpty()) {
            // Only a file inside images/ (no path tricks), small and really an image.
            const QString name = QFileInfo(entry->image).fileName();
            const QString rel = QStringLiteral("images/") + name;
            const QFileInfo img(dir.filePath(rel));
            QString why;
            if (name.isEmpty() || name.startsWith(u'.') ||
                entry->image.contains(QStringLiteral("..")))
                why = QStringLiteral("the image name '%1' is not a file in images/")
                          .arg(entry->image.left(100));
            else if (!img.isFile() || img.isSymLink())
                why = QStringLiteral("the image %1 does not exist").arg(rel);
            else if (img.size() > CatalogLimits::maxImageBytes)
                why = QStringLiteral("the image %1 is larger than %2 MiB")
                          .arg(rel)
                          .arg(CatalogLimits::maxImageBytes >> 20);
            else {
                QFile imf(img.absoluteFilePath());
                if (!imf.open(QIODevice::ReadOnly) || !looksLikeImage(imf.read(4096)))
                    why = QStringLiteral("the image %1 is not a PNG, JPEG, GIF, WebP, BMP or SVG "
                                         "file")
                              .arg(rel);
            }
            if (why.isEmpty()) {
                entry->image = rel;
            } else {
                out.problems.append({fi.fileName(), why + QStringLiteral(": shown without it")});
                entry->image.clear();
            }
        }
        out.entries << *entry;
    }
    std::stable_sort(out.entries.begin(), out.entries.end(),
                     [](const CatalogEntry &a, const CatalogEntry &b) {
                         if (a.order != b.order)
                             return a.order < b.order;
                         return a.title.compare(b.title, Qt::CaseInsensitive) < 0;
                     });
    return out;
}

} // namespace hubcap
