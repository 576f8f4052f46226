// hubcap-bench: timings of core pieces that the CLI does not expose alone (bench/run.py uses it).
//   hubcap-bench extract ZIP DEST      extractZipSafely() alone; prints "seconds <s>"
//   hubcap-bench pyhost DIR N [METHOD] one warm Python host, N requests of METHOD (static.list);
//                                      prints "cold_ms <first request incl. host start>" and
//                                      "warm_median_ms <median of the other N-1>"
// Not a test and not part of CTest.
#include "core/fetch/extract.h"
#include "core/hosts/pyhost/client/pyhostclient.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonObject>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace hubcap;

namespace {

int usage()
{
    std::fprintf(stderr, "usage: hubcap-bench extract ZIP DEST | pyhost DIR N [METHOD]\n");
    return 2;
}

int extract(const QString &zip, const QString &dest)
{
    QElapsedTimer t;
    t.start();
    const auto r = extractZipSafely(zip, dest);
    const double s = static_cast<double>(t.nsecsElapsed()) / 1e9;
    if (!r) {
        std::fprintf(stderr, "extract failed: %s\n", qPrintable(r.error().message));
        return 1;
    }
    std::printf("seconds %.6f\nfiles %lld\nbytes %lld\n", s, static_cast<long long>(r->files),
                static_cast<long long>(r->bytes));
    return 0;
}

int pyhost(const QString &dir, int n, const QString &method)
{
    const auto program = findPyHostExecutable();
    if (!program) {
        std::fprintf(stderr, "%s\n", qPrintable(program.error().message));
        return 1;
    }
    const QString repoDir = QFileInfo(dir).canonicalFilePath();
    PyHostProcess host(*program, repoDir);
    std::vector<double> ms;
    bool ok = true;
    for (int i = 0; i < n && ok; ++i) {
        QEventLoop loop;
        QObject::connect(&host, &PyHostProcess::replied, &loop,
                         [&](qint64, const QJsonObject &) { loop.quit(); });
        QObject::connect(&host, &PyHostProcess::failed, &loop,
                         [&](qint64, const Error &e, const QJsonObject &) {
                             std::fprintf(stderr, "request failed: %s\n", qPrintable(e.message));
                             ok = false;
                             loop.quit();
                         });
        QElapsedTimer t;
        t.start();
        host.request(method, QJsonObject{{QStringLiteral("repo_dir"), repoDir}},
                     PyHostJob::staticDeadlineMs);
        loop.exec();
        ms.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
    }
    host.shutdown();
    if (!ok || ms.empty())
        return 1;
    std::printf("cold_ms %.3f\n", ms.front());
    std::vector<double> warm(ms.begin() + 1, ms.end());
    if (!warm.empty()) {
        std::sort(warm.begin(), warm.end());
        std::printf("warm_median_ms %.3f\nwarm_min_ms %.3f\nwarm_max_ms %.3f\n",
                    warm[warm.size() / 2], warm.front(), warm.back());
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList a = app.arguments();
    if (a.size() >= 4 && a[1] == QStringLiteral("extract"))
        return extract(a[2], a[3]);
    if (a.size() >= 4 && a[1] == QStringLiteral("pyhost"))
        return pyhost(a[2], std::max(1, a[3].toInt()),
                      a.size() > 4 ? a[4] : QStringLiteral("static.list"));
    return usage();
}
