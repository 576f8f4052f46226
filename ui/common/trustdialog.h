#pragma once

#include <QDialog>

#include <functional>

namespace hubcap::ui {

/// torch.hub's trust question, before any repository code runs: add the repository to
/// trusted_list (trust_repo=True), run it this once without adding it, or cancel.
enum class TrustAnswer { TrustAndAdd, RunOnce, Cancel };

struct TrustQuestion
{
    QString repoTitle;        ///< "owner/repo:ref"
    QString trustName;        ///< "owner_repo", the trusted_list line; empty when unknown
    QString action;           ///< "load tiny_cnn", "list entrypoints at runtime", ...
    bool allowRunOnce = true; ///< false for fetches: torch.hub records a "yes"
};

/// Injected wherever code may run, so tests can answer without a modal dialog.
using TrustAsker = std::function<TrustAnswer(QWidget *parent, const TrustQuestion &)>;

class TrustDialog : public QDialog
{
    Q_OBJECT
public:
    TrustDialog(const TrustQuestion &question, QWidget *parent = nullptr);
    TrustAnswer answer() const { return m_answer; }

private:
    TrustAnswer m_answer = TrustAnswer::Cancel;
};

/// The default asker: a modal TrustDialog.
TrustAnswer askTrustWithDialog(QWidget *parent, const TrustQuestion &question);

} // namespace hubcap::ui
