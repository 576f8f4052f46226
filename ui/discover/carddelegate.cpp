#include "ui/discover/carddelegate.h"

#include "ui/discover/catalogmodel.h"

#include <QApplication>
#include <QFontMetrics>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>
#include <QTextLayout>

namespace hubcap::ui {

namespace {

// Up to `maxLines` lines of `text` wrapped into `width`, the last one elided.
QStringList wrapped(const QString &text, const QFont &font, int width, int maxLines)
{
    QStringList out;
    QTextLayout layout(text, font);
    layout.beginLayout();
    const QFontMetrics fm(font);
    for (int i = 0; i < maxLines; ++i) {
        QTextLine line = layout.createLine();
        if (!line.isValid())
            break;
        line.setLineWidth(width);
        QString part = text.mid(line.textStart(), line.textLength()).trimmed();
        if (i == maxLines - 1 && line.textStart() + line.textLength() < text.size())
            part = fm.elidedText(text.mid(line.textStart()), Qt::ElideRight, width);
        out << part;
    }
    layout.endLayout();
    return out;
}

} // namespace

QSize CardDelegate::sizeHint(const QStyleOptionViewItem &, const QModelIndex &) const
{
    return {m_width, kHeight};
}

void CardDelegate::paint(QPainter *p, const QStyleOptionViewItem &option,
                         const QModelIndex &index) const
{
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    const QPalette &pal = option.palette;
    const QRect card = option.rect.adjusted(6, 6, -6, -6);
    const bool selected = option.state & QStyle::State_Selected;
    const bool hover = option.state & QStyle::State_MouseOver;
    QPainterPath path;
    path.addRoundedRect(card, 8, 8);
    p->fillPath(path, pal.color(QPalette::Base));
    QColor border = selected ? pal.color(QPalette::Highlight) : pal.color(QPalette::Mid);
    if (hover && !selected)
        border = pal.color(QPalette::Highlight).lighter(130);
    p->setPen(QPen(border, selected ? 2 : 1));
    p->drawPath(path);
    if (option.state & QStyle::State_HasFocus) {
        p->setPen(QPen(pal.color(QPalette::Highlight), 1, Qt::DotLine));
        p->drawRoundedRect(card.adjusted(3, 3, -3, -3), 6, 6);
    }

    // Thumbnail (or a placeholder with the first letter).
    const QRect thumb(card.left() + 10, card.top() + 10, 96, card.height() - 20);
    const QPixmap pix = index.data(CatalogModel::ThumbnailRole).value<QPixmap>();
    const QString title = index.data(CatalogModel::TitleRole).toString();
    const bool isEntrypoint = index.data(CatalogModel::KindRole).toString() == u"entrypoint";
    if (!pix.isNull()) {
        const QPixmap scaled =
            pix.scaled(thumb.size(), Qt::KeepAspectRatio, Qt::SmoothTransformation);
        const QRect r(QPoint(0, 0), scaled.size());
        p->drawPixmap(r.translated(thumb.center() - r.center()), scaled);
    } else {
        QPainterPath ph;
        ph.addRoundedRect(thumb, 6, 6);
        const int hue = int(qHash(title) % 360);
        p->fillPath(ph,
                    QColor::fromHsv(hue, 60, pal.color(QPalette::Base).value() > 128 ? 235 : 80));
        QFont big = option.font;
        big.setPointSizeF(big.pointSizeF() * 2.2);
        big.setBold(true);
        p->setFont(big);
        p->setPen(QColor::fromHsv(hue, 160, pal.color(QPalette::Base).value() > 128 ? 120 : 230));
        p->drawText(thumb, Qt::AlignCenter,
                    isEntrypoint ? QStringLiteral("ƒ") : title.left(1).toUpper());
    }

    // Text column.
    const int x = thumb.right() + 12;
    const int w = card.right() - 10 - x;
    int y = card.top() + 10;
    QFont bold = option.font;
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.1);
    const QFontMetrics bfm(bold);
    const bool cached = index.data(CatalogModel::CachedRole).toBool();
    QString badge = cached ? tr("in cache") : QString();
    QFont small = option.font;
    small.setPointSizeF(small.pointSizeF() * 0.88);
    const QFontMetrics sfm(small);
    const int badgeW = badge.isEmpty() ? 0 : sfm.horizontalAdvance(badge) + 12;
    p->setFont(bold);
    p->setPen(pal.color(QPalette::Text));
    p->drawText(QRect(x, y, w - badgeW - 4, bfm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                bfm.elidedText(title, Qt::ElideRight, w - badgeW - 4));
    if (!badge.isEmpty()) {
        const QRect b(card.right() - 10 - badgeW, y + 1, badgeW, sfm.height() + 2);
        QPainterPath bp;
        bp.addRoundedRect(b, b.height() / 2.0, b.height() / 2.0);
        p->fillPath(bp, QColor(46, 160, 67));
        p->setFont(small);
        p->setPen(Qt::white);
        p->drawText(b, Qt::AlignCenter, badge);
    }
    y += bfm.height() + 4;

    const QFontMetrics fm(option.font);
    p->setFont(option.font);
    p->setPen(pal.color(QPalette::Text));
    for (const QString &line :
         wrapped(index.data(CatalogModel::SummaryRole).toString(), option.font, w, 2)) {
        p->drawText(QRect(x, y, w, fm.height()), Qt::AlignLeft | Qt::AlignVCenter, line);
        y += fm.height();
    }

    // Category and tags at the bottom.
    QStringList meta;
    const QString category = index.data(CatalogModel::CategoryRole).toString();
    if (isEntrypoint)
        meta << index.data(CatalogModel::RepoRole).toString();
    else if (!category.isEmpty())
        meta << category;
    for (const QString &t : index.data(CatalogModel::TagsRole).toStringList())
        meta << u'#' + t;
    p->setFont(small);
    p->setPen(pal.color(QPalette::PlaceholderText));
    const int bottom = card.bottom() - 10 - sfm.height();
    p->drawText(QRect(x, bottom, w, sfm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                sfm.elidedText(meta.join(QStringLiteral("  ")), Qt::ElideRight, w));
    p->restore();
}

} // namespace hubcap::ui
