// What a screen reader gets: every control the keyboard can reach in the main window (all tabs
// and the downloads dock) and in the dialogs has an accessible name, either its own, its text,
// its tooltip, or the label that is its buddy. And Tab moves through the main window's
// controls without getting stuck.
#include "tests/ui/uifixtures.h"

#include "tests/support/testsupport.h"

#include "core/protocol/entrypoint.h"
#include "ui/common/corebridge.h"
#include "ui/export/loaddialog.h"
#include "ui/mainwindow.h"
#include "ui/settings/settingsdialog.h"

#include <QAbstractButton>
#include <QAccessible>
#include <QApplication>
#include <QDockWidget>
#include <QLineEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace hubcap;
using namespace hubcap::ui;

namespace {

/// The keyboard-reachable widgets below `root` that have no accessible name.
QStringList unnamedControls(QWidget *root)
{
    QStringList unnamed;
    for (QWidget *w : root->findChildren<QWidget *>()) {
        if (!(w->focusPolicy() & Qt::TabFocus) || w->isHidden() || !w->isEnabled())
            continue;
        // Internal parts of composite widgets (a spin box's line edit, a view's viewport)
        // are named by their owner.
        if (w->focusProxy() || (w->parentWidget() && w->parentWidget()->focusProxy() == w))
            continue;
        if (qobject_cast<QAbstractButton *>(w) && w->parentWidget() &&
            w->parentWidget()->inherits("QTabBar"))
            continue; // tab close buttons
        QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(w);
        const QString name = iface ? iface->text(QAccessible::Name) : QString();
        if (name.trimmed().isEmpty())
            unnamed << QStringLiteral("%1 \"%2\"")
                           .arg(QString::fromLatin1(w->metaObject()->className()), w->objectName());
    }
    return unnamed;
}

Entrypoint sampleEntrypoint()
{
    Entrypoint e;
    e.name = QStringLiteral("tiny");
    e.kind = QStringLiteral("function");
    e.parameters << EntrypointParameter{QStringLiteral("pretrained"), QStringLiteral("keyword"),
                                        QStringLiteral("bool"), QStringLiteral("True"), true}
                 << EntrypointParameter{QStringLiteral("width"), QStringLiteral("keyword"),
                                        QStringLiteral("int"), QStringLiteral("8"), true};
    return e;
}

} // namespace

TEST(Accessibility, EveryControlOfTheMainWindowHasAName)
{
    QTemporaryDir tmp;
    CoreBridge bridge(tmp.filePath(QStringLiteral("hub")));
    MainWindow window(&bridge);
    window.downloadsDock()->show();
    window.show();
    for (int t = 0; t < window.tabs()->count(); ++t) {
        window.tabs()->setCurrentIndex(t);
        QCoreApplication::processEvents();
        EXPECT_EQ(unnamedControls(&window), QStringList()) << "tab " << t;
    }
}

TEST(Accessibility, EveryControlOfTheDialogsHasAName)
{
    SettingsDialog settings(AppSettings{});
    settings.show();
    EXPECT_EQ(unnamedControls(&settings), QStringList());
    LoadDialog load(sampleEntrypoint(), QStringLiteral("demo"), true, QStringLiteral("/tmp/out"));
    load.show();
    EXPECT_EQ(unnamedControls(&load), QStringList());
}

TEST(Accessibility, TabWalksTheMainWindowWithoutGettingStuck)
{
    QTemporaryDir tmp;
    CoreBridge bridge(tmp.filePath(QStringLiteral("hub")));
    MainWindow window(&bridge);
    window.show();
    QApplication::setActiveWindow(&window);
    window.openField()->setFocus(Qt::TabFocusReason);
    QSet<QWidget *> seen;
    QWidget *first = QApplication::focusWidget();
    ASSERT_EQ(first, window.openField());
    for (int i = 0; i < 60; ++i) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QWidget *now = QApplication::focusWidget();
        ASSERT_NE(now, nullptr);
        seen.insert(now);
        if (now == first)
            break;
    }
    // The field, the sidebar, the entrypoint filter and list, and the detail view at least.
    EXPECT_GE(seen.size(), 5);
    EXPECT_TRUE(seen.contains(window.openField())) << "Tab cycles back to the open field";
}

// The check above finds what it is meant to find (negative control).
TEST(Accessibility, TheCheckFlagsAnUnnamedControl)
{
    QWidget root;
    auto *edit = new QLineEdit(&root);
    edit->setObjectName(QStringLiteral("anonymous"));
    auto *button = new QPushButton(&root);
    button->setObjectName(QStringLiteral("iconOnly"));
    root.show();
    EXPECT_EQ(unnamedControls(&root), (QStringList{QStringLiteral("QLineEdit \"anonymous\""),
                                                   QStringLiteral("QPushButton \"iconOnly\"")}));
    button->setToolTip(QStringLiteral("Does something")); // a tooltip is a description only
    EXPECT_EQ(unnamedControls(&root).size(), 2);
    edit->setAccessibleName(QStringLiteral("Name"));
    button->setText(QStringLiteral("&Do"));
    EXPECT_EQ(unnamedControls(&root), QStringList());
}
