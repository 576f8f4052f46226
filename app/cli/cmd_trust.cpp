#include "app/cli/cmd_trust.h"

#include "app/cli/argparser.h"
#include "app/cli/cli.h"
#include "app/cli/clicontext.h"
#include "core/cache/repospec.h"
#include "core/cache/trustlist.h"

#include <QJsonArray>

namespace hubcap::cli {

namespace {

const QString kUsage = QStringLiteral(
    "trust ls | trust add OWNER/REPO | trust rm OWNER/REPO | trust check OWNER/REPO[:REF]");

const QStringList &trustedOwners()
{
    static const QStringList owners{QStringLiteral("facebookresearch"),
                                    QStringLiteral("facebookincubator"), QStringLiteral("pytorch"),
                                    QStringLiteral("fairinternal")};
    return owners;
}

QJsonValue orNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

// The one positional argument of add/rm/check, or a usage error.
std::optional<QString> oneArgument(CliContext &ctx, const QStringList &args,
                                   const QString &usageText, int &exit)
{
    ArgParser p;
    if (!p.parse(args)) {
        exit = ctx.usage(p.error(), usageText);
        return std::nullopt;
    }
    if (p.positional().size() != 1) {
        exit = ctx.usage(QStringLiteral("expected exactly one OWNER/REPO"), usageText);
        return std::nullopt;
    }
    return p.positional().first();
}

int listTrust(CliContext &ctx, const TrustList &list)
{
    auto entries = list.entries();
    if (!entries)
        return ctx.fail(entries.error());
    if (ctx.json) {
        ctx.printJson(QJsonObject{
            {QStringLiteral("hub_dir"), list.hubDir()},
            {QStringLiteral("path"), list.path()},
            {QStringLiteral("exists"), list.exists()},
            {QStringLiteral("entries"), QJsonArray::fromStringList(*entries)},
            {QStringLiteral("trusted_owners"), QJsonArray::fromStringList(trustedOwners())}});
        return Exit::Ok;
    }
    ctx.out << "trusted_list: " << list.path();
    if (!list.exists())
        ctx.out << " (does not exist yet)";
    ctx.out << '\n';
    for (const QString &e : *entries)
        ctx.out << "  " << e << '\n';
    if (entries->isEmpty())
        ctx.out << "  (no entries)\n";
    ctx.out << "Always trusted owners (case-sensitive): "
            << trustedOwners().join(QStringLiteral(", ")) << '\n'
            << "Also trusted by torch.hub: any OWNER/REPO:REF whose folder OWNER_REPO_REF already "
               "exists in the hub dir.\n";
    ctx.out.flush();
    return Exit::Ok;
}

int addTrust(CliContext &ctx, const TrustList &list, const QString &arg)
{
    const auto spec = RepoSpec::parse(arg);
    if (!spec)
        return ctx.usage(spec.error().message, QStringLiteral("trust add OWNER/REPO"));
    if (spec->hasRef)
        return ctx.usage(
            QStringLiteral(
                "trust add takes OWNER/REPO without a ref: torch.hub trusts a repository "
                "with all its refs (trusted_list holds owner_repo)"),
            QStringLiteral("trust add OWNER/REPO"));
    auto added = list.add(spec->trustName());
    if (!added)
        return ctx.fail(added.error());
    if (ctx.json) {
        ctx.printJson(QJsonObject{{QStringLiteral("repo"), spec->toString()},
                                  {QStringLiteral("entry"), spec->trustName()},
                                  {QStringLiteral("added"), *added},
                                  {QStringLiteral("path"), list.path()}});
        return Exit::Ok;
    }
    if (*added)
        ctx.out << "Added " << spec->trustName() << " to " << list.path() << '\n';
    else
        ctx.out << spec->trustName() << " is already in " << list.path() << '\n';
    if (spec->owner.contains(u'_') || spec->repo.contains(u'_'))
        ctx.out << "Note: torch.hub's entry is owner_repo, so every OWNER/REPO spelled "
                << spec->trustName() << " with '_' in another place shares it.\n";
    ctx.out.flush();
    return Exit::Ok;
}

int removeTrust(CliContext &ctx, const TrustList &list, const QString &arg)
{
    // OWNER/REPO, or a raw trusted_list line (to remove a malformed entry).
    QString entry = arg;
    std::optional<RepoSpec> spec;
    if (arg.contains(u'/') || arg.contains(u':')) {
        auto parsed = RepoSpec::parse(arg);
        if (!parsed)
            return ctx.usage(parsed.error().message, QStringLiteral("trust rm OWNER/REPO"));
        if (parsed->hasRef)
            return ctx.usage(QStringLiteral("trust rm takes OWNER/REPO without a ref"),
                             QStringLiteral("trust rm OWNER/REPO"));
        spec = *parsed;
        entry = parsed->trustName();
    }
    auto removed = list.remove(entry);
    if (!removed)
        return ctx.fail(removed.error());
    if (*removed == 0)
        return ctx.fail(Error::make(
            Error::Code::NotFound,
            QStringLiteral(
                "%1 is not in %2 (entries are case-sensitive; see 'hubcap-cli trust ls').")
                .arg(entry, list.path())));
    std::optional<TrustDecision> still;
    if (spec) {
        if (auto d = list.check(*spec); d && d->trusted())
            still = *d;
    }
    if (ctx.json) {
        ctx.printJson(QJsonObject{
            {QStringLiteral("entry"), entry},
            {QStringLiteral("removed"), *removed},
            {QStringLiteral("path"), list.path()},
            {QStringLiteral("still_trusted"), still.has_value()},
            {QStringLiteral("reason"), still ? trustReasonName(still->reason) : QJsonValue()}});
        return Exit::Ok;
    }
    ctx.out << "Removed " << entry << " from " << list.path() << '\n';
    if (still)
        ctx.out << "Note: torch.hub still trusts " << spec->toString() << ": "
                << trustReasonText(still->reason)
                << (still->legacyFolder.isEmpty()
                        ? QString()
                        : QStringLiteral(" (%1)").arg(still->legacyFolder))
                << '\n';
    ctx.out.flush();
    return Exit::Ok;
}

int checkTrust(CliContext &ctx, const TrustList &list, const QString &arg)
{
    const auto spec = RepoSpec::parse(arg);
    if (!spec)
        return ctx.usage(spec.error().message, QStringLiteral("trust check OWNER/REPO[:REF]"));
    auto d = list.check(*spec);
    if (!d)
        return ctx.fail(d.error());
    if (ctx.json) {
        ctx.printJson(QJsonObject{{QStringLiteral("repo"), spec->toString()},
                                  {QStringLiteral("trust_name"), d->trustName},
                                  {QStringLiteral("trusted"), d->trusted()},
                                  {QStringLiteral("reason"), trustReasonName(d->reason)},
                                  {QStringLiteral("in_trusted_list"), d->inList},
                                  {QStringLiteral("trusted_owner"), d->ownerTrusted},
                                  {QStringLiteral("legacy_folder"), orNull(d->legacyFolder)}});
    } else {
        ctx.out << spec->toString() << ": " << (d->trusted() ? "trusted" : "not trusted");
        if (d->trusted())
            ctx.out << " (" << trustReasonText(d->reason)
                    << (d->reason == TrustReason::LegacyFolder
                            ? QStringLiteral(": %1").arg(d->legacyFolder)
                            : QString())
                    << ')';
        ctx.out << '\n';
        ctx.out.flush();
    }
    if (!d->trusted()) {
        ctx.err << "hubcap-cli: torch.hub would ask before running " << spec->toString()
                << " (trust_repo=\"check\"). Run 'hubcap-cli trust add " << spec->owner << u'/'
                << spec->repo << "' to trust it.\n";
        ctx.err.flush();
        return Exit::Failure;
    }
    return Exit::Ok;
}

} // namespace

int runTrust(CliContext &ctx, const QStringList &args)
{
    if (args.isEmpty())
        return ctx.usage(QStringLiteral("trust needs a subcommand: ls, add, rm or check"), kUsage);
    const QString sub = args.first();
    const QStringList rest = args.mid(1);
    // --help and -h: handled for every command in cli.cpp (commandHelp).
    const TrustList list(ctx.hubDir.absolutePath());
    if (sub == u"ls") {
        if (!rest.isEmpty())
            return ctx.usage(QStringLiteral("trust ls takes no arguments"),
                             QStringLiteral("trust ls"));
        return listTrust(ctx, list);
    }
    int exit = Exit::Ok;
    if (sub == u"add") {
        const auto arg = oneArgument(ctx, rest, QStringLiteral("trust add OWNER/REPO"), exit);
        return arg ? addTrust(ctx, list, *arg) : exit;
    }
    if (sub == u"rm") {
        const auto arg = oneArgument(ctx, rest, QStringLiteral("trust rm OWNER/REPO"), exit);
        return arg ? removeTrust(ctx, list, *arg) : exit;
    }
    if (sub == u"check") {
        const auto arg =
            oneArgument(ctx, rest, QStringLiteral("trust check OWNER/REPO[:REF]"), exit);
        return arg ? checkTrust(ctx, list, *arg) : exit;
    }
    return ctx.usage(QStringLiteral("unknown trust subcommand '%1'").arg(sub), kUsage);
}

} // namespace hubcap::cli
