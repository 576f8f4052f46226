#pragma once

// One way to run blocking work (file-system walks, extraction, checkpoint parsing) off the
// thread that owns a job or a dialog, with cooperative cancellation. It replaces the
// QThread::create + atomic flag + invokeMethod + wait-in-destructor pattern each job had.

#include <QObject>

#include <atomic>
#include <functional>
#include <memory>

class QThread;

namespace hubcap {

/// What the work polls: cancel() on the Worker (or its destruction) sets it.
class CancelToken
{
public:
    CancelToken() : m_flag(std::make_shared<std::atomic<bool>>(false)) {}
    bool isCancelled() const { return m_flag->load(std::memory_order_relaxed); }
    void cancel() const { m_flag->store(true, std::memory_order_relaxed); }
    /// For APIs that take a `std::function<bool()> cancelled` callback.
    std::function<bool()> asFunction() const
    {
        return [flag = m_flag] { return flag->load(std::memory_order_relaxed); };
    }
    /// For APIs that take a `std::shared_ptr<std::atomic<bool>>` flag.
    const std::shared_ptr<std::atomic<bool>> &flag() const { return m_flag; }

private:
    std::shared_ptr<std::atomic<bool>> m_flag;
};

/// Runs one piece of work at a time on a thread of its own, for `owner` (a job, a dialog).
///
///     Worker m_worker{this};   // declare it last: it is destroyed (and waits) first
///     m_worker.run([this](const CancelToken &cancel) {
///         auto r = longWork(cancel);                 // on the worker thread
///         m_worker.post([this, r] { finish(r); });   // back on the owner's thread
///     });
///
/// post() delivers on the owner's thread and drops the call when the owner is gone. The
/// destructor cancels the token and waits for the work to return, so work may use the owner's
/// members (declared before the Worker) until it returns.
class Worker
{
public:
    explicit Worker(QObject *owner);
    ~Worker();
    Worker(const Worker &) = delete;
    Worker &operator=(const Worker &) = delete;

    /// Starts `work` on a new thread (a previous run must have returned: it is waited for).
    void run(std::function<void(const CancelToken &)> work);
    /// Asks the work to stop (it polls the token); does not wait.
    void cancel() { m_token.cancel(); }
    bool isCancelled() const { return m_token.isCancelled(); }
    const CancelToken &token() const { return m_token; }
    bool isRunning() const;
    /// Blocks until the work returned (tests, destructors).
    void wait();
    /// Calls `fn` on the owner's thread (queued), unless the owner was destroyed meanwhile.
    void post(std::function<void()> fn) const;

    /// How many Worker threads run now (tests: nothing is left behind).
    static int running();

private:
    QObject *m_owner; ///< outlives the work: the owner's destruction waits for it (~Worker)
    CancelToken m_token;
    QThread *m_thread = nullptr;
};

/// Runs `work(token)` → R on a worker thread and `done(R)` on the owner's thread (the work
/// decides what a cancelled run returns; done() is called either way).
template <typename Work, typename Done> void runOnWorker(Worker &worker, Work work, Done done)
{
    worker.run([&worker, work = std::move(work), done = std::move(done)](const CancelToken &t) {
        auto result = work(t);
        worker.post([done, result = std::move(result)]() mutable { done(std::move(result)); });
    });
}

} // namespace hubcap
