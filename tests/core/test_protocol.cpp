// The typed host protocol (core/protocol/): every reply the hosts send parses into its struct and
// writes back with the same keys (the CLI's --json schemas depend on it), unknown keys are
// ignored, malformed replies fail with HostFailed, hostile nesting is bounded, and a host that
// speaks another protocol version is refused.
#include "core/hosts/torchhost/client/torchhostclient.h"
#include "core/protocol/entrypoint.h"
#include "core/protocol/host.h"
#include "core/protocol/loadresult.h"
#include "core/protocol/verification.h"

#include "tests/support/testsupport.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace hubcap;

namespace {

QJsonObject parse(const QByteArray &json)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &err);
    EXPECT_EQ(err.error, QJsonParseError::NoError) << err.errorString().toStdString();
    return doc.object();
}

// What static.list answers (server.py adds output, warnings and seconds to every result).
const QByteArray kStaticList = R"J({"repo_dir": "/x", "entrypoints": [
    {"name": "b_model", "kind": "function", "signature": "(pretrained=True, *, depth: int = 3)",
     "doc": "Doc of b.", "doc_raw": "Doc of b.\n    ", "defined_in": "hubconf.py:3"},
    {"name": "A", "kind": "class", "signature": "(lower=True)", "doc": "", "defined_in": "hubconf.py:9"},
    {"name": "p", "kind": "partial", "signature": "(x)", "doc": "", "defined_in": "hubconf.py:12",
     "partial_of": "b_model"},
    {"name": "resnet18", "kind": "imported", "signature": "", "doc": "", "defined_in": "",
     "imported_from": "torchvision.models"}],
    "dependencies": ["torch", "nope"], "missing_dependencies": ["nope"], "notes": ["n1"],
    "dynamic": true, "dynamic_reasons": ["globals().update"],
    "output": "", "warnings": []})J";

// runtime.list: raw __doc__ (null when absent), no notes, no dependencies declared.
const QByteArray kRuntimeList = R"J({"repo_dir": "/x", "entrypoints": [
    {"name": "f", "kind": "function", "signature": "(a, b=2)", "doc": null, "defined_in": "hubconf.py:1"}],
    "dependencies": null, "missing_dependencies": [], "output": "hello\n", "warnings": ["w1"]})J";

const QByteArray kLoad = R"J({"repo_dir": "/x", "entrypoint": "tiny_cnn", "args": [1, "a"],
  "kwargs": {"pretrained": false}, "output": "", "warnings": [], "seconds": 1.5,
  "description": {"type": "hubconf.TinyCNN", "repr": "TinyCNN(...)",
    "module": {"parameters": 100, "trainable_parameters": 90, "parameter_tensors": 4,
      "buffers": 2, "buffer_tensors": 1, "bytes_per_dtype": {"float32": 400, "int64": 16},
      "total_bytes": 416, "training": false, "devices": ["cpu"],
      "tree": {"name": "", "type": "TinyCNN", "parameters": 100, "children": [
        {"name": "conv", "type": "Conv2d", "parameters": 60},
        {"name": "body", "type": "Sequential", "parameters": 40, "children_omitted": 3}]}}},
  "export": {"format": "torchscript", "method": "trace", "file": "m.pt",
    "fallback": "torch.jit.script failed, traced instead: x", "seconds": 0.25, "size": 2048,
    "python_max_abs_diff": 0.0, "torch_version": "1.13.0", "example": "m.pt.example.pt",
    "input_shape": [1, 3, 8, 8], "input_dtype": "float32", "output_shapes": [[1, 10]],
    "mode": "eval", "repo": "acme/demo", "ref": "main", "commit": "abc", "entrypoint": "tiny_cnn",
    "args": [1, "a"], "kwargs": {"pretrained": false}, "source": "github",
    "output": "/o/m.pt", "summary_file": "/o/m.pt.json", "example_file": "/o/m.pt.example.pt"}})J";

const QByteArray kVerify = R"J({"path": "/o/m.pt", "example": "/o/m.pt.example.pt",
  "torch_version": "1.13.0", "rtol": 0.0001, "atol": 1e-05, "output_count": 2,
  "expected_output_count": 2, "max_abs_diff": 0.5, "max_rel_diff": 0.25, "verified": false,
  "reason": "output 1 differs", "outputs": [
    {"index": 0, "shape": [1, 10], "expected_shape": [1, 10], "dtype": "float32",
     "expected_dtype": "float32", "shape_match": true, "dtype_match": true,
     "max_abs_diff": 0.0, "max_rel_diff": 0.0, "allclose": true},
    {"index": 1, "shape": [4], "expected_shape": [5], "dtype": "int64",
     "expected_dtype": "int64", "shape_match": false, "dtype_match": true}],
  "timing": {"runs": 3, "warmup": 1, "threads": 2, "median_ms": 1.5, "min_ms": 1.0,
     "max_ms": 2.0, "mean_ms": 1.5, "stdev_ms": 0.5}})J";

} // namespace

TEST(Protocol, ListingReadsEveryField)
{
    const auto l = EntrypointListing::fromJson(parse(kStaticList));
    ASSERT_TRUE(l);
    ASSERT_EQ(l->entrypoints.size(), 4);
    EXPECT_EQ(l->repoDir, QStringLiteral("/x"));
    EXPECT_EQ(l->declaredDependencies(),
              (QStringList{QStringLiteral("torch"), QStringLiteral("nope")}));
    EXPECT_EQ(l->missingDependencies, QStringList{QStringLiteral("nope")});
    EXPECT_EQ(l->notes, QStringList{QStringLiteral("n1")});
    EXPECT_EQ(l->entrypoints[2].partialOf, QStringLiteral("b_model"));
    EXPECT_EQ(l->entrypoints[0].docRaw, QStringLiteral("Doc of b.\n    "));
    EXPECT_FALSE(l->entrypoints[1].docRaw.has_value());
    EXPECT_TRUE(l->dynamic);
    EXPECT_EQ(l->dynamicReasons, QStringList{QStringLiteral("globals().update")});
    EXPECT_FALSE(l->fromCache);
    EXPECT_EQ(l->entrypoints[3].importedFrom, QStringLiteral("torchvision.models"));
    EXPECT_EQ(l->entrypoints[3].location(), QStringLiteral("imported from torchvision.models"));
    EXPECT_EQ(l->entrypoints[0].location(), QStringLiteral("hubconf.py:3"));
    const auto params = l->entrypoints[0].effectiveParameters();
    ASSERT_EQ(params.size(), 2);
    EXPECT_EQ(params[0].name, QStringLiteral("pretrained"));
    EXPECT_EQ(params[0].defaultText, QStringLiteral("True"));
    EXPECT_EQ(params[0].kind, QStringLiteral("positional"));
    EXPECT_EQ(params[1].name, QStringLiteral("depth"));
    EXPECT_EQ(params[1].annotation, QStringLiteral("int"));
    EXPECT_EQ(params[1].kind, QStringLiteral("keyword"));
}

TEST(Protocol, RepliesWriteBackWithTheSameKeys)
{
    for (const QByteArray &json : {kStaticList, kRuntimeList}) {
        const auto l = EntrypointListing::fromJson(parse(json));
        ASSERT_TRUE(l);
        EXPECT_EQ(l->toJson(), parse(json)) << QJsonDocument(l->toJson()).toJson().toStdString();
    }
    const auto load = LoadResult::fromJson(parse(kLoad));
    ASSERT_TRUE(load);
    EXPECT_EQ(load->toJson(), parse(kLoad)) << QJsonDocument(load->toJson()).toJson().toStdString();
    const auto v = Verification::fromJson(parse(kVerify));
    ASSERT_TRUE(v);
    QJsonObject withVerdict = parse(kVerify);
    withVerdict.insert(QStringLiteral("verdict"), v->verdict());
    EXPECT_EQ(v->toJson(), withVerdict) << QJsonDocument(v->toJson()).toJson().toStdString();
}

TEST(Protocol, NullsAndAbsencesStayDistinct)
{
    const auto l = EntrypointListing::fromJson(parse(kRuntimeList));
    ASSERT_TRUE(l);
    EXPECT_FALSE(l->dependencies) << "null: hubconf declares no dependencies";
    EXPECT_FALSE(l->notes) << "import mode has no notes";
    EXPECT_FALSE(l->entrypoints[0].doc) << "__doc__ None";
    EXPECT_EQ(l->warnings, QStringList{QStringLiteral("w1")});

    // help: import mode's top-level raw doc wins; static mode has none and uses the entry's.
    const auto rt = EntrypointHelp::fromJson(parse(R"J({"entrypoint": {"name": "f", "doc": "clean"},
        "doc": "  raw\n", "dependencies": null, "missing_dependencies": []})J"));
    ASSERT_TRUE(rt);
    EXPECT_EQ(rt->doc, QStringLiteral("  raw\n"));
    const auto rtNull = EntrypointHelp::fromJson(
        parse(R"J({"entrypoint": {"name": "f", "doc": null}, "doc": null})J"));
    ASSERT_TRUE(rtNull);
    EXPECT_FALSE(rtNull->doc);
    const auto st = EntrypointHelp::fromJson(parse(R"J({"entrypoint": {"name": "f", "doc": ""},
        "notes": []})J"));
    ASSERT_TRUE(st);
    EXPECT_EQ(st->doc, QString());
    EXPECT_TRUE(st->notes);

    const auto load = LoadResult::fromJson(parse(kLoad));
    ASSERT_TRUE(load && load->exported && load->description.module);
    EXPECT_EQ(load->exported->provenance.repo, QStringLiteral("acme/demo"));
    EXPECT_TRUE(load->exported->isTorchScript());
    EXPECT_EQ(load->description.module->bytesPerDtype.size(), 2);
    EXPECT_EQ(load->description.module->tree.children[1].childrenOmitted, 3);
    const auto noExport =
        LoadResult::fromJson(parse(R"J({"description": {"type": "dict", "repr": "{}"}})J"));
    ASSERT_TRUE(noExport);
    EXPECT_FALSE(noExport->exported);
    EXPECT_FALSE(noExport->description.module);
    EXPECT_FALSE(noExport->toJson().contains(QStringLiteral("export")));
}

TEST(Protocol, UnknownKeysAreIgnoredAndBadShapesFail)
{
    // A newer host may add keys anywhere; wrong types read as defaults.
    const auto l = EntrypointListing::fromJson(parse(R"J({"entrypoints": [
        {"name": "f", "kind": 3, "future": {"x": 1}, "parameters": [{"name": "a", "default": "1"}, 7]}],
        "brand_new": true, "dependencies": "not a list"})J"));
    ASSERT_TRUE(l);
    ASSERT_EQ(l->entrypoints.size(), 1);
    EXPECT_EQ(l->entrypoints[0].kind, QString());
    ASSERT_EQ(l->entrypoints[0].parameters.size(), 2);
    EXPECT_TRUE(l->entrypoints[0].parameters[0].hasDefault);
    EXPECT_EQ(l->entrypoints[0].parameters[0].defaultText, QStringLiteral("1"));
    EXPECT_FALSE(l->dependencies);
    EXPECT_FALSE(l->toJson().contains(QStringLiteral("brand_new")));

    const auto badList = EntrypointListing::fromJson(parse(R"J({"entrypoints": {"f": 1}})J"));
    ASSERT_FALSE(badList);
    EXPECT_EQ(badList.error().code, Error::Code::HostFailed);
    EXPECT_FALSE(EntrypointHelp::fromJson(parse(R"J({"entrypoint": "f"})J")));
    EXPECT_FALSE(LoadResult::fromJson(parse(R"J({"description": []})J")));
    EXPECT_FALSE(Verification::fromJson(parse(R"J({"verified": "yes"})J")));
}

TEST(Protocol, ModuleTreeNestingIsBounded)
{
    // 500 levels (Qt's parser allows 1024): the reader stops at 64 and counts what it cut.
    QByteArray json = R"({"name": "leaf", "type": "Linear", "parameters": 1})";
    for (int i = 0; i < 500; ++i)
        json = R"({"name": "n", "type": "Seq", "parameters": 1, "children": [)" + json + "]}";
    const ModuleNode root = ModuleNode::fromJson(parse(json));
    int depth = 0;
    const ModuleNode *n = &root;
    while (!n->children.isEmpty()) {
        n = &n->children.first();
        ++depth;
    }
    EXPECT_EQ(depth, 64);
    EXPECT_EQ(n->childrenOmitted, 1);
}

TEST(Protocol, VerdictSaysWhatHappened)
{
    auto v = Verification::fromJson(parse(kVerify));
    ASSERT_TRUE(v);
    EXPECT_EQ(
        v->verdict(),
        QStringLiteral("not verified: output 1 differs, median 1.5 ms over 3 runs (2 thread(s))"));
    v->verified = true;
    v->timing.runs = 0;
    EXPECT_EQ(v->verdict(), QStringLiteral("verified: max |diff| 0.5 over 2 output(s)"));
}

TEST(Protocol, PythonErrorsMapToErrorCodes)
{
    auto code = [](const char *json) { return PythonError::fromJson(parse(json)).toError().code; };
    EXPECT_EQ(code(R"({"type": "RuntimeError", "message": "Cannot find callable x in hubconf"})"),
              Error::Code::NotFound);
    EXPECT_EQ(code(R"({"type": "NoHubconf", "message": "No hubconf.py in /x."})"),
              Error::Code::NotFound);
    EXPECT_EQ(code(R"({"type": "TypeError", "message": "bad"})"), Error::Code::InvalidArgument);
    EXPECT_EQ(code(R"({"type": "ProtocolError", "message": "bad request"})"),
              Error::Code::HostFailed);
    const PythonError e = PythonError::fromJson(
        parse(R"({"type": "ValueError", "message": "m", "traceback": "tb", "output": "o"})"));
    EXPECT_EQ(e.toError().message, QStringLiteral("ValueError: m"));
    EXPECT_EQ(e.toError().details, QStringLiteral("tb"));
    EXPECT_EQ(PythonError::fromJson(e.toJson()).output, QStringLiteral("o"));
}

TEST(Protocol, HostIdentityVersionCheck)
{
    const HostIdentity h = HostIdentity::fromJson(parse(
        R"({"host": "hubcap-pyhost", "protocol": 1, "pid": 42, "python_executable": "/usr/bin/python3",
            "python_version": "3.11.2", "torch_version": null, "new_key": 1})"));
    EXPECT_EQ(h.pid, 42);
    EXPECT_EQ(h.pythonVersion, QStringLiteral("3.11.2"));
    EXPECT_TRUE(h.torchVersion.isEmpty());
    EXPECT_TRUE(h.checkCompatible());
    EXPECT_EQ(HostIdentity::fromJson(h.toJson()).pythonExecutable, h.pythonExecutable);
    HostIdentity other = h;
    other.protocol = 2;
    ASSERT_FALSE(other.checkCompatible());
    EXPECT_EQ(other.checkCompatible().error().code, Error::Code::HostFailed);
    EXPECT_TRUE(other.checkCompatible().error().message.contains(QStringLiteral("protocol 2")));
    EXPECT_FALSE(HostIdentity{}.checkCompatible()) << "no hello: an old host";
}

namespace {
int argc = 1;
char arg0[] = "test";
char *argv[] = {arg0, nullptr};
} // namespace

// The client refuses a torch host that speaks another protocol (a stand-in script answers a
// valid verify reply after its hello), and one that says no hello at all.
TEST(Protocol, TorchHostJobRefusesAnotherProtocol)
{
    if (!QCoreApplication::instance())
        new QCoreApplication(argc, argv); // lives for the process, as the other tests' app

    QTemporaryDir dir;
    const QString exportFile = dir.filePath(QStringLiteral("m.pt"));
    test::writeFile(exportFile, "x");
    const QByteArray reply = R"({"id":1,"result":{"verified":true,"output_count":1}})";
    for (const QByteArray &hello :
         {QByteArray(R"({"hello":{"host":"hubcap-torchhost","protocol":999}})"), QByteArray(),
          QByteArray(R"({"hello":{"host":"hubcap-torchhost","protocol":1}})")}) {
        const QString script = dir.filePath(QStringLiteral("host.sh"));
        test::writeFile(script,
                        "#!/bin/sh\ncat >/dev/null\necho '" + hello + "'\necho '" + reply + "'\n");
        QFile::setPermissions(script, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        qputenv("HUBCAP_TORCHHOST", script.toLocal8Bit());
        VerifyJob job(exportFile, {});
        job.start();
        ASSERT_TRUE(job.waitForFinished(30000));
        if (hello.contains("999")) {
            ASSERT_TRUE(job.error());
            EXPECT_EQ(job.error()->code, Error::Code::HostFailed);
            EXPECT_TRUE(job.error()->message.contains(QStringLiteral("protocol 999")))
                << job.error()->message.toStdString();
        } else if (hello.isEmpty()) {
            ASSERT_TRUE(job.error());
            EXPECT_TRUE(job.error()->message.contains(QStringLiteral("protocol 0")));
        } else {
            ASSERT_FALSE(job.error()) << job.error()->text().toStdString();
            EXPECT_TRUE(job.verified());
            EXPECT_EQ(job.hostIdentity().protocol, kHostProtocolVersion);
        }
    }
    qunsetenv("HUBCAP_TORCHHOST");
}

TEST(Protocol, HelpCarriesTheWeightsItCanDownload)
{
    const auto h = EntrypointHelp::fromJson(parse(R"J({"repo_dir": "/x",
        "entrypoint": {"name": "m", "kind": "function", "signature": "()", "doc": "D.",
                       "doc_raw": "D.\n    ", "defined_in": "hubconf.py:1"},
        "weights": [{"url": "https://e.org/m-0123abcd.pth", "file_name": "m-0123abcd.pth",
                     "hash_prefix": "0123abcd", "function": "load_state_dict_from_url",
                     "found_at": "hubconf.py:3"},
                    {"url": "https://e.org/x.bin", "file_name": "x.bin", "hash_prefix": null}],
        "dependencies": null, "missing_dependencies": [], "output": "", "warnings": []})J"));
    ASSERT_TRUE(h);
    ASSERT_EQ(h->weights.size(), 2);
    EXPECT_EQ(h->weights[0].url, QStringLiteral("https://e.org/m-0123abcd.pth"));
    EXPECT_EQ(h->weights[0].fileName, QStringLiteral("m-0123abcd.pth"));
    EXPECT_EQ(h->weights[0].hashPrefix, QStringLiteral("0123abcd"));
    EXPECT_EQ(h->weights[0].foundAt, QStringLiteral("hubconf.py:3"));
    EXPECT_TRUE(h->weights[1].hashPrefix.isEmpty());
    EXPECT_EQ(h->entrypoint.docRaw, QStringLiteral("D.\n    "));
    const QJsonObject w = h->weights[1].toJson();
    EXPECT_TRUE(w.value(QStringLiteral("hash_prefix")).isNull());
    EXPECT_FALSE(w.value(QStringLiteral("cached")).toBool());
    EXPECT_EQ(h->toJson().value(QStringLiteral("weights")).toArray().size(), 2);
}
