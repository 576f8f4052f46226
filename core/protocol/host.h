#pragma once

// The host protocol's envelope: what every helper process says first (its hello) and how the
// Python host reports an exception. See docs/cli-json.md ("Host protocol").

#include "core/error.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace hubcap {

/// The version of the JSON-lines protocol between the core and its helper processes
/// (hubcap-pyhost, hubcap-torchhost). A host says it in its hello; a client that meets another
/// number refuses to use the host (mixed installations fail with a clear error, not with
/// missing fields). Raise it when a change is not backwards compatible (a key renamed or
/// removed, a meaning changed); adding keys or methods does not need a new version.
inline constexpr int kHostProtocolVersion = 1;

/// Who answered: the first line every host writes, {"hello": {...}}.
struct HostIdentity
{
    QString host;     ///< "hubcap-pyhost" or "hubcap-torchhost"
    int protocol = 0; ///< 0: the host sent no hello (an old host)
    qint64 pid = 0;
    QString pythonExecutable; ///< sys.executable (Python host only)
    QString pythonVersion;    ///< "3.11.2" (Python host only)
    QString torchVersion;     ///< "2.1.2"; empty when torch is not installed for that Python

    bool isKnown() const { return protocol > 0; }
    /// NotFound-free check: HostFailed with what to do when the protocol differs.
    Result<void> checkCompatible() const;

    static HostIdentity fromJson(const QJsonObject &hello);
    QJsonObject toJson() const;
};

/// The Python host's report of an exception raised while it served a request (by repository
/// code or by the host itself): {"type", "message", "traceback", "output", "warnings"}.
struct PythonError
{
    QString type; ///< "ModuleNotFoundError", "NoHubconf", "ProtocolError", ...
    QString message;
    QString traceback; ///< empty for the static analyser's own errors
    QString output;    ///< what repository code printed before it failed
    QStringList warnings;

    bool isEmpty() const { return type.isEmpty() && message.isEmpty(); }
    /// The Error the client reports: NotFound for a missing hubconf or callable,
    /// InvalidArgument for bad arguments or syntax, HostFailed for protocol errors.
    Error toError() const;

    static PythonError fromJson(const QJsonObject &o);
    QJsonObject toJson() const;
};

} // namespace hubcap
