#include "ui/browser/browserpage.h"

#include "ui/common/plural.h"

#include "ui/common/theme.h"
#include "ui/common/uiutil.h"

#include "ui/browser/entrypointdetail.h"
#include "ui/browser/entrypointmodel.h"
#include "ui/browser/snippet.h"
#include "ui/common/corebridge.h"
#include "ui/common/icons.h"

#include "core/cache/repospec.h"
#include "core/cache/trustlist.h"
#include "core/jobs/job.h"
#include "core/util/format.h"
#include "ui/browser/refpicker.h"
#include <QDesktopServices>
#include <QJsonObject>
#include <QUrlQuery>

#include <QAction>
#include <QClipboard>
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTextBrowser>
#include <QTreeView>
#include <QVBoxLayout>

namespace hubcap::ui {

namespace {
const QString LocalFoldersKey = QStringLiteral("browser/localFolders");

RepoEntry localEntry(const QString &dir, RepoEntry::Source source)
{
    RepoEntry e;
    e.source = source;
    e.path = QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
    e.title = source == RepoEntry::Source::Demo
                  ? QObject::tr("Hubcap demo (%1)").arg(QFileInfo(e.path).fileName())
                  : QFileInfo(e.path).fileName();
    e.trusted = true; // source='local' never asks (torch.hub behaviour)
    e.missing = !QFileInfo::exists(e.path + QStringLiteral("/hubconf.py"));
    return e;
}
} // namespace

BrowserPage::BrowserPage(CoreBridge *bridge, QWidget *parent)
    : QWidget(parent), m_bridge(bridge), m_repos(new RepoListModel(this)),
      m_entrypoints(new EntrypointModel(this)), m_proxy(new QSortFilterProxyModel(this))
{
    m_proxy->setSourceModel(m_entrypoints);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);

    // Sidebar
    m_sidebar = new QTreeView;
    m_sidebar->setObjectName(QStringLiteral("repoSidebar"));
    m_sidebar->setAccessibleName(tr("Repositories"));
    m_sidebar->setModel(m_repos);
    m_sidebar->setHeaderHidden(true);
    m_sidebar->setRootIsDecorated(false);
    m_sidebar->setItemsExpandable(false);
    m_sidebar->expandAll();
    m_sidebar->setSelectionMode(QAbstractItemView::SingleSelection);
    m_sidebar->setContextMenuPolicy(Qt::ActionsContextMenu);
    // facebookresearch/detr and facebookresearch/dino must not both read
    // "facebookresearch/..." in a narrow sidebar: keep both ends (the tooltip has it all).
    m_sidebar->setTextElideMode(Qt::ElideMiddle);
    connect(m_repos, &QAbstractItemModel::rowsInserted, m_sidebar, &QTreeView::expandAll);

    // Entrypoint list
    auto *listPane = new QWidget;
    auto *listLayout = new QVBoxLayout(listPane);
    listLayout->setContentsMargins(0, 0, 0, 0);
    m_repoTitle = new ElidedLabel(Qt::ElideMiddle);
    m_repoTitle->setObjectName(QStringLiteral("repoTitle"));
    m_repoTitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont titleFont = m_repoTitle->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    m_repoTitle->setFont(titleFont);
    m_banner = new QLabel;
    m_banner->setObjectName(QStringLiteral("staticBanner"));
    m_banner->setWordWrap(true);
    m_banner->setMargin(6);
    m_banner->setAutoFillBackground(true);
    m_banner->setFrameShape(QFrame::StyledPanel);
    // Static analysis could not see every name: say so, and offer to run hubconf.py.
    m_dynamicBox = new QWidget;
    m_dynamicBox->setObjectName(QStringLiteral("dynamicNoteBox"));
    auto *dynLayout = new QHBoxLayout(m_dynamicBox);
    dynLayout->setContentsMargins(0, 0, 0, 0);
    m_dynamicNote = new QLabel;
    m_dynamicNote->setObjectName(QStringLiteral("dynamicNote"));
    m_dynamicNote->setWordWrap(true);
    m_dynamicNote->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_listByImport =
        new QPushButton(icon(QStringLiteral("load")), tr("List by &Running hubconf.py"));
    m_listByImport->setObjectName(QStringLiteral("listByImportButton"));
    m_listByImport->setToolTip(
        tr("Run this repository's hubconf.py (as torch.hub.list does) to see every entrypoint. "
           "An untrusted repository asks for trust first."));
    dynLayout->addWidget(m_dynamicNote, 1);
    dynLayout->addWidget(m_listByImport, 0, Qt::AlignTop);
    m_dynamicBox->hide();
    m_filter = new QLineEdit;
    m_filter->setObjectName(QStringLiteral("entrypointFilter"));
    m_filter->setPlaceholderText(tr("Filter entrypoints (Ctrl+F)"));
    m_filter->setAccessibleName(tr("Filter entrypoints"));
    m_filter->setClearButtonEnabled(true);
    m_filter->addAction(icon(QStringLiteral("filter")), QLineEdit::LeadingPosition);
    m_list = new QTreeView;
    m_list->setObjectName(QStringLiteral("entrypointList"));
    m_list->setAccessibleName(tr("Entrypoints"));
    m_list->setModel(m_proxy);
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setSortingEnabled(true);
    m_list->sortByColumn(EntrypointModel::NameColumn, Qt::AscendingOrder);
    m_list->setAlternatingRowColors(true);
    m_list->header()->setStretchLastSection(true);
    m_list->setTextElideMode(Qt::ElideMiddle);
    m_message = new QLabel;
    m_message->setObjectName(QStringLiteral("listMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();
    listLayout->addWidget(m_repoTitle);
    listLayout->addWidget(m_banner);
    listLayout->addWidget(m_dynamicBox);
    listLayout->addWidget(m_filter);
    listLayout->addWidget(m_message);
    listLayout->addWidget(m_list, 1);

    // Detail
    auto *detailPane = new QWidget;
    auto *detailLayout = new QVBoxLayout(detailPane);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    m_detail = new QTextBrowser;
    m_detail->setObjectName(QStringLiteral("entrypointDetail"));
    m_detail->setAccessibleName(tr("Entrypoint documentation"));
    // Links: web links open in the browser; "hubcap:" links are the weights' actions.
    m_detail->setOpenLinks(false);
    connect(m_detail, &QTextBrowser::anchorClicked, this, &BrowserPage::onAnchor);
    auto *buttons = new QHBoxLayout;
    m_loadButton = new QPushButton(icon(QStringLiteral("load")), tr("&Load…"));
    m_loadButton->setObjectName(QStringLiteral("loadButton"));
    m_loadButton->setToolTip(
        tr("Load this entrypoint in the Python host (runs the repository's code)"));
    m_exportButton = new QPushButton(icon(QStringLiteral("export")), tr("E&xport…"));
    m_exportButton->setToolTip(tr("Load and export to TorchScript, state dict or ONNX"));
    m_loadButton->setEnabled(false);
    m_exportButton->setEnabled(false);
    m_copySnippetButton = new QPushButton(tr("Copy &Snippet"));
    m_copySnippetButton->setObjectName(QStringLiteral("copySnippetButton"));
    m_copySnippetButton->setToolTip(
        tr("Copy the torch.hub.load(...) line for this entrypoint (Ctrl+Shift+C)"));
    m_copySnippetButton->setEnabled(false);
    buttons->addWidget(m_copySnippetButton);
    buttons->addStretch();
    buttons->addWidget(m_loadButton);
    buttons->addWidget(m_exportButton);
    detailLayout->addWidget(m_detail, 1);
    detailLayout->addLayout(buttons);

    m_splitter = new QSplitter(Qt::Horizontal);
    m_splitter->setObjectName(QStringLiteral("browserSplitter"));
    m_splitter->addWidget(m_sidebar);
    m_splitter->addWidget(listPane);
    m_splitter->addWidget(detailPane);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setStretchFactor(2, 3);
    m_splitter->setSizes({220, 330, 450});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_splitter);

    setTabOrder(m_sidebar, m_filter);
    setTabOrder(m_filter, m_list);
    setTabOrder(m_list, m_detail);
    setTabOrder(m_detail, m_loadButton);
    setTabOrder(m_loadButton, m_exportButton);

    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setFilterFixedString(text);
        updateFilterHint();
    });
    // Down (or Enter) in the filter moves into the list; Enter on an entrypoint opens Load.
    m_filter->installEventFilter(this);
    connect(m_list, &QTreeView::activated, this, [this](const QModelIndex &) {
        if (const RepoEntry *r = currentRepo(); r && canRunCurrent())
            Q_EMIT loadRequested(r->path, currentEntrypoint());
        else
            m_detail->setFocus(Qt::OtherFocusReason); // why it cannot run is in the detail
    });
    onAppearanceChanged(this, [this] {
        // A live switch of the appearance re-colours what was coloured from the old palette.
        updateBanner(currentRepo());
        const bool hint = m_filterHintShown;
        showMessage(m_message->text(), m_messageIsError);
        m_filterHintShown = hint;
        if (m_pendingPath.isEmpty() && m_entrypoints->rowCount() > 0)
            onEntrypointChanged();
    });
    connect(m_sidebar->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &BrowserPage::onRepoChanged);
    // Forget a remembered folder (context menu of the sidebar; only for local folders).
    auto *forget = new QAction(icon(QStringLiteral("clear")), tr("Remove from &List"), this);
    forget->setObjectName(QStringLiteral("removeLocalFolderAction"));
    forget->setToolTip(tr("Forget this local folder (nothing on disk is deleted)"));
    forget->setEnabled(false);
    m_sidebar->addAction(forget);
    connect(forget, &QAction::triggered, this, [this] {
        if (const RepoEntry *r = currentRepo(); r && r->source == RepoEntry::Source::Local)
            removeLocalFolder(r->path);
    });
    connect(m_sidebar->selectionModel(), &QItemSelectionModel::currentChanged, forget,
            [this, forget] {
                const RepoEntry *r = currentRepo();
                forget->setEnabled(r && r->source == RepoEntry::Source::Local);
            });
    // Another branch or tag of a cached GitHub repository, into its own torch.hub folder.
    auto *otherRef = new QAction(icon(QStringLiteral("open")), tr("Open Branch or &Tag…"), this);
    otherRef->setObjectName(QStringLiteral("openRefAction"));
    otherRef->setToolTip(tr("Pick a branch or tag (or type a commit) of this repository"));
    otherRef->setEnabled(false);
    m_sidebar->addAction(otherRef);
    connect(otherRef, &QAction::triggered, this, [this] { pickRef(); });
    connect(m_sidebar->selectionModel(), &QItemSelectionModel::currentChanged, otherRef,
            [this, otherRef] {
                const RepoEntry *r = currentRepo();
                otherRef->setEnabled(r && !r->spec.isEmpty());
            });
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &BrowserPage::onEntrypointChanged);
    m_copySnippet = new QAction(tr("Copy torch.hub.load &Snippet"), this);
    m_copySnippet->setObjectName(QStringLiteral("copySnippetAction"));
    m_copySnippet->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    m_copySnippet->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_copySnippet->setEnabled(false);
    m_list->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_list->addAction(m_copySnippet);
    addAction(m_copySnippet);
    connect(m_copySnippet, &QAction::triggered, this, [this] {
        const QString snippet = currentSnippet();
        if (snippet.isEmpty())
            return;
        QGuiApplication::clipboard()->setText(snippet);
        Q_EMIT statusMessage(tr("Copied: %1").arg(snippet));
    });
    connect(m_copySnippetButton, &QPushButton::clicked, m_copySnippet, &QAction::trigger);
    connect(m_loadButton, &QPushButton::clicked, this, [this] {
        if (const RepoEntry *r = currentRepo())
            Q_EMIT loadRequested(r->path, currentEntrypoint());
    });
    connect(m_listByImport, &QPushButton::clicked, this, [this] { listByImport(); });
    connect(m_exportButton, &QPushButton::clicked, this, [this] {
        if (const RepoEntry *r = currentRepo())
            Q_EMIT exportRequested(r->path, currentEntrypoint());
    });

    QList<RepoEntry> locals;
    for (const QString &dir : QSettings().value(LocalFoldersKey).toStringList())
        locals << localEntry(dir, RepoEntry::Source::Local);
    m_repos->setEntries(RepoEntry::Source::Local, locals);
    updateBanner(nullptr);
    m_detail->setHtml(tr("<p>Select a repository on the left, then an entrypoint.</p>"));
}

BrowserPage::~BrowserPage() = default;

const RepoEntry *BrowserPage::currentRepo() const
{
    return m_repos->entry(m_sidebar->currentIndex());
}

QString BrowserPage::currentEntrypoint() const
{
    const QModelIndex i = m_list->currentIndex();
    return i.isValid() ? i.data(EntrypointModel::NameRole).toString() : QString();
}

const EntrypointListing &BrowserPage::listing() const
{
    return m_entrypoints->listing();
}

void BrowserPage::setDemoRepo(const QString &dir)
{
    m_repos->setEntries(RepoEntry::Source::Demo,
                        dir.isEmpty() ? QList<RepoEntry>{}
                                      : QList<RepoEntry>{localEntry(dir, RepoEntry::Source::Demo)});
}

void BrowserPage::addLocalFolder(const QString &dir)
{
    const QString path = QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
    if (!m_repos->find(path).isValid()) {
        QList<RepoEntry> locals = m_repos->entries(RepoEntry::Source::Local);
        locals << localEntry(path, RepoEntry::Source::Local);
        m_repos->setEntries(RepoEntry::Source::Local, locals);
        QStringList dirs;
        for (const RepoEntry &e : locals)
            dirs << e.path;
        QSettings().setValue(LocalFoldersKey, dirs);
    }
    selectRepo(path);
}

void BrowserPage::removeLocalFolder(const QString &dir)
{
    const QString path = QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
    QList<RepoEntry> locals = m_repos->entries(RepoEntry::Source::Local);
    QStringList dirs;
    for (qsizetype i = locals.size() - 1; i >= 0; --i)
        if (locals.at(i).path == path)
            locals.removeAt(i);
    for (const RepoEntry &e : std::as_const(locals))
        dirs << e.path;
    m_repos->setEntries(RepoEntry::Source::Local, locals);
    QSettings().setValue(LocalFoldersKey, dirs);
}

void BrowserPage::setCachedRepos(const QList<RepoEntry> &entries)
{
    const RepoEntry *cur = currentRepo();
    const QString key = cur ? cur->path : QString();
    m_repos->setEntries(RepoEntry::Source::Cache, entries);
    if (!key.isEmpty() && !currentRepo())
        selectRepo(key);
}

bool BrowserPage::selectRepo(const QString &pathOrSpec)
{
    const QModelIndex i = m_repos->find(pathOrSpec);
    if (!i.isValid())
        return false;
    m_sidebar->setCurrentIndex(i);
    return true;
}

bool BrowserPage::selectDemo()
{
    const QModelIndex i = m_repos->indexOf(RepoEntry::Source::Demo, 0);
    if (!i.isValid())
        return false;
    m_sidebar->setCurrentIndex(i);
    return true;
}

bool BrowserPage::selectEntrypoint(const QString &name)
{
    for (int r = 0; r < m_proxy->rowCount(); ++r) {
        const QModelIndex i = m_proxy->index(r, 0);
        if (i.data(EntrypointModel::NameRole).toString() == name) {
            m_list->setCurrentIndex(i);
            return true;
        }
    }
    return false;
}

void BrowserPage::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

void BrowserPage::relist()
{
    if (const RepoEntry *r = currentRepo())
        listRepo(*r);
}

void BrowserPage::onRepoChanged()
{
    const RepoEntry *r = currentRepo();
    updateBanner(r);
    if (!r) {
        // Nothing selected (or the repository was deleted): nothing of the old listing stays,
        // so no Load/Export button acts on a repository that is gone.
        m_repoTitle->setText({});
        if (m_job)
            m_job->cancel();
        m_pendingPath.clear();
        m_listedPath.clear();
        m_entrypoints->clear();
        m_loadButton->setEnabled(false);
        m_exportButton->setEnabled(false);
        m_copySnippet->setEnabled(false);
        m_copySnippetButton->setEnabled(false);
        showMessage({}, false);
        m_detail->setHtml(tr("<p>Select a repository on the left, then an entrypoint.</p>"));
        return;
    }
    m_repoTitle->setText(r->title);
    // A filter typed for another repository would hide this one's entrypoints.
    if (r->path != m_listedPath && r->path != m_pendingPath)
        m_filter->clear();
    Q_EMIT repoSelected(r->path);
    listRepo(*r);
}

void BrowserPage::listRepo(const RepoEntry &entry)
{
    // Trusted repositories (and local folders, which torch.hub never asks about) list in auto
    // mode: statically, then by running hubconf.py when static analysis cannot see every name.
    listRepo(entry, entry.trusted ? CoreBridge::ListMode::Auto : CoreBridge::ListMode::Static);
}

bool BrowserPage::pickRef()
{
    const RepoEntry *r = currentRepo();
    if (!r || r->spec.isEmpty())
        return false;
    const auto spec = RepoSpec::parse(r->spec);
    if (!spec)
        return false;
    RefPickerDialog dialog(m_bridge, spec->owner, spec->repo, spec->ref, this);
    const QString ref =
        m_pickRef ? m_pickRef(dialog)
                  : (dialog.exec() == QDialog::Accepted ? dialog.selectedRef() : QString());
    if (ref.isEmpty())
        return false;
    Q_EMIT openRepoRequested(spec->withRef(ref).toString());
    return true;
}

bool BrowserPage::listByImport()
{
    const RepoEntry *r = currentRepo();
    if (!r)
        return false;
    if (r->source == RepoEntry::Source::Cache && !r->trusted) {
        TrustList list(m_bridge->hubDir());
        TrustQuestion q{r->title, {}, tr("list its entrypoints by running hubconf.py")};
        bool trusted = false;
        if (const auto spec = RepoSpec::parse(r->spec)) {
            const auto decision = list.check(*spec);
            trusted = decision && decision->trusted();
            q.trustName = spec->trustName();
        }
        if (!trusted) {
            switch (m_askTrust(this, q)) {
            case TrustAnswer::TrustAndRecord:
                if (const auto added = list.add(q.trustName); !added) {
                    showMessage(added.error().message, true);
                    return false;
                }
                break;
            case TrustAnswer::RunOnce:
                break;
            case TrustAnswer::Refuse:
                return false;
            }
        }
    }
    listRepo(*r, CoreBridge::ListMode::Import);
    return true;
}

void BrowserPage::listRepo(const RepoEntry &entry, CoreBridge::ListMode mode)
{
    if (m_job)
        m_job->cancel();
    // A weights question in flight is left to finish (cancelling would kill the warm host);
    // its answer is dropped because it no longer matches m_weightsFor.
    m_weights = {};
    m_weightsFor.clear();
    m_dynamicBox->hide();
    m_entrypoints->clear();
    m_loadButton->setEnabled(false);
    m_exportButton->setEnabled(false);
    m_pendingPath = entry.path;
    showMessage(mode == CoreBridge::ListMode::Import
                    ? tr("Running %1's hubconf.py …").arg(QDir::toNativeSeparators(entry.path))
                    : tr("Reading %1 …").arg(QDir::toNativeSeparators(entry.path)),
                false);
    m_detail->clear();
    const QString path = entry.path;
    m_job = m_bridge->listEntrypoints(path, mode, this, [this, path](Result<EntrypointListing> r) {
        if (path != m_pendingPath)
            return; // a later selection superseded this listing
        m_pendingPath.clear();
        m_listedPath = path;
        if (!r) {
            showMessage(forGui(r.error().message), true);
            m_detail->setHtml(QStringLiteral("<h3>%1</h3><p>%2</p><pre>%3</pre>")
                                  .arg(tr("Cannot list entrypoints").toHtmlEscaped(),
                                       r.error().message.toHtmlEscaped(),
                                       r.error().details.toHtmlEscaped()));
            Q_EMIT statusMessage(r.error().message);
            Q_EMIT listingFinished(false);
            return;
        }
        m_entrypoints->setListing(*r);
        // Sized from the rows, not every row measured (1,500 rows fill at once).
        m_list->header()->setSectionResizeMode(EntrypointModel::NameColumn,
                                               QHeaderView::Interactive);
        if (r->entrypoints.size() <= 200)
            m_list->resizeColumnToContents(EntrypointModel::NameColumn);
        updateDynamicNote();
        if (r->entrypoints.isEmpty() && r->dynamic && r->mode != u"import")
            showMessage(tr("Static analysis found no entrypoints: this hubconf.py adds its "
                           "names while it runs."),
                        false);
        else if (r->entrypoints.isEmpty())
            showMessage(tr("This repository's hubconf.py has no public entrypoints."), false);
        else
            showMessage({}, false);
        updateFilterHint();
        m_detail->setHtml(dependenciesHtml(*r));
        if (m_proxy->rowCount() > 0)
            m_list->setCurrentIndex(m_proxy->index(0, 0));
        QString how =
            r->mode == u"import" ? tr("listed by running hubconf.py") : tr("read statically");
        if (r->fromCache)
            how = tr("%1, kept listing").arg(how);
        Q_EMIT statusMessage(
            tr("%1 in %2 (%3)")
                .arg(countOf(r->entrypoints.size(), tr("entrypoint"), tr("entrypoints")),
                     currentRepo() ? currentRepo()->title : path, how));
        Q_EMIT listingFinished(true);
    });
}

QString BrowserPage::currentSnippet() const
{
    const RepoEntry *r = currentRepo();
    const QString name = currentEntrypoint();
    if (!r || name.isEmpty())
        return {};
    return loadSnippet(*r, name, m_snippetArgs ? m_snippetArgs(r->path, name) : QJsonObject());
}

bool BrowserPage::canRunCurrent() const
{
    return m_loadButton->isEnabled();
}

void BrowserPage::onEntrypointChanged()
{
    const QModelIndex i = m_proxy->mapToSource(m_list->currentIndex());
    const Entrypoint *e = i.isValid() ? m_entrypoints->entrypoint(i.row()) : nullptr;
    // torch.hub refuses to load while a declared dependency is missing: say so up front.
    const QStringList missing = m_entrypoints->listing().missingDependencies;
    const bool runnable = e != nullptr && missing.isEmpty();
    m_loadButton->setEnabled(runnable);
    m_exportButton->setEnabled(runnable);
    m_copySnippet->setEnabled(e != nullptr);
    m_copySnippetButton->setEnabled(e != nullptr);
    const QString why =
        missing.isEmpty()
            ? QString()
            : tr("Install the missing dependencies first (%1): torch.hub refuses to load without "
                 "them.")
                  .arg(missing.join(QStringLiteral(", ")));
    m_loadButton->setToolTip(
        why.isEmpty() ? tr("Load this entrypoint in the Python host (runs the repository's code)")
                      : why);
    m_exportButton->setToolTip(
        why.isEmpty() ? tr("Load and export to TorchScript, state dict or ONNX") : why);
    m_weights = {};
    m_weightsFor = e ? e->name : QString();
    m_weightsPending = false;
    if (!e) {
        m_detail->setHtml(dependenciesHtml(m_entrypoints->listing()));
        return;
    }
    const RepoEntry *r = currentRepo();
    if (r && e->kind != u"imported") {
        // Which weights it downloads: static analysis in the host (nothing runs).
        m_weightsPending = true;
        const QString name = e->name;
        const QString path = r->path;
        m_weightsJob = m_bridge->entrypointWeights(
            r->path, name, this, [this, name, path](Result<QList<WeightRef>> w) {
                if (name != m_weightsFor || !currentRepo() || currentRepo()->path != path)
                    return;
                m_weightsPending = false;
                m_weights = w ? *w : QList<WeightRef>{};
                renderDetail();
                Q_EMIT weightsShown();
            });
    }
    renderDetail();
}

void BrowserPage::renderDetail()
{
    const QModelIndex i = m_proxy->mapToSource(m_list->currentIndex());
    const Entrypoint *e = i.isValid() ? m_entrypoints->entrypoint(i.row()) : nullptr;
    if (!e)
        return;
    const int scroll = m_detail->verticalScrollBar() ? m_detail->verticalScrollBar()->value() : 0;
    m_detail->setHtml(entrypointDetailHtml(*e, m_entrypoints->listing()) +
                      weightsHtml(m_weights, m_weightsPending, m_sizes));
    if (m_detail->verticalScrollBar())
        m_detail->verticalScrollBar()->setValue(scroll);
}

void BrowserPage::onAnchor(const QUrl &url)
{
    if (url.scheme() != u"hubcap") {
        if (url.scheme() == u"http" || url.scheme() == u"https")
            QDesktopServices::openUrl(url);
        return;
    }
    const int index = QUrlQuery(url).queryItemValue(QStringLiteral("i")).toInt();
    if (url.path() == u"download")
        downloadWeight(index);
    else if (url.path() == u"size")
        querySize(index);
}

void BrowserPage::downloadWeight(int index)
{
    if (index < 0 || index >= m_weights.size())
        return;
    const WeightRef &w = m_weights.at(index);
    CheckpointRequest req;
    req.url = QUrl(w.url);
    if (!w.fileName.isEmpty() && w.fileName != QFileInfo(req.url.path()).fileName())
        req.fileName = w.fileName;
    if (const RepoEntry *r = currentRepo())
        req.repo = r->spec.isEmpty() ? r->path : r->spec;
    req.entrypoint = m_weightsFor;
    Q_EMIT weightsDownloadRequested(req);
}

void BrowserPage::querySize(int index)
{
    if (index < 0 || index >= m_weights.size())
        return;
    const QString url = m_weights.at(index).url;
    m_sizes.insert(url, tr("asking…"));
    renderDetail();
    m_bridge->remoteSize(QUrl(url), this, [this, url](Result<qint64> size) {
        m_sizes.insert(url, !size       ? size.error().message
                            : *size < 0 ? tr("size not reported")
                                        : humanSize(*size));
        renderDetail();
    });
}

void BrowserPage::refreshWeights()
{
    for (WeightRef &w : m_weights)
        w.cached = !w.path.isEmpty() && QFileInfo(w.path).isFile();
    renderDetail();
}

void BrowserPage::updateDynamicNote()
{
    const EntrypointListing &l = m_entrypoints->listing();
    const RepoEntry *r = currentRepo();
    if (!l.dynamic || l.mode == u"import" || !r) {
        m_dynamicBox->hide();
        return;
    }
    QString text = tr("Some entrypoints may be missing: this hubconf.py adds names while it "
                      "runs, which reading it cannot see.");
    if (r->source == RepoEntry::Source::Cache && !r->trusted)
        text += u' ' + tr("The repository is not trusted, so its code was not run.");
    m_dynamicNote->setText(text);
    m_dynamicNote->setToolTip(l.notes.value_or(QStringList()).join(u'\n'));
    m_dynamicBox->show();
}

bool BrowserPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_filter && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if ((key == Qt::Key_Down || key == Qt::Key_Return || key == Qt::Key_Enter) &&
            m_proxy->rowCount() > 0) {
            m_list->setFocus(Qt::TabFocusReason);
            if (!m_list->currentIndex().isValid())
                m_list->setCurrentIndex(m_proxy->index(0, 0));
            return true;
        }
        if (key == Qt::Key_Escape && !m_filter->text().isEmpty()) {
            m_filter->clear();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void BrowserPage::updateFilterHint()
{
    // An empty list under a filter says why (the status bar still counts them all).
    const bool hidden =
        !m_filter->text().isEmpty() && m_proxy->rowCount() == 0 && m_entrypoints->rowCount() > 0;
    if (hidden)
        showMessage(tr("No entrypoint matches \u201c%1\u201d (%2 in all). Press Esc in the filter "
                       "to clear it.")
                        .arg(m_filter->text())
                        .arg(m_entrypoints->rowCount()),
                    false);
    else if (m_filterHintShown)
        showMessage({}, false);
    m_filterHintShown = hidden;
}

void BrowserPage::showMessage(const QString &text, bool error)
{
    m_messageIsError = error;
    m_filterHintShown = false;
    m_message->setVisible(!text.isEmpty());
    m_message->setText(text);
    // Only the role it changes: everything else follows the application's palette.
    QPalette pal;
    if (error)
        pal.setColor(QPalette::WindowText, toneText(Tone::Error, palette()));
    m_message->setPalette(pal);
}

void BrowserPage::updateBanner(const RepoEntry *entry)
{
    // Built from the page's current palette and set whole: after a live switch of the
    // appearance this runs again (onAppearanceChanged), so no light colour stays behind.
    QPalette pal = palette();
    if (!entry) {
        m_banner->hide();
        return;
    }
    m_banner->show();
    if (entry->source == RepoEntry::Source::Cache && !entry->trusted) {
        m_banner->setText(tr("Not trusted: this repository is browsed statically, without running "
                             "its code. Loading or exporting asks for trust first."));
        pal = bannerPalette(Tone::Warning, pal);
    } else if (entry->source == RepoEntry::Source::Cache) {
        m_banner->setText(tr("Trusted. Browsed statically: hubconf.py is read, not run."));
        pal.setColor(QPalette::Window, pal.color(QPalette::AlternateBase));
    } else {
        m_banner->setText(tr("Local folder: browsed statically without running its code; "
                             "loading runs its hubconf.py (source='local')."));
        pal.setColor(QPalette::Window, pal.color(QPalette::AlternateBase));
    }
    m_banner->setPalette(pal);
}

} // namespace hubcap::ui
