#include "tests/catalog/catalogfixture.h"

#include "tests/fetch/fetchfixtures.h"
#include "tests/support/testsupport.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>

namespace hubcap::test {

QMap<QString, QByteArray> catalogFiles()
{
    QMap<QString, QByteArray> files;
    const QString root = sourceDir() + QStringLiteral("/tests/support/fakegithub/catalog");
    QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        files.insert(QDir(root).relativeFilePath(path), readFile(path));
    }
    // A huge page: valid front matter, then 300 KiB of text (more than a page may have).
    QByteArray huge = "---\ntitle: Huge page\nsummary: far too big\ngithub-id: huge/page\n---\n";
    while (huge.size() < 300 * 1024)
        huge += "Lorem ipsum dolor sit amet, torch.hub.load('huge/page', 'model') again.\n";
    files.insert(QStringLiteral("huge_page.md"), huge);
    return files;
}

QString makeCatalogRepo(const QString &serverRoot, const QString &owner, const QString &repo)
{
    return makeRepo(serverRoot, owner, repo, catalogFiles(), QStringLiteral("master"));
}

QMap<QString, QByteArray> tinyRepoFiles()
{
    return {{QStringLiteral("hubconf.py"),
             QByteArray("dependencies = []\n\n\n"
                        "def tiny_cnn(channels=4, pretrained=False):\n"
                        "    \"\"\"A tiny CNN for tests.\n\n    More text.\n    \"\"\"\n"
                        "    return channels\n\n\n"
                        "def resnet_small():\n"
                        "    \"\"\"A small ResNet-like network.\"\"\"\n"
                        "    return 1\n")}};
}

void ensureApp()
{
    if (QCoreApplication::instance() == nullptr) {
        static int argc = 1;
        static char name[] = "test_catalog";
        static char *argv[] = {name, nullptr};
        static QCoreApplication app(argc, argv);
    }
}

void writeCatalogTree(const QString &dir)
{
    const auto files = catalogFiles();
    for (auto it = files.begin(); it != files.end(); ++it)
        writeFile(dir + u'/' + it.key(), it.value());
}

} // namespace hubcap::test
