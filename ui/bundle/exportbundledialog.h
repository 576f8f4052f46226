#pragma once

#include <QDialog>
#include <QPointer>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QTimer;

namespace hubcap::bundle {
class BundleExportJob;
}

namespace hubcap::ui {

/// Export Bundle…: which repositories (the cache's repository folders, the chosen ones
/// ticked), which weights, the exact size of the file before it is written (a dry run of the
/// same export, redone on every change), where to write it, then the export with progress and
/// Cancel.
class ExportBundleDialog : public QDialog
{
    Q_OBJECT
public:
    ExportBundleDialog(const QString &hubDir, const QStringList &preselected,
                       QWidget *parent = nullptr);
    ~ExportBundleDialog() override;

    QListWidget *repoList() const { return m_repos; }
    QComboBox *weightsBox() const { return m_weights; }
    QLabel *sizeLabel() const { return m_size; }
    QLineEdit *outputEdit() const { return m_output; }
    QPushButton *exportButton() const { return m_export; }
    /// The predicted size from the last measurement (-1 while measuring or on error).
    qint64 predictedBytes() const { return m_predicted; }
    QStringList checkedRepos() const;
    void startExport();

Q_SIGNALS:
    void exported(const QString &file, qint64 bytes);

protected:
    void reject() override;

private:
    void remeasure();
    void updateButtons();

    QString m_hubDir;
    QListWidget *m_repos;
    QComboBox *m_weights;
    QLabel *m_size;
    QLineEdit *m_output;
    QProgressBar *m_progress;
    QLabel *m_status;
    QPushButton *m_export;
    QTimer *m_measureTimer;
    QPointer<hubcap::bundle::BundleExportJob> m_measure, m_job;
    qint64 m_predicted = -1;
};

} // namespace hubcap::ui
