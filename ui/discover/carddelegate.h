#pragma once

#include <QStyledItemDelegate>

#include <algorithm>

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
    /// Cards share the view's width (the page sets it when the view is resized).
    void setCardWidth(int width) { m_width = std::max(260, width); }
    int cardWidth() const { return m_width; }

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int m_width = kWidth;
};

} // namespace hubcap::ui
