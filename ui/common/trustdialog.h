#pragma once

#include "core/cache/trustpolicy.h"

#include <QDialog>

#include <functional>

namespace hubcap::ui {

// The question and its answers are the core's (cache/trustpolicy.h: TrustQuestion,
// TrustAnswer); this dialog is the GUI's asker, as the terminal prompt is the CLI's.

/// Injected wherever code may run, so tests can answer without a modal dialog.
using TrustAsker = std::function<TrustAnswer(QWidget *parent, const TrustQuestion &)>;

class TrustDialog : public QDialog
{
    Q_OBJECT
public:
    TrustDialog(const TrustQuestion &question, QWidget *parent = nullptr);
    TrustAnswer answer() const { return m_answer; }

private:
    TrustAnswer m_answer = TrustAnswer::Refuse;
};

/// The default asker: a modal TrustDialog.
TrustAnswer askTrustWithDialog(QWidget *parent, const TrustQuestion &question);

} // namespace hubcap::ui
