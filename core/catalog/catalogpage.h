#pragma once

#include "core/error.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QPair>
#include <QString>
#include <QStringList>

namespace hubcap {

/// A small, bounded reader for the YAML front matter of a catalog page: one `key: value` per
/// line, values plain or quoted ('…' with '' escapes, "…" with \" \\ \n escapes), inline lists
/// `[a, 'b c']`, block lists (`key:` then `- item` lines), comments and blank lines. Anything
/// else (nested mappings, anchors, multi-line scalars) is an error that names the line.
/// Scalars stay text (`order: 10` is "10"). Bounds: 256 keys, 256 list items, 8 KiB per value.
using FrontMatter = QMap<QString, QStringList>; ///< key → one value, or the list's items
Result<FrontMatter> parseFrontMatter(const QString &text);

/// One `torch.hub.load(...)` call found in a page's body.
struct LoadExample
{
    QString code;       ///< the exact call text, `torch.hub.load(...)`, on one line
    QString repo;       ///< "owner/name" (from the first argument; the page's github-id when it
                        ///< is not a string literal)
    QString ref;        ///< the ":ref" of the first argument, empty when none
    QString entrypoint; ///< the second argument (string literal), empty when not a literal
    QStringList args;   ///< further positional arguments, as source text
    QList<QPair<QString, QString>> kwargs; ///< keyword arguments (name, source text), in order
    bool commented = false; ///< the call is in a comment (`# model = torch.hub.load(...)`)

    QString repoSpec() const { return ref.isEmpty() ? repo : repo + u':' + ref; }
    QJsonObject toJson() const;
    static LoadExample fromJson(const QJsonObject &o);
};

/// Every torch.hub.load call in `markdown` (bounded: 64 calls, 4 KiB per call).
/// `fallbackRepo` stands in for a first argument that is not a string literal.
QList<LoadExample> extractLoadCalls(const QString &markdown, const QString &fallbackRepo = {});

/// Splits the text between a call's parentheses at top-level commas (quotes, brackets and
/// parentheses respected). Exposed for the tests.
QStringList splitArguments(const QString &inner);
/// The value of a Python string literal ('x', "x", r'x'), or nullopt when `text` is not one.
std::optional<QString> stringLiteral(const QString &text);

/// One model page of the catalog (pytorch/hub's `<owner>_<repo>_<name>.md`).
struct CatalogEntry
{
    QString page; ///< file name without ".md", e.g. "pytorch_vision_resnet"
    QString title, summary, category, author;
    QStringList tags;
    QString githubLink;
    QString repo; ///< "owner/name" (github-id)
    QString ref;  ///< the ref of the first load example that has one, else empty
    QList<LoadExample> examples;
    QString description; ///< the Markdown body (front matter removed)
    QString image;       ///< path relative to the catalog tree ("images/x.png"), when it is valid
    QString demoLink;
    QString accelerator;
    int order = 0;       ///< the page's `order`, else its position
    bool cached = false; ///< filled in by the caller (not stored): the repo is in the hub cache

    /// Entry-point names of the load examples, first-seen order, no duplicates.
    QStringList entrypoints() const;
    /// The JSON of `hubcap-cli catalog show --json` (and of the index).
    QJsonObject toJson() const;
    static CatalogEntry fromJson(const QJsonObject &o);
};

/// A problem with one page or file; the page (or only its image) is skipped, never fatal.
struct CatalogProblem
{
    QString file; ///< path relative to the catalog tree
    QString message;
    QJsonObject toJson() const;
    static CatalogProblem fromJson(const QJsonObject &o);
};

/// Bounds for hostile catalogs.
struct CatalogLimits
{
    static constexpr qint64 maxPageBytes = 256 * 1024;
    static constexpr qint64 maxImageBytes = 8 * 1024 * 1024;
    static constexpr int maxPages = 5000;
    static constexpr int maxFrontMatterLines = 400;
};

/// Parses one page's text. `page` is its name (file name without .md). Fails (with a message
/// the catalog's problems list shows) when the front matter is missing or broken, or when the
/// page names no repository (no github-id and no load call with a literal repository).
Result<CatalogEntry> parseCatalogPage(const QString &page, const QString &text);

/// Whether `data` starts like an image Qt can show (PNG, JPEG, GIF, WebP, BMP) or is SVG text.
bool looksLikeImage(const QByteArray &data);

struct ParsedCatalog
{
    QList<CatalogEntry> entries; ///< sorted by order, then title
    QList<CatalogProblem> problems;
};

/// Parses every `*.md` page at the top of a catalog tree (a checkout of pytorch/hub's format).
/// Files without a front matter (README.md, CONTRIBUTING.md …) are not pages and are ignored;
/// broken, huge or repository-less pages and bad images are reported in `problems`.
ParsedCatalog parseCatalogTree(const QString &treeDir);

} // namespace hubcap
