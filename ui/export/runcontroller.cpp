#include "ui/export/runcontroller.h"

#include "ui/common/corebridge.h"
#include "ui/downloads/downloadsmodel.h"
#include "ui/export/resultpanel.h"

#include "core/cache/repospec.h"
#include "core/cache/trustlist.h"
#include "core/cache/trustpolicy.h"
#include "core/hosts/pyhost/client/pyhostclient.h"
#include "core/hosts/torchhost/client/torchhostclient.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonObject>
#include <QStandardPaths>

namespace hubcap::ui {

namespace {

std::optional<LoadRequest> requestWithDialog(QWidget *parent, const Entrypoint &e,
                                             const RepoEntry &repo, bool withExport)
{
    QString outDir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (outDir.isEmpty())
        outDir = QDir::homePath();
    LoadDialog dialog(e, repo.title, withExport,
                      QDir(outDir).filePath(QStringLiteral("hubcap-exports")), parent);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.request();
}

} // namespace

RunController::RunController(CoreBridge *bridge, ResultPanel *panel, DownloadsModel *jobs,
                             QWidget *dialogParent)
    : QObject(dialogParent), m_bridge(bridge), m_panel(panel), m_jobs(jobs),
      m_dialogParent(dialogParent), m_requestDialog(requestWithDialog)
{
    connect(m_panel, &ResultPanel::cancelRequested, this, [this] {
        if (m_job)
            m_job->cancel();
        if (m_verifyJob)
            m_verifyJob->cancel();
    });
}

bool RunController::ensureTrusted(const RepoEntry &repo, const QString &action)
{
    if (repo.source != RepoEntry::Source::Cache)
        return true; // source='local' never consults trusted_list
    TrustQuestion q{repo.title, {}, action, true};
    const auto spec = repo.spec.isEmpty() ? Result<RepoSpec>(std::unexpected(Error{}))
                                          : RepoSpec::parse(repo.spec);
    const auto ask = [this](const TrustQuestion &question) -> Result<std::optional<TrustAnswer>> {
        return std::optional<TrustAnswer>(m_askTrust(m_dialogParent, question));
    };
    if (!spec) {
        // Unknown identity (ambiguous folder name): it cannot be checked or added, only run once.
        const auto answer = m_askTrust(m_dialogParent, q);
        return answer == TrustAnswer::RunOnce || answer == TrustAnswer::TrustAndRecord;
    }
    q.trustName = spec->trustName();
    const auto outcome = TrustPolicy(m_bridge->hubDir()).resolve(*spec, q, ask, {});
    if (outcome)
        return true;
    if (outcome.error().code != Error::Code::Untrusted) // trusted_list could not be written
        m_panel->showError(tr("Cannot record trust"), outcome.error().message,
                           outcome.error().details);
    return false;
}

Job *RunController::start(const RepoEntry &repo, const Entrypoint &entrypoint, bool withExport)
{
    const QString action =
        withExport ? tr("export %1").arg(entrypoint.name) : tr("load %1").arg(entrypoint.name);
    if (!ensureTrusted(repo, action))
        return nullptr;
    const auto request = m_requestDialog(m_dialogParent, entrypoint, repo, withExport);
    if (!request)
        return nullptr;
    return run(repo, entrypoint, *request);
}

Job *RunController::run(const RepoEntry &repo, const Entrypoint &entrypoint,
                        const LoadRequest &request)
{
    if (m_job && !m_job->isFinished())
        m_job->cancel();
    m_lastKwargs.insert(repo.path + u'\n' + entrypoint.name, request.kwargs);
    LoadParams params;
    params.entrypoint = entrypoint.name;
    params.kwargs = request.kwargs;
    if (request.exportEnabled) {
        params.exportTo =
            ExportParams{request.format, request.output, request.inputShape, request.dtype};
        params.provenance.entrypoint = entrypoint.name;
        params.provenance.kwargs = request.kwargs;
        params.provenance.source =
            repo.spec.isEmpty() ? QStringLiteral("local") : QStringLiteral("github");
        if (!repo.spec.isEmpty())
            params.provenance.repo = repo.spec;
        if (!repo.commit.isEmpty())
            params.provenance.commit = repo.commit;
    }
    auto *job =
        new LoadJob(m_bridge->hostPool(), repo.path, params, PyHostJob::runtimeDeadlineMs, this);
    const QString title = request.exportEnabled
                              ? tr("Export %1 (%2)").arg(entrypoint.name, request.format)
                              : tr("Load %1").arg(entrypoint.name);
    job->setTitle(title);
    m_job = job;
    m_panel->setRepositoryDir(repo.path);
    m_panel->showRunning(
        title, tr("Running %1 from %2 in the Python host…").arg(entrypoint.name, repo.title));
    if (m_jobs)
        m_jobs->addJob(job);
    connect(job, &Job::finished, this, [this, job, title, request] {
        const auto result = job->result();
        if (!result) {
            const PythonError &py = job->pythonError();
            const QString details = !py.traceback.isEmpty() ? py.traceback : result.error().details;
            m_panel->showError(title, result.error().message,
                               details.isEmpty() ? py.message : details);
            Q_EMIT finished(false);
            return;
        }
        m_panel->showResult(title, *result);
        Q_EMIT finished(true);
        if (request.exportEnabled && result->exported && result->exported->isTorchScript())
            verify(result->exported->output);
        else if (request.exportEnabled)
            m_panel->showNote(
                request.format == QStringLiteral("state_dict")
                    ? tr("Exported, not verified: a state dict holds tensors only, so there is "
                         "no output to compare. Load it into the model with load_state_dict.")
                    : tr("Exported, not verified: the libtorch host checks TorchScript only, and "
                         "no ONNX runtime is installed to compare this file's outputs with the "
                         "eager model."));
    });
    job->start();
    return job;
}

void RunController::verify(const QString &exportPath)
{
    // A time budget rather than a fixed count: a 2 ms model gets 20 timed runs, a 2 s one a
    // few, so a large model is not timed for minutes.
    VerifyJob::Options options;
    options.budgetMs = 5000;
    auto *job = new VerifyJob(exportPath, options, this);
    m_verifyJob = job;
    job->setTitle(tr("Verify %1").arg(QFileInfo(exportPath).fileName()));
    m_panel->showVerifying({});
    connect(job, &Job::progress, this,
            [this](qint64, qint64, const QString &text) { m_panel->showVerifying(text); });
    if (m_jobs)
        m_jobs->addJob(job);
    connect(job, &Job::finished, this, [this, job] {
        if (job->error()) {
            const QString text = job->error()->code == Error::Code::Cancelled
                                     ? tr("Not verified: the verification was cancelled.")
                                     : tr("Not verified: %1").arg(job->error()->message);
            m_panel->showVerification(false, text);
            Q_EMIT verified(false, text);
            return;
        }
        m_panel->showVerification(job->verified(), job->verdict());
        Q_EMIT verified(job->verified(), job->verdict());
    });
    job->start();
}

} // namespace hubcap::ui
