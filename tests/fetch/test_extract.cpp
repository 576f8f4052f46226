// Safe extraction (zip slip, symlinks, permissions, cancel) and the atomic directory swap.
#include "tests/fetch/fetchfixtures.h"
#include "tests/support/testsupport.h"

#include "core/archive/ziparchive.h"
#include "core/fetch/dirswap.h"
#include "core/fetch/extract.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>

#include <sys/stat.h>

#include <thread>

using namespace hubcap;
using namespace hubcap::test;

namespace {

QStringList allFiles(const QString &root)
{
    QStringList out;
    QDir dir(root);
    for (const QFileInfo &fi :
         dir.entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System)) {
        out << fi.absoluteFilePath();
        if (fi.isDir() && !fi.isSymLink())
            out << allFiles(fi.absoluteFilePath());
    }
    return out;
}

struct Sandbox
{
    QTemporaryDir tmp;
    QString outside() const { return tmp.path() + QStringLiteral("/outside"); }
    QString dest() const { return tmp.path() + QStringLiteral("/outside/hub/dest"); }
    QString zip() const { return tmp.path() + QStringLiteral("/a.zip"); }
    Sandbox() { QDir().mkpath(dest()); }
};

} // namespace

TEST(Extract, UnsafeNamesAreRecognised)
{
    EXPECT_FALSE(unsafeEntryReason(QStringLiteral("/etc/passwd")).isEmpty());
    EXPECT_FALSE(unsafeEntryReason(QStringLiteral("\\evil")).isEmpty());
    EXPECT_FALSE(unsafeEntryReason(QStringLiteral("C:evil")).isEmpty());
    EXPECT_FALSE(unsafeEntryReason(QStringLiteral("../evil")).isEmpty());
    EXPECT_FALSE(unsafeEntryReason(QStringLiteral("top/../../evil")).isEmpty());
    // A backslash inside a name is an ordinary character (Python on Linux writes "top\..\evil"
    // as one file name), only a leading one is refused (test_zipreader checks the tree).
    EXPECT_TRUE(unsafeEntryReason(QStringLiteral("top\\..\\evil")).isEmpty());
    EXPECT_TRUE(unsafeEntryReason(QStringLiteral("top/..hidden/file..txt")).isEmpty());
    EXPECT_TRUE(unsafeEntryReason(QStringLiteral("owner-repo-abc1234/hubconf.py")).isEmpty());
}

TEST(Extract, DotDotEntryIsRejectedAndNothingWritten)
{
    Sandbox s;
    makeZip(s.zip(), {{QStringLiteral("top/"), {}},
                      {QStringLiteral("top/ok.txt"), "fine"},
                      {QStringLiteral("top/../../evil.txt"), "pwned"},
                      {QStringLiteral("../evil2.txt"), "pwned"}});
    const auto r = extractZipSafely(s.zip(), s.dest());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Error::Code::Integrity);
    EXPECT_TRUE(r.error().message.contains(u"traversal")) << r.error().message;
    EXPECT_TRUE(allFiles(s.outside()).filter(u"evil").isEmpty())
        << allFiles(s.outside()).join(u' ');
    EXPECT_TRUE(allFiles(s.dest()).isEmpty()) << "nothing is written when one entry is unsafe";
}

TEST(Extract, AbsolutePathEntryIsRejected)
{
    Sandbox s;
    const QString abs = s.outside() + QStringLiteral("/abs-evil.txt");
    makeZip(s.zip(), {{QStringLiteral("top/ok.txt"), "fine"}, {abs, "pwned"}});
    const auto r = extractZipSafely(s.zip(), s.dest());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Error::Code::Integrity);
    EXPECT_TRUE(r.error().message.contains(u"absolute")) << r.error().message;
    EXPECT_FALSE(QFileInfo::exists(abs));
    EXPECT_TRUE(allFiles(s.outside()).filter(u"evil").isEmpty());
}

TEST(Extract, SymlinksBecomeRegularFilesWithTheTargetText)
{
    Sandbox s;
    makeZip(s.zip(), {{QStringLiteral("top/"), {}},
                      {QStringLiteral("@link:top/link"), "../../../etc/passwd"},
                      {QStringLiteral("top/a.txt"), "hello"}});
    const auto r = extractZipSafely(s.zip(), s.dest());
    ASSERT_TRUE(r) << r.error().text().toStdString();
    EXPECT_EQ(r->topFolder, QStringLiteral("top"));
    const QFileInfo link(s.dest() + QStringLiteral("/top/link"));
    EXPECT_FALSE(link.isSymLink());
    EXPECT_TRUE(link.isFile());
    EXPECT_EQ(readFile(link.filePath()),
              QByteArray("../../../etc/passwd")); // as Python's zipfile does
    EXPECT_EQ(readFile(s.dest() + QStringLiteral("/top/a.txt")), QByteArray("hello"));
}

TEST(Extract, FilesGetUmaskPermissions)
{
    Sandbox s;
    makeZip(s.zip(), {{QStringLiteral("top/run.sh"), "#!/bin/sh\n"}});
    const mode_t old = ::umask(022);
    const auto r = extractZipSafely(s.zip(), s.dest());
    ::umask(old);
    ASSERT_TRUE(r);
    struct stat st
    {
    };
    ASSERT_EQ(::stat(QFile::encodeName(s.dest() + QStringLiteral("/top/run.sh")).constData(), &st),
              0);
    EXPECT_EQ(st.st_mode & 07777, 0644u);
}

TEST(Extract, CancelStopsTheLoop)
{
    Sandbox s;
    QList<QPair<QString, QByteArray>> entries;
    for (int i = 0; i < 50; ++i)
        entries.append({QStringLiteral("top/f%1.txt").arg(i), QByteArray(1000, 'x')});
    makeZip(s.zip(), entries);
    int files = 0;
    ExtractOptions opts;
    opts.cancelled = [&] { return ++files > 5; };
    const auto r = extractZipSafely(s.zip(), s.dest(), opts);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Error::Code::Cancelled);
    EXPECT_LT(allFiles(s.dest() + QStringLiteral("/top")).size(), 50);
}

TEST(Extract, NotAZipIsAnIntegrityError)
{
    Sandbox s;
    writeFile(s.zip(), "<html>not a zip</html>");
    const auto r = extractZipSafely(s.zip(), s.dest());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Error::Code::Integrity);
}

TEST(DirSwap, ReplacesAnExistingTreeAndRemovesTheOld)
{
    QTemporaryDir tmp;
    const QString target = tmp.path() + QStringLiteral("/hub/o_r_main");
    const QString fresh = tmp.path() + QStringLiteral("/hub/.hubcap/tmp/new");
    writeFile(target + QStringLiteral("/hubconf.py"), "old");
    writeFile(target + QStringLiteral("/only-old.txt"), "x");
    writeFile(fresh + QStringLiteral("/hubconf.py"), "new");
    const auto r = replaceDirectory(fresh, target, tmp.path() + QStringLiteral("/hub/.hubcap/tmp"));
    ASSERT_TRUE(r) << r.error().text().toStdString();
    EXPECT_EQ(readFile(target + QStringLiteral("/hubconf.py")), QByteArray("new"));
    EXPECT_FALSE(QFileInfo::exists(target + QStringLiteral("/only-old.txt")));
    EXPECT_FALSE(QFileInfo::exists(fresh))
        << "the old tree (swapped to the new tree's name) is deleted";
}

TEST(DirSwap, CreatesAMissingTarget)
{
    QTemporaryDir tmp;
    const QString target = tmp.path() + QStringLiteral("/o_r_main");
    const QString fresh = tmp.path() + QStringLiteral("/new");
    writeFile(fresh + QStringLiteral("/hubconf.py"), "new");
    ASSERT_TRUE(replaceDirectory(fresh, target, tmp.path()));
    EXPECT_EQ(readFile(target + QStringLiteral("/hubconf.py")), QByteArray("new"));
}

TEST(DirSwap, FailureLeavesTheOldTree)
{
    // An injected failure: the new tree does not exist (e.g. extraction died). The target must
    // keep its old content.
    QTemporaryDir tmp;
    const QString target = tmp.path() + QStringLiteral("/o_r_main");
    writeFile(target + QStringLiteral("/hubconf.py"), "old");
    const auto r = replaceDirectory(tmp.path() + QStringLiteral("/missing"), target, tmp.path());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Error::Code::Io);
    EXPECT_EQ(readFile(target + QStringLiteral("/hubconf.py")), QByteArray("old"));
}

TEST(Extract, GitArchiveZipLikeGitHubs)
{
    Sandbox s;
    const QString repo = s.tmp.path() + QStringLiteral("/repos/o/r");
    const QString sha =
        makeRepo(s.tmp.path(), QStringLiteral("o"), QStringLiteral("r"),
                 {{QStringLiteral("hubconf.py"), hubconf(1)}, {QStringLiteral("a/b/c.txt"), "c"}});
    git(repo,
        {QStringLiteral("archive"), QStringLiteral("--format=zip"),
         QStringLiteral("--prefix=o-r-%1/").arg(sha.left(7)), QStringLiteral("-o"), s.zip(), sha});
    EXPECT_EQ(rawZipEntryNames(s.zip()).value(0), QStringLiteral("o-r-%1/").arg(sha.left(7)));
    const auto r = extractZipSafely(s.zip(), s.dest());
    ASSERT_TRUE(r) << r.error().text();
    EXPECT_EQ(r->topFolder, QStringLiteral("o-r-%1").arg(sha.left(7)));
    EXPECT_EQ(r->files, 2);
    EXPECT_EQ(readFile(s.dest() + QStringLiteral("/o-r-%1/a/b/c.txt").arg(sha.left(7))),
              QByteArray("c"));
}

TEST(Extract, WorksOnAWorkerThread)
{
    // RepoFetchJob extracts on a worker thread (KArchive is Qt 5 inside the adapter).
    Sandbox s;
    makeZip(s.zip(), {{QStringLiteral("top/"), {}}, {QStringLiteral("top/a.txt"), "hello"}});
    std::optional<Result<ExtractResult>> r;
    std::thread t([&] { r = extractZipSafely(s.zip(), s.dest()); });
    t.join();
    ASSERT_TRUE(r && *r) << (r ? r->error().text() : QString());
    EXPECT_EQ((*r)->files, 1);
    EXPECT_EQ(readFile(s.dest() + QStringLiteral("/top/a.txt")), QByteArray("hello"));
}
