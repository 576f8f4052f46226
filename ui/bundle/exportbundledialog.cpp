#include "ui/bundle/exportbundledialog.h"

#include "core/bundle/bundleexport.h"
#include "core/util/format.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardPaths>
#include <QTimer>
#include <QVBoxLayout>

namespace hubcap::ui {

using namespace hubcap::bundle;

ExportBundleDialog::ExportBundleDialog(const QString &hubDir, const QStringList &preselected,
                                       QWidget *parent)
    : QDialog(parent), m_hubDir(hubDir)
{
    setObjectName(QStringLiteral("exportBundleDialog"));
    setWindowTitle(tr("Export Bundle"));
    resize(620, 460);

    m_repos = new QListWidget;
    m_repos->setObjectName(QStringLiteral("bundleRepos"));
    m_repos->setAccessibleName(tr("Repositories to export"));
    const QStringList folders =
        QDir(hubDir).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &f : folders) {
        if (!isSafeFolderName(f))
            continue;
        auto *item = new QListWidgetItem(f, m_repos);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(preselected.contains(f) ? Qt::Checked : Qt::Unchecked);
    }
    m_weights = new QComboBox;
    m_weights->setObjectName(QStringLiteral("bundleWeights"));
    m_weights->addItem(tr("Checkpoints the repositories' code downloaded"), QStringLiteral("used"));
    m_weights->addItem(tr("All checkpoints"), QStringLiteral("all"));
    m_weights->addItem(tr("No checkpoints"), QStringLiteral("none"));
    m_size = new QLabel;
    m_size->setObjectName(QStringLiteral("bundleSize"));
    m_size->setWordWrap(true);
    m_size->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_output = new QLineEdit;
    m_output->setObjectName(QStringLiteral("bundleOutput"));
    m_output->setAccessibleName(tr("Bundle file"));
    const QString docs = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    m_output->setText(QDir(docs.isEmpty() ? QDir::homePath() : docs)
                          .filePath(preselected.size() == 1
                                        ? preselected.first() + QStringLiteral(".hubcap")
                                        : QStringLiteral("bundle.hubcap")));
    auto *browse = new QPushButton(tr("&Browse…"));
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getSaveFileName(this, tr("Save bundle"), m_output->text(),
                                                       tr("Hubcap bundles (*.hubcap)"));
        if (!f.isEmpty())
            m_output->setText(
                f.endsWith(QStringLiteral(".hubcap")) ? f : f + QStringLiteral(".hubcap"));
    });
    auto *outRow = new QHBoxLayout;
    outRow->addWidget(m_output, 1);
    outRow->addWidget(browse);

    m_progress = new QProgressBar;
    m_progress->setObjectName(QStringLiteral("bundleProgress"));
    m_progress->hide();
    m_status = new QLabel;
    m_status->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(tr("&Repositories:"), m_repos);
    form->addRow(tr("&Weights:"), m_weights);
    form->addRow(tr("Size:"), m_size);
    form->addRow(tr("&File:"), outRow);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    m_export = buttons->addButton(tr("&Export"), QDialogButtonBox::AcceptRole);
    m_export->setObjectName(QStringLiteral("exportButton"));
    m_export->setDefault(true);
    connect(m_export, &QPushButton::clicked, this, &ExportBundleDialog::startExport);
    connect(buttons, &QDialogButtonBox::rejected, this, &ExportBundleDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    m_measureTimer = new QTimer(this);
    m_measureTimer->setSingleShot(true);
    m_measureTimer->setInterval(150);
    connect(m_measureTimer, &QTimer::timeout, this, &ExportBundleDialog::remeasure);
    connect(m_repos, &QListWidget::itemChanged, m_measureTimer, qOverload<>(&QTimer::start));
    connect(m_weights, &QComboBox::currentIndexChanged, m_measureTimer,
            qOverload<>(&QTimer::start));
    connect(m_output, &QLineEdit::textChanged, this, &ExportBundleDialog::updateButtons);
    m_measureTimer->start();
    updateButtons();
}

ExportBundleDialog::~ExportBundleDialog()
{
    if (m_measure)
        m_measure->cancel();
    if (m_job)
        m_job->cancel();
}

QStringList ExportBundleDialog::checkedRepos() const
{
    QStringList out;
    for (int i = 0; i < m_repos->count(); ++i)
        if (m_repos->item(i)->checkState() == Qt::Checked)
            out << m_repos->item(i)->text();
    return out;
}

void ExportBundleDialog::remeasure()
{
    if (m_measure) {
        m_measure->disconnect(this);
        m_measure->cancel();
    }
    m_predicted = -1;
    const QStringList repos = checkedRepos();
    if (repos.isEmpty()) {
        m_size->setText(tr("Tick at least one repository."));
        return updateButtons();
    }
    ExportRequest req;
    req.hubDir = m_hubDir;
    req.repos = repos;
    req.weights = *parseWeightsMode(m_weights->currentData().toString());
    req.dryRun = true;
    auto *job = new BundleExportJob(req, this);
    m_measure = job;
    m_size->setText(tr("Measuring…"));
    connect(job, &Job::finished, this, [this, job] {
        job->deleteLater();
        if (job != m_measure)
            return;
        if (job->error()) {
            m_size->setText(job->error()->message);
        } else {
            const auto &r = job->result();
            m_predicted = r.archiveBytes;
            QString text = tr("%1 (%2 bytes): %3 repositories, %4 checkpoints, %5 files")
                               .arg(humanSize(r.archiveBytes))
                               .arg(r.archiveBytes)
                               .arg(r.manifest.repos.size())
                               .arg(r.manifest.checkpoints.size())
                               .arg(r.manifest.files.size());
            if (!r.warnings.isEmpty())
                text += u'\n' + r.warnings.join(u'\n');
            m_size->setText(text);
        }
        updateButtons();
    });
    updateButtons();
    job->start();
}

void ExportBundleDialog::updateButtons()
{
    m_export->setEnabled(!m_job && m_predicted >= 0 && !m_output->text().trimmed().isEmpty());
}

void ExportBundleDialog::startExport()
{
    if (m_job || m_predicted < 0)
        return;
    ExportRequest req;
    req.hubDir = m_hubDir;
    req.repos = checkedRepos();
    req.weights = *parseWeightsMode(m_weights->currentData().toString());
    req.output = QFileInfo(m_output->text().trimmed()).absoluteFilePath();
    auto *job = new BundleExportJob(req, this);
    m_job = job;
    m_progress->setRange(0, 0);
    m_progress->show();
    m_repos->setEnabled(false);
    m_weights->setEnabled(false);
    m_output->setEnabled(false);
    connect(job, &Job::progress, this, [this](qint64 done, qint64 total, const QString &text) {
        if (total > 0) {
            m_progress->setRange(0, 1000);
            m_progress->setValue(int(done * 1000 / total));
            m_status->setText(tr("%1 of %2: %3").arg(humanSize(done), humanSize(total), text));
        } else {
            m_status->setText(text);
        }
    });
    connect(job, &Job::finished, this, [this, job, req] {
        job->deleteLater();
        m_job = nullptr;
        m_progress->hide();
        m_repos->setEnabled(true);
        m_weights->setEnabled(true);
        m_output->setEnabled(true);
        if (job->error()) {
            m_status->setText(job->error()->message);
            updateButtons();
            return;
        }
        Q_EMIT exported(req.output, job->result().archiveBytes);
        accept();
    });
    updateButtons();
    job->start();
}

void ExportBundleDialog::reject()
{
    if (m_job) {
        m_job->cancel(); // the partial file is removed by the job; the dialog stays open
        m_status->setText(tr("Cancelling…"));
        return;
    }
    QDialog::reject();
}

} // namespace hubcap::ui
