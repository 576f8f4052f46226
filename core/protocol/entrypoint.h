#pragma once

// What the Python host says about a repository's entrypoints: the replies of static.list /
// runtime.list (EntrypointListing) and static.help / runtime.help (EntrypointHelp). The JSON
// keys are those of `hubcap-cli list --json` and `help --json` (docs/cli-json.md).
//
// Extending: add a member, read it in fromJson (absent → default) and write it in toJson. Keys
// a client does not know are ignored, so hosts may add keys freely.

#include "core/error.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace hubcap {

/// One parameter of an entrypoint's signature (for the generated load form).
struct EntrypointParameter
{
    QString name;
    QString kind;        ///< "positional", "keyword", "var_positional", "var_keyword"
    QString annotation;  ///< source text, may be empty
    QString defaultText; ///< source text of the default; empty when there is none
    bool hasDefault = false;

    static EntrypointParameter fromJson(const QJsonObject &o);
    QJsonObject toJson() const;
};

/// One entrypoint: {"name", "kind", "signature", "doc", "defined_in", "imported_from"?,
/// "partial_of"?, "parameters"?}.
struct Entrypoint
{
    QString name;
    QString kind; ///< "function", "class", "partial", "imported", "callable"
    QString signature;
    /// The docstring: static analysis gives the cleaned docstring ("" when there is none),
    /// import mode the raw __doc__ (null when there is none).
    std::optional<QString> doc;
    /// The raw __doc__ (what torch.hub.help returns; nullopt: None, and no "doc_raw" key), in
    /// both modes; `doc` is inspect.cleandoc of it.
    std::optional<QString> docRaw;
    QString definedIn;    ///< "hubconf.py:12" or "models/x.py:3"; empty when unknown
    QString importedFrom; ///< "torchvision.models" for names imported from outside the repo
    QString partialOf;    ///< the callable a functools.partial wraps
    QList<EntrypointParameter> parameters; ///< empty unless the host sent them

    QString docText() const { return doc.value_or(QString()); }
    /// definedIn, else "imported from X" (translated), for display.
    QString location() const;
    QString signatureFirstLine() const;
    /// The parameters, from `parameters` when the listing had them, else parsed from the
    /// signature text (display purposes only: it splits on top-level commas).
    QList<EntrypointParameter> effectiveParameters() const;

    static Entrypoint fromJson(const QJsonObject &o);
    QJsonObject toJson() const;
};

/// A checkpoint an entrypoint can download, found by static analysis (help's "weights"):
/// {"url", "file_name", "hash_prefix", "cached", "path", "function", "found_at"}. `cached` and
/// `path` are added by the client (weightsWithCacheState in cache/listingcache.h).
struct WeightRef
{
    QString url;
    QString fileName;   ///< torch.hub's name in <hub>/checkpoints (or file_name=/dst)
    QString hashPrefix; ///< HASH_REGEX's group of the file name; empty when none
    QString function;   ///< "load_state_dict_from_url", "download_url_to_file", ...
    QString foundAt;    ///< "models/x.py:12", where the call is
    bool cached = false;
    QString path; ///< <hub>/checkpoints/<file_name>; empty when unknown

    static WeightRef fromJson(const QJsonObject &o);
    QJsonObject toJson() const;
};

/// The reply to static.list / runtime.list.
struct EntrypointListing
{
    QString repoDir; ///< the folder the host read
    QString repo;    ///< what the user called it ("owner/repo:ref" or a folder); set by clients
    QString mode;    ///< "static" or "import"; set by the client from the method it called
    QList<Entrypoint> entrypoints;
    /// hubconf's `dependencies`; nullopt when it declares none (JSON null).
    std::optional<QStringList> dependencies;
    QStringList missingDependencies;
    /// What static analysis could not decide; nullopt in import mode (no such key).
    std::optional<QStringList> notes;
    QString output;       ///< what repository code printed (import mode)
    QStringList warnings; ///< Python warnings raised meanwhile
    /// Static analysis saw hubconf.py add names it cannot see (globals().update, a star import
    /// from outside, a module __getattr__/__dir__): an import listing may show more ("dynamic",
    /// with the reasons in "dynamic_reasons").
    bool dynamic = false;
    QStringList dynamicReasons;
    /// Answered from the sidecar's kept listings (cache/listingcache.h), no Python started;
    /// set by clients ("from_cache" in `list --json`).
    bool fromCache = false;

    QStringList declaredDependencies() const { return dependencies.value_or(QStringList()); }

    /// HostFailed when `entrypoints` is not a list (anything else missing stays empty).
    static Result<EntrypointListing> fromJson(const QJsonObject &o);
    /// The host's keys: repo_dir, entrypoints, dependencies, missing_dependencies, notes?,
    /// output, warnings.
    QJsonObject toJson() const;
};

/// The reply to static.help / runtime.help.
struct EntrypointHelp
{
    QString repoDir;
    Entrypoint entrypoint;
    /// torch.hub.help's answer in import mode: the raw __doc__ (nullopt: None). Static mode
    /// has no such key and `doc` is the entrypoint's cleaned docstring.
    std::optional<QString> doc;
    std::optional<QStringList> dependencies;
    QStringList missingDependencies;
    std::optional<QStringList> notes;
    QString output;
    QStringList warnings;
    QList<WeightRef> weights; ///< what it can download, by static analysis ("weights")

    /// HostFailed when `entrypoint` is not an object.
    static Result<EntrypointHelp> fromJson(const QJsonObject &o);
    QJsonObject toJson() const;
};

} // namespace hubcap
