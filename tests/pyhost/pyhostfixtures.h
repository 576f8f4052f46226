#pragma once

// Fixture hub repositories for the Python host tests, written by the tests (never fetched),
// and helpers to run host requests and Debian's torch.hub as the oracle.

#include "core/hosts/pyhost/client/pyhostclient.h"
#include "tests/support/testsupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QTemporaryDir>

namespace hubcap::test {

/// A QCoreApplication for the event loops of QProcess and jobs.
void ensureApp();

/// Writes every fixture repository below `root`:
///   rich/        defined functions, a class, underscore helpers, names imported from a repo
///                package (models/), a star import (pkg/stars.py), functools.partial (both
///                spellings), a globals() loop, imported outside names (functools.partial,
///                pathlib.Path), a non-callable import (math.pi), a submodule import
///                (os.path), a distribution-name dependency (PyYAML) and a missing one.
///   rich_ok/     rich/ with dependencies = ['os'] (torch.hub.help answers for every name).
///   missing_dep/ dependencies = ['nonexistent_pkg_xyz'] with one entrypoint.
///   syntax/      a syntax error in hubconf.py.
///   hang/        loops forever at import.      segv/  segfaults at import (ctypes).
///   sysexit/     calls sys.exit(3) at import.  osexit/ calls os._exit(7) at import.
///   noisy/       prints (Python and C level) at import and in an entrypoint.
///   repo_a/, repo_b/  both ship a top-level `models` package with different contents.
///   hub/owner_repo_v1/, hub/owner_repo_v2/  two refs of one repository, different entrypoints
///                and a `utils` package that differs.
void writeFixtures(const QString &root);

/// Runs one request through `pool` as a PyHostJob and waits for it.
struct HostAnswer
{
    bool ok = false;
    QJsonObject result;
    Error error;
    QJsonObject pythonError;
};
HostAnswer ask(PyHostPool &pool, const QString &repoDir, const QString &method,
               const QJsonObject &params = {}, int deadlineMs = 60000);

/// Runs `script` with /usr/bin/python3 and parses the JSON it prints last on stdout.
QJsonObject pythonJson(const QString &script, int timeoutMs = 180000);

/// The oracle: for each dir, torch.hub.list() (with the cache step patched to return the dir,
/// which is what source='local' means for load) and torch.hub.help() of each listed name and
/// of `extraHelp` names. {dir: {"list": [...]|null, "list_error": "...", "help": {name: doc},
/// "help_error": {name: "Type: message"}}}.
QJsonObject torchHubOracle(const QStringList &dirs, const QStringList &extraHelp = {});

QStringList names(const QJsonArray &entrypoints);
QStringList strings(const QJsonValue &array);

} // namespace hubcap::test
