#include "ui/common/confirmer.h"

#include "ui/common/theme.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

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

    auto *buttons = new QDialogButtonBox;
    m_cancel = buttons->addButton(QDialogButtonBox::Cancel);
    m_accept = buttons->addButton(c.acceptLabel.isEmpty() ? tr("OK") : c.acceptLabel,
                                  QDialogButtonBox::AcceptRole);
    m_accept->setObjectName(QStringLiteral("confirmAccept"));
    QPalette danger = m_accept->palette();
    danger.setColor(QPalette::ButtonText, toneText(Tone::Error, danger));
    m_accept->setPalette(danger);
    m_cancel->setDefault(true); // Enter never deletes by accident
    m_cancel->setAutoDefault(true);
    m_accept->setAutoDefault(false);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *body = new QVBoxLayout;
    body->addWidget(title);
    body->addWidget(m_text);
    body->addWidget(m_items, 1);
    auto *top = new QHBoxLayout;
    top->addWidget(icon, 0, Qt::AlignTop);
    top->addLayout(body, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top, 1);
    layout->addWidget(buttons);
    setMinimumWidth(560);
    resize(640, c.items.isEmpty() ? sizeHint().height() : 420);
    m_cancel->setFocus();
}

bool confirmWithDialog(QWidget *parent, const Confirmation &c)
{
    ConfirmDialog dialog(c, parent);
    return dialog.exec() == QDialog::Accepted;
}

} // namespace hubcap::ui
