#include "core/jobs/job.h"

#include "tests/support/testsupport.h"

#include <QCoreApplication>
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
                failWith(hubcap::Error::make(hubcap::Error::Code::Cancelled, QStringLiteral("cancelled")));
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
