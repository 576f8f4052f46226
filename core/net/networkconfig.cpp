#include "core/net/networkconfig.h"

#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>
#include <QNetworkReply>
#include <QPointer>
#include <QTimer>
#include <QUrlQuery>

namespace hubcap {

namespace {

QUrl baseUrl(const QString &value, const char *fallback)
{
    QString s = value.trimmed();
    if (s.isEmpty())
        s = QString::fromLatin1(fallback);
    while (s.endsWith(u'/'))
        s.chop(1);
    return QUrl(s);
}

int timeoutFromEnv(const QProcessEnvironment &env, const char *name, int fallbackMs)
{
    bool ok = false;
    const double secs = env.value(QString::fromLatin1(name)).toDouble(&ok);
    return ok && secs > 0 ? int(secs * 1000.0) : fallbackMs;
}

bool sameOrigin(const QUrl &a, const QUrl &b)
{
    const auto defPort = [](const QUrl &u) {
        return u.port(u.scheme() == u"https" ? 443 : (u.scheme() == u"http" ? 80 : -1));
    };
    return a.scheme().compare(b.scheme(), Qt::CaseInsensitive) == 0 &&
           a.host().compare(b.host(), Qt::CaseInsensitive) == 0 && defPort(a) == defPort(b);
}

} // namespace

NetworkConfig::NetworkConfig()
    : m_githubUrl(QStringLiteral("https://github.com")),
      m_githubApiUrl(QStringLiteral("https://api.github.com"))
{}

NetworkConfig NetworkConfig::fromEnvironment(const QProcessEnvironment &env)
{
    NetworkConfig c;
    c.m_githubUrl = baseUrl(env.value(QStringLiteral("HUBCAP_GITHUB_URL")), "https://github.com");
    c.m_githubApiUrl =
        baseUrl(env.value(QStringLiteral("HUBCAP_GITHUB_API_URL")), "https://api.github.com");
    if (env.contains(QStringLiteral("GITHUB_TOKEN")))
        c.m_token = env.value(QStringLiteral("GITHUB_TOKEN"));
    c.m_connectTimeoutMs = timeoutFromEnv(env, "HUBCAP_CONNECT_TIMEOUT", c.m_connectTimeoutMs);
    c.m_stallTimeoutMs = timeoutFromEnv(env, "HUBCAP_STALL_TIMEOUT", c.m_stallTimeoutMs);
    return c;
}

void NetworkConfig::setGithubUrl(const QUrl &url)
{
    m_githubUrl = baseUrl(url.toString(), "https://github.com");
}

void NetworkConfig::setGithubApiUrl(const QUrl &url)
{
    m_githubApiUrl = baseUrl(url.toString(), "https://api.github.com");
}

QByteArray NetworkConfig::authorizationHeader() const
{
    if (!m_token)
        return {};
    return QByteArrayLiteral("token ") + m_token->toUtf8();
}

bool NetworkConfig::isGithubHost(const QUrl &url) const
{
    return sameOrigin(url, m_githubUrl) || sameOrigin(url, m_githubApiUrl);
}

QNetworkRequest NetworkConfig::request(const QUrl &url, bool withToken,
                                       const QByteArray &userAgent) const
{
    QNetworkRequest req(url);
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                     QNetworkRequest::ManualRedirectPolicy);
    req.setTransferTimeout(m_stallTimeoutMs);
    if (!userAgent.isEmpty())
        req.setRawHeader("User-Agent", userAgent);
    if (withToken && m_token && isGithubHost(url))
        req.setRawHeader("Authorization", authorizationHeader());
    return req;
}

void NetworkConfig::armConnectTimeout(QNetworkReply *reply) const
{
    auto *timer = new QTimer(reply);
    timer->setSingleShot(true);
    QPointer<QNetworkReply> guard(reply);
    QObject::connect(timer, &QTimer::timeout, reply, [guard] {
        if (guard && guard->isRunning()) {
            guard->setProperty("hubcap_timeout", QStringLiteral("connect"));
            guard->abort();
        }
    });
    QObject::connect(reply, &QNetworkReply::metaDataChanged, timer, &QTimer::stop);
    QObject::connect(reply, &QNetworkReply::finished, timer, &QTimer::stop);
    reply->setProperty("hubcap_connect_timeout_ms", m_connectTimeoutMs);
    timer->start(m_connectTimeoutMs);
}

QNetworkAccessManager *NetworkConfig::createManager(QObject *parent)
{
    static const bool once = [] {
        // http_proxy/https_proxy/no_proxy on Unix, the system settings elsewhere.
        QNetworkProxyFactory::setUseSystemConfiguration(true);
        return true;
    }();
    Q_UNUSED(once);
    auto *nam = new QNetworkAccessManager(parent);
    nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    return nam;
}

QString redactUrl(const QUrl &url)
{
    QUrl u = url;
    u.setUserInfo({});
    if (u.hasQuery()) {
        QUrlQuery q(u);
        const auto items = q.queryItems(QUrl::FullyEncoded);
        QUrlQuery out;
        for (const auto &[key, value] : items) {
            const QString k = key.toLower();
            const bool secret = k == u"token" || k == u"access_token" || k == u"sig" ||
                                k == u"signature" || k == u"key" || k == u"api_key" ||
                                k == u"password" || k.startsWith(u"x-amz-");
            out.addQueryItem(key, secret ? QStringLiteral("***") : value);
        }
        u.setQuery(out);
    }
    return u.toString(QUrl::FullyEncoded);
}

QString redactUrl(const QString &url)
{
    return redactUrl(QUrl(url));
}

} // namespace hubcap
