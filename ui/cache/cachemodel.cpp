#include "ui/cache/cachemodel.h"

#include "ui/common/icons.h"

#include "core/util/format.h"

#include <QFont>
#include <QGuiApplication>
#include <QLocale>
#include <QPalette>

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
    replaceRows(inventory, rowsFor(inventory));
}

void CacheModel::setListing(const CacheInventory &partial, const QStringList &pending)
{
    QList<CacheRow> rows = rowsFor(partial);
    for (CacheRow &row : rows)
        row.measuring = pending.contains(row.relPath);
    replaceRows(partial, std::move(rows));
}

void CacheModel::replaceRows(const CacheInventory &inventory, QList<CacheRow> rows)
{
    beginResetModel();
    m_inventory = inventory;
    m_rows = std::move(rows);
    m_rowOf.clear();
    m_measuring = 0;
    for (int i = 0; i < m_rows.size(); ++i) {
        m_rowOf.insert(m_rows[i].relPath, i);
        m_measuring += m_rows[i].measuring ? 1 : 0;
    }
    endResetModel();
}

void CacheModel::emitRowChanged(int row)
{
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

bool CacheModel::applySize(const SizedEntry &entry)
{
    const int i = m_rowOf.value(entry.relPath, -1);
    if (i < 0 || !m_rows[i].measuring)
        return false;
    CacheRow &row = m_rows[i];
    row.measuring = false;
    row.bytes = entry.bytes;
    if (row.kind == CacheRow::Kind::Repo)
        row.files = entry.files;
    row.modified = entry.modified;
    --m_measuring;

    // Keep the inventory in step: deletion plans and totals read it during the scan.
    m_inventory.totalBytes += entry.bytes;
    switch (row.kind) {
    case CacheRow::Kind::Repo:
        for (CachedRepo &r : m_inventory.repos)
            if (r.dir == entry.relPath) {
                r.bytes = entry.bytes;
                r.files = entry.files;
                r.modified = entry.modified;
            }
        break;
    case CacheRow::Kind::Checkpoint:
        for (CachedCheckpoint &c : m_inventory.checkpoints)
            if (c.path == entry.path)
                c.bytes = entry.bytes;
        break;
    case CacheRow::Kind::Leftover:
        for (Leftover &l : m_inventory.leftovers)
            if (l.path == entry.relPath) {
                l.bytes = entry.bytes;
                l.modified = entry.modified;
            }
        break;
    }
    emitRowChanged(i);
    return true;
}

void CacheModel::finishInventory(const CacheInventory &inventory)
{
    const QList<CacheRow> rows = rowsFor(inventory);
    bool sameEntries = rows.size() == m_rows.size();
    for (const CacheRow &row : rows)
        sameEntries = sameEntries && m_rowOf.contains(row.relPath);
    if (!sameEntries) {
        setInventory(inventory);
        return;
    }
    m_inventory = inventory;
    for (const CacheRow &row : rows) {
        const int i = m_rowOf.value(row.relPath);
        if (m_rows[i] == row)
            continue;
        m_measuring -= m_rows[i].measuring ? 1 : 0;
        m_rows[i] = row;
        emitRowChanged(i);
    }
}

QList<CacheRow> CacheModel::rowsFor(const CacheInventory &inventory)
{
    QList<CacheRow> rows;
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
        rows << row;
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
        } else {
            details << tr("origin unknown (not downloaded by Hubcap)");
        }
        if (!c.hashPrefix.isEmpty())
            details << tr("hash %1").arg(c.hashPrefix);
        else if (!c.isDir)
            details << tr("no hash in the name (check_hash cannot verify it)");
        row.details = details.join(QStringLiteral(", "));
        rows << row;
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
        rows << row;
    }
    return rows;
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
            return r.measuring ? tr("measuring…") : humanSize(r.bytes);
        case FilesColumn:
            if (r.measuring && r.files >= 0)
                return tr("measuring…");
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
            return r.measuring ? qint64(-1) : r.bytes;
        case FilesColumn:
            return r.measuring ? qint64(-1) : r.files;
        case ModifiedColumn:
            return r.modified;
        case KindColumn:
            return int(r.kind);
        }
        return data(index, Qt::DisplayRole);
    case Qt::ForegroundRole:
        if (r.measuring && (index.column() == SizeColumn || index.column() == FilesColumn))
            return QGuiApplication::palette().brush(QPalette::PlaceholderText);
        return {};
    case Qt::FontRole:
        if (r.measuring && (index.column() == SizeColumn || index.column() == FilesColumn)) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
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
        return r.measuring ? qint64(-1) : r.bytes;
    case MeasuringRole:
        return r.measuring;
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
