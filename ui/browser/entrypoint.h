#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace hubcap::ui {

/// One parameter of an entrypoint's signature, for the generated load form.
struct ParameterInfo
{
    QString name;
    QString kind;        ///< "positional", "keyword", "var_positional", "var_keyword"
    QString annotation;  ///< source text, may be empty
    QString defaultText; ///< source text of the default; empty when there is none
    bool hasDefault = false;
};

/// One entrypoint as the listing reports it (the same fields as `hubcap-cli list --json`).
struct EntrypointInfo
{
    QString name;
    QString kind; ///< "function", "class", "imported", ...
    QString signature;
    QString doc;       ///< inspect.cleandoc of the docstring
    QString docRaw;    ///< the raw __doc__ (what torch.hub.help returns); null when none
    QString definedIn; ///< "hubconf.py:12" or "imported from torchvision.models"
    QList<ParameterInfo> parameters;

    QString signatureFirstLine() const;
    /// The parameters, from `parameters` when the listing had them, else parsed from the
    /// signature text (display purposes only: it splits on top-level commas).
    QList<ParameterInfo> effectiveParameters() const;
};

/// What a listing of one repository returned.
struct EntrypointListing
{
    QString repo;
    QString mode; ///< "static" or "import"
    QList<EntrypointInfo> entrypoints;
    QStringList dependencies;
    QStringList missingDependencies;
    QStringList notes; ///< what static analysis could not decide
    /// Static analysis saw names it cannot resolve (globals().update, a star import from
    /// outside, a module __getattr__): listing by running hubconf.py may show more.
    bool dynamic = false;
    bool fromCache = false; ///< came from the sidecar's kept listings, no Python started

    /// Reads the `list --json` document (tolerant: missing fields stay empty).
    static EntrypointListing fromJson(const QJsonObject &o);
};

} // namespace hubcap::ui
