#include "ui/common/theme.h"

#include <QApplication>
#include <QStyle>
#include <QStyleFactory>

#include <algorithm>
#include <cmath>

namespace hubcap::ui {

namespace {

double channel(double c)
{
    c /= 255.0;
    return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double luminance(const QColor &c)
{
    return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue());
}

/// The hue of a tone (one per tone, shared by light and dark themes).
int hueOf(Tone tone)
{
    switch (tone) {
    case Tone::Error:
        return 4;
    case Tone::Warning:
        return 42;
    case Tone::Success:
        return 140;
    case Tone::Info:
        return 210;
    }
    return 0;
}

/// Moves `color`'s lightness away from `against` until the contrast reaches `target`.
QColor ensureContrast(QColor color, const QColor &against, double target)
{
    const bool lighten = luminance(against) < 0.18;
    for (int i = 0; i < 40 && contrastRatio(color, against) < target; ++i) {
        const int l = color.lightness();
        color.setHsl(color.hslHue(), color.hslSaturation(),
                     std::clamp(l + (lighten ? 6 : -6), 0, 255));
    }
    return color;
}

} // namespace

double contrastRatio(const QColor &a, const QColor &b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

bool isDark(const QPalette &palette)
{
    return luminance(palette.color(QPalette::Window)) < 0.18;
}

QColor toneText(Tone tone, const QPalette &palette)
{
    const bool dark = isDark(palette);
    QColor c = QColor::fromHsl(hueOf(tone), dark ? 200 : 190, dark ? 170 : 95);
    // Readable on both the window and the views' base colour.
    c = ensureContrast(c, palette.color(QPalette::Window), 4.5);
    c = ensureContrast(c, palette.color(QPalette::Base), 4.5);
    return c;
}

QColor toneBackground(Tone tone, const QPalette &palette)
{
    return isDark(palette) ? QColor::fromHsl(hueOf(tone), 90, 50)
                           : QColor::fromHsl(hueOf(tone), 200, 235);
}

QColor toneForeground(Tone tone, const QPalette &palette)
{
    const bool dark = isDark(palette);
    QColor c = QColor::fromHsl(hueOf(tone), dark ? 180 : 160, dark ? 215 : 45);
    return ensureContrast(c, toneBackground(tone, palette), 7.0);
}

QPalette bannerPalette(Tone tone, const QPalette &palette)
{
    QPalette pal = palette;
    pal.setColor(QPalette::Window, toneBackground(tone, palette));
    pal.setColor(QPalette::WindowText, toneForeground(tone, palette));
    pal.setColor(QPalette::Text, toneForeground(tone, palette));
    pal.setColor(QPalette::Link, toneForeground(tone, palette));
    return pal;
}

Appearance appearanceFromString(const QString &name)
{
    if (name.compare(u"light", Qt::CaseInsensitive) == 0)
        return Appearance::Light;
    if (name.compare(u"dark", Qt::CaseInsensitive) == 0)
        return Appearance::Dark;
    return Appearance::System;
}

QString appearanceName(Appearance appearance)
{
    switch (appearance) {
    case Appearance::Light:
        return QStringLiteral("light");
    case Appearance::Dark:
        return QStringLiteral("dark");
    case Appearance::System:
        break;
    }
    return QStringLiteral("system");
}

QPalette lightPalette()
{
    QPalette p(QColor(0xef, 0xef, 0xef));
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::AlternateBase, QColor(0xf5, 0xf5, 0xf5));
    p.setColor(QPalette::Text, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::WindowText, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::ButtonText, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xb5));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x1d, 0x5a, 0x9e));
    p.setColor(QPalette::PlaceholderText, QColor(0x6e, 0x6e, 0x6e));
    return p;
}

QPalette darkPalette()
{
    const QColor window(0x2b, 0x2d, 0x30), base(0x1f, 0x20, 0x22), text(0xe6, 0xe6, 0xe6);
    const QColor disabled(0x80, 0x80, 0x80);
    QPalette p(window);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x27, 0x29, 0x2c));
    p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3d, 0x41));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x35, 0x38, 0x3b));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7a, 0xc6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x7a, 0xb7, 0xff));
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    p.setColor(QPalette::Light, QColor(0x45, 0x48, 0x4c));
    p.setColor(QPalette::Midlight, QColor(0x3a, 0x3d, 0x41));
    p.setColor(QPalette::Mid, QColor(0x25, 0x27, 0x29));
    p.setColor(QPalette::Dark, QColor(0x1a, 0x1b, 0x1d));
    p.setColor(QPalette::Shadow, Qt::black);
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    return p;
}

void applyAppearance(Appearance appearance)
{
    static const QString systemStyle = QApplication::style()->name();
    static bool changed = false;
    switch (appearance) {
    case Appearance::System:
        if (!changed)
            return; // leave the desktop's style and palette untouched
        if (QApplication::style()->name() != systemStyle)
            QApplication::setStyle(QStyleFactory::create(systemStyle));
        QApplication::setPalette(QPalette()); // an empty palette: back to the platform's
        changed = false;
        return;
    case Appearance::Light:
    case Appearance::Dark:
        if (QApplication::style()->name().compare(u"fusion", Qt::CaseInsensitive) != 0)
            QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        changed = true;
        QApplication::setPalette(appearance == Appearance::Dark ? darkPalette() : lightPalette());
        return;
    }
}

} // namespace hubcap::ui
