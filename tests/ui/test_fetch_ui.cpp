// Opening owner/repo:ref fetches it from the (fake) GitHub with progress in the downloads
// panel, asks torch.hub's trust question first, and selects the repository when done.
#include "uifixtures.h"

#include "../fetch/fetchfixtures.h"
#include "fakeserver.h"
#include "testsupport.h"

#include <browser/browserpage.h>
#include <browser/entrypointmodel.h>
#include <common/corebridge.h>
#include <downloads/downloadsmodel.h>
#include <mainwindow.h>

#include <QFileInfo>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTreeView>

using namespace hubcap;
using namespace hubcap::ui;

namespace {

/// Points the GitHub bases at the fake server for one test.
struct GithubEnv
{
    explicit GithubEnv(const QString &url)
    {
        qputenv("HUBCAP_GITHUB_URL", url.toUtf8());
        qputenv("HUBCAP_GITHUB_API_URL", url.toUtf8());
    }
    ~GithubEnv()
    {
        qputenv("HUBCAP_GITHUB_URL", "http://127.0.0.1:9");
        qputenv("HUBCAP_GITHUB_API_URL", "http://127.0.0.1:9");
    }
};

} // namespace

TEST(FetchFromOpenField, AsksTrustFirstThenFetchesAndSelects)
{
    test::FakeServer server;
    ASSERT_TRUE(server.isRunning()) << server.serverErrors().toStdString();
    test::makeRepo(server.root(), QStringLiteral("someone"), QStringLiteral("tool"),
                   {{QStringLiteral("hubconf.py"), test::hubconf(42)}});
    GithubEnv env(server.url());
    QTemporaryDir tmp;
    const QString hub = tmp.filePath(QStringLiteral("hub"));
    CoreBridge bridge(hub);
    MainWindow window(&bridge);
    QList<TrustQuestion> asked;
    TrustAnswer answer = TrustAnswer::Cancel;
    window.setTrustAsker([&](QWidget *, const TrustQuestion &q) {
        asked << q;
        return answer;
    });
    DownloadsModel *jobs = window.downloadsModel();
    auto phase = [&](int row) {
        return DownloadsModel::Phase(jobs->index(row, 0).data(DownloadsModel::PhaseRole).toInt());
    };

    // Declined: nothing is downloaded.
    window.openRepository(QStringLiteral("someone/tool:main"));
    ASSERT_TRUE(test::waitUntil(
        [&] { return jobs->rowCount() == 1 && phase(0) >= DownloadsModel::Phase::Done; }));
    ASSERT_EQ(asked.size(), 1);
    EXPECT_EQ(asked[0].trustName, QStringLiteral("someone_tool"));
    EXPECT_FALSE(asked[0].allowRunOnce);
    EXPECT_NE(phase(0), DownloadsModel::Phase::Done);
    EXPECT_FALSE(QFileInfo::exists(hub + QStringLiteral("/someone_tool_main")));

    // Trusted: fetched, recorded in trusted_list, selected and listed statically.
    answer = TrustAnswer::TrustAndAdd;
    QSignalSpy listed(window.browserPage(), &BrowserPage::listingFinished);
    window.openRepository(QStringLiteral("someone/tool:main"));
    ASSERT_TRUE(test::waitUntil(
        [&] { return jobs->rowCount() == 2 && phase(1) >= DownloadsModel::Phase::Done; }, 30000));
    EXPECT_EQ(phase(1), DownloadsModel::Phase::Done)
        << jobs->index(1, DownloadsModel::StateColumn).data().toString().toStdString();
    EXPECT_TRUE(QFileInfo::exists(hub + QStringLiteral("/someone_tool_main/hubconf.py")));
    EXPECT_EQ(test::readFile(hub + QStringLiteral("/trusted_list")), QByteArray("someone_tool\n"));
    ASSERT_TRUE(test::waitUntil(
        [&] {
            const RepoEntry *r = window.browserPage()->currentRepo();
            return r && r->path == hub + QStringLiteral("/someone_tool_main");
        },
        20000));
    ASSERT_TRUE(test::waitUntil(
        [&] { return window.browserPage()->entrypointModel()->rowCount() == 1; }, 20000))
        << window.browserPage()->messageLabel()->text().toStdString();
    EXPECT_EQ(window.browserPage()
                  ->entrypointModel()
                  ->index(0, 0)
                  .data(EntrypointModel::NameRole)
                  .toString(),
              QStringLiteral("answer"));
}
