#include "app/cli/cmd_bundle.h"

#include "app/cli/argparser.h"
#include "app/cli/cli.h"
#include "app/cli/clicontext.h"
#include "app/cli/progressbar.h"

#include "core/bundle/bundleexport.h"
#include "core/bundle/bundleimport.h"
#include "core/fetch/repofetchjob.h"
#include "core/util/format.h"

#include <QFileInfo>
#include <QJsonArray>

namespace hubcap::cli {

namespace {

const QString kUsage = QStringLiteral(
    "bundle export OWNER/REPO[:REF]... [--weights all|used|none] [--include-checkpoint NAME]... "
    "-o FILE [--dry-run] | bundle import FILE [--trust] [--replace] | bundle show FILE "
    "[--verify]");

QJsonObject manifestSummary(const bundle::Manifest &m)
{
    QJsonObject o = m.toJson();
    o.remove(QStringLiteral("format"));
    return o;
}

void printManifest(CliContext &ctx, const bundle::Manifest &m)
{
    for (const auto &r : m.repos) {
        ctx.out << "  " << r.owner << '/' << r.repo << ':' << r.ref << "  -> " << r.folder << "  ("
                << r.files << " files, " << humanSize(r.bytes);
        if (!r.commit.isEmpty())
            ctx.out << ", commit " << r.commit.left(12);
        ctx.out << ")\n";
        QStringList names;
        for (const auto &e : r.entrypoints)
            names << e.toObject().value(u"name").toString();
        if (!names.isEmpty())
            ctx.out << "      entrypoints: " << names.join(QStringLiteral(", ")) << '\n';
        else if (!r.entrypointsError.isEmpty())
            ctx.out << "      entrypoints: unknown (" << r.entrypointsError.section(u'\n', 0, 0)
                    << ")\n";
    }
    for (const auto &c : m.checkpoints) {
        ctx.out << "  checkpoints/" << c.name << "  (" << humanSize(c.size) << ", " << c.reason;
        if (!c.url.isEmpty())
            ctx.out << ", from " << c.url;
        ctx.out << ")\n";
    }
}

int runExport(CliContext &ctx, const QStringList &args)
{
    ArgParser p;
    p.option(QStringLiteral("--weights"))
        .option(QStringLiteral("--include-checkpoint"))
        .option(QStringLiteral("--output"))
        .flag(QStringLiteral("--dry-run"));
    // The parser knows long options only: "-o FILE" is "--output FILE".
    QStringList argv = args;
    for (qsizetype i = 0; i < argv.size() && argv[i] != u"--"; ++i)
        if (argv[i] == u"-o")
            argv[i] = QStringLiteral("--output");
    if (!p.parse(argv))
        return ctx.usage(p.error(), kUsage);
    if (p.positional().isEmpty())
        return ctx.usage(QStringLiteral("bundle export needs at least one OWNER/REPO[:REF]"),
                         kUsage);
    bundle::ExportRequest req;
    req.hubDir = ctx.hubDir.absolutePath();
    req.repos = p.positional();
    req.dryRun = p.isSet(QStringLiteral("--dry-run"));
    req.includeCheckpoints = p.values(QStringLiteral("--include-checkpoint"));
    if (const auto w = p.value(QStringLiteral("--weights"))) {
        const auto mode = bundle::parseWeightsMode(*w);
        if (!mode)
            return ctx.usage(
                QStringLiteral("--weights must be all, used or none (got '%1')").arg(*w), kUsage);
        req.weights = *mode;
    }
    const auto out = p.value(QStringLiteral("--output"));
    if (!out && !req.dryRun)
        return ctx.usage(QStringLiteral("bundle export needs -o FILE.hubcap"), kUsage);
    if (out)
        req.output = QFileInfo(*out).absoluteFilePath();

    bundle::BundleExportJob job(req);
    ProgressBar bar(&job, ctx.stderrIsTerminal && !ctx.json);
    job.start();
    job.waitForFinished();
    if (job.error())
        return ctx.fail(*job.error());
    const auto &r = job.result();
    if (ctx.json) {
        QJsonObject doc = manifestSummary(r.manifest);
        doc.insert(QStringLiteral("dry_run"), req.dryRun);
        doc.insert(QStringLiteral("archive_bytes"), r.archiveBytes);
        doc.insert(QStringLiteral("output"), req.dryRun ? QJsonValue() : QJsonValue(r.output));
        doc.insert(QStringLiteral("warnings"), QJsonArray::fromStringList(r.warnings));
        if (req.dryRun)
            doc.remove(QStringLiteral("files")); // the hashes are not computed in a dry run
        ctx.printJson(doc);
        return Exit::Ok;
    }
    for (const QString &w : r.warnings)
        ctx.err << "warning: " << w << '\n';
    ctx.err.flush();
    ctx.out << (req.dryRun ? "Would write" : "Wrote") << ' '
            << (req.dryRun ? (req.output.isEmpty() ? QStringLiteral("a bundle") : req.output)
                           : r.output)
            << ": " << r.manifest.repos.size() << " repositories, " << r.manifest.checkpoints.size()
            << " checkpoints, " << r.manifest.files.size() << " files\n";
    printManifest(ctx, r.manifest);
    ctx.out << "Total: " << r.archiveBytes << " bytes (" << humanSize(r.archiveBytes) << ")\n";
    return Exit::Ok;
}

int runShow(CliContext &ctx, const QStringList &args)
{
    ArgParser p;
    p.flag(QStringLiteral("--verify"));
    if (!p.parse(args))
        return ctx.usage(p.error(), kUsage);
    if (p.positional().size() != 1)
        return ctx.usage(QStringLiteral("bundle show needs exactly one FILE"), kUsage);
    auto b = bundle::OpenedBundle::open(p.positional().first());
    if (!b)
        return ctx.fail(b.error());
    const bool verify = p.isSet(QStringLiteral("--verify"));
    if (verify) {
        if (auto v = b->verify(); !v)
            return ctx.fail(v.error());
    }
    const auto &m = b->manifest();
    if (ctx.json) {
        QJsonObject doc = manifestSummary(m);
        doc.insert(QStringLiteral("file"), b->file());
        doc.insert(QStringLiteral("archive_bytes"), b->archiveBytes());
        doc.insert(QStringLiteral("verified"), verify);
        ctx.printJson(doc);
        return Exit::Ok;
    }
    ctx.out << b->file() << ": Hubcap bundle written by Hubcap " << m.hubcapVersion << " on "
            << isoTime(m.createdAt) << ", weights " << m.weights << '\n';
    printManifest(ctx, m);
    ctx.out << m.files.size() << " files, " << humanSize(m.totalBytes()) << "; manifest "
            << (verify ? "and every file's SHA-256 checked" : "checked (sizes; --verify hashes)")
            << '\n';
    return Exit::Ok;
}

int runImport(CliContext &ctx, const QStringList &args)
{
    ArgParser p;
    p.flag(QStringLiteral("--trust")).flag(QStringLiteral("--replace"));
    if (!p.parse(args))
        return ctx.usage(p.error(), kUsage);
    if (p.positional().size() != 1)
        return ctx.usage(QStringLiteral("bundle import needs exactly one FILE"), kUsage);
    const QString hubDir = ctx.hubDir.absolutePath();
    auto preview = bundle::previewImport(p.positional().first(), hubDir);
    if (!preview)
        return ctx.fail(preview.error());

    // torch.hub's trust question, for every repository it would not trust (before the import:
    // afterwards the folder alone would make torch.hub trust it).
    bundle::ImportRequest req;
    req.bundle = p.positional().first();
    req.hubDir = hubDir;
    req.replace = p.isSet(QStringLiteral("--replace"));
    for (const auto &r : preview->repos) {
        if (r.trust.trusted() || req.trust.contains(r.trust.trustName))
            continue;
        if (p.isSet(QStringLiteral("--trust"))) {
            req.trust << r.trust.trustName;
            continue;
        }
        const auto answer = ctx.ask(RepoFetchJob::trustPrompt(r.trust.trustName) + u' ');
        if (!answer)
            return ctx.fail(Error::make(
                Error::Code::Untrusted,
                QStringLiteral("The repository %1 is not trusted, and there is no terminal to "
                               "ask. Nothing was installed. Import with --trust, or trust it "
                               "first with: hubcap-cli trust add %2/%3")
                    .arg(r.trust.trustName, r.repo.owner, r.repo.repo)));
        // As torch.hub: the answer is not stripped; y/yes trusts, n/no/"" refuses.
        const QString a = answer->toLower();
        if (a == u"y" || a == u"yes") {
            req.trust << r.trust.trustName;
            continue;
        }
        if (a != u"n" && a != u"no" && !a.isEmpty())
            return ctx.fail(Error::make(Error::Code::Untrusted,
                                        QStringLiteral("Unrecognized response %1.").arg(*answer)));
        return ctx.fail(
            Error::make(Error::Code::Untrusted,
                        QStringLiteral("Untrusted repository %1: nothing was installed.")
                            .arg(r.trust.trustName)));
    }

    bundle::BundleImportJob job(req);
    ProgressBar bar(&job, ctx.stderrIsTerminal && !ctx.json);
    job.start();
    job.waitForFinished();
    if (job.error())
        return ctx.fail(*job.error());
    const auto &r = job.result();
    if (ctx.json) {
        ctx.printJson(QJsonObject{
            {QStringLiteral("hub_dir"), hubDir},
            {QStringLiteral("installed"), QJsonArray::fromStringList(r.installed)},
            {QStringLiteral("kept"), QJsonArray::fromStringList(r.kept)},
            {QStringLiteral("replaced"), QJsonArray::fromStringList(r.replaced)},
            {QStringLiteral("trust_added"), QJsonArray::fromStringList(r.trustAdded)},
            {QStringLiteral("bytes_written"), r.bytesWritten},
            {QStringLiteral("repositories"), manifestSummary(r.manifest).value(u"repositories")},
            {QStringLiteral("checkpoints"), manifestSummary(r.manifest).value(u"checkpoints")}});
        return Exit::Ok;
    }
    ctx.out << "Imported into " << hubDir << ": " << r.installed.size() << " files installed, "
            << r.replaced.size() << " replaced, " << r.kept.size() << " identical kept ("
            << humanSize(r.bytesWritten) << ")\n";
    printManifest(ctx, r.manifest);
    for (const QString &t : r.trustAdded)
        ctx.out << "Added " << t << " to trusted_list\n";
    return Exit::Ok;
}

} // namespace

int runBundle(CliContext &ctx, const QStringList &args)
{
    if (args.isEmpty())
        return ctx.usage(QStringLiteral("bundle needs export, import or show"), kUsage);
    const QString sub = args.first();
    const QStringList rest = args.mid(1);
    if (sub == u"export")
        return runExport(ctx, rest);
    if (sub == u"import")
        return runImport(ctx, rest);
    if (sub == u"show")
        return runShow(ctx, rest);
    return ctx.usage(QStringLiteral("unknown bundle command '%1'").arg(sub), kUsage);
}

} // namespace hubcap::cli
