#include "ui/settings/trustmanagerdialog.h"

#include "ui/common/plural.h"

#include "ui/common/icons.h"

#include "core/cache/repospec.h"
#include "core/cache/trustlist.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace hubcap::ui {

TrustManagerDialog::TrustManagerDialog(const QString &hubDir, QWidget *parent)
    : QDialog(parent), m_hubDir(hubDir)
{
    setObjectName(QStringLiteral("trustManager"));
    setWindowTitle(tr("Trusted Repositories"));
    auto *intro = new QLabel(
        tr("Repositories whose code may run without asking. <code>trusted_list</code> is "
           "shared with Python's torch.hub."));
    intro->setWordWrap(true);
    m_list = new QListWidget;
    m_list->setObjectName(QStringLiteral("trustedList"));
    m_list->setAccessibleName(tr("Trusted repositories"));
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_info = new QLabel;
    m_info->setWordWrap(true);
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *owners = new QLabel(
        tr("Always trusted by torch.hub (owners, case-sensitive): "
           "<b>facebookresearch</b>, <b>facebookincubator</b>, <b>pytorch</b>, "
           "<b>fairinternal</b>. Repositories already in the hub cache count as trusted too."));
    owners->setWordWrap(true);
    m_addField = new QLineEdit;
    m_addField->setObjectName(QStringLiteral("trustAddField"));
    m_addField->setAccessibleName(tr("Repository to trust"));
    m_addField->setPlaceholderText(tr("owner/repo to trust without asking"));
    m_add = new QPushButton(icon(QStringLiteral("trusted")), tr("&Add"));
    m_add->setObjectName(QStringLiteral("trustAddButton"));
    m_add->setEnabled(false);
    connect(m_addField, &QLineEdit::textChanged, this, [this](const QString &t) {
        m_add->setEnabled(!t.trimmed().isEmpty());
        m_add->setDefault(!t.trimmed().isEmpty()); // Enter adds rather than closes
    });
    connect(m_addField, &QLineEdit::returnPressed, this, &TrustManagerDialog::addTyped);
    connect(m_add, &QPushButton::clicked, this, &TrustManagerDialog::addTyped);
    auto *addRow = new QHBoxLayout;
    addRow->addWidget(m_addField, 1);
    addRow->addWidget(m_add);
    m_remove = new QPushButton(icon(QStringLiteral("delete")), tr("&Remove"));
    m_remove->setShortcut(QKeySequence::Delete);
    m_remove->setAutoDefault(false);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    buttons->addButton(m_remove, QDialogButtonBox::ActionRole);
    buttons->button(QDialogButtonBox::Close)->setAutoDefault(false);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_remove, &QPushButton::clicked, this, &TrustManagerDialog::removeSelected);
    // The highlighted row is what Remove acts on: Qt makes the first row current when the list
    // takes focus, and it looks selected, so a current row counts as selected.
    connect(m_list, &QListWidget::currentItemChanged, this, [this](QListWidgetItem *item) {
        if (item && m_list->selectedItems().isEmpty())
            item->setSelected(true);
    });
    connect(m_list, &QListWidget::itemSelectionChanged, this,
            [this] { m_remove->setEnabled(!m_list->selectedItems().isEmpty()); });
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_list, 1);
    layout->addLayout(addRow);
    layout->addWidget(m_info);
    layout->addWidget(owners);
    layout->addWidget(buttons);
    resize(520, 420);
    reload();
}

void TrustManagerDialog::reload()
{
    m_list->clear();
    TrustList list(m_hubDir);
    const auto entries = list.entries();
    if (!entries) {
        m_info->setText(entries.error().text());
    } else {
        QStringList unique;
        for (const QString &e : *entries)
            if (!unique.contains(e))
                unique << e;
        for (const QString &e : unique) {
            auto *item = new QListWidgetItem(icon(QStringLiteral("trusted")), e, m_list);
            item->setData(Qt::UserRole, e);
        }
        m_info->setText(QStringLiteral("%1 · %2").arg(
            list.path(), countOf(unique.size(), tr("entry"), tr("entries"))));
    }
    m_remove->setEnabled(false);
}

bool TrustManagerDialog::addTyped()
{
    const QString typed = m_addField->text().trimmed();
    if (typed.isEmpty())
        return false;
    const auto spec = RepoSpec::parse(typed);
    if (!spec) {
        m_info->setText(tr("%1 is not a repository name: type owner/repo, like "
                           "pytorch/vision.")
                            .arg(typed));
        return false;
    }
    TrustList list(m_hubDir);
    if (const auto added = list.add(spec->trustName()); !added) {
        m_info->setText(added.error().text());
        return false;
    }
    m_addField->clear();
    reload();
    for (int i = 0; i < m_list->count(); ++i)
        if (m_list->item(i)->data(Qt::UserRole).toString() == spec->trustName())
            m_list->setCurrentRow(i);
    return true;
}

void TrustManagerDialog::removeSelected()
{
    TrustList list(m_hubDir);
    QStringList errors;
    for (QListWidgetItem *item : m_list->selectedItems())
        if (const auto r = list.remove(item->data(Qt::UserRole).toString()); !r)
            errors << r.error().text();
    reload();
    if (!errors.isEmpty())
        m_info->setText(errors.join(u'\n'));
}

} // namespace hubcap::ui
