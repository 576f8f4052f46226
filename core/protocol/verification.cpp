#include "core/protocol/verification.h"

#include "core/protocol/json.h"

#include <QCoreApplication>

namespace hubcap {

using namespace protocol;

namespace {

constexpr qsizetype maxOutputs = 4096;

void putOptional(QJsonObject &o, const char *key, const std::optional<double> &v)
{
    if (v)
        o.insert(QLatin1StringView(key), *v);
}

} // namespace

VerifiedOutput VerifiedOutput::fromJson(const QJsonObject &o)
{
    VerifiedOutput v;
    v.index = json::int64(o, QLatin1StringView("index"));
    v.shape = json::ints(o.value(QLatin1StringView("shape")));
    v.expectedShape = json::ints(o.value(QLatin1StringView("expected_shape")));
    v.dtype = json::str(o, QLatin1StringView("dtype"));
    v.expectedDtype = json::str(o, QLatin1StringView("expected_dtype"));
    v.shapeMatch = json::boolean(o, QLatin1StringView("shape_match"));
    v.dtypeMatch = json::boolean(o, QLatin1StringView("dtype_match"));
    v.maxAbsDiff = json::optNumber(o, QLatin1StringView("max_abs_diff"));
    v.maxRelDiff = json::optNumber(o, QLatin1StringView("max_rel_diff"));
    if (const QJsonValue a = o.value(QLatin1StringView("allclose")); a.isBool())
        v.allclose = a.toBool();
    return v;
}

QJsonObject VerifiedOutput::toJson() const
{
    QJsonObject o{{QStringLiteral("index"), index},
                  {QStringLiteral("shape"), json::array(shape)},
                  {QStringLiteral("expected_shape"), json::array(expectedShape)},
                  {QStringLiteral("dtype"), dtype},
                  {QStringLiteral("expected_dtype"), expectedDtype},
                  {QStringLiteral("shape_match"), shapeMatch},
                  {QStringLiteral("dtype_match"), dtypeMatch}};
    putOptional(o, "max_abs_diff", maxAbsDiff);
    putOptional(o, "max_rel_diff", maxRelDiff);
    if (allclose)
        o.insert(QStringLiteral("allclose"), *allclose);
    return o;
}

VerifyTiming VerifyTiming::fromJson(const QJsonObject &o)
{
    VerifyTiming t;
    t.runs = int(json::int64(o, QLatin1StringView("runs")));
    t.warmup = int(json::int64(o, QLatin1StringView("warmup")));
    t.threads = int(json::int64(o, QLatin1StringView("threads")));
    t.medianMs = json::optNumber(o, QLatin1StringView("median_ms"));
    t.minMs = json::optNumber(o, QLatin1StringView("min_ms"));
    t.maxMs = json::optNumber(o, QLatin1StringView("max_ms"));
    t.meanMs = json::optNumber(o, QLatin1StringView("mean_ms"));
    t.stdevMs = json::optNumber(o, QLatin1StringView("stdev_ms"));
    return t;
}

QJsonObject VerifyTiming::toJson() const
{
    QJsonObject o{{QStringLiteral("runs"), runs},
                  {QStringLiteral("warmup"), warmup},
                  {QStringLiteral("threads"), threads}};
    putOptional(o, "median_ms", medianMs);
    putOptional(o, "min_ms", minMs);
    putOptional(o, "max_ms", maxMs);
    putOptional(o, "mean_ms", meanMs);
    putOptional(o, "stdev_ms", stdevMs);
    return o;
}

QString Verification::verdict() const
{
    QString time;
    // "1.79 s", not "1.79e+03 ms".
    const auto duration = [](double ms) {
        if (ms < 1.0)
            return QStringLiteral("%1 µs").arg(QString::number(ms * 1000.0, 'g', 3));
        if (ms < 1000.0)
            return QStringLiteral("%1 ms").arg(QString::number(ms, 'g', 3));
        if (ms < 10000.0)
            return QStringLiteral("%1 s").arg(QString::number(ms / 1000.0, 'g', 3));
        return QStringLiteral("%1 s").arg(qRound64(ms / 1000.0));
    };
    if (timing.runs > 0)
        time = QStringLiteral(", median %1 over %2 runs (%3 thread(s))")
                   .arg(duration(timing.medianMs.value_or(0)))
                   .arg(timing.runs)
                   .arg(timing.threads);
    if (verified)
        return QStringLiteral("verified: max |diff| %1 over %2 output(s)%3")
            .arg(QString::number(maxAbsDiff, 'g', 3))
            .arg(outputCount)
            .arg(time);
    return QStringLiteral("not verified: %1%2").arg(reason, time);
}

Result<Verification> Verification::fromJson(const QJsonObject &o)
{
    if (!o.value(QLatin1StringView("verified")).isBool())
        return fail(Error::Code::HostFailed,
                    QCoreApplication::translate("hubcap::Verification",
                                                "The libtorch host's reply does not say whether "
                                                "the export was verified."));
    Verification v;
    v.path = json::str(o, QLatin1StringView("path"));
    v.example = json::str(o, QLatin1StringView("example"));
    v.torchVersion = json::str(o, QLatin1StringView("torch_version"));
    v.rtol = json::number(o, QLatin1StringView("rtol"));
    v.atol = json::number(o, QLatin1StringView("atol"));
    v.outputCount = json::int64(o, QLatin1StringView("output_count"));
    v.expectedOutputCount = json::int64(o, QLatin1StringView("expected_output_count"));
    for (const QJsonValue &x : o.value(QLatin1StringView("outputs")).toArray()) {
        if (v.outputs.size() >= maxOutputs)
            break;
        v.outputs << VerifiedOutput::fromJson(x.toObject());
    }
    v.maxAbsDiff = json::number(o, QLatin1StringView("max_abs_diff"));
    v.maxRelDiff = json::number(o, QLatin1StringView("max_rel_diff"));
    v.verified = json::boolean(o, QLatin1StringView("verified"));
    v.reason = json::str(o, QLatin1StringView("reason"));
    v.timing = VerifyTiming::fromJson(o.value(QLatin1StringView("timing")).toObject());
    return v;
}

QJsonObject Verification::toJson() const
{
    QJsonArray outs;
    for (const VerifiedOutput &x : outputs)
        outs.append(x.toJson());
    QJsonObject o{{QStringLiteral("path"), path},
                  {QStringLiteral("example"), example},
                  {QStringLiteral("torch_version"), torchVersion},
                  {QStringLiteral("rtol"), rtol},
                  {QStringLiteral("atol"), atol},
                  {QStringLiteral("output_count"), outputCount},
                  {QStringLiteral("expected_output_count"), expectedOutputCount},
                  {QStringLiteral("outputs"), outs},
                  {QStringLiteral("max_abs_diff"), maxAbsDiff},
                  {QStringLiteral("max_rel_diff"), maxRelDiff},
                  {QStringLiteral("verified"), verified},
                  {QStringLiteral("timing"), timing.toJson()},
                  {QStringLiteral("verdict"), verdict()}};
    if (!reason.isEmpty())
        o.insert(QStringLiteral("reason"), reason);
    return o;
}

} // namespace hubcap
