#include "app/cli/cli.h"

#include "app/cli/clicontext.h"
#include "app/cli/cmd_bundle.h"
#include "app/cli/cmd_cache.h"
#include "app/cli/cmd_catalog.h"
#include "app/cli/cmd_download.h"
#include "app/cli/cmd_fetch.h"
#include "app/cli/cmd_inspect.h"
#include "app/cli/cmd_pyhost.h"
#include "app/cli/cmd_trust.h"
#include "app/cli/cmd_verify.h"
#include "app/cli/commands.h"
#include "core/cache/inventory.h"
#include "core/util/format.h"
#include "core/util/version.h"

#include <QCoreApplication>
#include <QHash>
#include <QLibraryInfo>
#include <QRegularExpression>
#include <QSet>

namespace hubcap::cli {

const QList<Command> &commands()
{
    static const QList<Command> all{
        // Commands are added here as they land: {name, summary, usage, run}.
        {QStringLiteral("cache"),
         QStringLiteral("list the torch.hub cache, remove repositories, checkpoints and leftovers"),
         QStringLiteral("cache ls | cache rm TARGET... [--dry-run] [--yes] [--force] | cache clear "
                        "[--dry-run] [--yes] [--force]"),
         &runCache,
         QStringLiteral("TARGET: OWNER/REPO[:REF], a folder or file name in the hub dir, or "
                        "checkpoints/NAME.\n"
                        "Without --yes, rm and clear ask on a terminal and refuse (exit 1) without "
                        "one.\nclear keeps trusted_list. Only repository folders (owner_repo_ref "
                        "with a hubconf.py),\ncheckpoints and leftovers are removed; anything else "
                        "in the hub dir is never touched.\nIn a folder that does not look like a "
                        "hub dir, rm and clear refuse unless --force.\n")},
        {QStringLiteral("trust"),
         QStringLiteral(
             "show and edit torch.hub's trusted_list; check whether a repository is trusted"),
         QStringLiteral("trust ls | trust add OWNER/REPO | trust rm OWNER/REPO | trust check "
                        "OWNER/REPO[:REF]"),
         &runTrust,
         QStringLiteral("trust check exits 0 when torch.hub would trust the repository, 1 when "
                        "it would ask.\n")},
        {QStringLiteral("list"),
         QStringLiteral("list a repository's entrypoints (static by default: no code runs)"),
         QStringLiteral("list REPO [--source github|local] [--mode static|import] [--force-reload] "
                        "[--skip-validation] [--trust-repo check|yes|no] [--timeout SECONDS]"),
         &runList},
        {QStringLiteral("help"), QStringLiteral("show an entrypoint's signature and docstring"),
         QStringLiteral("help REPO ENTRYPOINT [--source github|local] [--mode static|import] "
                        "[--force-reload] [--skip-validation] [--trust-repo check|yes|no] "
                        "[--timeout SECONDS]"),
         &runHelp},
        {QStringLiteral("load"),
         QStringLiteral("run an entrypoint in a Python host, describe and export the result"),
         QStringLiteral("load REPO ENTRYPOINT [ARG...] [--kwarg K=V]... [--export "
                        "torchscript|trace|state_dict|onnx --output PATH [--input-shape S] "
                        "[--dtype D] [--verify]] [--depth N] [--source github|local] "
                        "[--mode static|import] [--force-reload] [--skip-validation] "
                        "[--trust-repo check|yes|no] [--timeout SECONDS]"),
         &runLoad},
        {QStringLiteral("download"),
         QStringLiteral(
             "download a checkpoint as torch.hub.load_state_dict_from_url (resumable, verified)"),
         QStringLiteral("download URL [--model-dir DIR] [--file-name NAME] [--check-hash | "
                        "--hash-prefix HEX] [--replace] [--retries N]"),
         &runDownload},
        {QStringLiteral("inspect"),
         QStringLiteral(
             "show the tensors and values in a checkpoint without running its pickle code"),
         QStringLiteral("inspect FILE [--stats] [--tensor PATTERN]..."), &runInspect},
        {QStringLiteral("verify"),
         QStringLiteral("run a TorchScript export in libtorch (no Python) and compare it with the "
                        "eager output"),
         QStringLiteral("verify EXPORT_PATH [--runs N] [--rtol X] [--atol X] [--threads N]"),
         &runVerify},
        {QStringLiteral("fetch"),
         QStringLiteral("download a GitHub repository into the hub cache (as torch.hub.load)"),
         QStringLiteral("fetch OWNER/REPO[:REF] [--force-reload] [--skip-validation] [--trust-repo "
                        "check|yes|no] [--check-update]"),
         &runFetch},
        {QStringLiteral("bundle"),
         QStringLiteral("export cached repositories and weights to one verified file; import "
                        "one offline"),
         QStringLiteral("bundle export OWNER/REPO[:REF]... [--weights all|used|none] "
                        "[--include-checkpoint NAME]... -o FILE [--dry-run] | bundle import FILE "
                        "[--trust] [--replace] | bundle show FILE [--verify]"),
         &runBundle,
         QStringLiteral("-o FILE (or --output FILE): the bundle to write, FILE.hubcap.\n"
                        "A bundle is a plain tar (readable with tar) of the repository folders and "
                        "checkpoints as they are in the hub dir, plus manifest.json (versions, "
                        "commits, each file's size and SHA-256, checkpoint sources, "
                        "entrypoints). It never holds trusted_list.\n"
                        "import verifies every file before placing any; without --trust it asks "
                        "torch.hub's trust question on a terminal and refuses without one.\n")},
        {QStringLiteral("catalog"),
         QStringLiteral("browse and search the PyTorch Hub catalog (pytorch/hub) and cached "
                        "entrypoints"),
         QStringLiteral("catalog [--refresh] [--category C] [--tag T] | catalog search TERMS... | "
                        "catalog show OWNER/REPO|PAGE-NAME"),
         &runCatalog,
         QStringLiteral("The catalog is fetched once into <hub dir>/.hubcap/catalog/ and then used "
                        "offline;\n--refresh checks its commit and downloads it only when it "
                        "moved.\nsearch also covers the entrypoints of the repositories in the "
                        "hub cache.\nHUBCAP_CATALOG_REPO=owner/repo[:ref] uses another catalog "
                        "of the same format.\n")},
    };
    return all;
}

namespace {

QString versionText()
{
    return versionReport(QStringLiteral("hubcap-cli"));
}

// "a | b [--x | --y]" → {"a", "b [--x | --y]"}: alternatives separate at bracket depth 0 only.
QStringList splitUsage(const QString &usage)
{
    QStringList out;
    QString current;
    int depth = 0;
    for (qsizetype i = 0; i < usage.size(); ++i) {
        const QChar c = usage[i];
        depth += (c == u'[') - (c == u']');
        if (depth == 0 && usage.mid(i, 3) == u" | ") {
            out << current;
            current.clear();
            i += 2;
            continue;
        }
        current += c;
    }
    out << current;
    return out;
}

// True when the command's arguments ask for its help: --help or -h before "--".
bool wantsHelp(const QStringList &args)
{
    for (const QString &a : args) {
        if (a == u"--")
            return false;
        if (a == u"--help" || a == u"-h")
            return true;
    }
    return false;
}

QString helpText()
{
    QString text = QStringLiteral(
        "Usage: hubcap-cli [--hub-dir DIR] [--json] COMMAND [ARGS...]\n"
        "\n"
        "Hubcap: browse, fetch and manage PyTorch Hub repositories and the torch.hub cache.\n"
        "\n"
        "Global options:\n"
        "  --hub-dir DIR   use DIR as the hub dir (like torch.hub.set_dir; '~' is expanded).\n"
        "                  Default: $TORCH_HOME/hub, else $XDG_CACHE_HOME/torch/hub,\n"
        "                  else ~/.cache/torch/hub, as torch.hub resolves it.\n"
        "  --host-memory-limit SIZE\n"
        "                  cap each Python/libtorch host's memory (like 4G; 0: no limit);\n"
        "                  a host that hits it stops with a message saying so\n"
        "  --json          print one JSON document instead of text\n"
        "  --version       print version information\n"
        "  --help          print this help\n"
        "\n"
        "Commands:\n");
    for (const Command &c : commands())
        text += QStringLiteral("  %1%2\n").arg(c.name.leftJustified(10), c.summary);
    text += QStringLiteral("\nUsage of each command:\n");
    for (const Command &c : commands())
        for (const QString &u : splitUsage(c.usage))
            text += QStringLiteral("  hubcap-cli %1\n").arg(u);
    text += QStringLiteral(
        "\nEnvironment: TORCH_HOME, XDG_CACHE_HOME, GITHUB_TOKEN, HUBCAP_GITHUB_URL,\n"
        "HUBCAP_GITHUB_API_URL, HUBCAP_CATALOG_REPO, http_proxy/https_proxy/no_proxy.\n"
        "Exit status: 0 success, 1 failure (message on stderr), 2 usage error.\n");
    return text;
}

} // namespace

/// What each command option does, for `COMMAND --help` (one table: the same option means the
/// same thing in every command that takes it).
const QHash<QString, QString> &optionDescriptions()
{
    static const QHash<QString, QString> d{
        {QStringLiteral("--source"), QStringLiteral("github (default): REPO is owner/repo[:ref]; "
                                                    "local: REPO is a folder with hubconf.py")},
        {QStringLiteral("--mode"),
         QStringLiteral("static: read hubconf.py without running it (default for list/help); "
                        "import: run it as torch.hub does")},
        {QStringLiteral("--force-reload"),
         QStringLiteral("download the repository again (torch.hub's force_reload=True)")},
        {QStringLiteral("--skip-validation"),
         QStringLiteral("do not check the ref against the repository's branches and tags "
                        "(skip_validation=True)")},
        {QStringLiteral("--trust-repo"),
         QStringLiteral("check (default): ask on a terminal, refuse otherwise; yes: trust and "
                        "add to trusted_list; no: refuse (torch.hub's trust_repo)")},
        {QStringLiteral("--timeout"),
         QStringLiteral("stop repository code that runs longer (default 30 s static; with "
                        "--mode import 2 min for list and help, 10 min for load)")},
        {QStringLiteral("--kwarg"),
         QStringLiteral("a keyword argument for the entrypoint; V is JSON (true, 3, [1, 2], "
                        "\"x\"), else text (repeatable)")},
        {QStringLiteral("--export"), QStringLiteral("save the loaded model in this format")},
        {QStringLiteral("--output"), QStringLiteral("where the export is written")},
        {QStringLiteral("--input-shape"),
         QStringLiteral("example input shape for tracing and checking, like 1,3,224,224")},
        {QStringLiteral("--dtype"), QStringLiteral("example input dtype (default float32)")},
        {QStringLiteral("--verify"),
         QStringLiteral("run the export in libtorch (no Python) and compare with the eager "
                        "output")},
        {QStringLiteral("--depth"), QStringLiteral("levels of the submodule tree to describe")},
        {QStringLiteral("--model-dir"),
         QStringLiteral("folder for the file (default <hub dir>/checkpoints, as torch.hub)")},
        {QStringLiteral("--file-name"), QStringLiteral("name of the file (default: the URL's)")},
        {QStringLiteral("--check-hash"),
         QStringLiteral("verify the SHA-256 against the hash prefix in the file name")},
        {QStringLiteral("--hash-prefix"), QStringLiteral("verify against this SHA-256 prefix")},
        {QStringLiteral("--replace"),
         QStringLiteral("replace an existing file that differs (download: fetch it again); the "
                        "old one is replaced only once the new one is complete and verified")},
        {QStringLiteral("--retries"),
         QStringLiteral("attempts after a failed or stalled transfer (each resumes)")},
        {QStringLiteral("--stats"),
         QStringLiteral("min, max, mean, std and NaN/Inf counts of every tensor")},
        {QStringLiteral("--tensor"),
         QStringLiteral("statistics of the tensors whose key matches (repeatable)")},
        {QStringLiteral("--runs"), QStringLiteral("timed forward passes (default 20)")},
        {QStringLiteral("--rtol"), QStringLiteral("relative tolerance (default 1e-4)")},
        {QStringLiteral("--atol"), QStringLiteral("absolute tolerance (default 1e-5)")},
        {QStringLiteral("--threads"),
         QStringLiteral("libtorch intra-op threads (default: libtorch's)")},
        {QStringLiteral("--check-update"),
         QStringLiteral("only compare the cached commit with the ref's head (one API call)")},
        {QStringLiteral("--dry-run"),
         QStringLiteral("show what would be removed (cache) or written (bundle export) "
                        "and the sizes; change nothing")},
        {QStringLiteral("--yes"), QStringLiteral("do not ask for confirmation")},
        {QStringLiteral("--weights"),
         QStringLiteral("checkpoints to carry: all, used (default: those the repositories' code "
                        "downloaded, from Hubcap's records) or none")},
        {QStringLiteral("--include-checkpoint"),
         QStringLiteral("also carry checkpoints/NAME (repeatable)")},
        {QStringLiteral("-o"), QStringLiteral("the bundle file to write (FILE.hubcap)")},
        {QStringLiteral("--trust"),
         QStringLiteral("add the bundle's repositories to trusted_list without asking")},
        {QStringLiteral("--verify"), QStringLiteral("also check every file's SHA-256")},
        {QStringLiteral("--refresh"),
         QStringLiteral("check the catalog's commit on GitHub and download it when it moved")},
        {QStringLiteral("--category"),
         QStringLiteral("only entries of this category (researchers, developers, …)")},
        {QStringLiteral("--tag"), QStringLiteral("only entries with this tag (repeatable)")},
        {QStringLiteral("--force"),
         QStringLiteral("work even in a hub dir without any of torch.hub's layout")},
    };
    return d;
}

QString commandHelp(const Command &command)
{
    QString text;
    const QStringList forms = splitUsage(command.usage);
    for (qsizetype i = 0; i < forms.size(); ++i)
        text += QStringLiteral("%1 hubcap-cli [--hub-dir DIR] [--json] %2\n")
                    .arg(i == 0 ? QStringLiteral("usage:") : QStringLiteral("   or:"), forms[i]);
    text += QStringLiteral("\n%1\n").arg(command.summary.at(0).toUpper() + command.summary.mid(1));
    // Every option the usage names, once, in order.
    static const QRegularExpression option(
        QStringLiteral("--[A-Za-z0-9][\\w-]*(?: [^\\s\\[\\]|-][^\\s\\]]*)?"));
    QStringList options;
    QSet<QString> seen;
    for (auto it = option.globalMatch(command.usage); it.hasNext();) {
        const QString o = it.next().captured(0);
        const QString name = o.section(u' ', 0, 0);
        if (!seen.contains(name)) {
            seen.insert(name);
            options << o;
        }
    }
    text += QStringLiteral("\nOptions:\n");
    for (const QString &o : std::as_const(options)) {
        const QString description = optionDescriptions().value(o.section(u' ', 0, 0));
        text += description.isEmpty() ? QStringLiteral("  %1\n").arg(o)
                                      : QStringLiteral("  %1\n      %2\n").arg(o, description);
    }
    text += QStringLiteral("  -h, --help\n      print this help\n");
    if (!command.details.isEmpty())
        text += u'\n' + command.details;
    text += QStringLiteral("\nGlobal options (--hub-dir, --json): see hubcap-cli --help.\n");
    return text;
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("hubcap"));
    QCoreApplication::setOrganizationName(QStringLiteral("hubcap"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HUBCAP_VERSION));

    CliContext ctx;
    QStringList args = app.arguments().mid(1);
    std::optional<QString> hubDirOption;
    QStringList rest;
    // Global options may appear anywhere before "--".
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        if (a == u"--") {
            rest << args.mid(i);
            break;
        }
        if (a == u"--json") {
            ctx.json = true;
        } else if (a == u"--hub-dir") {
            if (i + 1 >= args.size())
                return ctx.usage(QStringLiteral("--hub-dir needs a value"), {});
            hubDirOption = args[++i];
        } else if (a.startsWith(QStringLiteral("--hub-dir="))) {
            hubDirOption = a.mid(10);
        } else if (a == u"--host-memory-limit" ||
                   a.startsWith(QStringLiteral("--host-memory-limit="))) {
            QString value;
            if (a.contains(u'=')) {
                value = a.section(u'=', 1);
            } else {
                if (i + 1 >= args.size())
                    return ctx.usage(QStringLiteral("--host-memory-limit needs a size"), {});
                value = args[++i];
            }
            const auto bytes = parseByteSize(value);
            if (!bytes || *bytes < 0)
                return ctx.usage(
                    QStringLiteral("--host-memory-limit takes a size like 4G, 512M or 0 (no "
                                   "limit), not '%1'")
                        .arg(value),
                    {});
            // The host clients read it from the environment (so nested tools see it too).
            qputenv("HUBCAP_HOST_MEMORY_LIMIT", QByteArray::number(*bytes));
        } else {
            rest << a;
        }
    }
    if (rest.isEmpty() || rest.first() == u"--help" || rest.first() == u"-h" ||
        (rest.first() == u"help" && rest.size() == 1)) {
        if (rest.isEmpty())
            return ctx.usage(
                QStringLiteral("no command given"),
                QStringLiteral("hubcap-cli [--hub-dir DIR] [--json] COMMAND [ARGS...]"));
        ctx.out << helpText();
        return Exit::Ok;
    }
    if (rest.first() == u"--version") {
        ctx.out << versionText();
        return Exit::Ok;
    }
    if (hubDirOption && hubDirOption->trimmed().isEmpty())
        return ctx.usage(QStringLiteral("--hub-dir needs a folder, not an empty string (an empty "
                                        "hub dir would be the current folder)"),
                         {});
    ctx.hubDir = resolveHubDir(hubDirOption);
    const QString name = rest.takeFirst();
    // A file is not a hub dir (nor one "that does not exist yet"). inspect and verify read only
    // the files they are given.
    if (name != u"inspect" && name != u"verify" && hubDirIsAFile(ctx.hubDir.absolutePath()))
        return ctx.fail(Error::make(
            Error::Code::InvalidArgument,
            QStringLiteral("The hub dir %1 (from %2) is a file, not a folder. Point --hub-dir "
                           "(or TORCH_HOME) at a folder.")
                .arg(ctx.hubDir.absolutePath(), ctx.hubDir.origin)));
    for (const Command &c : commands()) {
        if (c.name != name)
            continue;
        if (wantsHelp(rest)) {
            ctx.out << commandHelp(c);
            return Exit::Ok;
        }
        return c.run(ctx, rest);
    }
    return ctx.usage(QStringLiteral("unknown command '%1'").arg(name), {});
}

} // namespace hubcap::cli
