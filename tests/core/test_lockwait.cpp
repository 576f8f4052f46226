// The one lock-wait helper (issues 12.3 and 13.10): it says whom it waits for and for how long.
#include "core/jobs/lockwait.h"

#include "tests/support/testsupport.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLockFile>
#include <QTemporaryDir>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

using namespace hubcap;

namespace {

void app()
{
    static int argc = 1;
    static char arg0[] = "test_core";
    static char *argv[] = {arg0, nullptr};
    if (!QCoreApplication::instance())
        new QCoreApplication(argc, argv);
}

bool spin(const std::function<bool()> &cond, int ms)
{
    QElapsedTimer t;
    t.start();
    while (!cond()) {
        if (t.elapsed() > ms)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return true;
}

} // namespace

TEST(LockWait, AFreeLockIsTakenAtOnce)
{
    app();
    QTemporaryDir tmp;
    LockWait w(tmp.path() + QStringLiteral("/a.lock"), QStringLiteral("fetching x"));
    bool acquired = false, waited = false;
    QObject::connect(&w, &LockWait::acquired, [&] { acquired = true; });
    QObject::connect(&w, &LockWait::waiting, [&] { waited = true; });
    w.start();
    EXPECT_TRUE(acquired);
    EXPECT_FALSE(waited);
    auto lock = w.takeLock();
    ASSERT_TRUE(lock);
    EXPECT_TRUE(lock->isLocked());
    EXPECT_FALSE(lockHolder(tmp.path() + QStringLiteral("/b.lock")).has_value());
}

TEST(LockWait, SaysWhomItWaitsForThenTakesTheLockWhenFreed)
{
    app();
    QTemporaryDir tmp;
    const QString path = tmp.path() + QStringLiteral("/a.lock");
    QLockFile other(path);
    ASSERT_TRUE(other.tryLock(0));
    const auto holder = lockHolder(path);
    ASSERT_TRUE(holder.has_value());
    EXPECT_EQ(holder->pid, QCoreApplication::applicationPid());

    LockWait w(path, QStringLiteral("fetching o_r_main"));
    w.setPollIntervalMs(50);
    QStringList texts;
    bool acquired = false;
    QObject::connect(&w, &LockWait::waiting, [&](const LockHolder &h, qint64, const QString &text) {
        EXPECT_EQ(h.pid, QCoreApplication::applicationPid());
        texts << text;
    });
    QObject::connect(&w, &LockWait::acquired, [&] { acquired = true; });
    w.start();
    ASSERT_FALSE(acquired);
    ASSERT_EQ(texts.size(), 1) << "said at once, not after a while";
    EXPECT_TRUE(texts[0].contains(QStringLiteral("pid %1").arg(QCoreApplication::applicationPid())))
        << texts[0].toStdString();
    EXPECT_TRUE(texts[0].contains(u"fetching o_r_main")) << texts[0].toStdString();
    ASSERT_TRUE(spin([&] { return texts.size() >= 2; }, 5000)) << "updated about once a second";
    EXPECT_TRUE(texts.last().contains(u"so far")) << texts.last().toStdString();
    other.unlock();
    ASSERT_TRUE(spin([&] { return acquired; }, 5000));
    EXPECT_TRUE(w.takeLock()->isLocked());
}

TEST(LockWait, GivesUpWithBusyAfterItsTimeout)
{
    app();
    QTemporaryDir tmp;
    const QString path = tmp.path() + QStringLiteral("/a.lock");
    QLockFile other(path);
    ASSERT_TRUE(other.tryLock(0));
    LockWait w(path, QStringLiteral("downloading w.pth"));
    w.setTimeoutMs(200);
    w.setPollIntervalMs(20);
    std::optional<Error> error;
    QObject::connect(&w, &LockWait::failed, [&](const Error &e) { error = e; });
    w.start();
    ASSERT_TRUE(spin([&] { return error.has_value(); }, 5000));
    EXPECT_EQ(error->code, Error::Code::Busy);
    EXPECT_TRUE(error->message.contains(u"downloading w.pth")) << error->message.toStdString();
    EXPECT_FALSE(w.isWaiting());
}
