#include "core/cache/sidecar.h"

#include "core/util/format.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace hubcap {

Sidecar::Sidecar(const QString &hubDir) : m_root(QDir(hubDir).filePath(folderName())) {}

QString Sidecar::safeKey(const QString &key)
{
    QString out;
    out.reserve(key.size());
    for (const QChar c : key)
        out += (c.isLetterOrNumber() || c == u'-' || c == u'_' || c == u'.') ? c : QChar(u'_');
    if (out.startsWith(u'.'))
        out[0] = u'_';
    if (out.size() > 120 || out != key) {
        // Keep it readable but unique: the cleaned prefix plus a hash of the original key.
        const QByteArray h =
            QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256).toHex().left(12);
        out = out.left(100) + u'-' + QString::fromLatin1(h);
    }
    return out;
}

QString Sidecar::pathFor(const QString &subdir, const QString &key) const
{
    return m_root + u'/' + subdir + u'/' + safeKey(key) + QStringLiteral(".json");
}

std::optional<QJsonObject> Sidecar::readJson(const QString &subdir, const QString &key) const
{
    QFile f(pathFor(subdir, key));
    if (!f.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll());
    if (!doc.isObject())
        return std::nullopt; // corrupt: treat as unknown
    return doc.object();
}

Result<void> Sidecar::writeJson(const QString &subdir, const QString &key,
                                const QJsonObject &doc) const
{
    const QString path = pathFor(subdir, key);
    if (!QDir().mkpath(m_root + u'/' + subdir))
        return fail(Error::Code::Io, QObject::tr("Cannot create %1.").arg(m_root + u'/' + subdir));
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return fail(Error::Code::Io, QObject::tr("Cannot write %1: %2").arg(path, f.errorString()));
    f.write(QJsonDocument(doc).toJson(QJsonDocument::Indented));
    if (!f.commit())
        return fail(Error::Code::Io, QObject::tr("Cannot write %1: %2").arg(path, f.errorString()));
    return {};
}

void Sidecar::removeJson(const QString &subdir, const QString &key) const
{
    QFile::remove(pathFor(subdir, key));
}

std::optional<RepoRecord> Sidecar::repo(const QString &folder) const
{
    const auto doc = readJson(QStringLiteral("repos"), folder);
    if (!doc)
        return std::nullopt;
    RepoRecord r;
    r.folder = folder;
    r.owner = doc->value(u"owner").toString();
    r.repo = doc->value(u"repo").toString();
    r.ref = doc->value(u"ref").toString();
    r.commit = doc->value(u"commit").toString();
    r.fetchedAt = QDateTime::fromString(doc->value(u"fetched_at").toString(), Qt::ISODate);
    r.sourceUrl = doc->value(u"source_url").toString();
    if (r.owner.isEmpty() || r.repo.isEmpty())
        return std::nullopt;
    return r;
}

Result<void> Sidecar::putRepo(const RepoRecord &r) const
{
    // The folder's files were (re)written: a listing kept for it (cache/listingcache.h) is stale.
    removeJson(QStringLiteral("listings"), r.folder);
    return writeJson(QStringLiteral("repos"), r.folder,
                     QJsonObject{{QStringLiteral("owner"), r.owner},
                                 {QStringLiteral("repo"), r.repo},
                                 {QStringLiteral("ref"), r.ref},
                                 {QStringLiteral("commit"), r.commit},
                                 {QStringLiteral("fetched_at"), isoTime(r.fetchedAt)},
                                 {QStringLiteral("source_url"), r.sourceUrl}});
}

void Sidecar::removeRepo(const QString &folder) const
{
    removeJson(QStringLiteral("repos"), folder);
    removeJson(QStringLiteral("listings"), folder);
}

std::optional<CheckpointRecord> Sidecar::checkpoint(const QString &name) const
{
    const auto doc = readJson(QStringLiteral("checkpoints"), name);
    if (!doc)
        return std::nullopt;
    CheckpointRecord r;
    r.name = name;
    r.url = doc->value(u"url").toString();
    r.sha256 = doc->value(u"sha256").toString();
    r.size = doc->value(u"size").toInteger(-1);
    r.repo = doc->value(u"repo").toString();
    r.entrypoint = doc->value(u"entrypoint").toString();
    r.downloadedAt = QDateTime::fromString(doc->value(u"downloaded_at").toString(), Qt::ISODate);
    for (const auto &v : doc->value(u"other_urls").toArray())
        r.otherUrls << v.toString();
    return r;
}

Result<void> Sidecar::putCheckpoint(const CheckpointRecord &r) const
{
    return writeJson(
        QStringLiteral("checkpoints"), r.name,
        QJsonObject{{QStringLiteral("url"), r.url},
                    {QStringLiteral("sha256"), r.sha256},
                    {QStringLiteral("size"), r.size},
                    {QStringLiteral("repo"), r.repo},
                    {QStringLiteral("entrypoint"), r.entrypoint},
                    {QStringLiteral("downloaded_at"), isoTime(r.downloadedAt)},
                    {QStringLiteral("other_urls"), QJsonArray::fromStringList(r.otherUrls)}});
}

void Sidecar::removeCheckpoint(const QString &name) const
{
    removeJson(QStringLiteral("checkpoints"), name);
}

Result<QString> Sidecar::tempDir() const
{
    const QString dir = m_root + QStringLiteral("/tmp");
    if (!QDir().mkpath(dir))
        return fail(Error::Code::Io, QObject::tr("Cannot create %1.").arg(dir));
    return dir;
}

QString Sidecar::lockPath(const QString &key) const
{
    QDir().mkpath(m_root + QStringLiteral("/locks"));
    return m_root + QStringLiteral("/locks/") + safeKey(key) + QStringLiteral(".lock");
}

} // namespace hubcap
