// Opening owner/repo:ref fetches it from the (fake) GitHub with progress in the downloads
// panel, asks torch.hub's trust question first, and selects the repository when done.
#include "tests/ui/uifixtures.h"

#include "tests/fetch/fetchfixtures.h"
#include "tests/support/fakeserver.h"
#include "tests/support/testsupport.h"

#include "core/jobs/job.h"
#include "ui/browser/browserpage.h"
#include "ui/browser/entrypointmodel.h"
#include "ui/common/corebridge.h"
#include "ui/common/inlinemessage.h"
#include "ui/common/uiutil.h"
#include "ui/downloads/downloadsmodel.h"
#include "ui/mainwindow.h"

#include <QAbstractItemModelTester>
#include <QPointer>
#include <QPushButton>

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
    TrustAnswer answer = TrustAnswer::Refuse;
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
    answer = TrustAnswer::TrustAndRecord;
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

// A failed fetch shows the core's error inline at the top of the window, with a Retry that
// runs again in the same downloads row; the row's own Retry does the same, and a later
// success dismisses the message.
TEST(FetchFromOpenField, FailureIsShownInlineAndRetryReusesTheRow)
{
    test::FakeServer server;
    ASSERT_TRUE(server.isRunning()) << server.serverErrors().toStdString();
    const QString sha =
        test::makeRepo(server.root(), QStringLiteral("someone"), QStringLiteral("tool"),
                       {{QStringLiteral("hubconf.py"), test::hubconf(1)}});
    ASSERT_FALSE(sha.isEmpty());
    GithubEnv env(server.url());
    QTemporaryDir tmp;
    const QString hub = tmp.filePath(QStringLiteral("hub"));
    CoreBridge bridge(hub);
    MainWindow window(&bridge);
    TrustAnswer answer = TrustAnswer::Refuse;
    window.setTrustAsker([&](QWidget *, const TrustQuestion &) { return answer; });
    DownloadsModel *jobs = window.downloadsModel();
    QAbstractItemModelTester tester(jobs, QAbstractItemModelTester::FailureReportingMode::Fatal);
    auto phase = [&](int row) {
        return DownloadsModel::Phase(jobs->index(row, 0).data(DownloadsModel::PhaseRole).toInt());
    };
    InlineMessage *bar = window.messageBar();
    EXPECT_TRUE(bar->isHidden());

    // A malformed spec: the parser's text, inline, nothing started.
    window.openRepository(QStringLiteral("not a spec"));
    EXPECT_FALSE(bar->isHidden());
    EXPECT_EQ(bar->title(), QStringLiteral("Open repository"));
    EXPECT_FALSE(bar->text().isEmpty());
    EXPECT_EQ(jobs->rowCount(), 0);
    bar->dismiss();

    // Declined trust: the user's own answer goes to the status bar, not an error. Retrying the
    // row (trusting this time) fetches in the same row.
    window.openRepository(QStringLiteral("someone/tool:main"));
    ASSERT_TRUE(test::waitUntil(
        [&] { return jobs->rowCount() == 1 && phase(0) >= DownloadsModel::Phase::Done; }));
    EXPECT_EQ(phase(0), DownloadsModel::Phase::Cancelled) << "declining is not a failure";
    EXPECT_EQ(jobs->index(0, DownloadsModel::BytesColumn).data().toString(),
              QStringLiteral("not trusted"));
    EXPECT_TRUE(bar->isHidden());
    ASSERT_TRUE(jobs->index(0, 0).data(DownloadsModel::CanRetryRole).toBool());
    answer = TrustAnswer::TrustAndRecord;
    jobs->retry(0);
    ASSERT_TRUE(test::waitUntil([&] { return phase(0) >= DownloadsModel::Phase::Done; }, 30000));
    EXPECT_EQ(jobs->rowCount(), 1) << "retry must not add a row";
    EXPECT_EQ(phase(0), DownloadsModel::Phase::Done)
        << jobs->index(0, DownloadsModel::StateColumn).data().toString().toStdString();
    EXPECT_TRUE(QFileInfo::exists(hub + QStringLiteral("/someone_tool_main/hubconf.py")));

    // A missing ref: the core's error inline, with Retry. Once the branch exists, Retry
    // succeeds in the same row and the message goes away.
    window.openRepository(QStringLiteral("someone/tool:dev"));
    ASSERT_TRUE(test::waitUntil(
        [&] { return jobs->rowCount() == 2 && phase(1) >= DownloadsModel::Phase::Done; }, 30000));
    ASSERT_EQ(phase(1), DownloadsModel::Phase::Failed);
    ASSERT_TRUE(test::waitUntil([&] { return !bar->isHidden(); }));
    EXPECT_EQ(bar->tone(), Tone::Error);
    const QString rowError = jobs->index(1, 0).data(DownloadsModel::ErrorRole).toString();
    EXPECT_FALSE(rowError.isEmpty());
    // The core's text, with the CLI's advice (--skip-validation, hub.load()) in the GUI's terms.
    EXPECT_EQ(bar->text(), forGui(rowError)) << "the inline message carries the core's text";
    EXPECT_FALSE(bar->text().contains(u"--skip-validation")) << bar->text().toStdString();
    EXPECT_TRUE(bar->text().contains(u"dev")) << bar->text().toStdString();
    ASSERT_EQ(bar->actionButtons().size(), 1);
    if (qEnvironmentVariableIsSet("HUBCAP_TEST_SHOTS")) { // look at it: HUBCAP_TEST_SHOTS=DIR
        window.resize(1200, 760);
        window.show();
        QCoreApplication::processEvents();
        window.grab().save(qEnvironmentVariable("HUBCAP_TEST_SHOTS") +
                           QStringLiteral("/inline-error.png"));
    }

    const QString repoDir = server.root() + QStringLiteral("/repos/someone/tool");
    test::git(repoDir, {QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("-b"),
                        QStringLiteral("dev")});
    test::commitFiles(repoDir, {{QStringLiteral("hubconf.py"), test::hubconf(2)}});
    bar->actionButtons().first()->click();
    EXPECT_TRUE(bar->isHidden());
    ASSERT_TRUE(test::waitUntil([&] { return phase(1) >= DownloadsModel::Phase::Done; }, 30000));
    EXPECT_EQ(jobs->rowCount(), 2) << "retry must not add a row";
    EXPECT_EQ(phase(1), DownloadsModel::Phase::Done)
        << jobs->index(1, DownloadsModel::StateColumn).data().toString().toStdString();
    EXPECT_TRUE(QFileInfo::exists(hub + QStringLiteral("/someone_tool_dev/hubconf.py")));
    EXPECT_TRUE(bar->isHidden());
    // A new action dismisses an old message.
    window.openRepository(QStringLiteral("not a spec"));
    ASSERT_FALSE(bar->isHidden());
    window.openRepository(QStringLiteral("someone/tool:main")); // cached: selected at once
    EXPECT_TRUE(bar->isHidden());

    // Force reload answers with the commit before and after, inline (it stays on screen).
    const QString newSha =
        test::commitFiles(repoDir, {{QStringLiteral("hubconf.py"), test::hubconf(3)}});
    ASSERT_TRUE(test::waitUntil(
        [&] { return window.browserPage()->selectRepo(QStringLiteral("someone/tool:dev")); }));
    window.forceReload();
    ASSERT_TRUE(test::waitUntil([&] { return !bar->isHidden(); }, 30000));
    EXPECT_EQ(bar->tone(), Tone::Info);
    EXPECT_EQ(bar->title(), QStringLiteral("Reloaded someone/tool:dev"));
    EXPECT_TRUE(bar->text().endsWith(newSha.left(12) + u'.')) << bar->text().toStdString();
    EXPECT_TRUE(bar->text().contains(u"→")) << bar->text().toStdString();

    // Clearing finished rows deletes their jobs (the model owns them).
    QPointer<Job> finished(jobs->job(1));
    ASSERT_TRUE(finished);
    jobs->clearFinished();
    EXPECT_EQ(jobs->rowCount(), 0);
    EXPECT_TRUE(test::waitUntil([&] {
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        return finished.isNull();
    }));
}
