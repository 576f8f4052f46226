#pragma once

#include "core/error.h"

#include <QByteArray>
#include <QNetworkReply>
#include <QUrl>

#include <optional>

namespace hubcap {

/// Where an HTTP error happened, so its advice fits: GITHUB_TOKEN is only worth mentioning for
/// hosts it is sent to, and --skip-validation only where it avoids the request.
struct HttpErrorContext
{
    bool githubHost = false;    ///< a GitHub web/API host (NetworkConfig::isGithubHost)
    bool tokenSet = false;      ///< GITHUB_TOKEN was set and sent with the request
    bool refValidation = false; ///< the ref validation of fetch/list/load (skip-validation helps)
};

/// Turns a finished QNetworkReply into a hubcap::Error a user can act on, or nullopt when the
/// reply is a success (2xx/3xx without a network error). URLs in messages never carry
/// credentials (redactUrl).
///
/// - 403/429 with `X-RateLimit-Remaining: 0` → Code::RateLimited, naming the reset time
///   (X-RateLimit-Reset, local time) and the ways out that apply in `context` (GITHUB_TOKEN
///   when none was sent to a GitHub host, --skip-validation for the ref validation).
/// - other HTTP errors → Code::Http (NotFound for 404), naming the status and the URL.
/// - host not found, connection refused, network unreachable, connect timeout →
///   Code::Offline ("looks like there is no network connection"); callers that can fall back
///   to a cache test for it.
/// - other transport errors (TLS, stall timeout, cut connection, proxy) → Code::Network.
/// `what` names the operation for the message ("download", "GitHub API request"); optional.
/// The context comes from the reply: a GitHub host per NetworkConfig::fromEnvironment(), the
/// token as the request's Authorization header.
std::optional<Error> replyError(QNetworkReply *reply, const QString &what = {});

/// The HTTP part of replyError() for callers that already have the status and headers.
Error httpStatusError(int status, const QUrl &url, const QByteArray &rateLimitRemaining,
                      const QByteArray &rateLimitReset, const QString &what = {},
                      const HttpErrorContext &context = {});

/// The transport part of replyError(): `error` is the reply's error code, `errorString` Qt's
/// text (goes into details), `timeout` "connect"/"stall"/empty.
Error networkError(QNetworkReply::NetworkError error, const QUrl &url, const QString &errorString,
                   const QString &timeout = {}, const QString &what = {});

/// Worth an automatic retry: 5xx, 408 (429 only via its own backoff, not here).
bool isTransientStatus(int status);
/// Worth an automatic retry: cut connections, stall timeouts, temporary failures.
bool isTransientNetworkError(QNetworkReply::NetworkError error);

} // namespace hubcap
