#include "ui/common/icons.h"

#include <QApplication>
#include <QFile>
#include <QIconEngine>
#include <QPainter>
#include <QPixmap>
#include <QPixmapCache>
#include <QSvgRenderer>

namespace hubcap::ui {

namespace {

QPixmap render(const QByteArray &svg, const QColor &color, const QSize &size)
{
    QByteArray data = svg;
    if (color.isValid())
        data.replace("currentColor", color.name().toLatin1());
    QSvgRenderer renderer(data);
    QPixmap pixmap(size);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    renderer.render(&painter);
    return pixmap;
}

/// Renders a `currentColor` SVG at exactly the requested device-pixel size (sharp at any scale
/// factor) in the text colour of the palette in use *when it is painted*, so switching between
/// light and dark palettes recolours every icon without re-creating it.
class PaletteSvgEngine : public QIconEngine
{
public:
    PaletteSvgEngine(QString name, QByteArray svg, QPalette fixed)
        : m_name(std::move(name)), m_svg(std::move(svg)), m_fixed(std::move(fixed))
    {}

    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State) override
    {
        if (size.isEmpty())
            return {};
        const QPalette pal = m_fixed.resolveMask() ? m_fixed : QApplication::palette();
        const QColor color =
            mode == QIcon::Disabled   ? pal.color(QPalette::Disabled, QPalette::WindowText)
            : mode == QIcon::Selected ? pal.color(QPalette::Active, QPalette::HighlightedText)
                                      : pal.color(QPalette::Active, QPalette::WindowText);
        const QString key = QStringLiteral("hubcap-icon/%1/%2x%3/%4")
                                .arg(m_name)
                                .arg(size.width())
                                .arg(size.height())
                                .arg(color.rgba(), 0, 16);
        QPixmap result;
        if (!QPixmapCache::find(key, &result)) {
            result = render(m_svg, color, size);
            QPixmapCache::insert(key, result);
        }
        return result;
    }
    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State state, qreal) override
    {
        return pixmap(size, mode, state); // QIcon asks in device pixels already
    }
    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state) override
    {
        const qreal dpr = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
        QPixmap pm = pixmap(rect.size() * dpr, mode, state);
        pm.setDevicePixelRatio(dpr);
        painter->drawPixmap(rect, pm);
    }
    QSize actualSize(const QSize &size, QIcon::Mode, QIcon::State) override { return size; }
    QList<QSize> availableSizes(QIcon::Mode, QIcon::State) override
    {
        return {{16, 16}, {22, 22}, {24, 24}, {32, 32}, {48, 48}, {64, 64}};
    }
    QString key() const override { return QStringLiteral("hubcap-palette-svg"); }
    QString iconName() override { return m_name; }
    QIconEngine *clone() const override { return new PaletteSvgEngine(*this); }

private:
    QString m_name;
    QByteArray m_svg;
    QPalette m_fixed;
};

} // namespace

QIcon appIcon()
{
    QFile file(QStringLiteral(":/icons/hubcap.svg"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray svg = file.readAll();
    QIcon result;
    for (int size : {16, 24, 32, 48, 64, 128, 256}) // no currentColor in it: colours kept
        result.addPixmap(render(svg, QColor(), QSize(size, size)));
    return result;
}

QIcon icon(const QString &name, const QPalette &palette)
{
    QFile file(QStringLiteral(":/icons/%1.svg").arg(name));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QIcon(new PaletteSvgEngine(name, file.readAll(), palette));
}

} // namespace hubcap::ui
