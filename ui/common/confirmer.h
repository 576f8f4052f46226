#pragma once

#include <QString>
#include <QStringList>

#include <functional>

class QWidget;

namespace hubcap::ui {

/// A question to the user with a list of details (what a deletion removes, ...). Injected into
/// pages so tests can answer without a modal dialog.
struct Confirmation
{
    QString title;
    QString text;
    QStringList items;
    QString acceptLabel;
};

using Confirmer = std::function<bool(QWidget *parent, const Confirmation &)>;

/// The default: a modal message box listing the items in its details area.
bool confirmWithDialog(QWidget *parent, const Confirmation &c);

} // namespace hubcap::ui
