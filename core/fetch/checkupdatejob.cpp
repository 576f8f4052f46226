#include "core/fetch/checkupdatejob.h"

#include "core/cache/sidecar.h"
#include "core/github/githubclient.h"

#include <QDir>
#include <QFileInfo>

namespace hubcap {

CheckUpdateJob::CheckUpdateJob(RepoSpec spec, QString hubDir, NetworkConfig config, QObject *parent)
    : Job(parent), m_spec(std::move(spec)), m_hubDir(std::move(hubDir)),
      m_client(new GitHubClient(config, this))
{
    setTitle(tr("Check %1 for updates").arg(m_spec.toString()));
}

QString CheckUpdateJob::statusName(Status s)
{
    switch (s) {
    case Status::UpToDate:
        return QStringLiteral("up_to_date");
    case Status::UpdateAvailable:
        return QStringLiteral("update_available");
    case Status::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

void CheckUpdateJob::doCancel()
{
    m_client->abortAll();
}

void CheckUpdateJob::doStart()
{
    if (m_spec.hasRef && !m_spec.ref.isEmpty())
        return check(m_spec.ref);
    m_client->defaultBranch(m_spec.owner, m_spec.repo, [this](Result<QString> ref) {
        if (!ref)
            return failWith(ref.error());
        check(*ref);
    });
}

void CheckUpdateJob::check(const QString &ref)
{
    const RepoSpec spec = m_spec.withRef(ref);
    m_outcome.folder = spec.folderName();
    m_outcome.ref = ref;
    if (!QFileInfo(QDir(m_hubDir).filePath(m_outcome.folder)).isDir())
        return failWith(
            Error::make(Error::Code::NotFound,
                        tr("%1 is not in the cache (%2); fetch it first: hubcap-cli fetch %3")
                            .arg(m_outcome.folder, m_hubDir, spec.toString())));
    if (const auto rec = Sidecar(m_hubDir).repo(m_outcome.folder))
        m_outcome.recordedCommit = rec->commit;
    reportProgress(0, -1, tr("Asking GitHub for the head of %1").arg(ref));
    m_client->headCommit(spec.owner, spec.repo, ref, [this](Result<QString> head) {
        if (!head)
            return failWith(head.error());
        m_outcome.headCommit = *head;
        const QString rec = m_outcome.recordedCommit;
        if (rec.size() < 7) {
            m_outcome.status = Status::Unknown;
            m_outcome.text = tr("unknown: %1 was not fetched by Hubcap, so its commit is not "
                                "recorded (head is %2); "
                                "fetch it with --force-reload to record it")
                                 .arg(m_outcome.folder, head->left(7));
        } else if (head->startsWith(rec) || rec.startsWith(*head)) {
            m_outcome.status = Status::UpToDate;
            m_outcome.text = tr("up to date (%1)").arg(rec.left(7));
        } else {
            m_outcome.status = Status::UpdateAvailable;
            m_outcome.text = tr("update available (%1 → %2)").arg(rec.left(7), head->left(7));
        }
        succeed();
    });
}

} // namespace hubcap
