#include "ui/browser/refpicker.h"

#include "ui/common/corebridge.h"
#include "ui/common/icons.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QVBoxLayout>

namespace hubcap::ui {

namespace {
constexpr int RefRole = Qt::UserRole + 1;
const QRegularExpression &shaRe()
{
    static const QRegularExpression re(QStringLiteral("^[0-9a-fA-F]{7,40}$"));
    return re;
}
} // namespace

RefPickerDialog::RefPickerDialog(CoreBridge *bridge, const QString &owner, const QString &repo,
                                 const QString &currentRef, QWidget *parent)
    : QDialog(parent), m_bridge(bridge), m_owner(owner), m_repo(repo), m_current(currentRef)
{
    setObjectName(QStringLiteral("refPicker"));
    setWindowTitle(tr("Open Branch or Tag of %1/%2").arg(owner, repo));
    auto *layout = new QVBoxLayout(this);
    m_filter = new QLineEdit;
    m_filter->setObjectName(QStringLiteral("refFilter"));
    m_filter->setPlaceholderText(tr("Filter branches and tags"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Filter branches and tags"));
    m_list = new QListWidget;
    m_list->setObjectName(QStringLiteral("refList"));
    m_list->setAccessibleName(tr("Branches and tags"));
    m_list->setUniformItemSizes(true);
    m_status = new QLabel(tr("Loading branches and tags…"));
    m_status->setObjectName(QStringLiteral("refStatus"));
    m_status->setWordWrap(true);
    m_retry = new QPushButton(tr("&Retry"));
    m_retry->hide();
    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_retry);
    m_sha = new QLineEdit;
    m_sha->setObjectName(QStringLiteral("refSha"));
    m_sha->setPlaceholderText(tr("or a commit SHA (7 to 40 hex digits)"));
    m_sha->setAccessibleName(tr("Commit SHA"));
    m_sha->setValidator(new QRegularExpressionValidator(
        QRegularExpression(QStringLiteral("[0-9a-fA-F]{0,40}")), m_sha));
    auto *form = new QFormLayout;
    form->addRow(tr("&Commit:"), m_sha);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Open"));
    layout->addWidget(m_filter);
    layout->addWidget(m_list, 1);
    layout->addLayout(statusRow);
    layout->addLayout(form);
    layout->addWidget(m_buttons);
    resize(420, 480);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_retry, &QPushButton::clicked, this, &RefPickerDialog::load);
    connect(m_filter, &QLineEdit::textChanged, this, &RefPickerDialog::applyFilter);
    connect(m_list, &QListWidget::currentItemChanged, this, [this] {
        if (m_list->currentItem())
            m_sha->clear();
        updateOk();
    });
    connect(m_list, &QListWidget::itemActivated, this, [this] {
        if (!selectedRef().isEmpty())
            accept();
    });
    connect(m_sha, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (!text.isEmpty())
            m_list->setCurrentItem(nullptr);
        updateOk();
    });
    updateOk();
    load();
}

void RefPickerDialog::load()
{
    m_retry->hide();
    m_status->setText(tr("Loading branches and tags…"));
    m_bridge->listRefs(m_owner, m_repo, this, [this](Result<RefList> refs) {
        if (!refs) {
            m_status->setText(tr("Cannot list the branches and tags: %1 You can still type a "
                                 "commit SHA.")
                                  .arg(refs.error().message));
            m_retry->show();
            Q_EMIT loaded(false);
            return;
        }
        setRefs(*refs);
        Q_EMIT loaded(true);
    });
}

void RefPickerDialog::setRefs(const RefList &refs)
{
    m_list->clear();
    int branches = 0, tags = 0;
    for (const GitRef &r : refs.refs) {
        const bool tag = r.kind == GitRef::Kind::Tag;
        (tag ? tags : branches)++;
        QString text = r.name;
        if (r.isDefault)
            text += u' ' + tr("(default branch)");
        else if (tag)
            text += u' ' + tr("(tag)");
        auto *item = new QListWidgetItem(
            icon(tag ? QStringLiteral("checkpoint") : QStringLiteral("repo")), text);
        item->setData(RefRole, r.name);
        item->setToolTip(tr("Commit %1").arg(r.sha.left(12)));
        m_list->addItem(item);
        if (r.name == m_current)
            m_list->setCurrentItem(item);
    }
    m_status->setText(
        tr("%1 branches, %2 tags%3")
            .arg(branches)
            .arg(tags)
            .arg(refs.truncated ? tr(" (only the first %1 are listed)").arg(GitHubClient::maxRefs)
                                : QString()));
    if (!m_list->currentItem() && m_list->count() > 0)
        m_list->setCurrentRow(0);
    applyFilter();
}

void RefPickerDialog::applyFilter()
{
    const QString text = m_filter->text();
    for (int i = 0; i < m_list->count(); ++i) {
        QListWidgetItem *it = m_list->item(i);
        it->setHidden(!it->data(RefRole).toString().contains(text, Qt::CaseInsensitive));
    }
}

QString RefPickerDialog::selectedRef() const
{
    if (!m_sha->text().isEmpty())
        return shaRe().match(m_sha->text()).hasMatch() ? m_sha->text().toLower() : QString();
    return m_list->currentItem() ? m_list->currentItem()->data(RefRole).toString() : QString();
}

bool RefPickerDialog::isCommit() const
{
    return !m_sha->text().isEmpty();
}

void RefPickerDialog::updateOk()
{
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!selectedRef().isEmpty());
}

} // namespace hubcap::ui
