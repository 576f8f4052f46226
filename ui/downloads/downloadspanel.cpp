#include "ui/downloads/downloadspanel.h"

#include "ui/common/icons.h"
#include "ui/downloads/downloadsmodel.h"
#include "ui/downloads/progressdelegate.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace hubcap::ui {

DownloadsPanel::DownloadsPanel(DownloadsModel *model, QWidget *parent)
    : QWidget(parent), m_model(model)
{
    setObjectName(QStringLiteral("downloadsPanel"));
    m_view = new QTreeView;
    m_view->setObjectName(QStringLiteral("downloadsView"));
    m_view->setAccessibleName(tr("Downloads"));
    m_view->setModel(model);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setItemDelegateForColumn(DownloadsModel::ProgressColumn, new ProgressDelegate(m_view));
    m_view->header()->resizeSection(DownloadsModel::NameColumn, 260);
    m_view->header()->resizeSection(DownloadsModel::ProgressColumn, 160);
    m_view->header()->resizeSection(DownloadsModel::BytesColumn, 150);
    m_view->header()->setStretchLastSection(true);

    auto button = [](const QString &iconName, const QString &text) {
        auto *b = new QPushButton(icon(iconName), text);
        b->setAccessibleName(text);
        return b;
    };
    m_pause = button(QStringLiteral("pause"), tr("Pause"));
    m_resume = button(QStringLiteral("resume"), tr("Resume"));
    m_cancel = button(QStringLiteral("cancel"), tr("Cancel"));
    m_retry = button(QStringLiteral("retry"), tr("Retry"));
    m_clear = button(QStringLiteral("clear"), tr("Clear Finished"));
    auto *buttons = m_buttons = new QHBoxLayout;
    for (QPushButton *b : {m_pause, m_resume, m_cancel, m_retry})
        buttons->addWidget(b);
    buttons->addStretch();
    buttons->addWidget(m_clear);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);

    connect(m_pause, &QPushButton::clicked, this, [this] { m_model->pause(currentRow()); });
    connect(m_resume, &QPushButton::clicked, this, [this] { m_model->resume(currentRow()); });
    connect(m_cancel, &QPushButton::clicked, this, [this] { m_model->cancel(currentRow()); });
    connect(m_retry, &QPushButton::clicked, this, [this] { m_model->retry(currentRow()); });
    connect(m_clear, &QPushButton::clicked, m_model, &DownloadsModel::clearFinished);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &DownloadsPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &DownloadsPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &DownloadsPanel::updateButtons);
    updateButtons();
}

void DownloadsPanel::addLeadingAction(QAction *action)
{
    auto *b = new QToolButton;
    b->setDefaultAction(action);
    b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    b->setAccessibleName(action->text().remove(u'&'));
    m_buttons->insertWidget(0, b);
    m_buttons->insertSpacing(1, 12);
}

int DownloadsPanel::currentRow() const
{
    const QModelIndex i = m_view->currentIndex();
    return i.isValid() ? i.row() : -1;
}

void DownloadsPanel::updateButtons()
{
    const QModelIndex i = m_model->index(currentRow(), 0);
    m_pause->setEnabled(i.data(DownloadsModel::CanPauseRole).toBool());
    m_resume->setEnabled(i.data(DownloadsModel::CanResumeRole).toBool());
    m_cancel->setEnabled(i.data(DownloadsModel::CanCancelRole).toBool());
    m_retry->setEnabled(i.data(DownloadsModel::CanRetryRole).toBool());
    m_clear->setEnabled(m_model->rowCount() > 0);
}

} // namespace hubcap::ui
