#pragma once

#include "core/inspect/checkpoint.h"
#include "core/jobs/worker.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QTreeView;

namespace hubcap::inspect {
class InspectProcessJob;
}

namespace hubcap::ui {

class TensorModel;

/// Shows what a checkpoint holds (the core's inspector, run out of process with memory and time
/// limits so that no crafted file can take the window down; it never executes pickle code): the
/// tensors table, totals, and a warning banner when the file references globals that
/// torch.load would import and call.
class InspectorDialog : public QDialog
{
    Q_OBJECT
public:
    explicit InspectorDialog(const QString &path, QWidget *parent = nullptr);

    TensorModel *model() const { return m_model; }
    QLabel *bannerLabel() const { return m_banner; }
    QLabel *totalsLabel() const { return m_totals; }
    bool isLoaded() const { return m_loaded; }
    /// The inspection (started from the event loop after construction; its limits may be
    /// changed until then).
    inspect::InspectProcessJob *job() const { return m_job; }

Q_SIGNALS:
    void loaded(bool ok);

private:
    void showInfo(const Result<inspect::CheckpointInfo> &info);

    QString m_path;
    TensorModel *m_model;
    QTreeView *m_view;
    QLineEdit *m_filter;
    QLabel *m_banner;
    QLabel *m_totals;
    bool m_loaded = false;
    inspect::InspectProcessJob *m_job = nullptr;
};

} // namespace hubcap::ui
