// The project's one zip reader (core/archive/zipreader.h): ZIP64, torch.hub's name rule, and
// hostile archives (truncated directories, overlapping entries, bombs, limits).
#include "tests/fetch/fetchfixtures.h"
#include "tests/support/testsupport.h"

#include "core/archive/ziparchive.h"
#include "core/archive/zipreader.h"
#include "core/fetch/extract.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QTemporaryDir>

using namespace hubcap;
using namespace hubcap::test;

namespace {

std::filesystem::path fsPath(const QString &p)
{
    return QFile::encodeName(p).toStdString();
}

/// Runs a Python snippet with `zipfile`, `struct` imported and `path` set to `zip`.
void python(const QString &zip, const QString &body)
{
    const ProcessResult r = runPython(
        QStringLiteral("import zipfile, struct, sys\npath = %1\n").arg(u'"' + zip + u'"') + body);
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
}

QStringList filesUnder(const QString &root)
{
    QStringList out;
    QDirIterator it(root, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        out << QDir(root).relativeFilePath(it.next());
    out.sort();
    return out;
}

std::string readAllOf(const archive::ZipFile &zip, const std::string &name, std::string *err)
{
    const archive::ZipMember *m = zip.find(name);
    if (!m) {
        *err = "missing " + name;
        return {};
    }
    return zip.readAll(*m, 1 << 30, err).value_or("<failed>");
}

struct Tmp
{
    QTemporaryDir dir;
    QString zip() const { return dir.path() + QStringLiteral("/a.zip"); }
    QString dest() const { return dir.path() + QStringLiteral("/dest"); }
    Tmp() { QDir().mkpath(dest()); }
};

} // namespace

TEST(ZipReader, ForcedZip64SmallArchiveIsRead)
{
    // Every size, offset and the entry count in ZIP64 form (extra fields, ZIP64 end record and
    // locator), as Python writes them past 4 GiB / 65,535 entries. KArchive 5.103 refuses this.
    Tmp t;
    python(t.zip(), QStringLiteral("zipfile.ZIP64_LIMIT = 0\nzipfile.ZIP_FILECOUNT_LIMIT = 0\n"
                                   "with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:\n"
                                   "    z.writestr(zipfile.ZipInfo('top/'), b'')\n"
                                   "    z.writestr('top/a.txt', b'hello ' * 1000)\n"
                                   "    z.writestr(zipfile.ZipInfo('top/s.txt'), b'stored')\n"
                                   "    z.comment = b'c0ffee'\n"));
    std::string err;
    const auto zip = archive::ZipFile::open(fsPath(t.zip()), &err);
    ASSERT_TRUE(zip) << err;
    EXPECT_TRUE(zip->isZip64());
    ASSERT_EQ(zip->members().size(), 3u);
    EXPECT_TRUE(zip->members()[1].zip64);
    EXPECT_EQ(zip->comment(), "c0ffee");
    std::string hello;
    for (int i = 0; i < 1000; ++i)
        hello += "hello ";
    EXPECT_EQ(readAllOf(*zip, "top/a.txt", &err), hello) << err;
    EXPECT_EQ(readAllOf(*zip, "top/s.txt", &err), "stored") << err;
    EXPECT_EQ(archive::readZipComment(fsPath(t.zip())), "c0ffee");

    // The extractor writes what Python writes.
    const auto r = extractZipSafely(t.zip(), t.dest());
    ASSERT_TRUE(r) << r.error().text();
    EXPECT_EQ(r->topFolder, QStringLiteral("top"));
    EXPECT_EQ(readFile(t.dest() + QStringLiteral("/top/s.txt")), QByteArray("stored"));
}

TEST(ZipReader, BackslashIsAnOrdinaryNameCharacterLikePythonOnLinux)
{
    // One rule (archive::safeMemberPath) for every extraction. Refused as torch.hub's
    // _safe_extract_zip refuses: absolute, drive letter, ".." component, NUL.
    std::string why;
    EXPECT_FALSE(archive::safeMemberPath("\\evil", &why));
    EXPECT_EQ(why, "has an absolute path");
    EXPECT_FALSE(archive::safeMemberPath("/etc/passwd", &why));
    EXPECT_FALSE(archive::safeMemberPath("C:evil", &why));
    EXPECT_FALSE(archive::safeMemberPath("top/../../evil", &why));
    EXPECT_EQ(why, "contains directory traversal (..)");
    EXPECT_FALSE(archive::safeMemberPath(std::string_view("a\0b", 3), &why));
    // Elsewhere a backslash is part of the name: Python on Linux writes "dir\x.txt" as one
    // file, and "a\..\b" as one file of that name (it cannot escape).
    EXPECT_EQ(archive::safeMemberPath("top/dir\\x.txt", &why).value_or("?"), "top/dir\\x.txt");
    EXPECT_EQ(archive::safeMemberPath("top/a\\..\\b", &why).value_or("?"), "top/a\\..\\b");
    EXPECT_EQ(archive::safeMemberPath("top//./x", &why).value_or("?"), "top/x");
    EXPECT_EQ(archive::safeMemberPath("./", &why).value_or("?"), "");
    EXPECT_EQ(unsafeEntryReason(QStringLiteral("top\\..\\evil")), QString());
    EXPECT_FALSE(unsafeEntryReason(QStringLiteral("\\evil")).isEmpty());

    // And the tree is the one Python's zipfile.extractall writes.
    Tmp t;
    makeZip(t.zip(), {{QStringLiteral("top/"), {}},
                      {QStringLiteral("top/dir\\x.txt"), "x"},
                      {QStringLiteral("top/a\\..\\..\\b.txt"), "b"},
                      {QStringLiteral("top//./c.txt"), "c"}});
    const auto r = extractZipSafely(t.zip(), t.dest());
    ASSERT_TRUE(r) << r.error().text();
    const QString py = t.dir.path() + QStringLiteral("/py");
    python(t.zip(), QStringLiteral("zipfile.ZipFile(path).extractall(%1)\n").arg(u'"' + py + u'"'));
    EXPECT_EQ(filesUnder(t.dest()), filesUnder(py));
    EXPECT_EQ(readFile(t.dest() + QStringLiteral("/top/a\\..\\..\\b.txt")), QByteArray("b"));
    EXPECT_EQ(filesUnder(t.dest()).size(), 4) << filesUnder(t.dest()).join(u' ');

    // A leading backslash is refused and nothing is written.
    Tmp u;
    makeZip(u.zip(), {{QStringLiteral("top/ok.txt"), "ok"}, {QStringLiteral("\\evil.txt"), "x"}});
    const auto bad = extractZipSafely(u.zip(), u.dest());
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, Error::Code::Integrity);
    EXPECT_TRUE(bad.error().message.contains(u"absolute")) << bad.error().message;
    EXPECT_TRUE(filesUnder(u.dest()).isEmpty());
}

TEST(ZipReader, NamesWithoutTheUtf8FlagAreCp437LikePython)
{
    Tmp t;
    // 0x81 is "ü" in cp437; the UTF-8 flag is not set, so Python decodes it so.
    python(t.zip(), QStringLiteral("with zipfile.ZipFile(path, 'w') as z:\n"
                                   "    z.writestr('top/x', b'1')\n"
                                   "d = bytearray(open(path, 'rb').read())\n"
                                   "for i in range(len(d) - 4):\n"
                                   "    if d[i:i+5] == b'top/x': d[i+4] = 0x81\n"
                                   "open(path, 'wb').write(d)\n"
                                   "assert zipfile.ZipFile(path).namelist() == ['top/\\u00fc'], "
                                   "zipfile.ZipFile(path).namelist()\n"));
    std::string err;
    const auto zip = archive::ZipFile::open(fsPath(t.zip()), &err);
    ASSERT_TRUE(zip) << err;
    EXPECT_EQ(zip->members().at(0).name, "top/\xc3\xbc");
    EXPECT_EQ(zip->members().at(0).rawName, "top/\x81");
}

TEST(ZipReader, TruncatedCentralDirectoryIsRefused)
{
    Tmp t;
    makeZip(t.zip(), {{QStringLiteral("top/a.txt"), "a"}, {QStringLiteral("top/b.txt"), "b"}});
    // Drop the last 20 bytes of the central directory; the end record stays as it was.
    python(t.zip(), QStringLiteral("d = open(path, 'rb').read()\ne = d.rfind(b'PK\\x05\\x06')\n"
                                   "open(path, 'wb').write(d[:e - 20] + d[e:])\n"
                                   "try:\n    zipfile.ZipFile(path)\n    sys.exit(3)\n"
                                   "except zipfile.BadZipFile:\n    pass\n"));
    std::string err;
    EXPECT_FALSE(archive::ZipFile::open(fsPath(t.zip()), &err));
    EXPECT_NE(err.find("truncated or corrupt"), std::string::npos) << err;
    const auto r = extractZipSafely(t.zip(), t.dest());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Error::Code::Integrity);
    EXPECT_TRUE(filesUnder(t.dest()).isEmpty());

    // A directory whose size claims more than the file holds.
    makeZip(t.zip(), {{QStringLiteral("top/a.txt"), "a"}});
    python(t.zip(), QStringLiteral("d = bytearray(open(path, 'rb').read())\n"
                                   "e = d.rfind(b'PK\\x05\\x06')\n"
                                   "d[e+12:e+16] = struct.pack('<I', 0x7fffffff)\n"
                                   "open(path, 'wb').write(d)\n"));
    EXPECT_FALSE(archive::ZipFile::open(fsPath(t.zip()), &err));
    EXPECT_NE(err.find("more than the file holds"), std::string::npos) << err;
}

TEST(ZipReader, EntryDataBeyondItsDeclaredSizeIsRefused)
{
    // A deflated 1 MiB of zeros whose directory (and local header) declare 1000 bytes: the
    // reader stops at the declared size (a zip bomb cannot exceed what the directory says).
    Tmp t;
    python(t.zip(), QStringLiteral("with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:\n"
                                   "    z.writestr(zipfile.ZipInfo('top/'), b'')\n"
                                   "    z.writestr('top/bomb.bin', bytes(1 << 20))\n"
                                   "d = bytearray(open(path, 'rb').read())\n"
                                   "c = d.rfind(b'PK\\x01\\x02')\n"
                                   "off = struct.unpack('<I', d[c+42:c+46])[0]\n"
                                   "d[c+24:c+28] = struct.pack('<I', 1000)\n"
                                   "d[off+22:off+26] = struct.pack('<I', 1000)\n"
                                   "open(path, 'wb').write(d)\n"));
    std::string err;
    const auto zip = archive::ZipFile::open(fsPath(t.zip()), &err);
    ASSERT_TRUE(zip) << err;
    const archive::ZipMember *m = zip->find("top/bomb.bin");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->size, 1000u);
    std::uint64_t delivered = 0;
    EXPECT_FALSE(zip->read(
        *m,
        [&](const char *, std::size_t n) {
            delivered += n;
            return true;
        },
        &err));
    EXPECT_NE(err.find("more data than the 1000 bytes"), std::string::npos) << err;
    EXPECT_LE(delivered, 1000u);

    const auto r = extractZipSafely(t.zip(), t.dest());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Error::Code::Integrity);
    EXPECT_TRUE(r.error().details.contains(u"more data than")) << r.error().text();
    EXPECT_LE(QFileInfo(t.dest() + QStringLiteral("/top/bomb.bin")).size(), 1000);

    // Fewer bytes than declared, and a wrong CRC, are refused too.
    python(t.zip(), QStringLiteral("with zipfile.ZipFile(path, 'w') as z:\n"
                                   "    z.writestr('top/a.txt', b'abc')\n"
                                   "d = bytearray(open(path, 'rb').read())\n"
                                   "c = d.rfind(b'PK\\x01\\x02')\n"
                                   "d[c+16] ^= 0xff\n"
                                   "open(path, 'wb').write(d)\n"));
    const auto bad = archive::ZipFile::open(fsPath(t.zip()), &err);
    ASSERT_TRUE(bad) << err;
    EXPECT_FALSE(bad->readAll(bad->members().at(0), 100, &err));
    EXPECT_NE(err.find("CRC-32"), std::string::npos) << err;
}

TEST(ZipReader, OverlappingEntriesAndOffsetsOutsideTheFileAreRefused)
{
    Tmp t;
    // Two directory entries that point at the same local header (the overlapping zip bomb).
    python(t.zip(), QStringLiteral("with zipfile.ZipFile(path, 'w') as z:\n"
                                   "    z.writestr('top/a.txt', b'aaaa')\n"
                                   "    z.writestr('top/b.txt', b'bbbb')\n"
                                   "d = bytearray(open(path, 'rb').read())\n"
                                   "c = d.rfind(b'PK\\x01\\x02')\n"
                                   "d[c+42:c+46] = struct.pack('<I', 0)\n"
                                   "open(path, 'wb').write(d)\n"));
    std::string err;
    EXPECT_FALSE(archive::ZipFile::open(fsPath(t.zip()), &err));
    EXPECT_NE(err.find("overlap"), std::string::npos) << err;

    python(t.zip(), QStringLiteral("with zipfile.ZipFile(path, 'w') as z:\n"
                                   "    z.writestr('top/a.txt', b'aaaa')\n"
                                   "d = bytearray(open(path, 'rb').read())\n"
                                   "c = d.rfind(b'PK\\x01\\x02')\n"
                                   "d[c+42:c+46] = struct.pack('<I', 0x7ffffff0)\n"
                                   "open(path, 'wb').write(d)\n"));
    EXPECT_FALSE(archive::ZipFile::open(fsPath(t.zip()), &err));
    EXPECT_NE(err.find("outside the file"), std::string::npos) << err;

    // An extra field whose length runs past the extra area (as zipfile: "Corrupt extra field").
    python(t.zip(), QStringLiteral("zi = zipfile.ZipInfo('top/a.txt')\n"
                                   "zi.extra = struct.pack('<HH', 0x7777, 4) + b'abcd'\n"
                                   "with zipfile.ZipFile(path, 'w') as z:\n"
                                   "    z.writestr(zi, b'aaaa')\n"
                                   "d = bytearray(open(path, 'rb').read())\n"
                                   "c = d.rfind(b'PK\\x01\\x02')\n"
                                   "d[c+46+9+2:c+46+9+4] = struct.pack('<H', 400)\n"
                                   "open(path, 'wb').write(d)\n"));
    EXPECT_FALSE(archive::ZipFile::open(fsPath(t.zip()), &err));
    EXPECT_NE(err.find("corrupt extra field"), std::string::npos) << err;
}

TEST(ZipReader, LimitsOnEntriesNamesAndTotalSize)
{
    Tmp t;
    QList<QPair<QString, QByteArray>> entries;
    for (int i = 0; i < 20; ++i)
        entries.append({QStringLiteral("top/f%1").arg(i), "x"});
    entries.append({QStringLiteral("top/") + QString(300, u'n'), "long"});
    makeZip(t.zip(), entries);
    std::string err;
    archive::ZipLimits few;
    few.maxEntries = 10;
    EXPECT_FALSE(archive::ZipFile::open(fsPath(t.zip()), &err, few));
    EXPECT_NE(err.find("limit"), std::string::npos) << err;
    archive::ZipLimits shortNames;
    shortNames.maxNameBytes = 255;
    EXPECT_FALSE(archive::ZipFile::open(fsPath(t.zip()), &err, shortNames));
    EXPECT_NE(err.find("name of 304 bytes"), std::string::npos) << err;
    archive::ZipLimits small;
    small.maxTotalUncompressed = 10;
    EXPECT_FALSE(archive::ZipFile::open(fsPath(t.zip()), &err, small));
    EXPECT_NE(err.find("more than the limit of 10"), std::string::npos) << err;
    EXPECT_TRUE(archive::ZipFile::open(fsPath(t.zip()), &err)) << err;
}

TEST(ZipReader, SameDataAsKArchiveWhereKArchiveCanRead)
{
    // The KArchive adapter stays as an independent second reader: on the archives it reads
    // (no ZIP64) every entry's data must match ours.
    Tmp t;
    QList<QPair<QString, QByteArray>> entries{{QStringLiteral("top/"), {}}};
    for (int i = 0; i < 30; ++i)
        entries.append({QStringLiteral("top/d%1/f%2.txt").arg(i % 4).arg(i),
                        QByteArray::number(i).repeated(i * 97 + 1)});
    makeZip(t.zip(), entries);
    std::string err;
    const auto ours = archive::ZipFile::open(fsPath(t.zip()), &err);
    ASSERT_TRUE(ours) << err;
    const auto theirs = archive::ZipReader::open(fsPath(t.zip()), &err);
    ASSERT_TRUE(theirs) << err;
    int compared = 0;
    for (const archive::ZipMember &m : ours->members()) {
        if (m.isDirectory)
            continue;
        EXPECT_EQ(ours->readAll(m, 1 << 20, &err).value_or("?"),
                  theirs->readAll(m.name, 1 << 20, &err).value_or("!"))
            << m.name;
        ++compared;
    }
    EXPECT_EQ(compared, 30);
}

TEST(ZipReader, ARepeatedNameIsWrittenByItsLastEntryLikePython)
{
    Tmp t;
    python(t.zip(), QStringLiteral("import warnings\nwarnings.simplefilter('ignore')\n"
                                   "with zipfile.ZipFile(path, 'w') as z:\n"
                                   "    z.writestr('top/a.txt', b'first, longer')\n"
                                   "    z.writestr('top/a.txt', b'second')\n"));
    const auto r = extractZipSafely(t.zip(), t.dest());
    ASSERT_TRUE(r) << r.error().text();
    EXPECT_EQ(readFile(t.dest() + QStringLiteral("/top/a.txt")), QByteArray("second"));
    std::string err;
    const auto zip = archive::ZipFile::open(fsPath(t.zip()), &err);
    ASSERT_TRUE(zip) << err;
    EXPECT_EQ(zip->find("top/a.txt"), &zip->members().back()); // zipfile.getinfo: the last
}
