#include "core/net/httperror.h"

#include "core/net/networkconfig.h"
#include "core/util/format.h"

#include <QDateTime>
#include <QObject>

namespace hubcap {

namespace {

QString reasonPhrase(int status)
{
    switch (status) {
    case 400:
        return QStringLiteral("Bad Request");
    case 401:
        return QStringLiteral("Unauthorized");
    case 403:
        return QStringLiteral("Forbidden");
    case 404:
        return QStringLiteral("Not Found");
    case 408:
        return QStringLiteral("Request Timeout");
    case 410:
        return QStringLiteral("Gone");
    case 416:
        return QStringLiteral("Range Not Satisfiable");
    case 429:
        return QStringLiteral("Too Many Requests");
    case 500:
        return QStringLiteral("Internal Server Error");
    case 502:
        return QStringLiteral("Bad Gateway");
    case 503:
        return QStringLiteral("Service Unavailable");
    case 504:
        return QStringLiteral("Gateway Timeout");
    default:
        return {};
    }
}

QString subject(const QString &what)
{
    return what.isEmpty() ? QObject::tr("Request") : what.at(0).toUpper() + what.mid(1);
}

} // namespace

Error httpStatusError(int status, const QUrl &url, const QByteArray &rateLimitRemaining,
                      const QByteArray &rateLimitReset, const QString &what,
                      const HttpErrorContext &context)
{
    const QString safeUrl = redactUrl(url);
    const QString statusText =
        QStringLiteral("HTTP %1 %2").arg(status).arg(reasonPhrase(status)).trimmed();
    if ((status == 403 || status == 429) && rateLimitRemaining.trimmed() == "0") {
        QString when = QObject::tr("later");
        bool ok = false;
        const qint64 epoch = rateLimitReset.trimmed().toLongLong(&ok);
        if (ok && epoch > 0) {
            const QDateTime reset = QDateTime::fromSecsSinceEpoch(epoch).toLocalTime();
            const qint64 wait = QDateTime::currentDateTime().secsTo(reset);
            when = QObject::tr("at %1 local time")
                       .arg(reset.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
            if (wait > 0)
                when += QObject::tr(" (in %1)").arg(humanDuration(wait));
        }
        QString message;
        if (!context.githubHost)
            message = QObject::tr("The rate limit of %1 was hit; it resets %2. Try again then.")
                          .arg(url.host(), when);
        else if (context.tokenSet)
            message = QObject::tr("GitHub's API rate limit was hit even with GITHUB_TOKEN set: the "
                                  "token's quota is exhausted too. It resets %1; try again then.")
                          .arg(when);
        else
            message = QObject::tr("GitHub's API rate limit was hit; it resets %1. Set GITHUB_TOKEN "
                                  "to a personal access token for a higher limit.")
                          .arg(when);
        if (context.refValidation)
            message += QObject::tr(" Or pass --skip-validation (skip_validation=True in Python) to "
                                   "skip the ref validation, which is what calls GitHub's API.");
        return Error::make(
            Error::Code::RateLimited, message,
            QStringLiteral("%1 from %2 (X-RateLimit-Remaining: 0)").arg(statusText, safeUrl));
    }
    QString hint;
    Error::Code code = Error::Code::Http;
    if (status == 404) {
        code = Error::Code::NotFound;
        if (!context.githubHost)
            hint = QObject::tr(" Check the URL.");
        else if (context.tokenSet)
            hint = QObject::tr(" Check the URL (a private repository also answers 404 when "
                               "GITHUB_TOKEN has no access to it).");
        else
            hint = QObject::tr(" Check the URL (a private repository also answers 404 without a "
                               "valid GITHUB_TOKEN).");
    } else if (status == 401 || status == 403) {
        hint = context.githubHost
                   ? QObject::tr(" The server refused access: check GITHUB_TOKEN if the resource "
                                 "is private.")
                   : QObject::tr(" The server refused access (Hubcap sends no credentials to %1).")
                         .arg(url.host());
    } else if (status >= 500) {
        hint = QObject::tr(" The server had a problem; try again later.");
    }
    return Error::make(
        code, QObject::tr("%1 failed: %2 for %3.%4").arg(subject(what), statusText, safeUrl, hint),
        statusText);
}

Error networkError(QNetworkReply::NetworkError error, const QUrl &url, const QString &errorString,
                   const QString &timeout, const QString &what)
{
    const QString safeUrl = redactUrl(url);
    const QString host = url.host();
    // Qt's errorString may repeat the URL; it is redacted the same way.
    QString details = errorString;
    details.replace(url.toString(), safeUrl);
    details.replace(url.toString(QUrl::FullyEncoded), safeUrl);
    if (!url.password().isEmpty())
        details.replace(url.password(), QStringLiteral("***"));
    const QString s = subject(what);
    if (timeout == u"connect") {
        return Error::make(
            Error::Code::Offline,
            QObject::tr("%1 failed: could not connect to %2 in time. Check your network "
                        "connection and proxy settings (http_proxy/https_proxy).")
                .arg(s, host),
            safeUrl);
    }
    if (timeout == u"stall") {
        return Error::make(Error::Code::Network,
                           QObject::tr("%1 failed: %2 stopped sending data. Try again; an "
                                       "interrupted download resumes where it stopped.")
                               .arg(s, host),
                           safeUrl);
    }
    switch (error) {
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::TemporaryNetworkFailureError:
        return Error::make(
            Error::Code::Offline,
            QObject::tr("%1 failed: cannot reach %2. It looks like there is no network "
                        "connection (or the host is down). Check your connection and "
                        "proxy settings, then try again.")
                .arg(s, host),
            details + QStringLiteral(" (") + safeUrl + u')');
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:
        return Error::make(
            Error::Code::Network,
            QObject::tr("%1 failed: %2 timed out (no data within the stall timeout). "
                        "Try again later.")
                .arg(s, host),
            safeUrl);
    case QNetworkReply::RemoteHostClosedError:
        return Error::make(
            Error::Code::Network,
            QObject::tr("%1 failed: %2 closed the connection early. Try again.").arg(s, host),
            details);
    case QNetworkReply::SslHandshakeFailedError:
        return Error::make(
            Error::Code::Network,
            QObject::tr("%1 failed: the TLS handshake with %2 failed. Check the system "
                        "certificates (SSL_CERT_FILE / SSL_CERT_DIR) and the system clock.")
                .arg(s, host),
            details);
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::ProxyAuthenticationRequiredError:
        return Error::make(
            Error::Code::Network,
            QObject::tr("%1 failed: the proxy refused or could not be reached. Check "
                        "http_proxy/https_proxy/no_proxy.")
                .arg(s),
            details);
    case QNetworkReply::ContentNotFoundError:
        return Error::make(Error::Code::NotFound,
                           QObject::tr("%1 failed: %2 does not exist.").arg(s, safeUrl), details);
    default:
        return Error::make(Error::Code::Network,
                           QObject::tr("%1 failed: network error talking to %2. Try again.")
                               .arg(s, host.isEmpty() ? safeUrl : host),
                           details);
    }
}

std::optional<Error> replyError(QNetworkReply *reply, const QString &what)
{
    const QVariant statusAttr = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const int status = statusAttr.isValid() ? statusAttr.toInt() : 0;
    if (status >= 400) {
        HttpErrorContext context;
        // The token only ever travels to GitHub's hosts (NetworkConfig::request).
        context.tokenSet = reply->request().hasRawHeader("Authorization");
        context.githubHost =
            context.tokenSet || NetworkConfig::fromEnvironment().isGithubHost(reply->url());
        return httpStatusError(status, reply->url(), reply->rawHeader("X-RateLimit-Remaining"),
                               reply->rawHeader("X-RateLimit-Reset"), what, context);
    }
    if (reply->error() == QNetworkReply::NoError)
        return std::nullopt;
    return networkError(reply->error(), reply->url(), reply->errorString(),
                        reply->property("hubcap_timeout").toString(), what);
}

bool isTransientStatus(int status)
{
    return status >= 500 || status == 408;
}

bool isTransientNetworkError(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::TimeoutError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::UnknownNetworkError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::InternalServerError:
    case QNetworkReply::ServiceUnavailableError:
    case QNetworkReply::UnknownServerError:
        return true;
    default:
        return false;
    }
}

} // namespace hubcap
