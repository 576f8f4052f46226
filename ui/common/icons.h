#pragma once

#include <QIcon>
#include <QPalette>

namespace hubcap::ui {

/// An icon from resources/icons/<name>.svg. The SVGs draw with `currentColor`; it is replaced by
/// the palette's text colour (and a dimmed one for the disabled state) each time the icon is
/// painted, so icons follow a switch between light and dark palettes. An empty `palette` means
/// the application's palette at paint time. Rendered at exactly the device-pixel size asked
/// for, so they stay sharp at any scale factor.
QIcon icon(const QString &name, const QPalette &palette = {});
/// The application icon (resources/icons/hubcap.svg, the one installed in the hicolor theme),
/// in its own colours.
QIcon appIcon();

} // namespace hubcap::ui
