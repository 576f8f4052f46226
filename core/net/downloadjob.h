#pragma once

#include "core/jobs/job.h"
#include "core/net/networkconfig.h"
#include <QPointer>

#include "core/util/sha256.h"
#include <QByteArray>

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QList>
#include <QPair>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <QUrl>

#include <deque>
#include <memory>

class QLockFile;
class QNetworkAccessManager;
class QNetworkReply;

namespace hubcap {

class LockWait;
class DownloadQueue;

/// What to download and how.
struct DownloadOptions
{
    QUrl url;            ///< http(s) or file://
    QString destination; ///< final path; its parent folder is created when missing
    /// Expected SHA-256 prefix (hex, any case); empty = no check. A mismatch fails with
    /// Code::Integrity and leaves no file.
    QString hashPrefix;
    /// Extra request headers. They follow redirects to the same origin only; across origins
    /// Authorization, Cookie and Proxy-Authorization are dropped.
    QList<QPair<QByteArray, QByteArray>> headers;
    /// Adds `Authorization: token $GITHUB_TOKEN` to requests whose host is one of the GitHub
    /// hosts of the NetworkConfig (re-decided on every redirect hop).
    bool sendGithubToken = false;
    QByteArray userAgent = NetworkConfig::downloadUserAgent();
    /// Hub dir whose sidecar keeps resume state (`downloads/<key>`) and the advisory lock
    /// (`locks/download:<destination>`). Empty: no resume across runs and no lock.
    QString hubDir;
    bool resume = true;
    int maxAttempts = 5;              ///< attempts per start()/resume(), the first included
    int retryBaseDelayMs = 1000;      ///< backoff: base, 2×base, 4×base… (capped at 30 s)
    int lockWaitMs = 3000;            ///< how long a second process waits for the lock
    int stallNoticeMs = -1;           ///< "no data for N s" state after this; -1: min(3 s, stall/2)
    bool keepPartialOnCancel = false; ///< cancel() normally removes the partial; pause() never does
};

/// What a finished download produced.
struct DownloadResult
{
    QString path;
    qint64 bytes = 0;
    QString sha256;         ///< full lowercase hex digest
    qint64 resumedFrom = 0; ///< bytes that came from an earlier attempt or run (0: from scratch)
    int attempts = 0;
    bool verified = false; ///< a hash prefix was given and matched
    QUrl finalUrl;         ///< after redirects
};

/// Downloads one URL to one file, the way torch.hub's download_url_to_file does, plus what it
/// lacks:
/// - streamed to `<dst>.<32 hex>.partial` in the destination folder (torch 2.x's temp name,
///   which Python treats as transient) through a bounded read buffer: memory stays flat
///   whatever the size; SHA-256 computed while streaming; atomic rename at the end; the file
///   gets 0666 & ~umask.
/// - resume: within a run after a cut or stall, and across runs through the sidecar
///   (url, partial, ETag, Last-Modified, size). The next attempt sends `Range: bytes=N-` with
///   `If-Range`; 206 continues (the partial's bytes are re-hashed first), 200 restarts
///   cleanly, 416 or a changed file restarts from zero.
/// - automatic retries with backoff on stalls, cut connections and 5xx; attempt() counts.
/// - progress: bytesDone/bytesTotal/speed/eta/stalled, emitted as statsChanged() at most
///   every 250 ms (and Job::progress with a text).
/// - an advisory lock per destination (QLockFile) so two processes never write the same file.
/// - pause() keeps the partial (resume() continues); cancel() removes it unless
///   keepPartialOnCancel.
/// Redirects are followed manually (at most 10); the GitHub token only goes to GitHub hosts.
class DownloadJob : public Job
{
    Q_OBJECT
    Q_PROPERTY(qint64 bytesDone READ bytesDone NOTIFY statsChanged)
    Q_PROPERTY(qint64 bytesTotal READ bytesTotal NOTIFY statsChanged)
    Q_PROPERTY(double speed READ speed NOTIFY statsChanged)
    Q_PROPERTY(qint64 etaSeconds READ etaSeconds NOTIFY statsChanged)
    Q_PROPERTY(bool stalled READ isStalled NOTIFY statsChanged)
    Q_PROPERTY(qint64 stalledForMs READ stalledForMs NOTIFY statsChanged)
    Q_PROPERTY(int attempt READ attempt NOTIFY statsChanged)
public:
    /// The job reads the reply in slices of this size, writes each to the partial and queues it
    /// for hashing on a worker thread (measured: 64 KiB–256 KiB slices were as fast as each other;
    /// 1 MiB writes were 25% slower end to end).
    static constexpr qint64 kBufferSize = 256 * 1024;
    /// Cap on what Qt's network thread buffers for the reply before it stops reading the socket
    /// (bounded memory: the socket is throttled instead). 128 KiB made the network thread wait for
    /// each slice to be written and hashed (0.61x curl on loopback); 1 MiB and 4 MiB let it keep
    /// reading meanwhile (0.80-0.89x, within noise of each other), but with 4 MiB peak RSS grew
    /// from 42 MB (64 MB file) to 65 MB (2 GB); with 1 MiB 29 MB to 31 MB.
    static constexpr qint64 kReadBufferSize = 1024 * 1024;
    /// The most bytes waiting for the hash thread (addData blocks beyond it).
    static constexpr qint64 kHashQueue = 4 * 1024 * 1024;

    DownloadJob(DownloadOptions options, NetworkConfig config, QObject *parent = nullptr);
    ~DownloadJob() override;

    const DownloadOptions &options() const { return m_opt; }
    /// Valid once the job succeeded.
    const DownloadResult &result() const { return m_result; }

    qint64 bytesDone() const { return m_done; }
    qint64 bytesTotal() const { return m_total; } ///< -1 when unknown
    double speed() const { return m_speed; }      ///< bytes per second, recent window
    qint64 etaSeconds() const;                    ///< -1 when unknown
    bool isStalled() const { return m_stalled; }
    qint64 stalledForMs() const;
    int attempt() const { return m_attempt; }
    /// Last HTTP status seen (0 for none/file://); e.g. 300 for GitHub's ambiguous refs.
    int httpStatus() const { return m_status; }
    /// Largest amount of body data seen waiting in the reply at once (design check for tests).
    qint64 maxBufferedBytes() const { return m_maxBuffered; }
    bool isHashThreadRunning() const { return m_hash.isRunning(); }
    QString partialPath() const { return m_partialPath; }

    /// Marks the job as waiting in a queue (DownloadQueue): before its first start, or paused
    /// and waiting for a slot to resume in. Nothing runs until start() or resume().
    void markQueued() { setState(State::Queued); }
    /// Stops the transfer and keeps the partial and its resume state; state() becomes Paused
    /// and finished() is NOT emitted. A job still waiting in a queue just becomes Paused. In a
    /// DownloadQueue, the queue does it (its slot goes to the next job).
    void pause() override;
    /// Continues a paused (or re-queued) job: a fresh set of attempts, resuming with Range.
    /// A job that never ran starts now. In a DownloadQueue it waits for a free slot.
    void resume() override;
    Capabilities capabilities() const override { return {true, true}; }
    /// Bytes, speed, ETA and stall time; the phase: connecting until the first byte, then
    /// downloading (verifying while a partial is re-hashed, waiting for another process).
    Progress currentProgress() const override;

    /// The sidecar key of a destination's resume state and lock.
    static QString stateKey(const QString &destination);

Q_SIGNALS:
    void statsChanged();
    /// A new HTTP attempt starts at `fromByte` (0: from scratch).
    void attemptStarted(int attempt, qint64 fromByte);

protected:
    void doStart() override;
    void doCancel() override;

private:
    /// Paused, or waiting in a queue: timers left over from a running attempt do nothing.
    bool isHeld() const { return state() == State::Paused || state() == State::Queued; }
    friend class DownloadQueue;
    void pauseNow();
    void resumeNow();
    void tryLock();
    void beginAttempt();
    void continueRehash();
    void sendRequest(const QUrl &url, int redirects);
    void onMetaData();
    void onReadyRead();
    void drain();
    void onReplyFinished();
    void onTick();
    void retryOrFail(const Error &error);
    void restartFromZero();
    void complete();
    void abortReply();
    void saveState() const;
    void clearState() const;
    void removePartial();
    void finishWithError(const Error &error, bool keepPartial);
    void releaseLock();
    bool openPartial(bool truncate, QString *err);

    DownloadOptions m_opt;
    NetworkConfig m_config;
    QNetworkAccessManager *m_nam = nullptr;
    QPointer<QNetworkReply> m_reply;
    std::unique_ptr<QLockFile> m_lock;
    LockWait *m_lockWait = nullptr; ///< while another process holds the lock

    QFile m_file;
    QString m_partialPath;
    Sha256Worker m_hash{kHashQueue};
    qint64 m_rehashPos = 0;

    // What the server said about the file (resume validators).
    QByteArray m_etag, m_lastModified;
    qint64 m_total = -1;
    qint64 m_done = 0;
    qint64 m_resumedFrom = 0;
    bool m_resumedFromSet = false;
    qint64 m_requestedFrom = 0; ///< Range start of the current request
    qint64 m_bodyEnd = -1;      ///< file offset the current body must end at (-1: unknown)
    int m_overrunRestarts = 0;  ///< restarts because a body ran past m_bodyEnd
    int m_status = 0;
    bool m_headersHandled = false;
    bool m_restartPending = false; ///< a 416 answered a resume: start over when the reply ends

    int m_attempt = 0; ///< attempts in this run of start()/resume()
    int m_totalAttempts = 0;
    QString m_abortReason; ///< "stall", "pause", "cancel", "restart"

    QTimer m_tick;
    QElapsedTimer m_clock;
    qint64 m_lastDataMs = 0;
    bool m_stalled = false;
    double m_speed = 0;
    std::deque<std::pair<qint64, qint64>> m_samples; ///< (ms, done)
    qint64 m_maxBuffered = 0;
    qint64 m_lastStateSaveMs = 0;

    DownloadResult m_result;
    QPointer<DownloadQueue> m_queue; ///< set by DownloadQueue::add
};

} // namespace hubcap
