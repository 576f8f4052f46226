#include "ui/downloads/weightsdownloader.h"

#include "ui/common/corebridge.h"
#include "ui/common/icons.h"
#include "ui/downloads/downloadsmodel.h"
#include "ui/downloads/weightsdialog.h"

#include "core/net/downloadqueue.h"
#include "core/util/format.h"

#include <QAction>
#include <QDir>

namespace hubcap::ui {

namespace {

std::optional<CheckpointRequest> askWithDialog(QWidget *parent, const QString &hubDir)
{
    WeightsDialog dialog(hubDir, parent);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.request();
}

} // namespace

WeightsDownloader::WeightsDownloader(CoreBridge *bridge, DownloadsModel *downloads,
                                     QWidget *dialogParent)
    : QObject(dialogParent), m_bridge(bridge), m_downloads(downloads), m_dialogParent(dialogParent),
      m_requestDialog(askWithDialog)
{
    m_action = new QAction(icon(QStringLiteral("download")), tr("Download &Weights…"), this);
    m_action->setObjectName(QStringLiteral("downloadWeightsAction"));
    m_action->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    m_action->setToolTip(tr("Download a weights file into the hub's checkpoints folder, as "
                            "torch.hub.load_state_dict_from_url does (Ctrl+Shift+D)"));
    connect(m_action, &QAction::triggered, this, &WeightsDownloader::ask);
}

void WeightsDownloader::ask()
{
    if (const auto request = m_requestDialog(m_dialogParent, m_bridge->hubDir()))
        download(*request);
}

CheckpointDownloadJob *WeightsDownloader::download(const CheckpointRequest &request)
{
    CheckpointDownloadJob *job = makeJob(request);
    // Retry makes the same request again in this row (the factory's job replaces the old one).
    m_downloads->addJob(job, [this, request]() -> Job * { return makeJob(request); });
    Q_EMIT queued(job);
    job->start();
    return job;
}

CheckpointDownloadJob *WeightsDownloader::makeJob(const CheckpointRequest &request)
{
    CheckpointDownloadJob *job = m_bridge->downloadWeights(request);
    connect(job, &Job::finished, this, [this, job] {
        // The row keeps its last snapshot; the job and its network manager go.
        job->deleteLater();
        const QString name = job->title();
        if (job->error()) {
            const QString text =
                job->error()->code == Error::Code::Cancelled
                    ? tr("Download of %1 cancelled.").arg(name)
                    : tr("Download of %1 failed: %2").arg(name, job->error()->message);
            Q_EMIT finished(false, {}, text);
            return;
        }
        const CheckpointResult &r = job->result();
        const QString path = QDir::toNativeSeparators(r.path);
        QString text = r.fromCache ? tr("%1 was already there (%2).").arg(path, humanSize(r.bytes))
                                   : tr("Saved %1 (%2)").arg(path, humanSize(r.bytes));
        if (r.verified)
            text += tr(", SHA-256 verified");
        if (!r.warnings.isEmpty())
            text += u' ' + r.warnings.join(u' ');
        Q_EMIT finished(true, r.path, text);
    });
    return job;
}

} // namespace hubcap::ui
