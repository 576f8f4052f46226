#pragma once

#include <QStyledItemDelegate>

namespace hubcap::ui {

/// Paints one Discover card: the thumbnail (or a lettered placeholder), the title, two lines of
/// summary, the category and tags, and an "in cache" badge. Colours come from the palette.
class CardDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    static constexpr int kWidth = 340;
    static constexpr int kHeight = 132;
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace hubcap::ui
