// The Discover page: the catalog from the sidecar (offline), search as you type, filters, sort,
// Ctrl+K, a card's detail (rendered Markdown, Copy), Refresh with progress in the downloads
// panel and the inline failure with the cached catalog still usable, Open (fetch with the trust
// question, then Browse with the entrypoint selected), Load… prefilled, and the Browse page's
// "Copy torch.hub.load snippet". Screenshots of the page and a detail go to <build>/screenshots.
#include "tests/catalog/catalogfixture.h"

#include "tests/fetch/fetchfixtures.h"
#include "tests/support/fakeserver.h"
#include "tests/support/testsupport.h"
#include "tests/ui/uifixtures.h"

#include "core/jobs/job.h"
#include "ui/browser/browserpage.h"
#include "ui/browser/snippet.h"
#include "ui/common/corebridge.h"
#include "ui/common/inlinemessage.h"
#include "ui/discover/catalogmodel.h"
#include "ui/discover/catalogopener.h"
#include "ui/discover/discoverpage.h"
#include "ui/downloads/downloadsmodel.h"
#include "ui/export/loaddialog.h"
#include "ui/export/runcontroller.h"
#include "ui/mainwindow.h"

#include "core/catalog/catalog.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QToolButton>

using namespace hubcap;
using namespace hubcap::ui;
using namespace hubcap::test;

namespace {

struct GithubEnv
{
    explicit GithubEnv(const QString &url)
    {
        qputenv("HUBCAP_GITHUB_URL", url.toUtf8());
        qputenv("HUBCAP_GITHUB_API_URL", url.toUtf8());
    }
    ~GithubEnv()
    {
        qputenv("HUBCAP_GITHUB_URL", "http://127.0.0.1:9");
        qputenv("HUBCAP_GITHUB_API_URL", "http://127.0.0.1:9");
    }
};

/// A catalog fetched earlier: the fixture tree in the sidecar and its index.
void seedCatalog(const QString &hub)
{
    const QString tree = CatalogIndex::catalogDir(hub) + QStringLiteral("/pytorch_hub_master");
    writeCatalogTree(tree);
    CatalogIndex idx;
    idx.repo = QStringLiteral("pytorch/hub");
    idx.ref = QStringLiteral("master");
    idx.commit = QStringLiteral("0123456789abcdef0123456789abcdef01234567");
    idx.fetchedAt = QDateTime::currentDateTimeUtc().addDays(-3);
    idx.treeDir = tree;
    const ParsedCatalog parsed = parseCatalogTree(tree);
    idx.entries = parsed.entries;
    idx.problems = parsed.problems;
    ASSERT_TRUE(idx.save(hub));
}

int rowOfTitle(const DiscoverPage *page, const QString &title)
{
    return int(page->shownTitles().indexOf(title));
}

} // namespace

TEST(Discover, FirstTabShowsTheCatalogFromTheSidecarOffline)
{
    QTemporaryDir tmp;
    const QString hub = tmp.filePath(QStringLiteral("hub"));
    seedCatalog(hub);
    CoreBridge bridge(hub);
    MainWindow window(&bridge);
    DiscoverPage *page = window.discoverPage();
    QAbstractItemModelTester tester(page->model(),
                                    QAbstractItemModelTester::FailureReportingMode::Warning);
    EXPECT_EQ(window.tabs()->widget(0), page);
    EXPECT_EQ(window.tabs()->currentWidget(), page);
    EXPECT_TRUE(page->hasCatalog());
    // Catalog order; broken, huge and repository-less pages are skipped, the rest shows.
    EXPECT_EQ(page->shownTitles(),
              (QStringList{QStringLiteral("Tiny CNN"), QStringLiteral("ResNet"),
                           QStringLiteral("SSD: Single Shot MultiBox Detector")}));
    EXPECT_TRUE(page->asOfLabel()->text().startsWith(QStringLiteral("catalog as of ")));
    EXPECT_TRUE(page->asOfLabel()->text().endsWith(QStringLiteral("commit 0123456")));
    EXPECT_TRUE(page->asOfLabel()->toolTip().contains(QStringLiteral("broken_yaml.md")));
    EXPECT_TRUE(page->emptyLabel()->isHidden());
    // Thumbnails: the real PNG decodes, the "PNG" that is text gives none (and no crash).
    const auto *model = page->model();
    const QPixmap resnet = model->index(rowOfTitle(page, QStringLiteral("ResNet")))
                               .data(CatalogModel::ThumbnailRole)
                               .value<QPixmap>();
    EXPECT_FALSE(resnet.isNull());
    EXPECT_TRUE(model->index(rowOfTitle(page, QStringLiteral("SSD: Single Shot MultiBox Detector")))
                    .data(CatalogModel::ThumbnailRole)
                    .value<QPixmap>()
                    .isNull());
    // Even an image the catalog index points to that is not one: no pixmap, no crash.
    writeFile(hub + QStringLiteral("/.hubcap/catalog/pytorch_hub_master/images/resnet.png"),
              "garbage");
    EXPECT_TRUE(
        CatalogModel::loadThumbnail(
            hub + QStringLiteral("/.hubcap/catalog/pytorch_hub_master/images/resnet.png"), 96)
            .isNull());
    // The cards paint (offscreen).
    window.resize(1200, 760);
    window.show();
    EXPECT_FALSE(page->cardView()->grab().isNull());
}

TEST(Discover, SearchAsYouTypeFiltersSortAndCtrlK)
{
    QTemporaryDir tmp;
    const QString hub = tmp.filePath(QStringLiteral("hub"));
    seedCatalog(hub);
    CoreBridge bridge(hub);
    MainWindow window(&bridge);
    DiscoverPage *page = window.discoverPage();
    window.show();
    window.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&window));

    // Ctrl+K from another tab: Discover, search field focused.
    window.tabs()->setCurrentWidget(window.browserPage());
    QTest::keyClick(&window, Qt::Key_K, Qt::ControlModifier);
    EXPECT_EQ(window.tabs()->currentWidget(), page);
    EXPECT_TRUE(page->searchEdit()->hasFocus());

    QTest::keyClicks(page->searchEdit(), QStringLiteral("res"));
    EXPECT_EQ(page->shownTitles().value(0), QStringLiteral("ResNet")); // as you type
    page->searchEdit()->setText(QStringLiteral("detection"));
    EXPECT_EQ(page->shownTitles(),
              QStringList{QStringLiteral("SSD: Single Shot MultiBox Detector")});
    page->searchEdit()->setText(QStringLiteral("nothing-like-this"));
    EXPECT_TRUE(page->shownTitles().isEmpty());
    EXPECT_FALSE(page->emptyLabel()->isHidden());
    EXPECT_TRUE(page->emptyLabel()->text().contains(QStringLiteral("nothing-like-this")));
    page->searchEdit()->clear();
    EXPECT_EQ(page->shownTitles().size(), 3);

    // Tag and category filters.
    page->tagBox()->setCurrentIndex(page->tagBox()->findData(QStringLiteral("scriptable")));
    EXPECT_EQ(page->shownTitles(), QStringList{QStringLiteral("ResNet")});
    page->tagBox()->setCurrentIndex(0);
    page->categoryBox()->setCurrentIndex(
        page->categoryBox()->findData(QStringLiteral("researchers")));
    EXPECT_EQ(page->shownTitles().size(), 3);
    page->categoryBox()->setCurrentIndex(0);

    // Sort: title; cached first (fixture/tiny in the cache).
    page->setSort(DiscoverPage::Sort::Title);
    EXPECT_EQ(
        page->shownTitles(),
        (QStringList{QStringLiteral("ResNet"), QStringLiteral("SSD: Single Shot MultiBox Detector"),
                     QStringLiteral("Tiny CNN")}));
    writeFile(hub + QStringLiteral("/pytorch_vision_v0.10.0/hubconf.py"),
              "def resnet18():\n    pass\n");
    page->cacheChanged();
    page->setSort(DiscoverPage::Sort::CachedFirst);
    EXPECT_EQ(page->shownTitles().value(0), QStringLiteral("ResNet"));
    EXPECT_TRUE(page->model()->index(0).data(CatalogModel::CachedRole).toBool());
    // The cached repository's entrypoints become searchable (static listing, no code runs).
    ASSERT_TRUE(waitUntil([&] { return !page->isIndexingEntrypoints(); }, 60000));
    page->setSort(DiscoverPage::Sort::CatalogOrder);
    page->searchEdit()->setText(QStringLiteral("resnet18"));
    const QStringList hits = page->shownTitles();
    EXPECT_TRUE(hits.contains(QStringLiteral("resnet18"))) << hits.join(u',').toStdString();
    EXPECT_TRUE(hits.contains(QStringLiteral("ResNet"))) << hits.join(u',').toStdString();
}

TEST(Discover, DetailRendersMarkdownAndCopiesTheExactLoadLine)
{
    QTemporaryDir tmp;
    const QString hub = tmp.filePath(QStringLiteral("hub"));
    seedCatalog(hub);
    CoreBridge bridge(hub);
    MainWindow window(&bridge);
    DiscoverPage *page = window.discoverPage();
    window.show();
    window.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&window));
    const QModelIndex resnet = page->model()->index(rowOfTitle(page, QStringLiteral("ResNet")));
    Q_EMIT page->cardView()->activated(resnet);
    ASSERT_TRUE(page->isShowingDetail());
    EXPECT_EQ(page->detailTitle()->text(), QStringLiteral("ResNet"));
    auto *code0 = page->examplesBox()->findChild<QLineEdit *>(QStringLiteral("exampleCode_0"));
    auto *code1 = page->examplesBox()->findChild<QLineEdit *>(QStringLiteral("exampleCode_1"));
    ASSERT_TRUE(code0 && code1);
    EXPECT_EQ(
        code0->text(),
        QStringLiteral("torch.hub.load('pytorch/vision:v0.10.0', 'resnet18', pretrained=True)"));
    EXPECT_EQ(
        code1->text(),
        QStringLiteral("torch.hub.load('pytorch/vision:v0.10.0', 'resnet34', pretrained=True)"));
    QApplication::clipboard()->clear();
    page->examplesBox()->findChild<QPushButton *>(QStringLiteral("copyButton_1"))->click();
    EXPECT_EQ(QApplication::clipboard()->text(), code1->text());
    // Markdown rendered: headings and tables are text, not '###' or '|'.
    const QString text = page->detailBrowser()->toPlainText();
    EXPECT_TRUE(text.contains(QStringLiteral("Model Description")));
    EXPECT_FALSE(text.contains(QStringLiteral("### Model")));
    EXPECT_FALSE(text.contains(QStringLiteral("| resnet18")));
    // Links open in the browser.
    EXPECT_TRUE(page->detailBrowser()->openExternalLinks());
    QTest::keyClick(page->detailBrowser(), Qt::Key_Escape);
    EXPECT_FALSE(page->isShowingDetail());
    // Two examples on the SSD page too, with their refs.
    ASSERT_TRUE(page->showPage(QStringLiteral("nvidia_deeplearningexamples_ssd")));
    EXPECT_TRUE(page->examplesBox()->findChild<QLineEdit *>(QStringLiteral("exampleCode_1")));
}

TEST(Discover, RefreshFailureShowsInlineMessageAndKeepsTheCatalog)
{
    QTemporaryDir tmp;
    const QString hub = tmp.filePath(QStringLiteral("hub"));
    seedCatalog(hub);
    const QByteArray before = readFile(CatalogIndex::indexPath(hub));
    CoreBridge bridge(hub); // GitHub is http://127.0.0.1:9: offline
    MainWindow window(&bridge);
    DiscoverPage *page = window.discoverPage();
    const int rowsBefore = window.downloadsModel()->rowCount();
    bool finished = false, ok = true;
    QObject::connect(page, &DiscoverPage::refreshFinished, [&](bool good) {
        finished = true;
        ok = good;
    });
    page->refreshButton()->click();
    EXPECT_EQ(window.downloadsModel()->rowCount(), rowsBefore + 1); // progress in the panel
    ASSERT_TRUE(waitUntil([&] { return finished; }, 60000));
    EXPECT_FALSE(ok);
    EXPECT_FALSE(page->messageBar()->isHidden());
    EXPECT_EQ(page->messageBar()->tone(), Tone::Error);
    EXPECT_TRUE(page->messageBar()->text().contains(QStringLiteral("still shown")))
        << page->messageBar()->text().toStdString();
    EXPECT_FALSE(page->messageBar()->actionButtons().isEmpty()); // Retry
    EXPECT_EQ(page->shownTitles().size(), 3);
    EXPECT_EQ(readFile(CatalogIndex::indexPath(hub)), before);
    EXPECT_TRUE(page->refreshButton()->isEnabled());
}

TEST(Discover, RefreshFetchesTheCatalogWithProgressThenOpenAndLoadPrefilled)
{
    FakeServer server;
    ASSERT_TRUE(server.isRunning()) << server.serverErrors().toStdString();
    const QString sha = makeCatalogRepo(server.root());
    makeRepo(server.root(), QStringLiteral("fixture"), QStringLiteral("tiny"), tinyRepoFiles());
    GithubEnv env(server.url());
    QTemporaryDir tmp;
    const QString hub = tmp.filePath(QStringLiteral("hub"));
    CoreBridge bridge(hub);
    MainWindow window(&bridge);
    QList<TrustQuestion> asked;
    window.setTrustAsker([&](QWidget *, const TrustQuestion &q) {
        asked << q;
        return TrustAnswer::TrustAndRecord;
    });
    DiscoverPage *page = window.discoverPage();
    // First launch, nothing fetched: the page says what to do.
    EXPECT_FALSE(page->hasCatalog());
    EXPECT_FALSE(page->emptyLabel()->isHidden());
    EXPECT_TRUE(page->emptyLabel()->text().contains(QStringLiteral("Refresh")));

    bool finished = false, ok = false;
    QObject::connect(page, &DiscoverPage::refreshFinished, [&](bool good) {
        finished = true;
        ok = good;
    });
    page->refresh();
    ASSERT_EQ(window.downloadsModel()->rowCount(), 1);
    ASSERT_TRUE(waitUntil([&] { return finished; }, 60000));
    ASSERT_TRUE(ok) << page->messageBar()->text().toStdString();
    EXPECT_EQ(page->shownTitles().size(), 3);
    EXPECT_TRUE(page->asOfLabel()->text().endsWith(QStringLiteral("commit ") + sha.left(7)));

    // Open: the trust question, the fetch, then Browse with the example's entrypoint selected.
    ASSERT_TRUE(page->showPage(QStringLiteral("fixture_tiny_cnn")));
    QString openedEntrypoint;
    QObject::connect(window.catalogOpener(), &CatalogOpener::opened,
                     [&](const QString &, const QString &e) { openedEntrypoint = e; });
    page->examplesBox()->findChild<QPushButton *>(QStringLiteral("openButton_0"))->click();
    ASSERT_TRUE(waitUntil([&] { return !openedEntrypoint.isEmpty(); }, 90000))
        << window.messageBar()->text().toStdString();
    ASSERT_EQ(asked.size(), 1);
    EXPECT_EQ(asked[0].trustName, QStringLiteral("fixture_tiny"));
    EXPECT_EQ(window.tabs()->currentWidget(), window.browserPage());
    EXPECT_EQ(window.browserPage()->currentEntrypoint(), QStringLiteral("tiny_cnn"));
    EXPECT_EQ(window.browserPage()->currentRepo()->spec, QStringLiteral("fixture/tiny:main"));
    EXPECT_TRUE(QFileInfo(hub + QStringLiteral("/fixture_tiny_main/hubconf.py")).isFile());

    // The page now says "in cache".
    ASSERT_TRUE(waitUntil([&] {
        const int r = page->model()->rowOfPage(QStringLiteral("fixture_tiny_cnn"));
        return r >= 0 && page->model()->index(r).data(CatalogModel::CachedRole).toBool();
    }));

    // Load…: the cached repository is selected without a download, then the form prefilled.
    server.clearRequests();
    CatalogOpener::Kwargs prefilled;
    QString formFor;
    window.catalogOpener()->setPrefilledDialog(
        [&](QWidget *, const Entrypoint &e, const RepoEntry &, const CatalogOpener::Kwargs &kw) {
            formFor = e.name;
            prefilled = kw;
            return std::optional<LoadRequest>(); // cancelled: nothing runs
        });
    window.tabs()->setCurrentWidget(page);
    ASSERT_TRUE(page->showPage(QStringLiteral("fixture_tiny_cnn")));
    page->examplesBox()->findChild<QPushButton *>(QStringLiteral("loadButton_0"))->click();
    ASSERT_TRUE(waitUntil([&] { return !formFor.isEmpty(); }, 60000));
    EXPECT_EQ(formFor, QStringLiteral("tiny_cnn"));
    ASSERT_EQ(prefilled.size(), 2);
    EXPECT_EQ(prefilled[0],
              (QPair<QString, QString>{QStringLiteral("channels"), QStringLiteral("8")}));
    EXPECT_EQ(prefilled[1],
              (QPair<QString, QString>{QStringLiteral("pretrained"), QStringLiteral("False")}));
    for (const QJsonObject &r : server.requests())
        EXPECT_FALSE(r.value(u"path").toString().contains(QStringLiteral("zipball")));
    EXPECT_EQ(asked.size(), 1); // trusted now: not asked again

    // The real form takes the example's values.
    const Entrypoint *info = nullptr;
    for (const Entrypoint &e : window.browserPage()->listing().entrypoints)
        if (e.name == u"tiny_cnn")
            info = &e;
    ASSERT_TRUE(info);
    LoadDialog dialog(*info, QStringLiteral("fixture/tiny"), false, tmp.path());
    EXPECT_TRUE(CatalogOpener::prefill(dialog, prefilled).isEmpty());
    ASSERT_TRUE(qobject_cast<QSpinBox *>(dialog.fieldFor(QStringLiteral("channels"))));
    EXPECT_EQ(qobject_cast<QSpinBox *>(dialog.fieldFor(QStringLiteral("channels")))->value(), 8);
    const auto request = dialog.request();
    ASSERT_TRUE(request);
    EXPECT_EQ(request->kwargs.value(u"channels").toInt(), 8);

    // Browse: "Copy torch.hub.load snippet" for the selected entrypoint.
    QApplication::clipboard()->clear();
    window.tabs()->setCurrentWidget(window.browserPage());
    ASSERT_TRUE(window.browserPage()->copySnippetAction()->isEnabled());
    window.browserPage()->copySnippetAction()->trigger();
    EXPECT_EQ(QApplication::clipboard()->text(),
              QStringLiteral("torch.hub.load('fixture/tiny:main', 'tiny_cnn')"));
    // With the arguments of the load form when it was used.
    window.browserPage()->setSnippetArguments([](const QString &, const QString &) {
        return QJsonObject{{QStringLiteral("channels"), 8}, {QStringLiteral("pretrained"), false}};
    });
    EXPECT_EQ(window.browserPage()->currentSnippet(),
              QStringLiteral(
                  "torch.hub.load('fixture/tiny:main', 'tiny_cnn', channels=8, pretrained=False)"));
}

TEST(Snippet, LocalFoldersAndPythonLiterals)
{
    RepoEntry local;
    local.path = QStringLiteral("/data/it's here");
    EXPECT_EQ(loadSnippet(local, QStringLiteral("net")),
              QStringLiteral("torch.hub.load('/data/it\\'s here', 'net', source='local')"));
    EXPECT_EQ(pythonLiteral(QJsonValue(QJsonArray{QJsonValue(1), QJsonValue(2.5),
                                                  QJsonValue(QJsonValue::Null),
                                                  QJsonValue(QStringLiteral("a"))})),
              QStringLiteral("[1, 2.5, None, 'a']"));
    EXPECT_EQ(pythonLiteral(QJsonObject{{QStringLiteral("k"), true}}),
              QStringLiteral("{'k': True}"));
}

TEST(Discover, Screenshots)
{
    // A richer catalog than the fixture for the pictures: a dozen pages, several with images.
    FakeServer server;
    ASSERT_TRUE(server.isRunning());
    QMap<QString, QByteArray> files = catalogFiles();
    files.remove(QStringLiteral("huge_page.md"));
    const QByteArray png = files.value(QStringLiteral("images/resnet.png"));
    struct P
    {
        const char *page, *title, *summary, *category, *tags, *repo, *entry, *image;
    };
    const P extra[] = {
        {"ultralytics_yolov5", "YOLOv5",
         "Ultralytics YOLOv5 for object detection, instance segmentation and image classification",
         "researchers", "[vision, scriptable]", "ultralytics/yolov5", "yolov5s", "yolo.png"},
        {"intelisl_midas_v2", "MiDaS",
         "MiDaS models for computing relative depth from a single image", "researchers", "[vision]",
         "intel-isl/MiDaS", "DPT_Large", "midas.png"},
        {"snakers4_silero-models_stt", "Silero Speech-To-Text Models",
         "A set of compact enterprise-grade pre-trained STT models for multiple languages",
         "researchers", "[audio, scriptable]", "snakers4/silero-models", "silero_stt", "no-image"},
        {"facebookresearch_pytorch-gan-zoo_dcgan", "DCGAN on FashionGen",
         "A simple generative image model for 64x64 images", "researchers", "[vision, generative]",
         "facebookresearch/pytorch_GAN_zoo:hub", "DCGAN", "dcgan.png"},
        {"huggingface_pytorch-transformers", "PyTorch-Transformers",
         "PyTorch implementations of popular NLP Transformers", "researchers", "[nlp]",
         "huggingface/pytorch-transformers", "model", "no-image"},
        {"pytorch_vision_mobilenet_v2", "MobileNet v2",
         "Efficient networks optimized for speed and memory, with residual blocks", "researchers",
         "[vision, scriptable]", "pytorch/vision:v0.10.0", "mobilenet_v2", "mobilenet.png"},
        {"facebookresearch_WSL-Images_resnext", "ResNext WSL",
         "ResNext models trained with billion scale weakly-supervised data", "researchers",
         "[vision]", "facebookresearch/WSL-Images", "resnext101_32x8d_wsl", "no-image"},
        {"pytorch_fairseq_translation", "Transformer (NMT)",
         "Transformer models for English-French and English-German translation", "researchers",
         "[nlp]", "pytorch/fairseq", "transformer.wmt19.en-de", "no-image"},
        {"mateuszbuda_brain-segmentation-pytorch_unet", "U-Net for brain MRI",
         "U-Net with batch normalization for biomedical image segmentation", "researchers",
         "[vision]", "mateuszbuda/brain-segmentation-pytorch", "unet", "unet.png"},
    };
    int order = 30;
    for (const P &p : extra) {
        files.insert(
            QString::fromLatin1(p.page) + QStringLiteral(".md"),
            QStringLiteral(
                "---\nlayout: hub_detail\ntitle: %1\nsummary: %2\ncategory: %3\nimage: %4\n"
                "author: Someone\ntags: %5\ngithub-link: https://github.com/%6\ngithub-id: "
                "%6\norder: %7\n---\n\n"
                "```python\nimport torch\nmodel = torch.hub.load('%8', '%9', "
                "pretrained=True)\n```\n\n"
                "### Model Description\n\n%2.\n")
                .arg(QString::fromLatin1(p.title), QString::fromLatin1(p.summary),
                     QString::fromLatin1(p.category), QString::fromLatin1(p.image),
                     QString::fromLatin1(p.tags), QString::fromLatin1(p.repo).section(u':', 0, 0))
                .arg(order++)
                .arg(QString::fromLatin1(p.repo), QString::fromLatin1(p.entry))
                .toUtf8());
        if (QByteArray(p.image) != "no-image")
            files.insert(QStringLiteral("images/") + QString::fromLatin1(p.image), png);
    }
    makeRepo(server.root(), QStringLiteral("pytorch"), QStringLiteral("hub"), files,
             QStringLiteral("master"));
    makeRepo(server.root(), QStringLiteral("fixture"), QStringLiteral("tiny"), tinyRepoFiles());
    GithubEnv env(server.url());
    QTemporaryDir tmp;
    const QString hub = tmp.filePath(QStringLiteral("hub"));
    CoreBridge bridge(hub);
    // fixture/tiny in the cache: one "in cache" badge.
    {
        const ProcessResult r =
            runCli({QStringLiteral("--hub-dir"), hub, QStringLiteral("fetch"),
                    QStringLiteral("fixture/tiny:main"), QStringLiteral("--trust-repo"),
                    QStringLiteral("yes")},
                   [&] {
                       QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
                       e.insert(QStringLiteral("HUBCAP_GITHUB_URL"), server.url());
                       e.insert(QStringLiteral("HUBCAP_GITHUB_API_URL"), server.url());
                       return e;
                   }());
        ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    }
    MainWindow window(&bridge);
    DiscoverPage *page = window.discoverPage();
    bool finished = false;
    QObject::connect(page, &DiscoverPage::refreshFinished, [&](bool) { finished = true; });
    page->refresh();
    ASSERT_TRUE(waitUntil([&] { return finished; }, 60000));
    ASSERT_EQ(page->shownTitles().size(), 12);
    window.refreshCache();
    ASSERT_TRUE(waitUntil([&] {
        const int r = page->model()->rowOfPage(QStringLiteral("fixture_tiny_cnn"));
        return r >= 0 && page->model()->index(r).data(CatalogModel::CachedRole).toBool();
    }));
    window.downloadsDock()->hide();
    window.resize(1200, 760);
    window.show();
    window.tabs()->setCurrentWidget(page);
    QTest::qWait(200);
    const QString dir = binDir() + QStringLiteral("/../screenshots");
    QDir().mkpath(dir);
    EXPECT_TRUE(window.grab().save(dir + QStringLiteral("/discover.png")));
    ASSERT_TRUE(page->showPage(QStringLiteral("pytorch_vision_resnet")));
    QTest::qWait(200);
    EXPECT_TRUE(window.grab().save(dir + QStringLiteral("/discover-detail.png")));
    page->searchEdit()->setText(QStringLiteral("resnet"));
    page->showGrid();
    QTest::qWait(200);
    EXPECT_TRUE(window.grab().save(dir + QStringLiteral("/discover-search.png")));
}

TEST(Discover, BrowseSnippetTakesTheLastLoadFormArguments)
{
    QTemporaryDir tmp;
    const QString repoDir = tmp.filePath(QStringLiteral("repo"));
    writeFixtureRepo(repoDir);
    CoreBridge bridge(tmp.filePath(QStringLiteral("hub")));
    MainWindow window(&bridge);
    BrowserPage *browser = window.browserPage();
    browser->addLocalFolder(repoDir);
    ASSERT_TRUE(waitUntil(
        [&] { return !browser->isListing() && !browser->listing().entrypoints.isEmpty(); }, 60000));
    ASSERT_TRUE(browser->selectEntrypoint(QStringLiteral("small_mlp")));
    EXPECT_EQ(browser->currentSnippet(),
              QStringLiteral("torch.hub.load('%1', 'small_mlp', source='local')").arg(repoDir));

    // A load with the form's values (the run itself may fail here: only the record matters).
    RepoEntry repo = *browser->currentRepo();
    Entrypoint entry;
    for (const Entrypoint &e : browser->listing().entrypoints)
        if (e.name == u"small_mlp")
            entry = e;
    LoadRequest request;
    request.kwargs =
        QJsonObject{{QStringLiteral("hidden"), 8}, {QStringLiteral("pretrained"), false}};
    if (Job *job = window.runController()->run(repo, entry, request)) {
        job->cancel();
        waitUntil([&] { return job->isFinished(); }, 30000);
    }
    EXPECT_EQ(browser->currentSnippet(),
              QStringLiteral(
                  "torch.hub.load('%1', 'small_mlp', hidden=8, pretrained=False, source='local')")
                  .arg(repoDir));
    QApplication::clipboard()->clear();
    browser->copySnippetAction()->trigger();
    EXPECT_EQ(QApplication::clipboard()->text(), browser->currentSnippet());
}
