#pragma once

#include "core/protocol/entrypoint.h"

#include <QAbstractTableModel>

namespace hubcap::ui {

/// The entrypoints of one repository: name, kind and the first line of the signature.
class EntrypointModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, KindColumn, SignatureColumn, ColumnCount };
    enum Role { NameRole = Qt::UserRole + 1, KindRole, SignatureRole, DocRole, DefinedInRole };

    explicit EntrypointModel(QObject *parent = nullptr);

    void setListing(const EntrypointListing &listing);
    void clear();
    const EntrypointListing &listing() const { return m_listing; }
    const Entrypoint *entrypoint(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    EntrypointListing m_listing;
};

} // namespace hubcap::ui
