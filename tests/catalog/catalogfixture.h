#pragma once

#include <QByteArray>
#include <QMap>
#include <QString>

namespace hubcap::test {

/// The files of the fixture catalog (tests/support/fakegithub/catalog/, pytorch/hub's format:
/// a few pages, one with broken YAML, one without github-id, one with a ref and two load
/// examples, a real image and a "PNG" that is text) plus a generated huge page (300 KiB).
QMap<QString, QByteArray> catalogFiles();

/// Serves the fixture catalog as `<owner>/<repo>` (default branch "master", like pytorch/hub)
/// from the fake GitHub at `serverRoot`; returns the commit SHA.
QString makeCatalogRepo(const QString &serverRoot, const QString &owner = QStringLiteral("pytorch"),
                        const QString &repo = QStringLiteral("hub"));

/// The hub repository the fixture page `fixture_tiny_cnn` points to (fixture/tiny, branch
/// main): entrypoints tiny_cnn(channels=4, pretrained=False) and resnet_small().
QMap<QString, QByteArray> tinyRepoFiles();

/// A QCoreApplication for the event loops of jobs (the UI tests have their QApplication).
void ensureApp();

/// Writes the fixture catalog's files into `dir` (for parser tests without a server).
void writeCatalogTree(const QString &dir);

} // namespace hubcap::test
