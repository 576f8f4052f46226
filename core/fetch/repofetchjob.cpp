#include "core/fetch/repofetchjob.h"

#include "core/archive/ziparchive.h"
#include "core/archive/zipreader.h"
#include "core/cache/sidecar.h"
#include "core/cache/trustlist.h"
#include "core/cache/trustpolicy.h"
#include "core/fetch/dirswap.h"
#include "core/fetch/extract.h"
#include "core/github/githubclient.h"
#include "core/jobs/lockwait.h"
#include "core/util/diskspace.h"
#include "core/util/format.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QMetaMethod>
#include <QRegularExpression>
#include <QTimer>
#include <QUuid>

#include <csignal>
#include <unistd.h>

namespace hubcap {

namespace {

constexpr qint64 kLockWaitMaxMs = 15 * 60 * 1000;

bool isFullSha(const QString &s)
{
    static const QRegularExpression rx(QStringLiteral("^[0-9a-f]{40}$"));
    return rx.match(s).hasMatch();
}

} // namespace

QString RepoFetchJob::trustPrompt(const QString &trustName)
{
    return TrustQuestion{{}, trustName, {}, false}.prompt();
}

RepoFetchJob::RepoFetchJob(RepoFetchRequest request, NetworkConfig config, QObject *parent)
    : Job(parent), m_req(std::move(request)), m_config(config),
      m_client(new GitHubClient(config, this))
{
    setTitle(tr("Fetch %1").arg(m_req.spec.toString()));
}

RepoFetchJob::~RepoFetchJob()
{
    m_worker.cancel();
    m_worker.wait(); // before the work dir it extracts into is removed
    if (!m_workDir.isEmpty())
        removeTree(m_workDir);
}

void RepoFetchJob::doCancel()
{
    m_worker.cancel();
    m_client->abortAll();
    if (m_waitingForTrust || m_lockWait)
        finishWith(Error::make(Error::Code::Cancelled, tr("Cancelled.")));
    // Extraction polls the flag and finishes the job from its own completion.
}

void RepoFetchJob::doStart()
{
    m_result = {};
    if (m_req.spec.hasRef && !m_req.spec.ref.isEmpty())
        return withRef(m_req.spec.ref);

    reportProgress(
        Phase::Connecting, 0, -1,
        tr("Finding the default branch of %1/%2").arg(m_req.spec.owner, m_req.spec.repo));
    m_client->defaultBranch(m_req.spec.owner, m_req.spec.repo, [this](Result<QString> ref) {
        if (ref) {
            // tree/main answered: the repository exists. "master" is only the 404 fallback.
            m_existenceKnown = *ref == u"main";
            return withRef(*ref);
        }
        if (ref.error().code != Error::Code::Offline && ref.error().code != Error::Code::Network)
            return finishWith(ref.error());
        // torch.hub ≥ 2.0 (#91569): without a connection, use an existing main or master folder.
        for (const QString &candidate : {QStringLiteral("main"), QStringLiteral("master")}) {
            const QString folder = m_req.spec.withRef(candidate).folderName();
            if (QFileInfo(QDir(m_req.hubDir).filePath(folder)).isDir()) {
                m_result.offlineFallback = true;
                Q_EMIT message(
                    tr("Cannot reach GitHub to find the default branch of %1/%2 (%3); using the "
                       "cached "
                       "%4 instead. Pass a ref (%1/%2:BRANCH) to skip this check.")
                        .arg(m_req.spec.owner, m_req.spec.repo, ref.error().message, folder));
                return withRef(candidate);
            }
        }
        Error e = ref.error();
        e.message =
            tr("It looks like there is no internet connection and the repository %1/%2 could not "
               "be found in "
               "the cache (%3). Connect and try again, or pass a ref you have cached (%1/%2:REF).")
                .arg(m_req.spec.owner, m_req.spec.repo, m_req.hubDir);
        e.code = Error::Code::Offline;
        finishWith(e);
    });
}

void RepoFetchJob::withRef(const QString &ref)
{
    m_spec = m_req.spec.withRef(ref);
    m_result.ref = ref;
    m_result.folder = m_spec.folderName();
    m_result.dir = QDir(m_req.hubDir).filePath(m_result.folder);
    decideTrust();
}

void RepoFetchJob::decideTrust()
{
    // torch.hub checks trust before looking at the cache, so cached repos are checked too.
    const TrustPolicy policy(m_req.hubDir, m_req.trust);
    const auto verdict = policy.decide(m_spec);
    if (!verdict)
        return finishWith(verdict.error());
    m_verdict = *verdict;
    m_question = TrustQuestion{m_spec.toString(), m_spec.trustName(),
                               tr("download %1 into the hub cache").arg(m_spec.toString()), false};
    if (m_verdict.action == TrustVerdict::Action::Proceed)
        return afterTrust();
    const bool canAsk = isSignalConnected(QMetaMethod::fromSignal(&RepoFetchJob::trustQuestion));
    if (m_verdict.action == TrustVerdict::Action::Ask && !canAsk)
        return finishWith(
            Error::make(Error::Code::Untrusted,
                        tr("The repository %1/%2 is not trusted, and there is nobody to ask.")
                            .arg(m_spec.owner, m_spec.repo)));
    // Asking or recording needs a repository that exists: a cached folder, or GitHub's word.
    if (m_existenceKnown || QFileInfo::exists(m_result.dir))
        return trustKnownRepository();
    auto known = [this](Result<void> ok) {
        if (!ok)
            return finishWith(ok.error());
        m_existenceKnown = true;
        trustKnownRepository();
    };
    if (m_req.skipValidation) {
        reportProgress(Phase::Connecting, 0, -1,
                       tr("Checking that %1/%2 exists").arg(m_spec.owner, m_spec.repo));
        // Only a 404 stops it: skip_validation must keep working when the API is rate limited.
        m_client->checkRepositoryExists(m_spec.owner, m_spec.repo, [known](Result<void> ok) {
            known(ok || ok.error().code != Error::Code::NotFound ? Result<void>{} : ok);
        });
        return;
    }
    reportProgress(Phase::Connecting, 0, -1,
                   tr("Checking that %1 is a branch or tag of %2/%3")
                       .arg(m_spec.ref, m_spec.owner, m_spec.repo));
    m_client->validateRef(m_spec.owner, m_spec.repo, m_spec.ref, [this, known](Result<void> ok) {
        m_refValidated = bool(ok);
        known(ok);
    });
}

void RepoFetchJob::trustKnownRepository()
{
    if (m_verdict.action == TrustVerdict::Action::Record) {
        const auto outcome = TrustPolicy(m_req.hubDir, m_req.trust)
                                 .applyWithoutQuestion(m_verdict, m_spec.trustName());
        if (!outcome)
            return finishWith(outcome.error());
        m_result.trustAdded = outcome->recorded;
        return afterTrust();
    }
    m_waitingForTrust = true;
    Q_EMIT trustQuestion(m_question);
}

void RepoFetchJob::answerTrust(TrustAnswer answer)
{
    if (isFinished() || !m_waitingForTrust)
        return;
    m_waitingForTrust = false;
    const auto outcome =
        TrustPolicy(m_req.hubDir, m_req.trust).apply(m_verdict, m_question, answer);
    if (!outcome)
        return finishWith(outcome.error());
    m_result.trustAdded = outcome->recorded;
    if (m_verdict.decision.trusted() && m_req.trust == TrustMode::No)
        Q_EMIT message(tr("The repository is already trusted."));
    afterTrust();
}

void RepoFetchJob::afterTrust()
{
    const Sidecar sidecar(m_req.hubDir);
    if (!m_req.forceReload && QFileInfo::exists(m_result.dir)) {
        // torch.hub: an existing folder is the cache (existence only). No network.
        m_result.cached = true;
        if (const auto rec = sidecar.repo(m_result.folder)) {
            m_result.commit = rec->commit;
            m_result.fetchedAt = rec->fetchedAt;
        }
        Q_EMIT message(tr("Using cache found in %1").arg(m_result.dir));
        return finishWith(std::nullopt);
    }
    tryLock();
}

void RepoFetchJob::tryLock()
{
    const Sidecar sidecar(m_req.hubDir);
    if (!QDir().mkpath(m_req.hubDir))
        return finishWith(
            Error::make(Error::Code::Io, tr("Cannot create the hub dir %1.").arg(m_req.hubDir)));
    m_lockWait = new LockWait(sidecar.lockPath(QStringLiteral("repo-") + m_result.folder),
                              tr("fetching %1").arg(m_result.folder), this);
    m_lockWait->setTimeoutMs(kLockWaitMaxMs);
    connect(m_lockWait, &LockWait::waiting, this,
            [this](const LockHolder &, qint64 waitedMs, const QString &text) {
                m_waitedForLock = true;
                // Said once as a message (the CLI prints it even without a terminal), then kept
                // up to date in the progress text.
                if (waitedMs < 1000)
                    Q_EMIT message(text + QStringLiteral("…"));
                reportProgress(0, -1, text);
            });
    connect(m_lockWait, &LockWait::failed, this, [this](const Error &e) {
        m_lockWait->deleteLater();
        m_lockWait = nullptr;
        finishWith(e);
    });
    connect(m_lockWait, &LockWait::acquired, this, [this] {
        const bool waited = m_waitedForLock;
        m_lock = m_lockWait->takeLock();
        m_lockWait->deleteLater();
        m_lockWait = nullptr;
        // The other process may have fetched it meanwhile.
        if (waited && !m_req.forceReload && QFileInfo::exists(m_result.dir)) {
            m_lock->unlock();
            return afterTrust();
        }
        afterLock();
    });
    m_waitedForLock = false;
    m_lockWait->start();
}

void RepoFetchJob::cleanStaleTemp(const QString &tmpDir) const
{
    // fetch-<pid>-<uuid> folders of processes that no longer exist (killed mid-fetch).
    static const QRegularExpression rx(QStringLiteral("^fetch-(\\d+)-"));
    const auto entries = QDir(tmpDir).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &name : entries) {
        const auto m = rx.match(name);
        if (!m.hasMatch())
            continue;
        const pid_t pid = static_cast<pid_t>(m.captured(1).toLongLong());
        if (pid != getpid() && ::kill(pid, 0) != 0 && errno == ESRCH)
            removeTree(QDir(tmpDir).filePath(name));
    }
}

void RepoFetchJob::afterLock()
{
    const auto tmp = Sidecar(m_req.hubDir).tempDir();
    if (!tmp)
        return finishWith(tmp.error());
    cleanStaleTemp(*tmp);
    m_workDir = QStringLiteral("%1/fetch-%2-%3")
                    .arg(*tmp)
                    .arg(QCoreApplication::applicationPid())
                    .arg(QUuid::createUuid().toString(QUuid::Id128));
    if (!QDir().mkpath(m_workDir))
        return finishWith(Error::make(Error::Code::Io, tr("Cannot create %1.").arg(m_workDir)));
    m_zipPath = m_workDir + QStringLiteral("/zipball.zip");

    if (m_req.skipValidation || m_refValidated)
        return download(m_spec.ref, false);
    reportProgress(Phase::Connecting, 0, -1,
                   tr("Checking that %1 is a branch or tag of %2/%3")
                       .arg(m_spec.ref, m_spec.owner, m_spec.repo));
    m_client->validateRef(m_spec.owner, m_spec.repo, m_spec.ref, [this](Result<void> ok) {
        if (!ok)
            return finishWith(ok.error());
        download(m_spec.ref, false);
    });
}

void RepoFetchJob::download(const QString &ref, bool retried)
{
    m_sourceUrl = m_client->zipballUrl(m_spec.owner, m_spec.repo, ref);
    m_zipFile = std::make_unique<QFile>(m_zipPath);
    m_noSpace.reset();
    // Unbuffered: a full disk fails the write that hits it (with its errno), instead of
    // surfacing later as "not a valid zip file".
    if (!m_zipFile->open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered))
        return finishWith(Error::make(
            Error::Code::Io, tr("Cannot write %1: %2").arg(m_zipPath, m_zipFile->errorString())));
    const QString text = tr("Downloading %1").arg(redactUrl(m_sourceUrl));
    reportProgress(Phase::Downloading, 0, -1, text);
    m_client->get(
        m_sourceUrl, {}, m_zipFile.get(),
        [this, text](qint64 got, qint64 total) {
            // A known size is checked against the free space before it is written.
            if (total > got && !m_noSpace) {
                const qint64 free = availableBytes(m_zipPath);
                if (free >= 0 && total - got > free) {
                    m_noSpace = noSpaceError(
                        m_zipPath, tr("the zipball of %1").arg(m_spec.toString()), total - got,
                        free,
                        tr("Free some space, then fetch again; nothing in the cache was "
                           "changed."));
                    m_client->abortAll();
                    return;
                }
            }
            reportProgress(got, total, text);
        },
        [this, ref, retried](Result<HttpResponse> r) {
            const int writeErrno = errno;
            m_zipFile->close();
            if (m_noSpace)
                return finishWith(*m_noSpace);
            if (!r && r.error().code == Error::Code::Io) {
                const qint64 free = availableBytes(m_zipPath);
                if (isNoSpaceErrno(writeErrno) || (free >= 0 && free < 64 * 1024) ||
                    r.error().message.contains(QStringLiteral("No space left")))
                    return finishWith(noSpaceError(
                        m_zipPath, tr("the zipball of %1").arg(m_spec.toString()), -1, free,
                        tr("It stopped after %1. Free some space, then fetch again; nothing in "
                           "the cache was changed.")
                            .arg(humanSize(QFileInfo(m_zipPath).size()))));
            }
            if (!r && r.error().code == Error::Code::Network && m_downloadAttempt < kZipAttempts &&
                !isCancelRequested()) {
                // A cut connection or a timeout: try again from the start (GitHub builds
                // zipballs on the fly, so there is nothing to resume), with a growing pause.
                const int delay = kZipRetryBaseMs << (m_downloadAttempt - 1);
                Q_EMIT message(tr("The download of %1 was interrupted (%2); trying again (%3 of "
                                  "%4)…")
                                   .arg(m_spec.toString(), r.error().message)
                                   .arg(m_downloadAttempt + 1)
                                   .arg(kZipAttempts));
                ++m_downloadAttempt;
                QTimer::singleShot(delay, this, [this, ref, retried] {
                    if (!isCancelRequested())
                        download(ref, retried);
                    else
                        finishWith(Error::make(Error::Code::Cancelled, tr("Cancelled.")));
                });
                return;
            }
            if (!r)
                return finishWith(r.error());
            if (r->status == 300 && !retried) {
                Q_EMIT message(QStringLiteral("The ref %1 is ambiguous. Perhaps it is both a tag "
                                              "and a branch in the repo? Torchhub "
                                              "will now assume that it's a branch. You can "
                                              "disambiguate tags and branches by "
                                              "explicitly passing refs/heads/branch_name or "
                                              "refs/tags/tag_name as the ref. That "
                                              "might require using skip_validation=True.")
                                   .arg(ref));
                return download(QStringLiteral("refs/heads/") + ref, true);
            }
            if (r->status < 200 || r->status >= 300)
                return finishWith(m_client->httpError(*r, false));
            extract();
        });
}

void RepoFetchJob::extract()
{
    reportProgress(Phase::Extracting, 0, -1, tr("Extracting"));
    const QString extractDir = m_workDir + QStringLiteral("/tree");
    if (!QDir().mkpath(extractDir))
        return finishWith(Error::make(Error::Code::Io, tr("Cannot create %1.").arg(extractDir)));
    const int delay = qEnvironmentVariableIntValue("HUBCAP_TEST_EXTRACT_DELAY_MS");
    const QString zip = m_zipPath;
    m_extracting = true;
    m_worker.run([this, zip, extractDir, delay](const CancelToken &cancel) {
        ExtractOptions opts;
        opts.cancelled = cancel.asFunction();
        opts.delayPerFileMs = delay;
        qint64 lastReport = 0;
        opts.progress = [this, &lastReport](qint64 done, qint64 total) {
            if (done - lastReport < 256 * 1024 && done != total)
                return;
            lastReport = done;
            m_worker.post([this, done, total] { reportProgress(done, total, tr("Extracting")); });
        };
        auto outcome = extractZipSafely(zip, extractDir, opts);
        m_worker.post([this, outcome = std::move(outcome), extractDir] {
            m_extracting = false;
            if (!outcome)
                return finishWith(outcome.error());
            if (outcome->topFolder.isEmpty() ||
                !QFileInfo(extractDir + u'/' + outcome->topFolder).isDir())
                return finishWith(Error::make(
                    Error::Code::Integrity,
                    tr("The zipball of %1 does not have the single top folder GitHub archives "
                       "have; refusing to install it.")
                        .arg(m_spec.toString()),
                    QStringLiteral("top folder: '%1', %2 files")
                        .arg(outcome->topFolder)
                        .arg(outcome->files)));
            install(outcome->topFolder);
        });
    });
}

void RepoFetchJob::install(const QString &topFolder)
{
    // GitHub (and git archive) store the commit id as the zip comment; the top folder
    // "owner-repo-abc1234" carries the short one.
    QString commit =
        QString::fromStdString(archive::readZipComment(m_zipPath.toStdString())).trimmed();
    if (!isFullSha(commit))
        commit = topFolder.section(u'-', -1);
    const auto swapped =
        replaceDirectory(m_workDir + QStringLiteral("/tree/") + topFolder, m_result.dir, m_workDir);
    if (!swapped)
        return finishWith(swapped.error());
    m_result.commit = commit;
    m_result.fetchedAt = QDateTime::currentDateTimeUtc();
    RepoRecord rec;
    rec.folder = m_result.folder;
    rec.owner = m_spec.owner;
    rec.repo = m_spec.repo;
    rec.ref = m_spec.ref;
    rec.commit = commit;
    rec.fetchedAt = m_result.fetchedAt;
    rec.sourceUrl = redactUrl(m_sourceUrl);
    if (const auto put = Sidecar(m_req.hubDir).putRepo(rec); !put)
        Q_EMIT message(tr("Warning: could not record the commit of %1: %2")
                           .arg(m_result.folder, put.error().message));
    finishWith(std::nullopt);
}

void RepoFetchJob::finishWith(const std::optional<Error> &error)
{
    if (m_lockWait) {
        m_lockWait->cancel();
        m_lockWait->deleteLater();
        m_lockWait = nullptr;
    }
    if (m_zipFile)
        m_zipFile->close();
    if (!m_workDir.isEmpty() && !m_extracting) { // the extraction removes it when it returns
        removeTree(m_workDir);
        m_workDir.clear();
    }
    if (m_lock && m_lock->isLocked())
        m_lock->unlock();
    if (error)
        failWith(m_worker.isCancelled() && error->code != Error::Code::Untrusted
                     ? Error::make(Error::Code::Cancelled, tr("Cancelled."))
                     : *error);
    else
        succeed();
}

} // namespace hubcap
