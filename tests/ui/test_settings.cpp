// Settings round-trip into the network configuration (no token in the settings file), and the
// trust manager removes a trusted_list entry while keeping the other lines byte-identical.
#include "tests/ui/uifixtures.h"

#include "tests/support/testsupport.h"

#include "core/hosts/pyhost/client/pyhostclient.h"
#include "core/net/networkconfig.h"
#include "ui/common/corebridge.h"
#include "ui/common/inlinemessage.h"
#include "ui/settings/appsettings.h"
#include "ui/settings/settingsdialog.h"
#include "ui/settings/trustmanagerdialog.h"

#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>

#include <QFile>
#include <QListWidget>
#include <QSettings>
#include <QTemporaryDir>

using namespace hubcap;
using namespace hubcap::ui;

TEST(Settings, RoundTripAndApplyToNetworkConfig)
{
    AppSettings a;
    a.hubDir = QStringLiteral("/tmp/somewhere/hub");
    a.githubUrl = QStringLiteral("https://ghe.example.com");
    a.githubApiUrl = QStringLiteral("https://ghe.example.com/api/v3");
    a.concurrency = 5;
    a.connectTimeoutS = 7;
    a.stallTimeoutS = 40;
    a.save();
    const AppSettings b = AppSettings::load();
    EXPECT_EQ(b.hubDir, a.hubDir);
    EXPECT_EQ(b.githubApiUrl, a.githubApiUrl);
    EXPECT_EQ(b.concurrency, 5);
    NetworkConfig config;
    b.applyTo(config);
    EXPECT_EQ(config.githubUrl(), QUrl(QStringLiteral("https://ghe.example.com")));
    EXPECT_EQ(config.githubApiUrl(), QUrl(QStringLiteral("https://ghe.example.com/api/v3")));
    EXPECT_EQ(config.connectTimeoutMs(), 7000);
    EXPECT_EQ(config.stallTimeoutMs(), 40000);
    QSettings s;
    for (const QString &key : s.allKeys())
        EXPECT_FALSE(key.contains(QStringLiteral("token"), Qt::CaseInsensitive))
            << key.toStdString();
    AppSettings{}.save(); // leave defaults for the other tests
}

TEST(TrustManager, ListsAndRemovesEntries)
{
    QTemporaryDir tmp;
    const QByteArray original("alice_one\n\nbob_two  \r\ncarol_three\n");
    test::writeFile(tmp.filePath(QStringLiteral("trusted_list")), original);
    TrustManagerDialog dialog(tmp.path());
    QListWidget *list = dialog.listWidget();
    ASSERT_EQ(list->count(), 3);
    EXPECT_EQ(list->item(1)->text(), QStringLiteral("bob_two"));
    list->item(1)->setSelected(true);
    dialog.removeSelected();
    EXPECT_EQ(list->count(), 2);
    EXPECT_EQ(test::readFile(tmp.filePath(QStringLiteral("trusted_list"))),
              QByteArray("alice_one\n\ncarol_three\n"));

    // The row Qt makes current (highlighted) is what Remove acts on.
    list->clearSelection();
    list->setCurrentRow(-1);
    list->setCurrentRow(1);
    EXPECT_EQ(list->selectedItems().size(), 1);
    EXPECT_EQ(list->selectedItems().first()->text(), QStringLiteral("carol_three"));
    dialog.removeSelected();
    EXPECT_EQ(test::readFile(tmp.filePath(QStringLiteral("trusted_list"))),
              QByteArray("alice_one\n\n"));
}

// A bad URL is reported inside the dialog, next to the field, and the dialog stays open; the
// appearance round-trips; an unedited token field changes nothing.
TEST(SettingsDialog, InvalidUrlIsShownInlineAndKeepsTheDialogOpen)
{
    AppSettings s;
    s.githubUrl = QStringLiteral("not a url");
    s.appearance = QStringLiteral("dark");
    SettingsDialog dialog(s);
    dialog.show();
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    EXPECT_TRUE(dialog.messageBar()->isHidden());
    dialog.accept();
    EXPECT_EQ(accepted.count(), 0);
    EXPECT_TRUE(dialog.isVisible());
    EXPECT_FALSE(dialog.messageBar()->isHidden());
    EXPECT_EQ(dialog.messageBar()->title(), QStringLiteral("GitHub web URL"));
    EXPECT_TRUE(dialog.messageBar()->text().contains(u"not a url"));
    EXPECT_EQ(dialog.settings().appearance, QStringLiteral("dark"));
    EXPECT_FALSE(dialog.editedToken().has_value());

    auto *url = dialog.findChildren<QLineEdit *>().value(1);
    ASSERT_NE(url, nullptr);
    ASSERT_EQ(url->accessibleName(), QStringLiteral("GitHub web URL"));
    url->setText(QStringLiteral("https://ghe.example.com"));
    dialog.accept();
    EXPECT_EQ(accepted.count(), 1);
    EXPECT_EQ(dialog.settings().githubUrl, QStringLiteral("https://ghe.example.com"));
}

// The keychain token and the hub dir the GUI uses reach the Python hosts (repository code that
// calls torch.hub), whether they are set before or after the first host exists; no token
// leaves the inherited GITHUB_TOKEN alone.
TEST(CoreBridge, HostsGetTheHubDirAndTheKeychainToken)
{
    CoreBridge early(QStringLiteral("/tmp/hubcap-a/hub"));
    early.setToken(QStringLiteral("tok-a"));
    auto env = early.hostPool()->environment();
    EXPECT_EQ(env.value(QStringLiteral("GITHUB_TOKEN")), QStringLiteral("tok-a"));
    EXPECT_EQ(env.value(QStringLiteral("HUBCAP_HUB_DIR")), QStringLiteral("/tmp/hubcap-a/hub"));

    CoreBridge late(QStringLiteral("/tmp/hubcap-b/hub"));
    EXPECT_FALSE(late.hostPool()->environment().contains(QStringLiteral("GITHUB_TOKEN")));
    late.setToken(QStringLiteral("tok-b"));
    late.setHubDir(QStringLiteral("/tmp/hubcap-c"));
    env = late.hostPool()->environment();
    EXPECT_EQ(env.value(QStringLiteral("GITHUB_TOKEN")), QStringLiteral("tok-b"));
    EXPECT_EQ(env.value(QStringLiteral("HUBCAP_HUB_DIR")), QStringLiteral("/tmp/hubcap-c"));
    late.setToken({});
    EXPECT_FALSE(late.hostPool()->environment().contains(QStringLiteral("GITHUB_TOKEN")));
}

// The hub dir label is a real mnemonic (no literal '&'), and a window started with --hub-dir
// says which hub dir it uses when the setting says otherwise.
TEST(SettingsDialog, HubDirLabelAndTheSessionsHubDir)
{
    AppSettings s;
    s.hubDir = QStringLiteral("/tmp/from-settings/hub");
    SettingsDialog dialog(s);
    bool labelled = false;
    for (QLabel *label : dialog.findChildren<QLabel *>())
        if (label->text() == QStringLiteral("&Hub dir")) {
            labelled = label->buddy() != nullptr;
        }
    EXPECT_TRUE(labelled) << "the hub dir label has a buddy, so '&' is a shortcut, not text";
    dialog.setSessionHubDir(QStringLiteral("/tmp/given-on-the-command-line/hub"));
    bool said = false;
    for (QLabel *label : dialog.findChildren<QLabel *>())
        said |= label->text().contains(u"/tmp/given-on-the-command-line/hub");
    EXPECT_TRUE(said);

    SettingsDialog same(s);
    same.setSessionHubDir(QStringLiteral("/tmp/from-settings/hub"));
    for (QLabel *label : same.findChildren<QLabel *>())
        EXPECT_FALSE(label->text().contains(u"--hub-dir")) << label->text().toStdString();
}

// Issue 17 / 13.10: the hosts' idle timeout and memory limit are settings that reach the pool.
TEST(Settings, HostIdleTimeoutAndMemoryLimitReachThePool)
{
    AppSettings a = AppSettings::load();
    EXPECT_EQ(AppSettings{}.hostIdleMinutes, 5) << "idle hosts stop after a few minutes by default";
    a.hostIdleMinutes = 7;
    a.hostMemoryLimitMiB = 2048;
    a.save();
    const AppSettings b = AppSettings::load();
    EXPECT_EQ(b.hostIdleMinutes, 7);
    EXPECT_EQ(b.hostMemoryLimitMiB, 2048);

    SettingsDialog dialog(b);
    auto *idle = dialog.findChild<QSpinBox *>();
    ASSERT_TRUE(idle);
    EXPECT_EQ(dialog.settings().hostIdleMinutes, 7);
    EXPECT_EQ(dialog.settings().hostMemoryLimitMiB, 2048);

    QTemporaryDir tmp;
    CoreBridge bridge(tmp.filePath(QStringLiteral("hub")));
    PyHostPool *pool = bridge.hostPool();
    EXPECT_EQ(pool->idleTimeoutMs(), 7 * 60 * 1000);
    EXPECT_EQ(pool->memoryLimit(), qint64(2048) * 1024 * 1024);
    bridge.applyHostSettings(60 * 1000, 0);
    EXPECT_EQ(pool->idleTimeoutMs(), 60 * 1000);
    EXPECT_EQ(pool->memoryLimit(), 0);
    a.hostIdleMinutes = 5;
    a.hostMemoryLimitMiB = 0;
    a.save();
}
