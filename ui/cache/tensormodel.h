#pragma once

#include "core/inspect/checkpoint.h"

#include <QAbstractTableModel>

namespace hubcap::ui {

/// The tensors of an inspected checkpoint: key, shape, dtype, parameters (numel), bytes.
/// Raw values under Qt::UserRole (sorting), formatted text under DisplayRole.
class TensorModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { KeyColumn, ShapeColumn, DtypeColumn, ParamsColumn, BytesColumn, ColumnCount };

    explicit TensorModel(QObject *parent = nullptr);
    void setTensors(const QList<inspect::TensorInfo> &tensors);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QList<inspect::TensorInfo> m_tensors;
};

} // namespace hubcap::ui
