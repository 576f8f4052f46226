#pragma once

#include "ui/common/confirmer.h"

#include <QWidget>

class QAction;
class QHBoxLayout;
class QPushButton;
class QTreeView;

namespace hubcap::ui {

class DownloadsModel;

/// The downloads panel (shown in a dock): every fetch and download with its progress bar,
/// bytes, speed, ETA and state, and pause/resume/cancel/retry per item, clear finished.
/// The model outlives the dock being closed.
class DownloadsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit DownloadsPanel(DownloadsModel *model, QWidget *parent = nullptr);

    QTreeView *view() const { return m_view; }
    DownloadsModel *model() const { return m_model; }
    /// Puts a button for `action` (e.g. "Download Weights…") first in the button row.
    void addLeadingAction(QAction *action);
    /// Asks before a cancel throws away at least `bytes` of a partial download (default 5 MB).
    void setConfirmer(Confirmer confirmer) { m_confirmer = std::move(confirmer); }
    void setCancelConfirmThreshold(qint64 bytes) { m_confirmAbove = bytes; }
    /// Cancels the current row, asking first when that loses a large partial download.
    void cancelCurrent();

protected:
    void showEvent(QShowEvent *event) override;

private:
    int currentRow() const;
    void updateButtons();

    DownloadsModel *m_model;
    QTreeView *m_view;
    QPushButton *m_pause;
    QPushButton *m_resume;
    QPushButton *m_cancel;
    QPushButton *m_retry;
    QPushButton *m_clear;
    QHBoxLayout *m_buttons;
    Confirmer m_confirmer = confirmWithDialog;
    qint64 m_confirmAbove = 5 * 1024 * 1024;
};

} // namespace hubcap::ui
