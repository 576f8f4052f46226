#pragma once

// Shared pieces of the download tests: a QCoreApplication, a fake server with asset files,
// a temp hub dir, and helpers to read what the server saw.

#include "core/net/downloadjob.h"
#include "core/net/networkconfig.h"
#include "tests/support/fakeserver.h"
#include "tests/support/testsupport.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonObject>
#include <QTemporaryDir>

#include <functional>

namespace hubcap::test {

inline QCoreApplication &netApp()
{
    static int argc = 1;
    static char arg0[] = "test_net";
    static char *argv[] = {arg0, nullptr};
    static QCoreApplication a(argc, argv);
    return a;
}

/// Deterministic, incompressible-looking bytes (a different `seed` gives different content).
inline QByteArray pseudoRandom(qint64 size, quint32 seed = 1)
{
    QByteArray out(size, Qt::Uninitialized);
    quint32 x = seed * 2654435761u + 1;
    for (qint64 i = 0; i < size; ++i) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        out[i] = char(x & 0xff);
    }
    return out;
}

inline QString sha256Hex(const QByteArray &data)
{
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

/// Polls the event loop until `cond` holds or `ms` pass (no fixed sleeps).
inline bool waitUntil(const std::function<bool()> &cond, int ms = 10000)
{
    QElapsedTimer t;
    t.start();
    while (!cond()) {
        if (t.elapsed() > ms)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return true;
}

class NetFixture : public ::testing::Test
{
protected:
    void SetUp() override
    {
        netApp();
        ASSERT_TRUE(server.isRunning()) << server.serverErrors().toStdString();
        ASSERT_TRUE(tmp.isValid());
        hub = tmp.path() + QStringLiteral("/hub");
        QDir().mkpath(hub);
    }

    /// Writes an asset served at /assets/<name>; returns its URL.
    QUrl asset(const QString &name, const QByteArray &data) const
    {
        writeFile(server.root() + QStringLiteral("/assets/") + name, data);
        return QUrl(server.url() + QStringLiteral("/assets/") + name);
    }

    NetworkConfig config(int stallMs = 5000) const
    {
        NetworkConfig c;
        c.setGithubUrl(QUrl(server.url()));
        c.setGithubApiUrl(QUrl(server.url()));
        c.setConnectTimeoutMs(5000);
        c.setStallTimeoutMs(stallMs);
        return c;
    }

    DownloadOptions options(const QUrl &url, const QString &name) const
    {
        DownloadOptions o;
        o.url = url;
        o.destination = hub + QStringLiteral("/checkpoints/") + name;
        o.hubDir = hub;
        o.retryBaseDelayMs = 20;
        return o;
    }

    /// GET requests for a path (query ignored), oldest first.
    QList<QJsonObject> gets(const QString &pathPrefix) const
    {
        QList<QJsonObject> out;
        for (const QJsonObject &r : server.requests())
            if (r.value(u"method").toString() == u"GET" &&
                r.value(u"path").toString().startsWith(pathPrefix))
                out << r;
        return out;
    }

    static QString header(const QJsonObject &request, const QString &name)
    {
        const QJsonObject h = request.value(u"headers").toObject();
        for (auto it = h.begin(); it != h.end(); ++it)
            if (it.key().compare(name, Qt::CaseInsensitive) == 0)
                return it.value().toString();
        return {};
    }

    QStringList partials(const QString &dir) const
    {
        return QDir(dir).entryList({QStringLiteral("*.partial")}, QDir::Files);
    }

    FakeServer server;
    QTemporaryDir tmp;
    QString hub;
};

} // namespace hubcap::test
