#pragma once

#include "ui/common/trustdialog.h"

#include "core/bundle/bundleimport.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>
#include <thread>
#include <vector>

class QAction;
class QWidget;

namespace hubcap::ui {

class ImportSummaryDialog;

/// Export Bundle… and Import Bundle… for the main window. Import: the summary of what the
/// bundle holds and would change, torch.hub's trust question for repositories it would not
/// trust (the existing TrustDialog), then the verified import with progress and Cancel.
class BundleController : public QObject
{
    Q_OBJECT
public:
    BundleController(QWidget *window, std::function<QString()> hubDir, QObject *parent = nullptr);
    ~BundleController() override;

    QAction *importAction() const { return m_importAction; }

    /// Shows the summary of `file`, asks, imports. Result in importFinished().
    void importFile(const QString &file);
    /// Opens the export dialog with `folders` (repository folders of the hub dir) ticked.
    void exportRepos(const QStringList &folders);

    /// Test hooks: how the summary is shown (default: exec(), true when accepted) and how
    /// trust is asked (default: the modal TrustDialog).
    void setSummaryRunner(std::function<bool(ImportSummaryDialog &)> runner)
    {
        m_runSummary = std::move(runner);
    }
    void setTrustAsker(TrustAsker asker) { m_askTrust = std::move(asker); }

    static bool isBundleFile(const QString &path);

Q_SIGNALS:
    void importFinished(bool ok, const QString &message);
    void exported(const QString &file, qint64 bytes);

private:
    void continueImport(const QString &file, const QString &hubDir,
                        const hubcap::Result<hubcap::bundle::ImportPreview> &preview);

    QWidget *m_window;
    std::vector<std::thread> m_threads; ///< bundle previews (joined on destruction)
    std::function<QString()> m_hubDir;
    QAction *m_importAction;
    std::function<bool(ImportSummaryDialog &)> m_runSummary;
    TrustAsker m_askTrust = askTrustWithDialog;
};

} // namespace hubcap::ui
