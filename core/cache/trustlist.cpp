#include "core/cache/trustlist.h"

#include "core/cache/sidecar.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QObject>
#include <QSaveFile>

namespace hubcap {

namespace {

// Python's str.isspace(): bidi classes WS, B, S or category Zs.
bool pyIsSpace(char16_t c)
{
    if (c < 128)
        return (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20);
    return c == 0x85 || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 ||
           c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

// Splits raw bytes into lines that keep their terminators (\n, \r\n or \r, as Python's
// universal newlines see them).
QList<QByteArray> rawLines(const QByteArray &content)
{
    QList<QByteArray> lines;
    qsizetype start = 0;
    for (qsizetype i = 0; i < content.size(); ++i) {
        const char c = content[i];
        if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < content.size() && content[i + 1] == '\n')
                ++i;
            lines << content.mid(start, i + 1 - start);
            start = i + 1;
        }
    }
    if (start < content.size())
        lines << content.mid(start);
    return lines;
}

Result<QByteArray> readAll(const QString &path, bool &exists)
{
    QFile f(path);
    exists = f.exists();
    if (!exists)
        return QByteArray();
    if (!f.open(QIODevice::ReadOnly))
        return fail(Error::Code::Io, QObject::tr("Cannot read %1: %2").arg(path, f.errorString()),
                    QObject::tr("Check the file's permissions."));
    return f.readAll();
}

} // namespace

QString trustReasonName(TrustReason reason)
{
    switch (reason) {
    case TrustReason::TrustedList:
        return QStringLiteral("trusted_list");
    case TrustReason::TrustedOwner:
        return QStringLiteral("trusted_owner");
    case TrustReason::LegacyFolder:
        return QStringLiteral("legacy_folder");
    case TrustReason::NotTrusted:
        break;
    }
    return QStringLiteral("not_trusted");
}

QString trustReasonText(TrustReason reason)
{
    switch (reason) {
    case TrustReason::TrustedList:
        return QObject::tr("in trusted_list");
    case TrustReason::TrustedOwner:
        return QObject::tr("trusted owner");
    case TrustReason::LegacyFolder:
        return QObject::tr("already downloaded (legacy rule)");
    case TrustReason::NotTrusted:
        break;
    }
    return QObject::tr("not trusted");
}

TrustList::TrustList(const QString &hubDir)
    : m_hubDir(hubDir), m_path(QDir(hubDir).filePath(fileName()))
{}

bool TrustList::exists() const
{
    return QFileInfo::exists(m_path);
}

QString TrustList::pyStrip(const QString &s)
{
    qsizetype b = 0, e = s.size();
    while (b < e && pyIsSpace(s[b].unicode()))
        ++b;
    while (e > b && pyIsSpace(s[e - 1].unicode()))
        --e;
    return s.mid(b, e - b);
}

QStringList TrustList::parse(const QByteArray &content)
{
    QStringList out;
    // Python decodes the whole file first; a "\r" or "\n" byte never occurs inside a UTF-8
    // sequence, so splitting the bytes first is equivalent.
    for (const QByteArray &line : rawLines(content)) {
        const QString s = pyStrip(QString::fromUtf8(line));
        if (!s.isEmpty())
            out << s;
    }
    return out;
}

Result<QStringList> TrustList::entries() const
{
    bool present = false;
    auto content = readAll(m_path, present);
    if (!content)
        return std::unexpected(content.error());
    return parse(*content);
}

Result<bool> TrustList::contains(const QString &trustName) const
{
    auto list = entries();
    if (!list)
        return std::unexpected(list.error());
    return list->contains(trustName);
}

Result<bool> TrustList::add(const QString &trustName) const
{
    if (trustName.isEmpty() || trustName.contains(u'\n') || trustName.contains(u'\r') ||
        pyStrip(trustName) != trustName)
        return fail(Error::Code::InvalidArgument,
                    QObject::tr("\"%1\" is not a trusted_list entry (expected owner_repo).")
                        .arg(trustName));
    bool present = false;
    auto content = readAll(m_path, present);
    if (!content)
        return std::unexpected(content.error());
    if (parse(*content).contains(trustName))
        return false;
    if (!QDir().mkpath(m_hubDir))
        return fail(Error::Code::Io, QObject::tr("Cannot create the hub dir %1.").arg(m_hubDir),
                    QObject::tr("Check the permissions of its parent folder."));
    QFile f(m_path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Append))
        return fail(Error::Code::Io,
                    QObject::tr("Cannot write %1: %2").arg(m_path, f.errorString()));
    QByteArray line = trustName.toUtf8() + '\n';
    // torch.hub would glue the entry onto an unterminated last line; keep lines apart instead.
    if (!content->isEmpty() && !content->endsWith('\n') && !content->endsWith('\r'))
        line.prepend('\n');
    if (f.write(line) != line.size() || !f.flush())
        return fail(Error::Code::Io,
                    QObject::tr("Cannot write %1: %2").arg(m_path, f.errorString()));
    return true;
}

Result<int> TrustList::remove(const QString &trustName) const
{
    if (!exists())
        return 0;
    // Serialise Hubcap processes; torch.hub itself never locks (it only appends).
    QLockFile lock(Sidecar(m_hubDir).lockPath(fileName()));
    lock.tryLock(5000);
    bool present = false;
    auto content = readAll(m_path, present);
    if (!content)
        return std::unexpected(content.error());
    QByteArray kept;
    int removed = 0;
    for (const QByteArray &line : rawLines(*content)) {
        if (pyStrip(QString::fromUtf8(line)) == trustName)
            ++removed;
        else
            kept += line;
    }
    if (removed == 0)
        return 0;
    QSaveFile f(m_path);
    if (!f.open(QIODevice::WriteOnly))
        return fail(Error::Code::Io,
                    QObject::tr("Cannot rewrite %1: %2").arg(m_path, f.errorString()));
    f.write(kept);
    if (!f.commit())
        return fail(Error::Code::Io,
                    QObject::tr("Cannot rewrite %1: %2").arg(m_path, f.errorString()));
    return removed;
}

TrustDecision TrustList::decide(const QString &owner, const QString &repo,
                                const QStringList &entries,
                                const QStringList &legacyFolderCandidates) const
{
    TrustDecision d;
    d.trustName = owner + u'_' + repo;
    d.inList = entries.contains(d.trustName);
    d.ownerTrusted = isTrustedOwner(owner);
    // torch: owner_name_branch in next(os.walk(hub_dir))[1], i.e. an immediate sub-directory
    // (os.walk counts a symlink to a directory as a directory, and so does QFileInfo::isDir).
    for (const QString &folder : legacyFolderCandidates) {
        if (!folder.isEmpty() && !folder.contains(u'/') &&
            QFileInfo(QDir(m_hubDir).filePath(folder)).isDir()) {
            d.legacyFolder = folder;
            break;
        }
    }
    if (d.inList)
        d.reason = TrustReason::TrustedList;
    else if (d.ownerTrusted)
        d.reason = TrustReason::TrustedOwner;
    else if (!d.legacyFolder.isEmpty())
        d.reason = TrustReason::LegacyFolder;
    return d;
}

Result<TrustDecision> TrustList::check(const RepoSpec &spec) const
{
    auto list = entries();
    if (!list)
        return std::unexpected(list.error());
    QStringList folders;
    if (spec.hasRef)
        folders << spec.folderName();
    else
        folders << spec.withRef(QStringLiteral("main")).folderName()
                << spec.withRef(QStringLiteral("master")).folderName();
    return decide(spec.owner, spec.repo, *list, folders);
}

} // namespace hubcap
