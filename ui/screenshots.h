#pragma once

#include <QSize>
#include <QString>

namespace hubcap::ui {

class MainWindow;

/// Renders the main views of `window` at `size` (800×600 by default: the smallest screen the app
/// must be usable on) into `dir` as PNG files: browse, cache, model, model-error, settings,
/// trust, confirm-delete, and browse-dark / model-error-dark after a live switch to the dark
/// appearance. Waits for pending listings first. Returns false when a file could not be
/// written or the window changed its own size.
bool renderScreenshots(MainWindow *window, const QString &dir, QSize size = QSize(800, 600));

} // namespace hubcap::ui
