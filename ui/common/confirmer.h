#pragma once

#include <QDialog>
#include <QString>
#include <QStringList>

#include <functional>

class QLabel;
class QListWidget;
class QPushButton;
class QWidget;

namespace hubcap::ui {

/// A question to the user with a list of details (what a deletion removes, ...). Injected into
/// pages so tests can answer without a modal dialog.
struct Confirmation
{
    QString title;
    QString text;
    QStringList items;
    QString acceptLabel;
    /// Sentences about the items (wrapped under the list, never cut sideways).
    QStringList notes;
};

using Confirmer = std::function<bool(QWidget *parent, const Confirmation &)>;

/// The confirmation window: the question, the text (what is freed), every item in a scrolling
/// list (long names are never broken mid-word), Cancel as the default button and the
/// destructive action named ("Delete", "Clear Cache").
class ConfirmDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ConfirmDialog(const Confirmation &c, QWidget *parent = nullptr);
    QLabel *textLabel() const { return m_text; }
    QListWidget *itemList() const { return m_items; }
    QLabel *notesLabel() const { return m_notes; }
    QPushButton *acceptButton() const { return m_accept; }
    QPushButton *cancelButton() const { return m_cancel; }

private:
    QLabel *m_text;
    QListWidget *m_items;
    QLabel *m_notes;
    QPushButton *m_accept;
    QPushButton *m_cancel;
};

/// The default: a modal ConfirmDialog; true when the user chose the action.
bool confirmWithDialog(QWidget *parent, const Confirmation &c);

} // namespace hubcap::ui
