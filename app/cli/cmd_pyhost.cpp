#include "app/cli/cmd_pyhost.h"

#include "app/cli/argparser.h"
#include "app/cli/cli.h"
#include "app/cli/clicontext.h"
#include "app/cli/cmd_fetch.h"
#include "app/cli/progressbar.h"
#include "core/hosts/torchhost/client/torchhostclient.h"

#include "core/cache/listingcache.h"
#include "core/cache/repospec.h"
#include "core/cache/sidecar.h"
#include "core/cache/trustlist.h"
#include "core/cache/trustpolicy.h"
#include "core/fetch/repofetchjob.h"
#include "core/hosts/pyhost/client/pyhostclient.h"
#include "core/util/format.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

namespace hubcap::cli {

namespace {

const QString kCommon = QStringLiteral(
    "[--source github|local] [--mode static|import|auto] [--force-reload] [--skip-validation] "
    "[--trust-repo check|yes|no] [--timeout SECONDS]");
const QString kListUsage = QStringLiteral("list REPO ") + kCommon;
const QString kHelpUsage = QStringLiteral("help REPO ENTRYPOINT ") + kCommon;
const QString kLoadUsage =
    QStringLiteral("load REPO ENTRYPOINT [ARG...] [--kwarg K=V]... [--export "
                   "torchscript|trace|state_dict|onnx --output PATH "
                   "[--input-shape 1,3,224,224] [--dtype float32] [--verify]] [--depth N] ") +
    kCommon;

/// Where the repository's files are and what it is called, after --source was applied.
struct RepoTarget
{
    QString dir;   ///< absolute folder with hubconf.py
    QString label; ///< "owner/repo:ref" or the folder as given
    QString source;
    std::optional<RepoSpec> spec; ///< github sources, with the ref that was found
    QString commit;               ///< from the sidecar record, when known
    bool trustDecided = false;    ///< the fetch job already applied torch.hub's trust rules
};

void addCommonOptions(ArgParser &p)
{
    p.option(QStringLiteral("--source"))
        .option(QStringLiteral("--mode"))
        .flag(QStringLiteral("--force-reload"))
        .flag(QStringLiteral("--skip-validation"))
        .option(QStringLiteral("--trust-repo"))
        .option(QStringLiteral("--timeout"));
}

/// Not cached (or --force-reload): fetch it as torch.hub.load would (trust question, download,
/// extraction), through the same RepoFetchJob as `hubcap-cli fetch`.
Result<RepoTarget> fetchRepo(CliContext &ctx, const ArgParser &p, const RepoSpec &spec,
                             const QString &hub)
{
    const auto fetched = fetchForCli(ctx, p, spec, hub);
    if (!fetched)
        return std::unexpected(fetched.error());
    RepoTarget t;
    t.source = QStringLiteral("github");
    t.dir = fetched->dir;
    t.spec = spec.withRef(fetched->ref);
    t.label = t.spec->toString();
    t.commit = fetched->commit;
    t.trustDecided = true;
    return t;
}

Result<RepoTarget> resolveRepo(CliContext &ctx, const ArgParser &p, const QString &repo)
{
    const QString source =
        p.value(QStringLiteral("--source")).value_or(QStringLiteral("github")).toLower();
    RepoTarget t;
    t.source = source;
    if (source == u"local") {
        const QFileInfo info(repo);
        if (!info.isDir())
            return fail(Error::Code::NotFound,
                        QStringLiteral("%1 is not a directory (with --source local, REPO is a "
                                       "folder containing hubconf.py).")
                            .arg(repo));
        t.dir = info.absoluteFilePath();
        t.label = repo;
        return t;
    }
    if (source != u"github")
        return fail(
            Error::Code::InvalidArgument,
            QStringLiteral("Unknown source: \"%1\". Allowed values: \"github\" | \"local\".")
                .arg(source));
    auto spec = RepoSpec::parse(repo);
    if (!spec)
        return std::unexpected(spec.error());
    const QString hub = ctx.hubDir.absolutePath();
    const bool forceReload = p.isSet(QStringLiteral("--force-reload"));
    QStringList candidates;
    if (spec->hasRef)
        candidates << spec->ref;
    else
        candidates << QStringLiteral("main")
                   << QStringLiteral("master"); // torch.hub's offline fallback order
    for (const QString &ref : forceReload ? QStringList() : candidates) {
        const RepoSpec withRef = spec->withRef(ref);
        const QString dir = QDir(hub).filePath(withRef.folderName());
        if (QFileInfo(dir).isDir()) {
            t.dir = dir;
            t.spec = withRef;
            t.label = withRef.toString();
            if (const auto rec = Sidecar(hub).repo(withRef.folderName()))
                t.commit = rec->commit;
            return t;
        }
    }
    return fetchRepo(ctx, p, *spec, hub);
}

/// --trust-repo, parsed by the one trust policy (check|yes|no, true|false, y|n).
Result<TrustMode> trustMode(const ArgParser &p)
{
    return parseTrustOption(
        p.value(QStringLiteral("--trust-repo")).value_or(QStringLiteral("check")));
}

/// Runtime mode runs repository code: github repositories must be trusted as torch.hub decides
/// (trusted_list, trusted owners, an existing cache folder); --source local never asks. The
/// repository is cached here (fetches decide trust in RepoFetchJob), so it exists.
Result<void> checkTrust(CliContext &ctx, const ArgParser &p, const RepoTarget &t)
{
    if (!t.spec)
        return {};
    const auto mode = trustMode(p);
    if (!mode)
        return std::unexpected(mode.error());
    const TrustPolicy policy(ctx.hubDir.absolutePath(), *mode);
    const TrustQuestion question{t.label, t.spec->trustName(), QStringLiteral("run its hubconf.py"),
                                 false};
    const auto outcome = policy.resolve(
        *t.spec, question, [&ctx](const TrustQuestion &q) { return ctx.askTrust(q); },
        QStringLiteral("Running %1's hubconf.py needs trust, and there is no terminal to ask. "
                       "Pass --trust-repo yes to trust it, or browse it without running code "
                       "with --mode static.")
            .arg(t.label));
    if (!outcome)
        return std::unexpected(outcome.error());
    return {};
}

enum class Mode { Static, Import, Auto };

Result<Mode> listingMode(const ArgParser &p, bool defaultRuntime, bool allowAuto)
{
    const auto mode = p.value(QStringLiteral("--mode"));
    if (!mode)
        return defaultRuntime ? Mode::Import : Mode::Static;
    if (*mode == u"static")
        return Mode::Static;
    if (*mode == u"import" || *mode == u"runtime")
        return Mode::Import;
    if (*mode == u"auto" && allowAuto)
        return Mode::Auto;
    return fail(Error::Code::InvalidArgument,
                allowAuto
                    ? QStringLiteral("--mode must be static, import or auto (got '%1')").arg(*mode)
                    : QStringLiteral("--mode must be static or import (got '%1')").arg(*mode));
}

/// Whether running the repository's code is already allowed without asking: a local folder,
/// --trust-repo yes, or torch.hub's trust rules (trusted_list, trusted owners). --mode auto
/// never asks; it falls back to the static listing instead.
bool trustedWithoutAsking(CliContext &ctx, const ArgParser &p, const RepoTarget &t)
{
    if (!t.spec || t.trustDecided)
        return true;
    const QString mode =
        p.value(QStringLiteral("--trust-repo")).value_or(QStringLiteral("check")).toLower();
    if (mode == u"yes" || mode == u"true")
        return true;
    if (mode == u"no" || mode == u"false")
        return false;
    const auto decision = TrustList(ctx.hubDir.absolutePath()).check(*t.spec);
    return decision && decision->trusted();
}

Result<int> timeoutMs(const ArgParser &p, bool runtime)
{
    Q_UNUSED(runtime); // the default depends on the method (list/help 2 min, load 10 min)
    const auto t = p.value(QStringLiteral("--timeout"));
    if (!t)
        return 0; // the job's default for its method: PyHostJob::defaultDeadlineMs()
    bool ok = false;
    const double s = t->toDouble(&ok);
    if (!ok || s <= 0)
        return fail(Error::Code::InvalidArgument,
                    QStringLiteral("--timeout needs a positive number of seconds"));
    return int(s * 1000);
}

/// A host error as the user sees it: with --json an error object that also carries the Python
/// exception type, traceback and what repository code printed.
int failJob(CliContext &ctx, const PyHostJob &job)
{
    const Error &e = *job.error();
    const PythonError &py = job.pythonError();
    if (ctx.json) {
        QJsonObject o{{QStringLiteral("type"), e.codeName()},
                      {QStringLiteral("message"), e.message}};
        if (!e.details.isEmpty())
            o.insert(QStringLiteral("details"), e.details);
        if (!py.isEmpty()) {
            o.insert(QStringLiteral("python_type"), py.type);
            o.insert(QStringLiteral("output"), py.output);
        }
        ctx.printJson(QJsonObject{{QStringLiteral("error"), o}});
        return Exit::Failure;
    }
    if (!py.output.isEmpty())
        ctx.err << py.output << (py.output.endsWith(u'\n') ? "" : "\n");
    // Tracebacks of repository errors are noise for "Cannot find callable": show the message only.
    ctx.err << "hubcap-cli: " << e.message << '\n';
    if (!e.details.isEmpty() && (py.isEmpty() || e.code != Error::Code::NotFound))
        ctx.err << e.details << (e.details.endsWith(u'\n') ? "" : "\n");
    ctx.err.flush();
    return Exit::Failure;
}

/// Runs a typed host job to its end; nullopt (with exitCode set) when it failed. What repository
/// code printed and warned goes to stderr (never mixed with results) unless --json.
template <typename JobT>
auto runJob(CliContext &ctx, JobT &job, int &exitCode, bool reportFailure = true,
            QString *errorText = nullptr)
    -> std::optional<std::remove_cvref_t<decltype(job.value())>>
{
    ProgressBar bar(&job, ctx.stderrIsTerminal && !ctx.json);
    job.start();
    job.waitForFinished();
    if (job.error()) {
        if (errorText)
            *errorText = job.error()->message;
        exitCode = reportFailure ? failJob(ctx, job) : int(Exit::Failure);
        return std::nullopt;
    }
    const auto &r = job.value();
    if (!ctx.json) {
        if (!r.output.isEmpty())
            ctx.err << r.output << (r.output.endsWith(u'\n') ? "" : "\n");
        for (const QString &w : r.warnings)
            ctx.err << "warning: " << w << '\n';
        ctx.err.flush();
    }
    return r;
}

/// The pool every command uses: --hub-dir applies to repository code too.
void configurePool(CliContext &ctx, PyHostPool &pool)
{
    pool.setHubDir(ctx.hubDir.absolutePath());
}

QString firstLine(const QString &s)
{
    const QString t = s.trimmed();
    const qsizetype nl = t.indexOf(u'\n');
    return nl < 0 ? t : t.left(nl);
}

void printDependencies(CliContext &ctx, const std::optional<QStringList> &deps,
                       const QStringList &missing)
{
    if (!deps)
        return;
    ctx.out << "dependencies: "
            << (deps->isEmpty() ? QStringLiteral("(none)") : deps->join(QStringLiteral(", ")));
    if (!missing.isEmpty())
        ctx.out << "  (missing in this Python: " << missing.join(QStringLiteral(", ")) << ')';
    ctx.out << '\n';
}

/// The common start of all three commands: options, repository, mode, trust.
struct Prepared
{
    RepoTarget target;
    bool runtime = false;
    bool autoMode = false; ///< --mode auto: static first, import when needed and trusted
    int deadline = 0;
};

std::optional<Prepared> prepare(CliContext &ctx, const ArgParser &p, const QString &repo,
                                bool defaultRuntime, int &exitCode)
{
    Prepared prep;
    auto mode = listingMode(p, defaultRuntime, !defaultRuntime);
    if (!mode) {
        exitCode = ctx.fail(mode.error());
        return std::nullopt;
    }
    prep.runtime = *mode == Mode::Import;
    prep.autoMode = *mode == Mode::Auto;
    auto deadline = timeoutMs(p, prep.runtime || prep.autoMode);
    if (!deadline) {
        exitCode = ctx.fail(deadline.error());
        return std::nullopt;
    }
    prep.deadline = *deadline;
    if (const auto mode = trustMode(p); !mode) { // checked before anything is fetched or run
        exitCode = ctx.fail(mode.error());
        return std::nullopt;
    }
    auto target = resolveRepo(ctx, p, repo);
    if (!target) {
        exitCode = ctx.fail(target.error());
        return std::nullopt;
    }
    prep.target = *target;
    if (p.isSet(QStringLiteral("--force-reload")))
        ListingCache(ctx.hubDir.absolutePath()).invalidate(prep.target.dir);
    if (prep.runtime && !prep.target.trustDecided) {
        if (auto trusted = checkTrust(ctx, p, prep.target); !trusted) {
            exitCode = ctx.fail(trusted.error());
            return std::nullopt;
        }
    }
    return prep;
}

QString modeName(bool runtime)
{
    return runtime ? QStringLiteral("import") : QStringLiteral("static");
}

/// JSON where it parses (true, 3, "x", [1,2], {"a":1}), else the text as a string.
QJsonValue parseValue(const QString &text)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray("[") + text.toUtf8() + "]", &err);
    if (err.error == QJsonParseError::NoError && doc.isArray() && doc.array().size() == 1)
        return doc.array().at(0);
    return text;
}

void printTree(CliContext &ctx, const ModuleNode &node, int indent)
{
    ctx.out << QString(indent * 2, u' ')
            << (node.name.isEmpty() ? QString() : node.name + QStringLiteral(": ")) << node.type
            << " (" << node.parameters << " params)";
    if (node.childrenOmitted > 0)
        ctx.out << " [+" << node.childrenOmitted << " submodules]";
    ctx.out << '\n';
    for (const ModuleNode &c : node.children)
        printTree(ctx, c, indent + 1);
}

} // namespace

int runList(CliContext &ctx, const QStringList &args)
{
    ArgParser p;
    addCommonOptions(p);
    if (!p.parse(args))
        return ctx.usage(p.error(), kListUsage);
    if (p.positional().size() != 1)
        return ctx.usage(QStringLiteral("list needs exactly one REPO"), kListUsage);
    int rc = Exit::Ok;
    const auto prep = prepare(ctx, p, p.positional().first(), false, rc);
    if (!prep)
        return rc;
    // Kept listings first (cache/listingcache.h): reopening a big repository starts no Python.
    const ListingCache cache(ctx.hubDir.absolutePath());
    const QString dir = prep->target.dir;
    PyHostPool pool;
    configurePool(ctx, pool);
    bool runtime = prep->runtime;
    QString autoNote;  ///< what --mode auto decided, for the user
    QString lastError; ///< why the last host request failed (--mode auto falls back)
    std::optional<EntrypointListing> r;
    auto listIn = [&](bool importMode, bool reportFailure = true) -> bool {
        const QString mode = modeName(importMode);
        if (const auto kept = cache.get(dir, mode)) {
            if (auto listing = EntrypointListing::fromJson(*kept)) {
                r = std::move(*listing);
                r->fromCache = true;
                return true;
            }
        }
        EntrypointListJob job(&pool, dir, importMode, prep->deadline);
        r = runJob(ctx, job, rc, reportFailure, &lastError);
        if (!r)
            return false;
        r->fromCache = false;
        (void)cache.put(dir, mode, r->toJson()); // a failure only costs a miss next time
        return true;
    };
    if (prep->autoMode) {
        const bool trusted = trustedWithoutAsking(ctx, p, prep->target);
        // A trusted repository listed by import before: that listing is the complete one.
        std::optional<EntrypointListing> keptImport;
        if (const auto kept = trusted ? cache.get(dir, modeName(true)) : std::nullopt)
            if (auto listing = EntrypointListing::fromJson(*kept))
                keptImport = std::move(*listing);
        if (keptImport) {
            r = std::move(keptImport);
            r->fromCache = true;
            runtime = true;
        } else {
            if (!listIn(false))
                return rc;
            if (r->dynamic) {
                const std::optional<EntrypointListing> staticListing = r;
                if (trusted && listIn(true, false)) {
                    runtime = true;
                    autoNote = QStringLiteral(
                        "static analysis could not see every name, so hubconf.py was run "
                        "(the repository is trusted)");
                } else if (trusted) {
                    // Running it failed: the static listing, and why it is incomplete.
                    r = staticListing;
                    autoNote = QStringLiteral("static analysis could not see every name and "
                                              "running hubconf.py failed: %1")
                                   .arg(lastError);
                } else {
                    autoNote =
                        QStringLiteral("static analysis could not see every name and the "
                                       "repository is not trusted, so no code was run: list it "
                                       "by running hubconf.py with `hubcap-cli list %1 --mode "
                                       "import` (asks to trust it first)")
                            .arg(prep->target.label);
                }
            }
        }
    } else if (!listIn(runtime)) {
        return rc;
    }
    if (ctx.json) {
        QJsonObject doc = r->toJson();
        doc.remove(QStringLiteral("repo_dir"));
        doc.remove(QStringLiteral("warnings"));
        if (!runtime)
            doc.remove(QStringLiteral("output"));
        else
            doc.insert(QStringLiteral("output"), r->output);
        doc.insert(QStringLiteral("repo"), prep->target.label);
        doc.insert(QStringLiteral("mode"), modeName(runtime));
        doc.insert(QStringLiteral("source"), prep->target.source);
        doc.insert(QStringLiteral("dir"), prep->target.dir);
        doc.insert(QStringLiteral("from_cache"), r->fromCache);
        if (runtime) {
            doc.remove(QStringLiteral("dynamic"));
            doc.remove(QStringLiteral("dynamic_reasons"));
        } else {
            doc.insert(QStringLiteral("dynamic"), r->dynamic);
        }
        if (prep->autoMode)
            doc.insert(QStringLiteral("requested_mode"), QStringLiteral("auto"));
        if (!autoNote.isEmpty())
            doc.insert(QStringLiteral("note"), autoNote);
        ctx.printJson(doc);
        return Exit::Ok;
    }
    ctx.out << prep->target.label << " ("
            << (runtime ? QStringLiteral("executed hubconf.py")
                        : QStringLiteral("static; no code was run"))
            << (r->fromCache ? QStringLiteral(", kept listing") : QString()) << "), "
            << r->entrypoints.size() << " entrypoints\n";
    int width = 4;
    for (const Entrypoint &e : r->entrypoints)
        width = std::max(width, int(e.name.size()));
    for (const Entrypoint &e : r->entrypoints) {
        const QString sig = e.importedFrom.isEmpty()
                                ? e.signature
                                : QStringLiteral("(imported from %1)").arg(e.importedFrom);
        ctx.out << "  " << e.name.leftJustified(width) << "  " << e.kind.leftJustified(8) << "  "
                << sig;
        const QString doc = firstLine(e.docText());
        if (!doc.isEmpty())
            ctx.out << "\n  " << QString(width, u' ') << "  " << QString(8, u' ') << "  " << doc;
        ctx.out << '\n';
    }
    printDependencies(ctx, r->dependencies, r->missingDependencies);
    for (const QString &n : r->notes.value_or(QStringList()))
        ctx.out << "note: " << n << '\n';
    if (!autoNote.isEmpty())
        ctx.out << "note: " << autoNote << '\n';
    return Exit::Ok;
}

int runHelp(CliContext &ctx, const QStringList &args)
{
    ArgParser p;
    addCommonOptions(p);
    if (!p.parse(args))
        return ctx.usage(p.error(), kHelpUsage);
    if (p.positional().size() != 2)
        return ctx.usage(QStringLiteral("help needs REPO and ENTRYPOINT"), kHelpUsage);
    int rc = Exit::Ok;
    const auto prep = prepare(ctx, p, p.positional().first(), false, rc);
    if (!prep)
        return rc;
    const QString name = p.positional().at(1);
    PyHostPool pool;
    configurePool(ctx, pool);
    bool runtime = prep->runtime;
    std::optional<EntrypointHelp> r;
    if (prep->autoMode) {
        // Static first; a name static analysis cannot see is asked by import when the
        // repository is trusted (never asking: --mode auto does not prompt).
        const bool trusted = trustedWithoutAsking(ctx, p, prep->target);
        EntrypointHelpJob job(&pool, prep->target.dir, name, false, prep->deadline);
        r = runJob(ctx, job, rc, !trusted);
        if (!r && trusted) {
            runtime = true;
            EntrypointHelpJob importJob(&pool, prep->target.dir, name, true,
                                        PyHostJob::runtimeDeadlineMs);
            r = runJob(ctx, importJob, rc);
        }
    } else {
        EntrypointHelpJob job(&pool, prep->target.dir, name, runtime, prep->deadline);
        r = runJob(ctx, job, rc);
    }
    if (!r)
        return rc;
    const Entrypoint &e = r->entrypoint;
    // doc: inspect.cleandoc of the docstring in both modes; doc_raw: the raw __doc__, what
    // torch.hub.help returns (null when there is none).
    const QString doc = e.docText();
    const QList<WeightRef> weights = weightsWithCacheState(r->weights, ctx.hubDir.absolutePath());
    if (ctx.json) {
        QJsonObject o = e.toJson();
        o.insert(QStringLiteral("doc"), doc);
        o.insert(QStringLiteral("repo"), prep->target.label);
        o.insert(QStringLiteral("mode"), modeName(runtime));
        o.insert(QStringLiteral("name"), name);
        o.insert(QStringLiteral("dependencies"),
                 r->dependencies ? QJsonValue(QJsonArray::fromStringList(*r->dependencies))
                                 : QJsonValue());
        o.insert(QStringLiteral("missing_dependencies"),
                 QJsonArray::fromStringList(r->missingDependencies));
        QJsonArray ws;
        for (const WeightRef &w : weights)
            ws.append(w.toJson());
        o.insert(QStringLiteral("weights"), ws);
        ctx.printJson(o);
        return Exit::Ok;
    }
    ctx.out << name << e.signature << '\n';
    QStringList facts{e.kind};
    if (!e.definedIn.isEmpty())
        facts << QStringLiteral("defined in %1").arg(e.definedIn);
    if (!e.importedFrom.isEmpty())
        facts << QStringLiteral("imported from %1 (not followed: outside the repository)")
                     .arg(e.importedFrom);
    if (!e.partialOf.isEmpty())
        facts << QStringLiteral("functools.partial of %1").arg(e.partialOf);
    ctx.out << "  " << facts.join(QStringLiteral(", ")) << "\n\n";
    ctx.out << (!doc.isEmpty() ? doc : QStringLiteral("(no docstring)")) << '\n';
    if (!weights.isEmpty()) {
        ctx.out << "\nweights it can download (static analysis):\n";
        for (const WeightRef &w : weights)
            ctx.out << "  " << w.fileName << (w.cached ? "  (cached)" : "") << "\n    " << w.url
                    << '\n';
    }
    printDependencies(ctx, r->dependencies, r->missingDependencies);
    return Exit::Ok;
}

int runLoad(CliContext &ctx, const QStringList &args)
{
    ArgParser p;
    addCommonOptions(p);
    p.option(QStringLiteral("--kwarg"))
        .option(QStringLiteral("--export"))
        .option(QStringLiteral("--output"))
        .option(QStringLiteral("--input-shape"))
        .option(QStringLiteral("--dtype"))
        .option(QStringLiteral("--depth"))
        .flag(QStringLiteral("--verify"));
    if (!p.parse(args))
        return ctx.usage(p.error(), kLoadUsage);
    if (p.positional().size() < 2)
        return ctx.usage(QStringLiteral("load needs REPO and ENTRYPOINT"), kLoadUsage);
    if (p.value(QStringLiteral("--mode")).value_or(QStringLiteral("import")) == u"static")
        return ctx.usage(QStringLiteral("load runs the entrypoint; it has no static mode"),
                         kLoadUsage);
    LoadParams params;
    params.entrypoint = p.positional().at(1);
    for (const QString &a : p.positional().mid(2))
        params.args.append(parseValue(a));
    for (const QString &kv : p.values(QStringLiteral("--kwarg"))) {
        const qsizetype eq = kv.indexOf(u'=');
        if (eq <= 0)
            return ctx.usage(QStringLiteral("--kwarg needs KEY=VALUE (got '%1')").arg(kv),
                             kLoadUsage);
        params.kwargs.insert(kv.left(eq), parseValue(kv.mid(eq + 1)));
    }
    params.depth = p.value(QStringLiteral("--depth")).value_or(QStringLiteral("3")).toInt();
    const auto format = p.value(QStringLiteral("--export"));
    if (format && !p.value(QStringLiteral("--output")))
        return ctx.usage(QStringLiteral("--export needs --output PATH"), kLoadUsage);
    const bool verify = p.isSet(QStringLiteral("--verify"));
    if (verify && (!format || (*format != u"torchscript" && *format != u"trace")))
        return ctx.usage(QStringLiteral("--verify checks TorchScript in libtorch: use it with "
                                        "--export torchscript or --export trace"),
                         kLoadUsage);

    int rc = Exit::Ok;
    const auto prep = prepare(ctx, p, p.positional().first(), true, rc);
    if (!prep)
        return rc;
    const QString &name = params.entrypoint;
    if (format) {
        params.exportTo = ExportParams{
            *format, QFileInfo(*p.value(QStringLiteral("--output"))).absoluteFilePath(),
            p.value(QStringLiteral("--input-shape")).value_or(QString()),
            p.value(QStringLiteral("--dtype")).value_or(QString())};
        ExportProvenance &prov = params.provenance;
        prov.entrypoint = name;
        prov.args = params.args;
        prov.kwargs = params.kwargs;
        prov.source = prep->target.source;
        if (prep->target.spec) {
            prov.repo = prep->target.spec->owner + u'/' + prep->target.spec->repo;
            prov.ref = prep->target.spec->ref;
            prov.commit = prep->target.commit;
        } else {
            prov.repo = prep->target.dir;
        }
    }
    PyHostPool pool;
    configurePool(ctx, pool);
    LoadJob job(&pool, prep->target.dir, params, prep->deadline);
    const auto r = runJob(ctx, job, rc);
    if (!r)
        return rc;
    // --verify: run the export in hubcap-torchhost (libtorch, no Python) against the example
    // input and eager output the Python host saved beside it.
    std::optional<Verification> verification;
    if (verify) {
        if (!r->exported)
            return ctx.fail(Error::make(Error::Code::HostFailed,
                                        QStringLiteral("The Python host reported no export.")));
        VerifyJob vjob(r->exported->output, VerifyJob::Options{});
        vjob.start();
        vjob.waitForFinished();
        const auto v = vjob.result();
        if (!v)
            return ctx.fail(v.error());
        verification = *v;
        if (!v->verified)
            rc = Exit::Failure;
    }
    if (ctx.json) {
        QJsonObject doc = r->toJson();
        if (verification)
            doc.insert(QStringLiteral("verification"), verification->toJson());
        doc.insert(QStringLiteral("repo"), prep->target.label);
        doc.insert(QStringLiteral("source"), prep->target.source);
        doc.remove(QStringLiteral("repo_dir"));
        doc.insert(QStringLiteral("dir"), prep->target.dir);
        ctx.printJson(doc);
        return rc;
    }
    const ObjectDescription &d = r->description;
    ctx.out << name << " returned " << d.type << '\n';
    if (d.module) {
        const ModuleSummary &m = *d.module;
        ctx.out << "  parameters: " << m.parameters << " in " << m.parameterTensors << " tensors ("
                << m.trainableParameters << " trainable)\n";
        ctx.out << "  buffers: " << m.buffers << " in " << m.bufferTensors << " tensors\n";
        QStringList sizes;
        for (const auto &[dtype, bytes] : m.bytesPerDtype)
            sizes << QStringLiteral("%1 %2").arg(dtype, humanSize(bytes));
        ctx.out << "  size: " << humanSize(m.totalBytes) << " (" << sizes.join(QStringLiteral(", "))
                << ")\n";
        ctx.out << "  mode: " << (m.training ? "training" : "eval")
                << ", device: " << m.devices.join(QStringLiteral(", ")) << '\n';
        ctx.out << "  submodules:\n";
        printTree(ctx, m.tree, 2);
    } else {
        ctx.out << d.repr << '\n';
    }
    if (const auto &x = r->exported) {
        ctx.out << "exported " << x->format << " (" << x->method << ") to " << x->output << ", "
                << humanSize(x->size) << '\n';
        if (x->fallback)
            ctx.out << "  note: " << *x->fallback << '\n';
        ctx.out << "  example input/output: " << x->exampleFile << '\n';
        ctx.out << "  summary: " << x->summaryFile << '\n';
    }
    if (verification)
        ctx.out << verification->verdict() << '\n';
    return rc;
}

} // namespace hubcap::cli
