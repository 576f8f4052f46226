#include "cmd_pyhost.h"

#include "argparser.h"
#include "cli.h"
#include "clicontext.h"
#include "cmd_fetch.h"
#include "hosts/torchhostclient.h"
#include "progressbar.h"

#include "cache/repospec.h"
#include "cache/sidecar.h"
#include "cache/trustpolicy.h"
#include "fetch/repofetchjob.h"
#include "pyhost/pyhostclient.h"
#include "util/format.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

namespace hubcap::cli {

namespace {

const QString kCommon = QStringLiteral(
    "[--source github|local] [--mode static|import] [--force-reload] [--skip-validation] "
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

Result<bool> runtimeMode(const ArgParser &p, bool defaultRuntime)
{
    const auto mode = p.value(QStringLiteral("--mode"));
    if (!mode)
        return defaultRuntime;
    if (*mode == u"static")
        return false;
    if (*mode == u"import" || *mode == u"runtime")
        return true;
    return fail(Error::Code::InvalidArgument,
                QStringLiteral("--mode must be static or import (got '%1')").arg(*mode));
}

Result<int> timeoutMs(const ArgParser &p, bool runtime)
{
    const auto t = p.value(QStringLiteral("--timeout"));
    if (!t)
        return runtime ? PyHostJob::runtimeDeadlineMs : PyHostJob::staticDeadlineMs;
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
auto runJob(CliContext &ctx, JobT &job, int &exitCode)
    -> std::optional<std::remove_cvref_t<decltype(job.value())>>
{
    ProgressBar bar(&job, ctx.stderrIsTerminal && !ctx.json);
    job.start();
    job.waitForFinished();
    if (job.error()) {
        exitCode = failJob(ctx, job);
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
    int deadline = 0;
};

std::optional<Prepared> prepare(CliContext &ctx, const ArgParser &p, const QString &repo,
                                bool defaultRuntime, int &exitCode)
{
    Prepared prep;
    auto runtime = runtimeMode(p, defaultRuntime);
    if (!runtime) {
        exitCode = ctx.fail(runtime.error());
        return std::nullopt;
    }
    prep.runtime = *runtime;
    auto deadline = timeoutMs(p, prep.runtime);
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
    PyHostPool pool;
    configurePool(ctx, pool);
    EntrypointListJob job(&pool, prep->target.dir, prep->runtime, prep->deadline);
    auto r = runJob(ctx, job, rc);
    if (!r)
        return rc;
    if (ctx.json) {
        QJsonObject doc = r->toJson();
        doc.remove(QStringLiteral("repo_dir"));
        doc.remove(QStringLiteral("warnings"));
        if (!prep->runtime)
            doc.remove(QStringLiteral("output"));
        doc.insert(QStringLiteral("repo"), prep->target.label);
        doc.insert(QStringLiteral("mode"), modeName(prep->runtime));
        doc.insert(QStringLiteral("source"), prep->target.source);
        doc.insert(QStringLiteral("dir"), prep->target.dir);
        ctx.printJson(doc);
        return Exit::Ok;
    }
    ctx.out << prep->target.label << " ("
            << (prep->runtime ? QStringLiteral("executed hubconf.py")
                              : QStringLiteral("static; no code was run"))
            << "), " << r->entrypoints.size() << " entrypoints\n";
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
    EntrypointHelpJob job(&pool, prep->target.dir, name, prep->runtime, prep->deadline);
    const auto r = runJob(ctx, job, rc);
    if (!r)
        return rc;
    const Entrypoint &e = r->entrypoint;
    // Runtime help is torch.hub.help: the raw __doc__ (may be null). Static: cleaned docstring.
    if (ctx.json) {
        QJsonObject o = e.toJson();
        o.insert(QStringLiteral("doc"), r->doc ? QJsonValue(*r->doc) : QJsonValue());
        o.insert(QStringLiteral("repo"), prep->target.label);
        o.insert(QStringLiteral("mode"), modeName(prep->runtime));
        o.insert(QStringLiteral("name"), name);
        o.insert(QStringLiteral("dependencies"),
                 r->dependencies ? QJsonValue(QJsonArray::fromStringList(*r->dependencies))
                                 : QJsonValue());
        o.insert(QStringLiteral("missing_dependencies"),
                 QJsonArray::fromStringList(r->missingDependencies));
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
    ctx.out << (r->doc && !r->doc->isEmpty() ? *r->doc : QStringLiteral("(no docstring)")) << '\n';
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
