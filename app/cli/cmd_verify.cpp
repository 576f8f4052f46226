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
    const auto v = job.result();
    if (!v)
        return ctx.fail(v.error());
    if (ctx.json) {
        ctx.printJson(v->toJson());
    } else {
        ctx.out << v->verdict() << '\n';
        if (v->outputs.size() > 1 || !v->verified) {
            auto shape = [](const QList<qint64> &dims) {
                QStringList parts;
                for (qint64 d : dims)
                    parts << QString::number(d);
                return u'[' + parts.join(u',') + u']';
            };
            for (const VerifiedOutput &o : v->outputs)
                ctx.out << QStringLiteral(
                               "  output %1: shape %2 (eager %3), dtype %4 (eager %5), max |diff| "
                               "%6, max rel diff %7, allclose %8\n")
                               .arg(o.index)
                               .arg(shape(o.shape), shape(o.expectedShape), o.dtype,
                                    o.expectedDtype,
                                    QString::number(o.maxAbsDiff.value_or(0), 'g', 3),
                                    QString::number(o.maxRelDiff.value_or(0), 'g', 3),
                                    o.allclose.value_or(false) ? QStringLiteral("yes")
                                                               : QStringLiteral("no"));
            ctx.out << QStringLiteral("  tolerances: rtol %1, atol %2\n").arg(v->rtol).arg(v->atol);
        }
    }
    ctx.out.flush();
    return v->verified ? 0 : 1;
}

} // namespace hubcap::cli
