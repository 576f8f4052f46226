#include "ui/cache/cachepage.h"

#include "ui/common/plural.h"

#include "ui/cache/cachemodel.h"
#include "ui/common/icons.h"
#include "ui/common/uiutil.h"

#include "core/cache/deletion.h"
#include "core/util/format.h"

#include <QAction>

#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTimer>
#include <QTreeView>
#include <QUrl>
#include <QVBoxLayout>
#include <algorithm>

namespace hubcap::ui {

/// Text filter over every column plus a kind filter.
class CacheFilterProxy : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setKind(int kind) // -1: all
    {
        m_kind = kind;
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        if (m_kind >= 0 &&
            sourceModel()->index(row, 0, parent).data(CacheModel::KindRole).toInt() != m_kind)
            return false;
        return QSortFilterProxyModel::filterAcceptsRow(row, parent);
    }

private:
    int m_kind = -1;
};

CachePage::CachePage(const QString &hubDir, Confirmer confirmer, QWidget *parent)
    : QWidget(parent), m_hubDir(hubDir), m_confirmer(std::move(confirmer)),
      m_model(new CacheModel(this)), m_proxy(new CacheFilterProxy(this)),
      m_sizeTimer(new QTimer(this))
{
    // Sizes arrive one folder at a time; apply them in batches so a cache of many small
    // folders does not re-sort the view once per folder.
    m_sizeTimer->setSingleShot(true);
    m_sizeTimer->setInterval(100);
    connect(m_sizeTimer, &QTimer::timeout, this, &CachePage::flushSizes);

    setObjectName(QStringLiteral("cachePage"));
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(CacheModel::SortRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    m_filter = new QLineEdit;
    m_filter->setObjectName(QStringLiteral("cacheFilter"));
    m_filter->setPlaceholderText(tr("Filter the cache"));
    m_filter->setAccessibleName(tr("Filter the cache"));
    m_filter->setClearButtonEnabled(true);
    m_filter->addAction(icon(QStringLiteral("filter")), QLineEdit::LeadingPosition);
    m_kindFilter = new QComboBox;
    m_kindFilter->setAccessibleName(tr("Show"));
    m_kindFilter->addItem(tr("Everything"), -1);
    m_kindFilter->addItem(tr("Repositories"), int(CacheRow::Kind::Repo));
    m_kindFilter->addItem(tr("Checkpoints"), int(CacheRow::Kind::Checkpoint));
    m_kindFilter->addItem(tr("Leftovers"), int(CacheRow::Kind::Leftover));

    auto *rescanButton = new QPushButton(icon(QStringLiteral("reload")), tr("Rescan"));
    m_deleteButton = new QPushButton(icon(QStringLiteral("delete")), tr("&Delete…"));
    m_deleteButton->setToolTip(tr("Delete the selected items (Del)"));
    m_inspectButton = new QPushButton(icon(QStringLiteral("inspect")), tr("&Inspect…"));
    m_inspectButton->setToolTip(tr("Show the tensors in the selected checkpoint"));
    m_cleanButton = new QPushButton(icon(QStringLiteral("clear")), tr("Clean &Leftovers…"));
    m_clearButton = new QPushButton(icon(QStringLiteral("delete")), tr("Clear &Cache…"));
    auto *showButton = new QPushButton(icon(QStringLiteral("folder")), tr("Show in File Manager"));

    m_view = new QTreeView;
    m_view->setObjectName(QStringLiteral("cacheView"));
    m_view->setAccessibleName(tr("Cache contents"));
    m_view->setModel(m_proxy);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(CacheModel::SizeColumn, Qt::DescendingOrder);
    m_view->header()->setSectionResizeMode(CacheModel::NameColumn, QHeaderView::Interactive);
    m_view->header()->resizeSection(CacheModel::NameColumn, 280);
    m_view->setTextElideMode(Qt::ElideMiddle);
    m_view->header()->resizeSection(CacheModel::ModifiedColumn, 150);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);

    // Shown over the empty table: what the page is for and how to fill it, or that the filter
    // hides everything.
    m_emptyLabel = new QLabel(m_view->viewport());
    m_emptyLabel->setObjectName(QStringLiteral("cacheEmpty"));
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setTextFormat(Qt::PlainText);
    // Only the text colour, re-read after a live switch of the appearance.
    const auto colourEmpty = [this] {
        QPalette emptyPalette;
        emptyPalette.setColor(QPalette::WindowText, palette().color(QPalette::PlaceholderText));
        m_emptyLabel->setPalette(emptyPalette);
    };
    colourEmpty();
    onAppearanceChanged(this, colourEmpty);
    auto *emptyLayout = new QVBoxLayout(m_view->viewport());
    emptyLayout->addWidget(m_emptyLabel);
    m_emptyLabel->hide();
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_proxy, signal, this, &CachePage::updateEmptyState);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &CachePage::updateEmptyState);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &CachePage::updateEmptyState);

    // On its own line above the buttons, wrapped: at 800 px the buttons take the whole width.
    m_totals = new QLabel;
    m_totals->setObjectName(QStringLiteral("cacheTotals"));
    m_totals->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_totals->setWordWrap(true);

    auto *top = new QHBoxLayout;
    top->addWidget(m_filter, 1);
    top->addWidget(m_kindFilter);
    top->addWidget(rescanButton);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(showButton);
    bottom->addStretch(1);
    bottom->addWidget(m_inspectButton);
    bottom->addWidget(m_deleteButton);
    bottom->addWidget(m_cleanButton);
    bottom->addWidget(m_clearButton);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_totals);
    layout->addLayout(bottom);

    auto *deleteAction = new QAction(icon(QStringLiteral("delete")), tr("Delete…"), this);
    deleteAction->setShortcut(QKeySequence::Delete);
    deleteAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(deleteAction, &QAction::triggered, this, &CachePage::deleteSelected);
    auto *inspectAction = new QAction(icon(QStringLiteral("inspect")), tr("Inspect…"), this);
    connect(inspectAction, &QAction::triggered, this, &CachePage::inspectSelected);
    auto *showAction =
        new QAction(icon(QStringLiteral("folder")), tr("Show in File Manager"), this);
    connect(showAction, &QAction::triggered, this, &CachePage::showInFileManager);
    m_view->addAction(inspectAction);
    m_view->addAction(showAction);
    m_view->addAction(deleteAction);
    addAction(deleteAction);

    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);
    connect(m_kindFilter, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setKind(m_kindFilter->currentData().toInt()); });
    connect(rescanButton, &QPushButton::clicked, this, &CachePage::rescan);
    connect(m_deleteButton, &QPushButton::clicked, this, &CachePage::deleteSelected);
    connect(m_inspectButton, &QPushButton::clicked, this, &CachePage::inspectSelected);
    connect(m_cleanButton, &QPushButton::clicked, this, &CachePage::cleanLeftovers);
    connect(m_clearButton, &QPushButton::clicked, this, &CachePage::clearCache);
    connect(showButton, &QPushButton::clicked, this, &CachePage::showInFileManager);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &CachePage::updateActions);
    connect(m_view, &QTreeView::activated, this, [this](const QModelIndex &i) {
        if (i.data(CacheModel::KindRole).toInt() == int(CacheRow::Kind::Checkpoint))
            Q_EMIT inspectRequested(i.data(CacheModel::PathRole).toString());
    });
    updateTotals();
    updateActions();
}

CachePage::~CachePage()
{
    if (m_scan)
        m_scan->cancel();
}

const CacheInventory &CachePage::inventory() const
{
    return m_model->inventory();
}

void CachePage::setHubDir(const QString &hubDir)
{
    m_hubDir = hubDir;
    rescan();
}

void CachePage::rescan()
{
    if (m_scan) {
        // Nothing more of the old scan reaches this page; it goes away once it has stopped.
        CacheScanJob *old = m_scan;
        old->disconnect(this);
        connect(old, &Job::finished, old, &QObject::deleteLater);
        old->cancel();
    }
    m_sizeTimer->stop();
    m_sizeQueue.clear();
    m_listed = false;
    auto *job = new CacheScanJob(m_hubDir, this);
    job->setBeforeMeasure(m_beforeMeasure);
    m_scan = job;
    updateTotals();
    connect(job, &CacheScanJob::listed, this,
            [this, job](const CacheInventory &partial, const QStringList &pending) {
                if (job != m_scan)
                    return;
                const QStringList selected = selectedRelPaths();
                m_model->setListing(partial, pending);
                selectRelPaths(selected);
                m_listed = true;
                updateTotals();
                updateActions();
            });
    connect(job, &CacheScanJob::sized, this, [this, job](const SizedEntry &entry) {
        if (job != m_scan)
            return;
        m_sizeQueue << entry;
        if (!m_sizeTimer->isActive())
            m_sizeTimer->start();
    });
    connect(job, &Job::finished, this, [this, job] {
        job->deleteLater();
        if (job != m_scan)
            return;
        if (job->error()) {
            m_totals->setText(job->error()->message);
            Q_EMIT statusMessage(job->error()->message);
        } else {
            flushSizes();
            const QStringList selected = selectedRelPaths();
            m_scan.clear();
            m_model->finishInventory(job->result());
            selectRelPaths(selected); // only needed when the model had to reset
            updateTotals();
            Q_EMIT scanned(job->result());
        }
        m_scan.clear();
        updateActions();
    });
    job->start();
}

void CachePage::flushSizes()
{
    m_sizeTimer->stop();
    if (m_sizeQueue.isEmpty())
        return;
    for (const SizedEntry &entry : std::as_const(m_sizeQueue))
        m_model->applySize(entry);
    m_sizeQueue.clear();
    updateTotals();
    updateActions();
}

bool CachePage::leftoversMeasuring() const
{
    for (int r = 0; r < m_model->rowCount(); ++r) {
        const QModelIndex i = m_model->index(r, 0);
        if (i.data(CacheModel::KindRole).toInt() == int(CacheRow::Kind::Leftover) &&
            i.data(CacheModel::MeasuringRole).toBool())
            return true;
    }
    return false;
}

bool CachePage::selectionMeasuring() const
{
    for (const QModelIndex &i : m_view->selectionModel()->selectedRows())
        if (i.data(CacheModel::MeasuringRole).toBool())
            return true;
    return false;
}

void CachePage::updateEmptyState()
{
    if (m_proxy->rowCount() > 0 || (m_scan && !m_listed)) {
        m_emptyLabel->hide();
        return;
    }
    if (m_model->rowCount() > 0)
        m_emptyLabel->setText(tr("Nothing matches the filter."));
    else
        m_emptyLabel->setText(
            tr("The hub cache in %1 is empty.\n\nOpen a repository (Ctrl+O) or download "
               "weights (Ctrl+Shift+D): what torch.hub or Hubcap put here shows up with its size.")
                .arg(QDir::toNativeSeparators(m_hubDir)));
    m_emptyLabel->show();
}

void CachePage::updateTotals()
{
    updateEmptyState();
    const CacheInventory &inv = m_model->inventory();
    if (m_scan && !m_listed) {
        m_totals->setText(tr("Scanning %1 …").arg(m_hubDir));
        return;
    }
    const QString counts =
        QStringLiteral("%1, %2, %3")
            .arg(countOf(inv.repos.size(), tr("repository"), tr("repositories")),
                 countOf(inv.checkpoints.size(), tr("checkpoint"), tr("checkpoints")),
                 countOf(inv.leftovers.size(), tr("leftover"), tr("leftovers")));
    QString text;
    if (m_scan) {
        text = tr("%1 so far in %2").arg(humanSize(inv.totalBytes), counts);
        if (m_model->measuringCount() > 0)
            text += tr(" · measuring folder sizes, %1 to go…").arg(m_model->measuringCount());
    } else {
        text = tr("%1 in %2").arg(humanSize(inv.totalBytes), counts);
    }
    if (inv.freeBytes >= 0)
        text += tr(" · %1 free").arg(humanSize(inv.freeBytes));
    if (!inv.problems.isEmpty())
        text += tr(" · %n unreadable entries", nullptr, int(inv.problems.size()));
    m_totals->setText(text);
    Q_EMIT totalsChanged(inv.totalBytes, inv.freeBytes, m_scan ? m_model->measuringCount() : 0);
}

void CachePage::updateActions()
{
    const QStringList sel = selectedRelPaths();
    const bool idle = !m_deletion;
    // A confirmation must say how much is freed, so what is still being measured waits.
    const bool measuring = selectionMeasuring();
    m_deleteButton->setEnabled(idle && !sel.isEmpty() && !measuring);
    m_deleteButton->setToolTip(measuring ? tr("Wait until the selected folders are measured")
                                         : tr("Delete the selected items (Del)"));
    bool checkpoint = false;
    for (const QModelIndex &i : m_view->selectionModel()->selectedRows())
        checkpoint |= i.data(CacheModel::KindRole).toInt() == int(CacheRow::Kind::Checkpoint);
    m_inspectButton->setEnabled(checkpoint);
    m_cleanButton->setEnabled(idle && !m_model->inventory().leftovers.isEmpty() &&
                              !leftoversMeasuring());
    m_clearButton->setEnabled(idle && m_model->rowCount() > 0 && m_model->measuringCount() == 0);
}

QStringList CachePage::selectedRelPaths() const
{
    QStringList out;
    for (const QModelIndex &i : m_view->selectionModel()->selectedRows())
        out << i.data(CacheModel::RelPathRole).toString();
    return out;
}

void CachePage::selectRelPaths(const QStringList &relPaths)
{
    QItemSelection selection;
    for (int r = 0; r < m_proxy->rowCount(); ++r) {
        const QModelIndex i = m_proxy->index(r, 0);
        if (relPaths.contains(i.data(CacheModel::RelPathRole).toString()))
            selection.select(i, m_proxy->index(r, CacheModel::ColumnCount - 1));
    }
    m_view->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    updateActions();
}

void CachePage::deleteSelected()
{
    const QStringList targets = selectedRelPaths();
    if (targets.isEmpty())
        return;
    if (selectionMeasuring()) {
        Q_EMIT statusMessage(tr("The selection is still being measured; try again in a moment."));
        return;
    }
    const auto plan = planRemoval(m_model->inventory(), targets);
    if (!plan) {
        Q_EMIT statusMessage(plan.error().message);
        m_confirmer(this, {tr("Cannot delete"), plan.error().text(), {}, {}});
        return;
    }
    runPlan(*plan, tr("Delete %1?").arg(countOf(plan->items.size(), tr("item"), tr("items"))),
            tr("Delete"));
}

void CachePage::cleanLeftovers()
{
    QStringList targets;
    for (const Leftover &l : m_model->inventory().leftovers)
        targets << l.path;
    if (targets.isEmpty())
        return;
    if (leftoversMeasuring()) {
        Q_EMIT statusMessage(tr("Leftovers are still being measured; try again in a moment."));
        return;
    }
    auto plan = planRemoval(m_model->inventory(), targets);
    if (!plan) {
        Q_EMIT statusMessage(plan.error().message);
        return;
    }
    const bool partials =
        std::any_of(m_model->inventory().leftovers.begin(), m_model->inventory().leftovers.end(),
                    [](const Leftover &l) { return l.kind == Leftover::Kind::Partial; });
    if (partials)
        plan->notes << tr("A .partial file is an interrupted download: downloading the same URL "
                          "again resumes it. Removing it loses that progress.");
    runPlan(*plan,
            tr("Remove %1?").arg(countOf(plan->items.size(), tr("leftover"), tr("leftovers"))),
            tr("Clean"));
}

void CachePage::clearCache()
{
    if (m_model->measuringCount() > 0) {
        Q_EMIT statusMessage(tr("The cache is still being measured; try again in a moment."));
        return;
    }
    const DeletionPlan plan = planClear(m_model->inventory());
    if (plan.items.isEmpty())
        return;
    runPlan(plan, tr("Clear the whole hub cache?"), tr("Clear Cache"));
}

void CachePage::runPlan(const DeletionPlan &plan, const QString &title, const QString &acceptLabel)
{
    Confirmation c;
    c.title = title;
    c.text = tr("%3 will be deleted from %1, freeing %2. This cannot be undone.")
                 .arg(plan.hubDir, humanSize(plan.totalBytes()),
                      countOf(plan.items.size(), tr("item"), tr("items")));
    for (const DeletionItem &item : plan.items)
        c.items << QStringLiteral("%1  (%2)").arg(item.relPath, humanSize(item.bytes));
    c.notes = plan.notes;
    c.acceptLabel = acceptLabel;
    if (!m_confirmer(this, c))
        return;
    auto *job = new DeletionJob(plan, this);
    m_deletion = job;
    updateActions();
    connect(job, &Job::finished, this, [this, job] {
        job->deleteLater();
        const DeletionOutcome &out = job->outcome();
        QString text = tr("Freed %1.").arg(humanSize(out.freedBytes));
        if (!out.skipped.isEmpty()) {
            // A running fetch or download holds them: said, not hidden.
            QStringList lines;
            for (const DeletionFailure &f : out.skipped)
                lines << QStringLiteral("%1: %2").arg(f.path, f.reason);
            text += u' ' + tr("%1 kept: in use by a running job.")
                               .arg(countOf(out.skipped.size(), tr("item"), tr("items")));
            if (out.failed.isEmpty())
                m_confirmer(this, {tr("Some items are in use"), text, lines, {}});
        }
        if (!out.failed.isEmpty()) {
            QStringList lines;
            for (const DeletionFailure &f : out.failed)
                lines << QStringLiteral("%1: %2").arg(f.path, f.reason);
            text += u' ' + tr("%1 could not be deleted.")
                               .arg(countOf(out.failed.size(), tr("item"), tr("items")));
            m_confirmer(this, {tr("Some items were not deleted"), text, lines, {}});
        }
        Q_EMIT statusMessage(text);
        m_deletion.clear();
        if (!out.removed.isEmpty())
            Q_EMIT pathsRemoved(out.removed);
        Q_EMIT deletionFinished(out.freedBytes, int(out.failed.size()));
        rescan();
    });
    job->start();
}

void CachePage::showInFileManager()
{
    QString path = m_hubDir;
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (!rows.isEmpty()) {
        const QFileInfo fi(rows.first().data(CacheModel::PathRole).toString());
        path = fi.isDir() ? fi.absoluteFilePath() : fi.absolutePath();
    }
    QDesktopServices::openUrl(QUrl::fromLocalFile(path));
}

void CachePage::inspectSelected()
{
    for (const QModelIndex &i : m_view->selectionModel()->selectedRows())
        if (i.data(CacheModel::KindRole).toInt() == int(CacheRow::Kind::Checkpoint)) {
            Q_EMIT inspectRequested(i.data(CacheModel::PathRole).toString());
            return;
        }
}

} // namespace hubcap::ui
