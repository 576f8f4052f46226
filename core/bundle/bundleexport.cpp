#include "core/bundle/bundleexport.h"

#include "core/archive/tararchive.h"
#include "core/cache/sidecar.h"
#include "core/hosts/pyhost/client/pyhostclient.h"
#include "core/util/format.h"
#include "core/util/sha256.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QMetaObject>

#include <algorithm>

namespace hubcap::bundle {

std::optional<WeightsMode> parseWeightsMode(const QString &text)
{
    if (text == u"all")
        return WeightsMode::All;
    if (text == u"used")
        return WeightsMode::Used;
    if (text == u"none")
        return WeightsMode::None;
    return std::nullopt;
}

QString weightsModeName(WeightsMode mode)
{
    switch (mode) {
    case WeightsMode::All:
        return QStringLiteral("all");
    case WeightsMode::Used:
        return QStringLiteral("used");
    case WeightsMode::None:
        return QStringLiteral("none");
    }
    return {};
}

QStringList usedCheckpointsFromSidecar(const QString &hubDir, const ExportRepo &repo)
{
    QStringList out;
    const Sidecar sidecar(hubDir);
    const QDir dir(hubDir + QStringLiteral("/checkpoints"));
    const auto names = dir.entryList(QDir::Files | QDir::Hidden, QDir::Name);
    for (const QString &name : names) {
        const auto rec = sidecar.checkpoint(name);
        if (!rec || rec->repo.isEmpty())
            continue;
        // "owner/repo:ref" as the downloader records it, or the folder name.
        bool match = rec->repo == repo.folder;
        if (!match) {
            const auto spec = RepoSpec::parse(rec->repo);
            match = spec && spec->hasRef && spec->folderName() == repo.folder;
        }
        if (match)
            out << name;
    }
    return out;
}

Result<ExportRepo> resolveExportRepo(const QString &hubDir, const QString &text)
{
    const QDir hub(hubDir);
    // A folder name of the hub dir, as the cache page shows it.
    if (!text.contains(u'/') && isSafeFolderName(text) && QFileInfo(hub.filePath(text)).isDir()) {
        const Sidecar sidecar(hubDir);
        if (const auto rec = sidecar.repo(text))
            return ExportRepo{RepoSpec{rec->owner, rec->repo, rec->ref, true}, text};
        return fail(Error::Code::InvalidArgument,
                    QStringLiteral("Hubcap does not know which repository the folder %1 holds "
                                   "(it was not fetched by Hubcap). Name it as OWNER/REPO:REF.")
                        .arg(text));
    }
    auto spec = RepoSpec::parse(text);
    if (!spec)
        return std::unexpected(spec.error());
    if (!spec->hasRef || spec->ref.isEmpty()) {
        QStringList candidates;
        const Sidecar sidecar(hubDir);
        const QString prefix = spec->owner + u'_' + spec->repo + u'_';
        for (const QString &f : hub.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
            if (!f.startsWith(prefix))
                continue;
            const auto rec = sidecar.repo(f);
            if (rec && rec->owner == spec->owner && rec->repo == spec->repo)
                candidates << rec->ref;
        }
        if (candidates.isEmpty())
            for (const QString &ref : {QStringLiteral("main"), QStringLiteral("master")})
                if (QFileInfo(hub.filePath(prefix + ref)).isDir())
                    candidates << ref;
        if (candidates.isEmpty())
            return fail(Error::Code::NotFound,
                        QStringLiteral("%1 is not in the hub cache (%2). Fetch it first: "
                                       "hubcap-cli fetch %1:REF")
                            .arg(spec->toString(), hubDir));
        if (candidates.size() > 1)
            return fail(Error::Code::InvalidArgument,
                        QStringLiteral("%1 is cached at several refs (%2); name one, like %1:%3")
                            .arg(spec->toString(), candidates.join(QStringLiteral(", ")),
                                 candidates.first()));
        spec = spec->withRef(candidates.first());
    }
    const QString folder = spec->folderName();
    if (!QFileInfo(hub.filePath(folder)).isDir())
        return fail(Error::Code::NotFound,
                    QStringLiteral("%1 is not in the hub cache (no folder %2 in %3). Fetch it "
                                   "first: hubcap-cli fetch %1")
                        .arg(spec->toString(), folder, hubDir));
    return ExportRepo{*spec, folder};
}

namespace {

struct PlannedFile
{
    QString archivePath;
    QString source;
    qint64 size = 0;
    unsigned permissions = 0644;
    qint64 mtime = 0;
};

using Progress = std::function<void(qint64 done, qint64 total, const QString &text)>;

Error ioError(const QString &message)
{
    return Error::make(Error::Code::Io, message);
}

/// Plans and writes (or counts) the bundle. Runs on the worker thread.
Result<ExportResult> writeBundle(const ExportRequest &req, const QList<ExportRepo> &repos,
                                 const QList<QJsonArray> &listings,
                                 const QStringList &listingErrors, const Progress &progress,
                                 const std::atomic<bool> &cancel)
{
    ExportResult res;
    Manifest &m = res.manifest;
    m.hubcapVersion = QStringLiteral(HUBCAP_VERSION);
    m.createdAt = QDateTime::currentDateTimeUtc();
    m.weights = weightsModeName(req.weights);
    const Sidecar sidecar(req.hubDir);
    const QDir hub(req.hubDir);
    QList<PlannedFile> plan;

    auto addPlanned = [&](const QString &archivePath, const QFileInfo &fi) {
        PlannedFile p;
        p.archivePath = archivePath;
        p.source = fi.absoluteFilePath();
        p.size = fi.size();
        p.permissions = (fi.permissions() & (QFile::ExeOwner | QFile::ExeUser)) ? 0755 : 0644;
        p.mtime = fi.lastModified().toSecsSinceEpoch();
        plan << p;
    };

    for (qsizetype i = 0; i < repos.size(); ++i) {
        const ExportRepo &r = repos[i];
        ManifestRepo mr;
        mr.folder = r.folder;
        mr.owner = r.spec.owner;
        mr.repo = r.spec.repo;
        mr.ref = r.spec.ref;
        if (const auto rec = sidecar.repo(r.folder)) {
            mr.commit = rec->commit;
            mr.sourceUrl = rec->sourceUrl;
            mr.fetchedAt = rec->fetchedAt;
        }
        mr.entrypoints = listings.value(i);
        mr.entrypointsError = listingErrors.value(i);
        const QString root = hub.filePath(r.folder);
        QStringList rel;
        QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            const QFileInfo fi = it.fileInfo();
            const QString relPath = QDir(root).relativeFilePath(path);
            if (fi.isSymLink() || !fi.isFile()) {
                res.warnings << QStringLiteral("skipped %1/%2 (symbolic link or special file; "
                                               "torch.hub never creates one)")
                                    .arg(r.folder, relPath);
                continue;
            }
            rel << relPath;
            if (rel.size() > Manifest::kMaxFiles)
                return fail(Error::Code::InvalidArgument,
                            QStringLiteral("%1 has more than %2 files; a bundle holds at most "
                                           "that many.")
                                .arg(r.folder)
                                .arg(Manifest::kMaxFiles));
            if (cancel)
                return fail(Error::Code::Cancelled, QStringLiteral("Export cancelled."));
        }
        std::sort(rel.begin(), rel.end());
        for (const QString &p : std::as_const(rel)) {
            const QString archivePath = r.folder + u'/' + p;
            if (const QString why = unsafePathReason(archivePath); !why.isEmpty()) {
                res.warnings << QStringLiteral("skipped %1 (%2)").arg(archivePath, why);
                continue;
            }
            addPlanned(archivePath, QFileInfo(root + u'/' + p));
            mr.files += 1;
            mr.bytes += plan.last().size;
        }
        m.repos << mr;
    }

    // Checkpoints: which, and why.
    const QDir ckDir(req.hubDir + QStringLiteral("/checkpoints"));
    QMap<QString, QString> chosen; // name → reason
    if (req.weights == WeightsMode::All) {
        for (const QString &name : ckDir.entryList(QDir::Files | QDir::Hidden, QDir::Name))
            if (!name.endsWith(QStringLiteral(".partial")))
                chosen.insert(name, QStringLiteral("all"));
    } else if (req.weights == WeightsMode::Used) {
        for (const ExportRepo &r : repos)
            for (const QString &name : req.usedSource(req.hubDir, r))
                chosen.insert(name, QStringLiteral("used"));
    }
    for (const QString &name : req.includeCheckpoints) {
        if (!QFileInfo(ckDir.filePath(name)).isFile() || name.contains(u'/'))
            return fail(Error::Code::NotFound,
                        QStringLiteral("There is no checkpoint %1 in %2 (--include-checkpoint "
                                       "takes a file name from there).")
                            .arg(name, ckDir.path()));
        if (!chosen.contains(name))
            chosen.insert(name, QStringLiteral("included"));
    }
    for (auto it = chosen.cbegin(); it != chosen.cend(); ++it) {
        const QFileInfo fi(ckDir.filePath(it.key()));
        if (!fi.isFile() || fi.isSymLink()) {
            res.warnings << QStringLiteral("checkpoint %1 is recorded but not in %2; skipped")
                                .arg(it.key(), ckDir.path());
            continue;
        }
        const QString archivePath = QStringLiteral("checkpoints/") + it.key();
        if (const QString why = unsafePathReason(archivePath); !why.isEmpty()) {
            res.warnings << QStringLiteral("skipped %1 (%2)").arg(archivePath, why);
            continue;
        }
        ManifestCheckpoint c;
        c.name = it.key();
        c.size = fi.size();
        c.reason = it.value();
        if (const auto rec = sidecar.checkpoint(c.name)) {
            c.url = rec->url;
            c.repo = rec->repo;
            c.entrypoint = rec->entrypoint;
            c.downloadedAt = rec->downloadedAt;
        } else {
            res.warnings << QStringLiteral("checkpoint %1 has no download record: the bundle "
                                           "cannot say where it came from")
                                .arg(c.name);
        }
        m.checkpoints << c;
        addPlanned(archivePath, fi);
    }

    qint64 total = 0;
    for (const auto &p : std::as_const(plan)) {
        // The 11-digit octal size field of a tar header (KTar writes no extension for more).
        if (p.size > 077777777777LL)
            return fail(Error::Code::InvalidArgument,
                        QStringLiteral("%1 is %2, larger than the 8 GiB a tar member can hold; "
                                       "leave it out (--weights none) and copy it separately.")
                            .arg(p.archivePath, humanSize(p.size)));
        total += p.size;
    }

    // Write (or count) the tar. Hash placeholders have the real length, so a dry run's
    // manifest is byte-for-byte as long as the real one.
    const QString zeros(64, u'0');
    std::string err;
    std::unique_ptr<archive::TarWriter> tar;
    QString partial;
    if (req.dryRun) {
        tar = archive::TarWriter::createCounting();
    } else {
        partial =
            req.output + QStringLiteral(".%1.partial").arg(QCoreApplication::applicationPid());
        tar = archive::TarWriter::create(QFile::encodeName(partial).toStdString(), &err);
        if (!tar)
            return std::unexpected(ioError(
                QStringLiteral("Cannot write the bundle: %1").arg(QString::fromStdString(err))));
    }
    auto cleanup = [&] {
        tar.reset();
        if (!partial.isEmpty())
            QFile::remove(partial);
    };

    qint64 done = 0;
    Sha256 hash;
    for (const PlannedFile &p : std::as_const(plan)) {
        ManifestFile mf{p.archivePath, p.size, zeros};
        if (req.dryRun) {
            if (!tar->addFile(p.archivePath.toStdString(), static_cast<std::uint64_t>(p.size),
                              p.permissions, p.mtime, {}, &err))
                return std::unexpected(
                    ioError(QStringLiteral("Cannot put %1 in a bundle: %2")
                                .arg(p.archivePath, QString::fromStdString(err))));
        } else {
            QFile in(p.source);
            if (!in.open(QIODevice::ReadOnly)) {
                cleanup();
                return std::unexpected(
                    ioError(QStringLiteral("Cannot read %1: %2").arg(p.source, in.errorString())));
            }
            hash.reset();
            QString readError;
            const bool ok = tar->addFile(
                p.archivePath.toStdString(), static_cast<std::uint64_t>(p.size), p.permissions,
                p.mtime,
                [&](char *buf, std::size_t cap) -> std::int64_t {
                    if (cancel)
                        return -1;
                    const qint64 n = in.read(buf, static_cast<qint64>(cap));
                    if (n > 0) {
                        hash.addData(QByteArrayView(buf, n));
                        done += n;
                        progress(done, total, p.archivePath);
                    }
                    return n;
                },
                &err);
            if (!ok) {
                cleanup();
                if (cancel)
                    return fail(Error::Code::Cancelled, QStringLiteral("Export cancelled."));
                return std::unexpected(ioError(QStringLiteral("Cannot write the bundle: %1")
                                                   .arg(QString::fromStdString(err))));
            }
            mf.sha256 = QString::fromLatin1(hash.result().toHex());
        }
        m.files << mf;
    }
    for (auto &c : m.checkpoints)
        for (const auto &f : std::as_const(m.files))
            if (f.path == QStringLiteral("checkpoints/") + c.name)
                c.sha256 = f.sha256;

    const QByteArray manifest = m.serialize();
    if (!tar->addData(Manifest::archiveName().toStdString(), manifest.toStdString(), 0644,
                      m.createdAt.toSecsSinceEpoch(), &err) ||
        !tar->finish(&err)) {
        cleanup();
        return std::unexpected(ioError(
            QStringLiteral("Cannot write the bundle: %1").arg(QString::fromStdString(err))));
    }
    res.archiveBytes = static_cast<qint64>(tar->bytesWritten());
    tar.reset();
    if (!req.dryRun) {
        QFile::remove(req.output);
        if (!QFile::rename(partial, req.output)) {
            QFile::remove(partial);
            return std::unexpected(
                ioError(QStringLiteral("Cannot move the bundle to %1.").arg(req.output)));
        }
        res.output = req.output;
    }
    return res;
}

} // namespace

BundleExportJob::BundleExportJob(ExportRequest request, QObject *parent)
    : Job(parent), m_req(std::move(request)), m_cancel(std::make_shared<std::atomic<bool>>(false))
{
    setTitle(m_req.dryRun ? tr("Measure bundle") : tr("Export bundle"));
}

BundleExportJob::~BundleExportJob()
{
    *m_cancel = true;
    if (m_thread.joinable())
        m_thread.join();
}

void BundleExportJob::doStart()
{
    if (m_req.repos.isEmpty())
        return failWith(Error::make(Error::Code::InvalidArgument,
                                    tr("Name at least one repository to export.")));
    for (const QString &text : std::as_const(m_req.repos)) {
        auto r = resolveExportRepo(m_req.hubDir, text);
        if (!r)
            return failWith(r.error());
        if (std::none_of(m_repos.cbegin(), m_repos.cend(),
                         [&](const ExportRepo &e) { return e.folder == r->folder; }))
            m_repos << *r;
    }
    if (!m_req.usedSource)
        m_req.usedSource = usedCheckpointsFromSidecar;
    reportProgress(0, -1, tr("Listing entrypoints"));
    listNext();
}

void BundleExportJob::listNext()
{
    if (isCancelRequested())
        return failWith(Error::make(Error::Code::Cancelled, tr("Export cancelled.")));
    if (m_listIndex >= m_repos.size())
        return startWriting();
    const QString dir = QDir(m_req.hubDir).filePath(m_repos[m_listIndex].folder);
    ++m_listIndex;
    if (m_req.lister) {
        auto r = m_req.lister(dir);
        m_listings << (r ? *r : QJsonArray());
        m_listingErrors << (r ? QString() : r.error().message);
        return listNext();
    }
    if (!m_pool)
        m_pool = new PyHostPool(this);
    auto *job = new EntrypointListJob(m_pool, dir, false, PyHostJob::staticDeadlineMs, this);
    connect(job, &Job::finished, this, [this, job] {
        job->deleteLater();
        if (job->error()) {
            m_listings << QJsonArray();
            m_listingErrors << job->error()->message;
        } else {
            QJsonArray out;
            for (const Entrypoint &e : job->value().entrypoints)
                out.append(QJsonObject{{QStringLiteral("name"), e.name},
                                       {QStringLiteral("signature"), e.signature}});
            m_listings << out;
            m_listingErrors << QString();
        }
        listNext();
    });
    job->start();
}

void BundleExportJob::startWriting()
{
    reportProgress(0, -1, m_req.dryRun ? tr("Measuring") : tr("Writing %1").arg(m_req.output));
    auto cancel = m_cancel;
    m_thread = std::thread([this, cancel] {
        qint64 lastReport = -1;
        auto progress = [this, &lastReport](qint64 done, qint64 total, const QString &text) {
            // At most ~1000 updates per export.
            if (total > 0 && lastReport >= 0 && done != total && (done - lastReport) * 1000 < total)
                return;
            lastReport = done;
            QMetaObject::invokeMethod(
                this, [this, done, total, text] { reportProgress(done, total, text); },
                Qt::QueuedConnection);
        };
        auto r = writeBundle(m_req, m_repos, m_listings, m_listingErrors, progress, *cancel);
        if (r)
            m_result = std::move(*r);
        else
            m_workerError = r.error();
        QMetaObject::invokeMethod(this, &BundleExportJob::finishFromWorker, Qt::QueuedConnection);
    });
}

void BundleExportJob::finishFromWorker()
{
    if (m_thread.joinable())
        m_thread.join();
    if (m_workerError)
        return failWith(*m_workerError);
    succeed();
}

void BundleExportJob::doCancel()
{
    *m_cancel = true;
}

} // namespace hubcap::bundle
