#include "screenshots.h"

#include "browser/browserpage.h"
#include "mainwindow.h"

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
    settle();
    ok &= save(window, QDir(dir).filePath(QStringLiteral("browse.png")));
    for (int i = 1; i < window->tabs()->count(); ++i) {
        window->tabs()->setCurrentIndex(i);
        settle(400);
        const QString name = window->tabs()->widget(i)->objectName().remove(QStringLiteral("Page"));
        ok &= save(window, QDir(dir).filePath(name + QStringLiteral(".png")));
    }
    window->tabs()->setCurrentIndex(0);
    return ok;
}

} // namespace hubcap::ui
