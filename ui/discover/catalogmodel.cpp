#include "ui/discover/catalogmodel.h"

#include <QFileInfo>
#include <QImageReader>

namespace hubcap::ui {

CatalogModel::CatalogModel(QObject *parent) : QAbstractListModel(parent) {}

void CatalogModel::setCatalog(const CatalogIndex &index)
{
    beginResetModel();
    m_index = index;
    m_rows.clear();
    m_thumbs.clear();
    endResetModel();
}

void CatalogModel::setEntrypoints(const QList<CachedEntrypoint> &entrypoints)
{
    beginResetModel();
    m_entrypoints = entrypoints;
    m_rows.clear();
    endResetModel();
}

void CatalogModel::setRows(const QList<Row> &rows)
{
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

const CatalogEntry *CatalogModel::entryAt(int row) const
{
    if (row < 0 || row >= m_rows.size() || m_rows[row].kind != SearchHit::Kind::Page)
        return nullptr;
    const int i = m_rows[row].index;
    return i >= 0 && i < m_index.entries.size() ? &m_index.entries[i] : nullptr;
}

const CachedEntrypoint *CatalogModel::entrypointAt(int row) const
{
    if (row < 0 || row >= m_rows.size() || m_rows[row].kind != SearchHit::Kind::Entrypoint)
        return nullptr;
    const int i = m_rows[row].index;
    return i >= 0 && i < m_entrypoints.size() ? &m_entrypoints[i] : nullptr;
}

int CatalogModel::rowOfPage(const QString &page) const
{
    for (int r = 0; r < m_rows.size(); ++r)
        if (const CatalogEntry *e = entryAt(r); e && e->page == page)
            return r;
    return -1;
}

int CatalogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QPixmap CatalogModel::loadThumbnail(const QString &path, int side)
{
    if (path.isEmpty() || QFileInfo(path).size() > CatalogLimits::maxImageBytes)
        return {};
    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QSize size = reader.size();
    if (!reader.canRead() || !size.isValid() || size.width() > 8000 || size.height() > 8000)
        return {};
    reader.setScaledSize(size.scaled(side, side, Qt::KeepAspectRatio));
    const QImage image = reader.read();
    return image.isNull() ? QPixmap() : QPixmap::fromImage(image);
}

QVariant CatalogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const int row = index.row();
    if (const CatalogEntry *e = entryAt(row)) {
        switch (role) {
        case Qt::DisplayRole:
        case TitleRole:
            return e->title;
        case Qt::ToolTipRole:
            return QStringLiteral("%1\n%2\n%3").arg(e->title, e->summary, e->repo);
        case Qt::AccessibleTextRole:
            return e->cached ? tr("%1, in cache").arg(e->title) : e->title;
        case KindRole:
            return QStringLiteral("page");
        case SummaryRole:
            return e->summary;
        case TagsRole:
            return e->tags;
        case CategoryRole:
            return e->category;
        case CachedRole:
            return e->cached;
        case RepoRole:
            return e->repo;
        case PageRole:
            return e->page;
        case EntrypointRole:
            return e->entrypoints().value(0);
        case ThumbnailRole: {
            const QString path = m_index.imagePath(*e);
            if (path.isEmpty())
                return QPixmap();
            auto it = m_thumbs.find(path);
            if (it == m_thumbs.end())
                it = m_thumbs.insert(path, loadThumbnail(path, 160));
            return *it;
        }
        default:
            return {};
        }
    }
    if (const CachedEntrypoint *ep = entrypointAt(row)) {
        switch (role) {
        case Qt::DisplayRole:
        case TitleRole:
            return ep->name;
        case Qt::ToolTipRole:
            return QStringLiteral("%1 — %2").arg(ep->name, ep->repo);
        case Qt::AccessibleTextRole:
            return tr("%1, entrypoint of %2, in cache").arg(ep->name, ep->repo);
        case KindRole:
            return QStringLiteral("entrypoint");
        case SummaryRole:
            return ep->doc;
        case TagsRole:
            return QStringList();
        case CategoryRole:
            return tr("cached entrypoint");
        case CachedRole:
            return true;
        case RepoRole:
            return ep->repo;
        case EntrypointRole:
            return ep->name;
        case ThumbnailRole:
            return QPixmap();
        default:
            return {};
        }
    }
    return {};
}

} // namespace hubcap::ui
