#include "ui/downloads/progressdelegate.h"

#include "ui/downloads/downloadsmodel.h"

#include <QApplication>
#include <QPainter>
#include <QStyleOptionProgressBar>

namespace hubcap::ui {

void ProgressDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                             const QModelIndex &index) const
{
    const double progress = index.data(DownloadsModel::ProgressRole).toDouble();
    const auto phase = DownloadsModel::Phase(index.data(DownloadsModel::PhaseRole).toInt());
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &background, painter, widget);

    QStyleOptionProgressBar bar;
    bar.initFrom(widget);
    bar.rect = option.rect.adjusted(2, 2, -2, -2);
    bar.minimum = 0;
    bar.maximum = 1000;
    bar.textVisible = true;
    bar.state = option.state | QStyle::State_Horizontal;
    if (progress < 0) {
        // Unknown total: an empty bar while queued or finished, otherwise a busy indicator.
        const bool busy = phase == DownloadsModel::Phase::Connecting ||
                          phase == DownloadsModel::Phase::Downloading ||
                          phase == DownloadsModel::Phase::Running ||
                          phase == DownloadsModel::Phase::Extracting ||
                          phase == DownloadsModel::Phase::Verifying;
        bar.maximum = busy ? 0 : 1000;
        bar.progress = 0;
        bar.text = QString();
    } else {
        bar.progress = int(progress * 1000);
        bar.text = QStringLiteral("%1%").arg(int(progress * 100));
    }
    if (phase == DownloadsModel::Phase::Failed || phase == DownloadsModel::Phase::Cancelled) {
        // A full bar on a failed row (a hash mismatch after the last byte) reads as success.
        bar.maximum = 1000;
        bar.progress = 0;
        bar.text = DownloadsModel::phaseText(phase, 0);
    }
    if (phase == DownloadsModel::Phase::Failed || phase == DownloadsModel::Phase::Cancelled ||
        phase == DownloadsModel::Phase::Paused || phase == DownloadsModel::Phase::Stalled)
        bar.state &= ~QStyle::State_Enabled; // greyed: not moving
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);
}

QSize ProgressDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    s.setWidth(std::max(s.width(), 120));
    s.setHeight(std::max(s.height(), option.fontMetrics.height() + 8));
    return s;
}

} // namespace hubcap::ui
