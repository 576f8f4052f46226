#pragma once

#include <inspect/checkpoint.h>
#include <jobs/worker.h>

#include <QDialog>

class QLabel;
class QLineEdit;
class QTreeView;

namespace hubcap::ui {

class TensorModel;

/// Shows what a checkpoint holds (the core's inspector, run off the GUI thread: it never
/// executes pickle code): the tensors table, totals, and a warning banner when the file
/// references globals that torch.load would import and call.
class InspectorDialog : public QDialog
{
    Q_OBJECT
public:
    explicit InspectorDialog(const QString &path, QWidget *parent = nullptr);

    TensorModel *model() const { return m_model; }
    QLabel *bannerLabel() const { return m_banner; }
    QLabel *totalsLabel() const { return m_totals; }
    bool isLoaded() const { return m_loaded; }

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
    Worker m_worker{this}; ///< reads the file; last: cancelled and waited for first
};

} // namespace hubcap::ui
