// The downloads panel against the fake GitHub server: progress, the stalled state while no
// data arrives, a failure with its reason, retry, clear finished; the model passes the tester
// and the delegate paints.
#include "tests/ui/uifixtures.h"

#include "tests/support/fakeserver.h"
#include "tests/support/testsupport.h"

#include "core/net/downloadjob.h"
#include "core/net/networkconfig.h"
#include "ui/downloads/downloadsmodel.h"
#include "ui/downloads/downloadspanel.h"

#include "core/util/format.h"
#include "ui/downloads/progressdelegate.h"
#include <QAbstractItemModelTester>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QJsonObject>
#include <QPainter>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTreeView>

using namespace hubcap;
using namespace hubcap::ui;
using Phase = DownloadsModel::Phase;

namespace {

class Downloads : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(server.isRunning()) << server.serverErrors().toStdString();
    }

    QUrl asset(const QString &name, qint64 size)
    {
        test::writeFile(server.root() + QStringLiteral("/assets/") + name, QByteArray(size, 'w'));
        return QUrl(server.url() + QStringLiteral("/assets/") + name);
    }
    DownloadJob *makeJob(const QUrl &url, const QString &name, int stallMs = 5000)
    {
        DownloadOptions o;
        o.url = url;
        o.destination = tmp.path() + QStringLiteral("/checkpoints/") + name;
        o.hubDir = tmp.path();
        o.retryBaseDelayMs = 20;
        o.stallNoticeMs = 300;
        NetworkConfig c;
        c.setGithubUrl(QUrl(server.url()));
        c.setGithubApiUrl(QUrl(server.url()));
        c.setConnectTimeoutMs(5000);
        c.setStallTimeoutMs(stallMs);
        auto *job = new DownloadJob(o, c, &owner);
        job->setTitle(name);
        return job;
    }
    Phase phase(DownloadsModel &m, int row)
    {
        return Phase(m.index(row, 0).data(DownloadsModel::PhaseRole).toInt());
    }

    test::FakeServer server;
    QTemporaryDir tmp;
    QObject owner;
};

} // namespace

TEST_F(Downloads, ShowsProgressStalledAndDone)
{
    const QUrl url = asset(QStringLiteral("stall.bin"), 400000);
    server.setConfig(
        QJsonObject{{QStringLiteral("assets"),
                     QJsonObject{{QStringLiteral("stall.bin"),
                                  QJsonObject{{QStringLiteral("stall"), 6},
                                              {QStringLiteral("stall_after"), 100000}}}}}});
    DownloadsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    DownloadsPanel panel(&model);
    panel.resize(900, 200);
    DownloadJob *job = makeJob(url, QStringLiteral("stall.bin"), /*stallMs=*/1500);
    model.addJob(job);
    job->start();

    // While the server holds back data the row says "Stalled for N s" with partial progress.
    ASSERT_TRUE(test::waitUntil([&] { return phase(model, 0) == Phase::Stalled; }, 20000));
    const QString stateText = model.index(0, DownloadsModel::StateColumn).data().toString();
    EXPECT_TRUE(stateText.startsWith(QStringLiteral("Stalled for"))) << stateText.toStdString();
    const double progress = model.index(0, 0).data(DownloadsModel::ProgressRole).toDouble();
    EXPECT_GT(progress, 0.2);
    EXPECT_LT(progress, 1.0);
    EXPECT_EQ(model.index(0, 0).data(DownloadsModel::TotalRole).toLongLong(), 400000);
    EXPECT_FALSE(panel.view()->grab().isNull()); // the delegate paints a stalled bar

    // The job retries with Range and finishes; the row says Done at 100 %.
    ASSERT_TRUE(test::waitUntil([&] { return phase(model, 0) == Phase::Done; }, 30000));
    EXPECT_DOUBLE_EQ(model.index(0, 0).data(DownloadsModel::ProgressRole).toDouble(), 1.0);
    EXPECT_EQ(model.index(0, DownloadsModel::StateColumn).data().toString(),
              QStringLiteral("Done"));
    EXPECT_FALSE(model.index(0, 0).data(DownloadsModel::CanCancelRole).toBool());
    model.clearFinished();
    EXPECT_EQ(model.rowCount(), 0);
}

TEST_F(Downloads, ShowsAFailureWithItsReasonAndRetries)
{
    DownloadsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const QUrl missing(server.url() + QStringLiteral("/assets/none.pth"));
    int retries = 0;
    DownloadJob *job = makeJob(missing, QStringLiteral("none.pth"));
    model.addJob(job, [&]() -> Job * {
        ++retries;
        return makeJob(missing, QStringLiteral("none.pth"));
    });
    job->start();
    ASSERT_TRUE(test::waitUntil([&] { return phase(model, 0) == Phase::Failed; }, 20000));
    const QString state = model.index(0, DownloadsModel::StateColumn).data().toString();
    EXPECT_TRUE(state.startsWith(QStringLiteral("Failed: "))) << state.toStdString();
    EXPECT_TRUE(state.contains(QStringLiteral("404"))) << state.toStdString();
    EXPECT_TRUE(model.index(0, 0).data(DownloadsModel::CanRetryRole).toBool());

    model.retry(0);
    EXPECT_EQ(retries, 1);
    ASSERT_TRUE(test::waitUntil([&] { return phase(model, 0) == Phase::Failed; }, 20000));
    EXPECT_EQ(model.rowCount(), 1);
}

TEST_F(Downloads, PauseAndResume)
{
    const QUrl url = asset(QStringLiteral("slow.bin"), 300000);
    server.setConfig(
        QJsonObject{{QStringLiteral("assets"),
                     QJsonObject{{QStringLiteral("slow.bin"),
                                  QJsonObject{{QStringLiteral("stall"), 3},
                                              {QStringLiteral("stall_after"), 50000}}}}}});
    DownloadsModel model;
    DownloadJob *job = makeJob(url, QStringLiteral("slow.bin"));
    model.addJob(job);
    job->start();
    ASSERT_TRUE(test::waitUntil([&] {
        return model.index(0, 0).data(DownloadsModel::CanPauseRole).toBool() &&
               model.index(0, 0).data(DownloadsModel::DoneRole).toLongLong() > 0;
    }));
    model.pause(0);
    EXPECT_EQ(phase(model, 0), Phase::Paused);
    EXPECT_TRUE(model.index(0, 0).data(DownloadsModel::CanResumeRole).toBool());
    server.setConfig({});
    model.resume(0);
    ASSERT_TRUE(test::waitUntil([&] { return phase(model, 0) == Phase::Done; }, 30000));
    EXPECT_EQ(QFileInfo(tmp.path() + QStringLiteral("/checkpoints/slow.bin")).size(), 300000);
}

// A paused download shows no speed or ETA (nothing moves); cancelling a large partial one asks
// first and says how much is lost.
TEST_F(Downloads, PausedShowsNoSpeedAndCancellingALargePartialAsks)
{
    const QUrl url = asset(QStringLiteral("big.bin"), 300000);
    server.setConfig(
        QJsonObject{{QStringLiteral("assets"),
                     QJsonObject{{QStringLiteral("big.bin"),
                                  QJsonObject{{QStringLiteral("stall"), 3},
                                              {QStringLiteral("stall_after"), 60000}}}}}});
    DownloadsModel model;
    DownloadsPanel panel(&model);
    QList<Confirmation> asked;
    bool answer = false;
    panel.setConfirmer([&](QWidget *, const Confirmation &c) {
        asked << c;
        return answer;
    });
    panel.setCancelConfirmThreshold(20000);
    DownloadJob *job = makeJob(url, QStringLiteral("big.bin"));
    model.addJob(job);
    EXPECT_EQ(panel.view()->currentIndex().row(), 0); // the new row is current and in view
    job->start();
    ASSERT_TRUE(test::waitUntil([&] {
        model.refresh();
        return model.index(0, 0).data(DownloadsModel::DoneRole).toLongLong() >= 60000;
    }));
    model.pause(0);
    model.refresh();
    ASSERT_EQ(phase(model, 0), Phase::Paused);
    // The transfer may still know its last speed (SpeedRole); the row shows none while paused.
    EXPECT_TRUE(model.index(0, DownloadsModel::SpeedColumn).data().toString().isEmpty())
        << model.index(0, DownloadsModel::SpeedColumn).data().toString().toStdString();
    EXPECT_TRUE(model.index(0, DownloadsModel::EtaColumn).data().toString().isEmpty());

    panel.cancelCurrent();
    ASSERT_EQ(asked.size(), 1);
    EXPECT_TRUE(asked[0].text.contains(humanSize(job->bytesDone()))) << asked[0].text.toStdString();
    EXPECT_TRUE(asked[0].text.contains(QStringLiteral("starts from the beginning")));
    model.refresh();
    EXPECT_EQ(phase(model, 0), Phase::Paused); // "no" kept it
    answer = true;
    panel.cancelCurrent();
    ASSERT_EQ(asked.size(), 2);
    ASSERT_TRUE(test::waitUntil([&] {
        model.refresh();
        return phase(model, 0) == Phase::Cancelled;
    }));
}

namespace {
// A job that is not a download: it reports one step, then finishes when told to.
class StepJob : public Job
{
public:
    void finishNow() { succeed(); }
    void failNow() { failWith(Error::make(Error::Code::NotFound, QStringLiteral("No such ref."))); }

protected:
    void doStart() override { reportProgress(0, 1, QStringLiteral("Starting the libtorch host…")); }
};
} // namespace

// Once a step-reporting job (fetch, load, export, verify) is done, its row says so instead of
// still showing the last step it reported.
TEST(DownloadsSteps, FinishedRowsDoNotKeepTheirLastStep)
{
    DownloadsModel model;
    auto *job = new StepJob;
    job->setParent(&model);
    model.addJob(job);
    job->start();
    model.refresh();
    const QModelIndex step = model.index(0, DownloadsModel::BytesColumn);
    EXPECT_EQ(step.data().toString(), QStringLiteral("Starting the libtorch host…"));
    job->finishNow();
    model.refresh();
    EXPECT_EQ(step.data().toString(), QStringLiteral("done"));
    EXPECT_EQ(Phase(model.index(0, 0).data(DownloadsModel::PhaseRole).toInt()), Phase::Done);

    // A failed one says where it stopped, in the past tense; a cancelled one says so.
    auto *failing = new StepJob;
    failing->setParent(&model);
    model.addJob(failing);
    failing->start();
    failing->failNow();
    model.refresh();
    EXPECT_EQ(model.index(1, DownloadsModel::BytesColumn).data().toString(),
              QStringLiteral("failed at: Starting the libtorch host…"));
    auto *cancelled = new StepJob;
    cancelled->setParent(&model);
    model.addJob(cancelled);
    cancelled->cancel(); // still queued: cancelled at once
    model.refresh();
    EXPECT_EQ(model.index(2, DownloadsModel::BytesColumn).data().toString(),
              QStringLiteral("cancelled"));
}

// A failed row draws no filled bar even when all bytes had arrived (a hash mismatch after the
// last byte): a full bar would read as success. A downloading row at 100% does fill it.
TEST(DownloadsDelegate, FailedRowsDrawNoFilledBar)
{
    QStandardItemModel model(1, 1);
    ProgressDelegate delegate;
    QTreeView view;
    view.setModel(&model);
    view.resize(300, 60);
    auto filledPixels = [&](Phase phase) {
        model.setData(model.index(0, 0), 1.0, DownloadsModel::ProgressRole);
        model.setData(model.index(0, 0), int(phase), DownloadsModel::PhaseRole);
        QImage image(200, 24, QImage::Format_ARGB32);
        image.fill(Qt::white);
        QPainter painter(&image);
        QStyleOptionViewItem option;
        option.initFrom(&view);
        option.rect = image.rect();
        option.widget = &view;
        delegate.paint(&painter, option, model.index(0, 0));
        painter.end();
        const QColor highlight = view.palette().color(QPalette::Highlight);
        int n = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x) {
                const QColor c = image.pixelColor(x, y);
                n += std::abs(c.hue() - highlight.hue()) < 12 && c.saturation() > 80;
            }
        return n;
    };
    // A few highlight-coloured pixels belong to the frame's edge; a filled bar has thousands.
    const int downloading = filledPixels(Phase::Downloading);
    EXPECT_GT(downloading, 2000);
    EXPECT_LT(filledPixels(Phase::Failed), downloading / 20);
    EXPECT_LT(filledPixels(Phase::Cancelled), downloading / 20);
}

namespace {
/// Any job: the model knows only the Job interface (issue 12).
class ScriptedJob : public Job
{
public:
    using Job::reportProgress;
    using Job::setState;
    bool pausable = false;
    int pauses = 0, resumes = 0;
    Capabilities capabilities() const override { return {true, pausable}; }
    void pause() override
    {
        ++pauses;
        setState(State::Paused);
    }
    void resume() override
    {
        ++resumes;
        setState(State::Running);
    }

protected:
    void doStart() override {}
    void doCancel() override { failWith(Error::make(Error::Code::Cancelled, QStringLiteral("c"))); }
};
} // namespace

// Regression: the phase came from matching the translated status text ("verif", "extract",
// "connect") and pausing from downcasting to the download classes.
TEST(DownloadsModelJobs, PhaseIsTheJobsTypedPhaseNotItsText)
{
    DownloadsModel model;
    auto *job = new ScriptedJob;
    job->setTitle(QStringLiteral("x"));
    model.addJob(job);
    job->start();
    auto phase = [&] {
        model.refresh();
        return Phase(model.index(0, 0).data(DownloadsModel::PhaseRole).toInt());
    };
    job->reportProgress(Job::Phase::Extracting, 1, 4, QStringLiteral("Entpacken…"));
    EXPECT_EQ(phase(), Phase::Extracting);
    job->reportProgress(Job::Phase::Working, 2, 4,
                        QStringLiteral("verifying, extracting, connecting"));
    EXPECT_EQ(phase(), Phase::Running) << "words in the text mean nothing";
    job->reportProgress(Job::Phase::Verifying, 3, 4, QStringLiteral("Prüfen"));
    EXPECT_EQ(phase(), Phase::Verifying);
    job->reportProgress(Job::Phase::Connecting, 0, -1, QString());
    EXPECT_EQ(phase(), Phase::Connecting);

    // Pause and resume go through the job, for any job that says it can.
    EXPECT_FALSE(model.index(0, 0).data(DownloadsModel::CanPauseRole).toBool());
    model.pause(0);
    EXPECT_EQ(job->pauses, 0);
    job->pausable = true;
    model.refresh();
    EXPECT_TRUE(model.index(0, 0).data(DownloadsModel::CanPauseRole).toBool());
    model.pause(0);
    EXPECT_EQ(job->pauses, 1);
    EXPECT_EQ(phase(), Phase::Paused);
    EXPECT_TRUE(model.index(0, 0).data(DownloadsModel::CanResumeRole).toBool());
    model.resume(0);
    EXPECT_EQ(job->resumes, 1);
    model.cancel(0);
    EXPECT_EQ(phase(), Phase::Cancelled);
}
