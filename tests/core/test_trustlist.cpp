#include "core/cache/trustlist.h"

#include "tests/support/testsupport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

using hubcap::RepoSpec;
using hubcap::TrustList;
using hubcap::TrustReason;
using hubcap::test::readFile;
using hubcap::test::writeFile;

namespace {

RepoSpec spec(const char *s)
{
    auto r = RepoSpec::parse(QString::fromUtf8(s));
    EXPECT_TRUE(r.has_value()) << s;
    return r.value_or(RepoSpec{});
}

struct TrustFixture : ::testing::Test
{
    QTemporaryDir tmp;
    QString hub() const { return tmp.path() + QStringLiteral("/hub"); }
    QString listPath() const { return hub() + QStringLiteral("/trusted_list"); }
};

} // namespace

TEST(TrustListParse, StripsLikePythonAndUsesUniversalNewlines)
{
    // Python: tuple(line.strip() for line in open(path)); \x1c-\x1f count as whitespace there.
    const QByteArray content = "a_b\n  c_d \r\n\n\x1c"
                               "e_f\x1f\rg_h\t\xc2\xa0";
    EXPECT_EQ(TrustList::parse(content),
              (QStringList{QStringLiteral("a_b"), QStringLiteral("c_d"), QStringLiteral("e_f"),
                           QStringLiteral("g_h")}));
    EXPECT_EQ(TrustList::pyStrip(QStringLiteral("\u3000x y\u2028")), u"x y");
    EXPECT_TRUE(TrustList::parse("").isEmpty());
    EXPECT_TRUE(TrustList::parse("\n\n  \n").isEmpty());
}

TEST_F(TrustFixture, MissingFileReadsAsEmpty)
{
    TrustList list(hub());
    EXPECT_FALSE(list.exists());
    auto e = list.entries();
    ASSERT_TRUE(e.has_value());
    EXPECT_TRUE(e->isEmpty());
    // Removing from a missing list neither fails nor creates anything.
    auto r = list.remove(QStringLiteral("x_y"));
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(*r, 0);
    EXPECT_FALSE(QFileInfo::exists(hub()));
}

TEST_F(TrustFixture, AddCreatesHubDirAndAppendsLikeTorch)
{
    TrustList list(hub());
    ASSERT_EQ(list.add(QStringLiteral("someone_repo")), true);
    ASSERT_EQ(list.add(QStringLiteral("other_r")), true);
    ASSERT_EQ(list.add(QStringLiteral("PyTorch_vision")), true);
    // The exact bytes torch.hub writes for the same three trusts (behaviour doc, appendix A).
    EXPECT_EQ(readFile(listPath()), QByteArray("someone_repo\nother_r\nPyTorch_vision\n"));
    // Already there: nothing written.
    EXPECT_EQ(list.add(QStringLiteral("other_r")), false);
    EXPECT_EQ(readFile(listPath()), QByteArray("someone_repo\nother_r\nPyTorch_vision\n"));
}

TEST_F(TrustFixture, AddNeverRewritesExistingBytes)
{
    writeFile(listPath(), "  odd_entry \r\n\nx_y");
    TrustList list(hub());
    ASSERT_EQ(list.add(QStringLiteral("new_one")), true);
    // Existing bytes untouched; an unterminated last line gets its "\n" so entries stay apart.
    EXPECT_EQ(readFile(listPath()), QByteArray("  odd_entry \r\n\nx_y\nnew_one\n"));
    // A stripped match counts as present, as torch's `in` on stripped lines does.
    EXPECT_EQ(list.add(QStringLiteral("odd_entry")), false);
}

TEST_F(TrustFixture, AddRejectsEntriesThatWouldBreakTheFile)
{
    TrustList list(hub());
    EXPECT_FALSE(list.add(QStringLiteral("a\nb")).has_value());
    EXPECT_FALSE(list.add(QStringLiteral(" a_b")).has_value());
    EXPECT_FALSE(list.add(QString()).has_value());
}

TEST_F(TrustFixture, RemoveKeepsEveryOtherLineByteIdentical)
{
    const QByteArray before = "  a_b \r\nc_d\n\n\tc_d  \ne_f\r\ng_h";
    writeFile(listPath(), before);
    QFile::setPermissions(listPath(), QFile::ReadOwner | QFile::WriteOwner);
    TrustList list(hub());
    auto removed = list.remove(QStringLiteral("c_d"));
    ASSERT_TRUE(removed.has_value());
    EXPECT_EQ(*removed, 2);
    EXPECT_EQ(readFile(listPath()), QByteArray("  a_b \r\n\ne_f\r\ng_h"));
    // The atomic rewrite keeps the file's permissions.
    EXPECT_FALSE(QFile::permissions(listPath()) & (QFile::ReadGroup | QFile::ReadOther));
    EXPECT_TRUE(QFile::permissions(listPath()) & QFile::WriteOwner);
    // The last line, unterminated, goes cleanly.
    ASSERT_EQ(list.remove(QStringLiteral("g_h")), 1);
    EXPECT_EQ(readFile(listPath()), QByteArray("  a_b \r\n\ne_f\r\n"));
    // Absent: 0, file untouched. Case matters.
    ASSERT_EQ(list.remove(QStringLiteral("A_B")), 0);
    EXPECT_EQ(readFile(listPath()), QByteArray("  a_b \r\n\ne_f\r\n"));
}

TEST_F(TrustFixture, OwnerRuleIsCaseSensitive)
{
    TrustList list(hub());
    for (const char *s :
         {"pytorch/vision", "facebookresearch/detr", "facebookincubator/x", "fairinternal/y"}) {
        auto d = list.check(spec(s));
        ASSERT_TRUE(d.has_value());
        EXPECT_TRUE(d->trusted()) << s;
        EXPECT_EQ(d->reason, TrustReason::TrustedOwner) << s;
    }
    auto d = list.check(spec("PyTorch/vision"));
    ASSERT_TRUE(d.has_value());
    EXPECT_FALSE(d->trusted());
    EXPECT_EQ(d->trustName, u"PyTorch_vision");
}

TEST_F(TrustFixture, ListRuleUsesOwnerRepoWithoutRef)
{
    TrustList list(hub());
    ASSERT_TRUE(list.add(QStringLiteral("someone_repo")).has_value());
    for (const char *s :
         {"someone/repo", "someone/repo:v1", "someone/repo:ci/test_slash", "someone/repo:"}) {
        auto d = list.check(spec(s));
        ASSERT_TRUE(d.has_value());
        EXPECT_EQ(d->reason, TrustReason::TrustedList) << s;
        EXPECT_TRUE(d->inList);
    }
    EXPECT_FALSE(list.check(spec("Someone/repo"))->trusted());
    // a_b/c and a/b_c share the entry "a_b_c", as in torch.hub.
    ASSERT_TRUE(list.add(QStringLiteral("a_b_c")).has_value());
    EXPECT_TRUE(list.check(spec("a/b_c:main"))->inList);
    EXPECT_TRUE(list.check(spec("a_b/c:main"))->inList);
}

TEST_F(TrustFixture, LegacyRuleNeedsAnExistingImmediateFolder)
{
    TrustList list(hub());
    QDir().mkpath(hub() + QStringLiteral("/o_r_ci_test_slash"));
    QDir().mkpath(hub() + QStringLiteral("/o_r_"));
    writeFile(hub() + QStringLiteral("/f_g_main"), "a file is not a folder");
    QDir().mkpath(hub() + QStringLiteral("/deep/x_y_main"));

    auto slash = list.check(spec("o/r:ci/test_slash"));
    EXPECT_EQ(slash->reason, TrustReason::LegacyFolder);
    EXPECT_EQ(slash->legacyFolder, u"o_r_ci_test_slash");
    EXPECT_EQ(list.check(spec("o/r:"))->legacyFolder, u"o_r_"); // empty ref → "o_r_"
    EXPECT_FALSE(list.check(spec("o/r:other"))->trusted());
    EXPECT_FALSE(list.check(spec("f/g:main"))->trusted());
    EXPECT_FALSE(list.check(spec("x/y:main"))->trusted());
    EXPECT_FALSE(list.check(spec("O/r:ci/test_slash"))->trusted()); // case kept
}

TEST_F(TrustFixture, WithoutRefTheDefaultBranchFoldersCount)
{
    TrustList list(hub());
    EXPECT_FALSE(list.check(spec("u/v"))->trusted());
    QDir().mkpath(hub() + QStringLiteral("/u_v_master"));
    auto d = list.check(spec("u/v"));
    EXPECT_EQ(d->reason, TrustReason::LegacyFolder);
    EXPECT_EQ(d->legacyFolder, u"u_v_master");
    QDir().mkpath(hub() + QStringLiteral("/u_v_main"));
    EXPECT_EQ(list.check(spec("u/v"))->legacyFolder, u"u_v_main");
}

TEST_F(TrustFixture, ReasonOrderIsListThenOwnerThenFolder)
{
    TrustList list(hub());
    QDir().mkpath(hub() + QStringLiteral("/pytorch_vision_main"));
    auto d = list.check(spec("pytorch/vision:main"));
    EXPECT_EQ(d->reason, TrustReason::TrustedOwner);
    EXPECT_TRUE(d->ownerTrusted);
    EXPECT_EQ(d->legacyFolder, u"pytorch_vision_main");
    ASSERT_TRUE(list.add(QStringLiteral("pytorch_vision")).has_value());
    EXPECT_EQ(list.check(spec("pytorch/vision:main"))->reason, TrustReason::TrustedList);
    EXPECT_EQ(hubcap::trustReasonName(TrustReason::LegacyFolder), u"legacy_folder");
}
