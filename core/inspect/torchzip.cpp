#include "core/inspect/torchzip.h"

#include "core/archive/zipreader.h"

namespace hubcap::inspect {

std::optional<std::vector<TorchZipEntry>> readZipDirectory(const std::filesystem::path &file,
                                                           std::string *error)
{
    // The project's one zip reader (core/archive/zipreader.h) does the parsing and the bounds
    // checks; the inspector only needs names, sizes and where each entry's data starts.
    const auto zip = archive::ZipFile::open(file, error);
    if (!zip)
        return std::nullopt;
    std::vector<TorchZipEntry> entries;
    entries.reserve(zip->members().size());
    for (const archive::ZipMember &m : zip->members()) {
        TorchZipEntry e;
        e.path = m.rawName; // torch.load (C++) sees the raw bytes
        e.size = m.size;
        e.compressedSize = m.compressedSize;
        e.method = m.method;
        e.stored = m.method == 0;
        e.isDirectory = m.isDirectory;
        if (e.isDirectory) {
            e.path.pop_back();
        } else {
            if (e.stored && m.compressedSize != m.size) {
                if (error)
                    *error = "zip entry \"" + m.name + "\" is stored but its sizes differ";
                return std::nullopt;
            }
            const auto at = zip->dataOffset(m, error);
            if (!at)
                return std::nullopt;
            e.dataOffset = *at;
        }
        entries.push_back(std::move(e));
    }
    return entries;
}

} // namespace hubcap::inspect
