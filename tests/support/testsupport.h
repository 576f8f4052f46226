#pragma once

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <gtest/gtest.h>

#include <ostream>

// Readable QString in GoogleTest failure messages.
QT_BEGIN_NAMESPACE
inline void PrintTo(const QString &s, std::ostream *os)
{
    *os << '"' << s.toStdString() << '"';
}
QT_END_NAMESPACE

namespace hubcap::test {

struct ProcessResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    bool crashed = false;
};

/// Runs a program to completion (default 120 s timeout) with `env` (system env when empty).
ProcessResult run(const QString &program, const QStringList &args,
                  const QProcessEnvironment &env = {}, const QByteArray &stdinData = {},
                  int timeoutMs = 120000, const QString &workDir = {});

/// Runs the built hubcap-cli.
ProcessResult runCli(const QStringList &args, const QProcessEnvironment &env = {},
                     const QByteArray &stdinData = {});

/// Runs Debian's /usr/bin/python3 with a script given as text.
ProcessResult runPython(const QString &script, const QProcessEnvironment &env = {},
                        int timeoutMs = 180000);

/// A clean environment for child processes: HOME, TORCH_HOME and XDG_CACHE_HOME point into
/// `root`, no GITHUB_TOKEN, proxies cleared.
QProcessEnvironment isolatedEnv(const QString &root);

/// Writes `data` to `path`, creating parent folders.
void writeFile(const QString &path, const QByteArray &data);
QByteArray readFile(const QString &path);

QString sourceDir();
QString binDir();

/// A small tmpfs mounted on `dir` (created) for "disk full" tests; unmounted when destroyed.
/// Needs root: ok() is false (and why() says so) when it cannot be mounted, and the test then
/// skips with GTEST_SKIP() << mount.why().
class TmpfsMount
{
public:
    TmpfsMount(const QString &dir, const QString &size);
    ~TmpfsMount();
    TmpfsMount(const TmpfsMount &) = delete;
    TmpfsMount &operator=(const TmpfsMount &) = delete;
    bool ok() const { return m_mounted; }
    QString why() const { return m_why; }
    QString path() const { return m_dir; }

private:
    QString m_dir, m_why;
    bool m_mounted = false;
};

} // namespace hubcap::test
