#include "screenshots.h"

#include "browser/browserpage.h"
#include "export/resultpanel.h"
#include "export/runcontroller.h"
#include "mainwindow.h"

#include "cache/cachepage.h"

#include <jobs/job.h>

#include <QDockWidget>

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QEventLoop>
#include <QPixmap>

#include <QTabWidget>

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

} // namespace

bool renderScreenshots(MainWindow *window, const QString &dir)
{
    QDir().mkpath(dir);
    window->resize(1200, 760);
    window->show();
    BrowserPage *browser = window->browserPage();
    // Wait (bounded) for the demo listing, then pick an entrypoint with a docstring.
    QDeadlineTimer deadline(15000);
    while (browser->isListing() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    settle();
    bool ok = true;
    window->tabs()->setCurrentIndex(0);
    browser->selectEntrypoint(QStringLiteral("tiny_cnn"));
    settle();
    ok &= save(window, QDir(dir).filePath(QStringLiteral("browse.png")));
    window->tabs()->setCurrentWidget(window->cachePage());
    // The final picture: wait (bounded) until every folder size has arrived.
    QDeadlineTimer scanDeadline(15000);
    while (window->cachePage()->isBusy() && !scanDeadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    settle(400);
    ok &= save(window, QDir(dir).filePath(QStringLiteral("cache.png")));

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
    ok &= save(window, QDir(dir).filePath(QStringLiteral("model.png")));
    window->tabs()->setCurrentIndex(0);
    return ok;
}

} // namespace hubcap::ui
