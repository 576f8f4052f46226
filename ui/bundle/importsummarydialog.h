#pragma once

#include "core/bundle/bundleimport.h"

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QPushButton;
class QTreeWidget;

namespace hubcap::ui {

/// What a bundle holds and what importing it would do, before anything is installed:
/// repositories (ref, commit, entrypoints, whether torch.hub trusts them), checkpoints (size,
/// where they came from), new / identical / different files and the bytes to write. A file
/// that differs from the hub dir's blocks Install until "Replace" is ticked.
class ImportSummaryDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ImportSummaryDialog(const hubcap::bundle::ImportPreview &preview,
                                 QWidget *parent = nullptr);

    bool replaceDifferent() const;
    QTreeWidget *contentTree() const { return m_tree; }
    QLabel *summaryLabel() const { return m_summary; }
    QCheckBox *replaceBox() const { return m_replace; }
    QPushButton *installButton() const { return m_install; }

private:
    void updateButtons();

    hubcap::bundle::ImportPreview m_preview;
    QTreeWidget *m_tree;
    QLabel *m_summary;
    QCheckBox *m_replace;
    QPushButton *m_install;
};

} // namespace hubcap::ui
