#pragma once

#include "core/error.h"
#include "core/jobs/job.h"
#include "core/net/downloadqueue.h"
#include "core/net/networkconfig.h"

#include "core/util/sha256.h"

#include <QCryptographicHash>
#include <QFile>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace hubcap {

/// torch.hub's HASH_REGEX `-([a-f0-9]*)\.` applied to a file name: the first match's group
/// (possibly empty), or nullopt when there is no match.
std::optional<QString> hashPrefixFromName(const QString &fileName);

/// Hash prefixes shorter than this prove little (torch.hub accepts any length, even "").
inline constexpr int kMinHashPrefix = 8;

/// What check_hash means for a file name: the prefix its download is verified against, or why
/// it cannot be verified (no "-<hex>." in the name, or fewer than kMinHashPrefix digits).
/// Exactly one of the two is non-empty.
struct NameHashCheck
{
    QString prefix;
    QString unverifiable;
};
NameHashCheck hashCheckForName(const QString &fileName);

/// A `torch.hub.load_state_dict_from_url(url, model_dir, check_hash, file_name)` request.
struct CheckpointRequest
{
    QUrl url;
    QString hubDir;                  ///< absolute hub dir (sidecar, default model dir)
    std::optional<QString> modelDir; ///< default `<hub>/checkpoints`
    std::optional<QString> fileName; ///< default basename of the URL path (query dropped)
    bool checkHash = false;          ///< prefix from the file name (HASH_REGEX)
    /// Download even when the file exists (torch.hub would load the existing one); the old
    /// file is replaced atomically once the new one is complete (and verified).
    bool replace = false;
    QString hashPrefix;          ///< explicit prefix (wins over checkHash)
    QString repo, entrypoint;    ///< provenance when known
    bool sendGithubToken = true; ///< only ever to the GitHub hosts (NetworkConfig)
    int maxAttempts = 5;
    int retryBaseDelayMs = 1000;
};

/// Where torch.hub puts the file, decided without touching the network.
struct CheckpointPlacement
{
    QString modelDir;
    QString fileName;
    QString path;
};

/// `model_dir or <hub>/checkpoints` / `file_name or basename(urlparse(url).path)`.
/// Fails for a URL without a file name, or a --file-name with a '/'.
Result<CheckpointPlacement> placeCheckpoint(const CheckpointRequest &request);

struct CheckpointResult
{
    QString path;
    qint64 bytes = 0;
    QString sha256;
    qint64 resumedFrom = 0;
    int attempts = 0;
    bool fromCache = false; ///< the file existed: no network (as torch.hub)
    bool verified = false;  ///< a hash prefix of >= 8 digits was checked and matched
    QString expectedPrefix; ///< the prefix that was checked, if any
    QString unverifiable;   ///< why a requested check could not be made (no/short hash in name)
    QString extractedPath;  ///< the member of a legacy single-file zip, extracted beside it
    QStringList warnings;
};

/// The whole of load_state_dict_from_url up to torch.load: placement, "exists → no network",
/// download (DownloadJob: resumable, verified), provenance in the sidecar, legacy single-file
/// zip extraction. With a hash to check and an existing file, the file is verified too
/// (torch.hub never does); a mismatch then fails but the file is left alone.
class CheckpointDownloadJob : public Job
{
    Q_OBJECT
public:
    CheckpointDownloadJob(CheckpointRequest request, NetworkConfig config,
                          QObject *parent = nullptr);
    ~CheckpointDownloadJob() override;

    const CheckpointRequest &request() const { return m_req; }
    const CheckpointResult &result() const { return m_result; }
    /// The transfer while one runs (nullptr for a cached file); for progress details.
    DownloadJob *downloadJob() const { return m_download; }
    /// The transfer's progress while it runs (bytes, speed, ETA, stall), else the job's own
    /// (verifying a cached file, extracting a legacy zip).
    Progress currentProgress() const override;
    Capabilities capabilities() const override { return {true, bool(m_download)}; }
    void pause() override;
    void resume() override;
    /// Runs the transfer through `queue` (its concurrency limit; pause/resume go through it)
    /// instead of starting it at once. Set before start().
    void setQueue(DownloadQueue *queue) { m_queue = queue; }
    DownloadQueue *queue() const { return m_queue; }

Q_SIGNALS:
    /// The file is not cached and a download starts (path is the destination).
    void downloadStarted(hubcap::DownloadJob *job, const QString &path);

protected:
    void doStart() override;
    void doCancel() override;

private:
    void hashExisting();
    void onDownloadFinished();
    void finishWithFile();
    Result<void> extractLegacyZip();
    void recordProvenance();

    CheckpointRequest m_req;
    NetworkConfig m_config;
    CheckpointPlacement m_place;
    QString m_expected; ///< prefix to verify (>= 1 digit), empty for none
    QPointer<DownloadJob> m_download;
    QPointer<DownloadQueue> m_queue;
    QFile m_hashFile;
    Sha256 m_hash;
    CheckpointResult m_result;
};

} // namespace hubcap
