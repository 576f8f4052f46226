#pragma once

// What the Python host says about a repository's entrypoints: the replies of static.list /
// runtime.list (EntrypointListing) and static.help / runtime.help (EntrypointHelp). The JSON
// keys are those of `hubcap-cli list --json` and `help --json` (docs/cli-json.md).
//
// Extending: add a member, read it in fromJson (absent → default) and write it in toJson. Keys
// a client does not know are ignored, so hosts may add keys freely.

#include "error.h"

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

    /// HostFailed when `entrypoint` is not an object.
    static Result<EntrypointHelp> fromJson(const QJsonObject &o);
    QJsonObject toJson() const;
};

} // namespace hubcap
