#include "core/util/hostprocess.h"

#include "core/util/format.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>

#include <csignal>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

namespace hubcap {

qint64 hostMemoryLimitFromEnvironment()
{
    bool ok = false;
    const qint64 v = qEnvironmentVariable("HUBCAP_HOST_MEMORY_LIMIT").toLongLong(&ok);
    return ok && v > 0 ? v : 0;
}

void setUpHostProcess(QProcess *process, qint64 memoryLimitBytes)
{
    const pid_t parent = ::getpid();
    process->setChildProcessModifier([parent, memoryLimitBytes] {
        // After fork, before exec: async-signal-safe calls only.
        ::setsid();
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent)
            ::_exit(127); // the starter died between fork and prctl
        if (memoryLimitBytes > 0) {
            struct rlimit rl;
            rl.rlim_cur = rlim_t(memoryLimitBytes);
            rl.rlim_max = rlim_t(memoryLimitBytes);
            ::setrlimit(RLIMIT_AS, &rl);
        }
    });
}

void killHostGroup(qint64 pid)
{
    if (pid <= 1)
        return;
    if (pid_t(pid) == ::getpgrp() || pid_t(pid) == ::getpid())
        return; // never our own group
    const pid_t group = ::getpgid(pid_t(pid));
    if (group == pid_t(pid) || group < 0)
        ::kill(-pid_t(pid), SIGKILL); // the group it leads (or led: its children may remain)
    else
        ::kill(pid_t(pid), SIGKILL); // not a group leader (setsid failed): the host alone
}

qint64 processGroupResidentBytes(qint64 pgid)
{
    if (pgid <= 1)
        return -1;
    qint64 total = 0;
    bool any = false;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &name : entries) {
        bool ok = false;
        const qint64 pid = name.toLongLong(&ok);
        if (!ok)
            continue;
        if (pid != pgid && ::getpgid(pid_t(pid)) != pid_t(pgid))
            continue;
        QFile status(QStringLiteral("/proc/%1/status").arg(pid));
        if (!status.open(QIODevice::ReadOnly))
            continue;
        const QList<QByteArray> lines = status.readAll().split('\n');
        for (const QByteArray &line : lines) {
            if (!line.startsWith("VmRSS:"))
                continue;
            const QList<QByteArray> parts = line.simplified().split(' ');
            if (parts.size() >= 2) {
                total += parts[1].toLongLong() * 1024;
                any = true;
            }
        }
    }
    return any ? total : -1;
}

QString memoryLimitAdvice(qint64 limitBytes)
{
    return QCoreApplication::translate(
               "hubcap", "it reached its memory limit of %1 (set with --host-memory-limit or in "
                         "Settings; raise it, or use 0 for no limit)")
        .arg(humanSize(limitBytes));
}

} // namespace hubcap
