#include "ui/browser/repolistmodel.h"

#include <QApplication>

#include "ui/common/icons.h"

#include "core/util/format.h"

#include <QFont>
#include <QHash>

#include <algorithm>

namespace hubcap::ui {

namespace {
// Top-level rows carry internalId 0; a repository row carries its group + 1.
constexpr quintptr TopLevel = 0;
} // namespace

RepoListModel::RepoListModel(QObject *parent) : QAbstractItemModel(parent) {}

QString RepoListModel::repoKey(const RepoEntry &e)
{
    return e.spec.isEmpty() ? e.path : e.spec.section(u':', 0, 0).toLower();
}

bool RepoListModel::isFurtherRef(const QModelIndex &index) const
{
    const RepoEntry *e = entry(index);
    if (!e || e->source != RepoEntry::Source::Cache || e->spec.isEmpty() || index.row() == 0)
        return false;
    const RepoEntry &prev = m_groups[int(RepoEntry::Source::Cache)].at(index.row() - 1);
    return repoKey(prev) == repoKey(*e);
}

void RepoListModel::setEntries(RepoEntry::Source source, const QList<RepoEntry> &entries)
{
    const int g = int(source);
    const QModelIndex parentIndex = index(g, 0);
    if (!m_groups[g].isEmpty()) {
        beginRemoveRows(parentIndex, 0, int(m_groups[g].size()) - 1);
        m_groups[g].clear();
        endRemoveRows();
    }
    if (!entries.isEmpty()) {
        beginInsertRows(parentIndex, 0, int(entries.size()) - 1);
        m_groups[g] = entries;
        if (source == RepoEntry::Source::Cache) {
            // The cached refs of one repository sit together, under its first one (the order
            // of repositories is kept).
            QHash<QString, int> firstSeen;
            for (const RepoEntry &e : std::as_const(m_groups[g]))
                firstSeen.insert(repoKey(e), firstSeen.value(repoKey(e), int(firstSeen.size())));
            std::stable_sort(m_groups[g].begin(), m_groups[g].end(),
                             [&](const RepoEntry &a, const RepoEntry &b) {
                                 return firstSeen.value(repoKey(a)) < firstSeen.value(repoKey(b));
                             });
        }
        for (RepoEntry &e : m_groups[g])
            e.source = source;
        endInsertRows();
    }
}

const QList<RepoEntry> &RepoListModel::entries(RepoEntry::Source source) const
{
    return m_groups[int(source)];
}

const RepoEntry *RepoListModel::entry(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this || index.internalId() == TopLevel)
        return nullptr;
    const auto &group = m_groups[index.internalId() - 1];
    return index.row() < group.size() ? &group.at(index.row()) : nullptr;
}

QModelIndex RepoListModel::indexOf(RepoEntry::Source source, int row) const
{
    return index(row, 0, index(int(source), 0));
}

QModelIndex RepoListModel::find(const QString &key) const
{
    for (int g = 0; g < GroupCount; ++g)
        for (int r = 0; r < m_groups[g].size(); ++r) {
            const RepoEntry &e = m_groups[g].at(r);
            if (e.path == key || (!e.spec.isEmpty() && e.spec == key))
                return indexOf(RepoEntry::Source(g), r);
        }
    return {};
}

void RepoListModel::setUpdateAvailable(const QString &spec, bool available)
{
    for (int g = 0; g < GroupCount; ++g)
        for (int r = 0; r < m_groups[g].size(); ++r)
            if (m_groups[g][r].spec == spec) {
                m_groups[g][r].updateAvailable = available;
                const QModelIndex i = indexOf(RepoEntry::Source(g), r);
                Q_EMIT dataChanged(i, i);
            }
}

QModelIndex RepoListModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column != 0 || row < 0)
        return {};
    if (!parent.isValid())
        return row < GroupCount ? createIndex(row, 0, TopLevel) : QModelIndex();
    if (parent.internalId() != TopLevel || parent.row() >= GroupCount)
        return {};
    if (row >= m_groups[parent.row()].size())
        return {};
    return createIndex(row, 0, quintptr(parent.row() + 1));
}

QModelIndex RepoListModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == TopLevel)
        return {};
    return createIndex(int(child.internalId() - 1), 0, TopLevel);
}

int RepoListModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return GroupCount;
    if (parent.column() != 0 || parent.internalId() != TopLevel)
        return 0;
    return int(m_groups[parent.row()].size());
}

int RepoListModel::columnCount(const QModelIndex &) const
{
    return 1;
}

Qt::ItemFlags RepoListModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    if (index.internalId() == TopLevel)
        return Qt::ItemIsEnabled;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
}

QVariant RepoListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (index.internalId() == TopLevel) {
        static const char *names[] = {QT_TR_NOOP("Demo"), QT_TR_NOOP("Local folders"),
                                      QT_TR_NOOP("Hub cache")};
        switch (role) {
        case Qt::DisplayRole:
        case Qt::AccessibleTextRole:
            return tr(names[index.row()]);
        case Qt::FontRole: {
            QFont f;
            f.setBold(true);
            return f;
        }
        case IsGroupRole:
            return true;
        case SourceRole:
            return index.row();
        }
        return {};
    }
    const RepoEntry *e = entry(index);
    if (!e)
        return {};
    switch (role) {
    case Qt::DisplayRole: {
        // Further refs of the repository above show only their ref, indented under it.
        const QString title = isFurtherRef(index)
                                  ? QStringLiteral("    \u21b3 :%1").arg(e->spec.section(u':', 1))
                                  : e->title;
        if (e->missing)
            return tr("%1  (missing)").arg(title);
        return e->updateAvailable ? tr("%1  (update available)").arg(title) : title;
    }
    case Qt::AccessibleTextRole:
        return e->missing ? tr("%1, missing").arg(e->title) : e->title;
    case Qt::ForegroundRole:
        if (e->missing)
            return QApplication::palette().brush(QPalette::Disabled, QPalette::Text);
        return {};
    case Qt::ToolTipRole: {
        // The whole name first: the sidebar elides long names in the middle.
        QStringList lines{e->spec.isEmpty() ? e->title : e->spec, e->path};
        if (e->missing)
            lines << tr("Not found (no hubconf.py there now). Right-click → Remove from List "
                        "to forget it.");
        if (!e->commit.isEmpty())
            lines << tr("Commit %1").arg(e->commit.left(12));
        if (e->source == RepoEntry::Source::Cache)
            lines << (e->trusted ? tr("Trusted")
                                 : tr("Not trusted: browsed without running its code"));
        if (e->bytes >= 0)
            lines << humanSize(e->bytes);
        return lines.join(u'\n');
    }
    case Qt::DecorationRole:
        if (e->source == RepoEntry::Source::Demo)
            return icon(QStringLiteral("demo"));
        if (e->source == RepoEntry::Source::Local)
            return icon(QStringLiteral("folder"));
        return icon(e->trusted ? QStringLiteral("trusted") : QStringLiteral("untrusted"));
    case SourceRole:
        return int(e->source);
    case PathRole:
        return e->path;
    case SpecRole:
        return e->spec;
    case CommitRole:
        return e->commit;
    case TrustedRole:
        return e->trusted;
    case UpdateAvailableRole:
        return e->updateAvailable;
    case MissingRole:
        return e->missing;
    case IsGroupRole:
        return false;
    }
    return {};
}

} // namespace hubcap::ui
