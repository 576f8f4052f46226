#include "ui/downloads/downloadspanel.h"

#include "ui/common/icons.h"
#include "ui/downloads/downloadsmodel.h"
#include "ui/downloads/progressdelegate.h"

#include "core/jobs/job.h"
#include "core/net/downloadjob.h"
#include "core/util/format.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QTimer>
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
    // Every column fits at 800 px: the name takes what is left (elided in the middle, the
    // tooltip has it all), the others keep a width that holds their usual text.
    QHeaderView *header = m_view->header();
    header->setStretchLastSection(false);
    header->setMinimumSectionSize(40);
    header->setSectionResizeMode(DownloadsModel::NameColumn, QHeaderView::Stretch);
    for (int c = DownloadsModel::ProgressColumn; c < DownloadsModel::ColumnCount; ++c)
        header->setSectionResizeMode(c, QHeaderView::Interactive);
    const QFontMetrics fm = fontMetrics();
    header->resizeSection(DownloadsModel::ProgressColumn, fm.horizontalAdvance(u'0') * 12);
    header->resizeSection(DownloadsModel::BytesColumn,
                          fm.horizontalAdvance(QStringLiteral("888.8 MB of 888.8 MB")) + 12);
    header->resizeSection(DownloadsModel::SpeedColumn,
                          fm.horizontalAdvance(QStringLiteral("888.8 MB/s")) + 12);
    header->resizeSection(DownloadsModel::EtaColumn,
                          fm.horizontalAdvance(QStringLiteral("88 min 88 s")) + 8);
    header->resizeSection(DownloadsModel::StateColumn,
                          fm.horizontalAdvance(QStringLiteral("Stalled for 88 s")) + 16);
    m_view->setTextElideMode(Qt::ElideMiddle);
    // A new row comes into view (and becomes current when nothing else is), so starting a
    // download visibly does something even when the list is long.
    connect(model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int, int last) {
                const QModelIndex i = m_model->index(last, 0);
                if (!m_view->currentIndex().isValid() || !m_view->hasFocus())
                    m_view->setCurrentIndex(i);
                // After the view has laid the row out (and after the dock has been shown).
                QTimer::singleShot(
                    0, m_view, [this, row = last] { m_view->scrollTo(m_model->index(row, 0)); });
            });

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
    connect(m_cancel, &QPushButton::clicked, this, &DownloadsPanel::cancelCurrent);
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

void DownloadsPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // Rows added while the dock was closed: the newest (current) one comes into view.
    QTimer::singleShot(0, m_view, [this] { m_view->scrollTo(m_view->currentIndex()); });
}

void DownloadsPanel::cancelCurrent()
{
    const int row = currentRow();
    if (row < 0)
        return;
    // Cancelling deletes the partial file (pause keeps it): say what is lost when it is a lot.
    // Only a resumable transfer (one that can pause) keeps a partial file worth warning about.
    Job *job = m_model->job(row);
    const Job::Progress progress = job ? job->currentProgress() : Job::Progress{};
    if (job && !job->isFinished() && job->capabilities().pause && progress.done >= m_confirmAbove &&
        m_confirmer) {
        const qint64 done = progress.done, total = progress.total;
        Confirmation c;
        const QString name = m_model->index(row, DownloadsModel::NameColumn).data().toString();
        c.title = tr("Cancel the download of %1?").arg(name);
        c.text = total > 0 ? tr("The %1 downloaded so far (%2% of %3) will be deleted: downloading "
                                "it again starts from the beginning. Pause keeps it instead.")
                                 .arg(humanSize(done))
                                 .arg(100 * done / total)
                                 .arg(humanSize(total))
                           : tr("The %1 downloaded so far will be deleted: downloading it again "
                                "starts from the beginning. Pause keeps it instead.")
                                 .arg(humanSize(done));
        c.acceptLabel = tr("Cancel Download");
        if (!m_confirmer(this, c))
            return;
    }
    m_model->cancel(row);
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
