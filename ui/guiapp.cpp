#include "ui/guiapp.h"

#include "ui/browser/browserpage.h"
#include "ui/common/corebridge.h"
#include "ui/common/icons.h"
#include "ui/common/theme.h"
#include "ui/common/uipaths.h"
#include "ui/mainwindow.h"
#include "ui/screenshots.h"
#include "ui/settings/appsettings.h"
#include "ui/settings/tokenstore.h"

#include "core/cache/hubdir.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

namespace hubcap::ui {

int runGuiApp(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("hubcap"));
    QApplication::setApplicationName(QStringLiteral("hubcap"));
    QApplication::setApplicationDisplayName(QStringLiteral("Hubcap"));
    QApplication::setApplicationVersion(QStringLiteral(HUBCAP_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Hubcap: browse, fetch, load and export PyTorch Hub models"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption hubDirOpt(
        QStringLiteral("hub-dir"),
        QStringLiteral("Use DIR as the hub dir (like torch.hub.set_dir)."), QStringLiteral("DIR"));
    const QCommandLineOption demoOpt(
        QStringLiteral("select-demo"),
        QStringLiteral("Start with the bundled demo repository selected."));
    const QCommandLineOption shotOpt(
        QStringLiteral("screenshot"),
        QStringLiteral("Render the main views into DIR as PNG files and exit."),
        QStringLiteral("DIR"));
    const QCommandLineOption quitOpt(
        QStringLiteral("quit-after-show"),
        QStringLiteral("Quit as soon as the main window is shown (start-up benchmark)."));
    const QCommandLineOption appearanceOpt(
        QStringLiteral("appearance"),
        QStringLiteral("Look: 'system' (the desktop's), 'light' or 'dark'; overrides the "
                       "setting for this run."),
        QStringLiteral("MODE"));
    parser.addOptions({hubDirOpt, demoOpt, shotOpt, quitOpt, appearanceOpt});
    parser.process(app);
    if (parser.isSet(appearanceOpt) &&
        appearanceName(appearanceFromString(parser.value(appearanceOpt))) !=
            parser.value(appearanceOpt).toLower()) {
        qCritical("hubcap: unknown --appearance '%s': use system, light or dark.",
                  qPrintable(parser.value(appearanceOpt)));
        return 2;
    }

    std::optional<QString> explicitDir;
    if (parser.isSet(hubDirOpt))
        explicitDir = parser.value(hubDirOpt);

    // An explicit --hub-dir wins over the settings, which win over the environment (torch.hub's
    // set_dir() semantics: the GUI's setting acts like set_dir).
    const AppSettings settings = AppSettings::load();
    applyAppearance(appearanceFromString(parser.isSet(appearanceOpt) ? parser.value(appearanceOpt)
                                                                     : settings.appearance));
    if (!explicitDir && !settings.hubDir.isEmpty())
        explicitDir = settings.hubDir;
    const HubDirResolution hub = resolveHubDir(explicitDir);
    CoreBridge bridge(hub.absolutePath());
    TokenStore tokens;
    if (!parser.isSet(shotOpt))
        tokens.read([&bridge](const QString &token, const QString &) {
            if (!token.isEmpty())
                bridge.setToken(token);
        });
    MainWindow window(&bridge);
    window.browserPage()->setDemoRepo(demoRepoDir());
    if (!parser.isSet(shotOpt))
        window.restoreLayout();
    window.refreshCache();
    window.checkHubDirWritable(); // warn at start, not at the first failed write
    if (parser.isSet(demoOpt) || parser.isSet(shotOpt)) {
        window.browserPage()->selectDemo();
        window.tabs()->setCurrentWidget(window.browserPage());
    }

    if (parser.isSet(shotOpt)) {
        const QString dir = parser.value(shotOpt);
        int rc = 0;
        QTimer::singleShot(0, &window, [&] {
            rc = renderScreenshots(&window, dir) ? 0 : 1;
            app.quit();
        });
        app.exec();
        return rc;
    }
    window.show();
    if (parser.isSet(quitOpt))
        QTimer::singleShot(0, &app, [&] { app.quit(); });
    return app.exec();
}

} // namespace hubcap::ui
