#pragma once

// The libtorch host's "verify" reply: an export run against the example input and eager output
// saved beside it. Keys are those of `hubcap-cli verify --json` (docs/cli-json.md).

#include "core/error.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace hubcap {

/// One output tensor compared with the eager one.
struct VerifiedOutput
{
    qint64 index = 0;
    QList<qint64> shape, expectedShape;
    QString dtype, expectedDtype;
    bool shapeMatch = false;
    bool dtypeMatch = false;
    /// Compared only when the shapes match.
    std::optional<double> maxAbsDiff, maxRelDiff;
    std::optional<bool> allclose;

    static VerifiedOutput fromJson(const QJsonObject &o);
    QJsonObject toJson() const;
};

/// The timing part: `runs` timed runs after `warmup` untimed ones.
struct VerifyTiming
{
    int runs = 0;
    int warmup = 0;
    int threads = 0;
    /// Set when runs > 0.
    std::optional<double> medianMs, minMs, maxMs, meanMs, stdevMs;

    static VerifyTiming fromJson(const QJsonObject &o);
    QJsonObject toJson() const;
};

struct Verification
{
    QString path;    ///< the export
    QString example; ///< PATH.example.pt
    QString torchVersion;
    double rtol = 0, atol = 0;
    qint64 outputCount = 0, expectedOutputCount = 0;
    QList<VerifiedOutput> outputs;
    double maxAbsDiff = 0, maxRelDiff = 0;
    bool verified = false;
    QString reason; ///< why not verified; empty when verified
    VerifyTiming timing;

    /// "verified: max |diff| 0 over 1 output(s), median 3.2 ms over 20 runs (4 thread(s))" or
    /// "not verified: <reason>".
    QString verdict() const;

    /// HostFailed when `verified` is missing (not a verify reply).
    static Result<Verification> fromJson(const QJsonObject &o);
    /// The host's keys plus "verdict".
    QJsonObject toJson() const;
};

} // namespace hubcap
