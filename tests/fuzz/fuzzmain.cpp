// The fuzz runner: loads a corpus of real fixture files per target, runs every file as it is
// (the regression corpus), then a fixed number of deterministic mutations of them (bit flips,
// interesting integers, byte inserts and deletes, truncations, splices, repeats) through the
// target. A crash or a sanitizer report ends the process (non-zero exit); otherwise it prints
// how many cases ran per target and how long they took.
//
// usage: hubcap_fuzz --corpus DIR [--target pickle|zip|hostreply|all] [--mutations N]
//                    [--seed S] [--max-seconds T]
// DIR holds one folder per target (DIR/pickle, DIR/zip, DIR/hostreply); several --corpus may
// be given. The same seed gives the same cases.

#include "tests/fuzz/fuzztargets.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLoggingCategory>
#include <QTemporaryDir>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct Rng
{
    std::uint64_t s;
    std::uint64_t next() // splitmix64
    {
        std::uint64_t z = (s += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    std::size_t below(std::size_t n) { return n ? static_cast<std::size_t>(next() % n) : 0; }
};

using Bytes = std::string;

void mutate(Bytes &d, const std::vector<Bytes> &corpus, Rng &rng)
{
    static const std::uint64_t interesting[] = {0,
                                                1,
                                                0x7f,
                                                0x80,
                                                0xff,
                                                0x7fff,
                                                0xffff,
                                                0x7fffffff,
                                                0x80000000,
                                                0xffffffff,
                                                0x100000000ull,
                                                1ull << 62,
                                                0x7fffffffffffffffull,
                                                0x8000000000000000ull,
                                                ~0ull};
    const int rounds = 1 + static_cast<int>(rng.below(4));
    for (int r = 0; r < rounds; ++r) {
        switch (rng.below(9)) {
        case 0: // bit flip
            if (!d.empty())
                d[rng.below(d.size())] ^= static_cast<char>(1u << rng.below(8));
            break;
        case 1: // random byte
            if (!d.empty())
                d[rng.below(d.size())] = static_cast<char>(rng.next());
            break;
        case 2: { // interesting integer, 1/2/4/8 bytes little-endian
            const std::size_t width = std::size_t(1) << rng.below(4);
            if (d.size() < width)
                break;
            const std::size_t at = rng.below(d.size() - width + 1);
            const std::uint64_t v = interesting[rng.below(std::size(interesting))];
            for (std::size_t k = 0; k < width; ++k)
                d[at + k] = static_cast<char>(v >> (8 * k));
            break;
        }
        case 3: { // insert random bytes
            const std::size_t n = 1 + rng.below(8);
            Bytes ins;
            for (std::size_t k = 0; k < n; ++k)
                ins += static_cast<char>(rng.next());
            d.insert(rng.below(d.size() + 1), ins);
            break;
        }
        case 4: // delete a range
            if (!d.empty()) {
                const std::size_t at = rng.below(d.size());
                d.erase(at, 1 + rng.below(std::min<std::size_t>(64, d.size() - at)));
            }
            break;
        case 5: // truncate
            d.resize(rng.below(d.size() + 1));
            break;
        case 6: { // splice: our head, another file's tail
            const Bytes &other = corpus[rng.below(corpus.size())];
            const std::size_t cut = rng.below(d.size() + 1);
            const std::size_t from = rng.below(other.size() + 1);
            d = d.substr(0, cut) + other.substr(from);
            break;
        }
        case 7: { // repeat a range (deeper nesting, longer lists)
            if (d.empty())
                break;
            const std::size_t at = rng.below(d.size());
            const Bytes piece = d.substr(at, 1 + rng.below(16));
            const std::size_t times = 1 + rng.below(64);
            Bytes rep;
            for (std::size_t k = 0; k < times; ++k)
                rep += piece;
            d.insert(at, rep);
            break;
        }
        default: { // copy a range elsewhere
            if (d.size() < 2)
                break;
            const std::size_t from = rng.below(d.size());
            const Bytes piece = d.substr(from, 1 + rng.below(32));
            const std::size_t to = rng.below(d.size());
            d.replace(to, std::min(piece.size(), d.size() - to), piece);
            break;
        }
        }
    }
    if (d.size() > (1u << 20))
        d.resize(1u << 20);
}

std::vector<Bytes> loadCorpus(const QStringList &dirs, const QString &target)
{
    std::vector<Bytes> out;
    for (const QString &dir : dirs) {
        const QDir d(dir + u'/' + target);
        for (const QString &name : d.entryList(QDir::Files, QDir::Name)) {
            QFile f(d.filePath(name));
            if (f.open(QIODevice::ReadOnly))
                out.push_back(f.readAll().toStdString());
        }
    }
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    // The host client warns about every line that is not JSON: most fuzz cases.
    QLoggingCategory::setFilterRules(QStringLiteral("hubcap.core.pyhost.warning=false"));
    QStringList corpusDirs;
    QString which = QStringLiteral("all");
    long mutations = 2000;
    std::uint64_t seed = 1;
    double maxSeconds = 0;
    const QStringList args = app.arguments();
    for (qsizetype k = 1; k < args.size(); ++k) {
        const QString a = args[k];
        const QString v = k + 1 < args.size() ? args[k + 1] : QString();
        if (a == u"--corpus")
            corpusDirs << v, ++k;
        else if (a == u"--target")
            which = v, ++k;
        else if (a == u"--mutations")
            mutations = v.toLong(), ++k;
        else if (a == u"--seed")
            seed = v.toULongLong(), ++k;
        else if (a == u"--max-seconds")
            maxSeconds = v.toDouble(), ++k;
        else {
            std::fprintf(stderr, "usage: hubcap_fuzz --corpus DIR [--target pickle|zip|hostreply|"
                                 "all] [--mutations N] [--seed S] [--max-seconds T]\n");
            return 2;
        }
    }
    QTemporaryDir work;
    hubcap::fuzz::setWorkDir(work.path().toStdString());
    struct Target
    {
        const char *name;
        int (*fn)(const std::uint8_t *, std::size_t);
    };
    const Target targets[] = {{"pickle", hubcap::fuzz::pickleTarget},
                              {"zip", hubcap::fuzz::zipTarget},
                              {"hostreply", hubcap::fuzz::hostReplyTarget}};
    long total = 0;
    QElapsedTimer all;
    all.start();
    for (const Target &t : targets) {
        if (which != u"all" && which != QLatin1StringView(t.name))
            continue;
        const std::vector<Bytes> corpus = loadCorpus(corpusDirs, QString::fromLatin1(t.name));
        if (corpus.empty()) {
            std::fprintf(stderr, "hubcap_fuzz: no corpus for %s in %s\n", t.name,
                         qPrintable(corpusDirs.join(u", ")));
            return 2;
        }
        QElapsedTimer timer;
        timer.start();
        long cases = 0;
        auto run = [&](const Bytes &d) {
            t.fn(reinterpret_cast<const std::uint8_t *>(d.data()), d.size());
            ++cases;
        };
        for (const Bytes &d : corpus) // the regression corpus, as is
            run(d);
        Rng rng{seed ^ std::hash<std::string>{}(t.name)};
        for (long m = 0; m < mutations; ++m) {
            if (maxSeconds > 0 && double(timer.elapsed()) / 1000.0 > maxSeconds)
                break;
            Bytes d = corpus[static_cast<std::size_t>(m) % corpus.size()];
            mutate(d, corpus, rng);
            run(d);
        }
        std::printf("fuzz %-9s %6ld cases (%zu corpus files + mutations) in %.2f s\n", t.name,
                    cases, corpus.size(), double(timer.elapsed()) / 1000.0);
        std::fflush(stdout);
        total += cases;
    }
    std::printf("fuzz total     %6ld cases in %.2f s, no crash\n", total,
                double(all.elapsed()) / 1000.0);
    return 0;
}
