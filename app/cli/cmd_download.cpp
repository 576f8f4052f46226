#include "app/cli/cmd_download.h"

#include "app/cli/argparser.h"
#include "app/cli/cli.h"
#include "app/cli/clicontext.h"
#include "app/cli/progressbar.h"

#include "core/net/checkpointdownload.h"
#include "core/net/downloadjob.h"
#include "core/util/format.h"

#include <QJsonArray>

namespace hubcap::cli {

namespace {

const QString kUsage =
    QStringLiteral("download URL [--model-dir DIR] [--file-name NAME] "
                   "[--check-hash | --hash-prefix HEX] [--replace] [--retries N]");

} // namespace

int runDownload(CliContext &ctx, const QStringList &args)
{
    ArgParser p;
    p.flag(QStringLiteral("--check-hash"))
        .flag(QStringLiteral("--replace"))
        .option(QStringLiteral("--model-dir"))
        .option(QStringLiteral("--file-name"))
        .option(QStringLiteral("--hash-prefix"))
        .option(QStringLiteral("--retries"));
    if (!p.parse(args))
        return ctx.usage(p.error(), kUsage);
    if (p.positional().size() != 1)
        return ctx.usage(QStringLiteral("download needs exactly one URL"), kUsage);
    if (p.isSet(QStringLiteral("--check-hash")) && p.isSet(QStringLiteral("--hash-prefix")))
        return ctx.usage(QStringLiteral("--check-hash and --hash-prefix exclude each other"),
                         kUsage);

    CheckpointRequest req;
    req.url = QUrl::fromUserInput(p.positional().first());
    if (!req.url.isValid() || req.url.isRelative())
        return ctx.usage(QStringLiteral("not a URL: %1").arg(p.positional().first()), kUsage);
    req.hubDir = ctx.hubDir.absolutePath();
    req.modelDir = p.value(QStringLiteral("--model-dir"));
    req.fileName = p.value(QStringLiteral("--file-name"));
    req.checkHash = p.isSet(QStringLiteral("--check-hash"));
    req.replace = p.isSet(QStringLiteral("--replace")); // torch.hub would keep an existing file
    req.hashPrefix = p.value(QStringLiteral("--hash-prefix")).value_or(QString());
    if (const auto r = p.value(QStringLiteral("--retries"))) {
        bool ok = false;
        const int n = r->toInt(&ok);
        if (!ok || n < 0 || n > 100)
            return ctx.usage(QStringLiteral("--retries needs a number from 0 to 100"), kUsage);
        req.maxAttempts = n + 1;
    }

    CheckpointDownloadJob job(req, NetworkConfig::fromEnvironment());
    const bool bar = ctx.stderrIsTerminal && !ctx.json;
    ProgressBar progress(&job, bar);
    QObject::connect(&job, &CheckpointDownloadJob::downloadStarted, &job,
                     [&ctx, &req, bar](DownloadJob *, const QString &path) {
                         // torch.hub's line, on a terminal only (scripts stay quiet).
                         if (bar) {
                             ctx.err << "Downloading: \"" << redactUrl(req.url) << "\" to " << path
                                     << '\n';
                             ctx.err.flush();
                         }
                     });
    job.start();
    job.waitForFinished();
    if (job.error())
        return ctx.fail(*job.error());

    const CheckpointResult &r = job.result();
    if (ctx.json) {
        QJsonObject o{{QStringLiteral("path"), r.path},
                      {QStringLiteral("url"), redactUrl(req.url)},
                      {QStringLiteral("bytes"), r.bytes},
                      {QStringLiteral("sha256"), r.sha256},
                      {QStringLiteral("resumed_from"), r.resumedFrom},
                      {QStringLiteral("attempts"), r.attempts},
                      {QStringLiteral("from_cache"), r.fromCache},
                      {QStringLiteral("verified"), r.verified},
                      {QStringLiteral("warnings"), QJsonArray::fromStringList(r.warnings)}};
        if (!r.expectedPrefix.isEmpty())
            o.insert(QStringLiteral("expected_prefix"), r.expectedPrefix);
        if (!r.unverifiable.isEmpty())
            o.insert(QStringLiteral("unverifiable"), r.unverifiable);
        if (!r.extractedPath.isEmpty())
            o.insert(QStringLiteral("extracted"), r.extractedPath);
        ctx.printJson(o);
        return Exit::Ok;
    }
    for (const QString &w : r.warnings)
        ctx.err << "hubcap-cli: warning: " << w << '\n';
    ctx.err.flush();
    if (bar) {
        QString line = r.fromCache
                           ? QStringLiteral("Using cached %1 (%2)").arg(r.path, humanSize(r.bytes))
                           : QStringLiteral("Saved %1 (%2)").arg(r.path, humanSize(r.bytes));
        if (r.resumedFrom > 0)
            line += QStringLiteral(", resumed from %1").arg(humanSize(r.resumedFrom));
        if (r.verified)
            line += QStringLiteral(", SHA-256 verified");
        ctx.err << line << '\n';
        ctx.err.flush();
    }
    ctx.out << r.path << '\n';
    return Exit::Ok;
}

} // namespace hubcap::cli
