#pragma once

// hubcap-torchhost: verifies and describes TorchScript exports with libtorch only (no Python).
//
// Protocol: one JSON object per line on stdin, one per line on stdout (like hubcap-pyhost).
//   request  {"id": 1, "method": "verify", "params": {...}}
//   response {"id": 1, "result": {...}}  or  {"id": 1, "error": {"type": "...", "message": "..."}}
// Methods:
//   info      → {torch_version, threads}
//   verify    params {path, example?, runs? = 20, warmup? = 3, rtol? = 1e-4, atol? = 1e-5,
//   threads?, budget_ms? = 0, min_runs? = 3, progress? = false}
//             budget_ms > 0: the timed runs fit a time budget: after the warm-up, as many runs
//             as take about budget_ms at the measured speed, at least min_runs, at most runs;
//             the warm-up stops early once it has used half the budget.
//             progress: before the response, lines {"id", "progress": {phase, done, total}}
//             with phase "loading", "checking", "warmup" (run done of total) and "timing".
//             → {verified, reason?, outputs: [{index, shape, expected_shape, dtype, expected_dtype,
//                shape_match, dtype_match, max_abs_diff, max_rel_diff, allclose}], output_count,
//                max_abs_diff, max_rel_diff, rtol, atol, timing: {runs, warmup, threads, median_ms,
//                min_ms, max_ms, mean_ms, stdev_ms}}
//   describe  params {path} → {type, modules: [{name, type}], parameters/buffers: [{name, shape,
//                dtype, numel, bytes, requires_grad}], methods: [{name, schema}], total_params,
//                total_param_bytes, total_buffer_params, total_buffer_bytes}
//   shutdown  → {} and the host exits.
// Error types: invalid_request, not_found, load_error, bad_example, forward_error, internal.
//
// The example file (written by the Python host's export,
// core/hosts/pyhost/server/python/hubcap_host/export.py):
//   EXPORT.example.pt  a TorchScript module saved with torch.jit.save whose attributes
//                      `inputs` and `outputs` are List[Tensor]: the example input passed to
//                      forward(*inputs) and the eager model's output on it, flattened (a tensor →
//                      [t]; tuples and lists in order; dicts by value in insertion order).
//   EXPORT.json        the export summary (format, method, shapes, provenance).
// verify runs forward(*inputs) on the loaded export, flattens its output the same way and
// compares it with `outputs`.

#include "core/hosts/torchhost/server/json.h"

#include <cstdint>
#include <iosfwd>
#include <string>

namespace hubcap::torchhost {

/// A failure reported to the client as {"error": {type, message}}.
struct OpError
{
    std::string type;
    std::string message;
};

/// Serves requests until EOF or "shutdown". Returns the exit status.
int serve(std::istream &in, std::ostream &out);

/// Handles one request object and returns the response object (never throws).
Json handle(const Json &request, bool *shutdown = nullptr);

/// Within serve(), when the request asked for it (params.progress), writes a progress line
/// for it; a no-op otherwise.
void reportProgress(const std::string &phase, std::int64_t done, std::int64_t total);

// Implemented in torchops.cpp, the only file that includes libtorch. They throw OpError.
/// The first line the host writes: {"hello": {"host", "protocol", "pid", "torch_version"}}.
/// The protocol version is the core's kHostProtocolVersion (core/protocol/host.h); this process
/// does not link the core, so the number is repeated here: raise both together.
inline constexpr int kProtocolVersion = 1;
Json hello();
Json torchInfo();
Json verifyExport(const Json &params);
Json describeModule(const Json &params);

} // namespace hubcap::torchhost
