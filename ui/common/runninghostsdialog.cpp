#include "ui/common/runninghostsdialog.h"

#include "ui/common/corebridge.h"

#include "core/hosts/pyhost/client/pyhostclient.h"
#include "core/util/format.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace hubcap::ui {

RunningHostsDialog::RunningHostsDialog(CoreBridge *bridge, QWidget *parent)
    : QDialog(parent), m_table(new QTableWidget(0, 4)), m_summary(new QLabel),
      m_stop(new QPushButton(tr("&Stop"))), m_stopAll(new QPushButton(tr("Stop &All")))
{
    setObjectName(QStringLiteral("runningHostsDialog"));
    setWindowTitle(tr("Running Python Hosts"));
    m_table->setHorizontalHeaderLabels({tr("Repository"), tr("PID"), tr("Memory"), tr("State")});
    m_table->setAccessibleName(tr("Running Python hosts"));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    for (int c = 1; c < 4; ++c)
        m_table->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    m_summary->setWordWrap(true);
    m_stop->setToolTip(tr("Stop the selected hosts (a busy one stops when its request ends)"));
    m_stopAll->setToolTip(tr("Stop every host; they start again when needed"));
    connect(m_stop, &QPushButton::clicked, this, &RunningHostsDialog::stopSelected);
    connect(m_stopAll, &QPushButton::clicked, this, [this] {
        if (m_pool)
            m_pool->stopAll();
        refresh();
    });
    connect(m_table, &QTableWidget::itemSelectionChanged, this,
            [this] { m_stop->setEnabled(!m_table->selectionModel()->selectedRows().isEmpty()); });
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    buttons->addButton(m_stop, QDialogButtonBox::ActionRole);
    buttons->addButton(m_stopAll, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_table, 1);
    layout->addWidget(buttons);
    resize(640, 320);

    m_timer.setInterval(2000);
    connect(&m_timer, &QTimer::timeout, this, &RunningHostsDialog::refresh);
    m_timer.start();
    if (bridge) {
        connect(bridge, &CoreBridge::hostPoolCreated, this, &RunningHostsDialog::attach);
        attach(bridge->existingHostPool());
    }
    refresh();
}

void RunningHostsDialog::attach(PyHostPool *pool)
{
    if (!pool || pool == m_pool)
        return;
    m_pool = pool;
    connect(pool, &PyHostPool::hostsChanged, this, &RunningHostsDialog::refresh);
    refresh();
}

void RunningHostsDialog::refresh()
{
    const QList<PyHostPool::HostStatus> hosts =
        m_pool ? m_pool->runningHosts() : QList<PyHostPool::HostStatus>{};
    QStringList selected;
    for (const QModelIndex &i : m_table->selectionModel()->selectedRows())
        selected << m_table->item(i.row(), 0)->data(Qt::UserRole).toString();
    m_table->setRowCount(int(hosts.size()));
    qint64 total = 0;
    for (int row = 0; row < hosts.size(); ++row) {
        const auto &h = hosts[row];
        auto *repo = new QTableWidgetItem(QDir::toNativeSeparators(h.repoDir));
        repo->setData(Qt::UserRole, h.repoDir);
        repo->setToolTip(QDir::toNativeSeparators(h.repoDir));
        m_table->setItem(row, 0, repo);
        m_table->setItem(row, 1, new QTableWidgetItem(QString::number(h.pid)));
        auto *memory =
            new QTableWidgetItem(h.residentBytes >= 0 ? humanSize(h.residentBytes) : tr("unknown"));
        memory->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_table->setItem(row, 2, memory);
        const QString state = h.busy ? tr("running %1").arg(h.method)
                                     : tr("idle for %1").arg(humanDuration(h.idleForMs / 1000));
        m_table->setItem(row, 3, new QTableWidgetItem(state));
        if (h.residentBytes > 0)
            total += h.residentBytes;
        if (selected.contains(h.repoDir))
            m_table->selectRow(row);
    }
    if (hosts.isEmpty()) {
        m_summary->setText(tr("No Python host is running. One starts when a repository's "
                              "entrypoints are listed with its code, or a model is loaded."));
    } else {
        QString text = tr("%n host(s) running, %1 in total.", nullptr, int(hosts.size()))
                           .arg(humanSize(total));
        if (m_pool && m_pool->idleTimeoutMs() > 0)
            text += u' ' + tr("Idle hosts stop after %1 (Settings).")
                               .arg(humanDuration(m_pool->idleTimeoutMs() / 1000));
        m_summary->setText(text);
    }
    m_stop->setEnabled(!m_table->selectionModel()->selectedRows().isEmpty());
    m_stopAll->setEnabled(!hosts.isEmpty());
}

void RunningHostsDialog::stopSelected()
{
    if (!m_pool)
        return;
    for (const QModelIndex &i : m_table->selectionModel()->selectedRows())
        m_pool->stopHostsUnder(m_table->item(i.row(), 0)->data(Qt::UserRole).toString());
    refresh();
}

} // namespace hubcap::ui
