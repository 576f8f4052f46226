#include "app/cli/cmd_inspect.h"

#include "app/cli/argparser.h"
#include "app/cli/clicontext.h"
#include "app/cli/progressbar.h"
#include "core/inspect/inspectjob.h"
#include "core/util/format.h"

#include <cmath>

namespace hubcap::cli {

namespace {

const QString kUsage = QStringLiteral("inspect FILE [--stats] [--tensor PATTERN]...");

QString shapeText(const std::vector<qint64> &shape)
{
    QStringList dims;
    for (qint64 d : shape)
        dims << QString::number(d);
    return u'[' + dims.join(QStringLiteral(", ")) + u']';
}

QString formatName(const QString &format)
{
    if (format == u"zip")
        return QStringLiteral("torch.save zip format");
    if (format == u"torchscript")
        return QStringLiteral("TorchScript archive");
    if (format == u"legacy")
        return QStringLiteral("legacy torch.save format (< 1.6)");
    if (format == u"legacy-zip")
        return QStringLiteral("legacy torch.save file inside a single-file zip");
    return format;
}

QString num(double d)
{
    return std::isfinite(d) ? QString::number(d, 'g', 6) : QStringLiteral("-");
}

void printTable(CliContext &ctx, const inspect::CheckpointInfo &info, bool stats)
{
    ctx.out << QStringLiteral("%1: %2, %3 tensor(s), %4 parameters, %5\n")
                   .arg(info.path, formatName(info.format))
                   .arg(info.tensors.size())
                   .arg(info.totalParams)
                   .arg(humanSize(info.totalBytes));
    if (info.storageBytes != info.totalBytes)
        ctx.out << QStringLiteral("Storages in the file: %1 (tensors share storage or are views)\n")
                       .arg(humanSize(info.storageBytes));
    if (!info.tensors.isEmpty()) {
        qsizetype keyWidth = 3, shapeWidth = 5;
        for (const auto &t : info.tensors) {
            keyWidth = std::max(keyWidth, t.key.isEmpty() ? qsizetype(6) : t.key.size());
            shapeWidth = std::max(shapeWidth, shapeText(t.shape).size());
        }
        keyWidth = std::min<qsizetype>(keyWidth, 60);
        ctx.out << QStringLiteral("%1  %2  %3  %4  %5  %6\n")
                       .arg(QStringLiteral("KEY").leftJustified(keyWidth),
                            QStringLiteral("DTYPE").leftJustified(8),
                            QStringLiteral("SHAPE").leftJustified(shapeWidth),
                            QStringLiteral("PARAMS").rightJustified(12),
                            QStringLiteral("SIZE").rightJustified(10), QStringLiteral("NOTES"));
        for (const auto &t : info.tensors) {
            QStringList notes;
            if (t.parameter)
                notes << QStringLiteral("parameter");
            if (t.sharedStorage)
                notes << QStringLiteral("shares storage %1").arg(t.storageKey);
            if (t.isView)
                notes << QStringLiteral("view at offset %1").arg(t.storageOffset);
            ctx.out << QStringLiteral("%1  %2  %3  %4  %5  %6\n")
                           .arg((t.key.isEmpty() ? QStringLiteral("<root>") : t.key)
                                    .leftJustified(keyWidth),
                                t.dtype.leftJustified(8),
                                shapeText(t.shape).leftJustified(shapeWidth),
                                QString::number(t.numel).rightJustified(12),
                                humanSize(t.bytes).rightJustified(10),
                                notes.join(QStringLiteral(", ")))
                           .trimmed()
                    << '\n';
            if (stats && t.stats) {
                ctx.out << QStringLiteral("    min %1  max %2  mean %3  std %4  nan %5  inf %6\n")
                               .arg(num(t.stats->min), num(t.stats->max), num(t.stats->mean),
                                    num(t.stats->std))
                               .arg(t.stats->nanCount)
                               .arg(t.stats->infCount);
            } else if (stats && !t.statsError.isEmpty()) {
                ctx.out << QStringLiteral("    (no statistics: %1)\n").arg(t.statsError);
            }
        }
    }
    if (info.bytesPerDtype.size() > 0) {
        QStringList parts;
        for (auto it = info.bytesPerDtype.begin(); it != info.bytesPerDtype.end(); ++it)
            parts << QStringLiteral("%1 %2 params, %3")
                         .arg(it.key())
                         .arg(info.paramsPerDtype.value(it.key()))
                         .arg(humanSize(it.value()));
        ctx.out << QStringLiteral("By dtype: %1\n").arg(parts.join(QStringLiteral("; ")));
    }
    if (!info.values.isEmpty()) {
        ctx.out << QStringLiteral("Other values:\n");
        for (const auto &v : info.values)
            ctx.out << QStringLiteral("  %1 = %2\n")
                           .arg(v.key.isEmpty() ? QStringLiteral("<root>") : v.key, v.repr);
    }
    for (const QString &g : info.unsafeGlobals)
        ctx.out
            << QStringLiteral("unsafe global: %1 (referenced by the pickle; not called)\n").arg(g);
    if (!info.unsafeGlobals.isEmpty())
        ctx.out << QStringLiteral(
            "Warning: torch.load(weights_only=False) on this file would import and call the "
            "globals above. Only load it if you trust its source.\n");
    for (const QString &w : info.warnings)
        ctx.out << QStringLiteral("warning: %1\n").arg(w);
}

} // namespace

int runInspect(CliContext &ctx, const QStringList &args)
{
    ArgParser p;
    p.flag(QStringLiteral("--stats")).option(QStringLiteral("--tensor"));
    if (!p.parse(args))
        return ctx.usage(p.error(), kUsage);
    if (p.positional().size() != 1)
        return ctx.usage(QStringLiteral("inspect needs exactly one FILE"), kUsage);
    inspect::InspectOptions options;
    options.stats = p.isSet(QStringLiteral("--stats")) || p.isSet(QStringLiteral("--tensor"));
    options.statsKeys = p.values(QStringLiteral("--tensor"));
    inspect::InspectJob job(p.positional().first(), options);
    ProgressBar bar(&job, options.stats && ctx.stderrIsTerminal && !ctx.json);
    job.start();
    job.waitForFinished();
    if (job.error())
        return ctx.fail(*job.error());
    if (ctx.json)
        ctx.printJson(inspect::toJson(job.info()));
    else
        printTable(ctx, job.info(), options.stats);
    return 0;
}

} // namespace hubcap::cli
