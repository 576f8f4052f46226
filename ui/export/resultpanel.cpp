#include "ui/export/resultpanel.h"

#include "ui/common/theme.h"

#include "ui/common/icons.h"
#include "ui/common/uiutil.h"

#include "core/util/format.h"

#include <QCheckBox>
#include <QDesktopServices>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTextBrowser>
#include <QToolButton>
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
    m_title = new ElidedLabel(Qt::ElideMiddle);
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
    // An error's details (a traceback): folded away, the repository's own frames first.
    m_detailsButton = new QToolButton;
    m_detailsButton->setObjectName(QStringLiteral("resultDetailsButton"));
    m_detailsButton->setText(tr("Details"));
    m_detailsButton->setCheckable(true);
    m_detailsButton->setAutoRaise(true);
    m_detailsButton->setArrowType(Qt::RightArrow);
    m_detailsButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_allFrames = new QCheckBox(tr("Show Hubcap's and the libraries' frames too"));
    m_allFrames->setObjectName(QStringLiteral("resultAllFrames"));
    m_details = new QPlainTextEdit;
    m_details->setObjectName(QStringLiteral("resultDetails"));
    m_details->setReadOnly(true);
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_details->setLineWrapMode(QPlainTextEdit::NoWrap);
    for (QWidget *w : {static_cast<QWidget *>(m_detailsButton), static_cast<QWidget *>(m_allFrames),
                       static_cast<QWidget *>(m_details)})
        w->hide();
    connect(m_detailsButton, &QToolButton::toggled, this, [this](bool on) {
        m_detailsButton->setArrowType(on ? Qt::DownArrow : Qt::RightArrow);
        updateDetails();
    });
    connect(m_allFrames, &QCheckBox::toggled, this, &ResultPanel::updateDetails);
    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto *detailsRow = new QHBoxLayout;
    detailsRow->addWidget(m_detailsButton);
    detailsRow->addStretch(1);
    detailsRow->addWidget(m_allFrames);
    leftLayout->addWidget(m_summary, 2);
    leftLayout->addLayout(detailsRow);
    leftLayout->addWidget(m_details, 3);
    auto *split = new QSplitter(Qt::Horizontal);
    split->addWidget(left);
    split->addWidget(m_tree);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
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
    onAppearanceChanged(this, [this] {
        if (m_showingError)
            renderError();
        recolourVerdict();
    });
}

void ResultPanel::showRunning(const QString &title, const QString &text)
{
    m_showingError = false;
    for (QWidget *w : {static_cast<QWidget *>(m_detailsButton), static_cast<QWidget *>(m_allFrames),
                       static_cast<QWidget *>(m_details)})
        w->hide();
    m_verdictTone = VerdictTone::None;
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
    m_verdict->clear(); // no verdict (and no exported file) belongs to a run that failed
    m_exportedFile.clear();
    m_showInFolder->setEnabled(false);
    m_verdictTone = VerdictTone::None;
    m_tree->clear();
    m_errorMessage = forGui(message);
    m_errorDetails = details.trimmed() == message.trimmed() ? QString() : details;
    m_showingError = true;
    renderError();
    const bool hasDetails = !m_errorDetails.trimmed().isEmpty();
    m_detailsButton->setVisible(hasDetails);
    m_detailsButton->setChecked(false);
    m_allFrames->setChecked(false);
    updateDetails();
}

void ResultPanel::renderError()
{
    // Coloured from the palette in use; runs again after a live switch of the appearance.
    m_summary->setHtml(QStringLiteral("<h3 style=\"color:%2\">%1</h3>")
                           .arg(m_errorMessage.toHtmlEscaped(),
                                toneText(Tone::Error, m_summary->palette()).name()));
}

void ResultPanel::updateDetails()
{
    const bool open = m_showingError && m_detailsButton->isChecked();
    const bool traceback = m_errorDetails.contains(QStringLiteral("Traceback (most recent"));
    int hidden = 0;
    const QString repoOnly =
        traceback ? repositoryFrames(m_errorDetails, m_repoDir, &hidden) : m_errorDetails;
    m_details->setVisible(open);
    m_allFrames->setVisible(open && traceback && hidden > 0);
    if (!open)
        return;
    QString text = m_allFrames->isChecked() || hidden == 0 ? m_errorDetails : repoOnly;
    if (hidden > 0 && !m_allFrames->isChecked())
        text += u'\n' +
                tr("(%n frame(s) of Hubcap's host, torch and Python left out)", nullptr, hidden);
    m_details->setPlainText(text);
}

void ResultPanel::showVerifying(const QString &step)
{
    m_verdictTone = VerdictTone::Running;
    m_verdict->setText(step.isEmpty() ? tr("Verifying in the libtorch host…")
                                      : tr("Verifying in the libtorch host: %1…").arg(step));
    recolourVerdict();
    m_cancel->show();
}

void ResultPanel::recolourVerdict()
{
    QPalette pal; // only the text colour: the rest follows the application's palette
    switch (m_verdictTone) {
    case VerdictTone::None:
    case VerdictTone::Running:
        break;
    case VerdictTone::Verified:
        pal.setColor(QPalette::WindowText, toneText(Tone::Success, palette()));
        break;
    case VerdictTone::Failed:
        pal.setColor(QPalette::WindowText, toneText(Tone::Error, palette()));
        break;
    case VerdictTone::Note:
        pal.setColor(QPalette::WindowText, toneText(Tone::Warning, palette()));
        break;
    }
    m_verdict->setPalette(pal);
}

void ResultPanel::showResult(const QString &title, const LoadResult &result)
{
    m_cancel->hide();
    m_showingError = false;
    for (QWidget *w : {static_cast<QWidget *>(m_detailsButton), static_cast<QWidget *>(m_allFrames),
                       static_cast<QWidget *>(m_details)})
        w->hide();
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
        if (ex->seconds > 0)
            row(tr("Time"), humanSeconds(ex->seconds));
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
    m_verdictTone = VerdictTone::Note;
    recolourVerdict();
}

void ResultPanel::showVerification(bool verified, const QString &verdict)
{
    m_cancel->hide();
    m_verdict->setText(forGui(verdict));
    m_verdictTone = verified ? VerdictTone::Verified : VerdictTone::Failed;
    recolourVerdict();
}

} // namespace hubcap::ui
