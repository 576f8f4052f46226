#include "ui/bundle/importsummarydialog.h"

#include "core/util/format.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace hubcap::ui {

using hubcap::bundle::ImportPreview;

ImportSummaryDialog::ImportSummaryDialog(const ImportPreview &preview, QWidget *parent)
    : QDialog(parent), m_preview(preview)
{
    setObjectName(QStringLiteral("importSummaryDialog"));
    setWindowTitle(tr("Import Bundle — %1").arg(QFileInfo(preview.file).fileName()));
    resize(720, 480);
    const auto &m = preview.manifest;

    auto *header = new QLabel(
        tr("<b>%1</b><br>Written by Hubcap %2 on %3. %4 repositories, %5 checkpoints, %6 in %7 "
           "files. Every file is checked against the bundle's SHA-256 list before anything is "
           "installed.")
            .arg(QFileInfo(preview.file).fileName().toHtmlEscaped(),
                 m.hubcapVersion.toHtmlEscaped(),
                 QLocale().toString(m.createdAt.toLocalTime(), QLocale::ShortFormat))
            .arg(m.repos.size())
            .arg(m.checkpoints.size())
            .arg(humanSize(m.totalBytes()))
            .arg(m.files.size()));
    header->setWordWrap(true);

    m_tree = new QTreeWidget;
    m_tree->setObjectName(QStringLiteral("importContent"));
    m_tree->setAccessibleName(tr("Bundle content"));
    m_tree->setColumnCount(3);
    m_tree->setHeaderLabels({tr("Item"), tr("Size"), tr("Details")});
    m_tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    auto *repos = new QTreeWidgetItem(m_tree, {tr("Repositories")});
    for (const auto &r : preview.repos) {
        QStringList names;
        for (const auto &e : r.repo.entrypoints)
            names << e.toObject().value(u"name").toString();
        QString details = tr("%1/%2 at %3").arg(r.repo.owner, r.repo.repo, r.repo.ref);
        if (!r.repo.commit.isEmpty())
            details += tr(", commit %1").arg(r.repo.commit.left(12));
        details += r.trust.trusted() ? tr("; trusted (%1)").arg(trustReasonText(r.trust.reason))
                                     : tr("; not trusted yet: you will be asked");
        if (r.folderExists)
            details += tr("; already in the cache");
        auto *item = new QTreeWidgetItem(repos, {r.repo.folder, humanSize(r.repo.bytes), details});
        item->setToolTip(2, details);
        if (!names.isEmpty())
            new QTreeWidgetItem(item,
                                {tr("Entrypoints"), QString(), names.join(QStringLiteral(", "))});
    }
    auto *cks = new QTreeWidgetItem(m_tree, {tr("Checkpoints")});
    for (const auto &c : m.checkpoints)
        new QTreeWidgetItem(cks,
                            {c.name, humanSize(c.size),
                             c.url.isEmpty() ? tr("source unknown") : tr("from %1").arg(c.url)});
    if (!preview.differentFiles.isEmpty()) {
        auto *diff = new QTreeWidgetItem(m_tree, {tr("Files that differ from the hub dir's")});
        for (const QString &p : preview.differentFiles)
            new QTreeWidgetItem(diff, {p});
    }
    m_tree->expandAll();

    m_summary =
        new QLabel(tr("%1 new files, %2 files differ (%3 to write); %4 identical files kept.")
                       .arg(preview.newFiles.size())
                       .arg(preview.differentFiles.size())
                       .arg(humanSize(preview.bytesToWrite))
                       .arg(preview.identicalFiles.size()));
    m_summary->setObjectName(QStringLiteral("importSummary"));
    m_summary->setWordWrap(true);
    m_replace = new QCheckBox(tr("&Replace the %n file(s) that differ with the bundle's copies",
                                 nullptr, int(preview.differentFiles.size())));
    m_replace->setObjectName(QStringLiteral("replaceDifferent"));
    m_replace->setVisible(!preview.differentFiles.isEmpty());

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    m_install = buttons->addButton(tr("&Install"), QDialogButtonBox::AcceptRole);
    m_install->setObjectName(QStringLiteral("installButton"));
    m_install->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_replace, &QCheckBox::toggled, this, &ImportSummaryDialog::updateButtons);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(header);
    layout->addWidget(m_tree, 1);
    layout->addWidget(m_summary);
    layout->addWidget(m_replace);
    layout->addWidget(buttons);
    updateButtons();
}

bool ImportSummaryDialog::replaceDifferent() const
{
    return m_replace->isChecked();
}

void ImportSummaryDialog::updateButtons()
{
    m_install->setEnabled(m_preview.differentFiles.isEmpty() || m_replace->isChecked());
}

} // namespace hubcap::ui
