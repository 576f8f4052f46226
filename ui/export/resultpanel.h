#pragma once

#include "core/protocol/loadresult.h"
#include <QWidget>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QToolButton;
class QTextBrowser;
class QTreeWidget;

namespace hubcap::ui {

class ElidedLabel;

/// The result of a load (and export): the model summary (type, parameters, bytes per dtype,
/// submodule tree, repr), the export summary and the verification verdict, with "show in
/// folder" for the exported file.
class ResultPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ResultPanel(QWidget *parent = nullptr);

    void showRunning(const QString &title, const QString &text);
    /// The error in the GUI's words; `details` (a traceback) goes under "Details", showing only
    /// the repository's frames until "All frames" is ticked.
    void showError(const QString &title, const QString &message, const QString &details);
    /// The folder whose frames a traceback keeps by default (the repository being run).
    void setRepositoryDir(const QString &dir) { m_repoDir = dir; }
    /// Verification is under way: the step ("Timed run 3 of 12"), with Cancel.
    void showVerifying(const QString &step);
    QPlainTextEdit *detailsView() const { return m_details; }
    QToolButton *detailsButton() const { return m_detailsButton; }
    QCheckBox *allFramesBox() const { return m_allFrames; }
    QPushButton *cancelButton() const { return m_cancel; }
    /// `result` is the host's runtime.load result.
    void showResult(const QString &title, const LoadResult &result);
    void showVerification(bool verified, const QString &verdict);
    /// A verdict that is neither verified nor failed (an export no host can check).
    void showNote(const QString &text);
    QLabel *verdictLabel() const { return m_verdict; }

    QTextBrowser *summaryView() const { return m_summary; }
    QTreeWidget *treeView() const { return m_tree; }
    QString exportedFile() const { return m_exportedFile; }

Q_SIGNALS:
    void cancelRequested();

private:
    void renderError();
    void updateDetails();
    void recolourVerdict();

    enum class VerdictTone { None, Running, Verified, Failed, Note };
    VerdictTone m_verdictTone = VerdictTone::None;
    QString m_repoDir;
    QString m_errorMessage;
    QString m_errorDetails;
    bool m_showingError = false;
    QToolButton *m_detailsButton;
    QCheckBox *m_allFrames;
    QPlainTextEdit *m_details;
    ElidedLabel *m_title;
    QTextBrowser *m_summary;
    QTreeWidget *m_tree;
    QLabel *m_verdict;
    QPushButton *m_showInFolder;
    QPushButton *m_cancel;
    QString m_exportedFile;
};

} // namespace hubcap::ui
