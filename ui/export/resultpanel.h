#pragma once

#include <QWidget>
#include <protocol/loadresult.h>

class QLabel;
class QPushButton;
class QTextBrowser;
class QTreeWidget;

namespace hubcap::ui {

/// The result of a load (and export): the model summary (type, parameters, bytes per dtype,
/// submodule tree, repr), the export summary and the verification verdict, with "show in
/// folder" for the exported file.
class ResultPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ResultPanel(QWidget *parent = nullptr);

    void showRunning(const QString &title, const QString &text);
    void showError(const QString &title, const QString &message, const QString &details);
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
    QLabel *m_title;
    QTextBrowser *m_summary;
    QTreeWidget *m_tree;
    QLabel *m_verdict;
    QPushButton *m_showInFolder;
    QPushButton *m_cancel;
    QString m_exportedFile;
};

} // namespace hubcap::ui
