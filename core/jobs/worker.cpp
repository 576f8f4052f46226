#include "core/jobs/worker.h"

#include <QThread>

namespace hubcap {

namespace {
std::atomic<int> g_running{0};
} // namespace

Worker::Worker(QObject *owner) : m_owner(owner) {}

Worker::~Worker()
{
    m_token.cancel();
    wait();
}

void Worker::run(std::function<void(const CancelToken &)> work)
{
    wait(); // one run at a time; a cancelled Worker stays cancelled (jobs run once)
    ++g_running;
    m_thread = QThread::create([work = std::move(work), token = m_token] {
        work(token);
        --g_running;
    });
    m_thread->start();
}

bool Worker::isRunning() const
{
    return m_thread && m_thread->isRunning();
}

void Worker::wait()
{
    if (!m_thread)
        return;
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
}

void Worker::post(std::function<void()> fn) const
{
    // Thread-safe: posts an event; Qt drops it if the owner is deleted before it is delivered.
    QMetaObject::invokeMethod(m_owner, std::move(fn), Qt::QueuedConnection);
}

int Worker::running()
{
    return g_running.load();
}

} // namespace hubcap
