#include "cachemodel.h"

#include "common/icons.h"

#include <util/format.h>

#include <QLocale>

namespace hubcap::ui {

CacheModel::CacheModel(QObject *parent) : QAbstractTableModel(parent) {}

QString CacheModel::kindName(CacheRow::Kind kind)
{
    switch (kind) {
    case CacheRow::Kind::Repo:
        return tr("Repository");
    case CacheRow::Kind::Checkpoint:
        return tr("Checkpoint");
    case CacheRow::Kind::Leftover:
        return tr("Leftover");
    }
    return {};
}

void CacheModel::setInventory(const CacheInventory &inventory)
{
    beginResetModel();
    m_inventory = inventory;
    m_rows.clear();
    for (const CachedRepo &r : inventory.repos) {
        CacheRow row;
        row.kind = CacheRow::Kind::Repo;
        row.name = r.displayName();
        row.relPath = r.dir;
        row.path = r.path;
        row.bytes = r.bytes;
        row.files = r.files;
        row.modified = r.modified;
        row.commit = r.commit;
        QStringList details;
        details << (r.trust.trusted() ? trustReasonText(r.trust.reason) : tr("not trusted"));
        if (r.isSymlink)
            details << tr("symlink");
        if (r.known() && r.dir != row.name)
            details << tr("folder %1").arg(r.dir);
        row.details = details.join(QStringLiteral(", "));
        m_rows << row;
    }
    for (const CachedCheckpoint &c : inventory.checkpoints) {
        CacheRow row;
        row.kind = CacheRow::Kind::Checkpoint;
        row.name = c.name;
        row.relPath = QStringLiteral("checkpoints/") + c.name;
        row.path = c.path;
        row.bytes = c.bytes;
        row.files = c.isDir ? -1 : 1;
        row.modified = c.modified;
        QStringList details;
        if (c.provenance) {
            if (!c.provenance->url.isEmpty())
                details << c.provenance->url;
            if (!c.provenance->repo.isEmpty())
                details << tr("for %1").arg(c.provenance->repo);
        }
        if (!c.hashPrefix.isEmpty())
            details << tr("hash %1").arg(c.hashPrefix);
        row.details = details.join(QStringLiteral(", "));
        m_rows << row;
    }
    for (const Leftover &l : inventory.leftovers) {
        CacheRow row;
        row.kind = CacheRow::Kind::Leftover;
        row.name = l.path;
        row.relPath = l.path;
        row.path = l.absolutePath;
        row.bytes = l.bytes;
        row.modified = l.modified;
        row.details = leftoverKindName(l.kind);
        m_rows << row;
    }
    endResetModel();
}

const CacheRow *CacheModel::row(int r) const
{
    return r >= 0 && r < m_rows.size() ? &m_rows.at(r) : nullptr;
}

int CacheModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CacheModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CacheModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const CacheRow &r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return r.name;
        case KindColumn:
            return kindName(r.kind);
        case SizeColumn:
            return humanSize(r.bytes);
        case FilesColumn:
            return r.files >= 0 ? QLocale().toString(r.files) : QString();
        case ModifiedColumn:
            return r.modified.isValid()
                       ? QLocale().toString(r.modified.toLocalTime(), QLocale::ShortFormat)
                       : QString();
        case CommitColumn:
            return r.commit.left(12);
        case DetailsColumn:
            return r.details;
        }
        return {};
    case SortRole:
        switch (index.column()) {
        case SizeColumn:
            return r.bytes;
        case FilesColumn:
            return r.files;
        case ModifiedColumn:
            return r.modified;
        case KindColumn:
            return int(r.kind);
        }
        return data(index, Qt::DisplayRole);
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn || index.column() == FilesColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::DecorationRole:
        if (index.column() != NameColumn)
            return {};
        switch (r.kind) {
        case CacheRow::Kind::Repo:
            return icon(QStringLiteral("repo"));
        case CacheRow::Kind::Checkpoint:
            return icon(QStringLiteral("checkpoint"));
        case CacheRow::Kind::Leftover:
            return icon(QStringLiteral("leftover"));
        }
        return {};
    case Qt::ToolTipRole:
        return r.path;
    case BytesRole:
        return r.bytes;
    case KindRole:
        return int(r.kind);
    case PathRole:
        return r.path;
    case RelPathRole:
        return r.relPath;
    }
    return {};
}

QVariant CacheModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case KindColumn:
        return tr("Kind");
    case SizeColumn:
        return tr("Size");
    case FilesColumn:
        return tr("Files");
    case ModifiedColumn:
        return tr("Modified");
    case CommitColumn:
        return tr("Commit");
    case DetailsColumn:
        return tr("Details");
    }
    return {};
}

} // namespace hubcap::ui
