#include "core/net/checkpointdownload.h"

#include "core/archive/ziparchive.h"
#include "core/archive/zipreader.h"
#include "core/cache/hubdir.h"
#include "core/cache/sidecar.h"
#include "core/net/downloadjob.h"
#include "core/net/downloadqueue.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTimer>
#include <QUuid>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace hubcap {

namespace {

constexpr qint64 kHashSlice = 8 * 1024 * 1024;

bool isHex(const QString &s)
{
    for (const QChar c : s)
        if (!c.isDigit() && !(c >= u'a' && c <= u'f') && !(c >= u'A' && c <= u'F'))
            return false;
    return true;
}

} // namespace

std::optional<QString> hashPrefixFromName(const QString &fileName)
{
    static const QRegularExpression rx(QStringLiteral(R"(-([a-f0-9]*)\.)"));
    const auto m = rx.match(fileName);
    if (!m.hasMatch())
        return std::nullopt;
    return m.captured(1);
}

NameHashCheck hashCheckForName(const QString &fileName)
{
    NameHashCheck check;
    const auto fromName = hashPrefixFromName(fileName);
    if (!fromName) {
        check.unverifiable =
            QObject::tr("%1 has no hash in its name (torch.hub looks for \"-<hex digits>.\"), so "
                        "it cannot be verified.")
                .arg(fileName);
    } else if (fromName->size() < kMinHashPrefix) {
        check.unverifiable =
            QObject::tr("the hash part \"%1\" of %2 is shorter than %3 hex digits, so it is "
                        "probably not a hash and the file cannot be verified (torch.hub would "
                        "compare it anyway).")
                .arg(*fromName, fileName)
                .arg(kMinHashPrefix);
    } else {
        check.prefix = *fromName;
    }
    return check;
}

Result<CheckpointPlacement> placeCheckpoint(const CheckpointRequest &r)
{
    CheckpointPlacement p;
    p.modelDir =
        r.modelDir ? expandUser(*r.modelDir) : joinPath(r.hubDir, QStringLiteral("checkpoints"));
    if (r.fileName) {
        p.fileName = *r.fileName;
        if (p.fileName.isEmpty() || p.fileName.contains(u'/') || p.fileName == u"." ||
            p.fileName == u"..")
            return fail(
                Error::Code::InvalidArgument,
                QObject::tr("--file-name must be a plain file name, got \"%1\".").arg(p.fileName));
    } else {
        // os.path.basename(urlparse(url).path): query and fragment dropped, percent-escapes kept.
        const QString path = r.url.path(QUrl::FullyEncoded);
        p.fileName = path.mid(path.lastIndexOf(u'/') + 1);
        if (p.fileName.isEmpty() || p.fileName == u"." || p.fileName == u"..")
            return fail(Error::Code::InvalidArgument,
                        QObject::tr("The URL %1 has no file name in its path; pass --file-name.")
                            .arg(redactUrl(r.url)));
    }
    p.path = joinPath(p.modelDir, p.fileName);
    return p;
}

CheckpointDownloadJob::CheckpointDownloadJob(CheckpointRequest request, NetworkConfig config,
                                             QObject *parent)
    : Job(parent), m_req(std::move(request)), m_config(std::move(config))
{}

CheckpointDownloadJob::~CheckpointDownloadJob() = default;

Job::Progress CheckpointDownloadJob::currentProgress() const
{
    if (m_download && !m_download->isFinished())
        return m_download->currentProgress();
    return Job::currentProgress();
}

void CheckpointDownloadJob::pause()
{
    if (m_download)
        m_download->pause();
}

void CheckpointDownloadJob::resume()
{
    if (m_download)
        m_download->resume();
}

void CheckpointDownloadJob::doStart()
{
    auto place = placeCheckpoint(m_req);
    if (!place) {
        failWith(place.error());
        return;
    }
    m_place = *place;
    setTitle(m_place.fileName);
    m_result.path = m_place.path;

    if (!m_req.hashPrefix.isEmpty()) {
        if (!isHex(m_req.hashPrefix) || m_req.hashPrefix.size() > 64) {
            failWith(Error::make(Error::Code::InvalidArgument,
                                 tr("--hash-prefix must be hexadecimal SHA-256 digits, got \"%1\".")
                                     .arg(m_req.hashPrefix)));
            return;
        }
        m_expected = m_req.hashPrefix.toLower();
        if (m_expected.size() < kMinHashPrefix)
            m_result.warnings << tr("a hash prefix of %1 digits proves little; use at least %2.")
                                     .arg(m_expected.size())
                                     .arg(kMinHashPrefix);
    } else if (m_req.checkHash) {
        const NameHashCheck check = hashCheckForName(m_place.fileName);
        m_expected = check.prefix;
        m_result.unverifiable = check.unverifiable;
        if (!m_result.unverifiable.isEmpty())
            m_result.warnings << m_result.unverifiable;
    }
    m_result.expectedPrefix = m_expected;

    if (!QDir().mkpath(m_place.modelDir)) {
        failWith(Error::make(Error::Code::Io, tr("Cannot create %1.").arg(m_place.modelDir)));
        return;
    }
    if (QFileInfo(m_place.path).isFile() && !m_req.replace) {
        // torch.hub: an existing file is used with no network and no check.
        m_result.fromCache = true;
        m_result.bytes = QFileInfo(m_place.path).size();
        const auto prev = Sidecar(m_req.hubDir).checkpoint(m_place.fileName);
        if (m_expected.isEmpty() && prev && prev->size == m_result.bytes &&
            !prev->sha256.isEmpty() &&
            QFileInfo(m_place.path).lastModified() <= prev->downloadedAt.addSecs(2)) {
            m_result.sha256 = prev->sha256;
            finishWithFile();
            return;
        }
        m_hashFile.setFileName(m_place.path);
        if (!m_hashFile.open(QIODevice::ReadOnly)) {
            failWith(
                Error::make(Error::Code::Io,
                            tr("Cannot read %1: %2").arg(m_place.path, m_hashFile.errorString())));
            return;
        }
        reportProgress(Phase::Verifying, 0, m_result.bytes, tr("verifying the cached file"));
        hashExisting();
        return;
    }

    DownloadOptions opt;
    opt.url = m_req.url;
    opt.destination = m_place.path;
    opt.hashPrefix = m_expected;
    opt.sendGithubToken = m_req.sendGithubToken;
    opt.hubDir = m_req.hubDir;
    opt.maxAttempts = m_req.maxAttempts;
    opt.retryBaseDelayMs = m_req.retryBaseDelayMs;
    m_download = new DownloadJob(opt, m_config, this);
    connect(m_download, &Job::progress, this,
            [this](qint64 d, qint64 t, const QString &text) { reportProgress(d, t, text); });
    // The row shows the transfer's state (queued, paused, stalled) while it runs.
    connect(m_download, &Job::stateChanged, this, [this](Job::State s) {
        if (s == State::Running || s == State::Stalled || s == State::Queued || s == State::Paused)
            setState(s);
    });
    connect(m_download, &Job::changed, this, &Job::changed);
    connect(m_download, &Job::finished, this, &CheckpointDownloadJob::onDownloadFinished);
    Q_EMIT downloadStarted(m_download, m_place.path);
    if (m_queue)
        m_queue->add(m_download); // waits for a slot (state Queued)
    else
        m_download->start();
}

void CheckpointDownloadJob::hashExisting()
{
    if (isFinished())
        return;
    QByteArray buf(128 * 1024, Qt::Uninitialized);
    qint64 budget = kHashSlice;
    while (budget > 0) {
        const qint64 n = m_hashFile.read(buf.data(), buf.size());
        if (n < 0) {
            failWith(Error::make(Error::Code::Io, tr("Cannot read %1.").arg(m_place.path)));
            return;
        }
        if (n == 0) {
            m_hashFile.close();
            m_result.sha256 = QString::fromLatin1(m_hash.result().toHex());
            if (!m_expected.isEmpty()) {
                if (!m_result.sha256.startsWith(m_expected)) {
                    failWith(Error::make(Error::Code::Integrity,
                                         tr("invalid hash value (expected \"%1\", got \"%2\"): the "
                                            "cached file %3 does "
                                            "not match its name. Delete it and download again.")
                                             .arg(m_expected, m_result.sha256, m_place.path)));
                    return;
                }
                m_result.verified = m_expected.size() >= kMinHashPrefix;
            }
            finishWithFile();
            return;
        }
        m_hash.addData(QByteArrayView(buf.constData(), n));
        budget -= n;
    }
    reportProgress(Phase::Verifying, m_hashFile.pos(), m_result.bytes,
                   tr("verifying the cached file"));
    QTimer::singleShot(0, this, &CheckpointDownloadJob::hashExisting);
}

void CheckpointDownloadJob::onDownloadFinished()
{
    if (!m_download)
        return;
    if (m_download->error()) {
        failWith(*m_download->error());
        return;
    }
    const DownloadResult &d = m_download->result();
    m_result.bytes = d.bytes;
    m_result.sha256 = d.sha256;
    m_result.resumedFrom = d.resumedFrom;
    m_result.attempts = d.attempts;
    m_result.verified = d.verified && m_expected.size() >= kMinHashPrefix;
    finishWithFile();
}

void CheckpointDownloadJob::finishWithFile()
{
    recordProvenance();
    if (auto r = extractLegacyZip(); !r) {
        failWith(r.error());
        return;
    }
    reportProgress(m_result.bytes, m_result.bytes, QStringLiteral(""));
    succeed();
}

void CheckpointDownloadJob::recordProvenance()
{
    // Only the hub's own checkpoints/ is described by the sidecar (keyed by file name).
    const QString defaultDir = joinPath(m_req.hubDir, QStringLiteral("checkpoints"));
    if (QFileInfo(m_place.modelDir).absoluteFilePath() != QFileInfo(defaultDir).absoluteFilePath())
        return;
    const Sidecar sidecar(m_req.hubDir);
    const QString url = redactUrl(m_req.url);
    const auto prev = sidecar.checkpoint(m_place.fileName);
    CheckpointRecord rec;
    rec.name = m_place.fileName;
    rec.url = url;
    rec.sha256 = m_result.sha256;
    rec.size = m_result.bytes;
    rec.repo = m_req.repo;
    rec.entrypoint = m_req.entrypoint;
    rec.downloadedAt = m_result.fromCache ? QDateTime() : QDateTime::currentDateTime();
    if (prev) {
        rec.otherUrls = prev->otherUrls;
        if (m_result.fromCache) {
            // The file on disk came from the earlier record's URL; keep that as the source.
            rec.url = prev->url.isEmpty() ? url : prev->url;
            rec.downloadedAt = prev->downloadedAt;
            if (rec.repo.isEmpty())
                rec.repo = prev->repo;
            if (rec.entrypoint.isEmpty())
                rec.entrypoint = prev->entrypoint;
            if (!prev->url.isEmpty() && prev->url != url) {
                if (!rec.otherUrls.contains(url))
                    rec.otherUrls << url;
                m_result.warnings
                    << tr("%1 already exists and was downloaded from %2, not from %3; "
                          "torch.hub maps both URLs to this one file and loads it for "
                          "both. Use --file-name to keep a separate copy.")
                           .arg(m_place.fileName, prev->url, url);
            }
        } else if (!prev->url.isEmpty() && prev->url != url) {
            if (!rec.otherUrls.contains(prev->url))
                rec.otherUrls << prev->url;
            m_result.warnings
                << tr("%1 was earlier downloaded from %2; torch.hub maps both that URL "
                      "and %3 to the same file name.")
                       .arg(m_place.fileName, prev->url, url);
        }
        rec.otherUrls.removeAll(rec.url);
    }
    if (auto r = sidecar.putCheckpoint(rec); !r)
        m_result.warnings << r.error().message;
}

Result<void> CheckpointDownloadJob::extractLegacyZip()
{
    // torch.hub's _is_legacy_zip_format: a zip whose central directory lists exactly one
    // member, not a directory. Read with the project's one zip reader (archive/zipreader.h).
    const std::filesystem::path zipPath(QFile::encodeName(m_place.path).toStdString());
    if (!archive::isZipFile(zipPath))
        return {};
    std::string err;
    const auto zip = archive::ZipFile::open(zipPath, &err);
    if (!zip)
        return {}; // not readable as a zip: left to torch.load, as before
    if (zip->members().size() != 1 || zip->members().front().isDirectory)
        return {};
    const archive::ZipMember &entry = zip->members().front();
    std::string why;
    const auto rel = archive::safeMemberPath(entry.name, &why);
    if (!rel || rel->empty())
        return fail(Error::Code::Integrity,
                    tr("%1 is a legacy single-file zip whose member name \"%2\" %3; it was not "
                       "extracted.")
                        .arg(m_place.path, QString::fromStdString(entry.name),
                             QString::fromStdString(rel ? "has no file name" : why)));
    const QString target = joinPath(m_place.modelDir, QString::fromStdString(*rel));
    if (!QDir().mkpath(QFileInfo(target).absolutePath()))
        return fail(Error::Code::Io, tr("Cannot create the folder for %1.").arg(target));
    const QString tmp =
        target + u'.' + QUuid::createUuid().toString(QUuid::Id128) + QStringLiteral(".partial");
    QFile out(tmp);
    if (!out.open(QIODevice::WriteOnly | QIODevice::NewOnly))
        return fail(Error::Code::Io, tr("Cannot write %1: %2").arg(tmp, out.errorString()));
    bool writeOk = true;
    const bool ok = zip->read(
        entry,
        [&](const char *data, std::size_t n) {
            writeOk = out.write(data, qint64(n)) == qint64(n);
            return writeOk && !isCancelRequested();
        },
        &err);
    out.close();
    if (!ok || !writeOk) {
        QFile::remove(tmp);
        return fail(Error::Code::Integrity,
                    tr("Cannot extract %1 from the legacy zip %2.")
                        .arg(QString::fromStdString(entry.name), m_place.path),
                    QString::fromStdString(err));
    }
    if (std::rename(QFile::encodeName(tmp).constData(), QFile::encodeName(target).constData()) !=
        0) {
        const QString why = QString::fromLocal8Bit(std::strerror(errno));
        QFile::remove(tmp);
        return fail(Error::Code::Io, tr("Cannot move %1 into place: %2").arg(target, why));
    }
    m_result.extractedPath = target;
    m_result.warnings
        << tr("%1 is in the old (< 1.6) single-file zip format; extracted %2 beside it "
              "as torch.hub does.")
               .arg(m_place.fileName, QString::fromStdString(*rel));
    return {};
}

void CheckpointDownloadJob::doCancel()
{
    if (m_download && !m_download->isFinished()) {
        m_download->cancel(); // its finished() fails this job with Cancelled
        return;
    }
    failWith(Error::make(Error::Code::Cancelled, tr("Cancelled.")));
}

} // namespace hubcap
