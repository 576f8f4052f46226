// The trust question comes before any repository code runs; the load form follows the
// signature; the inspector shows a checkpoint's tensors and warns about unsafe globals.
#include "tests/ui/uifixtures.h"

#include "tests/support/testsupport.h"

#include "core/hosts/pyhost/client/pyhostclient.h"
#include "ui/cache/inspectordialog.h"
#include "ui/cache/tensormodel.h"
#include "ui/common/corebridge.h"
#include "ui/common/runninghostsdialog.h"
#include "ui/downloads/downloadsmodel.h"
#include "ui/export/loaddialog.h"
#include "ui/export/resultpanel.h"
#include "ui/export/runcontroller.h"

#include "ui/common/confirmer.h"
#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileInfo>
#include <QGroupBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace hubcap;
using namespace hubcap::ui;

namespace {

Entrypoint mlpEntrypoint()
{
    Entrypoint e;
    e.name = QStringLiteral("small_mlp");
    e.kind = QStringLiteral("function");
    e.signature =
        QStringLiteral("(pretrained: bool = True, hidden: int = 32, name=\"mlp\", scale=0.5, "
                       "layers=(1, 2), cfg=None, **kwargs)");
    return e;
}

struct TrustFixture
{
    QTemporaryDir tmp;
    QString hub = tmp.filePath(QStringLiteral("hub"));
    QString repoDir = tmp.filePath(QStringLiteral("someone_evil_main"));
    QString marker = tmp.filePath(QStringLiteral("hubconf-ran"));
    CoreBridge bridge{hub};
    ResultPanel panel;
    DownloadsModel jobs;
    QWidget parent;
    RunController controller{&bridge, &panel, &jobs, &parent};
    QList<TrustQuestion> asked;
    int forms = 0;

    TrustFixture()
    {
        // Running this hubconf would leave a marker file behind.
        test::writeFile(repoDir + QStringLiteral("/hubconf.py"),
                        QStringLiteral("open(%1, 'w').write('ran')\n\ndef model():\n    return 1\n")
                            .arg(QStringLiteral("'") + marker + QStringLiteral("'"))
                            .toUtf8());
        controller.setRequestDialog([this](QWidget *, const Entrypoint &, const RepoEntry &, bool) {
            ++forms;
            return std::optional<LoadRequest>(); // the user closes the form: nothing runs
        });
    }
    RepoEntry entry(const QString &spec) const
    {
        RepoEntry e;
        e.source = RepoEntry::Source::Cache;
        e.title = spec;
        e.spec = spec;
        e.path = repoDir;
        return e;
    }
    void answer(TrustAnswer a)
    {
        controller.setTrustAsker([this, a](QWidget *, const TrustQuestion &q) {
            asked << q;
            return a;
        });
    }
};

} // namespace

TEST(TrustDialog, IsAskedBeforeAnyCodeRunsAndCancelRunsNothing)
{
    TrustFixture f;
    Entrypoint e;
    e.name = QStringLiteral("model");
    f.answer(TrustAnswer::Refuse);
    EXPECT_EQ(f.controller.start(f.entry(QStringLiteral("someone/evil:main")), e, false), nullptr);
    ASSERT_EQ(f.asked.size(), 1);
    EXPECT_EQ(f.asked[0].trustName, QStringLiteral("someone_evil"));
    EXPECT_TRUE(f.asked[0].action.contains(QStringLiteral("load model")));
    EXPECT_EQ(f.forms, 0) << "the form comes after the trust question";
    EXPECT_TRUE(f.bridge.hostPool()->hosts().isEmpty()) << "no host was started";
    EXPECT_FALSE(QFileInfo::exists(f.marker));
    EXPECT_FALSE(QFileInfo::exists(f.hub + QStringLiteral("/trusted_list")));
}

TEST(TrustDialog, TrustAddsToTrustedListAndIsNotAskedAgain)
{
    TrustFixture f;
    Entrypoint e;
    e.name = QStringLiteral("model");
    f.answer(TrustAnswer::TrustAndRecord);
    f.controller.start(f.entry(QStringLiteral("someone/evil:main")), e, true);
    ASSERT_EQ(f.asked.size(), 1);
    EXPECT_EQ(f.forms, 1);
    EXPECT_EQ(test::readFile(f.hub + QStringLiteral("/trusted_list")),
              QByteArray("someone_evil\n"));
    f.controller.start(f.entry(QStringLiteral("someone/evil:main")), e, false);
    EXPECT_EQ(f.asked.size(), 1) << "trusted now";
    EXPECT_EQ(f.forms, 2);
    EXPECT_FALSE(QFileInfo::exists(f.marker));
}

TEST(TrustDialog, RunOnceDoesNotRecordAndTrustedOwnersAndLocalFoldersAreNotAsked)
{
    TrustFixture f;
    Entrypoint e;
    e.name = QStringLiteral("model");
    f.answer(TrustAnswer::RunOnce);
    f.controller.start(f.entry(QStringLiteral("someone/evil:main")), e, false);
    EXPECT_EQ(f.asked.size(), 1);
    EXPECT_EQ(f.forms, 1);
    EXPECT_FALSE(QFileInfo::exists(f.hub + QStringLiteral("/trusted_list")));

    f.controller.start(f.entry(QStringLiteral("pytorch/vision:main")), e, false);
    RepoEntry local = f.entry({});
    local.source = RepoEntry::Source::Local;
    f.controller.start(local, e, false);
    EXPECT_EQ(f.asked.size(), 1);
    EXPECT_EQ(f.forms, 3);

    // A cached folder whose owner/repo is unknown cannot be added, only run once.
    f.controller.start(f.entry({}), e, false);
    ASSERT_EQ(f.asked.size(), 2);
    EXPECT_TRUE(f.asked[1].trustName.isEmpty());
}

TEST(LoadDialog, FormFollowsTheSignatureAndPassesChangedValues)
{
    LoadDialog dialog(mlpEntrypoint(), QStringLiteral("demo"), false, QStringLiteral("/tmp/out"));
    auto *pretrained = qobject_cast<QCheckBox *>(dialog.fieldFor(QStringLiteral("pretrained")));
    auto *hidden = qobject_cast<QSpinBox *>(dialog.fieldFor(QStringLiteral("hidden")));
    auto *name = qobject_cast<QLineEdit *>(dialog.fieldFor(QStringLiteral("name")));
    auto *scale = qobject_cast<QDoubleSpinBox *>(dialog.fieldFor(QStringLiteral("scale")));
    auto *layers = qobject_cast<QLineEdit *>(dialog.fieldFor(QStringLiteral("layers")));
    ASSERT_TRUE(pretrained && hidden && name && scale && layers);
    EXPECT_TRUE(pretrained->isChecked());
    EXPECT_EQ(hidden->value(), 32);
    EXPECT_EQ(name->text(), QStringLiteral("mlp"));
    EXPECT_DOUBLE_EQ(scale->value(), 0.5);
    EXPECT_TRUE(layers->text().isEmpty());
    EXPECT_FALSE(dialog.exportGroup()->isChecked());

    auto r = dialog.request();
    ASSERT_TRUE(r.has_value());
    EXPECT_TRUE(r->kwargs.isEmpty()) << "defaults are left to Python";

    pretrained->setChecked(false);
    hidden->setValue(64);
    layers->setText(QStringLiteral("[3, 4]"));
    dialog.findChild<QLineEdit *>(QStringLiteral("extraKwargs"))
        ->setText(QStringLiteral("{\"seed\": 7}"));
    r = dialog.request();
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->kwargs.value(QStringLiteral("pretrained")), QJsonValue(false));
    EXPECT_EQ(r->kwargs.value(QStringLiteral("hidden")), QJsonValue(64));
    EXPECT_EQ(r->kwargs.value(QStringLiteral("layers")), QJsonValue(QJsonArray{3, 4}));
    EXPECT_EQ(r->kwargs.value(QStringLiteral("seed")), QJsonValue(7));
    EXPECT_EQ(r->kwargs.size(), 4);

    dialog.findChild<QLineEdit *>(QStringLiteral("extraKwargs"))->setText(QStringLiteral("[1]"));
    QString error;
    EXPECT_FALSE(dialog.request(&error).has_value());
    EXPECT_TRUE(error.contains(QStringLiteral("JSON object")));
}

TEST(LoadDialog, ExportOptions)
{
    LoadDialog dialog(mlpEntrypoint(), QStringLiteral("demo"), true, QStringLiteral("/tmp/out"));
    EXPECT_TRUE(dialog.exportGroup()->isChecked());
    EXPECT_EQ(dialog.outputEdit()->text(), QStringLiteral("/tmp/out/small_mlp.pt"));
    dialog.formatBox()->setCurrentIndex(dialog.formatBox()->findData(QStringLiteral("onnx")));
    EXPECT_EQ(dialog.outputEdit()->text(), QStringLiteral("/tmp/out/small_mlp.onnx"));
    dialog.shapeEdit()->setText(QStringLiteral("1, 784"));
    auto r = dialog.request();
    ASSERT_TRUE(r.has_value());
    const QJsonObject ex = r->exportParams();
    EXPECT_EQ(ex.value(QStringLiteral("format")).toString(), QStringLiteral("onnx"));
    EXPECT_EQ(ex.value(QStringLiteral("output")).toString(),
              QStringLiteral("/tmp/out/small_mlp.onnx"));
    EXPECT_EQ(ex.value(QStringLiteral("input_shape")).toString(), QStringLiteral("1, 784"));
    dialog.shapeEdit()->setText(QStringLiteral("1;784"));
    EXPECT_FALSE(dialog.request().has_value());
}

TEST(LoadDialog, PythonLiterals)
{
    EXPECT_EQ(pythonLiteralToJson(QStringLiteral("True")), QJsonValue(true));
    EXPECT_EQ(pythonLiteralToJson(QStringLiteral("None")), QJsonValue(QJsonValue::Null));
    EXPECT_EQ(pythonLiteralToJson(QStringLiteral("'abc'")), QJsonValue(QStringLiteral("abc")));
    EXPECT_EQ(pythonLiteralToJson(QStringLiteral("(1, 2)")), QJsonValue(QJsonArray{1, 2}));
    EXPECT_EQ(pythonLiteralToJson(QStringLiteral("-3")), QJsonValue(-3));
    EXPECT_FALSE(pythonLiteralToJson(QStringLiteral("nn.ReLU")).has_value());
}

TEST(Inspector, ShowsTensorsTotalsAndUnsafeGlobals)
{
    QTemporaryDir tmp;
    const QString path = tmp.filePath(QStringLiteral("ckpt.pth"));
    const auto py =
        test::runPython(QStringLiteral("import torch, collections\n"
                                       "class Cfg:\n    pass\n"
                                       "sd = collections.OrderedDict(w=torch.zeros(3, 4), "
                                       "b=torch.ones(4, dtype=torch.float64))\n"
                                       "torch.save({'state_dict': sd, 'cfg': Cfg()}, %1)\n")
                            .arg(QStringLiteral("'") + path + QStringLiteral("'")));
    ASSERT_EQ(py.exitCode, 0) << py.err.toStdString();
    InspectorDialog dialog(path);
    QAbstractItemModelTester tester(dialog.model(),
                                    QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy loaded(&dialog, &InspectorDialog::loaded);
    ASSERT_TRUE(loaded.wait(20000));
    ASSERT_TRUE(loaded.first().first().toBool()) << dialog.totalsLabel()->text().toStdString();
    ASSERT_EQ(dialog.model()->rowCount(), 2);
    QStringList keys;
    for (int r = 0; r < 2; ++r)
        keys << dialog.model()->index(r, TensorModel::KeyColumn).data().toString();
    keys.sort();
    EXPECT_EQ(keys, (QStringList{QStringLiteral("state_dict.b"), QStringLiteral("state_dict.w")}));
    EXPECT_TRUE(dialog.totalsLabel()->text().contains(QStringLiteral("16 parameters")))
        << dialog.totalsLabel()->text().toStdString();
    EXPECT_FALSE(dialog.bannerLabel()->isHidden());
    EXPECT_TRUE(dialog.bannerLabel()->text().contains(QStringLiteral("Cfg")))
        << dialog.bannerLabel()->text().toStdString();
}

// Issue 13: the inspector runs out of process, so crafted files (nested 300,000 deep, a tensor
// under 2^64 paths, an offset of 2^62) and an inspector that crashes leave the app running and
// the dialog showing why.
TEST(Inspector, CraftedFilesShowTheErrorAndTheAppLives)
{
    QTemporaryDir tmp;
    const auto gen = test::run(
        QStringLiteral(HUBCAP_PYTHON),
        {test::sourceDir() + QStringLiteral("/tests/inspect/make_crafted.py"), tmp.path()});
    ASSERT_EQ(gen.exitCode, 0) << gen.err.toStdString();
    for (const char *name :
         {"deep_tuple.pt", "deep_legacy.pt", "deep_chain.pt", "fanout.pt", "offset_2p62.pt"}) {
        SCOPED_TRACE(name);
        InspectorDialog dialog(tmp.filePath(QString::fromLatin1(name)));
        dialog.show();
        QSignalSpy loaded(&dialog, &InspectorDialog::loaded);
        ASSERT_TRUE(loaded.wait(60000));
        EXPECT_FALSE(loaded.first().first().toBool());
        EXPECT_FALSE(dialog.isLoaded());
        EXPECT_TRUE(dialog.totalsLabel()->text().contains(u"Cannot inspect this file"))
            << dialog.totalsLabel()->text().toStdString();
        EXPECT_EQ(dialog.model()->rowCount(), 0);
    }
    {
        InspectorDialog dialog(tmp.filePath(QStringLiteral("deep_tuple.pt")));
        QSignalSpy loaded(&dialog, &InspectorDialog::loaded);
        ASSERT_TRUE(loaded.wait(60000));
        EXPECT_TRUE(dialog.totalsLabel()->text().contains(u"too complex to inspect safely"))
            << dialog.totalsLabel()->text().toStdString();
    }

    // Whatever goes wrong in the inspector process (here: it dies of SIGSEGV) is a message.
    const QString crash = tmp.filePath(QStringLiteral("crash.sh"));
    test::writeFile(crash, "#!/bin/sh\nkill -SEGV $$\n");
    QFile::setPermissions(crash, QFile::permissions(crash) | QFileDevice::ExeOwner);
    qputenv("HUBCAP_CLI", crash.toLocal8Bit());
    InspectorDialog dialog(tmp.filePath(QStringLiteral("cycle.pt")));
    QSignalSpy loaded(&dialog, &InspectorDialog::loaded);
    ASSERT_TRUE(loaded.wait(60000)); // the helper is looked up when the job starts
    qunsetenv("HUBCAP_CLI");
    EXPECT_FALSE(loaded.first().first().toBool());
    EXPECT_TRUE(dialog.totalsLabel()->text().contains(u"stopped unexpectedly"))
        << dialog.totalsLabel()->text().toStdString();
}

// Defaults the form cannot show as a value (an expression, None) and required parameters are
// never invented: an untouched field is left out of the call (Python applies its default), and
// a required one must be filled in.
TEST(LoadDialog, NeverInventsValuesForExpressionDefaultsOrRequiredParameters)
{
    Entrypoint e;
    e.name = QStringLiteral("TinyCNN");
    e.kind = QStringLiteral("class");
    e.signature = QStringLiteral("(vocabulary: str, count: int, num_classes: int = len(CLASSES), "
                                 "x: int = None, width: int = 8)");
    LoadDialog dialog(e, QStringLiteral("demo"), false, QStringLiteral("/tmp/out"));
    for (const char *name : {"vocabulary", "count", "num_classes", "x"})
        EXPECT_NE(qobject_cast<QLineEdit *>(dialog.fieldFor(QString::fromLatin1(name))), nullptr)
            << name << " must be a text field that can stay empty";
    EXPECT_NE(qobject_cast<QSpinBox *>(dialog.fieldFor(QStringLiteral("width"))), nullptr);
    EXPECT_TRUE(qobject_cast<QLineEdit *>(dialog.fieldFor(QStringLiteral("num_classes")))
                    ->placeholderText()
                    .contains(u"len(CLASSES)"));

    QString error;
    EXPECT_FALSE(dialog.request(&error).has_value());
    EXPECT_EQ(error, QStringLiteral("vocabulary is required."));
    qobject_cast<QLineEdit *>(dialog.fieldFor(QStringLiteral("vocabulary")))
        ->setText(QStringLiteral("123"));
    EXPECT_FALSE(dialog.request(&error).has_value());
    EXPECT_EQ(error, QStringLiteral("count is required."));
    qobject_cast<QLineEdit *>(dialog.fieldFor(QStringLiteral("count")))
        ->setText(QStringLiteral("3"));
    const auto r = dialog.request(&error);
    ASSERT_TRUE(r.has_value()) << error.toStdString();
    EXPECT_EQ(r->kwargs, (QJsonObject{{QStringLiteral("vocabulary"), QStringLiteral("123")},
                                      {QStringLiteral("count"), 3}}))
        << "num_classes, x and width keep Python's defaults; a str stays text";
}

// The deletion confirmation lists every item whole, names the action, and Enter cancels.
TEST(ConfirmDialog, ListsEveryItemAndCancelIsTheDefault)
{
    Confirmation c;
    c.title = QStringLiteral("Delete 3 items?");
    c.text = QStringLiteral("3 items will be deleted from /hub, freeing 24.8 MiB.");
    c.items = {QStringLiteral("alice_tiny_main  (399 B)"),
               QStringLiteral("checkpoints/big2.bin.1fe40e74cc70486e88439070bffdeb39.partial  "
                              "(5.72 MiB)"),
               QStringLiteral("main.zip  (30 B)")};
    c.acceptLabel = QStringLiteral("Delete");
    ConfirmDialog dialog(c);
    dialog.show();
    EXPECT_EQ(dialog.windowTitle(), c.title);
    EXPECT_EQ(dialog.textLabel()->text(), c.text);
    ASSERT_EQ(dialog.itemList()->count(), 3);
    EXPECT_EQ(dialog.itemList()->item(1)->text(), c.items[1]) << "whole, not wrapped";
    EXPECT_EQ(dialog.acceptButton()->text(), QStringLiteral("Delete"));
    EXPECT_TRUE(dialog.cancelButton()->isDefault());
    EXPECT_GE(dialog.width(), 560);
    if (qEnvironmentVariableIsSet("HUBCAP_TEST_SHOTS")) // look at it: HUBCAP_TEST_SHOTS=DIR
        dialog.grab().save(qEnvironmentVariable("HUBCAP_TEST_SHOTS") +
                           QStringLiteral("/confirm.png"));
    QSignalSpy rejected(&dialog, &QDialog::rejected);
    QTest::keyClick(&dialog, Qt::Key_Return);
    EXPECT_EQ(rejected.count(), 1) << "Enter must not delete";
}

// Issue 17: View → Running Hosts lists the warm Python hosts with their memory, and stops them.
TEST(RunningHosts, ListsHostsWithMemoryAndStopsThem)
{
    QTemporaryDir tmp;
    const QString repo = tmp.filePath(QStringLiteral("o_r_main"));
    test::writeFile(repo + QStringLiteral("/hubconf.py"), "def tiny():\n    \"\"\"T.\"\"\"\n");
    CoreBridge bridge(tmp.filePath(QStringLiteral("hub")));
    RunningHostsDialog dialog(&bridge);
    EXPECT_EQ(dialog.table()->rowCount(), 0);
    const QList<QLabel *> labels = dialog.findChildren<QLabel *>();
    ASSERT_FALSE(labels.isEmpty());
    EXPECT_TRUE(labels.first()->text().contains(u"No Python host is running"));

    PyHostPool *pool = bridge.hostPool(); // the dialog follows a pool created after it
    pool->setProgram(test::binDir() + QStringLiteral("/hubcap-pyhost"));
    PyHostJob ping(pool, repo, QStringLiteral("ping"), {}, 60000);
    ping.start();
    ASSERT_TRUE(ping.waitForFinished(60000));
    ASSERT_FALSE(ping.error()) << ping.error()->text().toStdString();
    dialog.refresh();
    ASSERT_EQ(dialog.table()->rowCount(), 1);
    EXPECT_TRUE(dialog.table()->item(0, 0)->text().endsWith(u"o_r_main"));
    EXPECT_TRUE(dialog.table()->item(0, 2)->text().contains(u"MiB"))
        << dialog.table()->item(0, 2)->text().toStdString();
    EXPECT_TRUE(dialog.table()->item(0, 3)->text().startsWith(u"idle"));

    // Deleting the repository through the cache page stops its host.
    bridge.repositoryRemoved(repo);
    dialog.refresh();
    EXPECT_EQ(dialog.table()->rowCount(), 0);
    EXPECT_TRUE(pool->runningHosts().isEmpty());
}
