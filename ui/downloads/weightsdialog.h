#pragma once

#include "core/net/checkpointdownload.h"

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace hubcap::ui {

/// "Download Weights…": what torch.hub.load_state_dict_from_url(url, check_hash, file_name)
/// would download, asked for up front. The URL must be http(s); the file name defaults to the
/// URL's basename (placeCheckpoint, as the CLI and torch.hub decide it); the dialog says whether
/// the name carries a hash prefix that "check hash" verifies, shows the destination
/// `<hub>/checkpoints/<name>`, and when that file exists (torch.hub would load it without
/// downloading) only accepts with "replace" ticked.
class WeightsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit WeightsDialog(const QString &hubDir, QWidget *parent = nullptr);

    /// The request the form describes (hubDir set), or nullopt while it is not acceptable.
    std::optional<CheckpointRequest> request() const;

    QLineEdit *urlEdit() const { return m_url; }
    QLabel *urlError() const { return m_urlError; }
    QLineEdit *fileNameEdit() const { return m_fileName; }
    QLabel *fileNameError() const { return m_fileNameError; }
    QCheckBox *checkHashBox() const { return m_checkHash; }
    QLabel *hashInfo() const { return m_hashInfo; }
    QLineEdit *destinationEdit() const { return m_destination; }
    QLabel *existsInfo() const { return m_exists; }
    QCheckBox *replaceBox() const { return m_replace; }
    QPushButton *okButton() const;

    /// An http or https URL with a host, or an error text saying what is wrong ("" when empty).
    static QString urlProblem(const QString &text);

private:
    void fitToContents();
    void update();

    QString m_hubDir;
    QLineEdit *m_url;
    QLabel *m_urlError;
    QLineEdit *m_fileName;
    QLabel *m_fileNameError;
    bool m_fileNameEdited = false;
    QCheckBox *m_checkHash;
    QLabel *m_hashInfo;
    QLineEdit *m_destination;
    QLabel *m_exists;
    QCheckBox *m_replace;
    QDialogButtonBox *m_buttons;
    QFormLayout *m_form;
};

} // namespace hubcap::ui
