#include "core/error.h"

namespace hubcap {

QString Error::codeName() const
{
    switch (code) {
    case Code::Generic:
        return QStringLiteral("error");
    case Code::InvalidArgument:
        return QStringLiteral("invalid_argument");
    case Code::NotFound:
        return QStringLiteral("not_found");
    case Code::Io:
        return QStringLiteral("io");
    case Code::Network:
        return QStringLiteral("network");
    case Code::Http:
        return QStringLiteral("http");
    case Code::RateLimited:
        return QStringLiteral("rate_limited");
    case Code::Offline:
        return QStringLiteral("offline");
    case Code::Untrusted:
        return QStringLiteral("untrusted");
    case Code::Integrity:
        return QStringLiteral("integrity");
    case Code::HostFailed:
        return QStringLiteral("host_failed");
    case Code::Cancelled:
        return QStringLiteral("cancelled");
    case Code::Busy:
        return QStringLiteral("busy");
    }
    return QStringLiteral("error");
}

} // namespace hubcap
