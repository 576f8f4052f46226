#include "tests/support/testsupport.h"

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
    EXPECT_TRUE(
        r.out.contains("\n  hubcap-cli cache rm TARGET... [--dry-run] [--yes] [--force]\n"));
    EXPECT_TRUE(r.out.contains("--host-memory-limit SIZE"));
}

TEST(CliBasics, UsageErrorsExitWithTwo)
{
    EXPECT_EQ(runCli({}).exitCode, 2);
    auto r = runCli({QStringLiteral("no-such-command")});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.contains("unknown command 'no-such-command'"));
    EXPECT_EQ(runCli({QStringLiteral("--hub-dir")}).exitCode, 2);
}

TEST(CliBasics, EveryCommandAcceptsHelp)
{
    const QStringList commands{"cache",    "trust",   "list",   "help", "load",
                               "download", "inspect", "verify", "fetch"};
    for (const QString &c : commands) {
        for (const QString &flag : {QStringLiteral("--help"), QStringLiteral("-h")}) {
            auto r = runCli({c, flag});
            EXPECT_EQ(r.exitCode, 0) << c.toStdString() << ' ' << r.err.toStdString();
            EXPECT_TRUE(r.err.isEmpty()) << c.toStdString() << ' ' << r.err.toStdString();
            const QString out = QString::fromUtf8(r.out);
            EXPECT_TRUE(
                out.startsWith(QStringLiteral("usage: hubcap-cli [--hub-dir DIR] [--json] ") + c))
                << out.toStdString();
            EXPECT_TRUE(out.contains(u"Options:\n")) << out.toStdString();
            EXPECT_TRUE(out.contains(u"--help")) << out.toStdString();
            // Every option says what it does (the line after it is its description).
            const QStringList lines = out.split(u'\n');
            for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
                if (lines[i].startsWith(QStringLiteral("  -"))) {
                    EXPECT_TRUE(lines[i + 1].startsWith(QStringLiteral("      ")))
                        << c.toStdString() << ": no description for " << lines[i].toStdString();
                }
            }
        }
    }
    // A usage error points at the command's own help.
    auto bad = runCli({"list"});
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_TRUE(bad.err.contains("Try 'hubcap-cli list --help'.")) << bad.err.toStdString();
    auto badCache = runCli({"cache", "rm"});
    EXPECT_TRUE(badCache.err.contains("Try 'hubcap-cli cache --help'."))
        << badCache.err.toStdString();
    // --help after other arguments still asks for help; after "--" it is an argument.
    auto fetch = runCli({"fetch", "alice/tiny", "--help"});
    EXPECT_EQ(fetch.exitCode, 0);
    EXPECT_TRUE(fetch.out.contains("  --skip-validation\n")) << fetch.out.toStdString();
    EXPECT_TRUE(fetch.out.contains("  --trust-repo check|yes|no\n")) << fetch.out.toStdString();
    auto load = runCli({"load", "--help"});
    EXPECT_TRUE(load.out.contains("  --kwarg K=V\n")) << load.out.toStdString();
    EXPECT_TRUE(load.out.contains("  --output PATH\n")) << load.out.toStdString();
    auto dl = runCli({"download", "--help"});
    EXPECT_TRUE(dl.out.contains("  --check-hash\n")) << dl.out.toStdString();
    EXPECT_TRUE(dl.out.contains("  --hash-prefix HEX\n      verify against this SHA-256 prefix\n"))
        << dl.out.toStdString();
    EXPECT_EQ(runCli({"inspect", "--", "--help"}).exitCode, 1);
    auto cache = runCli({"cache", "rm", "-h"});
    EXPECT_EQ(cache.exitCode, 0);
    EXPECT_TRUE(cache.out.contains("clear keeps trusted_list.")) << cache.out.toStdString();
}
