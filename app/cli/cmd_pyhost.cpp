#include "cmd_pyhost.h"

#include "argparser.h"
#include "cli.h"
#include "clicontext.h"
#include "cmd_fetch.h"
#include "hosts/torchhostclient.h"
#include "progressbar.h"

#include "cache/listingcache.h"
#include "cache/repospec.h"
#include "cache/sidecar.h"
#include "cache/trustlist.h"
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

/// Runtime mode runs repository code: github repositories must be trusted as torch.hub decides
/// (trusted_list, trusted owners, an existing cache folder); --source local never asks.
Result<void> checkTrust(CliContext &ctx, const ArgParser &p, const RepoTarget &t)
{
    if (!t.spec)
        return {};
    const QString mode =
        p.value(QStringLiteral("--trust-repo")).value_or(QStringLiteral("check")).toLower();
    if (mode != u"check" && mode != u"yes" && mode != u"no" && mode != u"true" && mode != u"false")
        return fail(Error::Code::InvalidArgument,
                    QStringLiteral("--trust-repo must be check, yes or no (got '%1')").arg(mode));
    TrustList list(ctx.hubDir.absolutePath());
    auto decision = list.check(*t.spec);
    if (!decision)
        return std::unexpected(decision.error());
    const bool yes = mode == u"yes" || mode == u"true";
    const bool alwaysAsk = mode == u"no" || mode == u"false";
    if (yes || (decision->trusted() && !alwaysAsk)) {
        if (yes && !decision->trusted()) {
            auto added = list.add(decision->trustName);
            if (!added)
                return std::unexpected(added.error());
        }
        return {};
    }
    const QString prompt =
        QStringLiteral(
            "The repository %1 does not belong to the list of trusted repositories and as such "
            "cannot be "
            "downloaded. Do you trust this repository and wish to add it to the trusted list of "
            "repositories (y/N)? ")
            .arg(decision->trustName);
    const auto answer = ctx.ask(prompt);
    if (!answer)
        return fail(
            Error::Code::Untrusted,
            QStringLiteral(
                "Running %1's hubconf.py needs trust, and there is no terminal to ask. Pass "
                "--trust-repo yes to trust it, or browse it without running code with --mode "
                "static.")
                .arg(t.label));
    const QString a = answer->toLower();
    if (a == u"y" || a == u"yes") {
        if (!decision->trusted()) {
            auto added = list.add(decision->trustName);
            if (!added)
                return std::unexpected(added.error());
        }
        return {};
    }
    if (a == u"n" || a == u"no" || a.isEmpty())
        return fail(Error::Code::Untrusted, QStringLiteral("Untrusted repository."));
    return fail(Error::Code::Untrusted, QStringLiteral("Unrecognized response %1.").arg(*answer));
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
    const QJsonObject py = job.pythonError();
    if (ctx.json) {
        QJsonObject o{{QStringLiteral("type"), e.codeName()},
                      {QStringLiteral("message"), e.message}};
        if (!e.details.isEmpty())
            o.insert(QStringLiteral("details"), e.details);
        if (!py.isEmpty()) {
            o.insert(QStringLiteral("python_type"), py.value(QStringLiteral("type")));
            o.insert(QStringLiteral("output"), py.value(QStringLiteral("output")));
        }
        ctx.printJson(QJsonObject{{QStringLiteral("error"), o}});
        return Exit::Failure;
    }
    const QString out = py.value(QStringLiteral("output")).toString();
    if (!out.isEmpty())
        ctx.err << out << (out.endsWith(u'\n') ? "" : "\n");
    // Tracebacks of repository errors are noise for "Cannot find callable": show the message only.
    ctx.err << "hubcap-cli: " << e.message << '\n';
    if (!e.details.isEmpty() && (py.isEmpty() || e.code != Error::Code::NotFound))
        ctx.err << e.details << (e.details.endsWith(u'\n') ? "" : "\n");
    ctx.err.flush();
    return Exit::Failure;
}

std::optional<QJsonObject> runJob(CliContext &ctx, const RepoTarget &t, const QString &method,
                                  const QJsonObject &params, int deadline, int &exitCode,
                                  bool reportFailure = true, QString *errorText = nullptr)
{
    PyHostPool pool;
    pool.setHubDir(ctx.hubDir.absolutePath()); // --hub-dir applies to repository code too
    PyHostJob job(&pool, t.dir, method, params, deadline);
    ProgressBar bar(&job, ctx.stderrIsTerminal && !ctx.json);
    job.start();
    job.waitForFinished();
    if (job.error()) {
        if (errorText)
            *errorText = job.error()->message;
        exitCode = reportFailure ? failJob(ctx, job) : int(Exit::Failure);
        return std::nullopt;
    }
    const QJsonObject r = job.result();
    if (!ctx.json) {
        // What repository code printed and warned goes to stderr, never mixed with results.
        const QString out = r.value(QStringLiteral("output")).toString();
        if (!out.isEmpty())
            ctx.err << out << (out.endsWith(u'\n') ? "" : "\n");
        for (const auto &w : r.value(QStringLiteral("warnings")).toArray())
            ctx.err << "warning: " << w.toString() << '\n';
        ctx.err.flush();
    }
    return r;
}

QJsonArray entrypointsJson(const QJsonArray &in)
{
    QJsonArray out;
    for (const auto &v : in) {
        const QJsonObject e = v.toObject();
        QJsonObject o{{QStringLiteral("name"), e.value(QStringLiteral("name"))},
                      {QStringLiteral("kind"), e.value(QStringLiteral("kind"))},
                      {QStringLiteral("signature"), e.value(QStringLiteral("signature"))},
                      {QStringLiteral("doc"), e.value(QStringLiteral("doc"))},
                      {QStringLiteral("defined_in"), e.value(QStringLiteral("defined_in"))}};
        o.insert(QStringLiteral("doc_raw"), e.value(QStringLiteral("doc_raw")).isString()
                                                ? e.value(QStringLiteral("doc_raw"))
                                                : QJsonValue(QJsonValue::Null));
        for (const char *extra : {"imported_from", "partial_of"}) {
            const QString k = QString::fromLatin1(extra);
            if (e.contains(k))
                o.insert(k, e.value(k));
        }
        out.append(o);
    }
    return out;
}

QString firstLine(const QString &s)
{
    const QString t = s.trimmed();
    const qsizetype nl = t.indexOf(u'\n');
    return nl < 0 ? t : t.left(nl);
}

QStringList toStrings(const QJsonArray &a)
{
    QStringList out;
    for (const auto &v : a)
        out << v.toString();
    return out;
}

void printDependencies(CliContext &ctx, const QJsonObject &r)
{
    const QJsonValue deps = r.value(QStringLiteral("dependencies"));
    if (!deps.isArray())
        return;
    const QStringList all = toStrings(deps.toArray());
    const QStringList missing =
        toStrings(r.value(QStringLiteral("missing_dependencies")).toArray());
    ctx.out << "dependencies: "
            << (all.isEmpty() ? QStringLiteral("(none)") : all.join(QStringLiteral(", ")));
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

void printTree(CliContext &ctx, const QJsonObject &node, int indent)
{
    const QString name = node.value(QStringLiteral("name")).toString();
    ctx.out << QString(indent * 2, u' ')
            << (name.isEmpty() ? QString() : name + QStringLiteral(": "))
            << node.value(QStringLiteral("type")).toString() << " ("
            << node.value(QStringLiteral("parameters")).toInteger() << " params)";
    if (node.contains(QStringLiteral("children_omitted")))
        ctx.out << " [+" << node.value(QStringLiteral("children_omitted")).toInteger()
                << " submodules]";
    ctx.out << '\n';
    for (const auto &c : node.value(QStringLiteral("children")).toArray())
        printTree(ctx, c.toObject(), indent + 1);
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
    bool runtime = prep->runtime;
    bool fromCache = false;
    QString autoNote; ///< what --mode auto decided, for the user
    std::optional<QJsonObject> r;
    QString lastError; ///< why the last host request failed (--mode auto falls back)
    auto listIn = [&](bool importMode, bool reportFailure = true) -> bool {
        const QString mode = modeName(importMode);
        if (const auto kept = cache.get(dir, mode)) {
            r = kept;
            fromCache = true;
            return true;
        }
        fromCache = false;
        r = runJob(ctx, prep->target,
                   importMode ? QStringLiteral("runtime.list") : QStringLiteral("static.list"), {},
                   prep->deadline, rc, reportFailure, &lastError);
        if (!r)
            return false;
        (void)cache.put(dir, mode, *r); // a failure only costs a miss next time
        return true;
    };
    if (prep->autoMode) {
        const bool trusted = trustedWithoutAsking(ctx, p, prep->target);
        // A trusted repository listed by import before: that listing is the complete one.
        if (const auto kept = trusted ? cache.get(dir, modeName(true)) : std::nullopt) {
            r = kept;
            fromCache = true;
            runtime = true;
        } else {
            if (!listIn(false))
                return rc;
            if (r->value(QStringLiteral("dynamic")).toBool()) {
                const std::optional<QJsonObject> staticListing = r;
                if (trusted && listIn(true, false)) {
                    runtime = true;
                    autoNote = QStringLiteral(
                        "static analysis could not see every name, so hubconf.py was run "
                        "(the repository is trusted)");
                } else if (trusted) {
                    // Running it failed: the static listing, and why it is incomplete.
                    r = staticListing;
                    fromCache = false;
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
    const QJsonArray entries = r->value(QStringLiteral("entrypoints")).toArray();
    if (ctx.json) {
        QJsonObject doc{{QStringLiteral("repo"), prep->target.label},
                        {QStringLiteral("mode"), modeName(runtime)},
                        {QStringLiteral("source"), prep->target.source},
                        {QStringLiteral("dir"), prep->target.dir},
                        {QStringLiteral("from_cache"), fromCache},
                        {QStringLiteral("entrypoints"), entrypointsJson(entries)},
                        {QStringLiteral("dependencies"), r->value(QStringLiteral("dependencies"))},
                        {QStringLiteral("missing_dependencies"),
                         r->value(QStringLiteral("missing_dependencies"))}};
        if (prep->autoMode)
            doc.insert(QStringLiteral("requested_mode"), QStringLiteral("auto"));
        if (r->contains(QStringLiteral("notes")))
            doc.insert(QStringLiteral("notes"), r->value(QStringLiteral("notes")));
        if (!runtime)
            doc.insert(QStringLiteral("dynamic"), r->value(QStringLiteral("dynamic")).toBool());
        if (!autoNote.isEmpty())
            doc.insert(QStringLiteral("note"), autoNote);
        if (runtime)
            doc.insert(QStringLiteral("output"), r->value(QStringLiteral("output")).toString());
        ctx.printJson(doc);
        return Exit::Ok;
    }
    ctx.out << prep->target.label << " ("
            << (runtime ? QStringLiteral("executed hubconf.py")
                        : QStringLiteral("static; no code was run"))
            << (fromCache ? QStringLiteral(", kept listing") : QString()) << "), " << entries.size()
            << " entrypoints\n";
    int width = 4;
    for (const auto &v : entries)
        width = std::max(width, int(v.toObject().value(QStringLiteral("name")).toString().size()));
    for (const auto &v : entries) {
        const QJsonObject e = v.toObject();
        QString sig = e.value(QStringLiteral("signature")).toString();
        if (e.contains(QStringLiteral("imported_from")))
            sig = QStringLiteral("(imported from %1)")
                      .arg(e.value(QStringLiteral("imported_from")).toString());
        ctx.out << "  " << e.value(QStringLiteral("name")).toString().leftJustified(width) << "  "
                << e.value(QStringLiteral("kind")).toString().leftJustified(8) << "  " << sig;
        const QString doc = firstLine(e.value(QStringLiteral("doc")).toString());
        if (!doc.isEmpty())
            ctx.out << "\n  " << QString(width, u' ') << "  " << QString(8, u' ') << "  " << doc;
        ctx.out << '\n';
    }
    printDependencies(ctx, *r);
    for (const auto &n : r->value(QStringLiteral("notes")).toArray())
        ctx.out << "note: " << n.toString() << '\n';
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
    const QJsonObject params{{QStringLiteral("entrypoint"), name}};
    bool runtime = prep->runtime;
    std::optional<QJsonObject> r;
    if (prep->autoMode) {
        // Static first; a name static analysis cannot see is asked by import when the
        // repository is trusted (never asking: --mode auto does not prompt).
        const bool trusted = trustedWithoutAsking(ctx, p, prep->target);
        r = runJob(ctx, prep->target, QStringLiteral("static.help"), params, prep->deadline, rc,
                   !trusted);
        if (!r && trusted) {
            runtime = true;
            r = runJob(ctx, prep->target, QStringLiteral("runtime.help"), params,
                       PyHostJob::runtimeDeadlineMs, rc);
        }
    } else {
        r = runJob(ctx, prep->target,
                   runtime ? QStringLiteral("runtime.help") : QStringLiteral("static.help"), params,
                   prep->deadline, rc);
    }
    if (!r)
        return rc;
    const QJsonObject e = r->value(QStringLiteral("entrypoint")).toObject();
    // doc: inspect.cleandoc of the docstring in both modes; doc_raw: the raw __doc__, what
    // torch.hub.help returns (null when there is none).
    const QJsonValue doc = e.value(QStringLiteral("doc"));
    const QJsonValue docRaw = e.value(QStringLiteral("doc_raw")).isString()
                                  ? e.value(QStringLiteral("doc_raw"))
                                  : QJsonValue(QJsonValue::Null);
    const QJsonArray weights = weightsWithCacheState(r->value(QStringLiteral("weights")).toArray(),
                                                     ctx.hubDir.absolutePath());
    if (ctx.json) {
        QJsonObject o{{QStringLiteral("repo"), prep->target.label},
                      {QStringLiteral("mode"), modeName(runtime)},
                      {QStringLiteral("name"), name},
                      {QStringLiteral("kind"), e.value(QStringLiteral("kind"))},
                      {QStringLiteral("signature"), e.value(QStringLiteral("signature"))},
                      {QStringLiteral("doc"), doc},
                      {QStringLiteral("doc_raw"), docRaw},
                      {QStringLiteral("weights"), weights},
                      {QStringLiteral("defined_in"), e.value(QStringLiteral("defined_in"))},
                      {QStringLiteral("dependencies"), r->value(QStringLiteral("dependencies"))},
                      {QStringLiteral("missing_dependencies"),
                       r->value(QStringLiteral("missing_dependencies"))}};
        for (const char *extra : {"imported_from", "partial_of"}) {
            const QString k = QString::fromLatin1(extra);
            if (e.contains(k))
                o.insert(k, e.value(k));
        }
        ctx.printJson(o);
        return Exit::Ok;
    }
    ctx.out << name << e.value(QStringLiteral("signature")).toString() << '\n';
    QStringList facts{e.value(QStringLiteral("kind")).toString()};
    if (const QString where = e.value(QStringLiteral("defined_in")).toString(); !where.isEmpty())
        facts << QStringLiteral("defined in %1").arg(where);
    if (e.contains(QStringLiteral("imported_from")))
        facts << QStringLiteral("imported from %1 (not followed: outside the repository)")
                     .arg(e.value(QStringLiteral("imported_from")).toString());
    if (e.contains(QStringLiteral("partial_of")))
        facts << QStringLiteral("functools.partial of %1")
                     .arg(e.value(QStringLiteral("partial_of")).toString());
    ctx.out << "  " << facts.join(QStringLiteral(", ")) << "\n\n";
    ctx.out << (doc.isString() && !doc.toString().isEmpty() ? doc.toString()
                                                            : QStringLiteral("(no docstring)"))
            << '\n';
    if (!weights.isEmpty()) {
        ctx.out << "\nweights it can download (static analysis):\n";
        for (const auto &v : weights) {
            const QJsonObject w = v.toObject();
            ctx.out << "  " << w.value(QStringLiteral("file_name")).toString()
                    << (w.value(QStringLiteral("cached")).toBool() ? "  (cached)" : "") << "\n    "
                    << w.value(QStringLiteral("url")).toString() << '\n';
        }
    }
    printDependencies(ctx, *r);
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
    QJsonArray posArgs;
    for (const QString &a : p.positional().mid(2))
        posArgs.append(parseValue(a));
    QJsonObject kwargs;
    for (const QString &kv : p.values(QStringLiteral("--kwarg"))) {
        const qsizetype eq = kv.indexOf(u'=');
        if (eq <= 0)
            return ctx.usage(QStringLiteral("--kwarg needs KEY=VALUE (got '%1')").arg(kv),
                             kLoadUsage);
        kwargs.insert(kv.left(eq), parseValue(kv.mid(eq + 1)));
    }
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
    const QString name = p.positional().at(1);
    QJsonObject params{{QStringLiteral("entrypoint"), name},
                       {QStringLiteral("args"), posArgs},
                       {QStringLiteral("kwargs"), kwargs},
                       {QStringLiteral("depth"),
                        p.value(QStringLiteral("--depth")).value_or(QStringLiteral("3")).toInt()}};
    if (format) {
        QJsonObject exp{{QStringLiteral("format"), *format},
                        {QStringLiteral("output"),
                         QFileInfo(*p.value(QStringLiteral("--output"))).absoluteFilePath()}};
        if (const auto shape = p.value(QStringLiteral("--input-shape")))
            exp.insert(QStringLiteral("input_shape"), *shape);
        if (const auto dtype = p.value(QStringLiteral("--dtype")))
            exp.insert(QStringLiteral("dtype"), *dtype);
        params.insert(QStringLiteral("export"), exp);
        QJsonObject prov{{QStringLiteral("entrypoint"), name},
                         {QStringLiteral("args"), posArgs},
                         {QStringLiteral("kwargs"), kwargs},
                         {QStringLiteral("source"), prep->target.source}};
        if (prep->target.spec) {
            prov.insert(QStringLiteral("repo"),
                        prep->target.spec->owner + u'/' + prep->target.spec->repo);
            prov.insert(QStringLiteral("ref"), prep->target.spec->ref);
            prov.insert(QStringLiteral("commit"), prep->target.commit);
        } else {
            prov.insert(QStringLiteral("repo"), prep->target.dir);
        }
        params.insert(QStringLiteral("provenance"), prov);
    }
    const auto r =
        runJob(ctx, prep->target, QStringLiteral("runtime.load"), params, prep->deadline, rc);
    if (!r)
        return rc;
    // --verify: run the export in hubcap-torchhost (libtorch, no Python) against the example
    // input and eager output the Python host saved beside it.
    std::optional<QJsonObject> verification;
    if (verify) {
        VerifyJob job(r->value(QStringLiteral("export"))
                          .toObject()
                          .value(QStringLiteral("output"))
                          .toString(),
                      VerifyJob::Options{});
        job.start();
        job.waitForFinished();
        if (job.error())
            return ctx.fail(*job.error());
        verification = job.result();
        verification->insert(QStringLiteral("verdict"), job.verdict());
        if (!job.verified())
            rc = Exit::Failure;
    }
    if (ctx.json) {
        QJsonObject doc = *r;
        if (verification)
            doc.insert(QStringLiteral("verification"), *verification);
        doc.insert(QStringLiteral("repo"), prep->target.label);
        doc.insert(QStringLiteral("source"), prep->target.source);
        doc.remove(QStringLiteral("repo_dir"));
        doc.insert(QStringLiteral("dir"), prep->target.dir);
        ctx.printJson(doc);
        return rc;
    }
    const QJsonObject d = r->value(QStringLiteral("description")).toObject();
    ctx.out << name << " returned " << d.value(QStringLiteral("type")).toString() << '\n';
    if (d.contains(QStringLiteral("module"))) {
        const QJsonObject m = d.value(QStringLiteral("module")).toObject();
        ctx.out << "  parameters: " << m.value(QStringLiteral("parameters")).toInteger() << " in "
                << m.value(QStringLiteral("parameter_tensors")).toInteger() << " tensors ("
                << m.value(QStringLiteral("trainable_parameters")).toInteger() << " trainable)\n";
        ctx.out << "  buffers: " << m.value(QStringLiteral("buffers")).toInteger() << " in "
                << m.value(QStringLiteral("buffer_tensors")).toInteger() << " tensors\n";
        const QJsonObject per = m.value(QStringLiteral("bytes_per_dtype")).toObject();
        QStringList sizes;
        for (auto it = per.begin(); it != per.end(); ++it)
            sizes << QStringLiteral("%1 %2").arg(it.key(), humanSize(it.value().toInteger()));
        ctx.out << "  size: " << humanSize(m.value(QStringLiteral("total_bytes")).toInteger())
                << " (" << sizes.join(QStringLiteral(", ")) << ")\n";
        ctx.out
            << "  mode: " << (m.value(QStringLiteral("training")).toBool() ? "training" : "eval")
            << ", device: "
            << toStrings(m.value(QStringLiteral("devices")).toArray()).join(QStringLiteral(", "))
            << '\n';
        ctx.out << "  submodules:\n";
        printTree(ctx, m.value(QStringLiteral("tree")).toObject(), 2);
    } else {
        ctx.out << d.value(QStringLiteral("repr")).toString() << '\n';
    }
    if (r->contains(QStringLiteral("export"))) {
        const QJsonObject x = r->value(QStringLiteral("export")).toObject();
        ctx.out << "exported " << x.value(QStringLiteral("format")).toString() << " ("
                << x.value(QStringLiteral("method")).toString() << ") to "
                << x.value(QStringLiteral("output")).toString() << ", "
                << humanSize(x.value(QStringLiteral("size")).toInteger()) << '\n';
        if (x.contains(QStringLiteral("fallback")))
            ctx.out << "  note: " << x.value(QStringLiteral("fallback")).toString() << '\n';
        ctx.out << "  example input/output: " << x.value(QStringLiteral("example_file")).toString()
                << '\n';
        ctx.out << "  summary: " << x.value(QStringLiteral("summary_file")).toString() << '\n';
    }
    if (verification)
        ctx.out << verification->value(QStringLiteral("verdict")).toString() << '\n';
    return rc;
}

} // namespace hubcap::cli
