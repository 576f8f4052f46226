#pragma once

#include <QColor>
#include <QPalette>
#include <QString>

class QWidget;

namespace hubcap::ui {

/// Colours that carry meaning (errors, warnings, success), derived from the palette in use so
/// they stay readable in light and dark themes. Nothing in the UI hard-codes a colour: it asks
/// here, with the palette of the widget it paints.
enum class Tone { Error, Warning, Success, Info };

bool isDark(const QPalette &palette);
/// Text in `tone` on the palette's Window and Base colours (contrast ≥ 4.5:1, WCAG AA).
QColor toneText(Tone tone, const QPalette &palette);
/// A banner's background and its text colour (contrast ≥ 4.5:1).
QColor toneBackground(Tone tone, const QPalette &palette);
QColor toneForeground(Tone tone, const QPalette &palette);
/// `palette` with Window/WindowText set for a banner of `tone` (for QLabel/QFrame banners with
/// autoFillBackground).
QPalette bannerPalette(Tone tone, const QPalette &palette);
/// WCAG 2 contrast ratio of two colours (1 … 21).
double contrastRatio(const QColor &a, const QColor &b);

/// How the window looks: as the desktop says, or Hubcap's own light or dark palette (Fusion
/// style), for desktops whose Qt theme has no dark mode.
enum class Appearance { System, Light, Dark };
Appearance appearanceFromString(const QString &name); ///< "system" (default), "light", "dark"
QString appearanceName(Appearance appearance);
QPalette lightPalette();
QPalette darkPalette();
/// Applies `appearance` to the running application (style, palette). Idempotent.
void applyAppearance(Appearance appearance);

} // namespace hubcap::ui
