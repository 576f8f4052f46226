#include "tests/net/netfixture.h"

#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>

using namespace hubcap;
using namespace hubcap::test;

namespace {

class CliDownload : public NetFixture
{
protected:
    void SetUp() override
    {
        NetFixture::SetUp();
        env = isolatedEnv(tmp.path());
        env.insert(QStringLiteral("HUBCAP_GITHUB_URL"), server.url());
        env.insert(QStringLiteral("HUBCAP_GITHUB_API_URL"), server.url());
        checkpoints = tmp.path() + QStringLiteral("/torch/hub/checkpoints");
    }

    QJsonObject json(const ProcessResult &r) const
    {
        return QJsonDocument::fromJson(r.out).object();
    }

    QProcessEnvironment env;
    QString checkpoints;
};

} // namespace

TEST_F(CliDownload, JsonReportsPathHashAndDropsTheQuery)
{
    const QByteArray data = pseudoRandom(100000, 60);
    const QString sha = sha256Hex(data);
    const QString name = QStringLiteral("model-%1.pth").arg(sha.left(8));
    asset(name, data);
    const auto r =
        runCli({QStringLiteral("--json"), QStringLiteral("download"),
                server.url() + QStringLiteral("/assets/") + name + QStringLiteral("?dl=1"),
                QStringLiteral("--check-hash")},
               env);
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    const QJsonObject o = json(r);
    EXPECT_EQ(o.value(u"path").toString(), checkpoints + u'/' + name);
    EXPECT_EQ(o.value(u"bytes").toInteger(), data.size());
    EXPECT_EQ(o.value(u"sha256").toString(), sha);
    EXPECT_EQ(o.value(u"resumed_from").toInteger(), 0);
    EXPECT_EQ(o.value(u"attempts").toInt(), 1);
    EXPECT_TRUE(o.value(u"verified").toBool());
    EXPECT_EQ(readFile(checkpoints + u'/' + name), data);
}

TEST_F(CliDownload, QuietWithoutATerminalAndOverridesWork)
{
    asset(QStringLiteral("w.bin"), pseudoRandom(5000, 61));
    const QString modelDir = tmp.path() + QStringLiteral("/models");
    const auto r =
        runCli({QStringLiteral("download"), server.url() + QStringLiteral("/assets/w.bin"),
                QStringLiteral("--model-dir"), modelDir, QStringLiteral("--file-name"),
                QStringLiteral("renamed.pth")},
               env);
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_EQ(QString::fromUtf8(r.out), modelDir + QStringLiteral("/renamed.pth\n"));
    EXPECT_TRUE(r.err.isEmpty()) << r.err.toStdString();
    EXPECT_TRUE(QFileInfo::exists(modelDir + QStringLiteral("/renamed.pth")));

    const auto usage = runCli({QStringLiteral("download"), QStringLiteral("http://x/y.pth"),
                               QStringLiteral("--check-hash"), QStringLiteral("--hash-prefix"),
                               QStringLiteral("ab")},
                              env);
    EXPECT_EQ(usage.exitCode, 2);
}

TEST_F(CliDownload, HashMismatchFailsAndLeavesNoFile)
{
    const QString name = QStringLiteral("wrong-0badc0de.pth");
    const QByteArray data = pseudoRandom(20000, 62);
    asset(name, data);
    const auto r =
        runCli({QStringLiteral("download"), server.url() + QStringLiteral("/assets/") + name,
                QStringLiteral("--check-hash")},
               env);
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(r.err.contains("0badc0de")) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains(sha256Hex(data).toLatin1())) << r.err.toStdString();
    EXPECT_TRUE(QDir(checkpoints).entryList(QDir::Files).isEmpty());
}

TEST_F(CliDownload, ResumesAcrossRuns)
{
    const QByteArray data = pseudoRandom(1000000, 63);
    asset(QStringLiteral("resume.bin"), data);
    server.setConfig(
        QJsonObject{{QStringLiteral("assets"),
                     QJsonObject{{QStringLiteral("resume.bin"),
                                  QJsonObject{{QStringLiteral("cut_after"), 400000}}}}}});
    const QString url = server.url() + QStringLiteral("/assets/resume.bin");
    const auto first = runCli(
        {QStringLiteral("download"), url, QStringLiteral("--retries"), QStringLiteral("0")}, env);
    ASSERT_EQ(first.exitCode, 1) << first.out.toStdString();
    const QStringList p = partials(checkpoints);
    ASSERT_EQ(p.size(), 1);
    const qint64 have = QFileInfo(checkpoints + u'/' + p[0]).size();
    EXPECT_GT(have, 0);
    server.clearRequests();
    const auto second = runCli({QStringLiteral("--json"), QStringLiteral("download"), url}, env);
    ASSERT_EQ(second.exitCode, 0) << second.err.toStdString();
    EXPECT_EQ(json(second).value(u"resumed_from").toInteger(), have);
    EXPECT_EQ(json(second).value(u"sha256").toString(), sha256Hex(data));
    const auto reqs = gets(QStringLiteral("/assets/resume.bin"));
    ASSERT_EQ(reqs.size(), 1);
    EXPECT_EQ(header(reqs[0], QStringLiteral("Range")), QStringLiteral("bytes=%1-").arg(have));
    EXPECT_EQ(readFile(checkpoints + QStringLiteral("/resume.bin")), data);
}

TEST_F(CliDownload, TokenNeverAppearsInOutput)
{
    const QString token = QStringLiteral("ghp_SuperSecretToken123");
    env.insert(QStringLiteral("GITHUB_TOKEN"), token);
    asset(QStringLiteral("limited.pth"), "x");
    server.setConfig(
        QJsonObject{{QStringLiteral("assets"),
                     QJsonObject{{QStringLiteral("limited.pth"),
                                  QJsonObject{{QStringLiteral("rate_limit"), true}}}}}});
    const QString url = server.url() + QStringLiteral("/assets/limited.pth");
    for (const bool asJson : {false, true}) {
        QStringList args{QStringLiteral("download"), url};
        if (asJson)
            args.prepend(QStringLiteral("--json"));
        const auto r = runCli(args, env);
        EXPECT_EQ(r.exitCode, 1);
        const QByteArray all = r.out + r.err;
        EXPECT_TRUE(all.contains("rate limit")) << all.toStdString();
        EXPECT_TRUE(all.contains("GITHUB_TOKEN")) << all.toStdString();
        // A token is set: its quota is exhausted too; download has no --skip-validation.
        EXPECT_TRUE(all.contains("quota is exhausted too")) << all.toStdString();
        EXPECT_FALSE(all.contains("Set GITHUB_TOKEN")) << all.toStdString();
        EXPECT_FALSE(all.contains("skip-validation")) << all.toStdString();
        EXPECT_FALSE(all.contains(token.toLatin1())) << all.toStdString();
    }
    // The token did go to the (GitHub) host, as an Authorization header.
    const auto reqs = gets(QStringLiteral("/assets/limited.pth"));
    ASSERT_FALSE(reqs.isEmpty());
    EXPECT_EQ(header(reqs[0], QStringLiteral("Authorization")), QStringLiteral("token ") + token);

    // Credentials inside a URL never show either.
    const QString withUser =
        QStringLiteral("http://me:hunter2pw@127.0.0.1:%1/assets/missing.pth?token=%2")
            .arg(server.port())
            .arg(token);
    const auto nf = runCli({QStringLiteral("--json"), QStringLiteral("download"), withUser}, env);
    EXPECT_EQ(nf.exitCode, 1);
    const QByteArray all = nf.out + nf.err;
    EXPECT_TRUE(all.contains("404")) << all.toStdString();
    EXPECT_FALSE(all.contains("hunter2pw")) << all.toStdString();
    EXPECT_FALSE(all.contains(token.toLatin1())) << all.toStdString();
}

TEST_F(CliDownload, PythonTorchHubFindsTheCheckpointWithoutDownloading)
{
    // A real torch.save file, named with its hash like the model zoos do.
    const QString made = tmp.path() + QStringLiteral("/made.pth");
    const auto save = runPython(
        QStringLiteral("import torch\ntorch.save({'w': torch.arange(6.).reshape(2, 3)}, '%1')\n")
            .arg(made),
        env);
    ASSERT_EQ(save.exitCode, 0) << save.err.toStdString();
    const QByteArray data = readFile(made);
    const QString name = QStringLiteral("tiny-%1.pth").arg(sha256Hex(data).left(8));
    asset(name, data);
    const QString url = server.url() + QStringLiteral("/assets/") + name;

    const auto cli = runCli(
        {QStringLiteral("--json"), QStringLiteral("download"), url, QStringLiteral("--check-hash")},
        env);
    ASSERT_EQ(cli.exitCode, 0) << cli.err.toStdString();
    EXPECT_TRUE(json(cli).value(u"verified").toBool());

    const auto py = runPython(
        QStringLiteral(
            "import torch\n"
            "sd = torch.hub.load_state_dict_from_url('%1', check_hash=True, progress=False)\n"
            "print('SUM', float(sd['w'].sum()))\n")
            .arg(url),
        env);
    ASSERT_EQ(py.exitCode, 0) << py.err.toStdString();
    EXPECT_TRUE(py.out.contains("SUM 15.0")) << py.out.toStdString();
    EXPECT_FALSE(py.out.contains("Downloading") || py.err.contains("Downloading"))
        << py.err.toStdString();
    EXPECT_EQ(gets(QStringLiteral("/assets/") + name).size(), 1)
        << "Python must not request the URL again";
}

TEST_F(CliDownload, KilledDownloadResumesOnTheNextRun)
{
    const QByteArray data = pseudoRandom(800000, 64);
    asset(QStringLiteral("killed.bin"), data);
    // The first response stalls after 300000 bytes, long enough for the test to kill the CLI.
    server.setConfig(
        QJsonObject{{QStringLiteral("assets"),
                     QJsonObject{{QStringLiteral("killed.bin"),
                                  QJsonObject{{QStringLiteral("stall"), 60},
                                              {QStringLiteral("stall_after"), 300000}}}}}});
    const QString url = server.url() + QStringLiteral("/assets/killed.bin");
    QProcess cli;
    cli.setProcessEnvironment(env);
    cli.start(binDir() + QStringLiteral("/hubcap-cli"), {QStringLiteral("download"), url});
    ASSERT_TRUE(cli.waitForStarted(10000));
    qint64 have = 0;
    ASSERT_TRUE(waitUntil(
        [&] {
            const QStringList p = partials(checkpoints);
            have = p.isEmpty() ? 0 : QFileInfo(checkpoints + u'/' + p[0]).size();
            return have >= 250000;
        },
        20000));
    cli.kill(); // no chance to clean up: the partial, the sidecar state and a stale lock remain
    cli.waitForFinished(10000);
    const QStringList p = partials(checkpoints);
    ASSERT_EQ(p.size(), 1);
    have = QFileInfo(checkpoints + u'/' + p[0]).size();
    server.clearRequests();
    const auto second = runCli({QStringLiteral("--json"), QStringLiteral("download"), url}, env);
    ASSERT_EQ(second.exitCode, 0) << second.err.toStdString() << second.out.toStdString();
    EXPECT_EQ(json(second).value(u"resumed_from").toInteger(), have);
    EXPECT_EQ(readFile(checkpoints + QStringLiteral("/killed.bin")), data);
    const auto reqs = gets(QStringLiteral("/assets/killed.bin"));
    ASSERT_EQ(reqs.size(), 1);
    EXPECT_EQ(header(reqs[0], QStringLiteral("Range")), QStringLiteral("bytes=%1-").arg(have));
    EXPECT_TRUE(partials(checkpoints).isEmpty());
}

TEST_F(CliDownload, DrawsAProgressBarOnATerminal)
{
    if (QStandardPaths::findExecutable(QStringLiteral("script")).isEmpty())
        GTEST_SKIP() << "util-linux 'script' (a pseudo terminal) is not installed";
    asset(QStringLiteral("tty.bin"), pseudoRandom(400000, 65));
    server.setConfig(
        QJsonObject{{QStringLiteral("assets"),
                     QJsonObject{{QStringLiteral("tty.bin"),
                                  QJsonObject{{QStringLiteral("stall"), 0.6},
                                              {QStringLiteral("stall_after"), 100000}}}}}});
    const QString cmd = QStringLiteral("'%1' download '%2'")
                            .arg(binDir() + QStringLiteral("/hubcap-cli"),
                                 server.url() + QStringLiteral("/assets/tty.bin"));
    const auto r = run(QStringLiteral("script"),
                       {QStringLiteral("-qec"), cmd, QStringLiteral("/dev/null")}, env);
    ASSERT_EQ(r.exitCode, 0) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("Downloading: \"" + server.url().toLatin1() + "/assets/tty.bin\""))
        << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("] ")) << "a bar was drawn: " << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("Saved " + checkpoints.toLatin1() + "/tty.bin"))
        << r.out.toStdString();
}

TEST_F(CliDownload, ReplaceDownloadsAnExistingFileAgain)
{
    const QByteArray data = pseudoRandom(30000, 63);
    asset(QStringLiteral("again.pth"), data);
    writeFile(checkpoints + QStringLiteral("/again.pth"), QByteArrayLiteral("old bytes"));
    const QString url = server.url() + QStringLiteral("/assets/again.pth");

    // As torch.hub: the existing file is kept, no request is made.
    const auto kept = runCli({QStringLiteral("--json"), QStringLiteral("download"), url}, env);
    ASSERT_EQ(kept.exitCode, 0) << kept.err.toStdString();
    EXPECT_TRUE(json(kept).value(u"from_cache").toBool());
    EXPECT_EQ(readFile(checkpoints + QStringLiteral("/again.pth")), QByteArrayLiteral("old bytes"));

    const auto replaced = runCli(
        {QStringLiteral("--json"), QStringLiteral("download"), url, QStringLiteral("--replace")},
        env);
    ASSERT_EQ(replaced.exitCode, 0) << replaced.err.toStdString();
    EXPECT_FALSE(json(replaced).value(u"from_cache").toBool());
    EXPECT_EQ(readFile(checkpoints + QStringLiteral("/again.pth")), data);
    EXPECT_EQ(QDir(checkpoints).entryList(QDir::Files), QStringList{QStringLiteral("again.pth")});
}

TEST_F(CliDownload, ErrorAdviceFitsTheHostAndTheCommand)
{
    asset(QStringLiteral("limited.pth"), "x");
    server.setConfig(
        QJsonObject{{QStringLiteral("assets"),
                     QJsonObject{{QStringLiteral("limited.pth"),
                                  QJsonObject{{QStringLiteral("rate_limit"), true}}}}}});
    const QString limited = server.url() + QStringLiteral("/assets/limited.pth");
    const QString missing = server.url() + QStringLiteral("/assets/missing.pth");

    // A GitHub host without a token: the token helps; download has no --skip-validation.
    auto r = runCli({QStringLiteral("download"), limited}, env);
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(r.err.contains("rate limit")) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains("Set GITHUB_TOKEN")) << r.err.toStdString();
    EXPECT_FALSE(r.err.contains("skip-validation")) << r.err.toStdString();
    r = runCli({QStringLiteral("download"), missing}, env);
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(r.err.contains("404")) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains("GITHUB_TOKEN")) << r.err.toStdString();

    // Any other host never gets the token: no advice about it, even when it is set.
    QProcessEnvironment other = isolatedEnv(tmp.path());
    other.insert(QStringLiteral("GITHUB_TOKEN"), QStringLiteral("ghp_x"));
    r = runCli({QStringLiteral("download"), limited}, other);
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(r.err.contains("rate limit")) << r.err.toStdString();
    EXPECT_FALSE(r.err.contains("GITHUB_TOKEN")) << r.err.toStdString();
    EXPECT_FALSE(r.err.contains("skip-validation")) << r.err.toStdString();
    r = runCli({QStringLiteral("download"), missing}, other);
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(r.err.contains("404")) << r.err.toStdString();
    EXPECT_FALSE(r.err.contains("GITHUB_TOKEN")) << r.err.toStdString();
    EXPECT_FALSE(r.err.contains("private")) << r.err.toStdString();
}

TEST_F(CliDownload, NotAUrlIsQuotedAsTyped)
{
    const auto r = runCli({QStringLiteral("download"), QStringLiteral("not a url")}, env);
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.contains("not a URL: not a url\n")) << r.err.toStdString();
}
