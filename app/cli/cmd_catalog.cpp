#include "app/cli/cmd_catalog.h"

#include "app/cli/argparser.h"
#include "app/cli/cli.h"
#include "app/cli/clicontext.h"
#include "app/cli/progressbar.h"
#include "app/cli/texttable.h"

#include "core/catalog/catalog.h"
#include "core/catalog/catalogsearch.h"
#include "core/hosts/pyhost/client/pyhostclient.h"
#include "core/util/format.h"

#include <QDateTime>
#include <QJsonDocument>

#include <QJsonArray>
#include <algorithm>

namespace hubcap::cli {

namespace {

const QString kUsage =
    QStringLiteral("catalog [--refresh] [--category C] [--tag T] | catalog search "
                   "TERMS... | catalog show OWNER/REPO|PAGE-NAME");

QString ageText(const CatalogIndex &idx)
{
    if (!idx.fetchedAt.isValid())
        return QStringLiteral("age unknown");
    const qint64 s = std::max<qint64>(0, idx.fetchedAt.secsTo(QDateTime::currentDateTimeUtc()));
    return s < 60 ? QStringLiteral("fetched just now")
                  : QStringLiteral("fetched %1 ago").arg(humanDuration(s));
}

/// The catalog index: the one fetched earlier (no network) unless `refresh`, else fetched
/// now. A failed refresh with an earlier catalog warns and uses it.
Result<CatalogIndex> obtainIndex(CliContext &ctx, bool refresh)
{
    const auto spec = catalogRepoSpec();
    if (!spec)
        return std::unexpected(spec.error());
    const QString hubDir = ctx.hubDir.absolutePath();
    auto idx = CatalogIndex::load(hubDir);
    const QString want = spec->owner + u'/' + spec->repo;
    if (idx && idx->repo.compare(want, Qt::CaseInsensitive) != 0) {
        ctx.err << "hubcap-cli: the catalog fetched earlier is " << idx->repo << ", not " << want
                << " (HUBCAP_CATALOG_REPO); fetching " << want << '\n';
        idx.reset();
    }
    if (idx && !refresh) {
        ctx.err << idx->asOfText() << " (" << ageText(*idx)
                << "; hubcap-cli catalog --refresh updates it)\n";
        ctx.err.flush();
        idx->markCached(hubDir);
        return *idx;
    }
    CatalogRefreshJob job(hubDir, NetworkConfig::fromEnvironment(), *spec);
    ProgressBar bar(&job, ctx.stderrIsTerminal && !ctx.json);
    job.start();
    job.waitForFinished();
    if (job.error()) {
        if (idx) {
            ctx.err << "hubcap-cli: could not refresh the catalog: " << job.error()->message
                    << "\nUsing the " << idx->asOfText() << " (" << ageText(*idx) << ").\n";
            ctx.err.flush();
            idx->markCached(hubDir);
            return *idx;
        }
        return fail(job.error()->code == Error::Code::Cancelled ? Error::Code::Cancelled
                                                                : Error::Code::Offline,
                    QStringLiteral("No catalog has been fetched yet, and fetching %1 failed: %2 "
                                   "Connect to the network (or set GITHUB_TOKEN when rate "
                                   "limited) and run: hubcap-cli catalog --refresh")
                        .arg(spec->toString(), job.error()->message),
                    job.error()->details);
    }
    CatalogIndex out = job.index();
    ctx.err << out.asOfText()
            << (job.unchanged() ? QStringLiteral(" (up to date)") : QStringLiteral(" (fetched)"))
            << '\n';
    if (!job.unchanged()) // what was skipped, once, when the pages were read
        for (const CatalogProblem &p : out.problems)
            ctx.err << "hubcap-cli: " << p.file << ": " << p.message << '\n';
    ctx.err.flush();
    out.markCached(hubDir);
    return out;
}

QJsonObject entryJson(const CatalogIndex &idx, const CatalogEntry &e, bool withDescription)
{
    QJsonObject o = e.toJson();
    o.insert(QStringLiteral("image"), idx.imagePath(e));
    if (!withDescription)
        o.remove(QStringLiteral("description"));
    return o;
}

int runList(CliContext &ctx, const QStringList &args)
{
    ArgParser p;
    p.flag(QStringLiteral("--refresh"))
        .option(QStringLiteral("--category"))
        .option(QStringLiteral("--tag"));
    if (!p.parse(args))
        return ctx.usage(p.error(), kUsage);
    if (!p.positional().isEmpty())
        return ctx.usage(QStringLiteral("unknown catalog command '%1'").arg(p.positional().first()),
                         kUsage);
    const auto idx = obtainIndex(ctx, p.isSet(QStringLiteral("--refresh")));
    if (!idx)
        return ctx.fail(idx.error());
    const auto category = p.value(QStringLiteral("--category"));
    const QStringList tags = p.values(QStringLiteral("--tag"));
    QList<const CatalogEntry *> shown;
    for (const CatalogEntry &e : idx->entries) {
        if (category && e.category.compare(*category, Qt::CaseInsensitive) != 0)
            continue;
        bool ok = true;
        for (const QString &t : tags)
            ok = ok && e.tags.contains(t, Qt::CaseInsensitive);
        if (ok)
            shown << &e;
    }
    if (ctx.json) {
        QJsonArray arr;
        for (const CatalogEntry *e : shown)
            arr.append(entryJson(*idx, *e, false));
        ctx.printJson(QJsonObject{{QStringLiteral("catalog"), idx->headerJson()},
                                  {QStringLiteral("entries"), arr}});
        return Exit::Ok;
    }
    TextTable table({QStringLiteral("TITLE"), QStringLiteral("REPO"), QStringLiteral("ENTRYPOINTS"),
                     QStringLiteral("TAGS")});
    for (const CatalogEntry *e : shown) {
        QString repo = e->ref.isEmpty() ? e->repo : e->repo + u':' + e->ref;
        if (e->cached)
            repo += QStringLiteral(" (cached)");
        table.addRow({e->title.left(40), repo, e->entrypoints().join(QStringLiteral(", ")).left(60),
                      e->tags.join(QStringLiteral(", "))});
    }
    if (table.isEmpty())
        ctx.out << "No catalog entries" << (category || !tags.isEmpty() ? " match the filters" : "")
                << ".\n";
    else
        ctx.out << table.toString();
    return Exit::Ok;
}

int runSearch(CliContext &ctx, const QStringList &args)
{
    ArgParser p;
    if (!p.parse(args))
        return ctx.usage(p.error(), kUsage);
    const QString query = p.positional().join(u' ').trimmed();
    if (query.isEmpty())
        return ctx.usage(QStringLiteral("catalog search needs at least one term"), kUsage);
    const auto idx = obtainIndex(ctx, false);
    if (!idx)
        return ctx.fail(idx.error());
    // The cached repositories' entrypoints: static listing (no code runs) of new or changed
    // repositories only; the rest comes from the sidecar index.
    const QString hubDir = ctx.hubDir.absolutePath();
    PyHostPool pool;
    EntrypointIndexJob indexJob(hubDir, &pool);
    ProgressBar indexBar(&indexJob, ctx.stderrIsTerminal && !ctx.json);
    indexJob.start();
    indexJob.waitForFinished();
    EntrypointIndex eps = indexJob.error() ? EntrypointIndex::load(hubDir) : indexJob.index();
    if (indexJob.error())
        ctx.err << "hubcap-cli: the cached repositories' entrypoints could not be indexed: "
                << indexJob.error()->message << '\n';
    const QList<CachedEntrypoint> all = eps.all();
    const CatalogSearch search(idx->entries, all);
    const QList<SearchHit> hits = search.search(query);
    if (ctx.json) {
        QJsonArray arr;
        for (const SearchHit &h : hits) {
            QJsonObject o = searchHitJson(h, idx->entries, all);
            if (h.kind == SearchHit::Kind::Page)
                o.insert(QStringLiteral("image"), idx->imagePath(idx->entries[h.entryIndex]));
            arr.append(o);
        }
        ctx.printJson(
            QJsonObject{{QStringLiteral("query"), query}, {QStringLiteral("results"), arr}});
        return Exit::Ok;
    }
    if (hits.isEmpty()) {
        ctx.out << "Nothing matches '" << query << "'.\n";
        return Exit::Ok;
    }
    TextTable table({QStringLiteral("KIND"), QStringLiteral("NAME"), QStringLiteral("REPO"),
                     QStringLiteral("ABOUT")});
    for (const SearchHit &h : hits) {
        if (h.kind == SearchHit::Kind::Page) {
            const CatalogEntry &e = idx->entries[h.entryIndex];
            table.addRow({QStringLiteral("page"), e.page,
                          e.repo + (e.cached ? QStringLiteral(" (cached)") : QString()),
                          (e.title + QStringLiteral(": ") + e.summary).left(70)});
        } else {
            const CachedEntrypoint &e = all[h.entrypointIndex];
            table.addRow({QStringLiteral("entrypoint"), e.name, e.repo, e.doc.left(70)});
        }
    }
    ctx.out << table.toString();
    return Exit::Ok;
}

int runShow(CliContext &ctx, const QStringList &args)
{
    ArgParser p;
    if (!p.parse(args))
        return ctx.usage(p.error(), kUsage);
    if (p.positional().size() != 1)
        return ctx.usage(QStringLiteral("catalog show needs one OWNER/REPO or PAGE-NAME"), kUsage);
    const QString key = p.positional().first();
    const auto idx = obtainIndex(ctx, false);
    if (!idx)
        return ctx.fail(idx.error());
    const CatalogEntry *e = idx->find(key);
    if (!e)
        return ctx.fail(Error::make(
            Error::Code::NotFound, QStringLiteral("The catalog has no page named '%1' and none for "
                                                  "that repository. Find one with: hubcap-cli "
                                                  "catalog search %1")
                                       .arg(key)));
    if (ctx.json) {
        ctx.printJson(entryJson(*idx, *e, true));
        return Exit::Ok;
    }
    ctx.out << e->title << "\n" << QString(e->title.size(), u'=') << "\n";
    if (!e->summary.isEmpty())
        ctx.out << e->summary << "\n";
    ctx.out << "\n";
    auto line = [&ctx](const char *label, const QString &value) {
        if (!value.isEmpty())
            ctx.out << QString::fromLatin1(label).leftJustified(12) << value << '\n';
    };
    line("Page", e->page);
    line("Repository", (e->ref.isEmpty() ? e->repo : e->repo + u':' + e->ref) +
                           (e->cached ? QStringLiteral(" (in the hub cache)") : QString()));
    line("Entrypoints", e->entrypoints().join(QStringLiteral(", ")));
    line("Category", e->category);
    line("Tags", e->tags.join(QStringLiteral(", ")));
    line("Author", e->author);
    line("Link", e->githubLink);
    line("Demo", e->demoLink);
    line("Image", idx->imagePath(*e));
    if (!e->examples.isEmpty()) {
        ctx.out << "\nLoad examples:\n";
        for (const LoadExample &x : e->examples)
            ctx.out << "  " << x.code << '\n';
    }
    ctx.out << "\n" << e->description << "\n";
    return Exit::Ok;
}

} // namespace

int runCatalog(CliContext &ctx, const QStringList &args)
{
    if (!args.isEmpty() && args.first() == u"search")
        return runSearch(ctx, args.mid(1));
    if (!args.isEmpty() && args.first() == u"show")
        return runShow(ctx, args.mid(1));
    return runList(ctx, args);
}

} // namespace hubcap::cli
