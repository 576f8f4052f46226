#include "ui/common/inlinemessage.h"

#include "ui/common/uiutil.h"

#include <QApplication>
#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace hubcap::ui {

InlineMessage::InlineMessage(QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("inlineMessage"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setFocusPolicy(Qt::StrongFocus);
    qApp->installEventFilter(this);
    m_icon = new QLabel;
    m_icon->setAlignment(Qt::AlignTop);
    m_title = new QLabel;
    m_title->setObjectName(QStringLiteral("inlineMessageTitle"));
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_title->setWordWrap(true); // a long title (a repository spec) never widens the window
    m_text = new QLabel;
    m_text->setObjectName(QStringLiteral("inlineMessageText"));
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setTextFormat(Qt::PlainText);
    m_detailsButton = new QToolButton;
    m_detailsButton->setObjectName(QStringLiteral("inlineMessageDetailsButton"));
    m_detailsButton->setText(tr("Details"));
    m_detailsButton->setCheckable(true);
    m_detailsButton->setAutoRaise(true);
    m_detailsButton->setArrowType(Qt::RightArrow);
    m_detailsButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_details = new QPlainTextEdit;
    m_details->setObjectName(QStringLiteral("inlineMessageDetails"));
    m_details->setReadOnly(true);
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_details->setMaximumHeight(160);
    m_details->hide();
    connect(m_detailsButton, &QToolButton::toggled, this, [this](bool on) {
        m_details->setVisible(on);
        m_detailsButton->setArrowType(on ? Qt::DownArrow : Qt::RightArrow);
    });
    auto *close = new QToolButton;
    close->setObjectName(QStringLiteral("inlineMessageClose"));
    close->setAutoRaise(true);
    close->setText(QStringLiteral("✕"));
    close->setToolTip(tr("Dismiss (Esc)"));
    close->setAccessibleName(tr("Dismiss message"));
    connect(close, &QToolButton::clicked, this, &InlineMessage::dismiss);

    m_actionRow = new QWidget;
    auto *actions = new QHBoxLayout(m_actionRow);
    actions->setContentsMargins(0, 0, 0, 0);
    actions->addStretch(1);

    auto *head = new QHBoxLayout;
    head->addWidget(m_title, 1);
    head->addWidget(m_detailsButton);
    head->addWidget(close);
    auto *body = new QVBoxLayout;
    body->addLayout(head);
    body->addWidget(m_text);
    body->addWidget(m_details);
    body->addWidget(m_actionRow);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addLayout(body, 1);
    hide();
}

void InlineMessage::showMessage(Tone tone, const QString &title, const QString &text,
                                const QString &details)
{
    m_tone = tone;
    for (QPushButton *b : std::as_const(m_actions))
        b->deleteLater();
    m_actions.clear();
    m_actionRow->hide();
    m_title->setText(title);
    m_title->setVisible(!title.isEmpty());
    m_text->setText(forGui(text)); // the core's CLI wording, in the GUI's terms
    m_details->setPlainText(details);
    m_detailsButton->setVisible(!details.isEmpty());
    m_detailsButton->setChecked(false);
    setAccessibleName(title.isEmpty() ? text : title);
    setAccessibleDescription(text);
    applyTone();
    show();
}

QPushButton *InlineMessage::addAction(const QString &label, std::function<void()> action)
{
    auto *button = new QPushButton(label);
    connect(button, &QPushButton::clicked, this, [this, action = std::move(action)] {
        dismiss();
        if (action)
            action();
    });
    static_cast<QHBoxLayout *>(m_actionRow->layout())->addWidget(button);
    m_actions << button;
    m_actionRow->show();
    return button;
}

void InlineMessage::dismiss()
{
    if (isHidden())
        return;
    hide();
    Q_EMIT dismissed();
}

QString InlineMessage::title() const
{
    return m_title->text();
}

QString InlineMessage::text() const
{
    return m_text->text();
}

QString InlineMessage::details() const
{
    return m_details->toPlainText();
}

bool InlineMessage::detailsVisible() const
{
    return !m_details->isHidden();
}

void InlineMessage::applyTone()
{
    m_applying = true;
    const QPalette base = QApplication::palette(this);
    setPalette(bannerPalette(m_tone, base));
    // The details box keeps the normal view colours (it is a text view).
    m_details->setPalette(base);
    const QStyle::StandardPixmap sp = m_tone == Tone::Error     ? QStyle::SP_MessageBoxCritical
                                      : m_tone == Tone::Warning ? QStyle::SP_MessageBoxWarning
                                                                : QStyle::SP_MessageBoxInformation;
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this) * 2;
    m_icon->setPixmap(
        style()->standardIcon(sp, nullptr, this).pixmap(QSize(size, size), devicePixelRatioF()));
    m_applying = false;
}

bool InlineMessage::eventFilter(QObject *watched, QEvent *event)
{
    // Follow a switch of the application palette. QApplication announces it to itself; a
    // widget with its own palette (as this one) gets no PaletteChange from it.
    if (watched == qApp && event->type() == QEvent::ApplicationPaletteChange && !m_applying)
        applyTone();
    return QFrame::eventFilter(watched, event);
}

void InlineMessage::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape) {
        dismiss();
        return;
    }
    QFrame::keyPressEvent(event);
}

} // namespace hubcap::ui
