#pragma once

#include "core/github/githubclient.h"

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace hubcap::ui {

class CoreBridge;

/// Picks a branch or tag of a GitHub repository (from the API, every page, the default branch
/// first) or takes a commit SHA typed in; the caller fetches "owner/repo:ref" into its own
/// torch.hub folder. The list loads in the background; a failure says why, with Retry.
class RefPickerDialog : public QDialog
{
    Q_OBJECT
public:
    RefPickerDialog(CoreBridge *bridge, const QString &owner, const QString &repo,
                    const QString &currentRef, QWidget *parent = nullptr);

    /// The chosen ref (a branch, a tag or the typed SHA), empty when none.
    QString selectedRef() const;
    /// True when the ref was typed as a commit SHA (not from the list).
    bool isCommit() const;

    QListWidget *refList() const { return m_list; }
    QLineEdit *filterEdit() const { return m_filter; }
    QLineEdit *shaEdit() const { return m_sha; }
    QLabel *statusLabel() const { return m_status; }
    /// Shows a listing (what the API answered); public for tests.
    void setRefs(const RefList &refs);
    void load();

Q_SIGNALS:
    void loaded(bool ok);

private:
    void updateOk();
    void applyFilter();

    CoreBridge *m_bridge;
    QString m_owner, m_repo, m_current;
    QLineEdit *m_filter;
    QListWidget *m_list;
    QLineEdit *m_sha;
    QLabel *m_status;
    QPushButton *m_retry;
    QDialogButtonBox *m_buttons;
};

} // namespace hubcap::ui
