#pragma once

namespace hubcap::ui {

/// The whole `hubcap` executable: options (--hub-dir DIR, --select-demo, --screenshot DIR),
/// the main window, the event loop. app/gui/main.cpp only calls this.
int runGuiApp(int argc, char **argv);

} // namespace hubcap::ui
