#include "ui/downloads/downloadsmodel.h"

#include "core/error.h"

#include "core/jobs/job.h"
#include "core/net/checkpointdownload.h"
#include "core/net/downloadjob.h"
#include "core/net/downloadqueue.h"
#include "core/util/format.h"

namespace hubcap::ui {

DownloadsModel::DownloadsModel(QObject *parent) : QAbstractTableModel(parent)
{
    m_timer.setInterval(200);
    connect(&m_timer, &QTimer::timeout, this, &DownloadsModel::refresh);
}

DownloadsModel::~DownloadsModel() = default;

void DownloadsModel::addJob(Job *job, RetryFactory retry)
{
    if (!job || rowOf(job) >= 0)
        return;
    const int row = int(m_items.size());
    beginInsertRows({}, row, row);
    Item item;
    item.job = job;
    item.retry = std::move(retry);
    item.title = job->title();
    snapshot(item);
    m_items << item;
    endInsertRows();
    watch(row);
    m_timer.start();
}

void DownloadsModel::watch(int row)
{
    Job *job = m_items[row].job;
    connect(job, &Job::progress, this, [this, job] { markDirty(job); });
    connect(job, &Job::stateChanged, this, [this, job] { markDirty(job); });
    connect(job, &Job::changed, this, [this, job] { markDirty(job); });
    connect(job, &Job::finished, this, [this, job] {
        markDirty(job);
        refresh(); // the final state shows at once
    });
}

void DownloadsModel::markDirty(const Job *job)
{
    const int row = rowOf(job);
    if (row >= 0)
        m_items[row].dirty = true;
}

Job *DownloadsModel::job(int row) const
{
    return row >= 0 && row < m_items.size() ? m_items.at(row).job.data() : nullptr;
}

int DownloadsModel::rowOf(const Job *job) const
{
    for (int r = 0; r < m_items.size(); ++r)
        if (m_items.at(r).job == job)
            return r;
    return -1;
}

void DownloadsModel::snapshot(Item &item) const
{
    Job *job = item.job;
    if (!job) {
        if (item.phase != Phase::Done && item.phase != Phase::Failed &&
            item.phase != Phase::Cancelled)
            item.phase = Phase::Cancelled;
        return;
    }
    if (!job->title().isEmpty())
        item.title = job->title();
    const Job::Progress p = job->currentProgress();
    item.done = p.done;
    item.total = p.total;
    item.text = p.text;
    item.speed = p.bytesPerSecond;
    item.eta = p.etaSeconds;
    item.stalledForMs = p.stalledForMs;
    item.pausable = job->capabilities().pause;
    const Job::State state = job->state();
    switch (state) {
    case Job::State::Idle:
    case Job::State::Queued:
    case Job::State::Paused:
    case Job::State::Stalled:
    case Job::State::Running:
        item.phase = phaseOf(state, p);
        break;
    case Job::State::Succeeded:
        item.phase = Phase::Done;
        // The last progress step ("Starting the libtorch host…") describes the past once the job
        // is done; the same word every finished row uses replaces it.
        item.text = tr("done");
        break;
    case Job::State::Failed:
        if (job->error() && (job->error()->code == Error::Code::Untrusted ||
                             job->error()->code == Error::Code::Cancelled)) {
            // The user's own answer (trust declined, cancelled): not a failure.
            item.phase = Phase::Cancelled;
            item.text =
                job->error()->code == Error::Code::Untrusted ? tr("not trusted") : tr("cancelled");
            break;
        }
        item.phase = Phase::Failed;
        // Where it stopped is worth keeping, but not as if it were still happening.
        if (!item.pausable)
            item.text = item.text.isEmpty() ? tr("failed") : tr("failed at: %1").arg(item.text);
        break;
    case Job::State::Cancelled:
        item.phase = Phase::Cancelled;
        if (!item.pausable)
            item.text = tr("cancelled");
        break;
    }
    item.error = job->error() ? job->error()->message : QString();
}

void DownloadsModel::refresh()
{
    bool anyActive = false;
    for (int r = 0; r < m_items.size(); ++r) {
        Item &item = m_items[r];
        const bool active = item.job && !item.job->isFinished();
        anyActive |= active;
        // Running rows refresh every tick: "stalled for N s" and speeds change without signals.
        if (!item.dirty && !active)
            continue;
        item.dirty = false;
        snapshot(item);
        Q_EMIT dataChanged(index(r, 0), index(r, ColumnCount - 1));
    }
    if (!anyActive)
        m_timer.stop();
}

DownloadsModel::Phase DownloadsModel::phaseOf(Job::State state, const Job::Progress &p)
{
    switch (state) {
    case Job::State::Idle:
    case Job::State::Queued:
        return Phase::Queued;
    case Job::State::Paused:
        return Phase::Paused;
    case Job::State::Stalled:
        return Phase::Stalled;
    case Job::State::Succeeded:
        return Phase::Done;
    case Job::State::Failed:
        return Phase::Failed;
    case Job::State::Cancelled:
        return Phase::Cancelled;
    case Job::State::Running:
        break;
    }
    if (p.stalledForMs > 0)
        return Phase::Stalled;
    switch (p.phase) {
    case Job::Phase::Connecting:
        return Phase::Connecting;
    case Job::Phase::Downloading:
        return Phase::Downloading;
    case Job::Phase::Verifying:
        return Phase::Verifying;
    case Job::Phase::Extracting:
        return Phase::Extracting;
    case Job::Phase::Waiting:
    case Job::Phase::Working:
        break;
    }
    return Phase::Running;
}

void DownloadsModel::pause(int row)
{
    if (Job *j = job(row); j && j->capabilities().pause) {
        j->pause();
        markDirty(j);
    }
    refresh();
}

void DownloadsModel::resume(int row)
{
    if (Job *j = job(row); j && j->capabilities().pause) {
        j->resume();
        markDirty(j);
        m_timer.start();
    }
    refresh();
}

void DownloadsModel::cancel(int row)
{
    if (Job *j = job(row))
        j->cancel();
    refresh();
}

void DownloadsModel::retry(int row)
{
    if (row < 0 || row >= m_items.size())
        return;
    Item &item = m_items[row];
    if (!item.retry || (item.job && !item.job->isFinished()))
        return;
    Job *fresh = item.retry();
    if (!fresh)
        return;
    if (item.job)
        item.job->deleteLater();
    item.job = fresh;
    item.dirty = true;
    watch(row);
    if (fresh->state() == Job::State::Idle)
        fresh->start();
    m_timer.start();
    refresh();
}

void DownloadsModel::clearFinished()
{
    for (int r = int(m_items.size()) - 1; r >= 0; --r) {
        const Item &item = m_items.at(r);
        if (item.phase == Phase::Done || item.phase == Phase::Failed ||
            item.phase == Phase::Cancelled) {
            beginRemoveRows({}, r, r);
            if (item.job) {
                item.job->disconnect(this);
                item.job->deleteLater(); // finished: nothing else needs it now
            }
            m_items.removeAt(r);
            endRemoveRows();
        }
    }
}

int DownloadsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int DownloadsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString DownloadsModel::phaseText(Phase phase, qint64 stalledForMs)
{
    switch (phase) {
    case Phase::Queued:
        return tr("Queued");
    case Phase::Connecting:
        return tr("Connecting");
    case Phase::Downloading:
        return tr("Downloading");
    case Phase::Stalled:
        return tr("Stalled for %1").arg(humanDuration(stalledForMs / 1000));
    case Phase::Paused:
        return tr("Paused");
    case Phase::Verifying:
        return tr("Verifying");
    case Phase::Extracting:
        return tr("Extracting");
    case Phase::Running:
        return tr("Running");
    case Phase::Done:
        return tr("Done");
    case Phase::Failed:
        return tr("Failed");
    case Phase::Cancelled:
        return tr("Cancelled");
    }
    return {};
}

QVariant DownloadsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Item &item = m_items.at(index.row());
    const bool finished =
        item.phase == Phase::Done || item.phase == Phase::Failed || item.phase == Phase::Cancelled;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return item.title;
        case ProgressColumn:
            return item.total > 0 ? QStringLiteral("%1%").arg(100 * item.done / item.total)
                                  : QString();
        case BytesColumn:
            if (!item.pausable) // not a byte count: steps of a fetch, load or export
                return item.text;
            if (item.total > 0)
                return tr("%1 of %2").arg(humanSize(item.done), humanSize(item.total));
            return item.done > 0 ? humanSize(item.done) : QString();
        case SpeedColumn: // nothing moves while paused or queued: no speed, no ETA
            return item.speed > 0 && !finished && item.phase != Phase::Paused &&
                           item.phase != Phase::Queued
                       ? tr("%1/s").arg(humanSize(qint64(item.speed)))
                       : QString();
        case EtaColumn:
            return item.eta >= 0 && !finished && item.phase != Phase::Paused &&
                           item.phase != Phase::Queued
                       ? humanDuration(item.eta)
                       : QString();
        case StateColumn:
            if (item.phase == Phase::Failed)
                return tr("Failed: %1").arg(item.error);
            return phaseText(item.phase, item.stalledForMs);
        }
        return {};
    case Qt::ToolTipRole:
        if (!item.error.isEmpty())
            return item.error;
        return item.text.isEmpty() ? item.title : item.title + u'\n' + item.text;
    case PhaseRole:
        return int(item.phase);
    case DoneRole:
        return item.done;
    case TotalRole:
        return item.total;
    case ProgressRole:
        if (item.phase == Phase::Done)
            return 1.0;
        return item.total > 0 ? double(item.done) / double(item.total) : -1.0;
    case SpeedRole:
        return item.speed;
    case EtaRole:
        return item.eta;
    case StalledForRole:
        return item.stalledForMs;
    case ErrorRole:
        return item.error;
    case CanPauseRole:
        return item.pausable && !finished && item.phase != Phase::Paused;
    case CanResumeRole:
        return item.pausable && item.phase == Phase::Paused;
    case CanCancelRole:
        return !finished;
    case CanRetryRole:
        return bool(item.retry) && (item.phase == Phase::Failed || item.phase == Phase::Cancelled);
    }
    return {};
}

QVariant DownloadsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case ProgressColumn:
        return tr("Progress");
    case BytesColumn:
        return tr("Transferred / step");
    case SpeedColumn:
        return tr("Speed");
    case EtaColumn:
        return tr("ETA");
    case StateColumn:
        return tr("State");
    }
    return {};
}

} // namespace hubcap::ui
