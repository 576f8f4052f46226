#pragma once

// Fixtures written by a Python script once per build tree, shared by every test process.
// gtest_discover_tests runs each case as its own process; without this cache each case would
// pay `import torch` and the script again.

#include "tests/support/testsupport.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>

namespace hubcap::test {

/// Runs `HUBCAP_PYTHON script OUT_DIR args...` unless a folder for the same script text and
/// arguments exists already; returns that folder (<build>/tests/fixtures/NAME-HASH). Safe when
/// several test processes race: each writes a private folder and renames it into place.
inline QString cachedPythonFixtures(const QString &name, const QString &script,
                                    const QStringList &args, QString *error)
{
    QFile f(script);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read ") + script;
        return {};
    }
    const QByteArray key = f.readAll() + args.join(u'\n').toUtf8();
    const QString hash = QString::fromLatin1(
        QCryptographicHash::hash(key, QCryptographicHash::Sha1).toHex().left(12));
    const QString root = QDir::cleanPath(binDir() + QStringLiteral("/../tests/fixtures"));
    const QString dir = root + u'/' + name + u'-' + hash;
    if (QFile::exists(dir + QStringLiteral("/.complete")))
        return dir;
    QDir().mkpath(root);
    const QString tmp =
        dir + QStringLiteral(".tmp") + QString::number(QCoreApplication::applicationPid());
    QDir(tmp).removeRecursively();
    const ProcessResult r = run(QStringLiteral(HUBCAP_PYTHON), QStringList{script, tmp} + args);
    if (r.exitCode != 0) {
        *error = QString::fromUtf8(r.out + r.err);
        QDir(tmp).removeRecursively();
        return {};
    }
    QFile done(tmp + QStringLiteral("/.complete"));
    done.open(QIODevice::WriteOnly);
    done.close();
    if (!QDir().rename(tmp, dir))
        QDir(tmp).removeRecursively(); // another process finished first: use its folder
    return dir;
}

} // namespace hubcap::test
