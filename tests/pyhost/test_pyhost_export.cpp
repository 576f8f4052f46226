// Export through the Python host: every format loads back in Python and gives the eager output;
// the example file (read by the libtorch host) and the JSON summary are written beside it.
#include "tests/pyhost/pyhostfixtures.h"

#include <QFileInfo>
#include <QJsonArray>

using namespace hubcap;
using namespace hubcap::test;

namespace {

QString demoHub()
{
    return sourceDir() + QStringLiteral("/resources/demo-hub");
}

QJsonObject exportParams(const QString &entry, const QString &format, const QString &output,
                         const QJsonValue &shape = QJsonValue())
{
    QJsonObject exp{{QStringLiteral("format"), format}, {QStringLiteral("output"), output}};
    if (!shape.isUndefined() && !shape.isNull())
        exp.insert(QStringLiteral("input_shape"), shape);
    return {{QStringLiteral("entrypoint"), entry},
            {QStringLiteral("export"), exp},
            {QStringLiteral("provenance"),
             QJsonObject{{QStringLiteral("repo"), QStringLiteral("demo")},
                         {QStringLiteral("ref"), QStringLiteral("main")},
                         {QStringLiteral("commit"), QStringLiteral("abc1234")},
                         {QStringLiteral("entrypoint"), entry},
                         {QStringLiteral("args"), QJsonArray{}},
                         {QStringLiteral("kwargs"), QJsonObject{}}}}};
}

} // namespace

TEST(PyHostExport, EveryFormatLoadsBackInPythonWithTheEagerOutput)
{
    ensureApp();
    QTemporaryDir tmp;
    const QString out = tmp.path();
    PyHostPool pool;
    pool.setProgram(binDir() + QStringLiteral("/hubcap-pyhost"));
    const QStringList formats{QStringLiteral("torchscript"), QStringLiteral("trace"),
                              QStringLiteral("state_dict"), QStringLiteral("onnx")};
    for (const QString &fmt : formats) {
        SCOPED_TRACE(fmt.toStdString());
        const HostAnswer a =
            ask(pool, demoHub(), QStringLiteral("runtime.load"),
                exportParams(QStringLiteral("tiny_cnn"), fmt, out + QStringLiteral("/cnn.") + fmt),
                300000);
        ASSERT_TRUE(a.ok) << a.error.text().toStdString();
        const QJsonObject x = a.result.value(QStringLiteral("export")).toObject();
        EXPECT_EQ(x.value(QStringLiteral("format")).toString(), fmt);
        const QString file = out + QStringLiteral("/cnn.") + fmt;
        EXPECT_TRUE(QFileInfo::exists(file + QStringLiteral(".example.pt")));
        const QJsonObject summary =
            QJsonDocument::fromJson(readFile(file + QStringLiteral(".json"))).object();
        EXPECT_EQ(summary.value(QStringLiteral("format")).toString(), fmt);
        EXPECT_EQ(summary.value(QStringLiteral("size")).toInteger(), QFileInfo(file).size());
        EXPECT_EQ(summary.value(QStringLiteral("example")).toString(),
                  QStringLiteral("cnn.") + fmt + QStringLiteral(".example.pt"));
        EXPECT_EQ(summary.value(QStringLiteral("input_shape")).toArray(),
                  (QJsonArray{1, 1, 16, 16})); // from the model
        EXPECT_EQ(summary.value(QStringLiteral("input_dtype")).toString(),
                  QStringLiteral("float32"));
        EXPECT_EQ(summary.value(QStringLiteral("commit")).toString(), QStringLiteral("abc1234"));
        EXPECT_EQ(summary.value(QStringLiteral("entrypoint")).toString(),
                  QStringLiteral("tiny_cnn"));
        EXPECT_FALSE(summary.value(QStringLiteral("torch_version")).toString().isEmpty());
        EXPECT_TRUE(summary.contains(QStringLiteral("seconds")));
    }
    // One host served all four loads.
    ASSERT_EQ(pool.hosts().size(), 1);
    EXPECT_EQ(pool.hosts().first()->startCount(), 1);

    const QJsonObject check = pythonJson(QStringLiteral(R"PY(
import json, torch, onnx
d, demo = %1, %2
res = {}
def diff(a, b): return (a - b).abs().max().item()
for fmt in ("torchscript", "trace", "state_dict", "onnx"):
    ex = torch.jit.load("%s/cnn.%s.example.pt" % (d, fmt))
    x, y = ex.inputs[0], ex.outputs[0]
    if fmt in ("torchscript", "trace"):
        res[fmt] = diff(torch.jit.load("%s/cnn.%s" % (d, fmt))(x), y)
    elif fmt == "state_dict":
        sd = torch.load("%s/cnn.state_dict" % d)
        res["state_dict_type"] = type(sd).__name__
        m = torch.hub.load(demo, "tiny_cnn", source="local", pretrained=False)
        m.load_state_dict(sd)
        with torch.no_grad():
            res[fmt] = diff(m.eval()(x), y)
    else:
        model = onnx.load("%s/cnn.onnx" % d)
        onnx.checker.check_model(model)
        dims = [dd.dim_value for dd in model.graph.input[0].type.tensor_type.shape.dim]
        res["onnx_input"] = dims
        eager = torch.hub.load(demo, "tiny_cnn", source="local").eval()
        with torch.no_grad():
            res[fmt] = diff(eager(x), y)
print(json.dumps(res))
)PY")
                                             .arg(u'"' + out + u'"', u'"' + demoHub() + u'"'));
    for (const QString &fmt : formats)
        EXPECT_LT(check.value(fmt).toDouble(1), 1e-5) << fmt.toStdString();
    EXPECT_EQ(check.value(QStringLiteral("state_dict_type")).toString(), QStringLiteral("dict"));
    EXPECT_EQ(check.value(QStringLiteral("onnx_input")).toArray(), (QJsonArray{1, 1, 16, 16}));
}

TEST(PyHostExport, ScriptFailureFallsBackToTraceAndSaysSo)
{
    ensureApp();
    QTemporaryDir tmp;
    writeFile(tmp.path() + QStringLiteral("/repo/hubconf.py"), R"PY(dependencies = ['torch']
import torch


class Dynamic(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(3, 2)

    def forward(self, *inputs):  # varargs: torch.jit.script refuses, tracing works
        return self.fc(inputs[0])


def dynamic():
    return Dynamic()


def not_a_module():
    return "just a string"
)PY");
    PyHostPool pool;
    pool.setProgram(binDir() + QStringLiteral("/hubcap-pyhost"));
    const QString repo = tmp.path() + QStringLiteral("/repo");
    const QString out = tmp.path() + QStringLiteral("/dyn.pt");
    const HostAnswer a = ask(pool, repo, QStringLiteral("runtime.load"),
                             exportParams(QStringLiteral("dynamic"), QStringLiteral("torchscript"),
                                          out, QJsonArray{4, 3}),
                             300000);
    ASSERT_TRUE(a.ok) << a.error.text().toStdString();
    const QJsonObject x = a.result.value(QStringLiteral("export")).toObject();
    EXPECT_EQ(x.value(QStringLiteral("method")).toString(), QStringLiteral("trace"));
    EXPECT_TRUE(x.value(QStringLiteral("fallback"))
                    .toString()
                    .startsWith(u"torch.jit.script failed, traced instead"));
    EXPECT_LT(x.value(QStringLiteral("python_max_abs_diff")).toDouble(1), 1e-6);

    // Without an input shape (and no example_input_shape on the model) the export says what to
    // pass.
    const HostAnswer noShape =
        ask(pool, repo, QStringLiteral("runtime.load"),
            exportParams(QStringLiteral("dynamic"), QStringLiteral("trace"), out));
    ASSERT_FALSE(noShape.ok);
    EXPECT_TRUE(noShape.error.message.contains(u"--input-shape"))
        << noShape.error.message.toStdString();
    // Only modules can be exported.
    const HostAnswer str = ask(
        pool, repo, QStringLiteral("runtime.load"),
        exportParams(QStringLiteral("not_a_module"), QStringLiteral("onnx"), out, QJsonArray{1}));
    ASSERT_FALSE(str.ok);
    EXPECT_TRUE(str.error.message.contains(u"only an nn.Module can be exported"))
        << str.error.message.toStdString();
}
