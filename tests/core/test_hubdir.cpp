#include "core/cache/hubdir.h"

#include "tests/support/testsupport.h"

using hubcap::resolveHubDir;

namespace {
QProcessEnvironment env(std::initializer_list<std::pair<const char *, const char *>> vars)
{
    QProcessEnvironment e;
    for (auto [k, v] : vars)
        e.insert(QString::fromLatin1(k), QString::fromLatin1(v));
    return e;
}
} // namespace

TEST(HubDir, ExplicitSettingWinsAndExpandsTilde)
{
    auto r =
        resolveHubDir(QStringLiteral("~/hub"), env({{"HOME", "/home/u"}, {"TORCH_HOME", "/t"}}));
    EXPECT_EQ(r.path, u"/home/u/hub");
    EXPECT_EQ(r.origin, u"--hub-dir");
}

TEST(HubDir, TorchHomeBeatsXdg)
{
    auto r = resolveHubDir(
        std::nullopt, env({{"HOME", "/home/u"}, {"TORCH_HOME", "~/th"}, {"XDG_CACHE_HOME", "/x"}}));
    EXPECT_EQ(r.path, u"/home/u/th/hub");
    EXPECT_EQ(r.origin, u"TORCH_HOME");
}

TEST(HubDir, XdgCacheHome)
{
    auto r = resolveHubDir(std::nullopt, env({{"HOME", "/home/u"}, {"XDG_CACHE_HOME", "/x"}}));
    EXPECT_EQ(r.path, u"/x/torch/hub");
    EXPECT_EQ(r.origin, u"XDG_CACHE_HOME");
}

TEST(HubDir, DefaultIsHomeCache)
{
    auto r = resolveHubDir(std::nullopt, env({{"HOME", "/home/u"}}));
    EXPECT_EQ(r.path, u"/home/u/.cache/torch/hub");
    EXPECT_EQ(r.origin, u"default");
}

TEST(HubDir, EmptyVariableCountsAsSetLikeOsGetenv)
{
    // os.getenv('TORCH_HOME', ...) returns "" → join("", "hub") == "hub" (relative).
    auto r = resolveHubDir(std::nullopt, env({{"HOME", "/home/u"}, {"TORCH_HOME", ""}}));
    EXPECT_EQ(r.path, u"hub");
    auto x = resolveHubDir(std::nullopt, env({{"HOME", "/home/u"}, {"XDG_CACHE_HOME", ""}}));
    EXPECT_EQ(x.path, u"torch/hub");
}

TEST(HubDir, MatchesPythonTorchHubGetDir)
{
    // The oracle: Debian's torch.hub.get_dir() in the same environment.
    for (auto vars :
         {env({{"HOME", "/home/u"}}), env({{"HOME", "/home/u"}, {"XDG_CACHE_HOME", "/x/y"}}),
          env({{"HOME", "/home/u"}, {"TORCH_HOME", "~/t"}}),
          env({{"HOME", "/home/u"}, {"TORCH_HOME", ""}})}) {
        QProcessEnvironment child = vars;
        child.insert(QStringLiteral("PATH"), QStringLiteral("/usr/bin:/bin"));
        auto py = hubcap::test::runPython(
            QStringLiteral("import torch.hub; print(torch.hub.get_dir())"), child);
        ASSERT_EQ(py.exitCode, 0) << py.err.toStdString();
        EXPECT_EQ(resolveHubDir(std::nullopt, vars).path, QString::fromUtf8(py.out).trimmed());
    }
}
