#pragma once

#include "core/catalog/catalog.h"
#include "core/jobs/job.h"

#include <QJsonObject>
#include <QList>
#include <QPointer>
#include <QString>

namespace hubcap {

class PyHostPool;

/// One entrypoint of a repository in the hub cache: its name and the first line of its
/// docstring, as the static listing (Python's ast, no repository code runs) reports them.
struct CachedEntrypoint
{
    QString folder; ///< hub-dir folder, e.g. "pytorch_vision_main"
    QString repo;   ///< "owner/repo:ref" when known, else the folder name
    QString name;
    QString doc; ///< first line of the docstring
};

/// The entrypoints of the cached repositories, kept in `.hubcap/catalog/entrypoints.json`.
/// Listing a repository statically needs the Python host (one process per repository), so the
/// index is built lazily: update() lists only folders that are new or whose hubconf.py changed
/// (size + mtime), and forgets folders that left the cache.
struct EntrypointIndex
{
    struct Folder
    {
        QString repo;
        QString stamp; ///< "<size>:<mtime ms>" of hubconf.py when it was listed
        QList<CachedEntrypoint> entrypoints;
        QString error; ///< why the listing failed (then entrypoints is empty)
    };
    QHash<QString, Folder> folders;

    static QString path(const QString &hubDir);
    static EntrypointIndex load(const QString &hubDir);
    Result<void> save(const QString &hubDir) const;
    QList<CachedEntrypoint> all() const;

    /// Folders of the hub dir with a hubconf.py, and the stamp each has now.
    static QHash<QString, QString> currentStamps(const QString &hubDir);
    /// Which folders need listing (new or changed); folders gone from the cache are dropped.
    QStringList stale(const QHash<QString, QString> &stamps);
};

/// Brings the entrypoint index up to date: static listing (no code runs) of each new or
/// changed cached repository, one at a time, then saves the index. A repository whose listing
/// fails is recorded with its error and not tried again until its hubconf.py changes.
class EntrypointIndexJob : public Job
{
    Q_OBJECT
public:
    EntrypointIndexJob(QString hubDir, PyHostPool *pool, QObject *parent = nullptr);
    const EntrypointIndex &index() const { return m_index; }
    /// How many folders were listed by this job.
    int listedCount() const { return m_listed; }

protected:
    void doStart() override;
    void doCancel() override;

private:
    void next();

    QString m_hubDir;
    PyHostPool *m_pool;
    EntrypointIndex m_index;
    QHash<QString, QString> m_stamps;
    QStringList m_todo;
    int m_total = 0;
    int m_listed = 0;
    QPointer<Job> m_child;
};

/// One search hit: a catalog page or an entrypoint of a cached repository.
struct SearchHit
{
    enum class Kind { Page, Entrypoint };
    Kind kind = Kind::Page;
    int score = 0;
    int entryIndex = -1;      ///< into the catalog's entries (Page)
    int entrypointIndex = -1; ///< into the cached entrypoints (Entrypoint)
};

/// Case-insensitive search over the catalog (title, summary, tags, category, author, repo,
/// entrypoint names) and the cached entrypoints (name, docstring first line, repo). Every
/// term must match somewhere; the score favours title and name matches (whole word > prefix >
/// substring), then entrypoints and repo, tags and category, author, summary and docstrings.
/// Fields are lower-cased once in the constructor; search() allocates little.
class CatalogSearch
{
public:
    CatalogSearch(const QList<CatalogEntry> &entries, const QList<CachedEntrypoint> &entrypoints);
    /// At most `limit` hits, best first (ties: catalog order, then name).
    QList<SearchHit> search(const QString &query, int limit = 200) const;

    static QStringList terms(const QString &query);

private:
    struct Field
    {
        QString text; ///< lower case
        int weight;
    };
    struct Doc
    {
        QList<Field> fields;
        SearchHit::Kind kind;
        int index;
    };
    static int fieldScore(const QString &text, const QString &term);
    QList<Doc> m_docs;
};

/// A hit as JSON for `catalog search --json`: a page entry with "kind": "page", or
/// {"kind": "entrypoint", "repo", "entrypoint", "folder", "doc"}. Both carry "score".
QJsonObject searchHitJson(const SearchHit &hit, const QList<CatalogEntry> &entries,
                          const QList<CachedEntrypoint> &entrypoints);

} // namespace hubcap
