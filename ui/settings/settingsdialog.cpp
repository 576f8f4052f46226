#include "ui/settings/settingsdialog.h"

#include "ui/settings/tokenstore.h"

#include "ui/common/inlinemessage.h"
#include "ui/common/uiutil.h"

#include "core/cache/hubdir.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace hubcap::ui {

SettingsDialog::SettingsDialog(const AppSettings &s, QWidget *parent)
    : QDialog(parent), m_tokens(new TokenStore(this))
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Settings"));
    const HubDirResolution resolved = resolveHubDir(std::nullopt);
    m_hubDir = new QLineEdit(s.hubDir);
    m_hubDir->setAccessibleName(tr("Hub dir"));
    m_resolvedHubDir = resolved.absolutePath();
    m_hubDir->setPlaceholderText(m_resolvedHubDir);
    m_hubDirInfo =
        new QLabel(tr("Empty: %1, as torch.hub resolves it (from %2).")
                       .arg(QDir::toNativeSeparators(resolved.absolutePath()), resolved.origin));
    m_hubDirInfo->setWordWrap(true);
    auto *browse = new QPushButton(tr("Browse…"));
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir =
            QFileDialog::getExistingDirectory(this, tr("Hub dir"), m_hubDir->text());
        if (!dir.isEmpty())
            m_hubDir->setText(dir);
    });
    auto *hubRow = new QHBoxLayout;
    hubRow->addWidget(m_hubDir, 1);
    hubRow->addWidget(browse);

    m_githubUrl = new QLineEdit(s.githubUrl);
    m_githubUrl->setAccessibleName(tr("GitHub web URL"));
    m_githubUrl->setPlaceholderText(
        qEnvironmentVariable("HUBCAP_GITHUB_URL", QStringLiteral("https://github.com")));
    m_githubApiUrl = new QLineEdit(s.githubApiUrl);
    m_githubApiUrl->setAccessibleName(tr("GitHub API URL"));
    m_githubApiUrl->setPlaceholderText(
        qEnvironmentVariable("HUBCAP_GITHUB_API_URL", QStringLiteral("https://api.github.com")));

    m_token = new QLineEdit;
    m_token->setAccessibleName(tr("GitHub token"));
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setEnabled(TokenStore::available());
    m_tokenInfo = new QLabel;
    m_tokenInfo->setWordWrap(true);
    if (TokenStore::available()) {
        m_tokenInfo->setText(tr("Stored in the system keychain, never in the settings file."));
        m_token->setPlaceholderText(tr("reading the keychain…"));
        m_tokens->read([this](const QString &token, const QString &error) {
            m_token->setPlaceholderText(token.isEmpty() ? tr("none stored")
                                                        : tr("a token is stored (hidden)"));
            if (!error.isEmpty())
                m_tokenInfo->setText(
                    tr("The keychain could not be read (%1). Is a keyring service such as GNOME "
                       "Keyring or KWallet running and unlocked? Until it is, Hubcap uses "
                       "GITHUB_TOKEN from the environment%2.")
                        .arg(error, qEnvironmentVariableIsSet("GITHUB_TOKEN")
                                        ? tr(" (it is set)")
                                        : tr(" (it is not set)")));
        });
    } else {
        m_tokenInfo->setText(
            tr("No keychain is available: set GITHUB_TOKEN in the environment instead."));
    }
    connect(m_token, &QLineEdit::textEdited, this, [this] { m_tokenEdited = true; });

    auto spin = [](int min, int max, int value, const QString &special) {
        auto *b = new QSpinBox;
        b->setRange(min, max);
        b->setValue(value);
        if (!special.isEmpty())
            b->setSpecialValueText(special);
        return b;
    };
    m_concurrency = spin(1, 16, s.concurrency, {});
    m_concurrency->setAccessibleName(tr("Parallel downloads"));
    m_connectTimeout = spin(0, 600, s.connectTimeoutS, tr("default (15 s)"));
    m_connectTimeout->setSuffix(tr(" s"));
    m_connectTimeout->setAccessibleName(tr("Connect timeout"));
    m_stallTimeout = spin(0, 3600, s.stallTimeoutS, tr("default (30 s)"));
    m_stallTimeout->setSuffix(tr(" s"));
    m_stallTimeout->setAccessibleName(tr("Stall timeout"));

    m_hostIdle = spin(0, 24 * 60, s.hostIdleMinutes, tr("never"));
    m_hostIdle->setSuffix(tr(" min"));
    m_hostIdle->setAccessibleName(tr("Stop idle Python hosts after"));
    m_hostIdle->setToolTip(tr("Each repository you list or load keeps a Python process with its "
                              "imports warm; it is stopped after this long without use."));
    m_hostMemory = spin(0, 1024 * 1024, s.hostMemoryLimitMiB, tr("no limit"));
    m_hostMemory->setSuffix(tr(" MiB"));
    m_hostMemory->setSingleStep(256);
    m_hostMemory->setAccessibleName(tr("Memory limit per host"));
    m_hostMemory->setToolTip(tr("Repository code that needs more memory than this stops with a "
                                "message saying so. Applies to hosts started from now on."));

    m_appearance = new QComboBox;
    m_appearance->setAccessibleName(tr("Appearance"));
    m_appearance->addItem(tr("As the desktop"), appearanceName(Appearance::System));
    m_appearance->addItem(tr("Light"), appearanceName(Appearance::Light));
    m_appearance->addItem(tr("Dark"), appearanceName(Appearance::Dark));
    m_appearance->setCurrentIndex(
        std::max(0, m_appearance->findData(appearanceName(appearanceFromString(s.appearance)))));

    auto *form = new QFormLayout;
    auto *hubLabel = new QLabel(tr("&Hub dir"));
    hubLabel->setBuddy(m_hubDir); // a label made from a string for a layout row has no buddy
    form->addRow(hubLabel, hubRow);
    form->addRow(QString(), m_hubDirInfo);
    form->addRow(tr("GitHub &web URL"), m_githubUrl);
    form->addRow(tr("GitHub &API URL"), m_githubApiUrl);
    form->addRow(tr("GitHub &token"), m_token);
    form->addRow(QString(), m_tokenInfo);
    form->addRow(tr("&Parallel downloads"), m_concurrency);
    form->addRow(tr("&Connect timeout"), m_connectTimeout);
    form->addRow(tr("&Stall timeout"), m_stallTimeout);
    form->addRow(tr("Stop &idle hosts after"), m_hostIdle);
    form->addRow(tr("Host &memory limit"), m_hostMemory);
    form->addRow(tr("A&ppearance"), m_appearance);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    m_message = new InlineMessage;
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_message);
    layout->addLayout(form);
    layout->addWidget(buttons);
    resize(620, sizeHint().height());
    fitHeightToWidth(this);
}

void SettingsDialog::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    fitHeightToWidth(this);
}

void SettingsDialog::resizeEvent(QResizeEvent *event)
{
    QDialog::resizeEvent(event);
    if (isVisible())
        fitHeightToWidth(this); // narrower means more lines: grow rather than clip
}

void SettingsDialog::setSessionHubDir(const QString &hubDir)
{
    const QString setting = m_hubDir->text().trimmed();
    const QString inUse = QDir::cleanPath(hubDir);
    if (inUse == QDir::cleanPath(setting.isEmpty() ? m_resolvedHubDir : setting))
        return;
    m_hubDirInfo->setText(m_hubDirInfo->text() + u' ' +
                          tr("This window uses %1 (given with --hub-dir); the setting applies "
                             "from the next start without --hub-dir.")
                              .arg(QDir::toNativeSeparators(inUse)));
}

AppSettings SettingsDialog::settings() const
{
    AppSettings s;
    s.hubDir = m_hubDir->text().trimmed();
    s.githubUrl = m_githubUrl->text().trimmed();
    s.githubApiUrl = m_githubApiUrl->text().trimmed();
    s.concurrency = m_concurrency->value();
    s.connectTimeoutS = m_connectTimeout->value();
    s.stallTimeoutS = m_stallTimeout->value();
    s.hostIdleMinutes = m_hostIdle->value();
    s.hostMemoryLimitMiB = m_hostMemory->value();
    s.appearance = m_appearance->currentData().toString();
    if (s.appearance == appearanceName(Appearance::System))
        s.appearance.clear();
    return s;
}

std::optional<QString> SettingsDialog::editedToken() const
{
    return m_tokenEdited ? std::optional<QString>(m_token->text()) : std::nullopt;
}

void SettingsDialog::accept()
{
    for (QLineEdit *e : {m_githubUrl, m_githubApiUrl}) {
        const QUrl url(e->text().trimmed());
        if (!e->text().trimmed().isEmpty() &&
            (!url.isValid() || url.scheme().isEmpty() || url.host().isEmpty())) {
            m_message->showMessage(Tone::Error, e->accessibleName(),
                                   tr("%1 is not a URL. Enter one like https://github.example.com, "
                                      "or leave the field empty for the default.")
                                       .arg(e->text().trimmed()));
            e->setFocus();
            e->selectAll();
            return;
        }
    }
    if (!m_tokenEdited) {
        QDialog::accept();
        return;
    }
    m_tokens->write(m_token->text(), [this](const QString &error) {
        if (!error.isEmpty()) {
            // Stay open: the user's token would otherwise be lost silently.
            m_message->showMessage(
                Tone::Error, tr("GitHub token"),
                tr("The token could not be stored in the keychain: %1. Unlock the keychain and "
                   "press OK again, or set GITHUB_TOKEN in the environment.")
                    .arg(error));
            return;
        }
        QDialog::accept();
    });
}

} // namespace hubcap::ui
