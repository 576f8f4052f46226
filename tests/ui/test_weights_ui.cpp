// "Download Weights…": the dialog (URL validation, torch.hub's default file name, hash prefix,
// destination, an existing file), and downloads through the bridge's DownloadQueue against the
// fake server: hash check, the concurrency setting, pause/resume through the queue, the cache
// page rescan, retry in the same row.
#include "tests/ui/uifixtures.h"

#include "tests/support/fakeserver.h"
#include "tests/support/testsupport.h"

#include "ui/cache/cachemodel.h"
#include "ui/cache/cachepage.h"
#include "ui/common/corebridge.h"
#include "ui/downloads/downloadsmodel.h"
#include "ui/downloads/weightsdialog.h"
#include "ui/downloads/weightsdownloader.h"
#include "ui/mainwindow.h"
#include "ui/settings/appsettings.h"
#include "ui/settings/settingsdialog.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QCryptographicHash>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace hubcap;
using namespace hubcap::ui;
using Phase = DownloadsModel::Phase;

namespace {

QByteArray pseudoRandom(int size, int seed)
{
    QByteArray b(size, Qt::Uninitialized);
    quint32 x = 2463534242u + quint32(seed);
    for (int i = 0; i < size; ++i) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        b[i] = char(x & 0xff);
    }
    return b;
}

QString sha256Hex(const QByteArray &data)
{
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

/// Sets the "parallel downloads" setting for one test and restores the previous settings.
struct ConcurrencySetting
{
    explicit ConcurrencySetting(int n) : saved(AppSettings::load())
    {
        AppSettings s = saved;
        s.concurrency = n;
        s.save();
    }
    ~ConcurrencySetting() { saved.save(); }
    AppSettings saved;
};

class WeightsUi : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(server.isRunning()) << server.serverErrors().toStdString();
        hub = tmp.filePath(QStringLiteral("hub"));
    }

    QUrl serve(const QString &name, const QByteArray &data)
    {
        test::writeFile(server.root() + QStringLiteral("/assets/") + name, data);
        return url(name);
    }
    QUrl url(const QString &name) const
    {
        return QUrl(server.url() + QStringLiteral("/assets/") + name);
    }
    /// The server holds `name` back for `seconds` after its first `after` bytes.
    QJsonObject stall(double seconds, int after = 20000) const
    {
        return QJsonObject{{QStringLiteral("stall"), seconds},
                           {QStringLiteral("stall_after"), after}};
    }
    CheckpointRequest request(const QUrl &u, bool checkHash = false) const
    {
        CheckpointRequest r;
        r.url = u;
        r.checkHash = checkHash;
        return r;
    }
    static Phase phase(const DownloadsModel *m, int row)
    {
        return Phase(m->index(row, 0).data(DownloadsModel::PhaseRole).toInt());
    }
    static qint64 bytesDone(const DownloadsModel *m, int row)
    {
        return m->index(row, 0).data(DownloadsModel::DoneRole).toLongLong();
    }
    static QString stateText(const DownloadsModel *m, int row)
    {
        return m->index(row, DownloadsModel::StateColumn).data().toString();
    }
    static bool finished(const DownloadsModel *m, int row)
    {
        const Phase p = phase(m, row);
        return p == Phase::Done || p == Phase::Failed || p == Phase::Cancelled;
    }
    QStringList checkpointFiles() const
    {
        return QDir(hub + QStringLiteral("/checkpoints")).entryList(QDir::Files | QDir::Hidden);
    }

    test::FakeServer server;
    QTemporaryDir tmp;
    QString hub;
};

} // namespace

TEST_F(WeightsUi, DialogValidatesTheUrlAndDefaultsTheFileName)
{
    WeightsDialog dialog(hub);
    EXPECT_FALSE(dialog.okButton()->isEnabled()); // the URL is required
    EXPECT_FALSE(dialog.urlError()->isVisibleTo(&dialog));

    // Only http(s), with the reason under the field.
    for (const QString &bad :
         {QStringLiteral("ftp://example.com/a-12345678.pth"), QStringLiteral("file:///tmp/a.pth"),
          QStringLiteral("not a url"), QStringLiteral("https://")}) {
        dialog.urlEdit()->setText(bad);
        EXPECT_TRUE(dialog.urlError()->isVisibleTo(&dialog)) << bad.toStdString();
        EXPECT_FALSE(dialog.urlError()->text().isEmpty()) << bad.toStdString();
        EXPECT_FALSE(dialog.okButton()->isEnabled()) << bad.toStdString();
        EXPECT_FALSE(dialog.request()) << bad.toStdString();
    }
    dialog.urlEdit()->setText(QStringLiteral("ftp://example.com/a.pth"));
    EXPECT_TRUE(dialog.urlError()->text().contains(QStringLiteral("https://")));

    // torch.hub's name: the basename of the URL's path, the query dropped.
    dialog.urlEdit()->setText(
        QStringLiteral("https://example.com/models/resnet18-f37072fd.pth?download=1"));
    EXPECT_FALSE(dialog.urlError()->isVisibleTo(&dialog));
    EXPECT_EQ(dialog.fileNameEdit()->text(), QStringLiteral("resnet18-f37072fd.pth"));
    EXPECT_EQ(dialog.destinationEdit()->text(),
              QDir::toNativeSeparators(hub + QStringLiteral("/checkpoints/resnet18-f37072fd.pth")));
    EXPECT_TRUE(dialog.destinationEdit()->isReadOnly());
    EXPECT_TRUE(dialog.hashInfo()->text().contains(QStringLiteral("hash prefix f37072fd")))
        << dialog.hashInfo()->text().toStdString();
    EXPECT_TRUE(dialog.okButton()->isEnabled());
    ASSERT_TRUE(dialog.request());
    EXPECT_FALSE(dialog.request()->checkHash); // torch.hub's default
    dialog.checkHashBox()->setChecked(true);
    EXPECT_TRUE(dialog.request()->checkHash);
    EXPECT_EQ(dialog.request()->fileName.value_or(QString()),
              QStringLiteral("resnet18-f37072fd.pth"));

    // A name without a hash says there is nothing to check.
    dialog.urlEdit()->setText(QStringLiteral("https://example.com/weights.pth"));
    EXPECT_EQ(dialog.fileNameEdit()->text(), QStringLiteral("weights.pth"));
    EXPECT_TRUE(dialog.hashInfo()->text().contains(QStringLiteral("no usable hash prefix")))
        << dialog.hashInfo()->text().toStdString();

    // A name of the user's own stays; cleared, it is the URL's name and follows the URL again.
    dialog.fileNameEdit()->setFocus();
    dialog.fileNameEdit()->selectAll();
    QTest::keyClicks(dialog.fileNameEdit(), QStringLiteral("mine-0123456789.pt"));
    dialog.urlEdit()->setText(QStringLiteral("https://example.com/other.pth"));
    EXPECT_EQ(dialog.fileNameEdit()->text(), QStringLiteral("mine-0123456789.pt"));
    EXPECT_TRUE(dialog.destinationEdit()->text().endsWith(QStringLiteral("mine-0123456789.pt")));
    dialog.fileNameEdit()->selectAll();
    QTest::keyClick(dialog.fileNameEdit(), Qt::Key_Backspace);
    EXPECT_EQ(dialog.fileNameEdit()->text(), QStringLiteral("other.pth"));
    dialog.urlEdit()->setText(QStringLiteral("https://example.com/third.pth"));
    EXPECT_EQ(dialog.fileNameEdit()->text(), QStringLiteral("third.pth"));

    // No file name in the URL: the user has to give one.
    dialog.urlEdit()->setText(QStringLiteral("https://example.com/"));
    EXPECT_TRUE(dialog.fileNameError()->isVisibleTo(&dialog));
    EXPECT_FALSE(dialog.okButton()->isEnabled());

    // An existing file: torch.hub would not download it; only "replace" enables OK.
    test::writeFile(hub + QStringLiteral("/checkpoints/have.pth"), QByteArray(10, 'x'));
    dialog.urlEdit()->setText(QStringLiteral("https://example.com/have.pth"));
    EXPECT_TRUE(dialog.existsInfo()->isVisibleTo(&dialog));
    EXPECT_TRUE(dialog.existsInfo()->text().contains(QStringLiteral("already exists")));
    EXPECT_FALSE(dialog.okButton()->isEnabled());
    dialog.replaceBox()->setChecked(true);
    EXPECT_TRUE(dialog.okButton()->isEnabled());
    ASSERT_TRUE(dialog.request());
    EXPECT_TRUE(dialog.request()->replace);
}

TEST_F(WeightsUi, HashPrefixedNameIsVerifiedAndAMismatchLeavesNoFile)
{
    const QByteArray good = pseudoRandom(150000, 1);
    const QString goodName = QStringLiteral("tiny-%1.pth").arg(sha256Hex(good).left(10));
    const QUrl goodUrl = serve(goodName, good);
    const QByteArray bad = pseudoRandom(90000, 2);
    const QString badName = QStringLiteral("fake-%1.pth").arg(QStringLiteral("0123456789"));
    ASSERT_FALSE(sha256Hex(bad).startsWith(QStringLiteral("0123456789")));
    const QUrl badUrl = serve(badName, bad);

    CoreBridge bridge(hub);
    MainWindow window(&bridge);
    DownloadsModel *rows = window.downloadsModel();
    QAbstractItemModelTester tester(rows, QAbstractItemModelTester::FailureReportingMode::Fatal);

    // The action: File menu, Ctrl+Shift+D, and a dialog whose request is queued.
    QAction *action = window.weightsDownloader()->action();
    EXPECT_EQ(action->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    EXPECT_TRUE(window.menuBar()->actions().first()->menu()->actions().contains(action));
    QUrl next = goodUrl;
    window.weightsDownloader()->setRequestDialog([&](QWidget *, const QString &hubDir) {
        WeightsDialog dialog(hubDir);
        dialog.urlEdit()->setText(next.toString());
        dialog.checkHashBox()->setChecked(true);
        return dialog.request();
    });
    action->trigger();
    ASSERT_EQ(rows->rowCount(), 1);
    EXPECT_TRUE(window.downloadsDock()->isVisibleTo(&window));
    ASSERT_TRUE(test::waitUntil([&] { return finished(rows, 0); }, 30000));
    EXPECT_EQ(phase(rows, 0), Phase::Done) << stateText(rows, 0).toStdString();
    EXPECT_EQ(rows->index(0, DownloadsModel::NameColumn).data().toString(), goodName);
    const QString goodPath = hub + QStringLiteral("/checkpoints/") + goodName;
    EXPECT_EQ(test::readFile(goodPath), good);
    EXPECT_TRUE(window.statusBar()->currentMessage().contains(QDir::toNativeSeparators(goodPath)))
        << window.statusBar()->currentMessage().toStdString();
    EXPECT_TRUE(window.statusBar()->currentMessage().contains(QStringLiteral("SHA-256 verified")));

    // The name promises a hash the bytes do not have: the core's message in the row, no file.
    next = badUrl;
    action->trigger();
    ASSERT_EQ(rows->rowCount(), 2);
    ASSERT_TRUE(test::waitUntil([&] { return finished(rows, 1); }, 30000));
    EXPECT_EQ(phase(rows, 1), Phase::Failed);
    const QString state = stateText(rows, 1);
    EXPECT_TRUE(
        state.contains(QStringLiteral("invalid hash value (expected \"0123456789\", got \"%1\")")
                           .arg(sha256Hex(bad))))
        << state.toStdString();
    EXPECT_FALSE(QFileInfo::exists(hub + QStringLiteral("/checkpoints/") + badName));
    EXPECT_EQ(checkpointFiles(), QStringList{goodName}); // no partial left behind
}

TEST_F(WeightsUi, ConcurrencySettingLimitsTheQueue)
{
    const ConcurrencySetting one(1);
    server.setConfig(QJsonObject{
        {QStringLiteral("assets"), QJsonObject{{QStringLiteral("a.pth"), stall(1.5)},
                                               {QStringLiteral("c.pth"), stall(1.5)},
                                               {QStringLiteral("d.pth"), stall(1.5)}}}});
    const QByteArray a = pseudoRandom(100000, 3), b = pseudoRandom(50000, 4);
    serve(QStringLiteral("a.pth"), a);
    serve(QStringLiteral("b.pth"), b);
    serve(QStringLiteral("c.pth"), a);
    serve(QStringLiteral("d.pth"), b + b);

    CoreBridge bridge(hub);
    MainWindow window(&bridge);
    DownloadsModel *rows = window.downloadsModel();
    QAbstractItemModelTester tester(rows, QAbstractItemModelTester::FailureReportingMode::Fatal);
    DownloadQueue *queue = bridge.downloadQueue();
    EXPECT_EQ(queue->maxConcurrent(), 1); // the setting, applied at start
    int maxRunning = 0;
    QObject::connect(rows, &QAbstractItemModel::dataChanged,
                     [&] { maxRunning = qMax(maxRunning, queue->runningCount()); });

    WeightsDownloader *weights = window.weightsDownloader();
    weights->download(request(url(QStringLiteral("a.pth"))));
    weights->download(request(url(QStringLiteral("b.pth"))));
    ASSERT_EQ(rows->rowCount(), 2);
    // While the first one is held by the server, the second waits in the queue.
    ASSERT_TRUE(test::waitUntil([&] { return bytesDone(rows, 0) > 0; }));
    EXPECT_FALSE(finished(rows, 0));
    EXPECT_EQ(phase(rows, 1), Phase::Queued) << stateText(rows, 1).toStdString();
    EXPECT_EQ(stateText(rows, 1), QStringLiteral("Queued"));
    EXPECT_EQ(queue->runningCount(), 1);
    ASSERT_TRUE(test::waitUntil([&] { return finished(rows, 0) && finished(rows, 1); }, 30000));
    EXPECT_EQ(phase(rows, 0), Phase::Done) << stateText(rows, 0).toStdString();
    EXPECT_EQ(phase(rows, 1), Phase::Done) << stateText(rows, 1).toStdString();
    EXPECT_EQ(maxRunning, 1);
    EXPECT_EQ(test::readFile(hub + QStringLiteral("/checkpoints/b.pth")), b);

    // The settings dialog says 2: both run at once.
    QTimer::singleShot(0, [] {
        auto *dialog = qobject_cast<SettingsDialog *>(QApplication::activeModalWidget());
        ASSERT_TRUE(dialog);
        auto *spin = dialog->findChild<QSpinBox *>();
        for (QSpinBox *s : dialog->findChildren<QSpinBox *>())
            if (s->accessibleName() == QStringLiteral("Parallel downloads"))
                spin = s;
        spin->setValue(2);
        dialog->accept();
    });
    window.showSettings();
    EXPECT_EQ(queue->maxConcurrent(), 2);
    maxRunning = 0;
    weights->download(request(url(QStringLiteral("c.pth"))));
    weights->download(request(url(QStringLiteral("d.pth"))));
    ASSERT_TRUE(test::waitUntil([&] { return bytesDone(rows, 2) > 0 && bytesDone(rows, 3) > 0; }));
    EXPECT_FALSE(finished(rows, 2)); // both were running at the same time
    EXPECT_FALSE(finished(rows, 3));
    ASSERT_TRUE(test::waitUntil([&] { return finished(rows, 2) && finished(rows, 3); }, 30000));
    EXPECT_EQ(phase(rows, 2), Phase::Done) << stateText(rows, 2).toStdString();
    EXPECT_EQ(phase(rows, 3), Phase::Done) << stateText(rows, 3).toStdString();
    EXPECT_EQ(maxRunning, 2);
    EXPECT_EQ(test::readFile(hub + QStringLiteral("/checkpoints/d.pth")), b + b);
}

TEST_F(WeightsUi, PauseAndResumeGoThroughTheQueue)
{
    const ConcurrencySetting one(1);
    server.setConfig(QJsonObject{
        {QStringLiteral("assets"), QJsonObject{{QStringLiteral("p.pth"), stall(30)},
                                               {QStringLiteral("q.pth"), stall(1.0)}}}});
    const QByteArray p = pseudoRandom(120000, 5), q = pseudoRandom(60000, 6);
    serve(QStringLiteral("p.pth"), p);
    serve(QStringLiteral("q.pth"), q);
    CoreBridge bridge(hub);
    MainWindow window(&bridge);
    DownloadsModel *rows = window.downloadsModel();
    QAbstractItemModelTester tester(rows, QAbstractItemModelTester::FailureReportingMode::Fatal);
    DownloadQueue *queue = bridge.downloadQueue();
    int maxRunning = 0;
    QObject::connect(rows, &QAbstractItemModel::dataChanged,
                     [&] { maxRunning = qMax(maxRunning, queue->runningCount()); });

    window.weightsDownloader()->download(request(url(QStringLiteral("p.pth"))));
    window.weightsDownloader()->download(request(url(QStringLiteral("q.pth"))));
    ASSERT_TRUE(test::waitUntil([&] { return bytesDone(rows, 0) > 0; }));
    ASSERT_EQ(phase(rows, 1), Phase::Queued);

    // A queued row can be paused (it leaves the queue) and resumed (back in line).
    EXPECT_TRUE(rows->index(1, 0).data(DownloadsModel::CanPauseRole).toBool());
    rows->pause(1);
    EXPECT_EQ(phase(rows, 1), Phase::Paused);
    EXPECT_TRUE(rows->index(1, 0).data(DownloadsModel::CanResumeRole).toBool());
    rows->resume(1);
    EXPECT_EQ(phase(rows, 1), Phase::Queued);

    // Pausing the running row frees its slot: the queued one starts.
    rows->pause(0);
    EXPECT_EQ(phase(rows, 0), Phase::Paused);
    ASSERT_TRUE(test::waitUntil([&] { return bytesDone(rows, 1) > 0 || finished(rows, 1); }));
    // Resumed while the other holds the only slot: it waits in the queue, it does not run.
    server.setConfig({});
    rows->resume(0);
    if (!finished(rows, 1)) {
        EXPECT_EQ(phase(rows, 0), Phase::Queued) << stateText(rows, 0).toStdString();
    }
    ASSERT_TRUE(test::waitUntil([&] { return finished(rows, 0) && finished(rows, 1); }, 30000));
    EXPECT_EQ(phase(rows, 0), Phase::Done) << stateText(rows, 0).toStdString();
    EXPECT_EQ(phase(rows, 1), Phase::Done) << stateText(rows, 1).toStdString();
    EXPECT_EQ(maxRunning, 1);
    EXPECT_EQ(test::readFile(hub + QStringLiteral("/checkpoints/p.pth")), p);
    EXPECT_EQ(test::readFile(hub + QStringLiteral("/checkpoints/q.pth")), q);
}

TEST_F(WeightsUi, FinishedDownloadAppearsOnTheCachePage)
{
    const QByteArray data = pseudoRandom(70000, 7);
    serve(QStringLiteral("cached-weights.pth"), data);
    CoreBridge bridge(hub);
    MainWindow window(&bridge);
    QAbstractItemModelTester tester(window.downloadsModel(),
                                    QAbstractItemModelTester::FailureReportingMode::Fatal);
    CacheModel *cache = window.cachePage()->model();
    auto cachedRow = [&]() -> QModelIndex {
        for (int r = 0; r < cache->rowCount(); ++r)
            if (cache->index(r, 0).data(CacheModel::RelPathRole).toString() ==
                QStringLiteral("checkpoints/cached-weights.pth"))
                return cache->index(r, 0);
        return {};
    };
    window.refreshCache();
    ASSERT_TRUE(test::waitUntil([&] { return !window.cachePage()->isBusy(); }));
    ASSERT_FALSE(cachedRow().isValid());

    window.weightsDownloader()->download(request(url(QStringLiteral("cached-weights.pth"))));
    ASSERT_TRUE(test::waitUntil([&] { return cachedRow().isValid(); }, 30000));
    EXPECT_EQ(cachedRow().data(CacheModel::BytesRole).toLongLong(), data.size());
    EXPECT_EQ(phase(window.downloadsModel(), 0), Phase::Done);
}

TEST_F(WeightsUi, RetryAfterAFailureReusesTheRow)
{
    CoreBridge bridge(hub);
    MainWindow window(&bridge);
    DownloadsModel *rows = window.downloadsModel();
    QAbstractItemModelTester tester(rows, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const QUrl missing = url(QStringLiteral("late.pth"));
    window.weightsDownloader()->download(request(missing));
    ASSERT_TRUE(test::waitUntil([&] { return finished(rows, 0); }, 30000));
    EXPECT_EQ(phase(rows, 0), Phase::Failed);
    EXPECT_TRUE(stateText(rows, 0).contains(QStringLiteral("404")))
        << stateText(rows, 0).toStdString();
    EXPECT_TRUE(rows->index(0, 0).data(DownloadsModel::CanRetryRole).toBool());
    Job *failed = rows->job(0);

    const QByteArray data = pseudoRandom(40000, 8);
    serve(QStringLiteral("late.pth"), data);
    rows->retry(0);
    EXPECT_EQ(rows->rowCount(), 1);
    EXPECT_NE(rows->job(0), failed);
    ASSERT_TRUE(test::waitUntil([&] { return finished(rows, 0); }, 30000));
    EXPECT_EQ(phase(rows, 0), Phase::Done) << stateText(rows, 0).toStdString();
    EXPECT_EQ(rows->rowCount(), 1);
    EXPECT_EQ(test::readFile(hub + QStringLiteral("/checkpoints/late.pth")), data);
}

// Renders the dialog and the downloads dock with a weight download in progress into
// <build>/screenshots/ (weights-dialog.png, weights-dialog-error.png, weights-downloading.png).
TEST_F(WeightsUi, Screenshots)
{
    const QString dir = QDir(test::binDir()).absoluteFilePath(QStringLiteral("../screenshots"));
    ASSERT_TRUE(QDir().mkpath(dir));
    test::writeFile(hub + QStringLiteral("/checkpoints/resnet18-f37072fd.pth"),
                    QByteArray(64, 'x'));

    WeightsDialog dialog(hub);
    dialog.urlEdit()->setText(
        QStringLiteral("https://download.pytorch.org/models/resnet18-f37072fd.pth"));
    dialog.checkHashBox()->setChecked(true);
    dialog.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&dialog));
    QCoreApplication::processEvents(); // pending layout requests
    const QPixmap shot = dialog.grab();
    EXPECT_GT(shot.width(), 500);
    EXPECT_TRUE(shot.save(dir + QStringLiteral("/weights-dialog.png")));
    dialog.urlEdit()->setText(QStringLiteral("ftp://mirror.example.com/weights.pth"));
    QCoreApplication::processEvents();
    EXPECT_TRUE(dialog.grab().save(dir + QStringLiteral("/weights-dialog-error.png")));
    dialog.hide();

    server.setConfig(
        QJsonObject{{QStringLiteral("assets"),
                     QJsonObject{{QStringLiteral("mobilenet_v3-0123abcd.pth"), stall(4, 600000)},
                                 {QStringLiteral("vit_b_16-c867db91.pth"), stall(4, 300000)}}}});
    serve(QStringLiteral("mobilenet_v3-0123abcd.pth"), pseudoRandom(1000000, 9));
    serve(QStringLiteral("vit_b_16-c867db91.pth"), pseudoRandom(800000, 10));
    const ConcurrencySetting one(1);
    CoreBridge bridge(hub);
    MainWindow window(&bridge);
    DownloadsModel *rows = window.downloadsModel();
    QAbstractItemModelTester tester(rows, QAbstractItemModelTester::FailureReportingMode::Fatal);
    window.resize(1200, 760);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    window.weightsDownloader()->download(request(url(QStringLiteral("mobilenet_v3-0123abcd.pth"))));
    window.weightsDownloader()->download(request(url(QStringLiteral("vit_b_16-c867db91.pth"))));
    ASSERT_TRUE(test::waitUntil(
        [&] { return rows->index(0, 0).data(DownloadsModel::ProgressRole).toDouble() > 0.5; }));
    EXPECT_EQ(phase(rows, 1), Phase::Queued);
    QCoreApplication::processEvents();
    EXPECT_TRUE(window.grab().save(dir + QStringLiteral("/weights-downloading.png")));
    // Cancel works on the running and on the queued row, and leaves no partial behind.
    for (int r = 0; r < 2; ++r)
        rows->cancel(r);
    ASSERT_TRUE(test::waitUntil([&] { return finished(rows, 0) && finished(rows, 1); }));
    EXPECT_EQ(phase(rows, 0), Phase::Cancelled);
    EXPECT_EQ(phase(rows, 1), Phase::Cancelled);
    EXPECT_EQ(checkpointFiles(), QStringList{QStringLiteral("resnet18-f37072fd.pth")});
}

// Notes appear and wrap as the user types: the dialog grows so that none is cut off.
TEST_F(WeightsUi, NotesAreNeverClippedWhenTheyAppear)
{
    const QString hub = tmp.path() + QStringLiteral("/hub");
    test::writeFile(hub + QStringLiteral("/checkpoints/resnet18-f37072fd.pth"),
                    QByteArray(64, 'x'));
    WeightsDialog dialog(hub);
    dialog.show();
    QCoreApplication::processEvents();
    dialog.urlEdit()->setText(
        QStringLiteral("https://download.pytorch.org/models/resnet18-f37072fd.pth"));
    QCoreApplication::processEvents();
    int visibleNotes = 0;
    for (QLabel *label : dialog.findChildren<QLabel *>()) {
        if (!label->isVisible() || !label->wordWrap() || label->text().isEmpty())
            continue;
        ++visibleNotes;
        EXPECT_GE(label->height(), label->heightForWidth(label->width()))
            << label->objectName().toStdString() << " is cut off: " << label->text().toStdString();
    }
    EXPECT_GE(visibleNotes, 2) << "the hash note and the 'already exists' note";
}
