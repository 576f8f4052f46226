#include "core/cache/listingcache.h"

#include "core/cache/sidecar.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

#include <algorithm>

namespace hubcap {

namespace {

const QString kListings = QStringLiteral("listings");
constexpr int kMaxTreeFiles = 20000;

QString canonical(const QString &dir)
{
    const QFileInfo info(dir);
    const QString c = info.canonicalFilePath();
    return QDir::cleanPath(c.isEmpty() ? info.absoluteFilePath() : c);
}

QString sha256OfFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash h(QCryptographicHash::Sha256);
    if (!h.addData(&f))
        return {};
    return QString::fromLatin1(h.result().toHex());
}

/// Size and mtime of every .py file below `dir` (hidden folders skipped, bounded), hashed.
QString treeFingerprint(const QString &dir)
{
    QStringList lines;
    QDirIterator it(dir, {QStringLiteral("*.py")}, QDir::Files | QDir::NoSymLinks,
                    QDirIterator::Subdirectories);
    while (it.hasNext() && lines.size() < kMaxTreeFiles) {
        const QString path = it.next();
        const QString rel = path.mid(dir.size() + 1);
        if (rel.startsWith(u'.') || rel.contains(QStringLiteral("/.")))
            continue;
        const QFileInfo info = it.fileInfo();
        lines << QStringLiteral("%1\t%2\t%3")
                     .arg(rel)
                     .arg(info.size())
                     .arg(info.lastModified().toMSecsSinceEpoch());
    }
    std::sort(lines.begin(), lines.end());
    return QString::fromLatin1(
        QCryptographicHash::hash(lines.join(u'\n').toUtf8(), QCryptographicHash::Sha256).toHex());
}

} // namespace

ListingCache::ListingCache(const QString &hubDir)
    : m_hubDir(hubDir.isEmpty() ? QString() : canonical(hubDir))
{}

QString ListingCache::keyFor(const QString &repoDir) const
{
    const QString dir = canonical(repoDir);
    if (QFileInfo(dir).path() == m_hubDir)
        return QFileInfo(dir).fileName();
    return QStringLiteral("local:") + dir;
}

QString ListingCache::recordPath(const QString &repoDir) const
{
    return Sidecar(m_hubDir).root() + u'/' + kListings + u'/' + Sidecar::safeKey(keyFor(repoDir)) +
           QStringLiteral(".json");
}

QJsonObject ListingCache::fingerprint(const QString &repoDir) const
{
    const QString dir = canonical(repoDir);
    QJsonObject fp{
        {QStringLiteral("dir"), dir},
        {QStringLiteral("hubconf_sha256"), sha256OfFile(dir + QStringLiteral("/hubconf.py"))}};
    if (QFileInfo(dir).path() == m_hubDir) {
        const auto rec = Sidecar(m_hubDir).repo(QFileInfo(dir).fileName());
        fp.insert(QStringLiteral("commit"), rec ? rec->commit : QString());
    } else {
        fp.insert(QStringLiteral("tree"), treeFingerprint(dir));
    }
    return fp;
}

std::optional<QJsonObject> ListingCache::readRecord(const QString &path) const
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly) || f.size() > maxRecordBytes)
        return std::nullopt;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll());
    if (!doc.isObject())
        return std::nullopt; // corrupt: a miss
    return doc.object();
}

std::optional<QJsonObject> ListingCache::get(const QString &repoDir, const QString &mode) const
{
    if (m_hubDir.isEmpty())
        return std::nullopt;
    const auto rec = readRecord(recordPath(repoDir));
    if (!rec)
        return std::nullopt;
    const QJsonObject fp = fingerprint(repoDir);
    if (fp.value(QStringLiteral("hubconf_sha256")).toString().isEmpty() ||
        rec->value(QStringLiteral("fingerprint")).toObject() != fp)
        return std::nullopt;
    const QJsonValue listing = rec->value(QStringLiteral("listings")).toObject().value(mode);
    if (!listing.isObject())
        return std::nullopt;
    return listing.toObject();
}

Result<void> ListingCache::put(const QString &repoDir, const QString &mode,
                               const QJsonObject &listing) const
{
    if (m_hubDir.isEmpty())
        return fail(Error::Code::InvalidArgument,
                    QObject::tr("No hub dir: listings are not kept."));
    const QString path = recordPath(repoDir);
    const QJsonObject fp = fingerprint(repoDir);
    if (fp.value(QStringLiteral("hubconf_sha256")).toString().isEmpty())
        return fail(
            Error::Code::NotFound,
            QObject::tr("%1 has no readable hubconf.py; its listing is not kept.").arg(repoDir));
    QJsonObject listings;
    if (const auto old = readRecord(path);
        old && old->value(QStringLiteral("fingerprint")).toObject() == fp)
        listings = old->value(QStringLiteral("listings")).toObject();
    QJsonObject clean = listing;
    for (const char *k : {"output", "warnings", "seconds"})
        clean.remove(QString::fromLatin1(k)); // what one run printed is not part of the listing
    listings.insert(mode, clean);
    const QByteArray data = QJsonDocument(QJsonObject{{QStringLiteral("version"), 1},
                                                      {QStringLiteral("fingerprint"), fp},
                                                      {QStringLiteral("listings"), listings}})
                                .toJson(QJsonDocument::Compact);
    if (data.size() > maxRecordBytes)
        return fail(Error::Code::InvalidArgument,
                    QObject::tr("The listing of %1 is too big to keep (%2 bytes).")
                        .arg(repoDir)
                        .arg(data.size()));
    if (!QDir().mkpath(QFileInfo(path).path()))
        return fail(Error::Code::Io, QObject::tr("Cannot create %1.").arg(QFileInfo(path).path()));
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size() || !f.commit())
        return fail(Error::Code::Io, QObject::tr("Cannot write %1: %2").arg(path, f.errorString()));
    return {};
}

void ListingCache::invalidate(const QString &repoDir) const
{
    if (m_hubDir.isEmpty())
        return;
    QFile::remove(recordPath(repoDir));
}

void ListingCache::invalidateFolder(const QString &folder) const
{
    QFile::remove(Sidecar(m_hubDir).root() + u'/' + kListings + u'/' + Sidecar::safeKey(folder) +
                  QStringLiteral(".json"));
}

QList<WeightRef> weightsWithCacheState(QList<WeightRef> weights, const QString &hubDir)
{
    const QString checkpoints = QDir(hubDir).absoluteFilePath(QStringLiteral("checkpoints"));
    for (WeightRef &w : weights) {
        // A name with a path separator or ".." cannot be a file in checkpoints/.
        if (w.fileName.isEmpty() || w.fileName.contains(u'/') || w.fileName == u"." ||
            w.fileName == u"..") {
            w.path.clear();
            w.cached = false;
        } else {
            w.path = checkpoints + u'/' + w.fileName;
            w.cached = QFileInfo(w.path).isFile();
        }
    }
    return weights;
}

} // namespace hubcap
