#pragma once

#include <QByteArray>
#include <QNetworkRequest>
#include <QProcessEnvironment>
#include <QString>
#include <QUrl>

#include <optional>

class QNetworkAccessManager;
class QNetworkReply;
class QObject;

namespace hubcap {

/// Endpoints, credentials, timeouts and proxy policy for every request Hubcap makes.
///
/// - `HUBCAP_GITHUB_URL` (default https://github.com) and `HUBCAP_GITHUB_API_URL` (default
///   https://api.github.com) select the GitHub web and API bases (Enterprise, mirrors, tests).
/// - `GITHUB_TOKEN` is held here and only ever leaves as an `Authorization: token <x>` header to
///   one of those two hosts (set even when empty, as torch.hub does). It is never printed:
///   use redactUrl() for every URL that goes into a message.
/// - Connect and stall timeouts (torch.hub has none): 15 s / 30 s by default, or
///   `HUBCAP_CONNECT_TIMEOUT` / `HUBCAP_STALL_TIMEOUT` in seconds (decimals allowed).
/// - Proxies come from the environment and the system (QNetworkProxyFactory).
class NetworkConfig
{
public:
    NetworkConfig();

    static NetworkConfig
    fromEnvironment(const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment());

    QUrl githubUrl() const { return m_githubUrl; }       ///< without trailing '/'
    QUrl githubApiUrl() const { return m_githubApiUrl; } ///< without trailing '/'
    void setGithubUrl(const QUrl &url);
    void setGithubApiUrl(const QUrl &url);

    /// True when GITHUB_TOKEN was set (even to an empty string, as torch.hub treats it).
    bool hasToken() const { return m_token.has_value(); }
    void setToken(std::optional<QString> token) { m_token = std::move(token); }
    /// The "Authorization" header value ("token <x>"), empty without a token. Never log it.
    QByteArray authorizationHeader() const;

    int connectTimeoutMs() const { return m_connectTimeoutMs; }
    int stallTimeoutMs() const { return m_stallTimeoutMs; }
    void setConnectTimeoutMs(int ms) { m_connectTimeoutMs = ms; }
    void setStallTimeoutMs(int ms) { m_stallTimeoutMs = ms; }

    /// torch.hub's User-Agent for downloads (zipballs and weights).
    static QByteArray downloadUserAgent() { return QByteArrayLiteral("torch.hub"); }

    /// True when `url` points at the GitHub web or API host (scheme, host and port match).
    /// Only such URLs ever receive the token.
    bool isGithubHost(const QUrl &url) const;

    /// A request for `url` with the stall timeout as transfer timeout, manual redirects
    /// (callers that follow redirects re-create the request with this function, so the token
    /// never travels to a foreign host), and, when `withToken` and the host is GitHub's, the
    /// Authorization header. `userAgent` empty leaves Qt's default.
    QNetworkRequest request(const QUrl &url, bool withToken,
                            const QByteArray &userAgent = downloadUserAgent()) const;

    /// Aborts `reply` when no response headers arrived within the connect timeout; the reply
    /// then carries the property "hubcap_timeout" = "connect" so replyError() can say so.
    void armConnectTimeout(QNetworkReply *reply) const;

    /// A QNetworkAccessManager using system/environment proxies (calls
    /// QNetworkProxyFactory::setUseSystemConfiguration(true) once per process).
    static QNetworkAccessManager *createManager(QObject *parent);

private:
    QUrl m_githubUrl;
    QUrl m_githubApiUrl;
    std::optional<QString> m_token;
    int m_connectTimeoutMs = 15000;
    int m_stallTimeoutMs = 30000;
};

/// `url` for messages and logs: user info (user:password@) removed, and query parameters that
/// look like credentials (token, access_token, sig, signature, X-Amz-*, key) replaced by "***".
QString redactUrl(const QUrl &url);
QString redactUrl(const QString &url);

} // namespace hubcap
