#include "core/protocol/host.h"

#include "core/protocol/json.h"

#include <QCoreApplication>

namespace hubcap {

using namespace protocol;

Result<void> HostIdentity::checkCompatible() const
{
    if (protocol == kHostProtocolVersion)
        return {};
    const QString name = host.isEmpty() ? QStringLiteral("the helper process") : host;
    return fail(Error::Code::HostFailed,
                QCoreApplication::translate("hubcap::HostIdentity",
                                            "%1 speaks protocol %2, this Hubcap speaks %3: the "
                                            "helper belongs to another installation. Reinstall "
                                            "Hubcap, or point HUBCAP_PYHOST / HUBCAP_TORCHHOST "
                                            "at the matching helper.")
                    .arg(name)
                    .arg(protocol)
                    .arg(kHostProtocolVersion));
}

HostIdentity HostIdentity::fromJson(const QJsonObject &o)
{
    HostIdentity h;
    h.host = json::str(o, QLatin1StringView("host"));
    h.protocol = int(json::int64(o, QLatin1StringView("protocol")));
    h.pid = json::int64(o, QLatin1StringView("pid"));
    h.pythonExecutable = json::str(o, QLatin1StringView("python_executable"));
    h.pythonVersion = json::str(o, QLatin1StringView("python_version"));
    h.torchVersion = json::str(o, QLatin1StringView("torch_version"));
    return h;
}

QJsonObject HostIdentity::toJson() const
{
    QJsonObject o{{QStringLiteral("host"), host},
                  {QStringLiteral("protocol"), protocol},
                  {QStringLiteral("pid"), pid}};
    if (!pythonExecutable.isEmpty())
        o.insert(QStringLiteral("python_executable"), pythonExecutable);
    if (!pythonVersion.isEmpty())
        o.insert(QStringLiteral("python_version"), pythonVersion);
    o.insert(QStringLiteral("torch_version"),
             torchVersion.isEmpty() ? QJsonValue() : QJsonValue(torchVersion));
    return o;
}

Error PythonError::toError() const
{
    Error::Code code = Error::Code::Generic;
    if (message.startsWith(u"Cannot find callable") || type == u"FileNotFoundError" ||
        type == u"NoHubconf")
        code = Error::Code::NotFound;
    else if (type == u"SyntaxError" || type == u"ValueError" || type == u"TypeError")
        code = Error::Code::InvalidArgument;
    else if (type == u"ProtocolError")
        code = Error::Code::HostFailed;
    return Error::make(code,
                       type == u"NoHubconf" ? message // a sentence of its own, not a Python error
                                            : QStringLiteral("%1: %2").arg(type, message),
                       traceback);
}

PythonError PythonError::fromJson(const QJsonObject &o)
{
    PythonError e;
    e.type = json::str(o, QLatin1StringView("type"));
    e.message = json::str(o, QLatin1StringView("message"));
    e.traceback = json::str(o, QLatin1StringView("traceback"));
    e.output = json::str(o, QLatin1StringView("output"));
    e.warnings = json::strings(o.value(QLatin1StringView("warnings")));
    return e;
}

QJsonObject PythonError::toJson() const
{
    QJsonObject o{{QStringLiteral("type"), type}, {QStringLiteral("message"), message}};
    if (!traceback.isEmpty())
        o.insert(QStringLiteral("traceback"), traceback);
    o.insert(QStringLiteral("output"), output);
    o.insert(QStringLiteral("warnings"), json::array(warnings));
    return o;
}

} // namespace hubcap
