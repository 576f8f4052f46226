#pragma once

#include <QDialog>

class QLineEdit;
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
    /// Adds what the field says (owner/repo, as torch.hub's trusted_list records it); false
    /// with the reason in the info line when it is not a repository name.
    bool addTyped();
    QLineEdit *addField() const { return m_addField; }
    QLabel *infoLabel() const { return m_info; }

private:
    QString m_hubDir;
    QListWidget *m_list;
    QLabel *m_info;
    QPushButton *m_remove;
    QLineEdit *m_addField;
    QPushButton *m_add;
};

} // namespace hubcap::ui
