#include "ui/cache/inspectordialog.h"

#include "ui/common/plural.h"

#include "ui/common/theme.h"

#include "ui/cache/tensormodel.h"

#include "core/inspect/inspectjob.h"
#include "core/util/format.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPointer>
#include <QSortFilterProxyModel>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

#include <memory>

namespace hubcap::ui {

InspectorDialog::InspectorDialog(const QString &path, QWidget *parent)
    : QDialog(parent), m_path(path), m_model(new TensorModel(this))
{
    setObjectName(QStringLiteral("inspectorDialog"));
    setWindowTitle(tr("Inspect %1").arg(QFileInfo(path).fileName()));
    m_banner = new QLabel;
    m_banner->setObjectName(QStringLiteral("unsafeBanner"));
    m_banner->setWordWrap(true);
    m_banner->setMargin(6);
    m_banner->setAutoFillBackground(true);
    m_banner->hide();
    m_totals = new QLabel(tr("Reading %1 …").arg(path));
    m_totals->setWordWrap(true);
    m_totals->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_filter = new QLineEdit;
    m_filter->setPlaceholderText(tr("Filter tensors"));
    m_filter->setAccessibleName(tr("Filter tensors"));
    m_filter->setClearButtonEnabled(true);
    auto *proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(m_model);
    proxy->setSortRole(Qt::UserRole);
    proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    proxy->setFilterKeyColumn(TensorModel::KeyColumn);
    connect(m_filter, &QLineEdit::textChanged, proxy, &QSortFilterProxyModel::setFilterFixedString);
    m_view = new QTreeView;
    m_view->setObjectName(QStringLiteral("tensorView"));
    m_view->setAccessibleName(tr("Tensors"));
    m_view->setModel(proxy);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(-1, Qt::AscendingOrder);
    m_view->header()->resizeSection(TensorModel::KeyColumn, 320);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(m_totals);
    layout->addWidget(m_filter);
    layout->addWidget(m_view, 1);
    layout->addWidget(buttons);
    resize(820, 560);

    // The inspector runs in a child process (hubcap-cli --json inspect) with memory, CPU and
    // time limits: a crafted file that crashes it, exhausts its memory or makes it spin fails
    // that process, never this window. Started from the event loop so that the owner can adjust
    // the limits first; closing the dialog stops it.
    m_job = new inspect::InspectProcessJob(path, QString(), this);
    connect(m_job, &Job::finished, this, [this] {
        if (m_job->error())
            showInfo(std::unexpected(*m_job->error()));
        else
            showInfo(m_job->info());
    });
    QTimer::singleShot(0, m_job, [job = m_job] { job->start(); });
}

void InspectorDialog::showInfo(const Result<inspect::CheckpointInfo> &info)
{
    if (!info) {
        m_totals->setText(
            tr("<b>Cannot inspect this file.</b> %1").arg(info.error().text().toHtmlEscaped()));
        Q_EMIT loaded(false);
        return;
    }
    m_model->setTensors(info->tensors);
    const QLocale loc;
    QStringList dtypes;
    for (auto it = info->bytesPerDtype.begin(); it != info->bytesPerDtype.end(); ++it)
        dtypes << QStringLiteral("%1 %2").arg(it.key(), humanSize(it.value()));
    m_totals->setText(tr("%1 format · %6 · %2 parameters · %3 in tensors (%4) · file %5")
                          .arg(info->format, loc.toString(info->totalParams),
                               humanSize(info->totalBytes), dtypes.join(QStringLiteral(", ")),
                               humanSize(info->fileSize),
                               countOf(info->tensors.size(), tr("tensor"), tr("tensors"))));
    if (!info->unsafeGlobals.isEmpty()) {
        m_banner->setText(
            tr("<b>Warning: this file references code outside torch's tensor types</b> (%1). "
               "Hubcap did not run it, but <code>torch.load</code> without "
               "<code>weights_only=True</code> would import and call it. Only load it if you "
               "trust its source.")
                .arg(info->unsafeGlobals.join(QStringLiteral(", ")).toHtmlEscaped()));
        m_banner->setPalette(bannerPalette(Tone::Error, palette()));
        m_banner->show();
    }
    m_loaded = true;
    Q_EMIT loaded(true);
}

} // namespace hubcap::ui
