// hubcap-torchhost against exports written by torch (make_exports.py): the JSON-lines protocol,
// verdicts (one and two outputs, a trace that diverges from eager), errors for corrupt files,
// the core's VerifyJob and `hubcap-cli verify`.

#include "core/hosts/torchhost/client/torchhostclient.h"
#include "core/protocol/host.h"
#include "tests/support/pyfixtures.h"
#include "tests/support/testsupport.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

using namespace hubcap;

namespace {

struct Exports
{
    QTemporaryDir tmp;
    QString dir;
    QString error;
};

Exports &exports()
{
    static int argc = 1;
    static char arg0[] = "test_torchhost";
    static char *argv[] = {arg0, nullptr};
    static QCoreApplication app(argc, argv);
    static Exports *e = [] {
        auto *x = new Exports;
        x->dir = test::cachedPythonFixtures(
            QStringLiteral("torchhost"),
            test::sourceDir() + QStringLiteral("/tests/torchhost/make_exports.py"), {}, &x->error);
        qputenv("HUBCAP_TORCHHOST",
                (test::binDir() + QStringLiteral("/hubcap-torchhost")).toUtf8());
        return x;
    }();
    return *e;
}

QString path(const QString &name)
{
    return exports().dir + u'/' + name;
}

/// Sends request lines to one host process; returns the responses by id.
QMap<int, QJsonObject> ask(const QList<QJsonObject> &requests, const QByteArray &extra = {})
{
    QByteArray in;
    for (const auto &r : requests)
        in += QJsonDocument(r).toJson(QJsonDocument::Compact) + '\n';
    in += extra;
    const auto r = test::run(test::binDir() + QStringLiteral("/hubcap-torchhost"), {}, {}, in);
    EXPECT_FALSE(r.crashed) << r.err.toStdString();
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    QMap<int, QJsonObject> out;
    int anonymous = -1;
    for (const QByteArray &line : r.out.split('\n')) {
        if (line.isEmpty())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        EXPECT_FALSE(o.isEmpty()) << line.toStdString();
        out[o.value(QStringLiteral("id")).isNull() ? anonymous--
                                                   : o.value(QStringLiteral("id")).toInt()] = o;
    }
    return out;
}

QJsonObject request(int id, const QString &method, const QJsonObject &params = {})
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("method"), method},
            {QStringLiteral("params"), params}};
}

QJsonObject verifyParams(const QString &name, int runs = 3)
{
    return {{QStringLiteral("path"), path(name)}, {QStringLiteral("runs"), runs}};
}

class TorchHost : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(exports().error.isEmpty()) << exports().error.toStdString();
    }
};

} // namespace

TEST_F(TorchHost, VerifiesAndDescribesOverJsonLines)
{
    const QString garbage = exports().tmp.path() + QStringLiteral("/garbage.pt");
    test::writeFile(garbage, QByteArray(3000, 'x'));
    test::writeFile(garbage + QStringLiteral(".example.pt"), QByteArray(10, 'y'));
    const auto r = ask(
        {request(1, QStringLiteral("verify"), verifyParams(QStringLiteral("small.pt"), 5)),
         request(2, QStringLiteral("verify"), verifyParams(QStringLiteral("two_outputs.pt"))),
         request(3, QStringLiteral("verify"), verifyParams(QStringLiteral("diverges.pt"))),
         request(4, QStringLiteral("verify"), verifyParams(QStringLiteral("scripted_branchy.pt"))),
         request(5, QStringLiteral("verify"), verifyParams(QStringLiteral("truncated.pt"))),
         request(6, QStringLiteral("verify"), {{QStringLiteral("path"), garbage}}),
         request(7, QStringLiteral("describe"),
                 {{QStringLiteral("path"), path(QStringLiteral("small.pt"))}}),
         request(8, QStringLiteral("verify"), verifyParams(QStringLiteral("missing.pt"))),
         request(9, QStringLiteral("nonsense")), request(10, QStringLiteral("info"))},
        "this is not json\n");

    // The hello comes first, before any request is answered (it has no id: key 0 here).
    const QJsonObject hello = r[0][QStringLiteral("hello")].toObject();
    EXPECT_EQ(hello[QStringLiteral("protocol")].toInt(), kHostProtocolVersion);
    EXPECT_EQ(hello[QStringLiteral("host")].toString(), QStringLiteral("hubcap-torchhost"));
    EXPECT_FALSE(hello[QStringLiteral("torch_version")].toString().isEmpty());

    const QJsonObject small = r[1][QStringLiteral("result")].toObject();
    EXPECT_TRUE(small[QStringLiteral("verified")].toBool())
        << QJsonDocument(r[1]).toJson().toStdString();
    EXPECT_EQ(small[QStringLiteral("max_abs_diff")].toDouble(), 0.0);
    EXPECT_EQ(small[QStringLiteral("output_count")].toInt(), 1);
    const QJsonObject timing = small[QStringLiteral("timing")].toObject();
    EXPECT_EQ(timing[QStringLiteral("runs")].toInt(), 5);
    EXPECT_GT(timing[QStringLiteral("median_ms")].toDouble(), 0.0);
    EXPECT_LE(timing[QStringLiteral("min_ms")].toDouble(),
              timing[QStringLiteral("median_ms")].toDouble());
    EXPECT_GE(timing[QStringLiteral("threads")].toInt(), 1);

    const QJsonObject two = r[2][QStringLiteral("result")].toObject();
    EXPECT_TRUE(two[QStringLiteral("verified")].toBool());
    const QJsonArray outs = two[QStringLiteral("outputs")].toArray();
    ASSERT_EQ(outs.size(), 2);
    EXPECT_EQ(outs[0].toObject()[QStringLiteral("dtype")].toString(), QStringLiteral("float32"));
    EXPECT_EQ(outs[1].toObject()[QStringLiteral("dtype")].toString(), QStringLiteral("int64"));
    EXPECT_EQ(outs[1].toObject()[QStringLiteral("shape")].toArray(), (QJsonArray{4}));

    // The trace recorded the x > 0 branch; on the example input eager took the other one.
    const QJsonObject div = r[3][QStringLiteral("result")].toObject();
    EXPECT_FALSE(div[QStringLiteral("verified")].toBool());
    EXPECT_EQ(div[QStringLiteral("max_abs_diff")].toDouble(), 2.0); // -6 vs -4
    EXPECT_TRUE(div[QStringLiteral("reason")].toString().contains(QStringLiteral("differs")));
    EXPECT_TRUE(r[4][QStringLiteral("result")].toObject()[QStringLiteral("verified")].toBool());

    for (int id : {5, 6}) {
        const QJsonObject e = r[id][QStringLiteral("error")].toObject();
        EXPECT_EQ(e[QStringLiteral("type")].toString(), QStringLiteral("load_error")) << id;
        EXPECT_TRUE(e[QStringLiteral("message")].toString().contains(
            QStringLiteral("Cannot load the export")))
            << id;
        EXPECT_FALSE(e[QStringLiteral("message")].toString().contains(QStringLiteral("frame #")))
            << id;
    }

    const QJsonObject d = r[7][QStringLiteral("result")].toObject();
    EXPECT_EQ(d[QStringLiteral("total_params")].toInt(), 108 + 4 + 4 + 4 + 8 + 2);
    EXPECT_EQ(d[QStringLiteral("total_buffer_params")].toInt(), 9);
    EXPECT_EQ(d[QStringLiteral("modules")].toArray().size(), 4);
    EXPECT_EQ(
        d[QStringLiteral("methods")].toArray()[0].toObject()[QStringLiteral("name")].toString(),
        QStringLiteral("forward"));
    bool sawCount = false;
    for (const auto &b : d[QStringLiteral("buffers")].toArray())
        sawCount = sawCount ||
                   (b.toObject()[QStringLiteral("name")].toString() == u"bn.num_batches_tracked" &&
                    b.toObject()[QStringLiteral("dtype")].toString() == u"int64");
    EXPECT_TRUE(sawCount);

    EXPECT_EQ(r[8][QStringLiteral("error")].toObject()[QStringLiteral("type")].toString(),
              QStringLiteral("not_found"));
    EXPECT_EQ(r[9][QStringLiteral("error")].toObject()[QStringLiteral("type")].toString(),
              QStringLiteral("invalid_request"));
    EXPECT_TRUE(r[10][QStringLiteral("result")]
                    .toObject()[QStringLiteral("torch_version")]
                    .toString()
                    .startsWith(u"1."));
    EXPECT_EQ(r[-1][QStringLiteral("error")].toObject()[QStringLiteral("type")].toString(),
              QStringLiteral("invalid_request"));
}

TEST_F(TorchHost, VerifyJobGivesAVerdict)
{
    VerifyJob ok(path(QStringLiteral("small.pt")), {.runs = 4});
    ok.start();
    ASSERT_TRUE(ok.waitForFinished(120000));
    ASSERT_FALSE(ok.error()) << ok.error()->text().toStdString();
    EXPECT_TRUE(ok.verified());
    EXPECT_TRUE(
        ok.verdict().startsWith(QStringLiteral("verified: max |diff| 0 over 1 output(s), median ")))
        << ok.verdict().toStdString();
    EXPECT_TRUE(ok.verdict().contains(QStringLiteral("over 4 runs")));

    VerifyJob diverges(path(QStringLiteral("diverges.pt")), {.runs = 0});
    diverges.start();
    ASSERT_TRUE(diverges.waitForFinished(120000));
    ASSERT_FALSE(diverges.error());
    EXPECT_FALSE(diverges.verified());
    EXPECT_TRUE(diverges.verdict().startsWith(QStringLiteral("not verified: output 0 differs")));

    VerifyJob onnx(path(QStringLiteral("model.onnx")), {});
    onnx.start();
    ASSERT_TRUE(onnx.waitForFinished(120000));
    ASSERT_TRUE(onnx.error());
    EXPECT_TRUE(onnx.error()->message.contains(QStringLiteral("No ONNX runtime")));

    VerifyJob truncated(path(QStringLiteral("truncated.pt")), {});
    truncated.start();
    ASSERT_TRUE(truncated.waitForFinished(120000));
    ASSERT_TRUE(truncated.error());
    EXPECT_EQ(truncated.error()->code, Error::Code::Integrity);
}

TEST_F(TorchHost, CliVerify)
{
    auto r = test::runCli({QStringLiteral("verify"), path(QStringLiteral("small.pt")),
                           QStringLiteral("--runs"), QStringLiteral("5")});
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.startsWith("verified: max |diff| 0 over 1 output(s), median "))
        << r.out.toStdString();

    r = test::runCli({QStringLiteral("verify"), path(QStringLiteral("diverges.pt"))});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(r.out.startsWith("not verified: output 0 differs")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("max |diff| 2")) << r.out.toStdString();

    r = test::runCli({QStringLiteral("--json"), QStringLiteral("verify"),
                      path(QStringLiteral("two_outputs.pt")), QStringLiteral("--runs"),
                      QStringLiteral("2")});
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
    EXPECT_EQ(doc[QStringLiteral("output_count")].toInt(), 2);
    EXPECT_TRUE(doc[QStringLiteral("verdict")].toString().startsWith(u"verified"));

    r = test::runCli({QStringLiteral("verify"), path(QStringLiteral("truncated.pt"))});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(r.err.contains("Cannot load the export")) << r.err.toStdString();
}

// Verification of a slow model must not time a fixed 20 runs: with a budget, the host runs as
// many as fit it (at least 3), and says what it is doing as it goes.
TEST_F(TorchHost, VerifyFitsATimeBudgetAndReportsEachStep)
{
    VerifyJob::Options options;
    options.runs = 100000;
    options.budgetMs = 1; // far less than 100000 runs take
    VerifyJob job(path(QStringLiteral("small.pt")), options);
    QStringList steps;
    QObject::connect(&job, &Job::progress,
                     [&](qint64, qint64, const QString &text) { steps << text; });
    job.start();
    ASSERT_TRUE(job.waitForFinished(120000));
    ASSERT_FALSE(job.error()) << job.error()->text().toStdString();
    ASSERT_TRUE(job.result().has_value());
    const int runs = job.result()->timing.runs;
    EXPECT_GE(runs, 3);
    EXPECT_LT(runs, 100000);
    EXPECT_TRUE(steps.contains(QStringLiteral("Loading the export")))
        << steps.join(u'|').toStdString();
    EXPECT_TRUE(steps.contains(QStringLiteral("Warm-up run 1 of 3")));
    EXPECT_TRUE(steps.contains(QStringLiteral("Timed run %1 of %1").arg(runs)));
    EXPECT_TRUE(job.verdict().contains(QStringLiteral("over %1 runs").arg(runs)));

    // Durations read like "1.79 s", not "1.79e+03 ms".
    const QJsonObject slow{
        {QStringLiteral("verified"), true},
        {QStringLiteral("max_abs_diff"), 0.0},
        {QStringLiteral("output_count"), 1},
        {QStringLiteral("timing"), QJsonObject{{QStringLiteral("runs"), 3},
                                               {QStringLiteral("median_ms"), 1790.4},
                                               {QStringLiteral("threads"), 4}}}};
    const auto slowVerification = Verification::fromJson(slow);
    ASSERT_TRUE(slowVerification.has_value());
    EXPECT_TRUE(slowVerification->verdict().contains(QStringLiteral("median 1.79 s over 3")))
        << slowVerification->verdict().toStdString();
}
