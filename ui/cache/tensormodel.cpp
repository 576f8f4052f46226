#include "ui/cache/tensormodel.h"

#include "core/util/format.h"

#include <QLocale>

namespace hubcap::ui {

TensorModel::TensorModel(QObject *parent) : QAbstractTableModel(parent) {}

void TensorModel::setTensors(const QList<inspect::TensorInfo> &tensors)
{
    beginResetModel();
    m_tensors = tensors;
    endResetModel();
}

int TensorModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_tensors.size());
}

int TensorModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TensorModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const inspect::TensorInfo &t = m_tensors.at(index.row());
    if (role == Qt::DisplayRole || role == Qt::UserRole) {
        switch (index.column()) {
        case KeyColumn:
            return t.key;
        case ShapeColumn: {
            QStringList dims;
            for (qint64 d : t.shape)
                dims << QString::number(d);
            if (role == Qt::UserRole)
                return t.numel;
            return QStringLiteral("[%1]").arg(dims.join(QStringLiteral(", ")));
        }
        case DtypeColumn:
            return t.dtype;
        case ParamsColumn:
            return role == Qt::UserRole ? QVariant(t.numel) : QVariant(QLocale().toString(t.numel));
        case BytesColumn:
            return role == Qt::UserRole ? QVariant(t.bytes) : QVariant(humanSize(t.bytes));
        }
    }
    if (role == Qt::TextAlignmentRole &&
        (index.column() == ParamsColumn || index.column() == BytesColumn))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && (t.sharedStorage || t.isView))
        return tr("Shares its storage with other tensors (storage %1, %2)")
            .arg(t.storageKey, humanSize(t.storageBytes));
    return {};
}

QVariant TensorModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case KeyColumn:
        return tr("Key");
    case ShapeColumn:
        return tr("Shape");
    case DtypeColumn:
        return tr("Dtype");
    case ParamsColumn:
        return tr("Parameters");
    case BytesColumn:
        return tr("Bytes");
    }
    return {};
}

} // namespace hubcap::ui
