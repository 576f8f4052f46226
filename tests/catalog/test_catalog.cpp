// core/catalog: the front-matter reader, torch.hub.load extraction, the fixture catalog tree
// (bad pages reported and skipped), the sidecar index, search ranking, the cached-entrypoint
// index, and CatalogRefreshJob against the fake GitHub (no zipball when the commit did not move).
#include "tests/catalog/catalogfixture.h"

#include "tests/fetch/fetchfixtures.h"
#include "tests/support/fakeserver.h"
#include "tests/support/testsupport.h"

#include "core/catalog/catalog.h"
#include "core/catalog/catalogsearch.h"
#include "core/hosts/pyhost/client/pyhostclient.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonObject>
#include <QTemporaryDir>

using namespace hubcap;
using namespace hubcap::test;

namespace {

NetworkConfig configFor(const FakeServer &server)
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("HUBCAP_GITHUB_URL"), server.url());
    env.insert(QStringLiteral("HUBCAP_GITHUB_API_URL"), server.url());
    return NetworkConfig::fromEnvironment(env);
}

int zipRequests(const FakeServer &server)
{
    int n = 0;
    for (const QJsonObject &r : server.requests()) {
        const QString path = r.value(u"path").toString();
        n += path.contains(QStringLiteral("/zipball/")) ||
             path.contains(QStringLiteral("/codeload/"));
    }
    return n;
}

const CatalogEntry *byPage(const QList<CatalogEntry> &entries, const QString &page)
{
    for (const CatalogEntry &e : entries)
        if (e.page == page)
            return &e;
    return nullptr;
}

} // namespace

TEST(FrontMatter, ScalarsQuotesAndLists)
{
    const auto fm = parseFrontMatter(QStringLiteral("title: \"SSD: Single \\\"Shot\\\"\"\n"
                                                    "summary: 'it''s fast' # comment\n"
                                                    "order: 10\n"
                                                    "# a comment line\n"
                                                    "tags: [vision, 'object detection', \"a, b\"]\n"
                                                    "more:\n"
                                                    "  - one\n"
                                                    "  - 'two three'\n"
                                                    "empty:\n"
                                                    "plain: text with # a comment\n"));
    ASSERT_TRUE(fm) << fm.error().message.toStdString();
    EXPECT_EQ(fm->value(QStringLiteral("title")),
              QStringList{QStringLiteral("SSD: Single \"Shot\"")});
    EXPECT_EQ(fm->value(QStringLiteral("summary")), QStringList{QStringLiteral("it's fast")});
    EXPECT_EQ(fm->value(QStringLiteral("order")), QStringList{QStringLiteral("10")});
    EXPECT_EQ(fm->value(QStringLiteral("tags")),
              (QStringList{QStringLiteral("vision"), QStringLiteral("object detection"),
                           QStringLiteral("a, b")}));
    EXPECT_EQ(fm->value(QStringLiteral("more")),
              (QStringList{QStringLiteral("one"), QStringLiteral("two three")}));
    EXPECT_TRUE(fm->contains(QStringLiteral("empty")));
    EXPECT_TRUE(fm->value(QStringLiteral("empty")).isEmpty());
    EXPECT_EQ(fm->value(QStringLiteral("plain")), QStringList{QStringLiteral("text with")});
}

TEST(FrontMatter, MalformedInputIsAnErrorNamingTheLine)
{
    for (const char *bad : {"tags: [vision, audio\n", "title: 'unterminated\n", "a: 1\na: 2\n",
                            "nested:\n  key: value\n", "- item without key\n", "just text\n",
                            "x: {a: 1}\n", "x: [[1]]\n"}) {
        const auto fm = parseFrontMatter(QString::fromLatin1(bad));
        EXPECT_FALSE(fm) << bad;
        if (!fm) {
            EXPECT_TRUE(fm.error().message.contains(QStringLiteral("front matter line"))) << bad;
        }
    }
    // Bounded: too many lines and too many list items.
    QString many;
    for (int i = 0; i < 1000; ++i)
        many += QStringLiteral("k%1: v\n").arg(i);
    EXPECT_FALSE(parseFrontMatter(many));
    QString items = QStringLiteral("tags: [");
    for (int i = 0; i < 300; ++i)
        items += QStringLiteral("t%1, ").arg(i);
    EXPECT_FALSE(parseFrontMatter(items + u']'));
}

TEST(LoadCalls, RefKeywordArgumentsCommentsAndMultiLine)
{
    const QString md = QStringLiteral(
        "```python\n"
        "model = torch.hub.load('pytorch/vision:v0.10.0', 'resnet18', pretrained=True)\n"
        "# model = torch.hub.load('pytorch/vision:v0.10.0', 'resnet34', pretrained=True)\n"
        "utils = torch.hub.load(\n    'NVIDIA/DeepLearningExamples:torchhub',\n"
        "    'nvidia_ssd_processing_utils',\n)\n"
        "m = torch.hub.load(repo_or_dir=\"a/b\", model=\"c\", x=f(1, 2), y=\"s,t\")\n"
        "m = torch.hub.load(some_var, 'fallback_model')\n"
        "m = torch.hub.load('./local/dir', 'local', source='local')\n"
        "m = torch.hub.load('unclosed/call', 'x'\n"
        "```\n");
    const auto calls = extractLoadCalls(md, QStringLiteral("page/repo"));
    ASSERT_EQ(calls.size(), 5);
    EXPECT_EQ(calls[0].repo, QStringLiteral("pytorch/vision"));
    EXPECT_EQ(calls[0].ref, QStringLiteral("v0.10.0"));
    EXPECT_EQ(calls[0].entrypoint, QStringLiteral("resnet18"));
    ASSERT_EQ(calls[0].kwargs.size(), 1);
    EXPECT_EQ(calls[0].kwargs[0].first, QStringLiteral("pretrained"));
    EXPECT_EQ(calls[0].kwargs[0].second, QStringLiteral("True"));
    EXPECT_EQ(
        calls[0].code,
        QStringLiteral("torch.hub.load('pytorch/vision:v0.10.0', 'resnet18', pretrained=True)"));
    EXPECT_FALSE(calls[0].commented);
    EXPECT_TRUE(calls[1].commented);
    EXPECT_EQ(calls[1].entrypoint, QStringLiteral("resnet34"));
    EXPECT_EQ(calls[2].repo, QStringLiteral("NVIDIA/DeepLearningExamples"));
    EXPECT_EQ(calls[2].ref, QStringLiteral("torchhub"));
    EXPECT_EQ(calls[2].entrypoint, QStringLiteral("nvidia_ssd_processing_utils"));
    EXPECT_FALSE(calls[2].code.contains(u'\n'));
    EXPECT_EQ(calls[3].repo, QStringLiteral("a/b"));
    EXPECT_EQ(calls[3].entrypoint, QStringLiteral("c"));
    ASSERT_EQ(calls[3].kwargs.size(), 2);
    EXPECT_EQ(calls[3].kwargs[0].second, QStringLiteral("f(1, 2)"));
    EXPECT_EQ(calls[3].kwargs[1].second, QStringLiteral("\"s,t\""));
    EXPECT_EQ(calls[4].repo, QStringLiteral("page/repo")); // not a literal: the page's github-id
    EXPECT_EQ(calls[4].entrypoint, QStringLiteral("fallback_model"));
}

TEST(CatalogTree, FixturePagesParsedBadOnesReportedAndSkipped)
{
    QTemporaryDir tmp;
    writeCatalogTree(tmp.path());
    const ParsedCatalog c = parseCatalogTree(tmp.path());
    QStringList pages;
    for (const CatalogEntry &e : c.entries)
        pages << e.page;
    // Catalog order (`order`), README.md is not a page.
    EXPECT_EQ(pages, (QStringList{QStringLiteral("fixture_tiny_cnn"),
                                  QStringLiteral("pytorch_vision_resnet"),
                                  QStringLiteral("nvidia_deeplearningexamples_ssd")}));
    QStringList problemFiles;
    for (const CatalogProblem &p : c.problems)
        problemFiles << p.file;
    problemFiles.sort();
    EXPECT_EQ(problemFiles,
              (QStringList{QStringLiteral("broken_yaml.md"), QStringLiteral("huge_page.md"),
                           QStringLiteral("no_github_id.md"),
                           QStringLiteral("nvidia_deeplearningexamples_ssd.md")}));
    for (const CatalogProblem &p : c.problems) {
        if (p.file == u"broken_yaml.md") {
            EXPECT_TRUE(p.message.contains(QStringLiteral("line 4"))) << p.message;
        }
        if (p.file == u"no_github_id.md") {
            EXPECT_TRUE(p.message.contains(QStringLiteral("github-id"))) << p.message;
        }
        if (p.file == u"huge_page.md") {
            EXPECT_TRUE(p.message.contains(QStringLiteral("KiB"))) << p.message;
        }
        if (p.file == u"nvidia_deeplearningexamples_ssd.md") {
            EXPECT_TRUE(p.message.contains(QStringLiteral("not a PNG"))) << p.message;
        }
    }

    const CatalogEntry *resnet = byPage(c.entries, QStringLiteral("pytorch_vision_resnet"));
    ASSERT_TRUE(resnet);
    EXPECT_EQ(resnet->title, QStringLiteral("ResNet"));
    EXPECT_EQ(resnet->repo, QStringLiteral("pytorch/vision"));
    EXPECT_EQ(resnet->ref, QStringLiteral("v0.10.0"));
    EXPECT_EQ(resnet->tags, (QStringList{QStringLiteral("vision"), QStringLiteral("scriptable")}));
    EXPECT_EQ(resnet->entrypoints(),
              (QStringList{QStringLiteral("resnet18"), QStringLiteral("resnet34")}));
    EXPECT_EQ(resnet->image, QStringLiteral("images/resnet.png"));
    EXPECT_EQ(resnet->order, 10);
    EXPECT_TRUE(resnet->description.startsWith(QStringLiteral("```python")));
    EXPECT_FALSE(resnet->description.contains(QStringLiteral("github-id")));

    const CatalogEntry *ssd = byPage(c.entries, QStringLiteral("nvidia_deeplearningexamples_ssd"));
    ASSERT_TRUE(ssd);
    EXPECT_EQ(ssd->title, QStringLiteral("SSD: Single Shot MultiBox Detector"));
    EXPECT_EQ(
        ssd->summary,
        QStringLiteral("Single Shot MultiBox Detector model for object detection, it's fast"));
    EXPECT_EQ(ssd->tags,
              (QStringList{QStringLiteral("vision"), QStringLiteral("object detection")}));
    EXPECT_EQ(ssd->accelerator, QStringLiteral("cuda"));
    EXPECT_EQ(ssd->entrypoints(), (QStringList{QStringLiteral("nvidia_ssd"),
                                               QStringLiteral("nvidia_ssd_processing_utils")}));
    EXPECT_TRUE(ssd->image.isEmpty()); // the "PNG" is text: shown without a picture

    const CatalogEntry *tiny = byPage(c.entries, QStringLiteral("fixture_tiny_cnn"));
    ASSERT_TRUE(tiny);
    EXPECT_TRUE(tiny->image.isEmpty()); // "no-image"
    ASSERT_EQ(tiny->examples.size(), 1);
    EXPECT_EQ(tiny->examples[0].kwargs.size(), 2);
}

TEST(CatalogTree, ImageOutsideImagesFolderIsRefused)
{
    QTemporaryDir tmp;
    writeFile(tmp.filePath(QStringLiteral("secret.png")),
              readFile(sourceDir() +
                       QStringLiteral("/tests/support/fakegithub/catalog/images/resnet.png")));
    writeFile(tmp.filePath(QStringLiteral("p.md")),
              "---\ntitle: P\ngithub-id: a/b\nimage: ../secret.png\n---\ntext\n");
    const ParsedCatalog c = parseCatalogTree(tmp.path());
    ASSERT_EQ(c.entries.size(), 1);
    EXPECT_TRUE(c.entries[0].image.isEmpty());
    EXPECT_EQ(c.problems.size(), 1);
}

TEST(CatalogIndexTest, SavedAndLoadedFromTheSidecar)
{
    QTemporaryDir tmp;
    const QString hub = tmp.filePath(QStringLiteral("hub"));
    const QString tree = CatalogIndex::catalogDir(hub) + QStringLiteral("/pytorch_hub_master");
    writeCatalogTree(tree);
    CatalogIndex idx;
    idx.repo = QStringLiteral("pytorch/hub");
    idx.ref = QStringLiteral("master");
    idx.commit = QStringLiteral("0123456789abcdef0123456789abcdef01234567");
    idx.fetchedAt = QDateTime::fromString(QStringLiteral("2026-12-01T10:00:00Z"), Qt::ISODate);
    idx.treeDir = tree;
    ParsedCatalog parsed = parseCatalogTree(tree);
    idx.entries = parsed.entries;
    idx.problems = parsed.problems;
    ASSERT_TRUE(idx.save(hub));
    EXPECT_TRUE(QFileInfo(hub + QStringLiteral("/.hubcap/catalog/index.json")).isFile());
    const auto back = CatalogIndex::load(hub);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->commit, idx.commit);
    EXPECT_EQ(back->fetchedAt, idx.fetchedAt);
    EXPECT_EQ(back->treeDir, tree);
    ASSERT_EQ(back->entries.size(), idx.entries.size());
    EXPECT_EQ(back->entries[1].toJson(), idx.entries[1].toJson());
    EXPECT_EQ(back->problems.size(), idx.problems.size());
    EXPECT_EQ(back->asOfText().left(34),
              QStringLiteral("catalog as of 2026-12-01, commit 0")); // local date
    EXPECT_TRUE(back->asOfText().endsWith(QStringLiteral("commit 0123456")));
    EXPECT_EQ(back->imagePath(*back->find(QStringLiteral("pytorch/vision"))),
              tree + QStringLiteral("/images/resnet.png"));
    EXPECT_EQ(back->find(QStringLiteral("nvidia_deeplearningexamples_ssd.md"))->title,
              QStringLiteral("SSD: Single Shot MultiBox Detector"));
    EXPECT_EQ(back->find(QStringLiteral("nope")), nullptr);

    // Cached: a repository folder of pytorch/vision at any ref.
    QDir().mkpath(hub + QStringLiteral("/pytorch_vision_v0.10.0"));
    writeFile(hub + QStringLiteral("/pytorch_vision_v0.10.0/hubconf.py"), "x = 1\n");
    CatalogIndex marked = *back;
    marked.markCached(hub);
    EXPECT_TRUE(marked.find(QStringLiteral("pytorch/vision"))->cached);
    EXPECT_FALSE(marked.find(QStringLiteral("fixture/tiny"))->cached);

    // A corrupt index reads as "no catalog", never as a crash.
    writeFile(CatalogIndex::indexPath(hub), "{\"version\": 1, \"entries\": [1, 2");
    EXPECT_FALSE(CatalogIndex::load(hub));
}

TEST(CatalogRepo, EnvironmentOverride)
{
    QProcessEnvironment env;
    EXPECT_EQ(catalogRepoSpec(env)->toString(), QStringLiteral("pytorch/hub"));
    env.insert(QStringLiteral("HUBCAP_CATALOG_REPO"), QStringLiteral("team/models:stable"));
    EXPECT_EQ(catalogRepoSpec(env)->toString(), QStringLiteral("team/models:stable"));
    env.insert(QStringLiteral("HUBCAP_CATALOG_REPO"), QStringLiteral("not a repo"));
    const auto bad = catalogRepoSpec(env);
    ASSERT_FALSE(bad);
    EXPECT_TRUE(bad.error().message.contains(QStringLiteral("HUBCAP_CATALOG_REPO")));
}

TEST(Search, RankedOverPagesAndCachedEntrypoints)
{
    QTemporaryDir tmp;
    writeCatalogTree(tmp.path());
    const ParsedCatalog c = parseCatalogTree(tmp.path());
    const QList<CachedEntrypoint> eps{
        {QStringLiteral("fixture_tiny_main"), QStringLiteral("fixture/tiny:main"),
         QStringLiteral("resnet_small"), QStringLiteral("A small ResNet-like network.")},
        {QStringLiteral("fixture_tiny_main"), QStringLiteral("fixture/tiny:main"),
         QStringLiteral("tiny_cnn"), QStringLiteral("A tiny CNN for tests.")},
        {QStringLiteral("x_y_main"), QStringLiteral("x/y:main"), QStringLiteral("classifier"),
         QStringLiteral("Wraps a resnet backbone.")}};
    const CatalogSearch search(c.entries, eps);

    auto describe = [&](const SearchHit &h) {
        return h.kind == SearchHit::Kind::Page
                   ? QStringLiteral("page:") + c.entries[h.entryIndex].page
                   : QStringLiteral("ep:") + eps[h.entrypointIndex].name;
    };
    auto names = [&](const QString &q) {
        QStringList out;
        for (const SearchHit &h : search.search(q))
            out << describe(h);
        return out;
    };
    // Title match first, then the entrypoint name, then the docstring mention.
    EXPECT_EQ(names(QStringLiteral("resnet")),
              (QStringList{QStringLiteral("page:pytorch_vision_resnet"),
                           QStringLiteral("ep:resnet_small"), QStringLiteral("ep:classifier")}));
    // Case-insensitive; every term must match.
    EXPECT_EQ(names(QStringLiteral("RESNET small")),
              QStringList{QStringLiteral("ep:resnet_small")});
    // Tags, category, author, repo and entrypoint names of pages are searched too.
    EXPECT_TRUE(
        names(QStringLiteral("scriptable")).contains(QStringLiteral("page:pytorch_vision_resnet")));
    EXPECT_TRUE(names(QStringLiteral("nvidia"))
                    .contains(QStringLiteral("page:nvidia_deeplearningexamples_ssd")));
    EXPECT_TRUE(names(QStringLiteral("processing_utils"))
                    .contains(QStringLiteral("page:nvidia_deeplearningexamples_ssd")));
    EXPECT_TRUE(
        names(QStringLiteral("fixture team")).contains(QStringLiteral("page:fixture_tiny_cnn")));
    // "tiny": the page titled "Tiny CNN" outranks the entrypoint tiny_cnn's repo/doc matches.
    const QStringList tiny = names(QStringLiteral("tiny"));
    ASSERT_GE(tiny.size(), 2);
    EXPECT_EQ(tiny.first(), QStringLiteral("page:fixture_tiny_cnn"));
    EXPECT_TRUE(names(QStringLiteral("zzz-nothing")).isEmpty());
    EXPECT_TRUE(names(QStringLiteral("   ")).isEmpty());

    const auto hits = search.search(QStringLiteral("resnet"));
    const QJsonObject page = searchHitJson(hits[0], c.entries, eps);
    EXPECT_EQ(page.value(u"kind").toString(), QStringLiteral("page"));
    EXPECT_EQ(page.value(u"repo").toString(), QStringLiteral("pytorch/vision"));
    const QJsonObject ep = searchHitJson(hits[1], c.entries, eps);
    EXPECT_EQ(ep.value(u"kind").toString(), QStringLiteral("entrypoint"));
    EXPECT_EQ(ep.value(u"repo").toString(), QStringLiteral("fixture/tiny:main"));
    EXPECT_EQ(ep.value(u"entrypoint").toString(), QStringLiteral("resnet_small"));
}

TEST(Search, FastEnoughForTheCatalogPlus5000Entrypoints)
{
    QTemporaryDir tmp;
    writeCatalogTree(tmp.path());
    QList<CatalogEntry> entries = parseCatalogTree(tmp.path()).entries;
    while (entries.size() < 120) // about pytorch/hub's size
        entries += entries;
    QList<CachedEntrypoint> eps;
    for (int i = 0; i < 5000; ++i)
        eps.append({QStringLiteral("owner%1_repo_main").arg(i / 20),
                    QStringLiteral("owner%1/repo:main").arg(i / 20),
                    QStringLiteral("model_%1_%2")
                        .arg(i % 7 ? QStringLiteral("net") : QStringLiteral("resnet"))
                        .arg(i),
                    QStringLiteral("Builds network number %1 with pretrained weights.").arg(i)});
    const CatalogSearch search(entries, eps);
    QElapsedTimer t;
    t.start();
    int hits = 0;
    for (const char *q : {"resnet", "net weights", "vision", "x"})
        hits += int(search.search(QString::fromLatin1(q)).size());
    // 4 queries; the goal is 20 ms each (bench/ measures it precisely); generous for CI.
    EXPECT_LT(t.elapsed(), 4 * 60) << "ms";
    EXPECT_GT(hits, 0);
}

TEST(EntrypointIndexTest, StaleFoldersAndStaticListing)
{
    ensureApp();
    QTemporaryDir tmp;
    const QString hub = tmp.filePath(QStringLiteral("hub"));
    const auto files = tinyRepoFiles();
    writeFile(hub + QStringLiteral("/fixture_tiny_main/hubconf.py"),
              files.value(QStringLiteral("hubconf.py")));
    QDir().mkpath(hub + QStringLiteral("/checkpoints"));
    QDir().mkpath(hub + QStringLiteral("/not_a_repo"));

    PyHostPool pool;
    EntrypointIndexJob job(hub, &pool);
    job.start();
    ASSERT_TRUE(job.waitForFinished(60000));
    ASSERT_FALSE(job.error()) << job.error()->text().toStdString();
    EXPECT_EQ(job.listedCount(), 1);
    const QList<CachedEntrypoint> all = EntrypointIndex::load(hub).all();
    ASSERT_EQ(all.size(), 2);
    EXPECT_EQ(all[0].repo, QStringLiteral("fixture/tiny:main"));
    QStringList names{all[0].name, all[1].name};
    names.sort();
    EXPECT_EQ(names, (QStringList{QStringLiteral("resnet_small"), QStringLiteral("tiny_cnn")}));
    for (const CachedEntrypoint &e : all)
        if (e.name == u"tiny_cnn") {
            EXPECT_EQ(e.doc, QStringLiteral("A tiny CNN for tests.")); // first line only
        }

    // Nothing changed: nothing is listed again (no Python started).
    EntrypointIndexJob again(hub, &pool);
    again.start();
    ASSERT_TRUE(again.waitForFinished(60000));
    EXPECT_EQ(again.listedCount(), 0);
    EXPECT_EQ(again.index().all().size(), 2);

    // A folder that left the cache is forgotten; a changed hubconf.py is listed again.
    EntrypointIndex idx = EntrypointIndex::load(hub);
    auto stamps = EntrypointIndex::currentStamps(hub);
    EXPECT_TRUE(idx.stale(stamps).isEmpty());
    stamps.insert(QStringLiteral("other_repo_main"), QStringLiteral("1:2"));
    stamps[QStringLiteral("fixture_tiny_main")] = QStringLiteral("changed");
    EXPECT_EQ(idx.stale(stamps), (QStringList{QStringLiteral("fixture_tiny_main"),
                                              QStringLiteral("other_repo_main")}));
    stamps.clear();
    idx.stale(stamps);
    EXPECT_TRUE(idx.folders.isEmpty());
}

class Refresh : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(server.isRunning()) << server.serverErrors().toStdString();
    }

    std::unique_ptr<CatalogRefreshJob> refresh(const QString &spec = QStringLiteral("pytorch/hub"))
    {
        auto job =
            std::make_unique<CatalogRefreshJob>(hub, configFor(server), *RepoSpec::parse(spec));
        job->start();
        EXPECT_TRUE(job->waitForFinished(60000));
        return job;
    }

    // The application first: the server's QProcess and the jobs need its event dispatcher
    // (each case also runs alone under CTest).
    struct App
    {
        App() { ensureApp(); }
    } app;
    FakeServer server;
    QTemporaryDir tmp;
    QString hub = tmp.filePath(QStringLiteral("hub"));
};

TEST_F(Refresh, FetchesThenChecksTheCommitWithoutDownloadingAgain)
{
    const QString sha = makeCatalogRepo(server.root());
    auto first = refresh();
    ASSERT_FALSE(first->error()) << first->error()->text().toStdString();
    EXPECT_FALSE(first->unchanged());
    EXPECT_EQ(first->index().commit, sha);
    EXPECT_EQ(first->index().ref, QStringLiteral("master"));
    EXPECT_EQ(first->index().entries.size(), 3);
    EXPECT_EQ(first->index().problems.size(), 4);
    EXPECT_GE(zipRequests(server), 1);
    // Kept in the sidecar, outside the torch.hub cache and its trusted_list.
    EXPECT_TRUE(QFileInfo(hub + QStringLiteral("/.hubcap/catalog/index.json")).isFile());
    EXPECT_TRUE(
        QFileInfo(hub + QStringLiteral("/.hubcap/catalog/pytorch_hub_master/images/resnet.png"))
            .isFile());
    EXPECT_FALSE(QFileInfo::exists(hub + QStringLiteral("/pytorch_hub_master")));
    EXPECT_FALSE(QFileInfo::exists(hub + QStringLiteral("/trusted_list")));

    // The commit did not move: no zipball request at all.
    server.clearRequests();
    auto second = refresh();
    ASSERT_FALSE(second->error()) << second->error()->text().toStdString();
    EXPECT_TRUE(second->unchanged());
    EXPECT_EQ(second->index().commit, sha);
    EXPECT_EQ(zipRequests(server), 0);
    bool askedCommit = false;
    for (const QJsonObject &r : server.requests())
        askedCommit |= r.value(u"path").toString().contains(QStringLiteral("/commits/"));
    EXPECT_TRUE(askedCommit);

    // A new commit: downloaded and parsed again.
    const QString sha2 = commitFiles(
        server.root() + QStringLiteral("/repos/pytorch/hub"),
        {{QStringLiteral("new_page.md"), "---\ntitle: New model\ngithub-id: new/model\n---\n"
                                         "torch.hub.load('new/model', 'net')\n"}});
    server.clearRequests();
    auto third = refresh();
    ASSERT_FALSE(third->error()) << third->error()->text().toStdString();
    EXPECT_FALSE(third->unchanged());
    EXPECT_EQ(third->index().commit, sha2);
    EXPECT_EQ(third->index().entries.size(), 4);
    EXPECT_GE(zipRequests(server), 1);
}

TEST_F(Refresh, FailureKeepsTheEarlierCatalogAndFirstFailureIsClear)
{
    // Nothing to fetch: the error says so, and no index appears.
    auto none = refresh(QStringLiteral("nobody/catalog"));
    ASSERT_TRUE(none->error());
    EXPECT_FALSE(CatalogIndex::load(hub));

    makeCatalogRepo(server.root());
    auto ok = refresh();
    ASSERT_FALSE(ok->error()) << ok->error()->text().toStdString();
    const QByteArray before = readFile(CatalogIndex::indexPath(hub));
    server.setConfig(QJsonObject{{QStringLiteral("rate_limited"), true}});
    auto limited = refresh();
    ASSERT_TRUE(limited->error());
    EXPECT_EQ(limited->error()->code, Error::Code::RateLimited)
        << limited->error()->message.toStdString();
    EXPECT_EQ(readFile(CatalogIndex::indexPath(hub)), before); // left as it was
    const auto idx = CatalogIndex::load(hub);
    ASSERT_TRUE(idx);
    EXPECT_EQ(idx->entries.size(), 3);
}

TEST_F(Refresh, OverrideRepositoryOfTheSameFormat)
{
    const QString sha =
        makeCatalogRepo(server.root(), QStringLiteral("team"), QStringLiteral("models"));
    auto job = refresh(QStringLiteral("team/models"));
    ASSERT_FALSE(job->error()) << job->error()->text().toStdString();
    EXPECT_EQ(job->index().repo, QStringLiteral("team/models"));
    EXPECT_EQ(job->index().commit, sha);
    EXPECT_TRUE(QFileInfo(hub + QStringLiteral("/.hubcap/catalog/team_models_master")).isDir());
}
