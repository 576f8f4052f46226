#include "ui/common/trustdialog.h"

#include "ui/common/icons.h"

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
    // Each button's text says exactly what it does. A fetch runs no repository code (torch.hub
    // asks before downloading an untrusted repository); a load or export runs hubconf.py.
    const bool fetching = !q.allowRunOnce;
    const QString head =
        tr("<p><b>The repository %1 is not in your list of trusted repositories.</b></p>")
            .arg(q.repo.toHtmlEscaped());
    auto *text = new QLabel(
        head +
        (fetching
             ? tr("<p>Like torch.hub, Hubcap asks before it downloads a repository it does not "
                  "trust yet. Downloading runs none of its code; loading an entrypoint later runs "
                  "its <code>hubconf.py</code> and the code it imports, with your "
                  "permissions.</p>"
                  "<ul><li><b>Trust and Download</b> adds <code>%1</code> to "
                  "<code>trusted_list</code> in the hub dir (Python's torch.hub will trust it "
                  "too), then downloads it into the hub cache.</li>"
                  "<li><b>Cancel</b> downloads nothing and changes nothing; what you typed stays "
                  "in the Open repository field.</li></ul>")
                   .arg(who.toHtmlEscaped())
             : tr("<p>To %1, Hubcap runs the repository's <code>hubconf.py</code> and the code it "
                  "imports, with your permissions. Only continue if you trust its authors.</p>"
                  "<ul><li><b>Trust and Run</b> adds <code>%2</code> to <code>trusted_list</code> "
                  "in the hub dir (Python's torch.hub will trust it too), then runs it.</li>"
                  "<li><b>Run Once</b> runs it now without adding it; you will be asked again "
                  "next time.</li>"
                  "<li><b>Cancel</b> runs nothing. The entrypoint list and documentation stay "
                  "available: they are read without running code.</li></ul>")
                   .arg(q.action.toHtmlEscaped(), who.toHtmlEscaped())));
    text->setWordWrap(true);
    text->setTextFormat(Qt::RichText);

    auto *buttons = new QDialogButtonBox;
    QPushButton *trust = buttons->addButton(
        fetching ? tr("&Trust and Download") : tr("&Trust and Run"), QDialogButtonBox::AcceptRole);
    trust->setObjectName(QStringLiteral("trustButton"));
    trust->setEnabled(!q.trustName.isEmpty());
    if (q.trustName.isEmpty())
        trust->setToolTip(
            tr("The repository's owner and name are not known, so it cannot be added."));
    // Only where it applies: QDialogButtonBox shows its buttons again when it lays them out,
    // so a hidden "Run Once" would reappear on a download's question.
    QPushButton *once = new QPushButton(tr("Run &Once"), this);
    once->setObjectName(QStringLiteral("runOnceButton"));
    once->hide();
    if (q.allowRunOnce)
        buttons->addButton(once, QDialogButtonBox::ActionRole);
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
