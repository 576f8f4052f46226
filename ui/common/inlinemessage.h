#pragma once

#include "ui/common/theme.h"

#include <QFrame>

#include <functional>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QToolButton;

namespace hubcap::ui {

/// A message shown in the window where the user acted (like KMessageWidget): an icon, a title,
/// the core's actionable text, an optional "Details" section (monospace, selectable) and
/// optional action buttons ("Retry"). Colours come from the palette (theme.h), so it reads in
/// light and dark themes; Esc or the close button dismisses it.
class InlineMessage : public QFrame
{
    Q_OBJECT
public:
    explicit InlineMessage(QWidget *parent = nullptr);

    /// Shows the message (replacing any previous one and its actions).
    void showMessage(Tone tone, const QString &title, const QString &text,
                     const QString &details = {});
    /// Adds a button to the message shown; clicking it runs `action` and dismisses the message.
    QPushButton *addAction(const QString &label, std::function<void()> action);
    void dismiss();

    Tone tone() const { return m_tone; }
    QString title() const;
    QString text() const;
    QString details() const;
    bool detailsVisible() const;
    QList<QPushButton *> actionButtons() const { return m_actions; }

Q_SIGNALS:
    void dismissed();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    void applyTone();

    Tone m_tone = Tone::Error;
    QLabel *m_icon;
    QLabel *m_title;
    QLabel *m_text;
    QToolButton *m_detailsButton;
    QPlainTextEdit *m_details;
    QWidget *m_actionRow;
    QList<QPushButton *> m_actions;
    bool m_applying = false;
};

} // namespace hubcap::ui
