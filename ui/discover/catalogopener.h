#pragma once

#include "core/protocol/entrypoint.h"
#include "ui/browser/repolistmodel.h"
#include "ui/export/loaddialog.h"

#include <QObject>
#include <QPair>

#include <functional>
#include <optional>

namespace hubcap::ui {

class MainWindow;

/// The Discover page's Open and Load…: fetch the repository (the main window's fetch, with
/// torch.hub's trust question and progress in the downloads panel), jump to Browse with the
/// example's entrypoint selected and, for Load…, show the load form prefilled with the
/// example's keyword arguments. Cached repositories are selected without any download.
class CatalogOpener : public QObject
{
    Q_OBJECT
public:
    using Kwargs = QList<QPair<QString, QString>>;
    /// Shows the load form prefilled with `kwargs` (Python source texts); nullopt: cancelled.
    using PrefilledDialog = std::function<std::optional<LoadRequest>(
        QWidget *parent, const Entrypoint &, const RepoEntry &, const Kwargs &kwargs)>;

    explicit CatalogOpener(MainWindow *window);

    void open(const QString &spec, const QString &entrypoint);
    void load(const QString &spec, const QString &entrypoint, const Kwargs &kwargs);
    void setPrefilledDialog(PrefilledDialog dialog) { m_dialog = std::move(dialog); }

    /// Fills a load form's fields from Python source texts (True/False/None, numbers, quoted
    /// strings, lists); returns the names it could not place.
    static QStringList prefill(LoadDialog &dialog, const Kwargs &kwargs);

Q_SIGNALS:
    /// The entrypoint is selected in Browse (after a fetch when one was needed).
    void opened(const QString &repoPath, const QString &entrypoint);

private:
    void start(const QString &spec, const QString &entrypoint, std::optional<Kwargs> kwargs);
    void apply();

    MainWindow *m_window;
    PrefilledDialog m_dialog;
    struct Pending
    {
        QString owner, repo; ///< lower case
        QString entrypoint;
        std::optional<Kwargs> kwargs;
    };
    std::optional<Pending> m_pending;
};

} // namespace hubcap::ui
