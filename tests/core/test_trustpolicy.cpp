// The one trust policy (cache/trustpolicy.h) that the CLI, the GUI and RepoFetchJob share:
// mode and answer parsing as torch.hub reads them, decisions with reasons, recording.
#include "core/cache/trustpolicy.h"

#include "tests/support/testsupport.h"

#include <QDir>
#include <QTemporaryDir>

using namespace hubcap;
using hubcap::test::readFile;

namespace {

RepoSpec spec(const char *s)
{
    auto r = RepoSpec::parse(QString::fromUtf8(s));
    EXPECT_TRUE(r.has_value()) << s;
    return r.value_or(RepoSpec{});
}

struct PolicyFixture : ::testing::Test
{
    QTemporaryDir tmp;
    QString hub() const { return tmp.path() + QStringLiteral("/hub"); }
    QByteArray list() const { return readFile(hub() + QStringLiteral("/trusted_list")); }
    TrustQuestion question(const char *repo) const
    {
        const RepoSpec s = spec(repo);
        return TrustQuestion{s.toString(), s.trustName(), QStringLiteral("load x"), true};
    }
};

} // namespace

TEST(TrustPolicyParse, ModesAsTheOptionAndTorchHubSpellThem)
{
    for (const char *yes : {"yes", "YES", " true ", "y"})
        EXPECT_EQ(parseTrustMode(QString::fromLatin1(yes)), TrustMode::Yes) << yes;
    for (const char *no : {"no", "False", "n"})
        EXPECT_EQ(parseTrustMode(QString::fromLatin1(no)), TrustMode::No) << no;
    EXPECT_EQ(parseTrustMode(QStringLiteral("check")), TrustMode::Check);
    EXPECT_FALSE(parseTrustMode(QStringLiteral("maybe")));
    const auto bad = parseTrustOption(QStringLiteral("maybe"));
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, Error::Code::InvalidArgument);
    EXPECT_EQ(bad.error().message,
              QStringLiteral("--trust-repo must be check, yes or no (got 'maybe')"));
}

TEST(TrustPolicyParse, AnswersAsTorchHubReadsInput)
{
    EXPECT_EQ(parseTrustAnswer(QStringLiteral("Y")), TrustAnswer::TrustAndRecord);
    EXPECT_EQ(parseTrustAnswer(QStringLiteral("yes")), TrustAnswer::TrustAndRecord);
    EXPECT_EQ(parseTrustAnswer(QString()), TrustAnswer::Refuse) << "Enter means N";
    EXPECT_EQ(parseTrustAnswer(QStringLiteral("No")), TrustAnswer::Refuse);
    const auto odd = parseTrustAnswer(QStringLiteral(" y")); // not stripped, as input()
    ASSERT_FALSE(odd);
    EXPECT_EQ(odd.error().code, Error::Code::Untrusted);
    EXPECT_EQ(odd.error().message, QStringLiteral("Unrecognized response  y."));
    const TrustQuestion q{{}, QStringLiteral("a_b"), {}, false};
    EXPECT_TRUE(q.prompt().startsWith(
        QStringLiteral("The repository a_b does not belong to the list of trusted repositories")));
}

TEST_F(PolicyFixture, DecidesWithAReason)
{
    const TrustPolicy check(hub());
    auto v = check.decide(spec("someone/r:main"));
    ASSERT_TRUE(v);
    EXPECT_EQ(v->action, TrustVerdict::Action::Ask);
    EXPECT_EQ(v->reason(), QStringLiteral("not trusted"));
    v = check.decide(spec("pytorch/vision:main"));
    ASSERT_TRUE(v);
    EXPECT_EQ(v->action, TrustVerdict::Action::Proceed);
    EXPECT_EQ(v->reason(), trustReasonText(TrustReason::TrustedOwner));

    v = TrustPolicy(hub(), TrustMode::Yes).decide(spec("someone/r:main"));
    ASSERT_TRUE(v);
    EXPECT_EQ(v->action, TrustVerdict::Action::Record);
    EXPECT_EQ(v->reason(), QStringLiteral("--trust-repo yes"));
    EXPECT_TRUE(list().isEmpty()) << "deciding records nothing";

    v = TrustPolicy(hub(), TrustMode::No).decide(spec("pytorch/vision:main"));
    ASSERT_TRUE(v);
    EXPECT_EQ(v->action, TrustVerdict::Action::Ask) << "no asks even trusted repositories";
}

TEST_F(PolicyFixture, AnswersRecordOnlyWhenAskedTo)
{
    const TrustPolicy policy(hub());
    const auto v = policy.decide(spec("someone/r:main"));
    ASSERT_TRUE(v);
    const auto refused = policy.apply(*v, question("someone/r:main"), TrustAnswer::Refuse);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().message, QStringLiteral("Untrusted repository."));
    const auto once = policy.apply(*v, question("someone/r:main"), TrustAnswer::RunOnce);
    ASSERT_TRUE(once);
    EXPECT_TRUE(once->runOnce);
    EXPECT_TRUE(list().isEmpty());
    const auto yes = policy.apply(*v, question("someone/r:main"), TrustAnswer::TrustAndRecord);
    ASSERT_TRUE(yes);
    EXPECT_TRUE(yes->recorded);
    EXPECT_EQ(list(), QByteArray("someone_r\n"));
    // A fetch question has no "once": torch.hub records the yes.
    TrustQuestion fetch = question("other/r:main");
    fetch.allowRunOnce = false;
    const auto v2 = policy.decide(spec("other/r:main"));
    ASSERT_TRUE(policy.apply(*v2, fetch, TrustAnswer::RunOnce));
    EXPECT_EQ(list(), QByteArray("someone_r\nother_r\n"));
}

TEST_F(PolicyFixture, ResolveAsksOnlyWhenNeeded)
{
    int asked = 0;
    auto answer = [&](TrustAnswer a) {
        return [&asked, a](const TrustQuestion &) -> Result<std::optional<TrustAnswer>> {
            ++asked;
            return std::optional<TrustAnswer>(a);
        };
    };
    const auto nobody = [](const TrustQuestion &) -> Result<std::optional<TrustAnswer>> {
        return std::optional<TrustAnswer>();
    };
    // Trusted owner: nobody is asked.
    EXPECT_TRUE(TrustPolicy(hub()).resolve(spec("pytorch/vision:main"),
                                           question("pytorch/vision:main"),
                                           answer(TrustAnswer::Refuse), {}));
    EXPECT_EQ(asked, 0);
    // Not trusted, nobody to ask: the caller's message.
    const auto none = TrustPolicy(hub()).resolve(spec("someone/r:main"), question("someone/r:main"),
                                                 nobody, QStringLiteral("pass --trust-repo yes"));
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, Error::Code::Untrusted);
    EXPECT_EQ(none.error().message, QStringLiteral("pass --trust-repo yes"));
    // yes: recorded without a question (the y spelling included).
    const auto yes = TrustPolicy(hub(), *parseTrustOption(QStringLiteral("y")))
                         .resolve(spec("someone/r:main"), question("someone/r:main"),
                                  answer(TrustAnswer::Refuse), {});
    ASSERT_TRUE(yes);
    EXPECT_TRUE(yes->recorded);
    EXPECT_EQ(asked, 0);
    EXPECT_EQ(list(), QByteArray("someone_r\n"));
    // no: asked even now, and a yes does not write the line twice.
    const auto again = TrustPolicy(hub(), TrustMode::No)
                           .resolve(spec("someone/r:main"), question("someone/r:main"),
                                    answer(TrustAnswer::TrustAndRecord), {});
    ASSERT_TRUE(again);
    EXPECT_EQ(asked, 1);
    EXPECT_FALSE(again->recorded);
    EXPECT_EQ(list(), QByteArray("someone_r\n"));
}
