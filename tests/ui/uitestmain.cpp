// main() for the widget tests: a QApplication on the offscreen platform, isolated settings.
#include <QApplication>
#include <QSettings>
#include <QStandardPaths>

#include <gtest/gtest.h>

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QStandardPaths::setTestModeEnabled(true); // QSettings go to a test location
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("hubcap-tests"));
    QApplication::setApplicationName(QStringLiteral("hubcap-ui-tests"));
    QSettings().clear(); // every run starts from default settings (no folders from earlier runs)
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
