#include "ui/discover/catalogopener.h"

#include "ui/browser/browserpage.h"
#include "ui/common/inlinemessage.h"
#include "ui/export/resultpanel.h"
#include "ui/export/runcontroller.h"
#include "ui/mainwindow.h"

#include "core/cache/repospec.h"
#include "core/catalog/catalogpage.h"

#include <QCheckBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>

namespace hubcap::ui {

namespace {

std::optional<LoadRequest> prefilledWithDialog(QWidget *parent, const Entrypoint &e,
                                               const RepoEntry &repo,
                                               const CatalogOpener::Kwargs &kwargs)
{
    QString outDir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (outDir.isEmpty())
        outDir = QDir::homePath();
    LoadDialog dialog(e, repo.title, false, QDir(outDir).filePath(QStringLiteral("hubcap-exports")),
                      parent);
    CatalogOpener::prefill(dialog, kwargs);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.request();
}

// Python source → the text a form field takes (JSON where it parses, else the string).
QString formText(const QString &python)
{
    const QString t = python.trimmed();
    if (t == u"True")
        return QStringLiteral("true");
    if (t == u"False")
        return QStringLiteral("false");
    if (t == u"None")
        return QStringLiteral("null");
    if (const auto s = stringLiteral(t))
        return *s;
    QString json = t;
    json.replace(u'\'', u'"')
        .replace(QStringLiteral("True"), QStringLiteral("true"))
        .replace(QStringLiteral("False"), QStringLiteral("false"))
        .replace(QStringLiteral("None"), QStringLiteral("null"));
    if (json.startsWith(u'('))
        json = u'[' + json.mid(1, json.size() - 2) + u']';
    return json;
}

} // namespace

CatalogOpener::CatalogOpener(MainWindow *window)
    : QObject(window), m_window(window), m_dialog(prefilledWithDialog)
{
    connect(window->browserPage(), &BrowserPage::listingFinished, this, [this](bool ok) {
        if (ok)
            apply();
    });
}

QStringList CatalogOpener::prefill(LoadDialog &dialog, const Kwargs &kwargs)
{
    QStringList unplaced;
    for (const auto &[name, value] : kwargs) {
        QWidget *w = dialog.fieldFor(name);
        const QString text = formText(value);
        if (auto *box = qobject_cast<QCheckBox *>(w))
            box->setChecked(text == u"true");
        else if (auto *spin = qobject_cast<QSpinBox *>(w))
            spin->setValue(text.toInt());
        else if (auto *dspin = qobject_cast<QDoubleSpinBox *>(w))
            dspin->setValue(text.toDouble());
        else if (auto *edit = qobject_cast<QLineEdit *>(w))
            edit->setText(text);
        else
            unplaced << name;
    }
    return unplaced;
}

void CatalogOpener::open(const QString &spec, const QString &entrypoint)
{
    start(spec, entrypoint, std::nullopt);
}

void CatalogOpener::load(const QString &spec, const QString &entrypoint, const Kwargs &kwargs)
{
    start(spec, entrypoint, kwargs);
}

void CatalogOpener::start(const QString &text, const QString &entrypoint,
                          std::optional<Kwargs> kwargs)
{
    const auto spec = RepoSpec::parse(text);
    if (!spec) {
        m_window->messageBar()->showMessage(Tone::Error, tr("Open %1").arg(text),
                                            spec.error().message, spec.error().details);
        return;
    }
    m_pending = Pending{spec->owner.toLower(), spec->repo.toLower(), entrypoint, std::move(kwargs)};
    BrowserPage *browser = m_window->browserPage();
    // Already in the cache (this ref, or any ref when the example names none): no download.
    QString found =
        browser->repoModel()->find(spec->toString()).isValid() ? spec->toString() : QString();
    if (found.isEmpty() && !spec->hasRef) {
        const QModelIndex cacheGroup =
            browser->repoModel()->index(int(RepoEntry::Source::Cache), 0);
        for (int r = 0; r < browser->repoModel()->rowCount(cacheGroup); ++r) {
            const QString s = browser->repoModel()
                                  ->index(r, 0, cacheGroup)
                                  .data(RepoListModel::SpecRole)
                                  .toString();
            if (s.section(u':', 0, 0)
                    .compare(spec->owner + u'/' + spec->repo, Qt::CaseInsensitive) == 0) {
                found = s;
                break;
            }
        }
    }
    if (!found.isEmpty() && browser->selectRepo(found)) {
        m_window->tabs()->setCurrentWidget(browser);
        if (!browser->isListing())
            apply();
        return;
    }
    m_window->fetch(*spec, false); // trust question, downloads panel; selects it when done
}

void CatalogOpener::apply()
{
    if (!m_pending)
        return;
    BrowserPage *browser = m_window->browserPage();
    const RepoEntry *repo = browser->currentRepo();
    if (!repo || repo->spec.isEmpty())
        return;
    const QString ownerRepo = repo->spec.section(u':', 0, 0).toLower();
    if (ownerRepo != m_pending->owner + u'/' + m_pending->repo)
        return; // another repository was selected meanwhile
    const Pending p = *m_pending;
    m_pending.reset();
    m_window->tabs()->setCurrentWidget(browser);
    if (!p.entrypoint.isEmpty() && !browser->selectEntrypoint(p.entrypoint)) {
        m_window->messageBar()->showMessage(
            Tone::Warning, tr("%1 has no entrypoint %2").arg(repo->spec, p.entrypoint),
            tr("The catalog's example names an entrypoint this version of the repository does not "
               "list. Pick one from the list."));
        return;
    }
    Q_EMIT opened(repo->path, p.entrypoint);
    if (!p.kwargs || p.entrypoint.isEmpty())
        return;
    for (const Entrypoint &e : browser->listing().entrypoints) {
        if (e.name != p.entrypoint)
            continue;
        const RepoEntry repoCopy = *repo;
        RunController *run = m_window->runController();
        if (!run->ensureTrusted(repoCopy, tr("load %1").arg(e.name)))
            return;
        const auto request = m_dialog(m_window, e, repoCopy, *p.kwargs);
        if (!request)
            return;
        if (run->run(repoCopy, e, *request))
            m_window->tabs()->setCurrentWidget(m_window->resultPanel());
        return;
    }
}

} // namespace hubcap::ui
