#pragma once

#include "core/cache/repospec.h"
#include "core/error.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace hubcap {

/// Why torch.hub's `_check_repo_is_trusted` would (or would not) treat a repository as trusted.
enum class TrustReason {
    NotTrusted,
    TrustedList,  ///< `owner_repo` is a line of `<hub>/trusted_list`
    TrustedOwner, ///< the owner is one of the four torch.hub trusts (case-sensitive)
    LegacyFolder, ///< an `owner_repo_ref'` folder already exists in the hub dir ("legacy" rule)
};

/// "not_trusted", "trusted_list", "trusted_owner", "legacy_folder" (stable, for JSON).
QString trustReasonName(TrustReason reason);
/// A short phrase for people: "in trusted_list", "trusted owner", ...
QString trustReasonText(TrustReason reason);

/// The outcome of a trust check, with every rule that applied, so a UI can say why.
struct TrustDecision
{
    QString trustName;   ///< "owner_repo", the line torch.hub would look for / write
    bool inList = false; ///< the line is in trusted_list
    bool ownerTrusted = false;
    QString legacyFolder; ///< the existing folder that makes it trusted, empty if none
    TrustReason reason = TrustReason::NotTrusted; ///< first of: list, owner, legacy folder

    bool trusted() const { return reason != TrustReason::NotTrusted; }
};

/// `<hub_dir>/trusted_list`, byte-compatible with torch.hub (behaviour doc §4):
/// - read like Python: text lines (universal newlines), each `line.strip()`-ed;
/// - appended like Python: `owner_repo + "\n"` at the end, never rewriting what is there
///   (one deviation: if the last line lacks its "\n", one is written first, so the new entry
///   does not glue onto it, which torch.hub would do);
/// - remove() rewrites the file atomically (QSaveFile), keeping every other line byte-identical,
///   including blank lines, odd whitespace, CRLF endings and duplicates of other entries.
/// A missing file reads as empty. The class holds only the path; every call hits the disk.
class TrustList
{
public:
    explicit TrustList(const QString &hubDir);

    static QString fileName() { return QStringLiteral("trusted_list"); }
    QString path() const { return m_path; }
    QString hubDir() const { return m_hubDir; }
    bool exists() const;

    /// Stripped, non-empty lines in file order (duplicates kept, as torch keeps them).
    Result<QStringList> entries() const;
    Result<bool> contains(const QString &trustName) const;
    /// Appends `trustName + "\n"` (creating the hub dir and the file as needed) unless the list
    /// already has it. Returns true when a line was written.
    Result<bool> add(const QString &trustName) const;
    /// Removes every line whose stripped text is `trustName`; returns how many were removed
    /// (0: file untouched).
    Result<int> remove(const QString &trustName) const;

    /// torch.hub's `_check_repo_is_trusted` for `spec`. The legacy rule needs a ref: without
    /// one torch resolves the default branch first (network); offline, both `..._main` and
    /// `..._master` are checked, in that order.
    Result<TrustDecision> check(const RepoSpec &spec) const;
    /// The same decision from already-read entries (no list I/O; the legacy folder is checked
    /// on disk only when `legacyFolderCandidates` is non-empty).
    TrustDecision decide(const QString &owner, const QString &repo, const QStringList &entries,
                         const QStringList &legacyFolderCandidates) const;

    /// Python's `str.strip()` (strips the characters `str.isspace()` accepts, incl. \x1c-\x1f).
    static QString pyStrip(const QString &s);
    /// Python's `tuple(line.strip() for line in open(path))` on UTF-8 bytes, empty lines dropped.
    static QStringList parse(const QByteArray &content);

private:
    QString m_hubDir;
    QString m_path;
};

} // namespace hubcap
