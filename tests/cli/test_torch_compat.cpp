// Compatibility of `hubcap-cli cache` and `trust` with Debian's real torch.hub (the oracle).
// `import torch` costs ~2 s, so each test runs ONE Python process that also calls hubcap-cli.
#include "tests/support/testsupport.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

using namespace hubcap::test;

namespace {

QString pyString(const QString &s)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact))
        .mid(1)
        .chopped(1);
}

QJsonObject lastJsonLine(const QByteArray &out)
{
    const QList<QByteArray> lines = out.trimmed().split('\n');
    return QJsonDocument::fromJson(lines.isEmpty() ? QByteArray() : lines.last()).object();
}

} // namespace

TEST(TorchCompat, TrustedListIsSharedBothWays)
{
    QTemporaryDir tmp;
    const QProcessEnvironment env = isolatedEnv(tmp.path());
    const QString hub = tmp.path() + QStringLiteral("/torch/hub");
    // Hubcap writes first (creating the hub dir, as torch.hub would).
    ASSERT_EQ(
        runCli({QStringLiteral("trust"), QStringLiteral("add"), QStringLiteral("someone/repo")},
               env)
            .exitCode,
        0);
    ASSERT_EQ(runCli({QStringLiteral("trust"), QStringLiteral("add"), QStringLiteral("a_b/c")}, env)
                  .exitCode,
              0);

    const QString script = QStringLiteral(R"PY(
import builtins, json, os, subprocess
import torch.hub as hub
CLI = %1
prompts = []
def fake_input(msg=''):
    prompts.append(msg)
    return 'no'
builtins.input = fake_input
def check(owner, repo, branch):
    n = len(prompts)
    try:
        hub._check_repo_is_trusted(owner, repo, branch, trust_repo='check')
        ok = True
    except Exception:
        ok = False
    return {'ok': ok, 'prompted': len(prompts) > n}
def cli(*args):
    p = subprocess.run([CLI, '--json', *args], capture_output=True, text=True)
    return {'rc': p.returncode, 'out': json.loads(p.stdout) if p.stdout.strip() else None}
hubdir = hub.get_dir()
out = {'hub_dir': hubdir}
# Written by hubcap-cli: honoured by Python without a prompt.
out['someone'] = check('someone', 'repo', 'someone_repo_main')
out['collision'] = check('a', 'b_c', 'a_b_c_main')
out['untrusted'] = check('nobody', 'x', 'nobody_x_main')
out['cli_untrusted'] = cli('trust', 'check', 'nobody/x:main')
os.makedirs(os.path.join(hubdir, 'legacy_repo_v1'))
out['legacy'] = check('legacy', 'repo', 'legacy_repo_v1')
out['cli_legacy'] = cli('trust', 'check', 'legacy/repo:v1')
# Written by Python (trust_repo=True): read by hubcap-cli.
hub._check_repo_is_trusted('other', 'r', 'other_r_main', trust_repo=True)
hub._check_repo_is_trusted('PyTorch', 'vision', 'PyTorch_vision_main', trust_repo=True)
out['cli_ls'] = cli('trust', 'ls')
out['cli_other'] = cli('trust', 'check', 'other/r')
out['cli_PyTorch'] = cli('trust', 'check', 'PyTorch/vision:main')
# Removed by hubcap-cli: Python asks again; the other entries still work.
out['cli_rm'] = cli('trust', 'rm', 'someone/repo')
out['someone_after_rm'] = check('someone', 'repo', 'someone_repo_main')
out['other_after_rm'] = check('other', 'r', 'other_r_main')
out['bytes'] = open(os.path.join(hubdir, 'trusted_list'), 'rb').read().decode()
print(json.dumps(out))
)PY")
                               .arg(pyString(binDir() + QStringLiteral("/hubcap-cli")));
    const ProcessResult py = runPython(script, env);
    ASSERT_EQ(py.exitCode, 0) << py.err.toStdString();
    const QJsonObject o = lastJsonLine(py.out);
    ASSERT_FALSE(o.isEmpty()) << py.out.toStdString();
    auto ok = [&](const char *k) { return o[QLatin1String(k)].toObject()[u"ok"].toBool(); };
    auto prompted = [&](const char *k) {
        return o[QLatin1String(k)].toObject()[u"prompted"].toBool();
    };
    auto cliOut = [&](const char *k) { return o[QLatin1String(k)].toObject()[u"out"].toObject(); };
    auto cliRc = [&](const char *k) { return o[QLatin1String(k)].toObject()[u"rc"].toInt(); };

    EXPECT_EQ(o[u"hub_dir"].toString(), hub);
    EXPECT_TRUE(ok("someone"));
    EXPECT_FALSE(prompted("someone"));
    EXPECT_TRUE(ok("collision")); // "a_b_c" written for a_b/c also covers a/b_c, in torch too
    EXPECT_FALSE(prompted("collision"));
    EXPECT_TRUE(prompted("untrusted"));
    EXPECT_FALSE(ok("untrusted"));
    EXPECT_EQ(cliRc("cli_untrusted"), 1); // hubcap agrees: not trusted
    EXPECT_FALSE(prompted("legacy"));
    EXPECT_EQ(cliRc("cli_legacy"), 0);
    EXPECT_EQ(cliOut("cli_legacy")[u"reason"].toString(), u"legacy_folder");

    QStringList entries;
    for (const auto &v : cliOut("cli_ls")[u"entries"].toArray())
        entries << v.toString();
    EXPECT_EQ(entries, (QStringList{QStringLiteral("someone_repo"), QStringLiteral("a_b_c"),
                                    QStringLiteral("other_r"), QStringLiteral("PyTorch_vision")}));
    EXPECT_EQ(cliRc("cli_other"), 0);
    EXPECT_EQ(cliOut("cli_other")[u"reason"].toString(), u"trusted_list");
    EXPECT_EQ(cliOut("cli_PyTorch")[u"reason"].toString(),
              u"trusted_list"); // not owner-trusted: case-sensitive

    EXPECT_EQ(cliRc("cli_rm"), 0);
    EXPECT_TRUE(prompted("someone_after_rm"));
    EXPECT_FALSE(prompted("other_after_rm"));
    EXPECT_EQ(o[u"bytes"].toString(), u"a_b_c\nother_r\nPyTorch_vision\n");
}

TEST(TorchCompat, CheckpointsWrittenByPythonAppearInCacheLs)
{
    QTemporaryDir tmp;
    const QProcessEnvironment env = isolatedEnv(tmp.path());
    const QString src = tmp.path() + QStringLiteral("/src");
    QDir().mkpath(src);
    const QString script = QStringLiteral(R"PY(
import hashlib, json, os
import torch, torch.hub as hub
SRC = %1
hubdir = hub.get_dir()
ck = os.path.join(hubdir, 'checkpoints')
os.makedirs(ck, exist_ok=True)
def sha(p):
    return hashlib.sha256(open(p, 'rb').read()).hexdigest()
# load_state_dict_from_url with check_hash: the name carries the sha256 prefix.
tmp = os.path.join(SRC, 'tmp.pt')
torch.save({'w': torch.arange(10.0)}, tmp)
digest = sha(tmp)
name1 = 'model-%s.pth' % digest[:8]
os.rename(tmp, os.path.join(SRC, name1))
sd = hub.load_state_dict_from_url('file://' + os.path.join(SRC, name1), check_hash=True, progress=False)
assert float(sd['w'].sum()) == 45.0
# file_name= override (file:// URLs cannot carry a query in urllib).
hub.load_state_dict_from_url('file://' + os.path.join(SRC, name1), file_name='renamed-abc123ef.pt', progress=False)
# download_url_to_file with and without hash_prefix.
raw = os.path.join(SRC, 'raw.bin')
open(raw, 'wb').write(os.urandom(100000))
hub.download_url_to_file('file://' + raw, os.path.join(ck, 'weights.pth'), hash_prefix=sha(raw)[:10], progress=False)
hub.download_url_to_file('file://' + raw, os.path.join(ck, 'odd-.bin'), progress=False)
sizes = {n: os.path.getsize(os.path.join(ck, n)) for n in os.listdir(ck)}
print(json.dumps({'hub_dir': hubdir, 'sizes': sizes, 'prefix': digest[:8], 'name1': name1}))
)PY")
                               .arg(pyString(src));
    const ProcessResult py = runPython(script, env);
    ASSERT_EQ(py.exitCode, 0) << py.err.toStdString();
    const QJsonObject o = lastJsonLine(py.out);
    const QJsonObject sizes = o[u"sizes"].toObject();
    ASSERT_EQ(sizes.size(), 4) << py.out.toStdString(); // torch removed its temp files

    const ProcessResult ls =
        runCli({QStringLiteral("--json"), QStringLiteral("cache"), QStringLiteral("ls")}, env);
    ASSERT_EQ(ls.exitCode, 0) << ls.err.toStdString();
    const QJsonObject j = QJsonDocument::fromJson(ls.out).object();
    EXPECT_EQ(j[u"hub_dir"].toString(), o[u"hub_dir"].toString()); // same hub dir from the same env
    EXPECT_TRUE(j[u"leftovers"].toArray().isEmpty());
    const QJsonArray ck = j[u"checkpoints"].toArray();
    ASSERT_EQ(ck.size(), 4);
    QMap<QString, QJsonObject> byName;
    for (const auto &v : ck)
        byName.insert(v.toObject()[u"name"].toString(), v.toObject());
    for (auto it = sizes.begin(); it != sizes.end(); ++it) {
        ASSERT_TRUE(byName.contains(it.key())) << it.key().toStdString();
        EXPECT_EQ(byName[it.key()][u"bytes"].toInteger(), it.value().toInteger())
            << it.key().toStdString();
        EXPECT_TRUE(
            QDateTime::fromString(byName[it.key()][u"modified"].toString(), Qt::ISODate).isValid());
    }
    EXPECT_EQ(byName[o[u"name1"].toString()][u"hash_prefix"].toString(), o[u"prefix"].toString());
    EXPECT_EQ(byName[QStringLiteral("renamed-abc123ef.pt")][u"hash_prefix"].toString(),
              u"abc123ef");
    EXPECT_TRUE(byName[QStringLiteral("weights.pth")][u"hash_prefix"].isNull());
    const QJsonValue empty = byName[QStringLiteral("odd-.bin")][u"hash_prefix"];
    EXPECT_TRUE(empty.isString());
    EXPECT_EQ(empty.toString(), u"");
    EXPECT_EQ(byName[QStringLiteral("weights.pth")][u"bytes"].toInteger(), 100000);

    // A dry run removes nothing; a real rm removes exactly the checkpoint.
    auto dry = runCli({QStringLiteral("cache"), QStringLiteral("rm"),
                       QStringLiteral("checkpoints/weights.pth"), QStringLiteral("--dry-run")},
                      env);
    EXPECT_EQ(dry.exitCode, 0);
    EXPECT_TRUE(
        QFileInfo::exists(o[u"hub_dir"].toString() + QStringLiteral("/checkpoints/weights.pth")));
    auto rm = runCli({QStringLiteral("cache"), QStringLiteral("rm"),
                      QStringLiteral("checkpoints/weights.pth"), QStringLiteral("--yes")},
                     env);
    EXPECT_EQ(rm.exitCode, 0) << rm.err.toStdString();
    EXPECT_FALSE(
        QFileInfo::exists(o[u"hub_dir"].toString() + QStringLiteral("/checkpoints/weights.pth")));
    EXPECT_TRUE(
        QFileInfo::exists(o[u"hub_dir"].toString() + QStringLiteral("/checkpoints/odd-.bin")));
}
