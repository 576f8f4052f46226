#include "ui/settings/appsettings.h"

#include "core/net/networkconfig.h"

#include <QSettings>
#include <QUrl>

namespace hubcap::ui {

AppSettings AppSettings::load()
{
    QSettings s;
    AppSettings a;
    a.hubDir = s.value(QStringLiteral("hubDir")).toString();
    a.githubUrl = s.value(QStringLiteral("github/url")).toString();
    a.githubApiUrl = s.value(QStringLiteral("github/apiUrl")).toString();
    a.concurrency = s.value(QStringLiteral("network/concurrency"), 3).toInt();
    a.connectTimeoutS = s.value(QStringLiteral("network/connectTimeout"), 0).toInt();
    a.stallTimeoutS = s.value(QStringLiteral("network/stallTimeout"), 0).toInt();
    a.appearance = s.value(QStringLiteral("ui/appearance")).toString();
    a.hostIdleMinutes = s.value(QStringLiteral("hosts/idleMinutes"), 5).toInt();
    a.hostMemoryLimitMiB = s.value(QStringLiteral("hosts/memoryLimitMiB"), 0).toInt();
    return a;
}

void AppSettings::save() const
{
    QSettings s;
    s.setValue(QStringLiteral("hubDir"), hubDir);
    s.setValue(QStringLiteral("github/url"), githubUrl);
    s.setValue(QStringLiteral("github/apiUrl"), githubApiUrl);
    s.setValue(QStringLiteral("network/concurrency"), concurrency);
    s.setValue(QStringLiteral("network/connectTimeout"), connectTimeoutS);
    s.setValue(QStringLiteral("network/stallTimeout"), stallTimeoutS);
    s.setValue(QStringLiteral("ui/appearance"), appearance);
    s.setValue(QStringLiteral("hosts/idleMinutes"), hostIdleMinutes);
    s.setValue(QStringLiteral("hosts/memoryLimitMiB"), hostMemoryLimitMiB);
}

void AppSettings::applyTo(NetworkConfig &config) const
{
    if (!githubUrl.isEmpty())
        config.setGithubUrl(QUrl(githubUrl));
    if (!githubApiUrl.isEmpty())
        config.setGithubApiUrl(QUrl(githubApiUrl));
    if (connectTimeoutS > 0)
        config.setConnectTimeoutMs(connectTimeoutS * 1000);
    if (stallTimeoutS > 0)
        config.setStallTimeoutMs(stallTimeoutS * 1000);
}

} // namespace hubcap::ui
