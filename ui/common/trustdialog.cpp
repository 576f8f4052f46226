#include "trustdialog.h"

#include "icons.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace hubcap::ui {

TrustDialog::TrustDialog(const TrustQuestion &q, QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("trustDialog"));
    setWindowTitle(tr("Trust %1?").arg(q.repo));
    auto *iconLabel = new QLabel;
    iconLabel->setPixmap(icon(QStringLiteral("untrusted")).pixmap(48, 48));
    iconLabel->setAlignment(Qt::AlignTop);
    const QString who = q.trustName.isEmpty() ? q.repo : q.trustName;
    auto *text = new QLabel(
        tr("<p><b>The repository %1 is not in your list of trusted repositories.</b></p>"
           "<p>To %2, Hubcap has to run the repository's <code>hubconf.py</code> and the code it "
           "imports, with your permissions. Only continue if you trust its authors.</p>"
           "<ul><li><b>Trust</b> adds <code>%3</code> to <code>trusted_list</code> in the hub dir, "
           "as torch.hub does when you answer yes (Python's torch.hub will trust it too).</li>"
           "<li><b>Run once</b> runs it now without adding it; you will be asked again next "
           "time.</li>"
           "<li><b>Cancel</b> runs nothing. Browsing stays available: it reads the code without "
           "running it.</li></ul>")
            .arg(q.repo.toHtmlEscaped(), q.action.toHtmlEscaped(), who.toHtmlEscaped()));
    text->setWordWrap(true);
    text->setTextFormat(Qt::RichText);

    auto *buttons = new QDialogButtonBox;
    QPushButton *trust = buttons->addButton(tr("&Trust"), QDialogButtonBox::AcceptRole);
    trust->setObjectName(QStringLiteral("trustButton"));
    trust->setEnabled(!q.trustName.isEmpty());
    if (q.trustName.isEmpty())
        trust->setToolTip(
            tr("The repository's owner and name are not known, so it cannot be added."));
    QPushButton *once = buttons->addButton(tr("Run &Once"), QDialogButtonBox::ActionRole);
    once->setObjectName(QStringLiteral("runOnceButton"));
    once->setVisible(q.allowRunOnce);
    QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setDefault(true);
    connect(trust, &QPushButton::clicked, this, [this] {
        m_answer = TrustAnswer::TrustAndRecord;
        accept();
    });
    connect(once, &QPushButton::clicked, this, [this] {
        m_answer = TrustAnswer::RunOnce;
        accept();
    });
    connect(cancel, &QPushButton::clicked, this, &QDialog::reject);

    auto *top = new QHBoxLayout;
    top->addWidget(iconLabel);
    top->addWidget(text, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(buttons);
    resize(560, sizeHint().height());
}

TrustAnswer askTrustWithDialog(QWidget *parent, const TrustQuestion &question)
{
    TrustDialog dialog(question, parent);
    dialog.exec();
    return dialog.answer();
}

} // namespace hubcap::ui
