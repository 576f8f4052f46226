#include "testsupport.h"

using hubcap::test::runCli;

TEST(CliBasics, VersionNamesVersionAndLibraries)
{
    auto r = runCli({QStringLiteral("--version")});
    EXPECT_EQ(r.exitCode, 0);
    const QString out = QString::fromUtf8(r.out);
    EXPECT_TRUE(out.startsWith(QStringLiteral("hubcap-cli ") + QStringLiteral(HUBCAP_VERSION)))
        << out.toStdString();
    EXPECT_TRUE(out.contains(u"Qt 6.")) << out.toStdString();
    EXPECT_TRUE(out.contains(u"KArchive")) << out.toStdString();
    EXPECT_TRUE(out.contains(u"libtorch ") && out.contains(u"Python 3.") && out.contains(u"torch "))
        << out.toStdString();
}

TEST(CliBasics, HelpListsGlobalOptions)
{
    auto r = runCli({QStringLiteral("--help")});
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_TRUE(r.out.contains("--hub-dir DIR"));
    EXPECT_TRUE(r.out.contains("Exit status"));
    // Alternatives inside brackets stay on their command's line.
    EXPECT_TRUE(r.out.contains("hubcap-cli download URL [--model-dir DIR] [--file-name NAME] "
                               "[--check-hash | --hash-prefix HEX]"))
        << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("\n  hubcap-cli cache rm TARGET... [--dry-run] [--yes]\n"));
}

TEST(CliBasics, UsageErrorsExitWithTwo)
{
    EXPECT_EQ(runCli({}).exitCode, 2);
    auto r = runCli({QStringLiteral("no-such-command")});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.contains("unknown command 'no-such-command'"));
    EXPECT_EQ(runCli({QStringLiteral("--hub-dir")}).exitCode, 2);
}
