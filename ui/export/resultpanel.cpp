#include "resultpanel.h"

#include "common/theme.h"

#include "common/icons.h"

#include <util/format.h>

#include <QDesktopServices>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace hubcap::ui {

namespace {

void addTree(QTreeWidgetItem *parent, QTreeWidget *tree, const ModuleNode &node)
{
    auto *item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(tree);
    item->setText(0, node.name.isEmpty() ? QStringLiteral("(model)") : node.name);
    item->setText(1, node.type);
    item->setText(2, QLocale().toString(node.parameters));
    item->setTextAlignment(2, Qt::AlignRight | Qt::AlignVCenter);
    for (const ModuleNode &c : node.children)
        addTree(item, tree, c);
    if (node.childrenOmitted > 0)
        (new QTreeWidgetItem(item))
            ->setText(0, QObject::tr("… %n more", nullptr, int(node.childrenOmitted)));
}

} // namespace

ResultPanel::ResultPanel(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("resultPanel"));
    m_title = new QLabel;
    QFont f = m_title->font();
    f.setBold(true);
    m_title->setFont(f);
    m_summary = new QTextBrowser;
    m_summary->setObjectName(QStringLiteral("resultSummary"));
    m_summary->setAccessibleName(tr("Load result"));
    m_tree = new QTreeWidget;
    m_tree->setObjectName(QStringLiteral("moduleTree"));
    m_tree->setAccessibleName(tr("Submodules"));
    m_tree->setHeaderLabels({tr("Submodule"), tr("Type"), tr("Parameters")});
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_verdict = new QLabel;
    m_verdict->setObjectName(QStringLiteral("verdictLabel"));
    m_verdict->setWordWrap(true);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_showInFolder = new QPushButton(icon(QStringLiteral("folder")), tr("Show in Folder"));
    m_showInFolder->setEnabled(false);
    m_cancel = new QPushButton(icon(QStringLiteral("cancel")), tr("Cancel"));
    m_cancel->hide();
    connect(m_cancel, &QPushButton::clicked, this, &ResultPanel::cancelRequested);
    connect(m_showInFolder, &QPushButton::clicked, this, [this] {
        QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(m_exportedFile).absolutePath()));
    });
    auto *split = new QSplitter(Qt::Horizontal);
    split->addWidget(m_summary);
    split->addWidget(m_tree);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_verdict, 1);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_showInFolder);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_title);
    layout->addWidget(split, 1);
    layout->addLayout(buttons);
    m_summary->setHtml(tr("<p>Load or export an entrypoint to see its model summary here.</p>"));
}

void ResultPanel::showRunning(const QString &title, const QString &text)
{
    m_title->setText(title);
    m_summary->setHtml(QStringLiteral("<p>%1</p>").arg(text.toHtmlEscaped()));
    m_tree->clear();
    m_verdict->clear();
    m_exportedFile.clear();
    m_showInFolder->setEnabled(false);
    m_cancel->show();
}

void ResultPanel::showError(const QString &title, const QString &message, const QString &details)
{
    m_cancel->hide();
    m_title->setText(title);
    m_summary->setHtml(
        QStringLiteral("<h3 style=\"color:%3\">%1</h3><pre style=\"white-space:pre-wrap\">%2</pre>")
            .arg(message.toHtmlEscaped(), details.toHtmlEscaped(),
                 toneText(Tone::Error, m_summary->palette()).name()));
}

void ResultPanel::showResult(const QString &title, const LoadResult &result)
{
    m_cancel->hide();
    m_title->setText(title);
    m_tree->clear();
    const ObjectDescription &d = result.description;
    QString html = QStringLiteral("<h3>%1</h3>").arg(d.type.toHtmlEscaped());
    if (d.module) {
        const ModuleSummary &m = *d.module;
        const QLocale loc;
        html += QStringLiteral("<table cellspacing=4>");
        auto row = [&](const QString &k, const QString &v) {
            html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                        .arg(k.toHtmlEscaped(), v.toHtmlEscaped());
        };
        row(tr("Parameters"), loc.toString(m.parameters));
        row(tr("Trainable"), loc.toString(m.trainableParameters));
        row(tr("Buffers"), loc.toString(m.buffers));
        row(tr("Size"), humanSize(m.totalBytes));
        for (const auto &[dtype, bytes] : m.bytesPerDtype)
            row(QStringLiteral("  ") + dtype, humanSize(bytes));
        // The entrypoint's own mode; exports always run in eval mode (shown with the export).
        row(tr("Mode as loaded"), m.training ? tr("training") : tr("eval"));
        row(tr("Devices"), m.devices.join(QStringLiteral(", ")));
        html += QStringLiteral("</table>");
        addTree(nullptr, m_tree, m.tree);
        m_tree->expandToDepth(1);
    }
    if (const auto &ex = result.exported) {
        m_exportedFile = ex->output;
        html += QStringLiteral("<h3>%1</h3><table cellspacing=4>").arg(tr("Export"));
        auto row = [&](const QString &k, const QString &v) {
            if (!v.isEmpty())
                html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                            .arg(k.toHtmlEscaped(), v.toHtmlEscaped());
        };
        row(tr("File"), m_exportedFile);
        row(tr("Format"),
            ex->format +
                (ex->method.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(ex->method)));
        row(tr("Mode"), ex->mode);
        row(tr("Size"), humanSize(ex->size));
        row(tr("Time"), QStringLiteral("%1 s").arg(ex->seconds));
        row(tr("Fallback"), ex->fallback.value_or(QString()));
        if (ex->pythonMaxAbsDiff)
            row(tr("Max |diff| in Python"), QString::number(*ex->pythonMaxAbsDiff));
        html += QStringLiteral("</table>");
        m_showInFolder->setEnabled(true);
    }
    if (!result.output.trimmed().isEmpty())
        html += QStringLiteral("<h4>%1</h4><pre>%2</pre>")
                    .arg(tr("Printed by the repository"), result.output.toHtmlEscaped());
    html += QStringLiteral("<h4>repr</h4><pre>%1</pre>").arg(d.repr.toHtmlEscaped());
    m_summary->setHtml(html);
}

void ResultPanel::showNote(const QString &text)
{
    m_verdict->setText(text);
    QPalette pal = m_verdict->palette();
    pal.setColor(QPalette::WindowText, toneText(Tone::Warning, pal));
    m_verdict->setPalette(pal);
}

void ResultPanel::showVerification(bool verified, const QString &verdict)
{
    m_verdict->setText(verdict);
    QPalette pal = m_verdict->palette();
    pal.setColor(QPalette::WindowText, toneText(verified ? Tone::Success : Tone::Error, pal));
    m_verdict->setPalette(pal);
}

} // namespace hubcap::ui
