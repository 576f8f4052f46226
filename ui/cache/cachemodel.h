#pragma once

#include <cache/inventory.h>

#include <QAbstractTableModel>
#include <QDateTime>

namespace hubcap::ui {

/// One row of the cache page: a repository folder, a checkpoint or a leftover.
struct CacheRow
{
    enum class Kind { Repo, Checkpoint, Leftover };
    Kind kind = Kind::Repo;
    QString name;    ///< what people read: "owner/repo:ref", the file name, the leftover path
    QString relPath; ///< relative to the hub dir: the deletion target
    QString path;    ///< absolute
    qint64 bytes = 0;
    qint64 files = -1; ///< -1: not applicable
    QDateTime modified;
    QString commit;
    QString details; ///< trust, provenance or leftover kind
};

/// The cache inventory as a flat, sortable table. Raw values are served under custom roles
/// (bytes, kind, paths) and as Qt::UserRole sort keys; DisplayRole has the formatted text.
class CacheModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        KindColumn,
        SizeColumn,
        FilesColumn,
        ModifiedColumn,
        CommitColumn,
        DetailsColumn,
        ColumnCount
    };
    enum Role { SortRole = Qt::UserRole + 1, BytesRole, KindRole, PathRole, RelPathRole };

    explicit CacheModel(QObject *parent = nullptr);

    void setInventory(const CacheInventory &inventory);
    const CacheInventory &inventory() const { return m_inventory; }
    const CacheRow *row(int r) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    static QString kindName(CacheRow::Kind kind);

private:
    CacheInventory m_inventory;
    QList<CacheRow> m_rows;
};

} // namespace hubcap::ui
