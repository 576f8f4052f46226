#include "ui/screenshots.h"

#include "ui/browser/browserpage.h"
#include "ui/common/confirmer.h"
#include "ui/common/inlinemessage.h"
#include "ui/common/theme.h"
#include "ui/common/trustdialog.h"
#include "ui/export/resultpanel.h"
#include "ui/export/runcontroller.h"
#include "ui/mainwindow.h"
#include "ui/settings/appsettings.h"
#include "ui/settings/settingsdialog.h"

#include "ui/cache/cachepage.h"

#include "core/jobs/job.h"

#include <QDockWidget>

#include <QApplication>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QEventLoop>
#include <QPixmap>

#include <QTabWidget>
#include <QToolButton>

namespace hubcap::ui {

namespace {

void settle(int ms = 150)
{
    QDeadlineTimer deadline(ms);
    while (!deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
}

bool save(QWidget *w, const QString &path)
{
    const bool ok = w->grab().save(path);
    if (!ok)
        qWarning("screenshot: cannot write %s", qPrintable(path));
    return ok;
}

/// A dialog as the user sees it: shown (so it lays itself out at its own size), grabbed, closed.
bool saveDialog(QDialog *dialog, const QString &path)
{
    dialog->show();
    settle(200);
    const bool ok = save(dialog, path);
    dialog->close();
    return ok;
}

} // namespace

bool renderScreenshots(MainWindow *window, const QString &dir, QSize size)
{
    QDir().mkpath(dir);
    const auto file = [&](const char *name) { return QDir(dir).filePath(QLatin1String(name)); };
    window->resize(size);
    window->show();
    BrowserPage *browser = window->browserPage();
    // Wait (bounded) for the demo listing, then pick an entrypoint with a docstring.
    QDeadlineTimer deadline(15000);
    while (browser->isListing() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    settle();
    bool ok = true;
    window->tabs()->setCurrentWidget(browser);
    browser->selectEntrypoint(QStringLiteral("tiny_cnn"));
    settle();
    ok &= save(window, file("browse.png"));
    window->tabs()->setCurrentWidget(window->cachePage());
    // The final picture: wait (bounded) until every folder size has arrived.
    QDeadlineTimer scanDeadline(15000);
    while (window->cachePage()->isBusy() && !scanDeadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    settle(400);
    ok &= save(window, file("cache.png"));

    // One click from an entrypoint to an exported, verified file: export the demo's tiny_cnn
    // to TorchScript in DIR and show the result and the jobs that did it.
    const RepoEntry *repo = browser->currentRepo();
    const Entrypoint *entry = nullptr;
    for (const Entrypoint &e : browser->listing().entrypoints)
        if (e.name == browser->currentEntrypoint())
            entry = &e;
    if (repo && entry) {
        LoadRequest request;
        request.exportEnabled = true;
        request.format = QStringLiteral("torchscript");
        request.dtype = QStringLiteral("float32");
        request.output =
            QDir(dir).absoluteFilePath(QStringLiteral("export/%1.pt").arg(entry->name));
        bool done = false;
        QObject::connect(window->runController(), &RunController::verified, window,
                         [&] { done = true; });
        QObject::connect(window->runController(), &RunController::finished, window, [&](bool good) {
            if (!good)
                done = true;
        });
        window->runController()->run(*repo, *entry, request);
        window->tabs()->setCurrentWidget(window->resultPanel());
        QDeadlineTimer exportDeadline(180000);
        while (!done && !exportDeadline.hasExpired())
            QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    }
    window->downloadsDock()->show();
    window->tabs()->setCurrentWidget(window->resultPanel());
    settle(600);
    ok &= save(window, file("model.png"));

    // An error as the Model page shows it: the GUI's words, the traceback folded under Details
    // with only the repository's frames.
    if (repo) {
        // An illustrative repository folder (not this machine's paths).
        const QString repoDir = QStringLiteral("/home/you/.cache/torch/hub/someone_models_main");
        const QString repoFile = repoDir + QStringLiteral("/hubconf.py");
        window->resultPanel()->setRepositoryDir(repoDir);
        window->resultPanel()->showError(
            QStringLiteral("Export tiny_cnn (torchscript)"),
            QStringLiteral("ValueError: an export needs an example input: pass --input-shape (for "
                           "example 1,3,224,224); the model has no example_input_shape attribute"),
            QStringLiteral("Traceback (most recent call last):\n"
                           "  File \"/usr/lib/hubcap/python/hubcap_host/runtime.py\", line 88, "
                           "in load\n    model = fn(**kwargs)\n"
                           "  File \"%1\", line 41, in tiny_cnn\n    return _export(model)\n"
                           "  File \"/usr/lib/hubcap/python/hubcap_host/export.py\", line 57, in "
                           "_shape\n    raise ValueError(...)\n"
                           "ValueError: an export needs an example input")
                .arg(repoFile));
        window->resultPanel()->detailsButton()->setChecked(true);
        settle(200);
        ok &= save(window, file("model-error.png"));
    }
    window->downloadsDock()->hide();

    // The dialogs a new user meets first.
    {
        SettingsDialog settings(AppSettings::load(), window);
        ok &= saveDialog(&settings, file("settings.png"));
        TrustQuestion q{QStringLiteral("someone/their-models:main"),
                        QStringLiteral("someone_their-models"),
                        QStringLiteral("download someone/their-models:main into the hub cache")};
        q.allowRunOnce = false;
        TrustDialog trust(q, window);
        ok &= saveDialog(&trust, file("trust.png"));
        Confirmation c{QStringLiteral("Delete 1 item?"),
                       QStringLiteral("1 item will be deleted from the hub dir, freeing 1.2 MB. "
                                      "This cannot be undone."),
                       {QStringLiteral("checkpoints/tiny_cnn.pt  (1.2 MB)")},
                       QStringLiteral("Delete")};
        ConfirmDialog confirm(c, window);
        ok &= saveDialog(&confirm, file("confirm-delete.png"));
    }

    // The dark appearance, switched live as from Settings: it must look like a fresh start.
    window->tabs()->setCurrentWidget(browser);
    applyAppearance(Appearance::Dark);
    settle(400);
    ok &= save(window, file("browse-dark.png"));
    window->tabs()->setCurrentWidget(window->resultPanel());
    settle(200);
    ok &= save(window, file("model-error-dark.png"));
    applyAppearance(Appearance::System);
    window->tabs()->setCurrentWidget(browser);
    settle(200);
    if (window->size() != size) {
        qWarning("screenshot: the window changed its size to %dx%d", window->width(),
                 window->height());
        ok = false;
    }
    return ok;
}

} // namespace hubcap::ui
