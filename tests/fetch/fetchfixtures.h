#pragma once

#include <QMap>
#include <QString>
#include <QStringList>

#include <ostream>

/// QString in `EXPECT_...() << text` messages (found by ADL: QString is in the global namespace).
inline std::ostream &operator<<(std::ostream &os, const QString &s)
{
    return os << s.toStdString();
}

namespace hubcap::test {

/// Runs git in `dir` with a fixed identity and no user/system config; returns stdout (trimmed).
/// Fails the current test on a non-zero exit.
QString git(const QString &dir, const QStringList &args, const QByteArray &stdinData = {});

/// Creates the fixture repository `<serverRoot>/repos/<owner>/<repo>` (what the fake GitHub
/// serves) with `files` committed on `branch`; returns the commit SHA.
QString makeRepo(const QString &serverRoot, const QString &owner, const QString &repo,
                 const QMap<QString, QByteArray> &files,
                 const QString &branch = QStringLiteral("main"));

/// Commits `files` on the current branch of `repoDir`; returns the new SHA.
QString commitFiles(const QString &repoDir, const QMap<QString, QByteArray> &files,
                    const QString &message = QStringLiteral("change"));

/// A hubconf.py with one entrypoint `answer()` returning `value`.
QByteArray hubconf(int value);

/// Writes a zip built by Python's zipfile: `entries` maps raw entry names to contents; a name
/// "@link:NAME" makes NAME a symlink whose target is the content.
void makeZip(const QString &path, const QList<QPair<QString, QByteArray>> &entries,
             const QByteArray &comment = {});

} // namespace hubcap::test
