#include "app/cli/cmd_fetch.h"

#include "app/cli/argparser.h"
#include "app/cli/cli.h"
#include "app/cli/clicontext.h"
#include "app/cli/progressbar.h"

#include "core/fetch/checkupdatejob.h"
#include "core/fetch/repofetchjob.h"
#include "core/util/format.h"

namespace hubcap::cli {

namespace {

const QString kUsage = QStringLiteral("fetch OWNER/REPO[:REF] [--force-reload] [--skip-validation] "
                                      "[--trust-repo check|yes|no] [--check-update]");

int runCheckUpdate(CliContext &ctx, const RepoSpec &spec, const QString &hubDir)
{
    CheckUpdateJob job(spec, hubDir, NetworkConfig::fromEnvironment());
    job.start();
    job.waitForFinished();
    if (job.error())
        return ctx.fail(*job.error());
    const auto &o = job.outcome();
    if (ctx.json) {
        ctx.printJson(QJsonObject{{QStringLiteral("folder"), o.folder},
                                  {QStringLiteral("ref"), o.ref},
                                  {QStringLiteral("status"), CheckUpdateJob::statusName(o.status)},
                                  {QStringLiteral("recorded_commit"), o.recordedCommit},
                                  {QStringLiteral("head_commit"), o.headCommit},
                                  {QStringLiteral("text"), o.text}});
    } else {
        ctx.out << o.folder << ": " << o.text << '\n';
    }
    return Exit::Ok;
}

} // namespace

Result<RepoFetchResult> fetchForCli(CliContext &ctx, const ArgParser &p, const RepoSpec &spec,
                                    const QString &hubDir)
{
    RepoFetchRequest req;
    req.spec = spec;
    req.hubDir = hubDir;
    req.forceReload = p.isSet(QStringLiteral("--force-reload"));
    req.skipValidation = p.isSet(QStringLiteral("--skip-validation"));
    if (const auto t = p.value(QStringLiteral("--trust-repo"))) {
        const auto mode = parseTrustOption(*t);
        if (!mode)
            return std::unexpected(mode.error());
        req.trust = *mode;
    }

    RepoFetchJob job(req, NetworkConfig::fromEnvironment());
    std::optional<Error> answerError;
    QObject::connect(&job, &RepoFetchJob::message, &job, [&ctx](const QString &text) {
        ctx.err << text << '\n';
        ctx.err.flush();
    });
    // Without a terminal nothing is connected: the job refuses before any network request.
    bool nobodyToAsk = !ctx.stdinIsTerminal;
    if (!nobodyToAsk)
        QObject::connect(&job, &RepoFetchJob::trustQuestion, &job,
                         [&](const TrustQuestion &question) {
                             const auto answer = ctx.askTrust(question);
                             if (!answer) {
                                 answerError = answer.error();
                                 return job.answerTrust(TrustAnswer::Refuse);
                             }
                             if (!*answer) { // the terminal closed
                                 nobodyToAsk = true;
                                 return job.answerTrust(TrustAnswer::Refuse);
                             }
                             job.answerTrust(**answer);
                         });
    ProgressBar bar(&job, ctx.stderrIsTerminal && !ctx.json);
    job.start();
    job.waitForFinished();
    if (!job.error())
        return job.result();
    if (job.error()->code != Error::Code::Untrusted)
        return std::unexpected(*job.error());
    if (answerError)
        return std::unexpected(*answerError);
    if (nobodyToAsk)
        return fail(Error::Code::Untrusted,
                    QStringLiteral("The repository %1 is not trusted, and there is no terminal to "
                                   "ask. Trust it with --trust-repo yes, or with: hubcap-cli "
                                   "trust add %2")
                        .arg(spec.trustName(), spec.owner + u'/' + spec.repo));
    return std::unexpected(*job.error());
}

int runFetch(CliContext &ctx, const QStringList &args)
{
    ArgParser p;
    p.flag(QStringLiteral("--force-reload"))
        .flag(QStringLiteral("--skip-validation"))
        .flag(QStringLiteral("--check-update"))
        .option(QStringLiteral("--trust-repo"));
    if (!p.parse(args))
        return ctx.usage(p.error(), kUsage);
    if (p.positional().size() != 1)
        return ctx.usage(QStringLiteral("fetch needs exactly one OWNER/REPO[:REF]"), kUsage);
    const auto spec = RepoSpec::parse(p.positional().first());
    if (!spec)
        return ctx.usage(spec.error().message, kUsage);
    const QString hubDir = ctx.hubDir.absolutePath();
    if (p.isSet(QStringLiteral("--check-update")))
        return runCheckUpdate(ctx, *spec, hubDir);

    if (const auto t = p.value(QStringLiteral("--trust-repo")))
        if (const auto mode = parseTrustOption(*t); !mode)
            return ctx.usage(mode.error().message, kUsage);
    const auto fetched = fetchForCli(ctx, p, *spec, hubDir);
    if (!fetched)
        return ctx.fail(fetched.error());

    const RepoFetchResult &r = *fetched;
    if (ctx.json) {
        ctx.printJson(QJsonObject{{QStringLiteral("dir"), r.dir},
                                  {QStringLiteral("folder"), r.folder},
                                  {QStringLiteral("owner"), spec->owner},
                                  {QStringLiteral("repo"), spec->repo},
                                  {QStringLiteral("ref"), r.ref},
                                  {QStringLiteral("commit"), r.commit},
                                  {QStringLiteral("cached"), r.cached},
                                  {QStringLiteral("offline_fallback"), r.offlineFallback},
                                  {QStringLiteral("trust_added"), r.trustAdded},
                                  {QStringLiteral("fetched_at"),
                                   r.fetchedAt.isValid() ? isoTime(r.fetchedAt) : QString()}});
    } else {
        QString line = r.dir;
        QStringList notes;
        if (!r.commit.isEmpty())
            notes << QStringLiteral("commit %1").arg(r.commit.left(7));
        notes << (r.cached ? QStringLiteral("cached") : QStringLiteral("downloaded"));
        ctx.out << line << " (" << notes.join(QStringLiteral(", ")) << ")\n";
    }
    return Exit::Ok;
}

} // namespace hubcap::cli
