#pragma once

// One trust policy for everything that runs or fetches repository code (torch.hub's
// trust_repo): the CLI's fetch/list/help/load, the GUI's fetch and load, RepoFetchJob. The
// policy decides (with a reason), the question is one object that a job emits or a caller
// passes to its asker (the GUI dialog, the CLI prompt), and recording goes to trusted_list.

#include "core/cache/repospec.h"
#include "core/cache/trustlist.h"
#include "core/error.h"

#include <QMetaType>
#include <QString>

#include <functional>
#include <optional>

namespace hubcap {

/// torch.hub's trust_repo values: "check" (ask only when not trusted), true/"yes" (trust and
/// record without asking), false/"no" (always ask).
enum class TrustMode { Check, Yes, No };

/// "check" | "yes" | "no", also "true"/"false" (torch.hub's True/False) and "y"/"n"; any case,
/// surrounding spaces ignored.
std::optional<TrustMode> parseTrustMode(const QString &text);
/// parseTrustMode for a command-line option: InvalidArgument that says the allowed values.
Result<TrustMode> parseTrustOption(const QString &text,
                                   const QString &option = QStringLiteral("--trust-repo"));

/// The answers to a trust question.
enum class TrustAnswer {
    TrustAndRecord, ///< trust it and add it to trusted_list (torch.hub's "y")
    RunOnce,        ///< run it this once without recording (GUI only; not for fetches)
    Refuse,         ///< nothing runs, nothing is fetched (torch.hub's "N")
};

/// What a typed answer means, as torch.hub reads input(): "y"/"yes" trust, "n"/"no"/"" refuse
/// (case-insensitive, not stripped). Anything else is Untrusted "Unrecognized response X.".
Result<TrustAnswer> parseTrustAnswer(const QString &typed);

/// One question: jobs emit it, askers answer it.
struct TrustQuestion
{
    QString repo;             ///< "owner/repo:ref" or a folder title, as the user sees it
    QString trustName;        ///< "owner_repo", the trusted_list line; empty when unknown
    QString action;           ///< "fetch it", "load tiny_cnn", ... (what would run)
    bool allowRunOnce = true; ///< false for fetches: torch.hub records a "yes"

    /// torch.hub's prompt, word for word (ends with "(y/N)?").
    QString prompt() const;
    /// trustName is known: the answer can be recorded.
    bool canRecord() const { return !trustName.isEmpty(); }
};

/// The policy's decision before anybody is asked.
struct TrustVerdict
{
    enum class Action {
        Proceed, ///< trusted already (trusted_list, owner, legacy folder): nothing to do
        Record,  ///< --trust-repo yes: trusted without asking, recorded if not yet
        Ask,     ///< ask (not trusted, or --trust-repo no which always asks)
    };
    Action action = Action::Ask;
    TrustMode mode = TrustMode::Check;
    TrustDecision decision; ///< which of torch.hub's rules applied

    /// Why, in a few words: "in trusted_list", "trusted owner", "--trust-repo yes",
    /// "not trusted", "--trust-repo no asks every time".
    QString reason() const;
};

/// What happened: trusted or not, and whether a line was written to trusted_list.
struct TrustOutcome
{
    bool recorded = false; ///< owner_repo was appended to trusted_list
    bool runOnce = false;  ///< trusted for this run only
    QString reason;        ///< TrustVerdict::reason() or the answer
};

class TrustPolicy
{
public:
    explicit TrustPolicy(QString hubDir, TrustMode mode = TrustMode::Check);

    TrustMode mode() const { return m_mode; }
    QString hubDir() const { return m_list.hubDir(); }

    /// torch.hub's _check_repo_is_trusted up to the question (reads trusted_list).
    Result<TrustVerdict> decide(const RepoSpec &spec) const;
    /// Applies `answer` to `question` (after decide() said Ask): TrustAndRecord records (unless
    /// already trusted), RunOnce trusts this once, Refuse is Untrusted "Untrusted repository.".
    Result<TrustOutcome> apply(const TrustVerdict &verdict, const TrustQuestion &question,
                               TrustAnswer answer) const;
    /// Proceed or Record without a question (Record writes trusted_list). Only for verdicts
    /// that are not Ask.
    Result<TrustOutcome> applyWithoutQuestion(const TrustVerdict &verdict,
                                              const QString &trustName) const;

    /// An asker answers synchronously (a modal dialog, a terminal prompt); nullopt when there
    /// is nobody to ask, or an error (an unrecognized typed answer).
    using Asker = std::function<Result<std::optional<TrustAnswer>>(const TrustQuestion &)>;
    /// decide → ask when needed → apply, for callers that can ask at once. With nobody to ask,
    /// Untrusted with `noAskerMessage`.
    Result<TrustOutcome> resolve(const RepoSpec &spec, const TrustQuestion &question,
                                 const Asker &ask, const QString &noAskerMessage) const;

private:
    TrustList m_list;
    TrustMode m_mode;
};

} // namespace hubcap

Q_DECLARE_METATYPE(hubcap::TrustQuestion)
