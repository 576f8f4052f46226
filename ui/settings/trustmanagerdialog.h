#pragma once

#include <QDialog>

class QListWidget;
class QLabel;
class QPushButton;

namespace hubcap::ui {

/// The trust manager: the entries of `<hub>/trusted_list` (removable, through the core's
/// TrustList, which keeps every other line byte-identical) and the owners torch.hub trusts
/// without asking.
class TrustManagerDialog : public QDialog
{
    Q_OBJECT
public:
    explicit TrustManagerDialog(const QString &hubDir, QWidget *parent = nullptr);

    QListWidget *listWidget() const { return m_list; }
    void reload();
    /// Removes the selected entries (no confirmation: they can be added again by trusting).
    void removeSelected();

private:
    QString m_hubDir;
    QListWidget *m_list;
    QLabel *m_info;
    QPushButton *m_remove;
};

} // namespace hubcap::ui
