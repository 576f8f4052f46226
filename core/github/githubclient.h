#pragma once

#include "core/error.h"
#include "core/net/httperror.h"
#include "core/net/networkconfig.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QProcessEnvironment>
#include <QSet>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

class QIODevice;
class QNetworkAccessManager;
class QNetworkReply;

namespace hubcap {

/// One finished HTTP exchange (after redirects). `body` is empty when the data went to a sink.
struct HttpResponse
{
    int status = 0;
    QUrl url; ///< the final URL (after redirects), without credentials
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; ///< lower-case names
};

/// A branch or tag of a repository (GitHubClient::listRefs).
struct GitRef
{
    enum class Kind { Branch, Tag };
    QString name;
    Kind kind = Kind::Branch;
    QString sha; ///< the commit it points at
    bool isDefault = false;
};

/// Every branch and tag, the default branch first, then the other branches, then the tags
/// (each in the API's order).
struct RefList
{
    QString defaultBranch;
    QList<GitRef> refs;
    bool truncated = false; ///< more than maxRefs: the rest was not fetched
};

/// The GitHub calls torch.hub makes (default-branch probe, ref validation, zipball download)
/// plus the head-commit lookup Hubcap adds for --check-update. Everything is asynchronous: each
/// call finishes by invoking its callback once on the thread that owns the client.
///
/// Promises: GITHUB_TOKEN is sent as `Authorization: token …` to the configured GitHub hosts
/// only, never to a host a redirect leads to (GitHub's zipballs redirect to codeload) and never
/// into an error message; every request has a stall timeout; proxies come from the system.
class GitHubClient : public QObject
{
    Q_OBJECT
public:
    explicit GitHubClient(NetworkConfig config, QObject *parent = nullptr);
    ~GitHubClient() override;

    const NetworkConfig &config() const { return m_config; }

    /// torch.hub's probe: GET {web}/{o}/{r}/tree/main/ → 2xx "main", 404 "master". A
    /// connection failure comes back as Error::Code::Network (the caller may fall back to the
    /// cache); any other status as an HTTP error.
    void defaultBranch(const QString &owner, const QString &repo,
                       std::function<void(Result<QString>)> done);

    /// torch.hub's _validate_not_a_forked_repo: branches then tags (per_page=100, every page until
    /// an empty one); `ref` must be a name or a prefix of a head SHA. Not found → NotFound with
    /// torch.hub's message and what to try.
    void validateRef(const QString &owner, const QString &repo, const QString &ref,
                     std::function<void(Result<void>)> done);
    /// Whether the repository exists (one page of one branch from the API): NotFound with the
    /// same message as validateRef otherwise. For skip_validation fetches, which do not validate
    /// the ref but must not ask trust for a repository that does not exist.
    void checkRepositoryExists(const QString &owner, const QString &repo,
                               std::function<void(Result<void>)> done);

    /// The full SHA `ref` points at now: GET {api}/repos/{o}/{r}/commits/{ref} with Accept
    /// application/vnd.github.sha.
    void headCommit(const QString &owner, const QString &repo, const QString &ref,
                    std::function<void(Result<QString>)> done);

    /// Branches and tags for a ref picker: GET {api}/repos/{o}/{r} (default_branch), then
    /// {api}/repos/{o}/{r}/branches and /tags with per_page=100, following the Link header's
    /// rel="next" (on the API host only) up to maxRefs refs.
    void listRefs(const QString &owner, const QString &repo,
                  std::function<void(Result<RefList>)> done);
    static constexpr int maxRefs = 5000;

    /// The rel="next" URL of a GitHub Link header, or an empty URL.
    static QUrl nextPageUrl(const QByteArray &linkHeader);

    /// {web}/{o}/{r}/zipball/{ref}
    QUrl zipballUrl(const QString &owner, const QString &repo, const QString &ref) const;

    /// GET with redirects followed by hand (so credentials stay on the GitHub hosts). With a
    /// sink, a 2xx body streams into it and progress(received, total or -1) is reported; other
    /// statuses keep their (small) body in the response. Network failures and cancel are errors;
    /// HTTP statuses are not (use httpError()).
    void get(const QUrl &url, const QByteArray &accept, QIODevice *sink,
             std::function<void(qint64, qint64)> progress,
             std::function<void(Result<HttpResponse>)> done);

    /// A user-facing error for a non-2xx response (net/httperror.h): rate limits (403/429 with
    /// X-RateLimit-Remaining: 0) say when they reset and the ways out that fit `context`;
    /// others name the status and the URL.
    static Error httpError(const HttpResponse &response, const HttpErrorContext &context = {});
    /// httpError() with the context of this client's configuration: GitHub host or not, token
    /// set or not; `refValidation` for the ref validation --skip-validation skips.
    Error httpError(const HttpResponse &response, bool refValidation) const;

    /// Aborts every request in flight; their callbacks get Error::Code::Cancelled.
    void abortAll();

private:
    void request(const QUrl &url, const QByteArray &accept, QIODevice *sink,
                 std::function<void(qint64, qint64)> progress,
                 std::function<void(Result<HttpResponse>)> done, int redirectsLeft);
    void refsPage(const QUrl &url, GitRef::Kind kind, std::shared_ptr<RefList> list,
                  std::function<void(Result<RefList>)> done);
    void validatePage(const QString &owner, const QString &repo, const QString &ref,
                      const QString &kind, int page, std::function<void(Result<void>)> done);

    NetworkConfig m_config;
    QNetworkAccessManager *m_nam;
    QSet<QNetworkReply *> m_inFlight;
    bool m_aborting = false;
};

} // namespace hubcap
