#include "icons.h"

#include <QApplication>
#include <QFile>
#include <QPainter>
#include <QPixmap>
#include <QSvgRenderer>

namespace hubcap::ui {

namespace {

QPixmap render(const QByteArray &svg, const QColor &color, int size)
{
    QByteArray data = svg;
    data.replace("currentColor", color.name().toLatin1());
    QSvgRenderer renderer(data);
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    renderer.render(&painter);
    return pixmap;
}

} // namespace

QIcon appIcon()
{
    QFile file(QStringLiteral(":/icons/hubcap.svg"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray svg = file.readAll();
    QIcon result;
    for (int size : {16, 24, 32, 48, 64, 128, 256})
        result.addPixmap(render(svg, Qt::black, size)); // no currentColor in it: colours kept
    return result;
}

QIcon icon(const QString &name, const QPalette &palette)
{
    QFile file(QStringLiteral(":/icons/%1.svg").arg(name));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray svg = file.readAll();
    const QPalette pal = palette.resolveMask() ? palette : QApplication::palette();
    const QColor normal = pal.color(QPalette::Active, QPalette::WindowText);
    const QColor disabled = pal.color(QPalette::Disabled, QPalette::WindowText);
    QIcon result;
    for (int size : {16, 24, 32, 48, 64}) {
        result.addPixmap(render(svg, normal, size), QIcon::Normal);
        result.addPixmap(render(svg, disabled, size), QIcon::Disabled);
    }
    return result;
}

} // namespace hubcap::ui
