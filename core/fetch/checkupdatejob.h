#pragma once

#include "core/cache/repospec.h"
#include "core/jobs/job.h"
#include "core/net/networkconfig.h"

#include <QString>

namespace hubcap {

class GitHubClient;

/// Whether a cached repository folder is behind its ref, without downloading anything:
/// compares the commit recorded in the sidecar at fetch time with the ref's current head
/// (one API call: GET {api}/repos/{o}/{r}/commits/{ref}; plus torch.hub's default-branch probe
/// when no ref is given). The GUI and `hubcap-cli fetch --check-update` use it.
class CheckUpdateJob : public Job
{
    Q_OBJECT
public:
    enum class Status { UpToDate, UpdateAvailable, Unknown };

    struct Outcome
    {
        Status status = Status::Unknown;
        QString folder, ref;
        QString recordedCommit; ///< empty when the folder was not fetched by Hubcap
        QString headCommit;     ///< full SHA
        QString text; ///< "up to date (abc1234)" / "update available (abc1234 → def5678)" / ...
    };

    CheckUpdateJob(RepoSpec spec, QString hubDir, NetworkConfig config, QObject *parent = nullptr);

    const Outcome &outcome() const { return m_outcome; }
    static QString statusName(Status s); ///< "up_to_date", "update_available", "unknown"

protected:
    void doStart() override;
    void doCancel() override;

private:
    void check(const QString &ref);

    RepoSpec m_spec;
    QString m_hubDir;
    GitHubClient *m_client;
    Outcome m_outcome;
};

} // namespace hubcap
