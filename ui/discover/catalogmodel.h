#pragma once

#include "core/catalog/catalog.h"
#include "core/catalog/catalogsearch.h"

#include <QAbstractListModel>
#include <QHash>
#include <QPixmap>

namespace hubcap::ui {

/// The cards of the Discover page: catalog pages and, while searching, entrypoints of cached
/// repositories. The page decides which rows show (search, filters, sort) with setRows();
/// thumbnails are read from the catalog's images/ folder on first use, bounded and cached.
class CatalogModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        KindRole = Qt::UserRole + 1, ///< "page" or "entrypoint"
        TitleRole,
        SummaryRole,
        TagsRole, ///< QStringList
        CategoryRole,
        CachedRole, ///< bool
        RepoRole,   ///< "owner/repo" (page) or "owner/repo:ref" (entrypoint)
        PageRole,   ///< page name (pages)
        EntrypointRole,
        ThumbnailRole, ///< QPixmap (null when the page has no usable image)
    };

    struct Row
    {
        SearchHit::Kind kind = SearchHit::Kind::Page;
        int index = -1; ///< into entries() or entrypoints()
    };

    explicit CatalogModel(QObject *parent = nullptr);

    void setCatalog(const CatalogIndex &index);
    void setEntrypoints(const QList<CachedEntrypoint> &entrypoints);
    void setRows(const QList<Row> &rows);

    const CatalogIndex &catalog() const { return m_index; }
    const QList<CachedEntrypoint> &entrypoints() const { return m_entrypoints; }
    const QList<Row> &rows() const { return m_rows; }
    /// The page of a row, or nullptr for an entrypoint row.
    const CatalogEntry *entryAt(int row) const;
    const CachedEntrypoint *entrypointAt(int row) const;
    /// The row showing `page`, or -1.
    int rowOfPage(const QString &page) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;

    /// The thumbnail of an image file: at most `side` px, decoded only when the file is a
    /// reasonable image (≤ 8 MiB, ≤ 8000×8000); a null pixmap otherwise.
    static QPixmap loadThumbnail(const QString &path, int side);

private:
    CatalogIndex m_index;
    QList<CachedEntrypoint> m_entrypoints;
    QList<Row> m_rows;
    mutable QHash<QString, QPixmap> m_thumbs;
};

} // namespace hubcap::ui
