#include "ui/common/confirmer.h"

#include "ui/common/theme.h"
#include "ui/common/uiutil.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

#include <algorithm>

namespace hubcap::ui {

ConfirmDialog::ConfirmDialog(const Confirmation &c, QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("confirmDialog"));
    setWindowTitle(c.title);
    auto *icon = new QLabel;
    const int size = style()->pixelMetric(QStyle::PM_MessageBoxIconSize, nullptr, this);
    icon->setPixmap(style()
                        ->standardIcon(QStyle::SP_MessageBoxWarning, nullptr, this)
                        .pixmap(QSize(size, size), devicePixelRatioF()));
    auto *title = new QLabel(c.title);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    title->setWordWrap(true);
    m_text = new QLabel(c.text);
    m_text->setObjectName(QStringLiteral("confirmText"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);
    // Every item, one per line, never broken inside a name: a scrolling list, not a label.
    m_items = new QListWidget;
    m_items->setObjectName(QStringLiteral("confirmItems"));
    m_items->setAccessibleName(tr("What will be removed"));
    m_items->addItems(c.items);
    m_items->setSelectionMode(QAbstractItemView::NoSelection);
    m_items->setFocusPolicy(Qt::NoFocus);
    m_items->setVisible(!c.items.isEmpty());
    m_items->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_items->setTextElideMode(Qt::ElideMiddle);
    // As tall as its rows (up to ten, then it scrolls): one item is one line, not a mostly
    // empty box.
    if (!c.items.isEmpty()) {
        const int rows = std::min<int>(int(c.items.size()), 10);
        const int rowHeight = std::max(m_items->sizeHintForRow(0), fontMetrics().height() + 2);
        m_items->setFixedHeight(rows * rowHeight + 2 * m_items->frameWidth() + 4);
    }
    m_notes = new QLabel(c.notes.join(QStringLiteral("\n\n")));
    m_notes->setObjectName(QStringLiteral("confirmNotes"));
    m_notes->setWordWrap(true);
    m_notes->setTextFormat(Qt::PlainText);
    m_notes->setVisible(!c.notes.isEmpty());

    auto *buttons = new QDialogButtonBox;
    m_cancel = buttons->addButton(QDialogButtonBox::Cancel);
    m_accept = buttons->addButton(c.acceptLabel.isEmpty() ? tr("OK") : c.acceptLabel,
                                  QDialogButtonBox::AcceptRole);
    m_accept->setObjectName(QStringLiteral("confirmAccept"));
    QPalette danger;
    danger.setColor(QPalette::ButtonText, toneText(Tone::Error, m_accept->palette()));
    m_accept->setPalette(danger);
    m_cancel->setDefault(true); // Enter never deletes by accident
    m_cancel->setAutoDefault(true);
    m_accept->setAutoDefault(false);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *body = new QVBoxLayout;
    body->addWidget(title);
    body->addWidget(m_text);
    body->addWidget(m_items);
    body->addWidget(m_notes);
    body->addStretch(1);
    auto *top = new QHBoxLayout;
    top->addWidget(icon, 0, Qt::AlignTop);
    top->addLayout(body, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top, 1);
    layout->addWidget(buttons);
    setMinimumWidth(480);
    resize(560, 10);
    fitHeightToWidth(this);
    m_cancel->setFocus();
}

bool confirmWithDialog(QWidget *parent, const Confirmation &c)
{
    ConfirmDialog dialog(c, parent);
    return dialog.exec() == QDialog::Accepted;
}

} // namespace hubcap::ui
