// The checkpoint inspector against torch.load: fixtures are written by Debian's torch.save in one
// Python process (make_checkpoints.py), which also records what torch.load sees.

#include "core/inspect/checkpoint.h"
#include "core/inspect/inspectjob.h"
#include "core/inspect/pickle.h"
#include "tests/support/pyfixtures.h"
#include "tests/support/testsupport.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cmath>
#include <iostream>
#include <sstream>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace hubcap;
using namespace hubcap::inspect;

namespace {

struct Fixtures
{
    QTemporaryDir tmp;
    QString dir;
    QString sideEffect;
    QJsonObject expected;
    QString error;
};

Fixtures &fixtures()
{
    // Jobs need an event loop.
    static int argc = 1;
    static char arg0[] = "test_inspect";
    static char *argv[] = {arg0, nullptr};
    static QCoreApplication app(argc, argv);
    static Fixtures *f = [] {
        auto *fx = new Fixtures;
        const QString script =
            test::sourceDir() + QStringLiteral("/tests/inspect/make_checkpoints.py");
        fx->sideEffect =
            QDir::cleanPath(test::binDir() + QStringLiteral("/../tests/fixtures/pwned-by-inspect"));
        fx->dir = test::cachedPythonFixtures(QStringLiteral("inspect"), script, {fx->sideEffect},
                                             &fx->error);
        fx->expected =
            QJsonDocument::fromJson(test::readFile(fx->dir + QStringLiteral("/expected.json")))
                .object();
        return fx;
    }();
    return *f;
}

QString fixture(const QString &name)
{
    return fixtures().dir + u'/' + name;
}

CheckpointInfo inspectOk(const QString &name, const InspectOptions &opts = {})
{
    auto r = inspectCheckpoint(fixture(name), opts);
    EXPECT_TRUE(r.has_value()) << name.toStdString() << ": "
                               << (r ? "" : r.error().text().toStdString());
    return r ? *r : CheckpointInfo{};
}

const TensorInfo *tensor(const CheckpointInfo &info, const QString &key)
{
    for (const auto &t : info.tensors)
        if (t.key == key)
            return &t;
    return nullptr;
}

class Inspect : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(fixtures().error.isEmpty()) << fixtures().error.toStdString();
    }
};

} // namespace

TEST_F(Inspect, MatchesTorchLoadForEveryFixture)
{
    const QJsonObject &all = fixtures().expected;
    ASSERT_GE(all.size(), 12);
    for (auto it = all.begin(); it != all.end(); ++it) {
        SCOPED_TRACE(it.key().toStdString());
        const QJsonObject exp = it.value().toObject();
        const CheckpointInfo info = inspectOk(it.key());
        EXPECT_EQ(info.format, exp[QStringLiteral("format")].toString());
        const QJsonObject tensors = exp[QStringLiteral("tensors")].toObject();
        EXPECT_EQ(info.tensors.size(), tensors.size());
        for (auto t = tensors.begin(); t != tensors.end(); ++t) {
            SCOPED_TRACE(t.key().toStdString());
            const TensorInfo *ti = tensor(info, t.key());
            ASSERT_NE(ti, nullptr);
            const QJsonObject e = t.value().toObject();
            std::vector<qint64> shape;
            for (const auto &d : e[QStringLiteral("shape")].toArray())
                shape.push_back(d.toInteger());
            EXPECT_EQ(ti->shape, shape);
            EXPECT_EQ(ti->dtype, e[QStringLiteral("dtype")].toString());
            EXPECT_EQ(ti->numel, e[QStringLiteral("numel")].toInteger());
            EXPECT_EQ(ti->bytes, e[QStringLiteral("bytes")].toInteger());
        }
        EXPECT_EQ(info.totalParams, exp[QStringLiteral("total_params")].toInteger());
        EXPECT_EQ(info.totalBytes, exp[QStringLiteral("total_bytes")].toInteger());
        QStringList unsafe;
        for (const auto &u : exp[QStringLiteral("unsafe")].toArray())
            unsafe << u.toString();
        EXPECT_EQ(info.unsafeGlobals, unsafe);
    }
}

TEST_F(Inspect, StatisticsMatchTorch)
{
    for (const QString &name :
         {QStringLiteral("state_dict.pt"), QStringLiteral("shared.pt"), QStringLiteral("legacy.pt"),
          QStringLiteral("legacy_deflated.zip"), QStringLiteral("scalar.pt")}) {
        SCOPED_TRACE(name.toStdString());
        InspectOptions opts;
        opts.stats = true;
        const CheckpointInfo info = inspectOk(name, opts);
        const QJsonObject tensors =
            fixtures().expected[name].toObject()[QStringLiteral("tensors")].toObject();
        int checked = 0;
        for (const TensorInfo &t : info.tensors) {
            SCOPED_TRACE(t.key.toStdString());
            const QJsonObject e = tensors[t.key].toObject()[QStringLiteral("stats")].toObject();
            if (e.isEmpty())
                continue;
            ASSERT_TRUE(t.stats.has_value()) << t.statsError.toStdString();
            EXPECT_EQ(t.stats->nanCount, e[QStringLiteral("nan")].toInteger());
            EXPECT_EQ(t.stats->infCount, e[QStringLiteral("inf")].toInteger());
            for (const auto &[field, value] :
                 {std::pair{"min", t.stats->min}, std::pair{"max", t.stats->max},
                  std::pair{"mean", t.stats->mean}, std::pair{"std", t.stats->std}}) {
                const double want = e[QLatin1String(field)].toDouble();
                EXPECT_NEAR(value, want, 1e-6 * std::max(1.0, std::abs(want))) << field;
            }
            ++checked;
        }
        EXPECT_GT(checked, 0);
    }
}

TEST_F(Inspect, StatsForSelectedTensorsOnly)
{
    InspectOptions opts;
    opts.stats = true;
    opts.statsKeys = {QStringLiteral("extra.*")};
    const CheckpointInfo info = inspectOk(QStringLiteral("state_dict.pt"), opts);
    EXPECT_TRUE(tensor(info, QStringLiteral("extra.half"))->stats.has_value());
    EXPECT_FALSE(tensor(info, QStringLiteral("conv1.weight"))->stats.has_value());
    const TensorInfo *special = tensor(info, QStringLiteral("extra.special"));
    EXPECT_EQ(special->stats->nanCount, 1);
    EXPECT_EQ(special->stats->infCount, 2);
    EXPECT_EQ(special->stats->min, -2.0);
}

TEST_F(Inspect, SharedStoragesAndViews)
{
    for (const QString &name : {QStringLiteral("shared.pt"), QStringLiteral("legacy_shared.pt")}) {
        SCOPED_TRACE(name.toStdString());
        const CheckpointInfo info = inspectOk(name);
        const TensorInfo *base = tensor(info, QStringLiteral("base"));
        const TensorInfo *view = tensor(info, QStringLiteral("view"));
        const TensorInfo *mt = tensor(info, QStringLiteral("matrix_t"));
        ASSERT_TRUE(base && view && mt);
        EXPECT_EQ(base->storageKey, view->storageKey);
        EXPECT_EQ(base->storageKey, mt->storageKey);
        EXPECT_TRUE(base->sharedStorage);
        EXPECT_FALSE(base->isView);
        EXPECT_TRUE(view->isView);
        EXPECT_EQ(view->storageOffset, 3);
        EXPECT_EQ(mt->stride, (std::vector<qint64>{1, 4}));
        EXPECT_EQ(tensor(info, QStringLiteral("tied_a"))->storageKey,
                  tensor(info, QStringLiteral("tied_b"))->storageKey);
        // What the file holds: two storages (arange(12) and fc.weight), not five tensors' worth.
        EXPECT_EQ(info.storageBytes, 12 * 4 + 2 * 8 * 4);
    }
}

TEST_F(Inspect, OtherValuesAreShown)
{
    const CheckpointInfo info = inspectOk(QStringLiteral("training.pt"));
    QMap<QString, QString> values;
    for (const auto &v : info.values)
        values[v.key] = v.repr;
    EXPECT_EQ(values.value(QStringLiteral("epoch")), QStringLiteral("3"));
    EXPECT_EQ(values.value(QStringLiteral("best_acc")), QStringLiteral("0.75"));
    EXPECT_EQ(values.value(QStringLiteral("config")),
              QStringLiteral("{'lr': 0.1, 'arch': 'net', 'layers': [1, 2]}"));
    EXPECT_TRUE(values.value(QStringLiteral("optimizer.param_groups"))
                    .contains(QStringLiteral("'momentum': 0.9")));
    EXPECT_TRUE(tensor(info, QStringLiteral("model.layer1.0.weight")));
    EXPECT_TRUE(tensor(info, QStringLiteral("optimizer.state.0.momentum_buffer")));
    EXPECT_TRUE(info.unsafeGlobals.isEmpty());
    EXPECT_TRUE(info.globals.contains(QStringLiteral("collections.OrderedDict")));
}

TEST_F(Inspect, UnsafeGlobalsAreReportedAndNeverRun)
{
    for (const QString &name : {QStringLiteral("evil.pt"), QStringLiteral("evil_legacy.pt")}) {
        SCOPED_TRACE(name.toStdString());
        const CheckpointInfo info = inspectOk(name);
        EXPECT_EQ(info.unsafeGlobals.size(), 2);
        EXPECT_TRUE(info.unsafeGlobals.contains(QStringLiteral("builtins.eval")));
        EXPECT_TRUE(tensor(info, QStringLiteral("weight")));
        bool sawPayload = false, sawEpoch = false;
        for (const auto &v : info.values) {
            sawPayload = sawPayload ||
                         (v.key == u"payload" && v.type == u"object" && v.repr.contains(u"system"));
            sawEpoch = sawEpoch || (v.key == u"epoch" && v.repr == u"1");
        }
        EXPECT_TRUE(sawPayload);
        EXPECT_TRUE(sawEpoch);
    }
    EXPECT_FALSE(QFile::exists(fixtures().sideEffect));
}

TEST_F(Inspect, ManyTensorsInspectQuickly)
{
    QElapsedTimer clock;
    clock.start();
    const CheckpointInfo info = inspectOk(QStringLiteral("many.pt"));
    EXPECT_LT(clock.elapsed(), 3000); // typically tens of milliseconds
    ASSERT_EQ(info.tensors.size(), 5000);
    EXPECT_EQ(info.tensors.last().key, QStringLiteral("block4999.weight"));
    EXPECT_EQ(info.totalParams, 10000);
}

TEST_F(Inspect, TorchScriptArchive)
{
    const CheckpointInfo info = inspectOk(QStringLiteral("scripted.pt"));
    EXPECT_EQ(info.format, QStringLiteral("torchscript"));
    EXPECT_TRUE(tensor(info, QStringLiteral("conv1.weight")));
    EXPECT_TRUE(tensor(info, QStringLiteral("bn1.running_mean")));
    EXPECT_TRUE(info.unsafeGlobals.isEmpty()) << info.unsafeGlobals.join(u' ').toStdString();
}

TEST_F(Inspect, MissingAndForeignFilesAreErrors)
{
    auto r = inspectCheckpoint(fixture(QStringLiteral("nope.pt")));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Error::Code::NotFound);
    const QString text = fixtures().tmp.path() + QStringLiteral("/text.pt");
    test::writeFile(text, "hello, not a checkpoint\n");
    r = inspectCheckpoint(text);
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().message.contains(QStringLiteral("not a PyTorch checkpoint")));
}

TEST_F(Inspect, TruncatedFilesAreClearErrors)
{
    for (const QString &name :
         {QStringLiteral("state_dict.pt"), QStringLiteral("legacy.pt"),
          QStringLiteral("legacy_single.zip"), QStringLiteral("training.pt")}) {
        SCOPED_TRACE(name.toStdString());
        const QByteArray data = test::readFile(fixture(name));
        const QString cut = fixtures().tmp.path() + QStringLiteral("/cut-") + name;
        int step = std::max<int>(1, int(data.size()) / 150);
        for (qsizetype n = 0; n < data.size(); n += (data.size() - n < 64 ? 1 : step)) {
            test::writeFile(cut, data.left(n));
            auto r = inspectCheckpoint(cut);
            ASSERT_FALSE(r.has_value()) << "truncated at " << n << " of " << data.size();
            EXPECT_FALSE(r.error().message.isEmpty());
        }
    }
}

TEST_F(Inspect, CorruptedBytesNeverCrash)
{
    for (const QString &name : {QStringLiteral("training.pt"), QStringLiteral("legacy.pt"),
                                QStringLiteral("evil_legacy.pt")}) {
        SCOPED_TRACE(name.toStdString());
        const QByteArray data = test::readFile(fixture(name));
        const QString bad = fixtures().tmp.path() + QStringLiteral("/bad-") + name;
        int errors = 0;
        // Deterministic "random" positions and values.
        quint32 seed = 12345;
        for (int k = 0; k < 300; ++k) {
            seed = seed * 1103515245u + 12345u;
            QByteArray copy = data;
            const auto pos = qsizetype(seed % quint32(copy.size()));
            copy[pos] = char(copy[pos] ^ char(1 + (seed >> 16) % 255));
            test::writeFile(bad, copy);
            auto r = inspectCheckpoint(bad, InspectOptions{.stats = true});
            errors += r ? 0 : 1;
            if (!r) {
                EXPECT_FALSE(r.error().message.isEmpty());
            }
        }
        EXPECT_GT(errors, 0);
    }
}

TEST_F(Inspect, JobRunsOffTheCallingThread)
{
    InspectJob job(fixture(QStringLiteral("training.pt")), InspectOptions{.stats = true});
    bool finished = false;
    QObject::connect(&job, &Job::finished, [&] { finished = true; });
    job.start();
    ASSERT_TRUE(job.waitForFinished(30000));
    EXPECT_TRUE(finished);
    EXPECT_FALSE(job.error().has_value());
    EXPECT_EQ(job.info().format, QStringLiteral("zip"));
    EXPECT_GT(job.info().tensors.size(), 10);

    InspectJob missing(fixture(QStringLiteral("nope.pt")), {});
    missing.start();
    ASSERT_TRUE(missing.waitForFinished(30000));
    ASSERT_TRUE(missing.error().has_value());
    EXPECT_EQ(missing.error()->code, Error::Code::NotFound);
}

TEST_F(Inspect, CliPrintsJsonAndTable)
{
    auto r = test::runCli(
        {QStringLiteral("--json"), QStringLiteral("inspect"), fixture(QStringLiteral("evil.pt"))});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
    EXPECT_EQ(doc[QStringLiteral("format")].toString(), QStringLiteral("zip"));
    EXPECT_EQ(doc[QStringLiteral("total_params")].toInteger(), 4);
    EXPECT_EQ(doc[QStringLiteral("total_bytes")].toInteger(), 16);
    EXPECT_EQ(doc[QStringLiteral("unsafe_globals")].toArray().size(), 2);
    const QJsonObject t = doc[QStringLiteral("tensors")].toArray().first().toObject();
    EXPECT_EQ(t[QStringLiteral("key")].toString(), QStringLiteral("weight"));
    EXPECT_EQ(t[QStringLiteral("shape")].toArray(), (QJsonArray{2, 2}));
    EXPECT_EQ(t[QStringLiteral("dtype")].toString(), QStringLiteral("float32"));
    EXPECT_EQ(t[QStringLiteral("numel")].toInteger(), 4);
    EXPECT_EQ(t[QStringLiteral("bytes")].toInteger(), 16);

    r = test::runCli({QStringLiteral("inspect"), fixture(QStringLiteral("evil.pt"))});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains("unsafe global: builtins.eval")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("weight")) << r.out.toStdString();
    EXPECT_FALSE(QFile::exists(fixtures().sideEffect));

    r = test::runCli({QStringLiteral("inspect"), fixture(QStringLiteral("state_dict.pt")),
                      QStringLiteral("--stats")});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains("nan 1  inf 2")) << r.out.toStdString();

    r = test::runCli({QStringLiteral("inspect"), fixture(QStringLiteral("nope.pt"))});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(r.err.contains("No such file")) << r.err.toStdString();
}

// ---- Hardening (issue 13): crafted files from tests/inspect/make_crafted.py ----

namespace {

QString crafted(const QString &name)
{
    static QString error;
    static const QString dir = [] {
        fixtures(); // the QCoreApplication
        return test::cachedPythonFixtures(QStringLiteral("crafted"),
                                          test::sourceDir() +
                                              QStringLiteral("/tests/inspect/make_crafted.py"),
                                          {QStringLiteral("--big")}, &error);
    }();
    EXPECT_TRUE(error.isEmpty()) << error.toStdString();
    return dir + u'/' + name;
}

/// The error's message and details, for matching.
QString failureText(const Result<CheckpointInfo> &r)
{
    return r ? QString() : r.error().text();
}

/// Runs hubcap-cli as a child and returns its peak RSS in KB (wait4), its exit status and time.
struct ChildRun
{
    int status = -1;
    long maxRssKb = 0;
    double seconds = 0;
};

ChildRun runCliMeasured(const QStringList &args)
{
    const QByteArray cli = (test::binDir() + QStringLiteral("/hubcap-cli")).toLocal8Bit();
    std::vector<QByteArray> storage{cli};
    for (const QString &a : args)
        storage.push_back(a.toLocal8Bit());
    std::vector<char *> argv;
    for (auto &s : storage)
        argv.push_back(s.data());
    argv.push_back(nullptr);
    QElapsedTimer timer;
    timer.start();
    const pid_t pid = fork();
    if (pid == 0) {
        const int devnull = ::open("/dev/null", O_WRONLY);
        dup2(devnull, 1);
        dup2(devnull, 2);
        execv(argv[0], argv.data());
        _exit(127);
    }
    ChildRun run;
    struct rusage usage
    {
    };
    wait4(pid, &run.status, 0, &usage);
    run.maxRssKb = usage.ru_maxrss;
    run.seconds = double(timer.elapsed()) / 1000.0;
    return run;
}

} // namespace

// Every nested form of the crash (a stack overflow in the recursive destruction of the
// value tree): a clear "too complex" error, in the zip, legacy and raw forms.
TEST_F(Inspect, DeeplyNestedPicklesAreRefusedNotCrashes)
{
    for (const QString &name : {QStringLiteral("deep_tuple.pt"), QStringLiteral("deep_list.pt"),
                                QStringLiteral("deep_chain.pt"), QStringLiteral("deep_legacy.pt"),
                                QStringLiteral("deep_raw.pkl")}) {
        SCOPED_TRACE(name.toStdString());
        auto r = inspectCheckpoint(crafted(name));
        ASSERT_FALSE(r.has_value());
        EXPECT_TRUE(r.error().message.contains(u"too complex to inspect safely"))
            << failureText(r).toStdString();
        EXPECT_TRUE(r.error().details.contains(u"nested more than 1000"))
            << failureText(r).toStdString();
    }
}

TEST_F(Inspect, ValueTreesAreFreedWithoutRecursion)
{
    // A million-deep chain built through the public API: the destructor must not recurse.
    ValuePtr root = Value::make(Value::Kind::List);
    Value *tip = root.get();
    for (int k = 0; k < 1'000'000; ++k) {
        auto next = Value::make(Value::Kind::Tuple);
        Value *raw = next.get();
        tip->items.push_back(std::move(next));
        tip = raw;
    }
    root.reset(); // crashed with a stack overflow before
    SUCCEED();
}

TEST_F(Inspect, PickleDepthLimitIsExplicit)
{
    auto load = [](int depth, std::uint32_t limit) {
        std::string pkl = "\x80\x02)";
        pkl += std::string(static_cast<std::size_t>(depth), '\x85');
        pkl += '.';
        std::istringstream in(pkl);
        ByteInput bi(in, 0, pkl.size());
        Unpickler up;
        up.limits.maxDepth = limit;
        return up.load(bi)->height;
    };
    EXPECT_EQ(load(49, 50), 50u);
    try {
        load(50, 50);
        ADD_FAILURE() << "a tuple nested 51 deep was accepted with a limit of 50";
    } catch (const PickleError &e) {
        EXPECT_TRUE(e.tooComplex);
        EXPECT_NE(e.message.find("nested more than 50 levels"), std::string::npos) << e.message;
    }
}

TEST_F(Inspect, ReferenceCyclesAreReadAndFreed)
{
    auto r = inspectCheckpoint(crafted(QStringLiteral("cycle.pt")));
    ASSERT_TRUE(r.has_value()) << failureText(r).toStdString();
    ASSERT_EQ(r->values.size(), 1);
    EXPECT_EQ(r->values.first().type, QStringLiteral("list"));

    // l = []; l.append(l): the Unpickler breaks the cycle when it goes.
    const std::string pkl("\x80\x02]q\x00h\x00\x61.", 9);
    std::weak_ptr<Value> weak;
    {
        std::istringstream in(pkl);
        ByteInput bi(in, 0, pkl.size());
        Unpickler up;
        ValuePtr v = up.load(bi);
        ASSERT_EQ(v->items.size(), 1u);
        EXPECT_EQ(v->items[0], v);
        weak = v;
    }
    EXPECT_TRUE(weak.expired()) << "a self-containing list leaked";
}

// The 47 KB file with 24,000,000 small ints in a list (5.4 GB before) and the 24 KB
// file with 8 million memo puts (2 GB before): fast, bounded.
TEST_F(Inspect, HugeListsAndMemosStayBounded)
{
    QElapsedTimer timer;
    timer.start();
    auto r = inspectCheckpoint(crafted(QStringLiteral("many_ints.pt")));
    ASSERT_FALSE(r.has_value());
    EXPECT_TRUE(r.error().message.contains(u"too complex to inspect safely"));
    EXPECT_TRUE(r.error().details.contains(u"more than 10000000 items"))
        << failureText(r).toStdString();
    EXPECT_LT(timer.elapsed(), 20000);

    for (const QString &name : {QStringLiteral("many_ints.pt"), QStringLiteral("many_memo.pt")}) {
        SCOPED_TRACE(name.toStdString());
        const ChildRun run = runCliMeasured({QStringLiteral("inspect"), crafted(name)});
        ASSERT_TRUE(WIFEXITED(run.status));
        EXPECT_LT(run.maxRssKb, 600 * 1024) << "peak RSS " << run.maxRssKb << " KB";
        EXPECT_LT(run.seconds, 20.0);
        std::cerr << name.toStdString() << ": exit " << WEXITSTATUS(run.status) << ", peak RSS "
                  << run.maxRssKb / 1024 << " MB, " << run.seconds << " s\n";
    }
}

TEST_F(Inspect, QuadraticWorkIsRefused)
{
    QElapsedTimer timer;
    timer.start();
    // A 200,000-item tuple passed as arguments 200,000 times: 4e10 copies before. (A lower
    // work bound than the default keeps the test short; the default takes seconds.)
    InspectOptions lowWork;
    lowWork.limits.maxWork = 20'000'000;
    auto r = inspectCheckpoint(crafted(QStringLiteral("reduce_copy.pt")), lowWork);
    ASSERT_FALSE(r.has_value());
    EXPECT_TRUE(r.error().message.contains(u"too complex to inspect safely"));
    EXPECT_TRUE(r.error().details.contains(u"steps")) << failureText(r).toStdString();
    // One tensor under 2^64 paths through shared tuples.
    r = inspectCheckpoint(crafted(QStringLiteral("fanout.pt")));
    ASSERT_FALSE(r.has_value());
    EXPECT_TRUE(r.error().message.contains(u"too complex to inspect safely"));
    EXPECT_TRUE(r.error().details.contains(u"tensors and values")) << failureText(r).toStdString();
    EXPECT_LT(timer.elapsed(), 20000);
}

// A storage offset of 2^62 wrapped to 0 in the byte arithmetic and --stats printed statistics
// of the first elements; torch.load refuses the file, so do we. Same for a shape whose element
// count overflows.
TEST_F(Inspect, OverflowingOffsetsAndShapesAreRefused)
{
    auto r =
        inspectCheckpoint(crafted(QStringLiteral("offset_2p62.pt")), InspectOptions{.stats = true});
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, Error::Code::Integrity);
    EXPECT_TRUE(r.error().details.contains(u"storage offset")) << failureText(r).toStdString();

    r = inspectCheckpoint(crafted(QStringLiteral("huge_shape.pt")));
    ASSERT_FALSE(r.has_value());
    EXPECT_TRUE(r.error().details.contains(u"overflows 64 bits")) << failureText(r).toStdString();

    auto cli = test::runCli({QStringLiteral("inspect"), crafted(QStringLiteral("offset_2p62.pt")),
                             QStringLiteral("--stats")});
    EXPECT_EQ(cli.exitCode, 1);
    EXPECT_FALSE(cli.out.contains("min ")) << cli.out.toStdString();
}

TEST_F(Inspect, CliReportsTooComplexFilesWithAnError)
{
    auto r = test::runCli({QStringLiteral("inspect"), crafted(QStringLiteral("deep_tuple.pt"))});
    EXPECT_FALSE(r.crashed);
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(r.err.contains("too complex to inspect safely")) << r.err.toStdString();
    r = test::runCli({QStringLiteral("--json"), QStringLiteral("inspect"),
                      crafted(QStringLiteral("deep_legacy.pt"))});
    EXPECT_EQ(r.exitCode, 1);
    const QJsonObject e = QJsonDocument::fromJson(r.out).object()[u"error"].toObject();
    EXPECT_TRUE(e[u"message"].toString().contains(u"too complex")) << r.out.toStdString();
}

// The GUI's inspector: hubcap-cli out of process, limits, and every way the child can fail.
TEST_F(Inspect, OutOfProcessJobMatchesInProcessResult)
{
    const QString path = fixture(QStringLiteral("training.pt"));
    InspectProcessJob job(path, test::binDir() + QStringLiteral("/hubcap-cli"));
    job.start();
    ASSERT_TRUE(job.waitForFinished(60000));
    ASSERT_FALSE(job.error().has_value()) << job.error()->text().toStdString();
    const CheckpointInfo local = inspectOk(QStringLiteral("training.pt"));
    EXPECT_EQ(job.info().format, local.format);
    EXPECT_EQ(job.info().totalParams, local.totalParams);
    EXPECT_EQ(job.info().unsafeGlobals, local.unsafeGlobals);
    ASSERT_EQ(job.info().tensors.size(), local.tensors.size());
    for (qsizetype k = 0; k < local.tensors.size(); ++k) {
        EXPECT_EQ(job.info().tensors[k].key, local.tensors[k].key);
        EXPECT_EQ(job.info().tensors[k].shape, local.tensors[k].shape);
        EXPECT_EQ(job.info().tensors[k].bytes, local.tensors[k].bytes);
    }
    EXPECT_EQ(job.info().values.size(), local.values.size());

    InspectProcessJob deep(crafted(QStringLiteral("deep_tuple.pt")),
                           test::binDir() + QStringLiteral("/hubcap-cli"));
    deep.start();
    ASSERT_TRUE(deep.waitForFinished(60000));
    ASSERT_TRUE(deep.error().has_value());
    EXPECT_EQ(deep.error()->code, Error::Code::Integrity);
    EXPECT_TRUE(deep.error()->message.contains(u"too complex"))
        << deep.error()->text().toStdString();
}

TEST_F(Inspect, OutOfProcessJobSurvivesCrashHangAndMemoryHog)
{
    QTemporaryDir tmp;
    auto script = [&](const QString &name, const QByteArray &body) {
        const QString p = tmp.filePath(name);
        test::writeFile(p, "#!/bin/sh\n" + body + "\n");
        QFile::setPermissions(p, QFile::permissions(p) | QFileDevice::ExeOwner);
        return p;
    };
    const QString file = fixture(QStringLiteral("training.pt"));

    InspectProcessJob crash(file, script(QStringLiteral("crash"), "kill -SEGV $$"));
    crash.start();
    ASSERT_TRUE(crash.waitForFinished(30000));
    ASSERT_TRUE(crash.error().has_value());
    EXPECT_EQ(crash.error()->code, Error::Code::HostFailed);
    EXPECT_TRUE(crash.error()->message.contains(u"stopped unexpectedly"))
        << crash.error()->text().toStdString();

    InspectProcessJob hang(file, script(QStringLiteral("hang"), "exec sleep 60"));
    hang.setLimits({.memoryBytes = 0, .timeoutMs = 500});
    QElapsedTimer timer;
    timer.start();
    hang.start();
    ASSERT_TRUE(hang.waitForFinished(30000));
    EXPECT_LT(timer.elapsed(), 10000);
    ASSERT_TRUE(hang.error().has_value());
    EXPECT_TRUE(hang.error()->message.contains(u"did not finish within"))
        << hang.error()->text().toStdString();

    // The address-space limit applies in the child: Python cannot allocate 1 GiB under 256 MB.
    InspectProcessJob hog(file, script(QStringLiteral("hog"),
                                       "exec " HUBCAP_PYTHON " -c 'x = bytearray(1 << 30); "
                                       "print(\"{\\\"format\\\": \\\"zip\\\"}\")'"));
    hog.setLimits({.memoryBytes = 256ll << 20, .timeoutMs = 30000});
    hog.start();
    ASSERT_TRUE(hog.waitForFinished(60000));
    ASSERT_TRUE(hog.error().has_value()) << "the memory limit did not apply";
    EXPECT_TRUE(hog.error()->details.contains(u"MemoryError")) << hog.error()->text().toStdString();

    InspectProcessJob missing(file, tmp.filePath(QStringLiteral("no-such-program")));
    missing.start();
    ASSERT_TRUE(missing.waitForFinished(30000));
    ASSERT_TRUE(missing.error().has_value());
    EXPECT_TRUE(missing.error()->message.contains(u"Cannot start the inspector"));
}
