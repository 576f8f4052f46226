#pragma once

#include "appsettings.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QSpinBox;

namespace hubcap::ui {

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
    void accept() override;

private:
    QLineEdit *m_hubDir;
    QLabel *m_hubDirInfo;
    QLineEdit *m_githubUrl;
    QLineEdit *m_githubApiUrl;
    QLineEdit *m_token;
    QLabel *m_tokenInfo;
    QSpinBox *m_concurrency;
    QSpinBox *m_connectTimeout;
    QSpinBox *m_stallTimeout;
    TokenStore *m_tokens;
    bool m_tokenEdited = false;
};

} // namespace hubcap::ui
