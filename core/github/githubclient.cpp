#include "core/github/githubclient.h"

#include "core/net/downloadjob.h"
#include "core/net/httperror.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrlQuery>

namespace hubcap {

namespace {

QUrl joined(const QUrl &base, const QString &path)
{
    QUrl u = base;
    u.setPath(base.path() + path);
    return u;
}

} // namespace

GitHubClient::GitHubClient(NetworkConfig config, QObject *parent)
    : QObject(parent), m_config(std::move(config)), m_nam(NetworkConfig::createManager(this))
{}

GitHubClient::~GitHubClient()
{
    abortAll();
}

QUrl GitHubClient::zipballUrl(const QString &owner, const QString &repo, const QString &ref) const
{
    return joined(m_config.githubUrl(), QStringLiteral("/%1/%2/zipball/%3").arg(owner, repo, ref));
}

void GitHubClient::get(const QUrl &url, const QByteArray &accept, QIODevice *sink,
                       std::function<void(qint64, qint64)> progress,
                       std::function<void(Result<HttpResponse>)> done)
{
    request(url, accept, sink, std::move(progress), std::move(done), 10);
}

void GitHubClient::request(const QUrl &url, const QByteArray &accept, QIODevice *sink,
                           std::function<void(qint64, qint64)> progress,
                           std::function<void(Result<HttpResponse>)> done, int redirectsLeft)
{
    // NetworkConfig::request adds the token only for the configured GitHub hosts, so a redirect
    // to another host (GitHub's zipballs go to codeload) never carries it.
    QNetworkRequest req = m_config.request(url, true);
    if (!accept.isEmpty())
        req.setRawHeader("Accept", accept);

    QNetworkReply *reply = m_nam->get(req);
    m_config.armConnectTimeout(reply);
    m_inFlight.insert(reply);
    // A file sink (zipballs) is streamed like DownloadJob streams weights: Qt's network thread
    // buffers at most kReadBufferSize (memory stays flat with the file's size, instead of holding
    // the whole zipball when the disk is slower than the network), written in kBufferSize slices.
    if (sink)
        reply->setReadBufferSize(DownloadJob::kReadBufferSize);
    auto isSuccess = [reply] {
        const int s = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        return s >= 200 && s < 300;
    };
    auto errorBody = std::make_shared<QByteArray>();
    auto writeFailed = std::make_shared<QString>();
    connect(reply, &QNetworkReply::readyRead, this, [=, this] {
        if (!sink || !isSuccess()) {
            const QByteArray chunk = reply->readAll();
            if (errorBody->size() < 1024 * 1024)
                errorBody->append(chunk);
            return;
        }
        while (reply->bytesAvailable() > 0 && writeFailed->isEmpty()) {
            const QByteArray chunk = reply->read(DownloadJob::kBufferSize);
            if (chunk.isEmpty())
                break;
            if (sink->write(chunk) != chunk.size()) {
                *writeFailed = sink->errorString();
                reply->abort();
            }
        }
    });
    if (progress && sink)
        connect(reply, &QNetworkReply::downloadProgress, this, [=](qint64 got, qint64 total) {
            if (isSuccess())
                progress(got, total > 0 ? total : -1);
        });
    connect(
        reply, &QNetworkReply::finished, this,
        [=, this, done = std::move(done), progress = std::move(progress)]() mutable {
            m_inFlight.remove(reply);
            reply->deleteLater();
            const QByteArray rest = reply->readAll();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (m_aborting) {
                done(std::unexpected(Error::make(Error::Code::Cancelled, tr("Cancelled."))));
                return;
            }
            if (!writeFailed->isEmpty()) {
                done(std::unexpected(Error::make(
                    Error::Code::Io, tr("Cannot write the download: %1").arg(*writeFailed))));
                return;
            }
            if (status == 0) {
                done(std::unexpected(networkError(reply->error(), url, reply->errorString(),
                                                  reply->property("hubcap_timeout").toString())));
                return;
            }
            if ((status == 301 || status == 302 || status == 303 || status == 307 ||
                 status == 308) &&
                reply->hasRawHeader("Location")) {
                if (redirectsLeft <= 0) {
                    done(std::unexpected(Error::make(
                        Error::Code::Http, tr("Too many redirects from %1.").arg(redactUrl(url)))));
                    return;
                }
                const QUrl next = url.resolved(QUrl::fromEncoded(reply->rawHeader("Location")));
                request(next, accept, sink, std::move(progress), std::move(done),
                        redirectsLeft - 1);
                return;
            }
            HttpResponse r;
            r.status = status;
            r.url = url;
            r.url.setUserInfo({});
            for (const auto &pair : reply->rawHeaderPairs())
                r.headers.insert(pair.first.toLower(), pair.second);
            if (status >= 200 && status < 300) {
                if (sink) {
                    if (!rest.isEmpty() && sink->write(rest) != rest.size()) {
                        done(std::unexpected(Error::make(
                            Error::Code::Io,
                            tr("Cannot write the download: %1").arg(sink->errorString()))));
                        return;
                    }
                } else {
                    r.body = *errorBody + rest;
                }
                if (reply->error() != QNetworkReply::NoError) { // cut mid-body
                    done(std::unexpected(networkError(reply->error(), url, reply->errorString(),
                                                      reply->property("hubcap_timeout").toString(),
                                                      tr("download"))));
                    return;
                }
            } else {
                r.body = *errorBody + rest;
            }
            done(std::move(r));
        });
}

void GitHubClient::abortAll()
{
    m_aborting = true;
    const auto replies = m_inFlight;
    for (QNetworkReply *r : replies)
        r->abort();
    m_aborting = false;
}

Error GitHubClient::httpError(const HttpResponse &r, const HttpErrorContext &context)
{
    return httpStatusError(r.status, r.url, r.headers.value("x-ratelimit-remaining"),
                           r.headers.value("x-ratelimit-reset"), {}, context);
}

Error GitHubClient::httpError(const HttpResponse &r, bool refValidation) const
{
    HttpErrorContext context;
    context.githubHost = m_config.isGithubHost(r.url);
    context.tokenSet = context.githubHost && m_config.hasToken();
    context.refValidation = refValidation;
    return httpError(r, context);
}

void GitHubClient::defaultBranch(const QString &owner, const QString &repo,
                                 std::function<void(Result<QString>)> done)
{
    const QUrl url =
        joined(m_config.githubUrl(), QStringLiteral("/%1/%2/tree/main/").arg(owner, repo));
    get(url, {}, nullptr, {}, [this, done = std::move(done)](Result<HttpResponse> r) {
        if (!r)
            return done(std::unexpected(r.error()));
        if (r->status >= 200 && r->status < 300)
            return done(QStringLiteral("main"));
        if (r->status == 404)
            return done(QStringLiteral("master"));
        done(std::unexpected(httpError(*r, false)));
    });
}

void GitHubClient::validateRef(const QString &owner, const QString &repo, const QString &ref,
                               std::function<void(Result<void>)> done)
{
    validatePage(owner, repo, ref, QStringLiteral("branches"), 1, std::move(done));
}

void GitHubClient::checkRepositoryExists(const QString &owner, const QString &repo,
                                         std::function<void(Result<void>)> done)
{
    QUrl url =
        joined(m_config.githubApiUrl(), QStringLiteral("/repos/%1/%2/branches").arg(owner, repo));
    url.setQuery(QStringLiteral("per_page=1&page=1"));
    get(url, "application/vnd.github.v3+json", nullptr, {},
        [=, this, done = std::move(done)](Result<HttpResponse> r) {
            if (!r)
                return done(std::unexpected(r.error()));
            if (r->status == 404)
                return done(std::unexpected(Error::make(
                    Error::Code::NotFound,
                    tr("Repository %1/%2 was not found on %3 (or it is private and needs "
                       "GITHUB_TOKEN). Check the owner and the repository name.")
                        .arg(owner, repo, redactUrl(m_config.githubUrl())),
                    QStringLiteral("HTTP 404 from %1").arg(redactUrl(r->url)))));
            if (r->status < 200 || r->status >= 300)
                return done(std::unexpected(httpError(*r, true)));
            done({});
        });
}

void GitHubClient::validatePage(const QString &owner, const QString &repo, const QString &ref,
                                const QString &kind, int page,
                                std::function<void(Result<void>)> done)
{
    QUrl url =
        joined(m_config.githubApiUrl(), QStringLiteral("/repos/%1/%2/%3").arg(owner, repo, kind));
    url.setQuery(QStringLiteral("per_page=100&page=%1").arg(page));
    get(url, "application/vnd.github.v3+json", nullptr, {},
        [=, this, done = std::move(done)](Result<HttpResponse> r) mutable {
            if (!r)
                return done(std::unexpected(r.error()));
            if (r->status == 404 && kind == u"branches" && page == 1)
                return done(std::unexpected(Error::make(
                    Error::Code::NotFound,
                    (m_config.hasToken()
                         ? tr("Repository %1/%2 was not found on %3 (or it is private and "
                              "GITHUB_TOKEN has no access to it). Check the owner and the "
                              "repository name.")
                         : tr("Repository %1/%2 was not found on %3 (or it is private and needs "
                              "GITHUB_TOKEN). Check the owner and the repository name."))
                        .arg(owner, repo, redactUrl(m_config.githubUrl())),
                    QStringLiteral("HTTP 404 from %1").arg(redactUrl(r->url)))));
            if (r->status < 200 || r->status >= 300)
                return done(std::unexpected(httpError(*r, true)));
            const QJsonArray items = QJsonDocument::fromJson(r->body).array();
            for (const QJsonValue &v : items) {
                const QJsonObject o = v.toObject();
                if (o.value(u"name").toString() == ref ||
                    o.value(u"commit").toObject().value(u"sha").toString().startsWith(ref))
                    return done({});
            }
            if (!items.isEmpty())
                return validatePage(owner, repo, ref, kind, page + 1, std::move(done));
            if (kind == u"branches")
                return validatePage(owner, repo, ref, QStringLiteral("tags"), 1, std::move(done));
            const QString web = redactUrl(m_config.githubUrl());
            done(std::unexpected(Error::make(
                Error::Code::NotFound,
                QStringLiteral(
                    "Cannot find %1 in %2/%3/%4. If it's a commit from a forked repo, please call "
                    "hub.load() with forked repo directly.")
                        .arg(ref, web, owner, repo) +
                    tr("\nCheck the ref: it must be a branch or tag of %1/%2, or the start of "
                       "the commit SHA a branch or tag points at. For any other commit of %1/%2, "
                       "pass --skip-validation (skip_validation=True in Python) to download it "
                       "by its SHA without this check.")
                        .arg(owner, repo))));
        });
}

QUrl GitHubClient::nextPageUrl(const QByteArray &linkHeader)
{
    // <https://api.github.com/...&page=2>; rel="next", <...>; rel="last"
    for (const QByteArray &part : linkHeader.split(',')) {
        const qsizetype open = part.indexOf('<');
        const qsizetype close = part.indexOf('>', open + 1);
        if (open < 0 || close < 0)
            continue;
        const QByteArray params = part.mid(close + 1);
        if (params.contains("rel=\"next\"") || params.contains("rel=next"))
            return QUrl(QString::fromUtf8(part.mid(open + 1, close - open - 1).trimmed()));
    }
    return {};
}

void GitHubClient::listRefs(const QString &owner, const QString &repo,
                            std::function<void(Result<RefList>)> done)
{
    const QUrl info =
        joined(m_config.githubApiUrl(), QStringLiteral("/repos/%1/%2").arg(owner, repo));
    get(info, "application/vnd.github.v3+json", nullptr, {},
        [=, this, done = std::move(done)](Result<HttpResponse> r) mutable {
            if (!r)
                return done(std::unexpected(r.error()));
            if (r->status == 404)
                return done(std::unexpected(Error::make(
                    Error::Code::NotFound,
                    tr("Repository %1/%2 was not found on %3 (or it is private and needs a "
                       "GitHub token with access to it). Check the owner and the repository "
                       "name.")
                        .arg(owner, repo, redactUrl(m_config.githubUrl())),
                    QStringLiteral("HTTP 404 from %1").arg(redactUrl(r->url)))));
            if (r->status < 200 || r->status >= 300)
                return done(std::unexpected(httpError(*r, false)));
            auto list = std::make_shared<RefList>();
            list->defaultBranch =
                QJsonDocument::fromJson(r->body).object().value(u"default_branch").toString();
            QUrl url = joined(m_config.githubApiUrl(),
                              QStringLiteral("/repos/%1/%2/branches").arg(owner, repo));
            url.setQuery(QStringLiteral("per_page=100"));
            QUrl tagsUrl = joined(m_config.githubApiUrl(),
                                  QStringLiteral("/repos/%1/%2/tags").arg(owner, repo));
            tagsUrl.setQuery(QStringLiteral("per_page=100"));
            refsPage(url, GitRef::Kind::Branch, list,
                     [=, this, done = std::move(done)](Result<RefList> branches) mutable {
                         if (!branches)
                             return done(std::move(branches));
                         refsPage(tagsUrl, GitRef::Kind::Tag, list, std::move(done));
                     });
        });
}

void GitHubClient::refsPage(const QUrl &url, GitRef::Kind kind, std::shared_ptr<RefList> list,
                            std::function<void(Result<RefList>)> done)
{
    get(url, "application/vnd.github.v3+json", nullptr, {},
        [=, this, done = std::move(done)](Result<HttpResponse> r) mutable {
            if (!r)
                return done(std::unexpected(r.error()));
            if (r->status < 200 || r->status >= 300)
                return done(std::unexpected(httpError(*r, false)));
            const QJsonArray items = QJsonDocument::fromJson(r->body).array();
            for (const QJsonValue &v : items) {
                if (list->refs.size() >= maxRefs) {
                    list->truncated = true;
                    break;
                }
                const QJsonObject o = v.toObject();
                GitRef ref;
                ref.name = o.value(u"name").toString();
                ref.kind = kind;
                ref.sha = o.value(u"commit").toObject().value(u"sha").toString();
                if (ref.name.isEmpty())
                    continue;
                ref.isDefault = kind == GitRef::Kind::Branch && ref.name == list->defaultBranch;
                if (ref.isDefault)
                    list->refs.prepend(ref);
                else
                    list->refs.append(ref);
            }
            const QUrl next = nextPageUrl(r->headers.value("link"));
            const QUrl api = m_config.githubApiUrl();
            // Only pages on the API host (a Link elsewhere would take the token with it).
            if (!list->truncated && !items.isEmpty() && next.isValid() &&
                next.scheme() == api.scheme() && next.host() == api.host() &&
                next.port(-1) == api.port(-1) && next != url)
                return refsPage(next, kind, list, std::move(done));
            done(*list);
        });
}

void GitHubClient::headCommit(const QString &owner, const QString &repo, const QString &ref,
                              std::function<void(Result<QString>)> done)
{
    const QUrl url = joined(m_config.githubApiUrl(),
                            QStringLiteral("/repos/%1/%2/commits/%3").arg(owner, repo, ref));
    get(url, "application/vnd.github.sha", nullptr, {},
        [=, this, done = std::move(done)](Result<HttpResponse> r) {
            if (!r)
                return done(std::unexpected(r.error()));
            if (r->status == 404 || r->status == 422)
                return done(std::unexpected(Error::make(
                    Error::Code::NotFound,
                    tr("Cannot find %1 in %2/%3: no branch, tag or commit of that name.")
                        .arg(ref, owner, repo),
                    QStringLiteral("HTTP %1 from %2").arg(r->status).arg(redactUrl(r->url)))));
            if (r->status < 200 || r->status >= 300)
                return done(std::unexpected(httpError(*r, false)));
            QString sha = QString::fromLatin1(r->body).trimmed();
            if (sha.startsWith(u'{')) // a server that ignored the Accept header
                sha = QJsonDocument::fromJson(r->body).object().value(u"sha").toString();
            if (sha.size() < 7)
                return done(std::unexpected(Error::make(
                    Error::Code::Http, tr("Unexpected answer from %1.").arg(redactUrl(r->url)))));
            done(sha);
        });
}

} // namespace hubcap
