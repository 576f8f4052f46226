#pragma once

// runtime.load: what the client asks (LoadParams) and what the Python host answers
// (LoadResult: the returned object's description, the export when one was asked for).
// Keys are those of `hubcap-cli load --json` (docs/cli-json.md).

#include "core/error.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

namespace hubcap {

/// One node of an nn.Module's tree: {"name", "type", "parameters", "children"?,
/// "children_omitted"?}.
struct ModuleNode
{
    QString name; ///< empty for the root
    QString type;
    qint64 parameters = 0;
    QList<ModuleNode> children;
    qint64 childrenOmitted = 0; ///< children not listed (depth or count limit)

    /// Nesting deeper than `maxDepth` is cut (counted in childrenOmitted).
    static ModuleNode fromJson(const QJsonObject &o, int maxDepth = 64);
    QJsonObject toJson() const;
};

/// The sizes and structure of an nn.Module.
struct ModuleSummary
{
    qint64 parameters = 0;
    qint64 trainableParameters = 0;
    qint64 parameterTensors = 0;
    qint64 buffers = 0;
    qint64 bufferTensors = 0;
    QList<QPair<QString, qint64>> bytesPerDtype; ///< sorted by dtype name
    qint64 totalBytes = 0;
    bool training = false;
    QStringList devices;
    ModuleNode tree;

    static ModuleSummary fromJson(const QJsonObject &o);
    QJsonObject toJson() const;
};

/// What the entrypoint returned: {"type", "module"?, "repr"}.
struct ObjectDescription
{
    QString type;                        ///< "torchvision.models.resnet.ResNet", "dict", ...
    std::optional<ModuleSummary> module; ///< set for an nn.Module
    QString repr;                        ///< repr(), cut at 4000 characters

    static ObjectDescription fromJson(const QJsonObject &o);
    QJsonObject toJson() const;
};

/// Where an export came from, written into its summary file. Every member is optional: only
/// what the client knew is recorded.
struct ExportProvenance
{
    std::optional<QString> repo; ///< "owner/repo", or the folder for local sources
    std::optional<QString> ref;
    std::optional<QString> commit;
    std::optional<QString> entrypoint;
    std::optional<QJsonArray> args;    ///< as given (JSON values)
    std::optional<QJsonObject> kwargs; ///< as given (JSON values)
    std::optional<QString> source;     ///< "github" or "local"

    static ExportProvenance fromJson(const QJsonObject &o);
    /// Writes only the members that are set, into `o` (the export object is flat).
    void writeTo(QJsonObject &o) const;
    QJsonObject toJson() const
    {
        QJsonObject o;
        writeTo(o);
        return o;
    }
};

/// An export the Python host wrote (the "export" object of a load reply; the summary file
/// PATH.json holds the same keys except output, summary_file and example_file).
struct ExportInfo
{
    QString format;                  ///< "torchscript", "trace", "state_dict", "onnx"
    QString method;                  ///< "script", "trace", "state_dict", "onnx"
    QString file;                    ///< file name of the export
    std::optional<QString> fallback; ///< why scripting fell back to tracing
    double seconds = 0;
    qint64 size = 0;
    std::optional<double> pythonMaxAbsDiff; ///< TorchScript reloaded in Python vs eager
    QString torchVersion;
    QString example; ///< file name of PATH.example.pt
    QList<qint64> inputShape;
    QString inputDtype;
    QList<QList<qint64>> outputShapes;
    QString mode; ///< "eval"
    ExportProvenance provenance;
    QString output;      ///< absolute path of the export
    QString summaryFile; ///< PATH.json
    QString exampleFile; ///< PATH.example.pt (absolute)

    /// TorchScript (script or trace): the libtorch host can run and verify it.
    bool isTorchScript() const { return format == u"torchscript" || format == u"trace"; }

    static ExportInfo fromJson(const QJsonObject &o);
    QJsonObject toJson() const;
};

/// The reply to runtime.load.
struct LoadResult
{
    QString repoDir;
    QString entrypoint;
    QJsonArray args;
    QJsonObject kwargs;
    ObjectDescription description;
    std::optional<ExportInfo> exported; ///< JSON key "export"
    QString output;                     ///< what repository code printed
    QStringList warnings;
    double seconds = 0; ///< time the host spent on the request

    /// HostFailed when `description` is not an object.
    static Result<LoadResult> fromJson(const QJsonObject &o);
    QJsonObject toJson() const;
};

/// The export part of a runtime.load request.
struct ExportParams
{
    QString format;     ///< torchscript, trace, state_dict, onnx
    QString output;     ///< absolute path
    QString inputShape; ///< "1,3,224,224"; empty: the host guesses
    QString dtype;      ///< empty: float32
    QJsonObject toJson() const;
};

/// The parameters of a runtime.load request.
struct LoadParams
{
    QString entrypoint;
    QJsonArray args;
    QJsonObject kwargs;
    int depth = 3; ///< levels of the module tree to describe
    std::optional<ExportParams> exportTo;
    ExportProvenance provenance; ///< sent with exports only
    QJsonObject toJson() const;
};

} // namespace hubcap
