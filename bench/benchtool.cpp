// hubcap-bench: timings of core pieces that the CLI does not expose alone (bench/run.py uses it).
//   hubcap-bench extract ZIP DEST      extractZipSafely() alone; prints "seconds <s>"
//   hubcap-bench pyhost DIR N [METHOD] one warm Python host, N requests of METHOD (static.list);
//                                      prints "cold_ms <first request incl. host start>" and
//                                      "warm_median_ms <median of the other N-1>"
//   hubcap-bench catalog-search [PAGES] [ENTRYPOINTS] [RUNS]
//                                      CatalogSearch over a synthetic catalog (default 120 pages,
//                                      about twice pytorch/hub's) plus 5,000 cached entrypoints;
//                                      prints "build_ms", "median_ms", "p95_ms", "max_ms" over
//                                      RUNS rounds of a fixed query mix (short, long, multi-term,
//                                      no-hit), one search per query
// Not a test and not part of CTest.
#include "core/catalog/catalogsearch.h"
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
    std::fprintf(
        stderr,
        "usage: hubcap-bench extract ZIP DEST | pyhost DIR N [METHOD] | catalog-search [PAGES] "
        "[ENTRYPOINTS] [RUNS]\n");
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
                         [&](qint64, const Error &e, const PythonError &) {
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

int catalogSearch(int pages, int entrypoints, int runs)
{
    static const char *words[] = {"vision",      "audio",          "nlp",        "generative",
                                  "detection",   "segmentation",   "depth",      "speech",
                                  "translation", "classification", "residual",   "transformer",
                                  "efficient",   "mobile",         "pretrained", "imagenet"};
    QList<CatalogEntry> entries;
    for (int i = 0; i < pages; ++i) {
        CatalogEntry e;
        e.page = QStringLiteral("owner%1_repo%1_model%1").arg(i);
        e.title = QStringLiteral("%1 Net %2").arg(QString::fromLatin1(words[i % 16])).arg(i);
        e.summary = QStringLiteral("A %1 model for %2 trained on a large dataset with %3 weights")
                        .arg(QString::fromLatin1(words[(i * 3) % 16]),
                             QString::fromLatin1(words[(i * 5) % 16]),
                             QString::fromLatin1(words[(i * 7) % 16]));
        e.category = i % 5 ? QStringLiteral("researchers") : QStringLiteral("developers");
        e.tags = {QString::fromLatin1(words[i % 16]), QString::fromLatin1(words[(i + 1) % 16])};
        e.author = QStringLiteral("Team %1").arg(i % 17);
        e.repo = QStringLiteral("owner%1/repo%1").arg(i);
        for (int k = 0; k < 3; ++k) {
            LoadExample x;
            x.repo = e.repo;
            x.entrypoint =
                QStringLiteral("%1_%2").arg(QString::fromLatin1(words[(i + k) % 16])).arg(k);
            e.examples << x;
        }
        entries << e;
    }
    QList<CachedEntrypoint> eps;
    for (int i = 0; i < entrypoints; ++i)
        eps.append(
            {QStringLiteral("cached%1_repo_main").arg(i / 25),
             QStringLiteral("cached%1/repo:main").arg(i / 25),
             QStringLiteral("%1_%2_v%3")
                 .arg(QString::fromLatin1(words[i % 16]), QString::fromLatin1(words[(i / 16) % 16]))
                 .arg(i),
             QStringLiteral("Builds a %1 network (number %2) with optional pretrained weights.")
                 .arg(QString::fromLatin1(words[(i * 7) % 16]))
                 .arg(i)});
    QElapsedTimer t;
    t.start();
    const CatalogSearch search(entries, eps);
    const double buildMs = t.nsecsElapsed() / 1e6;
    const QStringList queries{QStringLiteral("r"),
                              QStringLiteral("resnet"),
                              QStringLiteral("vision"),
                              QStringLiteral("depth pretrained"),
                              QStringLiteral("transformer nlp team"),
                              QStringLiteral("zzzz-no-hit"),
                              QStringLiteral("audio_speech"),
                              QStringLiteral("e")};
    std::vector<double> times;
    std::vector<std::vector<double>> perQuery(queries.size());
    qint64 hits = 0;
    for (int r = 0; r < runs; ++r)
        for (qsizetype i = 0; i < queries.size(); ++i) {
            t.restart();
            hits += search.search(queries[i]).size();
            const double ms = t.nsecsElapsed() / 1e6;
            times.push_back(ms);
            perQuery[i].push_back(ms);
        }
    for (qsizetype i = 0; i < queries.size(); ++i) {
        auto &v = perQuery[i];
        std::sort(v.begin(), v.end());
        std::fprintf(stderr, "query '%s': median %.3f ms\n", qPrintable(queries[i]),
                     v[v.size() / 2]);
    }
    std::sort(times.begin(), times.end());
    std::printf(
        "build_ms %.3f\nmedian_ms %.3f\np95_ms %.3f\nmax_ms %.3f\nsearches %zu\nhits %lld\n",
        buildMs, times[times.size() / 2], times[times.size() * 95 / 100], times.back(),
        times.size(), static_cast<long long>(hits));
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
    if (a.size() >= 2 && a[1] == QStringLiteral("catalog-search"))
        return catalogSearch(a.size() > 2 ? a[2].toInt() : 120, a.size() > 3 ? a[3].toInt() : 5000,
                             std::max(1, a.size() > 4 ? a[4].toInt() : 50));
    return usage();
}
