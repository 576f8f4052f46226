#pragma once

// Checkpoint inspector: what a torch.save file holds, read without libtorch or Python and
// without executing any pickle code.
//
// Formats: the zip format of torch.save (>= 1.6: `<prefix>/data.pkl`, `<prefix>/data/N`,
// `version`, `byteorder`), TorchScript archives (same layout plus `code/`), the legacy format
// (< 1.6: magic number, protocol and sys_info pickles, the main pickle with persistent ids, the
// storage keys and raw storages), and torch.hub's legacy single-file zip (a zip with exactly one
// file that holds a legacy checkpoint).
//
// Only data.pkl and the sizes of the storage entries are read (for the legacy format: the
// pickles and each storage's 8-byte length), never tensor data, so inspecting a multi-gigabyte
// file takes milliseconds. With `stats`, the data of the selected tensors is read too.
//
// Globals interpreted: collections.OrderedDict, torch._utils._rebuild_tensor(_v2),
// torch._utils._rebuild_parameter(_with_state), torch.*Storage, torch.Size, torch.device,
// torch dtypes, builtins.set/frozenset/bytearray, _codecs.encode. Every other global is never
// called: it is listed in `unsafeGlobals` and becomes an opaque value, and inspection goes on.

#include "core/error.h"
#include "core/inspect/pickle.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

namespace hubcap::inspect {

struct TensorStats
{
    qint64 count = 0; ///< elements read
    qint64 nanCount = 0;
    qint64 infCount = 0;
    double min = 0, max = 0;  ///< over finite values
    double mean = 0, std = 0; ///< over finite values; std is the population std (ddof 0)
};

struct TensorInfo
{
    QString key; ///< flattened path: "model.layer1.0.conv1.weight"
    std::vector<qint64> shape;
    std::vector<qint64> stride;
    qint64 storageOffset = 0; ///< in elements
    QString dtype;            ///< torch names: float32, float16, bfloat16, int64, bool, ...
    qint64 numel = 0;
    qint64 bytes = 0;           ///< numel * element size
    QString storageKey;         ///< "0", "1", ... (the data/N entry or legacy key)
    qint64 storageBytes = 0;    ///< size of the whole storage
    bool sharedStorage = false; ///< another tensor uses the same storage
    bool isView = false;        ///< offset != 0 or it covers only part of its storage
    bool parameter = false;     ///< saved as nn.Parameter
    bool requiresGrad = false;
    std::optional<TensorStats> stats;
    QString statsError; ///< why stats are missing (dtype, read error)
};

/// A non-tensor leaf: epoch numbers, strings, small config values.
struct ValueInfo
{
    QString key;
    QString type; ///< int, float, str, bool, None, list, tuple, dict, bytes, object
    QString repr; ///< Python-like, shortened
};

struct CheckpointInfo
{
    QString path;
    QString format; ///< "zip", "torchscript", "legacy", "legacy-zip"
    qint64 fileSize = 0;
    QString archivePrefix; ///< zip formats: the folder holding data.pkl
    QString byteorder;     ///< "little" unless the file says otherwise
    QString version;       ///< the zip's `version` record
    QList<TensorInfo> tensors;
    QList<ValueInfo> values;
    QStringList globals;       ///< every global referenced, "module.name"
    QStringList unsafeGlobals; ///< those not interpreted (never called)
    qint64 totalParams = 0;    ///< sum of numel over tensors
    qint64 totalBytes = 0;     ///< sum of bytes over tensors
    qint64 storageBytes = 0;   ///< sum over distinct storages (what the file holds)
    QMap<QString, qint64> bytesPerDtype;
    QMap<QString, qint64> paramsPerDtype;
    QStringList warnings;
};

struct InspectOptions
{
    bool stats = false;
    /// With stats: which tensors (wildcards "*" and "?", matched against the key); empty = all.
    QStringList statsKeys;
    /// Polled during long reads (stats); returning true stops with Error::Code::Cancelled.
    std::function<bool()> cancelled;
    /// Progress of the stats reads: bytes done, bytes total.
    std::function<void(qint64, qint64)> progress;
    /// Bounds on the pickle (nesting, items, memo, memory, work); the defaults suit every real
    /// checkpoint. Tests and the fuzzer lower them.
    PickleLimits limits;
};

/// Inspects a checkpoint. Never executes pickle code; errors for unreadable, truncated or
/// corrupt files.
Result<CheckpointInfo> inspectCheckpoint(const QString &path, const InspectOptions &options = {});

/// JSON for `hubcap-cli --json inspect`: format, tensors [{key, shape, dtype, numel, bytes, ...}],
/// total_params, total_bytes, globals, unsafe_globals, values, ...
QJsonObject toJson(const CheckpointInfo &info);

/// The inverse of toJson (what the GUI reads back from `hubcap-cli --json inspect`, run out of
/// process). Missing or mistyped fields take their defaults.
CheckpointInfo checkpointInfoFromJson(const QJsonObject &doc);

/// Bytes of one element of a torch dtype name; 0 when unknown.
int elementSize(const QString &dtype);

} // namespace hubcap::inspect
