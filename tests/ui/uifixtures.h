#pragma once

#include <QByteArray>
#include <QString>

#include <functional>

namespace hubcap::test {

/// Writes `size` bytes of filler to `path` (parents created).
void writeBytes(const QString &path, qint64 size);

/// A small hub repository folder with a documented function, a class and a missing dependency.
void writeFixtureRepo(const QString &dir);

/// Processes events until `done()` or the deadline; returns done().
bool waitUntil(const std::function<bool()> &done, int timeoutMs = 20000);

} // namespace hubcap::test
