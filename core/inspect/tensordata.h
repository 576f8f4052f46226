#pragma once

// Element decoding and statistics for the inspector's --stats (internal to core/inspect).

#include "core/inspect/checkpoint.h"

#include <cstdint>
#include <string>

namespace hubcap::inspect {

/// Statistics of a strided tensor whose storage bytes [first element .. last element] are in
/// `span` (the first byte of `span` is the tensor's storage offset). `swapBytes` for big-endian
/// files. Returns false and sets *why for dtypes without numeric statistics.
bool computeStats(const std::string &span, const QString &dtype, const std::vector<qint64> &shape,
                  const std::vector<qint64> &stride, bool swapBytes, TensorStats *out,
                  QString *why);

/// float16 and bfloat16 bit patterns to float.
float halfToFloat(std::uint16_t h);
float bfloat16ToFloat(std::uint16_t b);

} // namespace hubcap::inspect
