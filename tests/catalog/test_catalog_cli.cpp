// `hubcap-cli catalog`, `catalog search`, `catalog show` against the fake GitHub serving the
// fixture catalog: JSON shapes, filters, ranking with cached entrypoints, offline reuse, the
// first-use failure, refresh without a zipball request, HUBCAP_CATALOG_REPO.
#include "tests/catalog/catalogfixture.h"

#include "tests/fetch/fetchfixtures.h"
#include "tests/support/fakeserver.h"
#include "tests/support/testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

using namespace hubcap::test;

namespace {

class CatalogCli : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(server.isRunning()) << server.serverErrors().toStdString();
        env = isolatedEnv(home.path());
        env.insert(QStringLiteral("HUBCAP_GITHUB_URL"), server.url());
        env.insert(QStringLiteral("HUBCAP_GITHUB_API_URL"), server.url());
        hubDir = home.path() + QStringLiteral("/torch/hub");
    }

    ProcessResult cli(const QStringList &args) const { return runCli(args, env); }
    QJsonObject json(const QStringList &args, int expectedExit = 0) const
    {
        const ProcessResult r = cli(QStringList{QStringLiteral("--json")} + args);
        EXPECT_EQ(r.exitCode, expectedExit) << r.err.toStdString() << r.out.toStdString();
        return QJsonDocument::fromJson(r.out).object();
    }
    int zipRequests() const
    {
        int n = 0;
        for (const QJsonObject &r : server.requests())
            n += r.value(u"path").toString().contains(QStringLiteral("/zipball/"));
        return n;
    }

    FakeServer server;
    QTemporaryDir home;
    QProcessEnvironment env;
    QString hubDir;
};

QJsonObject entryNamed(const QJsonArray &entries, const QString &page)
{
    for (const QJsonValue &v : entries)
        if (v.toObject().value(u"page").toString() == page)
            return v.toObject();
    return {};
}

} // namespace

TEST_F(CatalogCli, ListJsonShapeFiltersAndProblems)
{
    const QString sha = makeCatalogRepo(server.root());
    // fixture/tiny is in the hub cache: its page says so.
    makeRepo(server.root(), QStringLiteral("fixture"), QStringLiteral("tiny"), tinyRepoFiles());
    ASSERT_EQ(cli({QStringLiteral("fetch"), QStringLiteral("fixture/tiny:main"),
                   QStringLiteral("--trust-repo"), QStringLiteral("yes")})
                  .exitCode,
              0);

    const ProcessResult r = cli({QStringLiteral("--json"), QStringLiteral("catalog")});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    // Bad pages are reported on stderr and skipped; the rest shows.
    EXPECT_TRUE(r.err.contains("broken_yaml.md")) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains("no_github_id.md"));
    EXPECT_TRUE(r.err.contains("huge_page.md"));
    EXPECT_TRUE(r.err.contains("images/nvidia_logo.png is not a PNG"));
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    const QJsonObject cat = o.value(u"catalog").toObject();
    EXPECT_EQ(cat.value(u"repo").toString(), QStringLiteral("pytorch/hub"));
    EXPECT_EQ(cat.value(u"commit").toString(), sha);
    EXPECT_FALSE(cat.value(u"fetched_at").toString().isEmpty());
    const QJsonArray entries = o.value(u"entries").toArray();
    ASSERT_EQ(entries.size(), 3);
    const QJsonObject resnet = entryNamed(entries, QStringLiteral("pytorch_vision_resnet"));
    for (const char *key : {"page", "title", "summary", "category", "tags", "author", "repo", "ref",
                            "entrypoints", "cached", "image"})
        EXPECT_TRUE(resnet.contains(QLatin1String(key))) << key;
    EXPECT_EQ(resnet.value(u"repo").toString(), QStringLiteral("pytorch/vision"));
    EXPECT_EQ(resnet.value(u"ref").toString(), QStringLiteral("v0.10.0"));
    EXPECT_EQ(resnet.value(u"entrypoints").toArray(),
              (QJsonArray{QStringLiteral("resnet18"), QStringLiteral("resnet34")}));
    EXPECT_FALSE(resnet.value(u"cached").toBool());
    EXPECT_TRUE(resnet.value(u"image").toString().endsWith(
        QStringLiteral("/.hubcap/catalog/pytorch_hub_master/images/resnet.png")))
        << resnet.value(u"image").toString().toStdString();
    EXPECT_TRUE(entryNamed(entries, QStringLiteral("fixture_tiny_cnn")).value(u"cached").toBool());
    EXPECT_EQ(entryNamed(entries, QStringLiteral("nvidia_deeplearningexamples_ssd"))
                  .value(u"image")
                  .toString(),
              QString());

    // Filters.
    EXPECT_EQ(
        json({QStringLiteral("catalog"), QStringLiteral("--tag"), QStringLiteral("scriptable")})
            .value(u"entries")
            .toArray()
            .size(),
        1);
    EXPECT_EQ(
        json({QStringLiteral("catalog"), QStringLiteral("--category"),
              QStringLiteral("Researchers"), QStringLiteral("--tag"), QStringLiteral("vision")})
            .value(u"entries")
            .toArray()
            .size(),
        3);
    EXPECT_EQ(json({QStringLiteral("catalog"), QStringLiteral("--category"),
                    QStringLiteral("developers")})
                  .value(u"entries")
                  .toArray()
                  .size(),
              0);

    // The table: title, repo, entrypoints, tags.
    const ProcessResult table = cli({QStringLiteral("catalog")});
    ASSERT_EQ(table.exitCode, 0);
    EXPECT_TRUE(table.out.contains("TITLE")) << table.out.toStdString();
    EXPECT_TRUE(table.out.contains("pytorch/vision:v0.10.0"));
    EXPECT_TRUE(table.out.contains("resnet18, resnet34"));
    EXPECT_TRUE(table.out.contains("fixture/tiny (cached)"));
}

TEST_F(CatalogCli, SearchRanksPagesAndCachedEntrypoints)
{
    makeCatalogRepo(server.root());
    makeRepo(server.root(), QStringLiteral("fixture"), QStringLiteral("tiny"), tinyRepoFiles());
    ASSERT_EQ(cli({QStringLiteral("fetch"), QStringLiteral("fixture/tiny:main"),
                   QStringLiteral("--trust-repo"), QStringLiteral("yes")})
                  .exitCode,
              0);
    const QJsonObject o =
        json({QStringLiteral("catalog"), QStringLiteral("search"), QStringLiteral("resnet")});
    EXPECT_EQ(o.value(u"query").toString(), QStringLiteral("resnet"));
    const QJsonArray results = o.value(u"results").toArray();
    ASSERT_EQ(results.size(), 2) << QJsonDocument(o).toJson().toStdString();
    EXPECT_EQ(results[0].toObject().value(u"kind").toString(), QStringLiteral("page"));
    EXPECT_EQ(results[0].toObject().value(u"page").toString(),
              QStringLiteral("pytorch_vision_resnet"));
    const QJsonObject ep = results[1].toObject();
    EXPECT_EQ(ep.value(u"kind").toString(), QStringLiteral("entrypoint"));
    EXPECT_EQ(ep.value(u"repo").toString(), QStringLiteral("fixture/tiny:main"));
    EXPECT_EQ(ep.value(u"entrypoint").toString(), QStringLiteral("resnet_small"));
    // The entrypoint index is kept in the sidecar.
    EXPECT_TRUE(QFileInfo(hubDir + QStringLiteral("/.hubcap/catalog/entrypoints.json")).isFile());

    // Several terms: all must match.
    const QJsonArray two = json({QStringLiteral("catalog"), QStringLiteral("search"),
                                 QStringLiteral("tiny"), QStringLiteral("cnn")})
                               .value(u"results")
                               .toArray();
    ASSERT_GE(two.size(), 2);
    EXPECT_EQ(two[0].toObject().value(u"page").toString(), QStringLiteral("fixture_tiny_cnn"));
    const ProcessResult text =
        cli({QStringLiteral("catalog"), QStringLiteral("search"), QStringLiteral("resnet")});
    EXPECT_TRUE(text.out.contains("resnet_small")) << text.out.toStdString();
    EXPECT_EQ(cli({QStringLiteral("catalog"), QStringLiteral("search")}).exitCode, 2);
}

TEST_F(CatalogCli, ShowByRepoOrPage)
{
    makeCatalogRepo(server.root());
    const QJsonObject ssd = json({QStringLiteral("catalog"), QStringLiteral("show"),
                                  QStringLiteral("NVIDIA/DeepLearningExamples")});
    EXPECT_EQ(ssd.value(u"page").toString(), QStringLiteral("nvidia_deeplearningexamples_ssd"));
    EXPECT_EQ(ssd.value(u"ref").toString(), QStringLiteral("torchhub"));
    EXPECT_EQ(
        ssd.value(u"entrypoints").toArray(),
        (QJsonArray{QStringLiteral("nvidia_ssd"), QStringLiteral("nvidia_ssd_processing_utils")}));
    EXPECT_EQ(ssd.value(u"tags").toArray(),
              (QJsonArray{QStringLiteral("vision"), QStringLiteral("object detection")}));
    EXPECT_TRUE(ssd.value(u"description").toString().contains(QStringLiteral("SSD300")));
    EXPECT_EQ(ssd.value(u"examples").toArray().size(), 2);

    const ProcessResult text = cli({QStringLiteral("catalog"), QStringLiteral("show"),
                                    QStringLiteral("pytorch_vision_resnet")});
    ASSERT_EQ(text.exitCode, 0) << text.err.toStdString();
    EXPECT_TRUE(
        text.out.contains("torch.hub.load('pytorch/vision:v0.10.0', 'resnet18', pretrained=True)"));
    EXPECT_TRUE(text.out.contains("Deep residual networks"));

    const ProcessResult missing =
        cli({QStringLiteral("catalog"), QStringLiteral("show"), QStringLiteral("broken_yaml")});
    EXPECT_EQ(missing.exitCode, 1);
    EXPECT_TRUE(missing.err.contains("catalog search")) << missing.err.toStdString();
}

TEST_F(CatalogCli, OfflineFirstUseFailsClearlyThenEarlierCatalogWorksOffline)
{
    makeCatalogRepo(server.root());
    QProcessEnvironment offline = env;
    offline.insert(QStringLiteral("HUBCAP_GITHUB_URL"), QStringLiteral("http://127.0.0.1:9"));
    offline.insert(QStringLiteral("HUBCAP_GITHUB_API_URL"), QStringLiteral("http://127.0.0.1:9"));
    for (const QStringList &args :
         {QStringList{QStringLiteral("catalog")},
          QStringList{QStringLiteral("catalog"), QStringLiteral("search"), QStringLiteral("x")},
          QStringList{QStringLiteral("catalog"), QStringLiteral("show"), QStringLiteral("a/b")}}) {
        const ProcessResult r = runCli(args, offline);
        EXPECT_EQ(r.exitCode, 1) << r.out.toStdString();
        EXPECT_TRUE(r.err.contains("No catalog has been fetched yet")) << r.err.toStdString();
        EXPECT_TRUE(r.err.contains("hubcap-cli catalog --refresh")) << r.err.toStdString();
    }
    const ProcessResult j = runCli({QStringLiteral("--json"), QStringLiteral("catalog")}, offline);
    EXPECT_EQ(j.exitCode, 1);
    EXPECT_EQ(QJsonDocument::fromJson(j.out)
                  .object()
                  .value(u"error")
                  .toObject()
                  .value(u"type")
                  .toString(),
              QStringLiteral("offline"));

    ASSERT_EQ(cli({QStringLiteral("catalog")}).exitCode, 0);
    const ProcessResult again = runCli({QStringLiteral("catalog")}, offline);
    ASSERT_EQ(again.exitCode, 0) << again.err.toStdString();
    EXPECT_TRUE(again.out.contains("ResNet"));
    EXPECT_TRUE(again.err.contains("catalog as of")) << again.err.toStdString();
    EXPECT_TRUE(again.err.contains("fetched")) << again.err.toStdString();
    // --refresh offline: warns, and still shows the earlier catalog.
    const ProcessResult refresh =
        runCli({QStringLiteral("catalog"), QStringLiteral("--refresh")}, offline);
    EXPECT_EQ(refresh.exitCode, 0);
    EXPECT_TRUE(refresh.err.contains("could not refresh the catalog")) << refresh.err.toStdString();
    EXPECT_TRUE(refresh.out.contains("ResNet"));
}

TEST_F(CatalogCli, RefreshWithUnchangedCommitMakesNoZipballRequest)
{
    makeCatalogRepo(server.root());
    ASSERT_EQ(cli({QStringLiteral("catalog")}).exitCode, 0);
    ASSERT_GE(zipRequests(), 1);
    server.clearRequests();
    const ProcessResult r = cli({QStringLiteral("catalog"), QStringLiteral("--refresh")});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains("up to date")) << r.err.toStdString();
    EXPECT_EQ(zipRequests(), 0);
    EXPECT_FALSE(server.requests().isEmpty()); // it did ask for the commit
}

TEST_F(CatalogCli, CatalogRepoOverride)
{
    makeCatalogRepo(server.root(), QStringLiteral("team"), QStringLiteral("models"));
    env.insert(QStringLiteral("HUBCAP_CATALOG_REPO"), QStringLiteral("team/models"));
    const QJsonObject o = json({QStringLiteral("catalog")});
    EXPECT_EQ(o.value(u"catalog").toObject().value(u"repo").toString(),
              QStringLiteral("team/models"));
    EXPECT_EQ(o.value(u"entries").toArray().size(), 3);
    env.insert(QStringLiteral("HUBCAP_CATALOG_REPO"), QStringLiteral("bad value"));
    const ProcessResult bad = cli({QStringLiteral("catalog")});
    EXPECT_EQ(bad.exitCode, 1);
    EXPECT_TRUE(bad.err.contains("HUBCAP_CATALOG_REPO")) << bad.err.toStdString();
}
