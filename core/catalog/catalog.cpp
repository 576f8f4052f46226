#include "core/catalog/catalog.h"

#include "core/cache/sidecar.h"
#include "core/fetch/checkupdatejob.h"
#include "core/fetch/repofetchjob.h"
#include "core/util/format.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSet>

namespace hubcap {

Result<RepoSpec> catalogRepoSpec(const QProcessEnvironment &env)
{
    const QString value = env.value(QStringLiteral("HUBCAP_CATALOG_REPO")).trimmed();
    const QString text = value.isEmpty() ? QStringLiteral("pytorch/hub") : value;
    auto spec = RepoSpec::parse(text);
    if (!spec)
        return fail(
            Error::Code::InvalidArgument,
            QStringLiteral("HUBCAP_CATALOG_REPO must be owner/repo[:ref] (got '%1')").arg(text),
            spec.error().message);
    return spec;
}

QString CatalogIndex::catalogDir(const QString &hubDir)
{
    return QDir(Sidecar(hubDir).root()).filePath(QStringLiteral("catalog"));
}

QString CatalogIndex::indexPath(const QString &hubDir)
{
    return QDir(catalogDir(hubDir)).filePath(QStringLiteral("index.json"));
}

std::optional<CatalogIndex> CatalogIndex::load(const QString &hubDir)
{
    QFile f(indexPath(hubDir));
    // Bounded: 5000 pages of at most 256 KiB would be far more; 64 MiB is plenty.
    if (!f.open(QIODevice::ReadOnly) || f.size() > 64 * 1024 * 1024)
        return std::nullopt;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll());
    const QJsonObject o = doc.object();
    if (o.value(QStringLiteral("version")).toInt() != kVersion)
        return std::nullopt;
    CatalogIndex idx;
    idx.repo = o.value(QStringLiteral("repo")).toString();
    idx.ref = o.value(QStringLiteral("ref")).toString();
    idx.commit = o.value(QStringLiteral("commit")).toString();
    idx.fetchedAt =
        QDateTime::fromString(o.value(QStringLiteral("fetched_at")).toString(), Qt::ISODate);
    idx.checkedAt =
        QDateTime::fromString(o.value(QStringLiteral("checked_at")).toString(), Qt::ISODate);
    const QString tree = o.value(QStringLiteral("tree")).toString();
    // The tree is stored relative to the catalog folder (the hub dir may move); no "..".
    if (!tree.isEmpty() && !tree.contains(u'/') && tree != u".." && tree != u".")
        idx.treeDir = QDir(catalogDir(hubDir)).filePath(tree);
    for (const QJsonValue &v : o.value(QStringLiteral("entries")).toArray())
        idx.entries << CatalogEntry::fromJson(v.toObject());
    for (const QJsonValue &v : o.value(QStringLiteral("problems")).toArray())
        idx.problems << CatalogProblem::fromJson(v.toObject());
    if (idx.repo.isEmpty())
        return std::nullopt;
    return idx;
}

Result<void> CatalogIndex::save(const QString &hubDir) const
{
    QJsonArray entriesJson, problemsJson;
    for (const CatalogEntry &e : entries) {
        QJsonObject o = e.toJson();
        o.remove(QStringLiteral("cached")); // a property of the cache, not of the catalog
        entriesJson.append(o);
    }
    for (const CatalogProblem &p : problems)
        problemsJson.append(p.toJson());
    const QJsonObject o{
        {QStringLiteral("version"), kVersion},
        {QStringLiteral("repo"), repo},
        {QStringLiteral("ref"), ref},
        {QStringLiteral("commit"), commit},
        {QStringLiteral("fetched_at"), fetchedAt.isValid() ? isoTime(fetchedAt) : QString()},
        {QStringLiteral("checked_at"), checkedAt.isValid() ? isoTime(checkedAt) : QString()},
        {QStringLiteral("tree"), QFileInfo(treeDir).fileName()},
        {QStringLiteral("entries"), entriesJson},
        {QStringLiteral("problems"), problemsJson}};
    if (!QDir().mkpath(catalogDir(hubDir)))
        return fail(Error::Code::Io, QStringLiteral("Cannot create %1").arg(catalogDir(hubDir)));
    QSaveFile f(indexPath(hubDir));
    if (!f.open(QIODevice::WriteOnly) ||
        f.write(QJsonDocument(o).toJson(QJsonDocument::Compact)) < 0 || !f.commit())
        return fail(Error::Code::Io, QStringLiteral("Cannot write the catalog index %1: %2")
                                         .arg(f.fileName(), f.errorString()));
    return {};
}

QString CatalogIndex::imagePath(const CatalogEntry &e) const
{
    if (e.image.isEmpty() || treeDir.isEmpty() || e.image.contains(QStringLiteral("..")))
        return {};
    const QString p = QDir(treeDir).filePath(e.image);
    return QFileInfo(p).isFile() ? p : QString();
}

const CatalogEntry *CatalogIndex::find(const QString &key) const
{
    for (const CatalogEntry &e : entries)
        if (e.page == key || e.page + QStringLiteral(".md") == key)
            return &e;
    for (const CatalogEntry &e : entries)
        if (e.repo.compare(key, Qt::CaseInsensitive) == 0)
            return &e;
    return nullptr;
}

QSet<QString> cachedRepoNames(const QString &hubDir)
{
    QSet<QString> out;
    const Sidecar sidecar(hubDir);
    const QDir dir(hubDir);
    const QStringList folders = dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::NoSymLinks);
    for (const QString &f : folders) {
        if (f.startsWith(u'.') || f == u"checkpoints")
            continue;
        if (const auto rec = sidecar.repo(f)) {
            out.insert((rec->owner + u'/' + rec->repo).toLower());
            continue;
        }
        const QStringList parts = f.split(u'_');
        if (parts.size() == 3 && QFileInfo::exists(dir.filePath(f + QStringLiteral("/hubconf.py"))))
            out.insert((parts[0] + u'/' + parts[1]).toLower());
    }
    return out;
}

void CatalogIndex::markCached(const QString &hubDir)
{
    const QSet<QString> cached = cachedRepoNames(hubDir);
    for (CatalogEntry &e : entries)
        e.cached = cached.contains(e.repo.toLower());
}

QString CatalogIndex::asOfText() const
{
    const QString when = fetchedAt.isValid()
                             ? fetchedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd"))
                             : QStringLiteral("an unknown date");
    return QStringLiteral("catalog as of %1, commit %2")
        .arg(when, commit.isEmpty() ? QStringLiteral("unknown") : commit.left(7));
}

QJsonObject CatalogIndex::headerJson() const
{
    return QJsonObject{
        {QStringLiteral("repo"), repo},
        {QStringLiteral("commit"), commit},
        {QStringLiteral("fetched_at"), fetchedAt.isValid() ? isoTime(fetchedAt) : QString()}};
}

CatalogRefreshJob::CatalogRefreshJob(QString hubDir, NetworkConfig config, RepoSpec spec,
                                     QObject *parent)
    : Job(parent), m_hubDir(std::move(hubDir)), m_config(std::move(config)), m_spec(std::move(spec))
{
    setTitle(tr("Refresh the catalog (%1)").arg(m_spec.toString()));
}

void CatalogRefreshJob::doCancel()
{
    if (m_child)
        m_child->cancel();
}

void CatalogRefreshJob::doStart()
{
    const QString catalogDir = CatalogIndex::catalogDir(m_hubDir);
    const auto prev = CatalogIndex::load(m_hubDir);
    const bool sameRepo =
        prev && prev->repo.compare(m_spec.owner + u'/' + m_spec.repo, Qt::CaseInsensitive) == 0 &&
        (!m_spec.hasRef || m_spec.ref.isEmpty() || prev->ref == m_spec.ref);
    if (!sameRepo || prev->commit.isEmpty() || !QFileInfo(prev->treeDir).isDir())
        return fetch(false);
    // Check first: one API call; no zipball when the commit did not move.
    auto *check = new CheckUpdateJob(m_spec, catalogDir, m_config, this);
    m_child = check;
    reportProgress(0, -1, tr("Checking %1 for a new commit").arg(m_spec.toString()));
    connect(check, &Job::finished, this, [this, check, prev = *prev] {
        check->deleteLater();
        if (isCancelRequested())
            return failWith(Error::make(Error::Code::Cancelled, tr("Cancelled.")));
        if (check->error())
            return failWith(*check->error());
        if (check->outcome().status == CheckUpdateJob::Status::UpToDate) {
            m_unchanged = true;
            m_index = prev;
            m_index.checkedAt = QDateTime::currentDateTimeUtc();
            if (auto saved = m_index.save(m_hubDir); !saved)
                return failWith(saved.error());
            reportProgress(1, 1,
                           tr("The catalog is up to date (commit %1)").arg(prev.commit.left(7)));
            return succeed();
        }
        fetch(true);
    });
    check->start();
}

void CatalogRefreshJob::fetch(bool force)
{
    RepoFetchRequest req;
    req.spec = m_spec;
    req.hubDir = CatalogIndex::catalogDir(m_hubDir);
    req.forceReload = force;
    // The catalog's own little hub dir: "trust" only means "download", nothing is executed,
    // and the user's trusted_list is not touched.
    req.trust = TrustMode::Yes;
    if (!QDir().mkpath(req.hubDir))
        return failWith(Error::make(Error::Code::Io, tr("Cannot create %1").arg(req.hubDir)));
    auto *job = new RepoFetchJob(req, m_config, this);
    m_child = job;
    connect(job, &Job::progress, this, [this](qint64 done, qint64 total, const QString &text) {
        reportProgress(done, total, text);
    });
    connect(job, &Job::finished, this, [this, job] {
        job->deleteLater();
        if (job->error())
            return failWith(*job->error());
        const RepoFetchResult &r = job->result();
        QDateTime fetchedAt = r.fetchedAt;
        if (!fetchedAt.isValid())
            if (const auto rec = Sidecar(CatalogIndex::catalogDir(m_hubDir)).repo(r.folder))
                fetchedAt = rec->fetchedAt;
        build(r.dir, r.ref, r.commit, fetchedAt);
    });
    job->start();
}

void CatalogRefreshJob::build(const QString &treeDir, const QString &ref, const QString &commit,
                              const QDateTime &fetchedAt)
{
    reportProgress(0, -1, tr("Reading the catalog pages"));
    ParsedCatalog parsed = parseCatalogTree(treeDir);
    m_index = {};
    m_index.repo = m_spec.owner + u'/' + m_spec.repo;
    m_index.ref = ref;
    m_index.commit = commit;
    m_index.fetchedAt = fetchedAt.isValid() ? fetchedAt : QDateTime::currentDateTimeUtc();
    m_index.checkedAt = QDateTime::currentDateTimeUtc();
    m_index.treeDir = treeDir;
    m_index.entries = std::move(parsed.entries);
    m_index.problems = std::move(parsed.problems);
    if (auto saved = m_index.save(m_hubDir); !saved)
        return failWith(saved.error());
    reportProgress(1, 1, tr("%n catalog page(s) read", nullptr, int(m_index.entries.size())));
    succeed();
}

} // namespace hubcap
