#include "tests/support/testsupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>

#include <unistd.h>

namespace hubcap::test {

QString sourceDir()
{
    return QStringLiteral(HUBCAP_SOURCE_DIR);
}

QString binDir()
{
    return QStringLiteral(HUBCAP_BIN_DIR);
}

ProcessResult run(const QString &program, const QStringList &args, const QProcessEnvironment &env,
                  const QByteArray &stdinData, int timeoutMs, const QString &workDir)
{
    QProcess p;
    if (!env.isEmpty())
        p.setProcessEnvironment(env);
    if (!workDir.isEmpty())
        p.setWorkingDirectory(workDir);
    p.start(program, args);
    ProcessResult r;
    if (!p.waitForStarted(10000)) {
        r.err = "failed to start " + program.toUtf8();
        return r;
    }
    if (!stdinData.isEmpty())
        p.write(stdinData);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = "timed out: " + program.toUtf8();
        r.crashed = true;
    }
    r.out += p.readAllStandardOutput();
    r.err += p.readAllStandardError();
    r.crashed = r.crashed || p.exitStatus() == QProcess::CrashExit;
    r.exitCode = p.exitCode();
    return r;
}

ProcessResult runCli(const QStringList &args, const QProcessEnvironment &env,
                     const QByteArray &stdinData)
{
    return run(binDir() + QStringLiteral("/hubcap-cli"), args, env, stdinData);
}

ProcessResult runPython(const QString &script, const QProcessEnvironment &env, int timeoutMs)
{
    return run(QStringLiteral(HUBCAP_PYTHON), {QStringLiteral("-c"), script}, env, {}, timeoutMs);
}

QProcessEnvironment isolatedEnv(const QString &root)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name :
         {"TORCH_HOME", "XDG_CACHE_HOME", "GITHUB_TOKEN", "http_proxy", "https_proxy", "HTTP_PROXY",
          "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "TORCH_HUB"})
        env.remove(QString::fromLatin1(name));
    QDir().mkpath(root + QStringLiteral("/home"));
    env.insert(QStringLiteral("HOME"), root + QStringLiteral("/home"));
    env.insert(QStringLiteral("TORCH_HOME"), root + QStringLiteral("/torch"));
    env.insert(QStringLiteral("no_proxy"), QStringLiteral("127.0.0.1,localhost"));
    return env;
}

void writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate)) << path.toStdString();
    f.write(data);
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

TmpfsMount::TmpfsMount(const QString &dir, const QString &size) : m_dir(dir)
{
    QDir().mkpath(dir);
    if (::geteuid() != 0) {
        m_why = QStringLiteral("needs root to mount a small tmpfs (a real full disk)");
        return;
    }
    const ProcessResult r =
        run(QStringLiteral("mount"),
            {QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"),
             QStringLiteral("size=") + size, QStringLiteral("hubcap-test"), dir},
            {}, {}, 20000);
    m_mounted = r.exitCode == 0;
    if (!m_mounted)
        m_why = QStringLiteral("cannot mount a tmpfs here: ") + QString::fromLocal8Bit(r.err);
}

TmpfsMount::~TmpfsMount()
{
    if (m_mounted)
        run(QStringLiteral("umount"), {QStringLiteral("-l"), m_dir}, {}, {}, 20000);
}

} // namespace hubcap::test
