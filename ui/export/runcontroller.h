#pragma once

#include "core/protocol/entrypoint.h"
#include "ui/browser/repolistmodel.h"
#include "ui/common/trustdialog.h"
#include "ui/export/loaddialog.h"

#include "core/jobs/job.h"
#include <QObject>

#include <QHash>
#include <QJsonObject>
#include <QPointer>

#include <functional>
#include <optional>

namespace hubcap::ui {

class CoreBridge;
class DownloadsModel;
class ResultPanel;

/// Runs an entrypoint (load, optionally export, then verify): asks for trust first when the
/// repository is not trusted, shows the form generated from the signature, drives the Python
/// host's runtime.load job and the libtorch host's verification, and reports into the result
/// panel and the downloads panel. Every question goes through an injectable function.
class RunController : public QObject
{
    Q_OBJECT
public:
    using RequestDialog = std::function<std::optional<LoadRequest>(
        QWidget *parent, const Entrypoint &, const RepoEntry &, bool withExport)>;

    RunController(CoreBridge *bridge, ResultPanel *panel, DownloadsModel *jobs,
                  QWidget *dialogParent);

    void setTrustAsker(TrustAsker asker) { m_askTrust = std::move(asker); }
    void setRequestDialog(RequestDialog dialog) { m_requestDialog = std::move(dialog); }

    /// torch.hub's check (trusted_list, trusted owners, existing folder) for cached GitHub
    /// repositories; local folders never ask (source='local'). Asks when needed; records the
    /// trust when the user says so. False: nothing may run.
    bool ensureTrusted(const RepoEntry &repo, const QString &action);
    /// Trust, then the form, then run. Returns the job, or nullptr when cancelled.
    Job *start(const RepoEntry &repo, const Entrypoint &entrypoint, bool withExport);
    /// Runs without asking (the trust question must have been answered).
    Job *run(const RepoEntry &repo, const Entrypoint &entrypoint, const LoadRequest &request);

    Job *currentJob() const { return m_job; }
    /// The keyword arguments of the last run of `entrypoint` in `repoPath` (empty if none):
    /// the Browse page's "Copy torch.hub.load snippet" includes them.
    QJsonObject lastKwargs(const QString &repoPath, const QString &entrypoint) const
    {
        return m_lastKwargs.value(repoPath + u'\n' + entrypoint);
    }

Q_SIGNALS:
    void finished(bool ok);
    void verified(bool ok, const QString &verdict);

private:
    void verify(const QString &exportPath);

    CoreBridge *m_bridge;
    ResultPanel *m_panel;
    DownloadsModel *m_jobs;
    QWidget *m_dialogParent;
    TrustAsker m_askTrust = askTrustWithDialog;
    RequestDialog m_requestDialog;
    QPointer<Job> m_job;
    QHash<QString, QJsonObject> m_lastKwargs;
    QPointer<Job> m_verifyJob;
};

} // namespace hubcap::ui
