#pragma once

#include "core/net/checkpointdownload.h"

#include <QObject>

#include <functional>
#include <optional>

class QAction;
class QWidget;

namespace hubcap::ui {

class CoreBridge;
class DownloadsModel;

/// "Download Weights…" (Ctrl+Shift+D): asks with the WeightsDialog, then runs the CLI's
/// checkpoint download job (CoreBridge::downloadWeights) through the session's DownloadQueue,
/// with a row in the downloads panel (pause/resume go through the queue; retry reuses the row).
class WeightsDownloader : public QObject
{
    Q_OBJECT
public:
    using RequestDialog =
        std::function<std::optional<CheckpointRequest>(QWidget *parent, const QString &hubDir)>;

    WeightsDownloader(CoreBridge *bridge, DownloadsModel *downloads, QWidget *dialogParent);

    QAction *action() const { return m_action; }
    /// Replaces the dialog (tests answer without a modal loop).
    void setRequestDialog(RequestDialog dialog) { m_requestDialog = std::move(dialog); }

    /// Asks for a URL and queues what the dialog accepts.
    void ask();
    /// Queues a download: a row in the downloads model, started when the queue has a slot.
    CheckpointDownloadJob *download(const CheckpointRequest &request);

Q_SIGNALS:
    /// A download was queued (the panel should be visible).
    void queued(hubcap::CheckpointDownloadJob *job);
    /// A download ended; `message` says where it landed or why it failed.
    void finished(bool ok, const QString &path, const QString &message);

private:
    CheckpointDownloadJob *makeJob(const CheckpointRequest &request);

    CoreBridge *m_bridge;
    DownloadsModel *m_downloads;
    QWidget *m_dialogParent;
    QAction *m_action;
    RequestDialog m_requestDialog;
};

} // namespace hubcap::ui
