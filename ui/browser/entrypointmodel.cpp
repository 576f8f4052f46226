#include "ui/browser/entrypointmodel.h"

#include "ui/common/icons.h"

namespace hubcap::ui {

EntrypointModel::EntrypointModel(QObject *parent) : QAbstractTableModel(parent) {}

void EntrypointModel::setListing(const EntrypointListing &listing)
{
    beginResetModel();
    m_listing = listing;
    endResetModel();
}

void EntrypointModel::clear()
{
    setListing({});
}

const Entrypoint *EntrypointModel::entrypoint(int row) const
{
    if (row < 0 || row >= m_listing.entrypoints.size())
        return nullptr;
    return &m_listing.entrypoints.at(row);
}

int EntrypointModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_listing.entrypoints.size());
}

int EntrypointModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EntrypointModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entrypoint &e = m_listing.entrypoints.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return e.name;
        case KindColumn:
            return e.kind;
        case SignatureColumn:
            return e.signatureFirstLine();
        }
        return {};
    case Qt::ToolTipRole:
        return e.signature.isEmpty() ? e.name : e.name + e.signature;
    case Qt::DecorationRole:
        if (index.column() == NameColumn)
            return icon(e.kind == QStringLiteral("class") ? QStringLiteral("class")
                                                          : QStringLiteral("entrypoint"));
        return {};
    case NameRole:
        return e.name;
    case KindRole:
        return e.kind;
    case SignatureRole:
        return e.signature;
    case DocRole:
        return e.docText();
    case DefinedInRole:
        return e.location();
    }
    return {};
}

QVariant EntrypointModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Entrypoint");
    case KindColumn:
        return tr("Kind");
    case SignatureColumn:
        return tr("Signature");
    }
    return {};
}

} // namespace hubcap::ui
