#pragma once

#include "core/cache/repospec.h"
#include "core/cache/trustpolicy.h"
#include "core/jobs/job.h"
#include "core/jobs/worker.h"
#include "core/net/networkconfig.h"

#include <QDateTime>
#include <QString>

#include <optional>

#include <atomic>
#include <memory>

class QLockFile;

namespace hubcap {
class LockWait;
}
class QFile;
class QTimer;

namespace hubcap {

class GitHubClient;

struct RepoFetchRequest
{
    RepoSpec spec;  ///< owner/repo[:ref]; no ref → default branch probe
    QString hubDir; ///< absolute hub dir
    bool forceReload = false;
    bool skipValidation = false;
    TrustMode trust = TrustMode::Check;
};

struct RepoFetchResult
{
    QString dir;    ///< absolute `<hub>/owner_repo_ref'`
    QString folder; ///< "owner_repo_ref'"
    QString ref;    ///< the ref used (resolved default branch when none was given)
    QString commit; ///< full SHA when known (zip comment), else the 7-char one; empty on a cache
                    ///< hit without a record
    bool cached = false; ///< nothing was downloaded
    bool offlineFallback =
        false; ///< the default branch could not be probed; an existing folder was used
    bool trustAdded = false; ///< owner_repo was appended to trusted_list
    QDateTime fetchedAt;     ///< when the tree was downloaded (recorded in the sidecar), if known
};

/// Fetches a GitHub repository into the torch.hub cache exactly where torch.hub looks for it
/// (`<hub>/owner_repo_ref'`), following _get_cache_or_reload:
/// default-branch probe (no ref; offline → existing _main/_master folder) → trust decision
/// (TrustPolicy) → cache hit (no network at all when a ref was given) → ref validation (unless
/// skipped) →
/// zipball download (300 → retry refs/heads/<ref>) → safe extraction → atomic replacement →
/// sidecar record (commit SHA, fetched_at). `--force-reload` replaces only the repo folder.
///
/// Questions: when trust must be asked, the job emits trustQuestion() and waits; whoever drives
/// the job (CLI, GUI) calls answerTrust(). With nothing connected the job fails as untrusted,
/// before any network request. Unlike torch.hub, nobody is asked about (and trusted_list never
/// records) a repository that does not exist: a target that is not cached is checked on GitHub
/// first (the ref validation, or the default-branch probe with skipValidation), so a typo
/// fails with "not found" instead of a question.
/// Concurrency: an advisory lock per folder (`.hubcap/locks/`) serialises fetches of the same
/// target across processes; the second one waits (progress text says so), then re-checks the cache.
/// Temp files live in `.hubcap/tmp/fetch-<pid>-<uuid>/` (zipball + extracted tree); folders of dead
/// processes are removed by the next fetch. Tests set HUBCAP_TEST_EXTRACT_DELAY_MS to slow the
/// extraction down so a kill lands in the middle of it.
class RepoFetchJob : public Job
{
    Q_OBJECT
public:
    RepoFetchJob(RepoFetchRequest request, NetworkConfig config, QObject *parent = nullptr);
    ~RepoFetchJob() override;

    const RepoFetchRequest &request() const { return m_req; }
    /// Valid after a successful finish.
    const RepoFetchResult &result() const { return m_result; }

    /// The answer to trustQuestion() (TrustPolicy::apply): trust and record, or refuse (the job
    /// fails with Untrusted). A fetch cannot be trusted "once": RunOnce records, as torch.hub.
    void answerTrust(TrustAnswer answer);
    void answerTrust(bool yes)
    {
        answerTrust(yes ? TrustAnswer::TrustAndRecord : TrustAnswer::Refuse);
    }

    /// torch.hub's prompt, word for word (TrustQuestion::prompt()).
    static QString trustPrompt(const QString &trustName);

Q_SIGNALS:
    /// The repository is not trusted (or --trust-repo no): ask the user, then call answerTrust().
    /// Emitted only for a repository known to exist.
    void trustQuestion(const hubcap::TrustQuestion &question);
    /// Information and warnings for the user (offline fallback, ambiguous ref, cache used).
    void message(const QString &text);

protected:
    void doStart() override;
    void doCancel() override;

private:
    void withRef(const QString &ref);
    void decideTrust();
    void trustKnownRepository();
    void afterTrust();
    void tryLock();
    void afterLock();
    void download(const QString &ref, bool retried);
    void extract();
    void install(const QString &topFolder);
    void finishWith(const std::optional<Error> &error);
    void cleanStaleTemp(const QString &tmpDir) const;

    RepoFetchRequest m_req;
    NetworkConfig m_config;
    GitHubClient *m_client;
    RepoSpec m_spec; ///< with the ref resolved
    RepoFetchResult m_result;
    TrustVerdict m_verdict;
    TrustQuestion m_question;
    bool m_waitingForTrust = false;
    bool m_existenceKnown = false; ///< GitHub answered for this repository (default branch, ref)
    bool m_refValidated = false;
    bool m_extracting = false; ///< the worker extracts into m_workDir
    std::unique_ptr<QLockFile> m_lock;
    LockWait *m_lockWait = nullptr;
    bool m_waitedForLock = false;
    /// Zipball downloads cut by the network are tried again from the start (1-based count).
    static constexpr int kZipAttempts = 3;
    static constexpr int kZipRetryBaseMs = 300;
    int m_downloadAttempt = 1;
    QString m_workDir; ///< `.hubcap/tmp/fetch-<pid>-<uuid>`
    QString m_zipPath;
    QUrl m_sourceUrl;
    std::unique_ptr<QFile> m_zipFile;
    std::optional<Error> m_noSpace; ///< the zipball will not fit: why the download was stopped
    Worker m_worker{this}; ///< extraction; last: destroyed (cancelled and waited for) first
};

} // namespace hubcap
