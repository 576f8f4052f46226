#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <memory>

namespace hubcap {

/// Incremental SHA-256 through OpenSSL's libcrypto. Same calls as QCryptographicHash, but Qt 6.4
/// hashes SHA-256 in portable C at ~100 MB/s on these machines while OpenSSL uses the CPU's SHA
/// instructions (~1.7 GB/s): with Qt's, hashing while streaming capped downloads at ~94 MB/s.
class Sha256
{
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;

    void reset();
    void addData(QByteArrayView data);
    /// The 32-byte digest of everything added since the last reset().
    QByteArray result() const;

private:
    struct Ctx;
    std::unique_ptr<Ctx> m_ctx;
};

} // namespace hubcap

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace hubcap {

/// SHA-256 on a worker thread, for hashing while streaming: addData() queues the chunk (an
/// implicitly shared QByteArray, not copied) and returns at once, so hashing overlaps the next
/// read and write instead of adding to them. At most maxPending bytes wait in the queue (addData
/// blocks beyond that), so memory stays bounded. The thread starts on the first addData() and
/// ends in stop() or the destructor; result() and reset() wait for the queued bytes first.
class Sha256Worker
{
public:
    explicit Sha256Worker(qsizetype maxPending = 8 * 1024 * 1024);
    ~Sha256Worker();
    Sha256Worker(const Sha256Worker &) = delete;
    Sha256Worker &operator=(const Sha256Worker &) = delete;

    void addData(const QByteArray &chunk);
    /// The digest of everything added since the last reset() (waits for the queue to drain).
    QByteArray result();
    void reset();
    /// Ends the thread (after hashing what is queued); the next addData() starts a new one.
    void stop();
    bool isRunning() const { return m_thread.joinable(); }

    /// Worker threads alive in this process (for tests: a finished job must not leave one).
    static int liveThreads();

private:
    void run();
    void waitIdle(std::unique_lock<std::mutex> &lock);

    const qsizetype m_maxPending;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<QByteArray> m_queue;
    qsizetype m_pending = 0;
    bool m_busy = false;
    bool m_stop = false;
    Sha256 m_hash;
    std::thread m_thread;
};

} // namespace hubcap
