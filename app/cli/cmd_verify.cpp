#include "app/cli/cmd_verify.h"

#include "app/cli/argparser.h"
#include "app/cli/clicontext.h"
#include "core/hosts/torchhost/client/torchhostclient.h"

#include <QJsonArray>

namespace hubcap::cli {

namespace {
const QString kUsage =
    QStringLiteral("verify EXPORT_PATH [--runs N] [--rtol X] [--atol X] [--threads N]");
}

int runVerify(CliContext &ctx, const QStringList &args)
{
    ArgParser p;
    p.option(QStringLiteral("--runs"))
        .option(QStringLiteral("--rtol"))
        .option(QStringLiteral("--atol"))
        .option(QStringLiteral("--threads"));
    if (!p.parse(args))
        return ctx.usage(p.error(), kUsage);
    if (p.positional().size() != 1)
        return ctx.usage(QStringLiteral("verify needs exactly one EXPORT_PATH"), kUsage);
    VerifyJob::Options options;
    bool ok = true;
    auto number = [&](const QString &name, auto &field, bool integer) {
        if (const auto v = p.value(name)) {
            bool good = false;
            const double d = integer ? double(v->toInt(&good)) : v->toDouble(&good);
            if (!good || d < 0)
                ok = false;
            else
                field = static_cast<std::remove_reference_t<decltype(field)>>(d);
        }
    };
    number(QStringLiteral("--runs"), options.runs, true);
    number(QStringLiteral("--threads"), options.threads, true);
    number(QStringLiteral("--rtol"), options.rtol, false);
    number(QStringLiteral("--atol"), options.atol, false);
    if (!ok)
        return ctx.usage(
            QStringLiteral("--runs, --threads, --rtol and --atol take non-negative numbers"),
            kUsage);

    VerifyJob job(p.positional().first(), options);
    job.start();
    job.waitForFinished();
    if (job.error())
        return ctx.fail(*job.error());
    if (ctx.json) {
        QJsonObject doc = job.result();
        doc.insert(QStringLiteral("verdict"), job.verdict());
        ctx.printJson(doc);
    } else {
        ctx.out << job.verdict() << '\n';
        const QJsonArray outputs = job.result().value(QStringLiteral("outputs")).toArray();
        if (outputs.size() > 1 || !job.verified()) {
            for (const auto &v : outputs) {
                const QJsonObject o = v.toObject();
                ctx.out
                    << QStringLiteral(
                           "  output %1: shape %2 (eager %3), dtype %4 (eager %5), max |diff| %6, "
                           "max rel diff %7, allclose %8\n")
                           .arg(o.value(QStringLiteral("index")).toInt())
                           .arg(QString::fromUtf8(
                                    QJsonDocument(o.value(QStringLiteral("shape")).toArray())
                                        .toJson(QJsonDocument::Compact)),
                                QString::fromUtf8(
                                    QJsonDocument(
                                        o.value(QStringLiteral("expected_shape")).toArray())
                                        .toJson(QJsonDocument::Compact)),
                                o.value(QStringLiteral("dtype")).toString(),
                                o.value(QStringLiteral("expected_dtype")).toString(),
                                QString::number(o.value(QStringLiteral("max_abs_diff")).toDouble(),
                                                'g', 3),
                                QString::number(o.value(QStringLiteral("max_rel_diff")).toDouble(),
                                                'g', 3),
                                o.value(QStringLiteral("allclose")).toBool()
                                    ? QStringLiteral("yes")
                                    : QStringLiteral("no"));
            }
            ctx.out << QStringLiteral("  tolerances: rtol %1, atol %2\n")
                           .arg(job.result().value(QStringLiteral("rtol")).toDouble())
                           .arg(job.result().value(QStringLiteral("atol")).toDouble());
        }
    }
    ctx.out.flush();
    return job.verified() ? 0 : 1;
}

} // namespace hubcap::cli
