#include "core/catalog/catalogsearch.h"

#include "core/cache/sidecar.h"
#include "core/hosts/pyhost/client/pyhostclient.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>

#include <algorithm>
#include <vector>

namespace hubcap {

namespace {
constexpr int kMaxEntrypointsPerRepo = 2000;
constexpr int kMaxDocLine = 300;

QString firstLine(const QString &doc)
{
    for (const QString &l : doc.split(u'\n')) {
        const QString t = l.trimmed();
        if (!t.isEmpty())
            return t.left(kMaxDocLine);
    }
    return {};
}
} // namespace

QString EntrypointIndex::path(const QString &hubDir)
{
    return QDir(CatalogIndex::catalogDir(hubDir)).filePath(QStringLiteral("entrypoints.json"));
}

EntrypointIndex EntrypointIndex::load(const QString &hubDir)
{
    EntrypointIndex idx;
    QFile f(path(hubDir));
    if (!f.open(QIODevice::ReadOnly) || f.size() > 64 * 1024 * 1024)
        return idx;
    const QJsonObject root = QJsonDocument::fromJson(f.readAll()).object();
    const QJsonObject folders = root.value(QStringLiteral("folders")).toObject();
    for (auto it = folders.begin(); it != folders.end(); ++it) {
        const QJsonObject o = it.value().toObject();
        Folder fo;
        fo.repo = o.value(QStringLiteral("repo")).toString();
        fo.stamp = o.value(QStringLiteral("stamp")).toString();
        fo.error = o.value(QStringLiteral("error")).toString();
        for (const QJsonValue &v : o.value(QStringLiteral("entrypoints")).toArray()) {
            const QJsonObject e = v.toObject();
            fo.entrypoints.append({it.key(), fo.repo, e.value(QStringLiteral("name")).toString(),
                                   e.value(QStringLiteral("doc")).toString()});
        }
        idx.folders.insert(it.key(), fo);
    }
    return idx;
}

Result<void> EntrypointIndex::save(const QString &hubDir) const
{
    QJsonObject folderJson;
    for (auto it = folders.begin(); it != folders.end(); ++it) {
        QJsonArray eps;
        for (const CachedEntrypoint &e : it->entrypoints)
            eps.append(
                QJsonObject{{QStringLiteral("name"), e.name}, {QStringLiteral("doc"), e.doc}});
        folderJson.insert(it.key(), QJsonObject{{QStringLiteral("repo"), it->repo},
                                                {QStringLiteral("stamp"), it->stamp},
                                                {QStringLiteral("error"), it->error},
                                                {QStringLiteral("entrypoints"), eps}});
    }
    QDir().mkpath(CatalogIndex::catalogDir(hubDir));
    QSaveFile f(path(hubDir));
    if (!f.open(QIODevice::WriteOnly) ||
        f.write(QJsonDocument(QJsonObject{{QStringLiteral("version"), 1},
                                          {QStringLiteral("folders"), folderJson}})
                    .toJson(QJsonDocument::Compact)) < 0 ||
        !f.commit())
        return fail(Error::Code::Io,
                    QStringLiteral("Cannot write %1: %2").arg(f.fileName(), f.errorString()));
    return {};
}

QList<CachedEntrypoint> EntrypointIndex::all() const
{
    QList<CachedEntrypoint> out;
    QStringList keys = folders.keys();
    keys.sort();
    for (const QString &k : keys)
        out += folders.value(k).entrypoints;
    return out;
}

QHash<QString, QString> EntrypointIndex::currentStamps(const QString &hubDir)
{
    QHash<QString, QString> out;
    const QDir dir(hubDir);
    for (const QString &f : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::NoSymLinks)) {
        if (f.startsWith(u'.') || f == u"checkpoints")
            continue;
        const QFileInfo hubconf(dir.filePath(f + QStringLiteral("/hubconf.py")));
        if (!hubconf.isFile())
            continue;
        out.insert(f, QStringLiteral("%1:%2")
                          .arg(hubconf.size())
                          .arg(hubconf.lastModified().toMSecsSinceEpoch()));
    }
    return out;
}

QStringList EntrypointIndex::stale(const QHash<QString, QString> &stamps)
{
    for (auto it = folders.begin(); it != folders.end();)
        it = stamps.contains(it.key()) ? std::next(it) : folders.erase(it);
    QStringList out;
    for (auto it = stamps.begin(); it != stamps.end(); ++it)
        if (!folders.contains(it.key()) || folders.value(it.key()).stamp != it.value())
            out << it.key();
    out.sort();
    return out;
}

EntrypointIndexJob::EntrypointIndexJob(QString hubDir, PyHostPool *pool, QObject *parent)
    : Job(parent), m_hubDir(std::move(hubDir)), m_pool(pool)
{
    setTitle(tr("Index the cached repositories' entrypoints"));
}

void EntrypointIndexJob::doCancel()
{
    if (m_child)
        m_child->cancel();
}

void EntrypointIndexJob::doStart()
{
    m_index = EntrypointIndex::load(m_hubDir);
    m_stamps = EntrypointIndex::currentStamps(m_hubDir);
    m_todo = m_index.stale(m_stamps);
    m_total = int(m_todo.size());
    next();
}

void EntrypointIndexJob::next()
{
    if (isCancelRequested())
        return failWith(Error::make(Error::Code::Cancelled, tr("Cancelled.")));
    if (m_todo.isEmpty()) {
        if (m_listed > 0 || m_total == 0) {
            if (auto saved = m_index.save(m_hubDir); !saved)
                return failWith(saved.error());
        }
        return succeed();
    }
    const QString folder = m_todo.takeFirst();
    reportProgress(m_total - m_todo.size() - 1, m_total,
                   tr("Reading the entrypoints of %1").arg(folder));
    QString repo = folder;
    if (const auto rec = Sidecar(m_hubDir).repo(folder))
        repo = QStringLiteral("%1/%2:%3").arg(rec->owner, rec->repo, rec->ref);
    else if (const QStringList parts = folder.split(u'_'); parts.size() == 3)
        repo = QStringLiteral("%1/%2:%3").arg(parts[0], parts[1], parts[2]);
    const QString dir = QDir(m_hubDir).filePath(folder);
    auto *job = new EntrypointListJob(m_pool, dir, false, PyHostJob::staticDeadlineMs, this);
    m_child = job;
    connect(job, &Job::finished, this, [this, job, folder, repo] {
        job->deleteLater();
        EntrypointIndex::Folder fo;
        fo.repo = repo;
        fo.stamp = m_stamps.value(folder);
        if (job->error()) {
            if (job->error()->code == Error::Code::Cancelled)
                return failWith(*job->error());
            fo.error = job->error()->message;
        } else {
            for (const Entrypoint &e : job->value().entrypoints) {
                if (fo.entrypoints.size() >= kMaxEntrypointsPerRepo)
                    break;
                const QString name = e.name.left(200);
                if (!name.isEmpty())
                    fo.entrypoints.append({folder, repo, name, firstLine(e.docText())});
            }
        }
        m_index.folders.insert(folder, fo);
        ++m_listed;
        next();
    });
    job->start();
}

CatalogSearch::CatalogSearch(const QList<CatalogEntry> &entries,
                             const QList<CachedEntrypoint> &entrypoints)
{
    m_docs.reserve(entries.size() + entrypoints.size());
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const CatalogEntry &e = entries[i];
        Doc d{{}, SearchHit::Kind::Page, int(i)};
        d.fields = {{e.title.toLower(), 100},   {e.entrypoints().join(u' ').toLower(), 60},
                    {e.repo.toLower(), 50},     {e.tags.join(u' ').toLower(), 40},
                    {e.category.toLower(), 30}, {e.author.toLower(), 20},
                    {e.summary.toLower(), 15}};
        m_docs << d;
    }
    for (qsizetype i = 0; i < entrypoints.size(); ++i) {
        const CachedEntrypoint &e = entrypoints[i];
        m_docs << Doc{{{e.name.toLower(), 90}, {e.repo.toLower(), 50}, {e.doc.toLower(), 10}},
                      SearchHit::Kind::Entrypoint,
                      int(i)};
    }
}

QStringList CatalogSearch::terms(const QString &query)
{
    QStringList out;
    for (const QString &t :
         query.toLower().split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts))
        if (!out.contains(t))
            out << t.left(100);
    return out.mid(0, 16);
}

int CatalogSearch::fieldScore(const QString &text, const QString &term)
{
    // Whole word 3, word start 2, inside a word 1. A one-letter term in a long text has many
    // occurrences: look at a bounded number of them (the first ones decide in practice).
    int best = 0;
    int looked = 0;
    auto isWord = [](QChar c) { return c.isLetterOrNumber(); };
    for (qsizetype at = text.indexOf(term); at >= 0 && looked < 16;
         at = text.indexOf(term, at + 1), ++looked) {
        const bool start = at == 0 || !isWord(text[at - 1]);
        if (!start) {
            best = std::max(best, 1);
            continue;
        }
        const qsizetype end = at + term.size();
        if (end == text.size() || !isWord(text[end]))
            return 3;
        best = 2;
    }
    return best;
}

QList<SearchHit> CatalogSearch::search(const QString &query, int limit) const
{
    const QStringList ts = terms(query);
    QList<SearchHit> hits;
    if (ts.isEmpty() || limit <= 0)
        return hits;
    struct Scored
    {
        int score;
        int doc;
    };
    std::vector<Scored> scored;
    for (qsizetype i = 0; i < m_docs.size(); ++i) {
        const Doc &d = m_docs[i];
        int total = 0;
        bool all = true;
        for (const QString &t : ts) {
            int best = 0;
            // Fields are in decreasing weight: stop when no later field can do better.
            for (const Field &f : d.fields) {
                if (f.weight * 3 <= best)
                    break;
                best = std::max(best, f.weight * fieldScore(f.text, t));
            }
            if (best == 0) {
                all = false;
                break;
            }
            total += best;
        }
        if (all)
            scored.push_back({total, int(i)});
    }
    // Best first; ties keep the catalog order (pages before entrypoints, as added).
    auto better = [](const Scored &a, const Scored &b) {
        return a.score != b.score ? a.score > b.score : a.doc < b.doc;
    };
    const auto cut = scored.begin() + std::min<qsizetype>(limit, qsizetype(scored.size()));
    std::partial_sort(scored.begin(), cut, scored.end(), better);
    hits.reserve(cut - scored.begin());
    for (auto it = scored.begin(); it != cut; ++it) {
        const Doc &d = m_docs[it->doc];
        SearchHit h;
        h.kind = d.kind;
        h.score = it->score;
        (d.kind == SearchHit::Kind::Page ? h.entryIndex : h.entrypointIndex) = d.index;
        hits << h;
    }
    return hits;
}

QJsonObject searchHitJson(const SearchHit &hit, const QList<CatalogEntry> &entries,
                          const QList<CachedEntrypoint> &entrypoints)
{
    if (hit.kind == SearchHit::Kind::Page) {
        QJsonObject o = entries.value(hit.entryIndex).toJson();
        o.remove(QStringLiteral("description"));
        o.insert(QStringLiteral("kind"), QStringLiteral("page"));
        o.insert(QStringLiteral("score"), hit.score);
        return o;
    }
    const CachedEntrypoint e = entrypoints.value(hit.entrypointIndex);
    return QJsonObject{{QStringLiteral("kind"), QStringLiteral("entrypoint")},
                       {QStringLiteral("repo"), e.repo},
                       {QStringLiteral("entrypoint"), e.name},
                       {QStringLiteral("folder"), e.folder},
                       {QStringLiteral("doc"), e.doc},
                       {QStringLiteral("score"), hit.score}};
}

} // namespace hubcap
