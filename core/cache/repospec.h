#pragma once

#include "core/error.h"

#include <QString>

namespace hubcap {

/// A GitHub repository reference `owner/repo[:ref]` as torch.hub understands it, with the
/// names torch.hub derives from it. Case is kept exactly as typed (torch.hub does not fold it).
struct RepoSpec
{
    QString owner;
    QString repo;
    QString ref;         ///< empty when no ref was given (or "owner/repo:" was typed)
    bool hasRef = false; ///< true when the spec contained ':' (even with an empty ref)

    /// Parses like torch.hub's _parse_repo_info, but with errors that say what a valid spec is.
    static Result<RepoSpec> parse(const QString &spec);

    /// "owner_repo_ref" with '/' in the ref replaced by '_' (torch.hub's repo folder name).
    /// Needs a ref; call withRef() first when the default branch has been resolved.
    QString folderName() const;
    /// "owner_repo": the line torch.hub writes to trusted_list.
    QString trustName() const;
    /// "<ref with / as _>.zip": torch.hub's transient zipball name in the hub dir.
    QString zipName() const;
    /// "owner/repo" or "owner/repo:ref".
    QString toString() const;
    RepoSpec withRef(const QString &newRef) const;

    bool operator==(const RepoSpec &) const = default;
};

/// The four owners torch.hub trusts without asking (case-sensitive, as in torch).
bool isTrustedOwner(const QString &owner);

} // namespace hubcap
