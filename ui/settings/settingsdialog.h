#pragma once

#include "ui/settings/appsettings.h"

#include <QDialog>

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace hubcap::ui {

class InlineMessage;
class TokenStore;

/// Hub dir (with what torch.hub would resolve and why), GitHub web and API URLs, the GitHub
/// token (stored in the keychain, never in the settings file), download concurrency and
/// timeouts.
class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    SettingsDialog(const AppSettings &settings, QWidget *parent = nullptr);

    AppSettings settings() const;
    /// The hub dir this window uses; when it is not what the setting resolves to (--hub-dir),
    /// the dialog says so.
    void setSessionHubDir(const QString &hubDir);
    /// The token the user typed (empty: remove it), or nullopt when the field was not edited.
    std::optional<QString> editedToken() const;
    void accept() override;
    /// Validation errors appear here, inside the dialog, next to the fields.
    InlineMessage *messageBar() const { return m_message; }

protected:
    /// The wrapped notes get the height they need at the dialog's width (never clipped).
    void showEvent(QShowEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    QLineEdit *m_hubDir;
    QString m_resolvedHubDir; ///< what torch.hub resolves without a setting
    QLabel *m_hubDirInfo;
    QLineEdit *m_githubUrl;
    QLineEdit *m_githubApiUrl;
    QLineEdit *m_token;
    QLabel *m_tokenInfo;
    QSpinBox *m_concurrency;
    QSpinBox *m_connectTimeout;
    QSpinBox *m_stallTimeout;
    QSpinBox *m_hostIdle = nullptr;
    QSpinBox *m_hostMemory = nullptr;
    QComboBox *m_appearance;
    InlineMessage *m_message;
    TokenStore *m_tokens;
    bool m_tokenEdited = false;
};

} // namespace hubcap::ui
