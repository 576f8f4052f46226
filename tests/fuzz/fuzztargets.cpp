#include "tests/fuzz/fuzztargets.h"

#include "core/hosts/pyhost/client/pyhostclient.h"
#include "core/inspect/checkpoint.h"
#include "core/inspect/pickle.h"
#include "core/inspect/torchzip.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QTimer>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

namespace hubcap::fuzz {

namespace {

std::string g_workDir = "/tmp";

// Lower bounds than the defaults, so that a case that reaches one (the crafted corpus does)
// costs milliseconds, not seconds.
inspect::PickleLimits fuzzLimits()
{
    inspect::PickleLimits l;
    l.maxDepth = 200;
    l.maxItems = 100'000;
    l.maxMemo = 100'000;
    l.maxBytes = 64 << 20;
    l.maxWork = 2'000'000;
    return l;
}

inspect::InspectOptions fuzzOptions()
{
    inspect::InspectOptions o;
    o.stats = true;
    o.limits = fuzzLimits();
    return o;
}

std::string writeCase(const char *name, const std::uint8_t *data, std::size_t size)
{
    const std::string path = g_workDir + "/" + name;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char *>(data), static_cast<std::streamsize>(size));
    return path;
}

} // namespace

void setWorkDir(const std::string &dir)
{
    g_workDir = dir;
}

int pickleTarget(const std::uint8_t *data, std::size_t size)
{
    const std::string bytes(reinterpret_cast<const char *>(data), size);
    {
        std::istringstream in(bytes);
        inspect::ByteInput bi(in, 0, size);
        inspect::Unpickler up;
        up.limits = fuzzLimits();
        up.onPersistentId = [](const inspect::ValuePtr &pid) { return pid; };
        try {
            for (int k = 0; k < 8 && bi.remaining() > 0; ++k) {
                const inspect::ValuePtr v = up.load(bi);
                (void)inspect::repr(v, 200);
            }
        } catch (const inspect::PickleError &) {
        }
    }
    // The same bytes as a legacy/raw checkpoint file: the torch hooks and the tree walk.
    const std::string path = writeCase("case.pkl", data, size);
    (void)inspect::inspectCheckpoint(QString::fromStdString(path), fuzzOptions());
    return 0;
}

int zipTarget(const std::uint8_t *data, std::size_t size)
{
    const std::string path = writeCase("case.pt", data, size);
    std::string error;
    (void)inspect::readZipDirectory(path, &error);
    (void)inspect::inspectCheckpoint(QString::fromStdString(path), fuzzOptions());
    return 0;
}

int hostReplyTarget(const std::uint8_t *data, std::size_t size)
{
    // A fake host answers every request with the case's bytes, then a valid reply, so each
    // case ends. PyHostProcess parses the lines exactly as it parses a real host's.
    static const std::string script = [] {
        const std::string p = g_workDir + "/fakehost.sh";
        std::ofstream out(p, std::ios::trunc);
        // The client refuses a host that does not say hello first with its protocol number.
        out << "#!/bin/sh\n"
               "printf '{\"hello\": {\"host\": \"hubcap-pyhost\", \"protocol\": "
            << kHostProtocolVersion
            << ", \"pid\": %d}}\\n' $$\n"
               "while IFS= read -r line; do cat \"$HUBCAP_FUZZ_REPLY\"; done\n";
        out.close();
        QFile::setPermissions(QString::fromStdString(p), QFileDevice::ReadOwner |
                                                             QFileDevice::WriteOwner |
                                                             QFileDevice::ExeOwner);
        return p;
    }();
    static std::unique_ptr<PyHostProcess> host = [] {
        auto h = std::make_unique<PyHostProcess>(QString::fromStdString(script),
                                                 QString::fromStdString(g_workDir));
        h->setEnvironment({{QStringLiteral("HUBCAP_FUZZ_REPLY"),
                            QString::fromStdString(g_workDir + "/reply.jsonl")}});
        return h;
    }();
    const qint64 id = host->request(QStringLiteral("fuzz"), {}, 10000);
    std::string reply(reinterpret_cast<const char *>(data), size);
    reply += "\n{\"id\": " + std::to_string(id) + ", \"result\": {}}\n";
    writeCase("reply.jsonl", reinterpret_cast<const std::uint8_t *>(reply.data()), reply.size());
    QEventLoop loop;
    auto done = [&](qint64 rid) {
        if (rid == id)
            loop.quit();
    };
    auto c1 = QObject::connect(host.get(), &PyHostProcess::replied, &loop,
                               [&](qint64 rid, const QJsonObject &) { done(rid); });
    auto c2 = QObject::connect(
        host.get(), &PyHostProcess::failed, &loop,
        [&](qint64 rid, const hubcap::Error &, const PythonError &) { done(rid); });
    QTimer::singleShot(15000, &loop, &QEventLoop::quit);
    loop.exec();
    QObject::disconnect(c1);
    QObject::disconnect(c2);
    return 0;
}

} // namespace hubcap::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const char *t = std::getenv("HUBCAP_FUZZ_TARGET");
    const std::string target = t ? t : "pickle";
    if (target == "zip")
        return hubcap::fuzz::zipTarget(data, size);
    if (target == "hostreply")
        return hubcap::fuzz::hostReplyTarget(data, size);
    return hubcap::fuzz::pickleTarget(data, size);
}
