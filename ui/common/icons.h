#pragma once

#include <QIcon>
#include <QPalette>

namespace hubcap::ui {

/// An icon from resources/icons/<name>.svg. The SVGs draw with `currentColor`; it is replaced by
/// the palette's text colour (and a dimmed one for the disabled state), so the same icons read
/// well in light and dark palettes. Rendered at several sizes for high-DPI screens.
QIcon icon(const QString &name, const QPalette &palette = {});
/// The application icon (resources/icons/hubcap.svg, the one installed in the hicolor theme),
/// in its own colours.
QIcon appIcon();

} // namespace hubcap::ui
