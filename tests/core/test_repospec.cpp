#include "core/cache/repospec.h"

#include "tests/support/testsupport.h"

using hubcap::RepoSpec;

TEST(RepoSpec, ParsesOwnerRepoAndRef)
{
    auto s = RepoSpec::parse(QStringLiteral("a/b:c"));
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->owner, u"a");
    EXPECT_EQ(s->repo, u"b");
    EXPECT_EQ(s->ref, u"c");
    EXPECT_TRUE(s->hasRef);
    EXPECT_EQ(s->folderName(), u"a_b_c");
    EXPECT_EQ(s->trustName(), u"a_b");
    EXPECT_EQ(s->zipName(), u"c.zip");
}

TEST(RepoSpec, NoRefMeansDefaultBranchToBeResolved)
{
    auto s = RepoSpec::parse(QStringLiteral("pytorch/vision"));
    ASSERT_TRUE(s.has_value());
    EXPECT_FALSE(s->hasRef);
    EXPECT_TRUE(s->ref.isEmpty());
    EXPECT_EQ(s->withRef(QStringLiteral("main")).folderName(), u"pytorch_vision_main");
    EXPECT_EQ(s->toString(), u"pytorch/vision");
}

TEST(RepoSpec, SlashInRefBecomesUnderscoreInFolderAndZipName)
{
    // torch.hub checked: ailzhang/torchhub_example:ci/test_slash
    auto s = RepoSpec::parse(QStringLiteral("ailzhang/torchhub_example:ci/test_slash"));
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->ref, u"ci/test_slash");
    EXPECT_EQ(s->folderName(), u"ailzhang_torchhub_example_ci_test_slash");
    EXPECT_EQ(s->zipName(), u"ci_test_slash.zip");
}

TEST(RepoSpec, EmptyRefIsKeptAsTorchHubDoes)
{
    // _parse_repo_info("a/b:") == ('a', 'b', ''): folder "a_b_".
    auto s = RepoSpec::parse(QStringLiteral("a/b:"));
    ASSERT_TRUE(s.has_value());
    EXPECT_TRUE(s->hasRef);
    EXPECT_TRUE(s->ref.isEmpty());
    EXPECT_EQ(s->folderName(), u"a_b_");
}

TEST(RepoSpec, CaseIsKept)
{
    auto s = RepoSpec::parse(QStringLiteral("PyTorch/Vision:Main"));
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->folderName(), u"PyTorch_Vision_Main");
    EXPECT_EQ(s->trustName(), u"PyTorch_Vision");
}

TEST(RepoSpec, UnderscoreNamesCollideLikeTorchHub)
{
    // a_b/c and a/b_c map to the same folder: the folder name alone is ambiguous.
    auto x = RepoSpec::parse(QStringLiteral("a_b/c:main"));
    auto y = RepoSpec::parse(QStringLiteral("a/b_c:main"));
    ASSERT_TRUE(x && y);
    EXPECT_EQ(x->folderName(), y->folderName());
    EXPECT_NE(*x, *y);
}

TEST(RepoSpec, MalformedSpecsGiveActionableErrors)
{
    for (const char *bad : {"abc", "abc:x", "a/b/c:x", "a/b:c:d", "/b", "a/", "a b/c",
                            "a/b:has space", "a/b:x..y", "", "a/b:/x"}) {
        auto s = RepoSpec::parse(QString::fromLatin1(bad));
        ASSERT_FALSE(s.has_value()) << bad;
        EXPECT_EQ(s.error().code, hubcap::Error::Code::InvalidArgument) << bad;
        EXPECT_TRUE(s.error().message.contains(u"OWNER/REPO")) << s.error().message.toStdString();
    }
}

TEST(RepoSpec, TrustedOwnersAreCaseSensitive)
{
    EXPECT_TRUE(hubcap::isTrustedOwner(QStringLiteral("pytorch")));
    EXPECT_TRUE(hubcap::isTrustedOwner(QStringLiteral("facebookresearch")));
    EXPECT_TRUE(hubcap::isTrustedOwner(QStringLiteral("facebookincubator")));
    EXPECT_TRUE(hubcap::isTrustedOwner(QStringLiteral("fairinternal")));
    EXPECT_FALSE(hubcap::isTrustedOwner(QStringLiteral("PyTorch")));
    EXPECT_FALSE(hubcap::isTrustedOwner(QStringLiteral("someone")));
}

TEST(RepoSpec, PastedUrlsAreRefusedWithTheSpecToType)
{
    const auto message = [](const char *spec) {
        auto s = RepoSpec::parse(QString::fromUtf8(spec));
        EXPECT_FALSE(s.has_value()) << spec;
        EXPECT_EQ(s ? hubcap::Error::Code::Generic : s.error().code,
                  hubcap::Error::Code::InvalidArgument);
        return s ? QString() : s.error().message;
    };
    EXPECT_EQ(message("https://github.com/alice/tiny"),
              u"Invalid repository \"https://github.com/alice/tiny\": it is a URL; torch.hub "
              u"takes owner/repo[:ref]: use alice/tiny");
    EXPECT_TRUE(message("https://github.com/alice/tiny.git").endsWith(u": use alice/tiny"));
    EXPECT_TRUE(message("http://github.com/alice/tiny/").endsWith(u": use alice/tiny"));
    EXPECT_TRUE(
        message("https://github.com/alice/tiny/tree/v1.0").endsWith(u": use alice/tiny:v1.0"));
    EXPECT_TRUE(message("https://github.example.com/alice/tiny/tree/release/2")
                    .endsWith(u": use alice/tiny:release/2"));
    EXPECT_TRUE(message("https://github.com/alice").contains(u"it is a URL"));
}
