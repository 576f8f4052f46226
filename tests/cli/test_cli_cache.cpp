#include "tests/support/testsupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <unistd.h>

using namespace hubcap::test;

namespace {

struct CliCache : ::testing::Test
{
    QTemporaryDir tmp;
    QProcessEnvironment env = isolatedEnv(tmp.path());
    // isolatedEnv sets TORCH_HOME=<root>/torch, so the hub dir is <root>/torch/hub.
    QString hub() const { return tmp.path() + QStringLiteral("/torch/hub"); }
    QString at(const QString &rel) const { return hub() + u'/' + rel; }
    void file(const QString &rel, qsizetype bytes) { writeFile(at(rel), QByteArray(bytes, 'x')); }
    bool exists(const QString &rel) const { return QFileInfo::exists(at(rel)); }

    ProcessResult cli(const QStringList &args, const QByteArray &stdinData = {})
    {
        return runCli(args, env, stdinData);
    }
    QJsonObject json(const QStringList &args, int expectedExit = 0)
    {
        const auto r = cli(QStringList{QStringLiteral("--json")} + args);
        EXPECT_EQ(r.exitCode, expectedExit) << r.err.toStdString();
        QJsonParseError e;
        const auto doc = QJsonDocument::fromJson(r.out, &e);
        EXPECT_TRUE(doc.isObject()) << r.out.toStdString();
        return doc.object();
    }
    void fixture()
    {
        file(QStringLiteral("big_repo_main/hubconf.py"), 3000);
        file(QStringLiteral("big_repo_main/pkg/m.py"), 1000);
        file(QStringLiteral("small_repo_v1/hubconf.py"), 10);
        file(QStringLiteral("a_b_c_main/hubconf.py"), 20);
        file(QStringLiteral("checkpoints/resnet18-f37072fd.pth"), 2000);
        file(QStringLiteral("checkpoints/weights.pth"), 5);
        file(QStringLiteral("main.zip"), 7);
        writeFile(at(QStringLiteral("trusted_list")), "small_repo\n");
    }
};

QStringList strings(const QJsonArray &a, const char *key)
{
    QStringList out;
    for (const auto &v : a)
        out << v.toObject()[QLatin1String(key)].toString();
    return out;
}

} // namespace

TEST_F(CliCache, LsJsonHasTheDocumentedFields)
{
    fixture();
    const QJsonObject j = json({QStringLiteral("cache"), QStringLiteral("ls")});
    EXPECT_EQ(j[u"hub_dir"].toString(), hub()); // from $TORCH_HOME, no --hub-dir
    EXPECT_EQ(j[u"total_bytes"].toInteger(), 3000 + 1000 + 10 + 20 + 2000 + 5 + 7);
    EXPECT_GT(j[u"free_bytes"].toInteger(), 0);
    const QJsonArray repos = j[u"repos"].toArray();
    ASSERT_EQ(repos.size(), 3);
    EXPECT_EQ(strings(repos, "dir"),
              (QStringList{QStringLiteral("big_repo_main"), QStringLiteral("a_b_c_main"),
                           QStringLiteral("small_repo_v1")}));
    const QJsonObject big = repos[0].toObject();
    EXPECT_EQ(big[u"owner"].toString(), u"big");
    EXPECT_EQ(big[u"repo"].toString(), u"repo");
    EXPECT_EQ(big[u"ref"].toString(), u"main");
    EXPECT_EQ(big[u"bytes"].toInteger(), 4000);
    EXPECT_EQ(big[u"files"].toInteger(), 2);
    EXPECT_TRUE(QDateTime::fromString(big[u"modified"].toString(), Qt::ISODate).isValid());
    EXPECT_TRUE(big[u"trusted"].isBool());
    const QJsonObject unknown = repos[1].toObject();
    EXPECT_TRUE(unknown[u"owner"].isNull());
    EXPECT_TRUE(unknown[u"repo"].isNull());
    EXPECT_TRUE(unknown[u"ref"].isNull());
    EXPECT_EQ(repos[2].toObject()[u"trust_reason"].toString(), u"trusted_list");

    const QJsonArray ck = j[u"checkpoints"].toArray();
    ASSERT_EQ(ck.size(), 2);
    EXPECT_EQ(ck[0].toObject()[u"name"].toString(), u"resnet18-f37072fd.pth");
    EXPECT_EQ(ck[0].toObject()[u"bytes"].toInteger(), 2000);
    EXPECT_EQ(ck[0].toObject()[u"hash_prefix"].toString(), u"f37072fd");
    EXPECT_TRUE(ck[1].toObject()[u"hash_prefix"].isNull());
    EXPECT_TRUE(ck[1].toObject().contains(u"modified"));

    const QJsonArray left = j[u"leftovers"].toArray();
    ASSERT_EQ(left.size(), 1);
    EXPECT_EQ(left[0].toObject()[u"path"].toString(), u"main.zip");
    EXPECT_EQ(left[0].toObject()[u"bytes"].toInteger(), 7);
    EXPECT_EQ(left[0].toObject()[u"kind"].toString(), u"zip");
}

TEST_F(CliCache, LsHumanTablesAreAlignedLargestFirstWithTotals)
{
    fixture();
    const auto r =
        cli({QStringLiteral("--hub-dir"), hub(), QStringLiteral("cache"), QStringLiteral("ls")});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    const QString out = QString::fromUtf8(r.out);
    const QStringList lines = out.split(u'\n');
    qsizetype header = -1, big = -1, small = -1;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (lines[i].trimmed().startsWith(u"FOLDER"))
            header = i;
        if (lines[i].trimmed().startsWith(u"big_repo_main"))
            big = i;
        if (lines[i].trimmed().startsWith(u"small_repo_v1"))
            small = i;
    }
    ASSERT_GE(header, 0) << out.toStdString();
    ASSERT_GT(big, header);
    EXPECT_GT(small, big); // largest first
    // Sizes are right-aligned under SIZE, human-readable.
    const qsizetype sizeEnd = lines[header].indexOf(u"SIZE") + 4;
    EXPECT_EQ(lines[big].indexOf(u"3.91 KiB") + 8, sizeEnd) << out.toStdString();
    EXPECT_EQ(lines[small].indexOf(u"10 B") + 4, sizeEnd) << out.toStdString();
    EXPECT_TRUE(out.contains(u"resnet18-f37072fd.pth")) << out.toStdString();
    EXPECT_TRUE(out.contains(u"Total: 5.90 KiB (3 repositories, 2 checkpoints, 1 leftover)"))
        << out.toStdString();
    EXPECT_TRUE(out.contains(u"Free: ")) << out.toStdString();
}

TEST_F(CliCache, LsOnAMissingHubDirSucceeds)
{
    const auto r = cli({QStringLiteral("cache"), QStringLiteral("ls")});
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_TRUE(r.out.contains("does not exist yet")) << r.out.toStdString();
    EXPECT_FALSE(QFileInfo::exists(hub()));
}

TEST_F(CliCache, RmDryRunRemovesNothing)
{
    fixture();
    const QJsonObject j =
        json({QStringLiteral("cache"), QStringLiteral("rm"), QStringLiteral("big/repo"),
              QStringLiteral("checkpoints/weights.pth"), QStringLiteral("--dry-run")});
    EXPECT_TRUE(j[u"dry_run"].toBool());
    EXPECT_EQ(j[u"plan"].toObject()[u"total_bytes"].toInteger(), 4005);
    EXPECT_EQ(j[u"plan"].toObject()[u"items"].toArray().size(), 2);
    EXPECT_TRUE(j[u"removed"].toArray().isEmpty());
    EXPECT_EQ(j[u"freed_bytes"].toInteger(), 0);
    EXPECT_TRUE(exists(QStringLiteral("big_repo_main/hubconf.py")));
    EXPECT_TRUE(exists(QStringLiteral("checkpoints/weights.pth")));
    // Human form says so too.
    const auto r = cli({QStringLiteral("cache"), QStringLiteral("rm"), QStringLiteral("big/repo"),
                        QStringLiteral("--dry-run")});
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_TRUE(r.out.contains("Would remove")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("nothing was removed"));
    EXPECT_TRUE(exists(QStringLiteral("big_repo_main")));
}

TEST_F(CliCache, RmWithoutYesAndWithoutTerminalRefuses)
{
    fixture();
    // stdin is a pipe here, not a terminal: refuse with exit 1 and say to pass --yes.
    const auto r =
        cli({QStringLiteral("cache"), QStringLiteral("rm"), QStringLiteral("big/repo")}, "y\n");
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(r.err.contains("--yes")) << r.err.toStdString();
    EXPECT_TRUE(exists(QStringLiteral("big_repo_main/hubconf.py")));
    const auto c = cli({QStringLiteral("cache"), QStringLiteral("clear")});
    EXPECT_EQ(c.exitCode, 1);
    EXPECT_TRUE(c.err.contains("--yes"));
    EXPECT_TRUE(exists(QStringLiteral("checkpoints/weights.pth")));
    const QJsonObject j =
        json({QStringLiteral("cache"), QStringLiteral("rm"), QStringLiteral("main.zip")}, 1);
    EXPECT_TRUE(j[u"error"].toObject()[u"message"].toString().contains(u"--yes"));
    EXPECT_TRUE(exists(QStringLiteral("main.zip")));
}

TEST_F(CliCache, RmWithYesRemovesAndReportsJson)
{
    fixture();
    const QJsonObject j =
        json({QStringLiteral("cache"), QStringLiteral("rm"), QStringLiteral("big/repo:main"),
              QStringLiteral("checkpoints/resnet18-f37072fd.pth"), QStringLiteral("--yes")});
    EXPECT_EQ(j[u"freed_bytes"].toInteger(), 6000);
    QStringList removed;
    for (const auto &v : j[u"removed"].toArray())
        removed << v.toString();
    removed.sort();
    EXPECT_EQ(removed, (QStringList{at(QStringLiteral("big_repo_main")),
                                    at(QStringLiteral("checkpoints/resnet18-f37072fd.pth"))}));
    EXPECT_TRUE(j[u"failed"].toArray().isEmpty());
    EXPECT_FALSE(exists(QStringLiteral("big_repo_main")));
    EXPECT_FALSE(exists(QStringLiteral("checkpoints/resnet18-f37072fd.pth")));
    EXPECT_TRUE(exists(QStringLiteral("small_repo_v1")));
}

TEST_F(CliCache, RmTargetErrorsRemoveNothing)
{
    fixture();
    writeFile(tmp.path() + QStringLiteral("/torch/victim"), "keep");
    // One bad target: the whole command fails before deleting anything.
    auto r = cli({QStringLiteral("cache"), QStringLiteral("rm"), QStringLiteral("big/repo"),
                  QStringLiteral("no/such:thing"), QStringLiteral("--yes")});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(r.err.contains("no_such_thing")) << r.err.toStdString();
    EXPECT_TRUE(exists(QStringLiteral("big_repo_main")));
    r = cli({QStringLiteral("cache"), QStringLiteral("rm"), QStringLiteral("../victim"),
             QStringLiteral("--yes")});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(r.err.contains("Refusing")) << r.err.toStdString();
    r = cli({QStringLiteral("cache"), QStringLiteral("rm"),
             tmp.path() + QStringLiteral("/torch/victim"), QStringLiteral("--yes")});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(readFile(tmp.path() + QStringLiteral("/torch/victim")), QByteArray("keep"));
    // Usage errors exit 2.
    EXPECT_EQ(cli({QStringLiteral("cache"), QStringLiteral("rm")}).exitCode, 2);
    EXPECT_EQ(cli({QStringLiteral("cache")}).exitCode, 2);
    EXPECT_EQ(cli({QStringLiteral("cache"), QStringLiteral("frob")}).exitCode, 2);
    EXPECT_EQ(cli({QStringLiteral("cache"), QStringLiteral("rm"), QStringLiteral("x"),
                   QStringLiteral("--frobnicate")})
                  .exitCode,
              2);
    EXPECT_EQ(
        cli({QStringLiteral("cache"), QStringLiteral("clear"), QStringLiteral("extra")}).exitCode,
        2);
    EXPECT_EQ(
        cli({QStringLiteral("cache"), QStringLiteral("ls"), QStringLiteral("extra")}).exitCode, 2);
    const auto help = cli({QStringLiteral("cache"), QStringLiteral("--help")});
    EXPECT_EQ(help.exitCode, 0);
    EXPECT_TRUE(help.out.contains("cache rm TARGET..."));
    EXPECT_EQ(cli({QStringLiteral("trust"), QStringLiteral("--help")}).exitCode, 0);
}

TEST_F(CliCache, ClearRemovesTheCacheButKeepsTrustedList)
{
    fixture();
    const QJsonObject dry =
        json({QStringLiteral("cache"), QStringLiteral("clear"), QStringLiteral("--dry-run")});
    EXPECT_EQ(dry[u"plan"].toObject()[u"items"].toArray().size(), 6);
    EXPECT_TRUE(exists(QStringLiteral("big_repo_main")));
    const QJsonObject j =
        json({QStringLiteral("cache"), QStringLiteral("clear"), QStringLiteral("--yes")});
    EXPECT_EQ(j[u"freed_bytes"].toInteger(), 6042);
    EXPECT_EQ(j[u"removed"].toArray().size(), 6);
    EXPECT_EQ(readFile(at(QStringLiteral("trusted_list"))), QByteArray("small_repo\n"));
    const QJsonObject after = json({QStringLiteral("cache"), QStringLiteral("ls")});
    EXPECT_EQ(after[u"total_bytes"].toInteger(), 0);
    // Clearing an empty cache is fine and asks nothing.
    const auto again = cli({QStringLiteral("cache"), QStringLiteral("clear")});
    EXPECT_EQ(again.exitCode, 0);
    EXPECT_TRUE(again.out.contains("Nothing to remove"));
}

TEST_F(CliCache, OnATerminalItAsksFirst)
{
    const QString script = QStandardPaths::findExecutable(QStringLiteral("script"));
    if (script.isEmpty())
        GTEST_SKIP() << "util-linux 'script' (a pty) is not installed";
    fixture();
    auto onPty = [&](const QString &answer) {
        const QString cmd = QStringLiteral("'%1' --hub-dir '%2' cache rm big/repo")
                                .arg(binDir() + QStringLiteral("/hubcap-cli"), hub());
        return run(script, {QStringLiteral("-qec"), cmd, QStringLiteral("/dev/null")}, env,
                   answer.toUtf8());
    };
    auto no = onPty(QStringLiteral("n\n"));
    EXPECT_EQ(no.exitCode, 1);
    EXPECT_TRUE(no.out.contains("[y/N]")) << no.out.toStdString();
    EXPECT_TRUE(exists(QStringLiteral("big_repo_main")));
    auto yes = onPty(QStringLiteral("y\n"));
    EXPECT_EQ(yes.exitCode, 0) << yes.out.toStdString();
    EXPECT_FALSE(exists(QStringLiteral("big_repo_main")));
}

TEST_F(CliCache, TrustCommands)
{
    // ls on nothing.
    QJsonObject ls = json({QStringLiteral("trust"), QStringLiteral("ls")});
    EXPECT_FALSE(ls[u"exists"].toBool());
    EXPECT_TRUE(ls[u"entries"].toArray().isEmpty());
    EXPECT_EQ(ls[u"trusted_owners"].toArray().size(), 4);
    // add (creates the hub dir and the file), twice.
    QJsonObject add =
        json({QStringLiteral("trust"), QStringLiteral("add"), QStringLiteral("someone/repo")});
    EXPECT_TRUE(add[u"added"].toBool());
    EXPECT_EQ(add[u"entry"].toString(), u"someone_repo");
    EXPECT_FALSE(json({QStringLiteral("trust"), QStringLiteral("add"),
                       QStringLiteral("someone/repo")})[u"added"]
                     .toBool());
    ASSERT_EQ(
        cli({QStringLiteral("trust"), QStringLiteral("add"), QStringLiteral("Other/R")}).exitCode,
        0);
    EXPECT_EQ(readFile(at(QStringLiteral("trusted_list"))), QByteArray("someone_repo\nOther_R\n"));
    ls = json({QStringLiteral("trust"), QStringLiteral("ls")});
    EXPECT_EQ(ls[u"entries"].toArray().size(), 2);
    // Usage errors.
    EXPECT_EQ(
        cli({QStringLiteral("trust"), QStringLiteral("add"), QStringLiteral("someone/repo:main")})
            .exitCode,
        2);
    EXPECT_EQ(cli({QStringLiteral("trust"), QStringLiteral("add"), QStringLiteral("not-a-spec")})
                  .exitCode,
              2);
    EXPECT_EQ(cli({QStringLiteral("trust"), QStringLiteral("add")}).exitCode, 2);
    EXPECT_EQ(cli({QStringLiteral("trust")}).exitCode, 2);
    EXPECT_EQ(
        cli({QStringLiteral("trust"), QStringLiteral("check"), QStringLiteral("a/b/c:x")}).exitCode,
        2);

    // check: exit 0 when trusted, 1 when not, with the reason.
    QJsonObject c = json(
        {QStringLiteral("trust"), QStringLiteral("check"), QStringLiteral("someone/repo:dev")});
    EXPECT_TRUE(c[u"trusted"].toBool());
    EXPECT_EQ(c[u"reason"].toString(), u"trusted_list");
    c = json({QStringLiteral("trust"), QStringLiteral("check"), QStringLiteral("pytorch/vision")});
    EXPECT_EQ(c[u"reason"].toString(), u"trusted_owner");
    c = json({QStringLiteral("trust"), QStringLiteral("check"), QStringLiteral("other/r")},
             1); // case-sensitive
    EXPECT_FALSE(c[u"trusted"].toBool());
    EXPECT_EQ(c[u"reason"].toString(), u"not_trusted");
    QDir().mkpath(at(QStringLiteral("legacy_repo_ci_x")));
    c = json(
        {QStringLiteral("trust"), QStringLiteral("check"), QStringLiteral("legacy/repo:ci/x")});
    EXPECT_EQ(c[u"reason"].toString(), u"legacy_folder");
    EXPECT_EQ(c[u"legacy_folder"].toString(), u"legacy_repo_ci_x");
    auto human =
        cli({QStringLiteral("trust"), QStringLiteral("check"), QStringLiteral("nobody/x")});
    EXPECT_EQ(human.exitCode, 1);
    EXPECT_TRUE(human.out.contains("not trusted"));
    EXPECT_TRUE(human.err.contains("trust add nobody/x")) << human.err.toStdString();

    // rm keeps the other line; absent → 1.
    QJsonObject rm =
        json({QStringLiteral("trust"), QStringLiteral("rm"), QStringLiteral("someone/repo")});
    EXPECT_EQ(rm[u"removed"].toInt(), 1);
    EXPECT_EQ(readFile(at(QStringLiteral("trusted_list"))), QByteArray("Other_R\n"));
    EXPECT_EQ(cli({QStringLiteral("trust"), QStringLiteral("rm"), QStringLiteral("someone/repo")})
                  .exitCode,
              1);
    // A raw entry name works too (for malformed lines).
    EXPECT_EQ(
        cli({QStringLiteral("trust"), QStringLiteral("rm"), QStringLiteral("Other_R")}).exitCode,
        0);
    EXPECT_EQ(readFile(at(QStringLiteral("trusted_list"))), QByteArray(""));
    // Still trusted by owner after rm: said so.
    ASSERT_EQ(cli({QStringLiteral("trust"), QStringLiteral("add"), QStringLiteral("pytorch/hub")})
                  .exitCode,
              0);
    rm = json({QStringLiteral("trust"), QStringLiteral("rm"), QStringLiteral("pytorch/hub")});
    EXPECT_TRUE(rm[u"still_trusted"].toBool());
    EXPECT_EQ(rm[u"reason"].toString(), u"trusted_owner");
}

TEST_F(CliCache, UnreadableAndUndeletableEntriesAreReportedNotFatal)
{
    // As root nothing is unreadable, so run the CLI as "nobody" (setpriv) then; otherwise chmod.
    QStringList prefix;
    if (geteuid() == 0) {
        const QString setpriv = QStandardPaths::findExecutable(QStringLiteral("setpriv"));
        if (setpriv.isEmpty())
            GTEST_SKIP() << "running as root without setpriv";
        prefix = {setpriv, QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),
                  QStringLiteral("--clear-groups")};
        if (run(prefix.first(), prefix.mid(1) + QStringList{QStringLiteral("/bin/true")})
                .exitCode != 0)
            GTEST_SKIP() << "setpriv cannot switch to the nobody user here";
    }
    QFile::setPermissions(tmp.path(), QFile::Permissions::fromInt(0x7755));
    file(QStringLiteral("o_r_main/hubconf.py"), 3);
    file(QStringLiteral("o_r_main/secret/x.py"), 5);
    file(QStringLiteral("checkpoints/w-1.pth"), 2);
    const QString secret = at(QStringLiteral("o_r_main/secret"));
    const QString repo = at(QStringLiteral("o_r_main"));
    QFile::setPermissions(secret, QFile::Permissions());
    if (prefix.isEmpty()) // not root: a read-only folder makes its files undeletable
        QFile::setPermissions(repo, QFile::ReadOwner | QFile::ExeOwner | QFile::ReadOther |
                                        QFile::ExeOther);
    auto runAs = [&](const QStringList &args) {
        const QString cli = binDir() + QStringLiteral("/hubcap-cli");
        const QStringList all =
            QStringList{QStringLiteral("--hub-dir"), hub(), QStringLiteral("--json")} + args;
        return prefix.isEmpty() ? run(cli, all, env)
                                : run(prefix.first(), prefix.mid(1) + QStringList{cli} + all, env);
    };
    const auto ls = runAs({QStringLiteral("cache"), QStringLiteral("ls")});
    EXPECT_EQ(ls.exitCode, 0) << ls.err.toStdString();
    const QJsonObject j = QJsonDocument::fromJson(ls.out).object();
    const QJsonArray problems = j[u"problems"].toArray();
    ASSERT_EQ(problems.size(), 1) << ls.out.toStdString();
    EXPECT_EQ(problems[0].toObject()[u"path"].toString(), secret);
    EXPECT_EQ(j[u"repos"].toArray()[0].toObject()[u"bytes"].toInteger(), 3);
    EXPECT_TRUE(ls.err.contains("warning")) << ls.err.toStdString();

    const auto rm = runAs({QStringLiteral("cache"), QStringLiteral("rm"),
                           QStringLiteral("o/r:main"), QStringLiteral("--yes")});
    EXPECT_EQ(rm.exitCode, 1);
    const QJsonObject r = QJsonDocument::fromJson(rm.out).object();
    EXPECT_FALSE(r[u"failed"].toArray().isEmpty()) << rm.out.toStdString();
    EXPECT_FALSE(r[u"failed"].toArray()[0].toObject()[u"reason"].toString().isEmpty());
    EXPECT_TRUE(r[u"removed"].toArray().isEmpty());
    EXPECT_TRUE(rm.err.contains("could not remove")) << rm.err.toStdString();
    EXPECT_TRUE(QFileInfo::exists(repo));
    // Restore so the temporary dir can be cleaned up.
    QFile::setPermissions(secret, QFile::Permissions::fromInt(0x7700));
    QFile::setPermissions(repo, QFile::Permissions::fromInt(0x7755));
}

// torch.hub names a checkpoint by the URL's basename, so two URLs can share one file (barlowtwins'
// .../resnet50.pth). The download records the second URL in the sidecar; `cache ls` shows both
// and warns, in text and JSON.
TEST_F(CliCache, LsWarnsWhenTwoUrlsMapToTheSameCheckpoint)
{
    file(QStringLiteral("checkpoints/resnet50.pth"), 100);
    writeFile(at(QStringLiteral(".hubcap/checkpoints/resnet50.pth.json")),
              R"({"url": "https://a.example/v1/resnet50.pth", "sha256": "ab", "size": 100,
                  "other_urls": ["https://b.example/v2/resnet50.pth"]})");
    const QJsonObject doc = json({QStringLiteral("cache"), QStringLiteral("ls")});
    const QJsonObject c = doc.value(u"checkpoints").toArray().first().toObject();
    EXPECT_EQ(c.value(u"url").toString(), QStringLiteral("https://a.example/v1/resnet50.pth"));
    EXPECT_EQ(c.value(u"other_urls").toArray(),
              (QJsonArray{QStringLiteral("https://b.example/v2/resnet50.pth")}));
    const auto r = cli({QStringLiteral("cache"), QStringLiteral("ls")});
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_TRUE(r.out.contains("warning: resnet50.pth was requested from 2 different URLs"))
        << r.out.toStdString();

    // Without a second URL there is no warning.
    writeFile(at(QStringLiteral(".hubcap/checkpoints/resnet50.pth.json")),
              R"({"url": "https://a.example/v1/resnet50.pth", "sha256": "ab", "size": 100})");
    EXPECT_FALSE(cli({QStringLiteral("cache"), QStringLiteral("ls")}).out.contains("warning:"));
}

// Issue 13.5: `cache clear --yes` in a folder that is not a hub dir deletes nothing.
TEST_F(CliCache, ClearInAFolderOfTheUsersDeletesNothing)
{
    const QString home = tmp.path() + QStringLiteral("/home");
    for (const char *f : {"Documents/cv.odt", "src/main.cpp", "my_project_main/README"})
        writeFile(home + u'/' + QLatin1String(f), "mine");
    auto r = runCli({QStringLiteral("--hub-dir"), home, QStringLiteral("cache"),
                     QStringLiteral("clear"), QStringLiteral("--yes")},
                    env);
    EXPECT_EQ(r.exitCode, 1) << r.out.toStdString();
    EXPECT_TRUE(r.err.contains("does not look like a torch.hub dir")) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains("--force")) << r.err.toStdString();
    // Forced, it still only removes what torch.hub would have put there: nothing here.
    r = runCli({QStringLiteral("--hub-dir"), home, QStringLiteral("cache"), QStringLiteral("clear"),
                QStringLiteral("--yes"), QStringLiteral("--force")},
               env);
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    r = runCli({QStringLiteral("--hub-dir"), home, QStringLiteral("cache"), QStringLiteral("rm"),
                QStringLiteral("my_project_main"), QStringLiteral("--yes"),
                QStringLiteral("--force")},
               env);
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(r.err.contains("Refusing")) << r.err.toStdString();
    for (const char *f : {"Documents/cv.odt", "src/main.cpp", "my_project_main/README"})
        EXPECT_EQ(readFile(home + u'/' + QLatin1String(f)), QByteArray("mine")) << f;
    // ls says what it saw.
    r = runCli({QStringLiteral("--hub-dir"), home, QStringLiteral("cache"), QStringLiteral("ls")},
               env);
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_TRUE(r.out.contains("never removed")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("my_project_main")) << r.out.toStdString();
}

TEST_F(CliCache, ClearInAHubDirKeepsForeignFolders)
{
    fixture();
    file(QStringLiteral("Documents/cv.odt"), 4);
    file(QStringLiteral("my_project_main/README"), 4);
    const auto r = cli({QStringLiteral("cache"), QStringLiteral("clear"), QStringLiteral("--yes")});
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_FALSE(exists(QStringLiteral("big_repo_main")));
    EXPECT_TRUE(exists(QStringLiteral("Documents/cv.odt")));
    EXPECT_TRUE(exists(QStringLiteral("my_project_main/README")));
}

TEST_F(CliCache, EmptyHubDirIsAUsageErrorAndAFileIsAnError)
{
    for (const QStringList &args : {QStringList{QStringLiteral("--hub-dir"), QString()},
                                    QStringList{QStringLiteral("--hub-dir=")}}) {
        const auto r = cli(args + QStringList{QStringLiteral("cache"), QStringLiteral("clear"),
                                              QStringLiteral("--yes")});
        EXPECT_EQ(r.exitCode, 2) << r.err.toStdString();
        EXPECT_TRUE(r.err.contains("--hub-dir")) << r.err.toStdString();
    }
    const QString f = tmp.path() + QStringLiteral("/afile");
    writeFile(f, "x");
    const auto clear = cli({QStringLiteral("--hub-dir"), f, QStringLiteral("cache"),
                            QStringLiteral("clear"), QStringLiteral("--yes")});
    EXPECT_EQ(clear.exitCode, 1);
    EXPECT_TRUE(clear.err.contains("is a file")) << clear.err.toStdString();
    const auto ls =
        cli({QStringLiteral("--hub-dir"), f, QStringLiteral("cache"), QStringLiteral("ls")});
    EXPECT_EQ(ls.exitCode, 1);
    EXPECT_TRUE(ls.err.contains("is a file")) << ls.err.toStdString();
    EXPECT_EQ(readFile(f), QByteArray("x"));
}
