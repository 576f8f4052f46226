#include "ui/bundle/bundlecontroller.h"

#include "ui/bundle/exportbundledialog.h"
#include "ui/bundle/importsummarydialog.h"
#include "ui/common/icons.h"

#include "core/bundle/bundleimport.h"
#include "core/util/format.h"

#include <QAction>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QProgressDialog>

#include <memory>

namespace hubcap::ui {

using namespace hubcap::bundle;

BundleController::BundleController(QWidget *window, std::function<QString()> hubDir,
                                   QObject *parent)
    : QObject(parent), m_window(window), m_hubDir(std::move(hubDir))
{
    m_importAction = new QAction(icon(QStringLiteral("open")), tr("&Import Bundle…"), this);
    m_importAction->setObjectName(QStringLiteral("importBundleAction"));
    m_importAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I));
    m_importAction->setToolTip(
        tr("Install repositories and weights from a .hubcap bundle (Ctrl+Shift+I)"));
    connect(m_importAction, &QAction::triggered, this, [this] {
        const QString f =
            QFileDialog::getOpenFileName(m_window, tr("Import bundle"), QString(),
                                         tr("Hubcap bundles (*.hubcap);;All files (*)"));
        if (!f.isEmpty())
            importFile(f);
    });
    m_runSummary = [](ImportSummaryDialog &d) { return d.exec() == QDialog::Accepted; };
}

bool BundleController::isBundleFile(const QString &path)
{
    return path.endsWith(QStringLiteral(".hubcap"), Qt::CaseInsensitive) &&
           QFileInfo(path).isFile();
}

void BundleController::exportRepos(const QStringList &folders)
{
    ExportBundleDialog dialog(m_hubDir(), folders, m_window);
    connect(&dialog, &ExportBundleDialog::exported, this, &BundleController::exported);
    dialog.exec();
}

void BundleController::importFile(const QString &file)
{
    const QString hubDir = m_hubDir();
    // Reading the archive's index and hashing existing files of the same size can take a while
    // for a large bundle: off the GUI thread, with a busy indicator.
    auto *busy = new QProgressDialog(tr("Reading %1…").arg(QFileInfo(file).fileName()), QString(),
                                     0, 0, m_window);
    busy->setWindowTitle(tr("Import Bundle"));
    busy->setMinimumDuration(300);
    m_threads.emplace_back([this, file, hubDir, busy] {
        auto preview = std::make_shared<Result<ImportPreview>>(previewImport(file, hubDir));
        QMetaObject::invokeMethod(
            this,
            [this, file, hubDir, busy, preview] {
                busy->deleteLater();
                continueImport(file, hubDir, *preview);
            },
            Qt::QueuedConnection);
    });
}

BundleController::~BundleController()
{
    for (auto &t : m_threads)
        if (t.joinable())
            t.join();
}

void BundleController::continueImport(const QString &file, const QString &hubDir,
                                      const Result<ImportPreview> &preview)
{
    auto fail = [this](const QString &message) {
        QMessageBox::warning(m_window, tr("Import Bundle"), message);
        Q_EMIT importFinished(false, message);
    };
    if (!preview)
        return fail(preview.error().message);
    ImportSummaryDialog summary(*preview, m_window);
    if (!m_runSummary(summary))
        return Q_EMIT importFinished(false, tr("Import cancelled; nothing was installed."));

    ImportRequest req;
    req.bundle = file;
    req.hubDir = hubDir;
    req.replace = summary.replaceDifferent();
    for (const auto &r : preview->repos) {
        if (r.trust.trusted())
            continue;
        TrustQuestion q;
        q.repo = r.repo.owner + u'/' + r.repo.repo + u':' + r.repo.ref;
        q.trustName = r.trust.trustName;
        q.action = tr("install it from the bundle for torch.hub to load");
        q.allowRunOnce = false;
        if (m_askTrust(m_window, q) != TrustAnswer::TrustAndRecord)
            return Q_EMIT importFinished(
                false, tr("%1 is not trusted; nothing was installed.").arg(q.repo));
        req.trust << r.trust.trustName;
    }

    auto *job = new BundleImportJob(req, this);
    auto *progress =
        new QProgressDialog(tr("Verifying the bundle…"), tr("Cancel"), 0, 1000, m_window);
    progress->setWindowTitle(tr("Import Bundle"));
    progress->setMinimumDuration(300);
    progress->setAutoClose(false);
    progress->setAutoReset(false);
    connect(progress, &QProgressDialog::canceled, job, &Job::cancel);
    connect(job, &Job::progress, progress,
            [progress](qint64 done, qint64 total, const QString &text) {
                if (total > 0)
                    progress->setValue(int(done * 1000 / total));
                progress->setLabelText(text.isEmpty() ? tr("Importing…")
                                                      : tr("Verifying and staging %1").arg(text));
            });
    connect(job, &Job::finished, this, [this, job, progress] {
        progress->deleteLater();
        job->deleteLater();
        if (job->error()) {
            if (job->error()->code == Error::Code::Cancelled)
                return Q_EMIT importFinished(false, job->error()->message);
            QMessageBox::warning(m_window, tr("Import Bundle"), job->error()->message);
            return Q_EMIT importFinished(false, job->error()->message);
        }
        const auto &r = job->result();
        Q_EMIT importFinished(
            true, tr("Imported %1 repositories and %2 checkpoints: %3 files installed, %4 "
                     "replaced, %5 identical kept (%6).")
                      .arg(r.manifest.repos.size())
                      .arg(r.manifest.checkpoints.size())
                      .arg(r.installed.size())
                      .arg(r.replaced.size())
                      .arg(r.kept.size())
                      .arg(humanSize(r.bytesWritten)));
    });
    job->start();
}

} // namespace hubcap::ui
