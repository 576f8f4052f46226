#include "ui/discover/discoverpage.h"

#include "ui/discover/carddelegate.h"
#include "ui/discover/catalogmodel.h"

#include "ui/browser/snippet.h"
#include "ui/common/corebridge.h"
#include "ui/common/icons.h"
#include "ui/common/inlinemessage.h"

#include "core/hosts/pyhost/client/pyhostclient.h"
#include "core/jobs/job.h"
#include "core/net/networkconfig.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QScrollArea>
#include <QSet>
#include <QShortcut>
#include <QStackedWidget>
#include <QTextBrowser>
#include <QTextDocument>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

namespace hubcap::ui {

namespace {

/// Renders the catalog's Markdown; local resources only from inside the catalog tree (a page
/// cannot make the app read other files), nothing from the network.
class CatalogTextBrowser : public QTextBrowser
{
public:
    QString root;
    QVariant loadResource(int type, const QUrl &name) override
    {
        if (root.isEmpty() || (!name.isRelative() && !name.isLocalFile()))
            return {};
        const QString rel = name.isLocalFile() ? name.toLocalFile() : name.path();
        const QString path =
            QDir::cleanPath(QFileInfo(rel).isAbsolute() ? rel : QDir(root).filePath(rel));
        const QString images =
            QDir::cleanPath(root + QStringLiteral("/images/") + QFileInfo(rel).fileName());
        for (const QString &candidate : {path, images}) {
            if (!candidate.startsWith(QDir::cleanPath(root) + u'/'))
                continue;
            const QFileInfo fi(candidate);
            if (fi.isFile() && fi.size() <= CatalogLimits::maxImageBytes) {
                if (type == QTextDocument::ImageResource) {
                    const QPixmap pix = CatalogModel::loadThumbnail(candidate, 640);
                    return pix.isNull() ? QVariant() : QVariant(pix.toImage());
                }
                return QTextBrowser::loadResource(type, QUrl::fromLocalFile(candidate));
            }
        }
        return {};
    }
};

} // namespace

DiscoverPage::DiscoverPage(CoreBridge *bridge, QWidget *parent)
    : QWidget(parent), m_bridge(bridge), m_model(new CatalogModel(this))
{
    setObjectName(QStringLiteral("discoverPage"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 4);
    m_message = new InlineMessage;
    m_message->setObjectName(QStringLiteral("discoverMessage"));
    layout->addWidget(m_message);

    auto *bar = new QHBoxLayout;
    m_search = new QLineEdit;
    m_search->setObjectName(QStringLiteral("discoverSearch"));
    m_search->setPlaceholderText(tr("Search models and cached entrypoints (Ctrl+K)"));
    m_search->setAccessibleName(tr("Search the catalog"));
    m_search->setClearButtonEnabled(true);
    m_search->addAction(icon(QStringLiteral("filter")), QLineEdit::LeadingPosition);
    m_category = new QComboBox;
    m_category->setObjectName(QStringLiteral("discoverCategory"));
    m_category->setAccessibleName(tr("Category"));
    m_tag = new QComboBox;
    m_tag->setObjectName(QStringLiteral("discoverTag"));
    m_tag->setAccessibleName(tr("Tag"));
    m_sort = new QComboBox;
    m_sort->setObjectName(QStringLiteral("discoverSort"));
    m_sort->setAccessibleName(tr("Sort by"));
    m_sort->addItem(tr("Catalog order"), int(Sort::CatalogOrder));
    m_sort->addItem(tr("Title"), int(Sort::Title));
    m_sort->addItem(tr("Cached first"), int(Sort::CachedFirst));
    m_refresh = new QToolButton;
    m_refresh->setObjectName(QStringLiteral("discoverRefresh"));
    m_refresh->setIcon(icon(QStringLiteral("reload")));
    m_refresh->setText(tr("Refresh"));
    m_refresh->setToolTip(tr("Check the catalog for a new commit and fetch it when it moved"));
    m_refresh->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_asOf = new QLabel;
    m_asOf->setObjectName(QStringLiteral("discoverAsOf"));
    m_asOf->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bar->addWidget(m_search, 3);
    bar->addWidget(m_category, 1);
    bar->addWidget(m_tag, 1);
    bar->addWidget(new QLabel(tr("Sort:")));
    bar->addWidget(m_sort);
    bar->addStretch();
    bar->addWidget(m_asOf);
    bar->addWidget(m_refresh);
    layout->addLayout(bar);

    m_stack = new QStackedWidget;
    auto *gridPage = new QWidget;
    auto *gridLayout = new QVBoxLayout(gridPage);
    gridLayout->setContentsMargins(0, 0, 0, 0);
    m_view = new QListView;
    m_view->setObjectName(QStringLiteral("discoverCards"));
    m_view->setAccessibleName(tr("Catalog models"));
    m_view->setViewMode(QListView::IconMode);
    m_view->setResizeMode(QListView::Adjust);
    m_view->setMovement(QListView::Static);
    m_view->setUniformItemSizes(true);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setMouseTracking(true);
    m_view->setSpacing(0);
    m_view->setWordWrap(true);
    m_view->setModel(m_model);
    m_view->setItemDelegate(new CardDelegate(m_view));
    m_view->viewport()->installEventFilter(this);
    m_view->setFrameShape(QFrame::NoFrame);
    m_empty = new QLabel;
    m_empty->setObjectName(QStringLiteral("discoverEmpty"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->hide();
    gridLayout->addWidget(m_empty);
    gridLayout->addWidget(m_view, 1);
    m_stack->addWidget(gridPage);
    buildDetail();
    m_stack->addWidget(m_detail);
    layout->addWidget(m_stack, 1);

    connect(m_search, &QLineEdit::textChanged, this, [this] { applyFilters(); });
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        if (m_model->rowCount() > 0) {
            m_view->setFocus();
            m_view->setCurrentIndex(m_model->index(0));
        }
    });
    for (QComboBox *box : {m_category, m_tag, m_sort})
        connect(box, &QComboBox::currentIndexChanged, this, [this] { applyFilters(); });
    connect(m_refresh, &QToolButton::clicked, this, &DiscoverPage::refresh);
    connect(m_view, &QListView::activated, this, &DiscoverPage::onActivated);
    connect(m_view, &QListView::clicked, this, &DiscoverPage::onActivated);

    auto *back = new QShortcut(QKeySequence(Qt::ALT | Qt::Key_Left), this);
    back->setContext(Qt::WidgetWithChildrenShortcut);
    connect(back, &QShortcut::activated, this, &DiscoverPage::showGrid);
    auto *esc = new QShortcut(QKeySequence(Qt::Key_Escape), m_detail);
    esc->setContext(Qt::WidgetWithChildrenShortcut);
    connect(esc, &QShortcut::activated, this, &DiscoverPage::showGrid);

    reload();
}

DiscoverPage::~DiscoverPage() = default;

bool DiscoverPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Resize)
        layoutCards();
    return QWidget::eventFilter(watched, event);
}

void DiscoverPage::layoutCards()
{
    // As many columns of at least the nominal width as fit; the cards share the rest.
    auto *delegate = static_cast<CardDelegate *>(m_view->itemDelegate());
    // A few pixels to spare: IconMode wraps as soon as a cell would touch the edge.
    const int available = m_view->viewport()->width() - 12;
    const int columns = std::max(1, available / CardDelegate::kWidth);
    const int width = std::max(CardDelegate::kWidth * 3 / 4, available / columns);
    if (width == delegate->cardWidth())
        return;
    delegate->setCardWidth(width);
    Q_EMIT delegate->sizeHintChanged(m_model->index(0)); // relayout with the new size
}

void DiscoverPage::buildDetail()
{
    m_detail = new QWidget;
    m_detail->setObjectName(QStringLiteral("discoverDetail"));
    auto *outer = new QVBoxLayout(m_detail);
    outer->setContentsMargins(0, 0, 0, 0);
    auto *top = new QHBoxLayout;
    auto *backButton = new QPushButton(tr("← All models"));
    backButton->setObjectName(QStringLiteral("discoverBack"));
    backButton->setToolTip(tr("Back to the catalog (Esc, Alt+Left)"));
    connect(backButton, &QPushButton::clicked, this, &DiscoverPage::showGrid);
    m_detailOpen = new QPushButton(icon(QStringLiteral("open")), tr("&Open in Browse"));
    m_detailOpen->setObjectName(QStringLiteral("discoverOpen"));
    m_detailOpen->setToolTip(tr("Fetch the repository (asking whether to trust it) and show its "
                                "entrypoints"));
    top->addWidget(backButton);
    top->addStretch();
    top->addWidget(m_detailOpen);
    outer->addLayout(top);

    auto *header = new QHBoxLayout;
    auto *texts = new QVBoxLayout;
    m_detailTitle = new QLabel;
    m_detailTitle->setObjectName(QStringLiteral("discoverDetailTitle"));
    QFont f = m_detailTitle->font();
    f.setPointSizeF(f.pointSizeF() * 1.6);
    f.setBold(true);
    m_detailTitle->setFont(f);
    m_detailTitle->setWordWrap(true);
    m_detailTitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detailSummary = new QLabel;
    m_detailSummary->setWordWrap(true);
    m_detailSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detailMeta = new QLabel;
    m_detailMeta->setObjectName(QStringLiteral("discoverDetailMeta"));
    m_detailMeta->setAccessibleName(tr("Model details and links"));
    m_detailMeta->setWordWrap(true);
    m_detailMeta->setTextFormat(Qt::RichText);
    m_detailMeta->setOpenExternalLinks(true);
    m_detailMeta->setTextInteractionFlags(Qt::TextBrowserInteraction);
    texts->addWidget(m_detailTitle);
    texts->addWidget(m_detailSummary);
    texts->addWidget(m_detailMeta);
    texts->addStretch();
    m_examples = new QWidget;
    m_examples->setObjectName(QStringLiteral("discoverExamples"));
    m_examplesLayout = new QVBoxLayout(m_examples);
    m_examplesLayout->setContentsMargins(0, 6, 0, 0);
    texts->addWidget(m_examples);
    header->addLayout(texts, 1);
    m_detailImage = new QLabel;
    m_detailImage->setObjectName(QStringLiteral("discoverDetailImage"));
    m_detailImage->setAlignment(Qt::AlignTop | Qt::AlignRight);
    header->addWidget(m_detailImage);
    outer->addLayout(header);

    auto *browser = new CatalogTextBrowser;
    m_description = browser;
    m_description->setObjectName(QStringLiteral("discoverDescription"));
    m_description->setOpenExternalLinks(true);
    m_description->setAccessibleName(tr("Model description"));
    outer->addWidget(m_description, 1);
}

void DiscoverPage::reload()
{
    const QString hub = m_bridge->hubDir();
    auto idx = CatalogIndex::load(hub);
    const auto spec = catalogRepoSpec();
    if (idx && spec && idx->repo.compare(spec->owner + u'/' + spec->repo, Qt::CaseInsensitive) != 0)
        idx.reset(); // HUBCAP_CATALOG_REPO points elsewhere now
    m_hasCatalog = idx.has_value();
    CatalogIndex index = idx.value_or(CatalogIndex{});
    index.markCached(hub);
    m_model->setCatalog(index);
    m_model->setEntrypoints(EntrypointIndex::load(hub).all());
    m_searcher =
        std::make_unique<CatalogSearch>(m_model->catalog().entries, m_model->entrypoints());
    rebuildFilterBoxes();
    updateAsOf();
    applyFilters();
    if (m_detail && !m_detailPage.isEmpty() && isShowingDetail() && !showPage(m_detailPage))
        showGrid();
}

void DiscoverPage::cacheChanged()
{
    // Badges first (cheap), then the entrypoints of new or changed repositories (Python host,
    // static listing: no repository code runs).
    CatalogIndex index = m_model->catalog();
    index.markCached(m_bridge->hubDir());
    const QString detail = isShowingDetail() ? m_detailPage : QString();
    m_model->setCatalog(index);
    m_searcher =
        std::make_unique<CatalogSearch>(m_model->catalog().entries, m_model->entrypoints());
    applyFilters();
    if (!detail.isEmpty())
        showPage(detail);
    updateEntrypointIndex();
}

void DiscoverPage::updateEntrypointIndex()
{
    if (m_indexJob) {
        m_indexAgain = true;
        return;
    }
    auto *job = new EntrypointIndexJob(m_bridge->hubDir(), m_bridge->hostPool(), this);
    m_indexJob = job;
    connect(job, &Job::finished, this, [this, job] {
        job->deleteLater();
        m_indexJob = nullptr;
        if (!job->error() && job->listedCount() > 0) {
            m_model->setEntrypoints(job->index().all());
            m_searcher =
                std::make_unique<CatalogSearch>(m_model->catalog().entries, m_model->entrypoints());
            applyFilters();
        }
        if (m_indexAgain) {
            m_indexAgain = false;
            updateEntrypointIndex();
        }
    });
    job->start();
}

void DiscoverPage::rebuildFilterBoxes()
{
    const QString category = m_category->currentData().toString();
    const QString tag = m_tag->currentData().toString();
    QSet<QString> cats, tags;
    for (const CatalogEntry &e : m_model->catalog().entries) {
        if (!e.category.isEmpty())
            cats.insert(e.category);
        for (const QString &t : e.tags)
            tags.insert(t);
    }
    auto fill = [](QComboBox *box, const QString &all, QSet<QString> values, const QString &keep) {
        QSignalBlocker block(box);
        box->clear();
        box->addItem(all, QString());
        QStringList sorted(values.begin(), values.end());
        sorted.sort(Qt::CaseInsensitive);
        for (const QString &v : sorted)
            box->addItem(v, v);
        box->setCurrentIndex(std::max(0, box->findData(keep)));
    };
    fill(m_category, tr("All categories"), cats, category);
    fill(m_tag, tr("All tags"), tags, tag);
}

void DiscoverPage::updateAsOf()
{
    const CatalogIndex &idx = m_model->catalog();
    if (!m_hasCatalog) {
        m_asOf->setText(tr("no catalog yet"));
        m_asOf->setToolTip({});
        return;
    }
    m_asOf->setText(idx.asOfText());
    QString tip = tr("%1 at %2").arg(idx.repo, idx.commit);
    if (!idx.problems.isEmpty()) {
        tip += u'\n' + tr("%n page(s) skipped:", nullptr, int(idx.problems.size()));
        for (const CatalogProblem &p : idx.problems.mid(0, 20))
            tip += QStringLiteral("\n• %1: %2").arg(p.file, p.message);
    }
    m_asOf->setToolTip(tip);
}

void DiscoverPage::setSort(Sort sort)
{
    m_sort->setCurrentIndex(m_sort->findData(int(sort)));
}

void DiscoverPage::applyFilters()
{
    const QString category = m_category->currentData().toString();
    const QString tag = m_tag->currentData().toString();
    const QString query = m_search->text().trimmed();
    const auto &entries = m_model->catalog().entries;
    auto pagePasses = [&](const CatalogEntry &e) {
        return (category.isEmpty() || e.category == category) &&
               (tag.isEmpty() || e.tags.contains(tag));
    };
    QList<CatalogModel::Row> rows;
    if (!query.isEmpty() && m_searcher) {
        for (const SearchHit &h : m_searcher->search(query)) {
            if (h.kind == SearchHit::Kind::Page) {
                if (pagePasses(entries[h.entryIndex]))
                    rows.append({h.kind, h.entryIndex});
            } else if (category.isEmpty() && tag.isEmpty()) {
                rows.append({h.kind, h.entrypointIndex}); // entrypoints have no category/tags
            }
        }
    } else {
        for (int i = 0; i < entries.size(); ++i)
            if (pagePasses(entries[i]))
                rows.append({SearchHit::Kind::Page, i});
    }
    const Sort sort = Sort(m_sort->currentData().toInt());
    if (query.isEmpty() || sort != Sort::CatalogOrder) {
        auto title = [&](const CatalogModel::Row &r) {
            return r.kind == SearchHit::Kind::Page ? entries[r.index].title
                                                   : m_model->entrypoints()[r.index].name;
        };
        auto cached = [&](const CatalogModel::Row &r) {
            return r.kind == SearchHit::Kind::Entrypoint || entries[r.index].cached;
        };
        if (sort == Sort::Title)
            std::stable_sort(rows.begin(), rows.end(), [&](const auto &a, const auto &b) {
                return title(a).compare(title(b), Qt::CaseInsensitive) < 0;
            });
        else if (sort == Sort::CachedFirst)
            std::stable_sort(rows.begin(), rows.end(),
                             [&](const auto &a, const auto &b) { return cached(a) && !cached(b); });
    }
    const QString current = m_view->currentIndex().data(CatalogModel::PageRole).toString();
    m_model->setRows(rows);
    if (const int r = m_model->rowOfPage(current); r >= 0)
        m_view->setCurrentIndex(m_model->index(r));

    if (!m_hasCatalog && rows.isEmpty()) {
        m_empty->setText(tr("<p><b>No catalog yet.</b></p><p>Discover shows the models of the "
                            "PyTorch Hub catalog (%1). Click <b>Refresh</b> to fetch it once; "
                            "it is kept in the hub dir and works offline afterwards.</p>")
                             .arg(catalogRepoSpec().value_or(RepoSpec{}).toString()));
        m_empty->show();
    } else if (rows.isEmpty()) {
        m_empty->setText(query.isEmpty() ? tr("No model matches the filters.")
                                         : tr("Nothing matches “%1”.").arg(query.toHtmlEscaped()));
        m_empty->show();
    } else {
        m_empty->hide();
    }
}

QStringList DiscoverPage::shownTitles() const
{
    QStringList out;
    for (int r = 0; r < m_model->rowCount(); ++r)
        out << m_model->index(r).data(CatalogModel::TitleRole).toString();
    return out;
}

void DiscoverPage::focusSearch()
{
    showGrid();
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void DiscoverPage::onActivated(const QModelIndex &index)
{
    if (const CatalogEntry *e = m_model->entryAt(index.row())) {
        showDetailOf(*e);
    } else if (const CachedEntrypoint *ep = m_model->entrypointAt(index.row())) {
        // A cached entrypoint: straight to Browse with it selected.
        Q_EMIT openRequested(ep->repo, ep->name);
    }
}

bool DiscoverPage::showPage(const QString &page)
{
    for (const CatalogEntry &e : m_model->catalog().entries)
        if (e.page == page) {
            showDetailOf(e);
            return true;
        }
    return false;
}

void DiscoverPage::showGrid()
{
    m_stack->setCurrentIndex(0);
    m_view->setFocus();
}

bool DiscoverPage::isShowingDetail() const
{
    return m_stack->currentIndex() == 1;
}

void DiscoverPage::showDetailOf(const CatalogEntry &e)
{
    const CatalogIndex &idx = m_model->catalog();
    m_detailPage = e.page;
    m_detailTitle->setText(e.title);
    m_detailSummary->setText(e.summary);
    QStringList meta;
    const QString repoSpec = e.ref.isEmpty() ? e.repo : e.repo + u':' + e.ref;
    meta << QStringLiteral("<a href=\"https://github.com/%1\">%2</a>")
                .arg(e.repo.toHtmlEscaped(), repoSpec.toHtmlEscaped());
    if (e.cached)
        meta << QStringLiteral("<b style=\"color:#2ea043\">%1</b>").arg(tr("in cache"));
    if (!e.author.isEmpty())
        meta << tr("by %1").arg(e.author.toHtmlEscaped());
    if (!e.category.isEmpty())
        meta << e.category.toHtmlEscaped();
    if (!e.tags.isEmpty())
        meta << (u'#' + e.tags.join(QStringLiteral(" #"))).toHtmlEscaped();
    auto safeLink = [](const QString &url) {
        const QUrl u(url);
        return u.isValid() && (u.scheme() == u"https" || u.scheme() == u"http");
    };
    if (safeLink(e.githubLink))
        meta << QStringLiteral("<a href=\"%1\">%2</a>")
                    .arg(e.githubLink.toHtmlEscaped(), tr("source"));
    if (safeLink(e.demoLink))
        meta << QStringLiteral("<a href=\"%1\">%2</a>").arg(e.demoLink.toHtmlEscaped(), tr("demo"));
    m_detailMeta->setText(meta.join(QStringLiteral(" · ")));
    const QPixmap pix = CatalogModel::loadThumbnail(idx.imagePath(e), 200);
    m_detailImage->setPixmap(pix);
    m_detailImage->setVisible(!pix.isNull());

    // Examples: the exact call, Copy, Open, Load….
    while (QLayoutItem *item = m_examplesLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    const QString firstEntrypoint = e.entrypoints().value(0);
    int n = 0;
    for (const LoadExample &x : e.examples) {
        auto *row = new QWidget;
        auto *h = new QHBoxLayout(row);
        h->setContentsMargins(0, 0, 0, 0);
        auto *code = new QLineEdit(x.code);
        code->setObjectName(QStringLiteral("exampleCode_%1").arg(n));
        code->setReadOnly(true);
        code->setAccessibleName(tr("Load example %1").arg(n + 1));
        code->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        code->setCursorPosition(0);
        auto *copy = new QPushButton(tr("Copy"));
        copy->setObjectName(QStringLiteral("copyButton_%1").arg(n));
        copy->setToolTip(tr("Copy this torch.hub.load line"));
        connect(copy, &QPushButton::clicked, this, [this, text = x.code] {
            QApplication::clipboard()->setText(text);
            Q_EMIT statusMessage(tr("Copied: %1").arg(text));
        });
        auto *open = new QPushButton(tr("Open"));
        open->setObjectName(QStringLiteral("openButton_%1").arg(n));
        open->setToolTip(tr("Fetch %1 and show %2 in Browse").arg(x.repoSpec(), x.entrypoint));
        connect(open, &QPushButton::clicked, this,
                [this, spec = x.repoSpec(), ep = x.entrypoint] { Q_EMIT openRequested(spec, ep); });
        auto *load = new QPushButton(tr("Load…"));
        load->setObjectName(QStringLiteral("loadButton_%1").arg(n));
        load->setToolTip(tr("Fetch %1, then load %2 with the example's arguments")
                             .arg(x.repoSpec(), x.entrypoint));
        load->setEnabled(!x.entrypoint.isEmpty());
        connect(load, &QPushButton::clicked, this,
                [this, spec = x.repoSpec(), ep = x.entrypoint, kw = x.kwargs] {
                    Q_EMIT loadRequested(spec, ep, kw);
                });
        h->addWidget(code, 1);
        h->addWidget(copy);
        h->addWidget(open);
        h->addWidget(load);
        m_examplesLayout->addWidget(row);
        ++n;
    }
    m_examples->setVisible(n > 0);
    m_detailOpen->disconnect();
    connect(m_detailOpen, &QPushButton::clicked, this,
            [this, spec = e.repo + (e.ref.isEmpty() ? QString() : u':' + e.ref), firstEntrypoint] {
                Q_EMIT openRequested(spec, firstEntrypoint);
            });

    auto *browser = static_cast<CatalogTextBrowser *>(m_description);
    browser->root = idx.treeDir;
    m_description->setMarkdown(e.description);
    m_stack->setCurrentIndex(1);
    // Keyboard users land in the page (Esc / Alt+Left go back), not on the hidden grid.
    m_description->setFocus(Qt::OtherFocusReason);
}

Job *DiscoverPage::makeRefreshJob()
{
    const auto spec = catalogRepoSpec();
    if (!spec) {
        m_message->showMessage(Tone::Error, tr("Refresh the catalog"), spec.error().message,
                               spec.error().details);
        return nullptr;
    }
    auto *job = new CatalogRefreshJob(m_bridge->hubDir(), m_bridge->networkConfig(), *spec, this);
    m_refreshJob = job;
    m_refresh->setEnabled(false);
    connect(job, &Job::finished, this, [this, job] {
        m_refresh->setEnabled(true);
        if (m_refreshJob == job)
            m_refreshJob = nullptr;
        if (job->error()) {
            if (job->error()->code == Error::Code::Cancelled) {
                Q_EMIT statusMessage(tr("Catalog refresh cancelled."));
            } else {
                m_message->showMessage(
                    Tone::Error, tr("The catalog could not be refreshed"),
                    m_hasCatalog ? tr("%1 The %2 is still shown and usable.")
                                       .arg(job->error()->message, m_model->catalog().asOfText())
                                 : job->error()->message,
                    job->error()->details);
                m_message->addAction(tr("&Retry"), [this] { refresh(); });
            }
            Q_EMIT refreshFinished(false);
            return;
        }
        m_message->dismiss();
        auto *done = static_cast<CatalogRefreshJob *>(job);
        Q_EMIT statusMessage(
            done->unchanged() ? tr("The catalog is up to date (%1).").arg(done->index().asOfText())
                              : tr("Catalog refreshed: %n model(s), %1.", nullptr,
                                   int(done->index().entries.size()))
                                    .arg(done->index().asOfText()));
        reload();
        updateEntrypointIndex();
        Q_EMIT refreshFinished(true);
    });
    return job;
}

void DiscoverPage::refresh()
{
    if (m_refreshJob)
        return;
    m_message->dismiss();
    Job *job = makeRefreshJob();
    if (!job)
        return;
    Q_EMIT jobCreated(job);
    job->start();
}

} // namespace hubcap::ui
