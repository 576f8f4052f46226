#include "core/util/sha256.h"

#include <openssl/evp.h>

#include <atomic>

namespace hubcap {

struct Sha256::Ctx
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    ~Ctx() { EVP_MD_CTX_free(md); }
};

Sha256::Sha256() : m_ctx(std::make_unique<Ctx>())
{
    reset();
}

Sha256::~Sha256() = default;

void Sha256::reset()
{
    EVP_DigestInit_ex(m_ctx->md, EVP_sha256(), nullptr);
}

void Sha256::addData(QByteArrayView data)
{
    EVP_DigestUpdate(m_ctx->md, data.data(), static_cast<size_t>(data.size()));
}

QByteArray Sha256::result() const
{
    // Finalise a copy so result() can be called more than once, like QCryptographicHash.
    EVP_MD_CTX *copy = EVP_MD_CTX_new();
    EVP_MD_CTX_copy_ex(copy, m_ctx->md);
    QByteArray out(EVP_MAX_MD_SIZE, '\0');
    unsigned int len = 0;
    EVP_DigestFinal_ex(copy, reinterpret_cast<unsigned char *>(out.data()), &len);
    EVP_MD_CTX_free(copy);
    out.resize(static_cast<qsizetype>(len));
    return out;
}

} // namespace hubcap

namespace hubcap {

namespace {
std::atomic<int> g_liveWorkers{0};
}

Sha256Worker::Sha256Worker(qsizetype maxPending) : m_maxPending(maxPending) {}

Sha256Worker::~Sha256Worker()
{
    stop();
}

int Sha256Worker::liveThreads()
{
    return g_liveWorkers.load();
}

void Sha256Worker::addData(const QByteArray &chunk)
{
    if (chunk.isEmpty())
        return;
    std::unique_lock lock(m_mutex);
    if (!m_thread.joinable()) {
        m_stop = false;
        ++g_liveWorkers;
        m_thread = std::thread([this] { run(); });
    }
    // Bounded: a chunk always fits when nothing is pending, however big it is.
    m_cv.wait(lock, [this] { return m_pending == 0 || m_pending < m_maxPending; });
    m_queue.push_back(chunk);
    m_pending += chunk.size();
    m_cv.notify_all();
}

void Sha256Worker::waitIdle(std::unique_lock<std::mutex> &lock)
{
    m_cv.wait(lock, [this] { return m_queue.empty() && !m_busy; });
}

QByteArray Sha256Worker::result()
{
    std::unique_lock lock(m_mutex);
    waitIdle(lock);
    return m_hash.result();
}

void Sha256Worker::reset()
{
    std::unique_lock lock(m_mutex);
    waitIdle(lock);
    m_hash.reset();
}

void Sha256Worker::stop()
{
    {
        std::unique_lock lock(m_mutex);
        if (!m_thread.joinable())
            return;
        waitIdle(lock);
        m_stop = true;
        m_cv.notify_all();
    }
    m_thread.join();
    m_thread = std::thread();
    --g_liveWorkers;
}

void Sha256Worker::run()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_cv.wait(lock, [this] { return m_stop || !m_queue.empty(); });
        if (m_queue.empty())
            return; // stopped, nothing left
        const QByteArray chunk = std::move(m_queue.front());
        m_queue.pop_front();
        m_busy = true;
        lock.unlock();
        m_hash.addData(chunk);
        lock.lock();
        m_busy = false;
        m_pending -= chunk.size();
        m_cv.notify_all();
    }
}

} // namespace hubcap
