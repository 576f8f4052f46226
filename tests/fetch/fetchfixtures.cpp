#include "tests/fetch/fetchfixtures.h"

#include "tests/support/testsupport.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace hubcap::test {

QString git(const QString &dir, const QStringList &args, const QByteArray &stdinData)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("GIT_CONFIG_GLOBAL"), QStringLiteral("/dev/null"));
    env.insert(QStringLiteral("GIT_CONFIG_NOSYSTEM"), QStringLiteral("1"));
    for (const char *k : {"GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"})
        env.insert(QString::fromLatin1(k), QStringLiteral("Fixture"));
    for (const char *k : {"GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"})
        env.insert(QString::fromLatin1(k), QStringLiteral("fixture@example.invalid"));
    const ProcessResult r =
        run(QStringLiteral("git"), QStringList{QStringLiteral("-C"), dir} + args, env, stdinData);
    EXPECT_EQ(r.exitCode, 0) << "git " << args.join(u' ').toStdString() << ": "
                             << r.err.toStdString();
    return QString::fromUtf8(r.out).trimmed();
}

QString commitFiles(const QString &repoDir, const QMap<QString, QByteArray> &files,
                    const QString &message)
{
    for (auto it = files.begin(); it != files.end(); ++it)
        writeFile(repoDir + u'/' + it.key(), it.value());
    git(repoDir, {QStringLiteral("add"), QStringLiteral("-A")});
    git(repoDir, {QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"), message});
    return git(repoDir, {QStringLiteral("rev-parse"), QStringLiteral("HEAD")});
}

QString makeRepo(const QString &serverRoot, const QString &owner, const QString &repo,
                 const QMap<QString, QByteArray> &files, const QString &branch)
{
    const QString dir = QStringLiteral("%1/repos/%2/%3").arg(serverRoot, owner, repo);
    QDir().mkpath(dir);
    git(dir, {QStringLiteral("init"), QStringLiteral("-q"), QStringLiteral("-b"), branch});
    return commitFiles(dir, files, QStringLiteral("initial"));
}

QByteArray hubconf(int value)
{
    return QStringLiteral(
               "dependencies = []\n\n\ndef answer():\n    \"\"\"The answer.\"\"\"\n    return %1\n")
        .arg(value)
        .toUtf8();
}

void makeZip(const QString &path, const QList<QPair<QString, QByteArray>> &entries,
             const QByteArray &comment)
{
    QJsonArray arr;
    for (const auto &e : entries)
        arr.append(QJsonArray{e.first, QString::fromLatin1(e.second.toBase64())});
    const QString spec = QString::fromUtf8(
        QJsonDocument(QJsonObject{{QStringLiteral("path"), path},
                                  {QStringLiteral("entries"), arr},
                                  {QStringLiteral("comment"), QString::fromLatin1(comment)}})
            .toJson(QJsonDocument::Compact));
    const QString script =
        QStringLiteral("import base64, json, sys, zipfile\n"
                       "spec = json.loads(sys.argv[1])\n"
                       "with zipfile.ZipFile(spec['path'], 'w', zipfile.ZIP_DEFLATED) as z:\n"
                       "    for name, data in spec['entries']:\n"
                       "        link = name.startswith('@link:')\n"
                       "        zi = zipfile.ZipInfo(name[6:] if link else name)\n"
                       "        zi.create_system = 3\n"
                       "        zi.external_attr = ((0o120777 if link else (0o40755 if "
                       "zi.filename.endswith('/') else 0o100644)) << 16)\n"
                       "        z.writestr(zi, base64.b64decode(data))\n"
                       "    z.comment = spec['comment'].encode()\n");
    const ProcessResult r =
        run(QStringLiteral(HUBCAP_PYTHON), {QStringLiteral("-c"), script, spec});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
}

} // namespace hubcap::test
