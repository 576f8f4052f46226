#pragma once

// Fuzz targets (libFuzzer's entry-point signature) for the parsers that read hostile input:
// the pickle reader, the checkpoint zip reader, and the JSON-lines replies of the Python host.
// fuzzmain.cpp drives them with deterministic mutations of a corpus, so they run under g++ with
// AddressSanitizer/UBSan (`make fuzz`) as well as in the plain test build.

#include <cstddef>
#include <cstdint>
#include <string>

namespace hubcap::fuzz {

/// A pickle (or several, one after the other, as in the legacy format) read by the Unpickler,
/// then the same bytes as a raw checkpoint file through inspectCheckpoint().
int pickleTarget(const std::uint8_t *data, std::size_t size);
/// A checkpoint zip: readZipDirectory(), then inspectCheckpoint() with --stats.
int zipTarget(const std::uint8_t *data, std::size_t size);
/// Bytes a Python host writes on stdout, parsed by PyHostProcess (a fake host echoes them).
int hostReplyTarget(const std::uint8_t *data, std::size_t size);

/// Folder for the targets' temporary files (set by the runner).
void setWorkDir(const std::string &dir);

} // namespace hubcap::fuzz

/// libFuzzer's entry point (HUBCAP_FUZZ_TARGET picks the target: pickle, zip or hostreply).
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size);
