#pragma once

#include "core/cache/repospec.h"
#include "core/catalog/catalogpage.h"
#include "core/error.h"
#include "core/jobs/job.h"
#include "core/net/networkconfig.h"

#include <QDateTime>
#include <QHash>
#include <QPointer>
#include <QProcessEnvironment>
#include <QSet>
#include <QString>

#include <optional>

namespace hubcap {

/// The catalog repository: $HUBCAP_CATALOG_REPO (owner/repo[:ref]), default `pytorch/hub`.
Result<RepoSpec>
catalogRepoSpec(const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment());

/// The parsed catalog as kept in the hub dir's sidecar, `.hubcap/catalog/index.json`, so the
/// next start shows it at once and offline. The fetched tree lives beside it
/// (`.hubcap/catalog/<owner>_<repo>_<ref>/`, fetched with the usual engine into
/// `.hubcap/catalog/` as its own little hub dir: the catalog never shows up in, or touches, the
/// torch.hub cache or its trusted_list).
struct CatalogIndex
{
    static constexpr int kVersion = 1;
    QString repo;        ///< "owner/repo" it was built from
    QString ref;         ///< the branch it was fetched at
    QString commit;      ///< full SHA (or the 7-char one)
    QDateTime fetchedAt; ///< when the tree was downloaded
    QDateTime checkedAt; ///< last time the commit was compared with GitHub's
    QString treeDir;     ///< absolute path of the fetched tree (images are under it)
    QList<CatalogEntry> entries;
    QList<CatalogProblem> problems;

    /// `.hubcap/catalog` of a hub dir.
    static QString catalogDir(const QString &hubDir);
    static QString indexPath(const QString &hubDir);
    /// Reads the index (nullopt when there is none or it is unreadable: a corrupt index reads
    /// as "no catalog yet").
    static std::optional<CatalogIndex> load(const QString &hubDir);
    Result<void> save(const QString &hubDir) const;

    /// Absolute path of an entry's image, or empty.
    QString imagePath(const CatalogEntry &e) const;
    /// An entry by page name, or by "owner/repo" (case-insensitive; the first page wins).
    const CatalogEntry *find(const QString &pageOrRepo) const;
    /// Marks entries whose repository has a folder in the hub cache (any ref).
    void markCached(const QString &hubDir);
    /// "catalog as of 2026-12-01, commit abc1234"
    QString asOfText() const;
    QJsonObject headerJson() const; ///< {"repo", "commit", "fetched_at"}
};

/// "owner/repo" (lower case) of every repository folder in the hub cache (sidecar records,
/// else folder names with exactly two '_').
QSet<QString> cachedRepoNames(const QString &hubDir);

/// Refreshes the catalog: when a tree was fetched before, asks GitHub for the head commit first
/// (CheckUpdateJob) and downloads nothing when it did not move; otherwise (or when it moved)
/// fetches the repository with RepoFetchJob (progress, retries, token, base URLs), then parses
/// every page and writes the index. Nothing in the catalog is executed. A failure leaves the
/// previous index as it was.
class CatalogRefreshJob : public Job
{
    Q_OBJECT
public:
    CatalogRefreshJob(QString hubDir, NetworkConfig config, RepoSpec spec,
                      QObject *parent = nullptr);

    /// Valid after success.
    const CatalogIndex &index() const { return m_index; }
    /// True when the commit had not moved (nothing was downloaded).
    bool unchanged() const { return m_unchanged; }

protected:
    void doStart() override;
    void doCancel() override;

private:
    void fetch(bool force);
    void build(const QString &treeDir, const QString &ref, const QString &commit,
               const QDateTime &fetchedAt);

    QString m_hubDir;
    NetworkConfig m_config;
    RepoSpec m_spec;
    CatalogIndex m_index;
    bool m_unchanged = false;
    QPointer<Job> m_child;
};

} // namespace hubcap
