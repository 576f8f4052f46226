// resources/demo-hub is a real hub repository: Python's torch.hub lists and loads it, and
// Hubcap's static list (no code run) names exactly what torch.hub.list returns.
#include "tests/pyhost/pyhostfixtures.h"

#include <QFileInfo>
#include <QJsonArray>

using namespace hubcap;
using namespace hubcap::test;

TEST(DemoHub, TorchHubLoadsItAndHubcapListsTheSameEntrypoints)
{
    const QString demo = sourceDir() + QStringLiteral("/resources/demo-hub");
    const QJsonObject py = pythonJson(QStringLiteral(R"PY(
import json, torch, torch.hub as hub
d = %1
hub._get_cache_or_reload = lambda *a, **k: d
names = hub.list("hubcap/demo")
cnn = torch.hub.load(d, "tiny_cnn", source="local").eval()
image = torch.zeros(1, 1, 16, 16); image[0, 0, 8, 2:14] = 1
mlp = torch.hub.load(d, "spiral_mlp", source="local").eval()
tok = torch.hub.load(d, "char_tokenizer", source="local")
print(json.dumps({"list": names, "cnn": int(cnn(image).argmax(1)),
                  "cnn_params": sum(p.numel() for p in cnn.parameters()),
                  "mlp_out": list(mlp(torch.zeros(3, 2)).shape),
                  "tok": tok.encode("Hi!", length=5), "tok_type": type(tok).__name__,
                  "doc": hub.help("hubcap/demo", "tiny_cnn")}))
)PY")
                                          .arg(u'"' + demo + u'"'));
    EXPECT_EQ(py.value(QStringLiteral("cnn")).toInt(),
              0); // the pretrained CNN sees a horizontal bar
    EXPECT_EQ(py.value(QStringLiteral("mlp_out")).toArray(), (QJsonArray{3, 2}));
    EXPECT_EQ(py.value(QStringLiteral("tok")).toArray(),
              (QJsonArray{9, 10, 41, 0, 0})); // as its docstring says
    EXPECT_EQ(py.value(QStringLiteral("tok_type")).toString(), QStringLiteral("CharTokenizer"));
    EXPECT_TRUE(py.value(QStringLiteral("doc")).toString().contains(u"Example::"));

    const ProcessResult cli = runCli({QStringLiteral("--json"), QStringLiteral("list"), demo,
                                      QStringLiteral("--source"), QStringLiteral("local")});
    ASSERT_EQ(cli.exitCode, 0) << cli.err.toStdString();
    const QJsonObject doc = QJsonDocument::fromJson(cli.out).object();
    EXPECT_EQ(doc.value(QStringLiteral("mode")).toString(), QStringLiteral("static"));
    EXPECT_EQ(names(doc.value(QStringLiteral("entrypoints")).toArray()),
              strings(py.value(QStringLiteral("list"))));
    EXPECT_EQ(strings(doc.value(QStringLiteral("dependencies"))),
              QStringList{QStringLiteral("torch")});
    EXPECT_TRUE(strings(doc.value(QStringLiteral("missing_dependencies"))).isEmpty());
    for (const auto &v : doc.value(QStringLiteral("entrypoints")).toArray()) {
        const QJsonObject e = v.toObject();
        for (const char *key : {"name", "kind", "signature", "doc", "defined_in"})
            EXPECT_TRUE(e.contains(QLatin1String(key))) << key;
        if (e.value(QStringLiteral("name")).toString() == u"tiny_cnn") {
            EXPECT_EQ(e.value(QStringLiteral("signature")).toString(),
                      QStringLiteral("(pretrained: bool = True, width: int = 8)"));
            EXPECT_TRUE(
                e.value(QStringLiteral("defined_in")).toString().startsWith(u"hubconf.py:"));
        }
        if (e.value(QStringLiteral("name")).toString() == u"TinyCNN") {
            EXPECT_TRUE(
                e.value(QStringLiteral("defined_in")).toString().startsWith(u"demo/cnn.py:"));
        }
    }
}

TEST(CliPyHost, LoadDescribesModulesAndObjectsAndErrorsAreJson)
{
    const QString demo = sourceDir() + QStringLiteral("/resources/demo-hub");
    const QString local = QStringLiteral("--source=local");
    // A module: counts, bytes per dtype, mode and the submodule tree.
    ProcessResult r = runCli({QStringLiteral("--json"), QStringLiteral("load"), demo,
                              QStringLiteral("spiral_mlp"), local, QStringLiteral("--kwarg"),
                              QStringLiteral("pretrained=false"), QStringLiteral("--kwarg"),
                              QStringLiteral("hidden=4")});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString() << r.out.toStdString();
    QJsonObject doc = QJsonDocument::fromJson(r.out).object();
    EXPECT_EQ(doc.value(QStringLiteral("kwargs")).toObject(),
              (QJsonObject{{QStringLiteral("pretrained"), false}, {QStringLiteral("hidden"), 4}}));
    const QJsonObject m = doc.value(QStringLiteral("description"))
                              .toObject()
                              .value(QStringLiteral("module"))
                              .toObject();
    EXPECT_EQ(m.value(QStringLiteral("parameters")).toInt(), 2 * 4 + 4 + 4 * 4 + 4 + 4 * 2 + 2);
    EXPECT_EQ(m.value(QStringLiteral("bytes_per_dtype"))
                  .toObject()
                  .value(QStringLiteral("float32"))
                  .toInt(),
              42 * 4);
    EXPECT_TRUE(m.value(QStringLiteral("training")).toBool());
    EXPECT_EQ(m.value(QStringLiteral("tree")).toObject().value(QStringLiteral("type")).toString(),
              QStringLiteral("SpiralMLP"));

    // A non-module: its repr; a positional argument parsed as JSON where it parses, else a string.
    r = runCli({QStringLiteral("--json"), QStringLiteral("load"), demo,
                QStringLiteral("char_tokenizer"), local, QStringLiteral("xyz"),
                QStringLiteral("false")});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    doc = QJsonDocument::fromJson(r.out).object();
    EXPECT_EQ(doc.value(QStringLiteral("description"))
                  .toObject()
                  .value(QStringLiteral("repr"))
                  .toString(),
              QStringLiteral("CharTokenizer(vocabulary='xyz', lowercase=False, size=5)"));

    // Export from the command line: the shape option as text, files beside the output.
    QTemporaryDir outDir;
    const QString sd = outDir.path() + QStringLiteral("/mlp.sd");
    r = runCli({QStringLiteral("--json"), QStringLiteral("load"), demo,
                QStringLiteral("spiral_mlp"), local, QStringLiteral("--export"),
                QStringLiteral("state_dict"), QStringLiteral("--output"), sd,
                QStringLiteral("--input-shape"), QStringLiteral("2,2")});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString() << r.out.toStdString();
    const QJsonObject summary =
        QJsonDocument::fromJson(readFile(sd + QStringLiteral(".json"))).object();
    EXPECT_EQ(summary.value(QStringLiteral("input_shape")).toArray(), (QJsonArray{2, 2}));
    EXPECT_EQ(summary.value(QStringLiteral("output_shapes")).toArray(),
              (QJsonArray{QJsonArray{2, 2}}));
    EXPECT_EQ(summary.value(QStringLiteral("source")).toString(), QStringLiteral("local"));
    EXPECT_TRUE(QFileInfo::exists(sd + QStringLiteral(".example.pt")));

    // Errors: JSON objects with type and message, exit status 1.
    r = runCli(
        {QStringLiteral("--json"), QStringLiteral("help"), demo, QStringLiteral("nope"), local});
    EXPECT_EQ(r.exitCode, 1);
    QJsonObject err =
        QJsonDocument::fromJson(r.out).object().value(QStringLiteral("error")).toObject();
    EXPECT_EQ(err.value(QStringLiteral("type")).toString(), QStringLiteral("not_found"));
    EXPECT_EQ(err.value(QStringLiteral("message")).toString(),
              QStringLiteral("RuntimeError: Cannot find callable nope in hubconf"));

    QTemporaryDir hub;
    const QProcessEnvironment env = isolatedEnv(hub.path());
    // A cached github repository is listed from the hub cache, statically by default.
    writeFile(hub.path() + QStringLiteral("/torch/hub/someone_repo_v1/hubconf.py"),
              "dependencies = []\ndef fn(a, b=2):\n    '''Doc.'''\n");
    r = runCli(
        {QStringLiteral("--json"), QStringLiteral("list"), QStringLiteral("someone/repo:v1")}, env);
    ASSERT_EQ(r.exitCode, 0) << r.out.toStdString() << r.err.toStdString();
    doc = QJsonDocument::fromJson(r.out).object();
    EXPECT_EQ(doc.value(QStringLiteral("repo")).toString(), QStringLiteral("someone/repo:v1"));
    EXPECT_EQ(names(doc.value(QStringLiteral("entrypoints")).toArray()),
              QStringList{QStringLiteral("fn")});
    // Static help in text form shows signature and docstring.
    r = runCli({QStringLiteral("help"), QStringLiteral("someone/repo:v1"), QStringLiteral("fn")},
               env);
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.startsWith("fn(a, b=2)\n")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("\nDoc.\n"));
    // Usage errors exit with 2.
    EXPECT_EQ(runCli({QStringLiteral("list"), demo, QStringLiteral("--mode"),
                      QStringLiteral("bogus"), local})
                  .exitCode,
              1);
    EXPECT_EQ(runCli({QStringLiteral("load"), demo}).exitCode, 2);
}

// One command from an entrypoint to a verified file: export TorchScript with the Python host,
// then run it in hubcap-torchhost (libtorch only) against the eager output saved beside it.
TEST(CliPyHost, ExportWithVerifyRunsTheExportInLibtorch)
{
    const QString demo = sourceDir() + QStringLiteral("/resources/demo-hub");
    QTemporaryDir outDir;
    const QString out = outDir.path() + QStringLiteral("/cnn.pt");
    ProcessResult r = runCli({QStringLiteral("--json"), QStringLiteral("load"), demo,
                              QStringLiteral("tiny_cnn"), QStringLiteral("--source=local"),
                              QStringLiteral("--export"), QStringLiteral("torchscript"),
                              QStringLiteral("--output"), out, QStringLiteral("--verify")});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString() << r.out.toStdString();
    const QJsonObject v =
        QJsonDocument::fromJson(r.out).object().value(QStringLiteral("verification")).toObject();
    EXPECT_TRUE(v.value(QStringLiteral("verified")).toBool()) << r.out.toStdString();
    EXPECT_TRUE(v.value(QStringLiteral("verdict")).toString().startsWith(u"verified: max |diff|"))
        << v.value(QStringLiteral("verdict")).toString().toStdString();

    // Tampering with the saved eager output must make the same check fail: the comparison is real.
    // (TorchScript needs the class's source, so the script goes to a file, not `python3 -c`.)
    const QString tamper = outDir.path() + QStringLiteral("/tamper.py");
    writeFile(tamper,
              QStringLiteral("import sys, torch\n"
                             "m = torch.jit.load(sys.argv[1])\n"
                             "class E(torch.nn.Module):\n"
                             "    def __init__(self, i, o):\n"
                             "        super().__init__()\n"
                             "        self.inputs = i\n"
                             "        self.outputs = o\n"
                             "    def forward(self):\n"
                             "        return 0\n"
                             "e = torch.jit.script(E(list(m.inputs), [t + 1 for t in m.outputs]))\n"
                             "torch.jit.save(e, sys.argv[1])\n")
                  .toUtf8());
    const ProcessResult t =
        run(QStringLiteral(HUBCAP_PYTHON), {tamper, out + QStringLiteral(".example.pt")});
    ASSERT_EQ(t.exitCode, 0) << t.err.toStdString();
    r = runCli({QStringLiteral("verify"), out});
    EXPECT_EQ(r.exitCode, 1) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("not verified") || r.err.contains("not verified"))
        << r.out.toStdString() << r.err.toStdString();

    // --verify only makes sense for TorchScript.
    r = runCli({QStringLiteral("load"), demo, QStringLiteral("spiral_mlp"),
                QStringLiteral("--source=local"), QStringLiteral("--export"),
                QStringLiteral("state_dict"), QStringLiteral("--output"),
                out + QStringLiteral(".sd"), QStringLiteral("--verify")});
    EXPECT_EQ(r.exitCode, 2);
}
