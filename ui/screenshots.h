#pragma once

#include <QString>

namespace hubcap::ui {

class MainWindow;

/// Renders the main views of `window` at a fixed size (1200×760) into `dir` as PNG files
/// (browse.png, cache.png, downloads.png, ...). Waits for pending listings first.
/// Returns false when a file could not be written.
bool renderScreenshots(MainWindow *window, const QString &dir);

} // namespace hubcap::ui
