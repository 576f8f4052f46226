#include "confirmer.h"

#include <QMessageBox>
#include <QPushButton>

namespace hubcap::ui {

bool confirmWithDialog(QWidget *parent, const Confirmation &c)
{
    QMessageBox box(QMessageBox::Warning, c.title, c.text, QMessageBox::Cancel, parent);
    QPushButton *accept = box.addButton(c.acceptLabel.isEmpty() ? QObject::tr("OK") : c.acceptLabel,
                                        QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    if (!c.items.isEmpty()) {
        const int shown = 12;
        QStringList head = c.items.mid(0, shown);
        if (c.items.size() > shown)
            head << QObject::tr("… and %n more", nullptr, int(c.items.size() - shown));
        box.setInformativeText(head.join(u'\n'));
        box.setDetailedText(c.items.join(u'\n'));
    }
    box.exec();
    return box.clickedButton() == accept;
}

} // namespace hubcap::ui
