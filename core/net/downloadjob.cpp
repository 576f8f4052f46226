#include "core/net/downloadjob.h"

#include "core/cache/sidecar.h"
#include "core/jobs/lockwait.h"
#include "core/net/downloadqueue.h"
#include "core/net/httperror.h"
#include "core/util/diskspace.h"
#include "core/util/format.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonObject>
#include <QLockFile>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QUuid>

#include <cerrno>
#include <cstdio>
#include <cstring>

Q_LOGGING_CATEGORY(lcNet, "hubcap.core.net", QtWarningMsg)

namespace hubcap {

namespace {

const QString kDownloads = QStringLiteral("downloads");
constexpr int kMaxRedirects = 10;
constexpr qint64 kDrainBudget = 8 * 1024 * 1024; // per event-loop turn (file:// replies)

bool sameOrigin(const QUrl &a, const QUrl &b)
{
    return a.scheme() == b.scheme() && a.host().compare(b.host(), Qt::CaseInsensitive) == 0 &&
           a.port() == b.port();
}

bool isHttp(const QUrl &u)
{
    return u.scheme() == u"http" || u.scheme() == u"https";
}

bool isSensitiveHeader(const QByteArray &name)
{
    const QByteArray n = name.toLower();
    return n == "authorization" || n == "cookie" || n == "proxy-authorization";
}

QString urlKey(const QUrl &url)
{
    return QString::fromLatin1(QCryptographicHash::hash(url.toString(QUrl::FullyEncoded).toUtf8(),
                                                        QCryptographicHash::Sha256)
                                   .toHex());
}

} // namespace

DownloadJob::DownloadJob(DownloadOptions options, NetworkConfig config, QObject *parent)
    : Job(parent), m_opt(std::move(options)), m_config(std::move(config))
{
    setTitle(QFileInfo(m_opt.destination).fileName());
    connect(this, &DownloadJob::statsChanged, this, &Job::changed);
    m_tick.setInterval(250);
    connect(&m_tick, &QTimer::timeout, this, &DownloadJob::onTick);
}

DownloadJob::~DownloadJob()
{
    abortReply();
    if (m_file.isOpen())
        m_file.close();
    // A job destroyed mid-way keeps its partial (resumable next time) and its state.
    releaseLock();
}

QString DownloadJob::stateKey(const QString &destination)
{
    return QStringLiteral("download:") + QFileInfo(destination).absoluteFilePath();
}

qint64 DownloadJob::etaSeconds() const
{
    if (m_total < 0 || m_speed <= 1.0 || m_stalled)
        return -1;
    return qint64(double(m_total - m_done) / m_speed);
}

qint64 DownloadJob::stalledForMs() const
{
    return m_stalled ? m_clock.elapsed() - m_lastDataMs : 0;
}

void DownloadJob::doStart()
{
    const QString scheme = m_opt.url.scheme();
    if (!m_opt.url.isValid() || (!isHttp(m_opt.url) && scheme != u"file")) {
        failWith(Error::make(Error::Code::InvalidArgument,
                             tr("Cannot download %1: only http, https and file URLs are supported.")
                                 .arg(redactUrl(m_opt.url))));
        return;
    }
    if (m_opt.destination.isEmpty()) {
        failWith(Error::make(Error::Code::InvalidArgument, tr("No destination file given.")));
        return;
    }
    const QString dir = QFileInfo(m_opt.destination).absolutePath();
    if (!QDir().mkpath(dir)) {
        failWith(Error::make(Error::Code::Io, tr("Cannot create the folder %1.").arg(dir)));
        return;
    }
    m_nam = NetworkConfig::createManager(this);
    m_clock.start();
    if (m_opt.hubDir.isEmpty())
        return tryLock();
    // Two processes never write the same file: wait (a while) for another download of it.
    m_lockWait = new LockWait(Sidecar(m_opt.hubDir).lockPath(stateKey(m_opt.destination)),
                              tr("downloading %1").arg(m_opt.destination), this);
    m_lockWait->setTimeoutMs(m_opt.lockWaitMs);
    m_lockWait->setPollIntervalMs(100);
    connect(m_lockWait, &LockWait::waiting, this,
            [this](const LockHolder &, qint64, const QString &text) {
                reportProgress(m_done, m_total, text);
            });
    connect(m_lockWait, &LockWait::failed, this, [this](const Error &e) {
        m_lockWait->deleteLater();
        m_lockWait = nullptr;
        failWith(e);
    });
    connect(m_lockWait, &LockWait::acquired, this, [this] {
        m_lock = m_lockWait->takeLock();
        m_lockWait->deleteLater();
        m_lockWait = nullptr;
        tryLock();
    });
    m_lockWait->start();
}

void DownloadJob::tryLock()
{
    if (isFinished() || isHeld())
        return;
    if (m_lockWait)
        return; // acquired() continues here
    // Where do we stand: a partial from this job (pause/retry), from an earlier run (sidecar),
    // or nothing?
    m_rehashPos = 0;
    m_hash.reset();
    bool resumable = false;
    if (m_opt.resume && isHttp(m_opt.url)) {
        if (m_partialPath.isEmpty() && !m_opt.hubDir.isEmpty()) {
            const auto st = Sidecar(m_opt.hubDir).readJson(kDownloads, stateKey(m_opt.destination));
            if (st && st->value(u"url_sha256").toString() == urlKey(m_opt.url)) {
                const QString partial = st->value(u"partial").toString();
                // Only a partial in the destination folder, named as we name them.
                if (QFileInfo(partial).absolutePath() ==
                        QFileInfo(m_opt.destination).absolutePath() &&
                    partial.endsWith(QStringLiteral(".partial")) && QFileInfo::exists(partial)) {
                    m_partialPath = partial;
                    m_etag = st->value(u"etag").toString().toLatin1();
                    m_lastModified = st->value(u"last_modified").toString().toLatin1();
                    m_total = st->value(u"total").toInteger(-1);
                } else if (QFileInfo::exists(partial) &&
                           partial.endsWith(QStringLiteral(".partial"))) {
                    QFile::remove(partial);
                }
            } else if (st) {
                // State of a different URL for this destination: its partial is useless.
                const QString partial = st->value(u"partial").toString();
                if (partial.endsWith(QStringLiteral(".partial")))
                    QFile::remove(partial);
            }
        }
        if (!m_partialPath.isEmpty() && QFileInfo::exists(m_partialPath)) {
            const qint64 size = QFileInfo(m_partialPath).size();
            resumable = size > 0 && (m_total < 0 || size <= m_total) &&
                        (!m_etag.isEmpty() || !m_lastModified.isEmpty() || m_total > 0);
        }
    }
    QString err;
    if (!resumable) {
        if (!m_partialPath.isEmpty())
            QFile::remove(m_partialPath);
        // torch 2.x: dst + "." + uuid4().hex + ".partial"
        m_partialPath = m_opt.destination + u'.' + QUuid::createUuid().toString(QUuid::Id128) +
                        QStringLiteral(".partial");
        m_etag.clear();
        m_lastModified.clear();
        m_total = -1;
        if (!openPartial(true, &err)) {
            finishWithError(
                Error::make(Error::Code::Io, tr("Cannot create %1: %2").arg(m_partialPath, err)),
                false);
            return;
        }
        m_done = 0;
        m_tick.start();
        beginAttempt();
        return;
    }
    if (!openPartial(false, &err)) {
        finishWithError(
            Error::make(Error::Code::Io, tr("Cannot open %1: %2").arg(m_partialPath, err)), false);
        return;
    }
    m_done = m_file.size();
    m_file.seek(m_done);
    m_tick.start();
    reportProgress(Phase::Verifying, m_done, m_total, tr("checking the partial download"));
    continueRehash();
}

bool DownloadJob::openPartial(bool truncate, QString *err)
{
    if (m_file.isOpen())
        m_file.close();
    m_file.setFileName(m_partialPath);
    // QFile creates files with 0666 & ~umask, what Python's open() gives torch 2.x.
    // Unbuffered: a failed write (full disk) is seen at once, with its errno, not at close().
    const QIODevice::OpenMode mode =
        (truncate ? (QIODevice::ReadWrite | QIODevice::Truncate) : QIODevice::ReadWrite) |
        QIODevice::Unbuffered;
    if (!m_file.open(mode)) {
        *err = m_file.errorString();
        return false;
    }
    return true;
}

void DownloadJob::continueRehash()
{
    // The hash of the bytes we already have, in slices so the event loop keeps turning.
    if (isFinished() || isHeld())
        return;
    QFile in(m_partialPath);
    if (!in.open(QIODevice::ReadOnly) || !in.seek(m_rehashPos)) {
        finishWithError(Error::make(Error::Code::Io, tr("Cannot read %1.").arg(m_partialPath)),
                        false);
        return;
    }
    qint64 budget = kDrainBudget;
    while (m_rehashPos < m_done && budget > 0) {
        const QByteArray chunk = in.read(qMin<qint64>(kBufferSize, m_done - m_rehashPos));
        const qint64 n = chunk.size();
        if (n <= 0) {
            finishWithError(Error::make(Error::Code::Io, tr("Cannot read %1.").arg(m_partialPath)),
                            false);
            return;
        }
        m_hash.addData(chunk);
        m_rehashPos += n;
        budget -= n;
    }
    if (m_rehashPos < m_done) {
        QTimer::singleShot(0, this, &DownloadJob::continueRehash);
        return;
    }
    beginAttempt();
}

void DownloadJob::beginAttempt()
{
    if (isFinished() || isHeld())
        return;
    if (!isHttp(m_opt.url) && m_done > 0) {
        // file:// has no Range: start over (it is local and fast).
        m_file.resize(0);
        m_file.seek(0);
        m_hash.reset();
        m_done = 0;
    }
    ++m_attempt;
    ++m_totalAttempts;
    m_requestedFrom = m_done;
    m_abortReason.clear();
    if (state() != State::Running)
        setState(State::Running);
    Q_EMIT attemptStarted(m_totalAttempts, m_requestedFrom);
    reportProgress(Phase::Connecting, m_done, m_total, QString());
    sendRequest(m_opt.url, 0);
}

void DownloadJob::sendRequest(const QUrl &url, int redirects)
{
    QNetworkRequest req = m_config.request(url, m_opt.sendGithubToken, m_opt.userAgent);
    req.setTransferTimeout(0); // our own stall detection (onTick) decides, with a retry
    req.setAttribute(QNetworkRequest::User, redirects);
    // Identity encoding: byte offsets and Content-Length must be those of the file itself.
    req.setRawHeader("Accept-Encoding", "identity");
    const bool origin = sameOrigin(url, m_opt.url);
    for (const auto &[name, value] : m_opt.headers) {
        if (origin || !isSensitiveHeader(name))
            req.setRawHeader(name, value);
    }
    if (isHttp(url) && m_requestedFrom > 0) {
        req.setRawHeader("Range", "bytes=" + QByteArray::number(m_requestedFrom) + '-');
        if (!m_etag.isEmpty() && !m_etag.startsWith("W/"))
            req.setRawHeader("If-Range", m_etag);
        else if (!m_lastModified.isEmpty())
            req.setRawHeader("If-Range", m_lastModified);
    }
    m_status = 0;
    m_headersHandled = false;
    m_restartPending = false;
    m_bodyEnd = -1;
    m_lastDataMs = m_clock.elapsed();
    QNetworkReply *reply = m_nam->get(req);
    m_reply = reply;
    reply->setReadBufferSize(kReadBufferSize); // bounded: Qt throttles the socket instead
    connect(reply, &QNetworkReply::metaDataChanged, this, &DownloadJob::onMetaData);
    connect(reply, &QNetworkReply::readyRead, this, &DownloadJob::onReadyRead);
    connect(reply, &QNetworkReply::finished, this, &DownloadJob::onReplyFinished);
    if (isHttp(url))
        m_config.armConnectTimeout(reply);
}

void DownloadJob::abortReply()
{
    if (!m_reply)
        return;
    QNetworkReply *r = m_reply;
    m_reply = nullptr;
    disconnect(r, nullptr, this, nullptr);
    r->abort();
    r->deleteLater();
}

void DownloadJob::onMetaData()
{
    QNetworkReply *r = m_reply;
    if (!r || m_headersHandled)
        return;
    m_status = r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (m_status >= 300 && m_status < 400 && m_status != 300 && m_status != 304 &&
        r->hasRawHeader("Location"))
        return; // a redirect: followed in onReplyFinished
    m_headersHandled = true;
    if (m_status == 416 && m_requestedFrom > 0) {
        // Restarted from zero once the (empty) reply ends: aborting a reply Qt already marked
        // as failed makes it complain.
        m_restartPending = true;
        return;
    }
    if (m_status >= 300)
        return; // an error: reported in onReplyFinished
    const QByteArray etag = r->rawHeader("ETag");
    const QByteArray lastModified = r->rawHeader("Last-Modified");
    if (m_status == 206) {
        static const QRegularExpression rx(QStringLiteral(R"(^bytes\s+(\d+)-(\d+)/(\d+|\*)$)"));
        const auto m = rx.match(QString::fromLatin1(r->rawHeader("Content-Range")).trimmed());
        const qint64 start = m.hasMatch() ? m.captured(1).toLongLong() : -1;
        const qint64 total =
            m.hasMatch() && m.captured(3) != u"*" ? m.captured(3).toLongLong() : -1;
        const bool changed = (!m_etag.isEmpty() && !etag.isEmpty() && etag != m_etag) ||
                             (m_total >= 0 && total >= 0 && total != m_total);
        const qint64 end = m.hasMatch() ? m.captured(2).toLongLong() : -1;
        const QVariant len = r->header(QNetworkRequest::ContentLengthHeader);
        // The body must be exactly the announced range, and the range inside the total: a
        // server that sends more (the whole file on a 206) would make the partial grow past the
        // file's size with bytes at the wrong offsets.
        const bool badRange = end < start || (total >= 0 && end >= total) ||
                              (len.isValid() && len.toLongLong() != end - start + 1);
        if (start != m_requestedFrom || changed || badRange) {
            qCInfo(lcNet) << "unusable 206 (start" << start << "end" << end << "changed" << changed
                          << "length" << len << "); restarting";
            restartFromZero();
            return;
        }
        m_bodyEnd = end + 1;
        if (!m_resumedFromSet) {
            m_resumedFrom = m_requestedFrom;
            m_resumedFromSet = true;
        }
        m_total = total;
    } else {
        // 200 (or a file:// reply): the whole body follows. If we asked for a range, the server
        // ignored it or the file changed (If-Range): start the partial over, cleanly.
        if (m_requestedFrom > 0 || m_done > 0) {
            m_file.resize(0);
            m_file.seek(0);
            m_hash.reset();
            m_done = 0;
            m_requestedFrom = 0;
            m_resumedFrom = 0;
            m_resumedFromSet = false;
        }
        const QVariant len = r->header(QNetworkRequest::ContentLengthHeader);
        m_total = len.isValid() ? len.toLongLong() : -1;
        m_bodyEnd = m_total;
    }
    m_etag = etag;
    m_lastModified = lastModified;
    // Check the room for what is still to come before writing any of it (a full disk must not
    // show up as a broken download later).
    if (m_bodyEnd > m_done) {
        const qint64 needed = m_bodyEnd - m_done;
        const qint64 free = availableBytes(m_partialPath);
        if (free >= 0 && needed > free) {
            finishWithError(
                noSpaceError(m_opt.destination, QFileInfo(m_opt.destination).fileName(), needed,
                             free,
                             tr("Free some space (for example with Clean Leftovers or 'hubcap-cli "
                                "cache clear'), then download it again.")),
                m_resumedFrom > 0);
            return;
        }
    }
    saveState();
    Q_EMIT statsChanged();
}

void DownloadJob::restartFromZero()
{
    abortReply();
    m_file.resize(0);
    m_file.seek(0);
    m_hash.reset();
    m_done = 0;
    m_total = -1;
    m_etag.clear();
    m_lastModified.clear();
    m_resumedFrom = 0;
    m_resumedFromSet = false;
    saveState();
    // Not an error: a fresh request right away (it still counts as an attempt).
    QTimer::singleShot(0, this, &DownloadJob::beginAttempt);
}

void DownloadJob::onReadyRead()
{
    drain();
}

void DownloadJob::drain()
{
    QNetworkReply *r = m_reply;
    if (!r)
        return;
    if (!m_headersHandled)
        onMetaData(); // file:// replies may deliver data without a separate metaDataChanged
    if (m_reply != r)
        return; // onMetaData restarted the download
    if (!m_headersHandled || m_status >= 300) {
        r->skip(r->bytesAvailable()); // redirect or error bodies are not the file
        return;
    }
    qint64 budget = kDrainBudget;
    while (r->bytesAvailable() > 0 && budget > 0) {
        m_maxBuffered = qMax(m_maxBuffered, r->bytesAvailable());
        // A fresh slice each time: the hash thread holds it (shared, not copied) until hashed.
        const QByteArray chunk = r->read(kBufferSize);
        const qint64 n = chunk.size();
        if (n <= 0)
            break;
        if (m_bodyEnd >= 0 && m_done + n > m_bodyEnd) {
            // More than announced: nothing of it is trusted. Never write past the range or
            // the total; start over cleanly (a bounded number of times).
            if (++m_overrunRestarts > 2) {
                finishWithError(
                    Error::make(Error::Code::Integrity,
                                tr("The server sent more data for %1 than it announced (over "
                                   "%2 bytes); the download was stopped and nothing was kept.")
                                    .arg(redactUrl(m_opt.url))
                                    .arg(m_bodyEnd)),
                    false);
                return;
            }
            qCInfo(lcNet) << "body runs past" << m_bodyEnd << "; restarting from zero";
            restartFromZero();
            return;
        }
        if (m_file.write(chunk) != n) {
            const int err = errno;
            const qint64 free = availableBytes(m_partialPath);
            // A full device is named as such, with what it still needed; a partial this run
            // started is removed (the cache is left as it was), an older one kept to resume.
            if (isNoSpaceErrno(err) || (free >= 0 && free < n))
                finishWithError(noSpaceError(m_partialPath, QFileInfo(m_opt.destination).fileName(),
                                             m_bodyEnd > m_done ? m_bodyEnd - m_done : n, free,
                                             tr("Free some space, then download it again.")),
                                m_resumedFrom > 0);
            else
                finishWithError(
                    Error::make(Error::Code::Io,
                                tr("Cannot write %1: %2. Run the download again; it resumes "
                                   "where it stopped.")
                                    .arg(m_partialPath, m_file.errorString())),
                    true);
            return;
        }
        m_hash.addData(chunk);
        m_done += n;
        budget -= n;
    }
    m_lastDataMs = m_clock.elapsed();
    if (m_stalled) {
        m_stalled = false;
        setState(State::Running);
        reportProgress(m_done, m_total, QStringLiteral(""));
    }
    if (r->bytesAvailable() > 0)
        QTimer::singleShot(0, this, &DownloadJob::drain);
}

void DownloadJob::onReplyFinished()
{
    QNetworkReply *r = m_reply;
    if (!r || r != sender())
        return;
    // Whatever is still buffered belongs to the body.
    while (r->bytesAvailable() > 0 && m_reply == r) {
        const qint64 before = r->bytesAvailable();
        drain();
        if (m_reply == r && r->bytesAvailable() >= before)
            break;
    }
    if (m_reply != r)
        return; // drain failed the job
    m_reply = nullptr;
    r->deleteLater();
    if (m_restartPending) {
        qCInfo(lcNet) << "416 for a resumed download; restarting from zero";
        m_restartPending = false;
        restartFromZero();
        return;
    }

    const int status = r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status >= 300 && status < 400 && status != 300 && status != 304 &&
        r->hasRawHeader("Location")) {
        const int redirects = r->request().attribute(QNetworkRequest::User).toInt();
        const QUrl target = r->url().resolved(QUrl::fromEncoded(r->rawHeader("Location")));
        if (redirects >= kMaxRedirects || !isHttp(target)) {
            finishWithError(
                Error::make(Error::Code::Http,
                            tr("Download of %1 failed: too many or unsupported redirects.")
                                .arg(redactUrl(m_opt.url)),
                            redactUrl(target)),
                true);
            return;
        }
        sendRequest(target, redirects + 1);
        return;
    }
    if (status >= 300) {
        Error e = *replyError(r, tr("download"));
        if (isTransientStatus(status))
            retryOrFail(e);
        else
            finishWithError(e, !(status == 404 || status == 410));
        return;
    }
    if (r->error() != QNetworkReply::NoError) {
        const QString timeout = r->property("hubcap_timeout").toString();
        Error e = *replyError(r, tr("download"));
        if (timeout == u"connect" || isTransientNetworkError(r->error()))
            retryOrFail(e);
        else
            finishWithError(e, true);
        return;
    }
    if (m_total >= 0 && m_done != m_total) {
        retryOrFail(
            Error::make(Error::Code::Network, tr("Download of %1 ended early (%2 of %3 bytes).")
                                                  .arg(redactUrl(m_opt.url))
                                                  .arg(m_done)
                                                  .arg(m_total)));
        return;
    }
    m_result.finalUrl = r->url();
    complete();
}

void DownloadJob::onTick()
{
    const qint64 now = m_clock.elapsed();
    m_samples.emplace_back(now, m_done);
    while (m_samples.size() > 2 && m_samples.front().first < now - 3000)
        m_samples.pop_front();
    const auto &[t0, d0] = m_samples.front();
    m_speed = now > t0 ? double(m_done - d0) * 1000.0 / double(now - t0) : 0.0;

    if (m_reply && m_headersHandled) {
        const qint64 quiet = now - m_lastDataMs;
        const qint64 notice = m_opt.stallNoticeMs >= 0
                                  ? m_opt.stallNoticeMs
                                  : qMin<qint64>(3000, m_config.stallTimeoutMs() / 2);
        if (quiet >= m_config.stallTimeoutMs()) {
            const QUrl url = m_reply->url();
            abortReply();
            m_stalled = false;
            retryOrFail(networkError(QNetworkReply::TimeoutError, url, {}, QStringLiteral("stall"),
                                     tr("download")));
            return;
        }
        if (quiet >= notice) {
            if (!m_stalled) {
                m_stalled = true;
                setState(State::Stalled);
            }
            m_speed = 0;
            reportProgress(m_done, m_total, tr("no data for %1 s").arg(quiet / 1000));
        } else {
            reportProgress(m_done, m_total, QStringLiteral(""));
        }
    }
    if (now - m_lastStateSaveMs > 1000 && m_reply && m_headersHandled) {
        saveState();
        m_lastStateSaveMs = now;
    }
    Q_EMIT statsChanged();
}

void DownloadJob::retryOrFail(const Error &error)
{
    saveState();
    if (m_attempt >= m_opt.maxAttempts) {
        Error e = error;
        if (m_totalAttempts > 1)
            e.message +=
                tr(" (gave up after %1 attempts; run it again to resume)").arg(m_totalAttempts);
        finishWithError(e, true);
        return;
    }
    const int delay =
        int(qMin<qint64>(30000, qint64(m_opt.retryBaseDelayMs) << qMin(m_attempt - 1, 10)));
    qCInfo(lcNet) << "attempt" << m_totalAttempts << "failed:" << error.message << "retrying in"
                  << delay << "ms";
    reportProgress(m_done, m_total,
                   tr("attempt %1 failed (%2); retrying in %3")
                       .arg(m_totalAttempts)
                       .arg(error.message, humanDuration(qMax(1, delay / 1000))));
    QTimer::singleShot(delay, this, [this, attemptAtFailure = m_totalAttempts] {
        // Paused, resumed or finished meanwhile: that path decides.
        if (m_totalAttempts == attemptAtFailure && !m_reply)
            beginAttempt();
    });
}

void DownloadJob::complete()
{
    m_tick.stop();
    m_file.flush();
    m_file.close();
    const QString digest = QString::fromLatin1(m_hash.result().toHex());
    m_hash.stop();
    const QString expected = m_opt.hashPrefix.toLower();
    if (!expected.isEmpty() && !digest.startsWith(expected)) {
        removePartial();
        clearState();
        releaseLock();
        failWith(
            Error::make(Error::Code::Integrity,
                        tr("invalid hash value (expected \"%1\", got \"%2\"): the download of %3 "
                           "does not match the hash its name promises, so it was not saved.")
                            .arg(expected, digest, redactUrl(m_opt.url)),
                        tr("expected SHA-256 prefix %1\nactual SHA-256 %2").arg(expected, digest)));
        return;
    }
    // Atomic replace, like shutil.move on one file system (QFile::rename would refuse an
    // existing destination).
    if (std::rename(QFile::encodeName(m_partialPath).constData(),
                    QFile::encodeName(m_opt.destination).constData()) != 0) {
        const QString why = QString::fromLocal8Bit(std::strerror(errno));
        finishWithError(
            Error::make(
                Error::Code::Io,
                tr("Cannot move the download into place at %1: %2").arg(m_opt.destination, why)),
            false);
        return;
    }
    clearState();
    releaseLock();
    m_result.path = m_opt.destination;
    m_result.bytes = m_done;
    m_result.sha256 = digest;
    m_result.resumedFrom = m_resumedFrom;
    m_result.attempts = m_totalAttempts;
    m_result.verified = !expected.isEmpty();
    m_stalled = false;
    reportProgress(m_done, m_done, QStringLiteral(""));
    Q_EMIT statsChanged();
    succeed();
}

void DownloadJob::saveState() const
{
    if (m_opt.hubDir.isEmpty() || !m_opt.resume || !isHttp(m_opt.url) || m_partialPath.isEmpty())
        return;
    Sidecar(m_opt.hubDir)
        .writeJson(
            kDownloads, stateKey(m_opt.destination),
            QJsonObject{
                // The URL may carry credentials (user:password@, ?token=): only its redacted form
                // and a hash of the whole are stored.
                {QStringLiteral("url"), redactUrl(m_opt.url)},
                {QStringLiteral("url_sha256"), urlKey(m_opt.url)},
                {QStringLiteral("destination"), QFileInfo(m_opt.destination).absoluteFilePath()},
                {QStringLiteral("partial"), QFileInfo(m_partialPath).absoluteFilePath()},
                {QStringLiteral("etag"), QString::fromLatin1(m_etag)},
                {QStringLiteral("last_modified"), QString::fromLatin1(m_lastModified)},
                {QStringLiteral("total"), m_total},
                {QStringLiteral("bytes_done"), m_done},
                {QStringLiteral("updated_at"), isoTime(QDateTime::currentDateTime())}});
}

void DownloadJob::clearState() const
{
    if (!m_opt.hubDir.isEmpty())
        Sidecar(m_opt.hubDir).removeJson(kDownloads, stateKey(m_opt.destination));
}

void DownloadJob::removePartial()
{
    if (m_file.isOpen())
        m_file.close();
    if (!m_partialPath.isEmpty())
        QFile::remove(m_partialPath);
}

void DownloadJob::releaseLock()
{
    if (m_lockWait) {
        m_lockWait->cancel();
        m_lockWait->deleteLater();
        m_lockWait = nullptr;
    }
    if (m_lock && m_lock->isLocked())
        m_lock->unlock();
    m_lock.reset();
}

void DownloadJob::finishWithError(const Error &error, bool keepPartial)
{
    abortReply();
    m_hash.stop();
    m_tick.stop();
    m_stalled = false;
    if (keepPartial && m_done > 0) {
        m_file.flush();
        m_file.close();
        saveState();
    } else {
        removePartial();
        clearState();
    }
    releaseLock();
    Q_EMIT statsChanged();
    failWith(error);
}

void DownloadJob::doCancel()
{
    m_abortReason = QStringLiteral("cancel");
    finishWithError(Error::make(Error::Code::Cancelled, tr("Download cancelled.")),
                    m_opt.keepPartialOnCancel);
}

DownloadJob::Progress DownloadJob::currentProgress() const
{
    Progress p = Job::currentProgress();
    p.done = m_done;
    p.total = m_total;
    p.bytesPerSecond = m_speed;
    p.etaSeconds = etaSeconds();
    p.stalledForMs = m_stalled ? stalledForMs() : 0;
    if (p.phase == Phase::Connecting && (m_done > m_requestedFrom || m_headersHandled))
        p.phase = Phase::Downloading; // the answer came: bytes flow
    return p;
}

void DownloadJob::pause()
{
    if (m_queue)
        return m_queue->pause(this); // frees the slot for the next queued download
    pauseNow();
}

void DownloadJob::resume()
{
    if (m_queue)
        return m_queue->resume(this); // back in line: Queued until a slot is free
    resumeNow();
}

void DownloadJob::pauseNow()
{
    if (state() == State::Queued) {
        // Waiting in a queue: nothing to abort; it stays out of the queue until resumed.
        setState(State::Paused);
        reportProgress(m_done, m_total, tr("paused"));
        Q_EMIT statsChanged();
        return;
    }
    if (state() != State::Running && state() != State::Stalled)
        return;
    abortReply();
    m_hash.stop(); // resume() re-hashes the partial anyway
    m_tick.stop();
    m_stalled = false;
    m_abortReason = QStringLiteral("pause");
    m_file.flush();
    m_file.close();
    saveState();
    setState(State::Paused);
    reportProgress(m_done, m_total, tr("paused"));
    Q_EMIT statsChanged();
}

void DownloadJob::resumeNow()
{
    if (isFinished() || state() == State::Running || state() == State::Stalled)
        return;
    if (!m_nam) {
        // Paused (or queued) before it ever ran: this is its first start.
        setState(State::Queued);
        start();
        return;
    }
    m_attempt = 0;
    setState(State::Running);
    tryLock(); // still ours; re-evaluates the partial and re-hashes it
}

} // namespace hubcap
