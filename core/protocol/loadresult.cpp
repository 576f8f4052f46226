#include "core/protocol/loadresult.h"

#include "core/protocol/json.h"

#include <QCoreApplication>

#include <algorithm>

namespace hubcap {

using namespace protocol;

namespace {

constexpr qsizetype maxChildren = 4096; // per node; the Python host sends at most 64
constexpr qsizetype maxListItems = 4096;

} // namespace

ModuleNode ModuleNode::fromJson(const QJsonObject &o, int maxDepth)
{
    ModuleNode n;
    n.name = json::str(o, QLatin1StringView("name"));
    n.type = json::str(o, QLatin1StringView("type"));
    n.parameters = json::int64(o, QLatin1StringView("parameters"));
    n.childrenOmitted = std::max<qint64>(0, json::int64(o, QLatin1StringView("children_omitted")));
    const QJsonArray children = o.value(QLatin1StringView("children")).toArray();
    if (maxDepth <= 0) {
        n.childrenOmitted += children.size();
        return n;
    }
    for (const QJsonValue &c : children) {
        if (n.children.size() >= maxChildren) {
            ++n.childrenOmitted;
            continue;
        }
        n.children << fromJson(c.toObject(), maxDepth - 1);
    }
    return n;
}

QJsonObject ModuleNode::toJson() const
{
    QJsonObject o{{QStringLiteral("name"), name},
                  {QStringLiteral("type"), type},
                  {QStringLiteral("parameters"), parameters}};
    if (!children.isEmpty()) {
        QJsonArray a;
        for (const ModuleNode &c : children)
            a.append(c.toJson());
        o.insert(QStringLiteral("children"), a);
    }
    if (childrenOmitted > 0)
        o.insert(QStringLiteral("children_omitted"), childrenOmitted);
    return o;
}

ModuleSummary ModuleSummary::fromJson(const QJsonObject &o)
{
    ModuleSummary m;
    m.parameters = json::int64(o, QLatin1StringView("parameters"));
    m.trainableParameters = json::int64(o, QLatin1StringView("trainable_parameters"));
    m.parameterTensors = json::int64(o, QLatin1StringView("parameter_tensors"));
    m.buffers = json::int64(o, QLatin1StringView("buffers"));
    m.bufferTensors = json::int64(o, QLatin1StringView("buffer_tensors"));
    const QJsonObject per = o.value(QLatin1StringView("bytes_per_dtype")).toObject();
    for (auto it = per.begin(); it != per.end() && m.bytesPerDtype.size() < maxListItems; ++it)
        m.bytesPerDtype.append({it.key(), it.value().toInteger()});
    m.totalBytes = json::int64(o, QLatin1StringView("total_bytes"));
    m.training = json::boolean(o, QLatin1StringView("training"));
    m.devices = json::strings(o.value(QLatin1StringView("devices")));
    m.tree = ModuleNode::fromJson(o.value(QLatin1StringView("tree")).toObject());
    return m;
}

QJsonObject ModuleSummary::toJson() const
{
    QJsonObject per;
    for (const auto &[dtype, bytes] : bytesPerDtype)
        per.insert(dtype, bytes);
    return {{QStringLiteral("parameters"), parameters},
            {QStringLiteral("trainable_parameters"), trainableParameters},
            {QStringLiteral("parameter_tensors"), parameterTensors},
            {QStringLiteral("buffers"), buffers},
            {QStringLiteral("buffer_tensors"), bufferTensors},
            {QStringLiteral("bytes_per_dtype"), per},
            {QStringLiteral("total_bytes"), totalBytes},
            {QStringLiteral("training"), training},
            {QStringLiteral("devices"), json::array(devices)},
            {QStringLiteral("tree"), tree.toJson()}};
}

ObjectDescription ObjectDescription::fromJson(const QJsonObject &o)
{
    ObjectDescription d;
    d.type = json::str(o, QLatin1StringView("type"));
    const QJsonValue m = o.value(QLatin1StringView("module"));
    if (m.isObject())
        d.module = ModuleSummary::fromJson(m.toObject());
    d.repr = json::str(o, QLatin1StringView("repr"));
    return d;
}

QJsonObject ObjectDescription::toJson() const
{
    QJsonObject o{{QStringLiteral("type"), type}, {QStringLiteral("repr"), repr}};
    if (module)
        o.insert(QStringLiteral("module"), module->toJson());
    return o;
}

ExportProvenance ExportProvenance::fromJson(const QJsonObject &o)
{
    ExportProvenance p;
    p.repo = json::optStr(o, QLatin1StringView("repo"));
    p.ref = json::optStr(o, QLatin1StringView("ref"));
    p.commit = json::optStr(o, QLatin1StringView("commit"));
    p.entrypoint = json::optStr(o, QLatin1StringView("entrypoint"));
    if (const QJsonValue a = o.value(QLatin1StringView("args")); a.isArray())
        p.args = a.toArray();
    if (const QJsonValue k = o.value(QLatin1StringView("kwargs")); k.isObject())
        p.kwargs = k.toObject();
    p.source = json::optStr(o, QLatin1StringView("source"));
    return p;
}

void ExportProvenance::writeTo(QJsonObject &o) const
{
    auto put = [&o](const char *key, const std::optional<QString> &v) {
        if (v)
            o.insert(QLatin1StringView(key), *v);
    };
    put("repo", repo);
    put("ref", ref);
    put("commit", commit);
    put("entrypoint", entrypoint);
    if (args)
        o.insert(QStringLiteral("args"), *args);
    if (kwargs)
        o.insert(QStringLiteral("kwargs"), *kwargs);
    put("source", source);
}

ExportInfo ExportInfo::fromJson(const QJsonObject &o)
{
    ExportInfo x;
    x.format = json::str(o, QLatin1StringView("format"));
    x.method = json::str(o, QLatin1StringView("method"));
    x.file = json::str(o, QLatin1StringView("file"));
    x.fallback = json::optStr(o, QLatin1StringView("fallback"));
    x.seconds = json::number(o, QLatin1StringView("seconds"));
    x.size = json::int64(o, QLatin1StringView("size"));
    x.pythonMaxAbsDiff = json::optNumber(o, QLatin1StringView("python_max_abs_diff"));
    x.torchVersion = json::str(o, QLatin1StringView("torch_version"));
    x.example = json::str(o, QLatin1StringView("example"));
    x.inputShape = json::ints(o.value(QLatin1StringView("input_shape")));
    x.inputDtype = json::str(o, QLatin1StringView("input_dtype"));
    for (const QJsonValue &s : o.value(QLatin1StringView("output_shapes")).toArray()) {
        if (x.outputShapes.size() >= maxListItems)
            break;
        x.outputShapes << json::ints(s);
    }
    x.mode = json::str(o, QLatin1StringView("mode"));
    x.provenance = ExportProvenance::fromJson(o);
    x.output = json::str(o, QLatin1StringView("output"));
    x.summaryFile = json::str(o, QLatin1StringView("summary_file"));
    x.exampleFile = json::str(o, QLatin1StringView("example_file"));
    return x;
}

QJsonObject ExportInfo::toJson() const
{
    QJsonArray shapes;
    for (const auto &s : outputShapes)
        shapes.append(json::array(s));
    QJsonObject o{{QStringLiteral("format"), format},
                  {QStringLiteral("method"), method},
                  {QStringLiteral("file"), file},
                  {QStringLiteral("seconds"), seconds},
                  {QStringLiteral("size"), size},
                  {QStringLiteral("torch_version"), torchVersion},
                  {QStringLiteral("example"), example},
                  {QStringLiteral("input_shape"), json::array(inputShape)},
                  {QStringLiteral("input_dtype"), inputDtype},
                  {QStringLiteral("output_shapes"), shapes},
                  {QStringLiteral("mode"), mode},
                  {QStringLiteral("output"), output},
                  {QStringLiteral("summary_file"), summaryFile},
                  {QStringLiteral("example_file"), exampleFile}};
    if (fallback)
        o.insert(QStringLiteral("fallback"), *fallback);
    if (pythonMaxAbsDiff)
        o.insert(QStringLiteral("python_max_abs_diff"), *pythonMaxAbsDiff);
    provenance.writeTo(o);
    return o;
}

Result<LoadResult> LoadResult::fromJson(const QJsonObject &o)
{
    const QJsonValue d = o.value(QLatin1StringView("description"));
    if (!d.isObject())
        return fail(Error::Code::HostFailed,
                    QCoreApplication::translate("hubcap::LoadResult",
                                                "The Python host's load reply does not describe "
                                                "what the entrypoint returned."));
    LoadResult r;
    r.repoDir = json::str(o, QLatin1StringView("repo_dir"));
    r.entrypoint = json::str(o, QLatin1StringView("entrypoint"));
    r.args = o.value(QLatin1StringView("args")).toArray();
    r.kwargs = o.value(QLatin1StringView("kwargs")).toObject();
    r.description = ObjectDescription::fromJson(d.toObject());
    if (const QJsonValue x = o.value(QLatin1StringView("export")); x.isObject())
        r.exported = ExportInfo::fromJson(x.toObject());
    r.output = json::str(o, QLatin1StringView("output"));
    r.warnings = json::strings(o.value(QLatin1StringView("warnings")));
    r.seconds = json::number(o, QLatin1StringView("seconds"));
    return r;
}

QJsonObject LoadResult::toJson() const
{
    QJsonObject o{{QStringLiteral("entrypoint"), entrypoint},
                  {QStringLiteral("args"), args},
                  {QStringLiteral("kwargs"), kwargs},
                  {QStringLiteral("description"), description.toJson()},
                  {QStringLiteral("output"), output},
                  {QStringLiteral("warnings"), json::array(warnings)},
                  {QStringLiteral("seconds"), seconds}};
    if (!repoDir.isEmpty())
        o.insert(QStringLiteral("repo_dir"), repoDir);
    if (exported)
        o.insert(QStringLiteral("export"), exported->toJson());
    return o;
}

QJsonObject ExportParams::toJson() const
{
    QJsonObject o{{QStringLiteral("format"), format}, {QStringLiteral("output"), output}};
    if (!inputShape.trimmed().isEmpty())
        o.insert(QStringLiteral("input_shape"), inputShape.trimmed());
    if (!dtype.isEmpty())
        o.insert(QStringLiteral("dtype"), dtype);
    return o;
}

QJsonObject LoadParams::toJson() const
{
    QJsonObject o{{QStringLiteral("entrypoint"), entrypoint},
                  {QStringLiteral("args"), args},
                  {QStringLiteral("kwargs"), kwargs},
                  {QStringLiteral("depth"), depth}};
    if (exportTo) {
        o.insert(QStringLiteral("export"), exportTo->toJson());
        o.insert(QStringLiteral("provenance"), provenance.toJson());
    }
    return o;
}

} // namespace hubcap
