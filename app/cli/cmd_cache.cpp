#include "app/cli/cmd_cache.h"

#include "app/cli/argparser.h"
#include "app/cli/cli.h"
#include "app/cli/clicontext.h"
#include "app/cli/texttable.h"
#include "core/cache/deletion.h"
#include "core/cache/inventory.h"
#include "core/util/format.h"

#include <QElapsedTimer>
#include <QJsonArray>

namespace hubcap::cli {

namespace {

const QString kUsageLs = QStringLiteral("cache ls");
const QString kUsageRm = QStringLiteral("cache rm TARGET... [--dry-run] [--yes] [--force]");
const QString kUsageClear = QStringLiteral("cache clear [--dry-run] [--yes] [--force]");
const QString kUsage = kUsageLs + u'\n' + QStringLiteral("       ") + kUsageRm + u'\n' +
                       QStringLiteral("       ") + kUsageClear;

QString shortTime(const QDateTime &t)
{
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                       : QStringLiteral("-");
}

QString plural(qsizetype n, const QString &one, const QString &many)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
}

void printProblems(CliContext &ctx, const CacheInventory &inv)
{
    for (const auto &p : inv.problems)
        ctx.err << "hubcap-cli: warning: " << p.path << ": " << p.message << '\n';
    ctx.err.flush();
}

// "\rScanning 12/40  name" on a terminal's stderr for jobs that count items (not bytes), shown
// only once the job has run for 300 ms, and wiped when it finishes.
class CountProgress
{
public:
    CountProgress(Job *job, bool enabled, const QString &verb) : m_verb(verb)
    {
        if (!enabled)
            return;
        m_clock.start();
        QObject::connect(
            job, &Job::progress, job, [this](qint64 done, qint64 total, const QString &text) {
                if (m_clock.elapsed() < 300 || (m_drawn && m_sinceDraw.elapsed() < 120))
                    return;
                m_sinceDraw.start();
                const QString line =
                    QStringLiteral("%1 %2/%3  %4").arg(m_verb).arg(done).arg(total).arg(text);
                m_err << '\r' << line.left(100).leftJustified(100) << Qt::flush;
                m_drawn = true;
            });
    }
    ~CountProgress()
    {
        if (m_drawn)
            m_err << '\r' << QString(100, u' ') << '\r' << Qt::flush;
    }

private:
    QString m_verb;
    QTextStream m_err{stderr};
    QElapsedTimer m_clock, m_sinceDraw;
    bool m_drawn = false;
};

// Runs the scan job (progress on a terminal); the job's error on failure.
Result<CacheInventory> scan(CliContext &ctx)
{
    CacheScanJob job(ctx.hubDir.absolutePath());
    CountProgress progress(&job, ctx.stderrIsTerminal, QStringLiteral("Scanning"));
    job.start();
    job.waitForFinished();
    if (job.error())
        return std::unexpected(*job.error());
    return job.result();
}

int listCache(CliContext &ctx)
{
    auto inv = scan(ctx);
    if (!inv)
        return ctx.fail(inv.error());
    if (ctx.json) {
        ctx.printJson(inv->toJson());
        printProblems(ctx, *inv);
        return Exit::Ok;
    }
    QTextStream &out = ctx.out;
    out << "Hub dir: " << inv->hubDir << "  (from " << ctx.hubDir.origin << ")\n";
    if (!inv->exists) {
        out << "The hub dir does not exist yet: nothing is cached.\n";
        out << "Free: " << humanSize(inv->freeBytes) << '\n';
        return Exit::Ok;
    }
    if (!inv->repos.isEmpty()) {
        out << "\nRepositories (" << inv->repos.size() << ")\n";
        TextTable t({QStringLiteral("FOLDER"), QStringLiteral("REPOSITORY"), QStringLiteral("REF"),
                     QStringLiteral("SIZE"), QStringLiteral("FILES"), QStringLiteral("MODIFIED"),
                     QStringLiteral("TRUST")},
                    {3, 4});
        for (const auto &r : inv->repos)
            t.addRow({r.dir + (r.isSymlink ? QStringLiteral(" ->") : QString()),
                      r.known() ? r.owner + u'/' + r.repo : QStringLiteral("?"),
                      r.ref.isNull() ? QStringLiteral("?")
                                     : (r.ref.isEmpty() ? QStringLiteral("\"\"") : r.ref),
                      humanSize(r.bytes), QString::number(r.files), shortTime(r.modified),
                      trustReasonText(r.trust.reason)});
        out << t.toString();
    }
    if (!inv->checkpoints.isEmpty()) {
        out << "\nCheckpoints (" << inv->checkpoints.size() << ")\n";
        TextTable t({QStringLiteral("NAME"), QStringLiteral("SIZE"), QStringLiteral("HASH"),
                     QStringLiteral("MODIFIED"), QStringLiteral("SOURCE")},
                    {1});
        for (const auto &c : inv->checkpoints)
            t.addRow({c.name + (c.isSymlink ? QStringLiteral(" ->") : QString()),
                      humanSize(c.bytes),
                      c.hashPrefix.isNull() ? QStringLiteral("-") : c.hashPrefix,
                      shortTime(c.modified), c.provenance ? c.provenance->url : QString()});
        out << t.toString();
        for (const auto &c : inv->checkpoints) {
            if (!c.provenance || c.provenance->otherUrls.isEmpty())
                continue;
            out << "warning: " << c.name << " was requested from "
                << c.provenance->otherUrls.size() + 1 << " different URLs ("
                << (QStringList{c.provenance->url} + c.provenance->otherUrls)
                       .join(QStringLiteral(", "))
                << "); they share this file name, and torch.hub uses whichever file came first. "
                   "Use --file-name to keep them apart.\n";
        }
    }
    if (!inv->leftovers.isEmpty()) {
        out << "\nLeftovers (" << inv->leftovers.size()
            << "): interrupted downloads and extractions, removed by 'hubcap-cli cache clear'\n";
        TextTable t({QStringLiteral("PATH"), QStringLiteral("SIZE"), QStringLiteral("KIND"),
                     QStringLiteral("MODIFIED")},
                    {1});
        for (const auto &l : inv->leftovers)
            t.addRow({l.path, humanSize(l.bytes), leftoverKindName(l.kind), shortTime(l.modified)});
        out << t.toString();
    }
    if (inv->repos.isEmpty() && inv->checkpoints.isEmpty() && inv->leftovers.isEmpty())
        out << "\nNothing is cached.\n";
    if (!inv->unknown.isEmpty())
        out << "\nNot part of the cache, never removed (" << inv->unknown.size()
            << "): " << inv->unknown.join(QStringLiteral(", ")) << '\n';
    if (!inv->hasHubLayout)
        out << "\nNote: " << inv->hubDir
            << " does not look like a torch.hub dir (no checkpoints/, trusted_list, .hubcap/ or "
               "repository folder); check --hub-dir and TORCH_HOME.\n";
    out << "\nTotal: " << humanSize(inv->totalBytes) << " ("
        << plural(inv->repos.size(), QStringLiteral("repository"), QStringLiteral("repositories"))
        << ", "
        << plural(inv->checkpoints.size(), QStringLiteral("checkpoint"),
                  QStringLiteral("checkpoints"))
        << ", "
        << plural(inv->leftovers.size(), QStringLiteral("leftover"), QStringLiteral("leftovers"))
        << ").  Free: " << humanSize(inv->freeBytes) << '\n';
    out.flush();
    printProblems(ctx, *inv);
    return Exit::Ok;
}

void printPlan(CliContext &ctx, const DeletionPlan &plan, bool dryRun)
{
    QTextStream &out = ctx.out;
    out << (dryRun ? "Would remove" : "To remove") << " from " << plan.hubDir << ":\n";
    TextTable t({QStringLiteral("SIZE"), QStringLiteral("KIND"), QStringLiteral("PATH")}, {0});
    QList<DeletionItem> items = plan.items;
    std::stable_sort(items.begin(), items.end(), [](const DeletionItem &a, const DeletionItem &b) {
        return a.bytes > b.bytes;
    });
    for (const auto &it : items)
        t.addRow({humanSize(it.bytes), deletionKindName(it.kind),
                  it.relPath + (it.isSymlink ? QStringLiteral(" (symlink only)") : QString())});
    out << t.toString();
    out << "Total: " << humanSize(plan.totalBytes()) << " in "
        << plural(plan.items.size(), QStringLiteral("item"), QStringLiteral("items")) << '\n';
    out.flush();
}

int removeCommon(CliContext &ctx, const QString &usageText, const QStringList &args, bool clear)
{
    ArgParser p;
    p.flag(QStringLiteral("--dry-run"))
        .flag(QStringLiteral("--yes"))
        .flag(QStringLiteral("--force"));
    if (!p.parse(args))
        return ctx.usage(p.error(), usageText);
    if (clear && !p.positional().isEmpty())
        return ctx.usage(QStringLiteral("cache clear takes no targets (use cache rm TARGET...)"),
                         usageText);
    if (!clear && p.positional().isEmpty())
        return ctx.usage(QStringLiteral("cache rm needs at least one TARGET"), usageText);
    const bool dryRun = p.isSet(QStringLiteral("--dry-run"));
    const bool yes = p.isSet(QStringLiteral("--yes"));

    auto inv = scan(ctx);
    if (!inv)
        return ctx.fail(inv.error());
    if (inv->exists && !inv->hasHubLayout && !p.isSet(QStringLiteral("--force")))
        return ctx.fail(Error::make(
            Error::Code::InvalidArgument,
            QStringLiteral("Refusing to remove anything: %1 does not look like a torch.hub dir "
                           "(it has no checkpoints/, trusted_list, .hubcap/ or repository "
                           "folder). Check --hub-dir, TORCH_HOME and XDG_CACHE_HOME (the hub dir "
                           "came from %2), or pass --force if this really is a hub dir. Nothing "
                           "was removed.")
                .arg(inv->hubDir, ctx.hubDir.origin)));
    DeletionPlan plan;
    if (clear) {
        plan = planClear(*inv);
    } else {
        auto planned = planRemoval(*inv, p.positional());
        if (!planned)
            return ctx.fail(planned.error());
        plan = *planned;
    }
    for (const QString &note : plan.notes)
        ctx.err << "hubcap-cli: note: " << note << '\n';
    ctx.err.flush();

    auto document = [&](const DeletionOutcome &outcome) {
        QJsonObject doc = outcome.toJson();
        doc.insert(QStringLiteral("hub_dir"), plan.hubDir);
        doc.insert(QStringLiteral("dry_run"), dryRun);
        doc.insert(QStringLiteral("plan"), plan.toJson());
        return doc;
    };

    if (plan.items.isEmpty()) {
        if (ctx.json)
            ctx.printJson(document({}));
        else
            ctx.out << "Nothing to remove in " << plan.hubDir << ".\n";
        return Exit::Ok;
    }
    if (!ctx.json)
        printPlan(ctx, plan, dryRun);
    if (dryRun) {
        if (ctx.json)
            ctx.printJson(document({}));
        else
            ctx.out << "Dry run: nothing was removed.\n";
        return Exit::Ok;
    }
    if (!yes) {
        const auto answer = ctx.confirm(
            QStringLiteral("Remove %1 (%2)?")
                .arg(plural(plan.items.size(), QStringLiteral("item"), QStringLiteral("items")),
                     humanSize(plan.totalBytes())));
        if (!answer)
            return ctx.fail(Error::make(
                Error::Code::InvalidArgument,
                QStringLiteral("Refusing to delete without confirmation: there is no terminal "
                               "to ask on. Pass --yes to delete (or --dry-run to only see the "
                               "plan). Nothing was removed.")));
        if (!*answer)
            return ctx.fail(Error::make(Error::Code::Cancelled,
                                        QStringLiteral("Not confirmed; nothing was removed.")));
    }

    DeletionJob job(plan);
    CountProgress progress(&job, ctx.stderrIsTerminal, QStringLiteral("Removing"));
    job.start();
    job.waitForFinished();
    const DeletionOutcome &outcome = job.outcome();
    if (ctx.json) {
        ctx.printJson(document(outcome));
    } else {
        ctx.out << "Removed "
                << plural(outcome.removed.size(), QStringLiteral("item"), QStringLiteral("items"))
                << ", freed " << humanSize(outcome.freedBytes) << ".\n";
        ctx.out.flush();
    }
    for (const auto &f : outcome.skipped)
        ctx.err << "hubcap-cli: skipped " << f.path << ": " << f.reason << '\n';
    for (const auto &f : outcome.failed)
        ctx.err << "hubcap-cli: could not remove " << f.path << ": " << f.reason << '\n';
    ctx.err.flush();
    if (!outcome.failed.isEmpty() || outcome.cancelled) {
        if (!ctx.json)
            ctx.err << "hubcap-cli: " << outcome.failed.size()
                    << " path(s) could not be removed; check their permissions or whether a "
                       "process uses them.\n";
        ctx.err.flush();
        return Exit::Failure;
    }
    return Exit::Ok;
}

} // namespace

int runCache(CliContext &ctx, const QStringList &args)
{
    if (args.isEmpty())
        return ctx.usage(QStringLiteral("cache needs a subcommand: ls, rm or clear"), kUsage);
    const QString sub = args.first();
    const QStringList rest = args.mid(1);
    // --help and -h: handled for every command in cli.cpp (commandHelp).
    if (sub == u"ls") {
        ArgParser p;
        if (!p.parse(rest))
            return ctx.usage(p.error(), kUsageLs);
        if (!p.positional().isEmpty())
            return ctx.usage(QStringLiteral("cache ls takes no arguments"), kUsageLs);
        return listCache(ctx);
    }
    if (sub == u"rm")
        return removeCommon(ctx, kUsageRm, rest, false);
    if (sub == u"clear")
        return removeCommon(ctx, kUsageClear, rest, true);
    return ctx.usage(QStringLiteral("unknown cache subcommand '%1'").arg(sub), kUsage);
}

} // namespace hubcap::cli
