#include "core/bundle/bundleimport.h"

#include "core/archive/tararchive.h"
#include "core/cache/sidecar.h"
#include "core/fetch/dirswap.h"
#include "core/util/format.h"
#include "core/util/sha256.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QMetaObject>
#include <QSet>
#include <QStorageInfo>
#include <QUuid>

#include <cstdio>

namespace hubcap::bundle {

namespace {

Error damaged(const QString &file, const QString &what)
{
    return Error::make(Error::Code::Integrity,
                       QStringLiteral("The bundle %1 is damaged or was modified: %2. Nothing was "
                                      "installed; get a fresh copy of the bundle.")
                           .arg(file, what));
}

Error unsafe(const QString &file, const QString &what)
{
    return Error::make(Error::Code::Integrity,
                       QStringLiteral("The bundle %1 is unsafe: %2. Nothing was installed; do not "
                                      "use this file.")
                           .arg(file, what));
}

QString shortList(const QStringList &items, int max = 10)
{
    QStringList shown = items.mid(0, max);
    QString text = shown.join(QStringLiteral(", "));
    if (items.size() > max)
        text += QStringLiteral(" and %1 more").arg(items.size() - max);
    return text;
}

/// SHA-256 of a file on disk, hex; empty when it cannot be read.
QString hashFile(const QString &path, const std::atomic<bool> *cancel)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    Sha256 h;
    QByteArray buf(1024 * 1024, Qt::Uninitialized);
    for (;;) {
        if (cancel && *cancel)
            return {};
        const qint64 n = f.read(buf.data(), buf.size());
        if (n < 0)
            return {};
        if (n == 0)
            break;
        h.addData(QByteArrayView(buf.constData(), n));
    }
    return QString::fromLatin1(h.result().toHex());
}

} // namespace

OpenedBundle::~OpenedBundle() = default;
OpenedBundle::OpenedBundle(OpenedBundle &&) noexcept = default;
OpenedBundle &OpenedBundle::operator=(OpenedBundle &&) noexcept = default;

Result<OpenedBundle> OpenedBundle::open(const QString &file)
{
    const QFileInfo fi(file);
    if (!fi.isFile())
        return fail(Error::Code::NotFound, QStringLiteral("There is no bundle file %1.").arg(file));
    OpenedBundle b;
    b.m_file = fi.absoluteFilePath();
    b.m_archiveBytes = fi.size();
    std::string err;
    b.m_tar = archive::TarReader::open(QFile::encodeName(b.m_file).toStdString(), &err);
    if (!b.m_tar)
        return fail(Error::Code::Integrity,
                    QStringLiteral("%1 is not a Hubcap bundle (%2). Nothing was installed.")
                        .arg(file, QString::fromStdString(err)));
    const std::string manifestName = Manifest::archiveName().toStdString();
    if (!b.m_tar->find(manifestName))
        return fail(Error::Code::Integrity,
                    QStringLiteral("%1 has no manifest.json: it is not a Hubcap bundle, or it was "
                                   "cut short (the manifest is its last member). Nothing was "
                                   "installed; copy the complete file again.")
                        .arg(file));
    auto json = b.m_tar->readAll(manifestName,
                                 static_cast<std::uint64_t>(Manifest::kMaxManifestBytes), &err);
    if (!json)
        return std::unexpected(damaged(file, QString::fromStdString(err)));
    auto m = Manifest::parse(QByteArray::fromStdString(*json));
    if (!m)
        return std::unexpected(m.error());
    b.m_manifest = std::move(*m);

    // The archive must hold exactly the manifest's files.
    QHash<QString, qint64> expected;
    for (const auto &f : std::as_const(b.m_manifest.files))
        expected.insert(f.path, f.size);
    for (const auto &e : b.m_tar->entries()) {
        const QString path = QString::fromStdString(e.path);
        if (e.isDirectory)
            continue;
        if (path == Manifest::archiveName())
            continue;
        if (e.isSymlink)
            return std::unexpected(unsafe(
                file,
                QStringLiteral("it holds a link (%1); bundles hold regular files only").arg(path)));
        if (const QString why = unsafePathReason(path); !why.isEmpty())
            return std::unexpected(unsafe(file, QStringLiteral("member '%1': %2").arg(path, why)));
        if (!expected.contains(path))
            return std::unexpected(damaged(
                file, QStringLiteral("it holds %1, which its manifest does not list").arg(path)));
    }
    for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
        const auto *e = b.m_tar->find(it.key().toStdString());
        if (!e || e->isDirectory || e->isSymlink)
            return std::unexpected(damaged(
                file, QStringLiteral("%1 is listed in the manifest but missing").arg(it.key())));
        if (static_cast<qint64>(e->size) != it.value())
            return std::unexpected(
                damaged(file, QStringLiteral("%1 is %2 bytes, the manifest says %3")
                                  .arg(it.key())
                                  .arg(e->size)
                                  .arg(it.value())));
    }
    return b;
}

bool OpenedBundle::read(const QString &path,
                        const std::function<bool(const char *, std::size_t)> &sink,
                        QString *error) const
{
    std::string err;
    const bool ok = m_tar->read(path.toStdString(), sink, &err);
    if (!ok && error)
        *error = QString::fromStdString(err);
    return ok;
}

Result<void>
OpenedBundle::verify(const std::function<void(qint64, qint64, const QString &)> &progress,
                     const std::atomic<bool> *cancel) const
{
    const qint64 total = m_manifest.totalBytes();
    qint64 done = 0;
    Sha256 h;
    for (const auto &f : m_manifest.files) {
        h.reset();
        QString err;
        qint64 n = 0;
        const bool ok = read(
            f.path,
            [&](const char *d, std::size_t len) {
                if (cancel && *cancel)
                    return false;
                h.addData(QByteArrayView(d, static_cast<qsizetype>(len)));
                n += static_cast<qint64>(len);
                done += static_cast<qint64>(len);
                if (progress)
                    progress(done, total, f.path);
                return true;
            },
            &err);
        if (cancel && *cancel)
            return fail(Error::Code::Cancelled, QStringLiteral("Cancelled."));
        if (!ok)
            return std::unexpected(damaged(m_file, err));
        const QString digest = QString::fromLatin1(h.result().toHex());
        if (n != f.size || digest != f.sha256)
            return std::unexpected(
                damaged(m_file, QStringLiteral("%1 has SHA-256 %2, the manifest says %3")
                                    .arg(f.path, digest, f.sha256)));
    }
    return {};
}

Result<ImportPreview> previewImport(const QString &bundleFile, const QString &hubDir)
{
    auto b = OpenedBundle::open(bundleFile);
    if (!b)
        return std::unexpected(b.error());
    ImportPreview p;
    p.manifest = b->manifest();
    p.file = b->file();
    p.archiveBytes = b->archiveBytes();
    const TrustList trust(hubDir);
    const QStringList entries = trust.entries().value_or(QStringList());
    const QDir hub(hubDir);
    for (const auto &r : p.manifest.repos) {
        ImportPreview::RepoInfo info;
        info.repo = r;
        info.folderExists = QFileInfo(hub.filePath(r.folder)).exists();
        info.trust = trust.decide(r.owner, r.repo, entries, {r.folder});
        p.repos << info;
    }
    // A folder of the hub dir that is a symbolic link would take a placed file elsewhere.
    QHash<QString, bool> linkedDir;
    auto throughLink = [&](const QString &path) {
        const QStringList parts = path.split(u'/');
        QString rel;
        for (qsizetype i = 0; i + 1 < parts.size(); ++i) {
            rel += (i ? QStringLiteral("/") : QString()) + parts[i];
            auto it = linkedDir.find(rel);
            if (it == linkedDir.end())
                it = linkedDir.insert(rel, QFileInfo(hub.filePath(rel)).isSymLink());
            if (*it)
                return rel;
        }
        return QString();
    };
    for (const auto &f : p.manifest.files) {
        if (const QString link = throughLink(f.path); !link.isEmpty())
            return fail(Error::Code::InvalidArgument,
                        QStringLiteral("%1 in the hub dir is a symbolic link; importing %2 would "
                                       "write outside the hub dir. Nothing was installed; replace "
                                       "the link with a folder or remove it first.")
                            .arg(link, f.path));
        const QFileInfo target(hub.filePath(f.path));
        if (!target.exists() && !target.isSymLink()) {
            p.newFiles << f.path;
            p.bytesToWrite += f.size;
        } else if (target.isFile() && !target.isSymLink() && target.size() == f.size &&
                   hashFile(target.filePath(), nullptr) == f.sha256) {
            p.identicalFiles << f.path;
        } else {
            p.differentFiles << f.path;
            p.bytesToWrite += f.size;
        }
    }
    return p;
}

BundleImportJob::BundleImportJob(ImportRequest request, QObject *parent)
    : Job(parent), m_req(std::move(request)), m_cancel(std::make_shared<std::atomic<bool>>(false))
{
    setTitle(tr("Import bundle"));
}

BundleImportJob::~BundleImportJob()
{
    *m_cancel = true;
    if (m_thread.joinable())
        m_thread.join();
}

void BundleImportJob::doCancel()
{
    *m_cancel = true;
}

namespace {

using Progress = std::function<void(qint64, qint64, const QString &)>;

bool renameReplacing(const QString &from, const QString &to)
{
    return std::rename(QFile::encodeName(from).constData(), QFile::encodeName(to).constData()) == 0;
}

Result<ImportResult> runImport(const ImportRequest &req, const Progress &progress,
                               const std::atomic<bool> &cancel)
{
    progress(0, -1, QStringLiteral("Checking the bundle"));
    auto preview = previewImport(req.bundle, req.hubDir);
    if (!preview)
        return std::unexpected(preview.error());
    auto bundle = OpenedBundle::open(req.bundle);
    if (!bundle)
        return std::unexpected(bundle.error());
    const Manifest &m = preview->manifest;
    if (!preview->differentFiles.isEmpty() && !req.replace)
        return fail(Error::Code::Generic,
                    QStringLiteral("%1 file(s) in the hub dir differ from the bundle's copies: "
                                   "%2. Nothing was installed. Import with --replace to replace "
                                   "them with the bundle's (verified) copies.")
                        .arg(preview->differentFiles.size())
                        .arg(shortList(preview->differentFiles)));
    if (!QDir().mkpath(req.hubDir))
        return fail(Error::Code::Io,
                    QStringLiteral("Cannot create the hub dir %1.").arg(req.hubDir));
    const QStorageInfo storage(req.hubDir);
    if (storage.isValid() && storage.bytesAvailable() >= 0 &&
        storage.bytesAvailable() < preview->bytesToWrite)
        return fail(Error::Code::Io,
                    QStringLiteral("The bundle needs %1 in %2, only %3 are free. Nothing was "
                                   "installed; free some space first.")
                        .arg(humanSize(preview->bytesToWrite), req.hubDir,
                             humanSize(storage.bytesAvailable())));

    const Sidecar sidecar(req.hubDir);
    auto tmp = sidecar.tempDir();
    if (!tmp)
        return std::unexpected(tmp.error());
    const QString staging = *tmp + QStringLiteral("/bundle-%1-%2")
                                       .arg(QCoreApplication::applicationPid())
                                       .arg(QUuid::createUuid().toString(QUuid::Id128));
    struct Cleanup
    {
        QString dir;
        ~Cleanup() { removeTree(dir); }
    } cleanup{staging};

    // 1. Stream everything to staging, hashing on the way; identical files are only hashed.
    const QSet<QString> identical(preview->identicalFiles.cbegin(), preview->identicalFiles.cend());
    const qint64 total = m.totalBytes();
    qint64 done = 0;
    Sha256 h;
    for (const ManifestFile &f : m.files) {
        const bool write = !identical.contains(f.path);
        std::unique_ptr<QFile> out;
        if (write) {
            const QString path = staging + u'/' + f.path;
            if (!QDir().mkpath(QFileInfo(path).path()))
                return fail(Error::Code::Io, QStringLiteral("Cannot create %1.").arg(path));
            out = std::make_unique<QFile>(path);
            if (!out->open(QIODevice::WriteOnly))
                return fail(Error::Code::Io,
                            QStringLiteral("Cannot write %1: %2").arg(path, out->errorString()));
        }
        h.reset();
        qint64 n = 0;
        QString err, writeErr;
        const bool ok = bundle->read(
            f.path,
            [&](const char *d, std::size_t len) {
                if (cancel)
                    return false;
                if (n + static_cast<qint64>(len) > f.size)
                    return false; // more data than the manifest says: caught below
                h.addData(QByteArrayView(d, static_cast<qsizetype>(len)));
                if (out && out->write(d, static_cast<qint64>(len)) != static_cast<qint64>(len)) {
                    writeErr = out->errorString();
                    return false;
                }
                n += static_cast<qint64>(len);
                done += static_cast<qint64>(len);
                progress(done, total, f.path);
                return true;
            },
            &err);
        if (cancel)
            return fail(Error::Code::Cancelled,
                        QStringLiteral("Import cancelled; nothing was installed."));
        if (!writeErr.isEmpty())
            return fail(Error::Code::Io, QStringLiteral("Cannot write %1 to %2: %3. Nothing was "
                                                        "installed.")
                                             .arg(f.path, staging, writeErr));
        if (!ok)
            return std::unexpected(damaged(req.bundle, err));
        if (out) {
            out->close();
            if (out->error() != QFileDevice::NoError)
                return fail(Error::Code::Io, QStringLiteral("Cannot write %1: %2. Nothing was "
                                                            "installed.")
                                                 .arg(out->fileName(), out->errorString()));
        }
        const QString digest = QString::fromLatin1(h.result().toHex());
        if (n != f.size || digest != f.sha256)
            return std::unexpected(
                damaged(req.bundle, QStringLiteral("%1 has SHA-256 %2, the manifest says %3")
                                        .arg(f.path, digest, f.sha256)));
    }

    // 2. Everything is verified: place it.
    progress(total, total, QStringLiteral("Installing"));
    ImportResult res;
    res.manifest = m;
    const QDir hub(req.hubDir);
    const QSet<QString> different(preview->differentFiles.cbegin(), preview->differentFiles.cend());
    QSet<QString> touchedTops;
    auto place = [&](const QString &path) -> Result<void> {
        const QString target = hub.filePath(path);
        if (!QDir().mkpath(QFileInfo(target).path()))
            return fail(Error::Code::Io,
                        QStringLiteral("Cannot create %1.").arg(QFileInfo(target).path()));
        if (different.contains(path) && QFileInfo(target).isDir() && !QFileInfo(target).isSymLink())
            removeTree(target);
        if (!renameReplacing(staging + u'/' + path, target))
            return fail(Error::Code::Io, QStringLiteral("Cannot move %1 into place.").arg(target));
        return {};
    };
    QSet<QString> wholeFolders;
    for (const auto &r : preview->repos)
        if (!r.folderExists)
            wholeFolders.insert(r.repo.folder);
    for (const QString &folder : std::as_const(wholeFolders)) {
        if (QFileInfo(staging + u'/' + folder).isDir() &&
            !QDir().rename(staging + u'/' + folder, hub.filePath(folder)))
            return fail(Error::Code::Io,
                        QStringLiteral("Cannot move %1 into %2.").arg(folder, req.hubDir));
        touchedTops.insert(folder);
    }
    for (const ManifestFile &f : m.files) {
        const QString top = f.path.section(u'/', 0, 0);
        if (identical.contains(f.path)) {
            res.kept << f.path;
            continue;
        }
        if (!wholeFolders.contains(top)) {
            if (auto r = place(f.path); !r)
                return std::unexpected(r.error());
            touchedTops.insert(top == u"checkpoints" ? f.path : top);
        }
        (different.contains(f.path) ? res.replaced : res.installed) << f.path;
        res.bytesWritten += f.size;
    }

    // 3. Provenance.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const ManifestRepo &r : m.repos) {
        if (!touchedTops.contains(r.folder) && sidecar.repo(r.folder))
            continue;
        RepoRecord rec;
        rec.folder = r.folder;
        rec.owner = r.owner;
        rec.repo = r.repo;
        rec.ref = r.ref;
        rec.commit = r.commit;
        rec.fetchedAt = r.fetchedAt.isValid() ? r.fetchedAt : now;
        rec.sourceUrl = r.sourceUrl;
        sidecar.putRepo(rec);
    }
    for (const ManifestCheckpoint &c : m.checkpoints) {
        const QString path = QStringLiteral("checkpoints/") + c.name;
        if (!touchedTops.contains(path) && sidecar.checkpoint(c.name))
            continue;
        CheckpointRecord rec;
        rec.name = c.name;
        rec.url = c.url;
        rec.sha256 = c.sha256;
        rec.size = c.size;
        rec.repo = c.repo;
        rec.entrypoint = c.entrypoint;
        rec.downloadedAt = c.downloadedAt.isValid() ? c.downloadedAt : now;
        sidecar.putCheckpoint(rec);
    }
    QJsonArray repos, cks;
    for (const auto &r : m.repos)
        repos.append(r.folder);
    for (const auto &c : m.checkpoints)
        cks.append(c.name);
    sidecar.writeJson(
        QStringLiteral("bundles"),
        QStringLiteral("%1-%2").arg(isoTime(now), QFileInfo(req.bundle).fileName()),
        QJsonObject{{QStringLiteral("bundle"), QFileInfo(req.bundle).absoluteFilePath()},
                    {QStringLiteral("imported_at"), isoTime(now)},
                    {QStringLiteral("created_at"), isoTime(m.createdAt)},
                    {QStringLiteral("hubcap_version"), m.hubcapVersion},
                    {QStringLiteral("repositories"), repos},
                    {QStringLiteral("checkpoints"), cks},
                    {QStringLiteral("installed"), QJsonArray::fromStringList(res.installed)},
                    {QStringLiteral("replaced"), QJsonArray::fromStringList(res.replaced)}});

    const TrustList trust(req.hubDir);
    for (const QString &name : req.trust) {
        auto added = trust.add(name);
        if (!added)
            return std::unexpected(added.error());
        if (*added)
            res.trustAdded << name;
    }
    return res;
}

} // namespace

void BundleImportJob::doStart()
{
    auto cancel = m_cancel;
    m_thread = std::thread([this, cancel] {
        qint64 last = -1;
        auto progress = [this, &last](qint64 done, qint64 total, const QString &text) {
            if (total > 0 && last >= 0 && done != total && (done - last) * 1000 < total)
                return;
            last = done;
            QMetaObject::invokeMethod(
                this, [this, done, total, text] { reportProgress(done, total, text); },
                Qt::QueuedConnection);
        };
        auto r = runImport(m_req, progress, *cancel);
        if (r)
            m_result = std::move(*r);
        else
            m_workerError = r.error();
        QMetaObject::invokeMethod(this, &BundleImportJob::finishFromWorker, Qt::QueuedConnection);
    });
}

void BundleImportJob::finishFromWorker()
{
    if (m_thread.joinable())
        m_thread.join();
    if (m_workerError)
        return failWith(*m_workerError);
    succeed();
}

} // namespace hubcap::bundle
