#pragma once

#include <QString>
#include <QtGlobal>

class QProcess;

namespace hubcap {

/// How Hubcap runs its helper hosts (hubcap-pyhost, hubcap-torchhost): each in its own session
/// and process group, so that stopping a host also ends whatever repository code forked; tied
/// to the life of the process that started it; optionally with a memory limit.

/// The per-host memory limit in bytes from $HUBCAP_HOST_MEMORY_LIMIT (what the CLI's global
/// --host-memory-limit sets); 0 when unset or invalid (no limit).
qint64 hostMemoryLimitFromEnvironment();

/// Prepares `process` (before start()) so the child: calls setsid() (new session and process
/// group, leader = the host), gets SIGTERM when the starting thread dies (PR_SET_PDEATHSIG; the
/// pyhost ends its whole group on SIGTERM), and, when `memoryLimitBytes` > 0, runs with
/// RLIMIT_AS = that limit (allocations beyond it fail: MemoryError in Python).
void setUpHostProcess(QProcess *process, qint64 memoryLimitBytes);

/// SIGKILL to the process group `pid` leads (the host and everything it forked that did not
/// leave the group). Does nothing for pid <= 1.
void killHostGroup(qint64 pid);

/// Resident memory (VmRSS) summed over the processes of group `pgid`, in bytes; -1 when it
/// cannot be read (no /proc, process gone).
qint64 processGroupResidentBytes(qint64 pgid);

/// "hit its memory limit of 1.00 GiB" explanation for errors, with what to do.
QString memoryLimitAdvice(qint64 limitBytes);

} // namespace hubcap
