#pragma once

#include "core/cache/inventory.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>

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
    QString details;        ///< trust, provenance or leftover kind
    bool measuring = false; ///< a folder whose size the scan has not measured yet

    bool operator==(const CacheRow &) const = default;
};

/// The cache inventory as a flat, sortable table. Raw values are served under custom roles
/// (bytes, kind, paths) and as Qt::UserRole sort keys; DisplayRole has the formatted text.
/// It follows a scan's two phases without resets after the listing: folders start as
/// "measuring…" (size unknown: -1 under BytesRole and SortRole, so they sort as smallest) and
/// each row fills in, with dataChanged for that row only, when its size arrives.
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
    enum Role {
        SortRole = Qt::UserRole + 1,
        BytesRole, ///< -1 while measuring
        KindRole,
        PathRole,
        RelPathRole,
        MeasuringRole ///< bool: the size is still being measured
    };

    explicit CacheModel(QObject *parent = nullptr);

    /// Replaces everything (a model reset).
    void setInventory(const CacheInventory &inventory);
    /// Phase 1 of a scan (CacheScanJob::listed): every row at once, the folders in `pending`
    /// marked measuring. Replaces everything (a model reset).
    void setListing(const CacheInventory &partial, const QStringList &pending);
    /// Phase 2 (CacheScanJob::sized): fills in one folder's row and the inventory's numbers.
    /// Returns false when no measuring row has that relative path.
    bool applySize(const SizedEntry &entry);
    /// The scan's final inventory. When it has the same entries as the rows (the normal case)
    /// rows are updated in place (dataChanged, no reset) so selection and sort stay.
    void finishInventory(const CacheInventory &inventory);
    /// Rows still being measured.
    int measuringCount() const { return m_measuring; }
    const CacheInventory &inventory() const { return m_inventory; }
    const CacheRow *row(int r) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    static QString kindName(CacheRow::Kind kind);

private:
    static QList<CacheRow> rowsFor(const CacheInventory &inventory);
    void replaceRows(const CacheInventory &inventory, QList<CacheRow> rows);
    void emitRowChanged(int row);

    CacheInventory m_inventory;
    QList<CacheRow> m_rows;
    QHash<QString, int> m_rowOf; ///< relPath → row
    int m_measuring = 0;
};

} // namespace hubcap::ui
