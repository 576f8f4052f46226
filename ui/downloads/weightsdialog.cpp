#include "ui/downloads/weightsdialog.h"

#include "ui/common/theme.h"

#include "core/util/format.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QUrl>
#include <QVBoxLayout>

namespace hubcap::ui {

namespace {

QLabel *noteLabel(const QString &objectName, bool error)
{
    auto *label = new QLabel;
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    if (error) {
        QPalette pal = label->palette();
        pal.setColor(QPalette::WindowText, toneText(Tone::Error, pal));
        label->setPalette(pal);
    }
    return label;
}

} // namespace

WeightsDialog::WeightsDialog(const QString &hubDir, QWidget *parent)
    : QDialog(parent), m_hubDir(hubDir)
{
    setObjectName(QStringLiteral("weightsDialog"));
    setWindowTitle(tr("Download Weights"));

    m_url = new QLineEdit;
    m_url->setObjectName(QStringLiteral("weightsUrl"));
    m_url->setAccessibleName(tr("Weights URL"));
    m_url->setPlaceholderText(tr("https://download.pytorch.org/models/resnet18-f37072fd.pth"));
    m_url->setClearButtonEnabled(true);
    m_urlError = noteLabel(QStringLiteral("weightsUrlError"), true);

    m_fileName = new QLineEdit;
    m_fileName->setObjectName(QStringLiteral("weightsFileName"));
    m_fileName->setAccessibleName(tr("File name"));
    m_fileNameError = noteLabel(QStringLiteral("weightsFileNameError"), true);

    m_checkHash = new QCheckBox(tr("&Check the SHA-256 against the hash prefix in the name"));
    m_checkHash->setObjectName(QStringLiteral("weightsCheckHash"));
    m_checkHash->setAccessibleName(tr("Check hash"));
    m_checkHash->setToolTip(tr("torch.hub's check_hash: the file name's \"-<hex digits>.\" part "
                               "must be the start of the download's SHA-256."));
    m_hashInfo = noteLabel(QStringLiteral("weightsHashInfo"), false);

    m_destination = new QLineEdit;
    m_destination->setObjectName(QStringLiteral("weightsDestination"));
    m_destination->setAccessibleName(tr("Destination"));
    m_destination->setReadOnly(true);
    m_destination->setToolTip(
        tr("Where torch.hub.load_state_dict_from_url keeps it: <hub dir>/checkpoints/<name>"));
    m_exists = noteLabel(QStringLiteral("weightsExists"), false);
    m_replace = new QCheckBox(tr("&Replace the existing file"));
    m_replace->setObjectName(QStringLiteral("weightsReplace"));
    m_replace->setAccessibleName(tr("Replace the existing file"));

    // Each note is a row of its own under its field, shown only when it has something to say.
    m_form = new QFormLayout;
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_form->addRow(tr("&URL:"), m_url);
    m_form->addRow(QString(), m_urlError);
    m_form->addRow(tr("&File name:"), m_fileName);
    m_form->addRow(QString(), m_fileNameError);
    m_form->addRow(tr("Hash:"), m_checkHash);
    m_form->addRow(QString(), m_hashInfo);
    m_form->addRow(tr("Destination:"), m_destination);
    m_form->addRow(QString(), m_exists);
    m_form->addRow(QString(), m_replace);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    okButton()->setText(tr("&Download"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_form);
    layout->addStretch();
    layout->addWidget(m_buttons);

    connect(m_url, &QLineEdit::textChanged, this, &WeightsDialog::update);
    connect(m_fileName, &QLineEdit::textEdited, this, [this](const QString &text) {
        // Until the user types a name of their own (or after they clear it), the name follows
        // the URL, as torch.hub's file_name=None does.
        m_fileNameEdited = !text.trimmed().isEmpty();
    });
    connect(m_fileName, &QLineEdit::textChanged, this, &WeightsDialog::update);
    connect(m_checkHash, &QCheckBox::toggled, this, &WeightsDialog::update);
    connect(m_replace, &QCheckBox::toggled, this, &WeightsDialog::update);
    setMinimumWidth(600);
    update();
}

QPushButton *WeightsDialog::okButton() const
{
    return m_buttons->button(QDialogButtonBox::Ok);
}

QString WeightsDialog::urlProblem(const QString &text)
{
    if (text.trimmed().isEmpty())
        return {};
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.scheme().isEmpty())
        return tr("Not a URL. Enter an http:// or https:// address of the weights file.");
    if (scheme != u"http" && scheme != u"https")
        return tr("Only http:// and https:// URLs can be downloaded here (this one is %1:).")
            .arg(url.scheme());
    if (url.host().isEmpty())
        return tr("The URL has no host name.");
    return {};
}

std::optional<CheckpointRequest> WeightsDialog::request() const
{
    const QString urlText = m_url->text().trimmed();
    if (urlText.isEmpty() || !urlProblem(urlText).isEmpty())
        return std::nullopt;
    CheckpointRequest r;
    r.url = QUrl(urlText, QUrl::StrictMode);
    r.hubDir = m_hubDir;
    const QString name = m_fileName->text().trimmed();
    if (!name.isEmpty())
        r.fileName = name;
    const auto place = placeCheckpoint(r);
    if (!place)
        return std::nullopt;
    r.checkHash = m_checkHash->isChecked();
    const bool exists = QFileInfo(place->path).isFile();
    if (exists && !m_replace->isChecked())
        return std::nullopt;
    r.replace = exists;
    return r;
}

void WeightsDialog::update()
{
    const QString urlText = m_url->text().trimmed();
    const QString problem = urlProblem(urlText);
    m_urlError->setText(problem);
    m_form->setRowVisible(m_urlError, !problem.isEmpty());

    // The name torch.hub would use for this URL (core: basename of the path, query dropped).
    CheckpointRequest r;
    r.hubDir = m_hubDir;
    QString defaultName;
    if (!urlText.isEmpty() && problem.isEmpty()) {
        r.url = QUrl(urlText, QUrl::StrictMode);
        if (const auto place = placeCheckpoint(r))
            defaultName = place->fileName;
    }
    if (!m_fileNameEdited && m_fileName->text() != defaultName) {
        const QSignalBlocker block(m_fileName);
        m_fileName->setText(defaultName);
    }
    m_fileName->setPlaceholderText(tr("the last part of the URL's path"));

    const QString name = m_fileName->text().trimmed();
    std::optional<CheckpointPlacement> place;
    QString nameProblem;
    if (!name.isEmpty()) {
        r.fileName = name;
        if (const auto p = placeCheckpoint(r))
            place = *p;
        else
            nameProblem = tr("Enter a plain file name, without \"/\".");
    } else if (!urlText.isEmpty() && problem.isEmpty()) {
        nameProblem = tr("This URL has no file name in its path: enter one.");
    }
    m_fileNameError->setText(nameProblem);
    m_form->setRowVisible(m_fileNameError, !nameProblem.isEmpty());

    if (place) {
        const NameHashCheck check = hashCheckForName(place->fileName);
        QString text;
        if (!check.prefix.isEmpty())
            text = tr("The name carries the hash prefix %1: when checked, a download whose "
                      "SHA-256 does not start with it is not saved.")
                       .arg(check.prefix);
        else
            text = tr("The name carries no usable hash prefix: %1").arg(check.unverifiable);
        m_hashInfo->setText(text);
        m_form->setRowVisible(m_hashInfo, true);
        m_destination->setText(QDir::toNativeSeparators(place->path));
    } else {
        m_form->setRowVisible(m_hashInfo, false);
        m_destination->setText(QDir::toNativeSeparators(
            QDir(m_hubDir).filePath(QStringLiteral("checkpoints/")) + QStringLiteral("…")));
    }

    const bool exists = place && QFileInfo(place->path).isFile();
    m_form->setRowVisible(m_exists, exists);
    m_form->setRowVisible(m_replace, exists);
    if (exists)
        m_exists->setText(tr("This file already exists (%1). torch.hub would load it as it is, "
                             "without downloading; tick \"Replace\" to download it again.")
                              .arg(humanSize(QFileInfo(place->path).size())));
    okButton()->setEnabled(request().has_value());
    fitToContents();
}

void WeightsDialog::fitToContents()
{
    // Notes come and go and wrap: grow the dialog so none is cut off (a QFormLayout does not
    // ask its window for the height a wrapped label needs at the current width).
    if (QLayout *l = layout()) {
        l->activate();
        const int needed =
            l->hasHeightForWidth() ? l->totalHeightForWidth(width()) : l->totalSizeHint().height();
        if (needed > height())
            resize(width(), needed);
    }
}

} // namespace hubcap::ui
