#include "core/bundle/manifest.h"

#include "core/cache/repospec.h"
#include "core/util/format.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

namespace hubcap::bundle {

namespace {

QJsonValue orNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue() : QJsonValue(s);
}

bool isSha256(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^[0-9a-f]{64}$"));
    return re.match(s).hasMatch();
}

Error bad(const QString &what)
{
    return Error::make(Error::Code::Integrity,
                       QStringLiteral("The bundle's manifest is not valid: %1. The file is damaged "
                                      "or was not written by Hubcap; nothing was installed.")
                           .arg(what));
}

} // namespace

QString weightsModeHelp()
{
    return QStringLiteral("all | used | none");
}

bool isSafeFolderName(const QString &name)
{
    if (name.isEmpty() || name.size() > 255 || name.startsWith(u'.') || name == u"checkpoints" ||
        name == u"trusted_list")
        return false;
    for (const QChar c : name)
        if (c == u'/' || c == u'\\' || c.unicode() < 0x20 || c.unicode() == 0x7f)
            return false;
    return true;
}

QString unsafePathReason(const QString &path)
{
    if (path.isEmpty())
        return QStringLiteral("empty path");
    if (path.size() > 4096)
        return QStringLiteral("path too long");
    if (path.startsWith(u'/'))
        return QStringLiteral("absolute path");
    for (const QChar c : path)
        if (c == u'\\' || c.unicode() < 0x20 || c.unicode() == 0x7f)
            return QStringLiteral("backslash or control character in the path");
    const QStringList parts = path.split(u'/');
    if (parts.size() > Manifest::kMaxDepth)
        return QStringLiteral("path nested too deep");
    for (const QString &p : parts) {
        if (p == u"..")
            return QStringLiteral("path escapes the hub dir (..)");
        if (p.isEmpty() || p == u".")
            return QStringLiteral("empty or '.' path component");
    }
    if (parts.size() < 2)
        return QStringLiteral("file outside a repository folder or checkpoints/");
    if (parts.first() == u"checkpoints") {
        if (parts.size() != 2)
            return QStringLiteral("checkpoints/ holds files only");
        return {};
    }
    if (!isSafeFolderName(parts.first()))
        return QStringLiteral("not a repository folder of the hub dir");
    return {};
}

qint64 Manifest::totalBytes() const
{
    qint64 n = 0;
    for (const auto &f : files)
        n += f.size;
    return n;
}

QJsonObject Manifest::toJson() const
{
    QJsonArray repoArr;
    for (const auto &r : repos) {
        QJsonObject o{{QStringLiteral("folder"), r.folder},
                      {QStringLiteral("owner"), r.owner},
                      {QStringLiteral("repo"), r.repo},
                      {QStringLiteral("ref"), r.ref},
                      {QStringLiteral("commit"), orNull(r.commit)},
                      {QStringLiteral("source_url"), orNull(r.sourceUrl)},
                      {QStringLiteral("fetched_at"), orNull(isoTime(r.fetchedAt))},
                      {QStringLiteral("entrypoints"), r.entrypoints},
                      {QStringLiteral("files"), r.files},
                      {QStringLiteral("bytes"), r.bytes}};
        if (!r.entrypointsError.isEmpty())
            o.insert(QStringLiteral("entrypoints_error"), r.entrypointsError);
        repoArr.append(o);
    }
    QJsonArray ckArr;
    for (const auto &c : checkpoints)
        ckArr.append(QJsonObject{{QStringLiteral("name"), c.name},
                                 {QStringLiteral("path"), QStringLiteral("checkpoints/") + c.name},
                                 {QStringLiteral("size"), c.size},
                                 {QStringLiteral("sha256"), c.sha256},
                                 {QStringLiteral("url"), orNull(c.url)},
                                 {QStringLiteral("repo"), orNull(c.repo)},
                                 {QStringLiteral("entrypoint"), orNull(c.entrypoint)},
                                 {QStringLiteral("downloaded_at"), orNull(isoTime(c.downloadedAt))},
                                 {QStringLiteral("reason"), c.reason}});
    QJsonArray fileArr;
    for (const auto &f : files)
        fileArr.append(QJsonObject{{QStringLiteral("path"), f.path},
                                   {QStringLiteral("size"), f.size},
                                   {QStringLiteral("sha256"), f.sha256}});
    return QJsonObject{{QStringLiteral("format"), QStringLiteral("hubcap-bundle")},
                       {QStringLiteral("format_version"), kFormatVersion},
                       {QStringLiteral("hubcap_version"), hubcapVersion},
                       {QStringLiteral("created_at"), isoTime(createdAt)},
                       {QStringLiteral("weights"), weights},
                       {QStringLiteral("repositories"), repoArr},
                       {QStringLiteral("checkpoints"), ckArr},
                       {QStringLiteral("files"), fileArr},
                       {QStringLiteral("total_bytes"), totalBytes()}};
}

QByteArray Manifest::serialize() const
{
    return QJsonDocument(toJson()).toJson(QJsonDocument::Indented);
}

Result<Manifest> Manifest::parse(const QByteArray &json)
{
    if (json.size() > kMaxManifestBytes)
        return std::unexpected(bad(QStringLiteral("larger than 64 MiB")));
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (!doc.isObject())
        return std::unexpected(bad(QStringLiteral("not JSON (%1)").arg(pe.errorString())));
    const QJsonObject o = doc.object();
    if (o.value(u"format").toString() != u"hubcap-bundle")
        return std::unexpected(bad(QStringLiteral("not a Hubcap bundle manifest")));
    const int version = o.value(u"format_version").toInt(-1);
    if (version > kFormatVersion)
        return fail(Error::Code::InvalidArgument,
                    QStringLiteral("This bundle was written in format %1 by Hubcap %2; this "
                                   "Hubcap reads format %3. Update Hubcap to import it.")
                        .arg(version)
                        .arg(o.value(u"hubcap_version").toString())
                        .arg(kFormatVersion));
    if (version < 1)
        return std::unexpected(bad(QStringLiteral("no format_version")));

    Manifest m;
    m.hubcapVersion = o.value(u"hubcap_version").toString();
    m.createdAt = QDateTime::fromString(o.value(u"created_at").toString(), Qt::ISODate);
    m.weights = o.value(u"weights").toString();

    const QJsonArray repoArr = o.value(u"repositories").toArray();
    const QJsonArray ckArr = o.value(u"checkpoints").toArray();
    const QJsonArray fileArr = o.value(u"files").toArray();
    if (repoArr.size() > kMaxRepos || fileArr.size() > kMaxFiles || ckArr.size() > kMaxFiles)
        return std::unexpected(bad(QStringLiteral("too many entries")));

    QSet<QString> folders;
    for (const auto &v : repoArr) {
        const QJsonObject r = v.toObject();
        ManifestRepo repo;
        repo.folder = r.value(u"folder").toString();
        repo.owner = r.value(u"owner").toString();
        repo.repo = r.value(u"repo").toString();
        repo.ref = r.value(u"ref").toString();
        repo.commit = r.value(u"commit").toString();
        repo.sourceUrl = r.value(u"source_url").toString();
        repo.fetchedAt = QDateTime::fromString(r.value(u"fetched_at").toString(), Qt::ISODate);
        repo.entrypoints = r.value(u"entrypoints").toArray();
        repo.entrypointsError = r.value(u"entrypoints_error").toString();
        repo.files = r.value(u"files").toInteger();
        repo.bytes = r.value(u"bytes").toInteger();
        if (!isSafeFolderName(repo.folder))
            return std::unexpected(
                bad(QStringLiteral("unsafe repository folder name '%1'").arg(repo.folder)));
        if (repo.owner.isEmpty() || repo.repo.isEmpty() || repo.owner.contains(u'/') ||
            repo.repo.contains(u'/') || repo.owner.contains(u':') || repo.repo.contains(u':'))
            return std::unexpected(
                bad(QStringLiteral("repository %1 has no valid owner/repo").arg(repo.folder)));
        RepoSpec spec{repo.owner, repo.repo, repo.ref, true};
        if (spec.folderName() != repo.folder)
            return std::unexpected(bad(
                QStringLiteral("folder %1 does not match %2").arg(repo.folder, spec.toString())));
        if (folders.contains(repo.folder))
            return std::unexpected(bad(QStringLiteral("%1 listed twice").arg(repo.folder)));
        folders.insert(repo.folder);
        m.repos << repo;
    }
    QSet<QString> ckNames;
    for (const auto &v : ckArr) {
        const QJsonObject c = v.toObject();
        ManifestCheckpoint ck;
        ck.name = c.value(u"name").toString();
        ck.size = c.value(u"size").toInteger(-1);
        ck.sha256 = c.value(u"sha256").toString();
        ck.url = c.value(u"url").toString();
        ck.repo = c.value(u"repo").toString();
        ck.entrypoint = c.value(u"entrypoint").toString();
        ck.downloadedAt = QDateTime::fromString(c.value(u"downloaded_at").toString(), Qt::ISODate);
        ck.reason = c.value(u"reason").toString();
        const QString why = unsafePathReason(QStringLiteral("checkpoints/") + ck.name);
        if (!why.isEmpty())
            return std::unexpected(bad(QStringLiteral("checkpoint '%1': %2").arg(ck.name, why)));
        if (ckNames.contains(ck.name))
            return std::unexpected(bad(QStringLiteral("checkpoint %1 listed twice").arg(ck.name)));
        ckNames.insert(ck.name);
        m.checkpoints << ck;
    }
    QSet<QString> paths;
    for (const auto &v : fileArr) {
        const QJsonObject f = v.toObject();
        ManifestFile file;
        file.path = f.value(u"path").toString();
        file.size = f.value(u"size").toInteger(-1);
        file.sha256 = f.value(u"sha256").toString();
        const QString why = unsafePathReason(file.path);
        if (!why.isEmpty())
            return std::unexpected(bad(QStringLiteral("'%1': %2").arg(file.path, why)));
        const QString top = file.path.section(u'/', 0, 0);
        if (top == u"checkpoints" ? !ckNames.contains(file.path.section(u'/', 1))
                                  : !folders.contains(top))
            return std::unexpected(bad(
                QStringLiteral("'%1' is not under a repository or checkpoint the manifest lists")
                    .arg(file.path)));
        if (file.size < 0 || !isSha256(file.sha256))
            return std::unexpected(
                bad(QStringLiteral("'%1' has no valid size or SHA-256").arg(file.path)));
        if (paths.contains(file.path))
            return std::unexpected(bad(QStringLiteral("'%1' listed twice").arg(file.path)));
        paths.insert(file.path);
        m.files << file;
    }
    for (const auto &c : std::as_const(m.checkpoints))
        if (!paths.contains(QStringLiteral("checkpoints/") + c.name))
            return std::unexpected(
                bad(QStringLiteral("checkpoint %1 has no file entry").arg(c.name)));
    return m;
}

} // namespace hubcap::bundle
