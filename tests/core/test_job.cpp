#include "core/jobs/job.h"
#include "core/jobs/worker.h"

#include "tests/support/testsupport.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QThread>
#include <QTimer>

namespace {
class TimerJob : public hubcap::Job
{
public:
    int steps = 0;
    QTimer timer;

protected:
    void doStart() override
    {
        connect(&timer, &QTimer::timeout, this, [this] {
            if (isCancelRequested()) {
                failWith(hubcap::Error::make(hubcap::Error::Code::Cancelled,
                                             QStringLiteral("cancelled")));
                timer.stop();
                return;
            }
            reportProgress(++steps, 5, QStringLiteral("step"));
            if (steps == 5) {
                timer.stop();
                succeed();
            }
        });
        timer.start(1);
    }
};

int argc = 1;
char arg0[] = "test";
char *argv[] = {arg0, nullptr};
QCoreApplication &app()
{
    static QCoreApplication a(argc, argv);
    return a;
}
} // namespace

TEST(Job, RunsToOneFinishedWithProgress)
{
    app();
    TimerJob job;
    int finishedCount = 0, progressCount = 0;
    QObject::connect(&job, &hubcap::Job::finished, [&] { ++finishedCount; });
    QObject::connect(&job, &hubcap::Job::progress, [&] { ++progressCount; });
    job.start();
    ASSERT_TRUE(job.waitForFinished(5000));
    EXPECT_EQ(job.state(), hubcap::Job::State::Succeeded);
    EXPECT_EQ(finishedCount, 1);
    EXPECT_EQ(progressCount, 5);
    EXPECT_EQ(job.done(), 5);
    EXPECT_EQ(job.total(), 5);
}

TEST(Job, CancelEndsWithCancelledError)
{
    app();
    TimerJob job;
    job.start();
    job.cancel();
    ASSERT_TRUE(job.waitForFinished(5000));
    EXPECT_EQ(job.state(), hubcap::Job::State::Cancelled);
    ASSERT_TRUE(job.error().has_value());
    EXPECT_EQ(job.error()->code, hubcap::Error::Code::Cancelled);
    EXPECT_LT(job.steps, 5);
}

TEST(Job, CancelBeforeStartFinishesImmediately)
{
    app();
    TimerJob job;
    job.cancel();
    EXPECT_TRUE(job.isFinished());
    EXPECT_EQ(job.state(), hubcap::Job::State::Cancelled);
}

namespace {
/// A job that says what it does with a typed phase and can be paused (issue 12: one job
/// model, no text matching, no downcasts).
class PhasedJob : public hubcap::Job
{
public:
    using Job::reportProgress;
    using Job::setState;
    int cancels = 0;
    int pauses = 0;
    Capabilities capabilities() const override { return {true, true}; }
    void pause() override
    {
        ++pauses;
        setState(State::Paused);
    }

protected:
    void doStart() override {}
    void doCancel() override
    {
        ++cancels;
        failWith(hubcap::Error::make(hubcap::Error::Code::Cancelled, QStringLiteral("c")));
    }
};
} // namespace

TEST(Job, ProgressIsOneValueWithATypedPhase)
{
    app();
    PhasedJob job;
    job.start();
    job.reportProgress(hubcap::Job::Phase::Extracting, 3, 10, QStringLiteral("Entpacken"));
    EXPECT_EQ(job.currentProgress().phase, hubcap::Job::Phase::Extracting);
    EXPECT_EQ(job.currentProgress().done, 3);
    EXPECT_EQ(job.currentProgress().total, 10);
    EXPECT_EQ(job.currentProgress().text, QStringLiteral("Entpacken"));
    job.reportProgress(4, 10); // the phase stays, the text too
    EXPECT_EQ(job.currentProgress().phase, hubcap::Job::Phase::Extracting);
    EXPECT_EQ(job.statusText(), QStringLiteral("Entpacken"));
    EXPECT_TRUE(job.capabilities().pause);
}

TEST(Job, CancelReachesAStartedJobWhateverItsState)
{
    // A started job that waits again (queued or paused) must still stop its work: cancel()
    // used to finish any Queued job without calling doCancel().
    app();
    PhasedJob job;
    job.start();
    job.setState(hubcap::Job::State::Queued);
    job.cancel();
    EXPECT_EQ(job.cancels, 1);
    EXPECT_EQ(job.state(), hubcap::Job::State::Cancelled);
}

TEST(Worker, RunsOffTheOwnersThreadDeliversOnItAndStopsWithIt)
{
    app();
    QObject owner;
    const QThread *mainThread = QThread::currentThread();
    const QThread *workThread = nullptr;
    const QThread *deliveredOn = nullptr;
    int delivered = -1;
    {
        hubcap::Worker worker(&owner);
        hubcap::runOnWorker(
            worker,
            [&](const hubcap::CancelToken &) {
                workThread = QThread::currentThread();
                return 42;
            },
            [&](int v) {
                delivered = v;
                deliveredOn = QThread::currentThread();
            });
        QDeadlineTimer deadline(5000);
        while (delivered != 42 && !deadline.hasExpired())
            QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        EXPECT_EQ(delivered, 42);
    }
    EXPECT_NE(workThread, mainThread);
    EXPECT_EQ(deliveredOn, mainThread);

    // Destroying the Worker cancels the token and waits for the work: nothing runs on after.
    std::atomic<bool> sawCancel{false};
    {
        hubcap::Worker worker(&owner);
        worker.run([&](const hubcap::CancelToken &token) {
            while (!token.isCancelled())
                QThread::msleep(1);
            sawCancel = true;
        });
        QThread::msleep(20);
        EXPECT_EQ(hubcap::Worker::running(), 1);
    }
    EXPECT_TRUE(sawCancel);
    EXPECT_EQ(hubcap::Worker::running(), 0);

    // post() after the owner is gone is dropped, not delivered to a dead object.
    bool late = false;
    {
        auto *shortLived = new QObject;
        hubcap::Worker worker(shortLived);
        worker.run([&](const hubcap::CancelToken &) {});
        worker.wait();
        worker.post([&] { late = true; });
        delete shortLived;
    }
    QCoreApplication::processEvents();
    EXPECT_FALSE(late);
}
