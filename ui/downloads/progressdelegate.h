#pragma once

#include <QStyledItemDelegate>

namespace hubcap::ui {

/// Paints DownloadsModel's progress column as a native progress bar (QStyle::CE_ProgressBar)
/// from the raw ProgressRole value; a busy bar when the total is unknown. Stateless.
class ProgressDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace hubcap::ui
